/**
 * Library models as data: sources, sinks, sanitizers, propagators and return types per library,
 * loaded from JSON files (`rules/<language>/*.json`, plus any `--rules FILE` the user adds).
 *
 * Names are qualified: `module.export.path` for functions (`child_process.exec`, `fs/promises.readFile`),
 * `module.Class#method` for instance methods (`pg.Pool#query`), `global.name` for globals (`global.eval`).
 * Node built-ins drop the `node:` prefix; `fs.promises` is spelt `fs/promises`.
 * See docs/rules.md for the format.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Severity } from '../model.js';
import { UserError } from '../acquire/types.js';
import { kindMask, type SinkKind, KIND_BITS } from './values.js';

export interface OptionCond {
  /** Argument index of the options object (`-2`: the option is a keyword argument of the call itself). */
  arg: number;
  /** The options object may also come as this keyword argument (python `parser=`). */
  kwarg?: string;
  /** Option key, e.g. `shell`. */
  key: string;
  /** The option counts only with one of these values (qualified names or literals), e.g. `yaml.SafeLoader`. */
  values?: string[];
}

export interface SinkModel {
  id?: string;
  /** Qualified callee names. */
  call?: string[];
  /** Method names matched on receivers of unknown type (fallback, lower confidence). */
  method?: string[];
  /** With `method`: only when the program imports one of these modules. */
  imports?: string[];
  /** Argument indices that are dangerous (`-1` = the receiver). Default [0]. */
  args?: number[];
  /** Keyword argument names that are dangerous (python). */
  kwargs?: string[];
  kind: SinkKind;
  /** Overrides the kind's CWE (e.g. 95 for eval). */
  cwe?: number;
  /** For an options-object argument: only these fields are dangerous (`url`, `baseURL`). */
  fields?: string[];
  /** Check each item of an argument array in order; a `--` item ends the check (argument injection). */
  items?: boolean;
  /**
   * With `items`: the argument holding the program the list is passed to (Node's `spawn(program, args)`); when it
   * is a shell and the list has `-c`, the item after it is a command line (78). Without it, the list's first
   * item is the program (Python's `subprocess.run([...])`).
   */
  program?: number;
  /**
   * With `items`: the call's positional arguments from this index on are the list (Python's
   * `create_subprocess_exec(program, *args)`, GitPython's `repo.git.diff(*args)`), so a `'--'` among them ends
   * the check as in a list.
   */
  varargs?: number;
  /** Not a sink when the argument is a list (`anyio.run_process(cmd)` runs a shell for a string only). */
  unlessList?: boolean;
  /** Only a sink when the argument is a list of known items (its counterpart for the list form). */
  onlyList?: boolean;
  /** Only a sink when this option is truthy (e.g. `{shell: true}`). */
  ifOption?: OptionCond;
  /** Not a sink when this option is truthy. */
  unlessOption?: OptionCond;
  /** Only when the dangerous argument is not a string literal / only when it is tainted as a whole object. */
  confidence?: 'high' | 'medium' | 'low';
  /** Short name of the operation shown in messages (`exec()`). */
  label?: string;
  note?: string;
}

export interface SourceModel {
  call?: string[];
  /** Member access on a qualified value, e.g. `process.env`. */
  member?: string[];
  kind: 'network' | 'environment' | 'file' | 'transport';
  label?: string;
}

export interface SanitizerModel {
  call: string[];
  /** Properties (`Class#prop`) whose value is sanitised the same way (`pathlib.Path#name`). */
  member?: string[];
  /** Sink kinds the result is safe for (`*` = all, `*-size` = all but size). */
  clears: string[];
  /** Which argument is sanitised (default 0; -1 = receiver). */
  arg?: number;
}

export interface PropagatorModel {
  call: string[];
  /** Return value is this argument's value itself (e.g. `util.promisify(f)` → f). */
  returnsArg?: number;
  /** Flags to set on the facts: `resolved`, `realpath`, `relative`, `url`. */
  sets?: string[];
  /** Flags to remove. */
  unsets?: string[];
  /** Arguments whose taint reaches the return value (default: all and the receiver). */
  from?: number[];
  /** The result does not carry taint at all (e.g. `fs.existsSync`). */
  clean?: boolean;
  /**
   * Sink kinds the result is open to again, whatever its input was checked for: a parser makes objects out of
   * text (`JSON.parse(s)` of a string-typed argument can be `{"$ne": null}`: nosql, proto).
   */
  reopens?: string[];
}

export interface TypeModel {
  call: string[];
  /** Properties (`Class#prop`) holding an instance of `returns` (`git.Repo#git`, `pathlib.Path#parent`). */
  member?: string[];
  /** Qualified class name of the returned instance. */
  returns: string;
}

export interface ModelFile {
  name: string;
  language: string;
  description?: string;
  sinks?: SinkModel[];
  sources?: SourceModel[];
  sanitizers?: SanitizerModel[];
  propagators?: PropagatorModel[];
  types?: TypeModel[];
}

export interface KindInfo {
  cwe: number;
  title: string;
  severity: Severity;
  /** Message template: {op} operation label, {what} source label. */
  message: string;
  fix: string;
}

export interface Models {
  kinds: Record<SinkKind, KindInfo>;
  sinksByCall: Map<string, SinkModel[]>;
  sinksByMethod: Map<string, SinkModel[]>;
  sourcesByCall: Map<string, SourceModel>;
  sourcesByMember: Map<string, SourceModel>;
  sanitizers: Map<string, { mask: number; arg: number }>;
  propagators: Map<string, PropagatorModel>;
  types: Map<string, string>;
  /** Property reads that give an instance of a class (`git.Repo#git` → `git.Git`). */
  memberTypes: Map<string, string>;
  /** Property reads that sanitise (`pathlib.Path#name` clears path). */
  memberSanitizers: Map<string, number>;
  files: string[];
}

/** Folder holding the shipped rules (works from src/ and build/src/). */
export function rulesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'rules');
    try {
      readFileSync(path.join(candidate, 'kinds.json'));
      return candidate;
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new Error('rules folder not found beside the installed package');
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read rules file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')); // a byte-order mark (some editors write one) is not content
  } catch (e) {
    throw new UserError(`rules file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** What each field of a model file holds (checked before use: a user's file gets a message, not a crash). */
type FieldType = 'string' | 'strings' | 'int' | 'ints' | 'bool' | 'kind' | 'kinds' | 'confidence' | 'sourceKind' | 'option';
const SECTION_FIELDS: Record<'sinks' | 'sources' | 'sanitizers' | 'propagators' | 'types', Record<string, FieldType>> = {
  sinks: {
    id: 'string', call: 'strings', method: 'strings', imports: 'strings', args: 'ints', kwargs: 'strings', kind: 'kind', cwe: 'int', fields: 'strings',
    items: 'bool', program: 'int', varargs: 'int', unlessList: 'bool', onlyList: 'bool', ifOption: 'option', unlessOption: 'option',
    confidence: 'confidence', label: 'string', note: 'string',
  },
  sources: { call: 'strings', member: 'strings', kind: 'sourceKind', label: 'string', note: 'string' },
  sanitizers: { call: 'strings', member: 'strings', clears: 'kinds', arg: 'int', note: 'string' },
  propagators: { call: 'strings', returnsArg: 'int', sets: 'strings', unsets: 'strings', from: 'ints', clean: 'bool', reopens: 'kinds', note: 'string' },
  types: { call: 'strings', member: 'strings', returns: 'string', note: 'string' },
};
/** Fields an entry must have (one of each inner list). */
const REQUIRED: Record<keyof typeof SECTION_FIELDS, string[][]> = {
  sinks: [['kind'], ['call', 'method']],
  sources: [['kind'], ['call', 'member']],
  sanitizers: [['call'], ['clears']],
  propagators: [['call']],
  types: [['call'], ['returns']],
};
const LANGUAGES = ['javascript', 'python'];
const KINDS = Object.keys(KIND_BITS);

/** Why a value is not of a field type (undefined: it is). */
function typeError(v: unknown, t: FieldType): string | undefined {
  const isInt = (x: unknown) => Number.isSafeInteger(x);
  const kindOk = (x: unknown) => typeof x === 'string' && (x === '*' || x === '*-size' || KINDS.includes(x));
  switch (t) {
    case 'string':
      return typeof v === 'string' ? undefined : 'a string';
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'a list of strings';
    case 'int':
      return isInt(v) ? undefined : 'a whole number';
    case 'ints':
      return Array.isArray(v) && v.every(isInt) ? undefined : 'a list of whole numbers';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'true or false';
    case 'kind':
      return typeof v === 'string' && KINDS.includes(v) ? undefined : `one of ${KINDS.join(', ')}`;
    case 'kinds':
      return Array.isArray(v) && v.every(kindOk) ? undefined : `a list of sink kinds (${KINDS.join(', ')}, * or *-size)`;
    case 'confidence':
      return v === 'high' || v === 'medium' || v === 'low' ? undefined : 'high, medium or low';
    case 'sourceKind':
      return v === 'network' || v === 'environment' || v === 'file' || v === 'transport' ? undefined : 'network, environment, file or transport';
    case 'option': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return 'an object { arg, key, kwarg?, values? }';
      const o = v as Record<string, unknown>;
      if (!isInt(o.arg) || typeof o.key !== 'string' || (o.kwarg !== undefined && typeof o.kwarg !== 'string') || (o.values !== undefined && typeError(o.values, 'strings')))
        return 'an object { arg: whole number, key: string, kwarg?: string, values?: strings }';
      return undefined;
    }
  }
}

/** A model file checked field by field: a wrong one is a UserError naming the file, the entry and the field. */
function validateModelFile(m: unknown, file: string): ModelFile {
  const bad = (why: string) => new UserError(`rules file ${file}: ${why}`);
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw bad('expected an object');
  const mf = m as Record<string, unknown>;
  if (typeof mf.name !== 'string') throw bad('missing "name"');
  if (mf.language !== undefined && !LANGUAGES.includes(mf.language as string)) throw bad(`"language" must be one of ${LANGUAGES.join(', ')}`);
  for (const key of Object.keys(mf)) if (!['name', 'language', 'description', ...Object.keys(SECTION_FIELDS)].includes(key)) throw bad(`unknown field "${key}"`);
  for (const [section, fields] of Object.entries(SECTION_FIELDS) as [keyof typeof SECTION_FIELDS, Record<string, FieldType>][]) {
    const list = mf[section];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw bad(`"${section}" must be a list`);
    list.forEach((e: unknown, i) => {
      const where = `${section}[${i}]`;
      if (!e || typeof e !== 'object' || Array.isArray(e)) throw bad(`${where} must be an object`);
      const entry = e as Record<string, unknown>;
      for (const [k, v] of Object.entries(entry)) {
        const t = fields[k];
        if (!t) throw bad(`${where}: unknown field "${k}" (known: ${Object.keys(fields).join(', ')})`);
        const err = typeError(v, t);
        if (err) throw bad(`${where}: "${k}" must be ${err}`);
      }
      for (const need of REQUIRED[section]) if (!need.some((k) => entry[k] !== undefined)) throw bad(`${where} needs ${need.map((k) => `"${k}"`).join(' or ')}`);
    });
  }
  return mf as unknown as ModelFile;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** Load the shipped models for a language plus user files. Pure apart from reading the files. */
export function loadModels(languages: string[], extraFiles: string[] = []): Models {
  const dir = rulesDir();
  const kinds = readJson(path.join(dir, 'kinds.json')) as Record<SinkKind, KindInfo>;
  const files: string[] = [];
  for (const lang of languages) {
    const ld = path.join(dir, lang);
    let names: string[] = [];
    try {
      names = readdirSync(ld).filter((n) => n.endsWith('.json')).sort();
    } catch {
      names = [];
    }
    for (const n of names) files.push(path.join(ld, n));
  }
  files.push(...extraFiles);
  const models: Models = {
    kinds,
    sinksByCall: new Map(),
    sinksByMethod: new Map(),
    sourcesByCall: new Map(),
    sourcesByMember: new Map(),
    sanitizers: new Map(),
    propagators: new Map(),
    types: new Map(),
    memberTypes: new Map(),
    memberSanitizers: new Map(),
    files: files.map((f) => path.relative(dir, f)),
  };
  for (const f of files) {
    const mf = validateModelFile(readJson(f), f);
    for (const s of mf.sinks ?? []) {
      for (const c of s.call ?? []) push(models.sinksByCall, c, s);
      for (const m of s.method ?? []) push(models.sinksByMethod, m, s);
    }
    for (const s of mf.sources ?? []) {
      for (const c of s.call ?? []) models.sourcesByCall.set(c, s);
      for (const m of s.member ?? []) models.sourcesByMember.set(m, s);
    }
    for (const s of mf.sanitizers ?? []) {
      for (const c of s.call) models.sanitizers.set(c, { mask: kindMask(s.clears), arg: s.arg ?? 0 });
      for (const m of s.member ?? []) models.memberSanitizers.set(m, kindMask(s.clears));
    }
    for (const p of mf.propagators ?? []) for (const c of p.call) models.propagators.set(c, p);
    for (const t of mf.types ?? []) {
      for (const c of t.call) models.types.set(c, t.returns);
      for (const m of t.member ?? []) models.memberTypes.set(m, t.returns);
    }
  }
  return models;
}
