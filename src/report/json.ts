/**
 * JSON report: the Assessment written out, described by schemas/assessment.schema.json.
 *
 * The output is deterministic: every object is rebuilt with its keys in the order of the
 * types in src/model.ts (optional keys left out when absent), `stats.languages` is sorted by
 * name, arrays keep the order the caller gave (findings are sorted upstream). Only the keys
 * the schema knows are written, so the absolute `root` of the target (machine-specific) can
 * never leak, even when an object carrying it is passed at run time.
 */
import { randomUUID } from 'node:crypto';
import type {
  Assessment,
  Finding,
  Location,
  ParamInfo,
  PrimitiveDef,
  Stats,
  Surface,
  TraceStep,
  TransportDef,
  UnmappedFinding,
  Warning,
} from '../model.js';

/** Version of schemas/assessment.schema.json this module writes. */
export const ASSESSMENT_SCHEMA_VERSION = '1.0.0';

/** `$id` of schemas/assessment.schema.json. */
export const ASSESSMENT_SCHEMA_ID = `urn:mcp-risk:schema:assessment:${ASSESSMENT_SCHEMA_VERSION}`;

/** Optional sections other stages may add to an Assessment (open objects in the schema). */
export interface AssessmentExtras {
  risk?: unknown;
  kb?: unknown;
}

type Obj = Record<string, unknown>;

/** Builds an object from keys and values (key, value, key, value, …) in order, leaving out undefined values. */
function obj(kv: unknown[]): Obj {
  const out: Obj = {};
  for (let i = 0; i < kv.length; i += 2) if (kv[i + 1] !== undefined) out[kv[i] as string] = kv[i + 1];
  return out;
}

function loc(l: Location): Obj {
  return obj([
    'file', l.file,
    'line', l.line,
    'column', l.column,
    'endLine', l.endLine,
    'endColumn', l.endColumn,
  ]);
}

function step(s: TraceStep): Obj {
  return obj([
    'kind', s.kind,
    'location', loc(s.location),
    'label', s.label,
    'snippet', s.snippet,
  ]);
}

function finding(f: Finding): Obj {
  return obj([
    'id', f.id,
    'ruleId', f.ruleId,
    'title', f.title,
    'cwe', f.cwe,
    'severity', f.severity,
    'confidence', f.confidence,
    'message', f.message,
    'fix', f.fix,
    'location', loc(f.location),
    'snippet', f.snippet,
    'primitive', obj(['kind', f.primitive.kind, 'name', f.primitive.name]),
    'source', f.source && obj(['kind', f.source.kind, 'name', f.source.name, 'location', loc(f.source.location)]),
    'trace', f.trace?.map(step),
    'tags', [...f.tags],
    'notes', f.notes && [...f.notes],
    'tool', f.tool,
  ]);
}

function unmappedFinding(u: UnmappedFinding): Obj {
  return obj([
    'id', u.id,
    'tool', u.tool,
    'ruleId', u.ruleId,
    'title', u.title,
    'message', u.message,
    'severity', u.severity,
    'confidence', u.confidence,
    'location', u.location && loc(u.location),
    'snippet', u.snippet,
    'primitive', obj(['kind', u.primitive.kind, 'name', u.primitive.name]),
    'reason', u.reason,
  ]);
}

function param(p: ParamInfo): Obj {
  return obj([
    'name', p.name,
    'type', p.type,
    'description', p.description,
    'enum', p.enum && [...p.enum],
    'required', p.required,
  ]);
}

function primitive(p: PrimitiveDef): Obj {
  return obj([
    'kind', p.kind,
    'name', p.name,
    'uri', p.uri,
    'title', p.title,
    'description', p.description,
    'params', p.params.map(param),
    'style', p.style,
    'location', loc(p.location),
    'handler', p.handler && loc(p.handler),
  ]);
}

function transport(t: TransportDef): Obj {
  return obj([
    'kind', t.kind,
    'location', loc(t.location),
    'host', t.host,
    'port', t.port,
    'auth', t.auth,
    'originCheck', t.originCheck,
  ]);
}

function surface(s: Surface): Obj {
  return obj([
    'sdks', [...s.sdks],
    'tools', s.tools.map(primitive),
    'resources', s.resources.map(primitive),
    'prompts', s.prompts.map(primitive),
    'transports', s.transports.map(transport),
  ]);
}

function stats(s: Stats): Obj {
  const languages: Record<string, number> = {};
  for (const k of Object.keys(s.languages).sort()) languages[k] = s.languages[k] as number;
  return obj([
    'files', s.files,
    'lines', s.lines,
    'bytes', s.bytes,
    'functions', s.functions,
    'languages', languages,
  ]);
}

function warning(w: Warning): Obj {
  return obj([
    'code', w.code,
    'message', w.message,
    'file', w.file,
  ]);
}

/**
 * The plain object `toJson` writes (ordered keys, no `root`). Useful to embed the report in
 * another document or to validate it without a parse round trip.
 */
export function toJsonValue(a: Assessment & AssessmentExtras): Obj {
  return obj([
    'schemaVersion', a.schemaVersion,
    'tool', obj(['name', a.tool.name, 'version', a.tool.version]),
    'target', obj(['input', a.target.input, 'kind', a.target.kind, 'name', a.target.name, 'version', a.target.version]),
    'partial', a.partial,
    'warnings', a.warnings.map(warning),
    'stats', stats(a.stats),
    'surface', surface(a.surface),
    'findings', a.findings.map(finding),
    'unmapped', a.unmapped?.map(unmappedFinding),
    'risk', a.risk ?? undefined,
    'kb', a.kb ?? undefined,
  ]);
}

/** The JSON report: 2-space indentation, trailing newline, byte-identical for equal input. */
export function toJson(a: Assessment & AssessmentExtras): string {
  return stringifyShared(a, true) + '\n';
}

/** The same document on one line (JSON Lines: `scan` with several targets). */
export function toJsonLine(a: Assessment & AssessmentExtras): string {
  return stringifyShared(a, false) + '\n';
}

/**
 * `toJsonLine` in pieces: texts, and numbers standing for shared fragments (`sharedFragment(n)` gives the text). For
 * `scan`'s writer thread: the main thread copies neither the line nor the shared fragments, which the writer
 * encodes once and reuses. `piecesText` joins them back.
 */
export function toJsonLinePieces(a: Assessment & AssessmentExtras): (string | number)[] {
  const parts = sharedParts(a, false, true);
  parts.push('\n');
  return parts;
}

/** The text of the shared fragment numbered `n` in `toJsonLinePieces` (undefined for a number it never gave). */
export function sharedFragment(n: number): string | undefined {
  return fragmentTexts[n];
}

/** The text pieces stand for. */
export function piecesText(pieces: readonly (string | number)[]): string {
  return pieces.map((p) => (typeof p === 'number' ? fragmentTexts[p]! : p)).join('');
}

// ---------------------------------------------------------------------------------------------- shared parts

/*
 * Most of a report's bytes are the risk explanation, and most of that is the same for every finding of a CWE:
 * its mcp-in-sos figures and CAPEC list (risk/mcpInSos.ts and risk/threats.ts make them once per knowledge base and
 * freeze them), its contextual risk and OWASP categories for the same inputs (risk/contextual.ts, threats.ts), and
 * the KB head. A frozen object cannot change, so its JSON text is made once per process and
 * indentation, then put in place of a marker: the output is byte for byte what JSON.stringify gives.
 * The marker starts with a NUL and holds a random per-process id, so no string from a target can equal it.
 */
const MARK = `\u0000mcp-risk-${randomUUID()}#`;
/** A marker as JSON.stringify writes it, without its number and closing quote. */
const QUOTED_MARK = JSON.stringify(MARK).slice(0, -1);
const fragments = new WeakMap<object, Map<string, string>>();
/** One-line fragments by number (toJsonLinePieces), and the number of each shared object's. */
const fragmentTexts: string[] = [];
const fragmentNumbers = new WeakMap<object, number>();

function stringifyShared(a: Assessment & AssessmentExtras, pretty: boolean): string {
  const parts = sharedParts(a, pretty, false) as string[];
  return parts.length === 1 ? parts[0]! : parts.join('');
}

/**
 * The JSON text in pieces: the text between markers (slices, not copies) and the shared objects' texts — or, with
 * `numbered` (one line only), the numbers of the frozen ones' texts (see `sharedFragment`).
 */
function sharedParts(a: Assessment & AssessmentExtras, pretty: boolean, numbered: boolean): (string | number)[] {
  const shared: object[] = [];
  const value = toJsonValue(a);
  if (value.risk !== undefined) value.risk = markShared(value.risk, shared);
  const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  if (shared.length === 0) return [text];
  // each marker (a JSON string: `"` + MARK + its number + `"`) is replaced by the shared object's text
  const parts: (string | number)[] = [];
  let from = 0;
  for (let at = text.indexOf(QUOTED_MARK); at !== -1; at = text.indexOf(QUOTED_MARK, from)) {
    let end = at + QUOTED_MARK.length;
    let n = 0;
    for (let c = text.charCodeAt(end); c >= 48 && c <= 57; c = text.charCodeAt(++end)) n = n * 10 + (c - 48);
    // pretty: the fragment's lines are indented as the line the marker is on
    const indent = pretty ? text.slice(text.lastIndexOf('\n', at) + 1, at).match(/^ */)![0] : '';
    const o = shared[n]!;
    parts.push(text.slice(from, at), numbered && Object.isFrozen(o) ? fragmentNumber(o) : fragment(o, pretty, indent));
    from = end + 1; // past the closing quote
  }
  parts.push(text.slice(from));
  return parts;
}

/** The number of a frozen object's one-line text (made on first use). */
function fragmentNumber(o: object): number {
  let n = fragmentNumbers.get(o);
  if (n === undefined) {
    n = fragmentTexts.push(fragment(o, false, '')) - 1;
    fragmentNumbers.set(o, n);
  }
  return n;
}

/** The JSON text of a shared (frozen) object, made once per process and indentation; of another, made each time. */
function fragment(o: object, pretty: boolean, indent: string): string {
  if (!Object.isFrozen(o)) return pretty ? JSON.stringify(o, null, 2).replace(/\n/g, `\n${indent}`) : JSON.stringify(o);
  let byIndent = fragments.get(o);
  if (!byIndent) fragments.set(o, (byIndent = new Map()));
  const key = pretty ? indent : '\u0000';
  let f = byIndent.get(key);
  if (f === undefined) {
    f = pretty ? JSON.stringify(o, null, 2).replace(/\n/g, `\n${indent}`) : JSON.stringify(o);
    byIndent.set(key, f);
  }
  return f;
}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null;

/** A frozen object (array) is replaced by a marker and listed in `shared`; anything else is kept, unless `apart`. */
function mark(v: unknown, shared: object[], apart = false): unknown {
  if (!isObj(v) || !(apart || Object.isFrozen(v))) return v;
  shared.push(v);
  return MARK + (shared.length - 1);
}

/** The risk section with its frozen parts marked (copies: the caller's objects are not changed; key order kept). */
function markShared(risk: unknown, shared: object[]): unknown {
  if (!isObj(risk) || !Array.isArray(risk.findings)) return risk;
  return {
    ...risk,
    kb: mark(risk.kb, shared),
    fillRules: mark(risk.fillRules, shared),
    findings: risk.findings.map((f: unknown) => {
      if (!isObj(f)) return f;
      const t = f.threats;
      return {
        ...f,
        mcpInSos: mark(f.mcpInSos, shared),
        contextual: mark(f.contextual, shared),
        threats: isObj(t) ? { ...t, cia: mark(t.cia, shared), owasp: mark(t.owasp, shared), capec: mark(t.capec, shared) } : t,
      };
    }),
    // the server totals are the report's own, but their explanation has symbols beyond Latin-1 (Σ, √, ≥, →): written
    // apart, the rest of a report is usually Latin-1 only, which V8 writes and encodes as one byte per character
    server: mark(risk.server, shared, true),
  };
}
