/**
 * HTML report: one self-contained file (inline CSS, JS and SVG; nothing loaded from the network) for a
 * security reviewer. Sections: summary (scores under both risk models, grade, top risks), the MCP
 * surface, the 5×5 likelihood × impact matrix with the findings placed in it, charts by CWE, CAPEC,
 * MCP primitive and C/I/A, the findings table (sort, filter; each finding opens to its code, trace,
 * CWE/CAPEC entries and the explained arithmetic), imported results without a CWE, warnings, method.
 *
 * - Everything from the scanned code (names, descriptions, snippets, messages, paths) and from imported
 *   reports is escaped for HTML, with control and bidirectional characters made visible (`clean`).
 *   A Content-Security-Policy allows only this page's own style and script (by hash): no network.
 * - Deterministic: the same Assessment gives the same bytes (no time stamp unless `generatedAt`).
 * - Readable without JavaScript (details open natively); the script adds sorting, filters, matrix
 *   cell filters, expand/collapse all and opens every finding before printing.
 * - Print and narrow-screen styles; colours meet WCAG AA contrast and never carry meaning alone.
 */
import { createHash } from 'node:crypto';
import type { Assessment, Finding, Location, PrimitiveDef, PrimitiveRef, Severity, TraceStep, UnmappedFinding } from '../model.js';
import { SEVERITIES } from '../model.js';
import { bandOf, cellScore } from '../risk/contextual.js';
import type { Band, FindingRisk, RiskReport } from '../risk/types.js';
import { cut, cweName, cweUrl, num, plural } from './common.js';
import { pathToUri } from './sarif.js';
import { clean } from './terminal.js';

export interface HtmlOptions {
  /** Shown in the footer when given; the report carries no time stamp otherwise. */
  generatedAt?: string;
  /** Source links: `<linkBase><file>#L<line>` (http(s) URLs only; anything else is ignored). */
  linkBase?: string;
  /** Page title (default `mcp-risk: <target>`). */
  title?: string;
  /** A link back to where the report was opened from (e.g. a landscape dashboard); relative or http(s). */
  backLink?: { href: string; label: string };
}

// ---------------------------------------------------------------------------------------------
// Escaping and small helpers

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text or attribute value (control and bidi characters shown, markup characters escaped). */
export function esc(value: unknown): string {
  return clean(String(value)).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** An id/class-safe token. */
function token(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Relative URL or http(s) URL, else undefined (no `javascript:`, `data:` …). */
function safeUrl(u: string | undefined): string | undefined {
  if (u === undefined) return undefined;
  const t = u.trim();
  if (/^https?:\/\/[^\s]+$/i.test(t)) return t;
  if (/^[^\s:]*$/.test(t) && !t.startsWith('//')) return t; // relative, no scheme
  return undefined;
}

function capecUrl(id: number): string {
  return `https://capec.mitre.org/data/definitions/${id}.html`;
}

function primLabel(p: PrimitiveRef): string {
  return p.kind === 'protocol' ? 'server-wide' : `${p.kind} ${p.name ?? '(unnamed)'}`;
}

function primKey(p: PrimitiveRef): string {
  return p.kind === 'protocol' ? 'protocol' : `${p.kind}:${p.name ?? ''}`;
}

function origin(f: Finding): string {
  return f.tool ?? 'mcp-risk';
}

const SEV_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const BANDS: readonly Band[] = ['critical', 'high', 'medium', 'low'];


interface Ctx {
  a: Assessment;
  risk?: RiskReport;
  byId: Map<string, FindingRisk>;
  anchor: Map<string, string>;
  linkBase?: string;
}

function where(l: Location, ctx: Ctx, withColumn = true): string {
  const text = `${l.file}:${l.line}${withColumn ? `:${l.column}` : ''}`;
  if (!ctx.linkBase) return `<code class="loc">${esc(text)}</code>`;
  const href = `${ctx.linkBase}${pathToUri(l.file)}#L${l.line}${l.endLine && l.endLine > l.line ? `-L${l.endLine}` : ''}`;
  return `<a class="loc" href="${esc(href)}" rel="noopener noreferrer"><code>${esc(text)}</code></a>`;
}

function sevBadge(s: Severity): string {
  return `<span class="sev sev-${s}">${s}</span>`;
}

function bandBadge(b: Band, text?: string): string {
  return `<span class="band band-${b}">${esc(text ?? b)}</span>`;
}

/** Text whose `…` parts (how mcp-risk quotes names) become <code>; everything escaped. */
function rich(s: string): string {
  const parts = s.split('`');
  if (parts.length % 2 === 0) return esc(s);
  return parts.map((p, i) => (i % 2 === 0 ? esc(p) : `<code>${esc(p)}</code>`)).join('');
}

function codeBlock(text: string, firstLine: number): string {
  const lines = text.split('\n');
  const body = lines.map((l, i) => `<span class="cl"><span class="ln" aria-hidden="true">${firstLine + i}</span>${esc(l)}</span>`).join('\n');
  return `<pre class="code"><code>${body}</code></pre>`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function header(ctx: Ctx, o: HtmlOptions): string {
  const a = ctx.a;
  const t = a.target;
  const name = `${t.name}${t.version ? `@${t.version}` : ''}`;
  const back = o.backLink && safeUrl(o.backLink.href) ? `<p class="back"><a href="${esc(safeUrl(o.backLink.href))}">← ${esc(o.backLink.label)}</a></p>` : '';
  const meta: string[] = [`mcp-risk ${esc(a.tool.version)}`, `report schema ${esc(a.schemaVersion)}`];
  if (ctx.risk) meta.push(`CWE ${esc(ctx.risk.kb.cwe)} · CAPEC ${esc(ctx.risk.kb.capec)}`, `headline model ${esc(ctx.risk.model)}`, `aggregation ${esc(ctx.risk.aggregation)}`);
  const partial = a.partial
    ? `<p class="banner" role="note"><strong>Partial result.</strong> Some files or functions could not be analysed (see <a href="#warnings">warnings</a>): the findings are a lower bound.</p>`
    : '';
  return `<header class="page-head">
${back}<p class="kicker">MCP server risk report</p>
<h1 id="top">${esc(name)}</h1>
<p class="target">${esc(t.kind)} <code>${esc(t.input)}</code></p>
<p class="meta">${meta.join(' · ')}</p>
${partial}
</header>`;
}

function nav(ctx: Ctx): string {
  const a = ctx.a;
  const items: [string, string][] = [
    ['summary', 'Summary'],
    ['surface', 'Surface'],
    ['matrix', 'Risk matrix'],
    ['charts', 'Charts'],
    ['findings', `Findings (${a.findings.length})`],
  ];
  if (a.unmapped && a.unmapped.length) items.push(['unmapped', `Unmapped imports (${a.unmapped.length})`]);
  items.push(['warnings', `Warnings (${a.warnings.length})`], ['method', 'Method']);
  return `<nav class="toc" aria-label="Sections"><ul>${items.map(([id, label]) => `<li><a href="#${id}">${esc(label)}</a></li>`).join('')}</ul></nav>`;
}

function topRisks(ctx: Ctx): Finding[] {
  const score = (f: Finding): number => ctx.byId.get(f.id)?.contextual.score ?? -1;
  const R = (f: Finding): number => ctx.byId.get(f.id)?.mcpInSos.R ?? -1;
  return [...ctx.a.findings]
    .sort((x, y) => score(y) - score(x) || R(y) - R(x) || SEV_RANK[x.severity] - SEV_RANK[y.severity] || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .slice(0, 5);
}

function summary(ctx: Ctx): string {
  const a = ctx.a;
  const r = ctx.risk;
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of a.findings) counts[f.severity]++;
  const imported = a.findings.filter((f) => f.tool !== undefined).length;
  const cards: string[] = [];
  if (r) {
    const c = r.server.contextual;
    const m = r.server.mcpInSos;
    const head = (model: string): string => (r.model === model ? ' <span class="headline">headline</span>' : '');
    cards.push(`<section class="card grade-card" aria-labelledby="card-contextual">
<h3 id="card-contextual">Contextual model${head('contextual')}</h3>
<p class="grade grade-${esc(c.grade)}" data-grade="${esc(c.grade)}"><span class="visually-hidden">Grade </span>${esc(c.grade)}</p>
<p class="big"><span data-contextual-score="${esc(String(c.score))}">${esc(num(c.score, 1))}</span><span class="unit"> / 10</span></p>
<p class="bands">${BANDS.map((b) => `${bandBadge(b, `${c.bands[b]} ${b}`)}`).join(' ')}</p>
</section>`);
    cards.push(`<section class="card" aria-labelledby="card-sos">
<h3 id="card-sos">mcp-in-sos model${head('mcp-in-sos')}</h3>
<p class="big"><span data-r-overall="${esc(String(m.R_overall))}">${esc(num(m.R_overall))}</span></p>
<p class="small">R<sub>overall</sub> = R<sub>rms</sub> · log<sub>10</sub>(N + 1)</p>
<dl class="kv">
<dt>R<sub>exp</sub></dt><dd data-r-exp="${esc(String(m.R_exp))}">${esc(num(m.R_exp))}</dd>
<dt>R<sub>rms</sub></dt><dd data-r-rms="${esc(String(m.R_rms))}">${esc(num(m.R_rms))}</dd>
<dt>N</dt><dd>${m.N}</dd>
</dl>
</section>`);
  } else {
    cards.push(`<section class="card"><h3>Risk</h3><p>The risk stage was off for this scan: no scores.</p></section>`);
  }
  cards.push(`<section class="card" aria-labelledby="card-findings">
<h3 id="card-findings">Findings</h3>
<p class="big" data-findings="${a.findings.length}">${a.findings.length}</p>
<p>${SEVERITIES.map((s) => `${sevBadge(s)} ${counts[s]}`).join(' ')}</p>
${imported ? `<p class="small">${plural(imported, 'finding')} imported from other analyzers${a.unmapped?.length ? `; ${plural(a.unmapped.length, 'result')} without CWE (<a href="#unmapped">unmapped</a>)` : ''}</p>` : a.unmapped?.length ? `<p class="small"><a href="#unmapped">${plural(a.unmapped.length, 'imported result')} without CWE</a></p>` : ''}
</section>`);
  const s = a.surface;
  const ctxFlags: string[] = [];
  if (r) {
    if (r.context.networkExposedWithoutAuth) ctxFlags.push('<strong>network-exposed without authentication</strong>');
    const caps = (['shell', 'fs', 'network'] as const).filter((k) => r.context.capabilities[k]);
    if (caps.length) ctxFlags.push(`can use: ${caps.map((k) => (k === 'fs' ? 'file system' : k)).join(', ')}`);
  }
  cards.push(`<section class="card" aria-labelledby="card-surface">
<h3 id="card-surface">Surface</h3>
<p>${plural(s.tools.length, 'tool')}, ${plural(s.resources.length, 'resource')}, ${plural(s.prompts.length, 'prompt')}</p>
<p>${s.transports.length ? `transports: ${[...new Set(s.transports.map((t) => t.kind))].map(esc).join(', ')}` : 'no transport seen'}</p>
${ctxFlags.length ? `<p class="small">${ctxFlags.join('; ')}</p>` : ''}
<p class="small">${a.stats.files} files, ${a.stats.lines} lines${s.sdks.length ? ` · ${s.sdks.map(esc).join(', ')}` : ''}</p>
</section>`);
  const top = topRisks(ctx);
  const topList = top.length
    ? `<h3 id="top-risks">Top risks</h3><ol class="top">${top
        .map((f) => {
          const fr = ctx.byId.get(f.id);
          const risk = fr ? ` ${bandBadge(fr.contextual.band, `${num(fr.contextual.score, 1)} ${fr.contextual.cell}`)} <span class="small">R ${num(fr.mcpInSos.R)}</span>` : '';
          return `<li>${sevBadge(f.severity)}${risk} <a href="#${ctx.anchor.get(f.id)}">CWE-${f.cwe} ${esc(f.title)}</a> — ${esc(primLabel(f.primitive))} — ${where(f.location, ctx, false)}</li>`;
        })
        .join('\n')}</ol>`
    : '<p>No findings.</p>';
  return `<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
<div class="cards">${cards.join('\n')}</div>
${topList}
</section>`;
}

function paramsText(p: PrimitiveDef): string {
  if (!p.params.length) return '<span class="muted">none</span>';
  return p.params
    .map((x) => `<code>${esc(x.name)}</code>: ${esc(x.enum ? `enum(${x.enum.join(' | ')})` : x.type)}${x.required ? ' <abbr title="required">*</abbr>' : ''}`)
    .join(', ');
}

function primitiveTable(kind: 'tool' | 'resource' | 'prompt', list: readonly PrimitiveDef[], ctx: Ctx): string {
  const title = kind === 'tool' ? 'Tools' : kind === 'resource' ? 'Resources' : 'Prompts';
  if (!list.length) return `<h3>${title}</h3><p class="muted">None.</p>`;
  const countOf = (p: PrimitiveDef): number => ctx.a.findings.filter((f) => f.primitive.kind === kind && f.primitive.name === p.name).length;
  const rows = list
    .map((p) => {
      const n = countOf(p);
      const key = primKey({ kind, name: p.name });
      const findings = n ? `<a href="#findings" data-filter-primitive="${esc(key)}">${n}</a>` : '0';
      return `<tr><th scope="row"><code>${esc(p.name)}</code>${p.title ? `<br><span class="small">${esc(p.title)}</span>` : ''}</th>${kind === 'resource' ? `<td><code>${esc(p.uri ?? '')}</code></td>` : ''}<td>${p.description ? esc(cut(p.description, 300)) : '<span class="muted">—</span>'}</td><td>${paramsText(p)}</td><td>${where(p.handler ?? p.location, ctx, false)}</td><td class="num">${findings}</td></tr>`;
    })
    .join('\n');
  return `<h3>${title}</h3>
<div class="scroll"><table class="data surface-table"><thead><tr><th scope="col">Name</th>${kind === 'resource' ? '<th scope="col">URI</th>' : ''}<th scope="col">Description</th><th scope="col">Parameters</th><th scope="col">Handler</th><th scope="col">Findings</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function surfaceSection(ctx: Ctx): string {
  const s = ctx.a.surface;
  const transports = s.transports.length
    ? `<div class="scroll"><table class="data"><thead><tr><th scope="col">Kind</th><th scope="col">Host</th><th scope="col">Port</th><th scope="col">Authentication</th><th scope="col">Origin check</th><th scope="col">Where</th></tr></thead><tbody>${s.transports
        .map(
          (t) =>
            `<tr><td>${esc(t.kind)}</td><td>${esc(t.host ?? '—')}</td><td>${esc(t.port ?? '—')}</td><td class="auth-${esc(t.auth)}">${esc(t.auth)}</td><td>${esc(t.originCheck ?? '—')}</td><td>${where(t.location, ctx, false)}</td></tr>`,
        )
        .join('\n')}</tbody></table></div>`
    : '<p class="muted">No transport seen.</p>';
  return `<section id="surface" aria-labelledby="h-surface">
<h2 id="h-surface">Surface</h2>
<p>What the server exposes to an MCP client (or to a model steered by a prompt injection).${s.sdks.length ? ` SDKs: ${s.sdks.map((x) => `<code>${esc(x)}</code>`).join(', ')}.` : ''}</p>
${primitiveTable('tool', s.tools, ctx)}
${primitiveTable('resource', s.resources, ctx)}
${primitiveTable('prompt', s.prompts, ctx)}
<h3>Transports</h3>
${transports}
</section>`;
}

function matrixSection(ctx: Ctx): string {
  if (!ctx.risk) return `<section id="matrix" aria-labelledby="h-matrix"><h2 id="h-matrix">Risk matrix</h2><p>The risk stage was off: no matrix.</p></section>`;
  const cells = new Map<string, Finding[]>();
  for (const f of ctx.a.findings) {
    const r = ctx.byId.get(f.id);
    if (!r) continue;
    const k = `${r.contextual.likelihood}|${r.contextual.impact}`;
    const list = cells.get(k) ?? [];
    list.push(f);
    cells.set(k, list);
  }
  const L_NAMES = ['', 'rare', 'unlikely', 'possible', 'likely', 'almost certain'];
  const I_NAMES = ['', 'negligible', 'minor', 'moderate', 'major', 'severe'];
  const rows: string[] = [];
  let total = 0;
  for (let l = 5; l >= 1; l--) {
    const tds: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const list = cells.get(`${l}|${i}`) ?? [];
      total += list.length;
      const score = cellScore(l, i);
      const band = bandOf(score);
      const cell = `L${l}×I${i}`;
      const cwes = [...new Set(list.map((f) => f.cwe))].sort((x, y) => x - y);
      const label = `${cell}: score ${num(score, 1)} (${band}), ${plural(list.length, 'finding')}`;
      const content = list.length
        ? `<a class="cell-link" href="#findings" data-filter-cell="${esc(cell)}" aria-label="${esc(label)}">${list.length}</a><span class="cell-cwes">${cwes.slice(0, 4).map((c) => `CWE-${c}`).join(' ')}${cwes.length > 4 ? ' …' : ''}</span>`
        : `<span class="cell-zero" aria-label="${esc(label)}">0</span>`;
      tds.push(`<td class="mcell band-${band}${list.length ? ' has' : ''}" data-cell="${esc(cell)}" data-count="${list.length}" title="${esc(label)}">${content}<span class="cell-score">${num(score, 1)}</span></td>`);
    }
    rows.push(`<tr><th scope="row"><span class="axis-n">L${l}</span> <span class="axis-name">${L_NAMES[l]}</span></th>${tds.join('')}</tr>`);
  }
  const head = [1, 2, 3, 4, 5].map((i) => `<th scope="col"><span class="axis-n">I${i}</span> <span class="axis-name">${I_NAMES[i]}</span></th>`).join('');
  const legend = BANDS.slice()
    .reverse()
    .map((b) => `<li>${bandBadge(b)} ${b === 'low' ? '&lt; 2.5' : b === 'medium' ? '2.5 – 5' : b === 'high' ? '5 – 7.5' : '≥ 7.5'}</li>`)
    .join('');
  return `<section id="matrix" aria-labelledby="h-matrix">
<h2 id="h-matrix">Risk matrix</h2>
<p>Every finding sits in one cell: its contextual likelihood (rows, 1–5) × impact (columns, 1–5); the small number is the cell's score 10·(L·I − 1)/24. Select a count to list those findings.</p>
<div class="matrix-wrap">
<table class="matrix" data-total="${total}">
<caption>Likelihood × impact (contextual model): ${plural(total, 'finding')}</caption>
<thead><tr><td class="corner"><span class="visually-hidden">Likelihood \\ Impact</span></td>${head}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
<ul class="legend" aria-label="Bands">${legend}</ul>
</div>
</section>`;
}

interface BarRow {
  label: string;
  value: number;
  /** Filter this bar applies to the findings table (`cwe:78`, `primitive:tool:x`), if any. */
  filter?: string;
}

function barChart(id: string, title: string, desc: string, rows: readonly BarRow[]): string {
  if (!rows.length) return `<figure class="chart" id="chart-${id}" data-chart="${id}"><figcaption>${esc(title)}</figcaption><p class="muted">No data.</p></figure>`;
  const W = 640;
  const labelW = 270;
  const rowH = 26;
  const barMax = W - labelW - 56;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const H = rows.length * rowH + 8;
  const bars = rows
    .map((r, i) => {
      const y = 4 + i * rowH;
      const w = Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * barMax));
      const g = `<g class="bar-row" data-label="${esc(r.label)}" data-value="${r.value}"><text class="bar-label" x="${labelW - 8}" y="${y + 17}" text-anchor="end">${esc(cut(r.label, 34))}</text><rect class="bar" x="${labelW}" y="${y + 4}" width="${w}" height="18" rx="2"><title>${esc(r.label)}: ${r.value}</title></rect><text class="bar-value" x="${labelW + w + 6}" y="${y + 17}">${r.value}</text></g>`;
      // bars filter the findings with a pointer; keyboard and screen-reader users have the table's links
      return r.filter ? `<a class="bar-link" href="#findings" data-filter="${esc(r.filter)}" tabindex="-1">${g}</a>` : g;
    })
    .join('\n');
  const table = `<table class="data chart-data"><caption>${esc(title)}</caption><thead><tr><th scope="col">Category</th><th scope="col">Findings</th></tr></thead><tbody>${rows
    .map((r) => `<tr><th scope="row">${r.filter ? `<a href="#findings" data-filter="${esc(r.filter)}">${esc(r.label)}</a>` : esc(r.label)}</th><td class="num">${r.value}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<figure class="chart" id="chart-${id}" data-chart="${id}">
<figcaption>${esc(title)} <span class="small">${esc(desc)}</span></figcaption>
<svg class="chart-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-hidden="true" focusable="false">${bars}</svg>
${table}
</figure>`;
}

function byCount<T>(m: Map<string, { n: number; v: T }>): { key: string; n: number; v: T }[] {
  return [...m.entries()].map(([key, x]) => ({ key, ...x })).sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function chartsSection(ctx: Ctx): string {
  const fs = ctx.a.findings;
  // CWE
  const cwe = new Map<string, { n: number; v: number }>();
  for (const f of fs) {
    const k = String(f.cwe).padStart(6, '0');
    cwe.set(k, { n: (cwe.get(k)?.n ?? 0) + 1, v: f.cwe });
  }
  const cweRows = byCount(cwe);
  const cweBars: BarRow[] = cweRows.slice(0, 12).map((x) => ({ label: `CWE-${x.v} ${cweName(x.v) ?? ctx.risk?.findings.find((r) => r.cwe === x.v)?.mcpInSos.name ?? ''}`.trim(), value: x.n, filter: `cwe:${x.v}` }));
  if (cweRows.length > 12) cweBars.push({ label: `${cweRows.length - 12} other CWEs`, value: cweRows.slice(12).reduce((s, x) => s + x.n, 0) });
  // CAPEC (the one that sets the score)
  let capecChart: string;
  let ciaChart: string;
  if (ctx.risk) {
    const capec = new Map<string, { n: number; v: string }>();
    for (const f of fs) {
      const r = ctx.byId.get(f.id);
      if (!r) continue;
      const id = r.mcpInSos.chosenCapec ?? r.threats.capec[0]?.id;
      const name = id !== undefined ? r.mcpInSos.pairs.find((p) => p.capec === id)?.name ?? r.threats.capec.find((c) => c.id === id)?.name ?? '' : '';
      const k = id !== undefined ? String(id).padStart(6, '0') : 'zzzzzz';
      capec.set(k, { n: (capec.get(k)?.n ?? 0) + 1, v: id !== undefined ? `CAPEC-${id} ${name}`.trim() : 'no CAPEC' });
    }
    const capecRows = byCount(capec);
    const capecBars: BarRow[] = capecRows.slice(0, 12).map((x) => ({ label: x.v, value: x.n }));
    if (capecRows.length > 12) capecBars.push({ label: `${capecRows.length - 12} other CAPECs`, value: capecRows.slice(12).reduce((s, x) => s + x.n, 0) });
    capecChart = barChart('capec', 'By CAPEC attack pattern', '(the pattern that sets each finding’s mcp-in-sos score)', capecBars);
    const cia = { C: 0, I: 0, A: 0, none: 0 };
    for (const f of fs) {
      const r = ctx.byId.get(f.id);
      if (!r) continue;
      if (r.threats.cia.C) cia.C++;
      if (r.threats.cia.I) cia.I++;
      if (r.threats.cia.A) cia.A++;
      if (!r.threats.cia.C && !r.threats.cia.I && !r.threats.cia.A) cia.none++;
    }
    const ciaBars: BarRow[] = [
      { label: 'Confidentiality', value: cia.C, filter: 'cia:C' },
      { label: 'Integrity', value: cia.I, filter: 'cia:I' },
      { label: 'Availability', value: cia.A, filter: 'cia:A' },
    ];
    if (cia.none) ciaBars.push({ label: 'none', value: cia.none });
    ciaChart = barChart('cia', 'By C/I/A impact', '(a finding counts once for each it affects)', ciaBars);
  } else {
    capecChart = '<figure class="chart" data-chart="capec"><figcaption>By CAPEC attack pattern</figcaption><p class="muted">Risk stage off.</p></figure>';
    ciaChart = '<figure class="chart" data-chart="cia"><figcaption>By C/I/A impact</figcaption><p class="muted">Risk stage off.</p></figure>';
  }
  // primitive
  const prim = new Map<string, { n: number; v: PrimitiveRef }>();
  for (const f of fs) {
    const k = `${f.primitive.kind === 'protocol' ? 'z' : f.primitive.kind}|${f.primitive.name ?? ''}`;
    prim.set(k, { n: (prim.get(k)?.n ?? 0) + 1, v: f.primitive });
  }
  const primRows = byCount(prim);
  const primBars: BarRow[] = primRows.slice(0, 12).map((x) => ({ label: primLabel(x.v), value: x.n, filter: `primitive:${primKey(x.v)}` }));
  if (primRows.length > 12) primBars.push({ label: `${primRows.length - 12} other primitives`, value: primRows.slice(12).reduce((s, x) => s + x.n, 0) });
  return `<section id="charts" aria-labelledby="h-charts">
<h2 id="h-charts">Charts</h2>
<div class="charts">
${barChart('cwe', 'By CWE weakness', '', cweBars)}
${capecChart}
${barChart('primitive', 'By MCP primitive', '(the tool, resource or prompt whose handler holds the finding)', primBars)}
${ciaChart}
</div>
</section>`;
}

function traceList(trace: readonly TraceStep[], ctx: Ctx): string {
  return `<ol class="trace">${trace
    .map(
      (s) =>
        `<li class="step step-${esc(s.kind)}"><span class="step-kind">${esc(s.kind)}</span> <span class="step-label">${rich(s.label)}</span> <span class="step-loc">${where(s.location, ctx)}</span>${s.snippet ? codeBlock(s.snippet, s.location.line) : ''}</li>`,
    )
    .join('\n')}</ol>`;
}

function riskDetails(f: Finding, r: FindingRisk): string {
  const w = r.mcpInSos;
  const c = r.contextual;
  const t = r.threats;
  const link = w.capecLink;
  const linkText =
    link.kind === 'direct'
      ? 'direct (CWE Related_Attack_Patterns ∪ CAPEC Related_Weaknesses)'
      : link.kind === 'inherited'
        ? `inherited from CWE-${link.from} (walk ${(link.path ?? []).map((x) => `CWE-${x}`).join(' → ')})`
        : link.kind === 'overlay'
          ? 'hand-kept overlay (MITRE gives none)'
          : 'none — LA and TS take the default Medium (3)';
  const capecRows = t.capec
    .map((p) => {
      const lv = (x: { value: number; label?: string; from: string; source: string }): string =>
        `${esc(x.label ?? String(x.value))} (${x.value})${x.from === 'self' ? '' : x.from === 'inherited' ? ` <span class="small">inherited from ${esc(x.source)}</span>` : ' <span class="small">default</span>'}`;
      return `<tr><th scope="row"><a href="${capecUrl(p.id)}" rel="noopener noreferrer">CAPEC-${p.id}</a></th><td>${esc(p.name)}</td><td>${lv(p.likelihood)}</td><td>${lv(p.severity)}</td></tr>`;
    })
    .join('');
  const capecTable = t.capec.length
    ? `<div class="scroll"><table class="data small-table"><caption>CAPEC attack patterns of CWE-${w.cwe} (highest likelihood × severity first)</caption><thead><tr><th scope="col">CAPEC</th><th scope="col">Name</th><th scope="col">Likelihood of attack</th><th scope="col">Typical severity</th></tr></thead><tbody>${capecRows}</tbody></table></div>${t.capecTotal > t.capec.length ? `<p class="small">… and ${t.capecTotal - t.capec.length} more CAPEC(s).</p>` : ''}`
    : '<p class="small">No CAPEC attack pattern is linked to this CWE.</p>';
  const pairs = w.pairs
    .map(
      (p) =>
        `<tr${w.chosenCapec === p.capec ? ' class="chosen"' : ''}><th scope="row">${p.capec ? `CAPEC-${p.capec}` : '—'}</th><td>${p.LA.value}</td><td>${p.TS.value}</td><td>${num(p.likelihood)}</td><td>${num(p.impact)}</td><td>${num(p.R)}${w.chosenCapec === p.capec ? ' <span class="small">← chosen</span>' : ''}</td></tr>`,
    )
    .join('');
  const factors = [w.LE, w.MI, w.CC].map((x) => `<li><strong>${x.name}</strong> = ${esc(x.text)}</li>`).join('');
  const ctxRows = (list: typeof c.likelihoodFactors, impact: boolean): string =>
    list
      .map((x) => {
        const v = x.floor !== undefined ? (x.floor > 0 ? `≥ ${x.floor}` : 'n/a') : x.name === 'base' || impact ? num(x.delta ?? 0) : `${(x.delta ?? 0) >= 0 ? '+' : '−'}${num(Math.abs(x.delta ?? 0))}`;
        return `<tr><th scope="row">${esc(x.name)}</th><td class="num">${esc(v)}</td><td>${esc(x.reason)}</td></tr>`;
      })
      .join('');
  const cia = (['C', 'I', 'A'] as const).map((k) => `<span class="cia ${t.cia[k] ? 'on' : 'off'}" title="${k === 'C' ? 'Confidentiality' : k === 'I' ? 'Integrity' : 'Availability'}: ${t.cia[k] ? 'affected' : 'not affected'}">${k}${t.cia[k] ? '' : '<span class="visually-hidden"> not affected</span>'}</span>`).join('');
  return `<div class="detail-block">
<h4>Weakness</h4>
<p><a href="${cweUrl(f.cwe)}" rel="noopener noreferrer">CWE-${f.cwe}</a> ${esc(w.name)} · impact ${cia} <span class="small">(from the CWE's consequence scopes: ${esc(t.cia.scopes.join(', ') || 'none')})</span></p>
<p>OWASP MCP Top 10: ${t.owasp.map((o) => `<span class="owasp">${esc(o.id)} ${esc(o.name)}${o.fit === 'closest' ? ' (closest fit)' : ''}</span> <span class="small">${esc(o.why)}</span>`).join('; ') || 'none'}</p>
${capecTable}
</div>
<div class="detail-block arithmetic">
<h4>mcp-in-sos: R = ${num(w.R)} <span class="small">(aggregation over CAPECs: ${esc(w.aggregation)})</span></h4>
<ul class="factors">${factors}<li><strong>CAPEC link</strong>: ${esc(linkText)}</li></ul>
${w.pairs.length ? `<div class="scroll"><table class="data small-table"><caption>Likelihood = LA·LE·MI, Impact = TS·CC, R = Likelihood·Impact</caption><thead><tr><th scope="col">CAPEC</th><th scope="col">LA</th><th scope="col">TS</th><th scope="col">Likelihood</th><th scope="col">Impact</th><th scope="col">R</th></tr></thead><tbody>${pairs}</tbody></table></div>` : ''}
<ol class="arith">${w.arithmetic.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ol>
<h4>contextual: ${esc(c.cell)}, score ${num(c.score, 1)} ${bandBadge(c.band)}</h4>
<div class="scroll"><table class="data small-table"><caption>Likelihood</caption><thead><tr><th scope="col">Factor</th><th scope="col">Value</th><th scope="col">Why</th></tr></thead><tbody>${ctxRows(c.likelihoodFactors, false)}</tbody></table></div>
<div class="scroll"><table class="data small-table"><caption>Impact</caption><thead><tr><th scope="col">Factor</th><th scope="col">Value</th><th scope="col">Why</th></tr></thead><tbody>${ctxRows(c.impactFactors, true)}</tbody></table></div>
<ol class="arith">${c.arithmetic.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ol>
</div>`;
}

function findingGroup(f: Finding, index: number, ctx: Ctx): string {
  const r = ctx.byId.get(f.id);
  const anchor = ctx.anchor.get(f.id)!;
  const score = r ? r.contextual.score : -1;
  const R = r ? r.mcpInSos.R : -1;
  const band = r ? r.contextual.band : '';
  const cell = r ? r.contextual.cell : '';
  const cia = r ? (['C', 'I', 'A'] as const).filter((k) => r.threats.cia[k]).join('') : '';
  const attrs = [
    `id="${anchor}"`,
    `class="finding"`,
    `data-id="${esc(f.id)}"`,
    `data-order="${index}"`,
    `data-severity="${f.severity}"`,
    `data-sev-rank="${SEV_RANK[f.severity]}"`,
    `data-score="${score}"`,
    `data-r="${R}"`,
    `data-band="${band}"`,
    `data-cell="${esc(cell)}"`,
    `data-cwe="${f.cwe}"`,
    `data-cia="${cia}"`,
    `data-primitive="${esc(primKey(f.primitive))}"`,
    `data-origin="${esc(origin(f))}"`,
    `data-title="${esc(f.title.toLowerCase())}"`,
    `data-loc="${esc(`${f.location.file}\t${String(f.location.line).padStart(8, '0')}`)}"`,
  ].join(' ');
  const riskCell = r ? `${bandBadge(r.contextual.band, num(r.contextual.score, 1))} <span class="small">${esc(r.contextual.cell)}</span>` : '<span class="muted">—</span>';
  const tags = f.tags.length ? `<p class="tags">${f.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join(' ')}</p>` : '';
  const source = f.source ? `<p><strong>Source</strong>: ${esc(f.source.kind)}${f.source.name ? ` <code>${esc(f.source.name)}</code>` : ''} at ${where(f.source.location, ctx)}</p>` : '';
  const notes = f.notes?.length ? `<ul class="notes">${f.notes.map((n) => `<li>${rich(n)}</li>`).join('')}</ul>` : '';
  const trace = f.trace?.length ? `<h4>Trace <span class="small">(${plural(f.trace.length, 'step')}, source → sink)</span></h4>${traceList(f.trace, ctx)}` : '';
  const summaryText = `Details: code${f.trace?.length ? ', trace' : ''}, CWE/CAPEC${r ? ', arithmetic' : ''}`;
  return `<tbody ${attrs}>
<tr class="row">
<td data-label="Severity">${sevBadge(f.severity)}</td>
<td data-label="Contextual" class="num">${riskCell}</td>
<td data-label="R (mcp-in-sos)" class="num">${r ? num(r.mcpInSos.R) : '—'}</td>
<td data-label="CWE"><a href="${cweUrl(f.cwe)}" rel="noopener noreferrer">CWE-${f.cwe}</a></td>
<td data-label="Finding"><strong class="ftitle">${esc(f.title)}</strong><br><span class="msg">${rich(cut(f.message, 220))}</span></td>
<td data-label="Primitive">${esc(primLabel(f.primitive))}</td>
<td data-label="Location">${where(f.location, ctx)}</td>
<td data-label="Origin">${esc(origin(f))}</td>
</tr>
<tr class="detail-row"><td colspan="8">
<details class="finding-details">
<summary>${esc(summaryText)}</summary>
<div class="detail">
<div class="detail-block">
<p>${rich(f.message)}</p>
${source}
${tags}
${notes}
<p><strong>Fix</strong>: ${rich(f.fix)}</p>
<p class="small">Finding <code>${esc(f.id)}</code> · rule <code>${esc(f.ruleId)}</code> · confidence ${esc(f.confidence)}${f.tool ? ` · imported from ${esc(f.tool)}` : ''}</p>
<h4>Code <span class="small">${where(f.location, ctx)}</span></h4>
${f.snippet ? codeBlock(f.snippet, f.location.line) : '<p class="muted">No snippet.</p>'}
${trace}
</div>
${r ? riskDetails(f, r) : ''}
</div>
</details>
</td></tr>
</tbody>`;
}

function options(values: readonly [string, string][]): string {
  return values.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('');
}

function findingsSection(ctx: Ctx): string {
  const fs = ctx.a.findings;
  if (!fs.length) return `<section id="findings" aria-labelledby="h-findings"><h2 id="h-findings">Findings</h2><p>No findings.</p></section>`;
  const cwes = [...new Set(fs.map((f) => f.cwe))].sort((a, b) => a - b);
  const prims = [...new Map(fs.map((f) => [primKey(f.primitive), f.primitive])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const origins = [...new Set(fs.map(origin))].sort();
  const sevs = SEVERITIES.filter((s) => fs.some((f) => f.severity === s));
  const filters = `<form class="filters js-only" id="filters" role="search" aria-label="Filter findings">
<label>Search <input type="search" id="f-search" placeholder="text, file, id…" autocomplete="off"></label>
<label>Severity <select id="f-severity"><option value="">all</option>${options(sevs.map((s) => [s, s]))}</select></label>
<label>Band <select id="f-band"><option value="">all</option>${options(BANDS.map((b) => [b, b]))}</select></label>
<label>CWE <select id="f-cwe"><option value="">all</option>${options(cwes.map((c) => [String(c), `CWE-${c}`]))}</select></label>
<label>Primitive <select id="f-primitive"><option value="">all</option>${options(prims.map(([k, p]) => [k, primLabel(p)]))}</select></label>
<label>Origin <select id="f-origin"><option value="">all</option>${options(origins.map((o) => [o, o]))}</select></label>
<input type="hidden" id="f-cell" value=""><input type="hidden" id="f-cia" value="">
<span class="chips" id="f-chips"></span>
<button type="reset" id="f-reset">Reset</button>
<button type="button" id="f-expand">Expand all</button>
<button type="button" id="f-collapse">Collapse all</button>
</form>
<p class="js-only status" id="f-status" role="status" aria-live="polite"></p>`;
  const th = (key: string, label: string, type: 'num' | 'text'): string => `<th scope="col" aria-sort="none"><button type="button" class="sort" data-sort="${key}" data-type="${type}">${label}</button></th>`;
  return `<section id="findings" aria-labelledby="h-findings">
<h2 id="h-findings">Findings</h2>
<p>Sorted by severity, then place. Each finding opens to its code, its data-flow trace, its CWE and CAPEC entries and the arithmetic of both risk models.</p>
${filters}
<div class="scroll-x">
<table class="findings" id="findings-table">
<caption class="visually-hidden">Findings</caption>
<thead><tr>${th('sevRank', 'Severity', 'num')}${th('score', 'Contextual', 'num')}${th('r', 'R', 'num')}${th('cwe', 'CWE', 'num')}${th('title', 'Finding', 'text')}${th('primitive', 'Primitive', 'text')}${th('loc', 'Location', 'text')}${th('origin', 'Origin', 'text')}</tr></thead>
${fs.map((f, i) => findingGroup(f, i, ctx)).join('\n')}
</table>
</div>
</section>`;
}

function unmappedSection(list: readonly UnmappedFinding[], ctx: Ctx): string {
  if (!list.length) return '';
  const rows = list
    .map(
      (u) =>
        `<tr data-id="${esc(u.id)}"><td>${esc(u.tool)}</td><td><code>${esc(u.ruleId)}</code></td><td><strong>${esc(u.title)}</strong><br><span class="msg">${esc(cut(u.message, 300))}</span></td><td>${sevBadge(u.severity)}</td><td>${u.location ? where(u.location, ctx) : '<span class="muted">none</span>'}</td><td>${esc(primLabel(u.primitive))}</td><td>${u.reason === 'no-cwe' ? 'no CWE' : 'no location'}</td></tr>`,
    )
    .join('\n');
  return `<section id="unmapped" aria-labelledby="h-unmapped">
<h2 id="h-unmapped">Imported results without CWE</h2>
<p>These results of other analyzers name no CWE (nor does mcp-risk's table of well-known rule ids) or no location, so no risk model can score them. They are listed so that nothing is dropped silently.</p>
<div class="scroll"><table class="data" id="unmapped-table"><thead><tr><th scope="col">Analyzer</th><th scope="col">Rule</th><th scope="col">Result</th><th scope="col">Severity</th><th scope="col">Location</th><th scope="col">Primitive</th><th scope="col">Why</th></tr></thead>
<tbody>${rows}</tbody></table></div>
</section>`;
}

function warningsSection(ctx: Ctx): string {
  const ws = ctx.a.warnings;
  const body = ws.length
    ? `<ul class="warnings">${ws.map((w) => `<li><code>${esc(w.code)}</code>${w.file ? ` <code>${esc(w.file)}</code>` : ''} — ${esc(w.message)}</li>`).join('\n')}</ul>`
    : '<p>None.</p>';
  return `<section id="warnings" aria-labelledby="h-warnings"><h2 id="h-warnings">Warnings</h2>${body}</section>`;
}

function methodSection(ctx: Ctx): string {
  const r = ctx.risk;
  if (!r) return `<section id="method" aria-labelledby="h-method"><h2 id="h-method">Method</h2><p>The risk stage was off for this scan.</p></section>`;
  const m = r.server.mcpInSos;
  const c = r.server.contextual;
  const weak = m.weaknesses
    .map((w) => `<tr><th scope="row"><a href="${cweUrl(w.cwe)}" rel="noopener noreferrer">CWE-${w.cwe}</a></th><td class="num">${w.f}</td><td class="num">${num(w.R)}</td></tr>`)
    .join('');
  return `<section id="method" aria-labelledby="h-method">
<h2 id="h-method">Method</h2>
<p>Scores come from MITRE's data: CWE ${esc(r.kb.cwe)} and CAPEC ${esc(r.kb.capec)} (knowledge base <code>${esc(r.kb.contentHash.slice(0, 12))}</code>). <strong>mcp-in-sos</strong> multiplies MITRE's own factors (LA, LE, MI for likelihood; TS, CC for impact) per CWE and CAPEC and combines the weaknesses with equations 9–11. <strong>contextual</strong> starts from the same factors and adjusts them by what the analysis knows: whether an MCP client (or a prompt-injected model) controls the data, network exposure without authentication, confidence, and impact floors for code execution and gateway weaknesses.</p>
<h3>mcp-in-sos, server</h3>
${weak ? `<div class="scroll"><table class="data small-table"><thead><tr><th scope="col">CWE</th><th scope="col">f (findings)</th><th scope="col">R</th></tr></thead><tbody>${weak}</tbody></table></div>` : ''}
<ol class="arith">${m.arithmetic.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ol>
<h3>contextual, server</h3>
<ol class="arith">${c.arithmetic.map((x) => `<li><code>${esc(x)}</code></li>`).join('')}</ol>
<h3>Context</h3>
<p>Network-exposed without authentication: ${r.context.networkExposedWithoutAuth ? 'yes' : 'no'} · shell: ${r.context.capabilities.shell ? 'yes' : 'no'} · file system: ${r.context.capabilities.fs ? 'yes' : 'no'} · network: ${r.context.capabilities.network ? 'yes' : 'no'}</p>
<h3>Fill rule for missing MITRE values</h3>
<ul class="small">${r.fillRules.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Style and script

const CSS = `
:root{--fg:#111827;--muted:#4b5563;--line:#d1d5db;--bg:#ffffff;--soft:#f3f4f6;--link:#1d4ed8;--accent:#1e3a8a;
--crit-bg:#fecaca;--crit-fg:#7f1d1d;--high-bg:#fed7aa;--high-fg:#7c2d12;--med-bg:#fef08a;--med-fg:#713f12;--low-bg:#bbf7d0;--low-fg:#14532d}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
.target,.meta,ul.warnings li,ul.notes li,.detail p,ol.trace li,.banner{overflow-wrap:anywhere}
main,header.page-head,nav.toc,footer{max-width:1280px;margin:0 auto;padding:0 20px}
a{color:var(--link)}
a:focus-visible,button:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
h1{font-size:1.9rem;margin:.1em 0;word-break:break-word}
h2{font-size:1.4rem;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:1.2em 0 .4em}
h4{font-size:1rem;margin:1em 0 .3em}
.kicker{margin:1.2em 0 0;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-size:.8rem}
.meta,.target{margin:.2em 0;color:var(--muted)}
.back{margin:.8em 0 0}
.banner{background:#fff7ed;border:1px solid #9a3412;color:#7c2d12;padding:.6em .8em;border-radius:6px}
.small{font-size:.85em;color:var(--muted)}
.muted{color:var(--muted)}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
nav.toc ul{list-style:none;padding:0;margin:1em auto;display:flex;flex-wrap:wrap;gap:.4em 1.2em}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:14px}
.card{border:1px solid var(--line);border-radius:10px;padding:12px 16px;background:var(--bg)}
.card h3{margin:0 0 .4em;font-size:1rem}
.big{font-size:1.8rem;font-weight:700;margin:.1em 0}
.unit{font-size:1rem;font-weight:400;color:var(--muted)}
.headline{font-size:.7rem;font-weight:600;text-transform:uppercase;background:var(--accent);color:#fff;border-radius:4px;padding:1px 5px;vertical-align:middle}
.grade{float:right;font-size:2.6rem;font-weight:800;line-height:1;margin:0 0 0 10px;width:1.6em;height:1.6em;display:flex;align-items:center;justify-content:center;border-radius:10px;color:#fff}
.grade-A{background:#166534}.grade-B{background:#3f6212}.grade-C{background:#854d0e}.grade-D{background:#9a3412}.grade-F{background:#7f1d1d}
.kv{display:grid;grid-template-columns:auto 1fr;gap:0 10px;margin:.3em 0}
.kv dt{color:var(--muted)}.kv dd{margin:0}
.sev{display:inline-block;min-width:4.6em;text-align:center;border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:700;color:#fff;text-transform:uppercase;letter-spacing:.02em}
.sev-critical{background:#7f1d1d}.sev-high{background:#9a3412}.sev-medium{background:#854d0e}.sev-low{background:#1e40af}.sev-info{background:#374151}
.band{display:inline-block;border-radius:4px;padding:0 6px;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.band-critical{background:var(--crit-bg);color:var(--crit-fg)}.band-high{background:var(--high-bg);color:var(--high-fg)}
.band-medium{background:var(--med-bg);color:var(--med-fg)}.band-low{background:var(--low-bg);color:var(--low-fg)}
ol.top li{margin:.25em 0}
table.data{border-collapse:collapse;width:100%;margin:.4em 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
table.data thead th{background:var(--soft);font-weight:600;white-space:nowrap}
table.data caption{text-align:left;font-weight:600;padding:4px 0}
.small-table{font-size:.9em}
.num{text-align:right;white-space:nowrap}
.scroll,.scroll-x{overflow-x:auto}
.auth-absent{color:#7f1d1d;font-weight:700}
.matrix-wrap{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
table.matrix{border-collapse:separate;border-spacing:3px;table-layout:fixed}
table.matrix caption{text-align:left;font-weight:600;padding-bottom:4px}
table.matrix th{font-weight:600;font-size:.8rem;color:var(--muted);padding:2px 4px}
table.matrix thead th{text-align:center;width:96px}
table.matrix tbody th{text-align:right;white-space:nowrap}
.axis-n{color:var(--fg);font-weight:700}
td.mcell{position:relative;width:96px;height:72px;border-radius:6px;text-align:center;vertical-align:middle;border:1px solid transparent}
td.mcell.has{border-color:currentColor}
td.mcell.band-critical{background:var(--crit-bg);color:var(--crit-fg)}td.mcell.band-high{background:var(--high-bg);color:var(--high-fg)}
td.mcell.band-medium{background:var(--med-bg);color:var(--med-fg)}td.mcell.band-low{background:var(--low-bg);color:var(--low-fg)}
.cell-link{font-size:1.5rem;font-weight:800;color:inherit;display:block}
.cell-zero{font-size:1.1rem;opacity:.75}
.cell-cwes{display:block;font-size:.7rem}
.cell-score{position:absolute;right:4px;bottom:2px;font-size:.65rem}
td.mcell.active{outline:3px solid var(--fg)}
ul.legend{list-style:none;padding:0;margin:0}
ul.legend li{margin:.3em 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px}
figure.chart{margin:0;border:1px solid var(--line);border-radius:10px;padding:10px 12px}
figure.chart figcaption{font-weight:600;margin-bottom:6px}
.chart-svg{width:100%;height:auto;display:block}
.chart-svg .bar{fill:#1d4ed8}
.chart-svg .bar-link:hover .bar{fill:#1e3a8a}
.chart-svg .bar-label{font-size:13px;fill:#111827}
.chart-svg .bar-value{font-size:13px;fill:#111827;font-weight:700}
figure.chart table.chart-data{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:flex-end;background:var(--soft);padding:10px 12px;border-radius:8px;margin:.6em 0}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
.filters input,.filters select,.filters button{font:inherit;font-size:.9rem;padding:4px 6px;border:1px solid #6b7280;border-radius:5px;background:#fff;color:var(--fg)}
.filters button{cursor:pointer}
.chip{display:inline-flex;align-items:center;gap:4px;background:#dbeafe;color:#1e3a8a;border-radius:12px;padding:2px 8px;font-size:.85rem}
.chip button{border:0;background:transparent;font-weight:700;cursor:pointer;padding:0 2px}
.status{margin:.2em 0;color:var(--muted)}
table.findings{border-collapse:collapse;width:100%}
table.findings thead th{background:var(--soft);text-align:left;font-size:.85rem;padding:0;border-bottom:2px solid var(--line)}
table.findings th button.sort{all:unset;display:block;padding:6px 8px;cursor:pointer;font-weight:600}
table.findings th[aria-sort=ascending] button.sort::after{content:" ▲"}
table.findings th[aria-sort=descending] button.sort::after{content:" ▼"}
html.no-js table.findings th button.sort{cursor:default}
tbody.finding>tr.row>td{padding:7px 8px;border-top:1px solid var(--line);vertical-align:top}
tbody.finding>tr.detail-row>td{padding:0 8px 8px}
tbody.finding:target tr.row{background:#fef3c7}
.ftitle{font-weight:600}
.msg{color:var(--muted);font-size:.9em}
details.finding-details>summary{cursor:pointer;color:var(--link);font-size:.9rem;padding:2px 0}
.detail{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;background:#fafafa;border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin-top:4px}
.detail-block{min-width:0}
pre.code{background:#111827;color:#f9fafb;padding:8px 10px;border-radius:6px;overflow-x:auto;margin:.3em 0;line-height:1.45}
pre.code .ln{display:inline-block;min-width:3.2em;padding-right:.8em;color:#9ca3af;text-align:right;user-select:none}
ol.trace{padding-left:1.4em;margin:.3em 0}
ol.trace li{margin:.4em 0}
.step-kind{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;border-radius:4px;padding:0 5px;background:#e5e7eb;color:#111827}
.step-source .step-kind{background:#1e40af;color:#fff}.step-sink .step-kind{background:#7f1d1d;color:#fff}.step-guard .step-kind{background:#854d0e;color:#fff}
.tag{display:inline-block;background:#e0e7ff;color:#312e81;border-radius:10px;padding:0 8px;font-size:.8rem}
.cia{display:inline-block;width:1.6em;text-align:center;border-radius:4px;margin-right:2px;font-weight:700;font-size:.85rem;border:1px solid #374151}
.cia.on{background:#111827;color:#fff}.cia.off{background:#fff;color:#6b7280;text-decoration:line-through}
.owasp{font-weight:600}
ol.arith{padding-left:1.4em;margin:.3em 0}ol.arith code{white-space:pre-wrap;word-break:break-word}
tr.chosen{background:#ecfdf5}
ul.notes{margin:.3em 0;padding-left:1.2em}
ul.warnings li{margin:.3em 0}
footer{margin:3em auto 2em;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:.8em}
html.no-js .js-only{display:none}
[hidden]{display:none!important}
@media (max-width:760px){
body{font-size:14px}
main,header.page-head,nav.toc,footer{padding:0 12px}
.detail{grid-template-columns:1fr}
.charts{grid-template-columns:1fr}
table.findings thead{display:none}
table.findings,table.findings>tbody.finding,tbody.finding>tr,tbody.finding>tr>td{display:block;width:100%}
tbody.finding{border:1px solid var(--line);border-radius:8px;margin:10px 0;padding:4px 0}
tbody.finding>tr.row>td{border:0;padding:2px 10px;text-align:left}
tbody.finding>tr.row>td::before{content:attr(data-label);display:block;font-size:.75rem;color:var(--muted);text-transform:uppercase}
td.mcell{width:auto;height:58px}
.cell-cwes{display:none}
table.matrix{width:100%}
table.matrix thead th{width:auto}
.axis-name{display:none}
.grade{font-size:2rem}
}
@media (max-width:480px){
figure.chart .chart-svg{display:none}
figure.chart table.chart-data{position:static!important;width:100%;height:auto;clip:auto;white-space:normal}
}
@media print{
@page{margin:14mm}
body{font-size:10.5pt}
table.findings thead{display:none}
table.findings,table.findings>tbody.finding,tbody.finding>tr,tbody.finding>tr>td{display:block;width:100%}
tbody.finding{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px 0}
tbody.finding>tr.row>td{border:0;padding:1px 10px;text-align:left}
tbody.finding>tr.row>td::before{content:attr(data-label) ": ";font-size:.75rem;color:var(--muted);text-transform:uppercase}
.scroll,.scroll-x{overflow:visible}
pre.code{word-break:break-all}
.charts{grid-template-columns:1fr 1fr}
nav.toc,.filters,.status,.back,details.finding-details>summary{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
tbody.finding{break-inside:avoid-page}
.detail{grid-template-columns:1fr;background:#fff}
pre.code{background:#f3f4f6;color:#111827;white-space:pre-wrap}
pre.code .ln{color:#4b5563}
h2{break-after:avoid}
figure.chart,table.matrix{break-inside:avoid}
}
`;

const SCRIPT = `(function(){
"use strict";
var d=document,root=d.documentElement;root.classList.remove("no-js");root.classList.add("js");
var table=d.getElementById("findings-table");
function all(sel,el){return Array.prototype.slice.call((el||d).querySelectorAll(sel));}
function openAll(v){all("details.finding-details").forEach(function(x){x.open=v;});}
window.addEventListener("beforeprint",function(){openAll(true);});
function openHash(){var id;try{id=decodeURIComponent(location.hash.slice(1));}catch(e){return;}if(!id)return;var el=d.getElementById(id);if(el&&el.classList.contains("finding")){el.hidden=false;var det=el.querySelector("details");if(det)det.open=true;}}
window.addEventListener("hashchange",openHash);
if(!table){openHash();return;}
var groups=all("tbody.finding",table);
var f={q:d.getElementById("f-search"),severity:d.getElementById("f-severity"),band:d.getElementById("f-band"),cwe:d.getElementById("f-cwe"),primitive:d.getElementById("f-primitive"),origin:d.getElementById("f-origin"),cell:d.getElementById("f-cell"),cia:d.getElementById("f-cia")};
var status=d.getElementById("f-status"),chips=d.getElementById("f-chips"),form=d.getElementById("filters");
function chip(label,key){var s=d.createElement("span");s.className="chip";s.appendChild(d.createTextNode(label));var b=d.createElement("button");b.type="button";b.setAttribute("aria-label","Remove filter "+label);b.textContent="×";b.addEventListener("click",function(){f[key].value="";apply();});s.appendChild(b);return s;}
function apply(){
var q=f.q.value.trim().toLowerCase(),n=0;
groups.forEach(function(g){
var ds=g.dataset,ok=true;
if(f.severity.value&&ds.severity!==f.severity.value)ok=false;
if(ok&&f.band.value&&ds.band!==f.band.value)ok=false;
if(ok&&f.cwe.value&&ds.cwe!==f.cwe.value)ok=false;
if(ok&&f.primitive.value&&ds.primitive!==f.primitive.value)ok=false;
if(ok&&f.origin.value&&ds.origin!==f.origin.value)ok=false;
if(ok&&f.cell.value&&ds.cell!==f.cell.value)ok=false;
if(ok&&f.cia.value&&(ds.cia||"").indexOf(f.cia.value)<0)ok=false;
if(ok&&q&&g.textContent.toLowerCase().indexOf(q)<0&&(ds.id||"").indexOf(q)<0)ok=false;
g.hidden=!ok;if(ok)n++;});
all("td.mcell").forEach(function(c){c.classList.toggle("active",!!f.cell.value&&c.dataset.cell===f.cell.value);});
chips.textContent="";
if(f.cell.value)chips.appendChild(chip("cell "+f.cell.value,"cell"));
if(f.cia.value)chips.appendChild(chip("impact "+f.cia.value,"cia"));
status.textContent="Showing "+n+" of "+groups.length+" findings";
}
["q","severity","band","cwe","primitive","origin"].forEach(function(k){f[k].addEventListener(k==="q"?"input":"change",apply);});
form.addEventListener("submit",function(e){e.preventDefault();});
form.addEventListener("reset",function(){setTimeout(function(){f.cell.value="";f.cia.value="";apply();},0);});
d.getElementById("f-expand").addEventListener("click",function(){openAll(true);});
d.getElementById("f-collapse").addEventListener("click",function(){openAll(false);});
function go(){var t=d.getElementById("findings");if(t&&t.scrollIntoView)t.scrollIntoView();}
all("[data-filter-cell]").forEach(function(a){a.addEventListener("click",function(e){e.preventDefault();f.cell.value=a.getAttribute("data-filter-cell");apply();go();});});
all("[data-filter-primitive]").forEach(function(a){a.addEventListener("click",function(e){e.preventDefault();f.primitive.value=a.getAttribute("data-filter-primitive");apply();go();});});
all("[data-filter]").forEach(function(a){a.addEventListener("click",function(e){var v=a.getAttribute("data-filter"),i=v.indexOf(":"),k=v.slice(0,i),x=v.slice(i+1);if(!f[k])return;e.preventDefault();f[k].value=x;apply();go();});});
all("button.sort",table).forEach(function(b){b.addEventListener("click",function(){
var th=b.parentNode,key=b.getAttribute("data-sort"),num=b.getAttribute("data-type")==="num";
var dir=th.getAttribute("aria-sort")==="ascending"?"descending":"ascending";
if(th.getAttribute("aria-sort")==="none"&&num&&key!=="sevRank"&&key!=="cwe")dir="descending";
all("th[aria-sort]",table).forEach(function(x){x.setAttribute("aria-sort","none");});th.setAttribute("aria-sort",dir);
var sign=dir==="ascending"?1:-1;
groups.sort(function(x,y){var a=x.dataset[key]||"",c=y.dataset[key]||"",r;
if(num){r=Number(a)-Number(c);}else{r=a<c?-1:a>c?1:0;}
return r*sign||Number(x.dataset.order)-Number(y.dataset.order);});
groups.forEach(function(g){table.appendChild(g);});});});
apply();openHash();
})();`;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** The HTML report of one assessment: a whole, self-contained document. */
export function toHtml(a: Assessment, opts: HtmlOptions = {}): string {
  const risk = a.risk;
  const byId = new Map<string, FindingRisk>((risk?.findings ?? []).map((r) => [r.findingId, r]));
  const anchor = new Map<string, string>();
  const used = new Set<string>();
  for (const f of a.findings) {
    let id = `finding-${token(f.id)}`;
    for (let i = 2; used.has(id); i++) id = `finding-${token(f.id)}-${i}`;
    used.add(id);
    anchor.set(f.id, id);
  }
  const linkBase = opts.linkBase && /^https?:\/\/[^\s]+$/i.test(opts.linkBase) ? opts.linkBase : undefined;
  const ctx: Ctx = { a, risk, byId, anchor, linkBase };
  const name = `${a.target.name}${a.target.version ? `@${a.target.version}` : ''}`;
  const title = opts.title ?? `mcp-risk: ${name}`;
  const csp = `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const footer = `<footer><p>Generated by mcp-risk ${esc(a.tool.version)}${opts.generatedAt ? ` on ${esc(opts.generatedAt)}` : ''}. Static analysis: the server was never run. Findings are weaknesses in the code as read; the scores rank them with MITRE CWE/CAPEC data.</p></footer>`;
  return `<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="mcp-risk ${esc(a.tool.version)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${header(ctx, opts)}
${nav(ctx)}
<main>
${summary(ctx)}
${surfaceSection(ctx)}
${matrixSection(ctx)}
${chartsSection(ctx)}
${findingsSection(ctx)}
${unmappedSection(a.unmapped ?? [], ctx)}
${warningsSection(ctx)}
${methodSection(ctx)}
</main>
${footer}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
