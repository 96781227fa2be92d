/**
 * Writing many reports to one file as they are made (`scan` with several targets). Writes to a file handle that are
 * in flight together may land in any order, so there is at most one at a time: texts that come while one is in
 * flight wait in a queue, and the next write takes the whole queue at once (the main thread is busy analysing;
 * one write per report would each wait for it, and the last ones would be written one by one at the end). The
 * first failed write (a full disk, a closed handle) stops the rest and is what `flush()` throws.
 */
import type { FileHandle } from 'node:fs/promises';

export interface OrderedWriter {
  write(text: string): void;
  /** Resolves when everything written so far is in the file; rejects with the first write error. */
  flush(): Promise<void>;
}

export function orderedWriter(handle: FileHandle): OrderedWriter {
  let queue: string[] = [];
  let pumping: Promise<void> | undefined;
  let failed: Error | undefined;
  const pump = async (): Promise<void> => {
    try {
      while (queue.length && !failed) {
        const buf = Buffer.from(queue.length === 1 ? queue[0]! : queue.join(''));
        queue = [];
        // a write may take fewer bytes than given: go on until all are written
        for (let off = 0; off < buf.length; ) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
      }
    } catch (e) {
      failed = e as Error;
    } finally {
      pumping = undefined;
    }
  };
  return {
    write(text) {
      if (failed) return;
      queue.push(text);
      pumping ??= pump();
    },
    async flush() {
      while (pumping) await pumping;
      if (failed) throw failed;
    },
  };
}
