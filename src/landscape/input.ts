/**
 * Landscape inputs: which servers to assess.
 *
 *   text           one target per line (npm spec, `pypi:` spec, git URL, folder, .tgz); `#` starts a comment line.
 *                  Relative paths are resolved against the list file's folder.
 *   server-json    one registry `server.json` document (modelcontextprotocol/registry, schema 2025-07-09 … 2025-12-11).
 *   registry-list  the registry list API answer `GET /v0/servers`: `{ "servers": [ {server…} | { "server": {…}, "_meta": {…} } ], "metadata": {…} }`.
 *   registry-seed  a JSON array of server documents: the registry's `data/seed.json` (server.json objects) or the
 *                  older seed format (2025-05: `packages[].registry_name` / `name` / `version`, `version_detail`).
 *
 * Fields read from a registry server document (everything else is ignored):
 *   name                                     label and identity (one entry per name: the latest version)
 *   version | version_detail.version         which entry is latest when `isLatest` is absent
 *   status | _meta[official].status          `deleted` entries are dropped
 *   _meta["io.modelcontextprotocol.registry/official"].isLatest (or is_latest)
 *   packages[].registryType | registry_type | registry_name | registry    npm, pypi (others: not analysable)
 *   packages[].identifier | name, packages[].version                        the package to fetch
 *   repository.url, repository.subfolder     a git source when no npm/PyPI package is listed
 *   remotes                                  only to say why an entry is not analysable
 * Choice per server: npm package → PyPI package → repository URL → skipped (recorded, not assessed).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseGitTarget } from '../acquire/git.js';
import { parseNpmSpec } from '../acquire/npm.js';
import { UserError } from '../acquire/types.js';
import type { InputFormat, LandscapeTarget, ParsedInput, TargetOrigin } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
const TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;

/** Read and parse an input file (format detected from the content). */
export async function readLandscapeInput(file: string): Promise<ParsedInput & { sha256: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the landscape input ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { ...parseLandscapeInput(text, path.dirname(path.resolve(file))), sha256 };
}

/** Parse input text: JSON (registry formats) when it starts with `{` or `[`, else a target list. */
export function parseLandscapeInput(text: string, baseDir: string, exists: (abs: string) => boolean = existsSync): ParsedInput {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw new UserError(`the landscape input looks like JSON but does not parse: ${(e as Error).message}`);
    }
    return parseRegistryJson(v);
  }
  return parseTargetList(text, baseDir, exists);
}

// ------------------------------------------------------------------------------------------- text lists

/** A text list: one target per line. Paths that exist (relative to `baseDir`) become absolute. */
export function parseTargetList(text: string, baseDir: string, exists: (abs: string) => boolean = existsSync): ParsedInput {
  const targets: LandscapeTarget[] = [];
  const notes: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const abs = path.resolve(baseDir, expandHome(line));
    const isPath = exists(abs);
    const target = isPath ? abs : line;
    if (seen.has(target)) {
      notes.push(`line ${i + 1}: ${line} is listed again (first on line ${seen.get(target)}); assessed once`);
      return;
    }
    seen.set(target, i + 1);
    targets.push({ target, label: line, ...describeTarget(target, isPath), origin: { line: i + 1 } });
  });
  if (targets.length === 0) throw new UserError('the landscape input lists no targets');
  return { format: 'text', targets, notes };
}

function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  return p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

/** Pure: identity across runs and a guess of the ecosystem from the target text. */
export function describeTarget(target: string, isPath: boolean): { key: string; ecosystem: string } {
  if (isPath) return { key: `path:${target}`, ecosystem: TARBALL.test(target) ? 'archive' : 'folder' };
  if (target.startsWith('pypi:')) {
    const name = target.slice(5).split(/[=<>!~ ;[]/)[0] ?? '';
    return { key: `pypi:${name.toLowerCase().replace(/[-_.]+/g, '-')}`, ecosystem: 'pypi' };
  }
  let git;
  try {
    git = parseGitTarget(target);
  } catch {
    git = undefined;
  }
  if (git) return { key: `git:${git.url.replace(/\.git\/?$/i, '').replace(/\/+$/, '').toLowerCase()}`, ecosystem: 'git' };
  const npm = parseNpmSpec(target);
  if (npm) return { key: `npm:${npm.name}`, ecosystem: 'npm' };
  return { key: `target:${target}`, ecosystem: 'unknown' };
}

// --------------------------------------------------------------------------------------- registry JSON

interface RegistryEntry {
  server: Obj;
  meta: Obj | undefined;
  index: number;
}

/** Parse a registry document (server.json, list API answer, seed array). */
export function parseRegistryJson(v: unknown): ParsedInput {
  let format: InputFormat;
  let raw: unknown[];
  if (Array.isArray(v)) {
    format = 'registry-seed';
    raw = v;
  } else if (isObj(v) && Array.isArray(v.servers)) {
    format = 'registry-list';
    raw = v.servers;
  } else if (isObj(v) && (isObj(v.server) || 'packages' in v || 'remotes' in v || 'repository' in v || typeof v.name === 'string')) {
    format = 'server-json';
    raw = [v];
  } else {
    throw new UserError('unrecognised landscape JSON: expected a server.json document, a registry list (`{"servers": […]}`) or a seed array');
  }
  const notes: string[] = [];
  const entries: RegistryEntry[] = [];
  raw.forEach((e, index) => {
    if (!isObj(e)) {
      notes.push(`entry ${index + 1}: not an object, ignored`);
      return;
    }
    const server = isObj(e.server) ? e.server : e;
    const meta = isObj(e._meta) ? e._meta : isObj(server._meta) ? server._meta : undefined;
    entries.push({ server, meta, index });
  });

  const kept = latestPerName(entries, notes);
  const targets: LandscapeTarget[] = [];
  const seen = new Map<string, string>();
  for (const e of kept) {
    const t = registryTarget(e);
    const prev = seen.get(t.target);
    if (prev !== undefined && !t.skip) {
      notes.push(`${t.label}: same target as ${prev} (${t.target}); assessed once`);
      continue;
    }
    if (!t.skip) seen.set(t.target, t.label);
    targets.push(t);
  }
  if (targets.length === 0) throw new UserError('the landscape input lists no servers');
  return { format, targets, notes };
}

function officialMeta(e: RegistryEntry): Obj | undefined {
  const m = e.meta?.[OFFICIAL_META];
  return isObj(m) ? m : undefined;
}

function serverVersion(s: Obj): string | undefined {
  return str(s.version) ?? (isObj(s.version_detail) ? str(s.version_detail.version) : undefined);
}

function statusOf(e: RegistryEntry): string | undefined {
  return str(officialMeta(e)?.status) ?? str(e.server.status);
}

function isLatestFlag(e: RegistryEntry): boolean | undefined {
  const m = officialMeta(e);
  const v = m?.isLatest ?? m?.is_latest ?? (isObj(e.server.version_detail) ? e.server.version_detail.is_latest : undefined);
  return typeof v === 'boolean' ? v : undefined;
}

/** Pure: compare dotted versions numerically (`1.10.0` > `1.9.2`); pre-releases sort before releases. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): { nums: number[]; pre: string } => {
    const m = /^v?([0-9.]+)(?:-([^+]*))?/.exec(v);
    return { nums: (m?.[1] ?? '').split('.').filter((x) => x !== '').map(Number), pre: m?.[2] ?? '' };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre !== y.pre) return x.pre === '' ? 1 : y.pre === '' ? -1 : x.pre < y.pre ? -1 : 1;
  return 0;
}

/** One entry per server name: the one flagged latest, else the highest version, else the last listed. */
function latestPerName(entries: RegistryEntry[], notes: string[]): RegistryEntry[] {
  const byName = new Map<string, RegistryEntry[]>();
  const order: string[] = [];
  for (const e of entries) {
    if (statusOf(e) === 'deleted') {
      notes.push(`${str(e.server.name) ?? `entry ${e.index + 1}`}: status deleted, dropped`);
      continue;
    }
    const name = str(e.server.name) ?? `#${e.index + 1}`;
    if (!byName.has(name)) {
      byName.set(name, []);
      order.push(name);
    }
    byName.get(name)?.push(e);
  }
  const out: RegistryEntry[] = [];
  for (const name of order) {
    const group = byName.get(name) ?? [];
    let pick = group.find((e) => isLatestFlag(e) === true);
    if (!pick) {
      pick = group.reduce((best, e) => (compareVersions(serverVersion(e.server) ?? '', serverVersion(best.server) ?? '') >= 0 ? e : best));
    }
    if (group.length > 1) notes.push(`${name}: ${group.length} versions listed, kept ${serverVersion(pick.server) ?? 'one'}`);
    out.push(pick);
  }
  return out;
}

const KNOWN_REGISTRIES = new Set(['npm', 'pypi', 'oci', 'docker', 'nuget', 'mcpb', 'cargo', 'gem', 'github', 'unknown']);

interface Pkg {
  type: string;
  id: string;
  version?: string;
}

/** The packages of a server document, in any of the registry's field spellings. */
export function packagesOf(server: Obj): Pkg[] {
  const out: Pkg[] = [];
  if (!Array.isArray(server.packages)) return out;
  for (const p of server.packages) {
    if (!isObj(p)) continue;
    const oldName = str(p.registry_name);
    const type = (str(p.registryType) ?? str(p.registry_type) ?? (oldName && KNOWN_REGISTRIES.has(oldName.toLowerCase()) ? oldName : str(p.registry)) ?? '').toLowerCase();
    const id = str(p.identifier) ?? str(p.name) ?? oldName;
    if (!id) continue;
    const v = str(p.version);
    out.push({ type, id, ...(v && v !== 'latest' ? { version: v } : {}) });
  }
  return out;
}

/** Pure: a repository URL as a git target (`https://github.com/o/r` → `https://github.com/o/r.git`). */
export function repositoryGitTarget(url: string): string | undefined {
  const u = url.trim();
  try {
    if (parseGitTarget(u)) return u;
  } catch {
    return undefined;
  }
  const m = /^(https?:\/\/[^/\s]+\/[^\s?#]+?)\/*$/i.exec(u);
  if (!m) return undefined;
  const candidate = `${m[1]}.git`;
  try {
    return parseGitTarget(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function registryTarget(e: RegistryEntry): LandscapeTarget {
  const s = e.server;
  const name = str(s.name);
  const repo = isObj(s.repository) ? s.repository : undefined;
  const repoUrl = repo ? str(repo.url) : undefined;
  const origin: TargetOrigin = {};
  if (name) origin.registryName = name;
  const sv = serverVersion(s);
  if (sv) origin.registryVersion = sv;
  if (repoUrl) origin.repository = repoUrl;
  const pkgs = packagesOf(s);
  const npm = pkgs.find((p) => p.type === 'npm');
  const pypi = pkgs.find((p) => p.type === 'pypi');
  const make = (target: string, via: string, isPath = false): LandscapeTarget => {
    origin.via = via;
    return { target, label: name ?? target, ...describeTarget(target, isPath), origin };
  };
  if (npm) return make(`npm:${npm.id}${npm.version ? `@${npm.version}` : ''}`, 'npm');
  if (pypi) return make(`pypi:${pypi.id}${pypi.version ? `==${pypi.version}` : ''}`, 'pypi');
  const git = repoUrl ? repositoryGitTarget(repoUrl) : undefined;
  if (git) {
    const sub = repo ? str(repo.subfolder) : undefined;
    if (sub) origin.notes = [`repository subfolder ${sub}: the whole repository is analysed`];
    return make(git, 'repository');
  }
  const what = [
    ...new Set([
      ...pkgs.map((p) => p.type || 'unknown package type'),
      ...(Array.isArray(s.remotes) && s.remotes.length ? ['remote endpoint'] : []),
    ]),
  ];
  const label = name ?? `entry ${e.index + 1}`;
  return {
    target: `registry:${label}`,
    label,
    key: `registry:${label}`,
    ecosystem: 'none',
    origin,
    skip: {
      code: 'not-analysable',
      message: `no npm or PyPI package and no git repository to analyse${what.length ? ` (only: ${what.join(', ')})` : ''}`,
    },
  };
}
