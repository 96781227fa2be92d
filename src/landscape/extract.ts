/**
 * Pure: an Assessment flattened into the rows the landscape stores (server outcome, findings with their
 * risk and threat categories, warnings, and the knowledge-base facts of the CWEs seen).
 */
import type { Assessment } from '../model.js';
import type { FindingRisk, WeaknessRisk } from '../risk/types.js';
import type { CapecRow, FindingRow, ServerOutcome, WarningRow, WeaknessRow } from './types.js';

/** At most this many warnings are stored per server (the count is kept). */
export const MAX_WARNINGS = 50;

/** Main language by file count; `tsx` counts as `typescript`; `none` when there are no files. Ties: by name. */
export function primaryLanguage(languages: Record<string, number>): string {
  const merged = new Map<string, number>();
  for (const [k, n] of Object.entries(languages)) {
    const lang = k === 'tsx' ? 'typescript' : k;
    merged.set(lang, (merged.get(lang) ?? 0) + n);
  }
  let best = 'none';
  let bestN = 0;
  for (const [lang, n] of [...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (n > bestN) {
      best = lang;
      bestN = n;
    }
  }
  return best;
}

export type Timing = Pick<ServerOutcome, 'ms' | 'acquireMs' | 'analysisMs' | 'peakRssMb' | 'cache'>;

export interface ExtractedRows {
  outcome: ServerOutcome;
  findings: FindingRow[];
  warnings: WarningRow[];
  warningCount: number;
  weaknesses: WeaknessRow[];
}

/** Flatten an assessment. */
export function rowsFromAssessment(a: Assessment, timing: Timing): ExtractedRows {
  const risk = new Map<string, FindingRisk>();
  for (const r of a.risk?.findings ?? []) risk.set(r.findingId, r);
  const weaknesses = new Map<number, WeaknessRow>();
  const findings: FindingRow[] = a.findings.map((f) => {
    const r = risk.get(f.id);
    if (r && !weaknesses.has(f.cwe)) weaknesses.set(f.cwe, weaknessRow(r.mcpInSos));
    return {
      findingId: f.id,
      ruleId: f.ruleId,
      title: f.title,
      cwe: f.cwe,
      severity: f.severity,
      confidence: f.confidence,
      primitive: r?.threats.primitive ?? primitiveLabel(f.primitive.kind),
      primitiveName: f.primitive.name ?? '',
      file: f.location.file,
      line: f.location.line,
      sourceKind: f.source?.kind ?? '',
      tags: [...f.tags].sort(),
      rCwe: r?.mcpInSos.R ?? 0,
      contextual: r?.contextual.score ?? 0,
      band: r?.contextual.band ?? '',
      c: r?.threats.cia.C ?? false,
      i: r?.threats.cia.I ?? false,
      a: r?.threats.cia.A ?? false,
      owasp: (r?.threats.owasp ?? []).map((o) => o.id),
    };
  });
  const server = a.risk?.server;
  const noSource = a.warnings.some((w) => w.code === 'no-source-files');
  const outcome: ServerOutcome = {
    status: 'ok',
    name: a.target.name,
    ...(a.target.version ? { version: a.target.version } : {}),
    kind: a.target.kind,
    language: primaryLanguage(a.stats.languages),
    partial: a.partial,
    noSource,
    files: a.stats.files,
    lines: a.stats.lines,
    bytes: a.stats.bytes,
    functions: a.stats.functions,
    tools: a.surface.tools.length,
    resources: a.surface.resources.length,
    prompts: a.surface.prompts.length,
    transports: [...new Set(a.surface.transports.map((t) => t.kind))].sort(),
    sdks: [...a.surface.sdks].sort(),
    findings: a.findings.length,
    rOverall: server?.mcpInSos.R_overall ?? 0,
    rExp: server?.mcpInSos.R_exp ?? 0,
    rRms: server?.mcpInSos.R_rms ?? 0,
    contextual: server?.contextual.score ?? 0,
    grade: server?.contextual.grade ?? '',
    ...timing,
  };
  const warnings = a.warnings.slice(0, MAX_WARNINGS).map((w) => ({ code: w.code, message: w.message, ...(w.file ? { file: w.file } : {}) }));
  return {
    outcome,
    findings,
    warnings,
    warningCount: a.warnings.length,
    weaknesses: [...weaknesses.values()].sort((x, y) => x.cwe - y.cwe),
  };
}

function primitiveLabel(kind: string): FindingRow['primitive'] {
  return kind === 'tool' ? 'Tool' : kind === 'resource' ? 'Resource' : kind === 'prompt' ? 'Prompt' : 'Protocol';
}

function weaknessRow(w: WeaknessRisk): WeaknessRow {
  const capecs: CapecRow[] = w.pairs
    .map((p) => ({
      capec: p.capec,
      name: p.name,
      la: p.LA.value,
      laLabel: p.LA.label ?? '',
      ts: p.TS.value,
      tsLabel: p.TS.label ?? '',
      R: p.R,
    }))
    .sort((x, y) => x.capec - y.capec);
  return {
    cwe: w.cwe,
    name: w.name,
    R: w.R,
    likelihood: w.likelihood,
    impact: w.impact,
    capecLink: w.capecLink.kind === 'inherited' && w.capecLink.from ? `inherited from CWE-${w.capecLink.from}` : w.capecLink.kind,
    capecs,
  };
}

/** An outcome for a server that could not be assessed. */
export function failedOutcome(code: string, message: string, timing: Partial<Timing> = {}, status: 'failed' | 'skipped' = 'failed'): ServerOutcome {
  return {
    status,
    language: 'unknown',
    partial: false,
    noSource: false,
    files: 0,
    lines: 0,
    bytes: 0,
    functions: 0,
    tools: 0,
    resources: 0,
    prompts: 0,
    transports: [],
    sdks: [],
    findings: 0,
    rOverall: 0,
    rExp: 0,
    rRms: 0,
    contextual: 0,
    grade: '',
    errorCode: code,
    errorMessage: message,
    ms: timing.ms ?? 0,
    acquireMs: timing.acquireMs ?? 0,
    analysisMs: timing.analysisMs ?? 0,
    peakRssMb: timing.peakRssMb ?? 0,
    cache: timing.cache ?? 'unknown',
  };
}
