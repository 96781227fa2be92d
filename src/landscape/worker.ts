/**
 * Landscape worker (forked by pool.ts): acquire + assess one server, return its rows.
 * Failures of the server (not found, bad archive, network, …) are results, never exceptions.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { acquire, classifyTarget, resolveCacheDir, runNpmPack, UserError, type NpmPackRunner } from '../acquire/index.js';
import { gitCacheBase } from '../acquire/git.js';
import { assessAcquired } from '../assess.js';
import { toJson } from '../report/json.js';
import { failedOutcome, rowsFromAssessment } from './extract.js';
import type { CacheStatus, ServerResult } from './types.js';
import { serveJobs } from './worker-runtime.js';

export interface AssessJob {
  target: string;
  /** Folder relative targets are resolved against. */
  cwd: string;
  cacheDir?: string;
  /** Timeout of npm pack / git clone, ms. */
  acquireTimeoutMs: number;
  aggregation: 'max' | 'mean';
  rules?: string[];
}

/** A failure code from an acquisition/assessment error. */
export function errorCode(e: unknown): { code: string; message: string } {
  if (e instanceof UserError) {
    const code = /not found|E404/i.test(e.message) ? 'not-found' : e.code;
    return { code, message: e.message };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const at = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l))?.trim();
  return { code: 'internal-error', message: `${err.message}${at ? ` (${at})` : ''}` };
}

export async function assessJob(job: AssessJob): Promise<ServerResult> {
  const t0 = performance.now();
  let fetched = false;
  const npmPack: NpmPackRunner = (req) => {
    fetched = true;
    return runNpmPack(req);
  };
  let cache: CacheStatus = 'unknown';
  let acquireMs = 0;
  try {
    const spec = await classifyTarget(job.target, undefined, job.cwd);
    if (spec.kind === 'folder' || spec.kind === 'file' || spec.kind === 'archive') cache = 'local';
    let gitHit = false;
    if (spec.kind === 'git' && spec.git.ref && /^[0-9a-f]{40}$/i.test(spec.git.ref)) {
      const dir = path.join(gitCacheBase(resolveCacheDir(job.cacheDir), spec.git), spec.git.ref.toLowerCase(), '.git');
      gitHit = existsSync(dir);
    }
    const acquired = await acquire(job.target, { cacheDir: job.cacheDir, timeoutMs: job.acquireTimeoutMs }, { npmPack, cwd: job.cwd });
    acquireMs = performance.now() - t0;
    if (spec.kind === 'npm') cache = fetched ? 'miss' : 'hit';
    else if (spec.kind === 'git') cache = gitHit ? 'hit' : 'miss';
    const t1 = performance.now();
    const a = await assessAcquired(acquired, { aggregation: job.aggregation, rules: job.rules });
    const analysisMs = performance.now() - t1;
    const rows = rowsFromAssessment(a, { ms: Math.round(performance.now() - t0), acquireMs: Math.round(acquireMs), analysisMs: Math.round(analysisMs), peakRssMb: 0, cache });
    return { ...rows, report: gzipSync(toJson(a)), ...(a.kb ? { kb: a.kb } : {}) };
  } catch (e) {
    const { code, message } = errorCode(e);
    if (!acquireMs) acquireMs = performance.now() - t0;
    if (cache === 'unknown' && fetched) cache = 'miss';
    return {
      outcome: failedOutcome(code, message, { ms: Math.round(performance.now() - t0), acquireMs: Math.round(acquireMs), cache }),
      findings: [],
      warnings: [],
      warningCount: 0,
      weaknesses: [],
    };
  }
}

// Started by the pool: serve jobs. Imported (tests): do nothing.
if (process.send && process.argv[1] && /worker\.(js|ts)$/.test(process.argv[1])) serveJobs(assessJob);
