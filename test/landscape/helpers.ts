/**
 * Helpers for the landscape tests: a local npm registry serving packages made from fixture folders (so
 * acquisition, the cache and "package not found" are real, without the network), failing targets, lists.
 */
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rawTgz, type RawEntry } from '../acquire/util.js';
import { fromRoot } from '../helpers.js';

export const FIXTURES = fromRoot('test', 'fixtures', 'servers');
export const fixture = (name: string): string => path.join(FIXTURES, name);

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/** An npm tarball (`package/…`) of a fixture folder, its package.json renamed. */
export function packFixture(dir: string, name: string, version: string): Buffer {
  const entries: RawEntry[] = [];
  for (const rel of listFiles(dir)) {
    if (rel === 'expected.json') continue;
    let data: Buffer = readFileSync(path.join(dir, rel));
    if (rel === 'package.json') data = Buffer.from(JSON.stringify({ ...JSON.parse(data.toString('utf8')), name, version }, null, 2));
    entries.push({ path: `package/${rel}`, data, mode: statSync(path.join(dir, rel)).mode & 0o777 });
  }
  return rawTgz(entries);
}

export interface FakeRegistry {
  url: string;
  /** Request paths seen. */
  requests: string[];
  /** Environment for npm: this registry and a private npm cache. */
  env(npmCache: string): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A registry serving `packages` (unscoped names); everything else is 404. */
export async function fakeRegistry(packages: { name: string; version: string; dir: string }[]): Promise<FakeRegistry> {
  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, (base: string) => unknown>();
  for (const p of packages) {
    const tgz = packFixture(p.dir, p.name, p.version);
    const file = `/${p.name}/-/${p.name}-${p.version}.tgz`;
    tarballs.set(file, tgz);
    const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
    const shasum = createHash('sha1').update(tgz).digest('hex');
    packuments.set(`/${p.name}`, (base) => ({
      name: p.name,
      'dist-tags': { latest: p.version },
      versions: { [p.version]: { name: p.name, version: p.version, dist: { tarball: `${base}${file}`, integrity, shasum } } },
    }));
  }
  const requests: string[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(url);
    const tgz = tarballs.get(url);
    if (tgz) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length });
      res.end(tgz);
      return;
    }
    const doc = packuments.get(url);
    if (doc) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(doc(base)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"Not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    env: (npmCache) => ({ ...process.env, npm_config_registry: `${base}/`, npm_config_cache: npmCache, npm_config_update_notifier: 'false' }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Failing and odd targets inside `dir`: a corrupt .tgz, a folder with a syntax error, a folder without source. */
export async function oddTargets(dir: string): Promise<{ brokenTgz: string; parseError: string; empty: string }> {
  const brokenTgz = path.join(dir, 'broken.tgz');
  await fs.writeFile(brokenTgz, Buffer.from('this is not a gzip archive\n'.repeat(40)));
  const parseError = path.join(dir, 'parse-error');
  await fs.mkdir(path.join(parseError, 'src'), { recursive: true });
  await fs.writeFile(path.join(parseError, 'package.json'), JSON.stringify({ name: 'parse-error-mcp', version: '0.0.1' }));
  await fs.writeFile(
    path.join(parseError, 'src', 'index.ts'),
    "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nconst server = new McpServer({ name: 'x', version: '1' });\nfunction (( {\n",
  );
  const empty = path.join(dir, 'docs-only');
  await fs.mkdir(empty, { recursive: true });
  await fs.writeFile(path.join(empty, 'README.md'), '# nothing to analyse\n');
  return { brokenTgz, parseError, empty };
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
