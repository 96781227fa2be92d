import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
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
});
