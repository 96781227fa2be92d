import type { Assessment } from '../../src/model.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import { fromRoot } from '../helpers.js';
import { ASSESSMENT_SCHEMA_ID, ASSESSMENT_SCHEMA_VERSION, toJson, toJsonValue } from '../../src/report/index.js';
import { sampleAssessment } from './sample.js';

// ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv2020 = Ajv2020Module.default;

const schema = JSON.parse(readFileSync(fromRoot('schemas/assessment.schema.json'), 'utf8')) as Record<string, unknown>;
// strict mode: the schema itself must be free of ajv strict-mode complaints (unknown keywords, union types…).
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

function errorsOf(data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

test('schema is versioned 1.0.0 and matches the writer', () => {
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema['$id'], ASSESSMENT_SCHEMA_ID);
  assert.match(String(schema['$id']), /1\.0\.0/);
  assert.equal(ASSESSMENT_SCHEMA_VERSION, '1.0.0');
  assert.equal(sampleAssessment().schemaVersion, ASSESSMENT_SCHEMA_VERSION);
});

test('JSON output validates against schemas/assessment.schema.json', () => {
  const out = JSON.parse(toJson(sampleAssessment())) as unknown;
  assert.deepEqual(errorsOf(out), []);
});

test('a broken copy (unknown severity, missing cwe) fails validation', () => {
  const out = JSON.parse(toJson(sampleAssessment())) as { findings: Record<string, unknown>[] };
  out.findings[0]!['severity'] = 'severe';
  delete out.findings[1]!['cwe'];
  const errors = errorsOf(out);
  assert.ok(errors.length > 0);
  assert.ok(
    errors.some((e) => e.instancePath === '/findings/0/severity' && e.keyword === 'enum'),
    JSON.stringify(errors),
  );
  assert.ok(
    errors.some((e) => e.instancePath === '/findings/1' && e.keyword === 'required' && e.params['missingProperty'] === 'cwe'),
    JSON.stringify(errors),
  );
});

test('closed types reject unknown fields and bad enums', () => {
  const cases: [string, (o: any) => void][] = [
    ['root in target', (o) => (o.target.root = '/home/me/x')],
    ['unknown top-level field', (o) => (o.extra = 1)],
    ['unknown finding field', (o) => (o.findings[0].score = 3)],
    ['bad confidence', (o) => (o.findings[0].confidence = 'certain')],
    ['bad primitive kind', (o) => (o.findings[0].primitive.kind = 'sampling')],
    ['bad source kind', (o) => (o.findings[0].source.kind = 'stdin')],
    ['bad trace step kind', (o) => (o.findings[0].trace[1].kind = 'jump')],
    ['line 0', (o) => (o.findings[0].location.line = 0)],
    ['resource listed under tools', (o) => (o.surface.tools[0].kind = 'resource')],
    ['bad transport auth', (o) => (o.surface.transports[1].auth = 'maybe')],
    ['wrong schemaVersion', (o) => (o.schemaVersion = '2.0.0')],
  ];
  for (const [name, breakIt] of cases) {
    const o = JSON.parse(toJson(sampleAssessment()));
    breakIt(o);
    assert.ok(errorsOf(o).length > 0, `expected a validation error: ${name}`);
  }
});

test('optional risk and kb objects are accepted and written after findings', () => {
  const a = { ...sampleAssessment(), risk: { score: 87, band: 'critical' }, kb: { cwe: { '78': { capec: [88] } } } } as unknown as Assessment;
  const text = toJson(a);
  const out = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(errorsOf(out), []);
  assert.deepEqual(Object.keys(out).slice(-3), ['findings', 'risk', 'kb']);
  assert.deepEqual(out['risk'], { score: 87, band: 'critical' });
  const bad = { ...out, risk: 'high' };
  assert.ok(errorsOf(bad).length > 0, 'risk must be an object');
});

test('JSON is byte-identical across calls and copies, 2-space indented, newline-terminated', () => {
  const a = sampleAssessment();
  const one = toJson(a);
  const two = toJson(a);
  const three = toJson(sampleAssessment());
  assert.equal(one, two);
  assert.equal(one, three);
  assert.ok(one.endsWith('}\n'));
  assert.ok(!one.endsWith('\n\n'));
  assert.ok(one.startsWith('{\n  "schemaVersion": "1.0.0",\n  "tool": {\n    "name": "mcp-risk",'));
});

test('key order follows the types, whatever the input order; languages are sorted', () => {
  const a = sampleAssessment();
  // Same data, keys inserted in reverse order.
  const reversed = (o: unknown): unknown =>
    Array.isArray(o)
      ? o.map(reversed)
      : o !== null && typeof o === 'object'
        ? Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, reversed(v)]))
        : o;
  const b = reversed(a) as typeof a;
  assert.equal(toJson(b), toJson(a));

  const out = JSON.parse(toJson(a));
  assert.deepEqual(Object.keys(out), ['schemaVersion', 'tool', 'target', 'partial', 'warnings', 'stats', 'surface', 'findings']);
  assert.deepEqual(Object.keys(out.findings[0]), [
    'id', 'ruleId', 'title', 'cwe', 'severity', 'confidence', 'message', 'fix', 'location', 'snippet', 'primitive', 'source', 'trace', 'tags',
  ]);
  assert.deepEqual(Object.keys(out.findings[1]).slice(-2), ['tags', 'notes']);
  assert.deepEqual(Object.keys(out.findings[0].location), ['file', 'line', 'column', 'endLine', 'endColumn']);
  assert.deepEqual(Object.keys(out.stats.languages), ['javascript', 'typescript']);
});

test('the data round-trips and the absolute root is never written', () => {
  const a = sampleAssessment();
  assert.deepEqual(JSON.parse(toJson(a)), { ...a, stats: { ...a.stats, languages: { javascript: 2, typescript: 12 } } });

  // A TargetInfo (with root) passed at run time, as a careless caller might.
  const withRoot = { ...a, target: { ...a.target, root: '/home/alice/.cache/mcp-risk/files-mcp-1.4.2' } };
  const text = toJson(withRoot);
  assert.ok(!text.includes('/home/alice'));
  assert.ok(!('root' in (toJsonValue(withRoot)['target'] as object)));
  assert.deepEqual(errorsOf(JSON.parse(text)), []);
});

test('optional fields left undefined are omitted, not written as null', () => {
  const a = sampleAssessment();
  const f = a.findings[2]!;
  assert.equal(f.source, undefined);
  const out = JSON.parse(toJson(a));
  assert.ok(!('source' in out.findings[2]));
  assert.ok(!('trace' in out.findings[2]));
  assert.ok(!('notes' in out.findings[2]));
  assert.ok(!toJson(a).includes('null'));
});

test('shared risk parts (frozen per CWE and KB) are written exactly as JSON.stringify writes them, pretty and on one line', async () => {
  const { assess } = await import('../../src/assess.js');
  const { toJsonLine, toJsonLinePieces, piecesText, sharedFragment } = await import('../../src/report/json.js');
  // two fixtures with several findings of one CWE, one on several CWEs; each written twice (the second time from
  // the fragment cache) and compared with a plain JSON.stringify of the same value
  for (const dir of ['test/fixtures/python-servers/78-shell-tools-sdk-vuln', 'examples/vulnerable-server', 'test/fixtures/python-servers/918-web-tools-fastmcp-vuln']) {
    const a = await assess(fromRoot(dir));
    const risk = (a as { risk?: { findings: { mcpInSos: unknown; contextual: unknown; threats: { capec: unknown; owasp: unknown } }[] } }).risk;
    assert.ok(risk && risk.findings.length > 0, dir);
    const f0 = risk.findings[0]!;
    assert.ok([f0.mcpInSos, f0.threats.capec, f0.contextual, f0.threats.owasp].every((o) => Object.isFrozen(o)), 'the shared parts are frozen');
    const plain = toJsonValue(a);
    for (let i = 0; i < 2; i++) {
      assert.equal(toJson(a), JSON.stringify(plain, null, 2) + '\n', `${dir} pretty, pass ${i}`);
      assert.equal(toJsonLine(a), JSON.stringify(plain) + '\n', `${dir} one line, pass ${i}`);
      const pieces = toJsonLinePieces(a);
      assert.ok(pieces.some((p) => typeof p === 'number'), 'shared fragments by number');
      for (const p of pieces) if (typeof p === 'number') assert.equal(typeof sharedFragment(p), 'string');
      assert.equal(piecesText(pieces), JSON.stringify(plain) + '\n', `${dir} one line in pieces, pass ${i}`);
    }
  }
});

test('a shared per-CWE risk object cannot be changed by one report for the others', async () => {
  const { weaknessRisk } = await import('../../src/risk/mcpInSos.js');
  const { loadKb } = await import('../../src/kb/load.js');
  const w = weaknessRisk(78, loadKb());
  assert.throws(() => {
    (w as { R: number }).R = 1;
  }, TypeError);
  assert.throws(() => {
    (w.pairs as unknown[]).push({});
  }, TypeError);
});

test('findings with the same weakness and inputs share one frozen contextual risk and OWASP list; other inputs do not', async () => {
  const { weaknessRisk } = await import('../../src/risk/mcpInSos.js');
  const { sharedContextualRisk, contextualRisk } = await import('../../src/risk/contextual.js');
  const { threatsFor } = await import('../../src/risk/threats.js');
  const { loadKb } = await import('../../src/kb/load.js');
  const kb = loadKb();
  const w = weaknessRisk(306, kb);
  const ctx = { networkExposedWithoutAuth: true, capabilities: { shell: false, fs: true, network: false } };
  const f = { cwe: 306, confidence: 'high' as const, source: undefined, tags: [] as string[] };
  const one = sharedContextualRisk(f, w, ctx);
  assert.equal(sharedContextualRisk({ ...f }, w, { ...ctx, capabilities: { ...ctx.capabilities } }), one, 'same inputs: the same object');
  assert.ok(Object.isFrozen(one) && Object.isFrozen(one.likelihoodFactors) && Object.isFrozen(one.arithmetic));
  assert.deepEqual(one, contextualRisk(f, w, ctx), 'what contextualRisk gives');
  // each input the model reads gives its own object: exposure, confidence, the capabilities of a gateway CWE
  const others = [
    sharedContextualRisk(f, w, { ...ctx, networkExposedWithoutAuth: false }),
    sharedContextualRisk({ ...f, confidence: 'low' }, w, ctx),
    sharedContextualRisk(f, w, { ...ctx, capabilities: { shell: true, fs: true, network: false } }),
    sharedContextualRisk({ ...f, source: { kind: 'tool-argument', name: 'x', location: { file: 'a.py', line: 1, column: 1 } } }, w, ctx),
  ];
  for (const [i, o] of others.entries()) {
    assert.notEqual(o, one, `input ${i}`);
    assert.notDeepEqual(o, one, `input ${i}`);
  }
  const finding = { cwe: 306, tags: [], primitive: { kind: 'protocol' } } as unknown as Parameters<typeof threatsFor>[0];
  const a = threatsFor(finding, w, kb, ctx).owasp;
  assert.equal(threatsFor(finding, w, kb, ctx).owasp, a, 'the same OWASP list');
  assert.ok(Object.isFrozen(a));
  assert.ok(a.some((c) => c.id === 'MCP09:2025'), 'CWE-306 exposed');
  assert.ok(!threatsFor(finding, w, kb, { ...ctx, networkExposedWithoutAuth: false }).owasp.some((c) => c.id === 'MCP09:2025'), 'not exposed: its own list');
});
