/**
 * Dispatch order: the biggest servers first, so that a long one does not start last and run alone at the
 * end (longest-processing-time-first scheduling). A server's size — the bytes of the source files the
 * assessment will read, after the default exclusions — is known without the network when it is a local folder
 * or already in the download cache (pinned npm versions, pinned git commits). Servers of unknown size (to be
 * downloaded) go first, in input order: their download overlaps the analysis of the others.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { classifyTarget, resolveCacheDir, walkSource } from '../acquire/index.js';
import { loadEntry } from '../acquire/cache.js';
import { gitCacheBase } from '../acquire/git.js';
import { isExactVersion, npmEntryDir } from '../acquire/npm.js';

export interface Sized {
  id: number;
  target: string;
}

async function sourceBytes(root: string): Promise<number | undefined> {
  try {
    const w = await walkSource(root, {});
    return w.files.reduce((n, f) => n + f.size, 0);
  } catch {
    return undefined;
  }
}

/** Bytes of source a target holds, when that is known locally; undefined otherwise. */
export async function estimateSize(target: string, cacheDir: string | undefined, cwd: string): Promise<number | undefined> {
  let spec;
  try {
    spec = await classifyTarget(target, undefined, cwd);
  } catch {
    return undefined;
  }
  const cache = (): string => resolveCacheDir(cacheDir);
  switch (spec.kind) {
    case 'folder':
      return sourceBytes(spec.path);
    case 'file':
    case 'archive':
      try {
        return (await fs.stat(spec.path)).size;
      } catch {
        return undefined;
      }
    case 'npm': {
      if (!isExactVersion(spec.npm.version)) return undefined;
      const hit = await loadEntry(npmEntryDir(cache(), spec.npm.name, spec.npm.version));
      return hit ? sourceBytes(hit.rootAbs) : undefined;
    }
    case 'git': {
      const ref = spec.git.ref;
      if (!ref || !/^[0-9a-f]{40}$/i.test(ref)) return undefined;
      return sourceBytes(path.join(gitCacheBase(cache(), spec.git), ref.toLowerCase()));
    }
    default:
      return undefined;
  }
}

/** Pure: unknown sizes first (input order), then the known ones by size, biggest first (ties: input order). */
export function scheduleOrder<T extends Sized>(items: readonly T[], sizes: ReadonlyMap<number, number | undefined>): T[] {
  const unknown = items.filter((t) => sizes.get(t.id) === undefined);
  const known = items.filter((t) => sizes.get(t.id) !== undefined).sort((a, b) => (sizes.get(b.id) as number) - (sizes.get(a.id) as number) || a.id - b.id);
  return [...unknown, ...known];
}

/** Sizes of many targets, a few at a time. */
export async function estimateSizes(items: readonly Sized[], cacheDir: string | undefined, cwd: string, concurrency = 8): Promise<Map<number, number | undefined>> {
  const out = new Map<number, number | undefined>();
  const queue = [...items];
  const lane = async (): Promise<void> => {
    for (let t = queue.shift(); t; t = queue.shift()) out.set(t.id, await estimateSize(t.target, cacheDir, cwd));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  return out;
}
