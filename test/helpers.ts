import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Absolute path of the repository root (tests run from build/test/...). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a file/folder given relative to the repository root. */
export function fromRoot(...parts: string[]): string {
  return path.join(repoRoot, ...parts);
}

/** Absolute path of ../shared (beside the project). */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
