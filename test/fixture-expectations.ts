/**
 * The expected.json of a fixture server (test/fixtures/servers/*, test/fixtures/python-servers/*) and the check of
 * an assessment against it, shared by the TypeScript and Python fixture suites.
 */
import assert from 'node:assert/strict';
import type { Assessment } from '../src/model.js';

export interface ExpectedFinding {
  cwe: number;
  file: string;
  line: number;
  primitive: string;
  name?: string;
}

export interface Expected {
  description: string;
  /** Python fixtures: the twin folder. */
  twin?: string;
  exact?: boolean;
  findings: ExpectedFinding[];
  absent?: number[];
  surface?: { tools?: string[]; resources?: string[]; prompts?: string[]; transports?: string[] };
}

export function key(f: ExpectedFinding): string {
  return `CWE-${f.cwe} ${f.file}:${f.line} ${f.primitive}${f.name ? ` ${f.name}` : ''}`;
}

/**
 * Every expected finding is there (not `info`), the `absent` CWEs are not (outside expected lines), the findings
 * are exactly those with `exact`, and the surface has the expected names and transports.
 */
export function checkExpected(a: Assessment, exp: Expected): void {
  const got = [
    ...new Set(
      a.findings
        .filter((f) => f.severity !== 'info')
        .map((f) => key({ cwe: f.cwe, file: f.location.file, line: f.location.line, primitive: f.primitive.kind, name: f.primitive.kind === 'protocol' ? undefined : f.primitive.name })),
    ),
  ].sort();
  const want = [...new Set(exp.findings.map((f) => key({ ...f, name: f.primitive === 'protocol' ? undefined : f.name })))].sort();
  for (const w of want) assert.ok(got.includes(w), `missing ${w}\n got: ${got.join('\n      ')}`);
  for (const cwe of exp.absent ?? []) {
    const bad = a.findings.filter((f) => f.cwe === cwe && f.severity !== 'info' && !want.some((w) => w.startsWith(`CWE-${cwe} ${f.location.file}:${f.location.line} `)));
    assert.equal(bad.length, 0, `CWE-${cwe} must be absent, got ${bad.map((f) => `${f.location.file}:${f.location.line}`).join(', ')}`);
  }
  if (exp.exact) assert.deepEqual(got, want);
  if (exp.surface) {
    const s = a.surface;
    if (exp.surface.tools) assert.deepEqual(s.tools.map((t) => t.name).sort(), [...exp.surface.tools].sort(), 'tools');
    if (exp.surface.resources) assert.deepEqual(s.resources.map((t) => t.name).sort(), [...exp.surface.resources].sort(), 'resources');
    if (exp.surface.prompts) assert.deepEqual(s.prompts.map((t) => t.name).sort(), [...exp.surface.prompts].sort(), 'prompts');
    if (exp.surface.transports) assert.deepEqual([...new Set(s.transports.map((t) => t.kind))].sort(), [...new Set(exp.surface.transports)].sort(), 'transports');
  }
}
