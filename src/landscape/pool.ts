/**
 * Worker pool: forked Node processes (child_process.fork), one job at a time each, `concurrency` at once.
 *
 * Budgets per job:
 *   time     a timer per job; past it the worker's process group is killed (SIGKILL): outcome `timeout`.
 *   memory   the worker's V8 heap is capped with `--max-old-space-size=<maxMemoryMb>`; a worker that dies of
 *            it is `out-of-memory`. Off-heap memory (WebAssembly parsers, buffers) is watched by sampling the
 *            worker's resident set size (Linux /proc): past `rssLimitMb` (default 1.5 × maxMemoryMb + 256)
 *            the worker is killed: `out-of-memory`.
 *   crash    a worker that exits while running a job: `crash`, with the last line of its stderr.
 * A failed worker is replaced; the run goes on. Workers are reused for `jobsPerWorker` jobs (1 = a fresh
 * process per job) — starting one costs about 0.4 s of CPU (runtime, knowledge base, parsers).
 *
 * Workers run detached in their own process group, so a kill reaches the programs they started (npm, git).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ParentMessage, WorkerMessage } from './worker-runtime.js';
import { childV8Flags } from '../v8-flags.js';

export interface PoolOptions {
  /** The worker script (calls `serveJobs`). */
  script: string;
  concurrency: number;
  /** Per-job time budget, ms. */
  timeoutMs: number;
  /** V8 heap cap per worker, MB. */
  maxMemoryMb: number;
  /** Resident-set cap per worker, MB (default 1.5 × maxMemoryMb + 256). */
  rssLimitMb?: number;
  /** Jobs a worker runs before it is replaced (default 25; 1 = a fresh process per job). */
  jobsPerWorker?: number;
  env?: NodeJS.ProcessEnv;
  /** Memory sampling interval, ms (default 200). */
  sampleMs?: number;
}

export interface PoolJob<P> {
  key: number;
  payload: P;
}

export type PoolFailureCode = 'timeout' | 'out-of-memory' | 'crash' | 'worker-error';

export type PoolOutcome<R> = {
  key: number;
  pid: number;
  /** Wall time from dispatch to answer, ms. */
  ms: number;
  /** Highest sampled/reported resident set of the worker while it ran this job, MB. */
  peakRssMb: number;
} & ({ ok: true; value: R } | { ok: false; code: PoolFailureCode; message: string });

export interface PoolStats {
  workersStarted: number;
  /** Per worker process: its highest resident set, MB (order of start). */
  workerPeakRssMb: number[];
  /** Highest sampled sum of the parent's and all live workers' resident sets, MB. */
  peakTotalRssMb: number;
}

export interface PoolHandlers<R> {
  onStart?: (key: number, pid: number) => void;
  onDone: (outcome: PoolOutcome<R>) => void | Promise<void>;
}

interface Worker {
  child: ChildProcess;
  pid: number;
  index: number;
  jobs: number;
  stderrTail: string;
  rssMb: number;
  peakMb: number;
  exited: boolean;
  exit: Promise<void>;
}

const STDERR_TAIL = 8192;

/** Resident set of a process, MB, from /proc (undefined elsewhere or when it is gone). */
export function rssOfPid(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export class WorkerPool<P, R> {
  private readonly live = new Set<Worker>();
  private stopped = false;
  private started = 0;
  private readonly peaks: number[] = [];
  private peakTotal = 0;
  private readonly rssLimitMb: number;
  private readonly jobsPerWorker: number;
  private readonly current = new Map<Worker, (reason: { code: PoolFailureCode; message: string }) => void>();

  constructor(private readonly opts: PoolOptions) {
    this.rssLimitMb = opts.rssLimitMb ?? Math.round(opts.maxMemoryMb * 1.5 + 256);
    this.jobsPerWorker = Math.max(1, opts.jobsPerWorker ?? 25);
  }

  /** Stop dispatching and kill every worker; `run` resolves once the jobs in flight are abandoned. */
  stop(): void {
    this.stopped = true;
    for (const w of this.live) this.kill(w);
  }

  async run(jobs: readonly PoolJob<P>[], handlers: PoolHandlers<R>): Promise<PoolStats> {
    const queue = [...jobs];
    const sampler = setInterval(() => this.sample(), this.opts.sampleMs ?? 200);
    sampler.unref();
    const lane = async (): Promise<void> => {
      let w: Worker | undefined;
      while (!this.stopped) {
        const job = queue.shift();
        if (!job) break;
        if (!w || w.exited || w.jobs >= this.jobsPerWorker) {
          if (w) this.retire(w);
          w = this.spawn();
        }
        w.jobs++;
        handlers.onStart?.(job.key, w.pid);
        const outcome = await this.runOne(w, job);
        if (this.stopped) break;
        if (!outcome.ok && outcome.code !== 'worker-error') {
          this.kill(w);
          w = undefined;
        }
        await handlers.onDone(outcome);
      }
      if (w) this.retire(w);
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.concurrency, queue.length || 1)) }, lane));
    } finally {
      clearInterval(sampler);
      await this.drain();
    }
    return { workersStarted: this.started, workerPeakRssMb: this.peaks.map(round1), peakTotalRssMb: round1(this.peakTotal) };
  }

  private spawn(): Worker {
    const child = fork(this.opts.script, [], {
      execArgv: [`--max-old-space-size=${Math.max(16, Math.floor(this.opts.maxMemoryMb))}`, ...childV8Flags()],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
      env: this.opts.env ?? process.env,
    });
    const w: Worker = {
      child,
      pid: child.pid ?? -1,
      index: this.started++,
      jobs: 0,
      stderrTail: '',
      rssMb: 0,
      peakMb: 0,
      exited: false,
      exit: Promise.resolve(),
    };
    this.peaks.push(0);
    w.exit = new Promise<void>((resolve) => {
      child.once('exit', () => {
        w.exited = true;
        this.live.delete(w);
        resolve();
      });
      child.once('error', () => {
        w.exited = true;
        this.live.delete(w);
        resolve();
      });
    });
    child.stderr?.on('data', (b: Buffer) => {
      w.stderrTail = (w.stderrTail + b.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.live.add(w);
    return w;
  }

  private runOne(w: Worker, job: PoolJob<P>): Promise<PoolOutcome<R>> {
    const t0 = performance.now();
    let jobPeak = w.rssMb;
    return new Promise((resolve) => {
      let settled = false;
      // the sampler updates w.rssMb; keep the highest value seen while this job runs
      const peakTimer = setInterval(() => {
        jobPeak = Math.max(jobPeak, w.rssMb);
      }, this.opts.sampleMs ?? 200);
      peakTimer.unref();
      const finish = (o: { ok: true; value: R } | { ok: false; code: PoolFailureCode; message: string }, reported = 0): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(peakTimer);
        w.child.off('message', onMessage);
        w.child.off('exit', onExit);
        w.child.off('error', onError);
        this.current.delete(w);
        jobPeak = Math.max(jobPeak, w.rssMb, reported);
        resolve({ key: job.key, pid: w.pid, ms: Math.round(performance.now() - t0), peakRssMb: round1(jobPeak), ...o });
      };
      const onMessage = (m: WorkerMessage<R>): void => {
        if (!m || m.key !== job.key) return;
        w.rssMb = m.rssMb;
        this.notePeak(w, m.rssMb);
        if (m.type === 'result') finish({ ok: true, value: m.value }, m.rssMb);
        else finish({ ok: false, code: 'worker-error', message: m.message }, m.rssMb);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        const tail = w.stderrTail;
        if (/heap out of memory|Reached heap limit|Allocation failed/i.test(tail)) {
          finish({ ok: false, code: 'out-of-memory', message: `the worker ran out of its ${this.opts.maxMemoryMb} MB heap budget (--max-memory)` });
        } else {
          const last = lastLine(tail);
          finish({ ok: false, code: 'crash', message: `the worker died (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}` });
        }
      };
      const onError = (e: Error): void => finish({ ok: false, code: 'crash', message: `the worker could not run: ${e.message}` });
      const timer = setTimeout(() => {
        finish({ ok: false, code: 'timeout', message: `no result within the ${round1(this.opts.timeoutMs / 1000)} s budget (--timeout); worker killed` });
        this.kill(w);
      }, this.opts.timeoutMs);
      this.current.set(w, (reason) => finish({ ok: false, ...reason }));
      w.child.on('message', onMessage);
      w.child.once('exit', onExit);
      w.child.once('error', onError);
      if (w.exited) {
        onExit(w.child.exitCode, w.child.signalCode);
        return;
      }
      const msg: ParentMessage<P> = { type: 'job', key: job.key, payload: job.payload };
      try {
        w.child.send(msg);
      } catch (e) {
        finish({ ok: false, code: 'crash', message: `could not send the job to the worker: ${(e as Error).message}` });
      }
    });
  }

  private notePeak(w: Worker, mb: number): void {
    if (mb > w.peakMb) {
      w.peakMb = mb;
      this.peaks[w.index] = mb;
    }
  }

  private sample(): void {
    let total = process.memoryUsage().rss / 1048576;
    for (const w of this.live) {
      const mb = rssOfPid(w.pid);
      if (mb === undefined) {
        total += w.rssMb;
        continue;
      }
      w.rssMb = mb;
      this.notePeak(w, mb);
      total += mb;
      if (mb > this.rssLimitMb) {
        this.current.get(w)?.({ code: 'out-of-memory', message: `the worker's memory reached ${Math.round(mb)} MB, over the ${this.rssLimitMb} MB limit; worker killed` });
        this.kill(w);
      }
    }
    if (total > this.peakTotal) this.peakTotal = total;
  }

  private kill(w: Worker): void {
    if (w.exited) return;
    try {
      process.kill(-w.pid, 'SIGKILL');
    } catch {
      try {
        w.child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  /** Let a worker finish: closing the IPC channel makes it exit. */
  private retire(w: Worker): void {
    if (w.exited) return;
    try {
      if (w.child.connected) w.child.disconnect();
    } catch {
      this.kill(w);
    }
  }

  private async drain(): Promise<void> {
    const all = [...this.live];
    for (const w of all) this.retire(w);
    const grace = setTimeout(() => {
      for (const w of all) this.kill(w);
    }, 5000);
    grace.unref();
    await Promise.all(all.map((w) => w.exit));
    clearTimeout(grace);
  }
}

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const l = lines[lines.length - 1] ?? '';
  return l.length > 300 ? `${l.slice(0, 300)}…` : l;
}
