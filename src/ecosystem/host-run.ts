/**
 * The `host` pipeline: find (or take) host configuration files, resolve every server entry to a target,
 * assess each (static analysis of npm / PyPI / git / folder targets; --live lists what the running server
 * offers), add configuration, registry, live-metadata and pin findings per server, then the checks across
 * the servers of each host. One bad file or entry never stops the others: its error is in the report.
 */
import os from 'node:os';
import path from 'node:path';
import { acquire } from '../acquire/index.js';
import { isDirectory, resolveCacheDir } from '../acquire/cache.js';
import type { NpmPackRunner } from '../acquire/npm.js';
import { pypiEntryDir } from '../acquire/pypi.js';
import { UserError, type AcquireOptions } from '../acquire/types.js';
import { assessAcquired } from '../assess.js';
import type { Finding, Location } from '../model.js';
import { scoreAssessment } from '../risk/index.js';
import type { RiskReport } from '../risk/types.js';
import { VERSION } from '../version.js';
import { classifyCapabilities, crossServerFindings } from './cross.js';
import { HttpClient, type HttpOptions } from './http.js';
import { configLocations, entryFindings, readConfigs, readExplicitConfig, redactEntry, redactTarget, resolveEntry, type HostEnvironment } from './hosts.js';
import { introspect, LiveError, type LiveTarget } from './live.js';
import { analyzeMetadata } from './metadata.js';
import { applyPins, PIN_FILE, pinFindings, readPinFile, writePinFile } from './pin.js';
import { networkSigns, packageSigns } from './registry.js';
import type { ConfigFileResult, HostReport, ServerEntry, ServerReport } from './types.js';
import { compareText } from '../order.js';

export interface HostRunOptions extends AcquireOptions {
  /** Config files given with --config (no discovery then). */
  configs?: string[];
  /** Platform, home, project folder, environment for discovery (default: this machine, cwd). */
  environment?: HostEnvironment;
  /** Static analysis of each target (default true). */
  static?: boolean;
  /** Start / contact each server and list its definitions (default false). */
  live?: boolean;
  liveTimeoutMs?: number;
  /** Where the live warnings go (default stderr). */
  warn?: (message: string) => void;
  /** No network: no registry look-ups, npm packages only from the cache. */
  offline?: boolean;
  /** Supply-chain signs (default true). */
  registryChecks?: boolean;
  http?: HttpOptions | HttpClient;
  /** Pin file for live definitions (default ./mcp-risk.lock); only used with `live`. */
  pinFile?: string;
  /** Accept changed definitions into the pin file. */
  updatePins?: boolean;
  /** Progress messages (default: none). */
  progress?: (message: string) => void;
  /** Replaceable npm pack (tests). */
  npmPack?: NpmPackRunner;
}

/** In offline mode npm packages come from the cache only. */
const offlineNpmPack: NpmPackRunner = async ({ spec }) => {
  throw new UserError(`offline: ${spec} is not in the cache (pin an exact version that was fetched before, or run without --offline)`, 'offline');
};

/** In offline mode PyPI packages come from the cache only, and nothing is cloned. */
async function offlineCheck(t: ReturnType<typeof resolveEntry>, o: HostRunOptions): Promise<void> {
  if (t.kind === 'pypi' && !(t.version && (await isDirectory(pypiEntryDir(resolveCacheDir(o.cacheDir), t.name, t.version))))) {
    throw new UserError(`offline: ${t.spec} is not in the cache (pin an exact version that was fetched before, or run without --offline)`, 'offline');
  }
  if (t.kind === 'git') throw new UserError(`offline: ${t.url} is not cloned in offline mode`, 'offline');
}

function entryLocation(e: ServerEntry): Location {
  return { file: e.configPath, line: e.line ?? 1, column: 1 };
}

function acquireSpec(t: ReturnType<typeof resolveEntry>): string | undefined {
  switch (t.kind) {
    case 'npm':
      return `npm:${t.spec}`;
    case 'pypi':
      return `pypi:${t.spec}`;
    case 'git':
      return t.url;
    case 'folder':
      return t.path;
    default:
      return undefined;
  }
}

function liveTarget(e: ServerEntry): LiveTarget | undefined {
  if (e.transport === 'stdio' && e.command) return { transport: 'stdio', command: e.command, args: e.args, env: e.env, cwd: e.cwd ?? e.project, label: e.name };
  if (e.url) return { transport: e.transport === 'sse' ? 'sse' : 'http', url: e.url, headers: e.headers, label: e.name };
  return undefined;
}

function score(findings: Finding[]): RiskReport | undefined {
  if (!findings.length) return undefined;
  try {
    return scoreAssessment(findings, { networkExposedWithoutAuth: false, capabilities: { shell: false, fs: false, network: false } });
  } catch {
    return undefined;
  }
}

async function assessServer(e: ServerEntry, o: HostRunOptions, http: HttpClient): Promise<ServerReport> {
  const home = o.environment?.home ?? os.homedir();
  const target = resolveEntry(e, home);
  // the report carries the entry and target with credentials redacted; the raw entry is only used to run the server
  const r: ServerReport = { entry: redactEntry(e), target: redactTarget(target), status: 'assessed', findings: entryFindings(e, target), warnings: [] };
  const at = entryLocation(e);
  if (e.disabled) {
    r.status = 'disabled';
    r.reason = 'disabled in the configuration';
  }
  const spec = acquireSpec(target);
  const registry = o.registryChecks !== false;
  if (!spec) {
    r.status = e.disabled ? 'disabled' : 'not-assessable';
    r.reason =
      target.kind === 'remote'
        ? `a remote server: its code is not available${o.live ? '' : '; --live lists its tools'}`
        : target.kind === 'docker'
          ? `a container image${target.image ? ` (${target.image})` : ''}: its code is not in a form mcp-risk analyses statically${o.live ? '' : '; --live lists its tools'}`
          : target.kind === 'unknown'
            ? target.reason
            : 'not assessable';
  } else if (!e.disabled && o.static !== false) {
    o.progress?.(`assessing ${e.name} (${spec})`);
    try {
      if (o.offline) await offlineCheck(target, o);
      const acquired = await acquire(spec, o, o.offline ? { npmPack: offlineNpmPack } : o.npmPack ? { npmPack: o.npmPack } : {});
      r.assessment = await assessAcquired(acquired, { ...o, ecosystem: { registryChecks: registry, offline: o.offline, http } });
    } catch (err) {
      r.status = 'error';
      r.reason = err instanceof UserError ? err.message : `assessment failed: ${(err as Error).message}`;
    }
  } else if (!e.disabled) {
    r.status = 'not-assessable';
    r.reason = 'static analysis turned off (--no-static)';
  }
  // registry signs when the package itself was not assessed (not fetched, offline, PyPI)
  if ((target.kind === 'npm' || target.kind === 'pypi') && !r.assessment && registry) {
    const signs = await packageSigns({ name: target.name, ecosystem: target.kind, at });
    r.findings.push(...signs.findings.map((f) => ({ ...f, tags: [...f.tags, e.host] })));
    const net = await networkSigns(http, { name: target.name, ecosystem: target.kind, reportUnregistered: true, at });
    r.findings.push(...net.findings);
    r.warnings.push(...net.warnings);
  }
  if (o.live) {
    const lt = liveTarget(e);
    if (lt) {
      try {
        r.live = await introspect(lt, { timeoutMs: o.liveTimeoutMs, warn: o.warn });
        // what the static analysis already reported for the same definition is not repeated
        const seen = new Set((r.assessment?.findings ?? []).map((f) => `${f.ruleId}|${f.primitive.kind}|${f.primitive.name ?? ''}`));
        r.findings.push(...analyzeMetadata(r.live).filter((f) => !seen.has(`${f.ruleId}|${f.primitive.kind}|${f.primitive.name ?? ''}`)));
        for (const err of r.live.errors) r.warnings.push({ code: 'live-list-error', message: err });
      } catch (err) {
        r.warnings.push({ code: 'live-failed', message: `--live: ${err instanceof LiveError ? err.message : (err as Error).message}` });
      }
    }
  }
  r.capabilities = classifyCapabilities(r);
  return r;
}

/** Run the host assessment. */
export async function runHost(o: HostRunOptions = {}): Promise<HostReport> {
  const env: HostEnvironment = o.environment ?? { platform: process.platform, home: os.homedir(), cwd: process.cwd(), env: process.env };
  const http = o.http instanceof HttpClient ? o.http : new HttpClient({ ...(o.http ?? {}), offline: o.offline === true });
  let files: ConfigFileResult[];
  if (o.configs?.length) {
    files = [];
    for (const c of o.configs) files.push(await readExplicitConfig(path.resolve(env.cwd ?? process.cwd(), c)));
  } else {
    files = await readConfigs(configLocations(env));
  }
  const servers: ServerReport[] = [];
  for (const f of files) for (const e of f.servers) servers.push(await assessServer(e, o, http));

  let pins: HostReport['pins'];
  if (o.live) {
    const file = path.resolve(env.cwd ?? process.cwd(), o.pinFile ?? PIN_FILE);
    const pf = await readPinFile(file);
    const diffs = [];
    let dirty = false;
    for (const s of servers) {
      if (!s.live) continue;
      const key = `${s.entry.host}:${s.entry.name}`;
      const before = JSON.stringify(pf.servers[key] ?? null);
      const d = applyPins(pf, key, s.live, o.updatePins === true);
      if (JSON.stringify(pf.servers[key] ?? null) !== before) dirty = true;
      diffs.push(d);
      s.findings.push(...pinFindings(d, entryLocation(s.entry)));
    }
    if (dirty) await writePinFile(file, pf);
    pins = { file, diffs, written: dirty };
  }
  for (const s of servers) {
    s.findings.sort((a, b) => a.location.line - b.location.line || compareText(a.ruleId, b.ruleId) || compareText(a.id, b.id));
    const risk = score(s.findings);
    if (risk) s.risk = risk;
  }
  const crossServer = crossServerFindings(servers);
  const report: HostReport = {
    schemaVersion: '1.0.0',
    tool: { name: 'mcp-risk', version: VERSION },
    configs: files.map((f) => ({
      host: f.location.host,
      scope: f.location.scope,
      path: f.location.path,
      found: f.found,
      ...(f.error ? { error: f.error } : {}),
      servers: f.servers.length,
      entryErrors: f.entryErrors,
    })),
    servers,
    crossServer,
    ...(pins ? { pins } : {}),
    options: { live: o.live === true, offline: o.offline === true, registryChecks: o.registryChecks !== false },
  };
  const crossRisk = score(crossServer);
  if (crossRisk) report.crossServerRisk = crossRisk;
  return report;
}

/** Every finding of a host report (static assessments, per-server and cross-server). */
export function allHostFindings(r: HostReport): Finding[] {
  return [...r.servers.flatMap((s) => [...(s.assessment?.findings ?? []), ...s.findings]), ...r.crossServer];
}

