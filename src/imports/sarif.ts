/**
 * Reading SARIF 2.1.0 logs of other analyzers (Semgrep, CodeQL, ESLint, Gitleaks, …) into raw results.
 *
 * What is read, per result:
 * - the rule: `result.rule` (id, index, toolComponent → driver or `tool.extensions[i]`, as CodeQL
 *   writes), `result.ruleIndex`, or `result.ruleId` looked up by id;
 * - the CWE, first found of: `result.taxa` and rule `relationships` pointing into a CWE taxonomy,
 *   `external/cwe/cwe-NNN` (CodeQL) and `CWE-NNN: …` (Semgrep) tags of the result or the rule,
 *   `cwe` properties; the import stage falls back on cwe-table.ts;
 * - severity: the rule's `security-severity` (GitHub's scale: ≥ 9 critical, ≥ 7 high, ≥ 4 medium,
 *   > 0 low), else `result.level` ?? the rule's `defaultConfiguration.level` ?? `warning`
 *   (error → high, warning → medium, note → low, none → info);
 * - confidence: Semgrep's `HIGH|MEDIUM|LOW CONFIDENCE` tags, else the rule's `precision`
 *   (very-high/high → high, medium → medium, low → low), else medium;
 * - the message (`text`, or `id` through the rule's `messageStrings`, `{n}` placeholders filled,
 *   embedded links reduced to their text);
 * - the first location (`uriBaseId` resolved through `originalUriBaseIds`, `artifactLocation.index`
 *   through `run.artifacts`), its region and snippet; the first thread flow as the trace.
 * Results that are suppressed (any suppression not `rejected`/`underReview`), `baselineState: absent`,
 * or of kind `pass` / `notApplicable` / `informational` are skipped and counted.
 */
import { fileURLToPath } from 'node:url';
import type { Confidence, Severity } from '../model.js';
import {
  ImportFormatError,
  asArr,
  asObj,
  asPosInt,
  asStr,
  cweOf,
  type Json,
  type ParsedImport,
  type RawNotice,
  type RawPlace,
  type RawResult,
  type RawStep,
} from './types.js';

/** Most thread-flow steps kept per result. */
const MAX_STEPS = 50;

const LEVEL_SEVERITY: Readonly<Record<string, Severity>> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/** GitHub's `security-severity` bands. */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

function textOf(m: unknown): string | undefined {
  const o = asObj(m);
  return o ? asStr(o.text) ?? asStr(o.markdown) : undefined;
}

/** `[text](1)` / `[text](https://…)` → `text`; `{0}` → argument 0. */
function fillMessage(text: string, args: unknown[]): string {
  const filled = text.replace(/\{(\d+)\}/g, (m, i: string) => {
    const a = args[Number(i)];
    return typeof a === 'string' || typeof a === 'number' ? String(a) : m;
  });
  return filled.replace(/\[((?:[^\]\\]|\\.)*)\]\((?:\d+|[a-z][a-z0-9+.-]*:[^)\s]*)\)/gi, (_m, t: string) => t.replace(/\\([[\]])/g, '$1'));
}

/** Decodes a SARIF URI (or URI reference) into a path. Absolute `file:` URIs become absolute paths. */
export function uriToPath(uri: string): string {
  if (/^file:/i.test(uri)) {
    try {
      return fileURLToPath(uri).replace(/\\/g, '/');
    } catch {
      return uri.replace(/^file:\/*/i, '/');
    }
  }
  let p = uri;
  try {
    p = decodeURIComponent(uri);
  } catch {
    // keep the raw text
  }
  return p.replace(/\\/g, '/');
}

interface RunCtx {
  run: Json;
  tool: string;
  components: Json[]; // [driver, ...extensions]
  taxonomies: Json[];
}

function ruleOf(r: Json, rc: RunCtx): Json | undefined {
  const ref = asObj(r.rule);
  const ruleId = asStr(r.ruleId) ?? asStr(ref?.id);
  const compIndex = asObj(ref?.toolComponent)?.index;
  const comp = typeof compIndex === 'number' ? rc.components[compIndex + 1] : rc.components[0];
  const index = typeof ref?.index === 'number' ? ref.index : typeof r.ruleIndex === 'number' ? r.ruleIndex : undefined;
  if (comp && index !== undefined) {
    const rule = asObj(asArr(comp.rules)[index]);
    if (rule && (ruleId === undefined || asStr(rule.id) === ruleId || ruleId.startsWith(`${asStr(rule.id)}/`))) return rule;
  }
  if (ruleId === undefined) return undefined;
  for (const c of rc.components) {
    for (const x of asArr(c.rules)) {
      const rule = asObj(x);
      if (rule && asStr(rule.id) === ruleId) return rule;
    }
  }
  return undefined;
}

/** A taxon reference (`{id, index, toolComponent: {name, index}}`) pointing into a CWE taxonomy → CWE. */
function cweFromTaxonRef(ref: unknown, rc: RunCtx): number | undefined {
  const o = asObj(ref);
  if (!o) return undefined;
  const tc = asObj(o.toolComponent);
  const taxonomy = typeof tc?.index === 'number' ? rc.taxonomies[tc.index] : undefined;
  const name = asStr(tc?.name) ?? asStr(taxonomy?.name) ?? '';
  const id = asStr(o.id) ?? (typeof o.index === 'number' && taxonomy ? asStr(asObj(asArr(taxonomy.taxa)[o.index])?.id) : undefined);
  if (!/cwe/i.test(name) && !/^cwe/i.test(id ?? '')) return undefined;
  return cweOf(id);
}

function cwesFromTags(tags: unknown): number[] {
  const out: number[] = [];
  for (const t of asArr(tags)) {
    const s = asStr(t);
    if (!s || !/^\s*(external\/cwe\/)?cwe[-_ ]?\d/i.test(s)) continue;
    const n = cweOf(s);
    if (n !== undefined) out.push(n);
  }
  return out;
}

function cwesFromProperty(v: unknown): number[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map(cweOf).filter((n): n is number => n !== undefined);
}

function findCwes(r: Json, rule: Json | undefined, rc: RunCtx): { cwes: number[]; from?: string } {
  const uniq = (xs: number[]): number[] => [...new Set(xs)];
  const tries: [string, () => number[]][] = [
    ['the result taxa', () => asArr(r.taxa).map((t) => cweFromTaxonRef(t, rc)).filter((n): n is number => n !== undefined)],
    ['the rule relationships', () => asArr(rule?.relationships).map((x) => cweFromTaxonRef(asObj(x)?.target, rc)).filter((n): n is number => n !== undefined)],
    ['the result tags', () => cwesFromTags(asObj(r.properties)?.tags)],
    ['the result cwe property', () => cwesFromProperty(asObj(r.properties)?.cwe)],
    ['the rule tags', () => cwesFromTags(asObj(rule?.properties)?.tags)],
    ['the rule cwe property', () => cwesFromProperty(asObj(rule?.properties)?.cwe ?? asObj(rule?.properties)?.cwes)],
  ];
  for (const [from, f] of tries) {
    const cwes = uniq(f());
    if (cwes.length) return { cwes, from };
  }
  return { cwes: [] };
}

function severityOf(r: Json, rule: Json | undefined): Severity {
  const props = asObj(rule?.properties);
  const raw = asObj(r.properties)?.['security-severity'] ?? props?.['security-severity'];
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (Number.isFinite(score)) return severityFromScore(score);
  const level = asStr(r.level) ?? asStr(asObj(rule?.defaultConfiguration)?.level) ?? 'warning';
  return LEVEL_SEVERITY[level] ?? 'medium';
}

function confidenceOf(r: Json, rule: Json | undefined, tool: string): Confidence {
  const tags = [...asArr(asObj(r.properties)?.tags), ...asArr(asObj(rule?.properties)?.tags)];
  for (const t of tags) {
    const m = /^(HIGH|MEDIUM|LOW) CONFIDENCE$/i.exec(asStr(t) ?? '');
    if (m) return m[1]!.toLowerCase() as Confidence;
  }
  // Semgrep writes precision "very-high" for every rule: only its CONFIDENCE tags say something
  if (/semgrep/i.test(tool)) return 'medium';
  const precision = asStr(asObj(rule?.properties)?.precision)?.toLowerCase();
  if (precision === 'very-high' || precision === 'high') return 'high';
  if (precision === 'low') return 'low';
  return 'medium';
}

/** `fooBar-baz.qux_quux` → `Qux quux` (the last id segment, for rules without a title). */
function humanize(ruleId: string): string {
  const last = ruleId.split(/[./]/).filter(Boolean).pop() ?? ruleId;
  const words = last.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : ruleId;
}

function titleOf(ruleId: string, rule: Json | undefined): string {
  const short = textOf(rule?.shortDescription);
  if (short && !/^Semgrep Finding:/i.test(short)) return short.trim();
  const name = asStr(asObj(rule?.properties)?.name);
  if (name) return name;
  return humanize(ruleId);
}

/** The "Recommendation" section of a CodeQL-style help text, else the help text, else the full description. */
function fixOf(rule: Json | undefined): string | undefined {
  const help = textOf(rule?.help);
  if (help) {
    const lines = help.split(/\r?\n/);
    const at = lines.findIndex((l) => /^#+\s*Recommendation\b/i.test(l));
    let text = help.trim();
    if (at >= 0) {
      const section: string[] = [];
      for (let i = at + 1; i < lines.length && !/^#+\s/.test(lines[i]!); i++) section.push(lines[i]!);
      text = section.join('\n').trim() || text;
    }
    if (text) return text.length > 800 ? `${text.slice(0, 799).trimEnd()}…` : text;
  }
  const full = textOf(rule?.fullDescription);
  return full?.trim() || undefined;
}

function placeOf(loc: unknown, rc: RunCtx): RawPlace | undefined {
  const phys = asObj(asObj(loc)?.physicalLocation);
  if (!phys) return undefined;
  let art = asObj(phys.artifactLocation);
  if (art && asStr(art.uri) === undefined && typeof art.index === 'number') {
    const a = asObj(asObj(asArr(rc.run.artifacts)[art.index])?.location);
    if (a) art = { ...a, ...art, uri: asStr(a.uri) };
  }
  const uri = asStr(art?.uri);
  if (uri === undefined || uri === '') return undefined;
  let path = uriToPath(uri);
  const baseId = asStr(art?.uriBaseId);
  if (baseId && !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !path.startsWith('/')) {
    const base = asStr(asObj(asObj(rc.run.originalUriBaseIds)?.[baseId])?.uri);
    if (base && /^file:/i.test(base)) path = `${uriToPath(base).replace(/\/+$/, '')}/${path}`;
  }
  const region = asObj(phys.region);
  const place: RawPlace = { path };
  const line = asPosInt(region?.startLine);
  if (line !== undefined) {
    place.line = line;
    const col = asPosInt(region?.startColumn);
    if (col !== undefined) place.column = col;
    const endLine = asPosInt(region?.endLine);
    if (endLine !== undefined && endLine >= line) place.endLine = endLine;
    const endColumn = asPosInt(region?.endColumn);
    if (endColumn !== undefined) place.endColumn = endColumn;
  }
  const snippet = textOf(region?.snippet) ?? textOf(asObj(phys.contextRegion)?.snippet);
  if (snippet !== undefined) place.snippet = snippet;
  return place;
}

function traceOf(r: Json, rc: RunCtx): RawStep[] | undefined {
  const flow = asObj(asArr(r.codeFlows)[0]);
  const thread = asObj(asArr(flow?.threadFlows)[0]);
  const steps: RawStep[] = [];
  for (const x of asArr(thread?.locations)) {
    const loc = asObj(asObj(x)?.location);
    const place = placeOf(loc, rc);
    if (!place) continue;
    const label = textOf(loc?.message) ?? textOf(asObj(asObj(loc?.physicalLocation)?.region)?.message) ?? '';
    steps.push({ place, label: fillMessage(label, []) });
  }
  if (steps.length < 2) return undefined;
  // keep the source and the sink when cutting a long path
  return steps.length > MAX_STEPS ? [...steps.slice(0, MAX_STEPS - 1), steps[steps.length - 1]!] : steps;
}

function skipped(r: Json): boolean {
  const kind = asStr(r.kind);
  if (kind === 'pass' || kind === 'notApplicable' || kind === 'informational') return true;
  if (asStr(r.baselineState) === 'absent') return true;
  return asArr(r.suppressions).some((s) => {
    const status = asStr(asObj(s)?.status);
    return status !== 'rejected' && status !== 'underReview';
  });
}

/** Reads a parsed SARIF log. Throws ImportFormatError when it is not a SARIF 2.1.0 log. */
export function parseSarif(doc: unknown, name = 'SARIF file'): ParsedImport {
  const log = asObj(doc);
  if (!log || !Array.isArray(log.runs)) throw new ImportFormatError(`${name} is not a SARIF log (no "runs" array)`);
  const version = asStr(log.version);
  if (log.version !== undefined && version !== '2.1.0') throw new ImportFormatError(`${name} is SARIF ${String(log.version)}; only SARIF 2.1.0 is read`);
  const results: RawResult[] = [];
  const notices: RawNotice[] = [];
  let skippedCount = 0;
  log.runs.forEach((x, runIndex) => {
    const run = asObj(x);
    if (!run) throw new ImportFormatError(`${name}: run ${runIndex} is not an object`);
    const toolObj = asObj(run.tool);
    const driver = asObj(toolObj?.driver);
    if (!driver) throw new ImportFormatError(`${name}: run ${runIndex} has no tool.driver`);
    const tool = (asStr(driver.name) ?? '').trim() || 'unknown analyzer';
    const rc: RunCtx = {
      run,
      tool,
      components: [driver, ...asArr(toolObj?.extensions).map((e) => asObj(e) ?? {})],
      taxonomies: asArr(run.taxonomies).map((t) => asObj(t) ?? {}),
    };
    for (const inv of asArr(run.invocations)) {
      for (const n of asArr(asObj(inv)?.toolExecutionNotifications)) {
        const o = asObj(n);
        if (asStr(o?.level) === 'error') notices.push({ code: 'import-tool-error', message: `${tool}: ${textOf(o?.message) ?? 'error'}` });
      }
    }
    for (const y of asArr(run.results)) {
      const r = asObj(y);
      if (!r) continue;
      if (skipped(r)) {
        skippedCount++;
        continue;
      }
      const rule = ruleOf(r, rc);
      const ruleId = asStr(r.ruleId) ?? asStr(asObj(r.rule)?.id) ?? asStr(rule?.id) ?? 'unknown-rule';
      const msgObj = asObj(r.message);
      let message = asStr(msgObj?.text);
      if (message === undefined && asStr(msgObj?.id)) message = textOf(asObj(rule?.messageStrings)?.[asStr(msgObj?.id)!]);
      message = fillMessage(message ?? textOf(rule?.shortDescription) ?? ruleId, asArr(msgObj?.arguments)).trim();
      const { cwes, from } = findCwes(r, rule, rc);
      const place = placeOf(asArr(r.locations)[0], rc);
      const res: RawResult = {
        tool,
        ruleId,
        title: titleOf(ruleId, rule),
        message,
        severity: severityOf(r, rule),
        confidence: confidenceOf(r, rule, tool),
        cwes,
      };
      if (from) res.cweFrom = from;
      let fix = fixOf(rule);
      // Semgrep's help and description repeat the message: point to the rule's page instead
      const same = (x: string, y: string): boolean => x.replace(/\s+/g, ' ').slice(0, 30) === y.replace(/\s+/g, ' ').slice(0, 30);
      const helpUri = asStr(rule?.helpUri);
      if ((!fix || same(fix, message)) && helpUri && /^https?:\/\/\S+$/i.test(helpUri)) fix = `See the rule's documentation: ${helpUri}`;
      if (fix) res.fix = fix;
      if (place) res.place = place;
      const trace = traceOf(r, rc);
      if (trace) res.trace = trace;
      results.push(res);
    }
  });
  return { results, notices, skipped: skippedCount };
}
