import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    try {
      const j = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (j.name === 'mcp-risk') return j.version ?? '0.0.0';
    } catch {
      /* keep looking */
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export const VERSION = findPackageJson();
