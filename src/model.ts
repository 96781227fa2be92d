/**
 * Domain types shared by every stage of the pipeline:
 * acquire → languages → mcp → analysis → kb → risk → report.
 *
 * These are plain data (JSON-serialisable), so a stage can be tested alone
 * and the JSON report is these objects written out (see schemas/assessment.schema.json).
 */

export type Language = 'typescript' | 'tsx' | 'javascript' | 'python';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export type Confidence = 'high' | 'medium' | 'low';

/** The MCP primitive a finding sits in. `protocol` = server-wide (transport, config, module code). */
export type PrimitiveKind = 'tool' | 'resource' | 'prompt' | 'protocol';

/** Where tainted data came from. */
export type SourceKind =
  | 'tool-argument'
  | 'resource-argument'
  | 'prompt-argument'
  | 'transport' // headers / bearer token / auth info the SDK hands a callback
  | 'network' // a response body from an outbound request (secondary)
  | 'environment' // process.env / os.environ (secondary, configuration)
  | 'file'; // contents read from disk (secondary)

/** 1-based line and column. */
export interface Location {
  file: string; // path relative to the target root, with forward slashes
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface TraceStep {
  kind: 'source' | 'step' | 'call' | 'return' | 'guard' | 'sink';
  location: Location;
  /** Human text, e.g. "argument `path` of tool `read_file`", "passes through validatePath()". */
  label: string;
  snippet?: string;
}

export interface PrimitiveRef {
  kind: PrimitiveKind;
  /** Tool/resource/prompt name when known. */
  name?: string;
}

/** What every rule states about itself (non-flow rules, metadata rules, ecosystem rules), ESLint-style. */
export interface RuleMeta {
  id: string;
  cwe: number;
  title: string;
  severity: Severity;
  description: string;
  fix: string;
}

export interface Finding {
  /** Stable id: hash of rule, location and trace (see analysis/finding-id.ts). */
  id: string;
  ruleId: string;
  title: string;
  cwe: number;
  severity: Severity;
  confidence: Confidence;
  /** One or two sentences: what is wrong here. */
  message: string;
  /** How to fix it. */
  fix: string;
  location: Location;
  /** The source line(s) at the location (secrets redacted). */
  snippet: string;
  primitive: PrimitiveRef;
  /** For flows: where the data came from. Absent for non-flow rules. */
  source?: { kind: SourceKind; name?: string; location: Location };
  /** For flows: source → steps → sink. */
  trace?: TraceStep[];
  /**
   * Tags: `capability` (the tool hands its argument unchanged to a dangerous operation: dangerous by design),
   * `injection` (the argument is built into a larger command/query/path), `weak-guard` (a check on the way does not hold),
   * `secondary-source`, `imported` (came from another analyzer), …
   */
  tags: string[];
  /** Extra explanations (e.g. why a guard on the way is ineffective). */
  notes?: string[];
  /** Origin tool when imported (issue: reports/imports). */
  tool?: string;
}

export interface ParamInfo {
  name: string;
  /** JSON-schema-ish type: string, number, integer, boolean, array, object, enum, unknown. */
  type: string;
  description?: string;
  enum?: string[];
  required?: boolean;
}

export interface PrimitiveDef {
  kind: Exclude<PrimitiveKind, 'protocol'>;
  name: string;
  /** For resources: the URI or URI template. */
  uri?: string;
  title?: string;
  description?: string;
  params: ParamInfo[];
  /** How it was registered, e.g. `server.tool`, `registerTool`, `setRequestHandler(CallToolRequestSchema)`, `fastmcp.addTool`. */
  style: string;
  location: Location;
  /** Location of the handler function, when found. */
  handler?: Location;
}

export interface TransportDef {
  kind: 'stdio' | 'sse' | 'streamable-http' | 'http' | 'websocket' | 'unknown';
  location: Location;
  /** Host bound, when known (`127.0.0.1`, `0.0.0.0`, or `unknown`). */
  host?: string;
  port?: number | string;
  /** Whether an authentication layer was seen in front of the transport. */
  auth: 'present' | 'absent' | 'unknown';
  /** Whether Origin/Host validation (DNS-rebinding protection) was seen. */
  originCheck?: 'present' | 'absent' | 'unknown';
}

export interface Surface {
  /** SDKs / frameworks seen, e.g. `@modelcontextprotocol/sdk`, `fastmcp`, `mcp` (python). */
  sdks: string[];
  tools: PrimitiveDef[];
  resources: PrimitiveDef[];
  prompts: PrimitiveDef[];
  transports: TransportDef[];
}

export interface Warning {
  code: string; // e.g. 'file-too-large', 'parse-error', 'binary-file', 'depth-limit', 'symlink-loop'
  message: string;
  file?: string;
}

export interface TargetInfo {
  /** What the user typed. */
  input: string;
  kind: 'folder' | 'npm' | 'git' | 'pypi' | 'file';
  name: string;
  version?: string;
  /** Absolute path of the acquired tree (not written in JSON: it is machine-specific). */
  root: string;
}

export interface Stats {
  files: number;
  lines: number;
  bytes: number;
  functions: number;
  /** Languages seen, file counts. */
  languages: Record<string, number>;
}

/**
 * A result imported from another analyzer (`--import`, `--import-bandit`) that cannot be scored: no CWE
 * from the result, its rule or the kept table (`no-cwe`), or no source location (`no-location`). Kept and
 * listed, never dropped silently; not part of `findings` nor of the risk scores.
 */
export interface UnmappedFinding {
  /** Stable id: hash of analyzer, rule, location and message. */
  id: string;
  /** The analyzer's name (`Semgrep OSS`, `CodeQL`, `Bandit`). */
  tool: string;
  ruleId: string;
  title: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  location?: Location;
  snippet?: string;
  primitive: PrimitiveRef;
  reason: 'no-cwe' | 'no-location';
}

export interface Assessment {
  schemaVersion: string;
  tool: { name: 'mcp-risk'; version: string };
  target: Omit<TargetInfo, 'root'>;
  /** True when something could not be analysed (see warnings): the result is a lower bound. */
  partial: boolean;
  warnings: Warning[];
  stats: Stats;
  surface: Surface;
  findings: Finding[];
  /** Imported results without a CWE or a location: listed, not scored (see UnmappedFinding). */
  unmapped?: UnmappedFinding[];
  /** Risk under both models, threat categories per finding (risk stage; see docs/risk-models.md). */
  risk?: import('./risk/types.js').RiskReport;
  /** MITRE catalog versions the risk stage used. */
  kb?: { cwe: string; capec: string };
}
