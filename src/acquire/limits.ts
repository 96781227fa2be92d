/** Default limits for acquisition. All sizes in bytes. */

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const DEFAULT_MAX_FILE_BYTES = 5 * MiB;
/**
 * Source analysed per target, in all. Analysis holds about 200 bytes of memory per source byte at its peak (syntax
 * records, IR, values), so 40 MB of plain JavaScript ran out of Node's 4 GiB heap; past this budget the largest
 * files are left out (the largest package of the speed benchmark has 8.8 MB).
 */
export const DEFAULT_MAX_TOTAL_BYTES = 12 * MiB;
export const DEFAULT_MAX_ARCHIVE_BYTES = 200 * MiB;
/** Largest number of entries (of any type) accepted in one archive. */
export const DEFAULT_MAX_ARCHIVE_ENTRIES = 100_000;
export const DEFAULT_MAX_FILES = 20_000;
export const DEFAULT_TIMEOUT_MS = 120_000;

/** A file with a NUL byte in this many leading bytes is treated as binary. */
export const BINARY_SNIFF_BYTES = 8 * KiB;
/** The minified-code heuristic looks at this many leading bytes… */
export const MINIFIED_SNIFF_BYTES = 64 * KiB;
/** …of JavaScript files larger than this… */
export const MINIFIED_MIN_FILE_BYTES = 200 * KiB;
/** …and calls them minified when the average line is longer than this. */
export const MINIFIED_MIN_AVG_LINE = 500;

/** `1.5 MiB`, `12 KiB`, `300 bytes`. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= KiB) return `${+(n / KiB).toFixed(1)} KiB`;
  return `${n} bytes`;
}
