/**
 * Writing many reports to one file as they are made (`scan` with several targets): each write starts when the
 * one before has finished — writes to a file handle that are in flight together may land in any order. The
 * first failed write (a full disk, a closed handle) stops the rest and is what `flush()` throws.
 */
import type { FileHandle } from 'node:fs/promises';

export interface OrderedWriter {
  write(text: string): void;
  /** Resolves when everything written so far is in the file; rejects with the first write error. */
  flush(): Promise<void>;
}

export function orderedWriter(handle: FileHandle): OrderedWriter {
  let last: Promise<void> = Promise.resolve();
  let failed: Error | undefined;
  return {
    write(text) {
      last = last.then(async () => {
        if (failed) return;
        try {
          await handle.write(text);
        } catch (e) {
          failed = e as Error;
        }
      });
    },
    async flush() {
      await last;
      if (failed) throw failed;
    },
  };
}
