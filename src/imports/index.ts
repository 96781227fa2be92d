/**
 * Findings from other analyzers (SARIF 2.1.0 from any tool, Bandit JSON), scored with the same models.
 *
 * `importFindings(docs, ctx)` is pure: it reads already-parsed documents and returns the merged finding
 * list. Per result it
 *   1. takes the CWE from the result or its rule (sarif.ts / bandit.ts), else from cwe-table.ts; when a
 *      rule lists several CWEs, the table's choice if it is among them, else the first that the
 *      knowledge base knows as a weakness, else the first;
 *   2. resolves the path against the scanned tree: `file:` URIs and absolute paths under the target
 *      root are made relative; otherwise the longest file of the target that the path ends with (tools
 *      run from a parent folder), or the one file that ends with the path (run from a sub-folder).
 *      Results in files outside the target are not counted (one warning says how many);
 *   3. attaches it to the MCP primitive whose handler contains the line (`ctx.primitiveAt`);
 *   4. de-duplicates: a result with the same CWE in the same file whose line range overlaps, or is at
 *      most LINE_TOLERANCE line(s) away from, the range of a finding already kept (mcp-risk's own
 *      first, then earlier imports) is folded into the closest one, which gets a note and the tag
 *      `corroborated`. One finding absorbs at most one result per rule of each analyzer, so two real
 *      issues on neighbouring lines stay two. Results of one rule at the same place are counted once;
 *   5. marks the rest with `tool` (the analyzer's name) and the tag `imported`, with a stable id
 *      (hash of analyzer, rule, CWE, location and trace);
 *   6. keeps results without CWE or location in `unmapped` (and says so in a warning).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { compareFindings } from '../analysis/findings.js';
import { redactSecrets } from '../analysis/rules/secrets.js';
import type { Finding, Location, PrimitiveRef, TraceStep, UnmappedFinding, Warning } from '../model.js';
import { parseBandit } from './bandit.js';
import { plural } from '../report/common.js';
import { tableCwe } from './cwe-table.js';
import { parseSarif } from './sarif.js';
import { ImportFormatError, type ParsedImport, type RawPlace, type RawResult } from './types.js';

export { BANDIT_CWE, CODEQL_CWE, SEMGREP_CWE, tableCwe } from './cwe-table.js';
export { parseBandit } from './bandit.js';
export { parseSarif, severityFromScore, uriToPath } from './sarif.js';
export { ImportFormatError, type ParsedImport, type RawResult, type RawPlace, type RawStep } from './types.js';

/** Lines between two places that still count as "the same place" (see the module comment). */
export const LINE_TOLERANCE = 1;

export type ImportKind = 'sarif' | 'bandit';

/** One import file, parsed from JSON. `name` is used in messages (the path the user gave). */
export interface ImportDoc {
  kind: ImportKind;
  name: string;
  data: unknown;
}

export interface ImportContext {
  /** mcp-risk's own findings (final, with ids): imports are de-duplicated against them. */
  own?: readonly Finding[];
  /** The target's files (relative, forward slashes). Without it, paths are kept as written. */
  files?: readonly string[];
  /** Absolute root of the target, to make absolute paths relative. */
  root?: string;
  /** The primitive whose handler contains a line (src/mcp/surface.ts `primitiveAt`). */
  primitiveAt?: (file: string, line: number) => PrimitiveRef | undefined;
  /** The source text of lines `line..endLine` of a target file, for snippets. */
  lines?: (file: string, line: number, endLine: number) => string | undefined;
  /** Whether the knowledge base has this CWE as a weakness (to prefer it among several). */
  knownCwe?: (cwe: number) => boolean;
}

/** An imported result folded into an existing finding. */
export interface MergedImport {
  findingId: string;
  tool: string;
  ruleId: string;
  location: Location;
}

/** What became of every result read (they add up: nothing is dropped without being counted). */
export interface ImportCounts {
  /** Results read (after `skipped`). */
  results: number;
  /** Left out on purpose by the file itself (suppressed, baseline `absent`, kind pass/…). */
  skipped: number;
  imported: number;
  merged: number;
  unmapped: number;
  /** Same analyzer, rule, CWE and place as a result already counted. */
  repeated: number;
  /** In files outside the scanned target, or whose path matches several files of it. */
  outside: number;
}

export interface ImportResult {
  /** Own findings (corroborated ones with a note) and the imported ones, sorted like mcp-risk's own. */
  findings: Finding[];
  /** The imported findings alone. */
  imported: Finding[];
  merged: MergedImport[];
  unmapped: UnmappedFinding[];
  warnings: Warning[];
  counts: ImportCounts;
}

/** Parses the text of an import file. Throws ImportFormatError on invalid JSON or format. */
export function parseImportText(text: string, kind: ImportKind, name: string): ImportDoc {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ImportFormatError(`${name} is not valid JSON (${(e as Error).message})`);
  }
  // check the format now, so that a wrong file is reported before the scan runs
  if (kind === 'sarif') parseSarif(data, name);
  else parseBandit(data, name);
  return { kind, name, data };
}

function parse(doc: ImportDoc): ParsedImport {
  return doc.kind === 'sarif' ? parseSarif(doc.data, doc.name) : parseBandit(doc.data, doc.name);
}

// ---------------------------------------------------------------------------------------------
// Paths

/** `./a//b/../c` → `a/c`; backslashes → slashes. */
function normalize(p: string): string {
  const s = path.posix.normalize(p.replace(/\\/g, '/'));
  return s.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

type Resolved = { file: string; status: 'ok' | 'outside' | 'ambiguous' };

class PathResolver {
  private readonly set: Set<string> | undefined;
  private readonly cache = new Map<string, Resolved>();
  constructor(
    private readonly files: readonly string[] | undefined,
    private readonly root: string | undefined,
  ) {
    this.set = files ? new Set(files) : undefined;
  }

  resolve(raw: string): Resolved {
    let r = this.cache.get(raw);
    if (!r) {
      r = this.compute(raw);
      this.cache.set(raw, r);
    }
    return r;
  }

  private compute(raw: string): Resolved {
    let p = normalize(raw);
    if (isAbsolute(p) && this.root) {
      const rel = path.posix.relative(normalize(this.root.replace(/\\/g, '/')), p);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) p = rel;
    }
    if (!this.set || !this.files) return { file: p, status: 'ok' };
    if (this.set.has(p)) return { file: p, status: 'ok' };
    // the tool ran from a folder above the target: the longest target file the path ends with
    let best: string | undefined;
    for (const f of this.files) if (p.endsWith(`/${f}`) && (!best || f.length > best.length)) best = f;
    if (best) return { file: best, status: 'ok' };
    // the tool ran from a folder inside the target: the one target file ending with the path
    if (!isAbsolute(p) && !p.startsWith('..')) {
      const hits = this.files.filter((f) => f.endsWith(`/${p}`));
      if (hits.length === 1) return { file: hits[0]!, status: 'ok' };
      if (hits.length > 1) return { file: p, status: 'ambiguous' };
    }
    return { file: p, status: 'outside' };
  }
}

// ---------------------------------------------------------------------------------------------
// Building findings

function hash(parts: readonly (string | number)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${String(p)}\u0000`);
  return h.digest('hex').slice(0, 16);
}

function locationOf(file: string, p: RawPlace): Location {
  const line = p.line ?? 1;
  const loc: Location = { file, line, column: p.column ?? 1 };
  if (p.endLine !== undefined && p.endLine >= line) loc.endLine = p.endLine;
  if (p.endColumn !== undefined) loc.endColumn = p.endColumn;
  return loc;
}

/** At most 3 lines of at most 200 characters, secrets redacted. */
function cutSnippet(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').slice(0, 3);
  return redactSecrets(lines.map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l)).join('\n').replace(/\s+$/, ''));
}

function snippetFor(loc: Location, raw: string | undefined, ctx: ImportContext): string {
  const end = Math.min(loc.endLine ?? loc.line, loc.line + 2);
  const fromSource = ctx.lines?.(loc.file, loc.line, end);
  if (fromSource !== undefined) return cutSnippet(fromSource);
  return raw !== undefined ? cutSnippet(raw) : '';
}

/** The CWE to score a result with, and where it came from. */
function chooseCwe(r: RawResult, ctx: ImportContext): { cwe?: number; from?: string; others: number[] } {
  const table = tableCwe(r.ruleId, r.tool);
  if (r.cwes.length === 0) return table !== undefined ? { cwe: table, from: `mcp-risk's table of well-known rule ids`, others: [] } : { others: [] };
  let cwe = r.cwes[0]!;
  if (r.cwes.length > 1) {
    if (table !== undefined && r.cwes.includes(table)) cwe = table;
    else if (ctx.knownCwe) cwe = r.cwes.find((c) => ctx.knownCwe!(c)) ?? cwe;
  }
  return { cwe, from: r.cweFrom, others: r.cwes.filter((c) => c !== cwe) };
}

/** The order of mcp-risk's own findings (analysis/findings.ts). */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort(compareFindings);
}

/** Lines between two ranges (0 when they overlap). */
function lineGap(a: Location, b: Location): number {
  const a0 = a.line;
  const a1 = Math.max(a.line, a.endLine ?? a.line);
  const b0 = b.line;
  const b1 = Math.max(b.line, b.endLine ?? b.line);
  if (a1 < b0) return b0 - a1;
  if (b1 < a0) return a0 - b1;
  return 0;
}

/** Imports the documents' results into `ctx.own` (see the module comment). Pure and deterministic. */
export function importFindings(docs: readonly ImportDoc[], ctx: ImportContext = {}): ImportResult {
  const resolver = new PathResolver(ctx.files, ctx.root);
  const warnings: Warning[] = [];
  const kept: Finding[] = (ctx.own ?? []).map((f) => ({ ...f, tags: [...f.tags], ...(f.notes ? { notes: [...f.notes] } : {}) }));
  const absorbed = new Set<string>(); // `${index of kept}|${tool}|${rule}`
  const imported: Finding[] = [];
  const merged: MergedImport[] = [];
  const unmapped: UnmappedFinding[] = [];
  const seen = new Set<string>();
  const seenUnmapped = new Set<string>();
  const counts: ImportCounts = { results: 0, skipped: 0, imported: 0, merged: 0, unmapped: 0, repeated: 0, outside: 0 };

  for (const doc of docs) {
    const parsed = parse(doc);
    const base = doc.name;
    counts.results += parsed.results.length;
    counts.skipped += parsed.skipped;
    for (const n of parsed.notices) warnings.push({ code: n.code, message: `${base}: ${n.message}` });
    if (parsed.skipped) warnings.push({ code: 'import-skipped', message: `${base}: ${plural(parsed.skipped, 'result')} suppressed in source, absent from the baseline or not a problem (kind pass/notApplicable/informational): not imported` });
    const outside: string[] = [];
    let outsideCount = 0;
    const ambiguous: string[] = [];
    let unmappedCount = 0;

    for (const r of parsed.results) {
      let loc: Location | undefined;
      if (r.place && r.place.path !== '') {
        const res = resolver.resolve(r.place.path);
        if (res.status !== 'ok') {
          counts.outside++;
          if (res.status === 'outside') {
            outsideCount++;
            if (outside.length < 3 && !outside.includes(res.file)) outside.push(res.file);
          } else if (!ambiguous.includes(res.file)) ambiguous.push(res.file);
          continue;
        }
        loc = locationOf(res.file, r.place);
      }
      const primitive: PrimitiveRef = (loc && ctx.primitiveAt?.(loc.file, loc.line)) || { kind: 'protocol' };
      const { cwe, from, others } = chooseCwe(r, ctx);

      if (cwe === undefined || loc === undefined) {
        const reason = loc === undefined ? 'no-location' : 'no-cwe';
        const id = hash(['unmapped', r.tool, r.ruleId, loc ? `${loc.file}:${loc.line}:${loc.column}` : '', r.message]);
        if (seenUnmapped.has(id)) {
          counts.repeated++;
          continue;
        }
        seenUnmapped.add(id);
        unmappedCount++;
        const u: UnmappedFinding = {
          id,
          tool: r.tool,
          ruleId: r.ruleId,
          title: r.title,
          message: r.message,
          severity: r.severity,
          confidence: r.confidence,
          primitive,
          reason,
        };
        if (loc) {
          u.location = loc;
          const snippet = snippetFor(loc, r.place?.snippet, ctx);
          if (snippet) u.snippet = snippet;
        }
        unmapped.push(u);
        continue;
      }

      // one result per rule, CWE and place
      const key = [r.tool, r.ruleId, cwe, loc.file, loc.line, loc.column].join('|');
      if (seen.has(key)) {
        counts.repeated++;
        continue;
      }
      seen.add(key);

      // de-duplicate against what is kept: same CWE, same file, close lines; the closest wins
      let best = -1;
      let bestGap = Infinity;
      kept.forEach((f, i) => {
        if (f.cwe !== cwe || f.location.file !== loc!.file || absorbed.has(`${i}|${r.tool}|${r.ruleId}`)) return;
        const gap = lineGap(f.location, loc!);
        if (gap <= LINE_TOLERANCE && gap < bestGap) {
          best = i;
          bestGap = gap;
        }
      });
      if (best >= 0) {
        const f = kept[best]!;
        absorbed.add(`${best}|${r.tool}|${r.ruleId}`);
        if (!f.tags.includes('corroborated')) f.tags.push('corroborated');
        f.notes = [...(f.notes ?? []), `Also reported by ${r.tool} (rule ${r.ruleId}) at ${loc.file}:${loc.line}:${loc.column}.`];
        merged.push({ findingId: f.id, tool: r.tool, ruleId: r.ruleId, location: loc });
        continue;
      }

      let trace: TraceStep[] | undefined;
      if (r.trace) {
        trace = r.trace.map((s, i, all) => {
          const res = resolver.resolve(s.place.path);
          const sl = locationOf(res.file, s.place);
          const step: TraceStep = {
            kind: i === 0 ? 'source' : i === all.length - 1 ? 'sink' : 'step',
            location: sl,
            label: s.label.trim() || (i === 0 ? 'source' : i === all.length - 1 ? 'sink' : 'step'),
          };
          const snippet = res.status === 'ok' ? snippetFor({ ...sl, endLine: sl.line }, s.place.snippet, ctx) : s.place.snippet !== undefined ? cutSnippet(s.place.snippet) : '';
          if (snippet) step.snippet = snippet;
          return step;
        });
      }
      const id = hash(['import', r.tool, r.ruleId, cwe, `${loc.file}:${loc.line}:${loc.column}`, ...(trace ?? []).map((t) => `${t.kind}:${t.location.file}:${t.location.line}:${t.location.column}`)]);
      const notes = [`Imported from ${r.tool} (rule ${r.ruleId}); CWE-${cwe} from ${from ?? 'the rule'}.`];
      if (others.length) notes.push(`The rule also names ${others.map((c) => `CWE-${c}`).join(', ')}.`);
      const f: Finding = {
        id,
        ruleId: r.ruleId,
        title: r.title,
        cwe,
        severity: r.severity,
        confidence: r.confidence,
        message: r.message,
        fix: r.fix ?? `See the documentation of ${r.tool} rule ${r.ruleId}.`,
        location: loc,
        snippet: snippetFor(loc, r.place?.snippet, ctx),
        primitive,
        tags: ['imported'],
        notes,
        tool: r.tool,
      };
      if (trace) f.trace = trace;
      kept.push(f);
      imported.push(f);
    }

    if (outsideCount) warnings.push({ code: 'import-outside-target', message: `${base}: ${plural(outsideCount, 'result')} in files that are not part of the scanned target (${outside.join(', ')}${outsideCount > outside.length ? ', …' : ''}): not counted` });
    for (const p of ambiguous) warnings.push({ code: 'import-ambiguous-path', message: `${base}: the path ${p} matches several files of the target: its results are not counted` });
    if (unmappedCount) warnings.push({ code: 'import-unmapped', message: `${base}: ${plural(unmappedCount, 'result')} without a CWE or a location: listed as unmapped, not scored` });
  }

  counts.imported = imported.length;
  counts.merged = merged.length;
  counts.unmapped = unmapped.length;
  return { findings: sortFindings([...kept]), imported, merged, unmapped, warnings, counts };
}
