/**
 * Fixture servers (test/fixtures/servers/*): each folder has an expected.json with the exact findings
 * (CWE, file, line, primitive, name) and the CWEs that must be absent. Vulnerable and safe twins.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import { fromRoot } from '../helpers.js';

interface Expected {
  description: string;
  exact?: boolean;
  findings: { cwe: number; file: string; line: number; primitive: string; name?: string }[];
  absent?: number[];
  surface?: { tools?: string[]; resources?: string[]; prompts?: string[]; transports?: string[] };
}

const root = fromRoot('test', 'fixtures', 'servers');
const dirs = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'expected.json'))).sort().map((d) => path.join(root, d)) : [];
// the README's bundled example is held to its expected findings too
dirs.push(fromRoot('examples', 'vulnerable-server'));

export function key(f: { cwe: number; file: string; line: number; primitive: string; name?: string }): string {
  return `CWE-${f.cwe} ${f.file}:${f.line} ${f.primitive}${f.name ? ` ${f.name}` : ''}`;
}

describe('fixture servers', () => {
  for (const dir of dirs) {
    it(path.basename(dir), async () => {
      const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const a = await assess(dir);
      const got = [...new Set(a.findings.filter((f) => f.severity !== 'info').map((f) => key({ cwe: f.cwe, file: f.location.file, line: f.location.line, primitive: f.primitive.kind, name: f.primitive.kind === 'protocol' ? undefined : f.primitive.name })))].sort();
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
    });
  }
});
