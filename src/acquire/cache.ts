/**
 * The download cache: where npm tarballs, unpacked archives and git clones live.
 *
 * Layout under the cache root:
 *   tmp/<random>/          work folders (same file system, so publishing is a rename)
 *   npm/<name>@<version>/  unpacked npm packages (`@scope/name` → `@scope+name`)
 *   archive/<sha256>/      unpacked local tarballs, keyed by content
 *   git/<key>/<sha>/       clones, key = hash of URL + ref, one folder per commit
 *
 * An entry is complete as soon as it exists: it is built in `tmp/` and renamed
 * into place in one step; when two processes race, the first rename wins and
 * the loser's copy is removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Warning } from '../model.js';

/** Cache root: `opts.cacheDir`, `$MCP_RISK_CACHE`, `$XDG_CACHE_HOME/mcp-risk`, `~/.cache/mcp-risk`. */
export function resolveCacheDir(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const nonEmpty = (v: string | undefined): v is string => typeof v === 'string' && v.trim() !== '';
  if (nonEmpty(explicit)) return path.resolve(explicit);
  if (nonEmpty(env.MCP_RISK_CACHE)) return path.resolve(env.MCP_RISK_CACHE);
  if (nonEmpty(env.XDG_CACHE_HOME)) return path.resolve(env.XDG_CACHE_HOME, 'mcp-risk');
  return path.resolve(home, '.cache', 'mcp-risk');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Make a fresh work folder under `<cache>/tmp/`. */
export async function makeWorkDir(cacheDir: string, prefix: string): Promise<string> {
  const dir = path.join(cacheDir, 'tmp', `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 2 });
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Move a finished work folder to its final place atomically. If another process
 * published the same entry first, keep theirs and drop ours.
 */
export async function publishDir(workDir: string, finalDir: string): Promise<void> {
  await fs.mkdir(path.dirname(finalDir), { recursive: true });
  try {
    await fs.rename(workDir, finalDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && (await isDirectory(finalDir))) {
      await removeDir(workDir);
      return;
    }
    throw err;
  }
}

/** What an unpacked-archive entry remembers besides its files (`entry.json`). */
export interface ArchiveEntryMeta {
  /** Folder (relative to `tree/`) that is the target root, e.g. `package`; '' for `tree/` itself. */
  rootRel: string;
  warnings: Warning[];
  partial: boolean;
  name?: string;
  version?: string;
}

export const ENTRY_META_FILE = 'entry.json';
export const ENTRY_TREE_DIR = 'tree';

export async function writeEntryMeta(entryDir: string, meta: ArchiveEntryMeta): Promise<void> {
  await fs.writeFile(path.join(entryDir, ENTRY_META_FILE), JSON.stringify(meta, null, 2) + '\n');
}

/** Read an entry's metadata; `undefined` when the entry is absent or unreadable (treated as a miss). */
export async function readEntryMeta(entryDir: string): Promise<ArchiveEntryMeta | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(entryDir, ENTRY_META_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseEntryMeta(JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function parseEntryMeta(v: unknown): ArchiveEntryMeta | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.rootRel !== 'string' || typeof o.partial !== 'boolean' || !Array.isArray(o.warnings)) return undefined;
  if (o.rootRel.split('/').includes('..') || path.isAbsolute(o.rootRel)) return undefined;
  const warnings = o.warnings.filter(isWarning);
  return {
    rootRel: o.rootRel,
    partial: o.partial,
    warnings,
    name: typeof o.name === 'string' ? o.name : undefined,
    version: typeof o.version === 'string' ? o.version : undefined,
  };
}

function isWarning(v: unknown): v is Warning {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string' && (o.file === undefined || typeof o.file === 'string');
}

/** A usable unpacked tree in the cache. */
export interface CachedTree {
  /** Absolute path of the target root (e.g. `<entry>/tree/package`). */
  rootAbs: string;
  meta: ArchiveEntryMeta;
}

/** Load a published archive entry; `undefined` when absent or damaged (a miss). */
export async function loadEntry(entryDir: string): Promise<CachedTree | undefined> {
  const meta = await readEntryMeta(entryDir);
  if (!meta) return undefined;
  const rootAbs = path.join(entryDir, ENTRY_TREE_DIR, meta.rootRel);
  return (await isDirectory(rootAbs)) ? { rootAbs, meta } : undefined;
}
