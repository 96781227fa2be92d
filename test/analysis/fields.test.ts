/**
 * Values kept in instance fields: a constructor (or a method it calls) that stores its argument in `this.x`
 * makes `this.x` attacker-controlled for every method of the class, wherever the instance is built from a tool
 * argument; constant fields and fields the methods do not use give no finding.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assess } from '../../src/assess.js';

const HEAD = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { exec, execSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
const server = new McpServer({ name: 'fields', version: '1.0.0' });
`;
const L = (i: number): number => i + 5;

let tmp: string;
async function findings(file: string, body: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmp, 's'));
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), HEAD + body);
  const a = await assess(dir, { noRisk: true });
  return a.findings.filter((f) => f.severity !== 'info').map((f) => `${f.cwe} ${f.location.line} ${f.primitive.name ?? f.primitive.kind}`).sort();
}

describe('instance fields set from constructor arguments', () => {
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'mcp-risk-fields-'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  it('JavaScript: this.cmd = cmd in the constructor reaches exec() in another method; a constant field does not', async () => {
    const got = await findings(
      'index.js',
      [
        'class Runner {',
        '  constructor(cmd, cwd) { this.cmd = cmd; this.cwd = cwd; }',
        "  run() { exec(this.cmd, { cwd: '/srv' }); }",
        '}',
        'class Safe {',
        "  constructor(name) { this.name = name; this.cmd = 'ls -la'; }",
        '  run() { exec(this.cmd); }',
        '}',
        "server.tool('run', { cmd: z.string() }, async ({ cmd }) => { new Runner(cmd, '/tmp').run(); return { content: [] }; });",
        "server.tool('safe', { name: z.string() }, async ({ name }) => { new Safe(name).run(); return { content: [] }; });",
      ].join('\n'),
    );
    assert.deepEqual(got, [`78 ${L(3)} run`]);
  });

  it('a helper given an argument list keeps the program of its spawn(): /bin/sh with -c is a command line', async () => {
    const got = await findings(
      'index.js',
      [
        "function sh(args) { return spawnSync('/bin/sh', args); }",
        "server.tool('snippet', { s: z.string() }, async ({ s }) => { sh(['-c', s]); return { content: [] }; });",
      ].join('\n'),
    );
    assert.deepEqual(got, [`78 ${L(1)} snippet`]);
  });

  it('TypeScript: parameter properties and fields assigned in the constructor', async () => {
    const got = await findings(
      'src/index.ts',
      [
        'class Runner {',
        '  constructor(private readonly cmd: string) {}',
        '  run(): string { return execSync(this.cmd).toString(); }',
        '}',
        'class Files {',
        "  private root = '/srv';",
        '  private file: string;',
        '  constructor(file: string) { this.file = file; }',
        "  read(): string { return readFileSync(this.file, 'utf8'); }",
        "  index(): string { return readFileSync(this.root + '/index.json', 'utf8'); }",
        '}',
        "server.registerTool('run', { inputSchema: { cmd: z.string() } }, async ({ cmd }) => ({ content: [{ type: 'text', text: new Runner(cmd).run() }] }));",
        "server.registerTool('read', { inputSchema: { file: z.string() } }, async ({ file }) => { const f = new Files(file); return { content: [{ type: 'text', text: f.read() + f.index() }] }; });",
      ].join('\n'),
    );
    assert.deepEqual(got, [`22 ${L(9)} read`, `78 ${L(3)} run`]);
  });
});
