/**
 * PyPI acquisition without PyPI: a local `--find-links` folder of distributions, and a local HTTP server
 * answering like a PEP 503 simple index (for a release with no wheel: the sdist is fetched, never built).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { acquire } from '../../src/acquire/index.js';
import { normalizeName, parsePypiSpec, pickDistribution } from '../../src/acquire/pypi.js';

/** Build distributions with python's own zipfile/tarfile (no pip build, no network). */
function makeDists(dir: string): void {
  const py = `
import zipfile, tarfile, io, os, sys
d = sys.argv[1]
w = zipfile.ZipFile(os.path.join(d, 'demo_mcp-1.0.0-py3-none-any.whl'), 'w')
w.writestr('demo_mcp/__init__.py', '')
w.writestr('demo_mcp/server.py', 'import subprocess\\nfrom mcp.server.fastmcp import FastMCP\\nmcp = FastMCP("demo")\\n@mcp.tool()\\ndef run(cmd: str) -> str:\\n    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout\\n')
w.writestr('demo_mcp-1.0.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: demo-mcp\\nVersion: 1.0.0\\n')
w.writestr('demo_mcp-1.0.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
w.writestr('demo_mcp-1.0.0.dist-info/RECORD', '')
w.close()
h = zipfile.ZipFile(os.path.join(d, 'evil_mcp-0.1.0-py3-none-any.whl'), 'w')
h.writestr('evil_mcp/ok.py', 'x = 1\\n')
h.writestr('../escape.py', 'x = 2\\n')
h.writestr('/tmp/abs_escape.py', 'x = 3\\n')
info = zipfile.ZipInfo('evil_mcp/link.py')
info.external_attr = (0o120777 << 16)
h.writestr(info, '/etc/passwd')
h.writestr('evil_mcp-0.1.0.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: evil-mcp\\nVersion: 0.1.0\\n')
h.writestr('evil_mcp-0.1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
h.writestr('evil_mcp-0.1.0.dist-info/RECORD', '')
h.close()
t = tarfile.open(os.path.join(d, 'demo_sdist-2.0.0.tar.gz'), 'w:gz')
for name, text in [('demo_sdist-2.0.0/PKG-INFO', 'Name: demo-sdist\\nVersion: 2.0.0\\n'), ('demo_sdist-2.0.0/src/demo_sdist/app.py', 'import os\\n'), ('demo_sdist-2.0.0/setup.py', 'raise SystemExit("setup.py must never run")\\n')]:
    b = text.encode()
    ti = tarfile.TarInfo(name); ti.size = len(b)
    t.addfile(ti, io.BytesIO(b))
t.close()
`;
  execFileSync('python3', ['-c', py, dir]);
}

const hasPip = (() => {
  try {
    execFileSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('pypi specs', () => {
  it('parses name==version and names', () => {
    assert.deepEqual(parsePypiSpec('mcp-server-git==2025.1.14'), { name: 'mcp-server-git', version: '2025.1.14' });
    assert.deepEqual(parsePypiSpec('mcp_server_fetch'), { name: 'mcp_server_fetch' });
    assert.equal(parsePypiSpec('a b'), undefined);
    assert.equal(parsePypiSpec('x==1.0; rm -rf /'), undefined);
    assert.equal(normalizeName('Mcp_Server.Git'), 'mcp-server-git');
  });
  it('picks the pure-python wheel, else the sdist, of the asked version', () => {
    const files = ['demo_mcp-1.0.0-cp311-cp311-linux_x86_64.whl', 'demo_mcp-1.0.0-py3-none-any.whl', 'demo-mcp-1.0.0.tar.gz', 'demo_mcp-0.9.0-py3-none-any.whl'];
    assert.deepEqual(pickDistribution(files, { name: 'demo-mcp', version: '1.0.0' }), { wheel: 'demo_mcp-1.0.0-py3-none-any.whl', sdist: 'demo-mcp-1.0.0.tar.gz' });
    assert.deepEqual(pickDistribution(['demo_sdist-2.0.0.tar.gz'], { name: 'demo-sdist', version: '2.0.0' }), { wheel: undefined, sdist: 'demo_sdist-2.0.0.tar.gz' });
  });
});

describe('pypi acquisition (local index)', { skip: hasPip ? false : 'python3 -m pip is not available' }, () => {
  let links: string;
  let cache: string;
  let server: http.Server;
  let base: string;
  before(async () => {
    links = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-links-'));
    cache = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-cache-'));
    makeDists(links);
    // a PEP 503 simple index over the same folder
    server = http.createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? '/');
      const m = /^\/simple\/([^/]+)\/$/.exec(url);
      if (m) {
        const files = readdirSync(links).filter((f) => normalizeName(f.split('-')[0]!) === m[1]);
        if (!files.length) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${files.map((f) => `<a href="/files/${f}">${f}</a>`).join('\n')}</body></html>`);
        return;
      }
      const f = /^\/files\/([^/]+)$/.exec(url);
      if (f && existsSync(path.join(links, f[1]!))) {
        res.writeHead(200).end(readFileSyncSafe(path.join(links, f[1]!)));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
  });
  after(() => {
    server.close();
    rmSync(links, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('downloads a wheel with pip from a find-links folder, unpacks it and lists its Python files', async () => {
    const a = await acquire('pypi:demo-mcp==1.0.0', { cacheDir: cache, pypiFindLinks: links });
    assert.equal(a.info.kind, 'pypi');
    assert.equal(a.info.name, 'demo-mcp');
    assert.equal(a.info.version, '1.0.0');
    assert.deepEqual(a.files.map((f) => f.path).sort(), ['demo_mcp/__init__.py', 'demo_mcp/server.py']);
    assert.ok(a.files.every((f) => f.language === 'python'));
    // pinned: the second acquisition is served from the cache (the index is gone)
    const again = await acquire('pypi:demo-mcp==1.0.0', { cacheDir: cache, pypiFindLinks: path.join(links, 'gone') });
    assert.equal(again.info.root, a.info.root);
  });

  it('fetches the sdist from a simple index when there is no wheel, without running setup.py', async () => {
    const a = await acquire('pypi:demo-sdist==2.0.0', { cacheDir: cache, pypiIndexUrl: base });
    assert.equal(a.info.name, 'demo-sdist');
    assert.equal(a.info.version, '2.0.0');
    assert.ok(a.files.some((f) => f.path === 'src/demo_sdist/app.py'));
  });

  it('unpacks a hostile wheel safely: no entry outside the destination, no links, partial', async () => {
    const a = await acquire('pypi:evil-mcp==0.1.0', { cacheDir: cache, pypiFindLinks: links });
    assert.equal(a.partial, true);
    const codes = a.warnings.map((w) => w.code);
    assert.ok(codes.includes('archive-unsafe-path'));
    assert.ok(codes.includes('archive-link-skipped'));
    assert.deepEqual(a.files.map((f) => f.path), ['evil_mcp/ok.py']);
    assert.ok(!existsSync(path.join(cache, 'escape.py')) && !existsSync(path.join(path.dirname(cache), 'escape.py')));
    assert.ok(!existsSync('/tmp/abs_escape.py'));
  });

  it('a missing package is a clear error', async () => {
    await assert.rejects(acquire('pypi:no-such-mcp==9.9.9', { cacheDir: cache, pypiIndexUrl: base }), /PyPI package not found|no distribution/);
  });
});

import { readFileSync } from 'node:fs';
function readFileSyncSafe(p: string): Buffer {
  return readFileSync(p);
}
void mkdirSync;
