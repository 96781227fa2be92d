/**
 * Human-readable reports for a terminal: `toTerminal` (the scan report, grouped
 * server → primitive → finding) and `toSurfaceText` (the `mcp-risk surface` listing).
 *
 * Colours are plain ANSI SGR codes, written only when asked for. Every piece of text that
 * comes from the analysed code (names, snippets, messages, descriptions) is passed through
 * `clean`, so a hostile server cannot smuggle terminal escape sequences or bidirectional
 * overrides into the report.
 */
import type {
  Assessment,
  Finding,
  Location,
  ParamInfo,
  PrimitiveDef,
  PrimitiveKind,
  Severity,
  TraceStep,
  TransportDef,
} from '../model.js';
import { SEVERITIES } from '../model.js';
import { atLeast } from './common.js';
import type { FindingRisk } from '../risk/types.js';
import { explainFinding, explainServer } from '../risk/explain.js';

export interface TerminalOptions {
  /** Write ANSI colour codes. */
  color: boolean;
  /** Hide findings less severe than this (they are still counted in the summary). */
  minSeverity?: Severity;
  /** Also show rule/finding ids, sources, trace snippets and every warning. */
  verbose?: boolean;
  /** Show every risk factor, where it came from and the arithmetic. */
  explain?: boolean;
}

export interface SurfaceTextOptions {
  color?: boolean;
  /** Longest description shown, characters (default 72). */
  width?: number;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

type Style = 'bold' | 'dim' | 'underline' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'badgeCritical';

const SGR: Readonly<Record<Style, string>> = {
  bold: '1',
  dim: '2',
  underline: '4',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  gray: '90',
  badgeCritical: '1;97;41',
};

type Painter = (style: Style | Style[], text: string) => string;

function painter(color: boolean): Painter {
  if (!color) return (_style, text) => text;
  return (style, text) => {
    if (text === '') return text;
    const codes = (Array.isArray(style) ? style : [style]).map((s) => SGR[s]).join(';');
    return `\u001b[${codes}m${text}\u001b[0m`;
  };
}

/**
 * Makes untrusted text safe to print: C0/C1 control characters (except tab and newline), DEL and
 * bidirectional-control characters are shown as `\xHH` / `<U+HHHH>` instead of being interpreted.
 */
export function clean(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** `clean` on one line: whitespace runs (newlines included) become one space. */
function oneLine(text: string): string {
  return clean(text).replace(/\s+/g, ' ').trim();
}

/** One line, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const s = oneLine(text);
  if (s.length <= max) return s;
  return s.slice(0, Math.max(0, max - 1)).trimEnd() + '…';
}

function pos(l: Location, withColumn = true): string {
  return withColumn ? `${oneLine(l.file)}:${l.line}:${l.column}` : `${oneLine(l.file)}:${l.line}`;
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** Width prose (messages, notes, fixes) is wrapped to, indentation included. */
const WRAP_WIDTH = 100;

/**
 * `text` on one or more lines of at most WRAP_WIDTH characters (words longer than a line are
 * kept whole), the first line starting with `pad` + `label`, the others aligned under it.
 * `labelWidth` is the visible width of `label` (which may hold colour codes).
 */
function wrap(pad: string, label: string, labelWidth: number, text: string): string[] {
  const avail = Math.max(40, WRAP_WIDTH - pad.length - labelWidth);
  const lines: string[] = [];
  let cur = '';
  for (const word of oneLine(text).split(' ')) {
    if (cur !== '' && cur.length + 1 + word.length > avail) {
      lines.push(cur);
      cur = word;
    } else {
      cur = cur === '' ? word : `${cur} ${word}`;
    }
  }
  if (cur !== '' || lines.length === 0) lines.push(cur);
  return lines.map((l, i) => (i === 0 ? pad + label + l : pad + ' '.repeat(labelWidth) + l));
}

const SEVERITY_STYLE: Readonly<Record<Severity, Style[]>> = {
  critical: ['badgeCritical'],
  high: ['bold', 'red'],
  medium: ['bold', 'yellow'],
  low: ['bold', 'blue'],
  info: ['gray'],
};

const COUNT_STYLE: Readonly<Record<Severity, Style[]>> = { ...SEVERITY_STYLE, critical: ['bold', 'red'] };

function badge(p: Painter, s: Severity): string {
  return p(SEVERITY_STYLE[s], s.toUpperCase().padEnd(8));
}

function targetLine(a: Assessment): string {
  const t = a.target;
  const label = `${oneLine(t.name)}${t.version ? ` ${oneLine(t.version)}` : ''}`;
  const input = oneLine(t.input);
  return input && input !== t.name ? `${label} (${t.kind}: ${input})` : `${label} (${t.kind})`;
}

function transportText(p: Painter, t: TransportDef): string {
  const parts: string[] = [t.kind];
  if (t.kind !== 'stdio') {
    if (t.host !== undefined || t.port !== undefined) {
      const host = t.host !== undefined ? oneLine(t.host) : '?';
      const hostText = t.port !== undefined ? `${host}:${oneLine(String(t.port))}` : host;
      parts.push(host === '0.0.0.0' || host === '::' ? p('yellow', hostText) : hostText);
    }
    const authStyle: Style = t.auth === 'absent' ? 'red' : t.auth === 'present' ? 'green' : 'gray';
    parts.push(`auth ${p(authStyle, t.auth)}`);
    if (t.originCheck !== undefined) {
      const oStyle: Style = t.originCheck === 'absent' ? 'red' : t.originCheck === 'present' ? 'green' : 'gray';
      parts.push(`origin check ${p(oStyle, t.originCheck)}`);
    }
  }
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Scan report

const GROUPS: readonly { kind: PrimitiveKind; title: string }[] = [
  { kind: 'tool', title: 'Tools' },
  { kind: 'resource', title: 'Resources' },
  { kind: 'prompt', title: 'Prompts' },
  { kind: 'protocol', title: 'Protocol (server-wide)' },
];

const STEP_WIDTH = Math.max(...(['source', 'step', 'call', 'return', 'guard', 'sink'] as const).map((k) => k.length));

function snippetBlock(p: Painter, f: Finding, pad: string): string[] {
  if (f.snippet.trim() === '') return [];
  const lines = clean(f.snippet).replace(/\n+$/, '').split('\n');
  const last = f.location.line + lines.length - 1;
  const w = String(last).length;
  return lines.map((l, i) => `${pad}${p('gray', `${String(f.location.line + i).padStart(w)} │`)} ${l}`);
}

function traceBlock(p: Painter, trace: TraceStep[], pad: string, verbose: boolean): string[] {
  const out: string[] = [`${pad}${p('bold', 'Trace:')}`];
  const w = String(trace.length).length;
  const posWidth = Math.max(...trace.map((s) => pos(s.location, false).length));
  trace.forEach((s, i) => {
    const kind = s.kind === 'source' || s.kind === 'sink' ? p(['bold', 'magenta'], s.kind.padEnd(STEP_WIDTH)) : s.kind.padEnd(STEP_WIDTH);
    const where = p('cyan', pos(s.location, false).padEnd(posWidth));
    out.push(`${pad}  ${String(i + 1).padStart(w)}. ${kind}  ${where}  ${oneLine(s.label)}`);
    if (verbose && s.snippet !== undefined && s.snippet.trim() !== '') {
      out.push(`${pad}  ${' '.repeat(w + 2 + STEP_WIDTH + 2)}${p('gray', truncate(s.snippet, 100))}`);
    }
  });
  return out;
}

/** One line of risk for a finding: contextual cell and score, mcp-in-sos R, the top CAPEC and OWASP category. */
function riskLine(p: Painter, r: FindingRisk): string {
  const c = r.contextual;
  const top = r.threats.capec[0];
  const parts = [
    `risk ${c.cell} = ${c.score.toFixed(1)}/10 (${c.band})`,
    `R(CWE-${r.cwe}) = ${r.mcpInSos.R}`,
    ...(top ? [`CAPEC-${top.id} ${oneLine(top.name)}`] : []),
    ...r.threats.owasp.slice(0, 1).map((o) => `${o.id} ${oneLine(o.name)}`),
    `${r.threats.primitive} · ${(['C', 'I', 'A'] as const).filter((k) => r.threats.cia[k]).join('/') || '—'}`,
  ];
  return p('gray', parts.join(' · '));
}

function findingBlock(p: Painter, f: Finding, pad: string, verbose: boolean, risk?: FindingRisk, explain?: string): string[] {
  const out: string[] = [];
  const tags = f.tags.length > 0 ? '  ' + f.tags.map((t) => p('magenta', `[${oneLine(t)}]`)).join(' ') : '';
  out.push(`${pad}${badge(p, f.severity)} ${p('bold', `CWE-${f.cwe}`)}  ${p('bold', oneLine(f.title))}${tags}`);
  const sub = pad + '  ';
  out.push(`${sub}${p('cyan', pos(f.location))}  ${p('gray', `confidence ${f.confidence}`)}`);
  if (verbose) {
    const extra = [`rule ${oneLine(f.ruleId)}`, `id ${oneLine(f.id)}`];
    if (f.source) {
      extra.push(`source ${f.source.kind}${f.source.name !== undefined ? ` \`${oneLine(f.source.name)}\`` : ''} at ${pos(f.source.location)}`);
    }
    if (f.tool !== undefined) extra.push(`imported from ${oneLine(f.tool)}`);
    out.push(`${sub}${p('gray', extra.join(' · '))}`);
  }
  out.push(...wrap(sub, '', 0, f.message));
  if (risk) out.push(`${sub}${riskLine(p, risk)}`);
  out.push(...snippetBlock(p, f, sub + '  '));
  if (f.trace && f.trace.length > 0) out.push(...traceBlock(p, f.trace, sub, verbose));
  for (const n of f.notes ?? []) out.push(...wrap(sub, p('yellow', 'Note:') + ' ', 'Note: '.length, n));
  if (f.fix.trim() !== '') out.push(...wrap(sub, p('green', 'Fix:') + ' ', 'Fix: '.length, f.fix));
  if (explain) for (const l of explain.split('\n')) out.push(`${sub}${p('gray', l)}`);
  return out;
}

/**
 * Splits a group's findings by primitive name, in order of first appearance (the caller sorts
 * findings most severe first, so the most exposed primitive comes first); unnamed ones last.
 */
function byName(findings: Finding[]): [string | undefined, Finding[]][] {
  const groups = new Map<string | undefined, Finding[]>();
  for (const f of findings) {
    const k = f.primitive.name;
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const named = [...groups.entries()].filter(([k]) => k !== undefined);
  const unnamed = groups.get(undefined);
  return unnamed ? [...named, [undefined, unnamed]] : named;
}

function surfaceSummary(p: Painter, a: Assessment, verbose: boolean): string[] {
  const s = a.surface;
  const names = (defs: PrimitiveDef[]): string => (defs.length === 0 ? p('gray', 'none') : defs.map((d) => oneLine(d.name)).join(', '));
  const out: string[] = [p('bold', 'Surface')];
  const row = (label: string, value: string): string => `  ${label.padEnd(14)} ${value}`;
  if (s.sdks.length > 0) out.push(row('SDKs', s.sdks.map(oneLine).join(', ')));
  out.push(row(`Tools (${s.tools.length})`, names(s.tools)));
  out.push(row(`Resources (${s.resources.length})`, names(s.resources)));
  out.push(row(`Prompts (${s.prompts.length})`, names(s.prompts)));
  if (s.transports.length === 0) out.push(row('Transports', p('gray', 'none seen')));
  else {
    s.transports.forEach((t, i) => {
      const where = verbose ? `  ${p('gray', pos(t.location, false))}` : '';
      out.push(row(i === 0 ? 'Transports' : '', transportText(p, t) + where));
    });
  }
  const st = a.stats;
  const langs = Object.keys(st.languages)
    .sort()
    .map((k) => `${oneLine(k)} ${num(st.languages[k] as number)}`)
    .join(', ');
  out.push(
    row(
      'Analysed',
      `${plural(st.files, 'file')}, ${plural(st.lines, 'line')}, ${plural(st.functions, 'function')}${langs ? ` (${langs})` : ''}`,
    ),
  );
  return out;
}

function countsText(p: Painter, findings: Finding[]): string {
  const counts = new Map<Severity, number>(SEVERITIES.map((s) => [s, 0]));
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return SEVERITIES.map((s) => {
    const n = counts.get(s) ?? 0;
    const text = `${n} ${s}`;
    return n > 0 ? p(COUNT_STYLE[s], text) : text;
  }).join(', ');
}

/** The scan report for a terminal. Ends with a newline. */
export function toTerminal(a: Assessment, opts: TerminalOptions): string {
  const p = painter(opts.color);
  const verbose = opts.verbose ?? false;
  const out: string[] = [];

  out.push(`${p('bold', 'mcp-risk')} ${oneLine(a.tool.version)} — ${p('bold', targetLine(a))}`);
  out.push('');
  out.push(...surfaceSummary(p, a, verbose));
  out.push('');

  const riskById = new Map((a.risk?.findings ?? []).map((r) => [r.findingId, r]));
  const riskOf = (f: Finding) => riskById.get(f.id);
  const explainOf = (f: Finding) => {
    const r = riskById.get(f.id);
    return opts.explain && r ? explainFinding(f, r, a.risk) : undefined;
  };
  if (a.risk) {
    const m = a.risk.server.mcpInSos;
    const c = a.risk.server.contextual;
    out.push(p('bold', 'Risk'));
    out.push(`  contextual     ${p('bold', `${c.score.toFixed(1)}/10`)}  grade ${p('bold', c.grade)}  (${Object.entries(c.bands).filter(([, n]) => n).map(([b, n]) => `${n} ${b}`).join(', ') || 'no findings'})`);
    out.push(`  mcp-in-sos     R_overall ${m.R_overall.toFixed(1)}  R_exp ${m.R_exp}  R_rms ${m.R_rms.toFixed(1)}  N ${m.N}  (aggregation ${a.risk.aggregation})`);
    out.push(p('gray', `  MITRE CWE ${a.risk.kb.cwe}, CAPEC ${a.risk.kb.capec}${opts.explain ? '' : ' — --explain shows every factor and the arithmetic'}`));
    if (opts.explain) for (const l of explainServer(a.risk).split('\n')) out.push(`  ${p('gray', l)}`);
    out.push('');
  }
  const shown = a.findings.filter((f) => atLeast(f.severity, opts.minSeverity));
  if (shown.length === 0) {
    out.push(a.findings.length === 0 ? p('green', 'No findings.') : `No findings at severity ${opts.minSeverity} or above.`);
    out.push('');
  }
  for (const g of GROUPS) {
    const inGroup = shown.filter((f) => f.primitive.kind === g.kind);
    if (inGroup.length === 0) continue;
    out.push(p(['bold', 'underline'], `${g.title} (${plural(inGroup.length, 'finding')})`));
    if (g.kind === 'protocol') {
      for (const f of inGroup) {
        out.push(...findingBlock(p, f, '  ', verbose, riskOf(f), explainOf(f)));
        out.push('');
      }
      continue;
    }
    for (const [name, fs] of byName(inGroup)) {
      out.push(`  ${p('bold', `${g.kind} ${name !== undefined ? oneLine(name) : '(unnamed)'}`)}`);
      for (const f of fs) {
        out.push(...findingBlock(p, f, '    ', verbose, riskOf(f), explainOf(f)));
        out.push('');
      }
    }
  }

  if (a.warnings.length > 0) {
    const limit = verbose ? a.warnings.length : 5;
    out.push(p('bold', `Warnings (${a.warnings.length})`));
    for (const w of a.warnings.slice(0, limit)) {
      out.push(`  ${p('yellow', oneLine(w.code))}${w.file !== undefined ? ` ${p('cyan', oneLine(w.file))}` : ''}: ${oneLine(w.message)}`);
    }
    if (a.warnings.length > limit) out.push(`  … and ${a.warnings.length - limit} more (verbose output lists them all)`);
    out.push('');
  }

  const hidden = a.findings.length - shown.length;
  let summary = `${p('bold', 'Summary:')} ${plural(a.findings.length, 'finding')} — ${countsText(p, a.findings)}`;
  if (hidden > 0) summary += p('gray', ` (${hidden} below ${opts.minSeverity} not shown)`);
  out.push(summary);
  if (a.partial) {
    out.push(
      p(
        'yellow',
        `Partial result: part of the server could not be analysed (${plural(a.warnings.length, 'warning')}); findings are a lower bound.`,
      ),
    );
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Surface listing

function paramText(p: Painter, q: ParamInfo, width: number): string {
  let type = oneLine(q.type);
  if (q.enum && q.enum.length > 0) type = `${type === 'enum' ? '' : type + ' '}enum(${truncate(q.enum.join('|'), 40)})`;
  const req = q.required ? p('yellow', ', required') : '';
  const desc = q.description ? `  ${p('gray', '— ' + truncate(q.description, width))}` : '';
  return `${p('bold', oneLine(q.name))}: ${type}${req}${desc}`;
}

function primitiveBlock(p: Painter, d: PrimitiveDef, width: number): string[] {
  const out: string[] = [];
  const uri = d.uri !== undefined ? ` ${p('cyan', oneLine(d.uri))}` : '';
  const title = d.title !== undefined && d.title !== d.name ? ` “${truncate(d.title, 40)}”` : '';
  out.push(`  ${p('bold', oneLine(d.name))}${uri}${title}  ${p('gray', `${oneLine(d.style)}, ${pos(d.location, false)}`)}`);
  if (d.description) out.push(`    ${truncate(d.description, width)}`);
  if (d.params.length === 0) out.push(`    ${p('gray', '(no parameters)')}`);
  for (const q of d.params) out.push(`    - ${paramText(p, q, Math.max(20, width - 20))}`);
  return out;
}

/** The attack surface (tools, resources, prompts, transports) as text. Ends with a newline. */
export function toSurfaceText(a: Assessment, opts: SurfaceTextOptions = {}): string {
  const p = painter(opts.color ?? false);
  const width = opts.width ?? 72;
  const s = a.surface;
  const out: string[] = [`${p('bold', targetLine(a))} — MCP surface`];
  if (s.sdks.length > 0) out.push(`SDKs: ${s.sdks.map(oneLine).join(', ')}`);
  const sections: [string, PrimitiveDef[]][] = [
    ['Tools', s.tools],
    ['Resources', s.resources],
    ['Prompts', s.prompts],
  ];
  for (const [title, defs] of sections) {
    out.push('', p('bold', `${title} (${defs.length})`));
    if (defs.length === 0) out.push(`  ${p('gray', 'none')}`);
    for (const d of defs) out.push(...primitiveBlock(p, d, width));
  }
  out.push('', p('bold', `Transports (${s.transports.length})`));
  if (s.transports.length === 0) out.push(`  ${p('gray', 'none seen')}`);
  for (const t of s.transports) out.push(`  ${transportText(p, t)}  ${p('gray', pos(t.location, false))}`);
  if (a.partial) out.push('', p('yellow', 'Partial result: part of the server could not be analysed; the surface may be incomplete.'));
  return out.join('\n') + '\n';
}
