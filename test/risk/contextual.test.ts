/**
 * The contextual model: reachability, exposure, confidence, capabilities; server score and grade.
 * Base values come from the KB (CWE 4.15 / CAPEC 3.9), quoted in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKb } from '../../src/kb/load.js';
import { cellScore, contextualRisk, gradeOf, bandOf, serverContextual } from '../../src/risk/contextual.js';
import { weaknessRisk } from '../../src/risk/mcpInSos.js';
import { scoreAssessment } from '../../src/risk/index.js';
import type { RiskContext } from '../../src/risk/types.js';
import { finding, srcLoc } from './findings.js';

const kb = loadKb();
const none = { shell: false, fs: false, network: false };
const stdio: RiskContext = { networkExposedWithoutAuth: false, capabilities: none };
const src = (kind: 'tool-argument' | 'environment' | 'prompt-argument' | 'file') => ({ kind, name: 'x', location: srcLoc });

test('cell score, bands and grades', () => {
  assert.equal(cellScore(1, 1), 0);
  assert.equal(cellScore(5, 5), 10);
  assert.equal(cellScore(4, 4), 6.3); // 10·15/24 = 6.25 → 6.3
  assert.equal(cellScore(3, 4), 4.6); // 10·11/24 = 4.583…
  assert.deepEqual([bandOf(2.4), bandOf(2.5), bandOf(5), bandOf(7.5)], ['low', 'medium', 'high', 'critical']);
  assert.deepEqual([gradeOf(0), gradeOf(2.5), gradeOf(5), gradeOf(6.5), gradeOf(7.5)], ['A', 'B', 'C', 'D', 'F']);
});

test('CWE-78 from a tool argument: attacker-influenced, code execution → L5×I5', () => {
  // base pair CAPEC-6 (LA High 4, TS High 4), CWE-78 LE High 4 → (4+4)/2 = 4; tool argument +1 → 5
  // impact: TS 4, code-execution floor 5 → 5; score 10
  const c = contextualRisk(finding('x', 78, { source: src('tool-argument') }), weaknessRisk(78, kb), stdio);
  assert.equal(c.likelihood, 5);
  assert.equal(c.impact, 5);
  assert.equal(c.cell, 'L5×I5');
  assert.equal(c.score, 10);
  assert.equal(c.band, 'critical');
});

test('the same sink reachable only from configuration, low confidence, is much lower', () => {
  // 4 − 1 (environment) − 1 (low confidence) = 2; impact 5 → 10·9/24 = 3.75 → 3.8
  const c = contextualRisk(
    finding('x', 78, { source: src('environment'), confidence: 'low' }),
    weaknessRisk(78, kb),
    stdio,
  );
  assert.equal(c.likelihood, 2);
  assert.equal(c.impact, 5);
  assert.equal(c.score, 3.8);
  assert.equal(c.band, 'medium');
});

test('network exposure without authentication raises reachable findings and auth gaps only', () => {
  const exposed: RiskContext = { networkExposedWithoutAuth: true, capabilities: none };
  // CWE-798 (no source): base (LA 3 [CAPEC-70 Medium] + LE 4)/2 = 3.5; medium confidence −0.5 → 3; exposure does not apply
  const hc = contextualRisk(finding('x', 798, { confidence: 'medium' }), weaknessRisk(798, kb), exposed);
  assert.equal(hc.likelihood, 3);
  assert.equal(hc.impact, 4); // TS High (CAPEC-70)
  assert.equal(hc.score, 4.6);
  assert.equal(hc.likelihoodFactors.find((f) => f.name === 'exposure')!.delta, 0);
  // CWE-1007 from a tool argument: base (LA 2 [CAPEC-632 Low] + LE 3)/2 = 2.5; +1 argument; +1 exposure → 4.5 → 5
  const ta = contextualRisk(finding('x', 1007, { source: src('tool-argument') }), weaknessRisk(1007, kb), exposed);
  assert.equal(ta.likelihood, 5);
  assert.equal(contextualRisk(finding('x', 1007, { source: src('tool-argument') }), weaknessRisk(1007, kb), stdio).likelihood, 4); // 3.5 → 4
});

test('gateway weaknesses take the server capabilities as an impact floor', () => {
  // CWE-1007 (homoglyph tool name), no source: L = round((2 + 3)/2) = round(2.5) = 3; TS Medium 3 (CAPEC-632)
  const w = weaknessRisk(1007, kb);
  const f = finding('x', 1007);
  const imp = (caps: RiskContext['capabilities']) => contextualRisk(f, w, { networkExposedWithoutAuth: false, capabilities: caps });
  assert.equal(imp(none).likelihood, 3);
  assert.equal(imp(none).impact, 3);
  assert.equal(imp({ ...none, network: true }).impact, 3);
  assert.equal(imp({ ...none, fs: true }).impact, 4);
  assert.equal(imp({ shell: true, fs: true, network: true }).impact, 5);
  assert.equal(imp({ shell: true, fs: true, network: true }).score, 5.8); // 10·14/24
});

test('one critical finding is not averaged away by many trivial ones', () => {
  // CWE-532 from the environment: base (LA 4 [CAPEC-215] + LE 3)/2 = 3.5 − 1 = 2.5 → 3; TS Low 2 → 10·5/24 = 2.1 (low)
  const trivial = Array.from({ length: 20 }, (_, i) => finding(`t${String(i).padStart(2, '0')}`, 532, { source: src('environment') }));
  const onlyTrivial = scoreAssessment(trivial, stdio);
  assert.ok(onlyTrivial.findings.every((x) => x.contextual.score === 2.1));
  assert.equal(onlyTrivial.server.contextual.score, 2.1);
  assert.equal(onlyTrivial.server.contextual.grade, 'A');
  const withCritical = scoreAssessment([...trivial, finding('crit', 78, { source: src('tool-argument') })], stdio);
  assert.equal(withCritical.server.contextual.score, 10);
  assert.equal(withCritical.server.contextual.grade, 'F');
  assert.equal(withCritical.server.contextual.worstFinding, 'crit');
  assert.equal(withCritical.server.contextual.bands.low, 20);
  assert.equal(withCritical.server.contextual.bands.critical, 1);
});

test('server score: max + 0.25 per other finding scoring ≥ 5, bonus capped at 1', () => {
  const s = serverContextual([
    { findingId: 'a', score: 5.8 },
    { findingId: 'b', score: 5.8 },
    { findingId: 'c', score: 6.3 },
    { findingId: 'd', score: 4.9 },
  ]);
  assert.equal(s.score, 6.8); // 6.3 + 0.25·2
  assert.equal(s.grade, 'D');
  const capped = serverContextual(Array.from({ length: 9 }, (_, i) => ({ findingId: `f${i}`, score: 6 })));
  assert.equal(capped.score, 7); // 6 + min(1, 0.25·8)
  assert.deepEqual(serverContextual([]).grade, 'A');
});

test('deterministic: the same input gives the same report, whatever the finding order', () => {
  const fs = [finding('b', 22, { source: src('tool-argument') }), finding('a', 918, { source: src('file') })];
  const one = JSON.stringify(scoreAssessment(fs, stdio));
  const two = JSON.stringify(scoreAssessment([...fs].reverse(), stdio));
  assert.equal(one, two);
});
