/**
 * `assess()` over many server folders with worker threads (node:worker_threads), for benchmarks that compare
 * against single-process tools: each worker takes the next folder from a shared counter (so uneven servers
 * balance), assesses it in full (acquire … risk) and posts back what the benchmark scores. The time counted is
 * from starting the workers (module loading included) to the last result.
 *
 * The same file is the worker: started with `workerData`, it serves; imported, it exports `assessInWorkers`.
 */
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { assess, type AssessOptions } from '../../src/assess.js';

/** What a worker posts back per target. */
export interface PooledResult {
  index: number;
  files: number;
  lines: number;
  findings: { cwe: number; file: string; line: number; severity: string; ruleId: string; message: string }[];
  noFrontEnd: number;
  error?: string;
}

interface Job {
  dirs: string[];
  options: Pick<AssessOptions, 'noRisk'>;
  counter: SharedArrayBuffer;
}

export async function assessInWorkers(dirs: string[], options: Pick<AssessOptions, 'noRisk'>, workers: number): Promise<{ ms: number; results: PooledResult[] }> {
  const counter = new SharedArrayBuffer(4);
  const results: PooledResult[] = new Array(dirs.length);
  const t0 = performance.now();
  const file = fileURLToPath(import.meta.url);
  await Promise.all(
    Array.from({ length: Math.max(1, workers) }, () => {
      const w = new Worker(file, { workerData: { dirs, options, counter } satisfies Job });
      return new Promise<void>((resolve, reject) => {
        w.on('message', (r: PooledResult) => {
          results[r.index] = r;
        });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`assess worker exited with ${code}`))));
      });
    }),
  );
  return { ms: performance.now() - t0, results };
}

async function serve(job: Job): Promise<void> {
  const next = new Int32Array(job.counter);
  for (;;) {
    const i = Atomics.add(next, 0, 1);
    if (i >= job.dirs.length) break;
    try {
      const a = await assess(job.dirs[i]!, job.options);
      parentPort!.postMessage({
        index: i,
        files: a.stats.files,
        lines: a.stats.lines,
        findings: a.findings.map((f) => ({ cwe: f.cwe, file: f.location.file, line: f.location.line, severity: f.severity, ruleId: f.ruleId, message: f.message })),
        noFrontEnd: a.warnings.filter((w) => /no front-end for/.test(w.message)).length,
      } satisfies PooledResult);
    } catch (e) {
      parentPort!.postMessage({ index: i, files: 0, lines: 0, findings: [], noFrontEnd: 0, error: (e as Error).message } satisfies PooledResult);
    }
  }
}

if (!isMainThread && workerData && (workerData as Job).counter) await serve(workerData as Job);
