/**
 * Abstract values of the taint engine.
 *
 * A `Value` is what the engine knows about an expression: which tainted facts it carries, what it refers
 * to (a library function, an instance of a library class, a user function or class, a module), its
 * literal value when constant, and — for objects and arrays built in the code — its fields and items.
 *
 * A `Fact` is one piece of attacker influence: where it came from (`src`), the trail of steps it took,
 * which sink kinds it has been made safe for (`cleared`), which kinds an ineffective guard tried to stop
 * (`weak`), whether it is still the whole source value (`whole`), and the constant text known to precede
 * it in a string built from it (`prefix`, used to tell a fixed host or a leading `--flag=` apart).
 */
import type { Span } from '../languages/ir.js';
import type { PrimitiveRef, SourceKind } from '../model.js';

/** Sink kinds, one bit each. The CWE of a kind is in rules/kinds.json. */
export const KIND_BITS = {
  command: 1 << 0,
  argument: 1 << 1,
  path: 1 << 2,
  link: 1 << 3,
  url: 1 << 4,
  code: 1 << 5,
  sql: 1 << 6,
  nosql: 1 << 7,
  proto: 1 << 8,
  deser: 1 << 9,
  template: 1 << 10,
  redirect: 1 << 11,
  size: 1 << 12,
  xxe: 1 << 13,
  llm: 1 << 14,
  opener: 1 << 15,
} as const;
export type SinkKind = keyof typeof KIND_BITS;
export const ALL_KINDS = (1 << 16) - 1;
/** Everything but `size`: what a conversion to number or boolean makes safe. */
export const ALL_BUT_SIZE = ALL_KINDS & ~KIND_BITS.size;

/**
 * Sink kinds a parameter of a validated type cannot reach (the SDK checks the arguments against the input
 * schema): booleans and enums none, numbers all but sizes, strings not NoSQL (a string is never a query
 * operator object).
 */
export function typedParamMask(type: string | undefined): number {
  if (type === 'boolean' || type === 'enum') return ALL_KINDS;
  if (type === 'number' || type === 'integer') return ALL_BUT_SIZE;
  if (type === 'string') return KIND_BITS.nosql;
  return 0;
}

export function kindMask(kinds: readonly string[]): number {
  let m = 0;
  for (const k of kinds) {
    if (k === '*') return ALL_KINDS;
    if (k === '*-size') m |= ALL_BUT_SIZE;
    else m |= KIND_BITS[k as SinkKind] ?? 0;
  }
  return m;
}

/** Fact flags. */
export const F_RESOLVED = 1; // passed through path.resolve / path.join (absolute, normalised)
export const F_REALPATH = 2; // passed through fs.realpath (symbolic links resolved)
export const F_RELATIVE = 4; // result of path.relative(base, x)
export const F_URL = 8; // a parsed URL object
export const F_OPAQUE = 16; // passed through a library call that is not modelled

export interface Step {
  kind: 'source' | 'step' | 'call' | 'return' | 'guard' | 'sink';
  file: string;
  loc: Span;
  label: string;
}

/** Linked list of steps, newest first (cheap to extend and share). */
export interface Trail {
  step: Step;
  prev: Trail | null;
  len: number;
}

export function extend(t: Trail | null, step: Step): Trail {
  return { step, prev: t, len: (t?.len ?? 0) + 1 };
}

export function trailSteps(t: Trail | null): Step[] {
  const out: Step[] = [];
  for (let x = t; x; x = x.prev) out.push(x.step);
  return out.reverse();
}

export interface SourceDef {
  kind: SourceKind;
  /** e.g. "argument `path`" */
  label: string;
  /** Parameter name when known. */
  param?: string;
  primitive: PrimitiveRef;
  file: string;
  loc: Span;
  /** True for an object that holds all arguments (member access derives a per-argument source). */
  container?: boolean;
}

export interface Fact {
  /** ≥ 0: index in the engine's source table; < 0: symbolic parameter -(i+1) while computing a summary. */
  src: number;
  trail: Trail | null;
  cleared: number;
  weak: number;
  whole: boolean;
  prefix: string;
  flags: number;
  /** Notes attached on the way (e.g. why a guard is ineffective). */
  notes?: readonly string[];
}

export type Ref =
  | { t: 'q'; name: string } // library value, qualified: `child_process.exec`, `pg.Pool#connect`
  | { t: 'inst'; name: string } // instance of a library class: `pg.Pool`
  | { t: 'fn'; mod: number; fn: number; env?: unknown } // user function (+ captured environment)
  | { t: 'cls'; mod: number; cls: number } // user class
  | { t: 'uinst'; mod: number; cls: number } // instance of a user class
  | { t: 'mod'; mod: number } // a module of the program
  | { t: 'param'; i: number } // while summarising: "whatever parameter i refers to"
  | { t: 'toolname' }; // the tool name of a low-level CallTool request

export interface Value {
  facts: readonly Fact[];
  refs: readonly Ref[];
  /** Known constant. */
  lit?: string | number | boolean | null;
  /** Fields of an object built in the code (or of a typed arguments object). */
  fields?: Readonly<Record<string, Value>>;
  /** Items of an array literal, in order (when known). */
  items?: readonly Value[];
  /** Names of variables this value was derived from by an identity-like operation (for guards). */
  from?: readonly string[];
  /** A boolean that is the result of a check (used when the check is stored in a variable first). */
  guard?: GuardInfo;
  /** An object created here (literal, Object.assign({}, …)): writing a computed key into it pollutes nothing shared. */
  fresh?: boolean;
}

/** One thing a check says about one variable (or a property path of it). */
export interface GuardEntry {
  subject: { var: string; path: string[] };
  /** Kinds made safe when the check is true / false. */
  whenTrue: number;
  whenFalse: number;
  /** Kinds an ineffective check tried to protect (recorded, not cleared). */
  weakTrue: number;
  weakFalse: number;
  /** `x.startsWith('/')`: in the branch where it holds, x is known to begin with this text. */
  setPrefix?: { text: string; when: boolean };
  /** Holds only if the call site's arguments at these parameter indices carry no attacker input. */
  trustedParams?: number[];
  /** Path containment decided per fact at refinement (resolved? real path? trailing separator?). */
  containment?: { sep: boolean; when: boolean; resolved?: boolean; real?: boolean };
  label?: string;
  note?: string;
}

/** A boolean that is the result of a check: what holds in the branch where it is true, or false. */
export interface GuardInfo {
  entries: GuardEntry[];
  loc: Span;
  file: string;
  /** Check on the tool name (low-level dispatch): the literal compared to. */
  toolName?: string;
}

export const EMPTY: Value = Object.freeze({ facts: [], refs: [] }) as Value;

const MAX_FACTS = 12;
const MAX_REFS = 8;

export function lit(v: string | number | boolean | null): Value {
  return { facts: [], refs: [], lit: v };
}

export function refValue(r: Ref): Value {
  return { facts: [], refs: [r] };
}

export function factKey(f: Fact): string {
  return `${f.src}|${f.cleared}|${f.weak}|${f.whole ? 1 : 0}|${f.flags}|${f.prefix.length > 0 ? 1 : 0}`;
}

export function refKey(r: Ref): string {
  switch (r.t) {
    case 'q':
    case 'inst':
      return `${r.t}:${r.name}`;
    case 'fn':
      return `fn:${r.mod}:${r.fn}`;
    case 'cls':
    case 'uinst':
      return `${r.t}:${r.mod}:${r.cls}`;
    case 'mod':
      return `mod:${r.mod}`;
    case 'param':
      return `param:${r.i}`;
    case 'toolname':
      return 'toolname';
  }
}

export function mergeFacts(a: readonly Fact[], b: readonly Fact[]): readonly Fact[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = a.slice();
  const keys = new Set(a.map(factKey));
  for (const f of b) {
    if (out.length >= MAX_FACTS) break;
    const k = factKey(f);
    if (!keys.has(k)) {
      keys.add(k);
      out.push(f);
    }
  }
  return out;
}

export function mergeRefs(a: readonly Ref[], b: readonly Ref[]): readonly Ref[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = a.slice();
  const keys = new Set(a.map(refKey));
  for (const r of b) {
    if (out.length >= MAX_REFS) break;
    const k = refKey(r);
    if (!keys.has(k)) {
      keys.add(k);
      out.push(r);
    }
  }
  return out;
}

/** Union of two values (branch merge). */
export function join(a: Value, b: Value): Value {
  if (a === b) return a;
  if (a === EMPTY) return b;
  if (b === EMPTY) return a;
  const v: Value = {
    facts: mergeFacts(a.facts, b.facts),
    refs: mergeRefs(a.refs, b.refs),
  };
  const out = v as { -readonly [K in keyof Value]: Value[K] };
  if (a.lit !== undefined && a.lit === b.lit) out.lit = a.lit;
  if (a.fields || b.fields) {
    const f: Record<string, Value> = { ...(a.fields ?? {}) };
    for (const [k, x] of Object.entries(b.fields ?? {})) f[k] = Object.hasOwn(f, k) ? join(f[k]!, x) : x;
    out.fields = f;
  }
  if (a.items && b.items && a.items.length === b.items.length) out.items = a.items.map((x, i) => join(x, b.items![i]!));
  else if (a.items || b.items) out.facts = mergeFacts(out.facts, deepFacts(a.items ? a : b));
  if (a.from || b.from) out.from = [...new Set([...(a.from ?? []), ...(b.from ?? [])])];
  if (a.fresh && b.fresh) out.fresh = true;
  if (a.guard && !b.guard) out.guard = a.guard;
  else if (b.guard && !a.guard) out.guard = b.guard;
  return v;
}

export function joinAll(vs: Value[]): Value {
  let acc = EMPTY;
  for (const v of vs) acc = join(acc, v);
  return acc;
}

/** All facts of a value, its fields and items (bounded depth). */
export function deepFacts(v: Value, depth = 0): readonly Fact[] {
  let out = v.facts;
  if (depth > 3) return out;
  if (v.fields) for (const f of Object.values(v.fields)) out = mergeFacts(out, deepFacts(f, depth + 1));
  if (v.items) for (const it of v.items) out = mergeFacts(out, deepFacts(it, depth + 1));
  return out;
}

export function isTainted(v: Value): boolean {
  return deepFacts(v).length > 0;
}

/**
 * Apply `f` to the facts of a value and its fields/items (down to a bounded depth). Parts without facts are
 * shared, not copied: large constant objects (configuration, definitions) cost nothing to pass around.
 */
export function mapFacts(v: Value, f: (x: Fact) => Fact, depth = 0): Value {
  if (!hasFactsDeep(v, 0)) return v;
  const facts = v.facts.length ? v.facts.map(f) : v.facts;
  let fields = v.fields;
  if (fields && depth < 4) {
    let changed = false;
    const nf: Record<string, Value> = Object.create(null);
    for (const [k, x] of Object.entries(fields)) {
      const y = mapFacts(x, f, depth + 1);
      if (y !== x) changed = true;
      nf[k] = y;
    }
    if (changed) fields = nf;
  }
  let items = v.items;
  if (items && depth < 4) {
    const ni = items.map((x) => mapFacts(x, f, depth + 1));
    if (ni.some((x, i) => x !== items![i])) items = ni;
  }
  return { ...v, facts, fields, items };
}

/** Whether a value carries facts anywhere (bounded depth). */
function hasFactsDeep(v: Value, depth: number): boolean {
  if (v.facts.length) return true;
  if (depth >= 4) return false;
  if (v.fields) for (const x of Object.values(v.fields)) if (hasFactsDeep(x, depth + 1)) return true;
  if (v.items) for (const x of v.items) if (hasFactsDeep(x, depth + 1)) return true;
  return false;
}

/** A value holding only the (deep) facts of v, without refs/structure: what an unknown operation returns. */
export function taintOnly(v: Value): Value {
  const facts = deepFacts(v);
  return facts.length ? { facts, refs: [] } : EMPTY;
}

export function withStep(v: Value, step: Step, opts: { whole?: boolean } = {}): Value {
  if (!v.facts.length && !v.fields && !v.items) return v;
  return mapFacts(v, (f) => ({ ...f, trail: extend(f.trail, step), whole: opts.whole === false ? false : f.whole }));
}
