/**
 * The `mcp-in-sos` risk model (exact; default). Pure functions over the knowledge base.
 *
 * Per weakness c and CAPEC a (ordinal values Very Low..Very High = 1..5):
 *   Likelihood(c,a) = LA(a) · LE(c) · MI(c)      Impact(c,a) = TS(a) · CC(c)      R(c,a) = Likelihood · Impact
 * LA = CAPEC Likelihood_Of_Attack, LE = CWE Likelihood_Of_Exploit, MI = number of CWE Modes_Of_Introduction,
 * TS = CAPEC Typical_Severity, CC = number of CWE Common_Consequences (missing values: the KB fill rule).
 * Over the CAPECs of c: R(c) = max_a R(c,a) (default; ties → lowest CAPEC id) or the mean of R(c,a).
 *
 * Per server, over CWEs c with finding frequency f(c), N = Σ f(c):
 *   (9)  R_exp = Σ f(c)·R(c)
 *   (10) R_rms = √( Σ f(c)·R(c)² / Σ f(c) )
 *   (11) R_overall = R_rms · log10(N + 1)
 */
import { DEFAULTS, describeFilled } from '../kb/fill.js';
import { levelName } from '../kb/text.js';
import type { Filled, KnowledgeBase } from '../kb/types.js';
import type { Aggregation, CapecPairScore, Factor, ServerMcpInSos, WeaknessRisk } from './types.js';

const FIELDS = {
  LA: 'CAPEC Likelihood_Of_Attack',
  LE: 'CWE Likelihood_Of_Exploit',
  MI: 'CWE Modes_Of_Introduction count',
  TS: 'CAPEC Typical_Severity',
  CC: 'CWE Common_Consequences count',
} as const;

export function toFactor(name: Factor['name'], f: Filled): Factor {
  const field = FIELDS[name];
  return {
    name,
    value: f.value,
    ...(f.label ? { label: f.label } : {}),
    field,
    from: f.from,
    source: f.source,
    ...(f.path ? { path: f.path } : {}),
    text: describeFilled(f, field.replace(/^(CWE|CAPEC) /, '')),
  };
}

function defaultFactor(name: Factor['name'], value: number, why: string, from: Factor['from'] = 'default'): Factor {
  const label = name === 'LA' || name === 'LE' || name === 'TS' ? levelName(value) : undefined;
  const v = label ? `${label} (${value})` : String(value);
  return { name, value, ...(label ? { label } : {}), field: FIELDS[name], from, source: 'default', text: `${v} — default (${why})` };
}

/** Format a number for arithmetic strings: integers as is, others with up to 4 decimals. */
export function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Math.round(x * 10000) / 10000);
}

/** mcp-in-sos for one CWE. */
/** weaknessRisk is a pure function of (knowledge base, CWE, aggregation): computed once per triple. */
const weaknessCache = new WeakMap<KnowledgeBase, Map<string, WeaknessRisk>>();

export function weaknessRisk(cwe: number, kb: KnowledgeBase, aggregation: Aggregation = 'max'): WeaknessRisk {
  let byKb = weaknessCache.get(kb);
  if (!byKb) {
    byKb = new Map();
    weaknessCache.set(kb, byKb);
  }
  const key = `${cwe}|${aggregation}`;
  const hit = byKb.get(key);
  if (hit) return hit;
  // shared by every finding of the CWE in every report: frozen, so that no caller can change another's figures
  // (and report/json.ts serialises a frozen object once per process)
  const w = deepFreeze(computeWeaknessRisk(cwe, kb, aggregation));
  byKb.set(key, w);
  return w;
}

/** Freezes an object and everything it holds. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function computeWeaknessRisk(cwe: number, kb: KnowledgeBase, aggregation: Aggregation): WeaknessRisk {
  const entry = kb.cwe[String(cwe)];
  const LE = entry ? toFactor('LE', entry.factors.LE) : defaultFactor('LE', DEFAULTS.LE, `CWE-${cwe} is not in the knowledge base`);
  const MI = entry ? toFactor('MI', entry.factors.MI) : defaultFactor('MI', DEFAULTS.MI, `CWE-${cwe} is not in the knowledge base`);
  const CC = entry ? toFactor('CC', entry.factors.CC) : defaultFactor('CC', DEFAULTS.CC, `CWE-${cwe} is not in the knowledge base`);
  const link = entry?.capec ?? { ids: [], kind: 'none' as const };

  const pairs: CapecPairScore[] = [];
  for (const id of link.ids) {
    const p = kb.capec[String(id)];
    if (!p) continue;
    const LA = toFactor('LA', p.factors.LA);
    const TS = toFactor('TS', p.factors.TS);
    const likelihood = LA.value * LE.value * MI.value;
    const impact = TS.value * CC.value;
    pairs.push({ capec: id, name: p.name, LA, TS, likelihood, impact, R: likelihood * impact });
  }

  const arithmetic: string[] = [];
  const head = `CWE-${cwe}: LE = ${LE.value}, MI = ${MI.value}, CC = ${CC.value}`;
  arithmetic.push(head);

  if (pairs.length === 0) {
    // No CAPEC at all: LA and TS take the stated default, and this is said.
    const LA = defaultFactor('LA', DEFAULTS.LA, 'the CWE maps to no CAPEC', 'no-capec');
    const TS = defaultFactor('TS', DEFAULTS.TS, 'the CWE maps to no CAPEC', 'no-capec');
    const likelihood = LA.value * LE.value * MI.value;
    const impact = TS.value * CC.value;
    arithmetic.push('no CAPEC attack pattern: LA and TS take the default Medium (3)');
    arithmetic.push(`Likelihood = LA·LE·MI = ${LA.value}·${LE.value}·${MI.value} = ${likelihood}`);
    arithmetic.push(`Impact = TS·CC = ${TS.value}·${CC.value} = ${impact}`);
    arithmetic.push(`R = Likelihood·Impact = ${likelihood}·${impact} = ${likelihood * impact}`);
    return {
      cwe,
      name: entry?.name ?? `CWE-${cwe}`,
      capecLink: { kind: 'none' },
      LE,
      MI,
      CC,
      pairs: [{ capec: 0, name: '(no CAPEC)', LA, TS, likelihood, impact, R: likelihood * impact }],
      aggregation,
      likelihood,
      impact,
      R: likelihood * impact,
      arithmetic,
    };
  }

  for (const p of pairs) {
    arithmetic.push(
      `CAPEC-${p.capec}: Likelihood = LA·LE·MI = ${p.LA.value}·${LE.value}·${MI.value} = ${p.likelihood}; ` +
        `Impact = TS·CC = ${p.TS.value}·${CC.value} = ${p.impact}; R = ${p.likelihood}·${p.impact} = ${p.R}`,
    );
  }
  const capecLink = {
    kind: link.kind,
    ...(link.from !== undefined ? { from: link.from } : {}),
    ...(link.path ? { path: link.path } : {}),
  };
  if (aggregation === 'mean') {
    const n = pairs.length;
    const likelihood = pairs.reduce((s, p) => s + p.likelihood, 0) / n;
    const impact = pairs.reduce((s, p) => s + p.impact, 0) / n;
    const R = pairs.reduce((s, p) => s + p.R, 0) / n;
    arithmetic.push(`R(CWE-${cwe}) = mean over ${n} CAPEC(s) of R = (${pairs.map((p) => p.R).join(' + ')}) / ${n} = ${num(R)}`);
    return { cwe, name: entry?.name ?? `CWE-${cwe}`, capecLink, LE, MI, CC, pairs, aggregation, likelihood, impact, R, arithmetic };
  }
  let best = pairs[0] as CapecPairScore;
  for (const p of pairs) if (p.R > best.R || (p.R === best.R && p.capec < best.capec)) best = p;
  arithmetic.push(
    `R(CWE-${cwe}) = max over ${pairs.length} CAPEC(s) = ${best.R} (CAPEC-${best.capec}; ties go to the lowest CAPEC id)`,
  );
  return {
    cwe,
    name: entry?.name ?? `CWE-${cwe}`,
    capecLink,
    LE,
    MI,
    CC,
    pairs,
    aggregation,
    chosenCapec: best.capec,
    likelihood: best.likelihood,
    impact: best.impact,
    R: best.R,
    arithmetic,
  };
}

/**
 * Equations 9–11 over (f(c), R(c)) pairs. Pure arithmetic, no KB.
 * With no findings: N = 0 and all three are 0.
 */
export function serverEquations(weaknesses: readonly { cwe: number; f: number; R: number }[]): ServerMcpInSos {
  const ws = [...weaknesses].filter((w) => w.f > 0).sort((a, b) => a.cwe - b.cwe);
  const N = ws.reduce((s, w) => s + w.f, 0);
  const arithmetic: string[] = [];
  if (N === 0) {
    arithmetic.push('no findings: N = 0, R_exp = R_rms = R_overall = 0');
    return { N: 0, weaknesses: [], R_exp: 0, R_rms: 0, R_overall: 0, arithmetic };
  }
  const R_exp = ws.reduce((s, w) => s + w.f * w.R, 0);
  const sumSq = ws.reduce((s, w) => s + w.f * w.R * w.R, 0);
  const R_rms = Math.sqrt(sumSq / N);
  const R_overall = R_rms * Math.log10(N + 1);
  arithmetic.push(`N = Σ f(c) = ${ws.map((w) => w.f).join(' + ')} = ${N}`);
  arithmetic.push(`(9)  R_exp = Σ f(c)·R(c) = ${ws.map((w) => `${w.f}·${num(w.R)}`).join(' + ')} = ${num(R_exp)}`);
  arithmetic.push(
    `(10) R_rms = √(Σ f(c)·R(c)² / Σ f(c)) = √((${ws.map((w) => `${w.f}·${num(w.R)}²`).join(' + ')}) / ${N}) = √(${num(sumSq)} / ${N}) = ${num(R_rms)}`,
  );
  arithmetic.push(`(11) R_overall = R_rms·log10(N+1) = ${num(R_rms)}·log10(${N + 1}) = ${num(R_overall)}`);
  return { N, weaknesses: ws.map((w) => ({ cwe: w.cwe, f: w.f, R: w.R })), R_exp, R_rms, R_overall, arithmetic };
}

/** Server totals from the CWEs of the findings (one entry per finding), using R(c) from `riskOf`. */
export function serverMcpInSos(findingCwes: readonly number[], riskOf: (cwe: number) => number): ServerMcpInSos {
  const f = new Map<number, number>();
  for (const c of findingCwes) f.set(c, (f.get(c) ?? 0) + 1);
  return serverEquations([...f.entries()].map(([cwe, n]) => ({ cwe, f: n, R: riskOf(cwe) })));
}
