/**
 * The landscape store: one SQLite database per output folder (`landscape.sqlite`), written only by the
 * parent process.
 *
 * Crash safety (kill -9 at any moment):
 *   - WAL journal: a transaction is either wholly in the database or not at all after a crash.
 *   - The plan (every server of the run, numbered in input order) is written in one transaction with the run.
 *   - Each server's outcome — result row, scores, findings, warnings/failure, CWE/CAPEC facts, report — is one
 *     transaction. `results` has PRIMARY KEY (run_id, server_id): a second outcome for the same server is
 *     refused (`saveResult` returns false), so nothing is stored twice.
 *   - A server is done when it has a `results` row. `--resume` runs the planned servers without one: those
 *     never started and those in flight when the run died (their `attempts` count shows it).
 * synchronous=NORMAL: committed transactions survive the process being killed (not necessarily a power cut).
 */
import Database from 'better-sqlite3';
import { failedOutcome } from './extract.js';
import type {
  CapecRow,
  InputFormat,
  LandscapeData,
  LandscapeTarget,
  RunInfo,
  ServerResult,
  ServerRow,
  StoredFinding,
  StoredWarning,
  TargetOrigin,
  WeaknessRow,
} from './types.js';

export const STORE_FILE = 'landscape.sqlite';
export const STORE_SCHEMA_VERSION = '1';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  input TEXT NOT NULL,
  format TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  kb_cwe TEXT NOT NULL,
  kb_capec TEXT NOT NULL,
  kb_hash TEXT NOT NULL,
  options TEXT NOT NULL,
  notes TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  resumes INTEGER NOT NULL DEFAULT 0,
  owner_pid INTEGER
);
CREATE TABLE IF NOT EXISTS servers (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  id INTEGER NOT NULL,
  target TEXT NOT NULL,
  label TEXT NOT NULL,
  key TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  origin TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, id),
  UNIQUE (run_id, target)
);
CREATE TABLE IF NOT EXISTS results (
  run_id INTEGER NOT NULL,
  server_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
  name TEXT,
  version TEXT,
  kind TEXT,
  language TEXT NOT NULL,
  partial INTEGER NOT NULL,
  no_source INTEGER NOT NULL,
  files INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  functions INTEGER NOT NULL,
  tools INTEGER NOT NULL,
  resources INTEGER NOT NULL,
  prompts INTEGER NOT NULL,
  transports TEXT NOT NULL,
  sdks TEXT NOT NULL,
  findings INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  warning_count INTEGER NOT NULL,
  ms INTEGER NOT NULL,
  acquire_ms INTEGER NOT NULL,
  analysis_ms INTEGER NOT NULL,
  peak_rss_mb REAL NOT NULL,
  cache TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  PRIMARY KEY (run_id, server_id),
  FOREIGN KEY (run_id, server_id) REFERENCES servers(run_id, id)
);
CREATE TABLE IF NOT EXISTS scores (
  run_id INTEGER NOT NULL,
  server_id INTEGER NOT NULL,
  r_overall REAL NOT NULL,
  r_exp REAL NOT NULL,
  r_rms REAL NOT NULL,
  n INTEGER NOT NULL,
  contextual REAL NOT NULL,
  grade TEXT NOT NULL,
  PRIMARY KEY (run_id, server_id),
  FOREIGN KEY (run_id, server_id) REFERENCES results(run_id, server_id)
);
CREATE TABLE IF NOT EXISTS findings (
  run_id INTEGER NOT NULL,
  server_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  finding_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  title TEXT NOT NULL,
  cwe INTEGER NOT NULL,
  severity TEXT NOT NULL,
  confidence TEXT NOT NULL,
  primitive TEXT NOT NULL,
  primitive_name TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  source_kind TEXT NOT NULL,
  tags TEXT NOT NULL,
  r_cwe REAL NOT NULL,
  contextual REAL NOT NULL,
  band TEXT NOT NULL,
  c INTEGER NOT NULL,
  i INTEGER NOT NULL,
  a INTEGER NOT NULL,
  owasp TEXT NOT NULL,
  PRIMARY KEY (run_id, server_id, seq),
  FOREIGN KEY (run_id, server_id) REFERENCES results(run_id, server_id)
);
CREATE INDEX IF NOT EXISTS findings_by_cwe ON findings(run_id, cwe);
CREATE TABLE IF NOT EXISTS errors (
  run_id INTEGER NOT NULL,
  server_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('failure', 'warning')),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  file TEXT,
  PRIMARY KEY (run_id, server_id, seq),
  FOREIGN KEY (run_id, server_id) REFERENCES results(run_id, server_id)
);
CREATE TABLE IF NOT EXISTS weaknesses (
  run_id INTEGER NOT NULL,
  cwe INTEGER NOT NULL,
  name TEXT NOT NULL,
  r REAL NOT NULL,
  likelihood REAL NOT NULL,
  impact REAL NOT NULL,
  capec_link TEXT NOT NULL,
  PRIMARY KEY (run_id, cwe)
);
CREATE TABLE IF NOT EXISTS weakness_capecs (
  run_id INTEGER NOT NULL,
  cwe INTEGER NOT NULL,
  capec INTEGER NOT NULL,
  name TEXT NOT NULL,
  la INTEGER NOT NULL,
  la_label TEXT NOT NULL,
  ts INTEGER NOT NULL,
  ts_label TEXT NOT NULL,
  r REAL NOT NULL,
  PRIMARY KEY (run_id, cwe, capec)
);
CREATE TABLE IF NOT EXISTS reports (
  run_id INTEGER NOT NULL,
  server_id INTEGER NOT NULL,
  json_gz BLOB NOT NULL,
  PRIMARY KEY (run_id, server_id),
  FOREIGN KEY (run_id, server_id) REFERENCES results(run_id, server_id)
);
`;

export interface NewRun {
  input: string;
  format: InputFormat;
  inputSha256: string;
  toolVersion: string;
  kb: { cwe: string; capec: string; contentHash: string };
  options: Record<string, unknown>;
  notes: string[];
}

export interface PlannedServer {
  id: number;
  target: string;
  label: string;
  attempts: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const opt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const json = <T>(v: unknown, fallback: T): T => {
  try {
    return typeof v === 'string' ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
};

export class LandscapeStore {
  readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Open (creating when needed) a store for writing. */
  static open(file: string): LandscapeStore {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as Row | undefined;
    if (!v) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', STORE_SCHEMA_VERSION);
    else if (v.value !== STORE_SCHEMA_VERSION) {
      db.close();
      throw new Error(`${file}: landscape store schema ${String(v.value)}, this version of mcp-risk reads ${STORE_SCHEMA_VERSION}`);
    }
    return new LandscapeStore(db);
  }

  /** Open an existing store read-only (compare, exports). */
  static openReadOnly(file: string): LandscapeStore {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    return new LandscapeStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** The most recent run, if any. */
  latestRun(): RunInfo | undefined {
    const r = this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as Row | undefined;
    return r ? runInfo(r) : undefined;
  }

  ownerPid(runId: number): number | undefined {
    const r = this.db.prepare('SELECT owner_pid FROM runs WHERE id = ?').get(runId) as Row | undefined;
    return r && typeof r.owner_pid === 'number' ? r.owner_pid : undefined;
  }

  /** Create a run with its whole plan (and the outcome of skipped entries) in one transaction. */
  createRun(run: NewRun, targets: readonly LandscapeTarget[], now = new Date().toISOString()): number {
    const insertRun = this.db.prepare(
      `INSERT INTO runs (input, format, input_sha256, tool_version, kb_cwe, kb_capec, kb_hash, options, notes, started_at, owner_pid)
       VALUES (@input, @format, @sha, @tool, @cwe, @capec, @hash, @options, @notes, @now, @pid)`,
    );
    const insertServer = this.db.prepare(
      'INSERT INTO servers (run_id, id, target, label, key, ecosystem, origin) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    return this.db.transaction(() => {
      const info = insertRun.run({
        input: run.input,
        format: run.format,
        sha: run.inputSha256,
        tool: run.toolVersion,
        cwe: run.kb.cwe,
        capec: run.kb.capec,
        hash: run.kb.contentHash,
        options: JSON.stringify(run.options),
        notes: JSON.stringify(run.notes),
        now,
        pid: process.pid,
      });
      const runId = Number(info.lastInsertRowid);
      targets.forEach((t, i) => {
        insertServer.run(runId, i + 1, t.target, t.label, t.key, t.ecosystem, JSON.stringify(t.origin));
        if (t.skip) {
          this.insertOutcome(runId, i + 1, skippedResult(t.skip.code, t.skip.message), now);
        }
      });
      return runId;
    })();
  }

  /** Claim a run for this process (resume). */
  claim(runId: number, resumed: boolean): void {
    this.db
      .prepare(`UPDATE runs SET owner_pid = ?, resumes = resumes + ? WHERE id = ?`)
      .run(process.pid, resumed ? 1 : 0, runId);
  }

  release(runId: number): void {
    this.db.prepare('UPDATE runs SET owner_pid = NULL WHERE id = ?').run(runId);
  }

  finish(runId: number, now = new Date().toISOString()): void {
    this.db.prepare('UPDATE runs SET finished_at = COALESCE(finished_at, ?), owner_pid = NULL WHERE id = ?').run(now, runId);
  }

  /** Planned servers without an outcome, in plan order. */
  pending(runId: number): PlannedServer[] {
    const rows = this.db
      .prepare(
        `SELECT s.id, s.target, s.label, s.attempts FROM servers s
         LEFT JOIN results r ON r.run_id = s.run_id AND r.server_id = s.id
         WHERE s.run_id = ? AND r.server_id IS NULL ORDER BY s.id`,
      )
      .all(runId) as Row[];
    return rows.map((r) => ({ id: num(r.id), target: text(r.target), label: text(r.label), attempts: num(r.attempts) }));
  }

  counts(runId: number): { planned: number; done: number } {
    const planned = num((this.db.prepare('SELECT COUNT(*) AS n FROM servers WHERE run_id = ?').get(runId) as Row).n);
    const done = num((this.db.prepare('SELECT COUNT(*) AS n FROM results WHERE run_id = ?').get(runId) as Row).n);
    return { planned, done };
  }

  markStarted(runId: number, serverId: number): void {
    this.db.prepare('UPDATE servers SET attempts = attempts + 1 WHERE run_id = ? AND id = ?').run(runId, serverId);
  }

  /**
   * Store one server's outcome and everything that belongs to it, in one transaction.
   * Returns false (and stores nothing) when the server already has an outcome.
   */
  saveResult(runId: number, serverId: number, r: ServerResult, now = new Date().toISOString()): boolean {
    return this.db.transaction(() => this.insertOutcome(runId, serverId, r, now))();
  }

  private insertOutcome(runId: number, serverId: number, r: ServerResult, now: string): boolean {
    const o = r.outcome;
    const info = this.db
      .prepare(
        `INSERT INTO results (run_id, server_id, status, name, version, kind, language, partial, no_source, files, lines, bytes,
           functions, tools, resources, prompts, transports, sdks, findings, error_code, error_message, warning_count, ms,
           acquire_ms, analysis_ms, peak_rss_mb, cache, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, server_id) DO NOTHING`,
      )
      .run(
        runId, serverId, o.status, o.name ?? null, o.version ?? null, o.kind ?? null, o.language, o.partial ? 1 : 0, o.noSource ? 1 : 0,
        o.files, o.lines, o.bytes, o.functions, o.tools, o.resources, o.prompts, JSON.stringify(o.transports), JSON.stringify(o.sdks),
        o.findings, o.errorCode ?? null, o.errorMessage ?? null, r.warningCount, Math.round(o.ms), Math.round(o.acquireMs),
        Math.round(o.analysisMs), o.peakRssMb, o.cache, now,
      );
    if (info.changes === 0) return false;
    if (o.status === 'ok') {
      this.db
        .prepare('INSERT INTO scores (run_id, server_id, r_overall, r_exp, r_rms, n, contextual, grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(runId, serverId, o.rOverall, o.rExp, o.rRms, o.findings, o.contextual, o.grade);
    }
    const insF = this.db.prepare(
      `INSERT INTO findings (run_id, server_id, seq, finding_id, rule_id, title, cwe, severity, confidence, primitive, primitive_name,
         file, line, source_kind, tags, r_cwe, contextual, band, c, i, a, owasp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    r.findings.forEach((f, seq) =>
      insF.run(
        runId, serverId, seq, f.findingId, f.ruleId, f.title, f.cwe, f.severity, f.confidence, f.primitive, f.primitiveName,
        f.file, f.line, f.sourceKind, JSON.stringify(f.tags), f.rCwe, f.contextual, f.band, f.c ? 1 : 0, f.i ? 1 : 0, f.a ? 1 : 0,
        JSON.stringify(f.owasp),
      ),
    );
    const insE = this.db.prepare('INSERT INTO errors (run_id, server_id, seq, kind, code, message, file) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let seq = 0;
    if (o.status !== 'ok') insE.run(runId, serverId, seq++, 'failure', o.errorCode ?? 'unknown', o.errorMessage ?? '', null);
    for (const w of r.warnings) insE.run(runId, serverId, seq++, 'warning', w.code, w.message, w.file ?? null);
    const insW = this.db.prepare(
      'INSERT INTO weaknesses (run_id, cwe, name, r, likelihood, impact, capec_link) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const insC = this.db.prepare(
      `INSERT INTO weakness_capecs (run_id, cwe, capec, name, la, la_label, ts, ts_label, r) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    for (const w of r.weaknesses) {
      if (insW.run(runId, w.cwe, w.name, w.R, w.likelihood, w.impact, w.capecLink).changes === 0) continue;
      for (const c of w.capecs) insC.run(runId, w.cwe, c.capec, c.name, c.la, c.laLabel, c.ts, c.tsLabel, c.R);
    }
    if (r.report && r.report.byteLength > 0) {
      this.db
        .prepare('INSERT INTO reports (run_id, server_id, json_gz) VALUES (?, ?, ?)')
        .run(runId, serverId, Buffer.from(r.report.buffer, r.report.byteOffset, r.report.byteLength));
    }
    return true;
  }

  /** The gzipped JSON report of one server. */
  report(runId: number, serverId: number): Buffer | undefined {
    const r = this.db.prepare('SELECT json_gz FROM reports WHERE run_id = ? AND server_id = ?').get(runId, serverId) as Row | undefined;
    return r && Buffer.isBuffer(r.json_gz) ? r.json_gz : undefined;
  }

  /** Every row of a run. */
  load(runId: number): LandscapeData {
    const runRow = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row | undefined;
    if (!runRow) throw new Error(`no run ${runId} in the landscape store`);
    const servers = (
      this.db
        .prepare(
          `SELECT s.id, s.target, s.label, s.key, s.ecosystem, s.origin, s.attempts, r.*, sc.r_overall, sc.r_exp, sc.r_rms,
             sc.contextual, sc.grade
           FROM servers s
           LEFT JOIN results r ON r.run_id = s.run_id AND r.server_id = s.id
           LEFT JOIN scores sc ON sc.run_id = s.run_id AND sc.server_id = s.id
           WHERE s.run_id = ? ORDER BY s.id`,
        )
        .all(runId) as Row[]
    ).map(serverRow);
    const findings = (this.db.prepare('SELECT * FROM findings WHERE run_id = ? ORDER BY server_id, seq').all(runId) as Row[]).map(
      (r): StoredFinding => ({
        serverId: num(r.server_id),
        findingId: text(r.finding_id),
        ruleId: text(r.rule_id),
        title: text(r.title),
        cwe: num(r.cwe),
        severity: text(r.severity),
        confidence: text(r.confidence),
        primitive: text(r.primitive) as StoredFinding['primitive'],
        primitiveName: text(r.primitive_name),
        file: text(r.file),
        line: num(r.line),
        sourceKind: text(r.source_kind),
        tags: json<string[]>(r.tags, []),
        rCwe: num(r.r_cwe),
        contextual: num(r.contextual),
        band: text(r.band),
        c: num(r.c) === 1,
        i: num(r.i) === 1,
        a: num(r.a) === 1,
        owasp: json<string[]>(r.owasp, []),
      }),
    );
    const warnings = (this.db.prepare('SELECT * FROM errors WHERE run_id = ? AND kind = ? ORDER BY server_id, seq').all(runId, 'warning') as Row[]).map(
      (r): StoredWarning => ({ serverId: num(r.server_id), code: text(r.code), message: text(r.message), ...(opt(r.file) ? { file: text(r.file) } : {}) }),
    );
    const capecs = new Map<number, CapecRow[]>();
    for (const r of this.db.prepare('SELECT * FROM weakness_capecs WHERE run_id = ? ORDER BY cwe, capec').all(runId) as Row[]) {
      const list = capecs.get(num(r.cwe)) ?? [];
      list.push({ capec: num(r.capec), name: text(r.name), la: num(r.la), laLabel: text(r.la_label), ts: num(r.ts), tsLabel: text(r.ts_label), R: num(r.r) });
      capecs.set(num(r.cwe), list);
    }
    const weaknesses = (this.db.prepare('SELECT * FROM weaknesses WHERE run_id = ? ORDER BY cwe').all(runId) as Row[]).map(
      (r): WeaknessRow => ({
        cwe: num(r.cwe),
        name: text(r.name),
        R: num(r.r),
        likelihood: num(r.likelihood),
        impact: num(r.impact),
        capecLink: text(r.capec_link),
        capecs: capecs.get(num(r.cwe)) ?? [],
      }),
    );
    return { run: runInfo(runRow), servers, findings, warnings, weaknesses };
  }
}

function runInfo(r: Row): RunInfo {
  const info: RunInfo = {
    id: num(r.id),
    input: text(r.input),
    format: text(r.format) as InputFormat,
    inputSha256: text(r.input_sha256),
    toolVersion: text(r.tool_version),
    kb: { cwe: text(r.kb_cwe), capec: text(r.kb_capec), contentHash: text(r.kb_hash) },
    options: json<Record<string, unknown>>(r.options, {}),
    startedAt: text(r.started_at),
    resumes: num(r.resumes),
    notes: json<string[]>(r.notes, []),
  };
  if (opt(r.finished_at)) info.finishedAt = text(r.finished_at);
  return info;
}

function serverRow(r: Row): ServerRow {
  const done = typeof r.status === 'string';
  const row: ServerRow = {
    id: num(r.id),
    target: text(r.target),
    label: text(r.label),
    key: text(r.key),
    ecosystem: text(r.ecosystem),
    origin: json<TargetOrigin>(r.origin, {}),
    attempts: num(r.attempts),
    status: done ? (text(r.status) as ServerRow['status']) : 'pending',
    language: done ? text(r.language) : 'unknown',
    partial: num(r.partial) === 1,
    noSource: num(r.no_source) === 1,
    files: num(r.files),
    lines: num(r.lines),
    bytes: num(r.bytes),
    functions: num(r.functions),
    tools: num(r.tools),
    resources: num(r.resources),
    prompts: num(r.prompts),
    transports: json<string[]>(r.transports, []),
    sdks: json<string[]>(r.sdks, []),
    findings: num(r.findings),
    rOverall: num(r.r_overall),
    rExp: num(r.r_exp),
    rRms: num(r.r_rms),
    contextual: num(r.contextual),
    grade: (opt(r.grade) ?? '') as ServerRow['grade'],
    ms: num(r.ms),
    acquireMs: num(r.acquire_ms),
    analysisMs: num(r.analysis_ms),
    peakRssMb: num(r.peak_rss_mb),
    cache: (opt(r.cache) ?? 'unknown') as ServerRow['cache'],
    warningCount: num(r.warning_count),
  };
  if (opt(r.name)) row.name = text(r.name);
  if (opt(r.version)) row.version = text(r.version);
  if (opt(r.kind)) row.kind = text(r.kind);
  if (opt(r.error_code)) row.errorCode = text(r.error_code);
  if (opt(r.error_message)) row.errorMessage = text(r.error_message);
  return row;
}

function skippedResult(code: string, message: string): ServerResult {
  return { outcome: failedOutcome(code, message, {}, 'skipped'), findings: [], warnings: [], warningCount: 0, weaknesses: [] };
}
