/**
 * The landscape dashboard: one self-contained HTML page (inline CSS and SVG, no script, no external
 * resource; a Content-Security-Policy forbids loading any). Every value from the servers (names, messages,
 * paths) is escaped. Links: each ranked server's own report (relative), the tables, MITRE pages.
 */
import path from 'node:path';
import { VERSION } from '../version.js';
import type { LandscapeStats, PerformanceStats } from './stats.js';
import { esc, hbarChart, histogram } from './svg.js';
import type { LandscapeData } from './types.js';

const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;
const num = (n: number): string => n.toLocaleString('en-US');
const cweLink = (c: number): string => `<a href="https://cwe.mitre.org/data/definitions/${c}.html" rel="noopener noreferrer">CWE-${c}</a>`;
const capecLink = (c: number): string => `<a href="https://capec.mitre.org/data/definitions/${c}.html" rel="noopener noreferrer">CAPEC-${c}</a>`;
const RANKING_ROWS = 50;

function table(head: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return '<p class="empty">none</p>';
  return (
    `<div class="scroll"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

function card(value: string, label: string): string {
  return `<div class="card"><div class="big">${value}</div><div>${esc(label)}</div></div>`;
}

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fff;--accent:#3b6fb6;}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header{padding:20px 28px;border-bottom:1px solid var(--line);background:#f5f7fb}h1{margin:0 0 4px;font-size:22px}
main{padding:8px 28px 40px;max-width:1280px}section{margin:28px 0}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}.meta{color:var(--muted)}.cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:14px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:140px;background:#fff}.big{font-size:22px;font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:6px 0}th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f5f7fb;font-weight:600}td.n,th.n{text-align:right}.empty{color:var(--muted)}
svg.chart{max-width:100%;height:auto}svg .lbl{font-size:12px;fill:var(--fg)}svg .val,svg .tick{font-size:11px;fill:var(--muted)}svg .axis{stroke:#98a1b3}
.grade-A{color:#22863a}.grade-B{color:#6a9f1a}.grade-C{color:#b08800}.grade-D{color:#d15704}.grade-F{color:#cb2431;font-weight:600}
code{font-size:12px;word-break:break-all}nav a{margin-right:12px}footer{color:var(--muted);padding:0 28px 30px}
`;

export function renderDashboard(data: LandscapeData, stats: LandscapeStats, perf: PerformanceStats, reports: ReadonlyMap<number, string>): string {
  const run = data.run;
  const T = stats.totals;
  const title = `MCP server landscape — ${path.basename(run.input)}`;
  const parts: string[] = [];

  parts.push(
    `<header><h1>${esc(title)}</h1><div class="meta">mcp-risk ${esc(run.toolVersion)} · CWE ${esc(run.kb.cwe)} / CAPEC ${esc(run.kb.capec)} · input ${esc(run.format)} · started ${esc(run.startedAt)}` +
      `${run.finishedAt ? ` · finished ${esc(run.finishedAt)}` : ' · <strong>not finished</strong>'}${run.resumes ? ` · resumed ${run.resumes}×` : ''}</div>` +
      `<div class="cards">${card(num(T.planned), 'servers in the input')}${card(num(T.scored), 'assessed with source code')}` +
      `${card(`${num(T.withFindings)} <small>(${pct(T.scored ? T.withFindings / T.scored : 0)})</small>`, 'with at least one finding')}` +
      `${card(num(T.findings), 'findings')}${card(num(T.failed), 'failed')}${card(num(T.skipped + T.noSource), 'not analysable')}` +
      `${card(num(T.lines), 'lines analysed')}${T.pending ? card(num(T.pending), 'still pending') : ''}</div>` +
      `<nav style="margin-top:12px"><a href="#cwe">CWEs</a><a href="#capec">CAPEC</a><a href="#threats">Threats</a><a href="#scores">Scores</a>` +
      `<a href="#ranking">Ranking</a><a href="#languages">Languages</a><a href="#failures">Failures</a><a href="#files">Data files</a></nav></header><main>`,
  );

  // CWE
  const topCwe = stats.cwe.slice(0, 15);
  parts.push(
    `<section id="cwe"><h2>Weaknesses (CWE)</h2><p class="meta">Share = servers affected among the ${num(T.scored)} assessed servers with source code. R = mcp-in-sos R(c).</p>` +
      hbarChart(
        topCwe.map((c) => ({ label: `CWE-${c.cwe} ${c.name}`, value: c.servers, note: `${c.servers} servers (${pct(c.share)}) · ${c.findings} findings` })),
        { title: 'CWE frequency: servers affected', labelWidth: 330 },
      ) +
      table(
        ['CWE', 'name', 'servers', 'share', 'findings', 'R(c)', 'CAPEC link'],
        stats.cwe.map((c) => [cweLink(c.cwe), esc(c.name), String(c.servers), pct(c.share), String(c.findings), esc(c.R), esc(c.capecLink)]),
        'cwe',
      ) +
      `</section>`,
  );

  // CAPEC
  parts.push(
    `<section id="capec"><h2>Attack patterns (CAPEC)</h2><p class="meta">The attack patterns the weaknesses open (every CAPEC of each CWE found), with MITRE's likelihood of attack and typical severity (filled as in docs/risk-models.md). Top 30; all in <a href="tables/capec.csv">capec.csv</a>.</p>` +
      table(
        ['CAPEC', 'name', 'servers', 'findings', 'likelihood', 'severity', 'via CWE'],
        stats.capec.slice(0, 30).map((c) => [
          capecLink(c.capec),
          esc(c.name),
          String(c.servers),
          String(c.findings),
          `${esc(c.likelihoodLabel)} (${c.likelihood})`,
          `${esc(c.severityLabel)} (${c.severity})`,
          c.cwes.map((x) => `CWE-${x}`).join(', '),
        ]),
        'capec',
      ) +
      `</section>`,
  );

  // threats
  parts.push(
    `<section id="threats"><h2>Threat categories</h2><div class="grid"><div><h3>MCP primitive of the finding</h3>` +
      hbarChart(stats.primitives.map((p) => ({ label: p.primitive, value: p.servers, note: `${p.servers} servers · ${p.findings} findings` })), { title: 'Findings by MCP primitive: servers affected', width: 520, labelWidth: 110 }) +
      `<h3>Impact (C/I/A)</h3>` +
      hbarChart(stats.cia.map((c) => ({ label: c.label, value: c.servers, note: `${c.servers} servers · ${c.findings} findings` })), { title: 'Confidentiality, integrity, availability: servers affected', width: 520, labelWidth: 110, color: '#8a5cb8' }) +
      `<h3>Severity</h3>` +
      table(['severity', 'servers', 'findings'], stats.severity.map((s) => [esc(s.severity), String(s.servers), String(s.findings)])) +
      `</div><div><h3>OWASP MCP Top 10 (2025)</h3>` +
      table(['category', 'servers', 'findings'], stats.owasp.map((o) => [`${esc(o.id)} ${esc(o.name)}`, String(o.servers), String(o.findings)])) +
      `<h3>Surface</h3>` +
      table(
        ['', 'servers', 'total'],
        [
          ['tools', String(stats.surface.serversWithTools), String(stats.surface.tools)],
          ['resources', String(stats.surface.serversWithResources), String(stats.surface.resources)],
          ['prompts', String(stats.surface.serversWithPrompts), String(stats.surface.prompts)],
          ...stats.surface.transports.map((t) => [`transport ${esc(t.kind)}`, String(t.servers), '']),
        ],
      ) +
      `</div></div><h3>CWE × primitive (servers / findings)</h3>` +
      table(
        ['CWE', 'Tool', 'Resource', 'Prompt', 'Protocol'],
        stats.cweByPrimitive.map((c) => [
          `${cweLink(c.cwe)} ${esc(c.name)}`,
          ...(['Tool', 'Resource', 'Prompt', 'Protocol'] as const).map((p) => `${c.byPrimitive[p]?.servers ?? 0} / ${c.byPrimitive[p]?.findings ?? 0}`),
        ]),
      ) +
      `</section>`,
  );

  // scores
  const sm = stats.scores.mcpInSos.summary;
  const sc = stats.scores.contextual.summary;
  parts.push(
    `<section id="scores"><h2>Risk distribution</h2><div class="grid"><div>` +
      histogram(stats.scores.mcpInSos.histogram, { title: 'Server score distribution, mcp-in-sos R_overall', xLabel: 'R_overall (mcp-in-sos)' }) +
      `</div><div>` +
      histogram(stats.scores.contextual.histogram, { title: 'Server score distribution, contextual score 0–10', xLabel: 'contextual score', color: '#c0602a' }) +
      `</div></div>` +
      table(
        ['model', 'servers', 'zero', 'min', 'p25', 'median', 'mean', 'p75', 'p90', 'max'],
        [
          ['mcp-in-sos R_overall', sm, sm.zero],
          ['contextual (0–10)', sc, sc.zero],
        ].map(([name, s]) => {
          const x = s as typeof sm;
          return [esc(name), String(x.n), String(x.zero), String(x.min), String(x.p25), String(x.median), String(x.mean), String(x.p75), String(x.p90), String(x.max)];
        }),
      ) +
      `<h3>Contextual grades</h3>` +
      table(['grade', 'servers'], stats.scores.grades.map((g) => [`<span class="grade-${esc(g.grade)}">${esc(g.grade)}</span>`, String(g.servers)])) +
      `</section>`,
  );

  // ranking
  parts.push(
    `<section id="ranking"><h2>Ranking</h2><p class="meta">By R_overall (mcp-in-sos), ties by the contextual score, then the name. Top ${RANKING_ROWS} of ${num(stats.ranking.length)}; all in <a href="tables/ranking.csv">ranking.csv</a>.</p>` +
      table(
        ['#', 'server', 'version', 'language', 'findings', 'R_overall', 'contextual', 'grade', 'CWEs'],
        stats.ranking.slice(0, RANKING_ROWS).map((r) => {
          const href = reports.get(r.id);
          return [
            String(r.rank),
            href ? `<a class="report" href="${esc(href)}">${esc(r.label)}</a>` : esc(r.label),
            esc(r.version),
            esc(r.language),
            String(r.findings),
            String(r.rOverall),
            String(r.contextual),
            `<span class="grade-${esc(r.grade)}">${esc(r.grade)}</span>`,
            r.cwes.slice(0, 6).map((c) => `CWE-${c}`).join(', ') + (r.cwes.length > 6 ? ', …' : ''),
          ];
        }),
        'ranking',
      ) +
      `</section>`,
  );

  // languages and ecosystems
  const topIds = stats.cwe.slice(0, 5).map((c) => c.cwe);
  parts.push(
    `<section id="languages"><h2>By language and ecosystem</h2>` +
      table(
        ['language', 'servers', 'with findings', 'findings', 'per server', 'mean contextual', 'median R_overall', ...topIds.map((c) => `CWE-${c}`)],
        stats.languages.map((l) => [
          esc(l.language),
          String(l.servers),
          String(l.withFindings),
          String(l.findings),
          String(l.findingsPerServer),
          String(l.meanContextual),
          String(l.medianROverall),
          ...l.topCwes.map((c) => `${c.servers} (${pct(c.share)})`),
        ]),
        'languages',
      ) +
      table(
        ['ecosystem', 'planned', 'assessed', 'failed', 'skipped', 'no source', 'with findings'],
        stats.ecosystems.map((e) => [esc(e.ecosystem), String(e.planned), String(e.ok), String(e.failed), String(e.skipped), String(e.noSource), String(e.withFindings)]),
        'ecosystems',
      ) +
      `</section>`,
  );

  // failures
  parts.push(
    `<section id="failures"><h2>Failures and partial results</h2><p class="meta">A failure is recorded for its server and never stops the run. Partial = assessed, but some code could not be analysed (the result is a lower bound).</p>` +
      table(['reason', 'servers', 'examples'], stats.failures.map((f) => [esc(f.code), String(f.servers), esc(f.examples.join(', '))]), 'failure-reasons') +
      table(['#', 'server', 'status', 'reason', 'message'], stats.failedServers.map((f) => [String(f.id), esc(f.label), esc(f.status), esc(f.code), `<code>${esc(f.message)}</code>`]), 'failed-servers') +
      `<h3>Partial results</h3>` +
      table(['warning', 'servers', 'examples'], stats.partialCodes.map((f) => [esc(f.code), String(f.servers), esc(f.examples.join(', '))])) +
      `</section>`,
  );

  // files and performance
  const tables = ['servers', 'findings', 'cwe', 'capec', 'owasp', 'primitives', 'cia', 'severity', 'histogram-mcp-in-sos', 'histogram-contextual', 'grades', 'ranking', 'languages', 'ecosystems', 'failures', 'partial', 'cwe-by-primitive'];
  parts.push(
    `<section id="files"><h2>Data files</h2><p>${tables.map((t) => `<a href="tables/${t}.csv">${t}.csv</a> (<a href="tables/${t}.json">json</a>)`).join(' · ')} · <a href="summary.json">summary.json</a> · <code>landscape.sqlite</code></p>` +
      `<h3>Performance</h3>` +
      table(
        ['server time (sum)', 'acquire', 'analysis', 'lines / analysis s', 'cache hits', 'cache misses', 'hit rate', 'peak worker memory', 'retried'],
        [
          [
            `${(perf.serverMs / 1000).toFixed(1)} s`,
            `${(perf.acquireMs / 1000).toFixed(1)} s`,
            `${(perf.analysisMs / 1000).toFixed(1)} s`,
            num(perf.linesPerAnalysisSecond),
            String(perf.cache.hit),
            String(perf.cache.miss),
            perf.cache.hitRate === null ? '—' : pct(perf.cache.hitRate),
            `${perf.peakServerRssMb} MB (${esc(perf.peakServer)})`,
            String(perf.retried),
          ],
        ],
      ) +
      `</section></main><footer>Generated by mcp-risk ${esc(VERSION)}. Static analysis: a finding is a weakness the code shows, not a proven exploit; no finding is not a proof of safety.</footer>`,
  );

  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>` +
    parts.join('\n') +
    `</body></html>\n`
  );
}
