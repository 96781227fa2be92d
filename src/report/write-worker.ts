/**
 * The writer thread's code (started by writer.ts; not imported elsewhere): batches of texts encoded as UTF-8 and
 * written to the file in order; after the first failed write, nothing more is written, and the error is what the
 * `end` message is answered with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeFully } from './writer.js';

const fd = (workerData as { fd: number }).fd;
let failed: { message: string; code?: string } | undefined;

parentPort!.on('message', (m: { texts?: string[]; end?: true }) => {
  if (m.texts && !failed) {
    try {
      writeFully(fd, Buffer.from(m.texts.length === 1 ? m.texts[0]! : m.texts.join('')));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      failed = { message: err.message, ...(err.code ? { code: err.code } : {}) };
    }
  }
  if (m.end) parentPort!.postMessage({ ended: true, ...(failed ? { error: failed } : {}) });
});
