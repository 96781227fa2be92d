/**
 * The command line as a user runs it (`node build/src/cli.js …`, no TTY): exit codes, what goes to
 * stdout/stderr, `-o`, `surface`, deterministic and machine-independent reports.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assessment } from '../../src/model.js';
import { byteSize } from '../../src/cli.js';
import { makeTmp, rawTgz, rmTmp, type RawEntry } from '../acquire/util.js';
import { fromRoot, repoRoot } from '../helpers.js';
import { assertNoCrashOutput, CLI, runCli, type CliResult } from './run.js';

const VULN = 'test/fixtures/servers/78-git-tools-sdk-vuln';
const SAFE = 'test/fixtures/servers/78-git-tools-sdk-safe';
/** Only medium findings: under the default --fail-on high. */
const MEDIUM_ONLY = 'test/fixtures/servers/770-testdata-cjs-vuln';
const EXAMPLE = 'examples/vulnerable-server';

async function cli(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<CliResult> {
  const r = await runCli(args, opts);
  assertNoCrashOutput(r, args.join(' '));
  return r;
}

/** A usage/input error: exit 2, a message on stderr, nothing on stdout. */
async function usageError(args: string[], message: RegExp): Promise<void> {
  const r = await cli(args);
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
}

describe('exit codes', () => {
  it('1 on the vulnerable git-tools server with the default --fail-on high', async () => {
    const r = await cli(['scan', VULN]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /CRITICAL CWE-78/);
    assert.match(r.stdout, /^Summary: 3 findings — 3 critical, 0 high/m);
  });

  it('0 on its safe twin, and 0 on the vulnerable one with --fail-on none', async () => {
    const safe = await cli(['scan', SAFE]);
    assert.equal(safe.code, 0, safe.stdout);
    assert.doesNotMatch(safe.stdout, /CWE-78/);
    const none = await cli(['scan', VULN, '--fail-on', 'none']);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /CRITICAL CWE-78/, 'the findings are still reported');
  });

  it('--fail-on sets the threshold: medium findings pass "high" and fail "medium"', async () => {
    assert.equal((await cli(['scan', MEDIUM_ONLY])).code, 0);
    assert.equal((await cli(['scan', MEDIUM_ONLY, '--fail-on', 'high'])).code, 0);
    assert.equal((await cli(['scan', MEDIUM_ONLY, '--fail-on', 'medium'])).code, 1);
    assert.equal((await cli(['scan', VULN, '--fail-on', 'critical'])).code, 1);
    // the format does not change the exit code
    assert.equal((await cli(['scan', VULN, '--format', 'json'])).code, 1);
    assert.equal((await cli(['scan', VULN, '--format', 'sarif'])).code, 1);
  });

  it('2 on an unknown option', async () => {
    await usageError(['scan', VULN, '--bogus'], /unknown option '--bogus'/);
  });

  it('2 on a size option that is not a size above 0; units are read', async () => {
    for (const v of ['abc', '0', '-5', '1.5', '12XB']) {
      const r = await runCli(['scan', VULN, '--max-file-bytes', v]);
      assert.equal(r.code, 2, v);
      assert.match(r.stderr, /expected a size above 0/, v);
    }
    assert.deepEqual(['500000', '64KiB', '2M', '1 gib', '7b'].map(byteSize), [500000, 65536, 2 * 1024 ** 2, 1024 ** 3, 7]);
    const small = await runCli(['scan', VULN, '--format', 'json', '--max-total-bytes', '1KiB', '--fail-on', 'none']);
    assert.equal(small.code, 0, small.stderr);
    const doc = JSON.parse(small.stdout) as Assessment;
    assert.equal(doc.partial, true);
    assert.ok(doc.warnings.some((w) => w.code === 'total-size-limit'));
  });

  it('2 on an unknown format or --fail-on value', async () => {
    await usageError(['scan', VULN, '--format', 'xml'], /argument 'xml' is invalid.*terminal, json, sarif/);
    await usageError(['scan', VULN, '--fail-on', 'sometimes'], /argument 'sometimes' is invalid/);
  });

  it('2 on a missing target (argument absent, or path not found) and an unknown command', async () => {
    await usageError(['scan'], /missing required argument: a target/);
    await usageError(['scan', 'no/such/folder'], /^mcp-risk: target not found: no\/such\/folder\n$/);
    await usageError(['surface', './nowhere'], /target not found/);
    await usageError(['bogus'], /unknown command 'bogus'/);
  });

  it('0 for --version and --help', async () => {
    const v = await cli(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = await cli(['scan', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--fail-on/);
  });

  it(
    '2 when no command is given (help is shown as an error)',
    async () => {
      const r = await cli([]);
      assert.match(r.stderr, /Usage: mcp-risk/);
      assert.equal(r.code, 2);
    },
  );
});

describe('output', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTmp('mcp-risk-cli-');
  });
  after(() => rmTmp(tmp));

  it('terminal output has no colours when stdout is not a TTY, and nothing on stderr', async () => {
    const r = await cli(['scan', VULN]);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.length > 500);
    assert.doesNotMatch(r.stdout, /\u001b/, 'no escape sequences');
    assert.match(r.stdout, /^mcp-risk \d+\.\d+\.\d+ — @acme\/git-tools-mcp 0\.3\.1 \(folder: test\/fixtures\/servers\/78-git-tools-sdk-vuln\)$/m);
    assert.match(r.stdout, /^ {2}Tools \(2\) {6}git_log, git_blame$/m);
    assert.match(r.stdout, /Trace:\n\s+1\. source/);
    // --no-color says the same
    assert.equal((await cli(['scan', VULN, '--no-color'])).stdout, r.stdout);
  });

  it('--format json -o file writes the report to the file and nothing to stdout', async () => {
    const file = path.join(tmp, 'report.json');
    const r = await cli(['scan', VULN, '--format', 'json', '-o', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
    const text = await fs.readFile(file, 'utf8');
    const a = JSON.parse(text) as Assessment;
    assert.equal(a.schemaVersion, '1.0.0');
    assert.equal(a.target.name, '@acme/git-tools-mcp');
    assert.equal(a.findings.length, 3);
    assert.ok(text.endsWith('}\n'));
    // same bytes as on stdout
    assert.equal((await cli(['scan', VULN, '--format', 'json'])).stdout, text);
    // --output, SARIF, and a terminal report written to a file has no colours either
    const sarif = path.join(tmp, 'report.sarif');
    await cli(['scan', VULN, '--format', 'sarif', '--output', sarif]);
    assert.equal((JSON.parse(await fs.readFile(sarif, 'utf8')) as { version: string }).version, '2.1.0');
    const txt = path.join(tmp, 'report.txt');
    await cli(['scan', VULN, '-o', txt]);
    assert.doesNotMatch(await fs.readFile(txt, 'utf8'), /\u001b/);
  });

  it('several targets: one JSON document per line, in order, the same as one scan each; errors as lines; exit codes', async () => {
    const file = path.join(tmp, 'many.jsonl');
    const r = await cli(['scan', VULN, path.join(tmp, 'no-such-server'), SAFE, '--format', 'json', '-o', file]);
    assert.equal(r.code, 1, 'a high finding decides the exit code');
    assert.equal(r.stdout, '');
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 3);
    const [a, err, b] = lines.map((l) => JSON.parse(l) as Assessment & { error?: string; target: unknown });
    assert.deepEqual(a, JSON.parse((await cli(['scan', VULN, '--format', 'json'])).stdout));
    assert.deepEqual(b, JSON.parse((await cli(['scan', SAFE, '--format', 'json'])).stdout));
    assert.match(String(err!.error), /not found/);
    assert.equal(err!.target, path.join(tmp, 'no-such-server'));
    // safe targets and a missing one: 2; safe only: 0; terminal reports one after the other
    assert.equal((await cli(['scan', SAFE, path.join(tmp, 'nope'), '--format', 'json'])).code, 2);
    const t = await cli(['scan', SAFE, SAFE, '--no-color']);
    assert.equal(t.code, 0);
    assert.equal(t.stdout.match(/^mcp-risk \d/gm)?.length, 2);
    await usageError(['scan', VULN, SAFE, '--format', 'sarif'], /one target at a time/);
    // --targets-from: a list file (comments, blank lines), after the arguments
    const list = path.join(tmp, 'targets.txt');
    await fs.writeFile(list, `# servers\n${SAFE}\n\n${VULN}  # the vulnerable one\n`);
    const fromFile = await cli(['scan', SAFE, '--targets-from', list, '--format', 'json']);
    assert.equal(fromFile.code, 1);
    assert.deepEqual(
      fromFile.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Assessment).target.input),
      [SAFE, SAFE, VULN],
    );
    await usageError(['scan', '--targets-from', path.join(tmp, 'missing.txt')], /cannot read/);
    // many targets written to a file keep their order (writes are not left to race)
    const pyRoot = 'test/fixtures/python-servers';
    const many = (await fs.readdir(pyRoot)).filter((d) => !d.includes('.')).sort().map((d) => `${pyRoot}/${d}`);
    const manyFile = path.join(tmp, 'many-py.jsonl');
    await cli(['scan', ...many, '--format', 'json', '-o', manyFile, '--fail-on', 'none']);
    const order = (await fs.readFile(manyFile, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as Assessment).target.input);
    assert.deepEqual(order, many);
    // a write that fails (a full disk) is an input/output error, not a crash and not a findings exit code
    if (existsSync('/dev/full')) await usageError(['scan', ...many, '--format', 'json', '-o', '/dev/full'], /cannot write \/dev\/full: ENOSPC/);
  });

  it('-o into a folder that does not exist: fails without a stack trace and without looking like a scan result', async () => {
    const out = path.join(tmp, 'no', 'such', 'dir', 'r.json');
    const r = await runCli(['scan', VULN, '--format', 'json', '-o', out]);
    assert.equal(r.signal, null);
    assert.doesNotMatch(r.stderr, /^\s*at\s.*:\d+:\d+\)?\s*$/m, 'no stack trace');
    assert.ok(r.code !== 0 && r.code !== 1, `exit ${r.code}: a failed write must not look like a scan result`);
    assert.match(r.stderr, /ENOENT|no such file/);
    assert.ok(r.stderr.includes(out), 'names the file');
  });

  it(
    '-o into a folder that does not exist is an input error (exit 2), not an internal error (exit 3)',
    async () => {
      const r = await cli(['scan', VULN, '--format', 'json', '-o', path.join(tmp, 'no', 'such', 'dir', 'r.json')]);
      assert.equal(r.code, 2);
    },
  );

  it('host and landscape compare -o into a missing folder: exit 2 with one line, like scan', async () => {
    const cfg = path.join(tmp, 'host-o.json');
    await fs.writeFile(cfg, JSON.stringify({ mcpServers: { a: { command: 'npx', args: ['-y', 'x-mcp@1.0.0'] } } }));
    const out = path.join(tmp, 'no', 'such', 'dir', 'h.json');
    const r = await runCli(['host', '--config', cfg, '--offline', '--no-registry-checks', '--format', 'json', '-o', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `mcp-risk: cannot write ${out}: ENOENT\n`);
  });

  it('a reader that goes away (| head) ends the run quietly: no EPIPE trace', async () => {
    for (const format of ['json', 'terminal']) {
      const child = spawn(process.execPath, [CLI, 'scan', VULN, '--format', format, '--fail-on', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // before anything is written: every write fails with EPIPE
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = (await once(child, 'close')) as [number | null];
      assert.equal(stderr, '', format);
      assert.equal(code, 0, format);
    }
  });

  it('surface prints the tools, prompts and transports', async () => {
    const r = await cli(['surface', VULN]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.match(r.stdout, /^Tools \(2\)$/m);
    assert.match(r.stdout, /^ {2}git_log “Git log” {2}server\.registerTool, src\/index\.ts:16$/m);
    assert.match(r.stdout, /^ {2}git_blame /m);
    assert.match(r.stdout, /^ {4}- file: string, required/m);
    assert.match(r.stdout, /^Prompts \(1\)\n {2}review_commit /m);
    assert.match(r.stdout, /^Transports \(1\)\n {2}stdio/m);
    assert.doesNotMatch(r.stdout, /CWE-/, 'surface is not a scan');
    const j = await cli(['surface', VULN, '--format', 'json']);
    const s = JSON.parse(j.stdout) as Pick<Assessment, 'target' | 'surface'>;
    assert.deepEqual(
      s.surface.tools.map((t) => t.name),
      ['git_log', 'git_blame'],
    );
    assert.deepEqual(
      s.surface.prompts.map((t) => t.name),
      ['review_commit'],
    );
  });

  it('JSON and SARIF of the same target are byte-identical across runs', async () => {
    for (const target of [VULN, EXAMPLE]) {
      for (const format of ['json', 'sarif']) {
        const a = await cli(['scan', target, '--format', format]);
        const b = await cli(['scan', target, '--format', format]);
        assert.ok(a.stdout.length > 1000);
        assert.equal(a.stdout, b.stdout, `${format} of ${target} differs between runs`);
      }
    }
  });

  it('no absolute path of the machine appears in JSON or SARIF (folder and tarball targets)', async () => {
    // a tarball of the vulnerable fixture, scanned by a relative path with a relative cache folder
    const files: RawEntry[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const e of (await fs.readdir(dir, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : 1))) {
        if (e.isDirectory()) await walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else files.push({ path: `package/${rel}${e.name}`, data: readFileSync(path.join(dir, e.name)) });
      }
    };
    await walk(fromRoot(VULN), '');
    await fs.writeFile(path.join(tmp, 'git-tools.tgz'), rawTgz(files));

    const machine = [repoRoot, tmp, os.tmpdir(), os.homedir(), process.cwd()].filter((p) => p.length > 1);
    const runs: [string, string[], string][] = [
      [VULN, [], repoRoot],
      [EXAMPLE, [], repoRoot],
      ['./git-tools.tgz', ['--cache-dir', 'cache'], tmp],
    ];
    for (const [target, extra, cwd] of runs) {
      for (const format of ['json', 'sarif']) {
        const r = await cli(['scan', target, '--format', format, ...extra], { cwd });
        assert.equal(r.code, 1, r.stderr);
        for (const p of machine) assert.ok(!r.stdout.includes(p), `${format} of ${target} contains ${p}`);
        const abs: string[] = [];
        const visit = (v: unknown, at: string): void => {
          if (typeof v === 'string') {
            // (a resource template such as `file://{path}` is the server's own text, not a path of this machine)
            if (path.isAbsolute(v) || /^file:\/\/\//i.test(v) || /^[A-Za-z]:[\\/]/.test(v)) abs.push(`${at} = ${v}`);
          } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}/${i}`));
          else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, `${at}/${k}`);
        };
        visit(JSON.parse(r.stdout), '');
        assert.deepEqual(abs, [], `${format} of ${target}`);
      }
    }
    // the tarball really was unpacked in the relative cache folder
    assert.ok((await fs.readdir(path.join(tmp, 'cache', 'archive'))).length === 1);
  });
});
