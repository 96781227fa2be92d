/**
 * Output of the `host` command: a terminal summary (configs, servers with their findings, cross-server
 * findings, pins) and JSON (the HostReport, with each server's full assessment). Text from configs and
 * server metadata is hostile input: everything printed goes through `clean` (control and bidi characters
 * shown escaped).
 */
import os from 'node:os';
import type { Finding, Severity } from '../model.js';
import { SEVERITY_RANK, atLeast } from '../report/common.js';
import { clean, truncate } from '../report/terminal.js';
import { HOST_NAMES, targetText } from './hosts.js';
import { allHostFindings } from './host-run.js';
import type { HostReport, ServerReport } from './types.js';
import { compareText } from '../order.js';

export interface HostRenderOptions {
  color?: boolean;
  verbose?: boolean;
  minSeverity?: Severity;
}

const SEV_COLOR: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };

function tilde(p: string): string {
  const home = os.homedir();
  return home && p.startsWith(home) ? `~${p.slice(home.length)}` : p;
}

function sortFindings(fs: Finding[]): Finding[] {
  return [...fs].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.ruleId, b.ruleId) || compareText(a.id, b.id));
}

function counts(fs: Finding[]): string {
  if (!fs.length) return 'no findings';
  const by = new Map<Severity, number>();
  for (const f of fs) by.set(f.severity, (by.get(f.severity) ?? 0) + 1);
  return `${fs.length} finding${fs.length > 1 ? 's' : ''} (${(['critical', 'high', 'medium', 'low', 'info'] as Severity[]).filter((s) => by.get(s)).map((s) => `${by.get(s)} ${s}`).join(', ')})`;
}

export function toHostTerminal(r: HostReport, o: HostRenderOptions = {}): string {
  const c = (code: string, s: string) => (o.color ? `${code}${s}\x1b[0m` : s);
  const bold = (s: string) => c('\x1b[1m', s);
  const dim = (s: string) => c('\x1b[2m', s);
  const min = o.minSeverity ?? 'low';
  const lines: string[] = [];
  const found = r.configs.filter((x) => x.found);
  lines.push(bold(`mcp-risk host — ${found.length} configuration file${found.length === 1 ? '' : 's'}, ${r.servers.length} server${r.servers.length === 1 ? '' : 's'}`) + dim(`  (${[r.options.live ? 'live' : 'static', r.options.offline ? 'offline' : r.options.registryChecks ? 'registry checks' : 'no registry checks'].join(', ')})`));
  lines.push('');
  lines.push(bold('Configurations'));
  for (const f of found) {
    const head = `${HOST_NAMES[f.host]} (${f.scope}) ${clean(tilde(f.path))}`;
    if (f.error) lines.push(`  ${c(SEV_COLOR.high, '✗')} ${head} — ${clean(f.error)}`);
    else lines.push(`  ✓ ${head} — ${f.servers} server${f.servers === 1 ? '' : 's'}`);
    for (const e of f.entryErrors) lines.push(`      ${c(SEV_COLOR.medium, '!')} entry \`${truncate(e.name, 60)}\`: ${clean(e.message)}`);
  }
  const missing = r.configs.filter((x) => !x.found);
  if (!found.length) lines.push(`  no MCP host configuration found (looked in ${missing.length} place${missing.length === 1 ? '' : 's'}${o.verbose ? '' : '; -v lists them'})`);
  if (o.verbose) for (const m of missing) lines.push(dim(`  · ${HOST_NAMES[m.host]} (${m.scope}) ${tilde(m.path)} — not found`));
  else if (found.length && missing.length) lines.push(dim(`  (${missing.length} other location${missing.length === 1 ? '' : 's'} not found; -v lists them)`));

  if (r.servers.length) {
    lines.push('');
    lines.push(bold('Servers'));
  }
  for (const s of r.servers) lines.push(...serverLines(s, o, c, min));
  if (r.crossServer.length) {
    lines.push('');
    lines.push(bold('Across servers'));
    for (const f of sortFindings(r.crossServer)) if (atLeast(f.severity, min)) lines.push(...findingLines(f, o, c, '  '));
  }
  if (r.pins) {
    lines.push('');
    lines.push(bold('Pins') + ` ${clean(tilde(r.pins.file))}${r.pins.written ? ' (updated)' : ''}`);
    for (const d of r.pins.diffs) {
      const what = d.firstSeen ? 'pinned (first use)' : !d.added.length && !d.removed.length && !d.changed.length ? 'unchanged' : [d.changed.length ? `${d.changed.length} changed` : '', d.added.length ? `${d.added.length} added` : '', d.removed.length ? `${d.removed.length} removed` : ''].filter(Boolean).join(', ');
      lines.push(`  ${clean(d.server)}: ${what}`);
      for (const k of d.changed) lines.push(`      ${c(SEV_COLOR.high, '~')} ${clean(k)}`);
      for (const k of d.added) lines.push(`      ${c(SEV_COLOR.medium, '+')} ${clean(k)}`);
      for (const k of d.removed) lines.push(`      - ${clean(k)}`);
    }
  }
  const all = allHostFindings(r);
  lines.push('');
  lines.push(`${counts(all)}${all.some((f) => !atLeast(f.severity, min)) ? dim(` — below ${min} hidden`) : ''}`);
  return `${lines.join('\n')}\n`;
}

function serverLines(s: ServerReport, o: HostRenderOptions, c: (code: string, s: string) => string, min: Severity): string[] {
  const out: string[] = [];
  const a = s.assessment;
  const grade = a?.risk?.server.contextual ? ` grade ${a.risk.server.contextual.grade} (${a.risk.server.contextual.score})` : '';
  const status = s.status === 'assessed' ? `assessed${grade}` : s.status === 'error' ? c(SEV_COLOR.high, 'error') : s.status;
  out.push(`  ${c('\x1b[1m', truncate(s.entry.name, 60))}  ${HOST_NAMES[s.entry.host]}  ${truncate(targetText(s.target), 100)}  — ${status}`);
  if (s.reason) out.push(`      ${clean(s.reason).split('\n').join('\n      ')}`);
  if (s.live) out.push(`      live: ${s.live.tools.length} tools, ${s.live.resources.length + s.live.resourceTemplates.length} resources, ${s.live.prompts.length} prompts${s.live.serverInfo?.name ? ` (${truncate(`${s.live.serverInfo.name} ${s.live.serverInfo.version ?? ''}`, 60)})` : ''}`);
  if (o.verbose && s.capabilities) {
    const cap = s.capabilities;
    const parts = [cap.readsPrivate.length ? 'reads private data' : '', cap.untrustedContent.length ? 'brings untrusted content' : '', cap.sendsOut.length ? 'sends data out' : '', cap.executes.length ? 'runs commands' : ''].filter(Boolean);
    if (parts.length) out.push(`      capabilities: ${parts.join(', ')}`);
  }
  const fs = sortFindings([...(a?.findings ?? []), ...s.findings]);
  if (a || s.findings.length) out.push(`      ${counts(fs)}`);
  for (const f of fs) if (atLeast(f.severity, min)) out.push(...findingLines(f, o, c, '      '));
  for (const w of s.warnings) out.push(`      ${c(SEV_COLOR.medium, '!')} ${truncate(w.message, 200)}`);
  return out;
}

function findingLines(f: Finding, o: HostRenderOptions, c: (code: string, s: string) => string, indent: string): string[] {
  const out: string[] = [];
  const sev = c(SEV_COLOR[f.severity], f.severity.toUpperCase().padEnd(8));
  const where = `${clean(tilde(f.location.file))}:${f.location.line}`;
  out.push(`${indent}${sev} CWE-${f.cwe} ${truncate(f.title, 90)}${f.primitive.name ? ` [${f.primitive.kind} ${truncate(f.primitive.name, 40)}]` : ''}`);
  out.push(`${indent}         ${truncate(f.message, 220)}`);
  out.push(`${indent}         ${c('\x1b[2m', `${where}${o.verbose ? `  ${f.ruleId}  id ${f.id}` : ''}`)}`);
  if (o.verbose) for (const n of (f.notes ?? []).slice(0, 6)) out.push(`${indent}         · ${truncate(n, 220)}`);
  return out;
}

/** JSON of the report (stable key order of the objects as built, 2-space indentation). */
export function toHostJson(r: HostReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
