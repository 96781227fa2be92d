/**
 * Statistics over hand-made rows (pure): populations, frequencies, CAPEC aggregation, histogram bin edges,
 * quantiles, ranking ties, languages; CSV cells; matching findings between runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffFindings } from '../../src/landscape/compare.js';
import { csvCell, slug, toCsv } from '../../src/landscape/export.js';
import { contextualHistogram, computePerformance, computeStats, rHistogram, summarize } from '../../src/landscape/stats.js';
import { failedOutcome } from '../../src/landscape/extract.js';
import type { LandscapeData, ServerRow, StoredFinding } from '../../src/landscape/types.js';
import { estimateSize, scheduleOrder } from '../../src/landscape/schedule.js';
import { fromRoot } from '../helpers.js';

function server(id: number, over: Partial<ServerRow> = {}): ServerRow {
  return {
    ...failedOutcome('x', 'x'),
    status: 'ok',
    errorCode: undefined,
    errorMessage: undefined,
    language: 'typescript',
    files: 3,
    lines: 100,
    id,
    target: `/srv/${id}`,
    label: `server-${id}`,
    key: `path:/srv/${id}`,
    ecosystem: 'folder',
    origin: {},
    attempts: 1,
    warningCount: 0,
    grade: 'A',
    ...over,
  };
}

function finding(serverId: number, cwe: number, over: Partial<StoredFinding> = {}): StoredFinding {
  return {
    serverId,
    findingId: `${serverId}-${cwe}-${over.line ?? 1}`,
    ruleId: `rule-${cwe}`,
    title: `CWE-${cwe}`,
    cwe,
    severity: 'high',
    confidence: 'high',
    primitive: 'Tool',
    primitiveName: 'run',
    file: 'src/index.ts',
    line: 1,
    sourceKind: 'tool-argument',
    tags: [],
    rCwe: 64,
    contextual: 8,
    band: 'critical',
    c: true,
    i: true,
    a: false,
    owasp: ['MCP05:2025'],
    ...over,
  };
}

const capec = (id: number, la: number, ts: number) => ({ capec: id, name: `P${id}`, la, laLabel: String(la), ts, tsLabel: String(ts), R: la * ts });

function data(): LandscapeData {
  return {
    run: { id: 1, input: '/in.txt', format: 'text', inputSha256: '', toolVersion: '0', kb: { cwe: '4.15', capec: '3.9', contentHash: '' }, options: {}, startedAt: '', resumes: 0, notes: [] },
    servers: [
      server(1, { findings: 3, rOverall: 300, rExp: 1, rRms: 1, contextual: 10, grade: 'F' }),
      server(2, { findings: 1, rOverall: 25, contextual: 6.3, grade: 'C', language: 'javascript' }),
      server(3, { findings: 1, rOverall: 25, contextual: 7.1, grade: 'D', label: 'a-server' }),
      server(4, { findings: 0, rOverall: 0, contextual: 0, grade: 'A', language: 'python' }),
      server(5, { noSource: true, files: 0, lines: 0, language: 'none' }),
      server(6, { ...failedOutcome('not-found', 'npm package not found: x'), status: 'failed', ecosystem: 'npm' }),
      server(7, { ...failedOutcome('timeout', 'no result'), status: 'failed', ecosystem: 'npm' }),
      server(8, { ...failedOutcome('not-found', 'target not found'), status: 'failed' }),
      server(9, { status: 'pending' }),
      server(10, { partial: true, findings: 0, rOverall: 0, contextual: 0 }),
    ],
    findings: [finding(1, 78), finding(1, 78, { line: 9, primitive: 'Resource' }), finding(1, 22), finding(2, 22, { c: false, i: false, a: true }), finding(3, 78)],
    warnings: [{ serverId: 10, code: 'parse-error', message: 'syntax error', file: 'a.ts' }],
    weaknesses: [
      { cwe: 78, name: 'OS Command Injection', R: 64, likelihood: 16, impact: 4, capecLink: 'direct', capecs: [capec(88, 4, 4), capec(6, 4, 4)] },
      { cwe: 22, name: 'Path Traversal', R: 320, likelihood: 16, impact: 20, capecLink: 'direct', capecs: [capec(126, 4, 5), capec(88, 4, 4)] },
    ],
  };
}

describe('landscape statistics', () => {
  it('populations: scored = assessed with source code; failures by reason; partial by warning', () => {
    const s = computeStats(data());
    assert.deepEqual(s.totals, { planned: 10, done: 9, pending: 1, ok: 6, failed: 3, skipped: 0, noSource: 1, partial: 1, scored: 5, withFindings: 3, findings: 5, files: 15, lines: 500, bytes: 0 });
    assert.deepEqual(s.failures, [
      { code: 'not-found', servers: 2, examples: ['server-6', 'server-8'] },
      { code: 'timeout', servers: 1, examples: ['server-7'] },
    ]);
    assert.deepEqual(s.partialCodes, [
      { code: 'no-source-files', servers: 1, examples: ['server-5'] },
      { code: 'parse-error', servers: 1, examples: ['server-10'] },
    ]);
  });

  it('CWE frequency by servers affected, then findings; CAPECs through every CWE that opens them', () => {
    const s = computeStats(data());
    assert.deepEqual(
      s.cwe.map((c) => [c.cwe, c.servers, c.findings, c.share]),
      [
        [78, 2, 3, 0.4],
        [22, 2, 2, 0.4],
      ],
    );
    const c88 = s.capec.find((c) => c.capec === 88);
    assert.deepEqual(c88 && [c88.servers, c88.findings, c88.cwes], [3, 5, [22, 78]]);
    assert.deepEqual(s.capec.map((c) => c.capec), [88, 6, 126]);
    assert.deepEqual(s.primitives.map((p) => [p.primitive, p.servers, p.findings]), [['Tool', 3, 4], ['Resource', 1, 1], ['Prompt', 0, 0], ['Protocol', 0, 0]]);
    assert.deepEqual(s.cia.map((c) => [c.impact, c.servers, c.findings]), [['C', 2, 4], ['I', 2, 4], ['A', 1, 1]]);
    assert.deepEqual(s.owasp.find((o) => o.id === 'MCP05:2025'), { id: 'MCP05:2025', name: 'Command Injection & Execution', findings: 5, servers: 3 });
    assert.deepEqual(s.cweByPrimitive.find((c) => c.cwe === 78)?.byPrimitive.Resource, { findings: 1, servers: 1 });
  });

  it('ranking: R_overall, ties by the contextual score, then the name', () => {
    const s = computeStats(data());
    assert.deepEqual(s.ranking.map((r) => [r.rank, r.label]), [[1, 'server-1'], [2, 'a-server'], [3, 'server-2'], [4, 'server-10'], [5, 'server-4']]);
    assert.deepEqual(s.ranking[0]?.cwes, [78, 22]);
  });

  it('histogram bin edges and quantiles', () => {
    assert.deepEqual(rHistogram([0, 0.01, 25, 25.01, 1600, 1600.5, 5000]).map((b) => b.servers), [1, 2, 1, 0, 0, 0, 0, 1, 2]);
    assert.equal(rHistogram([]).length, 9);
    assert.deepEqual(contextualHistogram([0, 0.9, 1, 9.99, 10]).map((b) => b.servers), [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    assert.deepEqual(summarize([4, 1, 3, 2]), { n: 4, min: 1, p25: 1.75, median: 2.5, mean: 2.5, p75: 3.25, p90: 3.7, max: 4, zero: 0 });
    assert.deepEqual(summarize([]), { n: 0, min: 0, p25: 0, median: 0, mean: 0, p75: 0, p90: 0, max: 0, zero: 0 });
    const s = computeStats(data());
    assert.equal(s.scores.mcpInSos.summary.zero, 2);
    assert.deepEqual(s.scores.grades.map((g) => g.servers), [2, 0, 1, 1, 1]);
  });

  it('languages and ecosystems', () => {
    const s = computeStats(data());
    assert.deepEqual(s.languages.map((l) => [l.language, l.servers, l.withFindings, l.findings]), [['typescript', 3, 2, 4], ['javascript', 1, 1, 1], ['python', 1, 0, 0]]);
    assert.deepEqual(s.languages[0]?.topCwes, [{ cwe: 78, servers: 2, share: 0.6667 }, { cwe: 22, servers: 1, share: 0.3333 }]);
    assert.deepEqual(s.ecosystems.map((e) => [e.ecosystem, e.planned, e.ok, e.failed, e.pending]), [['folder', 8, 6, 1, 1], ['npm', 2, 0, 2, 0]]);
  });

  it('is deterministic and does not depend on row order', () => {
    const d = data();
    const shuffled: LandscapeData = { ...d, servers: [...d.servers].reverse(), findings: [...d.findings].reverse() };
    const a = computeStats(d);
    const b = computeStats(shuffled);
    assert.deepEqual(b.cwe, a.cwe);
    assert.deepEqual(b.capec, a.capec);
    assert.deepEqual(b.ranking, a.ranking);
    assert.deepEqual(b.scores, a.scores);
  });

  it('performance: cache hit rate over fetched targets only', () => {
    const d = data();
    d.servers[0]!.cache = 'hit';
    d.servers[1]!.cache = 'hit';
    d.servers[2]!.cache = 'miss';
    d.servers[3]!.cache = 'local';
    const p = computePerformance(d);
    assert.deepEqual({ ...p.cache }, { hit: 2, miss: 1, local: 1, unknown: 5, hitRate: 0.667 });
  });
});

describe('CSV', () => {
  it('quotes, doubles quotes, neutralises formulas but keeps npm scopes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('@scope/name'), '@scope/name');
    assert.equal(csvCell('@scope/name@1.0.0'), '@scope/name@1.0.0');
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(Infinity), '');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(true), 'true');
    assert.equal(toCsv({ name: 't', columns: ['a', 'b'], rows: [[1, 'x']] }), 'a,b\r\n1,x\r\n');
    assert.equal(slug('npm:@Scope/Name@1.0.0'), 'scope-name-1.0.0');
    assert.equal(slug('<script>'), 'script');
    assert.equal(slug('///'), 'server');
  });
});

describe('compare: finding matching', () => {
  it('by id, then by rule + CWE + file + primitive (a finding that moved lines is unchanged)', () => {
    const a = [finding(1, 78, { line: 10, findingId: 'A1' }), finding(1, 22, { findingId: 'A2' }), finding(1, 89, { findingId: 'A3' })];
    const b = [finding(1, 78, { line: 12, findingId: 'B1' }), finding(1, 22, { findingId: 'A2' }), finding(1, 918, { findingId: 'B3' })];
    const d = diffFindings(a, b);
    assert.equal(d.unchanged, 2);
    assert.deepEqual(d.fixed.map((f) => f.cwe), [89]);
    assert.deepEqual(d.added.map((f) => f.cwe), [918]);
  });
});

describe('dispatch order', () => {
  it('unknown sizes first in input order, then the biggest known first', () => {
    const items = [1, 2, 3, 4, 5].map((id) => ({ id, target: `t${id}` }));
    const sizes = new Map<number, number | undefined>([
      [1, 100],
      [2, undefined],
      [3, 5000],
      [4, 100],
      [5, undefined],
    ]);
    assert.deepEqual(scheduleOrder(items, sizes).map((t) => t.id), [2, 5, 3, 1, 4]);
  });

  it('sizes a local folder by its source files, and leaves an uncached package unknown', async () => {
    assert.ok(((await estimateSize(fromRoot('test/fixtures/servers/78-git-tools-sdk-vuln'), undefined, '/')) ?? 0) > 1000);
    assert.equal(await estimateSize('npm:surely-not-cached-mcp@1.0.0', fromRoot('build', 'no-such-cache'), '/'), undefined);
    assert.equal(await estimateSize('pypi:x==1', undefined, '/'), undefined);
  });
});
