/**
 * Python benchmark: mcp-risk against Bandit, side by side in one run, on the Python fixture servers
 * (test/fixtures/python-servers/*, whose expected.json files list the known weaknesses exactly) plus a larger
 * generated set of variants of them.
 *
 *   npm run bench:bandit -- [--lines N] [--repeat N] [--workers N] [--bandit PATH] [--no-risk] [--keep] [--verbose] [--out FILE]
 *
 * 1. Bandit is found (`--bandit`, `$BANDIT`, or `bandit` on PATH) and its version read; a clear message says how
 *    to install it when it is missing (Debian/Ubuntu package `bandit`).
 * 2. A corpus is written to a temporary folder: `fixtures/<name>/…` (the fixture servers as they are) and
 *    `generated/v<k>/<name>/…` (variants: server names, tool names in registrations, and a header changed), until
 *    the Python files reach `--lines` lines (default 50 000). Lines are counted as mcp-risk counts them
 *    (`text.split('\n').length` per non-empty file).
 * 3. Bandit's start-up is measured on an empty folder (best of 2).
 * 4. Every run is a fresh process timed by wall clock from the outside, start-up included, as a user or a CI job
 *    runs it: Bandit once over the whole corpus (`bandit -r -f json -q -o FILE <corpus>`; it has no parallel mode);
 *    mcp-risk (bench/lib/assess-child.ts) in three ways over the same server folders, each the full pipeline
 *    (acquire, parse, surface, taint analysis, rules and, unless --no-risk, the risk stage):
 *      one thread     assess() on each folder in turn on the main thread; then a second pass in the same process
 *                     is timed as the warm figure (the JIT has compiled the hot code: long landscape runs);
 *      parse thread   assessMany(): the next folders are parsed on a parse thread while one is analysed;
 *      CLI            `mcp-risk scan --targets-from FILE --format json -o FILE`: the same through the command line,
 *                     writing every report (one JSON document per line), as a user runs it;
 *      workers        --workers N worker threads (default: the cores) taking folders from a shared counter.
 *    The parallel runs must find exactly what the one-thread run finds (checked). With --repeat N the fastest of N
 *    runs of each counts.
 * 5. Detection on the fixture folders: a weakness of an expected.json is found by mcp-risk when a finding (not
 *    `info`) has its CWE, file and line; by Bandit when a result in the same file lies within the lines of that call
 *    and its test maps to the CWE (Bandit ≥ 1.7.3 gives `issue_cwe`; older versions get the table below, which is the
 *    one Bandit itself adopted). Every fixture is exact, so any other scored result is a false positive — on a safe
 *    twin that is the flow-only distinction a pattern matcher cannot make (a constant command vs a tool argument, a
 *    pickle of the server's own cache, a checked table name in SQL text). Import warnings (B4xx), asserts and
 *    partial-path hints are not scored.
 * 6. The summary is printed; bench/results/bandit.json gets everything.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parserKind } from '../src/languages/native.js';
import type { ChildFinding, ChildOutput, ChildTarget } from './lib/assess-child.js';
import { VERSION } from '../src/version.js';
import { repoRoot } from './lib/corpus.js';

// ---------------------------------------------------------------------------------------------- options

interface Options {
  lines: number;
  repeat: number;
  /** Worker threads for the parallel mcp-risk run (0: none). */
  workers: number;
  bandit: string;
  noRisk: boolean;
  keep: boolean;
  verbose: boolean;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    lines: 50_000,
    repeat: 1,
    workers: os.availableParallelism(),
    bandit: process.env.BANDIT || 'bandit',
    noRisk: false,
    keep: false,
    verbose: false,
    out: path.join(repoRoot(), 'bench', 'results', 'bandit.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n < 1) throw new Error(`${a} needs a positive number`);
      return Math.floor(n);
    };
    if (a === '--lines') opts.lines = num();
    else if (a === '--repeat') opts.repeat = num();
    else if (a === '--workers') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error('--workers needs a whole number (0: no parallel run)');
      opts.workers = n;
    }
    else if (a === '--bandit') opts.bandit = argv[++i] ?? '';
    else if (a === '--no-risk') opts.noRisk = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--out') opts.out = path.resolve(argv[++i] ?? '');
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench:bandit -- [--lines N] [--repeat N] [--workers N] [--bandit PATH] [--no-risk] [--keep] [--verbose] [--out FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown option: ${a}`);
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------- Bandit tests → CWE

/**
 * Bandit test ids: the CWE Bandit gives them (the `issue_cwe` of Bandit ≥ 1.7.3) and the weakness classes of
 * expected.json they can stand for (empty: not scored — audit hints without a place, such as imports).
 */
const BANDIT_TESTS: Record<string, { cwe: number; classes: number[]; name: string }> = {
  B101: { cwe: 703, classes: [], name: 'assert_used' },
  B102: { cwe: 78, classes: [94, 95], name: 'exec_used' },
  B103: { cwe: 732, classes: [], name: 'set_bad_file_permissions' },
  B104: { cwe: 605, classes: [], name: 'hardcoded_bind_all_interfaces' },
  B105: { cwe: 259, classes: [798], name: 'hardcoded_password_string' },
  B106: { cwe: 259, classes: [798], name: 'hardcoded_password_funcarg' },
  B107: { cwe: 259, classes: [798], name: 'hardcoded_password_default' },
  B108: { cwe: 377, classes: [377], name: 'hardcoded_tmp_directory' },
  B110: { cwe: 703, classes: [], name: 'try_except_pass' },
  B112: { cwe: 703, classes: [], name: 'try_except_continue' },
  B113: { cwe: 400, classes: [], name: 'request_without_timeout' },
  B201: { cwe: 94, classes: [94], name: 'flask_debug_true' },
  B202: { cwe: 22, classes: [22], name: 'tarfile_unsafe_members' },
  B301: { cwe: 502, classes: [502], name: 'pickle' },
  B302: { cwe: 502, classes: [502], name: 'marshal' },
  B303: { cwe: 327, classes: [327, 328], name: 'md5' },
  B304: { cwe: 327, classes: [327], name: 'ciphers' },
  B305: { cwe: 327, classes: [327], name: 'cipher_modes' },
  B306: { cwe: 377, classes: [377], name: 'mktemp_q' },
  B307: { cwe: 78, classes: [94, 95], name: 'eval' },
  B308: { cwe: 79, classes: [], name: 'mark_safe' },
  B310: { cwe: 22, classes: [918, 22], name: 'urllib_urlopen' },
  B311: { cwe: 330, classes: [330], name: 'random' },
  B312: { cwe: 319, classes: [], name: 'telnetlib' },
  B313: { cwe: 20, classes: [611], name: 'xml_bad_cElementTree' },
  B314: { cwe: 20, classes: [611], name: 'xml_bad_ElementTree' },
  B315: { cwe: 20, classes: [611], name: 'xml_bad_expatreader' },
  B316: { cwe: 20, classes: [611], name: 'xml_bad_expatbuilder' },
  B317: { cwe: 20, classes: [611], name: 'xml_bad_sax' },
  B318: { cwe: 20, classes: [611], name: 'xml_bad_minidom' },
  B319: { cwe: 20, classes: [611], name: 'xml_bad_pulldom' },
  B320: { cwe: 20, classes: [611], name: 'xml_bad_etree' },
  B321: { cwe: 319, classes: [], name: 'ftplib' },
  B323: { cwe: 295, classes: [295], name: 'unverified_context' },
  B324: { cwe: 327, classes: [327, 328], name: 'hashlib_insecure_functions' },
  B501: { cwe: 295, classes: [295], name: 'request_with_no_cert_validation' },
  B502: { cwe: 327, classes: [327], name: 'ssl_with_bad_version' },
  B503: { cwe: 327, classes: [327], name: 'ssl_with_bad_defaults' },
  B504: { cwe: 327, classes: [327], name: 'ssl_with_no_version' },
  B505: { cwe: 326, classes: [], name: 'weak_cryptographic_key' },
  B506: { cwe: 20, classes: [502], name: 'yaml_load' },
  B507: { cwe: 295, classes: [295], name: 'ssh_no_host_key_verification' },
  B601: { cwe: 78, classes: [78], name: 'paramiko_calls' },
  B602: { cwe: 78, classes: [78], name: 'subprocess_popen_with_shell_equals_true' },
  B603: { cwe: 78, classes: [78, 88], name: 'subprocess_without_shell_equals_true' },
  B604: { cwe: 78, classes: [78], name: 'any_other_function_with_shell_equals_true' },
  B605: { cwe: 78, classes: [78], name: 'start_process_with_a_shell' },
  B606: { cwe: 78, classes: [78, 88], name: 'start_process_with_no_shell' },
  B607: { cwe: 78, classes: [], name: 'start_process_with_partial_path' },
  B608: { cwe: 89, classes: [89], name: 'hardcoded_sql_expressions' },
  B609: { cwe: 78, classes: [78], name: 'linux_commands_wildcard_injection' },
  B610: { cwe: 89, classes: [89], name: 'django_extra_used' },
  B611: { cwe: 89, classes: [89], name: 'django_rawsql_used' },
  B612: { cwe: 94, classes: [], name: 'logging_config_insecure_listen' },
  B701: { cwe: 94, classes: [1336], name: 'jinja2_autoescape_false' },
  B702: { cwe: 80, classes: [1336], name: 'use_of_mako_templates' },
  B703: { cwe: 80, classes: [], name: 'django_mark_safe' },
};

/** Classes of a Bandit result: the table, else (unknown test) the classes whose CWE Bandit reports. */
function banditClasses(r: BanditResult): number[] {
  const t = BANDIT_TESTS[r.test_id];
  if (t) return t.classes;
  if (/^B4\d\d$/.test(r.test_id)) return [];
  const cwe = r.issue_cwe?.id;
  return cwe ? [cwe] : [];
}

// ---------------------------------------------------------------------------------------------- helpers

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmt1 = (n: number): string => n.toFixed(1);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function countLines(text: string): number {
  return text.length ? text.split('\n').length : 0;
}

function walkFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel)).sort()) {
    if (e === '__pycache__' || e === 'node_modules' || e.startsWith('.')) continue;
    const r = rel ? `${rel}/${e}` : e;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...walkFiles(dir, r));
    else out.push(r);
  }
  return out;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  error?: NodeJS.ErrnoException;
}

function run(cmd: string, args: string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, signal: null, stdout, stderr, ms: 0, error: e as NodeJS.ErrnoException });
      return;
    }
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, signal: null, stdout, stderr, ms: performance.now() - t0, error: e }));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 }));
  });
}

// ---------------------------------------------------------------------------------------------- Bandit

interface BanditResult {
  filename: string;
  line_number: number;
  line_range?: number[];
  test_id: string;
  test_name: string;
  issue_severity: 'LOW' | 'MEDIUM' | 'HIGH' | 'UNDEFINED';
  issue_confidence: string;
  issue_text: string;
  issue_cwe?: { id: number; link?: string };
}

interface BanditOutput {
  results: BanditResult[];
  errors: { filename: string; reason: string }[];
}

const INSTALL_HINT =
  'Bandit is needed for this benchmark. Install it with one of:\n' +
  '  sudo apt-get install -y bandit        (Debian/Ubuntu package "bandit")\n' +
  '  pipx install bandit                   (or: python3 -m pip install --user bandit)\n' +
  'or point to it with --bandit PATH or $BANDIT.\n';

async function banditVersion(bin: string): Promise<{ version: string; python?: string }> {
  const r = await run(bin, ['--version']);
  if (r.error) {
    if (r.error.code === 'ENOENT') throw new UsageError(`cannot run "${bin}": not found.\n${INSTALL_HINT}`);
    throw new UsageError(`cannot run "${bin}": ${r.error.message}\n${INSTALL_HINT}`);
  }
  const text = `${r.stdout}\n${r.stderr}`;
  const m = /bandit\s+(\d+\.\d+(?:\.\d+)?)/i.exec(text);
  if (r.code !== 0 || !m) throw new UsageError(`"${bin} --version" did not answer like Bandit (exit ${r.code}):\n${text.trim().slice(0, 500)}\n${INSTALL_HINT}`);
  const py = /python version\s*=\s*(\S+)/i.exec(text);
  return { version: m[1]!, ...(py ? { python: py[1] } : {}) };
}

async function runBandit(bin: string, target: string, outFile: string): Promise<{ ms: number; out: BanditOutput }> {
  rmSync(outFile, { force: true });
  const r = await run(bin, ['-r', '-f', 'json', '-q', '-o', outFile, target]);
  if (r.error) throw new Error(`bandit failed to start: ${r.error.message}`);
  // 0: no issue, 1: issues found; anything else is a failure
  if (r.code !== 0 && r.code !== 1) throw new Error(`bandit exited with ${r.code ?? r.signal}: ${r.stderr.trim().slice(-2000)}`);
  if (!existsSync(outFile)) throw new Error(`bandit wrote no report: ${r.stderr.trim().slice(-2000)}`);
  return { ms: r.ms, out: JSON.parse(readFileSync(outFile, 'utf8')) as BanditOutput };
}

function versionAtLeast(v: string, want: [number, number, number]): boolean {
  const p = v.split('.').map((x) => Number(x));
  for (let i = 0; i < 3; i++) {
    const a = p[i] ?? 0;
    if (a !== want[i]) return a > want[i]!;
  }
  return true;
}

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------- corpus

interface Expected {
  description: string;
  twin: string;
  exact?: boolean;
  findings: { cwe: number; file: string; line: number; primitive: string; name?: string }[];
  absent?: number[];
}

interface Target {
  name: string;
  dir: string;
  /** The original fixture (scored), or a generated variant (timed only). */
  fixture: boolean;
  files: string[];
  lines: number;
  bytes: number;
}

/** A variant of a server: other names for the server and its registered primitives, a header line. */
function variantText(text: string, k: number): string {
  const tag = `v${k}`;
  let out = text
    .replace(/\b(FastMCP|Server)\(\s*(name=)?"([^"]+)"/g, (_m, cls: string, kw: string | undefined, n: string) => `${cls}(${kw ?? ''}"${n}-${tag}"`)
    .replace(/\b(types\.)?Tool\(\s*name="([^"]+)"/g, (_m, t: string | undefined, n: string) => `${t ?? ''}Tool(name="${n}_${tag}"`)
    .replace(/\bname == "([^"]+)"/g, (_m, n: string) => `name == "${n}_${tag}"`)
    .replace(/\bcase "([^"]+)":/g, (_m, n: string) => `case "${n}_${tag}":`);
  // keep line numbers: replace the first line (a docstring or an import) by a longer docstring line only when it is one
  if (/^"""[^\n]*"""$/.test(out.split('\n', 1)[0] ?? '')) out = out.replace(/^"""([^\n]*)"""/, `"""$1 (generated variant ${tag})"""`);
  return out;
}

function buildCorpus(fixturesRoot: string, corpus: string, minLines: number): Target[] {
  const names = readdirSync(fixturesRoot).filter((d) => existsSync(path.join(fixturesRoot, d, 'expected.json'))).sort();
  if (!names.length) throw new Error(`no fixture folders in ${fixturesRoot}`);
  const targets: Target[] = [];
  const measure = (name: string, dir: string, fixture: boolean): Target => {
    const files = walkFiles(dir).filter((f) => f.endsWith('.py'));
    let lines = 0;
    let bytes = 0;
    for (const f of files) {
      const buf = readFileSync(path.join(dir, f)); // also warms the OS file cache for both tools
      lines += countLines(buf.toString('utf8'));
      bytes += buf.length;
    }
    return { name, dir, fixture, files, lines, bytes };
  };
  for (const n of names) {
    const dir = path.join(corpus, 'fixtures', n);
    cpSync(path.join(fixturesRoot, n), dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
    targets.push(measure(n, dir, true));
  }
  let total = targets.reduce((s, t) => s + t.lines, 0);
  for (let k = 1; total < minLines; k++) {
    for (const n of names) {
      if (total >= minLines) break;
      const src = path.join(fixturesRoot, n);
      const dir = path.join(corpus, 'generated', `v${k}`, n);
      for (const f of walkFiles(src)) {
        if (f.endsWith('expected.json')) continue;
        const to = path.join(dir, f);
        mkdirSync(path.dirname(to), { recursive: true });
        const text = readFileSync(path.join(src, f), 'utf8');
        writeFileSync(to, f.endsWith('.py') ? variantText(text, k) : text);
      }
      const t = measure(`v${k}/${n}`, dir, false);
      targets.push(t);
      total += t.lines;
    }
  }
  return targets;
}

/** Lines spanned by the statement that starts on `line` (bracket balance, strings skipped roughly). */
function callSpan(text: string, line: number): [number, number] {
  const lines = text.split('\n');
  let depth = 0;
  let quote: string | null = null;
  for (let i = line - 1; i < lines.length; i++) {
    const s = lines[i]!;
    for (let j = 0; j < s.length; j++) {
      const c = s[j]!;
      if (quote) {
        if (c === '\\') j++;
        else if (s.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (c === '#') break;
      if (c === '"' || c === "'") {
        quote = s.startsWith(c.repeat(3), j) ? c.repeat(3) : c;
        j += quote.length - 1;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
    }
    if (quote && quote.length === 1) quote = null;
    if (depth <= 0 && !quote) return [line, i + 1];
  }
  return [line, line];
}

// ---------------------------------------------------------------------------------------------- scoring

interface Weakness {
  fixture: string;
  cwe: number;
  file: string;
  line: number;
  primitive: string;
  name?: string;
  mcpRisk: boolean;
  bandit: string[];
  /** Why Bandit cannot find it, when it does not. */
  banditGap?: string;
}

interface FalsePositive {
  fixture: string;
  file: string;
  line: number;
  cwe: number;
  twin: 'vuln' | 'safe';
  /** Bandit test id, or mcp-risk rule id. */
  rule: string;
  severity: string;
  text: string;
}

/** Classes where the weakness and its fix look alike to a pattern matcher: what decides is where the value comes from. */
const FLOW_CLASSES = new Set([22, 59, 88, 918, 1336]);

function banditGap(cwe: number, version: string): string {
  if ((cwe === 89 || cwe === 798) && !versionAtLeast(version, [1, 7, 0])) return `Bandit ${version}: its string-literal tests (B105-B108, B608) do not see Python 3.8+ ast.Constant nodes`;
  if (FLOW_CLASSES.has(cwe)) return 'needs the data flow: the same call is safe with a checked or constant value';
  if (!Object.values(BANDIT_TESTS).some((t) => t.classes.includes(cwe))) return 'no Bandit test for this class';
  return 'Bandit has a test for this class, but not for this function or form';
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const fixturesRoot = path.join(root, 'test', 'fixtures', 'python-servers');

  // 1. Bandit
  const bv = await banditVersion(opts.bandit);
  process.stderr.write(`bandit ${bv.version}${bv.python ? ` (python ${bv.python})` : ''} — mcp-risk ${VERSION}, node ${process.version}\n`);
  const banditNotes: string[] = [];
  if (!versionAtLeast(bv.version, [1, 7, 0]))
    banditNotes.push(
      `Bandit ${bv.version} predates Python 3.8's ast.Constant: its tests on string literals (hard-coded passwords B105-B107, /tmp paths B108, SQL built from strings B608) report nothing on this interpreter. A current Bandit (pipx install bandit) runs them.`,
    );
  if (!versionAtLeast(bv.version, [1, 7, 3])) banditNotes.push(`Bandit ${bv.version} gives no issue_cwe: CWEs come from the test-id table of bench/bandit.ts.`);

  // 2. corpus
  const work = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-bench-bandit-'));
  const corpus = path.join(work, 'corpus');
  const targets = buildCorpus(fixturesRoot, corpus, opts.lines);
  const totalLines = targets.reduce((s, t) => s + t.lines, 0);
  const totalFiles = targets.reduce((s, t) => s + t.files.length, 0);
  const totalBytes = targets.reduce((s, t) => s + t.bytes, 0);
  const fixtures = targets.filter((t) => t.fixture);
  process.stderr.write(
    `corpus: ${targets.length} servers (${fixtures.length} fixtures + ${targets.length - fixtures.length} generated variants), ${fmtInt(totalFiles)} Python files, ${fmtInt(totalLines)} lines, in ${corpus}\n`,
  );

  try {
    // 3. Bandit's start-up
    const emptyDir = path.join(work, 'empty');
    mkdirSync(emptyDir, { recursive: true });
    const banditStartup: number[] = [];
    for (let i = 0; i < 2; i++) banditStartup.push((await runBandit(opts.bandit, emptyDir, path.join(work, 'bandit-empty.json'))).ms);
    const startupMs = Math.min(...banditStartup);

    // 4. timed runs: every one a fresh process
    const listFile = path.join(work, 'targets.json');
    writeFileSync(listFile, JSON.stringify({ dirs: targets.map((t) => t.dir), noRisk: opts.noRisk, warmPass: true }));
    const child = path.join(repoRoot(), 'build', 'bench', 'lib', 'assess-child.js');
    const targetsFile = path.join(work, 'targets.txt');
    writeFileSync(targetsFile, targets.map((t) => t.dir).join('\n') + '\n');
    const cli = path.join(repoRoot(), 'build', 'src', 'cli.js');
    const runMcp = async (mode: string): Promise<{ ms: number; out: ChildOutput }> => {
      if (mode === 'cli') {
        // the command line as a user runs it over many servers: one JSON document per line, written to a file
        const jsonl = path.join(work, 'mcp-cli.jsonl');
        const r = await run(process.execPath, [cli, 'scan', '--targets-from', targetsFile, '--format', 'json', '-o', jsonl, '--fail-on', 'none']);
        if (r.code !== 0) throw new Error(`mcp-risk scan failed: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
        const docs = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { findings?: { cwe: number; location: { file: string; line: number }; severity: string; ruleId: string; message: string }[]; stats?: { files: number; lines: number }; error?: string });
        const out: ChildOutput = {
          mode,
          ms: r.ms,
          targets: docs.map((d) => ({
            files: d.stats?.files ?? 0,
            lines: d.stats?.lines ?? 0,
            findings: (d.findings ?? []).map((f) => ({ cwe: f.cwe, file: f.location.file, line: f.location.line, severity: f.severity, ruleId: f.ruleId, message: f.message })),
            noFrontEnd: 0,
            ...(d.error ? { error: d.error } : {}),
          })),
        };
        return { ms: r.ms, out };
      }
      const outFile = path.join(work, `mcp-${mode.replace(':', '-')}.json`);
      const r = await run(process.execPath, [child, mode, listFile, outFile]);
      if (r.code !== 0) throw new Error(`mcp-risk (${mode}) failed: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
      const out = JSON.parse(readFileSync(outFile, 'utf8')) as ChildOutput;
      // the warm second pass (one-thread mode) is not part of the run: its time is taken off
      return { ms: r.ms - (out.warmMs ?? 0), out };
    };
    // the command line always scores risk: with --no-risk it is left out
    const modes = ['single', 'pipelined', ...(opts.noRisk ? [] : ['cli']), ...(opts.workers > 0 ? [`workers:${opts.workers}`] : [])];
    const best = new Map<string, { ms: number; out: ChildOutput }>();
    let banditMs = Infinity;
    let banditOut: BanditOutput | undefined;
    for (let rep = 0; rep < opts.repeat; rep++) {
      process.stderr.write(`run ${rep + 1}/${opts.repeat}: bandit …`);
      const b = await runBandit(opts.bandit, corpus, path.join(work, 'bandit.json'));
      if (b.ms < banditMs) {
        banditMs = b.ms;
        banditOut = b.out;
      }
      process.stderr.write(` ${fmt1(b.ms / 1000)} s`);
      for (const mode of modes) {
        process.stderr.write(`; mcp-risk ${mode} …`);
        const r = await runMcp(mode);
        process.stderr.write(` ${fmt1(r.ms / 1000)} s`);
        const prev = best.get(mode);
        if (!prev || r.ms < prev.ms) best.set(mode, r);
      }
      process.stderr.write('\n');
    }
    const bOut = banditOut!;
    const single = best.get('single')!;
    const mcpMs = single.ms;
    const warmMs = single.out.warmMs ?? NaN;
    const mcpStages = single.out.stages ?? { parseMs: 0, analysisMs: 0 };
    const assessments = new Map<string, ChildTarget>(targets.map((t, i) => [t.name, single.out.targets[i]!]));
    // the parallel runs must find exactly what the one-thread run found
    const key = (f: ChildFinding): string => `${f.cwe}:${f.file}:${f.line}:${f.severity}:${f.ruleId}`;
    const mismatches = new Map<string, string[]>();
    for (const mode of modes.slice(1)) {
      const other = best.get(mode)!.out.targets;
      mismatches.set(
        mode,
        targets.filter((t, i) => single.out.targets[i]!.findings.map(key).join(',') !== (other[i]?.findings ?? []).map(key).join(',') || !!other[i]?.error).map((t) => t.name),
      );
    }

    // did mcp-risk analyse Python at all?
    let analysedFiles = 0;
    let noFrontEnd = 0;
    for (const a of assessments.values()) {
      analysedFiles += a.files;
      noFrontEnd += a.noFrontEnd;
    }
    const pythonFrontEnd = analysedFiles > 0 && noFrontEnd === 0;

    // 5. scoring on the fixtures
    const byFixture = new Map<string, BanditResult[]>();
    const otherBandit: BanditResult[] = [];
    for (const r of bOut.results) {
      const rel = path.relative(path.join(corpus, 'fixtures'), path.resolve(corpus, r.filename));
      if (rel.startsWith('..')) {
        otherBandit.push(r);
        continue;
      }
      const [fx, ...rest] = rel.split(path.sep);
      const list = byFixture.get(fx!) ?? [];
      list.push({ ...r, filename: rest.join('/') });
      byFixture.set(fx!, list);
    }
    const weaknesses: Weakness[] = [];
    const banditFPs: FalsePositive[] = [];
    const mcpFPs: FalsePositive[] = [];
    for (const t of fixtures) {
      const exp = JSON.parse(readFileSync(path.join(t.dir, 'expected.json'), 'utf8')) as Expected;
      const twin: 'vuln' | 'safe' = t.name.endsWith('-safe') ? 'safe' : 'vuln';
      const a = assessments.get(t.name)!;
      const mine = a.findings.filter((f) => f.severity !== 'info');
      const bres = byFixture.get(t.name) ?? [];
      const spans = exp.findings.map((f) => callSpan(readFileSync(path.join(t.dir, f.file), 'utf8'), f.line));
      const usedBandit = new Set<BanditResult>();
      exp.findings.forEach((f, i) => {
        const [lo, hi] = spans[i]!;
        const hits = bres.filter((r) => r.filename === f.file && banditClasses(r).includes(f.cwe) && (r.line_range ?? [r.line_number]).concat(r.line_number).some((l) => l >= lo && l <= hi));
        for (const h of hits) usedBandit.add(h);
        const found = mine.some((m) => m.cwe === f.cwe && m.file === f.file && m.line === f.line);
        weaknesses.push({
          fixture: t.name,
          cwe: f.cwe,
          file: f.file,
          line: f.line,
          primitive: f.primitive,
          ...(f.name ? { name: f.name } : {}),
          mcpRisk: found,
          bandit: [...new Set(hits.map((h) => h.test_id))],
          ...(hits.length ? {} : { banditGap: banditGap(f.cwe, bv.version) }),
        });
      });
      for (const r of bres) {
        if (usedBandit.has(r)) continue;
        const classes = banditClasses(r);
        if (!classes.length) continue;
        banditFPs.push({ fixture: t.name, file: r.filename, line: r.line_number, cwe: classes[0]!, twin, rule: r.test_id, severity: r.issue_severity, text: r.issue_text });
      }
      for (const m of mine) {
        if (exp.findings.some((f) => f.cwe === m.cwe && f.file === m.file && f.line === m.line)) continue;
        mcpFPs.push({ fixture: t.name, file: m.file, line: m.line, cwe: m.cwe, twin, rule: m.ruleId, severity: m.severity, text: m.message });
      }
    }

    // 6. summary
    const secs = (ms: number): number => ms / 1000;
    const banditRate = totalLines / secs(banditMs);
    const banditRateNoStartup = banditMs - startupMs > 0 ? totalLines / secs(banditMs - startupMs) : banditRate;
    const ratio = banditMs / mcpMs;
    const ratioNoStartup = (banditMs - startupMs) / mcpMs;
    const cores = os.availableParallelism();
    const rateOf = (ms: number): number => totalLines / secs(ms);
    const ratioOf = (ms: number): number => banditMs / ms;
    const warmRatio = ratioOf(warmMs);
    const pipeMs = best.get('pipelined')!.ms;
    const cliMs = best.get('cli')?.ms ?? NaN;
    const poolMs = opts.workers > 0 ? best.get(`workers:${opts.workers}`)!.ms : NaN;
    const byBandit = weaknesses.filter((w) => w.bandit.length);
    const byMcp = weaknesses.filter((w) => w.mcpRisk);
    const missedThatBanditFinds = byBandit.filter((w) => !w.mcpRisk);
    const flowOnly = weaknesses.filter((w) => w.mcpRisk && !w.bandit.length);
    const safeBanditFPs = banditFPs.filter((f) => f.twin === 'safe');

    const out = process.stdout;
    out.write(`\nmcp-risk ${VERSION} vs Bandit ${bv.version} on ${targets.length} Python MCP servers: ${fmtInt(totalFiles)} files, ${fmtInt(totalLines)} lines\n`);
    if (!pythonFrontEnd)
      out.write(
        `\n!! mcp-risk analysed ${analysedFiles} Python files: the Python front-end is not registered yet (src/languages/python/lower.ts).\n` +
          '!! The mcp-risk figures below measure file discovery only; detection is 0 by construction.\n',
      );
    out.write('\nspeed (wall clock of a fresh process, start-up included' + (opts.repeat > 1 ? `, best of ${opts.repeat}` : '') + ')\n');
    out.write(`  ${pad('tool', 24)} ${lpad('seconds', 8)} ${lpad('lines/s', 10)} ${lpad('× Bandit', 9)}\n`);
    const row = (name: string, ms: number, note: string): void => {
      out.write(`  ${pad(name, 24)} ${lpad(fmt1(secs(ms)), 8)} ${lpad(fmtInt(rateOf(ms)), 10)} ${lpad(`${ratioOf(ms).toFixed(2)}×`, 9)}   ${note}\n`);
    };
    const same = (mode: string): string => (mismatches.get(mode)!.length ? `DIFFERENT findings on ${mismatches.get(mode)!.length} servers` : 'same findings');
    row('mcp-risk, one thread', mcpMs, `${targets.length} targets, ${opts.noRisk ? 'no risk stage' : 'full pipeline'}`);
    row('mcp-risk, parse thread', pipeMs, `assessMany(): the next targets parsed on a second thread; ${same('pipelined')}`);
    if (!opts.noRisk) row('mcp-risk scan, CLI', cliMs, `mcp-risk scan --targets-from FILE --format json -o FILE (the same, plus JSON reports); ${same('cli')}`);
    if (opts.workers > 0) row(`mcp-risk, ${opts.workers} workers`, poolMs, `${opts.workers} worker threads on ${cores} cores; ${same(`workers:${opts.workers}`)}`);
    row('bandit', banditMs, `one process (no parallel mode); ${fmtInt(banditRateNoStartup)} lines/s without its ${fmtInt(startupMs)} ms start-up`);
    out.write(`  warm: a second pass in the one-thread process takes ${fmt1(secs(warmMs))} s (${fmtInt(rateOf(warmMs))} lines/s, ${warmRatio.toFixed(2)}× Bandit): the JIT compiles the hot code during the first pass\n`);
    out.write(`  parser: ${parserKind('python') === 'native' ? 'native tree-sitter addon' : 'web-tree-sitter (WebAssembly): the native addon is not built (npm run build:native)'}\n`);
    const otherMs = single.out.ms - mcpStages.parseMs - mcpStages.analysisMs;
    out.write(
      `  one thread, inside the process: read+parse+lower ${fmt1(secs(mcpStages.parseMs))} s, surface+taint+rules ${fmt1(secs(mcpStages.analysisMs))} s, acquire${opts.noRisk ? '' : '+risk'}+findings ${fmt1(secs(otherMs))} s; start-up and module loading ${fmt1(secs(mcpMs - single.out.ms))} s\n`,
    );

    out.write(`\ndetection on the ${fixtures.length} fixture servers (${weaknesses.length} known weaknesses)\n`);
    const classes = [...new Set(weaknesses.map((w) => w.cwe))].sort((a, b) => a - b);
    out.write(`  ${pad('CWE', 7)} ${lpad('known', 6)} ${lpad('mcp-risk', 9)} ${lpad('bandit', 7)}  bandit tests\n`);
    for (const c of classes) {
      const ws = weaknesses.filter((w) => w.cwe === c);
      const tests = [...new Set(ws.flatMap((w) => w.bandit))].sort().join(' ');
      out.write(`  ${pad(String(c), 7)} ${lpad(String(ws.length), 6)} ${lpad(String(ws.filter((w) => w.mcpRisk).length), 9)} ${lpad(String(ws.filter((w) => w.bandit.length).length), 7)}  ${tests}\n`);
    }
    out.write(`  ${pad('total', 7)} ${lpad(String(weaknesses.length), 6)} ${lpad(String(byMcp.length), 9)} ${lpad(String(byBandit.length), 7)}\n`);
    out.write(`  found by mcp-risk only (flow-only or outside Bandit's patterns): ${flowOnly.length}; by Bandit only: ${missedThatBanditFinds.length}; by both: ${byBandit.filter((w) => w.mcpRisk).length}; by neither: ${weaknesses.filter((w) => !w.mcpRisk && !w.bandit.length).length}\n`);
    out.write(
      `\nfalse positives (every fixture is exact)\n  bandit: ${banditFPs.length} (${safeBanditFPs.length} on safe twins; by severity ${['HIGH', 'MEDIUM', 'LOW'].map((s) => `${s} ${banditFPs.filter((f) => f.severity === s).length}`).join(', ')})\n  mcp-risk: ${mcpFPs.length} (${mcpFPs.filter((f) => f.twin === 'safe').length} on safe twins)\n`,
    );
    if (safeBanditFPs.length) {
      out.write('  Bandit on the safe twins (the distinctions that need the data flow):\n');
      for (const f of safeBanditFPs) out.write(`    ${f.rule} ${f.severity.padEnd(6)} ${f.fixture}/${f.file}:${f.line}  ${f.text.slice(0, 90)}\n`);
    }
    if (opts.verbose || missedThatBanditFinds.length) {
      if (missedThatBanditFinds.length) out.write('\nfound by Bandit, missed by mcp-risk:\n');
      for (const w of missedThatBanditFinds) out.write(`  CWE-${w.cwe} ${w.fixture}/${w.file}:${w.line} (${w.bandit.join(', ')})\n`);
    }
    if (opts.verbose) {
      out.write('\nevery known weakness:\n');
      for (const w of weaknesses)
        out.write(`  ${w.mcpRisk ? 'M' : '-'}${w.bandit.length ? 'B' : '-'} CWE-${w.cwe} ${w.fixture}/${w.file}:${w.line}${w.bandit.length ? ` [${w.bandit.join(',')}]` : ` (${w.banditGap})`}\n`);
      if (mcpFPs.length) {
        out.write('\nmcp-risk false positives:\n');
        for (const f of mcpFPs) out.write(`  CWE-${f.cwe} ${f.fixture}/${f.file}:${f.line} ${f.rule}\n`);
      }
      if (banditFPs.length) {
        out.write('\nBandit false positives:\n');
        for (const f of banditFPs) out.write(`  ${f.rule} ${f.severity} ${f.fixture}/${f.file}:${f.line}\n`);
      }
    }
    for (const n of banditNotes) out.write(`\nnote: ${n}\n`);

    const bestMode = [...best.entries()].filter(([m]) => m === 'single' || !mismatches.get(m)!.length).sort((a, b) => a[1].ms - b[1].ms)[0]!;
    const bestRatio = ratioOf(bestMode[1].ms);
    const targetSpeed = bestRatio >= 5;
    const targetCoverage = missedThatBanditFinds.length === 0 && flowOnly.length > 0;
    out.write(
      `\ntargets: every weakness Bandit finds, plus flow-only ones: ${pythonFrontEnd ? (targetCoverage ? 'met' : 'NOT met') : 'n/a (no Python front-end)'}; ≥5× Bandit's speed: ${pythonFrontEnd ? (targetSpeed ? 'met' : 'NOT met') : 'n/a'} (best: ${bestRatio.toFixed(2)}×, ${bestMode[0]}; one thread ${ratio.toFixed(2)}×, warm ${warmRatio.toFixed(2)}×)\n`,
    );

    const json = {
      generatedAt: new Date().toISOString(),
      host: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGB: +(os.totalmem() / 1024 ** 3).toFixed(1) },
      versions: { 'mcp-risk': VERSION, node: process.version, bandit: bv.version, ...(bv.python ? { banditPython: bv.python } : {}) },
      method: {
        bandit: `"${opts.bandit} -r -f json -q -o FILE <corpus>": one process over the whole corpus, wall clock; start-up measured on an empty folder (best of 2)`,
        mcpRisk: `bench/lib/assess-child.js in a fresh Node process per run, wall clock from outside (start-up included): 'single' assess(folder${opts.noRisk ? ', { noRisk: true }' : ''}) for each server folder in turn (then a warm second pass, timed inside); 'pipelined' assessMany() with a parse thread; 'workers:N' N worker threads taking folders from a shared counter`,
        parser: parserKind('python'),
        repeat: opts.repeat,
        lines: "text.split('\\n').length per non-empty .py file",
        matching:
          'mcp-risk: a finding (not info) with the CWE, file and line of the weakness; Bandit: a result in the same file within the lines of the statement and a test mapped to the CWE (BANDIT_TESTS). Other scored results are false positives (fixtures are exact).',
        banditNotes,
      },
      pythonFrontEnd,
      corpus: { servers: targets.length, fixtures: fixtures.length, generated: targets.length - fixtures.length, files: totalFiles, lines: totalLines, bytes: totalBytes, minLines: opts.lines },
      speed: {
        mcpRisk: {
          ms: Math.round(mcpMs),
          linesPerSec: Math.round(rateOf(mcpMs)),
          ratio: +ratio.toFixed(2),
          warmMs: Math.round(warmMs),
          warmLinesPerSec: Math.round(rateOf(warmMs)),
          warmRatio: +warmRatio.toFixed(2),
          analysedFiles,
          stages: { readParseLowerMs: Math.round(mcpStages.parseMs), surfaceTaintRulesMs: Math.round(mcpStages.analysisMs), otherMs: Math.round(single.out.ms - mcpStages.parseMs - mcpStages.analysisMs) },
        },
        mcpRiskCli: opts.noRisk ? null : { ms: Math.round(cliMs), linesPerSec: Math.round(rateOf(cliMs)), ratio: +ratioOf(cliMs).toFixed(2), sameFindings: !mismatches.get('cli')!.length, differing: mismatches.get('cli') },
        mcpRiskParseThread: { ms: Math.round(pipeMs), linesPerSec: Math.round(rateOf(pipeMs)), ratio: +ratioOf(pipeMs).toFixed(2), sameFindings: !mismatches.get('pipelined')!.length, differing: mismatches.get('pipelined') },
        mcpRiskWorkers:
          opts.workers > 0
            ? { workers: opts.workers, cores, ms: Math.round(poolMs), linesPerSec: Math.round(rateOf(poolMs)), ratio: +ratioOf(poolMs).toFixed(2), sameFindings: !mismatches.get(`workers:${opts.workers}`)!.length, differing: mismatches.get(`workers:${opts.workers}`) }
            : null,
        bandit: { ms: Math.round(banditMs), linesPerSec: Math.round(banditRate), startupMs: Math.round(startupMs), linesPerSecWithoutStartup: Math.round(banditRateNoStartup), results: bOut.results.length, errors: bOut.errors.length },
        ratioWithoutBanditStartup: +ratioNoStartup.toFixed(2),
        best: { mode: bestMode[0], ratio: +bestRatio.toFixed(2) },
      },
      detection: {
        known: weaknesses.length,
        mcpRisk: byMcp.length,
        bandit: byBandit.length,
        both: byBandit.filter((w) => w.mcpRisk).length,
        mcpRiskOnly: flowOnly.length,
        banditOnly: missedThatBanditFinds.length,
        neither: weaknesses.filter((w) => !w.mcpRisk && !w.bandit.length).length,
        byCwe: Object.fromEntries(
          classes.map((c) => {
            const ws = weaknesses.filter((w) => w.cwe === c);
            return [c, { known: ws.length, mcpRisk: ws.filter((w) => w.mcpRisk).length, bandit: ws.filter((w) => w.bandit.length).length }];
          }),
        ),
      },
      falsePositives: {
        bandit: { total: banditFPs.length, onSafeTwins: safeBanditFPs.length, byTest: countBy(banditFPs.map((f) => f.rule)), bySeverity: countBy(banditFPs.map((f) => f.severity)) },
        mcpRisk: { total: mcpFPs.length, onSafeTwins: mcpFPs.filter((f) => f.twin === 'safe').length, byCwe: countBy(mcpFPs.map((f) => String(f.cwe))) },
      },
      targets: { coverage: pythonFrontEnd ? targetCoverage : null, speed5x: pythonFrontEnd ? targetSpeed : null },
      weaknesses,
      banditFalsePositives: banditFPs,
      mcpRiskFalsePositives: mcpFPs,
      banditUnscored: countBy(bOut.results.filter((r) => !banditClasses(r).length).map((r) => r.test_id)),
      banditOnGenerated: otherBandit.length,
    };
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, JSON.stringify(json, null, 2) + '\n');
    process.stderr.write(`\nwrote ${path.relative(process.cwd(), opts.out) || opts.out}\n`);
  } finally {
    if (opts.keep) process.stderr.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function countBy(xs: string[]): Record<string, number> {
  const o: Record<string, number> = {};
  for (const x of xs.sort()) o[x] = (o[x] ?? 0) + 1;
  return o;
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`bench:bandit: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`bench:bandit: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
