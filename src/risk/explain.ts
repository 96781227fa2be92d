/**
 * `--explain` / `mcp-risk explain <finding-id>`: every factor, where it came from, and the arithmetic.
 */
import type { Finding } from '../model.js';
import { num } from './mcpInSos.js';
import type { FindingRisk, RiskReport } from './types.js';

function sign(x: number): string {
  return x >= 0 ? `+${num(x)}` : `−${num(-x)}`;
}

export function explainFinding(finding: Finding, risk: FindingRisk, report?: RiskReport): string {
  const L: string[] = [];
  const w = risk.mcpInSos;
  const c = risk.contextual;
  const t = risk.threats;
  const where = `${finding.location.file}:${finding.location.line}:${finding.location.column}`;
  const prim = `${t.primitive}${finding.primitive.name ? ` \`${finding.primitive.name}\`` : ''}`;
  L.push(`Finding ${finding.id}: ${finding.title}`);
  L.push(`  CWE-${finding.cwe} ${w.name}`);
  L.push(`  ${where} — ${prim}; severity ${finding.severity}, confidence ${finding.confidence}` + (finding.source ? `; source ${finding.source.kind}${finding.source.name ? ` \`${finding.source.name}\`` : ''}` : ''));
  if (report) {
    L.push(`  Knowledge base: CWE ${report.kb.cwe}, CAPEC ${report.kb.capec} (content ${report.kb.contentHash.slice(0, 12)})`);
  }
  L.push('');
  L.push(`mcp-in-sos (aggregation over CAPECs: ${w.aggregation})`);
  for (const f of [w.LE, w.MI, w.CC]) L.push(`  ${f.name} = ${f.text}`);
  const link = w.capecLink;
  if (link.kind === 'direct') L.push('  CAPEC link: direct (CWE Related_Attack_Patterns ∪ CAPEC Related_Weaknesses)');
  else if (link.kind === 'inherited') L.push(`  CAPEC link: inherited from CWE-${link.from} (walk ${(link.path ?? []).map((x) => `CWE-${x}`).join(' → ')})`);
  else if (link.kind === 'overlay') L.push('  CAPEC link: hand-kept overlay (MITRE data gives none)');
  else L.push('  CAPEC link: none — LA and TS take the default Medium (3)');
  for (const p of w.pairs) {
    if (p.capec === 0) continue;
    L.push(`  CAPEC-${p.capec} ${p.name}${w.chosenCapec === p.capec ? '   ← chosen (max)' : ''}`);
    L.push(`      LA = ${p.LA.text}`);
    L.push(`      TS = ${p.TS.text}`);
  }
  for (const a of w.arithmetic) L.push(`  ${a}`);
  L.push(`  → R(CWE-${w.cwe}) = ${num(w.R)}`);
  L.push('');
  L.push(`contextual → ${c.cell}, score ${c.score}/10 (${c.band})`);
  L.push('  likelihood:');
  for (const f of c.likelihoodFactors) L.push(`    ${f.name.padEnd(12)} ${f.name === 'base' ? num(f.delta ?? 0) : sign(f.delta ?? 0)}  ${f.reason}`);
  L.push('  impact:');
  for (const f of c.impactFactors) {
    const v = f.floor !== undefined ? (f.floor > 0 ? `≥${f.floor}` : 'n/a') : num(f.delta ?? 0);
    L.push(`    ${f.name.padEnd(12)} ${v}  ${f.reason}`);
  }
  for (const a of c.arithmetic) L.push(`  ${a}`);
  L.push('');
  L.push('threats');
  L.push(`  primitive: ${t.primitive}`);
  const cia = (['C', 'I', 'A'] as const).filter((k) => t.cia[k]).join('/') || 'none';
  L.push(`  C/I/A: ${cia}  (from Common_Consequences scopes: ${t.cia.scopes.join(', ') || 'none'})`);
  for (const o of t.owasp) L.push(`  OWASP ${o.id} ${o.name}${o.fit === 'closest' ? ' (closest fit)' : ''} — ${o.why}`);
  for (const p of t.capec) {
    const lv = (x: { value: number; label?: string; from: string; source: string }): string =>
      `${x.label ?? x.value}${x.from === 'self' ? '' : x.from === 'inherited' ? ` (inherited from ${x.source})` : ' (default)'}`;
    L.push(`  CAPEC-${p.id} ${p.name}: likelihood ${lv(p.likelihood)}, severity ${lv(p.severity)}`);
  }
  if (t.capecTotal > t.capec.length) L.push(`  … ${t.capecTotal - t.capec.length} more CAPEC(s)`);
  if (report) {
    L.push('');
    L.push('fill rule for missing MITRE values:');
    for (const r of report.fillRules) L.push(`  ${r}`);
  }
  return L.join('\n') + '\n';
}

/** Server-level explanation: equations 9–11 and the contextual grade. */
export function explainServer(report: RiskReport): string {
  const L: string[] = [];
  L.push(`Risk (CWE ${report.kb.cwe}, CAPEC ${report.kb.capec}; headline model ${report.model}, aggregation ${report.aggregation})`);
  L.push('mcp-in-sos:');
  for (const a of report.server.mcpInSos.arithmetic) L.push(`  ${a}`);
  L.push('contextual:');
  for (const a of report.server.contextual.arithmetic) L.push(`  ${a}`);
  return L.join('\n') + '\n';
}
