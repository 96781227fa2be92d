import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, toJson, toSurfaceText, toTerminal } from '../../src/report/index.js';
import { sampleAssessment } from './sample.js';

const ESC = '\u001b';

/** Index of `needle` in `text`, failing when absent. */
function at(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `missing ${JSON.stringify(needle)} in:\n${text}`);
  return i;
}

test('without colour: no escape codes; header and surface summary', () => {
  const out = toTerminal(sampleAssessment(), { color: false });
  assert.ok(!out.includes(ESC));
  assert.ok(out.endsWith('\n'));
  const first = out.split('\n')[0]!;
  assert.match(first, /files-mcp 1\.4\.2/);
  assert.match(first, /mcp-risk 0\.1\.0/);
  at(out, 'read_file, run_command');
  at(out, 'Resources (1)');
  at(out, 'stdio');
  at(out, 'http, 0.0.0.0:3000, auth absent, origin check absent');
  at(out, '14 files, 2,310 lines, 87 functions (javascript 2, typescript 12)');
});

test('with colour: escape codes are written', () => {
  const out = toTerminal(sampleAssessment(), { color: true });
  assert.ok(out.includes(`${ESC}[`));
  assert.ok(out.includes(`${ESC}[0m`));
  // Same text once the codes are stripped.
  assert.equal(out.replace(/\u001b\[[0-9;]*m/g, ''), toTerminal(sampleAssessment(), { color: false }));
});

test('findings are grouped server → primitive kind → primitive name', () => {
  const out = toTerminal(sampleAssessment(), { color: false });
  const tools = at(out, 'Tools (2 findings)');
  const protocol = at(out, 'Protocol (server-wide) (1 finding)');
  assert.ok(tools < protocol);
  assert.ok(!out.includes('Resources (') || out.indexOf('Resources (0') < 0);
  // Tools in the order of their most severe finding: run_command (critical) before read_file (high).
  const runCommand = at(out, 'tool run_command', tools);
  const readFile = at(out, 'tool read_file', tools);
  assert.ok(runCommand < readFile && readFile < protocol);
  const cwe22 = at(out, 'CWE-22');
  const cwe78 = at(out, 'CWE-78');
  const cwe798 = at(out, 'CWE-798');
  assert.ok(runCommand < cwe78 && cwe78 < readFile, 'CWE-78 under run_command');
  assert.ok(readFile < cwe22 && cwe22 < protocol, 'CWE-22 under read_file');
  assert.ok(protocol < cwe798, 'CWE-798 under protocol');
});

test('a finding shows badge, CWE title, position, message, snippet, trace, note, fix and tags', () => {
  const out = toTerminal(sampleAssessment(), { color: false });
  const block = out.slice(at(out, 'CRITICAL'), at(out, 'tool read_file'));
  assert.match(block, /^CRITICAL +CWE-78 +OS command injection +\[injection\]/);
  at(block, 'src/tools/run.ts:22:5');
  at(block, 'reaches child_process.exec()');
  at(block, '22 │     exec(`git ${cmd}`, { cwd: root }, cb);');
  assert.match(block, /Trace:\n +1\. source +src\/tools\/run\.ts:9 +argument `command` of tool `run_command`/);
  assert.match(block, /2\. step +src\/tools\/run\.ts:11 /);
  assert.match(block, /3\. call +src\/tools\/run\.ts:13 /);
  assert.match(block, /4\. sink +src\/tools\/run\.ts:22 +child_process\.exec\(\)/);
  at(block, 'Fix: Use execFile');

  const trav = out.slice(at(out, 'CWE-22'), at(out, 'Protocol ('));
  at(trav, '[capability] [weak-guard]');
  at(trav, 'Note: The check');
  assert.match(trav, /2\. guard +src\/tools\/read\.ts:21/);

  const cred = out.slice(at(out, 'CWE-798'));
  at(cred, '[REDACTED]');
});

test('summary line with counts by severity and a partial-result note', () => {
  const out = toTerminal(sampleAssessment(), { color: false });
  at(out, 'Summary: 3 findings — 1 critical, 1 high, 1 medium, 0 low, 0 info');
  assert.match(out, /Partial result: .*1 warning.*lower bound/);
  at(out, 'Warnings (1)');
  at(out, 'parse-error src/legacy/old.js');

  const a = sampleAssessment();
  a.partial = false;
  a.warnings = [];
  const full = toTerminal(a, { color: false });
  assert.ok(!full.includes('Partial result'));
});

test('minSeverity hides less severe findings but still counts them', () => {
  const out = toTerminal(sampleAssessment(), { color: false, minSeverity: 'high' });
  at(out, 'CWE-78');
  at(out, 'CWE-22');
  assert.ok(!out.includes('CWE-798'));
  assert.ok(!out.includes('Protocol ('));
  at(out, 'Summary: 3 findings');
  at(out, '1 below high not shown');
});

test('no findings', () => {
  const a = sampleAssessment();
  a.findings = [];
  const out = toTerminal(a, { color: false });
  at(out, 'No findings.');
  at(out, 'Summary: 0 findings');
});

test('verbose adds ids, sources and trace snippets', () => {
  const out = toTerminal(sampleAssessment(), { color: false, verbose: true });
  at(out, 'rule command-injection · id f3a1c9e2b7d40c11');
  at(out, 'source tool-argument `command` at src/tools/run.ts:9:24');
  at(out, 'const cmd = command.trim();');
  assert.ok(!toTerminal(sampleAssessment(), { color: false }).includes('f3a1c9e2b7d40c11'));
});

test('text from the analysed code cannot inject terminal escapes or bidi overrides', () => {
  const a = sampleAssessment();
  a.findings[0]!.message = `evil ${ESC}]0;pwned\u0007 text \u202egnp.exe`;
  a.findings[0]!.snippet = `x = "${ESC}[2J"`;
  a.surface.tools[0]!.name = `read${ESC}[31m_file`;
  for (const color of [false, true]) {
    const out = toTerminal(a, { color });
    assert.ok(!out.includes(`${ESC}]`));
    assert.ok(!out.includes(`${ESC}[2J`));
    assert.ok(!out.includes(`${ESC}[31m_file`));
    assert.ok(!out.includes('\u202e'));
    at(out, 'evil \\x1b]0;pwned\\x07 text <U+202E>gnp.exe');
  }
  assert.ok(!toSurfaceText(a).includes(ESC));
});

test('toSurfaceText lists primitives with parameters, truncated descriptions and transports', () => {
  const out = toSurfaceText(sampleAssessment());
  assert.ok(!out.includes(ESC));
  at(out, 'files-mcp 1.4.2');
  const tools = at(out, 'Tools (2)');
  const resources = at(out, 'Resources (1)');
  const prompts = at(out, 'Prompts (0)');
  const transports = at(out, 'Transports (2)');
  assert.ok(tools < resources && resources < prompts && prompts < transports);
  at(out, 'read_file “Read file”  server.registerTool, src/tools/read.ts:8');
  at(out, '- path: string, required  — Path of the file, relative to the workspace root.');
  at(out, '- encoding: enum(utf8|base64)');
  at(out, '- timeoutMs: integer');
  at(out, 'config config://app');
  at(out, '(no parameters)');
  // The long read_file description is cut with an ellipsis.
  const descLine = out.split('\n').find((l) => l.includes('Read the complete contents'))!;
  assert.ok(descLine.endsWith('…'), descLine);
  assert.ok(descLine.trim().length <= 72);
  at(out, 'http, 0.0.0.0:3000, auth absent, origin check absent  src/http.ts:12');
  assert.ok(toSurfaceText(sampleAssessment(), { color: true }).includes(ESC));
});

test('render dispatches to the three formats', () => {
  const a = sampleAssessment();
  assert.equal(render(a, 'json'), toJson(a));
  assert.equal(render(a, 'terminal'), toTerminal(a, { color: false }));
  assert.equal(render(a, 'terminal', { color: true, minSeverity: 'critical' }), toTerminal(a, { color: true, minSeverity: 'critical' }));
  const sarif = JSON.parse(render(a, 'sarif'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(render(a, 'sarif').endsWith('}\n'));
  assert.throws(() => render(a, 'xml' as never), /unknown report format/);
});
