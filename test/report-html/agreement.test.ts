/**
 * One scan (test/fixtures/imports/ts-server with the Semgrep and CodeQL SARIF imported), four reports:
 * JSON, SARIF, Markdown and HTML agree on the findings (ids, order, count, CWE, severity, origin), the
 * unmapped results, and the scores (per finding and per server, under both models).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';
import type { Assessment } from '../../src/model.js';
import { FINGERPRINT_KEY, render } from '../../src/report/index.js';
import type { RiskReport } from '../../src/risk/types.js';
import { cells, scanWithImports } from './data.js';

interface JsonReport {
  findings: { id: string; cwe: number; severity: string; tool?: string }[];
  unmapped?: { id: string }[];
  risk: RiskReport;
}

/** Attributes of an HTML start tag. */
function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([a-z-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return out;
}


/** mcp-risk's number formatting in the human reports. */
function num(x: number, d = 2): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 10 ** d) / 10 ** d);
}

describe('JSON, SARIF, Markdown and HTML of one scan agree', () => {
  let a: Assessment;
  let json: JsonReport;
  let sarif: Sarif.Log;
  let md: string;
  let html: string;
  before(async () => {
    a = await scanWithImports();
    json = JSON.parse(render(a, 'json')) as JsonReport;
    sarif = JSON.parse(render(a, 'sarif')) as Sarif.Log;
    md = render(a, 'markdown');
    html = render(a, 'html');
  });

  it('the scan has own, corroborated and imported findings, and unmapped results', () => {
    assert.ok(json.findings.some((f) => f.tool === undefined));
    assert.ok(json.findings.some((f) => f.tool !== undefined));
    assert.ok((json.unmapped ?? []).length > 0);
  });

  it('on the findings: ids in the same order, CWE, severity and origin', () => {
    const ids = json.findings.map((f) => f.id);
    // SARIF
    const results = sarif.runs[0]!.results!;
    assert.deepEqual(
      results.map((r) => r.partialFingerprints![FINGERPRINT_KEY]),
      ids,
    );
    results.forEach((r, i) => {
      const f = json.findings[i]!;
      assert.equal(r.properties!['cwe'], f.cwe);
      assert.equal(r.properties!['severity'], f.severity);
      assert.equal(r.properties!['importedFrom'], f.tool);
    });
    // Markdown
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l)).map(cells);
    assert.deepEqual(
      rows.map((c) => c[8]!.replace(/`/g, '')),
      ids,
    );
    rows.forEach((c, i) => {
      const f = json.findings[i]!;
      assert.equal(c[0], f.severity);
      assert.equal(c[3], `[CWE-${f.cwe}](https://cwe.mitre.org/data/definitions/${f.cwe}.html)`);
      assert.equal(c[7], f.tool ?? 'mcp-risk');
    });
    // HTML
    const tags = [...html.matchAll(/<tbody [^>]*class="finding"[^>]*>/g)].map((m) => attrs(m[0]));
    assert.deepEqual(
      tags.map((t) => t['data-id']),
      ids,
    );
    tags.forEach((t, i) => {
      const f = json.findings[i]!;
      assert.equal(Number(t['data-cwe']), f.cwe);
      assert.equal(t['data-severity'], f.severity);
      assert.equal(t['data-origin'], f.tool ?? 'mcp-risk');
    });
  });

  it('on the scores of each finding', () => {
    const risk = new Map(json.risk.findings.map((r) => [r.findingId, r]));
    // SARIF carries both models' scores per result
    sarif.runs[0]!.results!.forEach((res, i) => {
      const r = risk.get(json.findings[i]!.id)!;
      assert.deepEqual(res.properties!['risk'], { contextualScore: r.contextual.score, cell: r.contextual.cell, band: r.contextual.band, mcpInSosR: r.mcpInSos.R });
    });
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l)).map(cells);
    const tags = [...html.matchAll(/<tbody [^>]*class="finding"[^>]*>/g)].map((m) => attrs(m[0]));
    json.findings.forEach((f, i) => {
      const r = risk.get(f.id)!;
      assert.ok(r, `finding ${f.id} is scored`);
      assert.equal(rows[i]![1], `${num(r.contextual.score, 1)} (${r.contextual.cell}, ${r.contextual.band})`);
      assert.equal(rows[i]![2], num(r.mcpInSos.R));
      assert.equal(Number(tags[i]!['data-score']), r.contextual.score);
      assert.equal(Number(tags[i]!['data-r']), r.mcpInSos.R);
      assert.equal(tags[i]!['data-cell'], r.contextual.cell);
      assert.equal(tags[i]!['data-band'], r.contextual.band);
    });
  });

  it('on the server scores under both models', () => {
    const m = json.risk.server.mcpInSos;
    const c = json.risk.server.contextual;
    const sr = (sarif.runs[0]!.properties!['risk'] as { grade: string; contextualScore: number; R_overall: number; R_exp: number; R_rms: number; N: number }[])[0]!;
    assert.deepEqual([sr.grade, sr.contextualScore, sr.R_overall, sr.R_exp, sr.R_rms, sr.N], [c.grade, c.score, m.R_overall, m.R_exp, m.R_rms, m.N]);
    assert.ok(html.includes(`data-r-overall="${m.R_overall}"`));
    assert.ok(html.includes(`data-r-exp="${m.R_exp}"`));
    assert.ok(html.includes(`data-r-rms="${m.R_rms}"`));
    assert.ok(html.includes(`data-contextual-score="${c.score}"`));
    assert.ok(html.includes(`data-grade="${c.grade}"`));
    assert.ok(html.includes(`data-findings="${json.findings.length}"`));
    assert.ok(md.includes(`**Grade ${c.grade}** · contextual **${num(c.score, 1)} / 10** · mcp-in-sos R<sub>overall</sub> **${num(m.R_overall)}** (R<sub>exp</sub> ${num(m.R_exp)}, R<sub>rms</sub> ${num(m.R_rms)}, N = ${m.N})`));
    assert.equal(m.N, json.findings.length);
  });

  it('on the matrix: the cells hold every finding once', () => {
    const counts = [...html.matchAll(/<td class="mcell[^"]*" data-cell="([^"]+)" data-count="(\d+)"/g)].map((x) => [x[1]!, Number(x[2])] as const);
    assert.equal(counts.length, 25);
    assert.equal(
      counts.reduce((s, [, n]) => s + n, 0),
      json.findings.length,
    );
    for (const [cell, n] of counts) assert.equal(n, json.risk.findings.filter((r) => r.contextual.cell === cell).length, cell);
  });

  it('on the unmapped results', () => {
    const ids = (json.unmapped ?? []).map((u) => u.id);
    const table = html.slice(html.indexOf('id="unmapped-table"'));
    const htmlIds = [...table.slice(0, table.indexOf('</table>')).matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(htmlIds, ids);
    const section = md.slice(md.indexOf('### Imported results without CWE'));
    assert.equal(section.split('\n').filter((l) => /^\| (?!Analyzer|---)/.test(l)).length, ids.length);
    assert.ok(!sarif.runs[0]!.results!.some((r) => ids.includes(String(r.partialFingerprints?.[FINGERPRINT_KEY]))), 'unmapped results are not SARIF results');
  });
});
