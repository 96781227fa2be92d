/**
 * Exactly once under kill -9: the command line is started on ten fixture servers, killed with SIGKILL at
 * several points (as soon as the plan is stored, after 1, some and most servers — read from the database),
 * resumed each time, and finally completed. Every server must end with exactly one outcome, and the
 * statistics must equal those of a clean run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LandscapeStats } from '../../src/landscape/stats.js';
import { makeTmp, rmTmp } from '../acquire/util.js';
import { CLI, runCli } from '../cli/run.js';
import { repoRoot } from '../helpers.js';
import { fixture } from './helpers.js';

const SERVERS = [
  '78-git-tools-sdk-vuln',
  '78-git-tools-sdk-safe',
  '22-docs-fastmcp-vuln',
  '89-crm-sdk-vuln',
  '306-team-tickets-http-sdk-vuln',
  '918-web-tools-fastmcp-vuln',
  '1321-settings-cjs-vuln',
  '59-notes-esm-vuln',
  '94-rules-lowlevel-vuln',
  '502-sessions-esm-safe',
];
const N = SERVERS.length;

let tmp: string;
let list: string;

before(async () => {
  tmp = await makeTmp('mcp-risk-resume-');
  list = path.join(tmp, 'servers.txt');
  await fs.writeFile(list, `${SERVERS.map(fixture).join('\n')}\n`);
});

after(async () => {
  await rmTmp(tmp);
});

interface DbState {
  run: boolean;
  done: number;
}

/** Read the store without disturbing the writer; undefined while it is being created. */
function readState(dbFile: string): DbState | undefined {
  if (!existsSync(dbFile)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const run = (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n > 0;
    const done = (db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n;
    return { run, done };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

function startCli(args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Start (or resume) the run and SIGKILL it once `done >= atLeast` (0: as soon as the plan is stored). */
async function killAt(out: string, atLeast: number): Promise<{ killedAt: number; finishedFirst: boolean }> {
  const dbFile = path.join(out, 'landscape.sqlite');
  // one worker process per server, two at a time: slow enough to be caught in the middle
  const { child, exited } = startCli(['landscape', list, '--out', out, '--resume', '-j', '2', '--jobs-per-worker', '1', '--progress', 'lines']);
  let finishedFirst = false;
  const exitedFlag = exited.then(() => {
    finishedFirst = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = readState(dbFile);
    if (s?.run && s.done >= atLeast) break;
    if (finishedFirst) break;
    if (Date.now() > deadline) throw new Error(`no progress to ${atLeast} servers within 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const wasFinished = finishedFirst;
  child.kill('SIGKILL');
  await exitedFlag;
  return { killedAt: readState(dbFile)?.done ?? -1, finishedFirst: wasFinished };
}

describe('resume after kill -9', () => {
  it('ends with every server assessed exactly once and the statistics of a clean run', async () => {
    const clean = path.join(tmp, 'clean');
    const r = await runCli(['landscape', list, '--out', clean, '-j', '2', '--progress', 'lines'], { timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /10 servers: 10 assessed with source code/);
    const cleanStats = (JSON.parse(readFileSync(path.join(clean, 'summary.json'), 'utf8')) as { stats: LandscapeStats }).stats;

    const out = path.join(tmp, 'killed');
    const dbFile = path.join(out, 'landscape.sqlite');
    let previous = 0;
    const kills: number[] = [];
    for (const point of [0, 1, Math.floor(N / 2), N - 2]) {
      const k = await killAt(out, point);
      assert.equal(k.finishedFirst, false, `the run ended before it could be killed at ${point}`);
      assert.ok(k.killedAt >= previous, `outcomes are never lost (${k.killedAt} after ${previous})`);
      assert.ok(k.killedAt < N, `killed before the end (at ${point}: ${k.killedAt} done)`);
      const db = new Database(dbFile, { readonly: true });
      try {
        assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
        assert.equal((db.prepare('SELECT COUNT(*) AS n FROM servers').get() as { n: number }).n, N, 'the whole plan is stored at once');
        assert.equal((db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n, 1, 'resuming never starts a second run');
      } finally {
        db.close();
      }
      previous = k.killedAt;
      kills.push(k.killedAt);
    }
    assert.ok(kills[kills.length - 1]! > kills[0]!, `progress between kills: ${kills.join(', ')}`);

    const last = await runCli(['landscape', '--out', out, '--resume', '-j', '2', '--progress', 'lines'], { timeoutMs: 180_000 });
    assert.equal(last.code, 0, last.stderr);
    const db = new Database(dbFile, { readonly: true });
    try {
      const per = db
        .prepare('SELECT s.id, s.attempts, (SELECT COUNT(*) FROM results r WHERE r.run_id = s.run_id AND r.server_id = s.id) AS n FROM servers s ORDER BY s.id')
        .all() as { id: number; attempts: number; n: number }[];
      assert.equal(per.length, N);
      for (const p of per) {
        assert.equal(p.n, 1, `server ${p.id}: one outcome`);
        assert.ok(p.attempts >= 1, `server ${p.id}: started`);
      }
      assert.ok(per.some((p) => p.attempts > 1), 'servers in flight at a kill were run again');
      const run = db.prepare('SELECT resumes, finished_at, owner_pid FROM runs').get() as { resumes: number; finished_at: string | null; owner_pid: number | null };
      assert.equal(run.resumes, 4);
      assert.ok(run.finished_at);
      assert.equal(run.owner_pid, null);
      const cleanDb = new Database(path.join(clean, 'landscape.sqlite'), { readonly: true });
      try {
        const count = (d: Database.Database, t: string): number => (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
        for (const t of ['results', 'scores', 'findings', 'errors', 'weaknesses', 'weakness_capecs', 'reports']) {
          assert.equal(count(db, t), count(cleanDb, t), `rows in ${t}`);
        }
      } finally {
        cleanDb.close();
      }
    } finally {
      db.close();
    }
    const stats = (JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { stats: LandscapeStats }).stats;
    assert.deepEqual(stats, cleanStats);
  });
});
