import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { threadWriter, writeFully } from '../../src/report/writer.js';
import { fromRoot } from '../helpers.js';

describe('threadWriter', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-risk-writer-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the order of thousands of writes made without waiting, over many batches, in UTF-8', async () => {
    const file = path.join(dir, 'out.jsonl');
    const h = await open(file, 'w');
    const lines = Array.from({ length: 5000 }, (_, i) => `${JSON.stringify({ i, pad: 'x'.repeat(i % 97), text: i % 7 ? 'plain' : 'Σ √ → ≥ é 🙂' })}\n`);
    try {
      const w = threadWriter(h.fd, 4096); // small batches: about a hundred posts
      for (const l of lines) w.write(l);
      await w.end();
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), lines.join(''));
  });

  it('writes report pieces whose shared fragments cross as numbers, over several batches and reports', async () => {
    const { assess } = await import('../../src/assess.js');
    const { toJsonLine, toJsonLinePieces } = await import('../../src/report/json.js');
    const reports = await Promise.all(['examples/vulnerable-server', 'test/fixtures/python-servers/78-shell-tools-sdk-vuln'].map((d) => assess(fromRoot(d))));
    const file = path.join(dir, 'pieces.jsonl');
    const h = await open(file, 'w');
    let expected = '';
    try {
      const w = threadWriter(h.fd, 2000); // several batches; fragments first sent in one batch and reused in later ones
      for (let k = 0; k < 6; k++) {
        for (const a of reports) {
          const pieces = toJsonLinePieces(a);
          assert.ok(pieces.some((p) => typeof p === 'number'));
          w.write(pieces);
          expected += toJsonLine(a);
        }
        w.write('plain text line\n');
        expected += 'plain text line\n';
      }
      await w.end();
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), expected);
  });

  it('writes what comes after the last full batch', async () => {
    const file = path.join(dir, 'small.jsonl');
    const h = await open(file, 'w');
    try {
      const w = threadWriter(h.fd);
      w.write('a\n');
      w.write('b\n');
      await w.end();
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), 'a\nb\n');
  });

  it('stops at the first failed write and end() throws it with its code', async () => {
    const file = path.join(dir, 'read-only.txt');
    await writeFile(file, 'before\n');
    const h = await open(file, 'r'); // writes to it fail with EBADF
    try {
      const w = threadWriter(h.fd, 1);
      w.write('x\n');
      w.write('y\n');
      await assert.rejects(w.end(), (e: NodeJS.ErrnoException) => e.code === 'EBADF');
      await assert.rejects(w.end(), (e: NodeJS.ErrnoException) => e.code === 'EBADF', 'the same error again');
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), 'before\n');
  });

  it('refuses a write after end(), and end() called again gives the same result', async () => {
    const file = path.join(dir, 'after-end.jsonl');
    const h = await open(file, 'w');
    try {
      const w = threadWriter(h.fd);
      w.write('one\n');
      const first = w.end();
      assert.equal(w.end(), first);
      await first;
      assert.throws(() => w.write('two\n'), /write after end/);
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), 'one\n');
  });

  it('refuses a list with an unknown fragment number whole (nothing of it queued)', async () => {
    const file = path.join(dir, 'unknown.jsonl');
    const h = await open(file, 'w');
    try {
      const w = threadWriter(h.fd);
      assert.throws(() => w.write(['{"a":', 987654321, '}\n']), /no shared fragment 987654321/);
      w.write('ok\n');
      await w.end();
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), 'ok\n');
  });

  it('ends with no text written', async () => {
    const file = path.join(dir, 'empty.jsonl');
    const h = await open(file, 'w');
    try {
      await threadWriter(h.fd).end();
    } finally {
      await h.close();
    }
    assert.equal(await readFile(file, 'utf8'), '');
  });
});

describe('writeFully', () => {
  it('goes on when a write takes only part of the bytes', () => {
    const got: string[] = [];
    writeFully(7, Buffer.from('0123456789\n'), (fd, buf, off, len) => {
      assert.equal(fd, 7);
      const n = Math.min(len, 3);
      got.push(Buffer.from(buf.subarray(off, off + n)).toString());
      return n;
    });
    assert.deepEqual(got, ['012', '345', '678', '9\n']);
  });
});
