/**
 * Parse MITRE's CWE catalog XML (cwec_vX.Y.xml, schema cwe-7; the 4.15 copy ships in the npm
 * package cwe-sdk as raw/cwe-archive.xml). Pure: text in, records out.
 *
 * Counted: every <Weakness> element under <Weaknesses>, deprecated ones included
 * (CWE 4.15: 964 = 939 + 25 deprecated). Categories and Views are not weaknesses and are not kept.
 */
import { XMLParser } from 'fast-xml-parser';
import type { KbConsequence, Level } from './types.js';
import { arr, clean, parseId, shorten, textOf, toLevel, uniqSorted } from './text.js';

export interface RawCwe {
  id: number;
  name: string;
  abstraction: string;
  status: string;
  description: string;
  likelihoodOfExploit: Level | null;
  modesOfIntroduction: string[];
  consequences: KbConsequence[];
  parents: number[];
  relatedAttackPatterns: number[];
}

export interface ParsedCwe {
  version: string;
  date?: string;
  weaknesses: RawCwe[];
}

/** The view whose ChildOf relations give a weakness its parents: Research Concepts. */
export const CWE_RESEARCH_VIEW = '1000';

const ARRAYS = new Set([
  'Weakness',
  'Related_Weakness',
  'Introduction',
  'Consequence',
  'Scope',
  'Impact',
  'Related_Attack_Pattern',
]);

export function parseCweXml(xml: string): ParsedCwe {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => ARRAYS.has(name),
  });
  const doc = parser.parse(xml) as Record<string, any>;
  const cat = doc.Weakness_Catalog;
  if (!cat || typeof cat !== 'object') throw new Error('not a CWE catalog: no <Weakness_Catalog> root element');
  const version = String(cat['@_Version'] ?? '').trim();
  if (!version) throw new Error('CWE catalog has no Version attribute');
  const date = cat['@_Date'] ? String(cat['@_Date']) : undefined;
  const weaknesses: RawCwe[] = [];
  for (const w of arr<Record<string, any>>(cat.Weaknesses?.Weakness)) {
    const id = parseId(w['@_ID']);
    if (id === null) continue;
    const rels = arr<Record<string, any>>(w.Related_Weaknesses?.Related_Weakness).filter(
      (r) => r['@_Nature'] === 'ChildOf' && String(r['@_View_ID']) === CWE_RESEARCH_VIEW,
    );
    const primary = rels.filter((r) => r['@_Ordinal'] === 'Primary').map((r) => Number(r['@_CWE_ID']));
    const others = uniqSorted(rels.map((r) => Number(r['@_CWE_ID'])).filter((x) => !primary.includes(x)));
    const parents = [...uniqSorted(primary), ...others].filter((x) => Number.isInteger(x) && x !== id);
    const modes = arr<Record<string, any>>(w.Modes_Of_Introduction?.Introduction).map((i) => clean(textOf(i.Phase)));
    const consequences = arr<Record<string, any>>(w.Common_Consequences?.Consequence).map((c) => ({
      scope: arr(c.Scope).map((s) => clean(textOf(s))),
      impact: arr(c.Impact).map((s) => clean(textOf(s))),
    }));
    const rap = uniqSorted(
      arr<Record<string, any>>(w.Related_Attack_Patterns?.Related_Attack_Pattern)
        .map((r) => parseId(r['@_CAPEC_ID']))
        .filter((x): x is number => x !== null),
    );
    weaknesses.push({
      id,
      name: clean(String(w['@_Name'] ?? '')),
      abstraction: String(w['@_Abstraction'] ?? ''),
      status: String(w['@_Status'] ?? ''),
      description: shorten(textOf(w.Description), 300),
      likelihoodOfExploit: toLevel(textOf(w.Likelihood_Of_Exploit)),
      modesOfIntroduction: modes,
      consequences,
      parents,
      relatedAttackPatterns: rap,
    });
  }
  if (weaknesses.length === 0) throw new Error('CWE catalog has no <Weakness> entries');
  weaknesses.sort((a, b) => a.id - b.id);
  return { version, date, weaknesses };
}
