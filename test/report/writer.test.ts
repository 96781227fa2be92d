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

  it('stops at the first failed write and flush() throws it', async () => {
    const got: string[] = [];
    let calls = 0;
    const handle = {
      write: async (text: string) => {
        calls++;
        if (calls === 3) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
        got.push(text);
        return { bytesWritten: text.length, buffer: text };
      },
    } as unknown as FileHandle;
    const w = orderedWriter(handle);
    for (let i = 0; i < 10; i++) w.write(`${i}\n`);
    await assert.rejects(w.flush(), /no space left/);
    assert.deepEqual(got, ['0\n', '1\n']);
    assert.equal(calls, 3, 'nothing is written after the failure');
  });
});
