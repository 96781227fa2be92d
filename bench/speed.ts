/**
 * Speed benchmark: mcp-risk (interprocedural taint analysis) against ESLint + eslint-plugin-security, on the
 * same files of the npm benchmark corpus, in one run.
 *
 *   npm run bench:speed -- [--limit N] [--only NAME[,NAME…]] [--verbose] [--skip-eslint]
 *                          [--fetch-only] [--concurrency N] [--package-timeout SECONDS] [--out FILE]
 *
 * 1. Fetch every corpus package with mcp-risk's acquire stage into bench/.cache/ (bench/lib/corpus.ts).
 * 2. Write a manifest: per package the acquired JS/TS files (what mcp-risk analyses; ESLint gets exactly
 *    the same list), their line and byte counts.
 * 3. Run each tool in its own child process (bench/lib/run-mcp-risk.ts, bench/lib/run-eslint.ts), one after
 *    the other: warm-up on three small files, then every package once, timed one by one. Peak memory is the
 *    child's `process.resourceUsage().maxRSS` (whole process: runtime, tool, warm-up included).
 *    A child that crashes or stalls on a package is restarted after it; the package is reported.
 * 4. Print the summary (and a per-package table with --verbose); write bench/results/speed.json (a partial run —
 *    --skip-eslint, --limit, --only — writes bench/results/speed-partial.json unless --out says otherwise).
 *
 * Rates and the ratio are computed over the packages that both tools completed, with the same line count
 * (`text.split('\n').length` per file, as mcp-risk counts lines).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { AcquiredTarget, SourceFile } from '../src/acquire/index.js';
import {
  benchCacheDir,
  corpusSpecs,
  fetchCorpus,
  parseCorpusArgs,
  repoRoot,
  selectSpecs,
  type FailedPackage,
} from './lib/corpus.js';
import type { ChildMessage, Manifest, ManifestPackage } from './lib/speed-protocol.js';

// ---------------------------------------------------------------------------------------------- options

interface Options {
  verbose: boolean;
  skipEslint: boolean;
  fetchOnly: boolean;
  concurrency: number;
  packageTimeoutMs: number;
  out: string;
}

function parseArgs(argv: string[]): { opts: Options; selection: ReturnType<typeof parseCorpusArgs>['selection'] } {
  const { selection, rest } = parseCorpusArgs(argv);
  const opts: Options = {
    verbose: false,
    skipEslint: false,
    fetchOnly: false,
    concurrency: 6,
    packageTimeoutMs: 600_000,
    out: path.join(repoRoot(), 'bench', 'results', 'speed.json'),
  };
  let outGiven = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const num = (): number => {
      const n = Number(rest[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a} needs a positive number`);
      return n;
    };
    if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--skip-eslint') opts.skipEslint = true;
    else if (a === '--fetch-only') opts.fetchOnly = true;
    else if (a === '--concurrency') opts.concurrency = Math.floor(num());
    else if (a === '--package-timeout') opts.packageTimeoutMs = num() * 1000;
    else if (a === '--out') {
      opts.out = path.resolve(rest[++i] ?? '');
      outGiven = true;
    }
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: npm run bench:speed -- [--limit N] [--only NAME[,NAME…]] [--verbose] [--skip-eslint]\n' +
          '                            [--fetch-only] [--concurrency N] [--package-timeout SECONDS] [--out FILE]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option: ${a}`);
  }
  // a partial run (one tool, part of the corpus) does not replace the recorded comparison
  if (!outGiven && (opts.skipEslint || selection.limit !== undefined || selection.only !== undefined)) opts.out = path.join(repoRoot(), 'bench', 'results', 'speed-partial.json');
  return { opts, selection };
}

// ---------------------------------------------------------------------------------------------- manifest

const JS_TS = new Set<SourceFile['language']>(['javascript', 'typescript', 'tsx']);

/** Lines as mcp-risk counts them: `text.split('\n').length` for a non-empty file. */
function countLines(buf: Buffer): number {
  if (buf.length === 0) return 0;
  let n = 1;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

const WARMUP_FILES: Record<string, string> = {
  'server.js': `import { exec } from 'node:child_process';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
const server = new McpServer({ name: 'warmup', version: '1.0.0' });
function run(cmd) { return new Promise((ok) => exec('ls ' + cmd, (e, out) => ok(out))); }
server.tool('list', { dir: z.string() }, async ({ dir }) => ({ content: [{ type: 'text', text: await run(dir) }] }));
`,
  'util.ts': `import { readFile } from 'node:fs/promises';
import path from 'node:path';
export async function load(root: string, name: string): Promise<string> {
  const p = path.join(root, name);
  if (!p.startsWith(root)) throw new Error('outside');
  return readFile(p, 'utf8');
}
export class Store<T> { private items = new Map<string, T>(); get(k: string): T | undefined { return this.items.get(k); } }
`,
  'view.tsx': `export function View({ name }: { name: string }) { return <div title={name}>{name}</div>; }
`,
};

function writeWarmup(dir: string): AcquiredTarget {
  mkdirSync(dir, { recursive: true });
  const files: SourceFile[] = [];
  for (const [name, text] of Object.entries(WARMUP_FILES)) {
    const abs = path.join(dir, name);
    writeFileSync(abs, text);
    files.push({ path: name, abs, language: name.endsWith('.tsx') ? 'tsx' : name.endsWith('.ts') ? 'typescript' : 'javascript', size: Buffer.byteLength(text) });
  }
  return { info: { input: dir, kind: 'folder', name: 'warmup', root: dir }, files, warnings: [], partial: false };
}

// ---------------------------------------------------------------------------------------------- children

interface PkgResult {
  ms: number;
  cpuMs: number;
  findings: number;
  extra: Record<string, unknown>;
  rss: number;
  maxRss: number;
}

interface PkgFailure {
  kind: 'error' | 'crash' | 'timeout';
  message: string;
  ms?: number;
  stack?: string;
}

interface SideRun {
  tool: string;
  results: Map<number, PkgResult>;
  failures: Map<number, PkgFailure>;
  /** Largest maxRSS over the child processes of this side, bytes. */
  peakRss: number;
  /** RSS right after warm-up (first child), bytes. */
  rssAfterWarmup?: number;
  warmupMs?: number;
  /** Sum of the children's measuring loops, ms. */
  loopMs: number;
  versions: Record<string, string>;
  /** Child processes started (more than 1 when a package crashed or stalled one). */
  processes: number;
  /** Set when a child could not even start (crash before warm-up ended). */
  fatal?: string;
}

function tail(s: string, n = 2000): string {
  return s.length > n ? '…' + s.slice(-n) : s;
}

/** The telling line of a dead child's stderr: V8's fatal error or the first error line. */
function keyLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /FATAL ERROR/.test(l)) ?? lines.find((l) => /\b\w*Error\b/.test(l)) ?? lines[0] ?? '(no output)';
}

interface Segment {
  ended: boolean;
  /** Package being measured when the child stopped. */
  current?: number;
  /** Last package the child finished (result or error). */
  last?: number;
  timedOut: boolean;
  exit: string;
  stderr: string;
}

/** One child process from package `from` on; feeds messages into `run`. */
function runSegment(script: string, manifestFile: string, from: number, timeoutMs: number, run: SideRun, onMsg: (m: ChildMessage) => void): Promise<Segment> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, '--manifest', manifestFile, '--from', String(from)], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    run.processes++;
    let stderr = '';
    let ended = false;
    let current: number | undefined;
    let last: number | undefined;
    let timedOut = false;
    child.stdout?.on('data', () => {
      /* the tools' own output is not part of the benchmark */
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = tail(stderr + d.toString('utf8'), 8000);
    });
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    arm();
    const rl = createInterface({ input: child.stdio[3] as Readable });
    rl.on('line', (line) => {
      let m: ChildMessage;
      try {
        m = JSON.parse(line) as ChildMessage;
      } catch {
        return;
      }
      arm();
      if (m.t === 'start') current = m.i;
      else if (m.t === 'pkg' || m.t === 'error') {
        current = undefined;
        last = m.i;
      }
      else if (m.t === 'end') ended = true;
      onMsg(m);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ended, current, last, timedOut, exit: signal ? `signal ${signal}` : `exit code ${code}`, stderr });
    });
  });
}

async function runSide(tool: string, script: string, manifestFile: string, count: number, opts: Options, label: (i: number) => string): Promise<SideRun> {
  const run: SideRun = { tool, results: new Map(), failures: new Map(), peakRss: 0, loopMs: 0, versions: {}, processes: 0 };
  let from = 0;
  let done = 0;
  const progress = (): void => {
    if (process.stderr.isTTY) process.stderr.write(`\r${tool}: ${done}/${count - from + done} packages`);
  };
  while (from < count) {
    let warmed = false;
    const seg = await runSegment(script, manifestFile, from, opts.packageTimeoutMs, run, (m) => {
      switch (m.t) {
        case 'ready':
          warmed = true;
          if (run.warmupMs === undefined) {
            run.warmupMs = m.warmupMs;
            run.rssAfterWarmup = m.rss;
            run.versions = m.versions;
          }
          run.peakRss = Math.max(run.peakRss, m.maxRss);
          break;
        case 'pkg':
          run.results.set(m.i, { ms: m.ms, cpuMs: m.cpuMs, findings: m.findings, extra: m.extra, rss: m.rss, maxRss: m.maxRss });
          run.peakRss = Math.max(run.peakRss, m.maxRss);
          done++;
          progress();
          break;
        case 'error':
          run.failures.set(m.i, { kind: 'error', message: m.message, ms: m.ms, stack: m.stack });
          run.peakRss = Math.max(run.peakRss, m.maxRss);
          process.stderr.write(`\n${tool}: ${label(m.i)}: error: ${m.message}\n`);
          done++;
          break;
        case 'end':
          run.peakRss = Math.max(run.peakRss, m.maxRss);
          run.loopMs += m.loopMs;
          break;
        case 'start':
          break;
      }
    });
    if (seg.ended) break;
    if (warmed && seg.current === undefined && seg.last !== undefined) {
      // died between two packages: go on after the last one it finished
      from = seg.last + 1;
      process.stderr.write(`\n${tool}: child stopped between packages (${seg.exit}); restarting at ${from}\n`);
      continue;
    }
    if (!warmed || seg.current === undefined) {
      run.fatal = `${tool} child stopped before measuring (${seg.exit}):\n${tail(seg.stderr)}`;
      process.stderr.write(`\n${run.fatal}\n`);
      break;
    }
    const kind = seg.timedOut ? 'timeout' : 'crash';
    const message = seg.timedOut ? `no result after ${opts.packageTimeoutMs / 1000} s (killed)` : `child process died (${seg.exit}): ${keyLine(seg.stderr)}`;
    run.failures.set(seg.current, { kind, message, ...(seg.stderr ? { stack: tail(seg.stderr, 1500).trim() } : {}) });
    process.stderr.write(`\n${tool}: ${label(seg.current)}: ${kind}: ${message}\n`);
    done++;
    from = seg.current + 1;
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return run;
}

// ---------------------------------------------------------------------------------------------- output

const MB = 1024 * 1024;
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmt1 = (n: number): string => n.toFixed(1);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

interface SideSummary {
  /** Wall time, sum over the packages, ms. */
  ms: number;
  /** CPU time (user + system, all threads), sum over the packages, ms. */
  cpuMs: number;
  linesPerSec: number;
  filesPerSec: number;
  peakRssMB: number;
  rssAfterWarmupMB?: number;
  warmupMs?: number;
  findings: number;
  processes: number;
}

function summarize(run: SideRun, common: number[], files: number, lines: number): SideSummary {
  let ms = 0;
  let cpuMs = 0;
  let findings = 0;
  for (const i of common) {
    const r = run.results.get(i)!;
    ms += r.ms;
    cpuMs += r.cpuMs;
    findings += r.findings;
  }
  const s = ms / 1000;
  const rate = (n: number): number => (s > 0 ? n / s : 0);
  return {
    ms: Math.round(ms),
    cpuMs: Math.round(cpuMs),
    linesPerSec: Math.round(rate(lines)),
    filesPerSec: +rate(files).toFixed(1),
    peakRssMB: +(run.peakRss / MB).toFixed(1),
    ...(run.rssAfterWarmup !== undefined ? { rssAfterWarmupMB: +(run.rssAfterWarmup / MB).toFixed(1) } : {}),
    ...(run.warmupMs !== undefined ? { warmupMs: Math.round(run.warmupMs) } : {}),
    findings,
    processes: run.processes,
  };
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const { opts, selection } = parseArgs(process.argv.slice(2));
  const cacheDir = benchCacheDir();
  const specs = selectSpecs(corpusSpecs(), selection);
  if (!specs.length) throw new Error('no corpus package selected');

  // 1. fetch
  process.stderr.write(`fetching ${specs.length} packages into ${path.relative(process.cwd(), cacheDir) || '.'} …\n`);
  const f0 = performance.now();
  const { fetched, failed } = await fetchCorpus(specs, {
    cacheDir,
    concurrency: opts.concurrency,
    onDone: (r, done, total) => {
      if (!r.ok) process.stderr.write(`  fetch failed: ${r.failure.spec}: ${r.failure.error.split('\n')[0]}\n`);
      else if (done % 20 === 0 || done === total) process.stderr.write(`  ${done}/${total}\n`);
    },
  });
  process.stderr.write(`fetched ${fetched.length}, failed ${failed.length} (${fmt1((performance.now() - f0) / 1000)} s)\n`);
  if (opts.fetchOnly) {
    for (const f of failed) process.stdout.write(`FAILED ${f.spec}: ${f.error}\n`);
    return;
  }

  // 2. manifest
  const packages: ManifestPackage[] = [];
  const empty: string[] = [];
  let otherLanguageFiles = 0;
  for (const p of fetched) {
    const files = p.acquired.files.filter((f) => JS_TS.has(f.language));
    otherLanguageFiles += p.acquired.files.length - files.length;
    if (!files.length) {
      empty.push(p.spec);
      continue;
    }
    let lines = 0;
    let bytes = 0;
    for (const f of files) {
      const buf = readFileSync(f.abs); // also warms the OS file cache for both tools
      lines += countLines(buf);
      bytes += buf.length;
    }
    packages.push({ spec: p.spec, acquired: { ...p.acquired, files }, lines, bytes });
  }
  const work = path.join(cacheDir, 'speed');
  mkdirSync(work, { recursive: true });
  const manifest: Manifest = { cacheDir, warmup: writeWarmup(path.join(cacheDir, 'speed', 'warmup')), packages };
  const manifestFile = path.join(work, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const label = (i: number): string => packages[i].spec;
  process.stderr.write(
    `measuring ${packages.length} packages (${fmtInt(packages.reduce((n, p) => n + p.acquired.files.length, 0))} files, ` +
      `${fmtInt(packages.reduce((n, p) => n + p.lines, 0))} lines)` +
      (empty.length ? `; ${empty.length} without JS/TS files to analyse` : '') +
      '\n',
  );

  // 3. one child per tool, one after the other
  const loadStart = os.loadavg()[0];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const mcp = await runSide('mcp-risk', path.join(here, 'lib', 'run-mcp-risk.js'), manifestFile, packages.length, opts, label);
  const eslint = opts.skipEslint ? undefined : await runSide('eslint', path.join(here, 'lib', 'run-eslint.js'), manifestFile, packages.length, opts, label);

  // 4. summary over the packages both completed
  const common = packages.map((_, i) => i).filter((i) => mcp.results.has(i) && (!eslint || eslint.results.has(i)));
  let files = 0;
  let lines = 0;
  let bytes = 0;
  for (const i of common) {
    files += packages[i].acquired.files.length;
    lines += packages[i].lines;
    bytes += packages[i].bytes;
  }
  const mcpSum = summarize(mcp, common, files, lines);
  const eslSum = eslint ? summarize(eslint, common, files, lines) : undefined;
  const mcpExtra = (i: number): Record<string, unknown> => mcp.results.get(i)?.extra ?? {};
  let parseMs = 0;
  let analysisMs = 0;
  const partial: string[] = [];
  const budget: string[] = [];
  for (const i of common) {
    const x = mcpExtra(i);
    parseMs += Number(x.parseMs ?? 0);
    analysisMs += Number(x.analysisMs ?? 0);
    if (x.partial) partial.push(packages[i].spec);
    if ((x.warnings as Record<string, number> | undefined)?.['analysis-budget']) budget.push(packages[i].spec);
  }
  let eslintFatal = 0;
  const eslintByRule: Record<string, number> = {};
  if (eslint) {
    for (const i of common) {
      const x = eslint.results.get(i)!.extra;
      eslintFatal += Number(x.fatal ?? 0);
      for (const [k, v] of Object.entries((x.byRule as Record<string, number>) ?? {})) eslintByRule[k] = (eslintByRule[k] ?? 0) + v;
    }
  }
  const speedRatio = eslSum && mcpSum.ms > 0 ? +(eslSum.ms / mcpSum.ms).toFixed(2) : undefined;
  const cpuRatio = eslSum && mcpSum.cpuMs > 0 ? +(eslSum.cpuMs / mcpSum.cpuMs).toFixed(2) : undefined;
  const memRatio = eslSum && eslSum.peakRssMB > 0 ? +(mcpSum.peakRssMB / eslSum.peakRssMB).toFixed(2) : undefined;

  const failures = (run: SideRun | undefined): { spec: string; kind: string; message: string; ms?: number; detail?: string }[] =>
    run
      ? [...run.failures]
          .sort((a, b) => a[0] - b[0])
          .map(([i, f]) => ({
            spec: packages[i].spec,
            kind: f.kind,
            message: f.message,
            ...(f.ms !== undefined ? { ms: Math.round(f.ms) } : {}),
            ...(f.stack ? { detail: f.stack.split(cacheDir + path.sep).join('') } : {}),
          }))
      : [];
  const slowest = common
    .map((i) => ({ i, ms: mcp.results.get(i)!.ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map(({ i, ms }) => {
      const x = mcpExtra(i);
      return {
        spec: packages[i].spec,
        files: packages[i].acquired.files.length,
        lines: packages[i].lines,
        ms: Math.round(ms),
        parseMs: Math.round(Number(x.parseMs ?? 0)),
        analysisMs: Math.round(Number(x.analysisMs ?? 0)),
        linesPerSec: Math.round(packages[i].lines / (ms / 1000)),
        ...(eslint ? { eslintMs: Math.round(eslint.results.get(i)!.ms) } : {}),
      };
    });

  // ---- print
  const out: string[] = [];
  if (opts.verbose) {
    out.push('');
    out.push(`${pad('package', 58)} ${lpad('files', 6)} ${lpad('lines', 9)} ${lpad('mcp-risk ms', 12)} ${lpad('eslint ms', 10)} ${lpad('mcp-risk#', 10)} ${lpad('eslint#', 8)}  note`);
    packages.forEach((p, i) => {
      const m = mcp.results.get(i);
      const e = eslint?.results.get(i);
      const notes: string[] = [];
      const mf = mcp.failures.get(i);
      const ef = eslint?.failures.get(i);
      if (mf) notes.push(`mcp-risk ${mf.kind}`);
      if (ef) notes.push(`eslint ${ef.kind}`);
      if (m?.extra.partial) notes.push('partial');
      if (e && Number(e.extra.fatal)) notes.push(`eslint parse errors: ${String(e.extra.fatal)}`);
      out.push(
        `${pad(p.spec, 58)} ${lpad(String(p.acquired.files.length), 6)} ${lpad(fmtInt(p.lines), 9)} ${lpad(m ? fmtInt(m.ms) : '-', 12)} ${lpad(e ? fmtInt(e.ms) : '-', 10)} ` +
          `${lpad(m ? String(m.findings) : '-', 10)} ${lpad(e ? String(e.findings) : '-', 8)}  ${notes.join(', ')}`,
      );
    });
  }
  out.push('');
  out.push(
    `corpus: ${specs.length} specs, ${fetched.length} fetched, ${failed.length} failed to fetch, ${empty.length} without JS/TS files; ` +
      `measured ${common.length} packages: ${fmtInt(files)} files, ${fmtInt(lines)} lines, ${fmt1(bytes / MB)} MB`,
  );
  out.push('');
  out.push(`${pad('', 26)} ${lpad('wall s', 8)} ${lpad('cpu s', 8)} ${lpad('lines/s', 10)} ${lpad('files/s', 9)} ${lpad('peak MB', 9)} ${lpad('findings', 9)}`);
  const row = (name: string, s: SideSummary): string =>
    `${pad(name, 26)} ${lpad(fmt1(s.ms / 1000), 8)} ${lpad(fmt1(s.cpuMs / 1000), 8)} ${lpad(fmtInt(s.linesPerSec), 10)} ${lpad(fmt1(s.filesPerSec), 9)} ${lpad(fmt1(s.peakRssMB), 9)} ${lpad(fmtInt(s.findings), 9)}`;
  out.push(row('mcp-risk (taint)', mcpSum));
  if (eslSum) out.push(row('ESLint + plugin-security', eslSum));
  out.push('');
  out.push(`mcp-risk time: parse ${fmt1(parseMs / 1000)} s, analysis ${fmt1(analysisMs / 1000)} s; warm-up ${fmtInt(mcpSum.warmupMs ?? 0)} ms (not counted)`);
  if (eslSum) {
    out.push(`ESLint parse errors (fatal, not findings): ${eslintFatal}; warm-up ${fmtInt(eslSum.warmupMs ?? 0)} ms (not counted)`);
    out.push(`ratio (mcp-risk speed / ESLint speed): ${speedRatio}x wall-clock, ${cpuRatio}x CPU time   peak memory mcp-risk / ESLint: ${memRatio}x`);
  }
  const load = [loadStart, os.loadavg()[0]];
  if (Math.max(...load) > os.cpus().length) {
    out.push(`warning: the machine was busy (1-min load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ${os.cpus().length} CPUs): wall-clock times are inflated; CPU times are more stable`);
  }
  if (partial.length) out.push(`mcp-risk partial results: ${partial.length} packages${budget.length ? ` (analysis budget hit: ${budget.join(', ')})` : ''}`);
  out.push('');
  out.push('slowest packages for mcp-risk:');
  for (const s of slowest) {
    out.push(
      `  ${pad(s.spec, 58)} ${lpad(fmtInt(s.ms), 7)} ms (parse ${fmtInt(s.parseMs)}, analysis ${fmtInt(s.analysisMs)}) ${lpad(fmtInt(s.lines), 8)} lines` +
        (s.eslintMs !== undefined ? `  eslint ${fmtInt(s.eslintMs)} ms` : ''),
    );
  }
  const problems = [
    ...failed.map((f: FailedPackage) => `fetch failed: ${f.spec}: ${f.error.split('\n')[0]}`),
    ...failures(mcp).map((f) => `mcp-risk ${f.kind}: ${f.spec}: ${f.message.split('\n')[0]}`),
    ...failures(eslint).map((f) => `eslint ${f.kind}: ${f.spec}: ${f.message.split('\n')[0]}`),
    ...(mcp.fatal ? [`mcp-risk: ${mcp.fatal}`] : []),
    ...(eslint?.fatal ? [`eslint: ${eslint.fatal}`] : []),
  ];
  if (problems.length) {
    out.push('');
    out.push('problems:');
    for (const p of problems) out.push(`  ${p}`);
  }
  process.stdout.write(out.join('\n') + '\n');

  // ---- JSON
  const cpus = os.cpus();
  const rel = (s: unknown): unknown => (typeof s === 'string' ? s.split(cacheDir + path.sep).join('') : s);
  const json = {
    benchmark: 'speed',
    generatedAt: new Date().toISOString(),
    machine: { loadAverage1m: { start: +loadStart.toFixed(2), end: +os.loadavg()[0].toFixed(2) }, platform: `${os.platform()} ${os.release()}`, arch: os.arch(), cpu: cpus[0]?.model ?? 'unknown', cpus: cpus.length, memoryMB: Math.round(os.totalmem() / MB), node: process.version },
    versions: { ...mcp.versions, ...(eslint?.versions ?? {}) },
    method: {
      files: 'JS/TS files chosen by mcp-risk acquire (default exclusions); ESLint lints exactly the same list',
      lines: "text.split('\\n').length per non-empty file",
      cpuTime: 'process.cpuUsage() delta around each package (user + system, all threads incl. GC), summed',
      time: 'sum of per-package wall times after one warm-up, one run each, each tool in its own child process, sequentially',
      peakMemory: 'process.resourceUsage().maxRSS of the child process (whole process, warm-up included)',
      eslintConfig: 'flat config, overrideConfigFile: true, eslint-plugin-security recommended, @typescript-eslint/parser (no type info) for .ts/.tsx, cache off, ignore off, inline config off, single thread',
    },
    corpus: {
      specs: specs.length,
      fetched: fetched.length,
      failedToFetch: failed.map((f) => ({ spec: f.spec, error: f.error })),
      withoutJsTsFiles: empty,
      otherLanguageFilesDropped: otherLanguageFiles,
      measuredPackages: common.length,
      files,
      lines,
      bytes,
    },
    mcpRisk: { ...mcpSum, parseMs: Math.round(parseMs), analysisMs: Math.round(analysisMs), partialPackages: partial, analysisBudgetHit: budget, failures: failures(mcp), slowest },
    eslint: eslSum ? { ...eslSum, parseErrors: eslintFatal, findingsByRule: eslintByRule, failures: failures(eslint) } : null,
    ratio: eslSum ? { speed: speedRatio ?? null, cpu: cpuRatio ?? null, peakMemory: memRatio ?? null } : null,
    packages: packages.map((p, i) => {
      const m = mcp.results.get(i);
      const e = eslint?.results.get(i);
      return {
        spec: p.spec,
        files: p.acquired.files.length,
        lines: p.lines,
        bytes: p.bytes,
        mcpRisk: m
          ? { ms: Math.round(m.ms), cpuMs: Math.round(m.cpuMs), parseMs: Math.round(Number(m.extra.parseMs ?? 0)), analysisMs: Math.round(Number(m.extra.analysisMs ?? 0)), findings: m.findings, partial: Boolean(m.extra.partial), ...(m.extra.partial ? { warnings: m.extra.warnings } : {}), rssMB: +(m.rss / MB).toFixed(1) }
          : { failure: mcp.failures.get(i) ? { kind: mcp.failures.get(i)!.kind, message: mcp.failures.get(i)!.message } : null },
        eslint: eslint
          ? e
            ? { ms: Math.round(e.ms), cpuMs: Math.round(e.cpuMs), rssMB: +(e.rss / MB).toFixed(1), findings: e.findings, parseErrors: Number(e.extra.fatal ?? 0), ...(e.extra.fatalSample ? { parseErrorSample: rel(e.extra.fatalSample) } : {}) }
            : { failure: eslint.failures.get(i) ? { kind: eslint.failures.get(i)!.kind, message: eslint.failures.get(i)!.message } : null }
          : null,
      };
    }),
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(json, null, 2) + '\n');
  process.stderr.write(`\nwrote ${path.relative(process.cwd(), opts.out)}\n`);
  if (mcp.fatal || eslint?.fatal || !common.length) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:speed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
