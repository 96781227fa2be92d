/**
 * The writer thread's code (started by writer.ts; not imported elsewhere): batches of texts encoded as UTF-8 and
 * written to the file in order; after the first failed write, nothing more is written, and the error is what the
 * `end` message is answered with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeFully } from './writer.js';

const fd = (workerData as { fd: number }).fd;
let failed: { message: string; code?: string } | undefined;

/**
 * The texts as UTF-8, one after the other. Each is encoded on its own, not joined first: most are Latin-1 only,
 * which V8 encodes fast, and a join with any other would make the whole batch two bytes per character.
 */
function encode(texts: string[]): Buffer {
  let units = 0;
  for (const t of texts) units += t.length;
  const buf = Buffer.allocUnsafe(units * 3); // UTF-8 takes at most 3 bytes per UTF-16 code unit
  let off = 0;
  for (const t of texts) off += buf.write(t, off);
  return buf.subarray(0, off);
}

parentPort!.on('message', (m: { texts?: string[]; end?: true }) => {
  if (m.texts && !failed) {
    try {
      writeFully(fd, encode(m.texts));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      failed = { message: err.message, ...(err.code ? { code: err.code } : {}) };
    }
  }
  if (m.end) parentPort!.postMessage({ ended: true, ...(failed ? { error: failed } : {}) });
});
