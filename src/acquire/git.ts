/**
 * git repositories: `https://…/x.git`, `git+https://…`, `git://…`, `ssh://…`,
 * `git@host:owner/x.git`, `file://…`, a local bare repository (`…/x.git`),
 * each with an optional `#ref` (branch, tag or full commit sha).
 *
 * Shallow clone (`--depth 1 --no-tags`) into `<cache>/git/<hash(url#ref)>/<sha>/`
 * with hooks disabled (`core.hooksPath=/dev/null`, empty template), symlinks
 * checked out as plain files (`core.symlinks=false`), no submodules, no LFS
 * downloads, no prompts (`GIT_TERMINAL_PROMPT=0`), a timeout, and argument
 * arrays only. A full-sha ref already in the cache does not touch the network.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDirectory, makeWorkDir, publishDir, removeDir, sha256Hex } from './cache.js';
import { runProcess, startError, stderrSummary, type RunResult } from './process.js';
import { UserError } from './types.js';

export interface GitTarget {
  /** URL handed to git (the `git+` prefix removed). */
  url: string;
  ref?: string;
}

export interface GitContext {
  cacheDir: string;
  timeoutMs: number;
}

export interface ClonedRepo {
  rootAbs: string;
  sha: string;
}

const FULL_SHA_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;
// scp-like syntax: user@host:path (path not starting with `/`, which would be ssh://-ish ambiguity).
const SCP_RE = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/)(\S+)$/;
// Refs: git's rules, simplified and strict: no leading `-`, no `..`, no `@{`, no spaces/control chars.
const REF_RE = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)[A-Za-z0-9._\/+-]+(?<![./])$/;

export function isValidRef(ref: string): boolean {
  return REF_RE.test(ref) && !ref.endsWith('.lock');
}

/** Split `url#ref`. The ref is whatever follows the last `#`. */
function splitRef(target: string): { base: string; ref?: string } {
  const hash = target.lastIndexOf('#');
  if (hash < 0) return { base: target };
  return { base: target.slice(0, hash), ref: target.slice(hash + 1) };
}

/**
 * Pure: whether `target` looks like a git URL, and if so its URL and ref.
 * Accepted: `git+<scheme>://`, `git://`, `ssh://`, `file://`, `http(s)://…​.git`,
 * scp-like `user@host:path` ending in `.git` or containing `/`.
 * Throws `UserError` for a git-looking target with a bad ref or URL.
 */
export function parseGitTarget(target: string): GitTarget | undefined {
  const { base, ref } = splitRef(target.trim());
  let url: string | undefined;
  if (/^git\+(?:https?|ssh|git|file):\/\//i.test(base)) url = base.slice(4);
  else if (/^(?:git|ssh|file):\/\//i.test(base)) url = base;
  else if (/^https?:\/\/[^/\s]+\/\S+\.git\/?$/i.test(base)) url = base;
  else {
    const scp = SCP_RE.exec(base);
    if (scp && (base.endsWith('.git') || scp[1].includes('/'))) url = base;
  }
  if (url === undefined) return undefined;
  if (/[\s\0-\x1f\x7f]/.test(url) || url.startsWith('-')) throw new UserError(`invalid git URL: ${target}`);
  if (ref === undefined || ref === '') return { url };
  if (!isValidRef(ref)) throw new UserError(`invalid git ref "${ref}" in ${target}`);
  return { url, ref };
}

/** Git target for a local bare repository folder. */
export function localRepoTarget(absPath: string, ref?: string): GitTarget {
  if (ref !== undefined && ref !== '' && !isValidRef(ref)) throw new UserError(`invalid git ref "${ref}"`);
  return ref ? { url: pathToFileURL(absPath).href, ref } : { url: pathToFileURL(absPath).href };
}

/** Pure: repository name from its URL (`https://h/o/repo.git` → `repo`). */
export function repoNameFromUrl(url: string): string {
  let s = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  s = s.replace(/\.git$/i, '').replace(/\/+$/, '');
  const cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf(':'));
  const last = cut >= 0 ? s.slice(cut + 1) : s;
  try {
    return decodeURIComponent(last) || 'repository';
  } catch {
    return last || 'repository';
  }
}

/** Cache folder for a URL + ref (one sub-folder per commit). */
export function gitCacheBase(cacheDir: string, t: GitTarget): string {
  return path.join(cacheDir, 'git', sha256Hex(`${t.url}#${t.ref ?? ''}`).slice(0, 24));
}

/** `-c` settings given to every git command: no hooks, no symlinks, no ext:: transport, no submodules. */
const SAFE_CONFIG = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.symlinks=false',
  '-c', 'core.fsmonitor=false',
  '-c', 'protocol.ext.allow=never',
  '-c', 'submodule.recurse=false',
  '-c', 'advice.detachedHead=false',
];

function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_LFS_SKIP_SMUDGE: '1',
  };
}

async function git(args: readonly string[], ctx: GitContext, what: string): Promise<RunResult> {
  let result: RunResult;
  try {
    result = await runProcess('git', [...SAFE_CONFIG, ...args], { env: gitEnv(), timeoutMs: ctx.timeoutMs });
  } catch (err) {
    throw startError('git', err);
  }
  if (result.timedOut) {
    throw new UserError(`${what} timed out after ${Math.round(ctx.timeoutMs / 1000)} s`, 'timeout');
  }
  if (result.code !== 0) {
    const detail = stderrSummary(result.stderr);
    throw new UserError(`${what} failed${detail ? `:\n${detail}` : ''}`, 'git-failed');
  }
  return result;
}

async function cloneShallow(t: GitTarget, dest: string, ctx: GitContext): Promise<void> {
  const args = [
    'clone', '--quiet', '--depth', '1', '--no-tags', '--no-recurse-submodules', '--template=',
    '--config', 'core.symlinks=false', '--config', 'core.hooksPath=/dev/null',
    ...(t.ref ? [`--branch=${t.ref}`] : []),
    '--', t.url, dest,
  ];
  await git(args, ctx, `git clone ${t.url}${t.ref ? ` (ref ${t.ref})` : ''}`);
}

/** `--branch` takes branches and tags only; a commit sha is fetched directly. */
async function fetchCommit(t: GitTarget & { ref: string }, dest: string, ctx: GitContext): Promise<void> {
  const what = `git fetch ${t.url} ${t.ref}`;
  await git(['init', '--quiet', '--template=', '--', dest], ctx, what);
  await git(['-C', dest, 'config', 'core.symlinks', 'false'], ctx, what);
  await git(['-C', dest, 'config', 'core.hooksPath', '/dev/null'], ctx, what);
  await git(['-C', dest, 'remote', 'add', 'origin', '--', t.url], ctx, what);
  await git(['-C', dest, 'fetch', '--quiet', '--depth', '1', '--no-tags', '--no-recurse-submodules', 'origin', t.ref], ctx, what);
  await git(['-C', dest, 'checkout', '--quiet', '--detach', 'FETCH_HEAD'], ctx, what);
}

async function headSha(dir: string, ctx: GitContext): Promise<string> {
  const out = (await git(['-C', dir, 'rev-parse', 'HEAD'], ctx, 'git rev-parse HEAD')).stdout.trim();
  if (!FULL_SHA_RE.test(out)) throw new UserError(`git rev-parse HEAD gave an unexpected answer: ${out.slice(0, 80)}`);
  return out.toLowerCase();
}

/** Clone (or reuse from the cache) a repository; returns the checkout and its commit sha. */
export async function acquireGit(t: GitTarget, ctx: GitContext): Promise<ClonedRepo> {
  const base = gitCacheBase(ctx.cacheDir, t);
  const pinned = t.ref !== undefined && FULL_SHA_RE.test(t.ref) ? t.ref.toLowerCase() : undefined;
  if (pinned) {
    const cached = path.join(base, pinned);
    if (await isDirectory(path.join(cached, '.git'))) return { rootAbs: cached, sha: pinned };
  }
  const work = await makeWorkDir(ctx.cacheDir, 'git');
  try {
    const checkout = path.join(work, 'checkout');
    if (pinned) await fetchCommit({ url: t.url, ref: pinned }, checkout, ctx);
    else await cloneShallow(t, checkout, ctx);
    const sha = await headSha(checkout, ctx);
    const rootAbs = path.join(base, sha);
    await publishDir(checkout, rootAbs);
    return { rootAbs, sha };
  } finally {
    await removeDir(work);
  }
}
