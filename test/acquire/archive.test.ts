import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { acquire, extractArchive, UserError } from '../../src/acquire/index.js';
import { classifyEntry, pickArchiveRoot, unsafePathReason } from '../../src/acquire/archive.js';
import { exists, listAll, makeTmp, rawTar, rawTgz, rmTmp, writeTree, type RawEntry } from './util.js';

const codes = (r: { warnings: { code: string }[] }): string[] => r.warnings.map((w) => w.code);
const LIMITS = { maxBytes: 1024 * 1024, maxEntries: 1000 };

function isUserError(re: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
    return true;
  };
}

describe('archive entry rules (pure)', () => {
  it('flags absolute and escaping paths', () => {
    assert.equal(unsafePathReason('package/index.js'), undefined);
    assert.equal(unsafePathReason('./package/a..b.js'), undefined);
    assert.match(unsafePathReason('/tmp/x') ?? '', /absolute/);
    assert.match(unsafePathReason('C:/x') ?? '', /absolute/);
    assert.match(unsafePathReason('../evil.js') ?? '', /escapes/);
    assert.match(unsafePathReason('package/../../evil.js') ?? '', /escapes/);
    assert.match(unsafePathReason('package\\..\\..\\evil.js') ?? '', /escapes/);
  });

  it('extracts files and folders only', () => {
    assert.deepEqual(classifyEntry({ path: 'package/a.js', type: 'File', size: 1 }), { action: 'extract', kind: 'file' });
    assert.deepEqual(classifyEntry({ path: 'package/', type: 'Directory', size: 0 }), { action: 'extract', kind: 'dir' });
    assert.deepEqual(classifyEntry({ path: './', type: 'Directory', size: 0 }), { action: 'ignore' });
    const link = classifyEntry({ path: 'package/l', type: 'SymbolicLink', size: 0, linkpath: '/etc/passwd' });
    assert.equal(link.action === 'skip' && link.code, 'archive-link-skipped');
    const hard = classifyEntry({ path: 'package/h', type: 'Link', size: 0, linkpath: 'package/a.js' });
    assert.equal(hard.action === 'skip' && hard.code, 'archive-link-skipped');
    const fifo = classifyEntry({ path: 'package/f', type: 'FIFO', size: 0 });
    assert.equal(fifo.action === 'skip' && fifo.code, 'archive-special-skipped');
  });

  it('picks package/ or the single top-level folder as root', () => {
    assert.equal(pickArchiveRoot([{ name: 'package', isDir: true }]), 'package');
    assert.equal(pickArchiveRoot([{ name: 'node-foo', isDir: true }]), 'node-foo');
    assert.equal(pickArchiveRoot([{ name: 'a', isDir: true }, { name: 'b.js', isDir: false }]), '');
  });
});

describe('safe extraction of hostile archives', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTmp();
  });
  after(() => rmTmp(tmp));

  /** A fresh layout: <case>/in/<archive>, <case>/a/b/dest (empty), nothing else. */
  async function layout(name: string): Promise<{ base: string; dest: string; archive: string }> {
    const base = path.join(tmp, name);
    const dest = path.join(base, 'a', 'b', 'dest');
    await fs.mkdir(dest, { recursive: true });
    await fs.mkdir(path.join(base, 'in'));
    return { base, dest, archive: path.join(base, 'in', 'x.tgz') };
  }

  it('writes nothing outside the destination and warns for every skipped entry', async () => {
    const { base, dest, archive } = await layout('hostile');
    const absTarget = path.join(base, 'abs-evil.js');
    const outsideDir = path.join(base, 'outside');
    await fs.mkdir(outsideDir);
    const entries: RawEntry[] = [
      { path: 'package/', type: '5' },
      { path: 'package/package.json', data: '{"name":"evil","version":"1.0.0"}' },
      { path: 'package/index.js', data: 'module.exports = 1;\n' },
      { path: '../evil.js', data: 'pwned' },
      { path: '../../evil2.js', data: 'pwned' },
      { path: 'package/../../../evil3.js', data: 'pwned' },
      { path: absTarget, data: 'pwned' },
      { path: 'package/passwd', type: '2', linkpath: '/etc/passwd' },
      { path: 'package/hard', type: '1', linkpath: '/etc/passwd' },
      // classic: a symlink to a folder outside, then a file "inside" it
      { path: 'package/lnk', type: '2', linkpath: outsideDir },
      { path: 'package/lnk/pwn.js', data: 'pwned' },
      { path: 'package/fifo', type: '6' },
      { path: 'package/tty', type: '3' },
      { path: 'package/setuid.js', data: 'x', mode: 0o4777 },
    ];
    await fs.writeFile(archive, rawTgz(entries));

    const r = await extractArchive(archive, dest, LIMITS);

    // Only the destination gained files.
    assert.deepEqual(await listAll(base), [
      'a',
      'a/b',
      'a/b/dest',
      'a/b/dest/package',
      'a/b/dest/package/index.js',
      'a/b/dest/package/lnk',
      'a/b/dest/package/lnk/pwn.js',
      'a/b/dest/package/package.json',
      'a/b/dest/package/setuid.js',
      'in',
      'in/x.tgz',
      'outside',
    ]);
    assert.equal(await exists(absTarget), false);
    assert.equal(await exists(path.join(outsideDir, 'pwn.js')), false);
    // No links were created.
    assert.equal((await fs.lstat(path.join(dest, 'package', 'lnk'))).isDirectory(), true);
    // No setuid bit.
    assert.equal((await fs.stat(path.join(dest, 'package', 'setuid.js'))).mode & 0o7000, 0);

    const c = codes(r);
    assert.equal(c.filter((x) => x === 'archive-unsafe-path').length, 4);
    assert.equal(c.filter((x) => x === 'archive-link-skipped').length, 3);
    assert.equal(c.filter((x) => x === 'archive-special-skipped').length, 2);
    assert.equal(r.partial, true);
    assert.equal(r.files, 4);
  });

  it('refuses an archive that unpacks to more than maxArchiveBytes, writing nothing', async () => {
    const { dest, archive } = await layout('bomb');
    const chunk = Buffer.alloc(400 * 1024, 0x61);
    await fs.writeFile(
      archive,
      rawTgz([
        { path: 'package/a.js', data: chunk },
        { path: 'package/b.js', data: chunk },
        { path: 'package/c.js', data: chunk },
      ]),
    );
    assert.ok((await fs.stat(archive)).size < LIMITS.maxBytes, 'compressed archive is small');
    await assert.rejects(extractArchive(archive, dest, LIMITS), isUserError(/unpacks to more than 1 MiB/));
    assert.deepEqual(await listAll(dest), []);
  });

  it('refuses an archive file larger than maxArchiveBytes', async () => {
    const { dest, archive } = await layout('bigfile');
    await fs.writeFile(archive, rawTar([{ path: 'package/a.js', data: Buffer.alloc(2 * 1024 * 1024, 0x61) }]));
    await assert.rejects(extractArchive(archive, dest, LIMITS), isUserError(/is 2 MiB, more than the 1 MiB limit/));
  });

  it('refuses an archive with too many entries', async () => {
    const { dest, archive } = await layout('many');
    const entries = Array.from({ length: 20 }, (_, i): RawEntry => ({ path: `package/f${i}.js`, data: 'x' }));
    await fs.writeFile(archive, rawTgz(entries));
    await assert.rejects(extractArchive(archive, dest, { maxBytes: LIMITS.maxBytes, maxEntries: 10 }), isUserError(/more than 10 entries/));
    assert.deepEqual(await listAll(dest), []);
  });

  it('turns a corrupt archive into a UserError', async () => {
    const { dest, archive } = await layout('corrupt');
    await fs.writeFile(archive, Buffer.from('this is not a tarball at all, just some text '.repeat(40)));
    await assert.rejects(extractArchive(archive, dest, LIMITS), isUserError(/cannot read archive x\.tgz/));
    const gz = path.join(path.dirname(archive), 'trunc.tgz');
    const good = rawTgz([{ path: 'package/a.js', data: Buffer.alloc(100_000, 0x62) }]);
    await fs.writeFile(gz, good.subarray(0, Math.floor(good.length / 2)));
    await assert.rejects(extractArchive(gz, dest, LIMITS), (e: unknown) => e instanceof UserError);
  });
});

describe('local tarball targets', () => {
  let tmp: string;
  let cacheDir: string;
  before(async () => {
    tmp = await makeTmp();
    cacheDir = path.join(tmp, 'cache');
  });
  after(() => rmTmp(tmp));

  it('acquires a .tgz made by tar.c: root is package/, name/version from package.json', async () => {
    const src = path.join(tmp, 'src');
    await writeTree(src, {
      'package/package.json': JSON.stringify({ name: 'local-pkg', version: '2.0.0' }),
      'package/dist/index.js': 'module.exports = 1;\n',
      'package/src/server.ts': 'export {};\n',
      'package/test/x.test.js': 'test;\n',
    });
    const file = path.join(tmp, 'local-pkg-2.0.0.tgz');
    await tar.c({ gzip: true, file, cwd: src, portable: true }, ['package']);

    const r = await acquire(file, { cacheDir });
    assert.equal(r.info.kind, 'npm');
    assert.equal(r.info.name, 'local-pkg');
    assert.equal(r.info.version, '2.0.0');
    assert.equal(path.basename(r.info.root), 'package');
    assert.ok(r.info.root.startsWith(path.join(cacheDir, 'archive')));
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['dist/index.js', 'src/server.ts'],
    );
    assert.equal(r.partial, false);
    // second time: same cache entry, no work folders left behind
    const again = await acquire(file, { cacheDir });
    assert.equal(again.info.root, r.info.root);
    assert.deepEqual(await listAll(path.join(cacheDir, 'tmp')), []);
  });

  it('acquires a hostile .tgz without crashing: partial, warnings, nothing outside the cache', async () => {
    const file = path.join(tmp, 'hostile.tgz');
    await fs.writeFile(
      file,
      rawTgz([
        { path: 'package/package.json', data: '{"name":"h","version":"0.0.1"}' },
        { path: 'package/index.js', data: '1;\n' },
        { path: '../../../escape.js', data: 'pwned' },
        { path: 'package/link.js', type: '2', linkpath: '/etc/passwd' },
      ]),
    );
    const before = await listAll(tmp);
    const r = await acquire(file, { cacheDir });
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['index.js'],
    );
    assert.equal(r.partial, true);
    assert.deepEqual(codes(r).sort(), ['archive-link-skipped', 'archive-unsafe-path']);
    assert.equal(r.warnings.find((w) => w.code === 'archive-link-skipped')?.file, 'link.js', 'relative to the package root');
    const added = (await listAll(tmp)).filter((p) => !before.includes(p));
    assert.ok(added.length > 0);
    assert.ok(added.every((p) => p.startsWith('cache/')), `unexpected: ${added.join(', ')}`);
    assert.ok(!(await listAll(tmp)).some((p) => p.endsWith('escape.js')), 'the escaping entry was not written anywhere');
    // warnings are remembered for the cached copy too
    const again = await acquire(file, { cacheDir });
    assert.deepEqual(codes(again).sort(), ['archive-link-skipped', 'archive-unsafe-path']);
    assert.equal(again.partial, true);
  });

  it('a size bomb via acquire is a UserError and leaves no cache entry', async () => {
    const file = path.join(tmp, 'bomb.tgz');
    const chunk = Buffer.alloc(300 * 1024, 0x61);
    await fs.writeFile(
      file,
      rawTgz([
        { path: 'package/a.js', data: chunk },
        { path: 'package/b.js', data: chunk },
      ]),
    );
    await assert.rejects(acquire(file, { cacheDir, maxArchiveBytes: 512 * 1024 }), isUserError(/unpacks to more than 512 KiB/));
    assert.deepEqual(await listAll(path.join(cacheDir, 'tmp')), []);
  });
});
