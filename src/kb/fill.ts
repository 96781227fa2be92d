/**
 * The fill rule for missing factor values (pure).
 *
 *  - LE (CWE Likelihood_Of_Exploit) missing → the nearest ChildOf ancestor (CWE-1000 view) that has one
 *    → else the default Medium (3).
 *  - LA (CAPEC Likelihood_Of_Attack) / TS (CAPEC Typical_Severity) missing → the nearest ChildOf parent
 *    CAPEC that has one → else the default Medium (3).
 *  - MI / CC (counts of CWE Modes_Of_Introduction / Common_Consequences) equal to 0 → the nearest ChildOf
 *    ancestor with a count > 0 → else 1.
 *
 * "Nearest" is breadth-first over ChildOf: all parents before any grandparent; among the parents of one
 * entry, a CWE's Primary parent first, then ascending ids (CAPEC: ascending ids). Each entry is visited once.
 */
import type { FillRules, Filled, Level } from './types.js';
import { LEVEL_VALUE } from './text.js';

export const DEFAULTS = { LE: 3, LA: 3, TS: 3, MI: 1, CC: 1 } as const;

export const FILL_RULES: FillRules = {
  scale: { ...LEVEL_VALUE },
  LE: 'CWE Likelihood_Of_Exploit; if missing: nearest ChildOf ancestor (CWE-1000 view) with a value; else default Medium (3)',
  MI: 'count of CWE Modes_Of_Introduction/Introduction; if 0: nearest ChildOf ancestor with a count > 0; else default 1',
  CC: 'count of CWE Common_Consequences/Consequence; if 0: nearest ChildOf ancestor with a count > 0; else default 1',
  LA: 'CAPEC Likelihood_Of_Attack; if missing: nearest ChildOf parent CAPEC with a value; else default Medium (3)',
  TS: 'CAPEC Typical_Severity; if missing: nearest ChildOf parent CAPEC with a value; else default Medium (3)',
  walk: 'breadth-first over ChildOf (all parents before grandparents); among one entry\'s parents: CWE Primary parent first, then ascending id; CAPEC ascending id; each entry visited once',
  capecLink:
    'direct = CWE Related_Attack_Patterns ∪ CAPECs whose Related_Weaknesses name the CWE (non-deprecated CAPECs only); if empty: the direct links of the nearest ChildOf ancestor that has any (recorded as inherited, with the ancestor and the walk); if still empty: a hand-kept overlay link (marked overlay); else none',
  defaults: { ...DEFAULTS },
};

export interface Found {
  id: number;
  /** start … id */
  path: number[];
}

/** Breadth-first search up ChildOf for the nearest ancestor (not the start itself) satisfying `has`. */
export function nearestAncestor(
  start: number,
  parentsOf: (id: number) => readonly number[],
  has: (id: number) => boolean,
): Found | null {
  const seen = new Set<number>([start]);
  let frontier: number[][] = [[start]];
  while (frontier.length > 0) {
    const next: number[][] = [];
    for (const path of frontier) {
      const last = path[path.length - 1] as number;
      for (const p of parentsOf(last)) {
        if (seen.has(p)) continue;
        seen.add(p);
        const np = [...path, p];
        if (has(p)) return { id: p, path: np };
        next.push(np);
      }
    }
    frontier = next;
  }
  return null;
}

/** Fill an ordinal factor (LE, LA, TS). */
export function fillLevel(
  prefix: 'CWE' | 'CAPEC',
  id: number,
  levelOf: (id: number) => Level | null | undefined,
  parentsOf: (id: number) => readonly number[],
  dflt: number,
): Filled {
  const own = levelOf(id);
  if (own) return { value: LEVEL_VALUE[own], label: own, from: 'self', source: `${prefix}-${id}` };
  const anc = nearestAncestor(id, parentsOf, (x) => !!levelOf(x));
  if (anc) {
    const l = levelOf(anc.id) as Level;
    return { value: LEVEL_VALUE[l], label: l, from: 'inherited', source: `${prefix}-${anc.id}`, path: anc.path };
  }
  const label = (Object.keys(LEVEL_VALUE) as Level[]).find((k) => LEVEL_VALUE[k] === dflt);
  return { value: dflt, ...(label ? { label } : {}), from: 'default', source: 'default' };
}

/** Fill a count factor (MI, CC). */
export function fillCount(
  prefix: 'CWE' | 'CAPEC',
  id: number,
  countOf: (id: number) => number,
  parentsOf: (id: number) => readonly number[],
  dflt: number,
): Filled {
  const own = countOf(id);
  if (own > 0) return { value: own, from: 'self', source: `${prefix}-${id}` };
  const anc = nearestAncestor(id, parentsOf, (x) => countOf(x) > 0);
  if (anc) return { value: countOf(anc.id), from: 'inherited', source: `${prefix}-${anc.id}`, path: anc.path };
  return { value: dflt, from: 'default', source: 'default' };
}

/** "High (4), CWE-78 Likelihood_Of_Exploit" / "inherited from CWE-77" / "default". */
export function describeFilled(f: Filled, field: string): string {
  const v = f.label ? `${f.label} (${f.value})` : String(f.value);
  if (f.from === 'self') return `${v} — ${f.source} ${field}`;
  if (f.from === 'inherited') return `${v} — inherited from ${f.source} ${field} (walk ${(f.path ?? []).join(' → ')})`;
  return `${v} — default (no ${field} on the entry or any ChildOf ancestor)`;
}
