/**
 * The same input gives byte-identical reports whatever the machine's locale: what mcp-risk sorts (findings,
 * surface lists, warnings) is ordered by code units (src/order.ts), not by the locale's collation, under which
 * `ä` sorts before `z` in en_US and after it in sv_SE.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fromRoot } from '../helpers.js';

const server = (name: string) => `from mcp.server.fastmcp import FastMCP
import os

mcp = FastMCP("${name}")


@mcp.tool()
def run_${name}(cmd: str) -> str:
    """Run a command."""
    return str(os.system(cmd))
`;

describe('reports do not depend on the locale', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-risk-locale-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // en_US collation: Apfel < äpfel < zeta; code units: Apfel < zeta < äpfel; sv_SE: Apfel < zeta < äpfel
  for (const n of ['zeta', 'äpfel', 'Apfel']) writeFileSync(path.join(dir, `${n}.py`), server(n.normalize('NFC').replace('ä', 'ae')));
  writeFileSync(path.join(dir, 'bad.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xff, 0x22, 0x0a])); // invalid UTF-8: a warning
  writeFileSync(path.join(dir, 'Äbad.py'), Buffer.from([0x79, 0x20, 0x3d, 0x20, 0x22, 0xfe, 0x22, 0x0a]));

  const scan = (locale: string) => {
    const r = spawnSync(process.execPath, [fromRoot('build', 'src', 'cli.js'), 'scan', dir, '--format', 'json', '--fail-on', 'none'], {
      encoding: 'utf8',
      env: { ...process.env, LANG: locale, LC_ALL: locale },
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  it('gives the same bytes under en_US, sv_SE and C, in code-unit order', () => {
    const en = scan('en_US.UTF-8');
    assert.equal(scan('sv_SE.UTF-8'), en);
    assert.equal(scan('C'), en);
    const doc = JSON.parse(en) as { findings: { location: { file: string } }[]; surface: { tools: { location: { file: string } }[] }; warnings: { file?: string }[] };
    const files = (xs: { location: { file: string } }[]) => [...new Set(xs.map((x) => x.location.file))];
    assert.deepEqual(files(doc.surface.tools), ['Apfel.py', 'zeta.py', 'äpfel.py']);
    assert.deepEqual(files(doc.findings.filter((f) => /\.py$/.test(f.location.file))), ['Apfel.py', 'zeta.py', 'äpfel.py']);
    assert.deepEqual(
      doc.warnings.map((w) => w.file),
      ['bad.py', 'Äbad.py'],
    );
  });
});
