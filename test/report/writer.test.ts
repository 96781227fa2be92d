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

  /** Open a file of the test folder (`before`: its content first, opened read-only), use it, close it: its text. */
  async function written(name: string, use: (fd: number) => Promise<void>, before?: string): Promise<string> {
    const file = path.join(dir, name);
    if (before !== undefined) await writeFile(file, before);
    const h = await open(file, before === undefined ? 'w' : 'r');
    try {
      await use(h.fd);
    } finally {
      await h.close();
    }
    return readFile(file, 'utf8');
  }

  it('keeps the order of thousands of writes made without waiting, over many batches, in UTF-8', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${JSON.stringify({ i, pad: 'x'.repeat(i % 97), text: i % 7 ? 'plain' : 'Σ √ → ≥ é 🙂' })}\n`);
    const text = await written('out.jsonl', async (fd) => {
      const w = threadWriter(fd, 4096); // small batches: about a hundred posts
      for (const l of lines) w.write(l);
      await w.end();
    });
    assert.equal(text, lines.join(''));
  });

  it('writes report pieces whose shared fragments cross as numbers, over several batches and reports', async () => {
    const { assess } = await import('../../src/assess.js');
    const { toJsonLine, toJsonLinePieces } = await import('../../src/report/json.js');
    const reports = await Promise.all(['examples/vulnerable-server', 'test/fixtures/python-servers/78-shell-tools-sdk-vuln'].map((d) => assess(fromRoot(d))));
    let expected = '';
    const text = await written('pieces.jsonl', async (fd) => {
      const w = threadWriter(fd, 2000); // several batches; fragments first sent in one batch and reused in later ones
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
    });
    assert.equal(text, expected);
  });

  it('writes what comes after the last full batch', async () => {
    const text = await written('small.jsonl', async (fd) => {
      const w = threadWriter(fd);
      w.write('a\n');
      w.write('b\n');
      await w.end();
    });
    assert.equal(text, 'a\nb\n');
  });

  it('stops at the first failed write and end() throws it with its code', async () => {
    // a file opened read-only: writes to it fail with EBADF
    const text = await written(
      'read-only.txt',
      async (fd) => {
        const w = threadWriter(fd, 1);
        w.write('x\n');
        w.write('y\n');
        await assert.rejects(w.end(), (e: NodeJS.ErrnoException) => e.code === 'EBADF');
        await assert.rejects(w.end(), (e: NodeJS.ErrnoException) => e.code === 'EBADF', 'the same error again');
      },
      'before\n',
    );
    assert.equal(text, 'before\n');
  });

  it('refuses a write after end(), and end() called again gives the same result', async () => {
    const text = await written('after-end.jsonl', async (fd) => {
      const w = threadWriter(fd);
      w.write('one\n');
      const first = w.end();
      assert.equal(w.end(), first);
      await first;
      assert.throws(() => w.write('two\n'), /write after end/);
    });
    assert.equal(text, 'one\n');
  });

  it('refuses a list with an unknown fragment number whole (nothing of it queued)', async () => {
    const text = await written('unknown.jsonl', async (fd) => {
      const w = threadWriter(fd);
      assert.throws(() => w.write(['{"a":', 987654321, '}\n']), /no shared fragment 987654321/);
      w.write('ok\n');
      await w.end();
    });
    assert.equal(text, 'ok\n');
  });

  it('ends with no text written', async () => {
    assert.equal(await written('empty.jsonl', (fd) => threadWriter(fd).end()), '');
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
