/**
 * Reading Bandit's JSON report (`bandit -f json -r <dir>`) into raw results.
 *
 * Fields read per entry of `results`: `filename`, `line_number`, `line_range`, `col_offset` and
 * `end_col_offset` (0-based; Bandit ≥ 1.7.1), `test_id`, `test_name`, `issue_severity`,
 * `issue_confidence` (HIGH/MEDIUM/LOW/UNDEFINED), `issue_text`, `issue_cwe` (`{id, link}`, Bandit ≥
 * 1.7.3; older versions such as Debian 12's 1.6.2 write none and the import stage takes the CWE from
 * cwe-table.ts), `more_info`, `code` (numbered lines, used as the snippet when the file cannot be
 * read). Entries of `errors` (files Bandit could not scan) become notices. `# nosec` lines never
 * reach the report, so nothing is skipped here.
 */
import type { Confidence, Severity } from '../model.js';
import { ImportFormatError, asArr, asObj, asPosInt, asStr, cweOf, type ParsedImport, type RawNotice, type RawPlace, type RawResult } from './types.js';

const SEVERITY: Readonly<Record<string, Severity>> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', UNDEFINED: 'info' };
const CONFIDENCE: Readonly<Record<string, Confidence>> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', UNDEFINED: 'low' };

/** The lines of Bandit's `code` field (`"12 text\n13 text\n"`) between `from` and `to`, numbers removed. */
function codeLines(code: string, from: number, to: number): string | undefined {
  const out: string[] = [];
  for (const l of code.split('\n')) {
    const m = /^(\d+)[ \t](.*)$/.exec(l);
    if (!m) continue;
    const n = Number(m[1]);
    if (n >= from && n <= to) out.push(m[2]!);
  }
  return out.length ? out.join('\n') : undefined;
}

function title(testId: string, testName: string): string {
  const name = testName === 'blacklist' ? 'blacklisted call or import' : testName.replace(/_/g, ' ');
  return `${testId}: ${name}`;
}

/** Reads a parsed Bandit JSON report. Throws ImportFormatError when it is not one. */
export function parseBandit(doc: unknown, name = 'Bandit report'): ParsedImport {
  const o = asObj(doc);
  if (o && Array.isArray(o.runs)) throw new ImportFormatError(`${name} is a SARIF log, not Bandit JSON: pass it with --import`);
  if (!o || !Array.isArray(o.results)) throw new ImportFormatError(`${name} is not a Bandit JSON report (no "results" array; run bandit -f json)`);
  const results: RawResult[] = [];
  const notices: RawNotice[] = [];
  for (const e of asArr(o.errors)) {
    const err = asObj(e);
    if (err) notices.push({ code: 'import-tool-error', message: `Bandit could not scan ${asStr(err.filename) ?? 'a file'}: ${asStr(err.reason) ?? 'error'}` });
  }
  o.results.forEach((x, i) => {
    const r = asObj(x);
    if (!r) throw new ImportFormatError(`${name}: results[${i}] is not an object`);
    const testId = asStr(r.test_id);
    if (!testId) throw new ImportFormatError(`${name}: results[${i}] has no test_id`);
    const testName = asStr(r.test_name) ?? '';
    const filename = asStr(r.filename);
    const line = asPosInt(r.line_number) ?? 1;
    const range = asArr(r.line_range).map(asPosInt).filter((n): n is number => n !== undefined);
    const endLine = Math.max(line, ...range);
    let place: RawPlace | undefined;
    if (filename) {
      place = { path: filename.replace(/\\/g, '/'), line };
      const col = typeof r.col_offset === 'number' && r.col_offset >= 0 ? Math.floor(r.col_offset) + 1 : undefined;
      if (col !== undefined) place.column = col;
      if (endLine > line) place.endLine = endLine;
      const endCol = typeof r.end_col_offset === 'number' && r.end_col_offset > 0 ? Math.floor(r.end_col_offset) + 1 : undefined;
      if (endCol !== undefined) place.endColumn = endCol;
      const code = asStr(r.code);
      const snippet = code ? codeLines(code, line, Math.min(endLine, line + 2)) : undefined;
      if (snippet !== undefined) place.snippet = snippet;
    }
    const cweId = cweOf(asObj(r.issue_cwe)?.id);
    const moreInfo = asStr(r.more_info);
    const res: RawResult = {
      tool: 'Bandit',
      ruleId: testId,
      title: title(testId, testName),
      message: (asStr(r.issue_text) ?? testName).trim(),
      severity: SEVERITY[(asStr(r.issue_severity) ?? '').toUpperCase()] ?? 'medium',
      confidence: CONFIDENCE[(asStr(r.issue_confidence) ?? '').toUpperCase()] ?? 'medium',
      cwes: cweId !== undefined ? [cweId] : [],
    };
    if (cweId !== undefined) res.cweFrom = 'issue_cwe';
    if (moreInfo && /^https?:\/\//i.test(moreInfo)) res.fix = `See Bandit's documentation of ${testId}: ${moreInfo}`;
    if (place) res.place = place;
    results.push(res);
  });
  return { results, notices, skipped: 0 };
}
