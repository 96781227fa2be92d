/** User model files (`--rules`): a sink of a library mcp-risk does not know, added as data. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import { UserError } from '../../src/acquire/types.js';

describe('user rules files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-rules-'));
    mkdirSync(path.join(dir, 'server'));
    writeFileSync(
      path.join(dir, 'server', 'index.js'),
      [
        'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";',
        'import { z } from "zod";',
        'import { runRemote } from "acme-remote-shell";',
        'const server = new McpServer({ name: "acme" });',
        'server.tool("remote", "Run on the build host", { cmd: z.string() }, async ({ cmd }) => {',
        '  const out = await runRemote(`bash -lc ${cmd}`);',
        '  return { content: [{ type: "text", text: out }] };',
        '});',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'acme.json'),
      JSON.stringify({ name: 'acme-remote-shell', language: 'javascript', sinks: [{ id: 'acme/remote', call: ['acme-remote-shell.runRemote'], args: [0], kind: 'command', label: 'runRemote()' }] }),
    );
    writeFileSync(path.join(dir, 'broken.json'), '{ "name": "x", "sinks": [ { "call": ["a"], "kind": "no-such-kind" } ] }');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an unknown library call is not a sink without the model', async () => {
    const a = await assess(path.join(dir, 'server'));
    assert.equal(a.findings.filter((f) => f.cwe === 78).length, 0);
  });

  it('the same call is a CWE-78 sink with the user model, at the right line and tool', async () => {
    const a = await assess(path.join(dir, 'server'), { rules: [path.join(dir, 'acme.json')] });
    const f = a.findings.filter((x) => x.cwe === 78);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.location.line, 6);
    assert.equal(f[0]!.primitive.name, 'remote');
    assert.ok(f[0]!.trace!.at(-1)!.label.includes('runRemote()'));
  });

  it('every field is checked: a wrong file names the entry and the field, and is an input error (not a crash)', async () => {
    const cases: [unknown, RegExp][] = [
      [[], /expected an object/],
      [{ name: 'x', sinks: [null] }, /sinks\[0\] must be an object/],
      [{ name: 'x', sources: [null] }, /sources\[0\] must be an object/],
      [{ name: 'x', sanitizers: { call: ['a'] } }, /"sanitizers" must be a list/],
      [{ name: 'x', types: [{ returns: 'a.B' }] }, /types\[0\] needs "call"/],
      [{ name: 'x', sinks: [{ kind: 'command' }] }, /sinks\[0\] needs "call" or "method"/],
      [{ name: 'x', sinks: [{ kind: 'command', call: 'a.b' }] }, /sinks\[0\]: "call" must be a list of strings/],
      [{ name: 'x', sinks: [{ kind: 'command', call: ['a.b'], args: '0' }] }, /"args" must be a list of whole numbers/],
      [{ name: 'x', sinks: [{ kind: 'command', call: ['a.b'], args: {} }] }, /"args" must be a list of whole numbers/],
      [{ name: 'x', sinks: [{ kind: 'command', call: ['a.b'], confidence: 'maybe' }] }, /"confidence" must be high, medium or low/],
      [{ name: 'x', sinks: [{ kind: 'command', call: ['a.b'], ifOption: { key: 'shell' } }] }, /"ifOption" must be an object \{ arg: whole number/],
      [{ name: 'x', sinks: [{ kind: 'command', call: ['a.b'], cal: ['x'] }] }, /sinks\[0\]: unknown field "cal"/],
      [{ name: 'x', sanitizers: [{ call: ['a'], clears: ['nope'] }] }, /"clears" must be a list of sink kinds/],
      [{ name: 'x', sources: [{ call: ['a'], kind: 'moon' }] }, /"kind" must be network, environment, file or transport/],
      [{ name: 'x', language: 'cobol' }, /"language" must be one of javascript, python/],
      [{ name: 'x', sink: [] }, /unknown field "sink"/],
    ];
    for (const [doc, re] of cases) {
      const f = path.join(dir, 'case.json');
      writeFileSync(f, JSON.stringify(doc));
      await assert.rejects(assess(path.join(dir, 'server'), { rules: [f] }), (e: unknown) => e instanceof UserError && re.test(e.message), JSON.stringify(doc));
    }
    // a byte-order mark is not an error
    const bom = path.join(dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${JSON.stringify({ name: 'acme-remote-shell', language: 'javascript', sinks: [{ call: ['acme-remote-shell.runRemote'], kind: 'command' }] })}`);
    const a = await assess(path.join(dir, 'server'), { rules: [bom] });
    assert.equal(a.findings.filter((x) => x.cwe === 78).length, 1);
  });

  it('an invalid model file is a clear input error', async () => {
    await assert.rejects(assess(path.join(dir, 'server'), { rules: [path.join(dir, 'broken.json')] }), (e: unknown) => e instanceof UserError && /sinks\[0\]: "kind" must be one of command, /.test(e.message));
    await assert.rejects(assess(path.join(dir, 'server'), { rules: [path.join(dir, 'missing.json')] }), (e: unknown) => e instanceof UserError && /cannot read rules file/.test(e.message));
  });
});
