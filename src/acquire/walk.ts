/**
 * Listing the source files of a folder (or a single file).
 *
 * - Only regular files with a known extension are listed (see language.ts);
 *   exclusions come from patterns.ts.
 * - Symlinks: the walk first goes through real files and folders only, then
 *   looks at the symlinks it met, in a fixed order. A link is followed only when
 *   its real target is inside the root; a folder reached twice is walked once
 *   (a link to an ancestor is reported as `symlink-loop`); a file reached twice
 *   is listed once. So the result does not depend on directory read order.
 * - Safety/size skips (warning + partial): `file-too-large`, `binary-file`,
 *   `too-many-files`, `unreadable`. Minified bundles are a default exclusion
 *   (warning `minified-file`; the result is partial: the skipped file may hold server code).
 * - Contents are not decoded: invalid UTF-8 is the reader's business.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Warning } from '../model.js';
import { isMinifiableJs, languageOf } from './language.js';
import {
  BINARY_SNIFF_BYTES,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_TOTAL_BYTES,
  DEFAULT_MAX_FILES,
  MINIFIED_MIN_AVG_LINE,
  MINIFIED_MIN_FILE_BYTES,
  MINIFIED_SNIFF_BYTES,
  formatBytes,
} from './limits.js';
import { makePathFilter, type FilterOptions, type PathFilter } from './patterns.js';
import type { SourceFile } from './types.js';
import { compareText } from '../order.js';

/** Files up to this size are read whole by the walk, while fewer than KEEP_TOTAL_BYTES are kept in all. */
const KEEP_WHOLE_BYTES = 512 * 1024;
const KEEP_TOTAL_BYTES = 64 * 1024 * 1024;

export interface WalkOptions extends FilterOptions {
  maxFileBytes?: number;
  maxTotalBytes?: number;
  maxFiles?: number;
}

export interface WalkResult {
  files: SourceFile[];
  warnings: Warning[];
  partial: boolean;
}

/** Whether the head of a file looks binary (a NUL byte in its first 8 KiB). */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Whether a JavaScript file looks minified: large, and long lines in its first 64 KiB. */
export function looksMinified(size: number, head: Buffer): boolean {
  if (size <= MINIFIED_MIN_FILE_BYTES) return false;
  const sample = head.subarray(0, MINIFIED_SNIFF_BYTES);
  if (sample.length === 0) return false;
  let lines = 1;
  for (const b of sample) if (b === 0x0a) lines++;
  return sample.length / lines > MINIFIED_MIN_AVG_LINE;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function readHead(abs: string, bytes: number): Buffer {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const bytesRead = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}

interface PendingLink {
  abs: string;
  rel: string;
  /** Real path of the folder holding the link. */
  parentReal: string;
  includedOnly: boolean;
}

class Walker {
  readonly files: SourceFile[] = [];
  readonly warnings: Warning[] = [];
  partial = false;
  private stopped = false;
  /** Bytes of files kept in memory (see KEEP_TOTAL_BYTES). */
  private kept = 0;
  private readonly visitedDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private readonly pending: PendingLink[] = [];
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly maxTotalBytes: number;

  constructor(
    private readonly rootReal: string,
    private readonly filter: PathFilter,
    opts: WalkOptions,
  ) {
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
    // a file the user let through with a larger --max-file-bytes is not then dropped by the default total
    this.maxTotalBytes = opts.maxTotalBytes ?? Math.max(DEFAULT_MAX_TOTAL_BYTES, this.maxFileBytes);
  }

  private warn(code: string, message: string, file?: string, partial = true): void {
    this.warnings.push(file === undefined ? { code, message } : { code, message, file });
    if (partial) this.partial = true;
  }

  walkRoot(rootAbs: string): void {
    this.visitedDirs.add(this.rootReal);
    this.walkDir(rootAbs, '', this.rootReal, false);
    // Symlinks last, in discovery order (deterministic: entries are read sorted).
    for (let i = 0; i < this.pending.length && !this.stopped; i++) {
      this.followLink(this.pending[i]);
    }
  }

  private walkDir(abs: string, rel: string, real: string, includedOnly: boolean): void {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      this.warn('unreadable', `cannot read folder ${rel || '.'}: ${errCode(err) ?? String(err)}`, rel || '.');
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      if (this.stopped) return;
      const childAbs = path.join(abs, entry.name);
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const childReal = path.join(real, entry.name);
      if (entry.isSymbolicLink()) {
        this.pending.push({ abs: childAbs, rel: childRel, parentReal: real, includedOnly });
      } else if (entry.isDirectory()) {
        this.enterDir(childAbs, childRel, childReal, includedOnly);
      } else if (entry.isFile()) {
        this.considerFile(childAbs, childRel, childReal, includedOnly);
      }
      // sockets, FIFOs, devices: never source
    }
  }

  private enterDir(abs: string, rel: string, real: string, parentIncludedOnly: boolean): void {
    const decision = this.filter.dir(rel, parentIncludedOnly);
    if (decision === 'skip' || this.visitedDirs.has(real)) return;
    this.visitedDirs.add(real);
    this.walkDir(abs, rel, real, decision === 'walk-included-only');
  }

  private followLink(link: PendingLink): void {
    let real: string;
    try {
      real = realpathSync.native(link.abs);
    } catch (err) {
      if (errCode(err) === 'ELOOP') {
        this.warn('symlink-loop', `symlink ${link.rel} loops; not followed`, link.rel);
      } else {
        this.warn('broken-symlink', `symlink ${link.rel} points nowhere; skipped`, link.rel, false);
      }
      return;
    }
    if (!isInside(real, this.rootReal)) {
      this.warn('symlink-outside-root', `symlink ${link.rel} points outside the target; not followed`, link.rel, false);
      return;
    }
    let st: import('node:fs').Stats;
    try {
      st = statSync(real);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (this.visitedDirs.has(real)) {
        if (isInside(link.parentReal, real)) {
          this.warn('symlink-loop', `symlink ${link.rel} points to an enclosing folder; not followed`, link.rel);
        }
        return; // otherwise: a folder already walked under its own name
      }
      this.enterDir(link.abs, link.rel, real, link.includedOnly);
    } else if (st.isFile()) {
      this.considerFile(link.abs, link.rel, real, link.includedOnly);
    }
  }

  considerFile(abs: string, rel: string, real: string, includedOnly: boolean, forced = false): void {
    const language = languageOf(path.basename(rel));
    if (!language) return;
    if (!forced && !this.filter.file(rel, includedOnly)) return;
    if (this.seenFiles.has(real)) return;
    this.seenFiles.add(real);

    let size: number;
    let head: Buffer;
    let data: Buffer | undefined;
    const checkMinified = !forced && isMinifiableJs(rel) && this.filter.defaultRulesApply(rel);
    try {
      size = (statSync(abs)).size;
      if (size > this.maxFileBytes) {
        this.warn(
          'file-too-large',
          `${rel} is ${formatBytes(size)}, larger than the ${formatBytes(this.maxFileBytes)} limit; skipped`,
          rel,
        );
        return;
      }
      if (size <= KEEP_WHOLE_BYTES && this.kept + size <= KEEP_TOTAL_BYTES) {
        // small file: read it whole now (the sniff is its head; the reader will not open it again)
        data = readFileSync(abs);
        head = data;
      } else {
        const sniff = checkMinified && size > MINIFIED_MIN_FILE_BYTES ? MINIFIED_SNIFF_BYTES : BINARY_SNIFF_BYTES;
        head = readHead(abs, Math.min(sniff, size));
      }
    } catch (err) {
      this.warn('unreadable', `cannot read ${rel}: ${errCode(err) ?? String(err)}`, rel);
      return;
    }
    if (looksBinary(head)) {
      this.warn('binary-file', `${rel} looks binary (NUL byte); skipped`, rel);
      return;
    }
    if (checkMinified && looksMinified(size, head)) {
      this.warn('minified-file', `${rel} looks minified; skipped (use --include to analyse it)`, rel, true);
      return;
    }
    if (this.files.length >= this.maxFiles) {
      this.warn('too-many-files', `more than ${this.maxFiles} source files; the rest were not analysed`);
      this.stopped = true;
      return;
    }
    const file: SourceFile = { path: rel, abs, language, size };
    if (data) {
      this.kept += data.length;
      // not enumerable: a listing written as JSON or sent to another process stays a listing
      Object.defineProperty(file, 'data', { value: data, enumerable: false, writable: true, configurable: true });
    }
    this.files.push(file);
  }

  result(): WalkResult {
    const files = withinTotal(this.files, this.maxTotalBytes, (skipped, bytes) =>
      this.warn(
        'total-size-limit',
        `${formatBytes(bytes)} of source in all, more than the ${formatBytes(this.maxTotalBytes)} analysed per target: ${skipped.length === 1 ? 'the largest file was' : `the ${skipped.length} largest files were`} skipped (${skipped.slice(0, 3).map((f) => f.path).join(', ')}${skipped.length > 3 ? ', …' : ''})`,
      ),
    ).sort((a, b) => compareText(a.path, b.path));
    return { files, warnings: this.warnings, partial: this.partial };
  }
}

/**
 * The files kept under a total size budget: the smallest first (handlers and helpers; the largest files are
 * usually bundles or generated code), ties by path. `skip` hears of the rest, largest first, and the total.
 */
export function withinTotal(files: readonly SourceFile[], budget: number, skip: (skipped: SourceFile[], total: number) => void): SourceFile[] {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total <= budget) return [...files];
  const bySize = [...files].sort((a, b) => a.size - b.size || compareText(a.path, b.path));
  let used = 0;
  let k = 0;
  while (k < bySize.length && used + bySize[k]!.size <= budget) used += bySize[k++]!.size;
  skip(bySize.slice(k).reverse(), total);
  return bySize.slice(0, k);
}

/**
 * List the source files below `root` (a folder). Paths are relative to `root`
 * with forward slashes, sorted.
 */
export async function walkSource(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const rootAbs = path.resolve(root);
  const rootReal = realpathSync.native(rootAbs);
  const walker = new Walker(rootReal, makePathFilter(opts), opts);
  walker.walkRoot(rootAbs);
  return walker.result();
}

/**
 * A single file given as the target: listed if it has a source extension,
 * whatever the default exclusions say (the user asked for it), subject to the
 * size and binary checks. Relative to its folder.
 */
export async function walkSingleFile(file: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const walker = new Walker(realpathSync.native(dir), makePathFilter(opts), opts);
  walker.considerFile(abs, path.basename(abs), realpathSync.native(abs), false, true);
  return walker.result();
}
