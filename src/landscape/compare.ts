/**
 * `landscape compare A B`: what changed between two runs (A = before, B = after).
 *
 * Servers are matched by identity (`npm:<name>`, `pypi:<name>`, `git:<url>`, `path:<folder>`), so a new
 * version of a package is compared with its old one. Findings of a matched pair are matched first by id
 * (rule, location and trace hash), then by rule + CWE + file + primitive (so a finding that only moved lines
 * is neither new nor fixed). What is left in B is new, what is left in A is fixed. Findings are compared only
 * when the server was assessed in both runs.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../acquire/types.js';
import { LandscapeStore, STORE_FILE } from './store.js';
import { isScored } from './stats.js';
import type { LandscapeData, ServerRow, StoredFinding } from './types.js';

export interface FindingBrief {
  cwe: number;
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  primitive: string;
  primitiveName: string;
  title: string;
}

export interface ServerDiff {
  key: string;
  label: string;
  statusA: string;
  statusB: string;
  versionA: string;
  versionB: string;
  rOverallA: number;
  rOverallB: number;
  contextualA: number;
  contextualB: number;
  added: FindingBrief[];
  fixed: FindingBrief[];
  unchanged: number;
}

export interface RunSide {
  source: string;
  runId: number;
  input: string;
  toolVersion: string;
  kb: string;
  servers: number;
  findings: number;
}

export interface Comparison {
  a: RunSide;
  b: RunSide;
  totals: {
    common: number;
    onlyA: number;
    onlyB: number;
    serversChanged: number;
    newFindings: number;
    fixedFindings: number;
    statusChanges: number;
  };
  onlyA: { key: string; label: string; status: string }[];
  onlyB: { key: string; label: string; status: string }[];
  /** Matched servers with a difference (findings, status or version), biggest change first. */
  servers: ServerDiff[];
  /** Servers affected per CWE in each run (scored servers). */
  cwe: { cwe: number; serversA: number; serversB: number; delta: number }[];
}

/** Open the latest run of a landscape folder (or a `landscape.sqlite` file) read-only. */
export function loadLandscape(dirOrFile: string): LandscapeData {
  let file = dirOrFile;
  if (existsSync(dirOrFile) && statSync(dirOrFile).isDirectory()) file = path.join(dirOrFile, STORE_FILE);
  if (!existsSync(file)) throw new UserError(`no landscape found at ${dirOrFile} (expected a folder with ${STORE_FILE})`);
  let store: LandscapeStore;
  try {
    store = LandscapeStore.openReadOnly(file);
  } catch (e) {
    throw new UserError(`cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    const run = store.latestRun();
    if (!run) throw new UserError(`${file} holds no landscape run`);
    return store.load(run.id);
  } finally {
    store.close();
  }
}

function brief(f: StoredFinding): FindingBrief {
  return { cwe: f.cwe, ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, primitive: f.primitive, primitiveName: f.primitiveName, title: f.title };
}

const signature = (f: StoredFinding): string => [f.ruleId, f.cwe, f.file, f.primitive, f.primitiveName].join('\u0000');
const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Pure: match findings of one server in two runs. */
export function diffFindings(before: readonly StoredFinding[], after: readonly StoredFinding[]): { added: StoredFinding[]; fixed: StoredFinding[]; unchanged: number } {
  const afterIds = new Map<string, StoredFinding[]>();
  for (const f of after) afterIds.set(f.findingId, [...(afterIds.get(f.findingId) ?? []), f]);
  const leftA: StoredFinding[] = [];
  let unchanged = 0;
  const usedB = new Set<StoredFinding>();
  for (const f of before) {
    const m = afterIds.get(f.findingId)?.find((x) => !usedB.has(x));
    if (m) {
      usedB.add(m);
      unchanged++;
    } else leftA.push(f);
  }
  const leftBySig = new Map<string, StoredFinding[]>();
  for (const f of after) if (!usedB.has(f)) leftBySig.set(signature(f), [...(leftBySig.get(signature(f)) ?? []), f]);
  const fixed: StoredFinding[] = [];
  for (const f of leftA) {
    const list = leftBySig.get(signature(f));
    const m = list?.shift();
    if (m) {
      usedB.add(m);
      unchanged++;
    } else fixed.push(f);
  }
  const added = after.filter((f) => !usedB.has(f));
  return { added, fixed, unchanged };
}

function side(source: string, d: LandscapeData): RunSide {
  return {
    source,
    runId: d.run.id,
    input: d.run.input,
    toolVersion: d.run.toolVersion,
    kb: `CWE ${d.run.kb.cwe} / CAPEC ${d.run.kb.capec}`,
    servers: d.servers.length,
    findings: d.findings.length,
  };
}

export function compareLandscapes(a: LandscapeData, b: LandscapeData, sources: [string, string] = ['A', 'B']): Comparison {
  const index = (d: LandscapeData): Map<string, ServerRow> => new Map(d.servers.map((s) => [s.key, s]));
  const ia = index(a);
  const ib = index(b);
  const findingsOf = (d: LandscapeData): Map<number, StoredFinding[]> => {
    const m = new Map<number, StoredFinding[]>();
    for (const f of d.findings) m.set(f.serverId, [...(m.get(f.serverId) ?? []), f]);
    return m;
  };
  const fa = findingsOf(a);
  const fb = findingsOf(b);
  const servers: ServerDiff[] = [];
  let common = 0;
  for (const [key, sa] of ia) {
    const sb = ib.get(key);
    if (!sb) continue;
    common++;
    const both = sa.status === 'ok' && sb.status === 'ok';
    const d = both ? diffFindings(fa.get(sa.id) ?? [], fb.get(sb.id) ?? []) : { added: [], fixed: [], unchanged: 0 };
    const changed = d.added.length > 0 || d.fixed.length > 0 || sa.status !== sb.status || (sa.version ?? '') !== (sb.version ?? '');
    if (!changed) continue;
    servers.push({
      key,
      label: sb.label,
      statusA: sa.status,
      statusB: sb.status,
      versionA: sa.version ?? '',
      versionB: sb.version ?? '',
      rOverallA: sa.rOverall,
      rOverallB: sb.rOverall,
      contextualA: sa.contextual,
      contextualB: sb.contextual,
      added: d.added.map(brief),
      fixed: d.fixed.map(brief),
      unchanged: d.unchanged,
    });
  }
  servers.sort((x, y) => y.added.length + y.fixed.length - (x.added.length + x.fixed.length) || byKey(x, y));
  const only = (from: Map<string, ServerRow>, other: Map<string, ServerRow>): Comparison['onlyA'] =>
    [...from.values()].filter((s) => !other.has(s.key)).map((s) => ({ key: s.key, label: s.label, status: s.status })).sort(byKey);
  const onlyA = only(ia, ib);
  const onlyB = only(ib, ia);
  const cweServers = (d: LandscapeData): Map<number, number> => {
    const scored = new Set(d.servers.filter(isScored).map((s) => s.id));
    const m = new Map<number, Set<number>>();
    for (const f of d.findings) if (scored.has(f.serverId)) m.set(f.cwe, (m.get(f.cwe) ?? new Set()).add(f.serverId));
    return new Map([...m].map(([c, s]) => [c, s.size]));
  };
  const ca = cweServers(a);
  const cb = cweServers(b);
  const cwe = [...new Set([...ca.keys(), ...cb.keys()])]
    .map((c) => ({ cwe: c, serversA: ca.get(c) ?? 0, serversB: cb.get(c) ?? 0, delta: (cb.get(c) ?? 0) - (ca.get(c) ?? 0) }))
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || y.serversB - x.serversB || x.cwe - y.cwe);
  return {
    a: side(sources[0], a),
    b: side(sources[1], b),
    totals: {
      common,
      onlyA: onlyA.length,
      onlyB: onlyB.length,
      serversChanged: servers.length,
      newFindings: servers.reduce((n, s) => n + s.added.length, 0),
      fixedFindings: servers.reduce((n, s) => n + s.fixed.length, 0),
      statusChanges: servers.filter((s) => s.statusA !== s.statusB).length,
    },
    onlyA,
    onlyB,
    servers,
    cwe,
  };
}

/** Plain-text report of a comparison. */
export function formatComparison(c: Comparison, maxPerServer = 10): string {
  const out: string[] = [];
  const loc = (f: FindingBrief): string => `CWE-${f.cwe} ${f.severity} ${f.file}:${f.line} ${f.primitive}${f.primitiveName ? ` ${f.primitiveName}` : ''} (${f.ruleId})`;
  out.push(`A: ${c.a.source} — run ${c.a.runId}, ${c.a.servers} servers, ${c.a.findings} findings, mcp-risk ${c.a.toolVersion}, ${c.a.kb}`);
  out.push(`B: ${c.b.source} — run ${c.b.runId}, ${c.b.servers} servers, ${c.b.findings} findings, mcp-risk ${c.b.toolVersion}, ${c.b.kb}`);
  const t = c.totals;
  out.push('');
  out.push(`${t.common} servers in both, ${t.onlyA} only in A, ${t.onlyB} only in B; ${t.serversChanged} changed: ${t.newFindings} new findings, ${t.fixedFindings} fixed, ${t.statusChanges} status changes`);
  for (const s of c.servers) {
    out.push('');
    const ver = s.versionA !== s.versionB ? ` ${s.versionA || '?'} → ${s.versionB || '?'}` : s.versionB ? ` ${s.versionB}` : '';
    const status = s.statusA !== s.statusB ? ` [${s.statusA} → ${s.statusB}]` : '';
    out.push(`${s.label}${ver}${status}: +${s.added.length} new, −${s.fixed.length} fixed, ${s.unchanged} unchanged; R_overall ${s.rOverallA.toFixed(1)} → ${s.rOverallB.toFixed(1)}, contextual ${s.contextualA} → ${s.contextualB}`);
    for (const f of s.added.slice(0, maxPerServer)) out.push(`  + ${loc(f)}`);
    if (s.added.length > maxPerServer) out.push(`  + … ${s.added.length - maxPerServer} more`);
    for (const f of s.fixed.slice(0, maxPerServer)) out.push(`  - ${loc(f)}`);
    if (s.fixed.length > maxPerServer) out.push(`  - … ${s.fixed.length - maxPerServer} more`);
  }
  if (c.onlyA.length) out.push('', `Only in A: ${c.onlyA.map((s) => s.label).join(', ')}`);
  if (c.onlyB.length) out.push('', `Only in B: ${c.onlyB.map((s) => s.label).join(', ')}`);
  const moved = c.cwe.filter((x) => x.delta !== 0);
  if (moved.length) {
    out.push('', 'Servers affected per CWE (A → B):');
    for (const x of moved.slice(0, 15)) out.push(`  CWE-${x.cwe}: ${x.serversA} → ${x.serversB} (${x.delta > 0 ? '+' : ''}${x.delta})`);
  }
  return `${out.join('\n')}\n`;
}
