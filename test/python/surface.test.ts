/**
 * The Python MCP surface (src/mcp/python.ts, merged into extractSurface): FastMCP (official SDK and fastmcp 2),
 * the low-level Server, transports; and an end-to-end smoke test through assess().
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSource } from '../../src/languages/index.js';
import { buildProgram, type ProgramModule } from '../../src/analysis/program.js';
import { extractSurface } from '../../src/mcp/surface.js';
import { parseHint } from '../../src/mcp/python.js';
import { assess } from '../../src/assess.js';
import type { PrimitiveDef } from '../../src/model.js';

async function surfaceOf(files: Record<string, string>) {
  const modules: ProgramModule[] = [];
  for (const [file, text] of Object.entries(files)) {
    const r = await parseSource(file, 'python', text);
    assert.ok(r.module, r.problems.join('; '));
    modules.push({ ir: r.module, text });
  }
  return extractSurface(buildProgram(modules));
}

function byName(list: PrimitiveDef[], name: string): PrimitiveDef {
  const p = list.find((x) => x.name === name);
  assert.ok(p, `no ${name} in ${list.map((x) => x.name).join(', ')}`);
  return p;
}

const FASTMCP_SDK = `
from typing import Annotated, Literal, Optional
from enum import Enum
from pydantic import Field
from mcp.server.fastmcp import FastMCP, Context

mcp = FastMCP("files", host="0.0.0.0", port=8123)

class Mode(str, Enum):
    FAST = "fast"
    SLOW = "slow"

@mcp.tool()
def read_file(path: str, limit: int = 100, ctx: Context = None) -> str:
    """Read a file of the workspace."""
    return open(path).read()

@mcp.tool(name="search-files", description="Search by pattern")
async def search(pattern: Annotated[str, Field(description="A glob")], mode: Literal["name", "content"] = "name",
                 ratio: float = 0.5, recursive: bool = False, tags: list[str] = [], speed: Mode = Mode.FAST,
                 owner: Optional[str] = None, note: str = Field(description="A note", default="")) -> list[str]:
    return []

@mcp.resource("file://{name}/{part}")
def file_res(name: str, part: str) -> str:
    """A file."""
    return ""

@mcp.resource("config://app", name="app-config", description="The configuration")
def config() -> str:
    return "{}"

@mcp.prompt()
def review(code: str, language: str = "python") -> str:
    """Review code."""
    return f"Review this {language}: {code}"

if __name__ == "__main__":
    mcp.run(transport="streamable-http")
`;

describe('python surface: FastMCP (official mcp SDK)', () => {
  it('tools: names from the decorator or the function, descriptions from the decorator or the docstring', async () => {
    const s = await surfaceOf({ 'server.py': FASTMCP_SDK });
    assert.deepEqual(s.surface.sdks, ['mcp']);
    assert.deepEqual(s.surface.tools.map((t) => t.name).sort(), ['read_file', 'search-files']);
    const rf = byName(s.surface.tools, 'read_file');
    assert.equal(rf.description, 'Read a file of the workspace.');
    assert.equal(rf.style, 'FastMCP.tool');
    assert.equal(rf.location.line, 13);
    assert.equal(rf.handler?.line, 14);
    assert.equal(byName(s.surface.tools, 'search-files').description, 'Search by pattern');
  });

  it('parameters from the signature: hints, Literal and Enum → enum, Annotated/Field descriptions, required = no default, Context skipped', async () => {
    const s = await surfaceOf({ 'server.py': FASTMCP_SDK });
    assert.deepEqual(byName(s.surface.tools, 'read_file').params, [
      { name: 'path', type: 'string', required: true },
      { name: 'limit', type: 'integer', required: false },
    ]);
    assert.deepEqual(byName(s.surface.tools, 'search-files').params, [
      { name: 'pattern', type: 'string', required: true, description: 'A glob' },
      { name: 'mode', type: 'enum', required: false, enum: ['name', 'content'] },
      { name: 'ratio', type: 'number', required: false },
      { name: 'recursive', type: 'boolean', required: false },
      { name: 'tags', type: 'array', required: false },
      { name: 'speed', type: 'enum', required: false, enum: ['fast', 'slow'] },
      { name: 'owner', type: 'string', required: false },
      { name: 'note', type: 'string', required: false, description: 'A note' },
    ]);
  });

  it('resources (templates: the URI variables are the parameters) and prompts', async () => {
    const s = await surfaceOf({ 'server.py': FASTMCP_SDK });
    const fr = byName(s.surface.resources, 'file_res');
    assert.equal(fr.uri, 'file://{name}/{part}');
    assert.equal(fr.description, 'A file.');
    assert.deepEqual(
      fr.params.map((p) => p.name),
      ['name', 'part'],
    );
    const cfg = byName(s.surface.resources, 'app-config');
    assert.equal(cfg.uri, 'config://app');
    assert.equal(cfg.description, 'The configuration');
    assert.deepEqual(cfg.params, []);
    const pr = byName(s.surface.prompts, 'review');
    assert.equal(pr.description, 'Review code.');
    assert.deepEqual(pr.params, [
      { name: 'code', type: 'string', required: true },
      { name: 'language', type: 'string', required: false },
    ]);
    // bindings for the engine: parameters are the arguments themselves; a fixed resource has no input
    assert.equal(s.registered.find((r) => r.def.name === 'read_file')?.binding, 'python-params');
    assert.equal(s.registered.find((r) => r.def.name === 'app-config')?.binding, 'resource-fixed');
    assert.equal(s.registered.find((r) => r.def.name === 'file_res')?.binding, 'python-params');
  });

  it('transport: run(transport=…) with the host and port of FastMCP(…); no auth seen', async () => {
    const s = await surfaceOf({ 'server.py': FASTMCP_SDK });
    assert.equal(s.surface.transports.length, 1);
    const t = s.surface.transports[0]!;
    assert.equal(t.kind, 'streamable-http');
    assert.equal(t.host, '0.0.0.0');
    assert.equal(t.port, 8123);
    assert.equal(t.auth, 'absent');
    assert.equal(t.location.line, 39);
  });

  it('regions: a handler body belongs to its tool', async () => {
    const s = await surfaceOf({ 'server.py': FASTMCP_SDK });
    assert.ok(s.regions.some((r) => r.line === 14 && r.endLine === 16 && r.primitive.name === 'read_file'));
  });
});

describe('python surface: fastmcp 2.x', () => {
  const SRC = `
from fastmcp import FastMCP, Context

mcp = FastMCP(name="two", auth=BearerAuthProvider(jwks_uri="https://x/jwks"))

@mcp.tool
def plain(x: str) -> str:
    """No parentheses."""
    return x

@mcp.tool("named")
async def other(ctx: Context, y: int) -> int:
    return y

def later(z: str) -> str:
    return z

mcp.tool(later)
mcp.add_tool(later, name="added", description="Added later")

@mcp.resource("data://{key}")
async def data(key: str, ctx: Context) -> str:
    return key

@mcp.prompt
def ask(topic: str) -> str:
    return topic

if __name__ == "__main__":
    mcp.run(transport="http", host="127.0.0.1", port=9000)
`;

  it('@mcp.tool without parentheses, a positional name, call-form registrations', async () => {
    const s = await surfaceOf({ 'app.py': SRC });
    assert.deepEqual(s.surface.sdks, ['fastmcp']);
    assert.deepEqual(s.surface.tools.map((t) => t.name).sort(), ['added', 'later', 'named', 'plain']);
    assert.equal(byName(s.surface.tools, 'plain').description, 'No parentheses.');
    assert.equal(byName(s.surface.tools, 'plain').style, 'fastmcp.tool');
    assert.equal(byName(s.surface.tools, 'added').description, 'Added later');
    assert.deepEqual(byName(s.surface.tools, 'named').params, [{ name: 'y', type: 'integer', required: true }]);
    assert.deepEqual(
      byName(s.surface.resources, 'data').params.map((p) => p.name),
      ['key'],
    );
    assert.deepEqual(
      s.surface.prompts.map((p) => p.name),
      ['ask'],
    );
  });

  it('run(transport="http", host, port) with an auth provider on the server', async () => {
    const s = await surfaceOf({ 'app.py': SRC });
    assert.equal(s.surface.transports.length, 1);
    const t = s.surface.transports[0]!;
    assert.deepEqual([t.kind, t.host, t.port, t.auth], ['streamable-http', '127.0.0.1', 9000, 'present']);
  });
});

describe('python surface: the low-level Server', () => {
  const SRC = `
import mcp.types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from pydantic import BaseModel, Field

server = Server("low")

class QueryArgs(BaseModel):
    sql: str = Field(description="The SQL text")
    limit: int = 10
    verbose: bool

TOOLS = [
    types.Tool(name="shell", description="Run a command", inputSchema={
        "type": "object",
        "properties": {"command": {"type": "string", "description": "The command"}, "mode": {"type": "string", "enum": ["a", "b"]}},
        "required": ["command"],
    }),
]

@server.list_tools()
async def list_tools() -> list[types.Tool]:
    return TOOLS + [types.Tool(name="query", description="Query", inputSchema=QueryArgs.model_json_schema())]

@server.call_tool()
async def call_tool(name: str, arguments: dict):
    if name == "shell":
        return run(arguments["command"])
    match name:
        case "query":
            return query(arguments.get("sql"))
    raise ValueError(name)

@server.list_prompts()
async def list_prompts():
    return [types.Prompt(name="summarize", description="Summarize", arguments=[types.PromptArgument(name="text", description="The text", required=True)])]

@server.get_prompt()
async def get_prompt(name: str, arguments: dict | None):
    return None

@server.list_resources()
async def list_resources():
    return [types.Resource(uri="notes://all", name="notes", description="All notes")]

@server.read_resource()
async def read_resource(uri):
    return ""

async def main():
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
`;

  it('tools from the list_tools handler (JSON schema dicts, pydantic models), prompts and resources from theirs', async () => {
    const s = await surfaceOf({ 'server.py': SRC });
    assert.deepEqual(s.surface.sdks, ['mcp']);
    assert.deepEqual(s.surface.tools.map((t) => t.name).sort(), ['query', 'shell']);
    const shell = byName(s.surface.tools, 'shell');
    assert.equal(shell.description, 'Run a command');
    assert.equal(shell.style, 'Server.list_tools');
    assert.deepEqual(shell.params, [
      { name: 'command', type: 'string', required: true, description: 'The command' },
      { name: 'mode', type: 'enum', required: false, enum: ['a', 'b'] },
    ]);
    assert.deepEqual(byName(s.surface.tools, 'query').params, [
      { name: 'sql', type: 'string', required: true, description: 'The SQL text' },
      { name: 'limit', type: 'integer', required: false },
      { name: 'verbose', type: 'boolean', required: true },
    ]);
    assert.deepEqual(byName(s.surface.prompts, 'summarize').params, [{ name: 'text', type: 'string', required: true, description: 'The text' }]);
    assert.equal(byName(s.surface.resources, 'notes').uri, 'notes://all');
  });

  it('dispatchers for call_tool / get_prompt / read_resource, regions per dispatched tool, the stdio transport', async () => {
    const s = await surfaceOf({ 'server.py': SRC });
    assert.deepEqual(s.dispatchers.map((d) => d.kind).sort(), ['prompt', 'resource', 'tool']);
    assert.equal(s.registered.length, 0);
    const names = s.regions.filter((r) => r.primitive.kind === 'tool' && r.primitive.name).map((r) => `${r.primitive.name}@${r.line}`);
    assert.deepEqual(names.sort(), ['query@31', 'shell@28']);
    assert.deepEqual(
      s.surface.transports.map((t) => t.kind),
      ['stdio'],
    );
  });
});

describe('python surface: transports', () => {
  it('mcp.run() is stdio; sse_app() served by uvicorn.run takes uvicorn\'s host and port', async () => {
    const a = await surfaceOf({ 'a.py': 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("a")\nmcp.run()\n' });
    assert.deepEqual(
      a.surface.transports.map((t) => [t.kind, t.host, t.auth]),
      [['stdio', undefined, 'unknown']],
    );
    const b = await surfaceOf({
      'b.py': 'import uvicorn\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("b")\napp = mcp.sse_app()\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8080)\n',
    });
    assert.deepEqual(
      b.surface.transports.map((t) => [t.kind, t.host, t.port, t.auth]),
      [['sse', '0.0.0.0', 8080, 'absent']],
    );
    const c = await surfaceOf({ 'c.py': 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("c")\nmcp.run(transport="sse")\n' });
    assert.deepEqual(
      c.surface.transports.map((t) => [t.kind, t.host, t.port]),
      [['sse', '127.0.0.1', 8000]],
    );
  });

  it('a server created in one module and decorated in another', async () => {
    const s = await surfaceOf({
      'pkg/__init__.py': '',
      'pkg/app.py': 'from fastmcp import FastMCP\nmcp = FastMCP("split")\n',
      'pkg/tools.py': 'from .app import mcp\n\n@mcp.tool\ndef ping(host: str) -> str:\n    return host\n',
    });
    assert.deepEqual(
      s.surface.tools.map((t) => t.name),
      ['ping'],
    );
  });

  it('no python MCP SDK imported: no surface (a @x.tool decorator alone is not enough)', async () => {
    const s = await surfaceOf({ 'x.py': '@agent.tool\ndef f(a: str):\n    return a\n' });
    assert.deepEqual(s.surface.tools, []);
    assert.deepEqual(s.surface.sdks, []);
  });
});

describe('python type hints', () => {
  it('parses nested hints, unions, literals and calls', () => {
    const h = parseHint('Annotated[list[str] | None, Field(description="x, y")]');
    assert.equal(h?.name, 'Annotated');
    assert.equal(h?.args[0]?.name, 'Union');
    assert.equal(h?.args[1]?.text, 'Field(description="x, y")');
    assert.deepEqual(
      parseHint("Literal['a', 2]")?.args.map((a) => a.lit),
      ['a', 2],
    );
  });
});

describe('python end to end (assess)', () => {
  let tmp: string;
  before(async () => {
    tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-risk-python-')));
  });
  after(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  async function server(name: string, text: string): Promise<string> {
    const dir = path.join(tmp, name);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'server.py'), text);
    return dir;
  }

  it('a FastMCP tool running its argument with shell=True is CWE-78; eval is 95; typed and allow-listed arguments are not', async () => {
    const dir = await server(
      'smoke',
      `import os
import subprocess
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("smoke")
ALLOWED = {"ls", "pwd"}

@mcp.tool()
def run(cmd: str):
    return subprocess.run(cmd, shell=True)

@mcp.tool()
def calc(expr: str):
    return eval(expr)

@mcp.tool()
def count(n: int):
    return os.system("seq %d" % n)

@mcp.tool()
def safe(name: str):
    if name not in ALLOWED:
        raise ValueError("no")
    return os.system(name)

if __name__ == "__main__":
    mcp.run()
`,
    );
    const a = await assess(dir, { noRisk: true });
    assert.deepEqual(
      a.surface.tools.map((t) => t.name),
      ['run', 'calc', 'count', 'safe'],
    );
    const got = a.findings.map((f) => `${f.cwe} ${f.location.line} ${f.primitive.name}`).sort();
    assert.ok(got.includes('78 10 run'), got.join(', '));
    assert.ok(got.includes('95 14 calc'), got.join(', '));
    assert.ok(!got.some((g) => / (count|safe)$/.test(g)), got.join(', '));
    const f78 = a.findings.find((f) => f.cwe === 78)!;
    assert.equal(f78.source?.kind, 'tool-argument');
    assert.match(f78.trace?.[0]?.label ?? '', /argument `cmd` of tool `run`/);
  });
});
