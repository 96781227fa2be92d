import path from 'node:path';
import type { Language } from '../model.js';

/**
 * Language of a source file from its name, or `undefined` when it is not a
 * file we analyse. Declaration files (`.d.ts`) map to `typescript` here; they
 * are dropped by the default exclusions (see patterns.ts), so
 * `--no-default-excludes` can bring them back.
 */
export function languageOf(fileName: string): Language | undefined {
  switch (path.posix.extname(fileName).toLowerCase()) {
    case '.ts':
    case '.mts':
    case '.cts':
      return 'typescript';
    case '.tsx':
      return 'tsx';
    case '.js':
    case '.mjs':
    case '.cjs':
    case '.jsx':
      return 'javascript';
    case '.py':
      return 'python';
    default:
      return undefined;
  }
}

/** Whether a file name is plain JavaScript that may be a minified bundle (not JSX). */
export function isMinifiableJs(fileName: string): boolean {
  return /\.[mc]?js$/i.test(fileName);
}
