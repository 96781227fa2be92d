/**
 * The writer thread's code (started by writer.ts; not imported elsewhere): batches of texts (and numbered shared
 * fragments, whose texts come once and are kept encoded) encoded as UTF-8 and written to the file in order; after the first failed write, nothing more is written, and the error is what the
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
function encode(texts: (string | number)[]): Buffer {
  let size = 0;
  for (const t of texts) size += typeof t === 'string' ? t.length * 3 : fragments.get(t)!.length; // UTF-8: at most 3 bytes per UTF-16 unit
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  for (const t of texts) {
    if (typeof t === 'string') off += buf.write(t, off);
    else {
      const f = fragments.get(t)!;
      buf.set(f, off);
      off += f.length;
    }
  }
  return buf.subarray(0, off);
}

/** Shared fragments (numbered by the main thread), encoded once. */
const fragments = new Map<number, Buffer>();

parentPort!.on('message', (m: { defs?: [number, string][]; texts?: (string | number)[]; end?: true }) => {
  for (const [n, text] of m.defs ?? []) fragments.set(n, Buffer.from(text));
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
