/**
 * Registry and supply-chain signs for npm / PyPI / GitHub-hosted servers.
 *
 * Offline, from the package itself (package.json, README):
 *   - install scripts (preinstall / install / postinstall, or a native build) run code when npx installs it;
 *   - no repository, or a repository that belongs to a well-known server of another name;
 *   - a name that squats on a well-known server's name (edit distance, scope typo, scope swap, affix);
 *   - credentials in README configuration examples.
 * Network (through the one HttpClient; skipped with `offline`):
 *   - the package is not on the registry (a config that runs it lets anyone publish it);
 *   - the GitHub repository owner does not exist (re-registrable) or the repository moved (redirect
 *     hijack: the old owner/name can be taken over).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { packagedDataFile } from '../data-files.js';
import type { Finding, Location, Warning } from '../model.js';
import { TOKEN_FORMATS, isCredentialName, looksLikeSecretValue, redactValue } from '../analysis/rules/secrets.js';
import { lineOf, makeFinding, type EcoRule } from './finding.js';
import { HttpClient, NetworkError, OfflineError } from './http.js';

// ------------------------------------------------------------------ rules

export const installScriptRule: EcoRule = {
  id: 'mcp-risk/supply-chain-install-script',
  cwe: 829,
  title: 'Package runs code when it is installed',
  severity: 'medium',
  description:
    'The package has a preinstall / install / postinstall script (or a native addon that npm builds): `npx -y` runs it with the user’s rights before the server even starts, outside any MCP permission prompt.',
  fix: 'Check what the script does; install with --ignore-scripts where possible; prefer servers that need no install scripts.',
};

export const noRepositoryRule: EcoRule = {
  id: 'mcp-risk/supply-chain-no-repository',
  cwe: 1357,
  title: 'Package names no source repository',
  severity: 'low',
  description: 'package.json has no `repository`: the published code cannot be traced to, or compared with, its source.',
  fix: 'Prefer servers that publish their source; compare the tarball with the repository before trusting it.',
};

export const repositoryMismatchRule: EcoRule = {
  id: 'mcp-risk/supply-chain-repository-mismatch',
  cwe: 1357,
  title: 'Package repository points at another owner or project',
  severity: 'medium',
  description:
    'The repository the package names belongs to another owner or project than the package name suggests — a squatting package often links the repository of the server it imitates to look legitimate.',
  fix: 'Check that the repository really publishes this package (its package.json name, its release workflow).',
};

export const squattingRule: EcoRule = {
  id: 'mcp-risk/supply-chain-name-squatting',
  cwe: 1357,
  title: 'Package name imitates a well-known MCP server',
  severity: 'high',
  description:
    'The package name is one typo away from a well-known MCP server, uses a look-alike scope, moves a known server’s name to another scope, or wraps it in affixes (mcp-, -server, -official): users who mistype or guess the name run this package instead.',
  fix: 'Make sure this is the package you meant; use the exact name from the server’s official documentation.',
};

export const readmeSecretRule: EcoRule = {
  id: 'mcp-risk/supply-chain-readme-credential',
  cwe: 798,
  title: 'Credential in the README configuration example',
  severity: 'medium',
  description: 'A configuration example in the README carries what looks like a real credential (a known token format or a high-entropy value for a key-like name).',
  fix: 'Revoke the credential; use placeholders in documentation.',
};

export const unregisteredRule: EcoRule = {
  id: 'mcp-risk/supply-chain-unregistered-package',
  cwe: 1357,
  title: 'Configured package is not on the registry',
  severity: 'high',
  description: 'A host configuration runs a package that does not exist on the registry: anyone can publish a package of that name, and the host will run it.',
  fix: 'Fix the package name, or remove the entry.',
};

export const ownerMissingRule: EcoRule = {
  id: 'mcp-risk/supply-chain-repository-owner-missing',
  cwe: 1357,
  title: 'Repository owner no longer exists (re-registrable)',
  severity: 'high',
  description: 'The GitHub user or organisation the package’s repository belongs to does not exist: anyone can register that name and publish code at the address users trust (repo-jacking).',
  fix: 'Do not trust the repository link; ask the maintainers to update it, and check where the package’s code really comes from.',
};

export const repositoryMovedRule: EcoRule = {
  id: 'mcp-risk/supply-chain-repository-moved',
  cwe: 1357,
  title: 'Repository was renamed or transferred (redirect hijack)',
  severity: 'medium',
  description: 'The repository address redirects to another owner or name. If the old owner or name is registered again, the old address no longer redirects and serves the newcomer’s code.',
  fix: 'Update the repository link to the new address; verify the new owner.',
};

export const repositoryMissingRule: EcoRule = {
  id: 'mcp-risk/supply-chain-repository-not-found',
  cwe: 1357,
  title: 'Repository not found',
  severity: 'low',
  description: 'The package’s repository does not exist (deleted, renamed without redirect, or private): the published code cannot be compared with its source.',
  fix: 'Check where the package’s code comes from before trusting it.',
};

export const REGISTRY_RULES: readonly EcoRule[] = [
  installScriptRule,
  noRepositoryRule,
  repositoryMismatchRule,
  squattingRule,
  readmeSecretRule,
  unregisteredRule,
  ownerMissingRule,
  repositoryMovedRule,
  repositoryMissingRule,
];

// ------------------------------------------------------------------ repository URLs

export interface RepoRef {
  host: string;
  owner: string;
  repo: string;
}

/** A package.json `repository` (string shorthand, URL, or `{ url }`) as host/owner/repo. */
export function parseRepositoryUrl(x: unknown): RepoRef | undefined {
  let s = typeof x === 'string' ? x : typeof x === 'object' && x !== null && typeof (x as { url?: unknown }).url === 'string' ? (x as { url: string }).url : undefined;
  if (!s) return undefined;
  s = s.trim();
  const short = /^(github|gitlab|bitbucket):([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:#.*)?$/.exec(s);
  if (short) return { host: `${short[1]}.${short[1] === 'bitbucket' ? 'org' : 'com'}`, owner: short[2]!.toLowerCase(), repo: short[3]!.toLowerCase() };
  const bare = /^([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(s);
  if (bare && !s.includes(':')) return { host: 'github.com', owner: bare[1]!.toLowerCase(), repo: bare[2]!.toLowerCase() };
  const m = /^(?:git\+)?(?:(?:https?|ssh|git):\/\/)?(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,})(?::\d+)?[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/#?].*)?$/i.exec(s);
  if (m) return { host: m[1]!.toLowerCase().replace(/^www\./, ''), owner: m[2]!.toLowerCase(), repo: m[3]!.toLowerCase() };
  return undefined;
}

// ------------------------------------------------------------------ known servers and squatting

export interface KnownServer {
  name: string;
  ecosystem: 'npm' | 'pypi';
  official?: boolean;
  /** host/owner/repo */
  repository?: string;
}

let knownCache: KnownServer[] | undefined;

/** data/known-servers.json (found by walking up from this module, so it works from src/ and build/src/). */
export function loadKnownServers(file?: string): KnownServer[] {
  if (!file && knownCache) return knownCache;
  const f = file ?? packagedDataFile('known-servers.json');
  if (!f) return [];
  const doc = JSON.parse(readFileSync(f, 'utf8')) as { servers: KnownServer[] };
  if (!file) knownCache = doc.servers;
  return doc.servers;
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped at max+1. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

function splitName(name: string): { scope?: string; bare: string } {
  const m = /^@([^/]+)\/(.+)$/.exec(name);
  return m ? { scope: m[1]!.toLowerCase(), bare: m[2]!.toLowerCase() } : { bare: name.toLowerCase() };
}

/** Python names compare normalised (PEP 503). */
function pyNorm(n: string): string {
  return n.toLowerCase().replace(/[-_.]+/g, '-');
}

const GENERIC_BARE = new Set(['mcp', 'mcp-server', 'server', 'dev-mcp', 'mcp-js', 'mcp-ts', 'cli', 'core', 'sdk']);
const AFFIXES = ['mcp-server-', 'mcp-', 'server-', 'official-', 'node-', 'js-'];
const SUFFIXES = ['-mcp-server', '-mcp', '-server', '-official', '-js', '-ts', '-node', '-cli', '-latest', '-pro', '-v2', '2', '-new', '-fixed'];

export interface SquatHit {
  known: KnownServer;
  how: 'typo' | 'scope-typo' | 'scope-swap' | 'affix' | 'other-ecosystem';
  detail: string;
}

/** Whether a package name imitates a well-known server's (undefined when it is one, or resembles none). */
export function squatting(name: string, ecosystem: 'npm' | 'pypi', known: readonly KnownServer[] = loadKnownServers()): SquatHit | undefined {
  const norm = ecosystem === 'pypi' ? pyNorm : (s: string) => s.toLowerCase();
  const n = norm(name);
  const same = known.filter((k) => k.ecosystem === ecosystem);
  if (same.some((k) => norm(k.name) === n)) return undefined;
  const { scope, bare } = splitName(n);
  // how many known servers share a bare name: shared ones (`mcp`) say nothing
  const bareCount = new Map<string, number>();
  for (const k of same) {
    const b = splitName(norm(k.name)).bare;
    bareCount.set(b, (bareCount.get(b) ?? 0) + 1);
  }
  const distinctive = (b: string) => b.length >= 6 && !GENERIC_BARE.has(b) && (bareCount.get(b) ?? 0) <= 1;
  const knownScopes = new Set(same.map((k) => splitName(norm(k.name)).scope).filter((s): s is string => !!s));
  let best: SquatHit | undefined;
  const rank = { typo: 5, 'scope-typo': 4, 'scope-swap': 3, affix: 2, 'other-ecosystem': 1 } as const;
  const offer = (h: SquatHit) => {
    if (!best || rank[h.how] > rank[best.how]) best = h;
  };
  for (const k of same) {
    const kn = norm(k.name);
    const ks = splitName(kn);
    // `playwright-mcp` vs `@playwright/mcp`: the same words with and without a scope
    if (!!scope !== !!ks.scope) {
      const flat = (s: { scope?: string; bare: string }) => (s.scope ? `${s.scope}-${s.bare}` : s.bare);
      if (flat({ scope, bare }) === flat(ks) || (scope ? bare : n) === flat(ks)) {
        offer({ known: k, how: 'scope-swap', detail: `\`${k.name}\` written ${ks.scope ? 'without its scope' : 'under a scope'}` });
        continue;
      }
    }
    const limit = kn.length <= 10 ? 1 : 2;
    const d = !!scope === !!ks.scope ? editDistance(n, kn, limit) : limit + 1;
    // a typo of the full name; two known names can be close to each other (server-github / server-gitlab): only unknown names are checked
    if (d > 0 && d <= limit && (scope === ks.scope || !scope || !ks.scope || editDistance(scope, ks.scope, 2) <= 2)) {
      offer({ known: k, how: scope && ks.scope && scope !== ks.scope ? 'scope-typo' : 'typo', detail: `${d} edit${d > 1 ? 's' : ''} from \`${k.name}\`` });
      continue;
    }
    if (scope && ks.scope && scope !== ks.scope && !knownScopes.has(scope) && ks.scope.length >= 6 && editDistance(scope, ks.scope, 2) <= 2 && (bare === ks.bare || editDistance(bare, ks.bare, 2) <= 2)) {
      offer({ known: k, how: 'scope-typo', detail: `scope @${scope} looks like @${ks.scope} (\`${k.name}\`)` });
      continue;
    }
    if (!distinctive(ks.bare)) continue;
    if (bare === ks.bare && scope !== ks.scope) {
      offer({ known: k, how: 'scope-swap', detail: `the name of \`${k.name}\` ${scope ? `under another scope (@${scope})` : 'without its scope'}` });
      continue;
    }
    if (!ks.scope && scope && bare === kn) {
      offer({ known: k, how: 'scope-swap', detail: `the name of \`${k.name}\` under a scope (@${scope})` });
      continue;
    }
    for (const a of AFFIXES) if (bare === a + ks.bare) offer({ known: k, how: 'affix', detail: `\`${k.name}\`${ks.scope ? ` (bare name ${ks.bare})` : ''} with the prefix \`${a}\`` });
    for (const s of SUFFIXES) if (bare === ks.bare + s) offer({ known: k, how: 'affix', detail: `\`${k.name}\`${ks.scope ? ` (bare name ${ks.bare})` : ''} with the suffix \`${s}\`` });
  }
  // the exact name of an official server of the other ecosystem (npx mcp-server-fetch vs the PyPI server)
  if (!best) {
    const other = known.find((k) => k.ecosystem !== ecosystem && k.official && (ecosystem === 'pypi' ? pyNorm(k.name) : k.name.toLowerCase()) === n);
    if (other) best = { known: other, how: 'other-ecosystem', detail: `the name of the official ${other.ecosystem} server \`${other.name}\`, on ${ecosystem}` };
  }
  return best;
}

// ------------------------------------------------------------------ package checks (offline)

export interface PackageInfo {
  name?: string;
  version?: string;
  ecosystem: 'npm' | 'pypi';
  /** Package root on disk (acquired tree), when available. */
  root?: string;
  /** package.json object, when already read (e.g. from the registry). */
  manifest?: Record<string, unknown>;
  /** Where findings about the package point (default package.json of the root). */
  at?: Location;
}

export interface SignsResult {
  findings: Finding[];
  warnings: Warning[];
}

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

async function readManifest(root: string): Promise<{ pkg?: Record<string, unknown>; text?: string }> {
  try {
    const text = await readFile(path.join(root, 'package.json'), 'utf8');
    return { pkg: JSON.parse(text) as Record<string, unknown>, text };
  } catch {
    return {};
  }
}

/** Offline signs from the package itself. */
export async function packageSigns(p: PackageInfo, known: readonly KnownServer[] = loadKnownServers()): Promise<SignsResult> {
  const findings: Finding[] = [];
  const warnings: Warning[] = [];
  const read = p.root && p.ecosystem === 'npm' ? await readManifest(p.root) : {};
  const pkg = p.manifest ?? read.pkg;
  const text = read.text ?? (pkg ? JSON.stringify(pkg, null, 2) : '');
  const name = (typeof pkg?.name === 'string' ? pkg.name : undefined) ?? p.name;
  const at = (needle: string | RegExp): Location => p.at ?? { file: 'package.json', line: lineOf(text, needle), column: 1 };
  const tags = ['supply-chain'];

  if (pkg && p.ecosystem === 'npm') {
    const scripts = (typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {}) as Record<string, unknown>;
    for (const s of INSTALL_SCRIPTS) {
      const cmd = scripts[s];
      if (typeof cmd !== 'string' || !cmd.trim()) continue;
      findings.push(
        makeFinding(installScriptRule, at(`"${s}"`), `\`${s}\` runs \`${cmd.length > 160 ? `${cmd.slice(0, 157)}…` : cmd}\` when the package is installed (npx installs it on first use).`, {
          snippet: `"${s}": ${JSON.stringify(cmd)}`,
          tags,
          key: s,
        }),
      );
    }
    const gyp = p.root ? existsSync(path.join(p.root, 'binding.gyp')) : false;
    if (gyp && !INSTALL_SCRIPTS.some((s) => typeof scripts[s] === 'string')) {
      findings.push(makeFinding(installScriptRule, { file: 'binding.gyp', line: 1, column: 1 }, 'The package has a binding.gyp: npm builds a native addon (node-gyp rebuild) when it is installed.', { severity: 'low', tags, key: 'gyp' }));
    }
  }

  const repo = parseRepositoryUrl(pkg?.repository);
  if (pkg && p.ecosystem === 'npm' && !pkg.repository) {
    findings.push(makeFinding(noRepositoryRule, at(/"name"\s*:/), `${name ? `\`${name}\`` : 'The package'} names no source repository in package.json.`, { tags, confidence: 'high' }));
  }
  if (repo && name) {
    const repoKey = `${repo.host}/${repo.owner}/${repo.repo}`;
    const owners = known.filter((k) => k.repository === repoKey);
    const mine = owners.some((k) => k.name.toLowerCase() === name.toLowerCase());
    const { scope } = splitName(name);
    const ownerScopes = new Set(owners.map((k) => splitName(k.name).scope));
    // a repository of well-known servers claimed by a package of another name and scope
    if (owners.length && !mine && !(scope && ownerScopes.has(scope))) {
      findings.push(
        makeFinding(repositoryMismatchRule, at(/"repository"/), `\`${name}\` names the repository ${repoKey}, which publishes ${owners.slice(0, 3).map((k) => `\`${k.name}\``).join(', ')}${owners.length > 3 ? ', …' : ''}: it may be impersonating ${owners.length > 1 ? 'them' : 'it'}.`, {
          severity: 'high',
          tags,
          key: 'known-repo',
        }),
      );
    } else if (scope && !owners.length && !similarOwner(scope, repo.owner)) {
      findings.push(
        makeFinding(repositoryMismatchRule, at(/"repository"/), `\`${name}\` is published under @${scope}, but its repository belongs to \`${repo.owner}\` (${repoKey}).`, {
          severity: 'low',
          confidence: 'low',
          tags,
          key: 'owner',
        }),
      );
    }
  }

  if (name) {
    const hit = squatting(name, p.ecosystem, known);
    if (hit) {
      const sev = hit.how === 'typo' || hit.how === 'scope-typo' ? 'high' : hit.how === 'scope-swap' ? 'medium' : 'low';
      findings.push(
        makeFinding(squattingRule, at(/"name"\s*:/), `\`${name}\` is ${hit.detail}${hit.known.official ? ', an official reference server' : ', a well-known MCP server'}.`, {
          severity: sev,
          confidence: hit.how === 'typo' || hit.how === 'scope-typo' ? 'medium' : 'low',
          tags,
          key: `squat:${hit.known.name}`,
        }),
      );
    }
  }

  if (p.root) findings.push(...(await readmeSecrets(p.root)));
  return { findings, warnings };
}

function similarOwner(scope: string, owner: string): boolean {
  const a = scope.toLowerCase().replace(/[^a-z0-9]/g, '');
  const b = owner.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!a || !b) return true;
  if (a.includes(b) || b.includes(a)) return true;
  // shared prefix of 4+ characters (modelcontextprotocol / modelcontext), or close spelling
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i >= 4 || editDistance(a, b, 3) <= 3;
}

/** Real-looking credentials in README configuration examples. */
export async function readmeSecrets(root: string): Promise<Finding[]> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => /^readme(?:\.(?:md|markdown|txt|rst))?$/i.test(n)).sort();
  } catch {
    return [];
  }
  const out: Finding[] = [];
  for (const n of names) {
    let text: string;
    try {
      text = await readFile(path.join(root, n), 'utf8');
    } catch {
      continue;
    }
    if (text.length > 2_000_000) continue;
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.length > 4000) return;
      for (const f of TOKEN_FORMATS) {
        f.re.lastIndex = 0;
        const m = f.re.exec(line);
        if (m && !/x{6,}|X{6,}|\.{3}|<|your|example|0{8,}|1234567/i.test(m[0])) {
          out.push(makeFinding(readmeSecretRule, { file: n, line: i + 1, column: m.index + 1 }, `The README shows a ${f.name} (${f.name === 'private key' ? 'PEM block' : redactValue(m[0])}).`, { severity: 'high', snippet: line.trim().slice(0, 200), tags: ['supply-chain', 'secret'], key: `${i}:${f.name}` }));
          return;
        }
      }
      const kv = /["']?([A-Za-z_][\w-]*)["']?\s*[:=]\s*["']([^"'\s]{16,200})["']/.exec(line);
      if (kv && isCredentialName(kv[1]!) && looksLikeSecretValue(kv[2]!)) {
        out.push(makeFinding(readmeSecretRule, { file: n, line: i + 1, column: kv.index + 1 }, `The README sets \`${kv[1]}\` to what looks like a real secret (${redactValue(kv[2]!)}).`, { confidence: 'medium', snippet: line.trim().slice(0, 200), tags: ['supply-chain', 'secret'], key: `${i}:kv` }));
      }
    });
  }
  return out;
}

// ------------------------------------------------------------------ network checks

export interface NetworkCheckInput {
  name?: string;
  ecosystem: 'npm' | 'pypi';
  /** Repository when already known (package.json); else read from the registry. */
  repository?: RepoRef;
  /** Whether to report a package missing from the registry (host entries: yes; scanned packages were found). */
  reportUnregistered?: boolean;
  at: Location;
}

function npmPath(name: string): string {
  return `/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
}

/** The registry document's latest manifest (npm) or info (PyPI); undefined when not found. */
export async function registryManifest(http: HttpClient, name: string, ecosystem: 'npm' | 'pypi', version?: string): Promise<{ status: number; manifest?: Record<string, unknown>; repository?: RepoRef }> {
  if (ecosystem === 'npm') {
    const r = await http.get('npm', npmPath(name));
    if (r.status !== 200 || typeof r.json !== 'object' || r.json === null) return { status: r.status };
    const doc = r.json as { 'dist-tags'?: Record<string, string>; versions?: Record<string, Record<string, unknown>>; repository?: unknown };
    const v = version && doc.versions?.[version] ? version : doc['dist-tags']?.latest;
    const manifest = v ? doc.versions?.[v] : undefined;
    return { status: 200, manifest, repository: parseRepositoryUrl(manifest?.repository ?? doc.repository) };
  }
  const r = await http.get('pypi', `/pypi/${encodeURIComponent(name)}/json`);
  if (r.status !== 200 || typeof r.json !== 'object' || r.json === null) return { status: r.status };
  const info = ((r.json as { info?: Record<string, unknown> }).info ?? {}) as Record<string, unknown>;
  const urls = (typeof info.project_urls === 'object' && info.project_urls !== null ? Object.values(info.project_urls as Record<string, unknown>) : []).concat([info.home_page]);
  const repository = urls.map(parseRepositoryUrl).find((x) => x && /github\.com|gitlab\.com/.test(x.host));
  return { status: 200, manifest: info, repository };
}

/** GitHub: does the repository exist where it says, and its owner? */
export async function githubSigns(http: HttpClient, repo: RepoRef, at: Location, subject: string): Promise<Finding[]> {
  if (repo.host !== 'github.com') return [];
  const tags = ['supply-chain', 'network'];
  const slug = `${repo.owner}/${repo.repo}`;
  const r = await http.get('github', `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}`);
  if (r.status === 301 || r.status === 302 || r.status === 307 || r.status === 308) {
    let to = r.location ?? 'another address';
    // GitHub answers /repositories/<id>: follow once to name the new place
    if (r.location) {
      try {
        const u = new URL(r.location, http.baseUrl('github'));
        const base = new URL(http.baseUrl('github'));
        if (u.origin === base.origin) {
          const f = await http.get('github', u.pathname.slice(base.pathname.replace(/\/$/, '').length));
          const full = (f.json as { full_name?: unknown } | undefined)?.full_name;
          if (typeof full === 'string') to = `github.com/${full}`;
        }
      } catch {
        // keep the raw location
      }
    }
    return [makeFinding(repositoryMovedRule, at, `${subject} links github.com/${slug}, which now redirects to ${to}: whoever registers \`${repo.owner}\` or re-creates ${slug} takes over the old address.`, { tags, key: slug })];
  }
  if (r.status === 200) {
    const full = (r.json as { full_name?: unknown } | undefined)?.full_name;
    if (typeof full === 'string' && full.toLowerCase() !== slug.toLowerCase()) {
      return [makeFinding(repositoryMovedRule, at, `${subject} links github.com/${slug}, which is now github.com/${full}: the old address can be taken over by whoever registers it.`, { tags, key: slug })];
    }
    return [];
  }
  if (r.status === 404) {
    const u = await http.get('github', `/users/${encodeURIComponent(repo.owner)}`);
    if (u.status === 404) {
      return [makeFinding(ownerMissingRule, at, `${subject} links github.com/${slug}, but the account \`${repo.owner}\` does not exist: anyone can register it and publish code at that address.`, { tags, key: slug })];
    }
    if (u.status === 200) return [makeFinding(repositoryMissingRule, at, `${subject} links github.com/${slug}, which does not exist (deleted, private, or renamed without redirect).`, { tags, key: slug })];
  }
  if (r.status === 403 || r.status === 429) throw new NetworkError(`GitHub API refused the request (HTTP ${r.status}, rate limit?); set MCP_RISK_GITHUB_TOKEN to raise the limit`, r.url);
  return [];
}

/** Network signs: registry existence, repository owner and redirects. Offline → nothing, no warning. */
export async function networkSigns(http: HttpClient, c: NetworkCheckInput): Promise<SignsResult> {
  const findings: Finding[] = [];
  const warnings: Warning[] = [];
  if (http.offline) return { findings, warnings };
  try {
    let repo = c.repository;
    if (c.name) {
      const reg = await registryManifest(http, c.name, c.ecosystem);
      if (reg.status === 404 && c.reportUnregistered) {
        findings.push(makeFinding(unregisteredRule, c.at, `\`${c.name}\` is not on ${c.ecosystem === 'npm' ? 'the npm registry' : 'PyPI'}: anyone can publish a package of that name, and the configured command will run it.`, { tags: ['supply-chain', 'network'], key: c.name }));
      }
      repo = repo ?? reg.repository;
    }
    if (repo) findings.push(...(await githubSigns(http, repo, c.at, c.name ? `\`${c.name}\`` : 'The server')));
  } catch (e) {
    if (e instanceof OfflineError) return { findings, warnings };
    warnings.push({ code: 'registry-check-failed', message: e instanceof NetworkError ? e.message : `registry check failed: ${(e as Error).message}` });
  }
  return { findings, warnings };
}
