/** Helpers for the acquire tests: temp folders, file trees, hand-made tar archives. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export async function makeTmp(prefix = 'mcp-risk-acquire-'): Promise<string> {
  // realpath: macOS /var → /private/var, so path comparisons hold.
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

export async function rmTmp(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/** Write files (relative path → content) below `root`, creating folders. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content);
  }
}

/** All paths (files, folders, links) below `root`, relative, without following links. */
export async function listAll(root: string): Promise<string[]> {
  const out: string[] = [];
  async function go(dir: string, rel: string): Promise<void> {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) await go(path.join(dir, e.name), r);
    }
  }
  await go(root, '');
  return out.sort();
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** tar type flags: 0 file, 1 hard link, 2 symlink, 3 char device, 4 block device, 5 directory, 6 FIFO. */
export type TarType = '0' | '1' | '2' | '3' | '4' | '5' | '6';

export interface RawEntry {
  path: string;
  type?: TarType;
  data?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

function writeString(buf: Buffer, offset: number, length: number, s: string): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length > length) throw new Error(`tar field too long: ${s}`);
  b.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, length: number, n: number): void {
  writeString(buf, offset, length, n.toString(8).padStart(length - 1, '0') + '\0');
}

/** One 512-byte ustar header, written by hand so that nothing sanitises hostile paths. */
export function tarHeader(e: RawEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const type = e.type ?? '0';
  writeString(h, 0, 100, e.path);
  writeOctal(h, 100, 8, e.mode ?? (type === '5' ? 0o755 : 0o644));
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 1_700_000_000);
  h.fill(0x20, 148, 156); // checksum field counts as spaces
  writeString(h, 156, 1, type);
  writeString(h, 157, 100, e.linkpath ?? '');
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'root');
  writeString(h, 297, 32, 'root');
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** A whole tar archive from raw entries (data padded to 512-byte blocks, two zero blocks at the end). */
export function rawTar(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    parts.push(tarHeader(e, data.length));
    if (data.length > 0) {
      parts.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function rawTgz(entries: readonly RawEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}
