/**
 * Landscape benchmark: `mcp-risk landscape` on the real npm servers of ../shared/corpus/landscape-npm.txt,
 * twice:
 *   cold  an empty download cache of its own (bench/.cache/landscape/cache) and an empty npm cache, so every
 *         package is fetched from the registry;
 *   warm  the same list again on that cache (a new output folder): no network for pinned specs.
 * Prints servers/minute, lines/s, peak memory (per worker and overall), cache hit rate, and the landscape's
 * headline statistics; writes bench/results/landscape.json.
 *
 *   npm run build && node build/bench/landscape.js [--jobs N] [--limit N] [--timeout S] [--max-memory MB]
 *                                                  [--skip-cold] [--list FILE] [--out FILE]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultJobs, runLandscape, type LandscapeRunResult } from '../src/landscape/run.js';
import { corpusDir, repoRoot } from './lib/corpus.js';

interface Options {
  jobs: number;
  limit?: number;
  timeoutSec: number;
  maxMemoryMb: number;
  skipCold: boolean;
  list: string;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    jobs: defaultJobs(),
    timeoutSec: 300,
    maxMemoryMb: 2048,
    skipCold: false,
    list: path.join(corpusDir(), 'landscape-npm.txt'),
    out: path.join(repoRoot(), 'bench', 'results', 'landscape.json'),
  };
  let outGiven = false;
  let listGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a} needs a positive number`);
      return n;
    };
    if (a === '--jobs' || a === '-j') o.jobs = Math.floor(num());
    else if (a === '--limit') o.limit = Math.floor(num());
    else if (a === '--timeout') o.timeoutSec = num();
    else if (a === '--max-memory') o.maxMemoryMb = Math.floor(num());
    else if (a === '--skip-cold') o.skipCold = true;
    else if (a === '--list') {
      o.list = path.resolve(argv[++i] ?? '');
      listGiven = true;
    }
    else if (a === '--out') {
      o.out = path.resolve(argv[++i] ?? '');
      outGiven = true;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node build/bench/landscape.js [--jobs N] [--limit N] [--timeout S] [--max-memory MB] [--skip-cold] [--list FILE] [--out FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown option: ${a}`);
  }
  // a partial run (warm only, part of the list, another list) does not replace the recorded one
  if (!outGiven && (o.skipCold || o.limit !== undefined || listGiven)) o.out = path.join(repoRoot(), 'bench', 'results', 'landscape-partial.json');
  return o;
}

const mb = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

interface Phase {
  phase: 'cold' | 'warm';
  servers: number;
  ok: number;
  failed: number;
  wallSeconds: number;
  serversPerMinute: number;
  /** Lines analysed (servers with source code) per wall-clock second, end to end. */
  linesPerSecond: number;
  /** Lines per second of analysis time summed over the workers. */
  linesPerAnalysisSecond: number;
  lines: number;
  cache: { hit: number; miss: number; local: number; unknown: number; hitRate: number | null };
  memory: {
    /** Highest resident set of any worker process, MB. */
    peakWorkerRssMb: number;
    /** Resident-set peaks of the worker processes, MB (order of start). */
    workerPeaksMb: number[];
    /** Highest sampled sum of the parent's and the live workers' resident sets, MB. */
    peakTotalRssMb: number;
    /** The parent (landscape process) alone, MB. */
    parentMaxRssMb: number;
    workersStarted: number;
  };
  acquireSeconds: number;
  analysisSeconds: number;
  slowest: { label: string; ms: number }[];
  failures: { code: string; servers: number; examples: string[] }[];
}

function phase(name: Phase['phase'], r: LandscapeRunResult): Phase {
  const s = r.stats;
  const p = r.performance;
  if (!s || !p || !r.pool) throw new Error(`${name}: the run did not complete`);
  const wall = r.wallMs / 1000;
  return {
    phase: name,
    servers: s.totals.planned,
    ok: s.totals.ok,
    failed: s.totals.failed,
    wallSeconds: Math.round(wall * 10) / 10,
    serversPerMinute: Math.round((s.totals.planned / wall) * 60 * 10) / 10,
    linesPerSecond: Math.round(s.totals.lines / wall),
    linesPerAnalysisSecond: p.linesPerAnalysisSecond,
    lines: s.totals.lines,
    cache: p.cache,
    memory: {
      peakWorkerRssMb: Math.max(0, ...r.pool.workerPeakRssMb),
      workerPeaksMb: r.pool.workerPeakRssMb,
      peakTotalRssMb: r.pool.peakTotalRssMb,
      parentMaxRssMb: mb(process.resourceUsage().maxRSS),
      workersStarted: r.pool.workersStarted,
    },
    acquireSeconds: Math.round(p.acquireMs / 100) / 10,
    analysisSeconds: Math.round(p.analysisMs / 100) / 10,
    slowest: p.slowest,
    failures: s.failures,
  };
}

function printPhase(p: Phase): void {
  const c = p.cache;
  process.stdout.write(
    `\n${p.phase.toUpperCase()}: ${p.servers} servers in ${p.wallSeconds} s — ${p.serversPerMinute} servers/min, ${p.linesPerSecond.toLocaleString('en-US')} lines/s ` +
      `(${p.lines.toLocaleString('en-US')} lines; ${p.linesPerAnalysisSecond.toLocaleString('en-US')} lines per analysis-second)\n` +
      `  ok ${p.ok}, failed ${p.failed}; cache hits ${c.hit}, misses ${c.miss} (hit rate ${c.hitRate === null ? '—' : `${Math.round(c.hitRate * 1000) / 10}%`})\n` +
      `  peak memory: worker ${p.memory.peakWorkerRssMb} MB (of ${p.memory.workersStarted} workers), all processes ${p.memory.peakTotalRssMb} MB, landscape process ${p.memory.parentMaxRssMb} MB\n` +
      `  time in workers: acquire ${p.acquireSeconds} s, analysis ${p.analysisSeconds} s; slowest ${p.slowest.map((x) => `${x.label} ${(x.ms / 1000).toFixed(1)} s`).join(', ')}\n`,
  );
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const base = path.join(repoRoot(), 'bench', '.cache', 'landscape');
  mkdirSync(base, { recursive: true });
  let list = o.list;
  if (o.limit !== undefined) {
    const lines = readFileSync(o.list, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
      .slice(0, o.limit);
    list = path.join(base, `list-${o.limit}.txt`);
    writeFileSync(list, `${lines.join('\n')}\n`);
  }
  const cache = path.join(base, 'cache');
  const npmCache = path.join(base, 'npm-cache');
  const common = { input: list, cacheDir: cache, jobs: o.jobs, timeoutSec: o.timeoutSec, maxMemoryMb: o.maxMemoryMb, progress: 'lines' as const, env: { ...process.env, npm_config_cache: npmCache } };
  process.stdout.write(`landscape benchmark: ${list}, ${o.jobs} workers, ${o.timeoutSec} s / ${o.maxMemoryMb} MB per server, ${os.cpus().length} CPUs\n`);

  const phases: Phase[] = [];
  if (!o.skipCold) {
    rmSync(cache, { recursive: true, force: true });
    rmSync(npmCache, { recursive: true, force: true });
    rmSync(path.join(base, 'cold'), { recursive: true, force: true });
    const cold = await runLandscape({ ...common, out: path.join(base, 'cold') });
    phases.push(phase('cold', cold));
    printPhase(phases[phases.length - 1] as Phase);
  }
  rmSync(path.join(base, 'warm'), { recursive: true, force: true });
  const warm = await runLandscape({ ...common, out: path.join(base, 'warm') });
  phases.push(phase('warm', warm));
  printPhase(phases[phases.length - 1] as Phase);

  const s = warm.stats;
  if (!s) throw new Error('the warm run did not complete');
  const headline = {
    totals: s.totals,
    topCwesByServers: s.cwe.slice(0, 10).map((c) => ({ cwe: c.cwe, name: c.name, servers: c.servers, share: c.share, findings: c.findings })),
    topCapecs: s.capec.slice(0, 10).map((c) => ({ capec: c.capec, name: c.name, servers: c.servers, likelihood: c.likelihoodLabel, severity: c.severityLabel })),
    primitives: s.primitives,
    cia: s.cia,
    scores: { mcpInSos: s.scores.mcpInSos, contextual: s.scores.contextual, grades: s.scores.grades },
    worst: s.ranking.slice(0, 10).map((r) => ({ rank: r.rank, server: r.label, findings: r.findings, rOverall: r.rOverall, contextual: r.contextual, grade: r.grade, cwes: r.cwes })),
    languages: s.languages,
    failures: s.failedServers,
    partial: s.partialCodes,
  };
  process.stdout.write(
    `\nHEADLINE (${s.totals.planned} servers; ${s.totals.scored} assessed with source code, ${s.totals.noSource} without, ${s.totals.failed} failed)\n` +
      `  ${s.totals.findings} findings in ${s.totals.withFindings} servers (${Math.round((s.totals.withFindings / Math.max(1, s.totals.scored)) * 100)}%)\n` +
      `  top CWEs by servers affected: ${headline.topCwesByServers.map((c) => `CWE-${c.cwe} ${c.servers} (${Math.round(c.share * 100)}%)`).join(', ')}\n` +
      `  R_overall: median ${s.scores.mcpInSos.summary.median}, p90 ${s.scores.mcpInSos.summary.p90}, max ${s.scores.mcpInSos.summary.max}, zero ${s.scores.mcpInSos.summary.zero}; ` +
      `histogram ${s.scores.mcpInSos.histogram.map((b) => `${b.label}:${b.servers}`).join(' ')}\n` +
      `  contextual: median ${s.scores.contextual.summary.median}, mean ${s.scores.contextual.summary.mean}; grades ${s.scores.grades.map((g) => `${g.grade}:${g.servers}`).join(' ')}\n` +
      `  worst: ${headline.worst.slice(0, 5).map((w) => `${w.server} (R ${w.rOverall}, ${w.contextual} ${w.grade})`).join('; ')}\n` +
      `  failures: ${s.failedServers.map((f) => `${f.label} — ${f.code}: ${f.message.split('\n')[0]}`).join('; ') || 'none'}\n`,
  );

  const result = {
    benchmark: 'landscape',
    generatedAt: new Date().toISOString(),
    machine: { platform: `${os.platform()} ${os.release()}`, arch: os.arch(), cpus: os.cpus().length, memoryMB: Math.round(os.totalmem() / 1048576), node: process.version },
    method: {
      list: path.relative(repoRoot(), o.list),
      limit: o.limit ?? null,
      jobs: o.jobs,
      timeoutSec: o.timeoutSec,
      maxMemoryMb: o.maxMemoryMb,
      cold: 'empty mcp-risk cache and empty npm cache (every package fetched with npm pack from the registry)',
      warm: 'the same cache again, a new output folder',
      serversPerMinute: 'servers in the list / wall-clock minutes of the whole landscape run (planning, workers, store, outputs)',
      linesPerSecond: 'lines of the servers with source code / wall-clock seconds',
      memory: 'resident set sampled every 200 ms from /proc per worker; overall = parent + live workers',
      cacheHitRate: 'npm targets served from the cache without running npm pack / all npm targets',
    },
    phases,
    headline,
  };
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), o.out)}; dashboards: ${path.join(base, 'cold', 'index.html')}, ${path.join(base, 'warm', 'index.html')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`landscape benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
