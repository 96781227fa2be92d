/**
 * `mcp-risk scan <target> --import semgrep.sarif --import codeql.sarif` end to end: the SARIF fixtures
 * describe test/fixtures/imports/ts-server as Semgrep (run from a monorepo root) and CodeQL write it.
 * Also the command-line errors for unreadable or invalid import files.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import type { Assessment } from '../../src/model.js';
import { toJsonValue } from '../../src/report/index.js';
import { assertNoCrashOutput, runCli } from '../cli/run.js';
import { assessmentErrors, describeErrors } from '../output/validators.js';
import { fromRoot } from '../helpers.js';

const DIR = fromRoot('test', 'fixtures', 'imports');
const TS = path.join(DIR, 'ts-server');
const SEMGREP = path.join(DIR, 'semgrep.sarif');
const CODEQL = path.join(DIR, 'codeql.sarif');

describe('SARIF imports in a scan', () => {
  let a: Assessment;
  let plain: Assessment;
  before(async () => {
    a = await assess(TS, { imports: { sarif: [SEMGREP, CODEQL] } });
    plain = await assess(TS);
  });

  it('writes a valid JSON report with the unmapped results', () => {
    assert.deepEqual(assessmentErrors(toJsonValue(a)), [], describeErrors(assessmentErrors(toJsonValue(a))));
    assert.ok(Array.isArray(toJsonValue(a).unmapped));
    assert.equal(toJsonValue(plain).unmapped, undefined, 'no imports, no unmapped section');
  });

  it('keeps mcp-risk’s own findings, with the same ids, noting who else found them', () => {
    for (const f of plain.findings) {
      const g = a.findings.find((x) => x.id === f.id);
      assert.ok(g, `own finding ${f.id} kept`);
      assert.equal(g.cwe, f.cwe);
    }
    const exec = a.findings.find((f) => f.cwe === 78 && f.tool === undefined && f.location.line === 21);
    assert.ok(exec, 'mcp-risk finds the command injection in grep_notes');
    assert.ok(exec.tags.includes('corroborated'));
    assert.match(exec.notes!.join('\n'), /Also reported by Semgrep OSS \(rule javascript\.lang\.security\.detect-child-process\.detect-child-process\)/);
    assert.match(exec.notes!.join('\n'), /Also reported by CodeQL \(rule js\/command-line-injection\)/);
    assert.ok(!a.findings.some((f) => f.tool !== undefined && f.cwe === 78), 'no duplicate CWE-78 from the imports');
  });

  it('adds what only the other analyzers found, attached to the tool whose handler holds it', () => {
    const imported = a.findings.filter((f) => f.tool !== undefined);
    const summary = imported.map((f) => [f.tool, f.ruleId, f.cwe, f.location.file, f.location.line, f.primitive.name]).sort();
    assert.deepEqual(summary, [
      ['CodeQL', 'js/regex-injection', 730, 'src/index.ts', 41, 'match_lines'],
      ['CodeQL', 'js/remote-property-injection', 250, 'src/index.ts', 53, 'get_setting'],
      ['Semgrep OSS', 'javascript.lang.security.audit.detect-non-literal-regexp.detect-non-literal-regexp', 1333, 'src/index.ts', 41, 'match_lines'],
    ]);
    for (const f of imported) {
      assert.ok(f.tags.includes('imported'));
      assert.match(f.snippet, /\S/, 'snippet read from the source');
    }
    const regex = imported.find((f) => f.ruleId === 'js/regex-injection')!;
    assert.equal(regex.trace?.length, 2);
    assert.equal(regex.trace![0]!.kind, 'source');
    assert.equal(regex.severity, 'high');
  });

  it('scores every finding, imported ones included, with both models', () => {
    assert.deepEqual(a.risk!.findings.map((r) => r.findingId).sort(), a.findings.map((f) => f.id).sort());
    assert.equal(a.risk!.server.mcpInSos.N, a.findings.length);
    const r730 = a.risk!.findings.find((r) => r.cwe === 730)!;
    assert.ok(r730.mcpInSos.R > 0);
    assert.ok(a.risk!.server.mcpInSos.R_overall > plain.risk!.server.mcpInSos.R_overall, 'more weaknesses, more risk');
  });

  it('lists results without CWE as unmapped, attached, never dropped', () => {
    assert.deepEqual(
      a.unmapped!.map((u) => [u.tool, u.ruleId, u.reason, u.location?.file, u.primitive.name ?? u.primitive.kind]).sort(),
      [
        ['CodeQL', 'js/unused-local-variable', 'no-cwe', 'src/settings.ts', 'protocol'],
        ['Semgrep OSS', 'javascript.lang.security.audit.detect-bracket-object-injection.detect-bracket-object-injection', 'no-cwe', 'src/index.ts', 'get_setting'],
      ],
    );
  });

  it('warns about results outside the target and suppressed ones', () => {
    const codes = a.warnings.map((w) => w.code);
    assert.ok(codes.includes('import-outside-target'));
    assert.ok(codes.includes('import-skipped'));
    assert.ok(codes.includes('import-unmapped'));
    assert.equal(a.partial, plain.partial, 'imports do not make the result partial');
  });

  it('gives the same report twice', async () => {
    const b = await assess(TS, { imports: { sarif: [SEMGREP, CODEQL] } });
    assert.deepEqual(toJsonValue(b), toJsonValue(a));
  });
});

describe('import files on the command line', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'mcp-risk-import-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const notJson = path.join(tmp, 'broken.sarif');
  writeFileSync(notJson, '{"version": "2.1.0", "runs": [');
  const oldSarif = path.join(tmp, 'old.sarif');
  writeFileSync(oldSarif, JSON.stringify({ version: '1.0.0', runs: [] }));

  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['--import', path.join(tmp, 'nope.sarif')], /cannot read import file .*nope\.sarif/],
    ['invalid JSON', ['--import', notJson], /broken\.sarif is not valid JSON/],
    ['an old SARIF version', ['--import', oldSarif], /old\.sarif is SARIF 1\.0\.0; only SARIF 2\.1\.0 is read/],
    ['SARIF given as Bandit', ['--import-bandit', SEMGREP], /is a SARIF log, not Bandit JSON: pass it with --import/],
    ['Bandit given as SARIF', ['--import', path.join(DIR, 'bandit-1.6.2.json')], /is not a SARIF log/],
  ];
  for (const [what, args, re] of cases) {
    it(`exits 2 with a clear message for ${what}`, async () => {
      const r = await runCli(['scan', TS, ...args]);
      assertNoCrashOutput(r, what);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
    });
  }

  it('reads repeated --import and --import-bandit options', async () => {
    const r = await runCli(['scan', TS, '--import', SEMGREP, '--import', CODEQL, '-f', 'json', '--fail-on', 'none']);
    assertNoCrashOutput(r, 'scan with imports');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: { tool?: string }[]; unmapped: unknown[] };
    assert.deepEqual([...new Set(doc.findings.map((f) => f.tool).filter(Boolean))].sort(), ['CodeQL', 'Semgrep OSS']);
    assert.equal(doc.unmapped.length, 2);
  });

  it('rejects a --link-base that is not an http(s) URL', async () => {
    const r = await runCli(['scan', TS, '-f', 'markdown', '--link-base', 'javascript:alert(1)//']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--link-base must be an http\(s\) URL/);
  });
});
