import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { acquire, classifyTarget, resolveCacheDir, UserError, type PathProbe } from '../../src/acquire/index.js';
import { compilePattern, makePathFilter, matchesPath, mayMatchBelow } from '../../src/acquire/patterns.js';
import { languageOf } from '../../src/acquire/language.js';
import { looksBinary, looksMinified } from '../../src/acquire/walk.js';

const CWD = '/work/here';
const HOME = '/home/u';

/** A fake file system: absolute path → kind. */
function probe(map: Record<string, 'dir' | 'file' | 'bare-git'>): PathProbe {
  return async (p) => map[p] ?? 'missing';
}

const classify = (t: string, map: Record<string, 'dir' | 'file' | 'bare-git'> = {}) => classifyTarget(t, probe(map), CWD, HOME);

describe('target classification', () => {
  it('an existing path wins, whatever it looks like', async () => {
    assert.deepEqual(await classify('express', { '/work/here/express': 'dir' }), { kind: 'folder', path: '/work/here/express' });
    assert.deepEqual(await classify('./srv', { '/work/here/srv': 'dir' }), { kind: 'folder', path: '/work/here/srv' });
    assert.deepEqual(await classify('https://x/y.git', { '/work/here/https:/x/y.git': 'dir' }), {
      kind: 'folder',
      path: '/work/here/https:/x/y.git',
    });
    assert.deepEqual(await classify('~/x.py', { '/home/u/x.py': 'file' }), { kind: 'file', path: '/home/u/x.py' });
    assert.deepEqual(await classify('p.tgz', { '/work/here/p.tgz': 'file' }), { kind: 'archive', path: '/work/here/p.tgz' });
    assert.deepEqual(await classify('/r/a.tar.gz', { '/r/a.tar.gz': 'file' }), { kind: 'archive', path: '/r/a.tar.gz' });
  });

  it('a bare repository path (optionally #ref) is git', async () => {
    assert.deepEqual(await classify('/srv/r.git', { '/srv/r.git': 'bare-git' }), { kind: 'git', git: { url: 'file:///srv/r.git' } });
    assert.deepEqual(await classify('/srv/r.git#v2', { '/srv/r.git': 'bare-git' }), {
      kind: 'git',
      git: { url: 'file:///srv/r.git', ref: 'v2' },
    });
  });

  it('git URLs, then npm: specs, then bare npm specs', async () => {
    assert.deepEqual(await classify('https://github.com/o/r.git#main'), { kind: 'git', git: { url: 'https://github.com/o/r.git', ref: 'main' } });
    assert.deepEqual(await classify('git@github.com:o/r.git'), { kind: 'git', git: { url: 'git@github.com:o/r.git' } });
    assert.deepEqual(await classify('npm:express@4'), { kind: 'npm', npm: { name: 'express', version: '4' } });
    assert.deepEqual(await classify('express@4.18.2'), { kind: 'npm', npm: { name: 'express', version: '4.18.2' } });
    assert.deepEqual(await classify('@modelcontextprotocol/server-filesystem'), {
      kind: 'npm',
      npm: { name: '@modelcontextprotocol/server-filesystem' },
    });
    assert.deepEqual(await classify('pypi:mcp-server-git'), { kind: 'pypi', spec: 'mcp-server-git' });
  });

  it('clear errors for what cannot be acquired', async () => {
    const rejects = (t: string, re: RegExp) =>
      assert.rejects(classify(t), (e: unknown) => {
        assert.ok(e instanceof UserError, t);
        assert.match(e.message, re, t);
        return true;
      });
    await rejects('./missing', /^target not found: \.\/missing$/);
    await rejects('/abs/missing', /^target not found/);
    await rejects('some/dir', /^target not found/);
    await rejects('pkg.tgz', /^target not found/);
    await rejects('https://example.com/page', /^unsupported URL/);
    await rejects('npm:Not A Name', /^invalid npm package spec/);
    await rejects('what is this?', /^target not found/);
    await rejects('', /^no target given/);
  });

  it('an invalid PyPI spec is a clear error', async () => {
    await assert.rejects(acquire('pypi:not a name'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /not a valid PyPI spec/);
      return true;
    });
  });
});

describe('cache folder', () => {
  it('option, then $MCP_RISK_CACHE, then $XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(resolveCacheDir('/opt/c', { MCP_RISK_CACHE: '/x', XDG_CACHE_HOME: '/y' }, HOME), '/opt/c');
    assert.equal(resolveCacheDir(undefined, { MCP_RISK_CACHE: '/x', XDG_CACHE_HOME: '/y' }, HOME), '/x');
    assert.equal(resolveCacheDir(undefined, { MCP_RISK_CACHE: '', XDG_CACHE_HOME: '/y' }, HOME), path.join('/y', 'mcp-risk'));
    assert.equal(resolveCacheDir(undefined, {}, HOME), path.join(HOME, '.cache', 'mcp-risk'));
  });
});

describe('patterns and sniffing (pure)', () => {
  it('matches glob-ish patterns', () => {
    const m = (p: string, rel: string) => matchesPath(compilePattern(p), rel);
    assert.ok(m('*.test.ts', 'src/a.test.ts'));
    assert.ok(m('fixtures', 'a/fixtures/x.ts'));
    assert.ok(m('test/**', 'test/a/b.ts'));
    assert.ok(m('test/**', 'test'));
    assert.ok(!m('test/**', 'src/test/a.ts'));
    assert.ok(m('**/gen/*.ts', 'a/b/gen/x.ts'));
    assert.ok(m('**/gen/*.ts', 'gen/x.ts'));
    assert.ok(m('src/**/x.ts', 'src/x.ts'));
    assert.ok(m('src/**/x.ts', 'src/a/b/x.ts'));
    assert.ok(m('./src/', 'src/a.ts'));
    assert.ok(!m('src/*.ts', 'src/a/b.ts'), '* stays within a segment');
    assert.ok(m('a?c.js', 'abc.js'));
    assert.ok(!m('a.c.js', 'abc.js'), 'dots are literal');
  });

  it('knows when an include may match below a folder', () => {
    assert.ok(mayMatchBelow(compilePattern('test/**'), 'test'));
    assert.ok(mayMatchBelow(compilePattern('**/*.spec.ts'), 'node_modules'));
    assert.ok(!mayMatchBelow(compilePattern('test/**'), 'node_modules'));
    assert.ok(!mayMatchBelow(compilePattern('*.spec.ts'), 'test'));
    assert.ok(mayMatchBelow(compilePattern('packages/*/test/**'), 'packages/a/test'));
  });

  it('default exclusions and overrides', () => {
    const f = makePathFilter();
    assert.equal(f.dir('node_modules', false), 'skip');
    assert.equal(f.dir('dist', false), 'walk');
    assert.equal(f.file('src/a.spec.ts', false), false);
    assert.equal(f.file('x.d.ts', false), false);
    assert.equal(f.file('pkg/test_x.py', false), false);
    const inc = makePathFilter({ include: ['test/**'] });
    assert.equal(inc.dir('test', false), 'walk');
    assert.equal(inc.dir('tests', false), 'skip');
    const below = makePathFilter({ include: ['**/*.spec.ts'] });
    assert.equal(below.dir('test', false), 'walk-included-only');
    assert.equal(below.file('test/a.spec.ts', true), true);
    assert.equal(below.file('test/helper.ts', true), false);
  });

  it('languages by extension', () => {
    assert.equal(languageOf('a.ts'), 'typescript');
    assert.equal(languageOf('a.CTS'), 'typescript');
    assert.equal(languageOf('a.tsx'), 'tsx');
    assert.equal(languageOf('a.jsx'), 'javascript');
    assert.equal(languageOf('a.py'), 'python');
    assert.equal(languageOf('a.js.map'), undefined);
    assert.equal(languageOf('.ts'), undefined);
    assert.equal(languageOf('Makefile'), undefined);
  });

  it('binary and minified sniffing', () => {
    assert.ok(looksBinary(Buffer.from([0x61, 0, 0x62])));
    assert.ok(!looksBinary(Buffer.from('plain text')));
    const longLines = Buffer.from(('x'.repeat(999) + '\n').repeat(65));
    assert.ok(looksMinified(300 * 1024, longLines));
    assert.ok(!looksMinified(100 * 1024, longLines), 'small files are never "minified"');
    assert.ok(!looksMinified(300 * 1024, Buffer.from(('x'.repeat(80) + '\n').repeat(800))));
  });
});
