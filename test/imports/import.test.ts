/**
 * importFindings (pure): path resolution against the target, attribution to primitives, de-duplication
 * against mcp-risk's own findings (same CWE and place, ±LINE_TOLERANCE), stable ids, unmapped results
 * kept and counted, nothing dropped without a count.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LINE_TOLERANCE, importFindings, type ImportContext, type ImportDoc } from '../../src/imports/index.js';
import type { Finding, PrimitiveRef } from '../../src/model.js';

interface R {
  rule?: string;
  cwe?: number | null;
  uri?: string;
  line?: number;
  endLine?: number;
  message?: string;
  level?: string;
  trace?: [string, number][];
}

function sarif(tool: string, results: R[]): ImportDoc {
  return {
    kind: 'sarif',
    name: `${tool}.sarif`,
    data: {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: tool } },
          results: results.map((r) => ({
            ruleId: r.rule ?? 'rule-1',
            level: r.level ?? 'warning',
            message: { text: r.message ?? 'something is wrong' },
            ...(r.cwe === null ? {} : { properties: { cwe: `CWE-${r.cwe ?? 78}` } }),
            ...(r.uri === undefined && r.line === undefined
              ? {}
              : { locations: [{ physicalLocation: { artifactLocation: { uri: r.uri ?? 'src/a.ts' }, region: { startLine: r.line ?? 1, ...(r.endLine ? { endLine: r.endLine } : {}), snippet: { text: 'const x = run(y);' } } } }] }),
            ...(r.trace
              ? { codeFlows: [{ threadFlows: [{ locations: r.trace.map(([uri, line], i) => ({ location: { message: { text: `step ${i}` }, physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } } })) }] }] }
              : {}),
          })),
        },
      ],
    },
  };
}

function own(id: string, cwe: number, file: string, line: number, endLine?: number): Finding {
  return {
    id,
    ruleId: 'mcp-risk/command-flow',
    title: 'OS command injection',
    cwe,
    severity: 'critical',
    confidence: 'high',
    message: 'm',
    fix: 'f',
    location: { file, line, column: 5, ...(endLine ? { endLine } : {}) },
    snippet: 's',
    primitive: { kind: 'tool', name: 'run' },
    tags: ['injection'],
  };
}

const FILES = ['src/a.ts', 'src/b.ts', 'lib/util/a.ts', 'README.md'];
const primitiveAt = (file: string, line: number): PrimitiveRef | undefined => (file === 'src/a.ts' && line >= 10 && line <= 20 ? { kind: 'tool', name: 'run' } : undefined);
const ctx = (extra: Partial<ImportContext> = {}): ImportContext => ({ files: FILES, root: '/work/repo/pkg', primitiveAt, ...extra });

describe('paths', () => {
  it('resolves paths written from a parent folder, a sub-folder, as file URIs or absolute paths', () => {
    const doc = sarif('T', [
      { uri: 'src/a.ts', line: 1 },
      { uri: 'packages/pkg/src/b.ts', line: 2 }, // tool ran in the repository root
      { uri: 'util/a.ts', line: 3 }, // tool ran in lib/
      { uri: 'file:///work/repo/pkg/src/b.ts', line: 4 },
      { uri: './src//a.ts', line: 5 },
      { uri: 'file:///elsewhere/ci/pkg/lib/util/a.ts', line: 6 }, // another machine: the longest suffix
    ]);
    const r = importFindings([doc], ctx());
    assert.deepEqual(
      r.imported.map((f) => `${f.location.file}:${f.location.line}`),
      ['src/a.ts:1', 'src/b.ts:2', 'lib/util/a.ts:3', 'src/b.ts:4', 'src/a.ts:5', 'lib/util/a.ts:6'],
    );
    assert.equal(r.warnings.length, 0);
  });

  it('does not count results outside the target, says so, and flags ambiguous paths', () => {
    const doc = sarif('T', [
      { uri: 'other/service/x.ts', line: 1 },
      { uri: '../outside.ts', line: 1 },
      { uri: 'a.ts', line: 1 }, // src/a.ts or lib/util/a.ts
      { uri: 'src/a.ts', line: 1 },
    ]);
    const r = importFindings([doc], ctx());
    assert.equal(r.imported.length, 1);
    assert.equal(r.counts.outside, 3);
    const codes = r.warnings.map((w) => w.code).sort();
    assert.deepEqual(codes, ['import-ambiguous-path', 'import-outside-target']);
    assert.match(r.warnings.find((w) => w.code === 'import-outside-target')!.message, /T\.sarif: 2 results in files that are not part of the scanned target \(other\/service\/x\.ts, \.\.\/outside\.ts\)/);
  });

  it('keeps paths as written when no file list is given', () => {
    const r = importFindings([sarif('T', [{ uri: 'x/y.ts', line: 3 }])]);
    assert.equal(r.imported[0]!.location.file, 'x/y.ts');
  });
});

describe('findings', () => {
  it('attaches each result to the primitive whose handler holds it, marks it imported, and scores it as found', () => {
    const r = importFindings([sarif('Semgrep OSS', [{ line: 12, cwe: 89, level: 'error' }, { line: 30, cwe: 89 }])], ctx());
    const [a, b] = r.imported;
    assert.deepEqual(a!.primitive, { kind: 'tool', name: 'run' });
    assert.deepEqual(b!.primitive, { kind: 'protocol' });
    assert.equal(a!.tool, 'Semgrep OSS');
    assert.deepEqual(a!.tags, ['imported']);
    assert.equal(a!.severity, 'high');
    assert.equal(a!.cwe, 89);
    assert.match(a!.id, /^[0-9a-f]{16}$/);
    assert.notEqual(a!.id, b!.id);
  });

  it('turns a code flow into a trace, source first, sink last', () => {
    const r = importFindings([sarif('CodeQL', [{ line: 15, trace: [['src/a.ts', 11], ['src/b.ts', 3], ['src/a.ts', 15]] }])], ctx());
    const t = r.imported[0]!.trace!;
    assert.deepEqual(
      t.map((s) => [s.kind, s.location.file, s.location.line, s.label]),
      [
        ['source', 'src/a.ts', 11, 'step 0'],
        ['step', 'src/b.ts', 3, 'step 1'],
        ['sink', 'src/a.ts', 15, 'step 2'],
      ],
    );
  });

  it('reads snippets from the target when it can, redacting secrets', () => {
    const lines = (file: string, line: number): string | undefined => (file === 'src/a.ts' ? `const token = "ghp_${'A'.repeat(36)}"; // line ${line}` : undefined);
    const r = importFindings([sarif('T', [{ line: 12 }])], ctx({ lines }));
    assert.ok(!r.imported[0]!.snippet.includes('A'.repeat(36)), r.imported[0]!.snippet);
    assert.match(r.imported[0]!.snippet, /line 12/);
  });

  it('gives the same ids and output for the same input', () => {
    const docs = [sarif('T', [{ line: 12 }, { line: 14, cwe: 22 }, { line: 40, cwe: null }])];
    assert.deepEqual(importFindings(docs, ctx()), importFindings(docs, ctx()));
  });
});

describe('de-duplication against mcp-risk', () => {
  it(`folds a result with the same CWE within ${LINE_TOLERANCE} line into the own finding`, () => {
    const mine = [own('own1', 78, 'src/a.ts', 12, 13)];
    const r = importFindings([sarif('CodeQL', [{ line: 14, rule: 'js/command-line-injection' }])], ctx({ own: mine }));
    assert.equal(r.imported.length, 0);
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.merged, [{ findingId: 'own1', tool: 'CodeQL', ruleId: 'js/command-line-injection', location: { file: 'src/a.ts', line: 14, column: 1 } }]);
    assert.ok(r.findings[0]!.tags.includes('corroborated'));
    assert.match(r.findings[0]!.notes!.join(' '), /Also reported by CodeQL \(rule js\/command-line-injection\) at src\/a\.ts:14:1/);
    assert.deepEqual(mine[0]!.tags, ['injection'], 'the caller’s findings are not changed');
    assert.equal(mine[0]!.notes, undefined);
  });

  it('keeps results that are farther, in another file or of another CWE', () => {
    const mine = [own('own1', 78, 'src/a.ts', 12)];
    const r = importFindings([sarif('T', [{ line: 14 }, { uri: 'src/b.ts', line: 12 }, { line: 12, cwe: 88 }])], ctx({ own: mine }));
    assert.equal(r.imported.length, 3);
    assert.equal(r.merged.length, 0);
    assert.equal(r.findings.length, 4);
  });

  it('folds into the closest finding, and one finding absorbs one result per rule', () => {
    const mine = [own('own10', 78, 'src/a.ts', 10), own('own12', 78, 'src/a.ts', 12)];
    const r = importFindings([sarif('T', [{ line: 11, rule: 'r' }, { line: 12, rule: 'r' }, { line: 13, rule: 'r' }])], ctx({ own: mine }));
    // line 11 → own10 (gap 1, first of two equal), line 12 → own12 (gap 0), line 13 → own12 already has rule r → kept
    assert.deepEqual(
      r.merged.map((m) => [m.findingId, m.location.line]),
      [
        ['own10', 11],
        ['own12', 12],
      ],
    );
    assert.deepEqual(
      r.imported.map((f) => f.location.line),
      [13],
    );
  });

  it('folds the same weakness reported by two analyzers into one imported finding', () => {
    const r = importFindings([sarif('Semgrep OSS', [{ line: 30, cwe: 22, rule: 'path-join' }]), sarif('CodeQL', [{ line: 30, cwe: 22, rule: 'js/path-injection' }])], ctx());
    assert.equal(r.imported.length, 1);
    assert.equal(r.imported[0]!.tool, 'Semgrep OSS');
    assert.match(r.imported[0]!.notes!.join(' '), /Also reported by CodeQL/);
  });

  it('counts a repeated result of one rule at one place once', () => {
    const r = importFindings([sarif('T', [{ line: 30 }, { line: 30 }])], ctx());
    assert.equal(r.imported.length, 1);
    assert.equal(r.counts.repeated, 1);
  });

  it('sorts the merged list like mcp-risk sorts its own findings', () => {
    const mine = [own('own1', 78, 'src/b.ts', 5)];
    const r = importFindings([sarif('T', [{ line: 3, level: 'error', cwe: 22 }, { uri: 'src/b.ts', line: 1, level: 'note', cwe: 400 }])], ctx({ own: mine }));
    assert.deepEqual(
      r.findings.map((f) => `${f.severity} ${f.location.file}:${f.location.line}`),
      ['critical src/b.ts:5', 'high src/a.ts:3', 'low src/b.ts:1'],
    );
  });
});

describe('unmapped results', () => {
  it('keeps results without CWE or location in `unmapped`, attached and counted, with a warning', () => {
    const r = importFindings(
      [
        sarif('Acme', [
          { line: 15, cwe: null, rule: 'acme/style', message: 'Prefer const' },
          { cwe: 78, rule: 'acme/no-place' }, // no location at all
          { line: 16, cwe: 78 },
        ]),
      ],
      ctx(),
    );
    assert.equal(r.imported.length, 1);
    assert.deepEqual(
      r.unmapped.map((u) => [u.ruleId, u.reason, u.primitive.kind, u.location?.line]),
      [
        ['acme/style', 'no-cwe', 'tool', 15],
        ['acme/no-place', 'no-location', 'protocol', undefined],
      ],
    );
    assert.match(r.unmapped[0]!.id, /^[0-9a-f]{16}$/);
    assert.match(r.warnings.map((w) => w.message).join('\n'), /Acme\.sarif: 2 results without a CWE or a location: listed as unmapped, not scored/);
  });

  it('accounts for every result read', () => {
    const mine = [own('own1', 78, 'src/a.ts', 12)];
    const docs = [
      sarif('A', [{ line: 12 }, { line: 40 }, { line: 40 }, { line: 41, cwe: null }, { uri: 'nowhere/x.ts', line: 1 }]),
      sarif('B', [{ line: 40 }, { line: 99, cwe: 20 }]),
    ];
    const r = importFindings(docs, ctx({ own: mine }));
    const c = r.counts;
    assert.equal(c.results, 7);
    assert.equal(c.imported + c.merged + c.unmapped + c.repeated + c.outside, c.results, JSON.stringify(c));
    assert.deepEqual(c, { results: 7, skipped: 0, imported: 2, merged: 2, unmapped: 1, repeated: 1, outside: 1 });
  });
});
