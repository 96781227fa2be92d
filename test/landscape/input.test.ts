/**
 * Landscape inputs: text lists and the registry formats (server.json, list API answers of two schema
 * generations, the current and the 2025-05 seed), read from files in those formats.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compareVersions,
  describeTarget,
  parseLandscapeInput,
  parseRegistryJson,
  readLandscapeInput,
  repositoryGitTarget,
} from '../../src/landscape/input.js';
import { fromRoot } from '../helpers.js';

const FIX = (name: string): string => fromRoot('test', 'fixtures', 'landscape', name);
const json = (name: string): unknown => JSON.parse(readFileSync(FIX(name), 'utf8'));
const byLabel = <T extends { label: string }>(targets: T[], label: string): T | undefined => targets.find((t) => t.label === label);

describe('text lists', () => {
  it('reads targets, resolves existing relative paths against the list, skips comments and duplicates', async () => {
    const p = await readLandscapeInput(FIX('targets.txt'));
    assert.equal(p.format, 'text');
    assert.match(p.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      p.targets.map((t) => [t.target, t.ecosystem, t.key]),
      [
        [fromRoot('test/fixtures/servers/78-git-tools-sdk-vuln'), 'folder', `path:${fromRoot('test/fixtures/servers/78-git-tools-sdk-vuln')}`],
        [fromRoot('test/fixtures/servers/78-git-tools-sdk-safe'), 'folder', `path:${fromRoot('test/fixtures/servers/78-git-tools-sdk-safe')}`],
        ['npm:@modelcontextprotocol/server-filesystem@2025.7.1', 'npm', 'npm:@modelcontextprotocol/server-filesystem'],
        ['pypi:mcp-server-fetch==2025.4.7', 'pypi', 'pypi:mcp-server-fetch'],
        ['https://github.com/example/server.git#v1.2.0', 'git', 'git:https://github.com/example/server'],
      ],
    );
    assert.equal(p.targets[0]?.label, '../servers/78-git-tools-sdk-vuln', 'the label is the line as written');
    assert.equal(p.targets[0]?.origin.line, 2);
    assert.equal(p.notes.length, 1);
    assert.match(p.notes[0] ?? '', /line 8: .* listed again \(first on line 2\)/);
  });

  it('a path that does not exist stays as written (it fails later, recorded for its server)', () => {
    const p = parseLandscapeInput('./missing-folder\nleft-pad@1.3.0\n', '/base', () => false);
    assert.deepEqual(p.targets.map((t) => [t.target, t.ecosystem]), [['./missing-folder', 'unknown'], ['left-pad@1.3.0', 'npm']]);
  });

  it('an empty list is an input error', () => {
    assert.throws(() => parseLandscapeInput('# nothing\n\n', '/base'), /lists no targets/);
  });
});

describe('registry formats', () => {
  it('server.json: the npm package wins over an OCI image; registry name is the label', () => {
    const p = parseRegistryJson(json('server.json'));
    assert.equal(p.format, 'server-json');
    assert.equal(p.targets.length, 1);
    const t = p.targets[0];
    assert.equal(t?.target, 'npm:@example/weather-mcp@1.4.0');
    assert.equal(t?.label, 'io.github.example/weather');
    assert.equal(t?.key, 'npm:@example/weather-mcp');
    assert.deepEqual(t?.origin, { registryName: 'io.github.example/weather', registryVersion: '1.4.0', repository: 'https://github.com/example/weather-mcp', via: 'npm' });
  });

  it('list API (2025-12 schema, {server, _meta}): latest version per name, deleted dropped, PyPI, repository, remote-only', () => {
    const p = parseRegistryJson(json('registry-list.json'));
    assert.equal(p.format, 'registry-list');
    assert.deepEqual(
      p.targets.map((t) => [t.label, t.target, t.skip?.code ?? '']),
      [
        ['io.github.example/notes', 'npm:example-notes-mcp@1.0.0', ''],
        ['io.github.example/pyserver', 'pypi:example-pyserver==2.1.0', ''],
        ['io.github.example/monorepo-tool', 'https://github.com/example/mcp-servers.git', ''],
        ['com.example/hosted', 'registry:com.example/hosted', 'not-analysable'],
      ],
    );
    assert.match(byLabel(p.targets, 'com.example/hosted')?.skip?.message ?? '', /only: remote endpoint/);
    assert.deepEqual(byLabel(p.targets, 'io.github.example/monorepo-tool')?.origin.notes, ['repository subfolder src/tool: the whole repository is analysed']);
    assert.ok(p.notes.some((n) => /gone: status deleted/.test(n)));
    assert.ok(p.notes.some((n) => /notes: 2 versions listed, kept 1\.0\.0/.test(n)));
  });

  it('list API (2025-07 schema: flat entries, snake_case fields, status in the server)', () => {
    const p = parseRegistryJson(json('registry-list-2025-07.json'));
    assert.equal(p.format, 'registry-list');
    assert.deepEqual(p.targets.map((t) => t.target), ['npm:example-fetcher@0.3.0']);
  });

  it('seed (server.json array, no isLatest): the highest version by number, not by text', () => {
    const p = parseRegistryJson(json('seed.json'));
    assert.equal(p.format, 'registry-seed');
    assert.deepEqual(
      p.targets.map((t) => [t.label, t.target, t.skip?.code ?? '']),
      [
        ['io.github.example/tables', 'npm:example-tables-mcp@1.10.0', ''],
        ['io.github.example/clock-nuget', 'https://github.com/example/clock-nuget.git', ''],
        ['io.github.example/remote-only', 'registry:io.github.example/remote-only', 'not-analysable'],
      ],
    );
  });

  it('seed 2025-05 (registry_name / name / registry spellings, empty versions)', () => {
    const p = parseRegistryJson(json('seed-2025-05.json'));
    assert.deepEqual(
      p.targets.map((t) => [t.label, t.target, t.skip?.code ?? '']),
      [
        ['io.github.example/magic', 'npm:@example/magic@0.0.46', ''],
        ['io.github.example/querylang', 'npm:querylang-mcp@1.0.0', ''],
        ['io.github.example/pytool', 'pypi:example-pytool', ''],
        ['io.github.example/containered', 'https://github.com/example/containered.git', ''],
        ['io.github.example/nothing', 'registry:io.github.example/nothing', 'not-analysable'],
      ],
    );
  });

  it('JSON is detected from the content; other JSON is an input error', () => {
    assert.equal(parseLandscapeInput(readFileSync(FIX('seed.json'), 'utf8'), '/').format, 'registry-seed');
    assert.throws(() => parseLandscapeInput('{"hello": 1}', '/'), /unrecognised landscape JSON/);
    assert.throws(() => parseLandscapeInput('{"servers": [', '/'), /does not parse/);
  });

  it('two registry names for the same package are assessed once', () => {
    const doc = { servers: [1, 2].map((i) => ({ name: `io.github.x/s${i}`, version: '1.0.0', packages: [{ registryType: 'npm', identifier: 'same-pkg', version: '1.0.0' }] })) };
    const p = parseRegistryJson(doc);
    assert.equal(p.targets.length, 1);
    assert.match(p.notes.join('\n'), /s2: same target as io.github.x\/s1/);
  });
});

describe('helpers', () => {
  it('compareVersions', () => {
    assert.ok(compareVersions('1.10.0', '1.9.2') > 0);
    assert.ok(compareVersions('1.0.0', '1.0.0-beta.1') > 0);
    assert.equal(compareVersions('v2.0', '2.0.0'), 0);
  });

  it('repositoryGitTarget', () => {
    assert.equal(repositoryGitTarget('https://github.com/o/r'), 'https://github.com/o/r.git');
    assert.equal(repositoryGitTarget('https://github.com/o/r/'), 'https://github.com/o/r.git');
    assert.equal(repositoryGitTarget('https://github.com/o/r.git'), 'https://github.com/o/r.git');
    assert.equal(repositoryGitTarget('not a url'), undefined);
  });

  it('describeTarget', () => {
    assert.deepEqual(describeTarget('/x/pkg.tgz', true), { key: 'path:/x/pkg.tgz', ecosystem: 'archive' });
    assert.deepEqual(describeTarget('pypi:Mcp_Server.Fetch>=1', false), { key: 'pypi:mcp-server-fetch', ecosystem: 'pypi' });
    assert.deepEqual(describeTarget('git+https://h.org/O/R.git#main', false), { key: 'git:https://h.org/o/r', ecosystem: 'git' });
    assert.equal(path.isAbsolute(fromRoot()), true);
  });
});
