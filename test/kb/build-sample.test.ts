/**
 * The KB builder on small hand-made inputs (test/fixtures/kb): CWE XML, CAPEC XML, CAPEC STIX, overlay,
 * the CWE → CAPEC link rule and the fill rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../helpers.js';
import { buildKb, contentHash, serializeKb } from '../../src/kb/build.js';
import { parseCapecStix, parseCapecXml, parseCapec } from '../../src/kb/parse-capec.js';
import { parseCweXml } from '../../src/kb/parse-cwe.js';
import type { OverlayFile } from '../../src/kb/types.js';

const cweXml = readFileSync(fromRoot('test', 'fixtures', 'kb', 'cwe-sample.xml'));
const capecXml = readFileSync(fromRoot('test', 'fixtures', 'kb', 'capec-sample.xml'));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('CWE XML: weaknesses only (not categories/views), deprecated kept, fields parsed', () => {
  const p = parseCweXml(cweXml.toString('utf8'));
  assert.equal(p.version, '9.9');
  assert.equal(p.date, '2030-02-01');
  assert.deepEqual(
    p.weaknesses.map((w) => w.id),
    [10, 20, 30, 40, 50, 60],
  );
  const w20 = p.weaknesses.find((w) => w.id === 20)!;
  assert.equal(w20.description, 'A class with a "quoted" word.');
  assert.equal(w20.likelihoodOfExploit, 'High');
  assert.deepEqual(w20.modesOfIntroduction, ['Architecture and Design', 'Implementation', 'Implementation']);
  assert.deepEqual(w20.consequences, [
    { scope: ['Confidentiality', 'Integrity'], impact: ['Read Application Data', 'Modify Application Data'] },
  ]);
  assert.deepEqual(w20.relatedAttackPatterns, [1, 3]);
  // parents: ChildOf in view 1000 only, Primary first, then ascending; CanPrecede and other views ignored
  const w40 = p.weaknesses.find((w) => w.id === 40)!;
  assert.deepEqual(w40.parents, [10, 20]);
  assert.equal(p.weaknesses.find((w) => w.id === 50)!.status, 'Deprecated');
});

test('CAPEC XML: patterns, deprecated dropped, domains from view-3000 categories, links, text', () => {
  const p = parseCapecXml(capecXml.toString('utf8'));
  assert.equal(p.format, 'capec-xml');
  assert.equal(p.version, '9.9');
  assert.equal(p.deprecatedDropped, 1);
  assert.deepEqual(
    p.patterns.map((x) => x.id),
    [1, 2, 4],
  );
  const [a1, a2, a4] = p.patterns as [any, any, any];
  assert.equal(a1.likelihoodOfAttack, 'High');
  assert.equal(a1.typicalSeverity, 'Very High');
  assert.deepEqual(a1.prerequisites, ['The target accepts input.', 'The input reaches a "sink".']);
  assert.deepEqual(a1.skills, [
    { level: 'Low', text: 'Basic knowledge.' },
    { level: 'High', text: 'Deep knowledge of the target.' },
  ]);
  assert.deepEqual(a1.consequences, {
    'Access Control': ['Gain Privileges', 'Read Data'],
    Availability: ['Unreliable Execution'],
    Confidentiality: ['Gain Privileges', 'Read Data'],
  });
  assert.deepEqual(a1.mitigations, ['Validate input.', 'Run with least privilege.']);
  assert.deepEqual(a1.cwes, [20]);
  assert.deepEqual(a1.children, [2]);
  assert.deepEqual(a1.domains, ['Software']);
  assert.equal(a2.description, 'An adversary does something narrower.');
  assert.equal(a2.likelihoodOfAttack, null);
  assert.deepEqual(a2.parents, [1]);
  assert.deepEqual(a2.cwes, [20, 40]);
  assert.deepEqual(a2.domains, ['Software'], 'domain inherited from the ChildOf ancestor; category 600 is not a domain');
  assert.deepEqual(a4.parents, [2], 'CanFollow is not a parent');
  assert.deepEqual(a4.domains, ['Communications', 'Software']);
  assert.equal(parseCapec(capecXml.toString('utf8')).format, 'capec-xml', 'format detected');
});

function miniStix(): string {
  const ap = (stixId: string, capec: number, extra: Record<string, unknown>): Record<string, unknown> => ({
    type: 'attack-pattern',
    id: stixId,
    spec_version: '2.1',
    name: `Pattern ${capec}`,
    description: `<xhtml:p>Pattern ${capec} &amp; friends.</xhtml:p>`,
    modified: '2031-05-06T00:00:00.000Z',
    x_capec_version: '9.8',
    x_capec_abstraction: 'Standard',
    x_capec_status: 'Draft',
    external_references: [
      { source_name: 'capec', external_id: `CAPEC-${capec}` },
      { source_name: 'cwe', external_id: 'CWE-20' },
    ],
    ...extra,
  });
  return JSON.stringify({
    type: 'bundle',
    id: 'bundle--capec-9.8-test',
    spec_version: '2.1',
    objects: [
      ap('attack-pattern--a', 1, {
        x_capec_likelihood_of_attack: 'Medium',
        x_capec_typical_severity: 'High',
        x_capec_parent_of_refs: ['attack-pattern--b'],
        x_capec_domains: ['Software', 'Communications'],
        x_capec_consequences: { Access_Control: ['Gain Privileges'], Confidentiality: ['Read Data'] },
        x_capec_skills_required: { Low: 'Little.' },
        x_capec_prerequisites: ['Input.'],
      }),
      ap('attack-pattern--b', 2, { x_capec_child_of_refs: ['attack-pattern--a'], x_capec_typical_severity: 'Low' }),
      ap('attack-pattern--c', 3, { x_capec_status: 'Deprecated' }),
      { type: 'course-of-action', id: 'course-of-action--2', name: 'coa-1-1', description: 'Second.' },
      { type: 'course-of-action', id: 'course-of-action--1', name: 'coa-1-0', description: 'First.' },
      { type: 'relationship', id: 'relationship--1', relationship_type: 'mitigates', source_ref: 'course-of-action--2', target_ref: 'attack-pattern--a' },
      { type: 'relationship', id: 'relationship--2', relationship_type: 'mitigates', source_ref: 'course-of-action--1', target_ref: 'attack-pattern--a' },
    ],
  });
}

test('CAPEC STIX: x_capec_* fields, CAPEC/CWE external ids, mitigations via relationships in coa order', () => {
  const p = parseCapecStix(miniStix());
  assert.equal(p.format, 'capec-stix-2.1');
  assert.equal(p.version, '9.8');
  assert.equal(p.date, '2031-05-06');
  assert.equal(p.deprecatedDropped, 1);
  const [a, b] = p.patterns as [any, any];
  assert.equal(a.description, 'Pattern 1 & friends.');
  assert.deepEqual(a.consequences, { 'Access Control': ['Gain Privileges'], Confidentiality: ['Read Data'] });
  assert.deepEqual(a.domains, ['Communications', 'Software']);
  assert.deepEqual(a.mitigations, ['First.', 'Second.']);
  assert.deepEqual(a.children, [2]);
  assert.deepEqual(b.parents, [1]);
  assert.deepEqual(a.cwes, [20]);
  assert.equal(parseCapec(miniStix()).format, 'capec-stix-2.1');
});

test('links and fill rule on the sample catalog', () => {
  const kb = buildKb({
    cwe: { file: 'cwe-sample.xml', bytes: cweXml },
    capec: { file: 'capec-sample.xml', bytes: capecXml },
  });
  assert.equal(kb.catalogs.cwe.version, '9.9');
  assert.equal(kb.catalogs.capec.format, 'capec-xml');
  const c = (id: number) => kb.cwe[String(id)]!;
  // direct = CWE Related_Attack_Patterns (CAPEC-3 is deprecated → dropped) ∪ CAPECs naming the CWE
  assert.deepEqual(c(20).capec, { ids: [1, 2], kind: 'direct' });
  assert.deepEqual(c(40).capec, { ids: [2], kind: 'direct' });
  // no own link: nearest ChildOf ancestor with links, recorded with the walk
  assert.deepEqual(c(30).capec, { ids: [1, 2], kind: 'inherited', from: 20, path: [30, 20] });
  assert.deepEqual(c(60).capec, { ids: [], kind: 'none' });
  // LE
  assert.deepEqual(c(20).factors.LE, { value: 4, label: 'High', from: 'self', source: 'CWE-20' });
  assert.deepEqual(c(30).factors.LE, { value: 4, label: 'High', from: 'inherited', source: 'CWE-20', path: [30, 20] });
  // breadth-first: the Primary parent CWE-10 has no value, the other parent CWE-20 (same level) has
  assert.deepEqual(c(40).factors.LE, { value: 4, label: 'High', from: 'inherited', source: 'CWE-20', path: [40, 20] });
  assert.deepEqual(c(60).factors.LE, { value: 3, label: 'Medium', from: 'default', source: 'default' });
  // counts: 0 → nearest ancestor with > 0 → else 1
  assert.deepEqual(c(30).factors.MI, { value: 3, from: 'inherited', source: 'CWE-20', path: [30, 20] });
  assert.deepEqual(c(30).factors.CC, { value: 2, from: 'self', source: 'CWE-30' });
  assert.deepEqual(c(60).factors.CC, { value: 1, from: 'inherited', source: 'CWE-10', path: [60, 10] });
  assert.deepEqual(c(50).factors.MI, { value: 1, from: 'default', source: 'default' });
  // CAPEC LA / TS
  const p = (id: number) => kb.capec[String(id)]!;
  assert.deepEqual(p(1).factors.TS, { value: 5, label: 'Very High', from: 'self', source: 'CAPEC-1' });
  assert.deepEqual(p(2).factors.LA, { value: 4, label: 'High', from: 'inherited', source: 'CAPEC-1', path: [2, 1] });
  assert.deepEqual(p(4).factors.LA, { value: 4, label: 'High', from: 'inherited', source: 'CAPEC-1', path: [4, 2, 1] });
  assert.deepEqual(p(4).factors.TS, { value: 3, label: 'Medium', from: 'inherited', source: 'CAPEC-2', path: [4, 2] });
  assert.equal(kb.capec['3'], undefined, 'deprecated CAPEC not kept');
  assert.deepEqual(kb.counts.cweCapecLink, { direct: 2, inherited: 1, overlay: 0, none: 3 });
  assert.equal(kb.contentHash, contentHash(kb));
});

test('overlay: new CWEs are added and marked, catalog entries win, links only where MITRE gives none', () => {
  const overlay: OverlayFile = {
    overlay: true,
    description: 'test',
    cwe: [
      {
        id: 70,
        overlay: true,
        source: 'test',
        name: 'Overlay Weakness',
        abstraction: 'Base',
        status: 'Incomplete',
        description: 'New.',
        likelihoodOfExploit: null,
        modesOfIntroduction: ['Implementation', 'Operation'],
        consequences: [{ scope: ['Integrity'], impact: ['Varies by Context'] }],
        parents: [20],
        relatedAttackPatterns: [],
      },
      {
        id: 20,
        overlay: true,
        source: 'test',
        name: 'Should be superseded',
        abstraction: 'Base',
        status: 'Draft',
        description: '',
        likelihoodOfExploit: 'Low',
        modesOfIntroduction: [],
        consequences: [],
        parents: [],
        relatedAttackPatterns: [],
      },
    ],
    capecLinks: [
      { cwe: 60, capec: [4], overlay: true, note: 'hand link' },
      { cwe: 30, capec: [4], overlay: true, note: 'not used: CWE-30 inherits from CWE-20' },
    ],
  };
  const kb = buildKb({
    cwe: { file: 'cwe-sample.xml', bytes: cweXml },
    capec: { file: 'capec-sample.xml', bytes: capecXml },
    overlay: { file: 'overlay.json', bytes: enc(JSON.stringify(overlay)) },
  });
  const c70 = kb.cwe['70']!;
  assert.equal(c70.overlay, true);
  assert.deepEqual(c70.capec, { ids: [1, 2], kind: 'inherited', from: 20, path: [70, 20] });
  assert.equal(c70.factors.LE.source, 'CWE-20');
  assert.equal(kb.cwe['20']!.name, 'Sample Class');
  assert.equal(kb.cwe['20']!.overlay, undefined);
  assert.deepEqual(kb.cwe['60']!.capec, { ids: [4], kind: 'overlay', note: 'hand link' });
  assert.equal(kb.cwe['30']!.capec.kind, 'inherited');
  assert.deepEqual(kb.overlay.cwes, [70]);
  assert.deepEqual(kb.overlay.superseded, [20]);
  assert.deepEqual(kb.overlay.links, [60]);
  assert.throws(
    () =>
      buildKb({
        cwe: { file: 'a', bytes: cweXml },
        capec: { file: 'b', bytes: capecXml },
        overlay: { file: 'o', bytes: enc(JSON.stringify({ ...overlay, overlay: false })) },
      }),
    /overlay/,
  );
});

test('serialisation is deterministic and parses back to the same object', () => {
  const build = () =>
    buildKb({ cwe: { file: 'cwe-sample.xml', bytes: cweXml }, capec: { file: 'capec-sample.xml', bytes: capecXml } });
  const a = serializeKb(build());
  const b = serializeKb(build());
  assert.equal(a, b);
  assert.ok(a.endsWith('}\n'));
  const back = JSON.parse(a);
  assert.equal(serializeKb(back), a);
});

test('bad inputs are rejected with a message', () => {
  assert.throws(() => parseCweXml('<Other/>'), /not a CWE catalog/);
  assert.throws(() => parseCapecXml('<Other/>'), /not a CAPEC catalog/);
  assert.throws(() => parseCapecStix('{"type":"x"}'), /not a STIX bundle/);
});
