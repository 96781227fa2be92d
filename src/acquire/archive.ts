/**
 * Safe unpacking of untrusted tarballs (.tgz / .tar.gz / .tar).
 *
 * Two passes over the archive:
 *   1. scan: read every header without writing anything; enforce the entry-count
 *      and total-size caps (abort as soon as one is exceeded);
 *   2. extract: `tar`'s Unpack with a filter that writes regular files and
 *      directories only, with relative paths that stay inside the destination.
 *
 * Skipped (with a warning, result marked partial): absolute paths and paths with
 * `..` (`archive-unsafe-path`), symbolic and hard links (`archive-link-skipped`),
 * devices and FIFOs (`archive-special-skipped`), other exotic types
 * (`archive-unsupported-entry`). Exceeding a cap is a `UserError`.
 */
import fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ReadEntry } from 'tar';
import type { Warning } from '../model.js';
import { UserError } from './types.js';
import { formatBytes } from './limits.js';
import { ENTRY_TREE_DIR, makeWorkDir, removeDir, writeEntryMeta, type ArchiveEntryMeta } from './cache.js';

export interface ArchiveLimits {
  /** Largest total size of the files written (and largest archive file accepted), bytes. */
  maxBytes: number;
  /** Largest number of entries of any type. */
  maxEntries: number;
}

export interface ExtractResult {
  warnings: Warning[];
  partial: boolean;
  /** Regular files written. */
  files: number;
  /** Bytes of regular files written. */
  bytes: number;
}

/** The header fields the safety decision needs. */
export interface EntryHeader {
  path: string;
  type: string;
  size: number;
  linkpath?: string;
}

export type EntryDecision =
  | { action: 'extract'; kind: 'file' | 'dir' }
  | { action: 'ignore' } // harmless, nothing to write (e.g. the `./` entry)
  | { action: 'skip'; code: string; message: string };

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DIR_TYPES = new Set(['Directory', 'GNUDumpDir']);
const LINK_TYPES = new Set(['SymbolicLink', 'Link']);
const SPECIAL_TYPES = new Set(['CharacterDevice', 'BlockDevice', 'FIFO']);

/** Why a path in an archive is unsafe to write, or `undefined` when it is fine. */
export function unsafePathReason(entryPath: string): string | undefined {
  const p = entryPath.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'absolute path';
  if (p.split('/').includes('..')) return 'path escapes the destination (`..`)';
  if (p.includes('\0')) return 'NUL byte in path';
  return undefined;
}

/** Whether a path names the archive root itself (`''`, `.`, `./`). */
function isRootPath(entryPath: string): boolean {
  return entryPath.replace(/\\/g, '/').split('/').every((s) => s === '' || s === '.');
}

/** Pure decision for one archive entry. */
export function classifyEntry(e: EntryHeader): EntryDecision {
  if (LINK_TYPES.has(e.type)) {
    const what = e.type === 'Link' ? 'hard link' : 'symbolic link';
    return {
      action: 'skip',
      code: 'archive-link-skipped',
      message: `skipped ${what} ${e.path} -> ${e.linkpath ?? '?'} in archive`,
    };
  }
  if (SPECIAL_TYPES.has(e.type)) {
    return { action: 'skip', code: 'archive-special-skipped', message: `skipped ${e.type} entry ${e.path} in archive` };
  }
  if (!FILE_TYPES.has(e.type) && !DIR_TYPES.has(e.type)) {
    return {
      action: 'skip',
      code: 'archive-unsupported-entry',
      message: `skipped unsupported ${e.type} entry ${e.path} in archive`,
    };
  }
  const unsafe = unsafePathReason(e.path);
  if (unsafe) {
    return { action: 'skip', code: 'archive-unsafe-path', message: `skipped archive entry ${e.path}: ${unsafe}` };
  }
  if (isRootPath(e.path)) return { action: 'ignore' };
  return { action: 'extract', kind: DIR_TYPES.has(e.type) ? 'dir' : 'file' };
}

/** Collects warnings, keeping at most `perCode` of each code plus one summary line. */
class WarningSink {
  private readonly byCode = new Map<string, number>();
  readonly list: Warning[] = [];
  constructor(private readonly perCode = 20) {}
  add(w: Warning): void {
    const n = (this.byCode.get(w.code) ?? 0) + 1;
    this.byCode.set(w.code, n);
    if (n <= this.perCode) this.list.push(w);
  }
  finish(): Warning[] {
    const out = [...this.list];
    for (const [code, n] of this.byCode) {
      if (n > this.perCode) out.push({ code, message: `…and ${n - this.perCode} more ${code} warnings` });
    }
    return out;
  }
}

function tooManyEntries(limits: ArchiveLimits): UserError {
  return new UserError(`archive has more than ${limits.maxEntries} entries; refusing to unpack`, 'archive-too-large');
}

function tooLarge(limits: ArchiveLimits): UserError {
  return new UserError(
    `archive unpacks to more than ${formatBytes(limits.maxBytes)} (limit maxArchiveBytes); refusing to unpack`,
    'archive-too-large',
  );
}

function archiveError(file: string, err: unknown): UserError {
  if (err instanceof UserError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/decompression ratio/i.test(message)) {
    return new UserError(
      `archive ${path.basename(file)} decompresses to far more than its size (possible zip bomb); refusing to unpack`,
      'archive-too-large',
    );
  }
  return new UserError(`cannot read archive ${path.basename(file)}: ${message}`, 'bad-archive');
}

type Tar = typeof import('tar');
let tarModule: Promise<Tar> | undefined;
/** `tar`, loaded the first time an archive is opened (most scans open none: it is not loaded at start). */
function loadTar(): Promise<Tar> {
  return (tarModule ??= import('tar'));
}

/** Pass 1: read all headers, enforce the caps, write nothing. */
function scanArchive({ Parser }: Tar, file: string, limits: ArchiveLimits): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let entries = 0;
    let bytes = 0;
    const input = fs.createReadStream(file);
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) {
        resolve();
        return;
      }
      input.destroy();
      reject(archiveError(file, err));
    };
    const parser = new Parser({
      strict: false,
      filter: (_p: string, entry: fs.Stats | ReadEntry): boolean => {
        if (settled || !isReadEntry(entry)) return false;
        entries++;
        const decision = classifyEntry(entry);
        if (decision.action === 'extract' && decision.kind === 'file') bytes += entry.size;
        if (entries > limits.maxEntries) finish(tooManyEntries(limits));
        else if (bytes > limits.maxBytes) finish(tooLarge(limits));
        if (settled) queueMicrotask(() => parser.abort(new Error('aborted')));
        return false; // never emitted: the body is skipped
      },
    });
    parser.on('error', (err: unknown) => finish(err));
    parser.on('end', () => finish());
    input.on('error', (err) => finish(err));
    input.pipe(parser);
  });
}

function isReadEntry(e: fs.Stats | ReadEntry): e is ReadEntry {
  return typeof (e as ReadEntry).type === 'string' && typeof (e as ReadEntry).path === 'string';
}

/** Pass 2: write the safe entries below `dest`. */
function unpackSafe({ Unpack }: Tar, file: string, dest: string, limits: ArchiveLimits): Promise<ExtractResult> {
  return new Promise((resolve, reject) => {
    const sink = new WarningSink();
    let partial = false;
    let entries = 0;
    let files = 0;
    let bytes = 0;
    let overflow: UserError | undefined;
    let settled = false;
    const input = fs.createReadStream(file);
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      reject(archiveError(file, err));
    };

    const filter = (_p: string, entry: fs.Stats | ReadEntry): boolean => {
      if (overflow || !isReadEntry(entry)) return false;
      entries++;
      const decision = classifyEntry(entry);
      if (decision.action === 'skip') {
        sink.add({ code: decision.code, message: decision.message, file: entry.path });
        partial = true;
        return false;
      }
      if (decision.action === 'ignore') return false;
      // Defence in depth: the caps were checked in pass 1, but the file may have changed since.
      if (decision.kind === 'file') bytes += entry.size;
      if (entries > limits.maxEntries) overflow = tooManyEntries(limits);
      else if (bytes > limits.maxBytes) overflow = tooLarge(limits);
      if (overflow) return false;
      if (decision.kind === 'file') files++;
      // Sane permissions whatever the archive says: no setuid, always readable by us.
      entry.mode = decision.kind === 'dir' ? 0o755 : 0o644;
      return true;
    };

    const unpack = new Unpack({
      cwd: dest,
      strict: false,
      preserveOwner: false,
      preservePaths: false,
      unlink: true,
      filter,
      onwarn: (code: string, message: string) => {
        sink.add({ code: 'archive-entry-error', message: `${code}: ${message}` });
        partial = true;
      },
    });
    unpack.on('error', fail);
    unpack.on('close', () => {
      if (settled) return;
      settled = true;
      if (overflow) reject(overflow);
      else resolve({ warnings: sink.finish(), partial, files, bytes });
    });
    input.on('error', fail);
    input.pipe(unpack);
  });
}

/**
 * Unpack `file` into the existing, empty folder `dest`, safely (see module doc).
 * Throws `UserError` for unreadable archives and exceeded caps; on error `dest`
 * may hold a partial tree, which the caller removes.
 */
export async function extractArchive(file: string, dest: string, limits: ArchiveLimits): Promise<ExtractResult> {
  let size: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new UserError(`not an archive file: ${file}`);
    size = st.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`archive not found: ${file}`, 'not-found');
  }
  if (size > limits.maxBytes) {
    throw new UserError(
      `archive ${path.basename(file)} is ${formatBytes(size)}, more than the ${formatBytes(limits.maxBytes)} limit (maxArchiveBytes)`,
      'archive-too-large',
    );
  }
  const tar = await loadTar();
  await scanArchive(tar, file, limits);
  return unpackSafe(tar, file, dest, limits);
}

/**
 * The folder of an unpacked tree that is the target root: `package/` (npm), else
 * the single top-level folder, else the tree itself (''). Pure over a listing.
 */
export function pickArchiveRoot(topLevel: readonly { name: string; isDir: boolean }[]): string {
  if (topLevel.some((e) => e.name === 'package' && e.isDir)) return 'package';
  if (topLevel.length === 1 && topLevel[0].isDir) return topLevel[0].name;
  return '';
}

export async function findArchiveRoot(treeDir: string): Promise<string> {
  const entries = await fsp.readdir(treeDir, { withFileTypes: true });
  return pickArchiveRoot(entries.map((e) => ({ name: e.name, isDir: e.isDirectory() })));
}

/** Warning paths are archive paths; make those below the target root relative to it. */
function relativeToRoot(w: Warning, rootRel: string): Warning {
  const prefix = rootRel === '' ? '' : `${rootRel}/`;
  if (w.file === undefined || prefix === '' || !w.file.startsWith(prefix)) return w;
  return { ...w, file: w.file.slice(prefix.length) };
}

export interface UnpackedWorkEntry {
  /** Work folder holding `tree/` and (after `writeEntryMeta`) `entry.json`; not yet published. */
  workDir: string;
  /** Absolute path of the target root inside the work folder. */
  rootAbs: string;
  meta: ArchiveEntryMeta;
}

/**
 * Unpack a tarball into a fresh work folder of the cache (not yet published).
 * The caller adds name/version to `meta`, writes it and publishes the folder.
 * On error the work folder is removed.
 */
export async function unpackToWorkEntry(tarball: string, cacheDir: string, limits: ArchiveLimits): Promise<UnpackedWorkEntry> {
  const workDir = await makeWorkDir(cacheDir, 'unpack');
  try {
    const treeDir = path.join(workDir, ENTRY_TREE_DIR);
    await fsp.mkdir(treeDir);
    const result = await extractArchive(tarball, treeDir, limits);
    const rootRel = await findArchiveRoot(treeDir);
    const warnings = result.warnings.map((w) => relativeToRoot(w, rootRel));
    const meta: ArchiveEntryMeta = { rootRel, warnings, partial: result.partial };
    await writeEntryMeta(workDir, meta);
    return { workDir, rootAbs: path.join(treeDir, rootRel), meta };
  } catch (err) {
    await removeDir(workDir);
    throw err;
  }
}
