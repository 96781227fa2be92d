/**
 * Golden values of the mcp-in-sos model, worked out by hand from the MITRE fields
 * (CWE 4.15 = node_modules/cwe-sdk/raw/cwe-archive.xml; CAPEC 3.9 = ../shared/data/mitre/capec-3.9-stix.json).
 * Scale: Very Low 1, Low 2, Medium 3, High 4, Very High 5.
 * Likelihood = LA·LE·MI, Impact = TS·CC, R = Likelihood·Impact; R(c) = max over the CWE's CAPECs (ties → lowest id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKb } from '../../src/kb/load.js';
import { weaknessRisk } from '../../src/risk/mcpInSos.js';

const kb = loadKb();

function pairsOf(cwe: number, agg: 'max' | 'mean' = 'max') {
  const w = weaknessRisk(cwe, kb, agg);
  return { w, byCapec: Object.fromEntries(w.pairs.map((p) => [p.capec, [p.LA.value, p.TS.value]])) };
}

test('CWE-78 OS Command Injection', () => {
  // CWE-78: <Likelihood_Of_Exploit>High</Likelihood_Of_Exploit> → LE 4
  //   <Modes_Of_Introduction>: 1 <Introduction> (Implementation) → MI 1
  //   <Common_Consequences>: 1 <Consequence> (scopes C, I, A, Non-Repudiation) → CC 1
  //   <Related_Attack_Patterns>: CAPEC 108, 15, 43, 6, 88 (the same five name CWE-78 in their Related_Weaknesses)
  // CAPEC-6  Argument Injection:        x_capec_likelihood_of_attack High, x_capec_typical_severity High → 4·4 = 16
  // CAPEC-15 Command Delimiters:        High, High → 16
  // CAPEC-43 Multiple Input Interp.:    Medium, High → 3·4 = 12
  // CAPEC-88 OS Command Injection:      High, High → 16
  // CAPEC-108 Cmd Line Exec through SQLi: Low, Very High → 2·5 = 10
  // max LA·TS = 16 (CAPEC-6, 15, 88; tie → CAPEC-6): Likelihood = 4·4·1 = 16, Impact = 4·1 = 4, R = 64
  const { w, byCapec } = pairsOf(78);
  assert.deepEqual(byCapec, { 6: [4, 4], 15: [4, 4], 43: [3, 4], 88: [4, 4], 108: [2, 5] });
  assert.deepEqual([w.LE.value, w.MI.value, w.CC.value], [4, 1, 1]);
  assert.equal(w.LE.from, 'self');
  assert.equal(w.capecLink.kind, 'direct');
  assert.equal(w.chosenCapec, 6);
  assert.equal(w.likelihood, 16);
  assert.equal(w.impact, 4);
  assert.equal(w.R, 64);
  // mean option: R = LE·MI·CC · mean(LA·TS) = 4·1·1 · (16+16+12+16+10)/5 = 4 · 14 = 56
  assert.equal(weaknessRisk(78, kb, 'mean').R, 56);
});

test('CWE-22 Path Traversal', () => {
  // CWE-22: Likelihood_Of_Exploit High → LE 4; 1 Introduction (Implementation) → MI 1;
  //   4 Consequences (I/C/A: Execute Unauthorized Code; I: Modify Files; C: Read Files; A: DoS) → CC 4
  //   Related_Attack_Patterns: 126, 64, 76, 78, 79
  // CAPEC-64 High/High 16; CAPEC-76 High/Very High 20; CAPEC-78 High/High 16; CAPEC-79 High/High 16;
  // CAPEC-126 Path Traversal High/Very High 20  → max 20 (CAPEC-76, tie with 126 → lowest id)
  // Likelihood = 4·4·1 = 16, Impact = 5·4 = 20, R = 320
  const { w, byCapec } = pairsOf(22);
  assert.deepEqual(byCapec, { 64: [4, 4], 76: [4, 5], 78: [4, 4], 79: [4, 4], 126: [4, 5] });
  assert.deepEqual([w.LE.value, w.MI.value, w.CC.value], [4, 1, 4]);
  assert.equal(w.chosenCapec, 76);
  assert.equal(w.likelihood, 16);
  assert.equal(w.impact, 20);
  assert.equal(w.R, 320);
});

test('CWE-89 SQL Injection (one CAPEC likelihood inherited from its parent CAPEC)', () => {
  // CWE-89: Likelihood_Of_Exploit High → LE 4; 2 Introductions (Implementation, Implementation) → MI 2;
  //   5 Consequences → CC 5; Related_Attack_Patterns: 108, 109, 110, 470, 66, 7
  // CAPEC-7 Blind SQLi High/High 16; CAPEC-66 SQLi High/High 16; CAPEC-108 Low/Very High 10;
  // CAPEC-109 ORM Injection Low/High 8; CAPEC-110 SQLi through SOAP High/Very High 20;
  // CAPEC-470 Expanding Control over the OS: no Likelihood_Of_Attack → parent (ChildOf) CAPEC-66 High → 4; TS Very High → 20
  // max 20 (CAPEC-110, tie with 470 → lowest id): Likelihood = 4·4·2 = 32, Impact = 5·5 = 25, R = 800
  const { w, byCapec } = pairsOf(89);
  assert.deepEqual(byCapec, { 7: [4, 4], 66: [4, 4], 108: [2, 5], 109: [2, 4], 110: [4, 5], 470: [4, 5] });
  const p470 = w.pairs.find((p) => p.capec === 470)!;
  assert.equal(p470.LA.from, 'inherited');
  assert.equal(p470.LA.source, 'CAPEC-66');
  assert.deepEqual([w.LE.value, w.MI.value, w.CC.value], [4, 2, 5]);
  assert.equal(w.chosenCapec, 110);
  assert.equal(w.likelihood, 32);
  assert.equal(w.impact, 25);
  assert.equal(w.R, 800);
});

test('CWE-918 SSRF (no Likelihood_Of_Exploit anywhere up the chain → default)', () => {
  // CWE-918: no Likelihood_Of_Exploit; ChildOf 441 → 610 → 664 (pillar), none has one → default Medium 3
  //   2 Introductions (Architecture and Design, Implementation) → MI 2; 2 Consequences (C: Read Application Data;
  //   I: Execute Unauthorized Code or Commands) → CC 2; Related_Attack_Patterns: 664
  // CAPEC-664 Server Side Request Forgery: High/High → 16
  // Likelihood = 4·3·2 = 24, Impact = 4·2 = 8, R = 192
  const { w, byCapec } = pairsOf(918);
  assert.deepEqual(byCapec, { 664: [4, 4] });
  assert.equal(w.LE.value, 3);
  assert.equal(w.LE.from, 'default');
  assert.match(w.LE.text, /default/);
  assert.deepEqual([w.MI.value, w.CC.value], [2, 2]);
  assert.equal(w.likelihood, 24);
  assert.equal(w.impact, 8);
  assert.equal(w.R, 192);
});

test('CWE-798 Hard-coded Credentials', () => {
  // CWE-798: Likelihood_Of_Exploit High → LE 4; 1 Introduction (Architecture and Design) → MI 1;
  //   2 Consequences (Access Control: Bypass; I/C/A/AC/Other: …) → CC 2; Related_Attack_Patterns: 191, 70
  // CAPEC-70 Try Common or Default Usernames and Passwords: Medium/High → 3·4 = 12
  // CAPEC-191 Read Sensitive Constants Within an Executable: no Likelihood_Of_Attack → ChildOf 167 (none) →
  //   ChildOf 188 Reverse Engineering Low → 2; Typical_Severity Low → 2 → 2·2 = 4
  // max 12 (CAPEC-70): Likelihood = 3·4·1 = 12, Impact = 4·2 = 8, R = 96
  const { w, byCapec } = pairsOf(798);
  assert.deepEqual(byCapec, { 70: [3, 4], 191: [2, 2] });
  const p191 = w.pairs.find((p) => p.capec === 191)!;
  assert.equal(p191.LA.source, 'CAPEC-188');
  assert.deepEqual(p191.LA.path, [191, 167, 188]);
  assert.deepEqual([w.LE.value, w.MI.value, w.CC.value], [4, 1, 2]);
  assert.equal(w.chosenCapec, 70);
  assert.equal(w.likelihood, 12);
  assert.equal(w.impact, 8);
  assert.equal(w.R, 96);
  // mean: 4·1·2 · (12 + 4)/2 = 8 · 8 = 64
  assert.equal(weaknessRisk(798, kb, 'mean').R, 64);
});

test('CWE-1336 Template Injection: no direct CAPEC link, inherited from CWE-94', () => {
  // CWE-1336: no Related_Attack_Patterns, and no CAPEC names it in Related_Weaknesses.
  //   ChildOf (CWE-1000, Primary) 94 → CWE-94's links: CAPEC 242, 35, 77 → inherited from CWE-94
  //   no Likelihood_Of_Exploit → parent CWE-94 Likelihood_Of_Exploit Medium → LE 3 (inherited)
  //   2 Introductions (Architecture and Design, Implementation) → MI 2; 1 Consequence (Integrity) → CC 1
  // CAPEC-35 Leverage Executable Code in Non-Executable Files: High/Very High → 20
  // CAPEC-77 Manipulating User-Controlled Variables: High/Very High → 20
  // CAPEC-242 Code Injection: High/High → 16
  // max 20 (CAPEC-35): Likelihood = 4·3·2 = 24, Impact = 5·1 = 5, R = 120
  const { w, byCapec } = pairsOf(1336);
  assert.deepEqual(w.capecLink, { kind: 'inherited', from: 94, path: [1336, 94] });
  assert.equal(kb.cwe['1336']!.capecDirect.length, 0);
  assert.deepEqual(byCapec, { 35: [4, 5], 77: [4, 5], 242: [4, 4] });
  assert.equal(w.LE.value, 3);
  assert.equal(w.LE.from, 'inherited');
  assert.equal(w.LE.source, 'CWE-94');
  assert.deepEqual([w.MI.value, w.CC.value], [2, 1]);
  assert.equal(w.chosenCapec, 35);
  assert.equal(w.likelihood, 24);
  assert.equal(w.impact, 5);
  assert.equal(w.R, 120);
});

test('a CWE unknown to the KB falls back to the stated defaults', () => {
  const w = weaknessRisk(999999, kb);
  assert.equal(w.capecLink.kind, 'none');
  // LA 3 · LE 3 · MI 1 = 9; TS 3 · CC 1 = 3; R = 27
  assert.equal(w.R, 27);
  assert.ok(w.arithmetic.some((a) => /no CAPEC/.test(a)));
});

test('the MITRE fields quoted above, read straight from the source XML (independent of the KB parser)', async () => {
  const { readFileSync } = await import('node:fs');
  const { fromRoot } = await import('../helpers.js');
  const xml = readFileSync(fromRoot('node_modules', 'cwe-sdk', 'raw', 'cwe-archive.xml'), 'utf8');
  const raw = (id: number) => {
    const m = new RegExp(`<Weakness ID="${id}" [\\s\\S]*?</Weakness>`).exec(xml);
    assert.ok(m, `CWE-${id} in the XML`);
    const w = m[0];
    return {
      LE: /<Likelihood_Of_Exploit>([^<]*)</.exec(w)?.[1] ?? null,
      MI: (w.match(/<Introduction>/g) ?? []).length,
      CC: (w.match(/<Consequence>/g) ?? []).length,
      RAP: [...w.matchAll(/<Related_Attack_Pattern CAPEC_ID="(\d+)"/g)].map((x) => Number(x[1])).sort((a, b) => a - b),
    };
  };
  assert.deepEqual(raw(78), { LE: 'High', MI: 1, CC: 1, RAP: [6, 15, 43, 88, 108] });
  assert.deepEqual(raw(22), { LE: 'High', MI: 1, CC: 4, RAP: [64, 76, 78, 79, 126] });
  assert.deepEqual(raw(89), { LE: 'High', MI: 2, CC: 5, RAP: [7, 66, 108, 109, 110, 470] });
  assert.deepEqual(raw(918), { LE: null, MI: 2, CC: 2, RAP: [664] });
  assert.deepEqual(raw(798), { LE: 'High', MI: 1, CC: 2, RAP: [70, 191] });
  assert.deepEqual(raw(1336), { LE: null, MI: 2, CC: 1, RAP: [] });
  assert.equal(raw(94).LE, 'Medium');
});
