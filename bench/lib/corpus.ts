/**
 * The benchmark corpus: real MCP server packages from npm.
 *
 *   ../shared/corpus/dev-cases.json      `cases[].spec` (hand-picked cases with advisories / twins)
 *   ../shared/corpus/landscape-npm.txt   one `name@version` per line (150 published servers)
 *
 * Each spec is fetched once with mcp-risk's own acquire stage (`npm pack`, safe unpacking, default
 * exclusions) into `bench/.cache/` (git-ignored); a pinned spec already in the cache does not touch the
 * network again. Failures are collected, never thrown.
 *
 * The corpus folder can be moved with `$MCP_RISK_CORPUS_DIR`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquire, type AcquiredTarget } from '../../src/acquire/index.js';

export interface CorpusSpec {
  spec: string;
  /** Where the spec came from. */
  from: 'dev-cases' | 'landscape';
}

export interface FetchedPackage {
  spec: string;
  from: CorpusSpec['from'];
  acquired: AcquiredTarget;
  /** Time spent acquiring (fetch/unpack, or cache hit + walk), ms. */
  ms: number;
}

export interface FailedPackage {
  spec: string;
  from: CorpusSpec['from'];
  error: string;
}

export interface CorpusSelection {
  /** Keep the first N specs (after de-duplication, dev cases first). */
  limit?: number;
  /** Keep only these: a package name (`@scope/name`), a full `name@version`, or a substring of it. */
  only?: string[];
}

/** The repository root: the nearest folder above this file whose package.json is mcp-risk's. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'mcp-risk') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the mcp-risk repository root');
    dir = up;
  }
}

/** `bench/.cache/` of the repository: download cache and scratch files of the benchmarks. */
export function benchCacheDir(): string {
  return path.join(repoRoot(), 'bench', '.cache');
}

/** Folder holding dev-cases.json and landscape-npm.txt. */
export function corpusDir(): string {
  const env = process.env.MCP_RISK_CORPUS_DIR;
  if (env && env.trim() !== '') return path.resolve(env);
  return path.resolve(repoRoot(), '..', 'shared', 'corpus');
}

/** All specs of the corpus, dev cases first, de-duplicated, in file order. */
export function corpusSpecs(dir: string = corpusDir()): CorpusSpec[] {
  const out: CorpusSpec[] = [];
  const seen = new Set<string>();
  const add = (spec: string, from: CorpusSpec['from']): void => {
    const s = spec.trim();
    if (s === '' || seen.has(s)) return;
    seen.add(s);
    out.push({ spec: s, from });
  };
  const dev = JSON.parse(readFileSync(path.join(dir, 'dev-cases.json'), 'utf8')) as { cases?: { spec?: unknown }[] };
  for (const c of dev.cases ?? []) if (typeof c.spec === 'string') add(c.spec, 'dev-cases');
  for (const line of readFileSync(path.join(dir, 'landscape-npm.txt'), 'utf8').split(/\r?\n/)) {
    if (line.trim().startsWith('#')) continue;
    add(line, 'landscape');
  }
  return out;
}

/** Package name of a spec: `@scope/name@1.2.3` → `@scope/name`. */
export function specName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

export function selectSpecs(all: CorpusSpec[], sel: CorpusSelection): CorpusSpec[] {
  let out = all;
  if (sel.only && sel.only.length) {
    const wanted = sel.only;
    out = out.filter((c) => wanted.some((w) => c.spec === w || specName(c.spec) === w || c.spec.includes(w)));
  }
  if (sel.limit !== undefined) out = out.slice(0, Math.max(0, sel.limit));
  return out;
}

/**
 * `--limit N`, `--only NAME` (repeatable, or comma-separated). Returns the selection and the
 * arguments it did not consume.
 */
export function parseCorpusArgs(argv: string[]): { selection: CorpusSelection; rest: string[] } {
  const selection: CorpusSelection = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--limit') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error('--limit needs a non-negative integer');
      selection.limit = n;
    } else if (flag === '--only') {
      selection.only = [...(selection.only ?? []), ...value().split(',').map((s) => s.trim()).filter(Boolean)];
    } else {
      rest.push(a);
    }
  }
  return { selection, rest };
}

export interface FetchOptions {
  cacheDir?: string;
  /** Parallel fetches (default 6). */
  concurrency?: number;
  /** Called after each spec, in completion order. */
  onDone?: (r: { ok: true; pkg: FetchedPackage } | { ok: false; failure: FailedPackage }, done: number, total: number) => void;
}

/** Acquire every spec (into the cache). Results keep the order of `specs`. */
export async function fetchCorpus(
  specs: CorpusSpec[],
  opts: FetchOptions = {},
): Promise<{ fetched: FetchedPackage[]; failed: FailedPackage[] }> {
  const cacheDir = opts.cacheDir ?? benchCacheDir();
  const results: ({ ok: true; pkg: FetchedPackage } | { ok: false; failure: FailedPackage })[] = new Array(specs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      const { spec, from } = specs[i];
      const t0 = performance.now();
      try {
        const acquired = await acquire(spec, { cacheDir });
        results[i] = { ok: true, pkg: { spec, from, acquired, ms: performance.now() - t0 } };
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        results[i] = { ok: false, failure: { spec, from, error: msg } };
      }
      opts.onDone?.(results[i], ++done, specs.length);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 6, specs.length));
  await Promise.all(Array.from({ length: n }, worker));
  const fetched: FetchedPackage[] = [];
  const failed: FailedPackage[] = [];
  for (const r of results) {
    if (r.ok) fetched.push(r.pkg);
    else failed.push(r.failure);
  }
  return { fetched, failed };
}
