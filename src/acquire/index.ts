/**
 * Acquisition: turn what the user typed (a folder, a file, a tarball, an npm
 * spec, a git URL) into a local tree and the list of source files to analyse.
 *
 *   classify.ts  what the target is (rules documented there)
 *   walk.ts      listing source files of a folder (exclusions: patterns.ts)
 *   archive.ts   safe tarball unpacking;   tarball.ts  local tarballs in the cache
 *   npm.ts       npm pack + cache;         git.ts      shallow clones + cache
 *   cache.ts     cache location and atomic publishing
 */
import path from 'node:path';
import type { TargetInfo, Warning } from '../model.js';
import type { ArchiveLimits } from './archive.js';
import type { CachedTree } from './cache.js';
import { resolveCacheDir } from './cache.js';
import { classifyTarget, probePath, type PathProbe, type TargetSpec } from './classify.js';
import { acquireGit, repoNameFromUrl } from './git.js';
import { languageOf } from './language.js';
import { DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_MAX_ARCHIVE_ENTRIES, DEFAULT_TIMEOUT_MS } from './limits.js';
import { acquireNpm, runNpmPack, type NpmPackRunner } from './npm.js';
import { acquirePypi, parsePypiSpec } from './pypi.js';
import { readPackageIdentity } from './package-json.js';
import { acquireLocalTarball } from './tarball.js';
import { UserError, type AcquireOptions, type AcquiredTarget } from './types.js';
import { walkSingleFile, walkSource, type WalkOptions, type WalkResult } from './walk.js';

export { UserError } from './types.js';
export type { AcquireOptions, AcquiredTarget, SourceFile } from './types.js';
export type { NpmPackRunner, NpmPackRequest, NpmPackResult } from './npm.js';
export type { TargetSpec, PathProbe } from './classify.js';
export { classifyTarget } from './classify.js';
export { resolveCacheDir } from './cache.js';
export { extractArchive, type ArchiveLimits, type ExtractResult } from './archive.js';
export { walkSource, type WalkOptions, type WalkResult } from './walk.js';
export { runNpmPack } from './npm.js';

/** Replaceable edges, for tests. */
export interface AcquireDeps {
  /** Produces npm tarballs (default: real `npm pack`). */
  npmPack: NpmPackRunner;
  /** Looks at paths on disk during classification. */
  probe: PathProbe;
  /** Environment for cache-dir resolution. */
  env: NodeJS.ProcessEnv;
  /** Folder relative targets are resolved against. */
  cwd: string;
}

function walkOptions(opts: AcquireOptions): WalkOptions {
  return {
    include: opts.include,
    exclude: opts.exclude,
    noDefaultExcludes: opts.noDefaultExcludes,
    maxFileBytes: opts.maxFileBytes,
    maxTotalBytes: opts.maxTotalBytes,
    maxFiles: opts.maxFiles,
  };
}

function archiveLimits(opts: AcquireOptions): ArchiveLimits {
  return { maxBytes: opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES, maxEntries: DEFAULT_MAX_ARCHIVE_ENTRIES };
}

/** Warning when a target has nothing to analyse: an empty report must not read as "no risk found". */
const NO_SOURCE_FILES: Warning = {
  code: 'no-source-files',
  message:
    'no source files to analyse (.ts .mts .cts .tsx .js .mjs .cjs .jsx .py, after exclusions): the report says nothing about this target',
};

function assemble(info: TargetInfo, walked: WalkResult, earlier: { warnings: Warning[]; partial: boolean }): AcquiredTarget {
  const warnings = [...earlier.warnings, ...walked.warnings];
  if (walked.files.length === 0) warnings.push({ ...NO_SOURCE_FILES });
  return {
    info,
    files: walked.files,
    warnings,
    partial: earlier.partial || walked.partial,
  };
}

const NOTHING_EARLIER = { warnings: [], partial: false };

async function acquireFolder(input: string, dir: string, opts: AcquireOptions): Promise<AcquiredTarget> {
  const pkg = await readPackageIdentity(dir);
  const info: TargetInfo = { input, kind: 'folder', name: pkg.name ?? path.basename(dir), root: dir };
  if (pkg.version) info.version = pkg.version;
  return assemble(info, await walkSource(dir, walkOptions(opts)), NOTHING_EARLIER);
}

async function acquireFile(input: string, file: string, opts: AcquireOptions): Promise<AcquiredTarget> {
  if (!languageOf(path.basename(file))) {
    throw new UserError(
      `not a supported source file: ${input} (expected .ts .mts .cts .tsx .js .mjs .cjs .jsx .py, a folder, or a .tgz)`,
    );
  }
  const info: TargetInfo = { input, kind: 'file', name: path.basename(file), root: path.dirname(file) };
  return assemble(info, await walkSingleFile(file, walkOptions(opts)), NOTHING_EARLIER);
}

/** A tree unpacked from a tarball (npm or local): kind npm when it has a package.json name. */
async function fromTree(
  input: string,
  tree: CachedTree,
  fallback: { kind: TargetInfo['kind']; name: string; version?: string },
  opts: AcquireOptions,
): Promise<AcquiredTarget> {
  const info: TargetInfo = {
    input,
    kind: fallback.kind,
    name: tree.meta.name ?? fallback.name,
    root: tree.rootAbs,
  };
  const version = tree.meta.version ?? fallback.version;
  if (version) info.version = version;
  return assemble(info, await walkSource(tree.rootAbs, walkOptions(opts)), tree.meta);
}

async function dispatch(input: string, spec: TargetSpec, opts: AcquireOptions, deps: AcquireDeps): Promise<AcquiredTarget> {
  const cacheDir = (): string => resolveCacheDir(opts.cacheDir, deps.env);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  switch (spec.kind) {
    case 'folder':
      return acquireFolder(input, spec.path, opts);
    case 'file':
      return acquireFile(input, spec.path, opts);
    case 'archive': {
      const tree = await acquireLocalTarball(spec.path, { cacheDir: cacheDir(), limits: archiveLimits(opts) });
      const kind = tree.meta.name ? 'npm' : 'file';
      return fromTree(input, tree, { kind, name: path.basename(spec.path) }, opts);
    }
    case 'npm': {
      const ctx = { cacheDir: cacheDir(), limits: archiveLimits(opts), timeoutMs, runner: deps.npmPack };
      const tree = await acquireNpm(spec.npm, ctx);
      return fromTree(input, tree, { kind: 'npm', name: spec.npm.name, version: spec.npm.version }, opts);
    }
    case 'git': {
      const repo = await acquireGit(spec.git, { cacheDir: cacheDir(), timeoutMs });
      const info: TargetInfo = {
        input,
        kind: 'git',
        name: repoNameFromUrl(spec.git.url),
        version: repo.sha,
        root: repo.rootAbs,
      };
      return assemble(info, await walkSource(repo.rootAbs, walkOptions(opts)), NOTHING_EARLIER);
    }
    case 'pypi': {
      const ps = parsePypiSpec(spec.spec);
      if (!ps) throw new UserError(`not a valid PyPI spec: ${spec.spec} (expected pypi:name==version or pypi:name)`);
      const tree = await acquirePypi(ps, {
        cacheDir: cacheDir(),
        limits: archiveLimits(opts),
        timeoutMs,
        indexUrl: opts.pypiIndexUrl,
        findLinks: opts.pypiFindLinks,
      });
      return fromTree(input, tree, { kind: 'pypi', name: tree.name, version: tree.version }, opts);
    }
  }
}

/**
 * Acquire a target: classify it, fetch/unpack it when needed (into the cache),
 * and list its source files. Errors meant for the user are `UserError`s.
 */
export async function acquire(
  target: string,
  opts: AcquireOptions = {},
  deps: Partial<AcquireDeps> = {},
): Promise<AcquiredTarget> {
  const full: AcquireDeps = {
    npmPack: deps.npmPack ?? runNpmPack,
    probe: deps.probe ?? probePath,
    env: deps.env ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
  };
  const spec = await classifyTarget(target, full.probe, full.cwd);
  return dispatch(target, spec, opts, full);
}
