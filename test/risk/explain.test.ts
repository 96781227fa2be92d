import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainFinding, explainServer, scoreAssessment } from '../../src/risk/index.js';
import { finding, srcLoc } from './findings.js';

const ctx = { networkExposedWithoutAuth: false, capabilities: { shell: false, fs: true, network: true } };

test('explain shows every factor with its provenance and the arithmetic', () => {
  const f918 = finding('ssrf', 918, { source: { kind: 'tool-argument', name: 'url', location: srcLoc } });
  const f1336 = finding('tmpl', 1336);
  const r = scoreAssessment([f918, f1336], ctx);
  const e918 = explainFinding(f918, r.findings.find((x) => x.findingId === 'ssrf')!, r);
  assert.match(e918, /Knowledge base: CWE 4\.15, CAPEC 3\.9/);
  assert.match(e918, /LE = Medium \(3\) — default/);
  assert.match(e918, /MI = 2 — CWE-918 Modes_Of_Introduction count/);
  assert.match(e918, /LA = High \(4\) — CAPEC-664 Likelihood_Of_Attack/);
  assert.match(e918, /Likelihood = LA·LE·MI = 4·3·2 = 24; Impact = TS·CC = 4·2 = 8; R = 24·8 = 192/);
  assert.match(e918, /contextual → L\d×I\d, score/);
  assert.match(e918, /reachability +\+1 +source tool-argument/);
  assert.match(e918, /OWASP MCP05:2025 Command Injection & Execution/);
  assert.match(e918, /fill rule for missing MITRE values:/);
  const e1336 = explainFinding(f1336, r.findings.find((x) => x.findingId === 'tmpl')!);
  assert.match(e1336, /CAPEC link: inherited from CWE-94 \(walk CWE-1336 → CWE-94\)/);
  assert.match(e1336, /LE = Medium \(3\) — inherited from CWE-94/);
  assert.match(e1336, /R\(CWE-1336\) = max over 3 CAPEC\(s\) = 120 \(CAPEC-35/);
});

test('server explanation lists equations 9–11 and the grade', () => {
  const r = scoreAssessment([finding('a', 78), finding('b', 22)], ctx);
  const s = explainServer(r);
  assert.match(s, /\(9\) {2}R_exp = Σ f\(c\)·R\(c\) = 1·320 \+ 1·64 = 384/);
  assert.match(s, /\(10\) R_rms/);
  assert.match(s, /\(11\) R_overall = R_rms·log10\(N\+1\)/);
  assert.match(s, /grade [A-F]/);
});
