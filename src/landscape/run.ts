/**
 * `runLandscape`: assess every server of an input into an output folder.
 *
 *   1. open (or create) <out>/landscape.sqlite; a new run stores its whole plan first; `resume` continues the
 *      latest run (the plan and the result-changing options — aggregation, rules — are the stored ones);
 *   2. the servers without an outcome go to the worker pool (pool.ts, worker.ts), biggest known first (schedule.ts);
 *   3. each outcome is stored in one transaction as it arrives (store.ts) — the progress shows it;
 *   4. when every server has an outcome: statistics (stats.ts), tables, dashboard and per-server reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../acquire/types.js';
import { loadKb } from '../kb/load.js';
import { VERSION } from '../version.js';
import { writeOutputs, type ServerReportRenderer } from './export.js';
import { failedOutcome } from './extract.js';
import { readLandscapeInput } from './input.js';
import { WorkerPool, type PoolOutcome, type PoolStats } from './pool.js';
import { Progress, type ProgressMode, type ProgressStream } from './progress.js';
import { estimateSizes, scheduleOrder } from './schedule.js';
import { computePerformance, computeStats, type LandscapeStats, type PerformanceStats } from './stats.js';
import { LandscapeStore, STORE_FILE } from './store.js';
import type { ServerResult } from './types.js';
import type { AssessJob } from './worker.js';

export interface LandscapeOptions {
  /** Input file (text list, server.json, registry list, seed). Not needed with `resume` on an existing run. */
  input?: string;
  out: string;
  /** Workers at once (default: the number of CPUs). */
  jobs?: number;
  resume?: boolean;
  /** Per-server time budget, seconds (default 300). */
  timeoutSec?: number;
  /** Per-worker V8 heap budget, MB (default 2048). */
  maxMemoryMb?: number;
  cacheDir?: string;
  aggregation?: 'max' | 'mean';
  rules?: string[];
  /** Servers a worker process assesses before it is replaced (default 25; 1 = a fresh process each). */
  jobsPerWorker?: number;
  /** Dispatch order: `size` (default: biggest known first, see schedule.ts) or `input`. */
  order?: 'size' | 'input';
  /** `auto` (default): a bar on a TTY, lines otherwise. */
  progress?: ProgressMode | 'auto';
  stderr?: ProgressStream;
  /** Stop cleanly on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** For tests and benchmarks. */
  workerScript?: string;
  env?: NodeJS.ProcessEnv;
  /** Per-server HTML report renderer (default: report/html.ts); null: JSON reports only. */
  renderer?: ServerReportRenderer | null;
}

export interface LandscapeRunResult {
  outDir: string;
  dbFile: string;
  runId: number;
  resumed: boolean;
  planned: number;
  /** Servers that already had an outcome when this session began. */
  doneBefore: number;
  /** Servers given an outcome in this session. */
  processed: number;
  interrupted: boolean;
  wallMs: number;
  pool?: PoolStats;
  stats?: LandscapeStats;
  performance?: PerformanceStats;
  files: string[];
  notes: string[];
}

export { DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_SEC, defaultJobs } from './defaults.js';
import { DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_SEC, defaultJobs } from './defaults.js';

/** Whether a process id belongs to a live Node process (Linux: checks the command line). */
function ownerAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return /node|mcp-risk/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

function workerScript(): string {
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

export async function runLandscape(opts: LandscapeOptions): Promise<LandscapeRunResult> {
  const t0 = performance.now();
  const outDir = path.resolve(opts.out);
  await mkdir(outDir, { recursive: true });
  const dbFile = path.join(outDir, STORE_FILE);
  const notes: string[] = [];
  const store = LandscapeStore.open(dbFile);
  let runId = 0;
  let finished = false;
  try {
    let run = store.latestRun();
    const resumed = run !== undefined;
    if (run) {
      if (!opts.resume) {
        const c = store.counts(run.id);
        throw new UserError(
          `${outDir} already holds a landscape run (${c.done}/${c.planned} servers done${run.finishedAt ? ', finished' : ''}): add --resume to continue it (or to rewrite its outputs), or choose another --out`,
        );
      }
      const owner = store.ownerPid(run.id);
      if (owner !== undefined && ownerAlive(owner)) {
        throw new UserError(`another mcp-risk process (pid ${owner}) is running this landscape; wait for it or stop it first`);
      }
      store.claim(run.id, true);
      if (opts.input) {
        const now = await readLandscapeInput(opts.input);
        if (now.sha256 !== run.inputSha256) notes.push(`the input changed since the run began: the run's stored plan is used (${path.resolve(opts.input)})`);
      }
      if (run.toolVersion !== VERSION) notes.push(`the run began with mcp-risk ${run.toolVersion}; this is ${VERSION}`);
      const kb = loadKb();
      if (kb.contentHash !== run.kb.contentHash) notes.push(`the knowledge base changed since the run began (CWE ${run.kb.cwe}/CAPEC ${run.kb.capec} then)`);
      for (const k of ['aggregation', 'rules'] as const) {
        const given = opts[k];
        if (given !== undefined && JSON.stringify(given) !== JSON.stringify(run.options[k])) notes.push(`--${k} ignored: a resumed run keeps its own (${JSON.stringify(run.options[k])})`);
      }
    } else {
      if (!opts.input) throw new UserError('no landscape input given');
      const parsed = await readLandscapeInput(opts.input);
      notes.push(...parsed.notes);
      const kb = loadKb();
      runId = store.createRun(
        {
          input: path.resolve(opts.input),
          format: parsed.format,
          inputSha256: parsed.sha256,
          toolVersion: VERSION,
          kb: { cwe: kb.catalogs.cwe.version, capec: kb.catalogs.capec.version, contentHash: kb.contentHash },
          options: { aggregation: opts.aggregation ?? 'max', rules: opts.rules ?? [] },
          notes: parsed.notes,
        },
        parsed.targets,
      );
      run = store.latestRun();
    }
    if (!run) throw new Error('the landscape run was not stored');
    runId = run.id;
    const aggregation = (run.options.aggregation === 'mean' ? 'mean' : 'max') as 'max' | 'mean';
    const rules = Array.isArray(run.options.rules) ? (run.options.rules as string[]) : [];

    const planned = store.pending(runId);
    const pending = opts.order === 'input' ? planned : scheduleOrder(planned, await estimateSizes(planned, opts.cacheDir, process.cwd()));
    const counts = store.counts(runId);
    const doneBefore = counts.done;
    const timeoutMs = Math.max(1, (opts.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000);
    const stream = opts.stderr ?? process.stderr;
    const mode: ProgressMode = !opts.progress || opts.progress === 'auto' ? (stream.isTTY ? 'bar' : 'lines') : opts.progress;
    const progress = new Progress(counts.planned, doneBefore, stream, mode);
    const labels = new Map(pending.map((p) => [p.id, p.label]));

    const pool = new WorkerPool<AssessJob, ServerResult>({
      script: opts.workerScript ?? workerScript(),
      concurrency: Math.max(1, Math.floor(opts.jobs ?? defaultJobs())),
      timeoutMs,
      maxMemoryMb: opts.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB,
      jobsPerWorker: opts.jobsPerWorker,
      env: opts.env,
    });
    let interrupted = false;
    const onSignal = (): void => {
      interrupted = true;
      pool.stop();
    };
    const handle = opts.handleSignals ?? true;
    if (handle) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    let processed = 0;
    let poolStats: PoolStats | undefined;
    try {
      poolStats = await pool.run(
        pending.map((p) => ({
          key: p.id,
          payload: {
            target: p.target,
            cwd: process.cwd(),
            cacheDir: opts.cacheDir,
            acquireTimeoutMs: Math.min(120_000, timeoutMs),
            aggregation,
            rules,
          },
        })),
        {
          onStart: (key) => {
            store.markStarted(runId, key);
            progress.start(key, labels.get(key) ?? String(key));
          },
          onDone: (o: PoolOutcome<ServerResult>) => {
            const result = outcomeOf(o);
            if (store.saveResult(runId, o.key, result)) processed++;
            progress.finish(o.key, labels.get(o.key) ?? String(o.key), result.outcome);
          },
        },
      );
    } finally {
      if (handle) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      progress.close();
    }

    const result: LandscapeRunResult = {
      outDir,
      dbFile,
      runId,
      resumed,
      planned: counts.planned,
      doneBefore,
      processed,
      interrupted,
      wallMs: 0,
      pool: poolStats,
      files: [],
      notes,
    };
    if (interrupted) {
      result.wallMs = performance.now() - t0;
      return result;
    }
    if (store.counts(runId).done === counts.planned) {
      store.finish(runId);
      finished = true;
    }
    const data = store.load(runId);
    result.stats = computeStats(data);
    result.performance = computePerformance(data);
    result.files = await writeOutputs(outDir, data, result.stats, result.performance, {
      report: (id) => store.report(runId, id),
      renderer: opts.renderer,
    });
    result.wallMs = performance.now() - t0;
    return result;
  } finally {
    try {
      if (runId && !finished) store.release(runId);
    } finally {
      store.close();
    }
  }
}

/** A pool outcome as a stored result: crashes, timeouts and memory kills become failures of the server. */
export function outcomeOf(o: PoolOutcome<ServerResult>): ServerResult {
  if (o.ok) return { ...o.value, outcome: { ...o.value.outcome, peakRssMb: o.peakRssMb } };
  return {
    outcome: failedOutcome(o.code, o.message, { ms: o.ms, peakRssMb: o.peakRssMb }),
    findings: [],
    warnings: [],
    warningCount: 0,
    weaknesses: [],
  };
}

/** Whether a folder holds a landscape store. */
export function hasLandscape(dir: string): boolean {
  return existsSync(path.join(dir, STORE_FILE));
}
