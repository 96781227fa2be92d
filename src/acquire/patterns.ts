/**
 * Which paths of a target are analysed: default exclusions plus the user's
 * `--include` / `--exclude` patterns. Pure functions over relative paths
 * (forward slashes, no leading `./`).
 *
 * Pattern syntax (glob-ish, matched against the path relative to the root):
 * - `*` matches within one path segment, `?` one character, `**` any number of segments;
 * - a pattern without `/` (e.g. `*.gen.ts`, `fixtures`) matches the last segment at any depth;
 * - a pattern with `/` (e.g. `src/generated/**`, `test/**`) is anchored at the root;
 * - a matching directory covers everything below it (`test` is the same as `test/**`);
 * - a trailing `/` is ignored, a leading `./` too.
 *
 * Precedence: a user `exclude` always wins; an `include` overrides the
 * default exclusions only. A default-excluded directory is walked when an
 * include names it or an anchored include may match below it (`test/**`,
 * `**\/*.spec.ts`); an unanchored include such as `*.spec.ts` rescues files
 * outside excluded directories only (so it does not walk node_modules).
 */

/** Directory names skipped by default (at any depth). */
export const DEFAULT_EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'test',
  'tests',
  '__tests__',
  'vendor',
  'third_party',
  '.venv',
  'venv',
  'site-packages',
  '__pycache__',
  'coverage',
  '.nyc_output',
  '.cache',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
]);

/** File-name rules skipped by default (matched against the last path segment). */
export const DEFAULT_EXCLUDED_FILES: readonly RegExp[] = [
  /\.(?:test|spec)\./i, // *.test.*, *.spec.*
  /^test_.*\.py$/i,
  /_test\.py$/i,
  /^conftest\.py$/i,
  /\.d\.[mc]?ts$/i, // declaration files: no code
  /\.min\.[mc]?js$/i,
];

interface CompiledPattern {
  source: string;
  /** True when the pattern contains `/` and is matched from the root. */
  anchored: boolean;
  /** Matches a whole relative path (anchored) or one segment (unanchored). */
  regex: RegExp;
  /** Segments, for "may match below this directory" checks (anchored only). */
  segments: string[];
}

function escapeRegex(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** Regex source for one segment: `*` and `?` do not cross `/`. */
function segmentSource(segment: string): string {
  return escapeRegex(segment).replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
}

function segmentRegex(segment: string): RegExp {
  return new RegExp(`^${segmentSource(segment)}$`);
}

/** Normalise a pattern: backslashes to `/`, drop `./` prefix and trailing `/`. */
export function normalizePattern(pattern: string): string {
  let p = pattern.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  if (p.startsWith('/')) p = p.slice(1);
  return p;
}

export function compilePattern(pattern: string): CompiledPattern {
  const source = normalizePattern(pattern);
  const anchored = source.includes('/');
  if (!anchored) {
    return { source, anchored, regex: source === '**' ? /^.*$/ : segmentRegex(source), segments: [source] };
  }
  // Split, dropping empty segments and collapsing runs of `**`.
  const segments = source
    .split('/')
    .filter((seg, i, all) => seg !== '' && !(seg === '**' && all[i - 1] === '**'));
  return { source, anchored, regex: new RegExp(`^${anchoredSource(segments)}$`), segments };
}

/** Whole-path regex source for anchored segments; `**` may match zero segments. */
function anchoredSource(segments: readonly string[]): string {
  if (segments.length === 1 && segments[0] === '**') return '.*';
  let re = '';
  segments.forEach((seg, i) => {
    const first = i === 0;
    const last = i === segments.length - 1;
    if (seg === '**') {
      if (first) re += '(?:[^/]+/)*'; // `**/x`: x at any depth
      else if (last) re += '(?:/.*)?'; // `x/**`: x and everything below
      else re += '(?:/[^/]+)*'; // `x/**/y`
    } else {
      const afterLeadingGlobstar = i === 1 && segments[0] === '**';
      re += (first || afterLeadingGlobstar ? '' : '/') + segmentSource(seg);
    }
  });
  return re;
}

/**
 * Whether the pattern matches `rel` itself or one of its ancestor directories
 * (a matching directory covers its subtree).
 */
export function matchesPath(p: CompiledPattern, rel: string): boolean {
  const parts = rel.split('/');
  if (!p.anchored) return parts.some((seg) => p.regex.test(seg));
  for (let n = parts.length; n >= 1; n--) {
    if (p.regex.test(parts.slice(0, n).join('/'))) return true;
  }
  return false;
}

/** Whether an anchored pattern could match some path strictly below directory `relDir`. */
export function mayMatchBelow(p: CompiledPattern, relDir: string): boolean {
  if (!p.anchored) return false;
  const dirParts = relDir.split('/');
  return prefixCompatible(p.segments, 0, dirParts, 0);
}

function prefixCompatible(pat: string[], pi: number, dir: string[], di: number): boolean {
  if (di === dir.length) return pi < pat.length; // the dir is consumed; pattern still has parts for below
  if (pi === pat.length) return false;
  const seg = pat[pi];
  if (seg === '**') return true; // `**` can absorb the rest of the dir and more
  if (!segmentRegex(seg).test(dir[di])) return false;
  return prefixCompatible(pat, pi + 1, dir, di + 1);
}

export interface FilterOptions {
  include?: readonly string[];
  exclude?: readonly string[];
  noDefaultExcludes?: boolean;
}

/** What the walker does with a directory. */
export type DirDecision =
  /** Walk it normally. */
  | 'walk'
  /** Walk it, but files below are only kept when an include pattern matches them. */
  | 'walk-included-only'
  | 'skip';

export interface PathFilter {
  /** Decide for a directory; `parentIncludedOnly` = the parent was walked as 'walk-included-only'. */
  dir(rel: string, parentIncludedOnly: boolean): DirDecision;
  /** Whether a file is kept; `includedOnly` = it sits in a 'walk-included-only' directory. */
  file(rel: string, includedOnly: boolean): boolean;
  /** Whether the default exclusions are active and no include pattern matches `rel`. */
  defaultRulesApply(rel: string): boolean;
}

function baseName(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? rel : rel.slice(i + 1);
}

export function isDefaultExcludedDirName(name: string): boolean {
  return DEFAULT_EXCLUDED_DIRS.has(name);
}

export function isDefaultExcludedFileName(name: string): boolean {
  return DEFAULT_EXCLUDED_FILES.some((re) => re.test(name));
}

export function makePathFilter(opts: FilterOptions = {}): PathFilter {
  const includes = (opts.include ?? []).filter((p) => p.trim() !== '').map(compilePattern);
  const excludes = (opts.exclude ?? []).filter((p) => p.trim() !== '').map(compilePattern);
  const defaults = !opts.noDefaultExcludes;
  const included = (rel: string): boolean => includes.some((p) => matchesPath(p, rel));
  const excluded = (rel: string): boolean => excludes.some((p) => matchesPath(p, rel));

  return {
    dir(rel, parentIncludedOnly) {
      if (excluded(rel)) return 'skip';
      if (included(rel)) return 'walk';
      const defaultExcluded = parentIncludedOnly || (defaults && isDefaultExcludedDirName(baseName(rel)));
      if (!defaultExcluded) return 'walk';
      return includes.some((p) => mayMatchBelow(p, rel)) ? 'walk-included-only' : 'skip';
    },
    file(rel, includedOnly) {
      if (excluded(rel)) return false;
      if (included(rel)) return true;
      if (includedOnly) return false;
      return !(defaults && isDefaultExcludedFileName(baseName(rel)));
    },
    defaultRulesApply(rel) {
      return defaults && !included(rel);
    },
  };
}
