/**
 * Reading SARIF 2.1.0 of other analyzers: the files Semgrep and CodeQL write (fixtures built by hand
 * from their formats: test/fixtures/imports/semgrep.sarif, codeql.sarif), mcp-risk's own SARIF read back,
 * and the corners of the format (taxa, absolute file URIs, originalUriBaseIds, messageStrings,
 * suppressions, kinds, baseline states, wrong versions).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ImportFormatError, importFindings, parseImportText, parseSarif, severityFromScore, tableCwe } from '../../src/imports/index.js';
import { toSarif } from '../../src/report/index.js';
import { sampleAssessment } from '../report/sample.js';
import { fromRoot } from '../helpers.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(fromRoot('test', 'fixtures', 'imports', name), 'utf8')) as unknown;
}

describe('SARIF written by Semgrep', () => {
  const parsed = parseSarif(fixture('semgrep.sarif'), 'semgrep.sarif');

  it('reads every result that is not suppressed, and counts the suppressed one', () => {
    assert.equal(parsed.results.length, 5);
    assert.equal(parsed.skipped, 1);
    assert.ok(parsed.results.every((r) => r.tool === 'Semgrep OSS'));
  });

  it('takes the CWE from the "CWE-NNN: name" tags of the rule', () => {
    const byRule = new Map(parsed.results.map((r) => [r.ruleId.split('.').pop(), r]));
    assert.deepEqual(byRule.get('detect-child-process')?.cwes, [78]);
    assert.equal(byRule.get('detect-child-process')?.cweFrom, 'the rule tags');
    assert.deepEqual(byRule.get('detect-non-literal-regexp')?.cwes, [1333]);
    assert.deepEqual(byRule.get('path-join-resolve-traversal')?.cwes, [22]);
    assert.deepEqual(byRule.get('detect-bracket-object-injection')?.cwes, [], 'a rule without cwe metadata carries none');
  });

  it('takes severity from the rule level and confidence from the CONFIDENCE tag, not from precision "very-high"', () => {
    const exec = parsed.results.find((r) => r.ruleId.endsWith('detect-child-process') && r.place?.line === 21)!;
    assert.equal(exec.severity, 'high'); // defaultConfiguration.level error, no result level
    assert.equal(exec.confidence, 'low'); // LOW CONFIDENCE
    const bracket = parsed.results.find((r) => r.ruleId.endsWith('detect-bracket-object-injection'))!;
    assert.equal(bracket.severity, 'medium');
    assert.equal(bracket.confidence, 'medium', 'Semgrep precision says nothing');
  });

  it('gives rules without a real short description a title from their id', () => {
    const r = parsed.results.find((x) => x.ruleId.endsWith('detect-non-literal-regexp'))!;
    assert.equal(r.title, 'Detect non literal regexp');
  });

  it('reads the place, the snippet and a --dataflow-traces code flow', () => {
    const exec = parsed.results.find((r) => r.ruleId.endsWith('detect-child-process') && r.place?.line === 21)!;
    assert.deepEqual(
      { path: exec.place?.path, line: exec.place?.line, column: exec.place?.column, endLine: exec.place?.endLine, endColumn: exec.place?.endColumn },
      { path: 'services/notes-shell/src/index.ts', line: 21, column: 30, endLine: 21, endColumn: 71 },
    );
    assert.match(exec.place?.snippet ?? '', /execAsync/);
    assert.equal(exec.trace?.length, 3);
    assert.match(exec.trace![0]!.label, /^Source: 'pattern'/);
    assert.match(exec.trace![2]!.label, /^Sink: /);
  });
});

describe('SARIF written by CodeQL', () => {
  const parsed = parseSarif(fixture('codeql.sarif'), 'codeql.sarif');
  const by = (id: string) => parsed.results.find((r) => r.ruleId === id)!;

  it('finds rules in tool.extensions through result.rule.toolComponent', () => {
    assert.equal(parsed.results.length, 5);
    assert.equal(by('js/command-line-injection').title, 'Uncontrolled command line');
    assert.deepEqual(by('js/command-line-injection').cwes, [78, 88]);
    assert.deepEqual(by('js/path-injection').cwes, [22, 23, 36, 73, 99]);
    assert.deepEqual(by('js/unused-local-variable').cwes, []);
  });

  it('maps security-severity with GitHub bands, else the level', () => {
    assert.equal(by('js/command-line-injection').severity, 'critical'); // 9.8
    assert.equal(by('js/path-injection').severity, 'high'); // 7.5
    assert.equal(by('js/unused-local-variable').severity, 'low'); // note
    assert.equal(by('js/command-line-injection').confidence, 'high'); // precision high
    assert.equal(by('js/remote-property-injection').confidence, 'medium');
  });

  it('reduces embedded links to their text and takes the fix from the Recommendation section', () => {
    assert.equal(by('js/command-line-injection').message, 'This command line depends on a user-provided value.');
    assert.match(by('js/command-line-injection').fix ?? '', /^If possible, use hard-coded string literals/);
    assert.doesNotMatch(by('js/command-line-injection').fix ?? '', /## References/);
  });

  it('reads the code flow of a path-problem', () => {
    const t = by('js/command-line-injection').trace!;
    assert.equal(t.length, 3);
    assert.deepEqual(
      t.map((s) => [s.place.path, s.place.line]),
      [
        ['src/index.ts', 20],
        ['src/index.ts', 21],
        ['src/index.ts', 21],
      ],
    );
    assert.equal(by('js/unused-local-variable').trace, undefined);
  });
});

describe("mcp-risk's own SARIF read back", () => {
  it('takes each CWE from the rule relationships into the CWE taxonomy', () => {
    const a = sampleAssessment();
    const parsed = parseSarif(toSarif(a), 'mcp-risk.sarif');
    assert.equal(parsed.results.length, a.findings.length);
    parsed.results.forEach((r, i) => {
      assert.equal(r.tool, 'mcp-risk');
      assert.deepEqual(r.cwes, [a.findings[i]!.cwe]);
      assert.equal(r.cweFrom, 'the rule relationships');
      assert.equal(r.place?.path, a.findings[i]!.location.file);
      assert.equal(r.place?.line, a.findings[i]!.location.line);
    });
  });
});

/** A minimal SARIF log with one run. */
function log(run: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return { version: '2.1.0', runs: [{ tool: { driver: { name: 'Acme Scanner', rules: [{ id: 'R1', shortDescription: { text: 'Acme rule one' } }] } }, ...run }], ...extra };
}

describe('SARIF corners', () => {
  it('result taxa pointing into a CWE taxonomy by index', () => {
    const doc = log({
      taxonomies: [{ name: 'CWE', taxa: [{ id: '89' }, { id: '79' }] }],
      results: [{ ruleId: 'R1', message: { text: 'x' }, taxa: [{ index: 1, toolComponent: { index: 0 } }], locations: [] }],
    });
    const r = parseSarif(doc).results[0]!;
    assert.deepEqual(r.cwes, [79]);
    assert.equal(r.cweFrom, 'the result taxa');
    assert.equal(r.place, undefined);
  });

  it('cwe properties as strings, numbers or lists', () => {
    const doc = log({
      results: [
        { ruleId: 'R1', message: { text: 'a' }, properties: { cwe: 'CWE-918' } },
        { ruleId: 'R1', message: { text: 'b' }, properties: { cwe: ['CWE-022', 23] } },
        { ruleId: 'R1', message: { text: 'c' }, properties: { cwe: 'not a cwe', tags: ['OWASP-A03', 'security'] } },
      ],
    });
    assert.deepEqual(
      parseSarif(doc).results.map((r) => r.cwes),
      [[918], [22, 23], []],
    );
  });

  it('absolute file URIs, originalUriBaseIds and artifact indexes', () => {
    const doc = log({
      originalUriBaseIds: { SRC: { uri: 'file:///home/ci/work/repo/' } },
      artifacts: [{ location: { uri: 'lib/b%20c.ts', uriBaseId: 'SRC' } }],
      results: [
        { ruleId: 'R1', message: { text: 'a' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///home/ci/work/repo/src/a.ts' }, region: { startLine: 3 } } }] },
        { ruleId: 'R1', message: { text: 'b' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/x.ts', uriBaseId: 'SRC' }, region: { startLine: 4, startColumn: 2 } } }] },
        { ruleId: 'R1', message: { text: 'c' }, locations: [{ physicalLocation: { artifactLocation: { index: 0 }, region: { startLine: 5 } } }] },
      ],
    });
    assert.deepEqual(
      parseSarif(doc).results.map((r) => r.place?.path),
      ['/home/ci/work/repo/src/a.ts', '/home/ci/work/repo/src/x.ts', '/home/ci/work/repo/lib/b c.ts'],
    );
  });

  it('messages from messageStrings with arguments', () => {
    const doc = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'ESLint', rules: [{ id: 'security/detect-eval-with-expression', messageStrings: { default: { text: 'eval with argument of type {0} at [{1}](2)' } } }] } },
          results: [{ ruleId: 'security/detect-eval-with-expression', ruleIndex: 0, message: { id: 'default', arguments: ['Identifier', 'here'] } }],
        },
      ],
    };
    assert.equal(parseSarif(doc).results[0]!.message, 'eval with argument of type Identifier at here');
  });

  it('skips suppressed results (not rejected ones), absent baseline states and non-problem kinds', () => {
    const base = { ruleId: 'R1', message: { text: 'm' } };
    const doc = log({
      results: [
        { ...base, suppressions: [{ kind: 'external', status: 'accepted' }] },
        { ...base, suppressions: [{ kind: 'inSource' }] },
        { ...base, suppressions: [{ kind: 'external', status: 'rejected' }] },
        { ...base, baselineState: 'absent' },
        { ...base, baselineState: 'unchanged' },
        { ...base, kind: 'pass' },
        { ...base, kind: 'notApplicable' },
        { ...base, kind: 'informational' },
        { ...base, kind: 'review' },
      ],
    });
    const p = parseSarif(doc);
    assert.equal(p.results.length, 3);
    assert.equal(p.skipped, 6);
  });

  it('rejects what is not SARIF 2.1.0', () => {
    assert.throws(() => parseSarif({ version: '2.0.0', runs: [] }), ImportFormatError);
    assert.throws(() => parseSarif({ results: [] }), /not a SARIF log/);
    assert.throws(() => parseSarif([1, 2]), ImportFormatError);
    assert.throws(() => parseSarif({ version: '2.1.0', runs: [{ tool: {} }] }), /no tool.driver/);
    assert.throws(() => parseImportText('{"runs": [', 'sarif', 'bad.sarif'), /bad.sarif is not valid JSON/);
    assert.doesNotThrow(() => parseImportText('\uFEFF{"version":"2.1.0","runs":[]}', 'sarif', 'bom.sarif'));
  });

  it('GitHub security-severity bands', () => {
    assert.deepEqual(
      [9.8, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore),
      ['critical', 'critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'info'],
    );
  });
});

describe('the table of well-known rule ids', () => {
  it('covers Bandit, CodeQL and Semgrep ids', () => {
    assert.equal(tableCwe('B602', 'Bandit'), 78);
    assert.equal(tableCwe('B301'), 502);
    assert.equal(tableCwe('B613', 'Bandit'), undefined, 'Bandit gives trojansource no CWE');
    assert.equal(tableCwe('js/command-line-injection', 'CodeQL'), 78);
    assert.equal(tableCwe('py/path-injection', 'CodeQL'), 22);
    assert.equal(tableCwe('javascript.lang.security.detect-child-process.detect-child-process', 'Semgrep OSS'), 78);
    assert.equal(tableCwe('rules.custom.subprocess-shell-true', 'Semgrep OSS'), 78, 'last segment of a local config id');
    assert.equal(tableCwe('toString'), undefined);
    assert.equal(tableCwe('__proto__'), undefined);
    assert.equal(tableCwe('B999'), undefined);
  });

  it('fills in results whose rule names no CWE and picks among several', () => {
    const doc = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'CodeQL', rules: [{ id: 'js/zipslip' }, { id: 'js/remote-property-injection', properties: { tags: ['external/cwe/cwe-400', 'external/cwe/cwe-250'] } }, { id: 'js/odd', properties: { tags: ['external/cwe/cwe-9999', 'external/cwe/cwe-20'] } }] } },
          results: ['js/zipslip', 'js/remote-property-injection', 'js/odd'].map((ruleId, i) => ({
            ruleId,
            message: { text: ruleId },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js' }, region: { startLine: 10 * (i + 1) } } }],
          })),
        },
      ],
    };
    const r = importFindings([{ kind: 'sarif', name: 'c.sarif', data: doc }], { knownCwe: (c) => c !== 9999 });
    assert.deepEqual(
      r.imported.map((f) => [f.ruleId, f.cwe]),
      [
        ['js/zipslip', 22],
        ['js/remote-property-injection', 250],
        ['js/odd', 20],
      ],
    );
    assert.match(r.imported[0]!.notes![0]!, /from mcp-risk's table of well-known rule ids/);
    assert.match(r.imported[1]!.notes!.join(' '), /also names CWE-400/);
  });
});
