/**
 * Regenerate data/known-servers.json: the well-known MCP server packages that squatting checks compare
 * names against (src/ecosystem/known-servers.ts).
 *
 *   npx tsc -p tsconfig.json && node build/scripts/known-servers.js [--landscape FILE] [--cache DIR] [--out FILE]
 *
 * Sources: every name of ../shared/corpus/landscape-npm.txt (150 published servers, see its README), plus
 * the official reference servers (npm and PyPI, current and archived). The `repository` of an npm server is
 * read from its package.json in the benchmark cache (bench/.cache, filled by `npm run bench:corpus`) when
 * present — offline; nothing is downloaded.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRepositoryUrl } from '../src/ecosystem/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const landscape = arg('landscape') ?? path.resolve(root, '..', 'shared', 'corpus', 'landscape-npm.txt');
const cache = arg('cache') ?? path.join(root, 'bench', '.cache');
const out = arg('out') ?? path.join(root, 'data', 'known-servers.json');

/** Official reference servers (modelcontextprotocol/servers), current and archived. */
const OFFICIAL_NPM = [
  'everything',
  'filesystem',
  'memory',
  'sequential-thinking',
  'aws-kb-retrieval',
  'brave-search',
  'everart',
  'gdrive',
  'github',
  'gitlab',
  'google-maps',
  'postgres',
  'puppeteer',
  'redis',
  'slack',
].map((n) => `@modelcontextprotocol/server-${n}`);
const OFFICIAL_PYPI = ['mcp-server-fetch', 'mcp-server-git', 'mcp-server-time', 'mcp-server-sqlite', 'mcp-server-sentry'];
const OFFICIAL_REPO = 'github.com/modelcontextprotocol/servers';

interface Known {
  name: string;
  ecosystem: 'npm' | 'pypi';
  official?: true;
  repository?: string;
}

const names = readFileSync(landscape, 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const at = l.indexOf('@', l.startsWith('@') ? 1 : 0);
    return at > 0 ? l.slice(0, at) : l;
  });

/** repository of a cached package (any cached version), as host/owner/name. */
function cachedRepository(name: string): string | undefined {
  const dir = path.join(cache, 'npm');
  if (!existsSync(dir)) return undefined;
  const prefix = `${name.replace('/', '+')}@`;
  for (const entry of readdirSync(dir).filter((d) => d.startsWith(prefix)).sort().reverse()) {
    try {
      const meta = JSON.parse(readFileSync(path.join(dir, entry, 'entry.json'), 'utf8')) as { rootRel?: string };
      const pkg = JSON.parse(readFileSync(path.join(dir, entry, 'tree', meta.rootRel ?? 'package', 'package.json'), 'utf8')) as { repository?: unknown };
      const r = parseRepositoryUrl(pkg.repository);
      if (r) return `${r.host}/${r.owner}/${r.repo}`;
    } catch {
      // no package.json in this entry
    }
  }
  return undefined;
}

const byName = new Map<string, Known>();
for (const n of [...names, ...OFFICIAL_NPM]) {
  const k: Known = { name: n, ecosystem: 'npm' };
  if (OFFICIAL_NPM.includes(n)) {
    k.official = true;
    k.repository = OFFICIAL_REPO;
  } else {
    const r = cachedRepository(n);
    if (r) k.repository = r;
  }
  byName.set(`npm:${n}`, k);
}
for (const n of OFFICIAL_PYPI) byName.set(`pypi:${n}`, { name: n, ecosystem: 'pypi', official: true, repository: OFFICIAL_REPO });

const servers = [...byName.values()].sort((a, b) => (a.ecosystem + a.name < b.ecosystem + b.name ? -1 : 1));
const doc = {
  about:
    'Well-known MCP server packages, for the squatting and repository checks of src/ecosystem/registry.ts. Built by scripts/known-servers.ts from ../shared/corpus/landscape-npm.txt (150 published npm servers) plus the official reference servers (npm and PyPI). `repository` is host/owner/name from the package.json when known.',
  servers,
};
writeFileSync(out, `${JSON.stringify(doc, null, 1)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (${servers.length} servers, ${servers.filter((s) => s.repository).length} with a repository)\n`);
