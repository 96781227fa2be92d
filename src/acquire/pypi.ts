/**
 * PyPI packages: `pypi:name==version` (or `pypi:name` for the newest).
 *
 * Wheels are fetched with the user's own pip: `python3 -m pip download --no-deps --only-binary :all:`,
 * which downloads and never builds (building an sdist would run the package's code). When a release
 * has no wheel, its source distribution is fetched directly from the index (PEP 503 simple API, or a
 * `--find-links` folder) without pip. Either archive is unpacked safely (wheels: zip, see zip.ts; sdists:
 * tar, see archive.ts) and cached as `<cache>/pypi/<name>@<version>/`. A pinned spec is served from the
 * cache without touching the network.
 *
 * Index selection: `pypiIndexUrl` (or pip's own PIP_INDEX_URL / pip.conf), or `pypiFindLinks` (a local
 * folder of distributions: `pip download --no-index --find-links DIR`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArchiveLimits } from './archive.js';
import { extractArchive, findArchiveRoot } from './archive.js';
import { ENTRY_TREE_DIR, isDirectory, loadEntry, makeWorkDir, publishDir, removeDir, writeEntryMeta, type ArchiveEntryMeta, type CachedTree } from './cache.js';
import { runProcess, startError, stderrSummary } from './process.js';
import { UserError } from './types.js';
import { extractZip } from './zip.js';
import { compareText } from '../order.js';

export interface PypiSpec {
  name: string;
  version?: string;
}

export interface PypiContext {
  cacheDir: string;
  limits: ArchiveLimits;
  timeoutMs: number;
  indexUrl?: string;
  findLinks?: string;
  /** Python interpreter with pip (default `python3`). */
  python?: string;
}

const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VERSION_RE = /^[A-Za-z0-9.+!_-]+$/;

/** `name==version` / `name` (the `pypi:` prefix already removed). */
export function parsePypiSpec(text: string): PypiSpec | undefined {
  const m = /^\s*([^=<>!~\s\[]+)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;]+))?\s*$/.exec(text);
  if (!m || !NAME_RE.test(m[1]!)) return undefined;
  if (m[2] !== undefined && !VERSION_RE.test(m[2])) return undefined;
  return m[2] ? { name: m[1]!, version: m[2] } : { name: m[1]! };
}

/** PEP 503 normalised name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function pypiEntryDir(cacheDir: string, name: string, version: string): string {
  return path.join(cacheDir, 'pypi', `${normalizeName(name)}@${version}`);
}

/** Distribution file names of a release, from a list of file names (pure). */
export function pickDistribution(files: readonly string[], spec: PypiSpec): { wheel?: string; sdist?: string } {
  const norm = normalizeName(spec.name).replace(/-/g, '_');
  const ver = spec.version;
  const ok = (f: string, ext: RegExp) => {
    const base = f.toLowerCase();
    const m = new RegExp(`^${norm.replace(/_/g, '[-_.]')}-([^-]+?)${ext.source}$`, 'i').exec(base);
    return m && (!ver || m[1] === ver.toLowerCase()) ? m[1]! : undefined;
  };
  const wheels = files.filter((f) => /\.whl$/i.test(f) && ok(f, /-[^/]*\.whl/));
  const sdists = files.filter((f) => ok(f, /\.(?:tar\.gz|zip)/));
  // pure-python wheels first
  wheels.sort((a, b) => Number(/-none-any\.whl$/i.test(b)) - Number(/-none-any\.whl$/i.test(a)) || compareText(a, b));
  return { wheel: wheels[0], sdist: sdists.sort().at(-1) };
}

/** Read Name/Version from a wheel's METADATA or an sdist's PKG-INFO under a tree. */
export async function readPythonIdentity(root: string): Promise<{ name?: string; version?: string }> {
  const candidates: string[] = [path.join(root, 'PKG-INFO')];
  try {
    for (const e of (await fs.readdir(root)).sort()) if (e.endsWith('.dist-info')) candidates.push(path.join(root, e, 'METADATA'));
  } catch {
    /* no listing */
  }
  for (const c of candidates) {
    let text: string;
    try {
      text = await fs.readFile(c, 'utf8');
    } catch {
      continue;
    }
    const name = /^Name:\s*(.+)$/m.exec(text)?.[1]?.trim();
    const version = /^Version:\s*(.+)$/m.exec(text)?.[1]?.trim();
    return { name, version };
  }
  return {};
}

async function pipDownload(spec: PypiSpec, dest: string, ctx: PypiContext): Promise<{ ok: boolean; stderr: string }> {
  const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--dest', dest, '--disable-pip-version-check', '--no-input', '--retries', '0', '--timeout', '20'];
  if (ctx.findLinks) args.push('--no-index', '--find-links', ctx.findLinks);
  else if (ctx.indexUrl) args.push('--index-url', ctx.indexUrl);
  args.push('--', spec.version ? `${spec.name}==${spec.version}` : spec.name);
  let r;
  try {
    r = await runProcess(ctx.python ?? 'python3', args, { timeoutMs: ctx.timeoutMs, env: { ...process.env, PIP_NO_INPUT: '1' } });
  } catch (e) {
    throw startError(ctx.python ?? 'python3', e);
  }
  if (r.timedOut) throw new UserError(`pip download ${spec.name} timed out after ${Math.round(ctx.timeoutMs / 1000)} s`, 'timeout');
  return { ok: r.code === 0, stderr: r.stderr };
}

/** List the files of a release: a `--find-links` folder, or the index's PEP 503 page. */
async function listIndexFiles(spec: PypiSpec, ctx: PypiContext): Promise<{ name: string; url: string }[]> {
  if (ctx.findLinks && !/^https?:/.test(ctx.findLinks)) {
    const dir = ctx.findLinks.replace(/^file:\/\//, '');
    const names = (await fs.readdir(dir).catch(() => [] as string[])).sort();
    return names.map((n) => ({ name: n, url: path.join(dir, n) }));
  }
  const base = (ctx.findLinks ?? ctx.indexUrl ?? process.env.PIP_INDEX_URL ?? 'https://pypi.org/simple').replace(/\/+$/, '');
  const url = ctx.findLinks ? base : `${base}/${normalizeName(spec.name)}/`;
  const res = await fetch(url, { signal: AbortSignal.timeout(ctx.timeoutMs), headers: { Accept: 'text/html' } }).catch((e: unknown) => {
    throw new UserError(`cannot reach the Python package index ${base}: ${(e as Error).message}`, 'network');
  });
  if (res.status === 404) throw new UserError(`PyPI package not found: ${spec.name}`, 'not-found');
  if (!res.ok) throw new UserError(`the Python package index answered HTTP ${res.status} for ${spec.name}`, 'network');
  const html = await res.text();
  const out: { name: string; url: string }[] = [];
  const re = /<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) out.push({ name: m[2]!.trim(), url: new URL(m[1]!, url).toString() });
  return out;
}

async function download(file: { name: string; url: string }, dest: string, ctx: PypiContext): Promise<string> {
  const target = path.join(dest, path.basename(file.name));
  if (!/^https?:/.test(file.url)) {
    await fs.copyFile(file.url, target);
    return target;
  }
  const res = await fetch(file.url, { signal: AbortSignal.timeout(ctx.timeoutMs) });
  if (!res.ok) throw new UserError(`download of ${file.name} failed: HTTP ${res.status}`, 'network');
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > ctx.limits.maxBytes) throw new UserError(`${file.name} is larger than the archive limit`, 'archive-too-large');
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > ctx.limits.maxBytes) throw new UserError(`${file.name} is larger than the archive limit`, 'archive-too-large');
  await fs.writeFile(target, buf);
  return target;
}

/** Acquire a PyPI release into the cache. */
export async function acquirePypi(spec: PypiSpec, ctx: PypiContext): Promise<CachedTree & { version: string; name: string }> {
  if (spec.version) {
    const cached = await loadEntry(pypiEntryDir(ctx.cacheDir, spec.name, spec.version));
    if (cached) return { ...cached, name: cached.meta.name ?? spec.name, version: spec.version };
  }
  const work = await makeWorkDir(ctx.cacheDir, 'pypi');
  try {
    const dl = path.join(work, 'download');
    await fs.mkdir(dl);
    const pip = await pipDownload(spec, dl, ctx);
    let archive: string | undefined;
    if (pip.ok) {
      const files = await fs.readdir(dl);
      archive = files.length ? path.join(dl, pickDistribution(files, spec).wheel ?? files[0]!) : undefined;
    } else if (/No matching distribution|Could not find a version/i.test(pip.stderr) || /No module named pip/i.test(pip.stderr)) {
      // no wheel (or no pip): fetch the source distribution directly — never build it
      const listing = await listIndexFiles(spec, ctx);
      const pick = pickDistribution(
        listing.map((f) => f.name),
        spec,
      );
      const chosen = listing.find((f) => f.name === (pick.wheel ?? pick.sdist));
      if (!chosen) {
        throw new UserError(`no distribution of ${spec.name}${spec.version ? `==${spec.version}` : ''} found on the Python package index`, 'not-found');
      }
      archive = await download(chosen, dl, ctx);
    } else {
      throw new UserError(`pip download ${spec.name} failed:\n${stderrSummary(pip.stderr, 4)}`, 'network');
    }
    if (!archive) throw new UserError(`pip download ${spec.name} produced no file`, 'network');
    const treeDir = path.join(work, ENTRY_TREE_DIR);
    await fs.mkdir(treeDir);
    const result = /\.(whl|zip)$/i.test(archive) ? await extractZip(archive, treeDir, ctx.limits) : await extractArchive(archive, treeDir, ctx.limits);
    const rootRel = /\.whl$/i.test(archive) ? '' : await findArchiveRoot(treeDir);
    const ident = await readPythonIdentity(path.join(treeDir, rootRel));
    const version = spec.version ?? ident.version ?? /-([^-]+?)(?:-[^-]+-[^-]+-[^-]+\.whl|\.tar\.gz|\.zip)$/i.exec(path.basename(archive))?.[1] ?? 'unknown';
    const meta: ArchiveEntryMeta = { rootRel, warnings: result.warnings, partial: result.partial, name: ident.name ?? spec.name, version };
    await fs.rm(dl, { recursive: true, force: true });
    await writeEntryMeta(work, meta);
    const entryDir = pypiEntryDir(ctx.cacheDir, spec.name, version);
    if ((await isDirectory(entryDir)) && !(await loadEntry(entryDir))) await removeDir(entryDir);
    await publishDir(work, entryDir);
    const tree = await loadEntry(entryDir);
    if (!tree) throw new UserError(`cache entry ${entryDir} is unusable; remove it and retry`, 'cache-error');
    return { ...tree, name: meta.name!, version };
  } finally {
    await removeDir(work);
  }
}
