/**
 * `npm run bench:corpus`: fetch the real packages of ../shared/corpus/dev-cases.json (npm, pinned, cached in
 * bench/.cache) and print, per case, what mcp-risk found against what is known (bench/corpus-expectations.json):
 * every vulnerable case found at the right place, no fixed finding on a fixed twin, negatives explained.
 * Exit code 1 when an expectation fails.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assess } from '../src/assess.js';
import type { Assessment, Finding } from '../src/model.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const shared = path.resolve(root, '..', 'shared');
const cacheDir = path.join(root, 'bench', '.cache');

interface Expect {
  cwe: number;
  file: string;
  line: number;
  tool?: string;
  traceLine?: number;
  tags?: string[];
  source?: string;
  note?: string;
  why?: string;
}
interface CaseExp {
  expect?: Expect[];
  forbid?: number[];
  allow?: { cwe: number; why: string }[];
  maxFindings?: number;
}

const dev = JSON.parse(readFileSync(path.join(shared, 'corpus', 'dev-cases.json'), 'utf8')) as { cases: { spec: string; kind: string; weaknesses?: { cwe: number }[] }[] };
const exps = JSON.parse(readFileSync(path.join(root, 'bench', 'corpus-expectations.json'), 'utf8')) as { cases: Record<string, CaseExp> };

function matches(f: Finding, e: Expect): boolean {
  if (f.cwe !== e.cwe || f.location.file !== e.file || f.location.line !== e.line) return false;
  if (e.tool && f.primitive.name !== e.tool) return false;
  if (e.traceLine && !(f.trace ?? []).some((t) => t.location.line === e.traceLine)) return false;
  if (e.tags && !e.tags.every((t) => f.tags.includes(t))) return false;
  if (e.source && f.source?.kind !== e.source) return false;
  if (e.note && !(f.notes ?? []).some((n) => n.toLowerCase().includes(e.note!.toLowerCase()))) return false;
  return true;
}

const significant = (a: Assessment) => a.findings.filter((f) => f.severity !== 'info');

let failures = 0;
const rows: string[][] = [['case', 'kind', 'files', 'lines', 'ms', 'findings', 'verdict']];
const details: string[] = [];
const results: unknown[] = [];
for (const c of dev.cases) {
  const exp = exps.cases[c.spec] ?? {};
  const t0 = performance.now();
  let a: Assessment;
  try {
    a = await assess(c.spec, { cacheDir });
  } catch (e) {
    failures++;
    rows.push([c.spec, c.kind, '-', '-', '-', '-', `ERROR ${(e as Error).message}`]);
    continue;
  }
  const ms = Math.round(performance.now() - t0);
  const sig = significant(a);
  const problems: string[] = [];
  const lines: string[] = [];
  for (const e of exp.expect ?? []) {
    const hit = sig.find((f) => matches(f, e));
    if (hit) lines.push(`  found    CWE-${e.cwe} ${e.file}:${e.line}${e.tool ? ` tool ${e.tool}` : ''}${e.traceLine ? ` (trace via line ${e.traceLine})` : ''} [${hit.tags.join(',')}]${e.why ? ` — ${e.why}` : ''}`);
    else problems.push(`missing  CWE-${e.cwe} ${e.file}:${e.line}${e.tool ? ` tool ${e.tool}` : ''}`);
  }
  for (const cwe of exp.forbid ?? []) {
    const bad = sig.filter((f) => f.cwe === cwe);
    if (bad.length) problems.push(`fixed twin still has CWE-${cwe}: ${bad.map((f) => `${f.location.file}:${f.location.line}`).join(', ')}`);
    else lines.push(`  absent   CWE-${cwe} (fixed)`);
  }
  if (c.kind === 'negative') {
    const allowed = new Set((exp.allow ?? []).map((x) => x.cwe));
    const unexplained = sig.filter((f) => !allowed.has(f.cwe));
    if (exp.maxFindings !== undefined && unexplained.length > exp.maxFindings) problems.push(`negative case has ${unexplained.length} unexplained findings: ${unexplained.map((f) => `CWE-${f.cwe} ${f.location.file}:${f.location.line}`).join(', ')}`);
    else if (unexplained.length) problems.push(`unexplained: ${unexplained.map((f) => `CWE-${f.cwe} ${f.location.file}:${f.location.line}`).join(', ')}`);
    for (const al of exp.allow ?? []) {
      const n = sig.filter((f) => f.cwe === al.cwe).length;
      if (n) lines.push(`  explained CWE-${al.cwe} ×${n}: ${al.why}`);
    }
  }
  // also: every advisory weakness class is represented
  for (const w of c.weaknesses ?? []) if (!sig.some((f) => f.cwe === w.cwe)) problems.push(`advisory weakness CWE-${w.cwe} not reported`);
  const verdict = problems.length ? 'FAIL' : 'ok';
  if (problems.length) failures++;
  rows.push([c.spec, c.kind, String(a.stats.files), String(a.stats.lines), String(ms), `${sig.length} (+${a.findings.length - sig.length} info)`, verdict]);
  details.push(`${c.spec} (${c.kind})`, ...lines, ...problems.map((p) => `  PROBLEM  ${p}`));
  results.push({ spec: c.spec, kind: c.kind, files: a.stats.files, lines: a.stats.lines, ms, findings: sig.length, info: a.findings.length - sig.length, verdict, problems });
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
for (const r of rows) console.log(r.map((x, i) => x.padEnd(widths[i]!)).join('  '));
console.log('');
for (const d of details) console.log(d);
console.log(`\n${dev.cases.length - failures} passed, ${failures} failed`);
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', 'corpus.json'), `${JSON.stringify(results, null, 2)}\n`);
process.exitCode = failures ? 1 : 0;
