/**
 * SARIF 2.1.0 report, shaped for GitHub code scanning.
 *
 * - One run (several assessments are merged into it: GitHub rejects several runs of one tool
 *   with the same category in an upload).
 * - One rule per ruleId used, with the CWE page as helpUri, `security` and
 *   `external/cwe/cwe-<n>` tags and a `security-severity` score (GitHub's severity).
 * - A CWE taxonomy (run.taxonomies) that each rule points to through `relationships`.
 * - Results carry the finding id as partial fingerprint, the trace as a code flow and the
 *   source as a related location (linked from the message).
 * - Locations are relative URIs under `%SRCROOT%`: the absolute root is never written.
 */
import type * as Sarif from 'sarif';
import type { Assessment, Confidence, Finding, Location, Severity, TraceStep } from '../model.js';
import { cweName, cweUrl, maxSeverity } from './common.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** Where users learn about the tool (tool.driver.informationUri). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/mcp-risk';
/** uriBaseId of every location: the root of the analysed tree. */
export const SRCROOT = '%SRCROOT%';
/** Key of the finding id in partialFingerprints. */
export const FINGERPRINT_KEY = 'mcpRiskFindingId/v1';

/** GitHub `security-severity` (0.0–10.0, as a string) for each severity. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

/** SARIF result level for each severity. */
export const SARIF_LEVEL: Readonly<Record<Severity, Sarif.Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const PROBLEM_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'recommendation',
  info: 'recommendation',
};

const CONFIDENCE_RANK: Readonly<Record<Confidence, number>> = { high: 0, medium: 1, low: 2 };

/** SARIF thread-flow-location kinds for each trace step kind (ours first, then SARIF well-known ones). */
const STEP_KINDS: Readonly<Record<TraceStep['kind'], string[]>> = {
  source: ['source', 'taint'],
  step: ['step', 'taint'],
  call: ['call', 'taint'],
  return: ['return', 'taint'],
  guard: ['guard', 'branch'],
  sink: ['sink', 'danger'],
};

const STEP_IMPORTANCE: Readonly<Record<TraceStep['kind'], Sarif.ThreadFlowLocation.importance>> = {
  source: 'essential',
  step: 'important',
  call: 'important',
  return: 'important',
  guard: 'important',
  sink: 'essential',
};

const SOURCE_TEXT: Readonly<Record<NonNullable<Finding['source']>['kind'], string>> = {
  'tool-argument': 'tool argument',
  'resource-argument': 'resource argument',
  'prompt-argument': 'prompt argument',
  transport: 'transport data',
  network: 'network response',
  environment: 'environment variable',
  file: 'file contents',
};

/** A relative path as a URI reference: forward slashes, unsafe characters percent-encoded. */
export function pathToUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%40/g, '@').replace(/%2B/g, '+'))
    .join('/');
}

function region(l: Location, snippet?: string): Sarif.Region {
  const r: Sarif.Region = { startLine: l.line, startColumn: l.column };
  if (l.endLine !== undefined) r.endLine = l.endLine;
  if (l.endColumn !== undefined) r.endColumn = l.endColumn;
  if (snippet !== undefined && snippet !== '') r.snippet = { text: snippet };
  return r;
}

function physical(l: Location, snippet?: string): Sarif.PhysicalLocation {
  return {
    artifactLocation: { uri: pathToUri(l.file), uriBaseId: SRCROOT },
    region: region(l, snippet),
  };
}

/** Escapes square brackets so that plain text next to an embedded link is not read as a link. */
function escapeLinkText(s: string): string {
  return s.replace(/[[\]]/g, (c) => '\\' + c);
}

/** `command-injection` / `mcp.cmd_exec` → `CommandInjection` / `McpCmdExec`. */
function ruleName(ruleId: string): string {
  const parts = ruleId.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  return name || ruleId;
}

interface RuleAcc {
  id: string;
  index: number;
  first: Finding;
  severity: Severity;
  confidence: Confidence;
  cwes: number[];
}

function buildRule(r: RuleAcc, taxonIndex: Map<number, number>): Sarif.ReportingDescriptor {
  const f = r.first;
  const cweLabel = (n: number): string => `CWE-${n}${cweName(n) ? `: ${cweName(n)}` : ''}`;
  const precision = r.confidence === 'high' ? 'high' : r.confidence === 'medium' ? 'medium' : 'low';
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: f.title },
    fullDescription: { text: `${f.title} (${r.cwes.map(cweLabel).join('; ')}).` },
    help: {
      text: `${f.fix}\n\n${r.cwes.map((n) => `${cweLabel(n)} — ${cweUrl(n)}`).join('\n')}`,
      markdown: `${f.fix}\n\n${r.cwes.map((n) => `[${cweLabel(n)}](${cweUrl(n)})`).join('  \n')}`,
    },
    helpUri: cweUrl(f.cwe),
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    relationships: r.cwes.map((n) => ({
      target: { id: String(n), index: taxonIndex.get(n)!, toolComponent: { name: 'CWE', index: 0 } },
      kinds: ['relevant'],
    })),
    properties: {
      tags: ['security', ...r.cwes.map((n) => `external/cwe/cwe-${n}`), 'mcp'],
      precision,
      'problem.severity': PROBLEM_SEVERITY[r.severity],
      'security-severity': SECURITY_SEVERITY[r.severity],
    },
  };
}

function buildResult(f: Finding, ruleIndex: number, target: string | undefined): Sarif.Result {
  const props: Sarif.PropertyBag = {
    cwe: f.cwe,
    severity: f.severity,
    confidence: f.confidence,
    primitive: f.primitive.name === undefined ? { kind: f.primitive.kind } : { kind: f.primitive.kind, name: f.primitive.name },
    tags: [...f.tags],
    fix: f.fix,
  };
  if (f.notes && f.notes.length > 0) props['notes'] = [...f.notes];
  if (f.tool !== undefined) props['importedFrom'] = f.tool;
  if (target !== undefined) props['target'] = target;

  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f.location, f.snippet) }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.id },
    properties: props,
  };

  if (f.source) {
    const what = `${SOURCE_TEXT[f.source.kind]}${f.source.name !== undefined ? ` \`${f.source.name}\`` : ''}`;
    result.message = {
      text: `${escapeLinkText(f.message)} Untrusted data comes from [${escapeLinkText(what)}](1).`,
    };
    result.relatedLocations = [
      { id: 1, physicalLocation: physical(f.source.location), message: { text: `Source: ${what}` } },
    ];
  }

  if (f.trace && f.trace.length > 0) {
    const first = f.trace[0]!;
    const last = f.trace[f.trace.length - 1]!;
    result.codeFlows = [
      {
        message: { text: `${first.label} → ${last.label}` },
        threadFlows: [
          {
            locations: f.trace.map((s) => ({
              location: { physicalLocation: physical(s.location, s.snippet), message: { text: s.label } },
              kinds: STEP_KINDS[s.kind],
              importance: STEP_IMPORTANCE[s.kind],
            })),
          },
        ],
      },
    ];
  }
  return result;
}

/**
 * The SARIF log for one or several assessments (merged into one run). Returns a plain object:
 * write it with `JSON.stringify(log, null, 2)`.
 */
export function toSarif(input: Assessment | Assessment[]): Sarif.Log {
  const list = Array.isArray(input) ? input : [input];
  const several = list.length > 1;

  // Rules and taxa, in order of first use (deterministic for a deterministic input).
  const rules = new Map<string, RuleAcc>();
  const taxonIndex = new Map<number, number>();
  for (const a of list) {
    for (const f of a.findings) {
      if (!taxonIndex.has(f.cwe)) taxonIndex.set(f.cwe, taxonIndex.size);
      const r = rules.get(f.ruleId);
      if (!r) {
        rules.set(f.ruleId, {
          id: f.ruleId,
          index: rules.size,
          first: f,
          severity: f.severity,
          confidence: f.confidence,
          cwes: [f.cwe],
        });
      } else {
        r.severity = maxSeverity(r.severity, f.severity);
        if (CONFIDENCE_RANK[f.confidence] < CONFIDENCE_RANK[r.confidence]) r.confidence = f.confidence;
        if (!r.cwes.includes(f.cwe)) r.cwes.push(f.cwe);
      }
    }
  }

  const results: Sarif.Result[] = [];
  for (const a of list) {
    const target = several ? `${a.target.name}${a.target.version ? `@${a.target.version}` : ''}` : undefined;
    for (const f of a.findings) {
      const r = buildResult(f, rules.get(f.ruleId)!.index, target);
      // the scores of both risk models, as in the JSON report
      const fr = a.risk?.findings.find((x) => x.findingId === f.id);
      if (fr && r.properties) r.properties['risk'] = { contextualScore: fr.contextual.score, cell: fr.contextual.cell, band: fr.contextual.band, mcpInSosR: fr.mcpInSos.R };
      results.push(r);
    }
  }

  const notifications: Sarif.Notification[] = [];
  for (const a of list) {
    for (const w of a.warnings) {
      const n: Sarif.Notification = {
        level: 'warning',
        message: { text: several ? `${a.target.name}: ${w.message}` : w.message },
        descriptor: { id: w.code },
      };
      if (w.file !== undefined) {
        n.locations = [{ physicalLocation: { artifactLocation: { uri: pathToUri(w.file), uriBaseId: SRCROOT } } }];
      }
      notifications.push(n);
    }
  }

  const version = list[0]?.tool.version ?? '0.0.0';
  const taxa: Sarif.ReportingDescriptor[] = [...taxonIndex.keys()].map((n) => ({
    id: String(n),
    name: cweName(n) ?? `CWE-${n}`,
    shortDescription: { text: `CWE-${n}${cweName(n) ? `: ${cweName(n)}` : ''}` },
    helpUri: cweUrl(n),
  }));

  const targets = list.map((a) => {
    const t: Record<string, unknown> = { input: a.target.input, kind: a.target.kind, name: a.target.name };
    if (a.target.version !== undefined) t['version'] = a.target.version;
    return t;
  });

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'mcp-risk',
        version,
        ...(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(version) ? { semanticVersion: version } : {}),
        informationUri: INFORMATION_URI,
        rules: [...rules.values()].map((r) => buildRule(r, taxonIndex)),
        supportedTaxonomies: [{ name: 'CWE', index: 0 }],
      },
    },
    taxonomies: [
      {
        name: 'CWE',
        organization: 'MITRE',
        informationUri: 'https://cwe.mitre.org/',
        shortDescription: { text: 'The MITRE Common Weakness Enumeration' },
        isComprehensive: false,
        taxa,
      },
    ],
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: notifications,
      },
    ],
    results,
    properties: {
      partial: list.some((a) => a.partial),
      ...(list[0] ? { schemaVersion: list[0].schemaVersion } : {}),
      targets,
      // server scores (one per assessment), with the MITRE catalog versions used
      risk: list.flatMap((a) =>
        a.risk
          ? [
              {
                target: a.target.name,
                grade: a.risk.server.contextual.grade,
                contextualScore: a.risk.server.contextual.score,
                R_overall: a.risk.server.mcpInSos.R_overall,
                R_exp: a.risk.server.mcpInSos.R_exp,
                R_rms: a.risk.server.mcpInSos.R_rms,
                N: a.risk.server.mcpInSos.N,
                kb: { cwe: a.risk.kb.cwe, capec: a.risk.kb.capec },
              },
            ]
          : [],
      ),
    },
  };

  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
}
