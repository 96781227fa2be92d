/**
 * The worker pool: results, and every way a worker can fail (crash, time budget, heap budget, resident-set
 * budget, an exception) recorded for its job while the other jobs go on; worker reuse; stop().
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerPool, type PoolOutcome } from '../../src/landscape/pool.js';
import { fromRoot } from '../helpers.js';
import type { FakeJob, FakeResult } from './fake-worker.js';

const SCRIPT = fromRoot('build', 'test', 'landscape', 'fake-worker.js');
const env = { ...process.env, MCP_RISK_FAKE_WORKER: '1' };

async function runAll(jobs: FakeJob[], opts: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}) {
  const pool = new WorkerPool<FakeJob, FakeResult>({ script: SCRIPT, concurrency: 2, timeoutMs: 10_000, maxMemoryMb: 256, env, ...opts });
  const outcomes = new Map<number, PoolOutcome<FakeResult>>();
  const started: number[] = [];
  const stats = await pool.run(
    jobs.map((payload, i) => ({ key: i + 1, payload })),
    {
      onStart: (key) => started.push(key),
      onDone: (o) => {
        assert.ok(!outcomes.has(o.key), `job ${o.key} reported twice`);
        outcomes.set(o.key, o);
      },
    },
  );
  return { outcomes, stats, started };
}

describe('worker pool', () => {
  it('runs every job once, two at a time, reusing workers up to jobsPerWorker', async () => {
    const jobs: FakeJob[] = Array.from({ length: 7 }, (_, i) => ({ kind: 'slow', value: i * 10, ms: 30 }));
    const { outcomes, stats, started } = await runAll(jobs, { jobsPerWorker: 2 });
    assert.equal(outcomes.size, 7);
    assert.deepEqual([...started].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7]);
    for (const [key, o] of outcomes) {
      assert.ok(o.ok, `job ${key}`);
      if (o.ok) assert.equal(o.value.value, (key - 1) * 10);
    }
    const pids = new Set([...outcomes.values()].map((o) => o.pid));
    assert.ok(pids.size >= 4 && pids.size <= 5, `7 jobs, 2 per worker: 4–5 workers, got ${pids.size}`);
    assert.equal(stats.workersStarted, pids.size);
    assert.ok(stats.workerPeakRssMb.every((m) => m > 0));
    assert.ok(stats.peakTotalRssMb > 0);
  });

  it('jobsPerWorker 1: a fresh process per job', async () => {
    const { outcomes } = await runAll([1, 2, 3].map((v) => ({ kind: 'ok', value: v })), { jobsPerWorker: 1 });
    assert.equal(new Set([...outcomes.values()].map((o) => o.pid)).size, 3);
  });

  it('records crash, timeout, heap and resident-set overruns and exceptions for their job; the run goes on', async () => {
    const jobs: FakeJob[] = [
      { kind: 'ok', value: 1 },
      { kind: 'crash' },
      { kind: 'ok', value: 3 },
      { kind: 'hang' },
      { kind: 'heap' },
      { kind: 'throw' },
      { kind: 'rss' },
      { kind: 'ok', value: 8 },
    ];
    const { outcomes } = await runAll(jobs, { timeoutMs: 2500, maxMemoryMb: 64, rssLimitMb: 300, sampleMs: 50 });
    const code = (k: number): string => {
      const o = outcomes.get(k);
      assert.ok(o, `job ${k} has an outcome`);
      return o.ok ? 'ok' : o.code;
    };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(code), ['ok', 'crash', 'ok', 'timeout', 'out-of-memory', 'worker-error', 'out-of-memory', 'ok']);
    const msg = (k: number): string => {
      const o = outcomes.get(k);
      return o && !o.ok ? o.message : '';
    };
    assert.match(msg(2), /exit code 7.*simulated native crash/);
    assert.match(msg(4), /2\.5 s budget/);
    assert.match(msg(5), /64 MB heap budget/);
    assert.match(msg(6), /bad job/);
    assert.match(msg(7), /over the 300 MB limit/);
    const o4 = outcomes.get(4);
    assert.ok(o4 && o4.ms >= 2400 && o4.ms < 8000, `timeout after ~2.5 s, took ${o4?.ms}`);
  });

  it('stop() kills the workers; jobs in flight get no outcome and the rest are not started', async () => {
    const pool = new WorkerPool<FakeJob, FakeResult>({ script: SCRIPT, concurrency: 2, timeoutMs: 60_000, maxMemoryMb: 128, env });
    const done: number[] = [];
    const t0 = Date.now();
    setTimeout(() => pool.stop(), 500);
    await pool.run(
      ([{ kind: 'ok', value: 1 }, { kind: 'hang' }, { kind: 'hang' }, { kind: 'ok', value: 4 }] as FakeJob[]).map((payload, i) => ({ key: i + 1, payload })),
      { onDone: (o) => void done.push(o.key) },
    );
    assert.ok(Date.now() - t0 < 10_000);
    assert.deepEqual(done, [1]);
  });
});
