/**
 * The `contextual` risk model (ours). Starts from the same MITRE factors as mcp-in-sos and adjusts them with
 * what the analysis knows about the finding and the server. Pure. See docs/risk-models.md.
 *
 * Likelihood (1..5) = clamp(roundHalfUp( (LA + LE)/2 + reachability + exposure + confidence ), 1, 5)
 *   LA, LE: of the CAPEC with the highest LA·TS among the CWE's CAPECs (ties → lowest id) and of the CWE
 *   reachability: tool/resource/prompt argument or transport +1 (attacker-influenced: a client, or a prompt
 *                 injection steering the model, picks the value); network response or file 0 (secondary);
 *                 environment −1 (configuration only); no source (not a flow) 0
 *   exposure:     +1 when the server is network-exposed without authentication and the finding is reachable
 *                 from a request (attacker-influenced flow) or is itself an authentication gap (CWE-306/350/942)
 *   confidence:   high 0, medium −0.5, low −1
 * Impact (1..5) = clamp(max(TS, floors), 1, 5)
 *   TS of the same CAPEC; floors: code-execution weaknesses (CWE-78/88/94/95/1336/502) 5 — the attacker runs
 *   code as the server; "gateway" weaknesses that hand a caller or a steered model the server's own tools
 *   (CWE-306/350/942/1426/1427/451/1007) 5 with shell, 4 with file-system, 3 with network capability.
 * Score (0..10) = 10·(L·I − 1)/24, one decimal (L1×I1 → 0, L5×I5 → 10).
 * Server score = min(10, max finding score + 0.25 per other finding scoring ≥ 5, the bonus capped at 1):
 * a critical finding sets the score; trivial findings never raise it and never dilute it.
 * Grade: A < 2.5 ≤ B < 5 ≤ C < 6.5 ≤ D < 7.5 ≤ F.
 */
import type { KnowledgeBase } from '../kb/types.js';
import type { Finding, SourceKind } from '../model.js';
import type { Band, ContextualFactor, ContextualRisk, Grade, RiskContext, ServerContextual, WeaknessRisk } from './types.js';
import { deepFreeze, num } from './mcpInSos.js';

export const CODE_EXECUTION_CWES: readonly number[] = [78, 88, 94, 95, 1336, 502];
export const GATEWAY_CWES: readonly number[] = [306, 350, 942, 1426, 1427, 451, 1007];
export const AUTH_GAP_CWES: readonly number[] = [306, 350, 942];

export type Reach = 'attacker' | 'secondary' | 'configuration' | 'none';

export const REACH_OF_SOURCE: Readonly<Record<SourceKind, Reach>> = {
  'tool-argument': 'attacker',
  'resource-argument': 'attacker',
  'prompt-argument': 'attacker',
  transport: 'attacker',
  network: 'secondary',
  file: 'secondary',
  environment: 'configuration',
};

const REACH_DELTA: Readonly<Record<Reach, number>> = { attacker: 1, secondary: 0, configuration: -1, none: 0 };
const REACH_TEXT: Readonly<Record<Reach, string>> = {
  attacker: 'attacker-influenced: an MCP client, or a prompt injection steering the model, chooses this value',
  secondary: 'secondary source (a response body or a file): attacker-influenced only through that source',
  configuration: 'reachable only from configuration (environment) set by the operator',
  none: 'not a data flow: the weakness is in the code or configuration itself',
};
const CONFIDENCE_DELTA = { high: 0, medium: -0.5, low: -1 } as const;

export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5 + 1e-9);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round1(x: number): number {
  return Math.round(x * 10 + 1e-9) / 10;
}

export function cellScore(likelihood: number, impact: number): number {
  return round1((10 * (likelihood * impact - 1)) / 24);
}

export function bandOf(score: number): Band {
  if (score >= 7.5) return 'critical';
  if (score >= 5) return 'high';
  if (score >= 2.5) return 'medium';
  return 'low';
}

export function gradeOf(score: number): Grade {
  if (score >= 7.5) return 'F';
  if (score >= 6.5) return 'D';
  if (score >= 5) return 'C';
  if (score >= 2.5) return 'B';
  return 'A';
}

/** The CAPEC pair the contextual model starts from: highest LA·TS, ties → lowest CAPEC id. */
export function basePair(w: WeaknessRisk): WeaknessRisk['pairs'][number] {
  let best = w.pairs[0] as WeaknessRisk['pairs'][number];
  for (const p of w.pairs) {
    const a = p.LA.value * p.TS.value;
    const b = best.LA.value * best.TS.value;
    if (a > b || (a === b && p.capec < best.capec)) best = p;
  }
  return best;
}

export function contextualRisk(
  finding: Pick<Finding, 'cwe' | 'confidence' | 'source' | 'tags'>,
  w: WeaknessRisk,
  context: RiskContext,
  _kb?: KnowledgeBase,
): ContextualRisk {
  const pair = basePair(w);
  const LA = pair.LA.value;
  const LE = w.LE.value;
  const TS = pair.TS.value;
  const capecName = pair.capec > 0 ? `CAPEC-${pair.capec}` : 'no CAPEC (default)';

  // ---- likelihood
  const lf: ContextualFactor[] = [];
  const base = (LA + LE) / 2;
  lf.push({ name: 'base', delta: base, reason: `(LA + LE)/2 = (${LA} [${capecName}] + ${LE} [CWE-${w.cwe}])/2 = ${num(base)}` });
  const reach: Reach = finding.source ? REACH_OF_SOURCE[finding.source.kind] ?? 'secondary' : 'none';
  lf.push({
    name: 'reachability',
    delta: REACH_DELTA[reach],
    reason: `${finding.source ? `source ${finding.source.kind}` : 'no source'}: ${REACH_TEXT[reach]}`,
  });
  if (context.networkExposedWithoutAuth && (reach === 'attacker' || AUTH_GAP_CWES.includes(finding.cwe))) {
    lf.push({
      name: 'exposure',
      delta: 1,
      reason: 'the server is network-exposed without authentication: anyone who can reach it can send the request',
    });
  } else {
    lf.push({
      name: 'exposure',
      delta: 0,
      reason: context.networkExposedWithoutAuth
        ? 'network-exposed without authentication, but this finding is not reachable from a request'
        : 'not network-exposed without authentication (stdio, or authentication seen)',
    });
  }
  const cd = CONFIDENCE_DELTA[finding.confidence] ?? 0;
  lf.push({ name: 'confidence', delta: cd, reason: `finding confidence ${finding.confidence}` });
  const rawL = lf.reduce((s, f) => s + (f.delta ?? 0), 0);
  const likelihood = clamp(roundHalfUp(rawL), 1, 5);

  // ---- impact
  const inf: ContextualFactor[] = [];
  inf.push({ name: 'base', delta: TS, reason: `TS = ${TS} (${capecName} Typical_Severity${pair.TS.from === 'self' ? '' : `, ${pair.TS.from}`})` });
  let impactRaw = TS;
  if (CODE_EXECUTION_CWES.includes(finding.cwe)) {
    inf.push({ name: 'capability', floor: 5, reason: `CWE-${finding.cwe} runs attacker-chosen code or commands as the server` });
    impactRaw = Math.max(impactRaw, 5);
  }
  if (GATEWAY_CWES.includes(finding.cwe)) {
    const caps = context.capabilities;
    const floor = caps.shell ? 5 : caps.fs ? 4 : caps.network ? 3 : 0;
    const what = caps.shell ? 'run shell commands' : caps.fs ? 'use the file system' : caps.network ? 'make network requests' : '';
    if (floor > 0) {
      inf.push({
        name: 'capability',
        floor,
        reason: `CWE-${finding.cwe} hands a caller (or a steered model) the server's tools, and the server can ${what}`,
      });
      impactRaw = Math.max(impactRaw, floor);
    } else {
      inf.push({ name: 'capability', floor: 0, reason: 'the server has no shell, file-system or network capability' });
    }
  }
  const impact = clamp(impactRaw, 1, 5);
  const score = cellScore(likelihood, impact);

  const arithmetic = [
    `Likelihood = clamp(round(${lf.map((f) => num(f.delta ?? 0)).join(' + ')}), 1, 5) = clamp(round(${num(rawL)}), 1, 5) = ${likelihood}`,
    `Impact = clamp(max(${[TS, ...inf.filter((f) => f.floor !== undefined && f.floor > 0).map((f) => f.floor)].join(', ')}), 1, 5) = ${impact}`,
    `Score = 10·(L·I − 1)/24 = 10·(${likelihood}·${impact} − 1)/24 = ${score}`,
  ];
  return {
    likelihood,
    impact,
    cell: `L${likelihood}×I${impact}`,
    score,
    band: bandOf(score),
    likelihoodFactors: lf,
    impactFactors: inf,
    arithmetic,
  };
}

/**
 * `contextualRisk`, made once per weakness and the inputs it reads (source kind, confidence, exposure and, for the
 * gateway CWEs, the capabilities) and frozen: findings that share them share the object, and report/json.ts writes
 * its JSON once. A WeaknessRisk made by hand (not frozen: it may change) is not cached.
 */
export function sharedContextualRisk(finding: Pick<Finding, 'cwe' | 'confidence' | 'source' | 'tags'>, w: WeaknessRisk, context: RiskContext): ContextualRisk {
  if (!Object.isFrozen(w)) return contextualRisk(finding, w, context);
  const caps = context.capabilities;
  const key = `${finding.cwe}|${finding.source?.kind ?? ''}|${finding.confidence}|${context.networkExposedWithoutAuth ? 1 : 0}|${GATEWAY_CWES.includes(finding.cwe) ? `${+!!caps.shell}${+!!caps.fs}${+!!caps.network}` : ''}`;
  let byKey = sharedByWeakness.get(w);
  if (!byKey) sharedByWeakness.set(w, (byKey = new Map()));
  let c = byKey.get(key);
  if (!c) byKey.set(key, (c = deepFreeze(contextualRisk(finding, w, context))));
  return c;
}
const sharedByWeakness = new WeakMap<WeaknessRisk, Map<string, ContextualRisk>>();

/** Server score and grade from the findings' contextual scores. */
export function serverContextual(items: readonly { findingId: string; score: number }[]): ServerContextual {
  const bands: Record<Band, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const i of items) bands[bandOf(i.score)]++;
  if (items.length === 0) {
    return { score: 0, grade: 'A', bands, arithmetic: ['no findings: score 0, grade A'] };
  }
  const sorted = [...items].sort((a, b) => b.score - a.score || (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0));
  const worst = sorted[0] as { findingId: string; score: number };
  const others = sorted.slice(1).filter((i) => i.score >= 5).length;
  const bonus = Math.min(1, 0.25 * others);
  const score = round1(Math.min(10, worst.score + bonus));
  return {
    score,
    grade: gradeOf(score),
    worstFinding: worst.findingId,
    bands,
    arithmetic: [
      `max finding score = ${worst.score} (${worst.findingId})`,
      `other findings scoring ≥ 5: ${others} → bonus min(1, 0.25·${others}) = ${num(bonus)}`,
      `server score = min(10, ${worst.score} + ${num(bonus)}) = ${score} → grade ${gradeOf(score)}`,
    ],
  };
}
