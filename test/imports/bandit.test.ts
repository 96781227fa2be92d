/**
 * Bandit JSON: real output of Debian 12's Bandit 1.6.2 on test/fixtures/imports/py-server (no CWE in it:
 * the table fills it in), a report in the format of Bandit ≥ 1.7.3 (`issue_cwe`, columns, errors) built by
 * hand, and — when `bandit` is installed — Bandit run live on the Python fixtures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquire } from '../../src/acquire/index.js';
import { assess } from '../../src/assess.js';
import { BANDIT_CWE, ImportFormatError, importFindings, parseBandit } from '../../src/imports/index.js';
import type { Assessment } from '../../src/model.js';
import { toJsonValue } from '../../src/report/index.js';
import { assessmentErrors, describeErrors } from '../output/validators.js';
import { fromRoot } from '../helpers.js';

const DIR = fromRoot('test', 'fixtures', 'imports');
const PY = path.join(DIR, 'py-server');

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as unknown;
}

function banditAvailable(): boolean {
  const r = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** The one finding with this CWE whose lines cover `line` (own, or imported). */
function findingAt(a: Assessment, cwe: number, line: number) {
  const hits = a.findings.filter((f) => f.cwe === cwe && f.location.file === 'server.py' && f.location.line <= line && (f.location.endLine ?? f.location.line) >= line);
  assert.equal(hits.length, 1, `one CWE-${cwe} finding at server.py:${line}, got ${hits.length}: ${JSON.stringify(hits.map((f) => f.ruleId))}`);
  return hits[0]!;
}

describe('Bandit 1.6.2 (Debian 12) JSON', () => {
  const parsed = parseBandit(fixture('bandit-1.6.2.json'), 'bandit-1.6.2.json');

  it('reads every result, with no CWE of its own', () => {
    assert.equal(parsed.results.length, 9);
    assert.ok(parsed.results.every((r) => r.tool === 'Bandit' && r.cwes.length === 0));
    const b602 = parsed.results.find((r) => r.ruleId === 'B602')!;
    assert.equal(b602.severity, 'high');
    assert.equal(b602.confidence, 'high');
    assert.equal(b602.title, 'B602: subprocess popen with shell equals true');
    assert.deepEqual({ path: b602.place?.path, line: b602.place?.line, column: b602.place?.column }, { path: 'py-server/server.py', line: 18, column: undefined });
    assert.match(b602.place?.snippet ?? '', /subprocess\.check_output/);
    assert.doesNotMatch(b602.place?.snippet ?? '', /^18 /, 'line numbers of the code field are removed');
  });

  it('maps every result through the table, so nothing is unmapped', () => {
    const r = importFindings([{ kind: 'bandit', name: 'bandit-1.6.2.json', data: fixture('bandit-1.6.2.json') }], { files: ['server.py'] });
    assert.equal(r.unmapped.length, 0);
    const cwes = Object.fromEntries(r.findings.map((f) => [f.ruleId, f.cwe]));
    assert.deepEqual(cwes, { B403: 502, B404: 78, B602: 78, B301: 502, B303: 327, B506: 20, B607: 78, B110: 703 });
    // B607 and B603 report the same CWE-78 at the same line: one finding, the other noted
    assert.equal(r.merged.length, 1);
    assert.equal(r.counts.imported + r.counts.merged, 9);
  });
});

describe('Bandit ≥ 1.7.3 JSON (issue_cwe, columns, errors)', () => {
  const parsed = parseBandit(fixture('bandit-1.8.json'), 'bandit-1.8.json');

  it('reads issue_cwe, 0-based columns and the errors', () => {
    const b602 = parsed.results.find((r) => r.ruleId === 'B602')!;
    assert.deepEqual(b602.cwes, [78]);
    assert.equal(b602.cweFrom, 'issue_cwe');
    assert.equal(b602.place?.column, 12);
    assert.equal(b602.place?.endColumn, 71);
    assert.match(b602.place?.path ?? '', /^\/home\/runner\/work\/.*\/py-server\/server\.py$/);
    assert.equal(parsed.notices.length, 1);
    assert.match(parsed.notices[0]!.message, /Bandit could not scan .*legacy\.py: syntax error/);
  });

  it('a line or column beyond a 32-bit integer is not taken (it would be written as 1e+300, invalid SARIF)', () => {
    const doc = { results: [{ test_id: 'B602', filename: 'server.py', line_number: 1e300, line_range: [1e300], col_offset: 4 }, { test_id: 'B602', filename: 'server.py', line_number: 12, line_range: [12, 2 ** 40] }] };
    const p = parseBandit(doc, 'huge.json');
    assert.deepEqual(
      p.results.map((r) => [r.place?.line, r.place?.endLine]),
      [
        [1, undefined],
        [12, undefined],
      ],
    );
  });

  it('lists a result Bandit gives no CWE (B613) as unmapped', () => {
    const r = importFindings([{ kind: 'bandit', name: 'bandit-1.8.json', data: fixture('bandit-1.8.json') }], { files: ['server.py'] });
    assert.deepEqual(
      r.unmapped.map((u) => [u.ruleId, u.reason, u.location?.file]),
      [['B613', 'no-cwe', 'server.py']],
    );
    assert.ok(r.warnings.some((w) => w.code === 'import-tool-error'));
  });

  it('agrees with the table for the tests both know', () => {
    for (const r of parsed.results) if (r.cwes.length) assert.equal(BANDIT_CWE[r.ruleId], r.cwes[0], r.ruleId);
  });
});

describe('Bandit 1.6.2 on the Python fixture servers (test/fixtures/python-servers, committed output)', () => {
  const doc = fixture('bandit-python-servers.json') as { results: { filename: string; test_id: string; line_number: number }[] };

  it('maps every test id Bandit reports there to a CWE', () => {
    const files = [...new Set(doc.results.map((r) => r.filename))];
    const r = importFindings([{ kind: 'bandit', name: 'bandit-python-servers.json', data: doc }], { files });
    assert.ok(doc.results.length > 20);
    assert.deepEqual(r.unmapped, []);
    assert.equal(r.counts.imported + r.counts.merged + r.counts.repeated, doc.results.length);
  });

  it('scores the results of one server and leaves the other servers’ out, saying so', async (t) => {
    const withShell = doc.results.find((r) => r.test_id === 'B602' && existsSync(path.join(fromRoot('test', 'fixtures'), r.filename)));
    if (!withShell) {
      t.skip('the Python fixture servers changed: regenerate bandit-python-servers.json');
      return;
    }
    const server = withShell.filename.split('/').slice(0, 2).join('/');
    const a = await assess(fromRoot('test', 'fixtures', server), { imports: { bandit: [path.join(DIR, 'bandit-python-servers.json')] } });
    const file = withShell.filename.split('/').slice(2).join('/');
    const shell = a.findings.filter((f) => f.cwe === 78 && f.location.file === file && f.location.line <= withShell.line_number && (f.location.endLine ?? f.location.line) >= withShell.line_number);
    assert.equal(shell.length, 1, JSON.stringify(shell));
    assert.ok(a.warnings.some((w) => w.code === 'import-outside-target' && /not part of the scanned target/.test(w.message)));
    assert.deepEqual(a.risk!.findings.map((r) => r.findingId).sort(), a.findings.map((f) => f.id).sort());
  });
});

describe('Bandit format errors', () => {
  it('says what is wrong', () => {
    assert.throws(() => parseBandit({ version: '2.1.0', runs: [] }, 'x.sarif'), /x\.sarif is a SARIF log, not Bandit JSON: pass it with --import/);
    assert.throws(() => parseBandit({ errors: [] }, 'b.json'), /not a Bandit JSON report/);
    assert.throws(() => parseBandit({ results: [{ filename: 'a.py' }] }, 'b.json'), ImportFormatError);
  });
});

describe('Bandit findings in a scan', () => {
  it('scores them with the same models, attached and de-duplicated against mcp-risk', async () => {
    const a = await assess(PY, { imports: { bandit: [path.join(DIR, 'bandit-1.8.json')] } });
    assert.deepEqual(assessmentErrors(toJsonValue(a)), [], describeErrors(assessmentErrors(toJsonValue(a))));
    // every finding is scored
    assert.deepEqual(a.risk!.findings.map((r) => r.findingId).sort(), a.findings.map((f) => f.id).sort());
    // the shell injection in run_report is one finding, whoever found it first
    const shell = findingAt(a, 78, 18);
    if (shell.tool === 'Bandit') assert.equal(shell.ruleId, 'B602');
    else assert.match(shell.notes?.join(' ') ?? '', /Also reported by Bandit \(rule B602\)/);
    // a Bandit-only weakness inside a tool handler belongs to that tool (when the surface shows the tool)
    const md5 = a.findings.find((f) => f.tool === 'Bandit' && f.ruleId === 'B303')!;
    assert.equal(md5.cwe, 327);
    if (a.surface.tools.some((t) => t.name === 'fingerprint')) assert.deepEqual(md5.primitive, { kind: 'tool', name: 'fingerprint' });
    assert.ok(md5.tags.includes('imported'));
    // the unmapped one is listed, and the tool error is a warning
    assert.deepEqual(a.unmapped?.map((u) => u.ruleId), ['B613']);
    assert.ok(a.warnings.some((w) => w.code === 'import-tool-error'));
  });

  it('with Bandit run live', { timeout: 120_000 }, async (t) => {
    if (!banditAvailable()) {
      t.skip('bandit is not installed (apt-get install -y bandit)');
      return;
    }
    const targets = [PY];
    const pyFixtures = fromRoot('test', 'fixtures', 'python-servers');
    if (existsSync(pyFixtures)) {
      for (const d of readdirSync(pyFixtures).sort()) if (statSync(path.join(pyFixtures, d)).isDirectory()) targets.push(path.join(pyFixtures, d));
    }
    const tmp = mkdtempSync(path.join(tmpdir(), 'mcp-risk-bandit-'));
    t.after(() => rmSync(tmp, { recursive: true, force: true }));
    let total = 0;
    for (const dir of targets) {
      // run from the folder above, as a CI job in a monorepo would: paths carry a prefix
      const r = spawnSync('bandit', ['-f', 'json', '-q', '-r', path.basename(dir)], { cwd: path.dirname(dir), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      assert.ok(r.status === 0 || r.status === 1, `bandit failed on ${dir}: ${r.stderr}`);
      const out = path.join(tmp, `${path.basename(dir)}.json`);
      writeFileSync(out, r.stdout.slice(r.stdout.indexOf('{')));
      const doc = JSON.parse(readFileSync(out, 'utf8')) as { results: { filename: string; line_number: number; test_id: string }[] };
      const a = await assess(dir, { imports: { bandit: [out] } });
      const files = (await acquire(dir)).files.map((f) => f.path);
      // every result in a file of the target is a finding, a note on a finding, or listed as unmapped
      for (const res of doc.results) {
        const file = files.find((f) => res.filename === f || res.filename.endsWith(`/${f}`));
        if (!file) continue; // excluded by default (tests, vendored): counted in an import-outside-target warning
        const line = Math.max(1, res.line_number);
        const asFinding = a.findings.some((f) => f.tool === 'Bandit' && f.ruleId === res.test_id && f.location.file === file && f.location.line === line);
        const asNote = a.findings.some((f) => (f.notes ?? []).some((n) => n.startsWith(`Also reported by Bandit (rule ${res.test_id}) at ${file}:${line}:`)));
        const asUnmapped = (a.unmapped ?? []).some((u) => u.ruleId === res.test_id && u.location?.file === file && u.location.line === line);
        assert.ok(asFinding || asNote || asUnmapped, `${dir}: Bandit ${res.test_id} at ${file}:${line} was dropped`);
      }
      assert.deepEqual(a.risk!.findings.map((r) => r.findingId).sort(), a.findings.map((f) => f.id).sort());
      if (dir === PY) {
        findingAt(a, 78, 18);
        assert.ok(a.findings.some((f) => f.tool === 'Bandit'));
      }
      total += doc.results.length;
    }
    assert.ok(total > 0);
  });
});
