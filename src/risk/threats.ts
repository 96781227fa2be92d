/**
 * Threat categories on every finding (pure):
 *  - the MCP primitive (Tool, Resource, Prompt, Protocol) the finding sits in;
 *  - C/I/A impact from the CWE's Common_Consequences scopes (CIA_MAPPING);
 *  - the OWASP MCP Top 10 (2025) category (OWASP_MCP_TOP10, CWE_TO_OWASP);
 *  - the CAPEC attack patterns with likelihood and severity.
 */
import type { KnowledgeBase } from '../kb/types.js';
import type { Finding, PrimitiveKind } from '../model.js';
import { deepFreeze } from './mcpInSos.js';
import type { CapecThreat, OwaspMcpCategory, PrimitiveLabel, RiskContext, Threats, WeaknessRisk } from './types.js';

export const PRIMITIVE_LABEL: Readonly<Record<PrimitiveKind, PrimitiveLabel>> = {
  tool: 'Tool',
  resource: 'Resource',
  prompt: 'Prompt',
  protocol: 'Protocol',
};

/**
 * CWE Common_Consequences scope → C/I/A. Confidentiality/Integrity/Availability map to themselves.
 * Access Control, Authentication and Authorization → C and I (getting past an access check lets an attacker
 * read and change what it protected; MITRE lists no availability effect for them on their own).
 * Non-Repudiation and Accountability → I (the integrity of the record of who did what). Other → nothing.
 */
export const CIA_MAPPING: Readonly<Record<string, readonly ('C' | 'I' | 'A')[]>> = {
  Confidentiality: ['C'],
  Integrity: ['I'],
  Availability: ['A'],
  'Access Control': ['C', 'I'],
  Authentication: ['C', 'I'],
  Authorization: ['C', 'I'],
  'Non-Repudiation': ['I'],
  Accountability: ['I'],
  Other: [],
};

/** OWASP MCP Top 10 (2025, v0.1), ids and names as in OWASP/www-project-mcp-top-10 (tab_top10.md). */
export const OWASP_MCP_TOP10: Readonly<Record<string, string>> = {
  'MCP01:2025': 'Token Mismanagement & Secret Exposure',
  'MCP02:2025': 'Privilege Escalation via Scope Creep',
  'MCP03:2025': 'Tool Poisoning',
  'MCP04:2025': 'Software Supply Chain Attacks & Dependency Tampering',
  'MCP05:2025': 'Command Injection & Execution',
  'MCP06:2025': 'Intent Flow Subversion', // earlier draft title: "Prompt Injection via Contextual Payloads"
  'MCP07:2025': 'Insufficient Authentication & Authorization',
  'MCP08:2025': 'Lack of Audit and Telemetry',
  'MCP09:2025': 'Shadow MCP Servers',
  'MCP10:2025': 'Context Injection & Over-Sharing',
};

/**
 * CWE → OWASP MCP Top 10 (2025) category for every CWE the rules emit (documented in docs/risk-models.md).
 * `closest` marks weaknesses no category covers well (the list has no denial-of-service category).
 */
export const CWE_TO_OWASP: Readonly<Record<number, { id: string; fit: 'direct' | 'closest' }>> = {
  // MCP05 Command Injection & Execution: untrusted input built into commands, code, queries, paths, URLs, parsers
  78: { id: 'MCP05:2025', fit: 'direct' },
  88: { id: 'MCP05:2025', fit: 'direct' },
  94: { id: 'MCP05:2025', fit: 'direct' },
  95: { id: 'MCP05:2025', fit: 'direct' },
  1336: { id: 'MCP05:2025', fit: 'direct' },
  89: { id: 'MCP05:2025', fit: 'direct' },
  943: { id: 'MCP05:2025', fit: 'direct' },
  502: { id: 'MCP05:2025', fit: 'direct' },
  1321: { id: 'MCP05:2025', fit: 'direct' },
  22: { id: 'MCP05:2025', fit: 'direct' },
  59: { id: 'MCP05:2025', fit: 'direct' },
  611: { id: 'MCP05:2025', fit: 'direct' },
  918: { id: 'MCP05:2025', fit: 'direct' },
  // MCP01 Token Mismanagement & Secret Exposure: secrets in code/logs, weak protection or generation of tokens
  798: { id: 'MCP01:2025', fit: 'direct' },
  522: { id: 'MCP01:2025', fit: 'direct' },
  532: { id: 'MCP01:2025', fit: 'direct' },
  327: { id: 'MCP01:2025', fit: 'direct' },
  328: { id: 'MCP01:2025', fit: 'direct' },
  330: { id: 'MCP01:2025', fit: 'direct' },
  // MCP07 Insufficient Authentication & Authorization
  306: { id: 'MCP07:2025', fit: 'direct' },
  350: { id: 'MCP07:2025', fit: 'direct' },
  942: { id: 'MCP07:2025', fit: 'direct' },
  295: { id: 'MCP07:2025', fit: 'direct' },
  601: { id: 'MCP07:2025', fit: 'direct' },
  // MCP03 Tool Poisoning: misleading tool metadata, look-alike names (tool shadowing)
  451: { id: 'MCP03:2025', fit: 'direct' },
  1007: { id: 'MCP03:2025', fit: 'direct' },
  // MCP06 Intent Flow Subversion: untrusted content steering the model
  1427: { id: 'MCP06:2025', fit: 'direct' },
  1426: { id: 'MCP06:2025', fit: 'direct' },
  // MCP04 Software Supply Chain Attacks & Dependency Tampering
  829: { id: 'MCP04:2025', fit: 'direct' },
  1357: { id: 'MCP04:2025', fit: 'direct' },
  // MCP10 Context Injection & Over-Sharing: sensitive data exposed beyond its scope
  200: { id: 'MCP10:2025', fit: 'direct' },
  377: { id: 'MCP10:2025', fit: 'closest' },
  // No denial-of-service category: unbounded resource use is an over-broad capability handed to callers
  400: { id: 'MCP02:2025', fit: 'closest' },
  770: { id: 'MCP02:2025', fit: 'closest' },
};

function cat(id: string, fit: 'direct' | 'closest', why: string): OwaspMcpCategory {
  return { id, name: OWASP_MCP_TOP10[id] ?? id, fit, why };
}

/** OWASP MCP Top 10 categories of a finding: the CWE table, plus tag / context rules. */
export function owaspCategories(finding: Pick<Finding, 'cwe' | 'tags'>, context?: RiskContext): OwaspMcpCategory[] {
  const out: OwaspMcpCategory[] = [];
  const t = CWE_TO_OWASP[finding.cwe];
  if (t) out.push(cat(t.id, t.fit, `CWE-${finding.cwe} (table)`));
  if (finding.tags.includes('capability') && !out.some((c) => c.id === 'MCP02:2025')) {
    out.push(cat('MCP02:2025', 'direct', 'tag capability: the tool hands its argument unchanged to a dangerous operation'));
  }
  if (finding.cwe === 306 && context?.networkExposedWithoutAuth && !out.some((c) => c.id === 'MCP09:2025')) {
    out.push(cat('MCP09:2025', 'direct', 'CWE-306 on a network-exposed server without authentication'));
  }
  if (out.length === 0) out.push(cat('MCP05:2025', 'closest', `CWE-${finding.cwe} is not in the table; default category`));
  return out;
}

/** owaspCategories made once per input it reads (CWE, capability tag, CWE-306 exposure) and frozen, like the other shared parts. */
function sharedOwasp(finding: Pick<Finding, 'cwe' | 'tags'>, context?: RiskContext): OwaspMcpCategory[] {
  const key = `${finding.cwe}|${finding.tags.includes('capability') ? 1 : 0}|${finding.cwe === 306 && context?.networkExposedWithoutAuth ? 1 : 0}`;
  let o = owaspShared.get(key);
  if (!o) owaspShared.set(key, (o = deepFreeze(owaspCategories(finding, context))));
  return o;
}
const owaspShared = new Map<string, OwaspMcpCategory[]>();

/** C/I/A from the CWE's Common_Consequences scopes; falls back to the scopes of its CAPECs' consequences. */
export function ciaOf(cwe: number, kb: KnowledgeBase): Threats['cia'] {
  const entry = kb.cwe[String(cwe)];
  let scopes = [...new Set((entry?.consequences ?? []).flatMap((c) => c.scope))];
  if (scopes.length === 0 && entry) {
    scopes = [...new Set(entry.capec.ids.flatMap((id) => Object.keys(kb.capec[String(id)]?.consequences ?? {})))];
  }
  scopes.sort();
  const cia = { C: false, I: false, A: false, scopes };
  for (const s of scopes) for (const x of CIA_MAPPING[s] ?? []) cia[x] = true;
  return cia;
}

export function threatsFor(finding: Finding, w: WeaknessRisk, kb: KnowledgeBase, context?: RiskContext): Threats {
  const { capec, capecTotal, cia } = perWeakness(w, kb);
  return {
    primitive: PRIMITIVE_LABEL[finding.primitive.kind] ?? 'Protocol',
    cia,
    owasp: sharedOwasp(finding, context),
    capec,
    capecTotal,
  };
}

/** The parts of Threats that depend on the weakness alone: made once per WeaknessRisk (itself cached per KB), frozen. */
const weaknessThreats = new WeakMap<KnowledgeBase, WeakMap<WeaknessRisk, Pick<Threats, 'capec' | 'capecTotal' | 'cia'>>>();

function perWeakness(w: WeaknessRisk, kb: KnowledgeBase): Pick<Threats, 'capec' | 'capecTotal' | 'cia'> {
  let byKb = weaknessThreats.get(kb);
  if (!byKb) weaknessThreats.set(kb, (byKb = new WeakMap()));
  const hit = byKb.get(w);
  if (hit) return hit;
  const real = w.pairs.filter((p) => p.capec > 0);
  const capec: CapecThreat[] = real
    .slice()
    .sort((a, b) => b.LA.value * b.TS.value - a.LA.value * a.TS.value || a.capec - b.capec)
    .slice(0, 5)
    .map((p) => ({
      id: p.capec,
      name: p.name,
      likelihood: { value: p.LA.value, ...(p.LA.label ? { label: p.LA.label } : {}), from: p.LA.from, source: p.LA.source },
      severity: { value: p.TS.value, ...(p.TS.label ? { label: p.TS.label } : {}), from: p.TS.from, source: p.TS.source },
    }));
  const out = deepFreeze({ capec, capecTotal: real.length, cia: ciaOf(w.cwe, kb) });
  if (Object.isFrozen(w)) byKb.set(w, out); // a WeaknessRisk made by hand may change: not cached
  return out;
}
