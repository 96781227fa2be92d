import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKb } from '../../src/kb/load.js';
import { EMITTED_CWES } from '../../src/kb/emitted-cwes.js';
import { CWE_TO_OWASP, OWASP_MCP_TOP10, ciaOf, owaspCategories } from '../../src/risk/threats.js';
import { scoreAssessment } from '../../src/risk/index.js';
import { finding } from './findings.js';

const kb = loadKb();

test('the OWASP MCP Top 10 (2025) has ten categories MCP01..MCP10', () => {
  assert.deepEqual(
    Object.keys(OWASP_MCP_TOP10),
    Array.from({ length: 10 }, (_, i) => `MCP${String(i + 1).padStart(2, '0')}:2025`),
  );
});

test('every emitted CWE has an OWASP MCP Top 10 category', () => {
  for (const c of EMITTED_CWES) {
    const t = CWE_TO_OWASP[c];
    assert.ok(t, `CWE-${c} has a category`);
    assert.ok(OWASP_MCP_TOP10[t.id], `CWE-${c} → ${t.id} exists`);
  }
  assert.equal(CWE_TO_OWASP[78]!.id, 'MCP05:2025');
  assert.equal(CWE_TO_OWASP[798]!.id, 'MCP01:2025');
  assert.equal(CWE_TO_OWASP[306]!.id, 'MCP07:2025');
  assert.equal(CWE_TO_OWASP[1427]!.id, 'MCP06:2025');
  assert.equal(CWE_TO_OWASP[451]!.id, 'MCP03:2025');
  assert.equal(CWE_TO_OWASP[829]!.id, 'MCP04:2025');
});

test('tag and context rules add categories', () => {
  const ctx = { networkExposedWithoutAuth: true, capabilities: { shell: false, fs: false, network: false } };
  assert.deepEqual(
    owaspCategories({ cwe: 78, tags: ['capability'] }).map((c) => c.id),
    ['MCP05:2025', 'MCP02:2025'],
  );
  assert.deepEqual(
    owaspCategories({ cwe: 306, tags: [] }, ctx).map((c) => c.id),
    ['MCP07:2025', 'MCP09:2025'],
  );
  assert.deepEqual(
    owaspCategories({ cwe: 306, tags: [] }).map((c) => c.id),
    ['MCP07:2025'],
  );
});

test('C/I/A from Common_Consequences scopes', () => {
  // CWE-78: one consequence with scopes Confidentiality, Integrity, Availability, Non-Repudiation
  assert.deepEqual(ciaOf(78, kb), { C: true, I: true, A: true, scopes: ['Availability', 'Confidentiality', 'Integrity', 'Non-Repudiation'] });
  // CWE-918: Confidentiality; Integrity
  const s = ciaOf(918, kb);
  assert.deepEqual([s.C, s.I, s.A], [true, true, false]);
  // CWE-1357: Other only → none
  const o = ciaOf(1357, kb);
  assert.deepEqual([o.C, o.I, o.A], [false, false, false]);
  // Access Control → C and I
  const ac = ciaOf(306, kb);
  assert.ok(ac.scopes.includes('Access Control'));
  assert.deepEqual([ac.C, ac.I], [true, true]);
});

test('every finding carries primitive, C/I/A, OWASP category and CAPEC patterns with likelihood and severity', () => {
  const fs = EMITTED_CWES.map((c, i) =>
    finding(`f${String(i).padStart(2, '0')}`, c, { primitive: { kind: (['tool', 'resource', 'prompt', 'protocol'] as const)[i % 4] } }),
  );
  const r = scoreAssessment(fs, { networkExposedWithoutAuth: false, capabilities: { shell: true, fs: true, network: true } });
  assert.equal(r.findings.length, EMITTED_CWES.length);
  for (const f of r.findings) {
    const t = f.threats;
    assert.ok(['Tool', 'Resource', 'Prompt', 'Protocol'].includes(t.primitive));
    assert.ok(t.owasp.length >= 1, `CWE-${f.cwe} has an OWASP category`);
    assert.ok(t.capec.length >= 1, `CWE-${f.cwe} has CAPEC patterns`);
    for (const p of t.capec) {
      assert.ok(p.likelihood.value >= 1 && p.likelihood.value <= 5);
      assert.ok(p.severity.value >= 1 && p.severity.value <= 5);
    }
  }
  assert.equal(r.findings.find((f) => f.findingId === 'f01')!.threats.primitive, 'Resource');
});
