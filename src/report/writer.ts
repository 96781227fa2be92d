/**
 * Writing many reports to one file as they are made (`scan` with several targets): each write starts when the
 * one before has finished — writes to a file handle that are in flight together may land in any order.
 */
import type { FileHandle } from 'node:fs/promises';

export interface OrderedWriter {
  write(text: string): void;
  /** Resolves when everything written so far is in the file (rejects with the first write error). */
  flush(): Promise<void>;
}

export function orderedWriter(handle: FileHandle): OrderedWriter {
  let last: Promise<unknown> = Promise.resolve();
  return {
    write(text) {
      last = last.then(() => handle.write(text));
    },
    async flush() {
      await last;
    },
  };
}
