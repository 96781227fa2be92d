/**
 * The parse thread (languages/parse-thread.ts) and `assessMany` (assess.ts), which parses the next targets
 * there while the current one is analysed: the results must be exactly those of `assess` on each target.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquire } from '../../src/acquire/index.js';
import { UserError } from '../../src/acquire/types.js';
import { assess, assessMany } from '../../src/assess.js';
import type { Assessment } from '../../src/model.js';
import { nativeParser } from '../../src/languages/native.js';
import { ParseThread } from '../../src/languages/parse-thread.js';
import { toJson } from '../../src/report/json.js';
import { repoRoot } from '../helpers.js';

const built = nativeParser('python') !== undefined;
const skip = built ? false : process.env.MCP_RISK_REQUIRE_NATIVE ? false : 'native parser not built (npm run build:native)';

describe('parse thread: prepareAll', { skip }, () => {
  it('acquires, reads and parses targets there as the main thread does, with the acquisition options', async () => {
    const thread = ParseThread.start();
    assert.ok(thread);
    try {
      const dir = path.join(repoRoot, 'test', 'fixtures', 'python-servers', '78-shell-tools-sdk-vuln');
      const options = { exclude: ['**/helpers.py'] };
      const ts = path.join(repoRoot, 'examples', 'vulnerable-server');
      const out = await thread.prepareAll([dir, path.join(dir, 'no-such-folder'), ts], options);
      assert.equal(out.length, 3, 'one result per target, in order');
      assert.ok(out[1] instanceof UserError, String(out[1]));
      for (const [k, target] of [[0, dir], [2, ts]] as const) {
        const got = out[k]!;
        assert.ok(!(got instanceof Error), String(got));
        const here = await acquire(target, options);
        assert.deepEqual(got.acquired, JSON.parse(JSON.stringify(here)), 'the same listing (and no file bytes in it)');
        assert.ok(here.files.length > 0 && !here.files.some((f) => f.path.endsWith('helpers.py')), 'exclude applied there');
        here.files.forEach((f, i) => {
          const s = got.sources[i]!;
          const text = readFileSync(f.abs, 'utf8');
          assert.equal(s.text, text, f.path);
          assert.ok(s.records instanceof Int32Array, `${f.path} parsed there`);
          assert.deepEqual([...s.records], [...nativeParser(f.language)!.parse(text)!.data], f.path);
        });
      }
    } finally {
      await thread.close();
    }
  });
});

describe('assessMany', () => {
  it('assesses every target as assess() does, in order, with errors for targets that cannot be acquired', async () => {
    const root = path.join(repoRoot, 'test', 'fixtures', 'python-servers');
    const targets = readdirSync(root).sort().slice(0, 12).map((d) => path.join(root, d));
    targets.splice(3, 0, path.join(root, 'no-such-server'));
    targets.push(path.join(repoRoot, 'examples', 'vulnerable-server'));
    const got: (Assessment | Error)[] = [];
    await assessMany(targets, {}, (i, r) => {
      assert.equal(i, got.length, 'results come in order');
      got.push(r);
    });
    assert.equal(got.length, targets.length);
    for (let i = 0; i < targets.length; i++) {
      const r = got[i]!;
      if (i === 3) {
        assert.ok(r instanceof Error && /no such|not found|does not exist/i.test(r.message), `missing target: ${String(r)}`);
        // acquired on the parse thread, the error is still the user's (the CLI prints it without "internal error")
        assert.ok(r instanceof UserError, 'a UserError');
        assert.equal(r.exitCode, 2);
        continue;
      }
      assert.ok(!(r instanceof Error), `${targets[i]}: ${String(r)}`);
      assert.equal(toJson(r), toJson(await assess(targets[i]!)), `${path.basename(targets[i]!)}: same assessment`);
    }
  });

  it('ends with the error when `each` throws, groups still out on the thread included (no hang, each not called again)', { skip, timeout: 60_000 }, async () => {
    const root = path.join(repoRoot, 'test', 'fixtures', 'python-servers');
    const once = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name)).sort();
    const targets = [...once, ...once, ...once, ...once];
    let calls = 0;
    await assert.rejects(
      assessMany(targets, {}, () => {
        calls++;
        throw new Error('stop here');
      }),
      /stop here/,
    );
    assert.equal(calls, 1, 'each is not called again with its own error');
    // the process goes on: a later run works
    const got: (Assessment | Error)[] = [];
    await assessMany(once.slice(0, 3), {}, (_i, r) => got.push(r));
    assert.equal(got.filter((r) => !(r instanceof Error)).length, 3);
  });

  it('does a group on the main thread when the parse thread has died, and the rest too', { skip }, async () => {
    const root = path.join(repoRoot, 'test', 'fixtures', 'python-servers');
    const once = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(root, e.name)).sort();
    const targets = [...once, ...once, ...once]; // groups on the thread, then (it died) here, then here without asking it
    assert.ok(targets.length > 96, 'a group is asked for after the thread died');
    const prepareAll = ParseThread.prototype.prepareAll;
    let calls = 0;
    let afterDeath = 0;
    ParseThread.prototype.prepareAll = async function (this: ParseThread, ...args: Parameters<typeof prepareAll>) {
      if (!this.alive) afterDeath++;
      if (++calls === 2) {
        // the thread dies before the second group (killed as a crash would: not closed by the run)
        await (this as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
        await new Promise((r) => setImmediate(r));
      }
      return prepareAll.apply(this, args);
    };
    const got: (Assessment | Error)[] = [];
    try {
      await assessMany(targets, {}, (_i, r) => got.push(r));
    } finally {
      ParseThread.prototype.prepareAll = prepareAll;
    }
    assert.ok(calls >= 2 && calls <= 3, `groups asked of the thread before it died: ${calls}`);
    assert.equal(afterDeath, 0, 'the dead thread is not asked again');
    assert.equal(got.length, targets.length);
    for (let i = 30; i < targets.length; i++) {
      const r = got[i]!;
      assert.ok(!(r instanceof Error), String(r));
      assert.equal(toJson(r), toJson(await assess(targets[i]!)), path.basename(targets[i]!));
    }
  });
});
