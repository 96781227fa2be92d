/**
 * Parse MITRE CAPEC from either of its official distributions (pure: text in, records out):
 *  - the STIX 2.1 bundle (capec-3.9 `stix-capec.json`): attack-pattern objects with `x_capec_*` fields,
 *    `external_references` (source_name `capec` / `cwe`), course-of-action objects linked by
 *    `mitigates` relationships, `x_capec_child_of_refs` / `x_capec_parent_of_refs`;
 *  - the CAPEC XML (`capec_vX.Y.xml`, schema capec-3): Attack_Pattern elements, domains from the
 *    "Domains of Attack" categories (view 3000).
 * Deprecated patterns (`x_capec_status`/Status = Deprecated, or STIX `revoked`) are dropped.
 */
import { XMLParser } from 'fast-xml-parser';
import type { KbSkill, Level } from './types.js';
import { arr, clean, parseId, shorten, textOf, toLevel, uniqSorted } from './text.js';

export interface RawCapec {
  id: number;
  name: string;
  abstraction: string;
  status: string;
  description: string;
  likelihoodOfAttack: Level | null;
  typicalSeverity: Level | null;
  consequences: Record<string, string[]>;
  domains: string[];
  prerequisites: string[];
  skills: KbSkill[];
  parents: number[];
  children: number[];
  cwes: number[];
  mitigations: string[];
}

export interface ParsedCapec {
  version: string;
  date?: string;
  format: 'capec-stix-2.1' | 'capec-xml';
  patterns: RawCapec[];
  deprecatedDropped: number;
}

const DESC_MAX = 300;
const ITEM_MAX = 240;

function sortedConsequences(m: Map<string, Set<string>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of [...m.keys()].sort()) out[k] = [...(m.get(k) ?? [])].sort();
  return out;
}

function addConsequence(m: Map<string, Set<string>>, scope: string, impact: string): void {
  const s = clean(scope.replace(/_/g, ' '));
  const i = clean(impact);
  if (!s) return;
  let set = m.get(s);
  if (!set) m.set(s, (set = new Set()));
  if (i) set.add(i);
}

/** Detect the format from the text: a JSON bundle or XML. */
export function parseCapec(text: string): ParsedCapec {
  const t = text.trimStart();
  return t.startsWith('{') ? parseCapecStix(t) : parseCapecXml(t);
}

// ---------------------------------------------------------------- STIX

export function parseCapecStix(json: string): ParsedCapec {
  const bundle = JSON.parse(json) as { type?: string; objects?: Record<string, any>[] };
  if (bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) throw new Error('not a STIX bundle');
  const objs = bundle.objects;
  const stixToCapec = new Map<string, number>();
  const versions = new Map<string, number>();
  for (const o of objs) {
    if (o.type !== 'attack-pattern') continue;
    const ref = arr<Record<string, any>>(o.external_references).find((r) => r.source_name === 'capec');
    const id = parseId(ref?.external_id, 'CAPEC');
    if (id !== null) stixToCapec.set(String(o.id), id);
    if (typeof o.x_capec_version === 'string') versions.set(o.x_capec_version, (versions.get(o.x_capec_version) ?? 0) + 1);
  }
  // course-of-action → text; mitigates relationships → per attack-pattern list
  const coa = new Map<string, { name: string; text: string }>();
  for (const o of objs) if (o.type === 'course-of-action') coa.set(String(o.id), { name: String(o.name ?? ''), text: String(o.description ?? '') });
  const mitig = new Map<string, { name: string; text: string }[]>();
  for (const o of objs) {
    if (o.type !== 'relationship' || o.relationship_type !== 'mitigates') continue;
    const c = coa.get(String(o.source_ref));
    if (!c) continue;
    const list = mitig.get(String(o.target_ref)) ?? [];
    list.push(c);
    mitig.set(String(o.target_ref), list);
  }
  const coaOrder = (n: string): number => {
    const m = /-(\d+)$/.exec(n);
    return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
  };
  const patterns: RawCapec[] = [];
  let deprecatedDropped = 0;
  for (const o of objs) {
    if (o.type !== 'attack-pattern') continue;
    const id = stixToCapec.get(String(o.id));
    if (id === undefined) continue;
    const status = String(o.x_capec_status ?? '');
    if (status === 'Deprecated' || o.revoked === true) {
      deprecatedDropped++;
      continue;
    }
    const cons = new Map<string, Set<string>>();
    for (const [scope, impacts] of Object.entries((o.x_capec_consequences ?? {}) as Record<string, unknown>)) {
      const list = arr<string>(impacts);
      if (list.length === 0) addConsequence(cons, scope, '');
      for (const i of list) addConsequence(cons, scope, String(i));
    }
    const skills: KbSkill[] = Object.entries((o.x_capec_skills_required ?? {}) as Record<string, unknown>).map(
      ([level, text]) => ({ level: clean(level), text: shorten(textOf(text), ITEM_MAX) }),
    );
    const refs = (k: string): number[] =>
      uniqSorted(
        arr<string>(o[k])
          .map((r) => stixToCapec.get(String(r)))
          .filter((x): x is number => x !== undefined),
      );
    const mits = (mitig.get(String(o.id)) ?? [])
      .slice()
      .sort((a, b) => coaOrder(a.name) - coaOrder(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((m) => shorten(m.text, ITEM_MAX))
      .filter((s) => s.length > 0);
    patterns.push({
      id,
      name: clean(String(o.name ?? '')),
      abstraction: String(o.x_capec_abstraction ?? ''),
      status,
      description: shorten(String(o.description ?? ''), DESC_MAX),
      likelihoodOfAttack: toLevel(o.x_capec_likelihood_of_attack),
      typicalSeverity: toLevel(o.x_capec_typical_severity),
      consequences: sortedConsequences(cons),
      domains: [...new Set(arr<string>(o.x_capec_domains).map((d) => clean(String(d))))].sort(),
      prerequisites: arr<string>(o.x_capec_prerequisites).map((p) => shorten(String(p), ITEM_MAX)).filter(Boolean),
      skills,
      parents: refs('x_capec_child_of_refs'),
      children: refs('x_capec_parent_of_refs'),
      cwes: uniqSorted(
        arr<Record<string, any>>(o.external_references)
          .filter((r) => r.source_name === 'cwe')
          .map((r) => parseId(r.external_id, 'CWE'))
          .filter((x): x is number => x !== null),
      ),
      mitigations: mits,
    });
  }
  // most common x_capec_version, else from the bundle id (bundle--capec-3.9-combined)
  let version: string | undefined = [...versions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (!version) version = /capec-(\d+(?:\.\d+)*)/.exec(String((bundle as any).id ?? ''))?.[1];
  if (!version) throw new Error('CAPEC STIX bundle: cannot tell the CAPEC version (no x_capec_version)');
  // The bundle has no release date: use the latest `modified` of its objects (3.9: 2023-01-24, the release date).
  let date: string | undefined;
  for (const o of objs) {
    const m = typeof o.modified === 'string' ? o.modified.slice(0, 10) : '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(m) && (!date || m > date)) date = m;
  }
  return finish({ version, date, format: 'capec-stix-2.1', patterns, deprecatedDropped });
}

// ---------------------------------------------------------------- XML

/** CAPEC "Domains of Attack" (view 3000) categories → domain name as used by x_capec_domains. */
export const CAPEC_DOMAIN_CATEGORIES: Readonly<Record<number, string>> = {
  403: 'Social Engineering',
  512: 'Communications',
  513: 'Software',
  514: 'Physical Security',
  515: 'Supply Chain',
  516: 'Hardware',
};

const XML_ARRAYS = new Set([
  'Attack_Pattern',
  'Related_Attack_Pattern',
  'Related_Weakness',
  'Prerequisite',
  'Skill',
  'Consequence',
  'Scope',
  'Impact',
  'Mitigation',
  'Category',
  'Has_Member',
]);

export function parseCapecXml(xml: string): ParsedCapec {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => XML_ARRAYS.has(name),
  });
  const doc = parser.parse(xml) as Record<string, any>;
  const cat = doc.Attack_Pattern_Catalog;
  if (!cat || typeof cat !== 'object') throw new Error('not a CAPEC catalog: no <Attack_Pattern_Catalog> root element');
  const version = String(cat['@_Version'] ?? '').trim();
  if (!version) throw new Error('CAPEC catalog has no Version attribute');
  const date = cat['@_Date'] ? String(cat['@_Date']) : undefined;

  // domain categories: member CAPEC id → domains
  const memberDomains = new Map<number, Set<string>>();
  for (const c of arr<Record<string, any>>(cat.Categories?.Category)) {
    const domain = CAPEC_DOMAIN_CATEGORIES[Number(c['@_ID'])];
    if (!domain) continue;
    for (const m of arr<Record<string, any>>(c.Relationships?.Has_Member)) {
      const id = parseId(m['@_CAPEC_ID']);
      if (id === null) continue;
      const s = memberDomains.get(id) ?? new Set<string>();
      s.add(domain);
      memberDomains.set(id, s);
    }
  }

  const patterns: RawCapec[] = [];
  let deprecatedDropped = 0;
  for (const a of arr<Record<string, any>>(cat.Attack_Patterns?.Attack_Pattern)) {
    const id = parseId(a['@_ID']);
    if (id === null) continue;
    const status = String(a['@_Status'] ?? '');
    if (status === 'Deprecated') {
      deprecatedDropped++;
      continue;
    }
    const cons = new Map<string, Set<string>>();
    for (const c of arr<Record<string, any>>(a.Consequences?.Consequence)) {
      const impacts = arr(c.Impact).map((i) => textOf(i));
      for (const s of arr(c.Scope).map((x) => textOf(x))) {
        if (impacts.length === 0) addConsequence(cons, s, '');
        for (const i of impacts) addConsequence(cons, s, i);
      }
    }
    const rel = arr<Record<string, any>>(a.Related_Attack_Patterns?.Related_Attack_Pattern);
    const byNature = (n: string): number[] =>
      uniqSorted(
        rel
          .filter((r) => r['@_Nature'] === n)
          .map((r) => parseId(r['@_CAPEC_ID']))
          .filter((x): x is number => x !== null),
      );
    patterns.push({
      id,
      name: clean(String(a['@_Name'] ?? '')),
      abstraction: String(a['@_Abstraction'] ?? ''),
      status,
      description: shorten(textOf(a.Description), DESC_MAX),
      likelihoodOfAttack: toLevel(textOf(a.Likelihood_Of_Attack)),
      typicalSeverity: toLevel(textOf(a.Typical_Severity)),
      consequences: sortedConsequences(cons),
      domains: [], // filled below (membership of the pattern or an ancestor)
      prerequisites: arr(a.Prerequisites?.Prerequisite).map((p) => shorten(textOf(p), ITEM_MAX)).filter(Boolean),
      skills: arr<Record<string, any>>(a.Skills_Required?.Skill).map((s) => ({
        level: clean(String(s['@_Level'] ?? '')),
        text: shorten(textOf(s), ITEM_MAX),
      })),
      parents: byNature('ChildOf'),
      children: byNature('ParentOf'),
      cwes: uniqSorted(
        arr<Record<string, any>>(a.Related_Weaknesses?.Related_Weakness)
          .map((r) => parseId(r['@_CWE_ID']))
          .filter((x): x is number => x !== null),
      ),
      mitigations: arr(a.Mitigations?.Mitigation).map((m) => shorten(textOf(m), ITEM_MAX)).filter(Boolean),
    });
  }
  // Domains: the "Domains of Attack" categories a pattern or any of its ChildOf ancestors belongs to.
  const byId = new Map(patterns.map((p) => [p.id, p]));
  for (const p of patterns) {
    const seen = new Set<number>();
    const domains = new Set<string>();
    const stack = [p.id];
    while (stack.length) {
      const x = stack.pop() as number;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const d of memberDomains.get(x) ?? []) domains.add(d);
      for (const q of byId.get(x)?.parents ?? []) stack.push(q);
    }
    p.domains = [...domains].sort();
  }
  return finish({ version, date, format: 'capec-xml', patterns, deprecatedDropped });
}

/** Common tail: sort, keep only links to kept patterns, make children the union of ParentOf and inverse ChildOf. */
function finish(p: ParsedCapec): ParsedCapec {
  const ids = new Set(p.patterns.map((x) => x.id));
  const kids = new Map<number, Set<number>>();
  for (const x of p.patterns) {
    x.parents = x.parents.filter((y) => ids.has(y) && y !== x.id);
    for (const q of x.parents) {
      const s = kids.get(q) ?? new Set<number>();
      s.add(x.id);
      kids.set(q, s);
    }
  }
  for (const x of p.patterns) {
    x.children = uniqSorted([...x.children, ...(kids.get(x.id) ?? [])].filter((y) => ids.has(y) && y !== x.id));
  }
  p.patterns.sort((a, b) => a.id - b.id);
  if (p.patterns.length === 0) throw new Error('CAPEC input has no attack patterns');
  return p;
}
