import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquire, UserError, walkSource } from '../../src/acquire/index.js';
import { assessAcquired } from '../../src/assess.js';
import { makeTmp, rmTmp, writeTree } from './util.js';

const paths = (r: { files: { path: string }[] }): string[] => r.files.map((f) => f.path);
const codes = (r: { warnings: { code: string }[] }): string[] => r.warnings.map((w) => w.code);

/** ~300 KiB of JavaScript on very long lines. */
function minifiedJs(): string {
  const line = 'var a=function(b){return b+1};'.repeat(40); // ~1.2 KB per line
  return Array.from({ length: 250 }, () => line).join('\n');
}

/** ~300 KiB of ordinary JavaScript (short lines). */
function bigReadableJs(): string {
  return Array.from({ length: 12_000 }, (_, i) => `export const v${i} = ${i};`).join('\n');
}

describe('folder walk', () => {
  let tmp: string;
  let root: string;

  before(async () => {
    tmp = await makeTmp();
    root = path.join(tmp, 'project');
    await writeTree(root, {
      'package.json': JSON.stringify({ name: 'demo-server', version: '0.3.1' }),
      'README.md': '# demo',
      'app.py': 'print(1)\n',
      'src/index.ts': 'export {};\n',
      'src/util.mts': 'export {};\n',
      'src/a.cts': 'export {};\n',
      'src/view.tsx': 'export {};\n',
      'src/b.js': '1;\n',
      'src/c.mjs': '1;\n',
      'src/d.cjs': '1;\n',
      'src/e.jsx': '1;\n',
      'src/types.d.ts': 'export {};\n',
      'src/a.test.ts': 'test;\n',
      'src/a.spec.js': 'test;\n',
      'src/latin1.ts': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0xff, 0xfe, 0x0a]), // invalid UTF-8, no NUL
      'test/t.ts': 'test;\n',
      'tests/t.py': 'test\n',
      '__tests__/x.js': 'test;\n',
      'pkg/test_foo.py': 'x\n',
      'pkg/foo_test.py': 'x\n',
      'pkg/conftest.py': 'x\n',
      'pkg/mod.py': 'x\n',
      'node_modules/m/index.js': '1;\n',
      'vendor/v.js': '1;\n',
      'third_party/t.py': '1\n',
      '.venv/lib/x.py': '1\n',
      'venv/x.py': '1\n',
      'lib/site-packages/x.py': '1\n',
      'pkg/__pycache__/x.py': '1\n',
      'coverage/x.js': '1;\n',
      '.cache/x.js': '1;\n',
      '.git/x.js': '1;\n',
      'dist/index.js': '"use strict";\nexports.x = 1;\n',
      'dist/index.js.map': '{}',
      'build/out.js': '1;\n',
      'dist/bundle.js': minifiedJs(),
      'dist/big-readable.js': bigReadableJs(),
      'lib/jquery.min.js': 'x;\n',
    });
  });
  after(() => rmTmp(tmp));

  const DEFAULT_FILES = [
    'app.py',
    'build/out.js',
    'dist/big-readable.js',
    'dist/index.js',
    'pkg/mod.py',
    'src/a.cts',
    'src/b.js',
    'src/c.mjs',
    'src/d.cjs',
    'src/e.jsx',
    'src/index.ts',
    'src/latin1.ts',
    'src/util.mts',
    'src/view.tsx',
  ];

  it('lists source files with default exclusions, keeps dist/ and build/, sorted', async () => {
    const r = await acquire(root);
    assert.deepEqual(paths(r), DEFAULT_FILES);
    assert.equal(r.info.kind, 'folder');
    assert.equal(r.info.name, 'demo-server');
    assert.equal(r.info.version, '0.3.1');
    assert.equal(r.info.root, root);
    // minified bundle skipped with a warning: the result is partial (the bundle may hold server code)
    assert.equal(r.partial, true);
    assert.deepEqual(codes(r), ['minified-file']);
    assert.equal(r.warnings[0].file, 'dist/bundle.js');
  });

  it('maps extensions to languages and records sizes and absolute paths', async () => {
    const r = await walkSource(root);
    const lang = Object.fromEntries(r.files.map((f) => [f.path, f.language]));
    assert.equal(lang['src/index.ts'], 'typescript');
    assert.equal(lang['src/util.mts'], 'typescript');
    assert.equal(lang['src/a.cts'], 'typescript');
    assert.equal(lang['src/view.tsx'], 'tsx');
    assert.equal(lang['src/e.jsx'], 'javascript');
    assert.equal(lang['src/d.cjs'], 'javascript');
    assert.equal(lang['app.py'], 'python');
    const idx = r.files.find((f) => f.path === 'src/index.ts');
    assert.ok(idx);
    assert.equal(idx.abs, path.join(root, 'src', 'index.ts'));
    assert.equal(idx.size, 'export {};\n'.length);
  });

  it('lists a file with invalid UTF-8 (decoding is not the walker’s job)', async () => {
    const r = await walkSource(root);
    assert.ok(paths(r).includes('src/latin1.ts'));
  });

  it('is deterministic', async () => {
    const a = await walkSource(root);
    const b = await walkSource(root);
    assert.deepEqual(a, b);
    const sorted = [...paths(a)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    assert.deepEqual(paths(a), sorted);
  });

  it('include overrides default exclusions', async () => {
    const r = await walkSource(root, { include: ['test/**', '*.test.ts', 'dist/bundle.js', '**/*.min.js'] });
    const p = paths(r);
    assert.ok(p.includes('test/t.ts'));
    assert.ok(p.includes('src/a.test.ts'));
    assert.ok(p.includes('dist/bundle.js'), 'minified file included on request');
    assert.ok(p.includes('lib/jquery.min.js'));
    assert.ok(!p.includes('src/a.spec.js'), 'only what the include names');
    assert.ok(!p.includes('node_modules/m/index.js'));
    assert.ok(!p.includes('tests/t.py'));
    assert.deepEqual(codes(r), []);
  });

  it('an include naming a folder brings the whole folder back', async () => {
    const r = await walkSource(root, { include: ['__tests__', 'node_modules/m'] });
    const p = paths(r);
    assert.ok(p.includes('__tests__/x.js'));
    assert.ok(p.includes('node_modules/m/index.js'));
    assert.ok(!p.includes('test/t.ts'));
  });

  it('exclude removes folders and files, and wins over include', async () => {
    const r = await walkSource(root, { exclude: ['dist', 'src/*.js', '*.py'], include: ['src/b.js'] });
    const p = paths(r);
    assert.ok(!p.some((x) => x.startsWith('dist/')));
    assert.ok(!p.includes('src/b.js'));
    assert.ok(!p.some((x) => x.endsWith('.py')));
    assert.ok(p.includes('src/c.mjs'));
    assert.ok(p.includes('build/out.js'));
  });

  it('noDefaultExcludes lists everything with a source extension', async () => {
    const r = await walkSource(root, { noDefaultExcludes: true });
    const p = paths(r);
    for (const f of [
      'node_modules/m/index.js',
      'test/t.ts',
      'src/types.d.ts',
      'src/a.test.ts',
      'pkg/conftest.py',
      'dist/bundle.js',
      'lib/jquery.min.js',
      '.venv/lib/x.py',
      'pkg/__pycache__/x.py',
    ]) {
      assert.ok(p.includes(f), f);
    }
    assert.ok(!p.includes('dist/index.js.map'));
    assert.ok(!p.includes('README.md'));
  });

  it('caps the number of files with a warning', async () => {
    const r = await walkSource(root, { maxFiles: 3 });
    assert.equal(r.files.length, 3);
    assert.ok(codes(r).includes('too-many-files'));
    assert.equal(r.partial, true);
  });

  it('beyond the total size budget, leaves out the largest files with one warning (smallest kept, ties by path)', async () => {
    const dir = path.join(tmp, 'budget');
    await writeTree(dir, { 'a.js': 'x'.repeat(400), 'b.js': 'x'.repeat(100), 'c.js': 'x'.repeat(300), 'd.js': 'x'.repeat(100), 'e.py': 'x'.repeat(250) });
    const all = await walkSource(dir, { maxTotalBytes: 1150 });
    assert.deepEqual(paths(all), ['a.js', 'b.js', 'c.js', 'd.js', 'e.py']);
    assert.equal(all.partial, false);
    const r = await walkSource(dir, { maxTotalBytes: 600 });
    assert.deepEqual(paths(r), ['b.js', 'd.js', 'e.py']);
    assert.deepEqual(codes(r), ['total-size-limit']);
    assert.match(r.warnings[0]!.message, /^1\.1 KiB of source in all, more than the 600 bytes analysed per target: the 2 largest files were skipped \(a\.js, c\.js\)$/);
    assert.equal(r.partial, true);
  });

  it('a single file target is listed whatever the default exclusions say', async () => {
    const r = await acquire(path.join(root, 'src', 'a.test.ts'));
    assert.equal(r.info.kind, 'file');
    assert.equal(r.info.root, path.join(root, 'src'));
    assert.deepEqual(paths(r), ['a.test.ts']);
  });

  it('a single file that is not source is a UserError', async () => {
    await assert.rejects(acquire(path.join(root, 'README.md')), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /not a supported source file/);
      return true;
    });
  });

  it('a missing path is a UserError', async () => {
    const missing = path.join(tmp, 'nope');
    await assert.rejects(acquire(missing), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `target not found: ${missing}`);
      return true;
    });
  });
});

describe('folder walk: file bytes kept from the walk', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTmp();
    await writeTree(path.join(tmp, 's'), { 'server.py': 'import os\n\ndef run(cmd):\n    return os.system(cmd)\n' });
  });
  after(() => rmTmp(tmp));

  it('keeps small files read whole, out of JSON; a listing that went through JSON is read from disk', async () => {
    const acquired = await acquire(path.join(tmp, 's'));
    const f = acquired.files[0]!;
    assert.ok(Buffer.isBuffer(f.data), 'the walk kept the bytes');
    assert.equal(f.data.toString('utf8'), await fs.readFile(f.abs, 'utf8'));
    assert.ok(!JSON.stringify(acquired).includes('"data"'), 'no bytes in JSON');
    const copy = JSON.parse(JSON.stringify(acquired)) as typeof acquired;
    const [a, b] = [await assessAcquired(acquired, { noRisk: true }), await assessAcquired(copy, { noRisk: true })];
    assert.equal(a.stats.lines, 5);
    assert.deepEqual(b.stats, a.stats);
    assert.deepEqual(b.findings, a.findings);
  });
});

describe('folder walk: unsafe and odd files', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTmp();
  });
  after(() => rmTmp(tmp));

  it('skips a binary file named .js with a warning', async () => {
    const root = path.join(tmp, 'bin');
    const blob = Buffer.concat([Buffer.from('var x = 1;'), Buffer.from([0, 1, 2, 3]), Buffer.from('more')]);
    await writeTree(root, { 'ok.js': '1;\n', 'blob.js': blob });
    const r = await walkSource(root);
    assert.deepEqual(paths(r), ['ok.js']);
    assert.deepEqual(codes(r), ['binary-file']);
    assert.equal(r.warnings[0].file, 'blob.js');
    assert.equal(r.partial, true);
  });

  it('skips a 6 MiB file with a warning (default limit 5 MiB)', async () => {
    const root = path.join(tmp, 'big');
    const line = '// padding padding padding padding padding padding padding padding\n';
    const big = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length));
    await writeTree(root, { 'small.ts': 'export {};\n', 'huge.ts': big });
    assert.ok(big.length > 6 * 1024 * 1024 - line.length);
    const r = await walkSource(root);
    assert.deepEqual(paths(r), ['small.ts']);
    assert.deepEqual(codes(r), ['file-too-large']);
    assert.equal(r.warnings[0].file, 'huge.ts');
    assert.equal(r.partial, true);
    // and the limit is configurable
    const r2 = await walkSource(root, { maxFileBytes: 7 * 1024 * 1024 });
    assert.deepEqual(paths(r2), ['huge.ts', 'small.ts']);
  });

  it('terminates on symlink loops with a symlink-loop warning', async () => {
    const root = path.join(tmp, 'loop');
    await writeTree(root, { 'src/a.ts': 'export {};\n', 'b.ts': 'export {};\n' });
    await fs.symlink('.', path.join(root, 'src', 'self')); // points to its own folder
    await fs.symlink('..', path.join(root, 'src', 'up')); // points to the root
    await fs.symlink('cycle', path.join(root, 'cycle')); // points to itself
    const r = await walkSource(root);
    assert.deepEqual(paths(r), ['b.ts', 'src/a.ts']);
    assert.ok(codes(r).every((c) => c === 'symlink-loop'));
    assert.equal(codes(r).length, 3);
  });

  it('does not follow symlinks that point outside the root', async () => {
    const root = path.join(tmp, 'escape');
    const outside = path.join(tmp, 'outside');
    await writeTree(outside, { 'secret.js': 'secret;\n' });
    await writeTree(root, { 'main.js': '1;\n' });
    await fs.symlink(outside, path.join(root, 'linked-dir'));
    await fs.symlink(path.join(outside, 'secret.js'), path.join(root, 'linked.js'));
    await fs.symlink('/etc/passwd', path.join(root, 'passwd.js'));
    const r = await walkSource(root);
    assert.deepEqual(paths(r), ['main.js']);
    assert.deepEqual(codes(r), ['symlink-outside-root', 'symlink-outside-root', 'symlink-outside-root']);
  });

  it('follows symlinks inside the root once, without duplicates', async () => {
    const root = path.join(tmp, 'inside');
    await writeTree(root, { 'lib/x.ts': 'export {};\n', 'shared/y.ts': 'export {};\n', 'node_modules/dep/z.js': '1;\n' });
    await fs.symlink('../lib', path.join(root, 'shared', 'lib-alias')); // already walked as lib/
    await fs.symlink('lib/x.ts', path.join(root, 'x-alias.ts')); // already listed
    await fs.symlink('node_modules/dep', path.join(root, 'dep')); // only reachable through the link
    const r = await walkSource(root);
    assert.deepEqual(paths(r), ['dep/z.js', 'lib/x.ts', 'shared/y.ts']);
    assert.deepEqual(codes(r), []);
  });
});
