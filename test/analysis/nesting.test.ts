/**
 * Deeply nested code is analysed in time linear in its depth, completely (not cut by a budget): loops nested tens
 * deep ran each body 2^depth times (a second pass per loop for loop-carried values), and top-level code had no
 * budget at all, so `while(a)` nested 40 deep never finished. Loops deeper than SECOND_PASS_DEPTH now run once
 * (the enclosing loops' second passes carry values into them), and a module's top-level code has a budget.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import type { Assessment } from '../../src/model.js';
import { makeTmp, rmTmp, writeTree } from '../acquire/util.js';

let tmp: string;
let n = 0;

async function run(files: Record<string, string>): Promise<Assessment> {
  const dir = path.join(tmp, `s${n++}`);
  await writeTree(dir, files);
  return assess(dir, { noRisk: true });
}

const flows = (a: Assessment): string[] => a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.cwe} ${f.location.file}:${f.location.line} ${f.primitive.name ?? f.primitive.kind}`);

const PY_HEAD = 'import os\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("t")\n';
const pyNest = (depth: number, head: (i: number) => string, body: string[], indent = 0): string[] => {
  const out: string[] = [];
  for (let i = 0; i < depth; i++) out.push(`${'    '.repeat(indent + i)}${head(i)}`);
  for (const b of body) out.push(`${'    '.repeat(indent + depth)}${b}`);
  return out;
};

describe('deeply nested code', () => {
  before(async () => (tmp = await makeTmp('mcp-risk-nesting-')));
  after(() => rmTmp(tmp));

  it('python: loops nested 60 deep at top level and in a handler are analysed whole', async () => {
    const lines = [
      ...PY_HEAD.trimEnd().split('\n'),
      ...pyNest(60, () => 'while ready():', ['poll()']),
      '@mcp.tool()',
      'def run(cmd: str):',
      ...pyNest(60, (i) => `for v${i} in items:`, ['os.system(cmd)'], 1),
    ];
    const a = await run({ 'server.py': lines.join('\n') + '\n' });
    assert.equal(a.partial, false, JSON.stringify(a.warnings));
    assert.deepEqual(flows(a), [`78 server.py:${lines.length} run`]);
  });

  it('python: a value carried from one iteration to the next reaches a sink five loops deep', async () => {
    const lines = [...PY_HEAD.trimEnd().split('\n'), '@mcp.tool()', 'def run(x: str):', '    cmd = "ls"', ...pyNest(5, (i) => `for v${i} in range(3):`, ['os.system(cmd)', 'cmd = x'], 1)];
    const a = await run({ 'server.py': lines.join('\n') + '\n' });
    assert.equal(a.partial, false);
    assert.deepEqual(flows(a), [`78 server.py:${lines.length - 1} run`]);
  });

  it('python: 6,000 elifs or 20,000 except clauses (a flat list, nested once lowered) are cut at the nesting limit, not a crash', async () => {
    const elifs = [...PY_HEAD.trimEnd().split('\n'), '@mcp.tool()', 'def run(cmd: str, n: int):', '    if n == 0:', '        os.system(cmd)'];
    for (let i = 1; i < 6000; i++) elifs.push(`    elif n == ${i}:`, '        pass');
    const excepts = [...PY_HEAD.trimEnd().split('\n'), '@mcp.tool()', 'def run(cmd: str):', '    try:', '        pass'];
    excepts.push('    except E0:', '        os.system(cmd)');
    for (let i = 1; i < 20000; i++) excepts.push(`    except E${i}:`, '        pass');
    for (const [lines, sinkLine] of [[elifs, 7], [excepts, 9]] as const) {
      const a = await run({ 'server.py': lines.join('\n') + '\n' });
      assert.equal(a.partial, true);
      assert.deepEqual(
        a.warnings.map((w) => w.code),
        ['depth-limit'],
      );
      assert.match(a.warnings[0]!.message, /nesting deeper than 600 levels/);
      assert.deepEqual(flows(a), [`78 server.py:${sinkLine} run`]);
    }
  });

  it('python: a helper past its work budget is summarised conservatively (its argument flows through), said and partial', async () => {
    const body = Array.from({ length: 30_000 }, (_, i) => `x${i % 50} = ${i}`);
    const lines = [
      ...PY_HEAD.trimEnd().split('\n'),
      ...['def helper(a):', ...pyNest(4, (i) => `for v${i} in a:`, body, 1), '    return "ok"'],
      '@mcp.tool()',
      'def run(cmd: str):',
      '    os.system(helper(cmd))',
    ];
    const a = await run({ 'server.py': lines.join('\n') + '\n' });
    assert.equal(a.partial, true);
    assert.ok(a.warnings.some((w) => /helper: analysis budget exceeded; summarised conservatively/.test(w.message)), JSON.stringify(a.warnings));
    assert.deepEqual(flows(a), [`78 server.py:${lines.length} run`]);
  });

  it('javascript: `while(a)` nested 500 deep at top level, and loops 60 deep in a handler', async () => {
    const src = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      "import { exec } from 'node:child_process';",
      "import { z } from 'zod';",
      `${'while (a) '.repeat(500)}poll();`,
      "const server = new McpServer({ name: 't', version: '1' });",
      "server.tool('run', { cmd: z.string() }, async ({ cmd }) => {",
      `  ${'for (const v of items) '.repeat(60)}exec(cmd);`,
      "  return { content: [] };",
      '});',
    ];
    const a = await run({ 'server.js': src.join('\n') + '\n' });
    assert.equal(a.partial, false, JSON.stringify(a.warnings));
    assert.deepEqual(flows(a), ['78 server.js:7 run']);
  });
});
