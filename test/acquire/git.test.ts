import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { acquire, UserError } from '../../src/acquire/index.js';
import { isValidRef, parseGitTarget, repoNameFromUrl } from '../../src/acquire/git.js';
import { makeTmp, rmTmp, writeTree } from './util.js';

const hasGit = spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;

describe('git URL parsing (pure)', () => {
  it('recognises git URLs and refs', () => {
    assert.deepEqual(parseGitTarget('https://github.com/o/r.git'), { url: 'https://github.com/o/r.git' });
    assert.deepEqual(parseGitTarget('https://github.com/o/r.git#v1.2.0'), { url: 'https://github.com/o/r.git', ref: 'v1.2.0' });
    assert.deepEqual(parseGitTarget('git+https://github.com/o/r#main'), { url: 'https://github.com/o/r', ref: 'main' });
    assert.deepEqual(parseGitTarget('git+ssh://git@host/o/r.git'), { url: 'ssh://git@host/o/r.git' });
    assert.deepEqual(parseGitTarget('git@github.com:o/r.git'), { url: 'git@github.com:o/r.git' });
    assert.deepEqual(parseGitTarget('git://host/r'), { url: 'git://host/r' });
    assert.deepEqual(parseGitTarget('file:///srv/repos/r.git#feature/x'), { url: 'file:///srv/repos/r.git', ref: 'feature/x' });
  });

  it('leaves other things alone', () => {
    for (const t of ['express', 'express@1.0.0', '@scope/n@1', 'https://example.com/page', './dir', 'foo@npm:bar']) {
      assert.equal(parseGitTarget(t), undefined, t);
    }
  });

  it('rejects refs and URLs that could be read as options', () => {
    assert.throws(() => parseGitTarget('https://h/o/r.git#--upload-pack=touch /tmp/x'), UserError);
    assert.throws(() => parseGitTarget('git+https://h/o/r#a..b'), UserError);
    assert.ok(isValidRef('v1.0.0'));
    assert.ok(isValidRef('feature/x-y_z'));
    assert.ok(!isValidRef('-x'));
    assert.ok(!isValidRef('a b'));
    assert.ok(!isValidRef('refs/heads/x.lock'));
  });

  it('names repositories after the URL', () => {
    assert.equal(repoNameFromUrl('https://github.com/o/my-server.git'), 'my-server');
    assert.equal(repoNameFromUrl('git@github.com:o/r.git'), 'r');
    assert.equal(repoNameFromUrl('file:///tmp/a%20b/origin.git/'), 'origin');
  });
});

describe('git acquisition (local bare repository)', { skip: hasGit ? false : 'git not available' }, () => {
  let tmp: string;
  let bare: string;
  let work: string;
  let sha1: string;
  let sha2: string;

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  before(async () => {
    tmp = await makeTmp();
    bare = path.join(tmp, 'origin.git');
    work = path.join(tmp, 'work');
    git(tmp, 'init', '--quiet', '--bare', bare);
    git(bare, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    git(tmp, 'clone', '--quiet', bare, work);
    git(work, 'checkout', '--quiet', '-b', 'main');
    await writeTree(work, {
      'package.json': '{"name":"from-git"}',
      'src/server.ts': 'export const v = 1;\n',
      'test/server.test.ts': 'test;\n',
    });
    await fs.symlink('/etc/passwd', path.join(work, 'link.js'));
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'first');
    sha1 = git(work, 'rev-parse', 'HEAD');
    await writeTree(work, { 'src/second.ts': 'export {};\n' });
    git(work, 'add', '-A');
    git(work, 'commit', '--quiet', '-m', 'second');
    sha2 = git(work, 'rev-parse', 'HEAD');
    git(work, 'push', '--quiet', 'origin', 'main');
    git(work, 'tag', 'v1', sha1);
    git(work, 'push', '--quiet', 'origin', 'v1');
  });
  after(() => rmTmp(tmp));

  it('clones file://… shallowly; version is the commit sha', async () => {
    const cacheDir = path.join(tmp, 'cache1');
    const url = pathToFileURL(bare).href;
    const r = await acquire(url, { cacheDir });
    assert.equal(r.info.kind, 'git');
    assert.equal(r.info.name, 'origin');
    assert.equal(r.info.version, sha2);
    assert.equal(r.info.input, url);
    assert.ok(r.info.root.startsWith(path.join(cacheDir, 'git')));
    assert.equal(path.basename(r.info.root), sha2);
    assert.deepEqual(
      r.files.map((f) => f.path),
      ['link.js', 'src/second.ts', 'src/server.ts'],
    );
    // symlinks are checked out as plain files holding the link text
    const link = await fs.lstat(path.join(r.info.root, 'link.js'));
    assert.equal(link.isSymbolicLink(), false);
    assert.equal(await fs.readFile(path.join(r.info.root, 'link.js'), 'utf8'), '/etc/passwd');
    // shallow: one commit
    assert.equal(git(r.info.root, 'rev-list', '--count', 'HEAD'), '1');
    assert.deepEqual(await fs.readdir(path.join(cacheDir, 'tmp')), []);
  });

  it('clones the plain path of a bare repository', async () => {
    const r = await acquire(bare, { cacheDir: path.join(tmp, 'cache2') });
    assert.equal(r.info.kind, 'git');
    assert.equal(r.info.version, sha2);
    assert.ok(r.files.some((f) => f.path === 'src/server.ts'));
  });

  it('honours #ref for tags and for commit shas; a cached sha needs no repository', async () => {
    const cacheDir = path.join(tmp, 'cache3');
    const byTag = await acquire(`${bare}#v1`, { cacheDir });
    assert.equal(byTag.info.version, sha1);
    assert.ok(!byTag.files.some((f) => f.path === 'src/second.ts'));

    const url = `${pathToFileURL(bare).href}#${sha1}`;
    const bySha = await acquire(url, { cacheDir });
    assert.equal(bySha.info.version, sha1);
    assert.deepEqual(
      bySha.files.map((f) => f.path),
      ['link.js', 'src/server.ts'],
    );
    // Pinned sha from the cache: works even when the origin is gone.
    const moved = path.join(tmp, 'moved.git');
    await fs.rename(bare, moved);
    try {
      const again = await acquire(url, { cacheDir });
      assert.equal(again.info.root, bySha.info.root);
    } finally {
      await fs.rename(moved, bare);
    }
  });

  it('runs no hooks, even when the user’s git config sets up hooks and templates', async () => {
    const marker = path.join(tmp, 'hook-ran');
    const hooks = path.join(tmp, 'evil-hooks');
    const template = path.join(tmp, 'evil-template');
    const script = `#!/bin/sh\necho ran >> '${marker}'\n`;
    await writeTree(hooks, { 'post-checkout': script });
    await writeTree(template, { 'hooks/post-checkout': script });
    await fs.chmod(path.join(hooks, 'post-checkout'), 0o755);
    await fs.chmod(path.join(template, 'hooks', 'post-checkout'), 0o755);
    const globalConfig = path.join(tmp, 'gitconfig');
    await fs.writeFile(globalConfig, `[core]\n\thooksPath = ${hooks}\n[init]\n\ttemplateDir = ${template}\n`);
    const saved = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      // Sanity check: a plain clone with this config does run the hook.
      git(tmp, 'clone', '--quiet', bare, path.join(tmp, 'plain-clone'));
      assert.equal(await fs.readFile(marker, 'utf8'), 'ran\n');
      await fs.rm(marker);
      await acquire(pathToFileURL(bare).href, { cacheDir: path.join(tmp, 'cache-hooks') });
      await acquire(`${pathToFileURL(bare).href}#${sha1}`, { cacheDir: path.join(tmp, 'cache-hooks') });
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved;
    }
    await assert.rejects(fs.access(marker), 'no hook ran during acquisition');
  });

  it('a failing clone is a UserError with git’s message', async () => {
    const missing = pathToFileURL(path.join(tmp, 'nope.git')).href;
    await assert.rejects(acquire(missing, { cacheDir: path.join(tmp, 'cache4') }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^git clone file:\/\/.*nope\.git failed/);
      return true;
    });
    await assert.rejects(acquire(`${pathToFileURL(bare).href}#no-such-branch`, { cacheDir: path.join(tmp, 'cache4') }), UserError);
    assert.deepEqual(await fs.readdir(path.join(tmp, 'cache4', 'tmp')), []);
  });
});
