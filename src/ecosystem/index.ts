/**
 * Ecosystem checks: risks around servers rather than in their code.
 *
 *   metadata.ts  tool/resource/prompt metadata analysis (static surface or live listing) — on every scan
 *   registry.ts  supply-chain signs (install scripts, repository, squatting, README secrets; GitHub/npm look-ups)
 *   hosts.ts     host configurations (discovery per OS, parsing, entry → target, config-level findings)
 *   cross.ts     across the servers of one host (collisions, shadowing, toxic combinations)
 *   live.ts      live introspection with the MCP SDK client (--live only)
 *   pin.ts       mcp-risk.lock pins and diffs (rug pulls)
 *   host-run.ts  the `host` command's pipeline; render.ts its output; cli.ts the commands
 *
 * What runs by default (docs/ecosystem.md): metadata analysis on every scan (offline, deterministic);
 * supply-chain signs with `--registry-checks` on `scan` and by default on `host` (network look-ups skipped
 * with `--offline`); live introspection only with `--live`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AcquiredTarget } from '../acquire/types.js';
import type { Finding, Surface, Warning } from '../model.js';
import { lineOf } from './finding.js';
import { HttpClient, type HttpOptions } from './http.js';
import { analyzeMetadata } from './metadata.js';
import { networkSigns, packageSigns, parseRepositoryUrl } from './registry.js';

export { analyzeMetadata, METADATA_RULES, defsFromListing, defsFromSurface } from './metadata.js';
export { configLocations, readConfigs, readExplicitConfig, parseConfigText, resolveEntry, entryFindings, HOST_RULES } from './hosts.js';
export { crossServerFindings, classifyCapabilities, CROSS_RULES } from './cross.js';
export { HttpClient, type HttpOptions } from './http.js';
export { squatting, packageSigns, networkSigns, REGISTRY_RULES, loadKnownServers } from './registry.js';
export { introspect, type LiveTarget } from './live.js';
export { applyPins, definitionHashes, canonicalJson, readPinFile, writePinFile, PIN_RULES } from './pin.js';
export type * from './types.js';

export interface EcosystemOptions {
  /** Metadata analysis of the surface (default true). */
  metadata?: boolean;
  /** Supply-chain signs of an npm package target (default false on scan; the `host` command turns it on). */
  registryChecks?: boolean;
  /** No network look-ups (the offline supply-chain signs still run when registryChecks is on). */
  offline?: boolean;
  /** HTTP client settings (base URLs, timeout) or a shared client. */
  http?: HttpOptions | HttpClient;
}

export function httpClient(o: EcosystemOptions = {}): HttpClient {
  if (o.http instanceof HttpClient) return o.http;
  return new HttpClient({ ...(o.http ?? {}), offline: o.offline === true || (o.http as HttpOptions | undefined)?.offline === true });
}

/**
 * Ecosystem findings for one assessed target (called by assess()): metadata findings always; supply-chain
 * signs when asked and the target is an npm package.
 */
export async function ecosystemFindings(surface: Surface, acquired: AcquiredTarget, options: EcosystemOptions = {}): Promise<{ findings: Finding[]; warnings: Warning[] }> {
  const findings: Finding[] = [];
  const warnings: Warning[] = [];
  if (options.metadata !== false) findings.push(...analyzeMetadata(surface));
  if (options.registryChecks && acquired.info.kind === 'npm') {
    const signs = await packageSigns({ ecosystem: 'npm', root: acquired.info.root, name: acquired.info.name, version: acquired.info.version });
    findings.push(...signs.findings);
    warnings.push(...signs.warnings);
    const http = httpClient(options);
    if (!http.offline) {
      let repository;
      let line = 1;
      try {
        const text = await readFile(path.join(acquired.info.root, 'package.json'), 'utf8');
        repository = parseRepositoryUrl((JSON.parse(text) as { repository?: unknown }).repository);
        line = lineOf(text, /"repository"/);
      } catch {
        // no package.json: the registry document is asked instead
      }
      const net = await networkSigns(http, { name: repository ? undefined : acquired.info.name, ecosystem: 'npm', repository, at: { file: 'package.json', line, column: 1 } });
      findings.push(...net.findings);
      warnings.push(...net.warnings);
    }
  }
  return { findings, warnings };
}
