/**
 * Landscape outputs in the output folder:
 *   summary.json            run, statistics (deterministic), performance (varies)
 *   tables/<name>.csv|json  every table: servers, findings, cwe, capec, owasp, primitives, cia, severity,
 *                           histograms, grades, ranking, languages, ecosystems, failures, partial, cwe-by-primitive
 *   servers/<id>-<slug>.html|json  each server's own report: HTML (report/html.ts, linked from the dashboard)
 *                           and the JSON report
 *   index.html              the dashboard (dashboard.ts)
 * Files are written to a temporary name and renamed, so an interrupted export never leaves half a file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Assessment } from '../model.js';
import { toHtml } from '../report/html.js';
import { VERSION } from '../version.js';
import { renderDashboard } from './dashboard.js';
import type { LandscapeStats, PerformanceStats } from './stats.js';
import { PRIMITIVES } from './stats.js';
import type { LandscapeData, ServerRow } from './types.js';

type Cell = string | number | boolean | null | undefined;

export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula (starting with = + - @ tab CR) is
 * prefixed with `'` — except npm scoped names (`@scope/name`), which are common and never formulas.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^@[a-z0-9~-][a-z0-9._~-]*\/[a-z0-9~-][a-z0-9._~-]*(?:@[\w.+-]*)?$/i.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: Table): string {
  return [t.columns.map(csvCell).join(','), ...t.rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function toJsonRows(t: Table): Record<string, Cell>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? null])));
}

/** Every table of a run. `reports` maps a server id to its report file (relative to the output folder). */
export function buildTables(data: LandscapeData, stats: LandscapeStats, reports: ReadonlyMap<number, string> = new Map()): Table[] {
  const rankOf = new Map(stats.ranking.map((r) => [r.id, r.rank]));
  const label = new Map(data.servers.map((s) => [s.id, s.label]));
  const t = (name: string, columns: string[], rows: Cell[][]): Table => ({ name, columns, rows });
  return [
    t(
      'servers',
      ['id', 'label', 'target', 'ecosystem', 'status', 'name', 'version', 'language', 'partial', 'no_source', 'files', 'lines', 'tools', 'resources', 'prompts', 'transports', 'findings', 'r_overall', 'r_exp', 'r_rms', 'contextual', 'grade', 'rank', 'error_code', 'error_message', 'warnings', 'attempts', 'ms', 'cache', 'report'],
      data.servers.map((s: ServerRow) => [
        s.id, s.label, s.target, s.ecosystem, s.status, s.name, s.version, s.language, s.partial, s.noSource, s.files, s.lines, s.tools,
        s.resources, s.prompts, s.transports.join(' '), s.findings, s.rOverall, s.rExp, s.rRms, s.contextual, s.grade, rankOf.get(s.id),
        s.errorCode, s.errorMessage, s.warningCount, s.attempts, s.ms, s.cache, reports.get(s.id),
      ]),
    ),
    t(
      'findings',
      ['server_id', 'server', 'finding_id', 'rule_id', 'cwe', 'severity', 'confidence', 'primitive', 'primitive_name', 'file', 'line', 'source', 'tags', 'r_cwe', 'contextual', 'band', 'C', 'I', 'A', 'owasp', 'title'],
      data.findings.map((f) => [
        f.serverId, label.get(f.serverId), f.findingId, f.ruleId, f.cwe, f.severity, f.confidence, f.primitive, f.primitiveName, f.file, f.line,
        f.sourceKind, f.tags.join(' '), f.rCwe, f.contextual, f.band, f.c, f.i, f.a, f.owasp.join(' '), f.title,
      ]),
    ),
    t('cwe', ['cwe', 'name', 'servers', 'share', 'findings', 'R', 'capec_link'], stats.cwe.map((c) => [c.cwe, c.name, c.servers, c.share, c.findings, c.R, c.capecLink])),
    t(
      'capec',
      ['capec', 'name', 'servers', 'findings', 'likelihood', 'likelihood_label', 'severity', 'severity_label', 'cwes'],
      stats.capec.map((c) => [c.capec, c.name, c.servers, c.findings, c.likelihood, c.likelihoodLabel, c.severity, c.severityLabel, c.cwes.join(' ')]),
    ),
    t('owasp', ['id', 'name', 'servers', 'findings'], stats.owasp.map((o) => [o.id, o.name, o.servers, o.findings])),
    t('primitives', ['primitive', 'servers', 'findings'], stats.primitives.map((p) => [p.primitive, p.servers, p.findings])),
    t('cia', ['impact', 'label', 'servers', 'findings'], stats.cia.map((c) => [c.impact, c.label, c.servers, c.findings])),
    t('severity', ['severity', 'servers', 'findings'], stats.severity.map((s) => [s.severity, s.servers, s.findings])),
    t('histogram-mcp-in-sos', ['bin', 'from', 'to', 'servers'], stats.scores.mcpInSos.histogram.map((b) => [b.label, b.from, b.to, b.servers])),
    t('histogram-contextual', ['bin', 'from', 'to', 'servers'], stats.scores.contextual.histogram.map((b) => [b.label, b.from, b.to, b.servers])),
    t('grades', ['grade', 'servers'], stats.scores.grades.map((g) => [g.grade, g.servers])),
    t(
      'ranking',
      ['rank', 'id', 'label', 'name', 'version', 'ecosystem', 'language', 'findings', 'r_overall', 'r_exp', 'r_rms', 'contextual', 'grade', 'cwes', 'report'],
      stats.ranking.map((r) => [r.rank, r.id, r.label, r.name, r.version, r.ecosystem, r.language, r.findings, r.rOverall, r.rExp, r.rRms, r.contextual, r.grade, r.cwes.join(' '), reports.get(r.id)]),
    ),
    t(
      'languages',
      ['language', 'servers', 'with_findings', 'findings', 'findings_per_server', 'mean_contextual', 'median_r_overall', ...stats.cwe.slice(0, 5).map((c) => `share_cwe_${c.cwe}`)],
      stats.languages.map((l) => [l.language, l.servers, l.withFindings, l.findings, l.findingsPerServer, l.meanContextual, l.medianROverall, ...l.topCwes.map((c) => c.share)]),
    ),
    t(
      'ecosystems',
      ['ecosystem', 'planned', 'ok', 'failed', 'skipped', 'pending', 'no_source', 'scored', 'with_findings'],
      stats.ecosystems.map((e) => [e.ecosystem, e.planned, e.ok, e.failed, e.skipped, e.pending, e.noSource, e.scored, e.withFindings]),
    ),
    t('failures', ['id', 'label', 'status', 'code', 'message'], stats.failedServers.map((f) => [f.id, f.label, f.status, f.code, f.message])),
    t('partial', ['code', 'servers', 'examples'], stats.partialCodes.map((p) => [p.code, p.servers, p.examples.join(' | ')])),
    t(
      'cwe-by-primitive',
      ['cwe', 'name', ...PRIMITIVES.flatMap((p) => [`${p.toLowerCase()}_servers`, `${p.toLowerCase()}_findings`])],
      stats.cweByPrimitive.map((c) => [c.cwe, c.name, ...PRIMITIVES.flatMap((p) => [c.byPrimitive[p]?.servers ?? 0, c.byPrimitive[p]?.findings ?? 0])]),
    ),
  ];
}

async function writeAtomic(file: string, content: string | Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, content);
  await fs.rename(tmp, file);
}

/** File-name-safe, readable slug of a label. */
export function slug(label: string): string {
  const s = label
    .toLowerCase()
    .replace(/^[a-z]+:/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return s || 'server';
}

/** Renders one server's own HTML report from its (JSON round-tripped) assessment. */
export type ServerReportRenderer = (a: Assessment) => string;

/** Default: the project's HTML report, with a link back to the dashboard. */
export const htmlServerReport: ServerReportRenderer = (a) => toHtml(a, { backLink: { href: '../index.html', label: 'landscape dashboard' } });

export interface WriteOutputsOptions {
  /** Reads the gzipped JSON report of a server from the store. */
  report: (serverId: number) => Buffer | undefined;
  /** HTML renderer of a server's report (default `htmlServerReport`); `null`: JSON reports only, linked. */
  renderer?: ServerReportRenderer | null;
}

/** Write every output of a run into `outDir`; returns the paths written (relative). */
export async function writeOutputs(
  outDir: string,
  data: LandscapeData,
  stats: LandscapeStats,
  performance: PerformanceStats,
  opts: WriteOutputsOptions,
): Promise<string[]> {
  const written: string[] = [];
  const put = async (rel: string, content: string | Buffer): Promise<void> => {
    await writeAtomic(path.join(outDir, rel), content);
    written.push(rel);
  };
  const renderer = opts.renderer === undefined ? htmlServerReport : opts.renderer;
  const reports = new Map<number, string>();
  for (const s of data.servers) {
    if (s.status !== 'ok') continue;
    const gz = opts.report(s.id);
    if (!gz) continue;
    const json = gunzipSync(gz).toString('utf8');
    const base = `servers/${s.id}-${slug(s.label)}`;
    await put(`${base}.json`, json);
    if (renderer) {
      await put(`${base}.html`, renderer(JSON.parse(json) as Assessment));
      reports.set(s.id, `${base}.html`);
    } else reports.set(s.id, `${base}.json`);
  }
  const tables = buildTables(data, stats, reports);
  for (const t of tables) {
    await put(`tables/${t.name}.csv`, toCsv(t));
    await put(`tables/${t.name}.json`, `${JSON.stringify(toJsonRows(t), null, 2)}\n`);
  }
  const summary = {
    tool: { name: 'mcp-risk', version: VERSION },
    run: data.run,
    stats,
    performance,
  };
  await put('summary.json', `${JSON.stringify(summary, (_k, v: unknown) => (v === Infinity ? null : v), 2)}\n`);
  await put('index.html', renderDashboard(data, stats, performance, reports));
  return written;
}
