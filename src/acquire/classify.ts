/**
 * What kind of target the user typed. The rules, in order (first match wins):
 *
 *  1. An existing path (after `~` expansion) wins over everything else:
 *     - a folder whose name ends in `.git` and that is a bare repository → git;
 *     - any other folder → folder;
 *     - a file named `*.tgz`, `*.tar.gz` or `*.tar` → archive;
 *     - any other file → single file.
 *     `<path>#<ref>`, where `<path>` is a bare repository, → git at that ref.
 *  2. `pypi:<name>[==version]` → PyPI (pypi.ts).
 *  3. A git-looking URL (`git+…://`, `git://`, `ssh://`, `file://`,
 *     `http(s)://….git`, `user@host:path`), optional `#ref` → git.
 *  4. `npm:<spec>` → npm (must be a valid registry spec).
 *  5. Any other URL (`scheme://…`) → UserError (unsupported).
 *  6. Something that looks like a path (`/`, `./`, `../`, `~`, a `/` outside an
 *     npm scope, a backslash, a drive letter, or a tarball file name) but does
 *     not exist → UserError "target not found".
 *  7. A valid registry spec (`name`, `name@version`, `@scope/name@range`) → npm.
 *  8. Anything else → UserError "target not found".
 */
import { accessSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localRepoTarget, parseGitTarget, type GitTarget } from './git.js';
import { parseNpmSpec, type NpmSpec } from './npm.js';
import { TARBALL_NAME } from './tarball.js';
import { UserError } from './types.js';

export type TargetSpec =
  | { kind: 'folder'; path: string }
  | { kind: 'file'; path: string }
  | { kind: 'archive'; path: string }
  | { kind: 'git'; git: GitTarget }
  | { kind: 'npm'; npm: NpmSpec }
  | { kind: 'pypi'; spec: string };

export type PathKind = 'dir' | 'file' | 'bare-git' | 'missing' | 'other';

/** Looks at a path on disk; injectable for tests. */
export type PathProbe = (absPath: string) => Promise<PathKind>;

export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

/** Pure: whether a string that is not an existing path was meant as one. */
export function looksLikePath(target: string): boolean {
  if (/^(?:\/|\.|~)/.test(target)) return true;
  if (target.includes('\\') || /^[A-Za-z]:/.test(target)) return true;
  if (TARBALL_NAME.test(target)) return true;
  return target.includes('/') && !target.startsWith('@');
}

function exists(p: string): boolean {
  try {
    accessSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A bare repository: `HEAD`, `objects/` and `refs/` directly inside. */
export async function isBareRepo(dir: string): Promise<boolean> {
  return exists(path.join(dir, 'HEAD')) && exists(path.join(dir, 'objects')) && exists(path.join(dir, 'refs'));
}

/** The real probe: `stat` (the target itself may be a symlink the user chose). */
export const probePath: PathProbe = async (absPath) => {
  let st;
  try {
    st = statSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return 'missing';
    throw new UserError(`cannot access ${absPath}: ${code ?? String(err)}`);
  }
  if (st.isDirectory()) {
    return /\.git[\\/]?$/i.test(absPath) && (await isBareRepo(absPath)) ? 'bare-git' : 'dir';
  }
  return st.isFile() ? 'file' : 'other';
};

function fromExistingPath(kind: PathKind, abs: string, target: string): TargetSpec | undefined {
  switch (kind) {
    case 'bare-git':
      return { kind: 'git', git: localRepoTarget(abs) };
    case 'dir':
      return { kind: 'folder', path: abs };
    case 'file':
      return TARBALL_NAME.test(abs) ? { kind: 'archive', path: abs } : { kind: 'file', path: abs };
    case 'other':
      throw new UserError(`not a regular file or folder: ${target}`);
    case 'missing':
      return undefined;
  }
}

/** Decide what `target` is (see the rules at the top of this file). */
export async function classifyTarget(
  target: string,
  probe: PathProbe = probePath,
  cwd: string = process.cwd(),
  home: string = os.homedir(),
): Promise<TargetSpec> {
  const t = target.trim();
  if (t === '') throw new UserError('no target given');

  // 1. existing path
  const abs = path.resolve(cwd, expandHome(t, home));
  const existing = fromExistingPath(await probe(abs), abs, t);
  if (existing) return existing;
  const hash = t.lastIndexOf('#');
  if (hash > 0 && !/^[a-z][a-z0-9+.-]*:/i.test(t)) {
    const repo = path.resolve(cwd, expandHome(t.slice(0, hash), home));
    if ((await probe(repo)) === 'bare-git') return { kind: 'git', git: localRepoTarget(repo, t.slice(hash + 1)) };
  }

  // 2. PyPI (hook for the Python acquisition issue)
  if (t.startsWith('pypi:')) return { kind: 'pypi', spec: t.slice(5) };

  // 3. git URL
  const git = parseGitTarget(t);
  if (git) return { kind: 'git', git };

  // 4. explicit npm
  if (t.startsWith('npm:')) {
    const npm = parseNpmSpec(t);
    if (!npm) throw new UserError(`invalid npm package spec: ${t} (expected npm:name[@version])`);
    return { kind: 'npm', npm };
  }

  // 5. other URLs
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    throw new UserError(`unsupported URL: ${t} (git URLs must end in .git or start with git+)`);
  }

  // 6. meant as a path
  if (looksLikePath(t)) throw new UserError(`target not found: ${t}`);

  // 7. bare npm spec
  const npm = parseNpmSpec(t);
  if (npm) return { kind: 'npm', npm };

  // 8.
  throw new UserError(`target not found: ${t} (not a local path, git URL or npm package spec)`);
}
