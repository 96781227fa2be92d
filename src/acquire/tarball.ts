/**
 * Unpacked tarballs in the cache: local `.tgz` / `.tar.gz` / `.tar` targets
 * (keyed by content hash) and the shared "unpack, read package.json, publish"
 * step used by npm acquisition.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { unpackToWorkEntry, type ArchiveLimits } from './archive.js';
import { isDirectory, loadEntry, publishDir, removeDir, writeEntryMeta, type CachedTree } from './cache.js';
import { formatBytes } from './limits.js';
import { readPackageIdentity, type PackageIdentity } from './package-json.js';
import { UserError } from './types.js';

export interface UnpackContext {
  cacheDir: string;
  limits: ArchiveLimits;
}

/** File names treated as tarballs when given as a local target. */
export const TARBALL_NAME = /\.(?:tgz|tar\.gz|tar)$/i;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Unpack `tarball` safely, record name/version from the package.json at its
 * root, and publish it at the entry folder `chooseEntryDir` picks.
 */
export async function unpackAndPublish(
  tarball: string,
  ctx: UnpackContext,
  chooseEntryDir: (pkg: PackageIdentity) => string,
): Promise<CachedTree> {
  const work = await unpackToWorkEntry(tarball, ctx.cacheDir, ctx.limits);
  let entryDir: string;
  try {
    const pkg = await readPackageIdentity(work.rootAbs);
    await writeEntryMeta(work.workDir, { ...work.meta, name: pkg.name, version: pkg.version });
    entryDir = chooseEntryDir(pkg);
    // A damaged entry (e.g. hand-edited) would win the publish race: replace it.
    if ((await isDirectory(entryDir)) && !(await loadEntry(entryDir))) await removeDir(entryDir);
    await publishDir(work.workDir, entryDir);
  } finally {
    await removeDir(work.workDir); // no-op once renamed
  }
  const tree = await loadEntry(entryDir);
  if (!tree) throw new UserError(`cache entry ${entryDir} is unusable; remove it and retry`, 'cache-error');
  return tree;
}

/** A local tarball target: unpacked once into `<cache>/archive/<sha256>/`. */
export async function acquireLocalTarball(file: string, ctx: UnpackContext): Promise<CachedTree> {
  const st = await fsp.stat(file);
  if (st.size > ctx.limits.maxBytes) {
    throw new UserError(
      `archive ${path.basename(file)} is ${formatBytes(st.size)}, more than the ${formatBytes(ctx.limits.maxBytes)} limit (maxArchiveBytes)`,
      'archive-too-large',
    );
  }
  const entryDir = path.join(ctx.cacheDir, 'archive', await sha256File(file));
  return (await loadEntry(entryDir)) ?? unpackAndPublish(file, ctx, () => entryDir);
}
