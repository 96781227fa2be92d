/**
 * Types of the risk report (plain JSON data; attached to Assessment.risk).
 * See docs/risk-models.md for the models.
 */
import type { Filled } from '../kb/types.js';

export type Aggregation = 'max' | 'mean';
export type RiskModelName = 'mcp-in-sos' | 'contextual';

/** One factor of the mcp-in-sos model, with where its value came from. */
export interface Factor {
  name: 'LA' | 'LE' | 'MI' | 'TS' | 'CC';
  value: number;
  /** MITRE level name for ordinal factors. */
  label?: string;
  /** The MITRE field, e.g. `CWE Likelihood_Of_Exploit`. */
  field: string;
  from: Filled['from'] | 'no-capec';
  /** `CWE-78`, `CAPEC-88`, `default`. */
  source: string;
  path?: number[];
  /** Human text: "High (4) — inherited from CWE-77 …". */
  text: string;
}

/** R for one CWE × CAPEC pair: Likelihood = LA·LE·MI, Impact = TS·CC, R = Likelihood·Impact. */
export interface CapecPairScore {
  capec: number;
  name: string;
  LA: Factor;
  TS: Factor;
  likelihood: number;
  impact: number;
  R: number;
}

/** mcp-in-sos per weakness (CWE). */
export interface WeaknessRisk {
  cwe: number;
  name: string;
  /** How the CWE reaches its CAPECs (direct / inherited from CWE-x / overlay / none). */
  capecLink: { kind: 'direct' | 'inherited' | 'overlay' | 'none'; from?: number; path?: number[] };
  LE: Factor;
  MI: Factor;
  CC: Factor;
  pairs: CapecPairScore[];
  aggregation: Aggregation;
  /** For `max`: the CAPEC giving the maximum (ties: lowest id). Absent for `mean` and when there is no CAPEC. */
  chosenCapec?: number;
  /** For `max`: the chosen pair's LA·LE·MI; for `mean`: the mean of the pairs' values. */
  likelihood: number;
  impact: number;
  R: number;
  /** The arithmetic, line by line. */
  arithmetic: string[];
}

export interface ContextualFactor {
  /** e.g. `base`, `reachability`, `exposure`, `confidence`, `capability`. */
  name: string;
  /** Added to the running value (likelihood), or a floor (impact, when `floor` is set). */
  delta?: number;
  floor?: number;
  reason: string;
}

export type Band = 'low' | 'medium' | 'high' | 'critical';

export interface ContextualRisk {
  likelihood: number; // 1..5
  impact: number; // 1..5
  /** The 5×5 matrix cell, e.g. `L5×I4`. */
  cell: string;
  /** 0..10 = 10·(L·I − 1)/24, one decimal. */
  score: number;
  band: Band;
  likelihoodFactors: ContextualFactor[];
  impactFactors: ContextualFactor[];
  arithmetic: string[];
}

export type PrimitiveLabel = 'Tool' | 'Resource' | 'Prompt' | 'Protocol';

export interface OwaspMcpCategory {
  /** e.g. `MCP05:2025`. */
  id: string;
  name: string;
  /** `closest` when no category covers the weakness well (stated in docs/risk-models.md). */
  fit: 'direct' | 'closest';
  /** Why this category: `CWE-78 (table)`, `tag capability`, `CWE-306 on a network-exposed server without auth`. */
  why: string;
}

export interface CapecThreat {
  id: number;
  name: string;
  likelihood: { value: number; label?: string; from: string; source: string };
  severity: { value: number; label?: string; from: string; source: string };
}

export interface Threats {
  primitive: PrimitiveLabel;
  /** C/I/A impact from the CWE's Common_Consequences scopes (see CIA_MAPPING). */
  cia: { C: boolean; I: boolean; A: boolean; scopes: string[] };
  owasp: OwaspMcpCategory[];
  /** The CWE's CAPEC attack patterns, highest LA·TS first (at most 5; see capecTotal). */
  capec: CapecThreat[];
  capecTotal: number;
}

export interface FindingRisk {
  findingId: string;
  cwe: number;
  mcpInSos: WeaknessRisk;
  contextual: ContextualRisk;
  threats: Threats;
}

export interface ServerMcpInSos {
  /** Number of findings. */
  N: number;
  /** Per CWE: finding frequency f(c) and R(c). Sorted by CWE id. */
  weaknesses: { cwe: number; f: number; R: number }[];
  /** Σ f(c)·R(c) (equation 9). */
  R_exp: number;
  /** √(Σ f(c)·R(c)² / Σ f(c)) (equation 10). */
  R_rms: number;
  /** R_rms · log10(N + 1) (equation 11). */
  R_overall: number;
  arithmetic: string[];
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface ServerContextual {
  /** 0..10. */
  score: number;
  grade: Grade;
  /** The finding with the highest contextual score. */
  worstFinding?: string;
  /** Counts by band. */
  bands: Record<Band, number>;
  arithmetic: string[];
}

export interface RiskContext {
  networkExposedWithoutAuth: boolean;
  capabilities: { shell: boolean; fs: boolean; network: boolean };
}

export interface RiskOptions {
  /** How R(c) is taken over a CWE's CAPECs: `max` (default) or `mean`. */
  aggregation?: Aggregation;
  /** Headline model (default `mcp-in-sos`). */
  model?: RiskModelName;
}

export interface RiskReport {
  /** Catalog versions used (every report names them). */
  kb: { cwe: string; capec: string; contentHash: string; overlayCwes: number[]; overlayLinks: number[] };
  model: RiskModelName;
  aggregation: Aggregation;
  context: RiskContext;
  /** The fill rule for missing MITRE factor values, as written in the KB. */
  fillRules: string[];
  findings: FindingRisk[];
  server: { mcpInSos: ServerMcpInSos; contextual: ServerContextual };
}

export interface RankedServer {
  rank: number;
  name: string;
  R_overall: number;
  R_exp: number;
  R_rms: number;
  N: number;
  contextualScore: number;
  grade: Grade;
}
