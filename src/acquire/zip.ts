/**
 * Safe zip extraction (wheels, zipped sdists) with yauzl: the same rules as tar archives (archive.ts):
 * no absolute paths or `..`, no symbolic links, regular files and folders only, modes reset, a total
 * size cap checked against the declared sizes first and against the bytes actually written.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type yauzl from 'yauzl';
import type { Warning } from '../model.js';
import type { ArchiveLimits, ExtractResult } from './archive.js';
import { unsafePathReason } from './archive.js';
import { formatBytes } from './limits.js';
import { UserError } from './types.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** yauzl, loaded the first time a zip is opened (not at start). */
let yauzlModule: Promise<typeof yauzl> | undefined;

async function openZip(file: string): Promise<yauzl.ZipFile> {
  const { open } = await (yauzlModule ??= import('yauzl').then((m) => m.default));
  return new Promise((resolve, reject) => {
    open(file, { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true }, (err, zf) => {
      if (err || !zf) reject(new UserError(`cannot read zip archive ${path.basename(file)}: ${err?.message ?? 'unknown error'}`, 'archive-invalid'));
      else resolve(zf);
    });
  });
}

/** Unpack `file` into the existing folder `dest`. */
export async function extractZip(file: string, dest: string, limits: ArchiveLimits): Promise<ExtractResult> {
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) throw new UserError(`archive not found: ${file}`, 'not-found');
  if (st.size > limits.maxBytes) throw new UserError(`archive ${path.basename(file)} is ${formatBytes(st.size)}, more than the ${formatBytes(limits.maxBytes)} limit`, 'archive-too-large');
  const zf = await openZip(file);
  if (zf.entryCount > limits.maxEntries) {
    zf.close();
    throw new UserError(`archive ${path.basename(file)} has ${zf.entryCount} entries, more than the ${limits.maxEntries} limit`, 'archive-too-many-entries');
  }
  const warnings: Warning[] = [];
  let partial = false;
  let files = 0;
  let bytes = 0;
  const root = path.resolve(dest);
  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      zf.close();
      reject(e instanceof UserError ? e : new UserError(`cannot unpack ${path.basename(file)}: ${(e as Error).message}`, 'archive-invalid'));
    };
    zf.on('error', fail);
    zf.on('end', () => resolve());
    zf.on('entry', (entry: yauzl.Entry) => {
      // names are decoded here (yauzl would reject the whole archive on one bad name; we skip that entry)
      const raw = entry.fileName as unknown as Buffer | string;
      const name = typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      const isDir = name.endsWith('/') || mode === S_IFDIR;
      const skip = (code: string, message: string) => {
        warnings.push({ code, message, file: name });
        partial = true;
        zf.readEntry();
      };
      if (mode === S_IFLNK) return skip('archive-link-skipped', `skipped symbolic link ${name} in archive`);
      const unsafe = unsafePathReason(name);
      if (unsafe) return skip('archive-unsafe-path', `skipped archive entry ${name}: ${unsafe}`);
      const target = path.resolve(root, name);
      if (target !== root && !target.startsWith(root + path.sep)) return skip('archive-unsafe-path', `skipped archive entry ${name}: outside the destination`);
      if (isDir) {
        fs.mkdir(target, { recursive: true, mode: 0o755 }).then(() => zf.readEntry(), fail);
        return;
      }
      if (bytes + entry.uncompressedSize > limits.maxBytes) return fail(new UserError(`archive ${path.basename(file)} unpacks to more than ${formatBytes(limits.maxBytes)} (size cap)`, 'archive-too-large'));
      zf.openReadStream(entry, (err, rs) => {
        if (err || !rs) return fail(err ?? new Error('no stream'));
        let written = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            written += chunk.length;
            if (bytes + written > limits.maxBytes) cb(new UserError(`archive ${path.basename(file)} unpacks to more than ${formatBytes(limits.maxBytes)} (size cap)`, 'archive-too-large'));
            else cb(null, chunk);
          },
        });
        fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 })
          .then(() => pipeline(rs, counter, createWriteStream(target, { mode: 0o644, flags: 'wx' })))
          .then(() => {
            files++;
            bytes += written;
            zf.readEntry();
          }, fail);
      });
    });
    zf.readEntry();
  });
  return { warnings, partial, files, bytes };
}
