/**
 * Hostile inputs: every target is built in a temp folder at test time, then scanned twice — in
 * process with `assess()` and as a user would, `node build/src/cli.js scan <target> --format json`.
 * Each must finish without a crash (no stack trace, exit code 0/1, never 3), explain what it skipped
 * with a warning code, say `partial: true` when something was skipped, and still find the real
 * flows in the rest of the target.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../src/acquire/types.js';
import { assess, atOrAbove, type AssessOptions } from '../../src/assess.js';
import type { Assessment, Finding, Warning } from '../../src/model.js';
import { toJson } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { exists, listAll, makeTmp, rawTgz, rmTmp, writeTree } from '../acquire/util.js';
import { assertNoCrashOutput, runCli, type CliResult } from '../cli/run.js';
import { assessmentErrors, describeErrors, sarifErrors } from '../output/validators.js';

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Inputs

const SERVER_IMPORTS = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
`;

/** A complete server: tool `run` hands its `cmd` argument to a shell (CWE-78) in the same file. */
function serverWithFlow(name = 'hostile'): string {
  return `${SERVER_IMPORTS}import { execSync } from "node:child_process";

const server = new McpServer({ name: "${name}", version: "1.0.0" });

server.registerTool("run", { description: "Run ls", inputSchema: { cmd: z.string() } }, async ({ cmd }) => {
  const out = execSync("ls " + cmd).toString();
  return { content: [{ type: "text", text: out }] };
});

await server.connect(new StdioServerTransport());
`;
}

/** 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in text`);
  return text.slice(0, i).split('\n').length;
}

// ---------------------------------------------------------------------------------------------
// Checks

interface Scan {
  a: Assessment;
  cli: CliResult;
  /** The CLI's JSON report. */
  json: Assessment;
}

function warningsText(ws: readonly Warning[]): string {
  return ws.map((w) => `${w.code} ${w.file ?? '-'}: ${w.message}`).join('\n  ');
}

/** The warning with this code (and file), asserted present and readable. */
function warning(a: Assessment, code: string, file?: string): Warning {
  const w = a.warnings.find((x) => x.code === code && (file === undefined || x.file === file));
  assert.ok(w, `no ${code} warning${file ? ` for ${file}` : ''}; warnings:\n  ${warningsText(a.warnings)}`);
  assert.ok(w.message.trim().length >= 10, `warning ${code} has no clear message: ${JSON.stringify(w)}`);
  return w;
}

function hasFlow(a: Assessment, cwe: number, file: string, line: number, tool?: string): Finding {
  const f = a.findings.find((x) => x.cwe === cwe && x.location.file === file && x.location.line === line);
  const got = a.findings.map((x) => `CWE-${x.cwe} ${x.location.file}:${x.location.line} ${x.primitive.kind} ${x.primitive.name ?? ''}`);
  assert.ok(f, `CWE-${cwe} at ${file}:${line} not found; got:\n  ${got.join('\n  ')}`);
  if (tool !== undefined) assert.deepEqual(f.primitive, { kind: 'tool', name: tool });
  assert.ok(f.trace && f.trace.length >= 2, 'a flow finding carries its trace');
  return f;
}

/** The exit code the CLI must give with the default `--fail-on high`. */
function expectedExit(a: Assessment): number {
  return a.findings.some((f) => atOrAbove(f, 'high')) ? 1 : 0;
}

describe('hostile inputs', () => {
  let tmp: string;
  let cacheDir: string;

  before(async () => {
    tmp = await makeTmp('mcp-risk-hostile-');
    cacheDir = path.join(tmp, 'cache');
  });
  after(() => rmTmp(tmp));

  /** assess() and the CLI on the same target; they must agree, and the CLI must not crash. */
  async function scanBoth(target: string, options: AssessOptions = {}, cliArgs: string[] = []): Promise<Scan> {
    const a = await assess(target, { cacheDir, ...options });
    const cli = await runCli(['scan', target, '--format', 'json', ...cliArgs], { env: { MCP_RISK_CACHE: cacheDir } });
    assertNoCrashOutput(cli, `scan ${path.basename(target)}`);
    assert.ok(cli.code === 0 || cli.code === 1, `exit code ${cli.code}; stderr:\n${cli.stderr}`);
    assert.equal(cli.code, expectedExit(a), 'exit code follows --fail-on high');
    let json: Assessment;
    try {
      json = JSON.parse(cli.stdout) as Assessment;
    } catch {
      assert.fail(`stdout is not JSON:\n${cli.stdout.slice(0, 500)}`);
    }
    assert.deepEqual(json, JSON.parse(toJson(a)), 'the CLI reports what assess() returns');
    // still valid reports, warnings included
    const jsonErrors = assessmentErrors(json);
    assert.equal(jsonErrors.length, 0, describeErrors(jsonErrors));
    const sErrors = sarifErrors(JSON.parse(JSON.stringify(toSarif(a))));
    assert.equal(sErrors.length, 0, describeErrors(sErrors));
    return { a, cli, json };
  }

  // -------------------------------------------------------------------------------------------
  it('a 20 MB minified JavaScript file: skipped above the 5 MiB limit, and still handled with the limit raised', { timeout: 600_000 }, async (t) => {
    const dir = path.join(tmp, 'big');
    // One line, like a bundler's output: a real server first, then ~20 MB of small functions.
    const head =
      'import{McpServer as S}from"@modelcontextprotocol/sdk/server/mcp.js";import{z as Z}from"zod";' +
      'import{execSync as X}from"node:child_process";const s=new S({name:"big",version:"1.0.0"});' +
      's.registerTool("run",{inputSchema:{cmd:Z.string()}},async({cmd:c})=>({content:[{type:"text",text:X("ls "+c).toString()}]}));';
    const parts: string[] = [head];
    let size = head.length;
    for (let i = 1; size < 20_000_000; i++) {
      const s = `var a${i}=function(b,c){return b+c*${i}};a${i}(1,2);`;
      parts.push(s);
      size += s.length;
    }
    const text = parts.join('');
    assert.ok(!text.includes('\n'));
    await writeTree(dir, { 'server.js': text, 'package.json': '{"name":"big-bundle","version":"1.0.0"}' });
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes >= 20_000_000 && bytes < 30_000_000);

    // 1. default limit (5 MiB): skipped before anything reads it
    const d = await scanBoth(dir);
    assert.equal(d.a.partial, true);
    assert.match(warning(d.a, 'file-too-large', 'server.js').message, /19\.\d MiB.*5 MiB/);
    assert.equal(d.a.stats.files, 0);
    assert.deepEqual(d.a.findings, []);
    assert.equal(d.cli.code, 0);
    t.diagnostic(`default limit: CLI ${Math.round(d.cli.ms)} ms`);

    // 2. maxFileBytes raised to 30 MB: under the size limit, but the minified-bundle heuristic
    //    skips it (a default exclusion: a warning, and — as documented in walk.ts — not partial)
    const r = await scanBoth(dir, { maxFileBytes: 30_000_000 }, ['--max-file-bytes', '30000000']);
    warning(r.a, 'minified-file', 'server.js');
    assert.ok(!r.a.warnings.some((w) => w.code === 'file-too-large'));
    assert.equal(r.a.stats.files, 0);
    assert.equal(r.cli.code, 0);
    t.diagnostic(`30 MB limit: CLI ${Math.round(r.cli.ms)} ms`);

    // 3. 30 MB limit and --include: really parsed and analysed, in process (the CLI takes the same path).
    //    Measured (2 cores, shared with other jobs; 5 runs): parse 18-35 s, analysis 10-22 s, total 28-55 s
    //    (the CLI: 38 s wall), 350,572 functions, ~3.8 GB RSS (tree-sitter's tree and the IR of the whole
    //    file). Under the 60 s budget, so the time is logged (t.diagnostic), not asserted.
    let stats: { parseMs: number; analysisMs: number; files: number; bytes: number } | undefined;
    const t0 = performance.now();
    const big = await assess(dir, { cacheDir, maxFileBytes: 30_000_000, include: ['server.js'], onStats: (s) => (stats = s) });
    const ms = performance.now() - t0;
    t.diagnostic(
      `20 MB parsed: total ${Math.round(ms)} ms, parse ${Math.round(stats?.parseMs ?? NaN)} ms, ` +
        `analysis ${Math.round(stats?.analysisMs ?? NaN)} ms, ${big.stats.functions} functions, ` +
        `rss ${Math.round(process.memoryUsage().rss / MiB)} MiB`,
    );
    assert.equal(big.stats.files, 1);
    assert.equal(big.stats.bytes, bytes);
    assert.equal(big.stats.lines, 1);
    if (big.partial) warning(big, 'analysis-budget'); // allowed, but then said
    // the flow at the start of the bundle is found, and its snippet is not the whole 20 MB line
    const f = hasFlow(big, 78, 'server.js', 1, 'run');
    assert.ok(f.snippet.length < 1000, `snippet of ${f.snippet.length} chars`);
    for (const s of f.trace ?? []) assert.ok((s.snippet ?? '').length < 1000);
    assert.ok(toJson(big).length < 100_000, 'the report does not carry the bundle');
  });

  // -------------------------------------------------------------------------------------------
  // -------------------------------------------------------------------------------------------
  it(
    'a hand-written server padded with one long first line is not silently dropped as "minified"',
    async () => {
      const dir = path.join(tmp, 'padded');
      const src = serverWithFlow('padded');
      await writeTree(dir, { 'src/index.js': `// ${'x'.repeat(300_000)}\n${src}` });
      const { a } = await scanBoth(dir);
      const found = a.findings.some((f) => f.cwe === 78 && f.location.file === 'src/index.js');
      assert.ok(found || a.partial, `dropped without saying the result is partial: ${warningsText(a.warnings)}`);
    },
  );

  // -------------------------------------------------------------------------------------------
  it('5,000-deep nesting (calls, arrays, if blocks): depth-limit warnings, and the flow in another file is still found', { timeout: 120_000 }, async () => {
    const dir = path.join(tmp, 'deep');
    const N = 5000;
    const deepCall = `const deepCall = ${'a('.repeat(N)}1${')'.repeat(N)};\n`;
    const deepArray = `const deepArray = ${'['.repeat(N)}${']'.repeat(N)};\n`;
    const deepIf = `export function deepIf(x) {\n${'if (x) {\n'.repeat(N)}x++;\n${'}\n'.repeat(N)}}\n`;
    const index =
      `${SERVER_IMPORTS}import { runIt } from "./run.js";\n` +
      `function a(v) { return v; }\n` +
      deepCall +
      `const server = new McpServer({ name: "deep", version: "1.0.0" });\n` +
      `server.registerTool("run", { inputSchema: { cmd: z.string() } }, async ({ cmd }) => {\n` +
      `  const out = runIt(cmd);\n` +
      `  return { content: [{ type: "text", text: out }] };\n` +
      `});\n` +
      deepArray +
      deepIf +
      `await server.connect(new StdioServerTransport());\n`;
    const run = `import { execSync } from "node:child_process";\n\nexport function runIt(c) {\n  return execSync("git log " + c).toString();\n}\n`;
    await writeTree(dir, {
      'src/index.js': index,
      'src/run.js': run,
      // each kind of nesting alone, so each is shown to hit the limit by itself
      'src/nest-call.js': `function a(v) { return v; }\n${deepCall}`,
      'src/nest-array.js': deepArray,
      'src/nest-if.js': deepIf,
    });
    const { a } = await scanBoth(dir);
    assert.equal(a.partial, true);
    for (const file of ['src/index.js', 'src/nest-call.js', 'src/nest-array.js', 'src/nest-if.js']) {
      assert.match(warning(a, 'depth-limit', file).message, /nesting deeper than \d+ levels at line \d+/);
    }
    assert.ok(!a.warnings.some((w) => w.code === 'parse-error'), warningsText(a.warnings));
    // the code after the deep expression is still lowered: tool registered below deepCall, flow in run.js
    assert.deepEqual(
      a.surface.tools.map((x) => x.name),
      ['run'],
    );
    hasFlow(a, 78, 'src/run.js', lineOf(run, 'execSync("git'), 'run');
  });

  // -------------------------------------------------------------------------------------------
  it('a binary file named server.js: skipped as binary, the real server beside it analysed', async () => {
    const dir = path.join(tmp, 'binary');
    const blob = randomBytes(64 * 1024);
    blob[0] = 0x7f; // not a text file whatever the random bytes are
    blob[100] = 0;
    blob[5000] = 0;
    const src = serverWithFlow('binary');
    await writeTree(dir, { 'server.js': blob, 'src/index.js': src });
    const { a } = await scanBoth(dir);
    assert.equal(a.partial, true);
    assert.match(warning(a, 'binary-file', 'server.js').message, /binary/);
    assert.equal(a.stats.files, 1);
    hasFlow(a, 78, 'src/index.js', lineOf(src, 'execSync("ls'), 'run');
  });

  // -------------------------------------------------------------------------------------------
  it('invalid UTF-8 inside a .js file: warning invalid-utf8, the flow in that file still found at the right line', async () => {
    const dir = path.join(tmp, 'utf8');
    const src = serverWithFlow('utf8');
    const cut = src.indexOf('const server');
    // lone continuation bytes, a truncated sequence, an overlong encoding, a UTF-16 surrogate, 0xff
    const bad = Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x0a]);
    const badString = Buffer.concat([Buffer.from('const label = "'), Buffer.from([0x80, 0x81, 0xbf]), Buffer.from('";\n')]);
    const bytes = Buffer.concat([Buffer.from(src.slice(0, cut)), bad, badString, Buffer.from(src.slice(cut))]);
    await writeTree(dir, { 'src/index.js': bytes });
    const { a } = await scanBoth(dir);
    warning(a, 'invalid-utf8', 'src/index.js');
    // nothing was skipped: bytes were replaced, the file was analysed
    assert.equal(a.partial, false, warningsText(a.warnings));
    assert.equal(a.stats.files, 1);
    const line = lineOf(src, 'execSync("ls') + 2; // two lines were inserted above
    const f = hasFlow(a, 78, 'src/index.js', line, 'run');
    assert.match(f.snippet, /execSync\("ls " \+ cmd\)/);
  });

  // -------------------------------------------------------------------------------------------
  it('symlink loops in the target folder: not followed, symlink-loop warnings, the server analysed once', async () => {
    const dir = path.join(tmp, 'loops');
    const src = serverWithFlow('loops');
    await writeTree(dir, { 'src/index.js': src, 'src/sub/util.js': 'export const x = 1;\n' });
    await fs.symlink('self', path.join(dir, 'self')); // itself
    await fs.symlink('b', path.join(dir, 'a')); // a → b → a
    await fs.symlink('a', path.join(dir, 'b'));
    await fs.symlink('..', path.join(dir, 'src', 'sub', 'up')); // an enclosing folder
    await fs.symlink('../..', path.join(dir, 'src', 'sub', 'root'));
    const { a } = await scanBoth(dir);
    assert.equal(a.partial, true);
    for (const f of ['self', 'a', 'b', 'src/sub/up', 'src/sub/root']) warning(a, 'symlink-loop', f);
    assert.equal(a.stats.files, 2, 'each real file once');
    hasFlow(a, 78, 'src/index.js', lineOf(src, 'execSync("ls'), 'run');
    assert.equal(a.findings.filter((f) => f.cwe === 78).length, 1, 'not reported again through a link');
  });

  // -------------------------------------------------------------------------------------------
  it('a .tgz with ../ entries, an absolute path, symlinks and hard links: nothing written outside the extraction folder', async () => {
    const dir = path.join(tmp, 'tar');
    const outsideDir = path.join(dir, 'outside');
    await fs.mkdir(outsideDir, { recursive: true });
    const id = randomBytes(4).toString('hex');
    const src = serverWithFlow('tarball');
    const absEntry = path.join(dir, `abs-escape-${id}.js`);
    assert.ok(absEntry.length < 100, 'fits a ustar name field');
    const tgz = path.join(dir, 'hostile.tgz');
    await fs.writeFile(
      tgz,
      rawTgz([
        { path: 'package/', type: '5' },
        { path: 'package/package.json', data: '{"name":"hostile-tgz","version":"6.6.6"}' },
        { path: 'package/src/index.js', data: src },
        { path: `../dotdot-${id}.js`, data: 'pwned();\n' },
        { path: `package/../../../../../../../../../../../../dotdot-deep-${id}.js`, data: 'pwned();\n' },
        { path: absEntry, data: 'pwned();\n' },
        { path: 'package/src/passwd.js', type: '2', linkpath: '/etc/passwd' },
        { path: 'package/src/up', type: '2', linkpath: '../../../..' },
        { path: `package/src/up/through-link-${id}.js`, data: 'pwned();\n' },
        { path: 'package/lib', type: '2', linkpath: outsideDir },
        { path: `package/lib/planted-${id}.js`, data: 'pwned();\n' },
        { path: 'package/src/shadow.js', type: '1', linkpath: '/etc/passwd' },
        { path: 'package/src/again.js', type: '1', linkpath: 'package/src/index.js' },
      ]),
    );
    const before = new Set(await listAll(tmp));
    const { a, cli } = await scanBoth(tgz, {}, ['--cache-dir', path.join(tmp, 'cache-cli')]);

    assert.deepEqual(a.target, { input: tgz, kind: 'npm', name: 'hostile-tgz', version: '6.6.6' });
    assert.equal(a.partial, true);
    const codes = a.warnings.map((w) => w.code);
    assert.equal(codes.filter((c) => c === 'archive-unsafe-path').length, 3, warningsText(a.warnings));
    assert.equal(codes.filter((c) => c === 'archive-link-skipped').length, 5, warningsText(a.warnings));
    for (const w of a.warnings.filter((x) => x.code.startsWith('archive-'))) assert.match(w.message, /skipped/);
    assert.ok(a.warnings.some((w) => /hard link .*shadow\.js/.test(w.message)));
    assert.ok(a.warnings.some((w) => /symbolic link .*passwd\.js -> \/etc\/passwd/.test(w.message)));
    assert.ok(a.warnings.some((w) => w.message.includes(absEntry) && /absolute/.test(w.message)));
    hasFlow(a, 78, 'src/index.js', lineOf(src, 'execSync("ls'), 'run');
    assert.equal(cli.code, 1);

    // Nothing outside the two caches changed; nothing escaped at all.
    const added = (await listAll(tmp)).filter((p) => !before.has(p));
    const outsideCaches = added.filter((p) => !/^(?:cache|cache-cli)(?:\/|$)/.test(p));
    assert.deepEqual(outsideCaches, []);
    assert.deepEqual(await fs.readdir(outsideDir), [], 'nothing planted through the lib → outside link');
    const escaped = [absEntry, path.join(path.dirname(tmp), `dotdot-${id}.js`), path.resolve('..', `dotdot-${id}.js`), `/dotdot-deep-${id}.js`];
    for (const p of escaped) {
      assert.equal(await exists(p), false, `${p} was written`);
    }
    for (const c of ['cache', 'cache-cli']) {
      const entries = await fs.readdir(path.join(tmp, c, 'archive'));
      assert.equal(entries.length, 1);
      const tree = path.join(tmp, c, 'archive', entries[0]!, 'tree');
      const all = await listAll(tree);
      assert.ok(!all.some((p) => /dotdot|abs-escape|shadow|again|passwd/.test(p)), all.join('\n'));
      for (const p of all) {
        const st = await fs.lstat(path.join(tree, p));
        assert.ok(!st.isSymbolicLink(), `symlink written: ${p}`);
        if (st.isFile()) assert.equal(st.nlink, 1, `hard link written: ${p}`);
      }
      // files below a skipped link were written inside the tree, in a plain folder of that name
      for (const p of all.filter((x) => x.includes('through-link'))) assert.ok(p.startsWith('package/src/up/'), p);
      for (const p of all.filter((x) => x.includes('planted'))) assert.ok(p.startsWith('package/lib/'), p);
      assert.deepEqual(await listAll(path.join(tmp, c, 'tmp')), [], 'no work folder left behind');
    }

    // A second scan reads the cached tree and says the same
    const again = await runCli(['scan', tgz, '--format', 'json', '--cache-dir', path.join(tmp, 'cache-cli')]);
    assertNoCrashOutput(again, 'cached tgz');
    assert.equal(again.code, 1);
    assert.equal(again.stdout, cli.stdout);
  });

  // -------------------------------------------------------------------------------------------
  it('a file with syntax errors: parse-error warnings, partial, the other files analysed', async () => {
    const dir = path.join(tmp, 'syntax');
    const src = serverWithFlow('syntax');
    await writeTree(dir, {
      'src/broken.js': 'function ( { let = ;; }}} export const x = \nclass { if while ) (\n',
      'src/index.js': src,
      'src/util.ts': 'export function ok(a: string): string { return a; }\n',
    });
    const { a } = await scanBoth(dir);
    assert.equal(a.partial, true);
    assert.match(warning(a, 'parse-error', 'src/broken.js').message, /syntax error/);
    assert.ok(!a.warnings.some((w) => w.file !== 'src/broken.js'), warningsText(a.warnings));
    const texts = a.warnings.map((w) => `${w.code} ${w.file} ${w.message}`);
    assert.deepEqual(texts, [...new Set(texts)], 'no duplicate warnings');
    assert.equal(a.stats.files, 3);
    hasFlow(a, 78, 'src/index.js', lineOf(src, 'execSync("ls'), 'run');
  });

  // -------------------------------------------------------------------------------------------
  it('an empty folder: nothing to analyse, said with a no-source-files warning, exit 0', async () => {
    const dir = path.join(tmp, 'empty');
    await fs.mkdir(dir);
    const { a, cli } = await scanBoth(dir);
    assert.deepEqual(a.findings, []);
    assert.equal(a.stats.files, 0);
    assert.equal(cli.code, 0);
    warning(a, 'no-source-files');
    assert.equal(a.partial, false, 'nothing was skipped');
    // and in the terminal report too
    const term = await runCli(['scan', dir]);
    assertNoCrashOutput(term, 'terminal');
    assert.equal(term.code, 0);
    assert.match(term.stdout, /no-source-files/);
  });

  // -------------------------------------------------------------------------------------------
  it('a missing target: exit code 2 and "target not found", no stack trace', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    const r = await runCli(['scan', missing, '--format', 'json']);
    assertNoCrashOutput(r, 'missing');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^mcp-risk: target not found: /);
    assert.ok(r.stderr.includes(missing));
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    await assert.rejects(assess(missing), (e: unknown) => e instanceof UserError && e.exitCode === 2 && /target not found/.test(e.message));
  });
});
