/**
 * The taint engine: an abstract interpreter over the IR.
 *
 * - Statements run in order; branches run on copies of the environment and are merged; a branch that
 *   always leaves (return/throw) does not flow on, which is what makes `if (!ok) throw …` a guard.
 * - Conditions carry `GuardInfo` (allow-lists, containment checks, regex tests, type checks, size bounds);
 *   the branch where the check holds gets the checked variables cleared for the kinds the check covers.
 *   Checks that look like guards but do not hold (startsWith without separator, unresolved paths) are
 *   recorded as weak: the flow is still reported, with the reason.
 * - Calls: library calls go through the models (sinks, sources, sanitizers, propagators, return types);
 *   calls to module-level functions and methods use summaries (computed once per function with symbolic
 *   parameters, so the cost stays near linear); nested closures are run inline with their captured
 *   environment (bounded depth).
 * - Entry points are MCP handlers whose parameters are bound to source values (see mcp/surface.ts).
 */
import type { Arg, Expr, IRFunction, Pattern, Span, Stmt } from '../languages/ir.js';
import { forEachExprInBody } from '../languages/ir.js';
import type { PrimitiveRef } from '../model.js';
import type { Models, OptionCond, SinkModel } from './models.js';
import { normalizeModuleName, resolvePythonAbsolute, resolveRelative, type Program } from './program.js';
import {
  ALL_BUT_SIZE,
  ALL_KINDS,
  EMPTY,
  F_REALPATH,
  F_RELATIVE,
  F_RESOLVED,
  F_URL,
  F_OPAQUE,
  KIND_BITS,
  deepFacts,
  extend,
  factKey,
  join,
  joinAll,
  kindMask,
  lit,
  mapFacts,
  mergeFacts,
  mergeRefs,
  refValue,
  taintOnly,
  trailSteps,
  type Fact,
  type GuardEntry,
  type GuardInfo,
  type Ref,
  type SinkKind,
  type SourceDef,
  type Step,
  type Trail,
  type Value,
} from './values.js';

const MAX_INLINE_DEPTH = 4;
/** Distinct sink hits one summary records at most. */
const MAX_HITS = 256;
/** Abstract steps one function summary (with what it runs inline) may take. */
const SUMMARY_BUDGET = 400_000;
/** Abstract steps one entry point (a handler) may take. */
const ENTRY_BUDGET = 2_000_000;
/** Abstract steps one module's top-level code may take. */
const MODULE_BUDGET = 2_000_000;
/**
 * Loops nested at most this deep (in one function) run their body a second time, for loop-carried values; deeper
 * ones run it once: the enclosing loops' second passes already run them again with the values of the first. Each
 * second pass doubles the work of the loops inside, so without a bound `while(a)` nested 40 deep took 2^40 passes.
 */
const SECOND_PASS_DEPTH = 4;

class BudgetExceeded extends Error {
  constructor(readonly key: string) {
    super('analysis budget exceeded');
  }
}
/** Library calls that only reshape data (standard built-ins): their results are not opaque. */
const BUILTIN_LIKE = /^(global|builtins)\.|^(path|util|url|querystring|buffer|string_decoder|os|crypto)\./;
const MAX_TRAIL = 60;
const MAX_SUMMARY_STACK = 40;

export interface RawFinding {
  kind: SinkKind;
  cwe: number;
  sink: SinkModel;
  file: string;
  loc: Span;
  fact: Fact;
  primitive: PrimitiveRef;
  op: string;
  notes: string[];
  confidence: 'high' | 'medium' | 'low';
}

export interface EntryPoint {
  mod: number;
  fn: number;
  primitive: PrimitiveRef;
  /** Values bound to the handler's parameters, in order. */
  params: Value[];
  /** Low-level CallTool handler: switch/if on the tool name selects the tool. */
  dispatch?: boolean;
  /** The environment the handler closes over (handlers registered in a loop each have their own). */
  env?: unknown;
}

/** A registration call seen while interpreting (`server.tool(def.name, …, handler)` in a loop over definitions). */
export interface DynamicRegistration {
  kind: 'tool' | 'resource' | 'prompt';
  method: string;
  name?: string;
  description?: string;
  /** The value given as the input schema / config (for parameter extraction), when known. */
  handler: { mod: number; fn: number; env?: unknown }[];
  file: string;
  loc: Span;
  mod: number;
}

const REGISTRATION_METHODS = new Set(['tool', 'registerTool', 'prompt', 'registerPrompt', 'resource', 'registerResource', 'addTool', 'addPrompt', 'addResourceTemplate']);
const REGISTRATION = /(?:McpServer|McpServer\(\))#(tool|registerTool|prompt|registerPrompt|resource|registerResource)$|FastMCP#(addTool|addPrompt|addResourceTemplate)$/;

/** What libCall reads off a callee name with regexes, made once per name (names repeat across calls and targets). */
interface NameInfo {
  /** Without a `global.` / `builtins.` prefix. */
  short: string;
  /** The MCP registration method it is, if any. */
  registration: string | undefined;
  builtinLike: boolean;
}
const nameInfos = new Map<string, NameInfo>();
function nameInfo(name: string): NameInfo {
  let i = nameInfos.get(name);
  if (!i) {
    if (nameInfos.size >= 100_000) nameInfos.clear(); // names of many programs: keep the memory bounded
    const r = REGISTRATION.exec(name);
    i = { short: name.replace(/^(global|builtins)\./, ''), registration: r ? (r[1] ?? r[2]) : undefined, builtinLike: BUILTIN_LIKE.test(name) };
    nameInfos.set(name, i);
  }
  return i;
}

interface Hit {
  /** The sink checks the items of an argument list (`--` ends the check) and the list was a parameter. */
  items?: boolean;
  /** With `items`: the program the list goes to, when the sink names one (`spawn(program, args)`). */
  program?: Value;
  param: number;
  fact: Fact;
  kind: SinkKind;
  sink: SinkModel;
  file: string;
  loc: Span;
  op: string;
  confidence: 'high' | 'medium' | 'low';
}

/** A parameter's value written into a field of `this`/`self` (a constructor keeping its argument). */
interface FieldWrite {
  mod: number;
  cls: number;
  field: string;
  param: number;
  /** How the parameter got there (composed with the actual at each call). */
  fact: Fact;
}

interface Summary {
  ret: Value;
  hits: Hit[];
  /** Parameters written into fields of the instance: applied to the class's field store at each call. */
  fieldWrites?: FieldWrite[];
  /** The function always throws. */
  noReturn?: boolean;
  /** Per parameter: kinds it is guaranteed checked for when the function returns normally (assertion functions). */
  asserts?: number[];
}

/** A frame for summarising / module code: symbolic, protocol-level, no caller context. */
function frameOf(mod: number, fn: IRFunction, env: Env, over: Partial<Frame> = {}): Frame {
  return {
    mod,
    fn,
    env,
    summary: true,
    hits: [],
    ret: EMPTY,
    primitive: { kind: 'protocol' },
    thisVal: EMPTY,
    depth: 0,
    dispatch: false,
    conds: [],
    ...over,
  };
}

class Env {
  vars: Map<string, Value>;
  constructor(
    readonly parent: Env | null,
    vars?: Map<string, Value>,
  ) {
    this.vars = vars ?? new Map();
  }
  lookup(name: string): Value | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let e: Env | null = this; e; e = e.parent) {
      const v = e.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  declare(name: string, v: Value): void {
    this.vars.set(name, v);
  }
  assign(name: string, v: Value): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let e: Env | null = this; e; e = e.parent) {
      if (e.vars.has(name)) {
        e.vars.set(name, v);
        return;
      }
    }
    this.vars.set(name, v);
  }
  clone(): Env {
    return new Env(this.parent, new Map(this.vars));
  }
}

interface Frame {
  mod: number;
  fn: IRFunction;
  env: Env;
  summary: boolean;
  hits: Hit[];
  ret: Value;
  primitive: PrimitiveRef;
  thisVal: Value;
  depth: number;
  dispatch: boolean;
  /** While summarising: per parameter, the kinds it is checked for at every normal exit. */
  exitCleared?: number[];
  /** Path conditions: the checks known to hold at this point (for guard functions' returns). */
  conds: GuardInfo[];
  /** The combined guard of truthy returns so far; null once a return of unknown truthiness is seen. */
  retGuard?: GuardInfo | null;
  /** A return statement ran (to tell functions that never return). */
  returned?: boolean;
  /** The last call evaluated never returns (it always throws). */
  noReturnCall?: boolean;
  /** While summarising: parameters written into fields of `this` (see FieldWrite). */
  fieldWrites?: FieldWrite[];
  /** How many loops the statement being run is inside (see SECOND_PASS_DEPTH). */
  loops?: number;
}

const IDENTITY_HELPERS = new Set([
  '__importDefault',
  '__importStar',
  '__toESM',
  '__toCommonJS',
  '_interopRequireDefault',
  '_interopRequireWildcard',
  '__awaiter',
  'tslib.__importDefault',
  'tslib.__importStar',
]);

const HIGHER_ORDER = new Set(['forEach', 'map', 'filter', 'find', 'findLast', 'some', 'every', 'flatMap', 'reduce', 'findIndex', 'sort']);
const BUILTIN_METHODS = new Set([...HIGHER_ORDER, 'then', 'catch', 'finally', 'push', 'unshift', 'replace', 'replaceAll', 'join', 'concat', 'split', 'slice', 'trim', 'toString', 'toLowerCase', 'toUpperCase', 'includes', 'has', 'startsWith', 'endsWith', 'test', 'indexOf', 'parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'substring', 'at', 'get', 'keys', 'values', 'entries']);
/** Method names too common to resolve by name alone. */
const COMMON_METHOD_NAMES = new Set(['constructor', 'toString', 'toJSON', 'init', 'start', 'stop', 'close', 'open', 'send', 'emit', 'write', 'read', 'handle', 'handler', 'request', 'call', 'apply', 'process', 'execute', 'run', 'load', 'save', 'update', 'delete', 'create', 'list', 'connect', 'disconnect', 'fetch', 'query', 'render', 'parse', 'validate', 'resolve', 'reject', 'next', 'done', 'error', 'log', 'info', 'warn', 'debug', 'on', 'off', 'once', 'set', 'get', 'has', 'add', 'remove', 'clear', 'reset', 'destroy', 'dispose', 'setup', 'main']);
const KEEPS_WHOLE = new Set([
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'toString',
  'valueOf',
  'normalize',
  'split',
  'slice',
  'substring',
  'substr',
  'at',
  'pop',
  'shift',
  'strip',
  'lower',
  'upper',
]);

function stepOf(file: string, loc: Span, kind: Step['kind'], label: string): Step {
  return { kind, file, loc, label };
}

/** The variable and property path an expression is about (`args.command` → args, [command]). */
function subjectOf(e: Expr): { var: string; path: string[] } | undefined {
  const path: string[] = [];
  let x = e;
  for (;;) {
    if (x.k === 'await') x = x.arg;
    else if (x.k === 'member' && x.prop !== undefined) {
      path.unshift(x.prop);
      x = x.obj;
    } else if (x.k === 'call' && x.callee.k === 'member' && ['trim', 'toLowerCase', 'toUpperCase', 'toString', 'normalize', 'strip', 'lower', 'upper', 'casefold'].includes(x.callee.prop ?? '') && !x.args.length) {
      x = x.callee.obj;
    } else break;
  }
  if (x.k === 'var') return { var: x.name, path };
  if (x.k === 'this' && path.length) return { var: 'this', path };
  return undefined;
}

/** Python spellings of the string checks callGuard knows. */
const PY_GUARD_METHODS: Record<string, string> = { startswith: 'startsWith', endswith: 'endsWith' };

const SHELL_META = /[;&|`$()<>\n\r\\'"*?{}[\]~ \t!#]/;

/** What a character class allows, for regex guards and replace-sanitisers. */
function charClassSafety(allowed: string): number {
  // allowed: the characters a class admits, roughly expanded
  let mask = 0;
  const has = (c: string) => allowed.includes(c);
  if (!SHELL_META.test(allowed)) mask |= KIND_BITS.command | KIND_BITS.code | KIND_BITS.template;
  if (!has('.') && !has('/') && !has('\\')) mask |= KIND_BITS.path | KIND_BITS.link;
  if (!has("'") && !has('"') && !has(';') && !has('-') && !has('\\')) mask |= KIND_BITS.sql;
  if (!has('/') && !has(':') && !has('@') && !has('.')) mask |= KIND_BITS.url | KIND_BITS.redirect;
  mask |= KIND_BITS.nosql | KIND_BITS.deser | KIND_BITS.xxe;
  if (!has('_')) mask |= KIND_BITS.proto;
  return mask;
}

const PY_NUMBER_TYPES = new Set(['int', 'float', 'bool', 'complex', 'Decimal', 'decimal.Decimal']);

/** Python `str` predicates and the characters a string that passes them can hold (letters stand for all letters). */
const PY_STR_PREDICATES: Record<string, string> = {
  isdigit: '0123456789',
  isdecimal: '0123456789',
  isnumeric: '0123456789',
  isalpha: 'abcxyzABCXYZ',
  isalnum: 'abcxyzABCXYZ0123456789',
  isidentifier: 'abcxyzABCXYZ0123456789_',
};

/** Expand a regex character class body (`a-zA-Z0-9_-`) to sample characters. */
function expandClass(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const d = body[++i]!;
      if (d === 'w') out += 'aZ09_';
      else if (d === 'd') out += '09';
      else if (d === 's') out += ' \t\n';
      else if (d === 'W' || d === 'D' || d === 'S') out += ';|&$`/.\\\'" ';
      else out += d;
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      const from = c.charCodeAt(0);
      const to = body.charCodeAt(i + 2);
      for (let k = from; k <= to && k - from < 200; k++) out += String.fromCharCode(k);
      i += 2;
    } else out += c;
  }
  return out;
}

/** Safety mask of an anchored regex like /^[a-z0-9_-]+$/ (0 if not anchored / not understood). */
export function regexGuardMask(re: string): number {
  const m = /^\/\^((?:\[[^\]]+\][+*]?|\\[wd][+*]?|[A-Za-z0-9_ -]|\{\d+(?:,\d*)?\}|\(\?:[^)]*\)[?*+]?)+)\$\/[a-z]*$/.exec(re);
  if (!m) return 0;
  const body = m[1]!;
  if (/\[\^/.test(body)) return 0;
  let allowed = '';
  const classRe = /\[([^\]]+)\]|\\([wd])|([A-Za-z0-9_ -])/g;
  let c: RegExpExecArray | null;
  while ((c = classRe.exec(body)) !== null) {
    if (c[1]) allowed += expandClass(c[1]);
    else if (c[2]) allowed += expandClass(`\\${c[2]}`);
    else if (c[3]) allowed += c[3];
  }
  let mask = charClassSafety(allowed);
  // a leading '-' is impossible when the first class excludes it
  const first = /^\[([^\]]+)\]|^\\w|^[A-Za-z0-9_]/.exec(body);
  if (first && !expandClass(first[1] ?? (first[0] === '\\w' ? '\\w' : first[0])).includes('-')) mask |= KIND_BITS.argument;
  return mask;
}

/** Safety mask of `x.replace(/[^allowed]/g, '')`. */
function replaceSanitizerMask(re: string): number {
  const m = /^\/\[\^([^\]]+)\][+*]?\/[gimsuy]*g[gimsuy]*$/.exec(re) ?? /^\/\[\^([^\]]+)\][+*]?\/g$/.exec(re);
  if (!m) return 0;
  return charClassSafety(expandClass(m[1]!));
}

function endsWithSep(v: Value): boolean {
  if (typeof v.lit === 'string') return v.lit.endsWith('/') || v.lit.endsWith('\\');
  return v.refs.some((r) => r.t === 'q' && /(^|\.)sep$/.test(r.name)) || (v as { endSep?: boolean }).endSep === true;
}

/**
 * Can a tainted part that follows this prefix still choose the host of a URL? The prefix is the text
 * known to come before it: literals as written, `\u0001` for constant-but-unknown parts (configuration),
 * `\u0002` for other attacker-influenced parts (which get findings of their own).
 */
export function hostFixed(prefix: string): boolean {
  if (/[?#]/.test(prefix)) return true; // after a literal ? or #: query or fragment
  const m = /^[a-z][a-z0-9+.-]*:\/\/([\s\S]*)$/i.exec(prefix);
  // a '/' after something: the authority ended before this part (whoever chose what came before)
  if (m) return /^[^/]+\//.test(m[1]!);
  if (/^\/(?!\/)/.test(prefix)) return true; // a relative path
  return /^[^/]+\//.test(prefix) && !/^\u0002*\/\//.test(prefix);
}

/** Programs that run their `-c` argument as a shell command line (`sh -c "…"`, `cmd /c …`). */
const SHELL_PROGRAMS = /^(?:.*[\\/])?(?:sh|bash|zsh|dash|ksh|ash|fish|csh|tcsh|busybox sh|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)$/i;
const SHELL_COMMAND_FLAGS = /^(?:-c|-lc|-ic|-ec|-xc|\/c|\/C|-Command|-command|-c\s*)$/;

/**
 * The facts an argument list gives its sink: items that can start with '-' (nothing constant before them) up to a
 * '--' are arguments (88); with a shell as the program and `-c` before it, the next item is a command line (78).
 * The program is the list's first item (Python's `subprocess.run([...])`) or, given, a separate argument (Node's
 * `spawn(program, [...])`).
 */
export function listSinkFacts(items: readonly Value[], program?: Value): { argument: readonly Fact[]; command: readonly Fact[] } {
  let argument: readonly Fact[] = [];
  let command: readonly Fact[] = [];
  const all = program ? [program, ...items] : items;
  const first = all[0]?.lit;
  const shell = typeof first === 'string' && SHELL_PROGRAMS.test(first);
  for (let i = program ? 1 : 0; i < all.length; i++) {
    const it = all[i]!;
    if (it.lit === '--') break;
    const prev = all[i - 1]?.lit;
    if (shell && i >= 2 && typeof prev === 'string' && SHELL_COMMAND_FLAGS.test(prev)) {
      command = mergeFacts(command, deepFacts(it));
      break; // what follows are the script's own parameters ($0, $1 …)
    }
    argument = mergeFacts(argument, deepFacts(it).filter((f) => f.prefix === ''));
  }
  return { argument, command };
}

export class Engine {
  private readonly sources: SourceDef[] = [];
  private readonly derived = new Map<string, number>();
  private readonly moduleEnvs = new Map<number, Env>();
  private readonly moduleInProgress = new Set<number>();
  private readonly summaries = new Map<string, Summary>();
  private readonly inProgress = new Set<string>();
  private readonly classFields = new Map<string, Map<string, Value>>();
  private readonly handlerEnvs = new Map<string, Env>();
  private readonly entryFns = new Set<string>();
  readonly findings: RawFinding[] = [];
  private readonly callSources = new Map<string, number>();
  private summaryDepth = 0;
  /** Set when analysis was cut short somewhere (budget): results are a lower bound. */
  budgetHit = false;
  private work = 0;
  private readonly budgetStack: { key: string; limit: number }[] = [];
  /** Inside a per-item loop pass (they do not nest). */
  private perItem = false;

  constructor(
    readonly program: Program,
    readonly models: Models,
    private readonly opts: { maxWork?: number } = {},
  ) {}

  // ---------------------------------------------------------------- sources
  addSource(def: SourceDef): number {
    this.sources.push(def);
    return this.sources.length - 1;
  }
  source(i: number): SourceDef {
    return this.sources[i]!;
  }

  /** A value tainted by a new source. */
  sourceValue(def: SourceDef, fields?: Record<string, Value>): Value {
    const src = this.addSource(def);
    const fact: Fact = {
      src,
      trail: extend(null, stepOf(def.file, def.loc, 'source', def.label)),
      cleared: 0,
      weak: 0,
      whole: true,
      prefix: '',
      flags: 0,
    };
    return fields ? { facts: [fact], refs: [], fields } : { facts: [fact], refs: [] };
  }

  /** Per-argument source derived from a container source (`args.command`). */
  private deriveSource(f: Fact, prop: string, file: string, loc: Span, at?: PrimitiveRef): Fact {
    const parent = this.sources[f.src]!;
    const prim = parent.primitive.name || !at?.name ? parent.primitive : at;
    const key = `${f.src}:${prop}:${prim.name ?? ''}`;
    let i = this.derived.get(key);
    if (i === undefined) {
      const label = `argument \`${prop}\`${prim.name ? ` of ${prim.kind} \`${prim.name}\`` : ''}`;
      i = this.addSource({ kind: parent.kind, label, param: prop, primitive: prim, file, loc });
      this.derived.set(key, i);
    }
    const s = this.sources[i]!;
    return { ...f, src: i, trail: extend(null, stepOf(file, loc, 'source', s.label)) };
  }

  markEntry(mod: number, fn: number): void {
    this.entryFns.add(`${mod}:${fn}`);
  }

  // ---------------------------------------------------------------- driver
  /** Registrations seen while interpreting (see DynamicRegistration). */
  readonly registrations: DynamicRegistration[] = [];

  /**
   * Run: module top levels, every function once (summaries, secondary flows), then the entry points —
   * plus those `more` makes from registrations discovered on the way (dynamic registration).
   */
  run(entries: EntryPoint[], more?: (regs: DynamicRegistration[]) => EntryPoint[]): void {
    for (const e of entries) this.markEntry(e.mod, e.fn);
    const mods = this.program.modules;
    for (let m = 0; m < mods.length; m++) this.guarded(() => this.moduleEnv(m), () => mods[m]!.ir.file);
    // classes first: field types written by constructors and methods
    for (let m = 0; m < mods.length; m++) {
      for (const c of mods[m]!.ir.classes) for (const fi of Object.values(c.methods)) this.trySummary(m, fi);
    }
    for (let m = 0; m < mods.length; m++) {
      const fns = mods[m]!.ir.functions;
      for (let f = 1; f < fns.length; f++) {
        if (this.entryFns.has(`${m}:${f}`)) continue;
        const fn = fns[f]!;
        // nested closures are analysed inline where they are called or passed
        if (fn.parent !== 0 && fn.cls === undefined) continue;
        this.trySummary(m, f);
      }
    }
    const all = [...entries];
    if (more) {
      const known = new Set(entries.map((e) => `${e.mod}:${e.fn}`));
      const extra = more(this.registrations.filter((r) => r.handler.some((h) => !known.has(`${h.mod}:${h.fn}`) || r.name !== undefined)));
      for (const e of extra) this.markEntry(e.mod, e.fn);
      all.push(...extra);
    }
    // Not done: running the handlers again once field stores have gained attacker facts, for summaries made
    // before (a helper that builds an instance and calls its method). The store is one per class, not per
    // instance, and on real servers the second run spread a tainted field to every instance of wrapper classes
    // (a prepared-statement wrapper: every query's rows tainted by one tool argument). See docs/architecture.md.
    for (const e of all) this.guarded(() => this.runEntry(e), () => `${mods[e.mod]!.ir.file}: handler of ${e.primitive.kind} ${e.primitive.name ?? ''}`);
  }

  private trySummary(m: number, f: number): void {
    if (this.overBudget()) return;
    this.guarded(() => this.summary(m, f), () => `${this.program.modules[m]!.ir.file}: ${this.program.modules[m]!.ir.functions[f]!.name}`);
  }

  /** Errors while analysing one function never stop the run: they are recorded and the result is partial. */
  readonly errors: string[] = [];
  private guarded(f: () => void, where: () => string): void {
    try {
      f();
    } catch (e) {
      const msg = e instanceof RangeError ? 'nesting or recursion too deep' : (e as Error).message;
      if (process.env.MCP_RISK_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
      this.errors.push(`${where()}: ${msg}`);
      // leave the engine in a usable state
      this.inProgress.clear();
      this.summaryDepth = 0;
      this.budgetStack.length = 0;
      this.perItem = false;
    }
  }

  private overBudget(): boolean {
    if (this.opts.maxWork !== undefined && this.work > this.opts.maxWork) {
      this.budgetHit = true;
      return true;
    }
    return false;
  }

  runEntry(e: EntryPoint): void {
    const mod = this.program.modules[e.mod]!;
    const fn = mod.ir.functions[e.fn]!;
    const parent = (e.env as Env | undefined) ?? this.handlerEnvs.get(`${e.mod}:${e.fn}`) ?? this.moduleEnv(e.mod);
    const env = new Env(parent);
    const fr = frameOf(e.mod, fn, env, { summary: false, primitive: e.primitive, dispatch: !!e.dispatch });
    const exceeded = this.budgeted(`entry:${e.mod}:${e.fn}:${e.primitive.name ?? ''}`, ENTRY_BUDGET, () => {
      this.bindParams(fn, e.params, fr);
      this.execBlock(fn.body, fr);
    });
    if (exceeded) {
      this.budgetHit = true;
      this.errors.push(`${mod.ir.file}: handler of ${e.primitive.kind} ${e.primitive.name ?? ''}: analysis budget exceeded; findings up to that point are kept`);
    }
  }

  /**
   * Runs `f` with a work budget of `steps` (within any enclosing budget). True when this budget ran out (what `f`
   * did up to then stands); an enclosing budget running out goes on up.
   */
  private budgeted(key: string, steps: number, f: () => void): boolean {
    this.budgetStack.push({ key, limit: Math.min(this.budgetStack.at(-1)?.limit ?? Infinity, this.work + steps) });
    try {
      f();
      return false;
    } catch (e) {
      if (!(e instanceof BudgetExceeded) || e.key !== key) throw e;
      return true;
    } finally {
      this.budgetStack.pop();
    }
  }

  // ---------------------------------------------------------------- modules
  moduleEnv(m: number): Env {
    const done = this.moduleEnvs.get(m);
    if (done) return done;
    const env = new Env(null);
    this.moduleEnvs.set(m, env);
    if (this.moduleInProgress.has(m)) return env;
    this.moduleInProgress.add(m);
    const mod = this.program.modules[m]!;
    const fn = mod.ir.functions[0]!;
    const fr = frameOf(m, fn, env);
    // imports first (hoisted)
    for (const imp of mod.ir.imports) {
      if (!imp.local) continue;
      env.declare(imp.local, this.importValue(m, imp.module, imp.imported));
    }
    // top-level code has its own budget: past it, what it bound so far is kept
    try {
      if (this.budgeted(`module:${m}`, MODULE_BUDGET, () => this.execBlock(fn.body, fr))) {
        this.budgetHit = true;
        this.errors.push(`${mod.ir.file}: top-level code: analysis budget exceeded; what it defined up to that point is kept`);
      }
    } finally {
      this.moduleInProgress.delete(m);
    }
    return env;
  }

  /** The value of `import {imported} from spec` seen from module m. */
  importValue(m: number, spec: string, imported: string): Value {
    const from = this.program.modules[m]!;
    let target: number | undefined;
    if (spec.startsWith('.')) target = resolveRelative(this.program, from.ir.file, spec);
    else if (from.ir.language === 'python') target = resolvePythonAbsolute(this.program, spec);
    // python `from pkg import mod` / `from . import mod`: a submodule, unless the package itself defines the name
    if (from.ir.language === 'python' && imported && imported !== '*') {
      const v = target !== undefined ? this.exportOf(target, imported, new Set()) : EMPTY;
      if (v !== EMPTY) return v;
      const subSpec = spec.endsWith('.') ? spec + imported : `${spec}.${imported}`;
      const sub = subSpec.startsWith('.') ? resolveRelative(this.program, from.ir.file, subSpec) : resolvePythonAbsolute(this.program, subSpec);
      if (sub !== undefined) return refValue({ t: 'mod', mod: sub });
    }
    if (target !== undefined) {
      if (imported === '*' || imported === '') return refValue({ t: 'mod', mod: target });
      return this.exportOf(target, imported, new Set());
    }
    if (spec.startsWith('.')) return EMPTY;
    const name = normalizeModuleName(spec);
    if (imported === '*' || imported === 'default' || imported === '') return refValue({ t: 'q', name });
    return refValue({ t: 'q', name: `${name}.${imported}` });
  }

  private exportOf(m: number, name: string, seen: Set<string>): Value {
    const key = `${m}:${name}`;
    if (seen.has(key)) return EMPTY;
    seen.add(key);
    const mod = this.program.modules[m]!;
    const env = this.moduleEnv(m);
    if (mod.ir.language === 'python') return env.lookup(name) ?? EMPTY;
    let acc = EMPTY;
    for (const ex of mod.ir.exports) {
      if (ex.exported === '=') {
        // module.exports = X
        const v = ex.local ? env.lookup(ex.local) ?? EMPTY : ex.expr ? this.evalIn(m, ex.expr) : EMPTY;
        if (name === 'default') acc = join(acc, v);
        else acc = join(acc, this.member(v, name, mod.ir.file, mod.ir.functions[0]!.loc, null));
        continue;
      }
      if (ex.exported === '*' && ex.from) {
        const t = resolveRelative(this.program, mod.ir.file, ex.from);
        if (t !== undefined) acc = join(acc, this.exportOf(t, name, seen));
        continue;
      }
      if (ex.exported !== name) continue;
      if (ex.from) {
        const t = resolveRelative(this.program, mod.ir.file, ex.from);
        if (t !== undefined) acc = join(acc, ex.imported === '*' ? refValue({ t: 'mod', mod: t }) : this.exportOf(t, ex.imported ?? name, seen));
        else acc = join(acc, refValue({ t: 'q', name: `${normalizeModuleName(ex.from)}.${ex.imported ?? name}` }));
      } else if (ex.local) acc = join(acc, env.lookup(ex.local) ?? EMPTY);
      else if (ex.expr) acc = join(acc, this.evalIn(m, ex.expr));
    }
    if (acc === EMPTY) acc = env.lookup(name) ?? EMPTY;
    return acc;
  }

  private evalIn(m: number, e: Expr): Value {
    const mod = this.program.modules[m]!;
    const fr = frameOf(m, mod.ir.functions[0]!, this.moduleEnv(m));
    return this.ev(e, fr);
  }

  // ---------------------------------------------------------------- summaries
  private summary(m: number, f: number): Summary {
    const key = `${m}:${f}`;
    const done = this.summaries.get(key);
    if (done) return done;
    const mod = this.program.modules[m]!;
    const fn = mod.ir.functions[f]!;
    if (this.inProgress.has(key) || this.summaryDepth > MAX_SUMMARY_STACK) {
      // recursion: conservatively, every parameter may flow to the result
      return { ret: { facts: fn.params.map((_, i) => this.paramFact(i, fn, mod.ir.file)), refs: [] }, hits: [] };
    }
    this.inProgress.add(key);
    this.summaryDepth++;
    const env = new Env(this.moduleEnv(m));
    const thisVal = fn.cls !== undefined ? refValue({ t: 'uinst', mod: m, cls: fn.cls }) : EMPTY;
    const fr = frameOf(m, fn, env, { thisVal, fieldWrites: [] });
    const pyMethod = mod.ir.language === 'python' && fn.cls !== undefined;
    if (fn.cls !== undefined && (fn.name.endsWith('.constructor') || (pyMethod && fn.name.endsWith('.__init__')))) {
      const cls = mod.ir.classes[fn.cls]!;
      this.execBlock(cls.fields, fr);
    }
    const params = fn.params.map((p, i) => {
      const v: Value = { facts: [this.paramFact(i, fn, mod.ir.file)], refs: [{ t: 'param', i }] };
      return p.rest ? { facts: v.facts, refs: v.refs, items: undefined } : v;
    });
    if (pyMethod && params.length) params[0] = thisVal;
    // each summary has a work budget: a function whose analysis explodes (deeply nested loops and branches
    // over large objects) gets a conservative summary instead, and the result is marked partial
    let end = 0;
    let exploded: boolean;
    try {
      exploded = this.budgeted(key, SUMMARY_BUDGET, () => {
        this.bindParams(fn, params, fr);
        fr.exitCleared = [];
        end = this.execBlock(fn.body, fr);
      });
    } catch (e) {
      this.summaryDepth--;
      this.inProgress.delete(key);
      throw e;
    }
    if (exploded) {
      this.budgetHit = true;
      this.errors.push(`${mod.ir.file}: ${fn.name}: analysis budget exceeded; summarised conservatively`);
      const s: Summary = { ret: { facts: fn.params.map((_, i) => this.paramFact(i, fn, mod.ir.file)), refs: [] }, hits: fr.hits };
      this.summaryDepth--;
      this.inProgress.delete(key);
      this.summaries.set(key, s);
      return s;
    }
    if (!end) this.noteExit(fr);
    const s: Summary = { ret: fr.ret, hits: fr.hits };
    if (fr.fieldWrites?.length) s.fieldWrites = fr.fieldWrites;
    if (end === 2 && !fr.returned && fn.body.length) s.noReturn = true;
    if (fr.retGuard) s.ret = { ...s.ret, guard: this.toParamGuard(fr.retGuard, fn, env) };
    else if (s.ret.guard && fr.retGuard === null) s.ret = { ...s.ret, guard: undefined };
    if (fr.exitCleared?.some((m) => m)) s.asserts = fr.exitCleared;
    this.summaryDepth--;
    this.inProgress.delete(key);
    this.summaries.set(key, s);
    return s;
  }

  private paramFact(i: number, fn: IRFunction, file: string): Fact {
    const p = fn.params[i];
    const name = p && p.pattern.k === 'id' ? p.pattern.name : `#${i}`;
    return {
      src: -(i + 1),
      trail: extend(null, stepOf(file, p?.pattern.loc ?? fn.loc, 'source', `parameter \`${name}\` of ${fn.name}()`)),
      cleared: 0,
      weak: 0,
      whole: true,
      prefix: '',
      flags: 0,
    };
  }

  /** Compose an actual fact with a fact that went from a callee parameter onwards. */
  private compose(a: Fact, call: Step, inner: Fact): Fact {
    let trail: Trail | null = a.trail;
    if ((trail?.len ?? 0) < MAX_TRAIL) {
      trail = extend(trail, call);
      const steps = trailSteps(inner.trail);
      for (const s of steps.slice(1)) {
        if (trail.len >= MAX_TRAIL) break;
        trail = extend(trail, s);
      }
    }
    const notes = a.notes || inner.notes ? [...new Set([...(a.notes ?? []), ...(inner.notes ?? [])])] : undefined;
    return {
      src: a.src,
      trail,
      cleared: a.cleared | inner.cleared,
      weak: a.weak | inner.weak,
      whole: a.whole && inner.whole,
      prefix: inner.prefix + a.prefix,
      flags: (a.flags & ~0) | inner.flags,
      notes,
    };
  }

  /** Replace symbolic parameter facts/refs of a summary value by the actual arguments. */
  private substitute(v: Value, args: Value[], call: Step, depth = 0): Value {
    if (v === EMPTY) return v;
    let facts: readonly Fact[] = [];
    for (const f of v.facts) {
      if (f.src >= 0) facts = mergeFacts(facts, [f]);
      else {
        const actual = args[-f.src - 1];
        if (actual) facts = mergeFacts(facts, deepFacts(actual).map((a) => this.compose(a, call, f)));
      }
    }
    let refs: readonly Ref[] = [];
    for (const r of v.refs) {
      if (r.t === 'param') {
        const actual = args[r.i];
        if (actual) refs = mergeRefs(refs, actual.refs);
      } else refs = mergeRefs(refs, [r]);
    }
    const out: { -readonly [K in keyof Value]: Value[K] } = { facts, refs };
    if (v.lit !== undefined) out.lit = v.lit;
    if (v.fields && depth < 3) out.fields = Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, this.substitute(x, args, call, depth + 1)]));
    if (v.items && depth < 3) out.items = v.items.map((x) => this.substitute(x, args, call, depth + 1));
    if (v.guard) out.guard = v.guard;
    return out;
  }

  // ---------------------------------------------------------------- statements
  /**
   * Run a statement list. Returns how it ends: 0 falls through, 1 leaves by break/continue,
   * 2 leaves by return/throw. A branch that leaves does not flow on (this is what makes checks guards).
   */
  private execBlock(stmts: Stmt[], fr: Frame): number {
    const n = fr.conds.length;
    try {
      for (const s of stmts) {
        const x = this.exec(s, fr);
        if (x) return x;
      }
      return 0;
    } finally {
      fr.conds.length = n;
    }
  }

  private exec(s: Stmt, fr: Frame): number {
    this.work++;
    const top = this.budgetStack.at(-1);
    if (top && this.work > top.limit) {
      // the innermost summary whose limit this is gives up
      const owner = this.budgetStack.find((b) => b.limit === top.limit)!;
      throw new BudgetExceeded(owner.key);
    }
    switch (s.k) {
      case 'let': {
        const v = s.value ? this.ev(s.value, fr) : EMPTY;
        this.bind(s.target, v, fr, true);
        return 0;
      }
      case 'expr': {
        fr.noReturnCall = false;
        this.ev(s.expr, fr);
        const x = s.expr.k === 'await' ? s.expr.arg : s.expr;
        // a call of a function that always throws (`abort()`, `fail(msg)`) ends the branch
        if (fr.noReturnCall && x.k === 'call') {
          fr.noReturnCall = false;
          return 2;
        }
        return 0;
      }
      case 'return': {
        if (s.value) {
          const v = this.ev(s.value, fr);
          fr.ret = join(fr.ret, v);
          this.noteReturnGuard(fr, v);
        }
        this.noteExit(fr);
        fr.returned = true;
        return 2;
      }
      case 'throw':
        if (s.value) this.ev(s.value, fr);
        return 2;
      case 'break':
      case 'continue':
        return 1;
      case 'if':
        return this.execIf(s, fr);
      case 'switch':
        return this.execSwitch(s, fr);
      case 'loop': {
        if (s.each) {
          const it = this.ev(s.each.iter, fr);
          // a loop over a known list (tool definitions, …): one pass per item, so closures made in the body
          // (handlers registered per tool) see their own item
          if (s.each.kind === 'of' && it.items && it.items.length > 0 && it.items.length <= 32 && !this.perItem && !deepFacts(it).length) {
            const start = fr.env;
            const outs: Env[] = [];
            this.perItem = true; // never nested: one level of per-item passes only
            try {
              for (const item of it.items) {
                fr.env = start.clone();
                this.bind(s.each.target, item, fr, true);
                this.execBlock(s.body, fr);
                outs.push(fr.env);
              }
            } finally {
              this.perItem = false;
            }
            fr.env = start;
            for (const o of outs) this.mergeInto(start, o);
            return 0;
          }
          const elem = this.elementOf(it);
          this.bind(s.each.target, s.each.kind === 'in' ? taintOnly(elem) : elem, fr, true);
        }
        if (s.test) this.ev(s.test, fr);
        const before = fr.env.clone();
        fr.loops = (fr.loops ?? 0) + 1;
        try {
          this.execBlock(s.body, fr);
          if (fr.loops <= SECOND_PASS_DEPTH) this.execBlock(s.body, fr); // second pass: loop-carried values
        } finally {
          fr.loops--;
        }
        this.mergeInto(fr.env, before);
        return 0;
      }
      case 'try': {
        const before = fr.env.clone();
        const b = this.execBlock(s.body, fr);
        this.mergeInto(fr.env, before);
        if (s.param) this.bind(s.param, EMPTY, fr, true);
        const h = this.execBlock(s.handler, fr);
        const f = this.execBlock(s.finalizer, fr);
        if (f) return f;
        return b && h ? Math.min(b, h) : 0;
      }
      case 'block':
        return this.execBlock(s.body, fr);
      default:
        return 0;
    }
  }

  /**
   * What a truthy return says: the path conditions that hold here, and the returned check itself.
   * `return false` says nothing; a return of unknown truthiness makes the function no guard.
   */
  private noteReturnGuard(fr: Frame, v: Value): void {
    if (fr.retGuard === null) return;
    if (v.lit === false || v.lit === 0 || v.lit === null || v.lit === '') return;
    if (v.lit !== true && !v.guard) {
      fr.retGuard = null;
      return;
    }
    let g: GuardInfo | undefined = v.lit === true ? undefined : v.guard;
    for (const c of fr.conds) g = g ? combine(g, c, 'and') : c;
    if (!g) {
      fr.retGuard = null;
      return;
    }
    fr.retGuard = fr.retGuard === undefined ? g : combine(fr.retGuard, g, 'or');
  }

  /** Record, at a normal exit of a summarised function, what its parameters were checked for. */
  private noteExit(fr: Frame): void {
    if (!fr.exitCleared) return;
    fr.fn.params.forEach((p, i) => {
      if (p.pattern.k !== 'id') {
        fr.exitCleared![i] = 0;
        return;
      }
      const v = fr.env.lookup(p.pattern.name);
      const facts = v ? v.facts.filter((f) => f.src === -(i + 1)) : [];
      let mask = facts.length ? ALL_KINDS : 0;
      for (const f of facts) mask &= f.cleared;
      fr.exitCleared![i] = (fr.exitCleared![i] ?? ALL_KINDS) & mask;
    });
  }

  private mergeInto(target: Env, other: Env): void {
    for (const [k, v] of other.vars) {
      const cur = target.vars.get(k);
      target.vars.set(k, cur ? join(cur, v) : v);
    }
  }

  private execIf(s: Extract<Stmt, { k: 'if' }>, fr: Frame): number {
    const test = this.ev(s.test, fr);
    const g = test.guard;
    const thenEnv = fr.env.clone();
    const elseEnv = fr.env.clone();
    if (g) {
      this.refine(thenEnv, g, true, fr);
      this.refine(elseEnv, g, false, fr);
    }
    const saved = fr.env;
    const savedPrim = fr.primitive;
    fr.env = thenEnv;
    if (g?.toolName && fr.dispatch) fr.primitive = { kind: 'tool', name: g.toolName };
    if (g) fr.conds.push(g);
    const t = this.execBlock(s.then, fr);
    if (g) fr.conds.pop();
    fr.primitive = savedPrim;
    fr.env = elseEnv;
    if (g) fr.conds.push(negate(g));
    const e = this.execBlock(s.else, fr);
    if (g) fr.conds.pop();
    fr.env = saved;
    if (t && e) return Math.min(t, e);
    // what follows runs only where the branch that left was not taken
    if (g && t) fr.conds.push(negate(g));
    else if (g && e) fr.conds.push(g);
    if (t) saved.vars = elseEnv.vars;
    else if (e) saved.vars = thenEnv.vars;
    else {
      saved.vars = thenEnv.vars;
      this.mergeInto(saved, elseEnv);
    }
    return 0;
  }

  private execSwitch(s: Extract<Stmt, { k: 'switch' }>, fr: Frame): number {
    const disc = this.ev(s.disc, fr);
    const isToolName = disc.refs.some((r) => r.t === 'toolname');
    const subj = subjectOf(s.disc);
    const saved = fr.env;
    const savedPrim = fr.primitive;
    const outs: Env[] = [];
    let hasDefault = false;
    let pendingNames: string[] = [];
    for (const c of s.cases) {
      if (!c.test) hasDefault = true;
      const tv = c.test ? this.ev(c.test, fr) : EMPTY;
      if (typeof tv.lit === 'string') pendingNames.push(tv.lit);
      if (!c.body.length) continue; // fall-through label
      const env = saved.clone();
      if (c.test && subj && tv.lit !== undefined) {
        this.refine(env, mkGuard([{ subject: subj, whenTrue: ALL_KINDS, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'compared to a constant' }], c.loc, this.file(fr)), true, fr);
      }
      fr.env = env;
      if (isToolName && fr.dispatch && pendingNames.length) fr.primitive = { kind: 'tool', name: pendingNames[0]! };
      const x = this.execBlock(c.body, fr);
      fr.primitive = savedPrim;
      pendingNames = [];
      if (x !== 2) outs.push(env);
    }
    fr.env = saved;
    if (!hasDefault) outs.push(saved.clone());
    if (!outs.length) return 2;
    saved.vars = outs[0]!.vars;
    for (const o of outs.slice(1)) this.mergeInto(saved, o);
    return 0;
  }

  // ---------------------------------------------------------------- binding
  private bindParams(fn: IRFunction, params: Value[], fr: Frame): void {
    fn.params.forEach((p, i) => {
      let v: Value;
      if (p.rest && !this.isPython(fr)) v = { facts: mergeFacts([], params.slice(i).flatMap((x) => deepFacts(x))), refs: [], items: params.slice(i) };
      else v = params[i] ?? EMPTY;
      if (v === EMPTY && p.default) v = this.ev(p.default, fr);
      else if (p.default) this.ev(p.default, fr);
      this.bind(p.pattern, v, fr, true);
    });
  }

  private bind(p: Pattern, v: Value, fr: Frame, declare: boolean): void {
    switch (p.k) {
      case 'id': {
        let val = v;
        if (v.facts.length && fr.depth < 3) val = this.step(v, fr, p.loc, `assigned to \`${p.name}\``);
        if (declare) fr.env.declare(p.name, val);
        else fr.env.assign(p.name, val);
        return;
      }
      case 'default': {
        const d = this.ev(p.value, fr);
        this.bind(p.pattern, join(v, d), fr, declare);
        return;
      }
      case 'objpat': {
        const used: string[] = [];
        for (const prop of p.props) {
          let key = prop.key;
          if (prop.computed) {
            const kv = this.ev(prop.computed, fr);
            if (typeof kv.lit === 'string') key = kv.lit;
          }
          const sub = key !== undefined ? this.member(v, key, this.file(fr), prop.value.loc, fr) : taintOnly(v);
          if (key) used.push(key);
          this.bind(prop.value, sub, fr, declare);
        }
        if (p.rest) {
          const fields = v.fields ? Object.fromEntries(Object.entries(v.fields).filter(([k]) => !used.includes(k))) : undefined;
          this.bind(p.rest, { facts: v.facts, refs: [], fields }, fr, declare);
        }
        return;
      }
      case 'arrpat': {
        p.elems.forEach((q, i) => {
          if (!q) return;
          const sub = v.items?.[i] ?? this.elementOf(v);
          this.bind(q, sub, fr, declare);
        });
        if (p.rest) this.bind(p.rest, { facts: deepFacts(v), refs: [], items: v.items?.slice(p.elems.length) }, fr, declare);
        return;
      }
      case 'expr':
        this.assignTo(p.expr, v, fr);
        return;
    }
  }

  private assignTo(target: Expr, v: Value, fr: Frame): void {
    if (target.k === 'var') {
      fr.env.assign(target.name, v);
      return;
    }
    if (target.k !== 'member') {
      this.ev(target, fr);
      return;
    }
    const objV = this.ev(target.obj, fr);
    let key = target.prop;
    let keyV: Value | undefined;
    if (target.index) {
      keyV = this.ev(target.index, fr);
      if (typeof keyV.lit === 'string' || typeof keyV.lit === 'number') key = String(keyV.lit);
    }
    // prototype pollution: obj[callerKey] = … (or obj[k1][k2] = …)
    if (keyV && key === undefined) this.checkProtoWrite(target, keyV, v, objV, fr);
    // this.x = … : class field store
    for (const r of objV.refs) {
      if (r.t === 'uinst' && key !== undefined) {
        const clean: Value = { facts: v.facts.filter((f) => f.src >= 0), refs: v.refs.filter((x) => x.t !== 'param'), lit: v.lit, fields: v.fields };
        this.storeField(r.mod, r.cls, key, clean);
        // a parameter kept in a field (`self.cmd = cmd`): written for real where the function is called
        if (fr.fieldWrites) {
          for (const f of deepFacts(v)) if (f.src < 0 && fr.fieldWrites.length < 64) fr.fieldWrites.push({ mod: r.mod, cls: r.cls, field: key, param: -f.src - 1, fact: f });
        }
      }
    }
    // obj.field = … on a local object: update its fields
    const subj = subjectOf(target.obj);
    if (subj && key !== undefined && subj.var !== 'this') {
      const base = fr.env.lookup(subj.var);
      if (base && subj.path.length === 0) {
        const prev = ownField(base, key);
        const fields = { ...(base.fields ?? {}), [key]: prev ? join(prev, v) : v };
        fr.env.assign(subj.var, { ...base, fields });
      } else if (base && v.facts.length) {
        fr.env.assign(subj.var, { ...base, facts: mergeFacts(base.facts, v.facts) });
      }
    } else if (subj && key === undefined && subj.var !== 'this' && subj.path.length === 0) {
      const base = fr.env.lookup(subj.var);
      if (base) fr.env.assign(subj.var, { ...base, facts: mergeFacts(base.facts, deepFacts(v)) });
    }
  }

  private checkProtoWrite(target: Extract<Expr, { k: 'member' }>, keyV: Value, v: Value, objV: Value, fr: Frame): void {
    // obj[key] = value where key is attacker-chosen and (value is attacker-chosen or obj is itself obj[key2])
    // python dicts have no prototype: `d[key] = value` pollutes nothing
    if (this.program.modules[fr.mod]!.ir.language === 'python') return;
    const nested = target.obj.k === 'member' && target.obj.index !== undefined;
    const valueTainted = deepFacts(v).length > 0;
    if (!nested && !valueTainted) return;
    // a write into an object built right here ({}, Object.assign({}, …)) changes only that object
    if (!nested && objV.fresh) return;
    if (objV.refs.some((r) => r.t === 'q' && /(^|\.)Map$/.test(r.name))) return;
    const sink: SinkModel = { kind: 'proto', label: 'a property write with a computed key', id: 'js/proto/computed-write' };
    this.sinkFacts(keyV.facts, 'proto', sink, target.loc, fr, 'a property write with a computed key', nested ? 'high' : 'medium');
  }

  /**
   * Add a value to a class's field store. When it brings new attacker facts, the summaries of the class's
   * methods are dropped: they read the store and are made again when next called.
   */
  private storeField(mod: number, cls: number, field: string, v0: Value): void {
    // the store is one per class, not per instance: a value that only went through a library call the models
    // do not know (a statement prepared from a query built of earlier results) would taint every instance's
    // field — too weak to spread that far
    const v = v0.facts.some((f) => f.flags & F_OPAQUE) ? { ...v0, facts: v0.facts.filter((f) => !(f.flags & F_OPAQUE)) } : v0;
    const store = this.fieldStore(mod, cls);
    const cur = store.get(field);
    const next = cur ? join(cur, v) : v;
    store.set(field, next);
    if (!v.facts.length) return;
    const before = new Set((cur?.facts ?? []).map(factKey));
    if (next.facts.every((f) => before.has(factKey(f)))) return;
    const fns = this.program.modules[mod]!.ir.functions;
    for (let i = 0; i < fns.length; i++) if (fns[i]!.cls === cls && !this.inProgress.has(`${mod}:${i}`)) this.summaries.delete(`${mod}:${i}`);
  }

  private fieldStore(mod: number, cls: number): Map<string, Value> {
    const key = `${mod}:${cls}`;
    let s = this.classFields.get(key);
    if (!s) {
      s = new Map();
      this.classFields.set(key, s);
    }
    return s;
  }

  private file(fr: Frame): string {
    return this.program.modules[fr.mod]!.ir.file;
  }

  private step(v: Value, fr: Frame, loc: Span, label: string, opts: { whole?: boolean } = {}): Value {
    const st = stepOf(this.file(fr), loc, 'step', label);
    return mapFacts(v, (f) => (f.trail && f.trail.len >= MAX_TRAIL ? f : { ...f, trail: extend(f.trail, st), whole: opts.whole === false ? false : f.whole }));
  }

  // ---------------------------------------------------------------- guards
  private refine(env: Env, g: GuardInfo, truthy: boolean, fr: Frame): void {
    for (const e of g.entries) {
      if (e.setPrefix) {
        if (truthy !== e.setPrefix.when) continue;
        const text = e.setPrefix.text;
        this.updateSubject(env, e.subject, (f) => (f.prefix === '' ? { ...f, prefix: text } : f), fr, new Set());
        continue;
      }
      if (e.containment) {
        if (truthy !== e.containment.when) continue;
        const sep = e.containment.sep;
        // decided on the value that was checked; what it was derived from (`from`) gets the same verdict
        const checked = this.subjectValue(env, e.subject, fr);
        const cf = checked ? deepFacts(checked) : [];
        const allResolved = cf.length > 0 && cf.every((f) => f.flags & F_RESOLVED);
        const allReal = cf.length > 0 && cf.every((f) => f.flags & F_REALPATH);
        const upd = (f: Fact): Fact => {
          const resolved = allResolved || (f.flags & F_RESOLVED) !== 0 || e.containment!.resolved === true;
          const real = allReal || (f.flags & F_REALPATH) !== 0 || e.containment!.real === true;
          let clear = 0;
          let weak = 0;
          let note: string | undefined;
          if (resolved && sep) {
            clear = KIND_BITS.path | (real ? KIND_BITS.link : 0);
            if (!real) weak = KIND_BITS.link;
          } else {
            weak = KIND_BITS.path | (real ? KIND_BITS.link : 0);
            note = !resolved
              ? 'the path is not resolved before the prefix check, so `..` segments pass'
              : 'startsWith without a trailing separator: a sibling folder whose name starts with the allowed one passes';
          }
          const label = clear
            ? `checked at line ${g.loc.line} (${real ? 'real path inside the root' : 'resolved path inside the root'}${e.label ? `, ${e.label}` : ''})`
            : `checked at line ${g.loc.line}, but the check does not hold: ${note}`;
          const st = stepOf(g.file, g.loc, 'guard', label);
          return {
            ...f,
            cleared: f.cleared | clear,
            weak: f.weak | weak,
            trail: f.trail && f.trail.len < MAX_TRAIL ? extend(f.trail, st) : f.trail,
            notes: note ? [...new Set([...(f.notes ?? []), note])] : f.notes,
          };
        };
        this.updateSubject(env, e.subject, upd, fr, new Set());
        continue;
      }
      const clear = truthy ? e.whenTrue : e.whenFalse;
      const weak = truthy ? e.weakTrue : e.weakFalse;
      if (!clear && !weak) continue;
      const label = clear
        ? `checked at line ${g.loc.line}${e.label ? ` (${e.label})` : ''}`
        : `checked at line ${g.loc.line}, but the check does not hold: ${e.note ?? 'ineffective check'}`;
      const st = stepOf(g.file, g.loc, 'guard', label);
      const upd = (f: Fact): Fact => ({
        ...f,
        cleared: f.cleared | clear,
        weak: f.weak | weak,
        trail: f.trail && f.trail.len < MAX_TRAIL ? extend(f.trail, st) : f.trail,
        notes: weak && e.note ? [...new Set([...(f.notes ?? []), e.note])] : f.notes,
      });
      this.updateSubject(env, e.subject, upd, fr, new Set());
    }
  }

  private subjectValue(env: Env, subj: { var: string; path: string[] }, fr: Frame): Value | undefined {
    let v = env.lookup(subj.var);
    for (const p of subj.path) {
      if (!v) return undefined;
      v = this.member(v, p, this.file(fr), fr.fn.loc, fr);
    }
    return v;
  }

  private updateSubject(env: Env, subj: { var: string; path: string[] }, upd: (f: Fact) => Fact, fr: Frame, seen: Set<string>): void {
    if (seen.has(subj.var)) return;
    seen.add(subj.var);
    const base = env.lookup(subj.var);
    if (!base) return;
    const apply = (v: Value, path: string[]): Value => {
      if (!path.length) return mapFacts(v, upd);
      const [head, ...rest] = path;
      const cur = ownField(v, head!) ?? this.member(v, head!, this.file(fr), fr.fn.loc, fr);
      return { ...v, fields: { ...(v.fields ?? {}), [head!]: apply(cur, rest) } };
    };
    env.assign(subj.var, apply(base, subj.path));
    if (subj.path.length === 0) for (const other of base.from ?? []) this.updateSubject(env, { var: other, path: [] }, upd, fr, seen);
  }

  // ---------------------------------------------------------------- expressions
  ev(e: Expr, fr: Frame): Value {
    this.work++;
    switch (e.k) {
      case 'lit':
        return e.kind === 'string' || e.kind === 'number' || e.kind === 'bool' ? lit(e.value) : e.kind === 'regex' ? lit(e.value) : EMPTY;
      case 'var':
        return this.lookupVar(e.name, fr);
      case 'this':
        return fr.thisVal;
      case 'super':
        return fr.thisVal;
      case 'member': {
        const obj = this.ev(e.obj, fr);
        let prop = e.prop;
        if (e.index && prop === undefined) {
          const iv = this.ev(e.index, fr);
          if (typeof iv.lit === 'string' || typeof iv.lit === 'number') prop = String(iv.lit);
          if (prop === undefined) return join(this.elementOf(obj), taintOnly({ facts: [], refs: [], fields: obj.fields }));
        }
        return this.member(obj, prop ?? '', this.file(fr), e.loc, fr);
      }
      case 'call':
        return this.evCall(e, fr);
      case 'tpl': {
        const parts = e.parts.map((p) => this.ev(p, fr));
        if (e.tag) {
          const tag = this.ev(e.tag, fr);
          const names = tag.refs.filter((r) => r.t === 'q').map((r) => (r as { name: string }).name);
          const built = this.concat(parts, e.loc, fr);
          for (const n of names) {
            for (const s of this.sinksFor(n)) if (s.kind !== 'sql') this.checkSinkValue(s, built, e.loc, fr, 'high');
          }
          // tagged templates (sql`…`, $`…`) pass parts as parameters: not string building
          return mapFacts(taintOnly(built), (f) => ({ ...f, cleared: f.cleared | KIND_BITS.sql }));
        }
        return this.concat(parts, e.loc, fr);
      }
      case 'bin':
        return this.evBin(e, fr);
      case 'unary': {
        const a = this.ev(e.arg, fr);
        if (e.op === '!' || e.op === 'not') {
          const out: Value = { facts: [], refs: [] };
          if (a.guard) (out as { guard?: GuardInfo }).guard = negate(a.guard);
          return out;
        }
        if (e.op === 'typeof' || e.op === 'void' || e.op === 'delete') return EMPTY;
        if (e.op === '-' || e.op === '+' || e.op === '~') return this.clearValue(a, ALL_BUT_SIZE);
        return taintOnly(a);
      }
      case 'await':
        return this.ev(e.arg, fr);
      case 'cond': {
        const test = this.ev(e.test, fr);
        if (!test.guard) return join(this.ev(e.then, fr), this.ev(e.else, fr));
        const saved = fr.env;
        const tEnv = saved.clone();
        this.refine(tEnv, test.guard, true, fr);
        fr.env = tEnv;
        const a = this.ev(e.then, fr);
        const eEnv = saved.clone();
        this.refine(eEnv, test.guard, false, fr);
        fr.env = eEnv;
        const b = this.ev(e.else, fr);
        fr.env = saved;
        return join(a, b);
      }
      case 'obj': {
        const fields: Record<string, Value> = Object.create(null);
        let facts: readonly Fact[] = [];
        for (const p of e.props) {
          const v = this.ev(p.value, fr);
          if (p.spread) {
            if (v.fields) Object.assign(fields, v.fields);
            facts = mergeFacts(facts, v.facts);
          } else if (p.key !== undefined) fields[p.key] = v;
          else {
            if (p.computed) this.ev(p.computed, fr);
            facts = mergeFacts(facts, deepFacts(v));
          }
        }
        this.noteDefinition(fields);
        return { facts, refs: [], fields, fresh: true };
      }
      case 'arr': {
        const items: Value[] = [];
        let spreadFacts: readonly Fact[] = [];
        let known = true;
        for (const a of e.elems) {
          const v = this.ev(a.value, fr);
          if (a.spread) {
            if (v.items) items.push(...v.items);
            else {
              known = false;
              spreadFacts = mergeFacts(spreadFacts, deepFacts(v));
            }
          } else items.push(v);
        }
        return known ? { facts: [], refs: [], items } : { facts: mergeFacts(spreadFacts, items.flatMap((x) => deepFacts(x))), refs: [] };
      }
      case 'fn': {
        const key = `${fr.mod}:${e.fn}`;
        if (this.entryFns.has(key) && !this.handlerEnvs.has(key)) this.handlerEnvs.set(key, fr.env);
        return refValue({ t: 'fn', mod: fr.mod, fn: e.fn, env: fr.env });
      }
      case 'class':
        return refValue({ t: 'cls', mod: fr.mod, cls: e.cls });
      case 'assign': {
        let v = this.ev(e.value, fr);
        if (e.op !== '=' && e.op !== '??=' && e.op !== '||=' && e.op !== '&&=') {
          const cur = this.patternValue(e.target, fr);
          v = e.op === '+=' ? this.concat([cur, v], e.loc, fr) : join(taintOnly(cur), taintOnly(v));
        } else if (e.op !== '=') v = join(this.patternValue(e.target, fr), v);
        this.bind(e.target, v, fr, false);
        return v;
      }
      case 'seq': {
        let last = EMPTY;
        for (const x of e.exprs) last = this.ev(x, fr);
        return last;
      }
      case 'other': {
        if (e.what === 'yield' && e.children.length === 1) return this.ev(e.children[0]!, fr);
        let acc = EMPTY;
        for (const c of e.children) acc = join(acc, taintOnly(this.ev(c, fr)));
        return acc;
      }
    }
  }

  private patternValue(p: Pattern, fr: Frame): Value {
    if (p.k === 'id') return this.lookupVar(p.name, fr);
    if (p.k === 'expr') return this.ev(p.expr, fr);
    return EMPTY;
  }

  private lookupVar(name: string, fr: Frame): Value {
    const v = fr.env.lookup(name);
    if (v !== undefined) return v;
    const lang = this.program.modules[fr.mod]!.ir.language;
    if (lang === 'python') return refValue({ t: 'q', name: `builtins.${name}` });
    return refValue({ t: 'q', name: `global.${name}` });
  }

  private evBin(e: Extract<Expr, { k: 'bin' }>, fr: Frame): Value {
    const op = e.op;
    if (op === '+') {
      const l = this.ev(e.left, fr);
      const r = this.ev(e.right, fr);
      return this.concat([l, r], e.loc, fr);
    }
    if (op === '%' && this.program.modules[fr.mod]!.ir.language === 'python') {
      const l = this.ev(e.left, fr);
      const r = this.ev(e.right, fr);
      if (typeof l.lit === 'string') return this.pyFormat(l.lit, '%', r.items ? [...r.items] : [r], { ...(r.fields ?? {}) }, e.loc, fr);
    }
    if (op === '||' || op === '??' || op === 'or') {
      const l = this.ev(e.left, fr);
      const r = this.ev(e.right, fr);
      const v = join(l, r);
      if (l.guard && r.guard) return { ...v, guard: combine(l.guard, r.guard, 'or') };
      return v;
    }
    if (op === '&&' || op === 'and') {
      const l = this.ev(e.left, fr);
      const r = this.ev(e.right, fr);
      const v: Value = { facts: r.facts, refs: r.refs, fields: r.fields, items: r.items, lit: r.lit };
      if (l.guard || r.guard) return { ...v, guard: combine(l.guard, r.guard, 'and') };
      return v;
    }
    const l = this.ev(e.left, fr);
    const r = this.ev(e.right, fr);
    if (op === '===' || op === '==' || op === '!==' || op === '!=' || op === 'is' || op === 'is not') {
      const neg = op.startsWith('!') || op === 'is not';
      const g = (this.isPython(fr) ? this.pyCommonpathGuard(e, fr) : undefined) ?? this.equalityGuard(e, l, r, fr);
      if (g) return { facts: [], refs: [], guard: neg ? negate(g) : g };
      return EMPTY;
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      // size bound: n > MAX → when false, n is bounded
      const lt = deepFacts(l).length > 0;
      const rt = deepFacts(r).length > 0;
      const subj = lt && !rt ? subjectOf(e.left) : rt && !lt ? subjectOf(e.right) : undefined;
      if (subj) {
        const upper = (op === '<' || op === '<=') === lt; // subject < X → bounded when true
        const ent: GuardEntry = { subject: subj, whenTrue: upper ? KIND_BITS.size : 0, whenFalse: upper ? 0 : KIND_BITS.size, weakTrue: 0, weakFalse: 0 };
        return { facts: [], refs: [], guard: mkGuard([ent], e.loc, this.file(fr)) };
      }
      return EMPTY;
    }
    if (op === 'in' || op === 'not in') {
      const lt = deepFacts(l).length > 0;
      const subj = subjectOf(e.left);
      // python: an allow-list read from configuration (`x in list_projects()`) is trusted too
      if (lt && subj && (deepFacts(r).length === 0 || (this.isPython(fr) && deepFacts(r).every((f) => this.isConfig(f))))) {
        const lang = this.program.modules[fr.mod]!.ir.language;
        const mask = lang === 'python' ? ALL_KINDS : ALL_KINDS & ~KIND_BITS.proto;
        const host = lang === 'python' ? hostSubject(subj) : undefined;
        const ent: GuardEntry = host
          ? { subject: host, whenTrue: KIND_BITS.url | KIND_BITS.redirect, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'host allow-list' }
          : { subject: subj, whenTrue: mask, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'allow-list' };
        const g = mkGuard([ent], e.loc, this.file(fr));
        return { facts: [], refs: [], guard: op === 'not in' ? negate(g) : g };
      }
      return EMPTY;
    }
    if (op === 'instanceof') return EMPTY;
    if (this.isPython(fr)) {
      const pv = this.pyArith(op, l, r, e, fr);
      if (pv) return pv;
    }
    // arithmetic: a number
    return this.clearValue(join(taintOnly(l), taintOnly(r)), ALL_BUT_SIZE);
  }

  private equalityGuard(e: Extract<Expr, { k: 'bin' }>, l: Value, r: Value, fr: Frame): GuardInfo | undefined {
    const pick = (x: Value, y: Value, xe: Expr): GuardInfo | undefined => {
      if (y.lit === undefined) {
        // x === trustedValue: x is that trusted value. While summarising, "trusted" may mean "another parameter",
        // which the call site checks (trustedParams).
        const xf = deepFacts(x);
        const yf = deepFacts(y);
        if (!xf.length) return undefined;
        if (yf.some((f) => f.src >= 0 && !this.isConfig(f))) return undefined;
        const trusted = [...new Set(yf.filter((f) => f.src < 0).map((f) => -f.src - 1))];
        if (trusted.some((i) => xf.some((f) => f.src === -(i + 1)))) return undefined;
        const subj = subjectOf(xe);
        if (!subj) return undefined;
        const ent: GuardEntry = { subject: subj, whenTrue: ALL_KINDS, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'equals a trusted value' };
        if (trusted.length) ent.trustedParams = trusted;
        return mkGuard([ent], e.loc, this.file(fr));
      }
      // typeof x === 'number'
      if (xe.k === 'unary' && xe.op === 'typeof') {
        const subj = subjectOf(xe.arg);
        if (!subj) return undefined;
        const safe = y.lit === 'number' || y.lit === 'boolean' || y.lit === 'bigint';
        return safe ? mkGuard([{ subject: subj, whenTrue: ALL_BUT_SIZE, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'type check' }], e.loc, this.file(fr)) : undefined;
      }
      const subj0 = subjectOf(xe);
      const host = subj0 ? hostSubject(subj0) : undefined;
      if (host && typeof y.lit === 'string') return mkGuard([{ subject: host, whenTrue: KIND_BITS.url | KIND_BITS.redirect, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'host check' }], e.loc, this.file(fr));
      if (subj0 && subj0.path.at(-1) === 'protocol' && typeof y.lit === 'string') {
        // a scheme allow-list: what the platform opener gets cannot be another scheme (file:, javascript:, a command)
        const web = /^(https?|mailto):$/i.test(y.lit);
        return web ? mkGuard([{ subject: { var: subj0.var, path: subj0.path.slice(0, -1) }, whenTrue: KIND_BITS.opener, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'scheme check' }], e.loc, this.file(fr)) : undefined;
      }
      const subj = subj0 && /^(protocol|port|pathname|search|hash)$/.test(subj0.path.at(-1) ?? '') ? undefined : subj0;
      const g = subj ? mkGuard([{ subject: subj, whenTrue: ALL_KINDS, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'compared to a constant' }], e.loc, this.file(fr)) : mkGuard([], e.loc, this.file(fr));
      if (x.refs.some((rr) => rr.t === 'toolname') && typeof y.lit === 'string') g.toolName = y.lit;
      return g.toolName || g.entries.length ? g : undefined;
    };
    return pick(l, r, e.left) ?? pick(r, l, e.right);
  }

  private clearValue(v: Value, mask: number): Value {
    const t = taintOnly(v);
    if (t === EMPTY) return t;
    return mapFacts(t, (f) => ({ ...f, cleared: f.cleared | mask }));
  }

  /** String building: template literal, `+`, `+=`, f-strings. */
  private concat(parts: Value[], loc: Span, fr: Frame): Value {
    let pre = '';
    let facts: readonly Fact[] = [];
    let allLit = true;
    let litText = '';
    const nonEmpty = parts.filter((p) => !(p.lit === '' && !p.facts.length)).length;
    for (const p of parts) {
      const pf = deepFacts(p);
      if (pf.length) {
        const whole = nonEmpty <= 1;
        facts = mergeFacts(
          facts,
          pf.map((f) => ({ ...f, prefix: pre + f.prefix, whole: f.whole && whole })),
        );
        // a string built here keeps its skeleton (`https://\u0002.example.com`); configuration (environment,
        // files) is not attacker input: for what follows it is an unknown constant
        const shape = (p as { shape?: string }).shape;
        pre += shape ?? (pf.every((f) => this.isConfig(f)) ? '\u0001' : '\u0002');
        allLit = false;
      } else if (typeof p.lit === 'string' || typeof p.lit === 'number' || typeof p.lit === 'boolean') {
        pre += String(p.lit);
        litText += String(p.lit);
      } else {
        pre += (p as { shape?: string }).shape ?? '\u0001';
        allLit = false;
      }
    }
    const out: { -readonly [K in keyof Value]: Value[K] } & { endSep?: boolean; shape?: string } = { facts, refs: [] };
    if (!allLit && pre.length <= 400) out.shape = pre;
    if (allLit) out.lit = litText;
    const last = parts.at(-1);
    if (last && endsWithSep(last)) out.endSep = true;
    if (facts.length && nonEmpty > 1) {
      const st = stepOf(this.file(fr), loc, 'step', 'built into a string');
      out.facts = facts.map((f) => (f.trail && f.trail.len < MAX_TRAIL ? { ...f, trail: extend(f.trail, st) } : f));
    }
    return out;
  }

  private isConfig(f: Fact): boolean {
    if (f.src < 0) return false;
    const k = this.sources[f.src]!.kind;
    return k === 'environment' || k === 'file';
  }

  private elementOf(v: Value): Value {
    let out: Value = { facts: deepFacts(v), refs: v.refs.filter((r) => r.t === 'inst') };
    if (v.items) for (const it of v.items) out = join(out, it);
    return out;
  }

  // ---------------------------------------------------------------- member access
  member(obj: Value, prop: string, file: string, loc: Span, fr: Frame | null): Value {
    let out: Value = EMPTY;
    const own = ownField(obj, prop);
    if (own) return own;
    if (obj.items && /^\d+$/.test(prop)) {
      const it = obj.items[Number(prop)];
      if (it) return it;
    }
    if (prop === 'length' && (obj.facts.length || obj.items)) {
      // the length of data already received: a number, and no bigger than what the caller already sent
      return mapFacts(taintOnly(obj), (f) => ({ ...f, cleared: f.cleared | ALL_KINDS }));
    }
    if (obj.facts.length) {
      const facts = obj.facts.map((f) => (f.src >= 0 && this.sources[f.src]!.container && !/^\d+$/.test(prop) ? this.deriveSource(f, prop, file, loc, fr?.primitive) : f));
      out = join(out, { facts, refs: [] });
    }
    const refs: Ref[] = [];
    for (const r of obj.refs) {
      switch (r.t) {
        case 'q': {
          if (prop === 'default' || prop === '__esModule') {
            refs.push(r);
            break;
          }
          const name = r.name === 'fs' && prop === 'promises' ? 'fs/promises' : `${r.name}.${prop}`;
          refs.push({ t: 'q', name });
          const src = this.models.sourcesByMember.get(name) ?? this.models.sourcesByMember.get(name.replace(/^(global|builtins)\./, ''));
          if (src) out = join(out, this.callSiteSource(src.kind, src.label ?? name, file, loc, fr));
          // process.env.X: member of a source-model container
          const parentSrc = this.models.sourcesByMember.get(r.name) ?? this.models.sourcesByMember.get(r.name.replace(/^(global|builtins)\./, ''));
          if (parentSrc) out = join(out, this.callSiteSource(parentSrc.kind, `${parentSrc.label ?? r.name} (${prop})`, file, loc, fr));
          break;
        }
        case 'inst': {
          if (/^\d+$/.test(prop)) {
            refs.push(r);
            break;
          }
          const name = `${r.name}#${prop}`;
          // a property that is itself an instance (`repo.git`), or that sanitises (`Path(x).name`)
          const type = this.models.memberTypes.get(name);
          refs.push(type ? { t: 'inst', name: type } : { t: 'q', name });
          // `Class#*`: any other property is an instance too (`client.mydb`, `db.users`); the name stays, for methods
          const any = type ? undefined : this.models.memberTypes.get(`${r.name}#*`);
          if (any) refs.push({ t: 'inst', name: any });
          const mask = this.models.memberSanitizers.get(name);
          if (mask) out = mapFacts(out, (f) => ({ ...f, cleared: f.cleared | mask }));
          break;
        }
        case 'mod': {
          const v = this.exportOf(r.mod, prop, new Set());
          out = join(out, v);
          break;
        }
        case 'uinst':
        case 'cls': {
          const m = this.findMethod(r.mod, r.cls, prop);
          if (m) refs.push(m);
          const store = this.classFields.get(`${r.mod}:${r.cls}`);
          const fv = store?.get(prop);
          if (fv) out = join(out, fv);
          break;
        }
        case 'param':
          refs.push(r);
          break;
        default:
          break;
      }
    }
    if (refs.length) out = { ...out, refs: mergeRefs(out.refs, refs) };
    return out;
  }

  private findMethod(mod: number, cls: number, name: string, depth = 0): Ref | undefined {
    const c = this.program.modules[mod]!.ir.classes[cls];
    if (!c || depth > 8) return undefined;
    const fi = Object.hasOwn(c.methods, name) ? c.methods[name] : undefined;
    if (fi !== undefined) return { t: 'fn', mod, fn: fi };
    if (c.superClass) {
      const sv = this.evalIn(mod, c.superClass);
      for (const r of sv.refs) if (r.t === 'cls') return this.findMethod(r.mod, r.cls, name, depth + 1);
    }
    return undefined;
  }

  /** A secondary source at a call site or member access (one source per site). */
  private callSiteSource(kind: SourceDef['kind'], label: string, file: string, loc: Span, fr: Frame | null): Value {
    const key = `${file}:${loc.line}:${loc.col}:${kind}`;
    let i = this.callSources.get(key);
    if (i === undefined) {
      i = this.addSource({ kind, label, primitive: fr?.primitive ?? { kind: 'protocol' }, file, loc });
      this.callSources.set(key, i);
    }
    const s = this.sources[i]!;
    return {
      facts: [{ src: i, trail: extend(null, stepOf(file, loc, 'source', s.label)), cleared: 0, weak: 0, whole: true, prefix: '', flags: 0 }],
      refs: [],
    };
  }

  // ---------------------------------------------------------------- calls
  private evCall(e: Extract<Expr, { k: 'call' }>, fr: Frame): Value {
    let recv: Value | undefined;
    let fnVal: Value;
    let methodName: string | undefined;
    if (e.callee.k === 'member') {
      recv = this.ev(e.callee.obj, fr);
      methodName = e.callee.prop;
      if (methodName === undefined && e.callee.index) {
        const iv = this.ev(e.callee.index, fr);
        if (typeof iv.lit === 'string') methodName = iv.lit;
      }
      fnVal = methodName !== undefined ? this.member(recv, methodName, this.file(fr), e.callee.loc, fr) : EMPTY;
    } else fnVal = this.ev(e.callee, fr);
    let args = e.args.map((a) => this.ev(a.value, fr));
    // python keyword arguments keep their names
    const kw: Record<string, Value> = {};
    e.args.forEach((a, i) => {
      if (a.name) kw[a.name] = args[i]!;
    });
    if (this.isPython(fr)) {
      args = this.pyPositional(e.args, args, kw);
      // '…{}…'.format(x): string building
      if (methodName === 'format' && typeof recv?.lit === 'string') return this.pyFormat(recv.lit, '{', args, kw, e.loc, fr);
      // d.get("key"[, default]) on a dict of no known type (the arguments of a tool call): that entry
      if (methodName === 'get' && recv && !fnVal.refs.length && typeof args[0]?.lit === 'string' && (recv.facts.length || recv.fields)) {
        return join(this.member(recv, args[0].lit, this.file(fr), e.loc, fr), args[1] ?? EMPTY);
      }
    }
    const calleeName = e.callee.k === 'var' ? e.callee.name : e.callee.k === 'member' ? e.callee.prop : undefined;
    // tsc's down-levelled async functions: __awaiter(this, _a, P, function* () { … }) runs the generator
    if (calleeName === '__awaiter' && args[3]) {
      let out = EMPTY;
      for (const r of args[3].refs) {
        if (r.t !== 'fn' || fr.depth >= MAX_INLINE_DEPTH || this.inProgress.has(`inline:${r.mod}:${r.fn}`)) continue;
        out = join(out, this.inline(r, fr.thisVal, [], { ...fr, depth: fr.depth - 1 < 0 ? 0 : fr.depth - 1 }));
      }
      return out;
    }
    if (calleeName && IDENTITY_HELPERS.has(calleeName)) return args[0] ?? EMPTY;
    // `.call(this, a, b)` / `.apply(this, [a, b])`
    if ((methodName === 'call' || methodName === 'apply') && recv && recv.refs.some((r) => r.t === 'fn' || r.t === 'q')) {
      const rest = methodName === 'call' ? args.slice(1) : (args[1]?.items?.slice() ?? []);
      return this.callValue(recv, args[0] ?? EMPTY, rest, {}, e, fr, undefined, e.args.slice(1));
    }
    if (methodName === 'bind' && recv && recv.refs.some((r) => r.t === 'fn')) return recv;
    const result = this.callValue(fnVal, recv ?? EMPTY, args, kw, e, fr, methodName, e.args);
    // checks written as calls (allow-lists, containment, regex tests), whatever the receiver's type
    if (methodName && !result.guard) {
      const py = this.isPython(fr);
      const g = this.callGuard(py ? (PY_GUARD_METHODS[methodName] ?? methodName) : methodName, recv ?? EMPTY, args, e, fr) ?? (py ? this.pyCallGuard(methodName, recv ?? EMPTY, args, e, fr, result) : undefined);
      if (g) return { facts: [], refs: [], guard: g };
    }
    // isinstance(x, int): a number (digits and a sign) when true
    if (calleeName === 'isinstance' && e.callee.k === 'var' && !result.guard && this.isPython(fr) && e.args[0] && e.args[1] && deepFacts(args[0] ?? EMPTY).length) {
      const g = this.pyIsinstanceGuard(e.args[0].value, e.args[1].value, e, fr);
      if (g) return { facts: [], refs: [], guard: g };
    }
    return result;
  }

  private callValue(
    fnVal: Value,
    recv: Value,
    args: Value[],
    kw: Record<string, Value>,
    e: Extract<Expr, { k: 'call' }>,
    fr: Frame,
    methodName: string | undefined,
    argExprs: Arg[],
  ): Value {
    let result = EMPTY;
    let resolved = false;
    for (const r of fnVal.refs) {
      switch (r.t) {
        case 'q':
        case 'inst': {
          // a built-in method on a library value with no model of its own (`.map`, `.some`, `.then`, …)
          if (r.t === 'q' && methodName && BUILTIN_METHODS.has(methodName) && !this.hasModel(r.name)) break;
          resolved = true;
          // calling an instance (a function built by `new Function`, an axios instance) is its `#call`
          const name = r.t === 'inst' ? `${r.name}#call` : r.name;
          result = join(result, this.libCall(name, recv, args, kw, e, fr, argExprs));
          break;
        }
        case 'fn': {
          resolved = true;
          result = join(result, this.userCall(r, recv, args, e, fr, kw));
          break;
        }
        case 'cls': {
          resolved = true;
          const ctor = this.findMethod(r.mod, r.cls, 'constructor') ?? this.findMethod(r.mod, r.cls, '__init__');
          let inst: Value = refValue({ t: 'uinst', mod: r.mod, cls: r.cls });
          if (ctor && ctor.t === 'fn') this.userCall(ctor, inst, args, e, fr, kw);
          // python dataclasses / pydantic models (no __init__ of their own): the arguments are the fields
          else if (this.program.modules[r.mod]!.ir.language === 'python' && (args.length || Object.keys(kw).length)) inst = { ...inst, fields: this.pyModelFields(r.mod, r.cls, args, kw) };
          result = join(result, inst);
          break;
        }
        default:
          break;
      }
    }
    if (!resolved) result = join(result, this.unknownCall(recv, args, e, fr, methodName, argExprs));
    return result;
  }

  private userCall(r: Extract<Ref, { t: 'fn' }>, thisVal: Value, args0: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame, kw: Record<string, Value> = {}): Value {
    // a dispatcher calling the handler of a definition object: findings belong to that tool
    const named = fr.dispatch && !fr.primitive.name ? this.toolOfFn.get(`${r.mod}:${r.fn}`) : undefined;
    if (named) {
      const saved = fr.primitive;
      fr.primitive = { kind: saved.kind === 'protocol' ? 'tool' : saved.kind, name: named };
      try {
        return this.userCall0(r, thisVal, args0, e, fr, kw);
      } finally {
        fr.primitive = saved;
      }
    }
    return this.userCall0(r, thisVal, args0, e, fr, kw);
  }

  private userCall0(r: Extract<Ref, { t: 'fn' }>, thisVal: Value, args0: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame, kw: Record<string, Value> = {}): Value {
    const mod = this.program.modules[r.mod]!;
    const fn = mod.ir.functions[r.fn]!;
    if (IDENTITY_HELPERS.has(fn.name)) return args0[0] ?? EMPTY;
    // python: one value per parameter (self, keyword arguments by name, *args / **kwargs packed)
    const py = mod.ir.language === 'python' ? this.pyActuals(fn, thisVal, args0, kw, e) : undefined;
    const args = py ? py.values : args0;
    const call = stepOf(this.file(fr), e.loc, 'call', `passed to ${fn.name.startsWith('<') ? 'a callback' : `${fn.name}()`}`);
    const key = `${r.mod}:${r.fn}`;
    const nested = fn.parent !== undefined && fn.parent !== 0 && fn.cls === undefined;
    if (nested || this.entryFns.has(key)) {
      if (fr.depth >= MAX_INLINE_DEPTH || this.inProgress.has(`inline:${key}`)) return taintOnly(joinAll(args));
      return this.inline(r, thisVal, args, fr);
    }
    // wrappers (`wrapToolHandler(name, handler)`, `withErrorHandling(fn)`): given functions, run inline so the
    // functions they return close over the real callbacks, not symbolic parameters
    if (args.some((a) => a.refs.some((x) => x.t === 'fn')) && fr.depth < MAX_INLINE_DEPTH && !this.inProgress.has(`inline:${key}`) && !this.inProgress.has(key)) {
      const s0 = this.summaries.get(key);
      if (!s0 || s0.ret.refs.some((x) => x.t === 'fn' || x.t === 'param')) return this.inline(r, thisVal, args, fr);
    }
    // low-level dispatch through a helper (`handleToolCall(request.params.name, args)`): run it inline so that
    // its switch on the tool name attributes findings to each tool
    if (fr.dispatch && args.some((a) => a.refs.some((x) => x.t === 'toolname')) && fr.depth < MAX_INLINE_DEPTH && !this.inProgress.has(`inline:${key}`)) {
      return this.inline(r, thisVal, args, fr);
    }
    const s = this.summary(r.mod, r.fn);
    // python methods: `self` is the first parameter (already in py.values)
    const actual = args;
    for (const w of s.fieldWrites ?? []) {
      const a = actual[w.param];
      if (!a) continue;
      const facts = deepFacts(a).map((f) => this.compose(f, call, w.fact));
      const concrete = facts.filter((f) => f.src >= 0);
      if (concrete.length) this.storeField(w.mod, w.cls, w.field, { facts: concrete, refs: [] });
      // still a parameter here: this function writes it too
      if (fr.fieldWrites) for (const f of facts) if (f.src < 0 && fr.fieldWrites.length < 64) fr.fieldWrites.push({ ...w, param: -f.src - 1, fact: f });
    }
    for (const h of s.hits) {
      const a = actual[h.param];
      if (!a) continue;
      // sinks that depend on whether the argument is a list (anyio.run_process): decided on the actual value
      if ((h.sink.unlessList && a.items) || (h.sink.onlyList && !a.items)) continue;
      let facts = deepFacts(a);
      if (h.items) {
        if (a.items) {
          const { argument, command } = listSinkFacts(a.items, h.program);
          facts = [...argument];
          for (const f of command) this.emit('command', h.sink, this.compose(f, call, h.fact), h.file, h.loc, fr, `${h.op}, whose item after \`-c\` a shell runs`, h.confidence);
        } else facts = facts.filter((f) => f.prefix === '');
      }
      for (const f of facts) {
        const c = this.compose(f, call, h.fact);
        this.emit(h.kind, h.sink, c, h.file, h.loc, fr, h.op, h.confidence);
      }
    }
    // assertion functions: a normal return means the argument passed the function's checks
    const argOffset = 0;
    if (s.asserts) {
      s.asserts.forEach((mask, i) => {
        const ex = py ? py.exprs[i] : e.args[i - argOffset]?.value;
        const subj = mask && ex ? subjectOf(ex) : undefined;
        if (!subj) return;
        const st = stepOf(this.file(fr), e.loc, 'guard', `checked by ${fn.name}()`);
        this.updateSubject(fr.env, subj, (f) => ({ ...f, cleared: f.cleared | mask, trail: f.trail && f.trail.len < MAX_TRAIL ? extend(f.trail, st) : f.trail }), fr, new Set());
      });
    }
    if (s.noReturn) fr.noReturnCall = true;
    let ret = this.substitute(s.ret, actual, stepOf(this.file(fr), e.loc, 'return', `returned from ${fn.name}()`));
    // guard functions (`isInside(root, p)`): the returned check is about the arguments
    if (s.ret.guard) {
      const g = this.mapGuard(s.ret.guard, fn, py ? (py.exprs as Expr[]) : e.args.map((a) => a.value), args, argOffset, e.loc, this.file(fr));
      ret = g ? { ...ret, guard: g } : { ...ret, guard: undefined };
    }
    const from = this.fromOf(e.args.map((x) => x.value), args0);
    return from.length ? { ...ret, from } : ret;
  }

  /** Re-express a guard on locals of a function as a guard on its parameters (through `from`). */
  private toParamGuard(g: GuardInfo, fn: IRFunction, env: Env): GuardInfo | undefined {
    const params = fn.params.map((p) => (p.pattern.k === 'id' ? p.pattern.name : ''));
    const entries: GuardEntry[] = [];
    for (const e of g.entries ?? []) {
      if (params.includes(e.subject.var)) {
        entries.push(e);
        continue;
      }
      if (e.subject.path.length) continue;
      const v = env.vars.get(e.subject.var);
      const p = (v?.from ?? []).find((n) => params.includes(n));
      if (p) entries.push({ ...e, subject: { var: p, path: [] } });
    }
    return entries.length ? mkGuard(entries, g.loc, g.file) : undefined;
  }

  private mapGuard(g: GuardInfo, fn: IRFunction, argExprs: Expr[], argVals: Value[], offset: number, loc: Span, file: string): GuardInfo | undefined {
    const entries: GuardEntry[] = [];
    for (const e of g.entries ?? []) {
      const i = fn.params.findIndex((p) => p.pattern.k === 'id' && p.pattern.name === e.subject.var);
      if (i < 0) continue;
      if (e.trustedParams?.some((j) => deepFacts(argVals[j - offset] ?? EMPTY).some((f) => f.src < 0 || !this.isConfig(f)))) continue;
      const ex = argExprs[i - offset];
      const subj = ex ? subjectOf(ex) : undefined;
      if (!subj) continue;
      entries.push({ ...e, subject: { var: subj.var, path: [...subj.path, ...e.subject.path] }, label: e.label ? `${e.label}, by ${fn.name}()` : `by ${fn.name}()` });
    }
    return entries.length ? mkGuard(entries, loc, file) : undefined;
  }



  /** Run a nested function inline with its captured environment. */
  private inline(r: Extract<Ref, { t: 'fn' }>, thisVal: Value, args: Value[], fr: Frame): Value {
    const mod = this.program.modules[r.mod]!;
    const fn = mod.ir.functions[r.fn]!;
    const parent = (r.env as Env | undefined) ?? this.moduleEnv(r.mod);
    const key = `inline:${r.mod}:${r.fn}`;
    this.inProgress.add(key);
    const sub = frameOf(r.mod, fn, new Env(parent), { summary: fr.summary, hits: fr.hits, fieldWrites: fr.fieldWrites, primitive: fr.primitive, thisVal: fn.isArrow ? fr.thisVal : thisVal, depth: fr.depth + 1, dispatch: fr.dispatch });
    this.bindParams(fn, args, sub);
    const end = this.execBlock(fn.body, sub);
    this.inProgress.delete(key);
    if (end === 2 && !sub.returned && fn.body.length) fr.noReturnCall = true;
    if (sub.retGuard) return { ...sub.ret, guard: sub.retGuard };
    if (sub.retGuard === null && sub.ret.guard) return { ...sub.ret, guard: undefined };
    return sub.ret;
  }

  private fromOf(argExprs: Expr[], args: Value[]): string[] {
    const tainted = args.map((a, i) => (deepFacts(a).length ? i : -1)).filter((i) => i >= 0);
    if (tainted.length !== 1) return [];
    const ex = argExprs[tainted[0]!];
    const subj = ex ? subjectOf(ex) : undefined;
    const v = args[tainted[0]!]!;
    if (!subj) return [...(v.from ?? [])];
    if (subj.path.length) return [];
    return [subj.var, ...(v.from ?? [])];
  }

  /** Handlers named by definition objects (`{ name: 'x', handler: fn }`): for attributing dispatch through a lookup. */
  readonly toolOfFn = new Map<string, string>();
  private noteDefinition(fields: Record<string, Value>): void {
    const name = fields.name?.lit;
    if (typeof name !== 'string') return;
    for (const k of ['handler', 'execute', 'callback', 'run', 'fn', 'handle', 'cb', 'impl', 'call']) {
      const v = Object.hasOwn(fields, k) ? fields[k] : undefined;
      for (const r of v?.refs ?? []) if (r.t === 'fn' && !this.toolOfFn.has(`${r.mod}:${r.fn}`)) this.toolOfFn.set(`${r.mod}:${r.fn}`, name);
    }
  }

  /** Run a handler with no input and return what it returns (e.g. the ListTools handler's tool list). */
  evaluateHandler(mod: number, fn: number): Value {
    const m = this.program.modules[mod]!;
    const f = m.ir.functions[fn]!;
    const fr = frameOf(mod, f, new Env(this.handlerEnvs.get(`${mod}:${fn}`) ?? this.moduleEnv(mod)));
    let out = EMPTY;
    this.guarded(() => {
      this.execBlock(f.body, fr);
      out = fr.ret;
    }, () => `${m.ir.file}: ${f.name}`);
    return out;
  }

  private noteRegistration(method: string, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame): void {
    const kind = /tool|Tool/.test(method) ? 'tool' : /rompt/.test(method) ? 'prompt' : 'resource';
    const fastmcp = method.startsWith('add');
    const cfg = fastmcp ? args[0] : undefined;
    const nameV = fastmcp ? cfg?.fields?.name : args[0];
    const descV = fastmcp ? cfg?.fields?.description : args.slice(1).find((a) => typeof a.lit === 'string');
    const handlerV = fastmcp ? (cfg?.fields?.execute ?? cfg?.fields?.load) : args.at(-1);
    const handler = (handlerV?.refs ?? []).filter((r): r is Extract<Ref, { t: 'fn' }> => r.t === 'fn').map((r) => ({ mod: r.mod, fn: r.fn, env: r.env }));
    if (!handler.length) return;
    this.registrations.push({
      kind,
      method,
      name: typeof nameV?.lit === 'string' ? nameV.lit : undefined,
      description: typeof descV?.lit === 'string' ? descV.lit : undefined,
      handler,
      file: this.file(fr),
      loc: e.loc,
      mod: fr.mod,
    });
  }

  /**
   * Record a summary hit once per (parameter, kind, sink place, what the fact was cleared for): without this,
   * hits multiply up the call chain (each caller re-records its callees' hits per call site and per pass).
   */
  private readonly hitKeys = new WeakMap<Hit[], Set<string>>();
  private pushHit(hits: Hit[], h: Hit): void {
    let keys = this.hitKeys.get(hits);
    if (!keys) {
      keys = new Set();
      this.hitKeys.set(hits, keys);
    }
    if (keys.size >= MAX_HITS) return;
    const k = `${h.param}|${h.kind}|${h.file}|${h.loc.line}|${h.loc.col}|${h.fact.cleared}|${h.fact.weak}|${h.fact.prefix ? 1 : 0}|${h.items ? 1 : 0}|${h.fact.flags}`;
    if (keys.has(k)) return;
    keys.add(k);
    hits.push(h);
  }

  private hasModel(name: string): boolean {
    const M = this.models;
    const short = name.replace(/^(global|builtins)\./, '');
    return [name, short].some(
      (n) => M.sinksByCall.has(n) || M.propagators.has(n) || M.sanitizers.has(n) || M.types.has(n) || M.sourcesByCall.has(n),
    );
  }

  private sinksFor(name: string): SinkModel[] {
    const m = this.models.sinksByCall;
    return m.get(name) ?? m.get(nameInfo(name).short) ?? [];
  }

  private libCall(
    name0: string,
    recv: Value,
    args: Value[],
    kw: Record<string, Value>,
    e: Extract<Expr, { k: 'call' }>,
    fr: Frame,
    argExprs: Arg[],
  ): Value {
    const name = name0;
    const info = nameInfo(name);
    const short = info.short;
    const M = this.models;
    const file = this.file(fr);
    // require('x') / import('x')
    if ((short === 'require' || short === 'import' || short === '__import__') && typeof args[0]?.lit === 'string') {
      return this.importValue(fr.mod, args[0].lit, '*');
    }
    if ((short === 'Object.assign' || short === 'Object.create') && args[0] && (args[0].fresh || args[0].lit === null)) {
      return { ...join(args[0], taintOnly(joinAll(args.slice(1)))), fresh: true };
    }
    if ((short === 'Set' || short === 'Array.from' || short === 'Object.freeze') && args[0]?.items) {
      return { facts: [], refs: [{ t: 'inst', name: short === 'Set' ? 'global.Set' : 'global.Array' }], items: args[0].items };
    }
    if (short === 'Promise.all' || short === 'Promise.allSettled' || short === 'Promise.race' || short === 'Promise.any' || short === 'Promise.resolve') return args[0] ?? EMPTY;
    // MCP registrations with values known only while interpreting (names from definition objects)
    if (info.registration) this.noteRegistration(info.registration, args, e, fr);
    // sinks
    for (const s of this.sinksFor(name)) this.checkSink(s, name, recv, args, kw, e, fr);
    let result: Value | undefined;
    const prop = M.propagators.get(name) ?? M.propagators.get(short);
    const san = M.sanitizers.get(name) ?? M.sanitizers.get(short);
    const type = M.types.get(name) ?? M.types.get(short);
    if (prop) {
      if (prop.returnsArg !== undefined) result = args[prop.returnsArg] ?? EMPTY;
      else if (prop.clean) result = EMPTY;
      else {
        const from = prop.from ?? args.map((_, i) => i);
        let v = joinAll(from.map((i) => taintOnly(args[i] ?? EMPTY)));
        if (!prop.from) v = join(v, taintOnly(recv));
        let set = 0;
        let unset = 0;
        for (const s of prop.sets ?? []) set |= flagOf(s);
        for (const s of prop.unsets ?? []) unset |= flagOf(s);
        if (set || unset) v = mapFacts(v, (f) => ({ ...f, flags: (f.flags & ~unset) | set }));
        if (prop.reopens) {
          const open = kindMask(prop.reopens);
          v = mapFacts(v, (f) => ({ ...f, cleared: f.cleared & ~open }));
        }
        if (v.facts.length) v = this.step(v, fr, e.loc, `${short.split('.').slice(-2).join('.')}()`, { whole: false });
        result = v;
      }
    } else if (san) {
      const a = san.arg === -1 ? recv : args[san.arg] ?? EMPTY;
      result = this.clearValue(a, san.mask);
      if (result.facts.length) result = this.step(result, fr, e.loc, `sanitised by ${short}()`);
    }
    if (type && Object.keys(kw).length) result = { ...(result ?? EMPTY), fields: { ...(result?.fields ?? {}), ...kw } };
    if (type) {
      // a prepared statement whose SQL ends in LIMIT ?: the caller's value chooses how many rows are loaded
      const limited = /Statement$/.test(type) && typeof args[0]?.lit === 'string' && /\bLIMIT\s+(\?|\$\d+|:\w+|@\w+)/i.test(args[0].lit);
      result = join(result ?? EMPTY, refValue({ t: 'inst', name: limited ? `${type}:limit` : type }));
    }
    // callbacks given to a library call run with what the library passes (unknown: untainted), but their own
    // captured data still flows inside them
    this.runCallbacks(argExprs, args, recv, fr, undefined);
    if (!result) {
      // unknown library function: taint flows from arguments and receiver to the result — but what the
      // library does with it is not known: the facts are marked opaque (lower confidence, not `whole`)
      result = join(taintOnly(joinAll(args)), taintOnly(recv));
      if (result.facts.length && !info.builtinLike) {
        const st = stepOf(this.file(fr), e.loc, 'step', `through ${short}() (not modelled)`);
        result = mapFacts(result, (f) => ({ ...f, flags: f.flags | F_OPAQUE, whole: false, trail: f.trail && f.trail.len < MAX_TRAIL ? extend(f.trail, st) : f.trail }));
      }
      if (e.isNew) result = join(result, refValue({ t: 'inst', name }));
      else result = join(result, refValue({ t: 'q', name: `${name}()` }));
      if (Object.keys(kw).length) result = { ...result, fields: { ...(result.fields ?? {}), ...kw } };
    }
    // secondary sources (network responses, file contents)
    const src = M.sourcesByCall.get(name) ?? M.sourcesByCall.get(short);
    if (src) result = join(result, this.callSiteSource(src.kind, src.label ?? `${short}()`, file, e.loc, fr));
    const from = this.fromOf(e.args.map((x) => x.value), args);
    if (from.length && (prop || san)) result = { ...result, from };
    return result;
  }

  private runCallbacks(argExprs: Arg[], args: Value[], recv: Value, fr: Frame, elem: Value | undefined): Value {
    let ret = EMPTY;
    args.forEach((a, i) => {
      if (argExprs[i]?.value.k !== 'fn') return;
      for (const r of a.refs) {
        if (r.t !== 'fn') continue;
        if (this.entryFns.has(`${r.mod}:${r.fn}`)) continue;
        if (fr.depth >= MAX_INLINE_DEPTH) continue;
        const key = `inline:${r.mod}:${r.fn}`;
        if (this.inProgress.has(key)) continue;
        const params = elem ? [elem, EMPTY, recv] : [];
        ret = join(ret, this.inline(r, EMPTY, params, fr));
      }
    });
    return ret;
  }

  private methodIndex?: Map<string, { mod: number; cls: number; fn: number }[]>;

  /** User-class methods by name (for calls on receivers of unknown type: a name-based call graph). */
  private methodsNamed(name: string): { mod: number; cls: number; fn: number }[] {
    if (!this.methodIndex) {
      this.methodIndex = new Map();
      this.program.modules.forEach((m, mi) => {
        for (const c of m.ir.classes) {
          for (const [n, fi] of Object.entries(c.methods)) {
            const list = this.methodIndex!.get(n) ?? [];
            list.push({ mod: mi, cls: c.index, fn: fi });
            this.methodIndex!.set(n, list);
          }
        }
      });
    }
    return this.methodIndex.get(name) ?? [];
  }

  private sdkUsed?: boolean;

  private unknownCall(recv: Value, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame, methodName: string | undefined, argExprs: Arg[]): Value {
    // registration on a server object of unknown type (a parameter `server` of a register function)
    if (methodName && REGISTRATION_METHODS.has(methodName)) {
      this.sdkUsed ??= [...this.program.importedModules].some((m) => /^(@modelcontextprotocol\/(sdk|server)|fastmcp)(\/|$)/.test(m));
      if (this.sdkUsed) this.noteRegistration(methodName, args, e, fr);
    }
    // a method of a receiver of unknown type: the user classes that define a method of that (distinctive) name
    if (methodName && !BUILTIN_METHODS.has(methodName) && !COMMON_METHOD_NAMES.has(methodName) && methodName.length > 3 && recv.refs.every((r) => r.t === 'param' || r.t === 'q')) {
      const cands = this.methodsNamed(methodName);
      if (cands.length > 0 && cands.length <= 3) {
        let out = EMPTY;
        for (const c of cands) out = join(out, this.userCall({ t: 'fn', mod: c.mod, fn: c.fn }, refValue({ t: 'uinst', mod: c.mod, cls: c.cls }), args, e, fr));
        return out;
      }
    }
    // method sinks on receivers of unknown type (fallback models)
    if (methodName) {
      for (const s of this.models.sinksByMethod.get(methodName) ?? []) {
        if (s.imports && !s.imports.some((m) => this.program.importedModules.has(m))) continue;
        this.checkSink(s, methodName, recv, args, {}, e, fr);
      }
    }
    // schema validation (zod and alike): parse returns the input, safeParse wraps it in { data }
    if (methodName === 'parse' || methodName === 'parseAsync') {
      if (args[0] && !deepFacts(recv).length) return args[0];
    }
    if ((methodName === 'safeParse' || methodName === 'safeParseAsync') && args[0]) {
      return { facts: [], refs: [], fields: { data: args[0], success: EMPTY, error: EMPTY } };
    }
    // higher-order array/promise methods: the callback gets the elements
    // forEach/map over a known list (tool definitions): one callback run per item
    if ((methodName === 'forEach' || methodName === 'map') && recv.items && recv.items.length > 0 && recv.items.length <= 32 && !this.perItem && !deepFacts(recv).length) {
      const rets: Value[] = [];
      this.perItem = true;
      try {
        recv.items.forEach((item, i) => rets.push(this.runCallbacksAny(args, recv, fr, item, lit(i))));
      } finally {
        this.perItem = false;
      }
      return methodName === 'map' ? { facts: [], refs: [], items: rets } : EMPTY;
    }
    if (methodName && (HIGHER_ORDER.has(methodName) || methodName === 'then')) {
      const elem = methodName === 'then' ? recv : this.elementOf(recv);
      const cbRet = this.runCallbacksAny(args, recv, fr, elem);
      if (methodName === 'some' || methodName === 'every') return cbRet.guard ? { facts: [], refs: [], guard: cbRet.guard } : EMPTY;
      if (methodName === 'find' || methodName === 'findLast' || methodName === 'filter') {
        // the element(s) themselves (definition objects keep their fields and handlers)
        const base = methodName === 'filter' ? recv : this.elementOf(recv);
        return cbRet.guard ? { ...base, guard: cbRet.guard } : base;
      }
      if (methodName === 'map' || methodName === 'flatMap') return { facts: deepFacts(cbRet), refs: [] };
      if (methodName === 'then') return cbRet;
      if (methodName === 'forEach') return EMPTY;
      return join(taintOnly(recv), taintOnly(cbRet));
    }
    this.runCallbacks(argExprs, args, recv, fr, undefined);
    // array mutation: arr.push(x) adds taint to arr
    if (methodName && (methodName === 'push' || methodName === 'unshift' || methodName === 'append' || methodName === 'extend' || methodName === 'add') && e.callee.k === 'member') {
      const subj = subjectOf(e.callee.obj);
      if (subj && subj.path.length === 0) {
        const base = fr.env.lookup(subj.var);
        if (base) {
          const items = base.items && methodName === 'push' && base.items.length + args.length <= 64 ? [...base.items, ...args] : undefined;
          fr.env.assign(subj.var, items ? { ...base, items } : { ...base, items: undefined, facts: mergeFacts(base.facts, args.flatMap((a) => deepFacts(a))) });
        }
      }
      return EMPTY;
    }
    // string methods that sanitise: x.replace(/[^a-z0-9]/g, '')
    if ((methodName === 'replace' || methodName === 'replaceAll') && typeof args[0]?.lit === 'string' && args[1]?.lit === '') {
      const mask = replaceSanitizerMask(args[0].lit);
      if (mask) return this.clearValue(recv, mask);
    }
    // default: taint flows from receiver and arguments to the result
    const keepWhole = methodName !== undefined && KEEPS_WHOLE.has(methodName);
    let out = join(taintOnly(recv), taintOnly(joinAll(args)));
    if (!keepWhole && methodName && (methodName === 'join' || methodName === 'concat' || methodName === 'format')) {
      out = mapFacts(out, (f) => ({ ...f, whole: false, prefix: f.prefix || '\u0001' }));
    }
    if (methodName === 'split' && recv.facts.length) return { facts: recv.facts, refs: [] };
    return out;
  }

  private runCallbacksAny(args: Value[], recv: Value, fr: Frame, elem: Value, index: Value = EMPTY): Value {
    let ret = EMPTY;
    for (const a of args) {
      for (const r of a.refs) {
        if (r.t !== 'fn') continue;
        const key = `inline:${r.mod}:${r.fn}`;
        if (fr.depth >= MAX_INLINE_DEPTH || this.inProgress.has(key)) continue;
        ret = join(ret, this.inline(r, EMPTY, [elem, index, recv], fr));
      }
    }
    return ret;
  }

  /** Checks written as method calls: allow-list membership, containment, regex tests. */
  private callGuard(method: string, recv: Value, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame): GuardInfo | undefined {
    const file = this.file(fr);
    const recvExpr = e.callee.k === 'member' ? e.callee.obj : undefined;
    const arg0 = e.args[0]?.value;
    const recvT = deepFacts(recv).length > 0;
    const a0 = args[0] ?? EMPTY;
    const a0T = deepFacts(a0).length > 0;
    // ALLOWED.includes(x) / ALLOWED.has(x)
    if ((method === 'includes' || method === 'has' || method === 'indexOf') && !recvT && a0T && arg0) {
      const subj = subjectOf(arg0);
      if (subj) {
        const lits = (recv.items ?? []).map((i) => i.lit);
        if (lits.some((l) => l === '__proto__' || l === 'constructor' || l === 'prototype')) {
          // a deny-list of dangerous property names
          return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: KIND_BITS.proto, weakTrue: 0, weakFalse: 0, label: 'dangerous keys rejected' }], e.loc, file);
        }
        const host = hostSubject(subj);
        const g = host
          ? mkGuard([{ subject: host, whenTrue: KIND_BITS.url | KIND_BITS.redirect, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'host allow-list' }], e.loc, file)
          : mkGuard([{ subject: subj, whenTrue: ALL_KINDS, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'allow-list' }], e.loc, file);
        return method === 'indexOf' ? undefined : g;
      }
    }
    // if (x.startsWith('-')) throw … → cannot be read as an option
    if (method === 'startsWith' && recvT && recvExpr && (a0.lit === '-' || a0.lit === '--')) {
      const subj = subjectOf(recvExpr);
      if (subj) return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: KIND_BITS.argument, weakTrue: 0, weakFalse: 0, label: "rejects a leading '-'" }], e.loc, file);
    }
    // x.includes('..') → a deny-list: absolute paths still pass
    if (method === 'includes' && recvT && recvExpr && (a0.lit === '..' || a0.lit === '../')) {
      const subj = subjectOf(recvExpr);
      if (subj)
        return mkGuard(
          [{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: KIND_BITS.path, note: "rejecting '..' alone does not stop absolute paths or encoded forms" }],
          e.loc,
          file,
        );
    }
    // /^[a-z]+$/.test(x)
    if (method === 'test' && typeof recv.lit === 'string' && recv.lit.startsWith('/') && a0T && arg0) {
      const subj = subjectOf(arg0);
      const mask = regexGuardMask(recv.lit);
      if (subj && mask) return mkGuard([{ subject: subj, whenTrue: mask, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'pattern check' }], e.loc, file);
    }
    // x.startsWith(prefix)
    if (method === 'startsWith' && recvT && recvExpr) {
      const subj = subjectOf(recvExpr);
      if (!subj) return undefined;
      const facts = deepFacts(recv);
      const real = facts.every((f) => f.flags & F_REALPATH);
      const relative = facts.some((f) => f.flags & F_RELATIVE);
      if (relative && (a0.lit === '..' || a0.lit === '../' || a0.lit === `..${'/'}`)) {
        const mask = KIND_BITS.path | (real ? KIND_BITS.link : 0);
        return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: mask, weakTrue: 0, weakFalse: real ? 0 : KIND_BITS.link, label: 'relative path does not leave the root' }], e.loc, file);
      }
      if (typeof a0.lit === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]+\//i.test(a0.lit)) {
        return mkGuard([{ subject: subj, whenTrue: KIND_BITS.url | KIND_BITS.redirect, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'fixed origin prefix' }], e.loc, file);
      }
      if (typeof a0.lit === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/i.test(a0.lit)) {
        return mkGuard(
          [{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: KIND_BITS.url, weakFalse: 0, note: 'an origin prefix without a trailing "/" also matches other hosts (https://trusted.example.evil.com)' }],
          e.loc,
          file,
        );
      }
      // x.startsWith('/'): x begins with '/', so appended to an origin it cannot change the host
      if (a0.lit === '/') return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: 0, setPrefix: { text: '/', when: true } }], e.loc, file);
      // path containment: strong only on a resolved path compared with a trailing separator (decided per fact).
      // A literal prefix that is not an absolute path (`~/`, `http`) is not a containment check.
      if (typeof a0.lit === 'string' && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(a0.lit)) return undefined;
      const sep = endsWithSep(a0);
      const resolvedHere = facts.every((f) => f.flags & F_RESOLVED);
      return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: 0, containment: { sep, when: true, resolved: resolvedHere, real } }], e.loc, file);
    }
    // Number.isInteger(x) / isFinite
    if ((method === 'isInteger' || method === 'isFinite' || method === 'isSafeInteger') && a0T && arg0) {
      const subj = subjectOf(arg0);
      if (subj) return mkGuard([{ subject: subj, whenTrue: ALL_BUT_SIZE, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'number check' }], e.loc, file);
    }
    // Object.hasOwn(MAP, x) / MAP.hasOwnProperty(x)
    if ((method === 'hasOwnProperty' && !recvT && a0T && arg0) || (method === 'hasOwn' && deepFacts(args[1] ?? EMPTY).length && e.args[1])) {
      const ex = method === 'hasOwn' ? e.args[1]!.value : arg0!;
      const subj = subjectOf(ex);
      if (subj) return mkGuard([{ subject: subj, whenTrue: ALL_KINDS, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'allow-list' }], e.loc, file);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- sinks
  /**
   * The value of an option of a call: `{ shell: true }` in a positional options object (`arg`), the same
   * object given as a keyword argument (`kwarg`, python `parser=`), or a keyword argument itself
   * (`arg: -2`, python `shell=True`).
   */
  private optionValue(c: OptionCond, args: Value[], kw: Record<string, Value>): Value | undefined {
    const holder = c.arg === -2 ? undefined : (args[c.arg] ?? (c.kwarg ? kw[c.kwarg] : undefined));
    const own = holder ? ownField(holder, c.key) : undefined;
    if (own) return own;
    return Object.hasOwn(kw, c.key) ? kw[c.key] : undefined;
  }

  /** Whether an option is set: truthy literal, or (with `values`) one of the named values; unknown non-literals count as set. */
  private optionSet(c: OptionCond, v: Value | undefined): boolean {
    if (!v || v === EMPTY) return false;
    if (c.values) {
      const names = v.refs.flatMap((r) => (r.t === 'q' || r.t === 'inst' ? [r.name.replace(/^(global|builtins)\./, '')] : []));
      if (typeof v.lit === 'string') names.push(v.lit);
      return names.some((n) => c.values!.some((x) => n === x || n.endsWith(`.${x.split('.').pop()}`) && x.split('.').pop() === n.split('.').pop()));
    }
    if (v.lit !== undefined) return !!v.lit && v.lit !== 'false' && v.lit !== 'False';
    // not a literal: a conditional shell (`shell: process.platform === 'win32'`) counts
    return true;
  }

  private checkSink(s: SinkModel, name: string, recv: Value, args: Value[], kw: Record<string, Value>, e: Extract<Expr, { k: 'call' }>, fr: Frame): void {
    if (s.ifOption && !this.optionSet(s.ifOption, this.optionValue(s.ifOption, args, kw))) return;
    if (s.unlessOption) {
      const v = this.optionValue(s.unlessOption, args, kw);
      // with `values`, only those values make it safe; without, any truthy value does (an unknown one does not)
      if (s.unlessOption.values ? this.optionSet(s.unlessOption, v) : v !== undefined && v.lit !== undefined && !!v.lit && v.lit !== 'false' && v.lit !== 'False') return;
    }
    const conf = s.confidence ?? 'high';
    const program = s.program !== undefined ? args[s.program] : undefined;
    if (s.items && s.varargs !== undefined) {
      // positional varargs: one list of the arguments from `varargs` on (spread lists already expanded)
      this.checkSinkValue(s, { facts: [], refs: [], items: args.slice(s.varargs) }, e.loc, fr, conf, program);
      for (const k of s.kwargs ?? []) if (kw[k]) this.checkSinkValue(s, kw[k], e.loc, fr, conf, program);
      return;
    }
    for (const i of s.args ?? [0]) {
      const v = i === -1 ? recv : args[i];
      if (!v) continue;
      this.checkSinkValue(s, v, e.loc, fr, conf, program);
    }
    for (const k of s.kwargs ?? []) {
      const v = kw[k];
      if (v) this.checkSinkValue(s, v, e.loc, fr, conf, program);
    }
    void name;
  }

  private checkSinkValue(s: SinkModel, v0: Value, loc: Span, fr: Frame, conf: 'high' | 'medium' | 'low', program?: Value): void {
    const op = s.label ?? 'a dangerous call';
    if (s.unlessList && v0.items) return;
    if (s.onlyList && !v0.items) {
      // a parameter may be a list at the call site: decided there
      if (fr.summary) for (const f of deepFacts(v0)) if (f.src < 0) this.pushHit(fr.hits, { items: true, param: -f.src - 1, fact: f, kind: s.kind, sink: s, file: this.file(fr), loc, op, confidence: conf });
      return;
    }
    // an options object (`axios({ url, data })`): only the named fields are the sink
    let v = v0;
    if (s.fields && v0.fields) v = joinAll(s.fields.map((k) => ownField(v0, k) ?? EMPTY).concat([{ facts: v0.facts, refs: [] }]));
    if (s.items) {
      if (v.items) {
        const { argument, command } = listSinkFacts(v.items, program);
        this.sinkFacts(argument, s.kind, s, loc, fr, op, conf);
        if (command.length) this.sinkFacts(command, 'command', s, loc, fr, `${op}, whose item after \`-c\` a shell runs`, conf);
      } else {
        const facts = deepFacts(v).filter((f) => f.prefix === '');
        // a parameter list: decided at the call site, where its items may be known
        const params = facts.filter((f) => f.src < 0);
        if (fr.summary) for (const f of params) this.pushHit(fr.hits, { items: true, ...(program ? { program } : {}), param: -f.src - 1, fact: f, kind: s.kind, sink: s, file: this.file(fr), loc, op, confidence: conf });
        this.sinkFacts(facts.filter((f) => f.src >= 0), s.kind, s, loc, fr, op, conf === 'high' ? 'medium' : conf);
      }
      return;
    }
    this.sinkFacts(deepFacts(v), s.kind, s, loc, fr, op, conf);
  }

  private sinkFacts(facts: readonly Fact[], kind: SinkKind, s: SinkModel, loc: Span, fr: Frame, op: string, conf: 'high' | 'medium' | 'low'): void {
    const bit = KIND_BITS[kind];
    const file = this.file(fr);
    for (const f of facts) {
      if (kind === 'path') {
        if (!(f.cleared & KIND_BITS.path)) this.emit('path', s, f, file, loc, fr, op, conf);
        // link following: a containment check was made (or attempted on a real path) but symbolic links are not handled
        if (!(f.cleared & KIND_BITS.link) && ((f.cleared & KIND_BITS.path) || (f.weak & KIND_BITS.link))) this.emit('link', s, f, file, loc, fr, op, conf);
        continue;
      }
      if (f.cleared & bit) continue;
      if ((kind === 'url' || kind === 'redirect') && hostFixed(f.prefix)) continue;
      // a size is a number: only values known to be numbers (typed arguments, Number(), arithmetic) size an
      // allocation — `new Uint8Array(buffer)` or `new Array(str)` copy or wrap, they allocate nothing caller-sized
      if (kind === 'size' && (f.cleared & ALL_BUT_SIZE) !== ALL_BUT_SIZE) continue;
      this.emit(kind, s, f, file, loc, fr, op, conf);
    }
  }

  private emit(kind: SinkKind, s: SinkModel, f: Fact, file: string, loc: Span, fr: Frame, op: string, conf: 'high' | 'medium' | 'low'): void {
    if ((f.cleared & KIND_BITS[kind]) !== 0) return;
    if ((kind === 'url' || kind === 'redirect') && hostFixed(f.prefix)) return;
    if (f.src < 0) {
      if (fr.summary) {
        this.pushHit(fr.hits, { param: -f.src - 1, fact: f, kind, sink: s, file, loc, op, confidence: conf });
      }
      return;
    }
    const cwe = kind === 'path' || kind === 'link' || kind === 'argument' ? this.models.kinds[kind].cwe : (s.cwe ?? this.models.kinds[kind].cwe);
    const sinkStep = stepOf(file, loc, 'sink', op);
    const fact = { ...f, trail: extend(f.trail, sinkStep) };
    const src = this.sources[f.src]!;
    const primitive = fr.primitive.kind !== 'protocol' ? fr.primitive : src.primitive;
    this.findings.push({ kind, cwe, sink: s, file, loc, fact, primitive, op, notes: [...(f.notes ?? [])], confidence: conf });
  }

  // ---------------------------------------------------------------- python
  private isPython(fr: Frame): boolean {
    return this.program.modules[fr.mod]!.ir.language === 'python';
  }

  /** Python positional arguments: the unnamed ones, `*xs` expanded when its items are known; `**d` adds d's known keys to kw. */
  private pyPositional(argExprs: Arg[], vals: Value[], kw: Record<string, Value>): Value[] {
    const out: Value[] = [];
    argExprs.forEach((a, i) => {
      const v = vals[i] ?? EMPTY;
      if (a.name === '**') {
        for (const [k, x] of Object.entries(v.fields ?? {})) if (!Object.hasOwn(kw, k)) kw[k] = x;
      } else if (a.name) return;
      else if (a.spread && v.items) out.push(...v.items);
      else out.push(v);
    });
    return out;
  }

  /**
   * The value of each parameter of a python function for a call: `self` for methods, positional arguments in
   * order, keyword arguments by name, the rest packed into `*args` (items) and `**kwargs` (fields). Also the
   * argument expression of each parameter, for guards and assertion functions.
   */
  private pyActuals(fn: IRFunction, self: Value, pos: Value[], kw: Record<string, Value>, e: Extract<Expr, { k: 'call' }>): { values: Value[]; exprs: (Expr | undefined)[] } {
    const values: Value[] = [];
    const exprs: (Expr | undefined)[] = [];
    const posExprs = e.args.filter((a) => !a.name).map((a) => (a.spread ? undefined : a.value));
    const kwExprs = new Map(e.args.filter((a) => a.name && a.name !== '**').map((a) => [a.name!, a.value]));
    const names = new Set(fn.params.map((p) => (p.pattern.k === 'id' ? p.pattern.name : '')));
    let next = 0;
    fn.params.forEach((p, i) => {
      const name = p.pattern.k === 'id' ? p.pattern.name : undefined;
      if (i === 0 && fn.cls !== undefined) {
        values.push(self);
        exprs.push(e.callee.k === 'member' ? e.callee.obj : undefined);
      } else if (p.rest) {
        const items = pos.slice(next);
        next = pos.length;
        values.push({ facts: mergeFacts([], items.flatMap((x) => deepFacts(x))), refs: [], items });
        exprs.push(undefined);
      } else if (p.kwrest) {
        const fields: Record<string, Value> = {};
        for (const [k, x] of Object.entries(kw)) if (k !== '**' && !names.has(k)) fields[k] = x;
        const extra = kw['**'] ? deepFacts(kw['**']) : [];
        values.push({ facts: extra, refs: [], fields });
        exprs.push(undefined);
      } else if (next < pos.length) {
        values.push(pos[next]!);
        exprs.push(posExprs[next]);
        next++;
      } else if (name !== undefined && Object.hasOwn(kw, name) && name !== '**') {
        values.push(kw[name]!);
        exprs.push(kwExprs.get(name));
      } else {
        // not given by name: maybe inside **d
        values.push(kw['**'] ? taintOnly(kw['**']) : EMPTY);
        exprs.push(undefined);
      }
    });
    return { values, exprs };
  }

  /** Fields of a python class instance built without an `__init__` of its own: keyword arguments by name, positional ones in field order. */
  private pyModelFields(mod: number, cls: number, args: Value[], kw: Record<string, Value>): Record<string, Value> {
    const fields: Record<string, Value> = {};
    const names: string[] = [];
    for (const f of this.program.modules[mod]!.ir.classes[cls]?.fields ?? []) {
      if (f.k === 'expr' && f.expr.k === 'assign' && f.expr.target.k === 'expr' && f.expr.target.expr.k === 'member' && f.expr.target.expr.prop) names.push(f.expr.target.expr.prop);
    }
    args.forEach((a, i) => {
      if (names[i] !== undefined) fields[names[i]!] = a;
    });
    for (const [k, v] of Object.entries(kw)) if (k !== '**') fields[k] = v;
    return fields;
  }

  /** Patterns of compiled regular expressions (`re.compile("…")`), by the value of the compiled object. */
  private readonly pyPatterns = new WeakMap<Value, string>();

  /**
   * Python checks written as calls: `p.is_relative_to(root)` (component-wise containment), regex matches
   * (`P.fullmatch(x)`, `re.fullmatch(p, x)`, `re.match(r"…$", x)`); also remembers `re.compile` patterns.
   */
  private pyCallGuard(method: string, recv: Value, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame, result: Value): GuardInfo | undefined {
    const recvExpr = e.callee.k === 'member' ? e.callee.obj : undefined;
    const facts = deepFacts(recv);
    const isRe = recv.refs.some((r) => r.t === 'q' && r.name === 're');
    if (method === 'compile' && isRe && typeof args[0]?.lit === 'string') {
      this.pyPatterns.set(result, args[0].lit);
      return undefined;
    }
    if (method === 'fullmatch' || method === 'match' || method === 'search') {
      const pattern = isRe ? args[0]?.lit : this.pyPatterns.get(recv);
      const subjE = isRe ? e.args[1]?.value : e.args[0]?.value;
      const subjV = isRe ? args[1] : args[0];
      if (typeof pattern !== 'string' || !subjE || !subjV || !deepFacts(subjV).length) return undefined;
      const subj = subjectOf(subjE);
      if (!subj) return undefined;
      // python's `$` also matches before a final newline: only `\Z` or fullmatch end the text for sure
      let body = pattern.replace(/^\^/, '');
      let end = method === 'fullmatch';
      let dollarEnd = false;
      if (!end && /\\Z$/.test(body)) {
        body = body.slice(0, -2);
        end = true;
      } else if (!end && /(^|[^\\])\$$/.test(body)) {
        body = body.slice(0, -1);
        end = true;
        dollarEnd = true;
      }
      if (!end || (method === 'search' && !pattern.startsWith('^'))) return undefined;
      let mask = regexGuardMask(`/^${body}$/`);
      if (dollarEnd) mask &= ~(KIND_BITS.command | KIND_BITS.code | KIND_BITS.template);
      return mask ? mkGuard([{ subject: subj, whenTrue: mask, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'pattern check' }], e.loc, this.file(fr)) : undefined;
    }
    // str predicates: `if not name.isalnum(): raise …` leaves only those characters (and never an empty string)
    const allowed = Object.hasOwn(PY_STR_PREDICATES, method) ? PY_STR_PREDICATES[method] : undefined;
    if (allowed !== undefined && facts.length && recvExpr && args.length === 0) {
      const subj = subjectOf(recvExpr);
      if (!subj) return undefined;
      const mask = charClassSafety(allowed) | KIND_BITS.argument;
      return mkGuard([{ subject: subj, whenTrue: mask, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: `${method}()` }], e.loc, this.file(fr));
    }
    if (method === 'is_relative_to' && facts.length && recvExpr) {
      const subj = subjectOf(recvExpr);
      if (!subj) return undefined;
      const resolved = facts.every((f) => f.flags & F_RESOLVED);
      const real = facts.every((f) => f.flags & F_REALPATH);
      return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: 0, containment: { sep: true, when: true, resolved, real }, label: 'is_relative_to' }], e.loc, this.file(fr));
    }
    return undefined;
  }

  /** `isinstance(x, int)` / `isinstance(x, (int, float))`: only numbers (and bools) pass. */
  private pyIsinstanceGuard(subjE: Expr, typeE: Expr, e: Extract<Expr, { k: 'call' }>, fr: Frame): GuardInfo | undefined {
    const names = typeE.k === 'arr' ? typeE.elems.map((a) => a.value) : [typeE];
    if (!names.length || !names.every((x) => x.k === 'var' && PY_NUMBER_TYPES.has(x.name))) return undefined;
    const subj = subjectOf(subjE);
    if (!subj) return undefined;
    // digits, a sign, a point, an exponent: safe text everywhere but where a leading '-' is an option
    const mask = charClassSafety('0123456789-+.eE');
    return mkGuard([{ subject: subj, whenTrue: mask, whenFalse: 0, weakTrue: 0, weakFalse: 0, label: 'isinstance() number check' }], e.loc, this.file(fr));
  }

  /** `os.path.commonpath([root, p]) == root`: p is inside root (component-wise), as far as p is resolved. */
  private pyCommonpathGuard(e: Extract<Expr, { k: 'bin' }>, fr: Frame): GuardInfo | undefined {
    const isCp = (x: Expr): x is Extract<Expr, { k: 'call' }> =>
      x.k === 'call' && ((x.callee.k === 'member' && x.callee.prop === 'commonpath') || (x.callee.k === 'var' && x.callee.name === 'commonpath'));
    const call = isCp(e.left) ? e.left : isCp(e.right) ? e.right : undefined;
    const other = call === e.left ? e.right : e.left;
    const list = call?.args[0]?.value;
    if (!call || !list || list.k !== 'arr' || deepFacts(this.ev(other, fr)).some((f) => !this.isConfig(f))) return undefined;
    const tainted = list.elems.map((a) => ({ a, v: this.ev(a.value, fr) })).filter((x) => deepFacts(x.v).some((f) => !this.isConfig(f)));
    if (tainted.length !== 1) return undefined;
    const subj = subjectOf(tainted[0]!.a.value);
    if (!subj) return undefined;
    const facts = deepFacts(tainted[0]!.v);
    const resolved = facts.every((f) => f.flags & F_RESOLVED);
    const real = facts.every((f) => f.flags & F_REALPATH);
    return mkGuard([{ subject: subj, whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: 0, containment: { sep: true, when: true, resolved, real }, label: 'commonpath' }], e.loc, this.file(fr));
  }

  /** Python operators on non-numbers: `path / "x"` joins paths (pathlib), `s * 2` repeats a string. */
  private pyArith(op: string, l: Value, r: Value, e: Extract<Expr, { k: 'bin' }>, fr: Frame): Value | undefined {
    const isPath = (v: Value) => v.refs.some((x) => (x.t === 'inst' || x.t === 'q') && /(^|\.)(pathlib|PurePath|Path)\b|Path(#|$)/.test(x.name));
    if (op === '/' && (isPath(l) || isPath(r) || typeof l.lit === 'string' || typeof r.lit === 'string')) {
      const v = this.concat([l, lit('/'), r], e.loc, fr);
      return isPath(l) || isPath(r) ? { ...v, refs: [{ t: 'inst', name: 'pathlib.Path' }] } : v;
    }
    if (op === '*' && (typeof l.lit === 'number' || typeof r.lit === 'number')) return taintOnly(typeof l.lit === 'number' ? r : l);
    return undefined;
  }

  /** Python string formatting (`fmt % args`, `fmt.format(...)`): a string built from the literal parts and the arguments. */
  private pyFormat(fmt: string, style: '%' | '{', pos: Value[], kw: Record<string, Value>, loc: Span, fr: Frame): Value {
    const re =
      style === '%'
        ? /%%|%(?:\(([^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsab])/g
        : /\{\{|\}\}|\{([^{}!:]*)(?:![rsa])?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g;
    const parts: Value[] = [];
    const any = () => taintOnly(joinAll([...pos, ...Object.values(kw)]));
    let last = 0;
    let next = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(fmt)) !== null) {
      if (m.index > last) parts.push(lit(fmt.slice(last, m.index)));
      last = re.lastIndex;
      if (m[0] === '%%' || m[0] === '{{' || m[0] === '}}') {
        parts.push(lit(m[0][0]!));
        continue;
      }
      let v: Value;
      const key = m[1];
      if (style === '%') v = key !== undefined ? (Object.hasOwn(kw, key) ? kw[key]! : any()) : (pos[next++] ?? any());
      else {
        const head = (key ?? '').split(/[.[]/)[0]!;
        if (head === '') v = pos[next++] ?? any();
        else if (/^\d+$/.test(head)) v = pos[Number(head)] ?? any();
        else v = Object.hasOwn(kw, head) ? kw[head]! : any();
        // {x.attr} / {x[0]}: a part of the argument
        if (key !== undefined && key.length > head.length) v = taintOnly(v);
      }
      // numeric conversions (%d, {:x}) cannot carry text
      const conv = style === '%' ? m[2]! : (m[2] ?? '').slice(-1);
      if (/^[diouxXeEfFgGnb%]$/.test(conv) && !(style === '%' && conv === 'b')) v = this.clearValue(v, ALL_BUT_SIZE);
      parts.push(v);
    }
    if (last < fmt.length) parts.push(lit(fmt.slice(last)));
    if (!parts.length) parts.push(lit(''));
    return this.concat(parts, loc, fr);
  }
}

/** `u.hostname` / `u.host` / `u.origin`: a check on it is a check of the URL `u`. */
function hostSubject(subj: { var: string; path: string[] }): { var: string; path: string[] } | undefined {
  const last = subj.path.at(-1);
  if (last === 'hostname' || last === 'host' || last === 'origin') return { var: subj.var, path: subj.path.slice(0, -1) };
  return undefined;
}

/** A field of a value, own properties only (keys come from the analysed code: `__proto__`, `constructor`, …). */
function ownField(v: Value, key: string): Value | undefined {
  return v.fields && Object.hasOwn(v.fields, key) ? v.fields[key] : undefined;
}

function flagOf(s: string): number {
  switch (s) {
    case 'resolved':
      return F_RESOLVED;
    case 'realpath':
      return F_REALPATH;
    case 'relative':
      return F_RELATIVE;
    case 'url':
      return F_URL;
    default:
      return 0;
  }
}


// ---------------------------------------------------------------- guard helpers
function mkGuard(entries: GuardEntry[], loc: Span, file: string): GuardInfo {
  return { loc, file, entries };
}

function negate(g: GuardInfo): GuardInfo {
  const out: GuardInfo = {
    ...g,
    entries: g.entries.map((e) => ({
      ...e,
      whenTrue: e.whenFalse,
      whenFalse: e.whenTrue,
      weakTrue: e.weakFalse,
      weakFalse: e.weakTrue,
      containment: e.containment ? { ...e.containment, when: !e.containment.when } : undefined,
      setPrefix: e.setPrefix ? { ...e.setPrefix, when: !e.setPrefix.when } : undefined,
    })),
  };
  delete out.toolName;
  return out;
}

/** Combine two guards for `a || b` / `a && b`. */
function combine(a: GuardInfo | undefined, b: GuardInfo | undefined, op: 'and' | 'or'): GuardInfo {
  const ea = (a?.entries ?? []).slice();
  const eb = (b?.entries ?? []).slice();
  const base = (a ?? b)!;
  const out: GuardEntry[] = [];
  const key = (e: GuardEntry) => `${e.subject.var}.${e.subject.path.join('.')}`;
  const keys = new Set([...ea.map(key), ...eb.map(key)]);
  for (const k of keys) {
    const x = ea.find((e) => key(e) === k);
    const y = eb.find((e) => key(e) === k);
    const z = { whenTrue: 0, whenFalse: 0, weakTrue: 0, weakFalse: 0 };
    const X = x ?? z;
    const Y = y ?? z;
    const subject = (x ?? y)!.subject;
    const cx = x?.containment;
    const cy = y?.containment;
    if (cx || cy) {
      // containment combined with an equality (`p === root || p.startsWith(root + sep)`) stays a containment check
      const c = (cx ?? cy)!;
      const other = cx ? Y : X;
      const both = x && y;
      const keep = op === 'or' ? c.when === true && (!both || (other.whenTrue & KIND_BITS.path) !== 0 || !!(cx && cy)) : c.when === false ? !both || (other.whenFalse & KIND_BITS.path) !== 0 : true;
      const trusted = [...new Set([...(x?.trustedParams ?? []), ...(y?.trustedParams ?? [])])];
      const and = (a: boolean | undefined, b: boolean | undefined) => (cx && cy ? !!a && !!b : !!(a ?? b));
      if (keep)
        out.push({
          subject,
          whenTrue: 0,
          whenFalse: 0,
          weakTrue: 0,
          weakFalse: 0,
          containment: { sep: (cx?.sep ?? true) && (cy?.sep ?? true), when: c.when, resolved: and(cx?.resolved, cy?.resolved), real: and(cx?.real, cy?.real) },
          label: x?.label ?? y?.label,
          ...(trusted.length ? { trustedParams: trusted } : {}),
        });
      continue;
    }
    if (op === 'and') {
      // both true → both clear; false → either may be false: only what both give when false
      out.push({ subject, whenTrue: X.whenTrue | Y.whenTrue, whenFalse: x && y ? X.whenFalse & Y.whenFalse : 0, weakTrue: X.weakTrue | Y.weakTrue, weakFalse: 0, label: x?.label ?? y?.label, note: x?.note ?? y?.note });
    } else {
      out.push({ subject, whenTrue: x && y ? X.whenTrue & Y.whenTrue : 0, whenFalse: X.whenFalse | Y.whenFalse, weakTrue: 0, weakFalse: X.weakFalse | Y.weakFalse, label: x?.label ?? y?.label, note: x?.note ?? y?.note });
    }
  }
  const g: GuardInfo = mkGuard(out, base.loc, base.file);
  const tn = a?.toolName && b?.toolName ? (op === 'or' ? a.toolName : undefined) : (a?.toolName ?? b?.toolName);
  if (tn && op === 'or') g.toolName = tn;
  else if (tn && op === 'and') g.toolName = tn;
  return g;
}

export { forEachExprInBody };
