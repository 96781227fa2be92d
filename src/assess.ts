/**
 * `assess(target, options)`: the whole pipeline for one server.
 *   acquire → languages (parse + lower) → mcp (surface) → analysis (taint + rules) → Assessment
 * Risk scoring (kb/risk) is added on top by `scoreAssessment` when the risk stage is wired.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { acquire } from './acquire/index.js';
import { UserError, type AcquireOptions, type AcquiredTarget, type SourceFile } from './acquire/types.js';
import { Engine } from './analysis/engine.js';
import { finalizeFindings, flowFinding } from './analysis/findings.js';
import { loadModels, type Models } from './analysis/models.js';
import { buildProgram, type Program, type ProgramModule } from './analysis/program.js';
import { runRules } from './analysis/rules/index.js';
import { ImportFormatError, importFindings, parseImportText, type ImportDoc, type ImportKind } from './imports/index.js';
import { loadKb } from './kb/load.js';
import { ecosystemFindings, type EcosystemOptions } from './ecosystem/index.js';
import { decodeSource, lowerRecords, parseSource } from './languages/index.js';
import { ParseThread, type ParseResult, type PreparedRemote } from './languages/parse-thread.js';
import type { Assessment, Finding, Severity, Surface, UnmappedFinding, Warning } from './model.js';
import { scoreAssessment, type RiskContext } from './risk/index.js';
import { dynamicEntries, entryPoints, extractSurface, listedByEngine, primitiveAt } from './mcp/surface.js';
import { ASSESSMENT_SCHEMA_VERSION } from './report/json.js';
import { VERSION } from './version.js';
import { compareText } from './order.js';

export interface AssessOptions extends AcquireOptions {
  /** Skip the risk stage (no `risk` in the result). */
  noRisk?: boolean;
  /** How R(c) is aggregated over a CWE's CAPECs (mcp-in-sos): `max` (default) or `mean`. */
  aggregation?: 'max' | 'mean';
  /** Extra model files (`--rules`). */
  rules?: string[];
  /** Analysis work budget (abstract steps); past it the result is marked partial. */
  maxWork?: number;
  /**
   * Findings of other analyzers to score with this server's (`--import`, `--import-bandit`): SARIF 2.1.0
   * files and Bandit JSON reports. See src/imports/index.ts for the mapping and de-duplication.
   */
  imports?: { sarif?: string[]; bandit?: string[] };
  /** Already parsed import documents (used instead of reading `imports`). */
  importDocs?: ImportDoc[];
  /** Ecosystem checks (src/ecosystem): metadata analysis always; supply-chain signs with `registryChecks`. */
  ecosystem?: EcosystemOptions;
  /** Timing/stat hooks for benchmarks. */
  onStats?: (s: { parseMs: number; analysisMs: number; files: number; bytes: number; lines: number }) => void;
}

const modelCache = new Map<string, Models>();
function models(languages: string[], extra: string[]): Models {
  const key = `${languages.join(',')}|${extra.join(',')}`;
  let m = modelCache.get(key);
  if (!m) {
    m = loadModels(languages, extra);
    modelCache.set(key, m);
  }
  return m;
}

/** Assess one target (folder, npm spec, git URL, tarball). */
export async function assess(target: string, options: AssessOptions = {}): Promise<Assessment> {
  // read the import files first: a wrong file is reported before a long download or analysis
  const importDocs = options.importDocs ?? (await readImports(options.imports));
  const acquired = await acquire(target, options);
  return assessAcquired(acquired, { ...options, importDocs });
}

/** Reads and checks the `--import` / `--import-bandit` files (UserError when unreadable or invalid). */
export async function readImports(imports: AssessOptions['imports']): Promise<ImportDoc[]> {
  const docs: ImportDoc[] = [];
  const list: [ImportKind, string][] = [...(imports?.sarif ?? []).map((f): [ImportKind, string] => ['sarif', f]), ...(imports?.bandit ?? []).map((f): [ImportKind, string] => ['bandit', f])];
  for (const [kind, file] of list) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read import file ${file}: ${(e as Error).message}`);
    }
    try {
      docs.push(parseImportText(text, kind, file));
    } catch (e) {
      if (e instanceof ImportFormatError) throw new UserError(e.message);
      throw e;
    }
  }
  return docs;
}

/** Lines of a target file, from the parsed program or read from disk (for imported findings' snippets). */
function lineReader(program: Program, acquired: AcquiredTarget): (file: string, line: number, endLine: number) => string | undefined {
  const cache = new Map<string, string[] | null>();
  const abs = new Map(acquired.files.map((f) => [f.path, f.abs]));
  return (file, line, endLine) => {
    let lines = cache.get(file);
    if (lines === undefined) {
      const m = program.byFile.get(file);
      let text: string | undefined = m !== undefined ? program.modules[m]!.text : undefined;
      const p = abs.get(file);
      if (text === undefined && p !== undefined) {
        try {
          text = decodeSource(readFileSync(p)).text;
        } catch {
          text = undefined;
        }
      }
      lines = text === undefined ? null : text.split(/\r?\n/);
      cache.set(file, lines);
    }
    if (!lines || line > lines.length) return undefined;
    return lines.slice(line - 1, Math.max(line, endLine)).join('\n');
  };
}

/** A source file read and decoded (and, on the parse thread, parsed): see `prepareTarget`. */
interface PreparedSource {
  file: SourceFile;
  bytes: number;
  text?: string;
  invalid?: boolean;
  error?: string;
  /** Records from the parse thread (see languages/parse-thread.ts), or the error it gave; else parsed here. */
  records?: Promise<ParseResult>;
}

/** An acquired target whose files are read (and, when it was prepared on the parse thread, parsed). */
export interface PreparedTarget {
  acquired: AcquiredTarget;
  sources: PreparedSource[];
}

/** Read and decode the files of an acquired target (they are parsed and lowered by `assessPrepared`). */
export function prepareTarget(acquired: AcquiredTarget): PreparedTarget {
  return {
    acquired,
    sources: acquired.files.map((file): PreparedSource => {
      let buf: Buffer;
      try {
        buf = Buffer.isBuffer(file.data) ? file.data : readFileSync(file.abs);
      } catch (e) {
        return { file, bytes: 0, error: (e as Error).message };
      }
      const { text, invalid } = decodeSource(buf);
      return { file, bytes: buf.length, text, invalid };
    }),
  };
}

/** Assess an already acquired target. */
export async function assessAcquired(acquired: AcquiredTarget, options: AssessOptions = {}): Promise<Assessment> {
  return assessPrepared(prepareTarget(acquired), options);
}

/**
 * Assess many targets in turn, in this process: while one target is analysed, the next one is acquired and
 * its files parsed on a parse thread (when the native parser is built). `each` gets every result (or the
 * error of a target that could not be acquired) in order.
 */
export async function assessMany(targets: string[], options: AssessOptions, each: (index: number, result: Assessment | Error) => void): Promise<void> {
  const thread = ParseThread.start();
  type Group = (PreparedTarget | Error)[];
  const settle = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
  let queued = 0;
  /** Target i acquired here (or why it could not be), then read and decoded. */
  const acquireAt = (i: number): Promise<AcquiredTarget | Error> => acquire(targets[i]!, options).catch(settle);
  const prepared = (x: AcquiredTarget | Error): PreparedTarget | Error => (x instanceof Error ? x : prepareTarget(x));
  /** Targets start..end-1 acquired here, one after the other (a group the parse thread did not do: it died). */
  const here = async (start: number, end: number): Promise<Group> => {
    const out: Group = [];
    for (let i = start; i < end; i++) out.push(prepared(await acquireAt(i)));
    return out;
  };
  // Without a parse thread (or once it died): the next targets are acquired here, GROUP_TARGETS targets or
  // GROUP_BYTES of source at a time (large ones alone), and parsed here.
  const hereGroup = async (): Promise<Group> => {
    const got: (AcquiredTarget | Error)[] = [];
    let bytes = 0;
    while (queued < targets.length && got.length < GROUP_TARGETS && bytes < GROUP_BYTES) {
      const a = await acquireAt(queued++);
      got.push(a);
      if (!(a instanceof Error)) bytes += a.files.reduce((n, f) => n + f.size, 0);
    }
    return got.map(prepared);
  };
  // With one: THREAD_GROUP targets per request, posted as soon as the group is asked for (the thread does its
  // requests in order), so that it always has the next groups to acquire and parse while this thread analyses.
  const threadGroup = (thread: ParseThread): Promise<Group> => {
    const start = queued;
    const end = (queued = Math.min(targets.length, start + THREAD_GROUP));
    if (start === end) return Promise.resolve([]);
    return thread.prepareAll(targets.slice(start, end), options).then(
      (out) => out.map((r) => (r instanceof Error ? r : fromRemote(r))),
      // the thread died: this group is done here (unless the run is over: closed after an error in `each`)
      () => (thread.closed ? [] : here(start, end)),
    );
  };
  try {
    const importDocs = options.importDocs ?? (await readImports(options.imports));
    // AHEAD groups are asked for ahead of the one analysed; those made here start one after the other (each
    // when the one before is made), so targets keep their order
    let last: Promise<Group> = Promise.resolve([]);
    const next = (): Promise<Group> => (last = thread?.alive ? threadGroup(thread) : last.then(hereGroup));
    const ahead = Array.from({ length: AHEAD }, next);
    let i = 0;
    for (;;) {
      const group = await ahead.shift()!;
      if (!group.length) break; // nothing was left to prepare
      ahead.push(next());
      for (const cur of group) {
        let result: Assessment | Error;
        if (cur instanceof Error) result = cur;
        else {
          try {
            result = await assessPrepared(cur, { ...options, importDocs });
          } catch (e) {
            result = settle(e);
          }
        }
        each(i++, result); // an error `each` throws ends the run (once: it is not called again with it)
      }
    }
  } finally {
    await thread?.close();
  }
}

/** A target prepared on the parse thread, as `prepareTarget` gives it. */
function fromRemote(r: PreparedRemote): PreparedTarget {
  return {
    acquired: r.acquired,
    sources: r.acquired.files.map((file, k): PreparedSource => {
      const s = r.sources[k]!;
      return { file, bytes: s.bytes, text: s.text, invalid: s.invalid, error: s.error, records: s.records === undefined ? undefined : Promise.resolve(s.records) };
    }),
  };
}

/** assessMany's groups made on the main thread: at most this many targets, or this much source. */
const GROUP_TARGETS = 32;
const GROUP_BYTES = 256 * 1024;
/** assessMany's groups made on the parse thread: this many targets. */
const THREAD_GROUP = 32;
/** assessMany's groups asked for ahead of the one analysed. */
const AHEAD = 3;

/** Assess a prepared target (see `prepareTarget`). */
export async function assessPrepared(prepared: PreparedTarget, options: AssessOptions = {}): Promise<Assessment> {
  const acquired = prepared.acquired;
  const warnings: Warning[] = [...acquired.warnings];
  let partial = acquired.partial;
  const t0 = performance.now();
  const modules: ProgramModule[] = [];
  let bytes = 0;
  let lines = 0;
  const languages: Record<string, number> = {};
  for (const s of prepared.sources) {
    const f = s.file;
    if (s.error !== undefined || s.text === undefined) {
      warnings.push({ code: 'read-error', message: `cannot read: ${s.error ?? 'unknown error'}`, file: f.path });
      partial = true;
      continue;
    }
    const text = s.text;
    if (s.invalid) warnings.push({ code: 'invalid-utf8', message: 'file is not valid UTF-8; invalid bytes were replaced', file: f.path });
    bytes += s.bytes;
    const records = s.records ? await s.records : undefined;
    // the parse thread's error (it died, or the parser threw there): parse here instead, as without the thread
    const parsed = records !== undefined && !(records instanceof Error) ? lowerRecords(f.path, f.language, text, records) : await parseSource(f.path, f.language, text);
    if (parsed.problems.length) {
      for (const p of parsed.problems.slice(0, 3)) warnings.push({ code: /nesting|depth/.test(p) ? 'depth-limit' : 'parse-error', message: p, file: f.path });
      partial = true;
    }
    if (!parsed.module) continue;
    lines += parsed.module.lines;
    languages[f.language] = (languages[f.language] ?? 0) + 1;
    modules.push({ ir: parsed.module, text });
  }
  const t1 = performance.now();
  const program = buildProgram(modules);
  const langs = [...new Set(modules.map((m) => (m.ir.language === 'python' ? 'python' : 'javascript')))];
  const M = models(langs.length ? langs : ['javascript'], options.rules ?? []);
  const surfaceResult = extractSurface(program);
  const engine = new Engine(program, M, { maxWork: options.maxWork ?? 20_000_000 });
  const entries = entryPoints(program, surfaceResult, engine);
  engine.run(entries, (regs) => {
    listedByEngine(program, surfaceResult, engine);
    return dynamicEntries(program, surfaceResult, engine, regs);
  });
  for (const err of engine.errors.slice(0, 20)) warnings.push({ code: 'analysis-error', message: err });
  if (engine.errors.length) partial = true;
  if (engine.budgetHit) {
    partial = true;
    warnings.push({ code: 'analysis-budget', message: 'the analysis budget was reached: some functions were not analysed' });
  }
  const findings: Finding[] = engine.findings.map((r) => flowFinding(r, engine.source(r.fact.src), program, M));
  let ruleFindings: Finding[] = [];
  try {
    ruleFindings = runRules({ program, surface: surfaceResult.surface });
  } catch (e) {
    // the lowerings bound nesting; should some shape still overflow a rule's walk, the rest of the report stands
    if (!(e instanceof RangeError)) throw e;
    warnings.push({ code: 'analysis-error', message: 'non-flow rules: nesting or recursion too deep; their findings are left out' });
    partial = true;
  }
  for (const f of ruleFindings) {
    // a weakness inside a handler belongs to that tool/resource/prompt
    const p = f.primitive.kind === 'protocol' ? primitiveAt(surfaceResult, f.location.file, f.location.line) : undefined;
    findings.push(p ? { ...f, primitive: p } : f);
  }
  const eco = await ecosystemFindings(surfaceResult.surface, acquired, options.ecosystem);
  findings.push(...eco.findings);
  warnings.push(...eco.warnings);
  const t2 = performance.now();
  options.onStats?.({ parseMs: t1 - t0, analysisMs: t2 - t1, files: modules.length, bytes, lines });
  const functions = modules.reduce((n, m) => n + m.ir.functions.length, 0);
  let finalFindings = finalizeFindings(findings);
  let unmapped: UnmappedFinding[] | undefined;
  const docs = options.importDocs ?? (await readImports(options.imports));
  if (docs.length) {
    const kb = options.noRisk ? undefined : loadKb();
    const imported = importFindings(docs, {
      own: finalFindings,
      files: acquired.files.map((f) => f.path),
      root: acquired.info.root,
      primitiveAt: (file, line) => primitiveAt(surfaceResult, file, line),
      lines: lineReader(program, acquired),
      knownCwe: kb ? (c) => kb.cwe[String(c)] !== undefined && kb.cwe[String(c)]!.status !== 'Deprecated' : undefined,
    });
    finalFindings = imported.findings;
    unmapped = imported.unmapped;
    warnings.push(...imported.warnings);
  }
  const risk = options.noRisk ? undefined : scoreAssessment(finalFindings, riskContext(program, surfaceResult.surface, finalFindings), { aggregation: options.aggregation ?? 'max' });
  const info = acquired.info;
  const a: Assessment = {
    schemaVersion: ASSESSMENT_SCHEMA_VERSION,
    tool: { name: 'mcp-risk', version: VERSION },
    target: { input: info.input, kind: info.kind, name: info.name, ...(info.version ? { version: info.version } : {}) },
    partial,
    warnings: sortWarnings(warnings),
    stats: { files: modules.length, lines, bytes, functions, languages },
    surface: surfaceResult.surface,
    findings: finalFindings,
    ...(unmapped ? { unmapped } : {}),
  };
  if (risk) {
    a.risk = risk;
    a.kb = { cwe: risk.kb.cwe, capec: risk.kb.capec };
  }
  return a;
}

/** What the server can do and how it is exposed, for the contextual model. */
function riskContext(program: Program, surface: Surface, findings: Finding[]): RiskContext {
  const has = (...mods: string[]) => mods.some((m) => program.importedModules.has(m));
  const text = (re: RegExp) => program.modules.some((m) => re.test(m.text));
  return {
    networkExposedWithoutAuth: findings.some((f) => f.cwe === 306),
    capabilities: {
      shell: has('child_process', 'execa', 'shelljs', 'cross-spawn', 'zx', 'subprocess', 'os') && text(/\b(exec|execSync|spawn|spawnSync|execFile|execa|system|popen|Popen|check_output|run)\s*\(/),
      fs: has('fs', 'fs/promises', 'fs-extra', 'pathlib', 'shutil', 'os'),
      network: has('axios', 'node-fetch', 'undici', 'got', 'http', 'https', 'requests', 'httpx', 'aiohttp', 'urllib') || text(/\bfetch\s*\(/) || surface.transports.some((t) => t.kind !== 'stdio'),
    },
  };
}

function sortWarnings(ws: Warning[]): Warning[] {
  return ws.slice().sort((a, b) => compareText(a.file ?? '', b.file ?? '') || compareText(a.code, b.code) || compareText(a.message, b.message));
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
export function atOrAbove(f: Finding, s: Severity): boolean {
  return RANK[f.severity] >= RANK[s];
}
