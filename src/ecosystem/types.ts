/**
 * Plain data shared by the ecosystem modules (metadata, hosts, registry, live, pin). JSON-serialisable.
 */
import type { Assessment, Finding, Surface, Warning } from '../model.js';
import type { RiskReport } from '../risk/types.js';

// ------------------------------------------------------------------ live listings (MCP list results)

/** A tool as `tools/list` returns it (the fields mcp-risk reads; others are kept for hashing). */
export interface LiveTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
  [k: string]: unknown;
}

export interface LiveResource {
  name: string;
  uri?: string;
  uriTemplate?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  [k: string]: unknown;
}

export interface LivePrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean; [k: string]: unknown }[];
  [k: string]: unknown;
}

/** What a running server said about itself: the result of initialize and the list calls. */
export interface LiveListing {
  origin: 'live';
  /** A label for the server (host entry name, command or URL). */
  server: string;
  serverInfo?: { name?: string; version?: string; [k: string]: unknown };
  /** `instructions` from the initialize result (text for the model). */
  instructions?: string;
  tools: LiveTool[];
  resources: LiveResource[];
  resourceTemplates: LiveResource[];
  prompts: LivePrompt[];
  /** Problems met while listing (a list call failing, a timeout): the listing may be incomplete. */
  errors: string[];
}

export function isLiveListing(x: unknown): x is LiveListing {
  return typeof x === 'object' && x !== null && (x as { origin?: unknown }).origin === 'live' && Array.isArray((x as LiveListing).tools) && !('defs' in x);
}

export function isSurface(x: unknown): x is Surface {
  return typeof x === 'object' && x !== null && Array.isArray((x as Surface).sdks) && Array.isArray((x as Surface).tools);
}

// ------------------------------------------------------------------ host configurations

export type HostId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'windsurf' | 'cline' | 'gemini-cli' | 'unknown';
export type ConfigScope = 'user' | 'project' | 'system' | 'explicit';

/** Where a host keeps an MCP configuration, and how to read it. */
export interface ConfigLocation {
  host: HostId;
  scope: ConfigScope;
  path: string;
  /**
   * `mcpServers`: `{ "mcpServers": { name: entry } }` (Claude Desktop, Cursor, Windsurf, Cline, Gemini, .mcp.json);
   * `claude-json`: `~/.claude.json` (top-level `mcpServers` and `projects[dir].mcpServers`);
   * `vscode-mcp`: `.vscode/mcp.json` (`servers`, `inputs`); `vscode-settings`: settings.json (`mcp.servers`), JSONC.
   */
  format: 'mcpServers' | 'claude-json' | 'vscode-mcp' | 'vscode-settings';
}

export interface ServerEntry {
  /** Server name as configured. */
  name: string;
  host: HostId;
  scope: ConfigScope;
  /** The configuration file. */
  configPath: string;
  /** 1-based line of the entry in the file, when found. */
  line?: number;
  /** For `~/.claude.json` project entries: the project folder. */
  project?: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  disabled?: boolean;
  /** Tools the host runs without asking (Cline `autoApprove`, Gemini `trust`). */
  autoApprove?: string[] | 'all';
}

export interface ConfigFileResult {
  location: ConfigLocation;
  /** Whether the file exists. */
  found: boolean;
  /** A clear message when the file cannot be read or parsed (the other files are still assessed). */
  error?: string;
  servers: ServerEntry[];
  /** Problems with single entries (the other entries are still assessed). */
  entryErrors: { name: string; message: string }[];
}

/** What an entry runs, as something mcp-risk can assess. */
export type ResolvedTarget =
  | { kind: 'npm'; spec: string; name: string; version?: string; via: string }
  | { kind: 'pypi'; spec: string; name: string; version?: string; via: string }
  | { kind: 'git'; url: string; via: string }
  | { kind: 'folder'; path: string; script?: string; via: string }
  | { kind: 'remote'; url: string; transport: 'http' | 'sse'; via?: string }
  | { kind: 'docker'; image?: string; via: string }
  | { kind: 'unknown'; reason: string };

/** One server of a host, assessed. */
export interface ServerReport {
  entry: ServerEntry;
  target: ResolvedTarget;
  /** `assessed` (static analysis ran), `not-assessable` (docker, remote without --live, binary), `error`. */
  status: 'assessed' | 'not-assessable' | 'error' | 'disabled';
  reason?: string;
  /** The static assessment of the target. */
  assessment?: Assessment;
  /** What the running server listed (--live). */
  live?: LiveListing;
  /** Findings about the configuration entry itself (plaintext secrets, unpinned packages), registry signs, live metadata, pin changes. */
  findings: Finding[];
  warnings: Warning[];
  /** Capabilities derived from the surface and findings (for toxic combinations). */
  capabilities?: CapabilityProfile;
  /** Risk of `findings` (the static assessment carries its own). */
  risk?: RiskReport;
}

export interface CapabilityProfile {
  /** Reads private data (files, mail, databases, repositories, messages). */
  readsPrivate: string[];
  /** Brings content from outside into the model's context (web pages, mail, issues). */
  untrustedContent: string[];
  /** Can send data out (HTTP requests to chosen URLs, mail, messages, posts). */
  sendsOut: string[];
  /** Runs commands or code. */
  executes: string[];
}

export interface PinDiff {
  server: string;
  added: string[];
  removed: string[];
  changed: string[];
  /** True when the server had no pins yet (first use: everything recorded). */
  firstSeen: boolean;
}

export interface HostReport {
  schemaVersion: '1.0.0';
  tool: { name: 'mcp-risk'; version: string };
  /** Config files looked at, found or not, with errors. */
  configs: { host: HostId; scope: ConfigScope; path: string; found: boolean; error?: string; servers: number; entryErrors: { name: string; message: string }[] }[];
  servers: ServerReport[];
  /** Findings across the servers of one host (name collisions, shadowing, toxic combinations). */
  crossServer: Finding[];
  /** Risk of the cross-server findings. */
  crossServerRisk?: RiskReport;
  pins?: { file: string; diffs: PinDiff[]; written: boolean };
  options: { live: boolean; offline: boolean; registryChecks: boolean };
}
