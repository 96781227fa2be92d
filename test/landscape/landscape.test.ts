/**
 * A landscape of fixture servers, end to end through runLandscape: folders, npm packages from a local
 * registry (acquired for real, cached), and failing targets — a package that does not exist, an archive that
 * will not unpack, a parse error, a folder that does not exist, a folder without source. Every server gets
 * exactly one outcome, failures are recorded with their reason, the numbers agree with `assess` server by
 * server, and the outputs are written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { assess } from '../../src/assess.js';
import { runLandscape, type LandscapeRunResult } from '../../src/landscape/run.js';
import { compareLandscapes, formatComparison, loadLandscape } from '../../src/landscape/compare.js';
import { buildTables } from '../../src/landscape/export.js';
import type { LandscapeStats } from '../../src/landscape/stats.js';
import { makeTmp, rmTmp } from '../acquire/util.js';
import { fakeRegistry, fixture, oddTargets, parseCsv, type FakeRegistry } from './helpers.js';

const FOLDERS = ['78-git-tools-sdk-vuln', '78-git-tools-sdk-safe', '22-docs-fastmcp-vuln', '306-team-tickets-http-sdk-vuln', '1321-settings-cjs-vuln'];

let tmp: string;
let registry: FakeRegistry;
let env: NodeJS.ProcessEnv;
let list: string;
let first: LandscapeRunResult;

function quietRun(out: string, extra: Partial<Parameters<typeof runLandscape>[0]> = {}): Promise<LandscapeRunResult> {
  return runLandscape({ input: list, out, cacheDir: path.join(tmp, 'cache'), env, jobs: 2, progress: 'none', handleSignals: false, ...extra });
}

before(async () => {
  tmp = await makeTmp('mcp-risk-landscape-');
  registry = await fakeRegistry([
    { name: 'fake-crm-mcp', version: '1.0.0', dir: fixture('89-crm-sdk-vuln') },
    { name: 'fake-web-mcp', version: '2.0.0', dir: fixture('918-web-tools-fastmcp-vuln') },
  ]);
  env = registry.env(path.join(tmp, 'npm-cache'));
  await oddTargets(tmp);
  list = path.join(tmp, 'servers.txt');
  await fs.writeFile(
    list,
    [
      '# fixture landscape',
      ...FOLDERS.map(fixture),
      'npm:fake-crm-mcp@1.0.0',
      'fake-web-mcp@2.0.0',
      'npm:fake-missing-mcp@1.0.0',
      'broken.tgz',
      'parse-error',
      './does-not-exist',
      'docs-only',
      '',
    ].join('\n'),
  );
  first = await quietRun(path.join(tmp, 'out'));
});

after(async () => {
  await registry?.close();
  await rmTmp(tmp);
});

const stats = (): LandscapeStats => {
  assert.ok(first.stats);
  return first.stats;
};

describe('a landscape of fixture servers with failures', () => {
  it('gives every planned server exactly one outcome', () => {
    assert.equal(first.planned, 12);
    assert.equal(first.processed, 12);
    assert.equal(first.interrupted, false);
    const db = new Database(first.dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT s.id, COUNT(r.server_id) AS n FROM servers s LEFT JOIN results r ON r.run_id = s.run_id AND r.server_id = s.id GROUP BY s.id').all() as { id: number; n: number }[];
      assert.equal(rows.length, 12);
      for (const r of rows) assert.equal(r.n, 1, `server ${r.id}`);
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM runs WHERE finished_at IS NOT NULL').get() as { n: number }).n, 1);
    } finally {
      db.close();
    }
  });

  it('records each failure with its reason, and never stops the run', () => {
    const s = stats();
    const byLabel = new Map(s.failedServers.map((f) => [f.label, f]));
    assert.equal(byLabel.get('npm:fake-missing-mcp@1.0.0')?.code, 'not-found');
    assert.match(byLabel.get('npm:fake-missing-mcp@1.0.0')?.message ?? '', /npm package not found/);
    assert.equal(byLabel.get('broken.tgz')?.code, 'bad-archive');
    assert.equal(byLabel.get('./does-not-exist')?.code, 'not-found');
    assert.match(byLabel.get('./does-not-exist')?.message ?? '', /target not found/);
    assert.equal(s.totals.failed, 3);
    assert.deepEqual(
      s.failures.map((f) => [f.code, f.servers]),
      [
        ['not-found', 2],
        ['bad-archive', 1],
      ],
    );
    // a parse error is a partial result (the rest of the server is still analysed), not a failure
    assert.deepEqual(
      s.partialCodes.map((p) => [p.code, p.examples]),
      [
        ['no-source-files', ['docs-only']],
        ['parse-error', ['parse-error']],
      ],
    );
    assert.equal(s.totals.noSource, 1);
    assert.equal(s.totals.scored, 8);
  });

  it('agrees with `assess` server by server (findings, R_overall, contextual score)', async () => {
    const data = loadLandscape(first.outDir);
    const byLabel = new Map(data.servers.map((s) => [s.label, s]));
    const expect: [string, string][] = [
      ...FOLDERS.map((f): [string, string] => [fixture(f), fixture(f)]),
      ['npm:fake-crm-mcp@1.0.0', fixture('89-crm-sdk-vuln')],
      ['fake-web-mcp@2.0.0', fixture('918-web-tools-fastmcp-vuln')],
    ];
    for (const [label, dir] of expect) {
      const a = await assess(dir);
      const row = byLabel.get(label);
      assert.ok(row, label);
      assert.equal(row.status, 'ok', label);
      assert.equal(row.findings, a.findings.length, `${label}: findings`);
      assert.equal(row.rOverall, a.risk?.server.mcpInSos.R_overall, `${label}: R_overall`);
      assert.equal(row.contextual, a.risk?.server.contextual.score, `${label}: contextual`);
      assert.deepEqual(
        data.findings.filter((f) => f.serverId === row.id).map((f) => f.cwe).sort(),
        a.findings.map((f) => f.cwe).sort(),
        `${label}: CWEs`,
      );
    }
    assert.equal(byLabel.get('npm:fake-crm-mcp@1.0.0')?.name, 'fake-crm-mcp');
    assert.equal(byLabel.get('npm:fake-crm-mcp@1.0.0')?.ecosystem, 'npm');
  });

  it('counts CWEs by servers affected, CAPECs with likelihood and severity, primitives, C/I/A', () => {
    const s = stats();
    const cwe = new Map(s.cwe.map((c) => [c.cwe, c]));
    for (const c of [78, 22, 306, 1321, 89, 918]) assert.ok((cwe.get(c)?.servers ?? 0) >= 1, `CWE-${c}`);
    assert.equal(cwe.get(78)?.servers, 1, 'the safe twin has no CWE-78');
    assert.equal(cwe.get(78)?.share, Math.round((1 / 8) * 10000) / 10000);
    assert.equal(cwe.get(89)?.R, 800, 'R(c) of CWE-89 is the golden value');
    const capec88 = s.capec.find((c) => c.capec === 88);
    assert.ok(capec88?.cwes.includes(78));
    assert.ok(capec88 && capec88.likelihood >= 1 && capec88.severity >= 1 && capec88.likelihoodLabel !== '');
    assert.ok(s.primitives.find((p) => p.primitive === 'Tool')?.findings);
    assert.deepEqual(s.cia.map((c) => c.impact), ['C', 'I', 'A']);
    assert.equal(s.scores.mcpInSos.summary.n, 8);
    assert.equal(s.scores.mcpInSos.histogram.reduce((n, b) => n + b.servers, 0), 8);
    assert.equal(s.scores.contextual.histogram.reduce((n, b) => n + b.servers, 0), 8);
    assert.equal(s.ranking.length, 8);
    assert.ok(s.ranking[0] && s.ranking[0].rOverall >= (s.ranking[1]?.rOverall ?? 0));
    assert.deepEqual(s.languages.map((l) => l.language).sort(), ['javascript', 'typescript']);
    assert.deepEqual(s.ecosystems.find((e) => e.ecosystem === 'npm'), { ecosystem: 'npm', planned: 3, ok: 2, failed: 1, skipped: 0, pending: 0, noSource: 0, scored: 2, withFindings: 2 });
  });

  it('writes the tables (CSV and JSON), summary.json, the dashboard and each server report', () => {
    const out = first.outDir;
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { stats: LandscapeStats; run: { format: string } };
    assert.deepEqual(summary.stats, JSON.parse(JSON.stringify(stats())));
    assert.equal(summary.run.format, 'text');
    const data = loadLandscape(out);
    for (const t of buildTables(data, stats())) {
      const csv = parseCsv(readFileSync(path.join(out, 'tables', `${t.name}.csv`), 'utf8'));
      assert.deepEqual(csv[0], t.columns, `${t.name}.csv header`);
      assert.equal(csv.length - 1, t.rows.length, `${t.name}.csv rows`);
      const rows = JSON.parse(readFileSync(path.join(out, 'tables', `${t.name}.json`), 'utf8')) as unknown[];
      assert.equal(rows.length, t.rows.length, `${t.name}.json rows`);
    }
    const servers = parseCsv(readFileSync(path.join(out, 'tables', 'servers.csv'), 'utf8'));
    const col = (name: string): number => (servers[0] ?? []).indexOf(name);
    assert.equal(servers.length, 13);
    const crm = servers.find((r) => r[col('label')] === 'npm:fake-crm-mcp@1.0.0');
    assert.equal(crm?.[col('status')], 'ok');
    assert.match(crm?.[col('report')] ?? '', /^servers\/\d+-fake-crm-mcp-1\.0\.0\.html$/);
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const links = [...html.matchAll(/class="report" href="([^"]+)"/g)].map((m) => m[1] as string);
    assert.equal(links.length, 8);
    for (const l of links) {
      assert.ok(existsSync(path.join(out, l)), l);
      assert.ok(existsSync(path.join(out, l.replace(/\.html$/, '.json'))), `${l} (json)`);
      assert.match(readFileSync(path.join(out, l), 'utf8'), /^<!DOCTYPE html>/);
    }
  });

  it('a second landscape on the same cache serves the npm packages from it (the missing one is fetched again)', async () => {
    const before = registry.requests.filter((r) => r.endsWith('.tgz')).length;
    const second = await quietRun(path.join(tmp, 'out-warm'));
    assert.equal(registry.requests.filter((r) => r.endsWith('.tgz')).length, before, 'no tarball fetched again');
    assert.deepEqual(second.performance?.cache, { hit: 2, miss: 1, local: 8, unknown: 1, hitRate: 0.667 });
    assert.equal(first.performance?.cache.hit, 0);
    assert.deepEqual(second.stats, first.stats, 'the same statistics');
  });

  it('--resume on a finished run only rewrites the outputs; without --resume an existing run is refused', async () => {
    const again = await quietRun(first.outDir, { resume: true });
    assert.equal(again.processed, 0);
    assert.equal(again.doneBefore, 12);
    assert.deepEqual(again.stats, first.stats);
    await assert.rejects(quietRun(first.outDir), /already holds a landscape run \(12\/12 servers done, finished\): add --resume/);
  });
});

describe('landscape compare', () => {
  it('shows new and fixed findings per server between two runs', async () => {
    const dir = path.join(tmp, 'cmp');
    const srv = path.join(dir, 'git-tools');
    await fs.cp(fixture('78-git-tools-sdk-vuln'), srv, { recursive: true });
    const cmpList = path.join(dir, 'list.txt');
    await fs.writeFile(cmpList, `git-tools\n${fixture('22-docs-fastmcp-vuln')}\n`);
    const a = await runLandscape({ input: cmpList, out: path.join(dir, 'A'), progress: 'none', handleSignals: false, jobs: 1 });
    await fs.rm(srv, { recursive: true });
    await fs.cp(fixture('78-git-tools-sdk-safe'), srv, { recursive: true });
    const b = await runLandscape({ input: cmpList, out: path.join(dir, 'B'), progress: 'none', handleSignals: false, jobs: 1 });
    const c = compareLandscapes(loadLandscape(a.outDir), loadLandscape(path.join(b.outDir, 'landscape.sqlite')), ['A', 'B']);
    assert.equal(c.totals.common, 2);
    assert.equal(c.totals.serversChanged, 1, 'the docs server did not change');
    const d = c.servers[0];
    assert.equal(d?.label, 'git-tools');
    assert.equal(d?.versionA, '0.3.1');
    assert.equal(d?.versionB, '0.3.2');
    assert.equal(d?.added.length, 0);
    assert.equal(d?.fixed.length, 3);
    assert.ok(d?.fixed.every((f) => f.cwe === 78));
    assert.equal(c.totals.fixedFindings, 3);
    assert.deepEqual(c.cwe.find((x) => x.cwe === 78), { cwe: 78, serversA: 1, serversB: 0, delta: -1 });
    const text = formatComparison(c);
    assert.match(text, /git-tools 0\.3\.1 → 0\.3\.2: \+0 new, −3 fixed, 0 unchanged/);
    assert.match(text, /  - CWE-78 critical src\/git\.ts:\d+ Tool git_/);
    const reverse = compareLandscapes(loadLandscape(b.outDir), loadLandscape(a.outDir));
    assert.equal(reverse.totals.newFindings, 3);
  });
});
