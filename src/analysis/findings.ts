/**
 * Turning engine results into `Finding`s: messages, snippets, traces, stable ids, de-duplication, order.
 */
import crypto, { createHash } from 'node:crypto';
import type { Span } from '../languages/ir.js';
import type { Confidence, Finding, Location, Severity, TraceStep } from '../model.js';
import { SEVERITIES } from '../model.js';
import type { RawFinding } from './engine.js';
import type { Models } from './models.js';
import type { Program } from './program.js';
import type { SourceDef } from './values.js';
import { F_OPAQUE, trailSteps } from './values.js';
import { redactSecrets } from './rules/secrets.js';
import { compareText } from '../order.js';

export function toLocation(file: string, s: Span): Location {
  return { file, line: s.line, column: s.col, endLine: s.endLine, endColumn: s.endCol };
}

/** The source lines of a span (at most 3 lines, each cut at 200 characters), secrets redacted. */
export function snippetOf(program: Program, file: string, s: Span): string {
  const m = program.byFile.get(file);
  if (m === undefined) return '';
  const to = Math.min(s.endLine || s.line, s.line + 2);
  // the same lines come back in many traces: each snippet is made (and redacted) once per program
  let memo = snippetMemo.get(program);
  if (!memo) {
    memo = new Map();
    snippetMemo.set(program, memo);
  }
  const key = `${m}:${s.line}:${to}`;
  let out = memo.get(key);
  if (out === undefined) {
    const lines = linesOf(program.modules[m]!.text, s.line, to);
    out = redactSecrets(lines.map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l)).join('\n'));
    memo.set(key, out);
  }
  return out;
}
const snippetMemo = new WeakMap<Program, Map<string, string>>();

/** Lines of a module's text, split once per text (texts live as long as the program). */
const lineCache = new Map<string, string[]>();
function splitLines(text: string): string[] {
  let v = lineCache.get(text);
  if (!v) {
    if (lineCache.size > 2000) lineCache.clear();
    v = text.split(/\r?\n/);
    lineCache.set(text, v);
  }
  return v;
}

function linesOf(text: string, from: number, to: number): string[] {
  return splitLines(text).slice(Math.max(0, from - 1), Math.max(from, to));
}

export function findingId(ruleId: string, loc: Location, trace: TraceStep[] | undefined, extra = ''): string {
  let text = `${ruleId}|${loc.file}:${loc.line}:${loc.column}`;
  for (const t of trace ?? []) text += `|${t.kind}:${t.location.file}:${t.location.line}:${t.location.column}`;
  return sha256Hex(`${text}|${extra}`).slice(0, 16);
}

/** The sha256 of a text, in hex (finding ids). Node ≥ 20.12 hashes a string in one call (crypto.hash); older ones through a Hash object. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

function lowerSeverity(s: Severity): Severity {
  const i = SEVERITIES.indexOf(s);
  return SEVERITIES[Math.min(SEVERITIES.length - 1, i + 1)]!;
}

/** Build a flow finding. */
export function flowFinding(raw: RawFinding, src: SourceDef, program: Program, models: Models): Finding {
  const info = models.kinds[raw.kind];
  const steps = trailSteps(raw.fact.trail);
  const trace: TraceStep[] = steps.map((s) => ({
    kind: s.kind,
    location: toLocation(s.file, s.loc),
    label: s.label,
    snippet: snippetOf(program, s.file, { ...s.loc, endLine: s.loc.line }),
  }));
  const location = toLocation(raw.file, raw.loc);
  const tags: string[] = [];
  const secondary = src.kind === 'network' || src.kind === 'environment' || src.kind === 'file';
  if (secondary) tags.push('secondary-source');
  if (src.kind === 'environment' || src.kind === 'file') tags.push('configuration');
  if (raw.fact.whole && !secondary) tags.push('capability');
  else if (!secondary) tags.push('injection');
  if (raw.fact.weak) tags.push('weak-guard');
  let severity: Severity = info.severity;
  let confidence: Confidence = raw.confidence;
  if (raw.fact.flags & F_OPAQUE) {
    confidence = confidence === 'high' ? 'medium' : 'low';
    tags.push('through-library');
  }
  if (src.kind === 'network') severity = lowerSeverity(severity);
  if (src.kind === 'environment' || src.kind === 'file') {
    severity = 'info';
    confidence = 'low';
  }
  if (src.kind === 'transport') severity = lowerSeverity(severity);
  const what = src.label.charAt(0).toUpperCase() + src.label.slice(1);
  let message = info.message.replace('{what}', what).replace('{op}', raw.op);
  if (tags.includes('capability')) message += ' The value is passed unchanged: the tool exposes this operation to whatever controls the model (prompt injection included).';
  const notes = [...raw.notes];
  const readOnlyTx = raw.kind === 'sql' && /READ\s+ONLY/i.test(snippetAround(program, raw.file, raw.loc.line, 12));
  if (readOnlyTx) notes.push('A read-only transaction around caller SQL is not a guard: the statement can end it (COMMIT; …) and run writes, or call functions with side effects.');
  const ruleId = raw.sink.id ?? `flow/${raw.kind}`;
  const kindRule = `mcp-risk/${raw.kind === 'link' ? 'link-following' : raw.kind}-flow`;
  const f: Finding = {
    // the id depends on the primitive, settled later: finalizeFindings (which every caller runs) makes it
    id: '',
    ruleId: kindRule,
    title: info.title,
    cwe: raw.cwe,
    severity,
    confidence,
    message,
    fix: info.fix,
    location,
    snippet: snippetOf(program, raw.file, raw.loc),
    primitive: raw.primitive,
    source: { kind: src.kind, name: src.param ?? src.label, location: toLocation(src.file, src.loc) },
    trace,
    tags,
  };
  if (notes.length) f.notes = [...new Set(notes)];
  void ruleId;
  return f;
}

function snippetAround(program: Program, file: string, line: number, radius: number): string {
  const m = program.byFile.get(file);
  if (m === undefined) return '';
  const all = splitLines(program.modules[m]!.text);
  return all.slice(Math.max(0, line - 1 - radius), line).join('\n');
}

const SEV_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** De-duplicate (same rule, CWE, place and source) and sort deterministically. */
export function finalizeFindings(fs: Finding[]): Finding[] {
  // one finding per rule, CWE, place and primitive; other sources reaching the same place are listed
  const best = new Map<string, Finding>();
  const others = new Map<string, Set<string>>();
  for (const f of fs) {
    const k = [f.ruleId, f.cwe, f.location.file, f.location.line, f.location.column, f.primitive.kind, f.primitive.name ?? ''].join('|');
    const cur = best.get(k);
    if (f.source) {
      const set = others.get(k) ?? new Set<string>();
      set.add(f.source.name ?? f.source.kind);
      others.set(k, set);
    }
    if (!cur || better(f, cur)) best.set(k, f);
  }
  // a protocol-level copy of a flow that is also attributed to a primitive is dropped
  const attributed = new Set<string>();
  for (const f of best.values()) if (f.primitive.kind !== 'protocol') attributed.add([f.ruleId, f.cwe, f.location.file, f.location.line, f.location.column].join('|'));
  const out: Finding[] = [];
  for (const [k, f] of best) {
    if (f.primitive.kind === 'protocol' && f.source && attributed.has([f.ruleId, f.cwe, f.location.file, f.location.line, f.location.column].join('|'))) continue;
    const names = [...(others.get(k) ?? [])].filter((n) => n !== (f.source?.name ?? f.source?.kind)).sort();
    if (names.length) {
      const g = { ...f, notes: [...(f.notes ?? []), `Also reached from: ${names.map((n) => (/^[\w.-]+$/.test(n) ? `argument \`${n}\`` : n)).join(', ')}.`] };
      g.id = findingId(f.ruleId, f.location, f.trace, `${f.cwe}|${f.primitive.name ?? ''}`);
      out.push(g);
    } else out.push({ ...f, id: findingId(f.ruleId, f.location, f.trace, `${f.cwe}|${f.primitive.name ?? ''}`) });
  }
  return out.sort(compareFindings);
}

/** The order of findings in every report: most severe first, then place, CWE, id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEV_RANK[a.severity] - SEV_RANK[b.severity] ||
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    a.cwe - b.cwe ||
    compareText(a.id, b.id)
  );
}

function better(a: Finding, b: Finding): boolean {
  // prefer the more severe, then one attributed to a primitive, then the shorter trace
  if (a.severity !== b.severity) return SEV_RANK[a.severity] < SEV_RANK[b.severity];
  const ap = a.primitive.kind !== 'protocol' && a.primitive.name ? 1 : 0;
  const bp = b.primitive.kind !== 'protocol' && b.primitive.name ? 1 : 0;
  if (ap !== bp) return ap > bp;
  return (a.trace?.length ?? 0) < (b.trace?.length ?? 0);
}
