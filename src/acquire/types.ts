import type { Language, TargetInfo, Warning } from '../model.js';

export interface SourceFile {
  /** Path relative to the target root, forward slashes. */
  path: string;
  /** Absolute path on disk. */
  abs: string;
  language: Language;
  size: number;
  /**
   * The file's bytes when the walk already read them whole (small files: the binary/minified sniff then costs
   * no second read); otherwise the reader opens `abs`. Not enumerable: JSON and copies of the listing leave it
   * out (the reader then opens `abs`).
   */
  data?: Buffer;
}

export interface AcquireOptions {
  /** Folder for downloaded packages and clones (default: $XDG_CACHE_HOME/mcp-risk or ~/.cache/mcp-risk). */
  cacheDir?: string;
  /** Extra glob-ish patterns to exclude (matched against relative paths). */
  exclude?: string[];
  /** Patterns to force-include even if a default exclusion matches (e.g. 'test/**'). */
  include?: string[];
  /** Turn off the default exclusions (node_modules, tests, vendored, minified). */
  noDefaultExcludes?: boolean;
  /** Largest source file analysed, bytes (default 5 MiB); larger ones are skipped with a warning. */
  maxFileBytes?: number;
  /** Source analysed per target in all, bytes (default 12 MiB, or maxFileBytes when larger): past it the largest files are skipped with a warning. */
  maxTotalBytes?: number;
  /** Largest archive accepted / unpacked total, bytes (default 200 MiB). */
  maxArchiveBytes?: number;
  /** Largest number of files analysed (default 20,000). */
  maxFiles?: number;
  /** Python package index for `pypi:` targets (default: pip's own configuration). */
  pypiIndexUrl?: string;
  /** A local folder (or URL) of Python distributions, used instead of an index (`pip download --no-index --find-links`). */
  pypiFindLinks?: string;
  /** Network/process timeout for npm pack / git clone, ms (default 120 s). */
  timeoutMs?: number;
}

export interface AcquiredTarget {
  info: TargetInfo;
  files: SourceFile[];
  warnings: Warning[];
  /** True when some files were skipped for safety/size reasons (see warnings). */
  partial: boolean;
}

/** Error with a user-facing message and an exit code (2 = usage/input error). */
export class UserError extends Error {
  constructor(message: string, readonly code: string = 'input-error', readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
