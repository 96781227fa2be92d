/**
 * The packaged data/ folder: knowledge base, known servers, generated tables. Found by walking up from this module
 * to the package root, so it works from src/ (tests) and from build/src/ (the installed package).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The absolute path of `data/<rel>` in this package, or undefined when no such file is there. */
export function packagedDataFile(...rel: string[]): string | undefined {
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const cand = path.join(dir, 'data', ...rel);
    if (existsSync(cand)) return cand;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
