/**
 * Writing many reports to one file as they are made (`scan` with several targets), on a writer thread.
 *
 * The main thread is busy analysing. Turning each report into UTF-8 and writing it took about 4% of its time on the
 * Bandit benchmark's large corpus (7,520 reports, 123 MB), so that work is done on a thread of its own: texts are
 * collected into batches of about BATCH characters, and each batch is posted there (the strings are copied, not
 * encoded), where it is encoded and written with blocking writes, in order. The shared fragments of a report (json.ts
 * `toJsonLinePieces`) cross as numbers: each one's text is sent once, and the thread keeps it encoded. A write that takes only part of the
 * bytes is continued. The first failed write (a full disk, a closed file) stops the rest and is what `end()` throws.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { sharedFragment } from './json.js';

export interface OrderedWriter {
  /**
   * Write a text, or the pieces of a list one after the other: texts, and numbers standing for the shared fragments
   * of json.ts `toJsonLinePieces` (each fragment's text crosses once; the writer thread keeps it encoded).
   */
  write(text: string | readonly (string | number)[]): void;
  /**
   * Resolves when everything written is in the file and the thread has stopped; rejects with the first write error.
   * Called again, it gives the same promise; a write after it throws.
   */
  end(): Promise<void>;
}

/** Characters per batch posted to the writer thread. */
const BATCH = 1 << 20;

/** The first write error, as it crosses threads. */
interface WireError {
  message: string;
  code?: string;
}

/** Write all of `buf` to `fd`, going on when a write takes only part of it. */
export function writeFully(fd: number, buf: Uint8Array, write: (fd: number, buf: Uint8Array, offset: number, length: number) => number = writeSync): void {
  for (let off = 0; off < buf.length; ) off += write(fd, buf, off, buf.length - off);
}

/** A writer of texts to the open file `fd` (the caller closes it after `end()`). */
export function threadWriter(fd: number, batch = BATCH): OrderedWriter {
  const worker = new Worker(new URL('./write-worker.js', import.meta.url), { workerData: { fd } });
  worker.unref();
  let texts: (string | number)[] = [];
  let size = 0;
  /** Fragments the thread has (or will have with the next batch), and those to send with it. */
  const known = new Set<number>();
  let defs: [number, string][] = [];
  let ended: Promise<void> | undefined;
  const done = new Promise<WireError | undefined>((resolve) => {
    worker.on('message', (m: { ended: true; error?: WireError }) => resolve(m.error));
    worker.on('error', (e) => resolve({ message: `writer thread: ${e.message}` }));
    worker.on('exit', () => resolve({ message: 'writer thread stopped before the end' }));
  });
  const post = (): void => {
    if (texts.length) worker.postMessage(defs.length ? { defs, texts } : { texts });
    texts = [];
    defs = [];
    size = 0;
  };
  return {
    write(text) {
      if (ended) throw new Error('writer: write after end()');
      if (typeof text === 'string') {
        texts.push(text);
        size += text.length;
      } else {
        for (const t of text) if (typeof t === 'number' && !known.has(t) && sharedFragment(t) === undefined) throw new Error(`writer: no shared fragment ${t}`);
        for (const t of text) {
          texts.push(t);
          if (typeof t === 'string') size += t.length;
          else if (known.has(t)) size += 16; // a number in the batch
          else {
            const f = sharedFragment(t)!;
            known.add(t);
            defs.push([t, f]);
            size += f.length;
          }
        }
      }
      if (size >= batch) post();
    },
    end() {
      ended ??= (async () => {
        post();
        worker.postMessage({ end: true });
        worker.ref();
        const e = await done;
        await worker.terminate();
        if (e) throw Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
      })();
      return ended;
    },
  };
}
