/**
 * Types of the landscape stage: many servers assessed in one run, stored in SQLite, summarised.
 * Plain JSON-serialisable data (rows cross the worker boundary and are written to CSV/JSON).
 */
import type { Grade, PrimitiveLabel } from '../risk/types.js';

/** How the input file was read. */
export type InputFormat = 'text' | 'server-json' | 'registry-list' | 'registry-seed';

/** Where a planned server came from (kept in the store, shown in the dashboard). */
export interface TargetOrigin {
  /** 1-based line of a text list. */
  line?: number;
  /** Registry server name, e.g. `io.github.user/weather`. */
  registryName?: string;
  /** Registry server version (not the package version). */
  registryVersion?: string;
  /** `repository.url` of a registry entry. */
  repository?: string;
  /** Which registry entry field gave the target: `npm`, `pypi`, `repository`. */
  via?: string;
  /** Anything worth knowing (monorepo subfolder ignored, …). */
  notes?: string[];
}

/** One server to assess. */
export interface LandscapeTarget {
  /** What `acquire()` receives: an absolute folder/file path, `npm:` / `pypi:` spec, git URL. */
  target: string;
  /** Display name: the registry name, or the line as written. */
  label: string;
  /** Identity across runs (for `compare`): `npm:<name>`, `pypi:<name>`, `git:<url>`, `path:<abs>`. */
  key: string;
  /** `npm`, `pypi`, `git`, `folder`, `file`, `archive`, `none` — a guess from the target text. */
  ecosystem: string;
  origin: TargetOrigin;
  /** Set when nothing can be analysed statically (remote-only, container image, …): stored as skipped. */
  skip?: { code: string; message: string };
}

export interface ParsedInput {
  format: InputFormat;
  targets: LandscapeTarget[];
  /** What was dropped or changed while reading (duplicates, older versions, deleted entries). */
  notes: string[];
}

export type ServerStatus = 'ok' | 'failed' | 'skipped';
export type CacheStatus = 'hit' | 'miss' | 'local' | 'unknown';

/** Outcome of one server, as produced by a worker (or by the pool for crashes and timeouts). */
export interface ServerOutcome {
  status: ServerStatus;
  name?: string;
  version?: string;
  kind?: string;
  /** Main language by file count (`typescript` covers tsx), `none` without source files, `unknown` on failure. */
  language: string;
  partial: boolean;
  /** Assessed, but there was nothing to analyse (no source files). */
  noSource: boolean;
  files: number;
  lines: number;
  bytes: number;
  functions: number;
  tools: number;
  resources: number;
  prompts: number;
  transports: string[];
  sdks: string[];
  findings: number;
  rOverall: number;
  rExp: number;
  rRms: number;
  contextual: number;
  grade: Grade | '';
  errorCode?: string;
  errorMessage?: string;
  /** Wall time of the whole job (acquire + assess), ms. */
  ms: number;
  acquireMs: number;
  analysisMs: number;
  /** Highest resident set size seen for the worker while it ran this server, MB (sampled). */
  peakRssMb: number;
  cache: CacheStatus;
}

/** One finding, flattened for statistics. */
export interface FindingRow {
  findingId: string;
  ruleId: string;
  title: string;
  cwe: number;
  severity: string;
  confidence: string;
  primitive: PrimitiveLabel;
  primitiveName: string;
  file: string;
  line: number;
  sourceKind: string;
  tags: string[];
  /** mcp-in-sos R(c) of the finding's CWE. */
  rCwe: number;
  /** Contextual score 0..10 and band. */
  contextual: number;
  band: string;
  c: boolean;
  i: boolean;
  a: boolean;
  /** OWASP MCP Top 10 ids, e.g. `MCP05:2025`. */
  owasp: string[];
}

export interface WarningRow {
  code: string;
  message: string;
  file?: string;
}

/** A CAPEC of a CWE with its (filled) likelihood and severity, from the knowledge base. */
export interface CapecRow {
  capec: number;
  name: string;
  la: number;
  laLabel: string;
  ts: number;
  tsLabel: string;
  R: number;
}

/** Per CWE seen in the run: its mcp-in-sos values and CAPECs (knowledge-base facts, stored once per run). */
export interface WeaknessRow {
  cwe: number;
  name: string;
  R: number;
  likelihood: number;
  impact: number;
  capecLink: string;
  capecs: CapecRow[];
}

/** What a worker returns for one server. */
export interface ServerResult {
  outcome: ServerOutcome;
  findings: FindingRow[];
  warnings: WarningRow[];
  /** Total warnings before the cap (the store keeps at most MAX_WARNINGS). */
  warningCount: number;
  weaknesses: WeaknessRow[];
  /** The JSON report of the server (gzip), for its own report page. */
  report?: Uint8Array;
  /** Knowledge-base versions the risk stage used. */
  kb?: { cwe: string; capec: string };
}

/** A planned server with its outcome when done (`status: 'pending'` otherwise). */
export interface ServerRow extends Omit<ServerOutcome, 'status'> {
  id: number;
  target: string;
  label: string;
  key: string;
  ecosystem: string;
  origin: TargetOrigin;
  attempts: number;
  status: ServerStatus | 'pending';
  warningCount: number;
}

export interface StoredFinding extends FindingRow {
  serverId: number;
}

export interface StoredWarning extends WarningRow {
  serverId: number;
}

export interface RunInfo {
  id: number;
  input: string;
  format: InputFormat;
  inputSha256: string;
  toolVersion: string;
  kb: { cwe: string; capec: string; contentHash: string };
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  /** How many times the run was resumed. */
  resumes: number;
  notes: string[];
}

/** Everything the statistics, exports, dashboard and compare read: rows of one run. */
export interface LandscapeData {
  run: RunInfo;
  servers: ServerRow[];
  findings: StoredFinding[];
  warnings: StoredWarning[];
  weaknesses: WeaknessRow[];
}
