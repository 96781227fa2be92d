/**
 * Risk scoring: MITRE-grounded `mcp-in-sos` (default, exact) and our `contextual` model, plus threat
 * categories on every finding. Pure and deterministic given the knowledge base.
 */
import { loadKb } from '../kb/load.js';
import type { KnowledgeBase } from '../kb/types.js';
import type { Finding } from '../model.js';
import { serverContextual, sharedContextualRisk } from './contextual.js';
import { deepFreeze, serverMcpInSos, weaknessRisk } from './mcpInSos.js';
import { threatsFor } from './threats.js';
import type { FindingRisk, RankedServer, RiskContext, RiskModelName, RiskOptions, RiskReport, WeaknessRisk } from './types.js';

export type * from './types.js';
export { weaknessRisk, serverEquations, serverMcpInSos, toFactor } from './mcpInSos.js';
export {
  contextualRisk,
  serverContextual,
  cellScore,
  bandOf,
  gradeOf,
  CODE_EXECUTION_CWES,
  GATEWAY_CWES,
  AUTH_GAP_CWES,
  REACH_OF_SOURCE,
} from './contextual.js';
export { threatsFor, owaspCategories, ciaOf, OWASP_MCP_TOP10, CWE_TO_OWASP, CIA_MAPPING, PRIMITIVE_LABEL } from './threats.js';
export { explainFinding, explainServer } from './explain.js';

export interface ScoreOptions extends RiskOptions {
  /** Knowledge base to use (default: the packaged data/kb/kb.json). */
  kb?: KnowledgeBase;
}

/** The parts of a RiskReport that depend on the knowledge base alone: made once per KB, frozen (shared by reports). */
const kbHeads = new WeakMap<KnowledgeBase, Pick<RiskReport, 'kb' | 'fillRules'>>();

function kbHead(kb: KnowledgeBase): Pick<RiskReport, 'kb' | 'fillRules'> {
  let head = kbHeads.get(kb);
  if (!head) {
    const r = kb.rules;
    head = deepFreeze({
      kb: {
        cwe: kb.catalogs.cwe.version,
        capec: kb.catalogs.capec.version,
        contentHash: kb.contentHash,
        overlayCwes: [...kb.overlay.cwes],
        overlayLinks: [...kb.overlay.links],
      },
      fillRules: [`LE: ${r.LE}`, `LA: ${r.LA}`, `TS: ${r.TS}`, `MI: ${r.MI}`, `CC: ${r.CC}`, `walk: ${r.walk}`, `CAPEC link: ${r.capecLink}`],
    });
    kbHeads.set(kb, head);
  }
  return head;
}

/** Score an assessment's findings with both models; per-finding risk and per-server totals. */
export function scoreAssessment(findings: readonly Finding[], context: RiskContext, options: ScoreOptions = {}): RiskReport {
  const kb = options.kb ?? loadKb();
  const aggregation = options.aggregation ?? 'max';
  const model: RiskModelName = options.model ?? 'mcp-in-sos';
  const perCwe = new Map<number, WeaknessRisk>();
  const wOf = (cwe: number): WeaknessRisk => {
    let w = perCwe.get(cwe);
    if (!w) perCwe.set(cwe, (w = weaknessRisk(cwe, kb, aggregation)));
    return w;
  };
  const ordered = [...findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: FindingRisk[] = ordered.map((f) => {
    const w = wOf(f.cwe);
    return {
      findingId: f.id,
      cwe: f.cwe,
      mcpInSos: w,
      contextual: sharedContextualRisk(f, w, context),
      threats: threatsFor(f, w, kb, context),
    };
  });
  const head = kbHead(kb);
  return {
    kb: head.kb,
    model,
    aggregation,
    context: {
      networkExposedWithoutAuth: context.networkExposedWithoutAuth,
      capabilities: { ...context.capabilities },
    },
    fillRules: head.fillRules,
    findings: out,
    server: {
      mcpInSos: serverMcpInSos(
        ordered.map((f) => f.cwe),
        (c) => wOf(c).R,
      ),
      contextual: serverContextual(out.map((x) => ({ findingId: x.findingId, score: x.contextual.score }))),
    },
  };
}

/**
 * Rank servers against each other: by R_overall (mcp-in-sos) by default, or by the contextual score.
 * Ties: the other model's value, then the name. Rank 1 = riskiest.
 */
export function rankServers(
  reports: readonly { name: string; report: RiskReport }[],
  by: RiskModelName = 'mcp-in-sos',
): RankedServer[] {
  const rows = reports.map(({ name, report }) => ({
    name,
    R_overall: report.server.mcpInSos.R_overall,
    R_exp: report.server.mcpInSos.R_exp,
    R_rms: report.server.mcpInSos.R_rms,
    N: report.server.mcpInSos.N,
    contextualScore: report.server.contextual.score,
    grade: report.server.contextual.grade,
  }));
  rows.sort((a, b) => {
    const primary = by === 'contextual' ? b.contextualScore - a.contextualScore : b.R_overall - a.R_overall;
    if (primary !== 0) return primary;
    const secondary = by === 'contextual' ? b.R_overall - a.R_overall : b.contextualScore - a.contextualScore;
    if (secondary !== 0) return secondary;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return rows.map((r, i) => ({ rank: i + 1, ...r }));
}
