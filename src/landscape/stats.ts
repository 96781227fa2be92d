/**
 * Landscape statistics: pure functions over the stored rows of one run (no I/O, no clock).
 * The same rows always give the same numbers, in the same order (every sort has a tie-breaker).
 *
 * Populations:
 *   planned   every server of the input (after de-duplication)
 *   scored    assessed (status ok) and with source files to analyse: the population of every frequency,
 *             distribution and ranking. Servers without source files are assessed but say nothing about risk.
 */
import { rankServers } from '../risk/index.js';
import type { RiskReport } from '../risk/types.js';
import { OWASP_MCP_TOP10 } from '../risk/threats.js';
import type { LandscapeData, ServerRow, StoredFinding, WeaknessRow } from './types.js';

export interface Count {
  findings: number;
  servers: number;
}

export interface Summary {
  n: number;
  min: number;
  p25: number;
  median: number;
  mean: number;
  p75: number;
  p90: number;
  max: number;
  /** Servers with a value of 0 (no findings). */
  zero: number;
}

export interface Bin {
  label: string;
  /** Lower bound (exclusive, except for the first bin which is inclusive). */
  from: number;
  /** Upper bound, inclusive (Infinity for the last bin, written as null in JSON). */
  to: number | null;
  servers: number;
}

export interface CweStat extends Count {
  cwe: number;
  name: string;
  /** Share of scored servers affected, 0..1. */
  share: number;
  /** mcp-in-sos R(c). */
  R: number;
  capecLink: string;
}

export interface CapecStat extends Count {
  capec: number;
  name: string;
  likelihood: number;
  likelihoodLabel: string;
  severity: number;
  severityLabel: string;
  /** CWEs of the run that open this attack pattern. */
  cwes: number[];
}

export interface RankedRow {
  rank: number;
  id: number;
  label: string;
  name: string;
  version: string;
  language: string;
  ecosystem: string;
  findings: number;
  rOverall: number;
  rExp: number;
  rRms: number;
  contextual: number;
  grade: string;
  /** The server's CWEs, most findings first. */
  cwes: number[];
}

export interface LanguageStat {
  language: string;
  servers: number;
  withFindings: number;
  findings: number;
  findingsPerServer: number;
  meanContextual: number;
  medianROverall: number;
  /** Share of the language's servers with each of the run's top CWEs. */
  topCwes: { cwe: number; servers: number; share: number }[];
}

export interface EcosystemStat {
  ecosystem: string;
  planned: number;
  ok: number;
  failed: number;
  skipped: number;
  pending: number;
  noSource: number;
  scored: number;
  withFindings: number;
}

export interface FailureStat {
  code: string;
  servers: number;
  /** Up to three labels. */
  examples: string[];
}

export interface LandscapeStats {
  totals: {
    planned: number;
    done: number;
    pending: number;
    ok: number;
    failed: number;
    skipped: number;
    noSource: number;
    partial: number;
    scored: number;
    withFindings: number;
    findings: number;
    files: number;
    lines: number;
    bytes: number;
  };
  failures: FailureStat[];
  failedServers: { id: number; label: string; status: string; code: string; message: string }[];
  /** Assessed with warnings that make the result a lower bound (parse errors, budgets, …), by warning code. */
  partialCodes: FailureStat[];
  severity: ({ severity: string } & Count)[];
  cwe: CweStat[];
  capec: CapecStat[];
  owasp: ({ id: string; name: string } & Count)[];
  primitives: ({ primitive: string } & Count)[];
  surface: {
    tools: number;
    resources: number;
    prompts: number;
    serversWithTools: number;
    serversWithResources: number;
    serversWithPrompts: number;
    transports: { kind: string; servers: number }[];
  };
  cia: ({ impact: 'C' | 'I' | 'A'; label: string } & Count)[];
  scores: {
    mcpInSos: { summary: Summary; histogram: Bin[] };
    contextual: { summary: Summary; histogram: Bin[] };
    grades: { grade: string; servers: number }[];
  };
  ranking: RankedRow[];
  languages: LanguageStat[];
  ecosystems: EcosystemStat[];
  /** Per CWE (top 15 by servers): findings and servers per primitive. */
  cweByPrimitive: { cwe: number; name: string; byPrimitive: Record<string, Count> }[];
}

export const PRIMITIVES = ['Tool', 'Resource', 'Prompt', 'Protocol'] as const;
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
const CIA_LABEL = { C: 'Confidentiality', I: 'Integrity', A: 'Availability' } as const;
/** R_overall bins (upper bounds, inclusive): R values span 0..~2,000, so the bins double. */
export const R_BINS = [0, 25, 50, 100, 200, 400, 800, 1600];

const r2 = (n: number): number => Math.round(n * 100) / 100;
const byStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Servers that are in the statistics' population. */
export function isScored(s: ServerRow): boolean {
  return s.status === 'ok' && !s.noSource;
}

/** Nearest-rank-with-interpolation quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return {
    n,
    min: r2(s[0] ?? 0),
    p25: r2(quantile(s, 0.25)),
    median: r2(quantile(s, 0.5)),
    mean: r2(n ? s.reduce((a, b) => a + b, 0) / n : 0),
    p75: r2(quantile(s, 0.75)),
    p90: r2(quantile(s, 0.9)),
    max: r2(s[n - 1] ?? 0),
    zero: s.filter((v) => v === 0).length,
  };
}

/** Histogram of R_overall: `0`, `0–25`, `25–50`, …, `> 1600`. */
export function rHistogram(values: number[]): Bin[] {
  const bins: Bin[] = [{ label: '0', from: 0, to: 0, servers: 0 }];
  for (let i = 1; i < R_BINS.length; i++) {
    bins.push({ label: `${R_BINS[i - 1]}–${R_BINS[i]}`, from: R_BINS[i - 1] as number, to: R_BINS[i] as number, servers: 0 });
  }
  const last = R_BINS[R_BINS.length - 1] as number;
  bins.push({ label: `> ${last}`, from: last, to: null, servers: 0 });
  for (const v of values) {
    const bin = v <= 0 ? bins[0] : bins.find((b, i) => i > 0 && v > b.from && (b.to === null || v <= b.to));
    if (bin) bin.servers++;
  }
  return bins;
}

/** Histogram of the contextual score 0..10: `0–1`, `1–2`, …, `9–10` (lower bound inclusive, 10 in the last bin). */
export function contextualHistogram(values: number[]): Bin[] {
  const bins: Bin[] = Array.from({ length: 10 }, (_, k) => ({ label: `${k}–${k + 1}`, from: k, to: k + 1, servers: 0 }));
  for (const v of values) {
    const k = Math.min(9, Math.max(0, Math.floor(v)));
    (bins[k] as Bin).servers++;
  }
  return bins;
}

function countBy<K>(findings: readonly StoredFinding[], keys: (f: StoredFinding) => K[]): Map<K, { findings: number; servers: Set<number> }> {
  const m = new Map<K, { findings: number; servers: Set<number> }>();
  for (const f of findings) {
    for (const k of new Set(keys(f))) {
      let e = m.get(k);
      if (!e) m.set(k, (e = { findings: 0, servers: new Set() }));
      e.findings++;
      e.servers.add(f.serverId);
    }
  }
  return m;
}

function failureStats(rows: { code: string; label: string }[]): FailureStat[] {
  const m = new Map<string, string[]>();
  for (const r of rows) m.set(r.code, [...(m.get(r.code) ?? []), r.label]);
  return [...m]
    .map(([code, labels]) => ({ code, servers: labels.length, examples: labels.slice(0, 3) }))
    .sort((a, b) => b.servers - a.servers || byStr(a.code, b.code));
}

/** Compute every statistic of a run. */
export function computeStats(data: LandscapeData): LandscapeStats {
  const servers = data.servers;
  const scored = servers.filter(isScored);
  const scoredIds = new Set(scored.map((s) => s.id));
  const findings = data.findings.filter((f) => scoredIds.has(f.serverId));
  const weak = new Map<number, WeaknessRow>(data.weaknesses.map((w) => [w.cwe, w]));
  const nScored = scored.length;
  const share = (n: number): number => (nScored ? Math.round((n / nScored) * 10000) / 10000 : 0);

  // CWE
  const cweCounts = countBy(findings, (f) => [f.cwe]);
  const cwe: CweStat[] = [...cweCounts]
    .map(([c, e]) => ({
      cwe: c,
      name: weak.get(c)?.name ?? `CWE-${c}`,
      findings: e.findings,
      servers: e.servers.size,
      share: share(e.servers.size),
      R: weak.get(c)?.R ?? 0,
      capecLink: weak.get(c)?.capecLink ?? 'none',
    }))
    .sort((a, b) => b.servers - a.servers || b.findings - a.findings || a.cwe - b.cwe);

  // CAPEC: a finding opens every attack pattern of its CWE
  const capecOf = new Map<number, WeaknessRow['capecs']>();
  for (const w of data.weaknesses) capecOf.set(w.cwe, w.capecs);
  const capecCounts = countBy(findings, (f) => (capecOf.get(f.cwe) ?? []).map((c) => c.capec));
  const capecInfo = new Map<number, { name: string; la: number; laLabel: string; ts: number; tsLabel: string; cwes: Set<number> }>();
  for (const w of data.weaknesses) {
    if (!cweCounts.has(w.cwe)) continue;
    for (const c of w.capecs) {
      const e = capecInfo.get(c.capec) ?? { name: c.name, la: c.la, laLabel: c.laLabel, ts: c.ts, tsLabel: c.tsLabel, cwes: new Set<number>() };
      e.cwes.add(w.cwe);
      capecInfo.set(c.capec, e);
    }
  }
  const capec: CapecStat[] = [...capecCounts]
    .map(([id, e]) => {
      const info = capecInfo.get(id);
      return {
        capec: id,
        name: info?.name ?? `CAPEC-${id}`,
        likelihood: info?.la ?? 0,
        likelihoodLabel: info?.laLabel ?? '',
        severity: info?.ts ?? 0,
        severityLabel: info?.tsLabel ?? '',
        cwes: [...(info?.cwes ?? [])].sort((a, b) => a - b),
        findings: e.findings,
        servers: e.servers.size,
      };
    })
    .sort((a, b) => b.servers - a.servers || b.findings - a.findings || b.likelihood * b.severity - a.likelihood * a.severity || a.capec - b.capec);

  // threat categories
  const owaspCounts = countBy(findings, (f) => f.owasp);
  const owasp = Object.keys(OWASP_MCP_TOP10)
    .sort(byStr)
    .map((id) => ({ id, name: OWASP_MCP_TOP10[id] ?? id, findings: owaspCounts.get(id)?.findings ?? 0, servers: owaspCounts.get(id)?.servers.size ?? 0 }));
  const primCounts = countBy(findings, (f) => [f.primitive as string]);
  const primitives = PRIMITIVES.map((p) => ({ primitive: p, findings: primCounts.get(p)?.findings ?? 0, servers: primCounts.get(p)?.servers.size ?? 0 }));
  const ciaCounts = countBy(findings, (f) => [...(f.c ? ['C'] : []), ...(f.i ? ['I'] : []), ...(f.a ? ['A'] : [])]);
  const cia = (['C', 'I', 'A'] as const).map((k) => ({ impact: k, label: CIA_LABEL[k], findings: ciaCounts.get(k)?.findings ?? 0, servers: ciaCounts.get(k)?.servers.size ?? 0 }));
  const sevCounts = countBy(findings, (f) => [f.severity]);
  const severity = SEVERITY_ORDER.map((s) => ({ severity: s, findings: sevCounts.get(s)?.findings ?? 0, servers: sevCounts.get(s)?.servers.size ?? 0 }));

  // surface
  const transportServers = new Map<string, number>();
  for (const s of scored) for (const t of s.transports) transportServers.set(t, (transportServers.get(t) ?? 0) + 1);
  const surface = {
    tools: scored.reduce((n, s) => n + s.tools, 0),
    resources: scored.reduce((n, s) => n + s.resources, 0),
    prompts: scored.reduce((n, s) => n + s.prompts, 0),
    serversWithTools: scored.filter((s) => s.tools > 0).length,
    serversWithResources: scored.filter((s) => s.resources > 0).length,
    serversWithPrompts: scored.filter((s) => s.prompts > 0).length,
    transports: [...transportServers].map(([kind, n]) => ({ kind, servers: n })).sort((a, b) => b.servers - a.servers || byStr(a.kind, b.kind)),
  };

  // scores
  const rVals = scored.map((s) => s.rOverall);
  const cVals = scored.map((s) => s.contextual);
  const grades = ['A', 'B', 'C', 'D', 'F'].map((g) => ({ grade: g, servers: scored.filter((s) => s.grade === g).length }));

  // ranking (rankServers: R_overall, then the contextual score, then the name)
  const cwesOf = new Map<number, Map<number, number>>();
  for (const f of findings) {
    const m = cwesOf.get(f.serverId) ?? new Map<number, number>();
    m.set(f.cwe, (m.get(f.cwe) ?? 0) + 1);
    cwesOf.set(f.serverId, m);
  }
  const ranking = rank(scored, cwesOf);

  // languages
  const topCweIds = cwe.slice(0, 5).map((c) => c.cwe);
  const langs = [...new Set(scored.map((s) => s.language))].sort(byStr);
  const languages: LanguageStat[] = langs
    .map((language) => {
      const group = scored.filter((s) => s.language === language);
      const ids = new Set(group.map((s) => s.id));
      const fs = findings.filter((f) => ids.has(f.serverId));
      const per = countBy(fs, (f) => [f.cwe]);
      return {
        language,
        servers: group.length,
        withFindings: group.filter((s) => s.findings > 0).length,
        findings: fs.length,
        findingsPerServer: r2(group.length ? fs.length / group.length : 0),
        meanContextual: r2(group.length ? group.reduce((n, s) => n + s.contextual, 0) / group.length : 0),
        medianROverall: r2(quantile(group.map((s) => s.rOverall).sort((a, b) => a - b), 0.5)),
        topCwes: topCweIds.map((c) => {
          const n = per.get(c)?.servers.size ?? 0;
          return { cwe: c, servers: n, share: group.length ? Math.round((n / group.length) * 10000) / 10000 : 0 };
        }),
      };
    })
    .sort((a, b) => b.servers - a.servers || byStr(a.language, b.language));

  // ecosystems (every planned server)
  const ecos = [...new Set(servers.map((s) => s.ecosystem))].sort(byStr);
  const ecosystems: EcosystemStat[] = ecos
    .map((ecosystem) => {
      const g = servers.filter((s) => s.ecosystem === ecosystem);
      return {
        ecosystem,
        planned: g.length,
        ok: g.filter((s) => s.status === 'ok').length,
        failed: g.filter((s) => s.status === 'failed').length,
        skipped: g.filter((s) => s.status === 'skipped').length,
        pending: g.filter((s) => s.status === 'pending').length,
        noSource: g.filter((s) => s.status === 'ok' && s.noSource).length,
        scored: g.filter(isScored).length,
        withFindings: g.filter((s) => isScored(s) && s.findings > 0).length,
      };
    })
    .sort((a, b) => b.planned - a.planned || byStr(a.ecosystem, b.ecosystem));

  const cweByPrimitive = cwe.slice(0, 15).map((c) => {
    const fs = findings.filter((f) => f.cwe === c.cwe);
    const per = countBy(fs, (f) => [f.primitive as string]);
    const byPrimitive: Record<string, Count> = {};
    for (const p of PRIMITIVES) byPrimitive[p] = { findings: per.get(p)?.findings ?? 0, servers: per.get(p)?.servers.size ?? 0 };
    return { cwe: c.cwe, name: c.name, byPrimitive };
  });

  // failures and partial results
  const failedRows = servers.filter((s) => s.status === 'failed' || s.status === 'skipped');
  const failures = failureStats(failedRows.map((s) => ({ code: s.errorCode ?? 'unknown', label: s.label })));
  const failedServers = failedRows.map((s) => ({ id: s.id, label: s.label, status: s.status, code: s.errorCode ?? 'unknown', message: s.errorMessage ?? '' }));
  const noSourceRows = servers.filter((s) => s.status === 'ok' && s.noSource);
  const partialRows: { code: string; label: string }[] = [];
  const warnCodes = new Map<number, Set<string>>();
  for (const w of data.warnings) {
    const set = warnCodes.get(w.serverId) ?? new Set<string>();
    set.add(w.code);
    warnCodes.set(w.serverId, set);
  }
  for (const s of servers.filter((x) => x.status === 'ok' && x.partial)) {
    for (const code of [...(warnCodes.get(s.id) ?? new Set(['unknown']))].sort(byStr)) {
      if (code !== 'no-source-files') partialRows.push({ code, label: s.label });
    }
  }
  for (const s of noSourceRows) partialRows.push({ code: 'no-source-files', label: s.label });

  const done = servers.filter((s) => s.status !== 'pending');
  return {
    totals: {
      planned: servers.length,
      done: done.length,
      pending: servers.length - done.length,
      ok: servers.filter((s) => s.status === 'ok').length,
      failed: servers.filter((s) => s.status === 'failed').length,
      skipped: servers.filter((s) => s.status === 'skipped').length,
      noSource: noSourceRows.length,
      partial: servers.filter((s) => s.status === 'ok' && s.partial).length,
      scored: nScored,
      withFindings: scored.filter((s) => s.findings > 0).length,
      findings: findings.length,
      files: scored.reduce((n, s) => n + s.files, 0),
      lines: scored.reduce((n, s) => n + s.lines, 0),
      bytes: scored.reduce((n, s) => n + s.bytes, 0),
    },
    failures,
    failedServers,
    partialCodes: failureStats(partialRows),
    severity,
    cwe,
    capec,
    owasp,
    primitives,
    surface,
    cia,
    scores: {
      mcpInSos: { summary: summarize(rVals), histogram: rHistogram(rVals) },
      contextual: { summary: summarize(cVals), histogram: contextualHistogram(cVals) },
      grades,
    },
    ranking,
    languages,
    ecosystems,
    cweByPrimitive,
  };
}

/**
 * Rank with the risk stage's own `rankServers` (ties: the other model, then the name). It reads only the
 * server totals of a report, so a report holding just those is enough.
 */
function rank(scored: ServerRow[], cwesOf: Map<number, Map<number, number>>): RankedRow[] {
  const byName = new Map<string, ServerRow>();
  const inputs = scored.map((s) => {
    let name = s.label;
    if (byName.has(name)) name = `${s.label} (#${s.id})`;
    byName.set(name, s);
    const report = {
      server: {
        mcpInSos: { R_overall: s.rOverall, R_exp: s.rExp, R_rms: s.rRms, N: s.findings },
        contextual: { score: s.contextual, grade: s.grade || 'A' },
      },
    } as unknown as RiskReport;
    return { name, report };
  });
  return rankServers(inputs).map((r) => {
    const s = byName.get(r.name) as ServerRow;
    const cw = [...(cwesOf.get(s.id) ?? new Map<number, number>())].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
    return {
      rank: r.rank,
      id: s.id,
      label: s.label,
      name: s.name ?? '',
      version: s.version ?? '',
      language: s.language,
      ecosystem: s.ecosystem,
      findings: s.findings,
      rOverall: r2(s.rOverall),
      rExp: r2(s.rExp),
      rRms: r2(s.rRms),
      contextual: s.contextual,
      grade: s.grade,
      cwes: cw,
    };
  });
}

/** Timing and cache figures of a run (they vary from run to run: kept apart from the statistics). */
export interface PerformanceStats {
  /** Sum of per-server wall times, ms (acquire + assess, in workers). */
  serverMs: number;
  acquireMs: number;
  analysisMs: number;
  /** Lines analysed per second of analysis time (all workers together). */
  linesPerAnalysisSecond: number;
  cache: { hit: number; miss: number; local: number; unknown: number; hitRate: number | null };
  /** Highest per-server worker resident set, MB, and where. */
  peakServerRssMb: number;
  peakServer: string;
  slowest: { label: string; ms: number }[];
  /** Servers that needed more than one attempt (in flight when a run was interrupted). */
  retried: number;
}

export function computePerformance(data: LandscapeData): PerformanceStats {
  const done = data.servers.filter((s) => s.status === 'ok' || s.status === 'failed');
  const sum = (f: (s: ServerRow) => number): number => done.reduce((n, s) => n + f(s), 0);
  const cache = { hit: 0, miss: 0, local: 0, unknown: 0 };
  for (const s of done) cache[s.cache]++;
  const remote = cache.hit + cache.miss;
  const peak = done.reduce<ServerRow | undefined>((best, s) => (!best || s.peakRssMb > best.peakRssMb ? s : best), undefined);
  const analysisMs = sum((s) => s.analysisMs);
  const lines = data.servers.filter(isScored).reduce((n, s) => n + s.lines, 0);
  return {
    serverMs: sum((s) => s.ms),
    acquireMs: sum((s) => s.acquireMs),
    analysisMs,
    linesPerAnalysisSecond: analysisMs ? Math.round(lines / (analysisMs / 1000)) : 0,
    cache: { ...cache, hitRate: remote ? Math.round((cache.hit / remote) * 1000) / 1000 : null },
    peakServerRssMb: peak?.peakRssMb ?? 0,
    peakServer: peak?.label ?? '',
    slowest: [...done]
      .sort((a, b) => b.ms - a.ms || a.id - b.id)
      .slice(0, 5)
      .map((s) => ({ label: s.label, ms: s.ms })),
    retried: data.servers.filter((s) => s.attempts > 1).length,
  };
}
