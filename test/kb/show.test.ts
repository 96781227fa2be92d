import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kbShow } from '../../src/kb/commands.js';

test('kb show CWE-78 prints the entry, its factors and its CAPEC links', () => {
  const s = kbShow('CWE-78');
  assert.match(s, /^CWE-78: Improper Neutralization of Special Elements used in an OS Command/);
  assert.match(s, /Catalog: CWE 4\.15/);
  assert.match(s, /Likelihood_Of_Exploit: High/);
  assert.match(s, /Modes_Of_Introduction \(1\): Implementation/);
  assert.match(s, /Parents \(ChildOf, view CWE-1000\): CWE-77 /);
  assert.match(s, /CAPEC attack patterns \(5, direct\)/);
  assert.match(s, /CAPEC-88 +LA High, TS High — OS Command Injection/);
  assert.match(s, /LE {2}= High \(4\) — CWE-78 Likelihood_Of_Exploit/);
  assert.equal(kbShow('cwe78'), s);
  assert.equal(kbShow('78'), s);
});

test('kb show CAPEC-88 prints the pattern and its links', () => {
  const s = kbShow('CAPEC-88');
  assert.match(s, /^CAPEC-88: OS Command Injection/);
  assert.match(s, /Catalog: CAPEC 3\.9/);
  assert.match(s, /Likelihood_Of_Attack: High {3}Typical_Severity: High/);
  assert.match(s, /Domains: Software/);
  assert.match(s, /Parents \(ChildOf\): CAPEC-248 Command Injection/);
  assert.match(s, /Related_Weaknesses: CWE-20 .*CWE-78 .*CWE-88 .*CWE-697 /);
  assert.match(s, /Mitigations \(3\):/);
  assert.match(s, /Skills required:\n {2}- High: /);
});

test('kb show marks inherited links, overlay entries and defaults', () => {
  const s1336 = kbShow('CWE-1336');
  assert.match(s1336, /inherited from CWE-94 \(walk CWE-1336 → CWE-94\)/);
  assert.match(s1336, /LE {2}= Medium \(3\) — inherited from CWE-94/);
  const s1427 = kbShow('CWE-1427');
  assert.match(s1427, /\[overlay\]/);
  assert.match(s1427, /Overlay entry \(hand-kept, not in CWE 4\.15\)/);
  const s918 = kbShow('CWE-918');
  assert.match(s918, /LE {2}= Medium \(3\) — default/);
  const s1357 = kbShow('CWE-1357');
  assert.match(s1357, /overlay \(hand-kept\)/);
});

test('kb show rejects unknown ids', () => {
  assert.throws(() => kbShow('CWE-999999'), /not in the knowledge base/);
  assert.throws(() => kbShow('CAPEC-409'), /deprecated patterns are not kept/); // CAPEC-409 is deprecated in 3.9
  assert.throws(() => kbShow('ATT&CK-1'), /not a CWE or CAPEC id/);
});
