import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type * as Sarif from 'sarif';
import { fromRoot } from '../helpers.js';
import { render, SECURITY_SEVERITY, SARIF_LEVEL, toSarif } from '../../src/report/index.js';
import type { Assessment, Severity } from '../../src/model.js';
import { sampleAssessment } from './sample.js';

// CommonJS packages: under NodeNext the default import is module.exports, whose `default` is the export.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const sarifSchema = JSON.parse(readFileSync(fromRoot('test/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
// unicodeRegExp: false — the official schema's `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`)
// is not a valid regular expression with the `u` flag ajv uses by default.
const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

function assertValidSarif(log: unknown): void {
  // Validate what a consumer reads: the serialised document.
  const doc = JSON.parse(JSON.stringify(log)) as unknown;
  const ok = validateSarif(doc);
  assert.ok(ok, JSON.stringify(validateSarif.errors, null, 2));
}

function runOf(log: Sarif.Log): Sarif.Run {
  assert.equal(log.runs.length, 1);
  return log.runs[0]!;
}

function resultFor(run: Sarif.Run, cwe: number): Sarif.Result {
  const r = run.results!.find((x) => x.properties?.['cwe'] === cwe);
  assert.ok(r, `no result for CWE-${cwe}`);
  return r;
}

test('SARIF validates against the official SARIF 2.1.0 schema', () => {
  assertValidSarif(toSarif(sampleAssessment()));
});

test('the validator does reject a broken log (sanity check of the schema set-up)', () => {
  const log = JSON.parse(JSON.stringify(toSarif(sampleAssessment())));
  log.runs[0].results[0].level = 'fatal';
  delete log.runs[0].tool.driver.name;
  assert.equal(validateSarif(log), false);
});

test('log header, driver and run properties', () => {
  const a = sampleAssessment();
  const log = toSarif(a);
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.version, '2.1.0');
  const run = runOf(log);
  const driver = run.tool.driver;
  assert.equal(driver.name, 'mcp-risk');
  assert.equal(driver.version, '0.1.0');
  assert.match(driver.informationUri ?? '', /^https:\/\//);
  assert.equal(run.invocations?.[0]?.executionSuccessful, true);
  const notes = run.invocations?.[0]?.toolExecutionNotifications ?? [];
  assert.equal(notes.length, a.warnings.length);
  assert.equal(notes[0]?.descriptor?.id, 'parse-error');
  assert.equal(notes[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'src/legacy/old.js');
  assert.equal(run.properties?.['partial'], true);
});

test('one rule per ruleId with CWE help, tags, security-severity and taxonomy relationships', () => {
  const run = runOf(toSarif(sampleAssessment()));
  const rules = run.tool.driver.rules ?? [];
  assert.deepEqual(
    rules.map((r) => r.id),
    ['command-injection', 'path-traversal', 'hardcoded-credential'],
  );
  const taxonomy = run.taxonomies?.[0];
  assert.equal(taxonomy?.name, 'CWE');
  assert.deepEqual(
    taxonomy?.taxa?.map((t) => t.id),
    ['78', '22', '798'],
  );
  assert.deepEqual(run.tool.driver.supportedTaxonomies, [{ name: 'CWE', index: 0 }]);

  const expected: [string, number, Severity][] = [
    ['command-injection', 78, 'critical'],
    ['path-traversal', 22, 'high'],
    ['hardcoded-credential', 798, 'medium'],
  ];
  for (const [id, cwe, sev] of expected) {
    const rule = rules.find((r) => r.id === id)!;
    assert.equal(rule.helpUri, `https://cwe.mitre.org/data/definitions/${cwe}.html`);
    assert.ok(rule.name && /^[A-Z][A-Za-z0-9]*$/.test(rule.name), rule.name);
    assert.ok(rule.shortDescription?.text);
    assert.match(rule.fullDescription?.text ?? '', new RegExp(`CWE-${cwe}`));
    const tags = rule.properties?.tags ?? [];
    assert.ok(tags.includes('security'));
    assert.ok(tags.includes(`external/cwe/cwe-${cwe}`));
    assert.equal(rule.properties?.['security-severity'], SECURITY_SEVERITY[sev]);
    assert.equal(typeof rule.properties?.['security-severity'], 'string');
    assert.equal(rule.defaultConfiguration?.level, SARIF_LEVEL[sev]);
    // The relationship points to the right taxon, by id and by index.
    const rel = rule.relationships?.[0];
    assert.equal(rel?.target.id, String(cwe));
    assert.equal(rel?.target.toolComponent?.name, 'CWE');
    assert.equal(taxonomy?.taxa?.[rel!.target.index!]?.id, String(cwe));
  }
  assert.equal(rules[0]!.properties?.['security-severity'], '9.5');
  assert.equal(rules[1]!.properties?.['security-severity'], '8.0');
  assert.equal(rules[2]!.properties?.['security-severity'], '5.5');
});

test('results: rule index, level, relative location with snippet, fingerprint, properties', () => {
  const a = sampleAssessment();
  const run = runOf(toSarif(a));
  const results = run.results ?? [];
  assert.equal(results.length, a.findings.length);
  results.forEach((r, i) => {
    const f = a.findings[i]!;
    assert.equal(r.ruleId, f.ruleId);
    assert.equal(run.tool.driver.rules?.[r.ruleIndex!]?.id, f.ruleId);
    assert.equal(r.level, SARIF_LEVEL[f.severity]);
    assert.deepEqual(r.partialFingerprints, { 'mcpRiskFindingId/v1': f.id });
    const loc = r.locations?.[0]?.physicalLocation;
    assert.equal(loc?.artifactLocation?.uri, f.location.file);
    assert.equal(loc?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.equal(loc?.region?.startLine, f.location.line);
    assert.equal(loc?.region?.startColumn, f.location.column);
    assert.equal(loc?.region?.snippet?.text, f.snippet);
    assert.equal(r.properties?.['confidence'], f.confidence);
    assert.deepEqual(r.properties?.['primitive'], f.primitive);
    assert.deepEqual(r.properties?.tags, f.tags);
  });
  const cmd = resultFor(run, 78);
  assert.equal(cmd.level, 'error');
  assert.equal(cmd.locations?.[0]?.physicalLocation?.region?.endLine, 22);
  assert.equal(cmd.locations?.[0]?.physicalLocation?.region?.endColumn, 42);
  assert.equal(resultFor(run, 798).level, 'warning');
  // The redacted snippet is passed through as is.
  assert.match(resultFor(run, 798).locations?.[0]?.physicalLocation?.region?.snippet?.text ?? '', /\[REDACTED\]/);
  assert.deepEqual(resultFor(run, 22).properties?.tags, ['capability', 'weak-guard']);
  assert.ok(Array.isArray(resultFor(run, 22).properties?.['notes']));
});

test('codeFlows carry the trace steps in order, with messages and kinds', () => {
  const a = sampleAssessment();
  const run = runOf(toSarif(a));

  const cmd = resultFor(run, 78);
  assert.equal(cmd.codeFlows?.length, 1);
  const steps = cmd.codeFlows![0]!.threadFlows[0]!.locations;
  assert.equal(steps.length, 4);
  assert.deepEqual(
    steps.map((s) => s.kinds?.[0]),
    ['source', 'step', 'call', 'sink'],
  );
  a.findings[0]!.trace!.forEach((t, i) => {
    assert.equal(steps[i]!.location?.message?.text, t.label);
    assert.equal(steps[i]!.location?.physicalLocation?.region?.startLine, t.location.line);
    assert.equal(steps[i]!.location?.physicalLocation?.artifactLocation?.uriBaseId, '%SRCROOT%');
  });

  const trav = resultFor(run, 22);
  assert.equal(trav.codeFlows![0]!.threadFlows[0]!.locations.length, 3);
  assert.equal(trav.codeFlows![0]!.threadFlows[0]!.locations[1]!.kinds?.[0], 'guard');

  assert.equal(resultFor(run, 798).codeFlows, undefined);
});

test('the source is a related location linked from the message', () => {
  const run = runOf(toSarif(sampleAssessment()));
  const cmd = resultFor(run, 78);
  assert.equal(cmd.relatedLocations?.length, 1);
  const rel = cmd.relatedLocations![0]!;
  assert.equal(rel.id, 1);
  assert.equal(rel.physicalLocation?.region?.startLine, 9);
  assert.match(rel.message?.text ?? '', /command/);
  assert.match(cmd.message.text ?? '', /\]\(1\)\.$/);
  assert.equal(resultFor(run, 798).relatedLocations, undefined);
});

test('severity → level and security-severity mapping', () => {
  assert.deepEqual(SARIF_LEVEL, { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
  assert.deepEqual(SECURITY_SEVERITY, { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' });
  // A rule's default level / score follow its most severe finding.
  const a = sampleAssessment();
  a.findings.push({ ...structuredClone(a.findings[2]!), id: 'other', severity: 'high', location: { file: 'src/b.ts', line: 1, column: 1 } });
  const rule = runOf(toSarif(a)).tool.driver.rules!.find((r) => r.id === 'hardcoded-credential')!;
  assert.equal(rule.defaultConfiguration?.level, 'error');
  assert.equal(rule.properties?.['security-severity'], '8.0');
});

test('several assessments merge into one valid run with shared rules', () => {
  const a = sampleAssessment();
  const b: Assessment = sampleAssessment();
  b.target = { input: './other', kind: 'folder', name: 'other-server' };
  b.partial = false;
  b.warnings = [];
  b.findings = b.findings.slice(1).map((f) => ({ ...f, id: `b-${f.id}` }));
  const log = toSarif([a, b]);
  assertValidSarif(log);
  const run = runOf(log);
  assert.equal(run.tool.driver.rules?.length, 3);
  assert.equal(run.results?.length, a.findings.length + b.findings.length);
  assert.equal(run.results?.at(-1)?.properties?.['target'], 'other-server');
  assert.equal(run.properties?.['partial'], true);
  for (const r of run.results ?? []) assert.equal(run.tool.driver.rules?.[r.ruleIndex!]?.id, r.ruleId);
});

test('no findings still gives a valid log', () => {
  const a = sampleAssessment();
  a.findings = [];
  a.warnings = [];
  a.partial = false;
  const log = toSarif(a);
  assertValidSarif(log);
  assert.deepEqual(runOf(log).results, []);
  assert.equal(runOf(log).properties?.['partial'], false);
});

test('paths are relative URIs; the absolute root is never written; output is deterministic', () => {
  const a = sampleAssessment();
  a.findings[0]!.location.file = 'src/my tools/run#1.ts';
  const withRoot = { ...a, target: { ...a.target, root: '/home/alice/.cache/x' } } as Assessment;
  const text = render(withRoot, 'sarif');
  assert.ok(!text.includes('/home/alice'));
  const log = JSON.parse(text) as Sarif.Log;
  assertValidSarif(log);
  assert.equal(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri, 'src/my%20tools/run%231.ts');
  for (const r of log.runs[0]!.results!) {
    const uri = r.locations![0]!.physicalLocation!.artifactLocation!.uri!;
    assert.ok(!uri.startsWith('/') && !/^[a-z]+:/i.test(uri), uri);
  }
  assert.equal(render(withRoot, 'sarif'), text);
});
