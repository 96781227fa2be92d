/**
 * Equations 9–11 (R_exp, R_rms, R_overall) on small finding sets computed by hand, and server ranking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverEquations } from '../../src/risk/mcpInSos.js';
import { rankServers, scoreAssessment } from '../../src/risk/index.js';
import { finding } from './findings.js';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} ≠ ${b}`);

test('equations 9–11 on a synthetic set: f = (1, 3), R = (10, 20)', () => {
  // N = 1 + 3 = 4
  // (9)  R_exp = 1·10 + 3·20 = 70
  // (10) R_rms = √((1·100 + 3·400)/4) = √325 = 18.027756377319946
  // (11) R_overall = √325 · log10(5) = 12.600860953224014
  const s = serverEquations([
    { cwe: 1, f: 1, R: 10 },
    { cwe: 2, f: 3, R: 20 },
  ]);
  assert.equal(s.N, 4);
  assert.equal(s.R_exp, 70);
  close(s.R_rms, 18.027756377319946);
  close(s.R_overall, 12.600860953224014);
  assert.equal(s.arithmetic.length, 4);
});

test('equations 9–11 on findings: 2× CWE-78 (R 64), 1× CWE-22 (R 320), 1× CWE-918 (R 192)', () => {
  // R values from the golden tests. N = 4
  // (9)  R_exp = 2·64 + 1·320 + 1·192 = 640
  // (10) R_rms = √((2·64² + 320² + 192²)/4) = √((8192 + 102400 + 36864)/4) = √36864 = 192
  // (11) R_overall = 192 · log10(5) = 134.20224083251563
  const fs = [finding('a', 78), finding('b', 78), finding('c', 22), finding('d', 918)];
  const r = scoreAssessment(fs, { networkExposedWithoutAuth: false, capabilities: { shell: false, fs: false, network: false } });
  const s = r.server.mcpInSos;
  assert.equal(s.N, 4);
  assert.deepEqual(s.weaknesses, [
    { cwe: 22, f: 1, R: 320 },
    { cwe: 78, f: 2, R: 64 },
    { cwe: 918, f: 1, R: 192 },
  ]);
  assert.equal(s.R_exp, 640);
  close(s.R_rms, 192);
  close(s.R_overall, 134.20224083251563);
  assert.deepEqual(r.kb.cwe, '4.15');
  assert.deepEqual(r.kb.capec, '3.9');
});

test('one finding: R_rms = R and R_overall = R·log10(2); none: all zero', () => {
  const one = serverEquations([{ cwe: 78, f: 1, R: 64 }]);
  assert.equal(one.R_exp, 64);
  close(one.R_rms, 64);
  close(one.R_overall, 64 * 0.3010299956639812);
  const none = serverEquations([]);
  assert.deepEqual([none.N, none.R_exp, none.R_rms, none.R_overall], [0, 0, 0, 0]);
});

test('rankServers orders by R_overall (default) or by the contextual score', () => {
  const ctx = { networkExposedWithoutAuth: false, capabilities: { shell: false, fs: false, network: false } };
  const a = scoreAssessment([finding('a1', 22)], ctx); // R_overall = 320·log10 2 ≈ 96.3
  const b = scoreAssessment([finding('b1', 78), finding('b2', 78), finding('b3', 78)], ctx); // 64·log10 4 ≈ 38.5
  const c = scoreAssessment([], ctx);
  const ranked = rankServers([
    { name: 'b', report: b },
    { name: 'c', report: c },
    { name: 'a', report: a },
  ]);
  assert.deepEqual(
    ranked.map((x) => [x.rank, x.name]),
    [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ],
  );
  const byCtx = rankServers(
    [
      { name: 'a', report: a },
      { name: 'c', report: c },
    ],
    'contextual',
  );
  assert.equal(byCtx[0]!.name, 'a');
  assert.equal(byCtx[1]!.grade, 'A');
});
