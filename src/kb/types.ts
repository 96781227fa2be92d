/**
 * Types of the generated knowledge base (data/kb/kb.json).
 *
 * The KB is plain JSON produced by `src/kb/build.ts` from MITRE's own data:
 * the CWE catalog (XML) and CAPEC (STIX 2.1 bundle or the official XML), plus a
 * small hand-kept overlay (data/kb/overlay.json) whose entries are marked `overlay: true`.
 */

/** MITRE's ordinal scale, used by CWE Likelihood_Of_Exploit and CAPEC Likelihood_Of_Attack / Typical_Severity. */
export type Level = 'Very Low' | 'Low' | 'Medium' | 'High' | 'Very High';

/**
 * A risk factor after the fill rule: its value, and where the value came from.
 * `self` = the entry's own MITRE field; `inherited` = the nearest ancestor with a value
 * (`source` names it, `path` is the walk); `default` = the stated default.
 */
export interface Filled {
  value: number;
  /** The MITRE level name for ordinal factors (LE, LA, TS); absent for counts (MI, CC). */
  label?: Level;
  from: 'self' | 'inherited' | 'default';
  /** `CWE-78` / `CAPEC-88` for self or inherited; `default` for the default. */
  source: string;
  /** For inherited values: the walk from the entry to the ancestor that had the value (ids). */
  path?: number[];
}

export interface KbConsequence {
  scope: string[];
  impact: string[];
}

/** How a CWE reaches its CAPEC attack patterns. */
export interface CapecLink {
  /** Effective CAPEC ids (sorted). */
  ids: number[];
  /**
   * `direct`: the CWE's own links; `inherited`: the nearest ChildOf ancestor with links (see `from`, `path`);
   * `overlay`: a hand-kept link from data/kb/overlay.json (only when MITRE's data gives none); `none`.
   */
  kind: 'direct' | 'inherited' | 'overlay' | 'none';
  /** For `inherited`: the ancestor CWE whose links were taken. */
  from?: number;
  /** For `inherited`: the ChildOf walk from the CWE to `from`. */
  path?: number[];
  /** For `overlay`: why the link was added by hand. */
  note?: string;
}

export interface KbCwe {
  id: number;
  name: string;
  /** Pillar, Class, Base, Variant, Compound. */
  abstraction: string;
  /** Stable, Draft, Incomplete, Obsolete, Deprecated. */
  status: string;
  /** MITRE's short Description (whitespace-normalised, shortened to ~300 characters). */
  description: string;
  /** Raw Likelihood_Of_Exploit, or null when MITRE gives none. */
  likelihoodOfExploit: Level | null;
  /** Modes_Of_Introduction: the Phase of each Introduction element, in MITRE's order (MI = its length). */
  modesOfIntroduction: string[];
  /** Common_Consequences: one element per Consequence (CC = its length). */
  consequences: KbConsequence[];
  /** ChildOf parents in the Research Concepts view (CWE-1000): the Primary parent first, then ascending ids. */
  parents: number[];
  /** Related_Attack_Patterns as listed in the CWE entry (sorted; may name CAPECs deprecated since). */
  relatedAttackPatterns: number[];
  /**
   * Direct CAPEC links: the union of the CWE's Related_Attack_Patterns and the CAPECs whose
   * Related_Weaknesses name this CWE, limited to CAPECs in the KB (not deprecated). Sorted.
   */
  capecDirect: number[];
  capec: CapecLink;
  factors: { LE: Filled; MI: Filled; CC: Filled };
  /** Present (true) on entries that come from the hand-kept overlay, not from the CWE catalog. */
  overlay?: true;
  /** For overlay entries: where the hand-kept data was taken from. */
  overlaySource?: string;
}

export interface KbSkill {
  level: string;
  text: string;
}

export interface KbCapec {
  id: number;
  name: string;
  /** Meta, Standard, Detailed. */
  abstraction: string;
  status: string;
  description: string;
  likelihoodOfAttack: Level | null;
  typicalSeverity: Level | null;
  /** Consequences: scope → impacts (both sorted). */
  consequences: Record<string, string[]>;
  domains: string[];
  prerequisites: string[];
  skills: KbSkill[];
  /** ChildOf parents (sorted). */
  parents: number[];
  /** Children (ParentOf, or the inverse of ChildOf) (sorted). */
  children: number[];
  /** Related_Weaknesses (CWE ids, sorted). */
  cwes: number[];
  /** Mitigations (course-of-action text, shortened), in MITRE's order. */
  mitigations: string[];
  factors: { LA: Filled; TS: Filled };
}

export interface CatalogInfo {
  name: 'CWE' | 'CAPEC';
  version: string;
  date?: string;
  /** Input format the KB was built from. */
  format: 'cwe-xml' | 'capec-stix-2.1' | 'capec-xml';
  /** Basename of the input file. */
  file: string;
  /** sha256 of the input file's bytes. */
  sha256: string;
}

/** The fill rule, as data: written into the KB and shown in reports. */
export interface FillRules {
  scale: Record<Level, number>;
  LE: string;
  MI: string;
  CC: string;
  LA: string;
  TS: string;
  walk: string;
  capecLink: string;
  defaults: { LE: number; LA: number; TS: number; MI: number; CC: number };
}

export interface KnowledgeBase {
  format: 'mcp-risk-kb/1';
  notice: string;
  catalogs: { cwe: CatalogInfo; capec: CatalogInfo };
  overlay: { file: string; sha256: string; cwes: number[]; links: number[]; superseded: number[] };
  /** sha256 of this file's serialisation with contentHash = "". */
  contentHash: string;
  rules: FillRules;
  counts: {
    cwe: number;
    cweDeprecated: number;
    cweOverlay: number;
    capec: number;
    capecDeprecatedDropped: number;
    cweCapecLink: { direct: number; inherited: number; overlay: number; none: number };
  };
  cwe: Record<string, KbCwe>;
  capec: Record<string, KbCapec>;
}

/** The overlay file (data/kb/overlay.json), hand-kept. */
export interface OverlayFile {
  overlay: true;
  description: string;
  cwe: OverlayCwe[];
  /** Hand-kept CWE → CAPEC links, used only when MITRE's data (direct or inherited) gives none. */
  capecLinks: { cwe: number; capec: number[]; overlay: true; note: string }[];
}

export interface OverlayCwe {
  id: number;
  overlay: true;
  source: string;
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
