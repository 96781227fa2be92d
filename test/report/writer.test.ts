import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { orderedWriter } from '../../src/report/writer.js';

describe('orderedWriter', () => {
  it('keeps the order of thousands of writes made without waiting', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-risk-writer-'));
    try {
      const file = path.join(dir, 'out.jsonl');
      const h = await open(file, 'w');
      const w = orderedWriter(h);
      const lines = Array.from({ length: 5000 }, (_, i) => `${JSON.stringify({ i, pad: 'x'.repeat(i % 97) })}\n`);
      for (const l of lines) w.write(l);
      await w.flush();
      await h.close();
      assert.equal(await readFile(file, 'utf8'), lines.join(''));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops at the first failed write and flush() throws it; texts queued meanwhile go in one write', async () => {
    const got: string[] = [];
    let calls = 0;
    const handle = {
      write: async (buf: Buffer, off: number, len: number) => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        if (calls === 3) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
        got.push(buf.subarray(off, off + len).toString());
        return { bytesWritten: len, buffer: buf };
      },
    } as unknown as FileHandle;
    const w = orderedWriter(handle);
    for (let i = 0; i < 10; i++) w.write(`${i}\n`);
    await w.flush();
    assert.deepEqual(got, ['0\n', '1\n2\n3\n4\n5\n6\n7\n8\n9\n'], 'the first write alone, the nine queued behind it together');
    w.write('a\n');
    w.write('b\n');
    await assert.rejects(w.flush(), /no space left/);
    w.write('c\n');
    await assert.rejects(w.flush(), /no space left/);
    assert.equal(calls, 3, 'nothing is written after the failure');
  });

  it('goes on when a write takes only part of the bytes', async () => {
    const got: string[] = [];
    const handle = {
      write: async (buf: Buffer, off: number, len: number) => {
        const n = Math.min(len, 3);
        got.push(buf.subarray(off, off + n).toString());
        return { bytesWritten: n, buffer: buf };
      },
    } as unknown as FileHandle;
    const w = orderedWriter(handle);
    w.write('0123456789\n');
    await w.flush();
    assert.deepEqual(got, ['012', '345', '678', '9\n']);
  });
});
