/**
 * A worker for the pool tests (forked by WorkerPool). It does nothing unless started by a pool with
 * MCP_RISK_FAKE_WORKER=1 (the test runner also executes every .js file under build/test/).
 */
import { serveJobs } from '../../src/landscape/worker-runtime.js';

export type FakeJob =
  | { kind: 'ok'; value: number }
  | { kind: 'slow'; value: number; ms: number }
  | { kind: 'crash' }
  | { kind: 'hang' }
  | { kind: 'heap' }
  | { kind: 'rss' }
  | { kind: 'throw' };

export interface FakeResult {
  value: number;
  pid: number;
}

const hold: unknown[] = [];

async function handle(job: FakeJob): Promise<FakeResult> {
  switch (job.kind) {
    case 'ok':
      return { value: job.value, pid: process.pid };
    case 'slow':
      await new Promise((r) => setTimeout(r, job.ms));
      return { value: job.value, pid: process.pid };
    case 'crash':
      process.stderr.write('fake worker: simulated native crash\n');
      process.exit(7);
      break;
    case 'hang':
      await new Promise(() => undefined);
      break;
    case 'heap':
      for (;;) hold.push(new Array(100_000).fill(Math.random()));
    case 'rss':
      // off-heap memory: not limited by --max-old-space-size, caught by the resident-set watchdog
      for (let i = 0; i < 40; i++) {
        const b = Buffer.alloc(16 * 1024 * 1024, 1);
        hold.push(b);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise(() => undefined);
      break;
    case 'throw':
      throw new Error('fake worker: bad job');
  }
  return { value: -1, pid: process.pid };
}

if (process.send && process.env.MCP_RISK_FAKE_WORKER === '1') serveJobs(handle);
