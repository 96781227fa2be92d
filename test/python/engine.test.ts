/**
 * Python semantics in the taint engine, end to end through assess() on small servers written here:
 * keyword arguments, string formatting, comprehensions, `with`, classes and `self`, pathlib `/`,
 * python guards (allow-lists, startswith, is_relative_to, commonpath, regex fullmatch, asserts), the
 * low-level dispatcher and cross-module imports.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assess } from '../../src/assess.js';

let tmp: string;
let n = 0;

/** Assess a server made of the given files; findings as `CWE line tool`. */
async function findings(files: Record<string, string>): Promise<string[]> {
  const dir = path.join(tmp, `s${n++}`);
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
  const a = await assess(dir, { noRisk: true });
  return a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.cwe} ${f.location.file}:${f.location.line} ${f.primitive.name ?? f.primitive.kind}`).sort();
}

const HEAD = 'import os\nimport re\nimport subprocess\nfrom pathlib import Path\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("t")\n';
/** Line numbers in the test servers count from the line after HEAD. */
const L = (i: number) => i + 6;

describe('python engine semantics', () => {
  before(async () => {
    tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-risk-pyengine-')));
  });
  after(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('keyword arguments reach the parameter of that name; *args and **kwargs are packed', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'def helper(timeout=5, cmd=None, *rest, **opts):',
          '    os.system(cmd)',
          '    os.system(opts["extra"])',
          '@mcp.tool()',
          'def a(x: str):',
          '    helper(cmd=x)',
          '@mcp.tool()',
          'def b(x: str):',
          '    helper(x)',
          '@mcp.tool()',
          'def c(x: str):',
          '    helper(1, "ls", extra=x)',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(2)} a`, `78 server.py:${L(3)} c`]);
  });

  it('string building: f-strings, %, .format(), +; numeric conversions clear; a fixed URL host is not SSRF', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'import requests',
          '@mcp.tool()',
          'def a(x: str):',
          '    os.system(f"echo {x}")',
          '    os.system("echo %s" % x)',
          '    os.system("echo {}".format(x))',
          '    os.system("echo {name}".format(name=x))',
          '    os.system("echo " + x)',
          '    os.system("echo %d" % x)',
          '    os.system("echo {:d}".format(x))',
          '@mcp.tool()',
          'def b(q: str):',
          '    requests.get("https://api.example.com/search?q={}".format(q))',
          '    requests.get("https://api.example.com/%s" % q)',
          '    requests.get("http://%s/x" % q)',
        ].join('\n'),
    });
    assert.deepEqual(got, [
      `78 server.py:${L(4)} a`,
      `78 server.py:${L(5)} a`,
      `78 server.py:${L(6)} a`,
      `78 server.py:${L(7)} a`,
      `78 server.py:${L(8)} a`,
      `918 server.py:${L(15)} b`,
    ]);
  });

  it('comprehensions carry the taint of their iterable; sinks inside them are seen', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          '@mcp.tool()',
          'def a(cmd: str):',
          '    parts = [p.strip() for p in cmd.split(";") if p]',
          '    for p in parts:',
          '        os.system(p)',
          '@mcp.tool()',
          'def b(cmds: list[str]):',
          '    return [os.system(c) for c in cmds]',
          '@mcp.tool()',
          'def c(d: dict):',
          '    env = {k.upper(): v for k, v in d.items()}',
          '    os.system(env["X"])',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(12)} c`, `78 server.py:${L(5)} a`, `78 server.py:${L(8)} b`].sort());
  });

  it('with open(path) as f is a file-system sink; methods see self fields and get their arguments', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'class Runner:',
          '    prefix = "echo"',
          '    def __init__(self, base):',
          '        self.base = base',
          '    def run(self, cmd):',
          '        return subprocess.run(f"{self.base} {cmd}", shell=True)',
          '@mcp.tool()',
          'def a(path: str):',
          '    with open(path) as f:',
          '        return f.read()',
          '@mcp.tool()',
          'def b(cmd: str):',
          '    return Runner("ls").run(cmd)',
        ].join('\n'),
    });
    assert.ok(got.includes(`22 server.py:${L(9)} a`), got.join(', '));
    assert.ok(got.includes(`78 server.py:${L(6)} b`), got.join(', '));
  });

  it('dataclasses and pydantic models built from arguments keep them as fields', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'from dataclasses import dataclass',
          'from pydantic import BaseModel',
          'class Req(BaseModel):',
          '    cmd: str',
          '    n: int = 1',
          '@dataclass',
          'class Job:',
          '    name: str',
          '    args: str = ""',
          '@mcp.tool()',
          'def a(x: str):',
          '    r = Req(cmd=x)',
          '    os.system(r.cmd)',
          '@mcp.tool()',
          'def b(x: str):',
          '    j = Job("build", x)',
          '    os.system(j.args)',
          '    os.system(j.name)',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(13)} a`, `78 server.py:${L(17)} b`]);
  });

  it('str predicates and isinstance(x, int) are guards; a failed check that does not stop the flow is not', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          '@mcp.tool()',
          'def a(n: str):',
          '    if not n.isdigit():',
          '        raise ValueError("digits")',
          '    return os.system("sleep " + n)',
          '@mcp.tool()',
          'def b(name: str):',
          '    if name.isalnum():',
          '        return subprocess.run(f"id {name}", shell=True)',
          '    return subprocess.run(f"id {name}", shell=True)',
          '@mcp.tool()',
          'def c(n):',
          '    if not isinstance(n, (int, float)):',
          '        raise TypeError("number")',
          '    return os.system(f"sleep {n}")',
          '@mcp.tool()',
          'def d(n: str):',
          '    n.isdigit()',
          '    return os.system("sleep " + n)',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(10)} b`, `78 server.py:${L(19)} d`]);
  });

  it('argument lists that start with a shell and -c: the next item is a command line (78), later items are its parameters', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          '@mcp.tool()',
          'def a(script: str):',
          '    return subprocess.run(["sh", "-c", script])',
          '@mcp.tool()',
          'def b(name: str):',
          '    return subprocess.run(["/bin/bash", "-c", \'echo "$1"\', "b", name])',
          '@mcp.tool()',
          'def c(arg: str):',
          '    return subprocess.run(["git", "log", arg])',
          'def helper(argv):',
          '    return subprocess.run(argv)',
          '@mcp.tool()',
          'def d(script: str):',
          '    return helper(["zsh", "-lc", script])',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(11)} d`, `78 server.py:${L(3)} a`, `88 server.py:${L(9)} c`].sort()); // d: at the sink in helper()
  });

  it('positional varargs are one argument list: a -- ends it, a shell with -c makes the next one a command', async () => {
    const got = await findings({
      'server.py':
        'import asyncio\n' +
        HEAD +
        [
          '@mcp.tool()',
          'async def a(rev: str):',
          '    return await asyncio.create_subprocess_exec("git", "log", rev)',
          '@mcp.tool()',
          'async def b(path: str):',
          '    return await asyncio.create_subprocess_exec("git", "log", "--", path)',
          '@mcp.tool()',
          'async def c(script: str):',
          '    return await asyncio.create_subprocess_exec("bash", "-c", script)',
          '@mcp.tool()',
          'async def d(path: str):',
          '    return await asyncio.create_subprocess_exec("bash", "-c", "ls -- \\"$1\\"", "d", path)',
        ].join('\n'),
    });
    assert.deepEqual(got, [`78 server.py:${L(9) + 1} c`, `88 server.py:${L(3) + 1} a`]);
    // anyio.run_process: a string runs a shell, a list is an argument list
    const anyio = await findings({
      'server.py':
        'import anyio\n' +
        HEAD +
        [
          '@mcp.tool()',
          'async def a(cmd: str):',
          '    return await anyio.run_process(cmd)',
          '@mcp.tool()',
          'async def b(rev: str):',
          '    return await anyio.run_process(["git", "log", rev])',
          '@mcp.tool()',
          'async def c(rev: str):',
          '    return await anyio.run_process(["git", "log", "--", rev])',
        ].join('\n'),
    });
    assert.deepEqual(anyio, [`78 server.py:${L(3) + 1} a`, `88 server.py:${L(6) + 1} b`]);
  });

  it('properties from the models: Path(x).name is a basename, Path(x).parent a Path, repo.git a git.Git', async () => {
    const got = await findings({
      'server.py':
        'import git\n' +
        HEAD +
        [
          'ROOT = Path("/srv/files")',
          '@mcp.tool()',
          'def a(name: str):',
          '    return (ROOT / Path(name).name).read_text()',
          '@mcp.tool()',
          'def b(name: str):',
          '    return (Path(name).parent / "index.txt").read_text()',
          '@mcp.tool()',
          'def c(rev: str):',
          '    return git.Repo(".").git.log(rev)',
          '@mcp.tool()',
          'def d(rev: str):',
          '    repo = git.Repo(".")',
          '    return repo.git.log("--", rev)',
        ].join('\n'),
    });
    assert.deepEqual(got, [`22 server.py:${L(7) + 1} b`, `88 server.py:${L(10) + 1} c`]);
  });

  it('MongoDB filters: a dict argument or json.loads of text is an operator object (943), a str value in a filter is not', async () => {
    const got = await findings({
      'server.py':
        'import json\nfrom typing import Any\nfrom pymongo import MongoClient\n' +
        HEAD +
        [
          'client = MongoClient("mongodb://localhost:27017")',
          'db = client["shop"]',
          '@mcp.tool()',
          'def a(query: str) -> list:',
          '    return list(db.orders.find(json.loads(query)))',
          '@mcp.tool()',
          'def b(filter: dict[str, Any]) -> list:',
          '    return list(client.shop["orders"].find(filter))',
          '@mcp.tool()',
          'def c(customer: str) -> list:',
          '    return list(db.orders.find({"customer": customer}))',
          '@mcp.tool()',
          'def d(status: str) -> int:',
          '    return client.get_database("shop").get_collection("orders").count_documents(filter={"status": status})',
        ].join('\n'),
    });
    assert.deepEqual(got, [`943 server.py:${L(5) + 3} a`, `943 server.py:${L(8) + 3} b`]);
  });

  it('through helpers: anyio through a helper given a list or a string; (not yet) a field set by a constructor a helper calls', async () => {
    const got = await findings({
      'server.py':
        'import anyio\n' +
        HEAD +
        [
          'class Runner:',
          '    def __init__(self, cmd):',
          '        self.cmd = cmd',
          '    def run(self):',
          '        return subprocess.run(self.cmd, shell=True)',
          'def helper(c):',
          '    return Runner(c).run()',
          '@mcp.tool()',
          'def a(c: str):',
          '    return helper(c)',
          'async def run_it(cmd):',
          '    return await anyio.run_process(cmd)',
          '@mcp.tool()',
          'async def b(path: str):',
          '    return await run_it(["ls", path])',
          '@mcp.tool()',
          'async def c(cmd: str):',
          '    return await run_it(cmd)',
        ].join('\n'),
    });
    // a: Runner(c).run() inside helper() is summarised before the handler stores c in the class's field store, and
    // the handlers are not run again (the store is per class, not per instance: see docs/architecture.md)
    assert.deepEqual(got, [`78 server.py:${L(12) + 1} c`, `88 server.py:${L(12) + 1} b`]);
  });

  it('a constructor argument kept in self.x reaches the sinks of other methods; constant fields stay clean', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'class Runner:',
          '    def __init__(self, cmd: str, label: str):',
          '        self.cmd = cmd',
          '        self.label = label',
          '        self.shell = "ls -la"',
          '    def go(self):',
          '        return subprocess.run(self.cmd, shell=True)',
          '    def quiet(self):',
          '        return subprocess.run(self.shell, shell=True)',
          'class Keeper:',
          '    def __init__(self, path):',
          '        self._store(path)',
          '    def _store(self, p):',
          '        self.path = p',
          '    def read(self):',
          '        return open(self.path).read()',
          '@mcp.tool()',
          'def a(cmd: str) -> str:',
          '    return Runner(cmd, "x").go()',
          '@mcp.tool()',
          'def b(label: str) -> str:',
          '    return Runner("date", label).quiet()',
          '@mcp.tool()',
          'def c(name: str) -> str:',
          '    return Keeper(name).read()',
        ].join('\n'),
    });
    assert.deepEqual(got, [`22 server.py:${L(16)} c`, `78 server.py:${L(7)} a`]);
  });

  it('path checks: startswith(root + os.sep) on a real path, is_relative_to on a resolved Path, commonpath; a bare prefix is CWE-22', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'ROOT = os.path.realpath("/srv/data")',
          'BASE = Path("/srv/data").resolve()',
          '@mcp.tool()',
          'def a(name: str):',
          '    full = os.path.realpath(os.path.join(ROOT, name))',
          '    if not full.startswith(ROOT + os.sep):',
          '        raise ValueError("outside")',
          '    return open(full).read()',
          '@mcp.tool()',
          'def b(name: str):',
          '    p = (BASE / name).resolve()',
          '    if not p.is_relative_to(BASE):',
          '        raise ValueError("outside")',
          '    return p.read_text()',
          '@mcp.tool()',
          'def c(name: str):',
          '    full = os.path.realpath(os.path.join(ROOT, name))',
          '    if os.path.commonpath([ROOT, full]) != ROOT:',
          '        raise ValueError("outside")',
          '    os.remove(full)',
          '@mcp.tool()',
          'def d(name: str):',
          '    full = os.path.join(ROOT, name)',
          '    if not full.startswith(ROOT):',
          '        raise ValueError("outside")',
          '    return open(full).read()',
          '@mcp.tool()',
          'def e(name: str):',
          '    return (BASE / name).read_text()',
        ].join('\n'),
    });
    assert.deepEqual(
      got.filter((g) => /^(22|59) /.test(g)),
      [`22 server.py:${L(26)} d`, `22 server.py:${L(29)} e`],
    );
  });

  it('allow-lists, asserts, regex fullmatch, startswith("-") and Literal/int parameters are guards', async () => {
    const got = await findings({
      'server.py':
        HEAD +
        [
          'from typing import Literal',
          'ALLOWED = ("status", "log")',
          'NAME = re.compile(r"[a-z0-9_-]+")',
          '@mcp.tool()',
          'def a(cmd: str):',
          '    assert cmd in ALLOWED',
          '    os.system("git " + cmd)',
          '@mcp.tool()',
          'def b(branch: str):',
          '    if not NAME.fullmatch(branch):',
          '        raise ValueError("bad")',
          '    os.system("git checkout " + branch)',
          '@mcp.tool()',
          'def c(branch: str):',
          '    if not re.match(r"^[a-z]+$", branch):',
          '        raise ValueError("bad")',
          '    os.system("git checkout " + branch)',
          '@mcp.tool()',
          'def d(ref: str):',
          '    if ref.startswith("-"):',
          '        raise ValueError("bad")',
          '    subprocess.run(["git", "log", ref])',
          '@mcp.tool()',
          'def e(mode: Literal["a", "b"], n: int):',
          '    os.system("run " + mode + " " + str(n))',
        ].join('\n'),
    });
    // re.match with `$` also accepts a trailing newline: still a command injection
    assert.deepEqual(got, [`78 server.py:${L(17)} c`]);
  });

  it('the low-level call_tool dispatcher: findings per tool, arguments["x"] and arguments.get("x") are that argument', async () => {
    const got = await findings({
      'server.py': [
        'import os',
        'import mcp.types as types',
        'from mcp.server.lowlevel import Server',
        'server = Server("low")',
        '@server.list_tools()',
        'async def list_tools():',
        '    return [types.Tool(name="one", description="", inputSchema={}), types.Tool(name="two", description="", inputSchema={})]',
        '@server.call_tool()',
        'async def call_tool(name: str, arguments: dict):',
        '    if name == "one":',
        '        os.system(arguments["cmd"])',
        '    elif name == "two":',
        '        os.system(arguments.get("other", "ls"))',
        '    return []',
      ].join('\n'),
    });
    assert.deepEqual(got, ['78 server.py:11 one', '78 server.py:13 two']);
  });

  it('flows across modules: from .helpers import f, from . import helpers, a package-relative import of a module', async () => {
    const got = await findings({
      'pkg/__init__.py': '',
      'pkg/server.py': [
        'from mcp.server.fastmcp import FastMCP',
        'from .util import run_cmd',
        'from . import helpers',
        'mcp = FastMCP("x")',
        '@mcp.tool()',
        'def a(cmd: str):',
        '    return run_cmd(cmd)',
        '@mcp.tool()',
        'def b(cmd: str):',
        '    return helpers.shell(cmd)',
      ].join('\n'),
      'pkg/util.py': 'import subprocess\ndef run_cmd(c):\n    return subprocess.check_output(c, shell=True)\n',
      'pkg/helpers.py': 'import os\ndef shell(c):\n    os.system(c)\n',
    });
    assert.deepEqual(got, ['78 pkg/helpers.py:3 b', '78 pkg/util.py:3 a']);
  });
});
