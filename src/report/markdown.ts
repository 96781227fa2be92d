/**
 * Markdown report for pull-request comments and tickets (GitHub-flavoured Markdown): a summary with
 * both risk models and the grade, the top risks, a table of findings with links to the lines, the
 * imported results without CWE, and the warnings (folded).
 *
 * Text from the scanned code or from imported reports is escaped so that it cannot add links, images,
 * HTML, mentions or table cells; code spans are fenced with more backticks than they contain.
 * Deterministic: same Assessment, same text.
 */
import type { Assessment, Finding, Location, PrimitiveRef, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import type { FindingRisk } from '../risk/types.js';
import { cut, cweUrl, num, plural } from './common.js';
import { pathToUri } from './sarif.js';
import { clean } from './terminal.js';

export interface MarkdownOptions {
  /** Source links: `<linkBase><file>#L<line>` (http(s) URLs only); without it, locations are plain code. */
  linkBase?: string;
  /** Most rows in the findings table (default 100; a PR comment holds at most 65,536 characters). */
  maxFindings?: number;
  /** Heading level of the title (default 2). */
  headingLevel?: number;
}

/** Inline text: one line, Markdown and HTML special characters neutralised, mentions broken. */
export function mdText(s: string): string {
  return escInline(clean(s).replace(/\s+/g, ' ').trim());
}

function escInline(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~^$])/g, '\\$1')
    .replace(/@(?=\w)/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//');
}

/** A code span holding `s` (one line); `|` escaped for tables. */
export function mdCode(s: string): string {
  const text = clean(s).replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Text whose `…` parts are code spans (mcp-risk's messages quote names that way). */
export function mdRich(s: string): string {
  const parts = clean(s).replace(/\s+/g, ' ').trim().split('`');
  if (parts.length % 2 === 0) return mdText(s); // unpaired backtick: plain text
  return parts.map((p, i) => (i % 2 === 0 ? escInline(p) : mdCode(p))).join('');
}

/** A fenced code block holding `s` (several lines). */
function mdBlock(s: string, lang = ''): string {
  const text = clean(s).replace(/\s+$/, '');
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}|~{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

function primitive(p: PrimitiveRef): string {
  return p.kind === 'protocol' ? 'server-wide' : `${p.kind} ${mdCode(p.name ?? '(unnamed)')}`;
}

function link(l: Location, base: string | undefined): string {
  const text = mdCode(`${l.file}:${l.line}`);
  if (!base) return text;
  const url = `${base}${pathToUri(l.file)}#L${l.line}${l.endLine && l.endLine > l.line ? `-L${l.endLine}` : ''}`.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\s/g, '%20');
  return `[${text}](${url})`;
}

const SEV_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

function contextual(r: FindingRisk | undefined): string {
  return r ? `${num(r.contextual.score, 1)} (${r.contextual.cell}, ${r.contextual.band})` : '—';
}

/** The Markdown report of one assessment. */
export function toMarkdown(a: Assessment, opts: MarkdownOptions = {}): string {
  const base = opts.linkBase && /^https?:\/\/[^\s]+$/i.test(opts.linkBase) ? opts.linkBase : undefined;
  const max = Math.max(1, opts.maxFindings ?? 100);
  const h = '#'.repeat(Math.min(5, Math.max(1, opts.headingLevel ?? 2)));
  const byId = new Map<string, FindingRisk>((a.risk?.findings ?? []).map((r) => [r.findingId, r]));
  const L: string[] = [];
  const name = `${a.target.name}${a.target.version ? `@${a.target.version}` : ''}`;
  L.push(`${h} mcp-risk: ${mdCode(name)}`, '');

  const r = a.risk;
  if (r) {
    const c = r.server.contextual;
    const m = r.server.mcpInSos;
    L.push(
      `**Grade ${c.grade}** · contextual **${num(c.score, 1)} / 10** · mcp-in-sos R<sub>overall</sub> **${num(m.R_overall)}** (R<sub>exp</sub> ${num(m.R_exp)}, R<sub>rms</sub> ${num(m.R_rms)}, N = ${m.N}) · headline model ${r.model} · CWE ${mdText(r.kb.cwe)}, CAPEC ${mdText(r.kb.capec)}`,
      '',
    );
  } else {
    L.push('_Risk stage off: no scores._', '');
  }
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of a.findings) counts[f.severity]++;
  const s = a.surface;
  const transports = [...new Set(s.transports.map((t) => t.kind))];
  const imported = a.findings.filter((f) => f.tool !== undefined).length;
  L.push(
    `**${plural(a.findings.length, 'finding')}**: ${SEVERITIES.map((x) => `${counts[x]} ${x}`).join(', ')}` +
      `${imported ? ` (${imported} imported from other analyzers)` : ''}` +
      ` · surface: ${plural(s.tools.length, 'tool')}, ${plural(s.resources.length, 'resource')}, ${plural(s.prompts.length, 'prompt')}` +
      ` · transports: ${transports.length ? transports.map(mdText).join(', ') : 'none seen'}`,
    '',
  );
  if (r?.context.networkExposedWithoutAuth) L.push('> [!WARNING]', '> The server listens on the network without authentication.', '');
  if (a.partial) L.push('> [!NOTE]', '> Partial result: some files or functions could not be analysed (see the warnings); the findings are a lower bound.', '');

  // top risks
  if (a.findings.length) {
    const score = (f: Finding): number => byId.get(f.id)?.contextual.score ?? -1;
    const R = (f: Finding): number => byId.get(f.id)?.mcpInSos.R ?? -1;
    const top = [...a.findings]
      .sort((x, y) => score(y) - score(x) || R(y) - R(x) || SEV_RANK[x.severity] - SEV_RANK[y.severity] || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, 5);
    L.push(`${h}# Top risks`, '');
    top.forEach((f, i) => {
      const fr = byId.get(f.id);
      const risk = fr ? ` — contextual ${contextual(fr)}, R ${num(fr.mcpInSos.R)}` : '';
      L.push(`${i + 1}. **${f.severity}** — **[CWE-${f.cwe}](${cweUrl(f.cwe)}) ${mdText(f.title)}** in ${primitive(f.primitive)} — ${link(f.location, base)}${risk}`);
      L.push(`   ${mdRich(cut(f.message, 300))}`);
      if (f.trace && f.trace.length > 1) L.push(`   Trace: ${f.trace.map((t) => mdRich(cut(t.label, 60))).join(' → ')}`);
      L.push(`   Fix: ${mdRich(cut(f.fix, 300))}`);
    });
    L.push('');

    // findings table
    L.push(`${h}# Findings`, '');
    L.push('| Severity | Contextual | R | CWE | Finding | Primitive | Location | Origin | Id |');
    L.push('| --- | ---: | ---: | --- | --- | --- | --- | --- | --- |');
    for (const f of a.findings.slice(0, max)) {
      const fr = byId.get(f.id);
      L.push(
        `| ${f.severity} | ${contextual(fr)} | ${fr ? num(fr.mcpInSos.R) : '—'} | [CWE-${f.cwe}](${cweUrl(f.cwe)}) | ${mdText(cut(f.title, 80))} | ${primitive(f.primitive)} | ${link(f.location, base)} | ${mdText(f.tool ?? 'mcp-risk')} | ${mdCode(f.id)} |`,
      );
    }
    if (a.findings.length > max) L.push('', `… and ${a.findings.length - max} more findings: see the JSON or HTML report.`);
    L.push('');
  } else {
    L.push('No findings.', '');
  }

  const un = a.unmapped ?? [];
  if (un.length) {
    L.push(`${h}# Imported results without CWE (not scored)`, '');
    L.push('| Analyzer | Rule | Result | Severity | Location | Why |');
    L.push('| --- | --- | --- | --- | --- | --- |');
    for (const u of un.slice(0, max)) {
      L.push(`| ${mdText(u.tool)} | ${mdCode(u.ruleId)} | ${mdText(cut(`${u.title}: ${u.message}`, 160))} | ${u.severity} | ${u.location ? link(u.location, base) : '—'} | ${u.reason === 'no-cwe' ? 'no CWE' : 'no location'} |`);
    }
    if (un.length > max) L.push('', `… and ${un.length - max} more.`);
    L.push('');
  }

  if (a.findings.length && r) {
    const top = [...a.findings].sort((x, y) => (byId.get(y.id)?.contextual.score ?? -1) - (byId.get(x.id)?.contextual.score ?? -1) || (x.id < y.id ? -1 : 1))[0]!;
    if (top.snippet) {
      L.push('<details><summary>Code of the top risk</summary>', '', `${link(top.location, base)}`, '', mdBlock(top.snippet), '', '</details>', '');
    }
  }

  if (a.warnings.length) {
    L.push(`<details><summary>Warnings (${a.warnings.length})</summary>`, '');
    for (const w of a.warnings.slice(0, 50)) L.push(`- ${mdCode(w.code)}${w.file ? ` ${mdCode(w.file)}` : ''} — ${mdText(cut(w.message, 300))}`);
    if (a.warnings.length > 50) L.push(`- … and ${a.warnings.length - 50} more`);
    L.push('', '</details>', '');
  }
  L.push(`<sub>mcp-risk ${mdText(a.tool.version)} · static analysis, the server was not run${r ? ` · aggregation ${r.aggregation}` : ''}</sub>`);
  return `${L.join('\n')}\n`;
}
