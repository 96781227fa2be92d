import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { acquire, runNpmPack, UserError, type NpmPackRequest, type NpmPackRunner } from '../../src/acquire/index.js';
import { npmPackArgs } from '../../src/acquire/npm.js';
import {
  isExactVersion,
  npmPackErrorMessage,
  parseNpmPackJson,
  parseNpmSpec,
} from '../../src/acquire/npm.js';
import { listAll, makeTmp, rmTmp, writeTree } from './util.js';

describe('npm spec parsing (pure)', () => {
  it('parses names, scopes, versions and ranges', () => {
    assert.deepEqual(parseNpmSpec('express'), { name: 'express' });
    assert.deepEqual(parseNpmSpec('express@4.18.2'), { name: 'express', version: '4.18.2' });
    assert.deepEqual(parseNpmSpec('npm:express@^4'), { name: 'express', version: '^4' });
    assert.deepEqual(parseNpmSpec('@scope/name'), { name: '@scope/name' });
    assert.deepEqual(parseNpmSpec('npm:@scope/name@1.0.0-beta.1'), { name: '@scope/name', version: '1.0.0-beta.1' });
    assert.deepEqual(parseNpmSpec('chart.js@latest'), { name: 'chart.js', version: 'latest' });
    assert.deepEqual(parseNpmSpec('a@>=1 <2'), { name: 'a', version: '>=1 <2' });
  });

  it('rejects non-registry specs', () => {
    for (const bad of ['', '@scope', 'foo@', 'foo@npm:bar@1', 'foo@github:o/r', 'foo@file:../x', '.hidden', '_under', 'a/b', 'foo@http://x']) {
      assert.equal(parseNpmSpec(bad), undefined, bad);
    }
  });

  it('knows exact versions', () => {
    assert.ok(isExactVersion('1.2.3'));
    assert.ok(isExactVersion('1.2.3-rc.1+build.5'));
    assert.ok(!isExactVersion('^1.2.3'));
    assert.ok(!isExactVersion('latest'));
    assert.ok(!isExactVersion(undefined));
  });

  it('reads npm pack --json output and explains failures', () => {
    const out = 'npm notice something\n[{"id":"a@1.0.0","name":"a","version":"1.0.0","filename":"a-1.0.0.tgz","files":[]}]\n';
    assert.deepEqual(parseNpmPackJson(out), { filename: 'a-1.0.0.tgz', name: 'a', version: '1.0.0' });
    assert.deepEqual(parseNpmPackJson('garbage'), {});
    assert.equal(npmPackErrorMessage('nope@1.0.0', 'npm error code E404\nnpm error 404 Not Found'), 'npm package not found: nope@1.0.0');
    assert.match(npmPackErrorMessage('a@9', 'npm error code ETARGET'), /no version .* matches: a@9/);
  });
});

describe('npm acquisition (fake runner, no network)', () => {
  let tmp: string;
  let tarballs: string;

  /** A runner that copies a locally made tarball into the destination and counts calls. */
  function fakeRunner(map: Record<string, string>, report = true): NpmPackRunner & { calls: NpmPackRequest[] } {
    const calls: NpmPackRequest[] = [];
    const runner = async (req: NpmPackRequest) => {
      calls.push(req);
      const name = req.spec.replace(/@[^@/]*$/, '');
      const src = map[req.spec] ?? map[name];
      if (!src) throw new UserError(`npm package not found: ${req.spec}`, 'npm-failed');
      const tarball = path.join(req.destDir, path.basename(src));
      await fs.copyFile(src, tarball);
      const version = /-(\d+\.\d+\.\d+)\.tgz$/.exec(src)?.[1];
      return report ? { tarball, name, version } : { tarball };
    };
    return Object.assign(runner, { calls });
  }

  async function makePackage(name: string, version: string, files: Record<string, string>): Promise<string> {
    const dir = await fs.mkdtemp(path.join(tmp, 'pkgsrc-'));
    const tree: Record<string, string> = { 'package/package.json': JSON.stringify({ name, version }) };
    for (const [k, v] of Object.entries(files)) tree[`package/${k}`] = v;
    await writeTree(dir, tree);
    const file = path.join(tarballs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
    await tar.c({ gzip: true, file, cwd: dir, portable: true }, ['package']);
    return file;
  }

  let demo: string;
  let scoped: string;

  before(async () => {
    tmp = await makeTmp();
    tarballs = path.join(tmp, 'tarballs');
    await fs.mkdir(tarballs);
    demo = await makePackage('demo', '1.2.3', {
      'dist/index.js': 'module.exports = 1;\n',
      'src/index.ts': 'export {};\n',
      'index.d.ts': 'export {};\n',
    });
    scoped = await makePackage('@acme/tool', '0.1.0', { 'index.mjs': 'export {};\n' });
  });
  after(() => rmTmp(tmp));

  it('acquires name@version through the runner, then serves it from the cache', async () => {
    const cacheDir = path.join(tmp, 'cache1');
    const runner = fakeRunner({ demo });
    const r = await acquire('demo@1.2.3', { cacheDir }, { npmPack: runner });
    assert.equal(runner.calls.length, 1);
    assert.equal(runner.calls[0].spec, 'demo@1.2.3');
    assert.ok(runner.calls[0].destDir.startsWith(path.join(cacheDir, 'tmp')));
    assert.equal(r.info.kind, 'npm');
    assert.equal(r.info.input, 'demo@1.2.3');
    assert.equal(r.info.name, 'demo');
    assert.equal(r.info.version, '1.2.3');
    assert.equal(r.info.root, path.join(cacheDir, 'npm', 'demo@1.2.3', 'tree', 'package'));
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['dist/index.js', 'src/index.ts'],
    );
    assert.equal(r.partial, false);

    // Pinned again (with and without the npm: prefix): no runner call.
    const r2 = await acquire('demo@1.2.3', { cacheDir }, { npmPack: runner });
    const r3 = await acquire('npm:demo@1.2.3', { cacheDir }, { npmPack: runner });
    assert.equal(runner.calls.length, 1);
    assert.deepEqual(r2.files, r.files);
    assert.equal(r3.info.version, '1.2.3');
    // No work folders left.
    assert.deepEqual(await listAll(path.join(cacheDir, 'tmp')), []);
  });

  it('unpinned specs always ask npm, and reuse the unpacked copy of the resolved version', async () => {
    const cacheDir = path.join(tmp, 'cache2');
    const runner = fakeRunner({ demo });
    await acquire('demo', { cacheDir }, { npmPack: runner });
    const r = await acquire('npm:demo', { cacheDir }, { npmPack: runner });
    assert.equal(runner.calls.length, 2);
    assert.equal(runner.calls[1].spec, 'demo');
    assert.equal(r.info.version, '1.2.3');
    assert.deepEqual(await fs.readdir(path.join(cacheDir, 'npm')), ['demo@1.2.3']);
  });

  it('uses the package.json inside when the runner does not report a version', async () => {
    const cacheDir = path.join(tmp, 'cache3');
    const runner = fakeRunner({ '@acme/tool': scoped }, false);
    const r = await acquire('@acme/tool@^0.1', { cacheDir }, { npmPack: runner });
    assert.equal(r.info.name, '@acme/tool');
    assert.equal(r.info.version, '0.1.0');
    assert.deepEqual(await fs.readdir(path.join(cacheDir, 'npm')), ['@acme+tool@0.1.0']);
    // now pinned: served from the cache
    await acquire('@acme/tool@0.1.0', { cacheDir }, { npmPack: runner });
    assert.equal(runner.calls.length, 1);
  });

  it('runner failures surface as UserError and leave no work folder', async () => {
    const cacheDir = path.join(tmp, 'cache4');
    const runner = fakeRunner({});
    await assert.rejects(acquire('missing-pkg@1.0.0', { cacheDir }, { npmPack: runner }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, 'npm package not found: missing-pkg@1.0.0');
      return true;
    });
    assert.deepEqual(await listAll(path.join(cacheDir, 'tmp')), []);
  });

  it('an invalid npm: spec is a UserError before anything runs', async () => {
    const runner = fakeRunner({});
    await assert.rejects(acquire('npm:foo@github:o/r', { cacheDir: path.join(tmp, 'c5') }, { npmPack: runner }), /invalid npm package spec/);
    assert.equal(runner.calls.length, 0);
  });

  it('the real runner drives `npm pack` (offline, on a local folder)', async (t) => {
    if (spawnSync('npm', ['--version'], { stdio: 'ignore' }).status !== 0) {
      t.skip('npm not available');
      return;
    }
    const folder = path.join(tmp, 'local-folder-pkg');
    await writeTree(folder, {
      'package.json': JSON.stringify({ name: 'local-folder-pkg', version: '3.1.4', scripts: { prepack: 'exit 1' } }),
      'index.js': 'module.exports = 1;\n',
    });
    const dest = path.join(tmp, 'pack-dest');
    await fs.mkdir(dest);
    const res = await runNpmPack({ spec: folder, destDir: dest, timeoutMs: 60_000 });
    assert.equal(res.name, 'local-folder-pkg');
    assert.equal(res.version, '3.1.4');
    assert.equal(res.tarball, path.join(dest, 'local-folder-pkg-3.1.4.tgz'));
    await fs.access(res.tarball);
  });

  it('a spec that looks like an option is given to npm as a package, after --', async (t) => {
    assert.deepEqual(npmPackArgs('--foreground-scripts', '/d').slice(-2), ['--', '--foreground-scripts']);
    if (spawnSync('npm', ['--version'], { stdio: 'ignore' }).status !== 0) {
      t.skip('npm not available');
      return;
    }
    const dest = path.join(tmp, 'pack-dest-option');
    await fs.mkdir(dest);
    // offline: npm looks `--version` up as a package name and cannot find it (read as an option, it would print
    // its version and succeed without a tarball)
    const saved = process.env.npm_config_offline;
    process.env.npm_config_offline = 'true';
    try {
      await assert.rejects(runNpmPack({ spec: '--version', destDir: dest, timeoutMs: 60_000 }), (e: Error) => /--version/.test(e.message) && !/did not produce a tarball/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env.npm_config_offline;
      else process.env.npm_config_offline = saved;
    }
  });
});
