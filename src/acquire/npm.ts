/**
 * npm packages: `npm:name@version`, `name@version`, `@scope/name@range`, `name`.
 *
 * The tarball is fetched with `npm pack` (argument array, `--ignore-scripts`,
 * timeout) into a work folder of the cache, unpacked safely (archive.ts) and
 * published as `<cache>/npm/<name>@<version>/`. A pinned spec (exact version)
 * is looked up in the cache first and does not touch the network when present.
 *
 * Only registry specs are accepted (name plus optional version, range or tag):
 * no git/file/URL/alias specs, which could make npm run code.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ArchiveLimits } from './archive.js';
import { loadEntry, makeWorkDir, removeDir, type CachedTree } from './cache.js';
import { runProcess, startError, stderrSummary } from './process.js';
import { sha256File, unpackAndPublish } from './tarball.js';
import { UserError } from './types.js';

export interface NpmSpec {
  name: string;
  /** Exact version, range or dist-tag; absent = latest. */
  version?: string;
}

export interface NpmPackRequest {
  /** Registry spec, `name` or `name@version`. */
  spec: string;
  /** Folder to write the tarball into (exists, empty). */
  destDir: string;
  timeoutMs: number;
}

export interface NpmPackResult {
  /** Absolute path of the tarball written. */
  tarball: string;
  /** Name and version npm resolved, when known. */
  name?: string;
  version?: string;
}

/** Produces a tarball for a spec. Production: `runNpmPack`; tests inject a fake. */
export type NpmPackRunner = (req: NpmPackRequest) => Promise<NpmPackResult>;

export interface NpmContext {
  cacheDir: string;
  limits: ArchiveLimits;
  timeoutMs: number;
  runner: NpmPackRunner;
}

// npm names: optional @scope/, then URL-safe characters, not starting with `.` or `_`.
// Upper case is allowed (legacy packages such as `JSONStream`).
const NAME_RE = /^(?:@[A-Za-z0-9~-][A-Za-z0-9._~-]*\/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;
// Versions, ranges (`^1.2`, `>=1 <2`, `1.x || 2`) and dist-tags; no `:` or `/` (aliases, URLs, git).
const VERSION_RE = /^[A-Za-z0-9.^~<>=*|+ -]+$/;
const EXACT_VERSION_RE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const MAX_NAME_LENGTH = 214;

export function isValidNpmName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

/** Whether a version string names exactly one release (so it can be served from the cache). */
export function isExactVersion(version: string | undefined): version is string {
  return version !== undefined && EXACT_VERSION_RE.test(version);
}

/**
 * Parse a registry spec (with or without the `npm:` prefix). Returns
 * `undefined` when the text is not a valid registry spec.
 */
export function parseNpmSpec(input: string): NpmSpec | undefined {
  const text = input.startsWith('npm:') ? input.slice(4) : input;
  const at = text.indexOf('@', text.startsWith('@') ? 1 : 0);
  const name = at < 0 ? text : text.slice(0, at);
  const version = at < 0 ? undefined : text.slice(at + 1).trim();
  if (!isValidNpmName(name)) return undefined;
  if (version === undefined) return { name };
  if (version === '' || !VERSION_RE.test(version)) return undefined;
  return { name, version };
}

export function formatNpmSpec(spec: NpmSpec): string {
  return spec.version === undefined ? spec.name : `${spec.name}@${spec.version}`;
}

/** Cache folder of one package version (`@scope/name` → `@scope+name`). */
export function npmEntryDir(cacheDir: string, name: string, version: string): string {
  return path.join(cacheDir, 'npm', `${name.replace('/', '+')}@${version.replace(/^v/, '')}`);
}

/** Pure: tarball file name, name and version from `npm pack --json` output. */
export function parseNpmPackJson(stdout: string): { filename?: string; name?: string; version?: string } {
  const start = stdout.indexOf('[');
  const end = stdout.lastIndexOf(']');
  if (start < 0 || end < start) return {};
  let v: unknown;
  try {
    v = JSON.parse(stdout.slice(start, end + 1));
  } catch {
    return {};
  }
  const first: unknown = Array.isArray(v) ? v[0] : undefined;
  if (typeof first !== 'object' || first === null) return {};
  const o = first as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
  return { filename: str(o.filename), name: str(o.name), version: str(o.version) };
}

/** Pure: a user-facing message for a failed `npm pack`. */
export function npmPackErrorMessage(spec: string, stderr: string): string {
  if (/\bE404\b|404 Not Found/i.test(stderr)) return `npm package not found: ${spec}`;
  if (/\bETARGET\b|No matching version/i.test(stderr)) return `no version of the npm package matches: ${spec}`;
  if (/\bENOTFOUND\b|\bEAI_AGAIN\b|\bECONNREFUSED\b|\bETIMEDOUT\b|network/i.test(stderr)) {
    return `cannot reach the npm registry to fetch ${spec}:\n${stderrSummary(stderr, 3)}`;
  }
  const detail = stderrSummary(stderr);
  return `npm pack ${spec} failed${detail ? `:\n${detail}` : ''}`;
}

/** @internal npm's arguments for packing `spec` into `destDir` (see runNpmPack). */
export function npmPackArgs(spec: string, destDir: string): string[] {
  return ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir, '--', spec];
}

/**
 * The production runner: `npm pack --json --ignore-scripts --pack-destination <dir> -- <spec>`. The spec comes
 * after `--`: a target list or a registry's server.json naming `--foreground-scripts` must not be read as an option.
 */
export const runNpmPack: NpmPackRunner = async ({ spec, destDir, timeoutMs }) => {
  const args = npmPackArgs(spec, destDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  };
  let result;
  try {
    result = await runProcess('npm', args, { cwd: destDir, env, timeoutMs });
  } catch (err) {
    throw startError('npm', err);
  }
  if (result.timedOut) {
    throw new UserError(`npm pack ${spec} timed out after ${Math.round(timeoutMs / 1000)} s`, 'timeout');
  }
  if (result.code !== 0) throw new UserError(npmPackErrorMessage(spec, result.stderr), 'npm-failed');
  const parsed = parseNpmPackJson(result.stdout);
  const tarball = await locateTarball(destDir, parsed.filename);
  return { tarball, name: parsed.name, version: parsed.version };
};

/** The tarball npm wrote: the reported file name if it is a plain name in `dir`, else the only .tgz there. */
async function locateTarball(dir: string, reported: string | undefined): Promise<string> {
  const names = await fs.readdir(dir);
  if (reported && path.basename(reported) === reported && names.includes(reported)) return path.join(dir, reported);
  const tgz = names.filter((n) => n.endsWith('.tgz'));
  if (tgz.length === 1) return path.join(dir, tgz[0]);
  throw new UserError(`npm pack did not produce a tarball in ${dir}`, 'npm-failed');
}

/**
 * Fetch (or reuse from the cache) and unpack an npm package. Returns the
 * unpacked tree; its meta has name/version from the package.json inside.
 */
export async function acquireNpm(spec: NpmSpec, ctx: NpmContext): Promise<CachedTree> {
  if (isExactVersion(spec.version)) {
    const hit = await loadEntry(npmEntryDir(ctx.cacheDir, spec.name, spec.version));
    if (hit) return hit;
  }
  const work = await makeWorkDir(ctx.cacheDir, 'npm-pack');
  try {
    const packed = await ctx.runner({ spec: formatNpmSpec(spec), destDir: work, timeoutMs: ctx.timeoutMs });
    // An unpinned spec may resolve to a version we already have.
    if (isExactVersion(packed.version)) {
      const hit = await loadEntry(npmEntryDir(ctx.cacheDir, spec.name, packed.version));
      if (hit) return hit;
    }
    try {
      await fs.access(packed.tarball);
    } catch {
      throw new UserError(`npm pack ${formatNpmSpec(spec)} did not produce a tarball`, 'npm-failed');
    }
    const fallbackKey = `${spec.name.replace('/', '+')}@sha256-${(await sha256File(packed.tarball)).slice(0, 32)}`;
    return await unpackAndPublish(packed.tarball, ctx, (pkg) => {
      const version = packed.version ?? pkg.version;
      return isExactVersion(version)
        ? npmEntryDir(ctx.cacheDir, spec.name, version)
        : path.join(ctx.cacheDir, 'npm', fallbackKey);
    });
  } finally {
    await removeDir(work);
  }
}
