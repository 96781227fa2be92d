/** The V8 options mcp-risk's own processes set (src/v8-flags.ts). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { childV8Flags, flagsToSet, V8_FLAGS } from '../../src/v8-flags.js';
import { fromRoot } from '../helpers.js';

describe('V8 flags', () => {
  it('sets the inlining budget unless node was started with one (either spelling)', () => {
    assert.deepEqual(flagsToSet([]), [...V8_FLAGS]);
    assert.deepEqual(flagsToSet(['--max-old-space-size=512']), [...V8_FLAGS]);
    assert.deepEqual(flagsToSet(['--max-inlined-bytecode-size-cumulative=2000']), []);
    assert.deepEqual(flagsToSet(['--max_inlined_bytecode_size_cumulative=2000']), []);
  });

  it('a child process gets the user’s own setting of those options, else ours', () => {
    assert.deepEqual(childV8Flags([]), [...V8_FLAGS]);
    assert.deepEqual(childV8Flags(['--max-old-space-size=512', '--inspect']), [...V8_FLAGS]);
    assert.deepEqual(childV8Flags(['--max_inlined_bytecode_size_cumulative=2000']), ['--max_inlined_bytecode_size_cumulative=2000']);
  });

  it('the command line runs with them and gives the same report', () => {
    const cli = fromRoot('build', 'src', 'cli.js');
    const target = fromRoot('test', 'fixtures', 'python-servers', '78-shell-tools-sdk-vuln');
    const run = (execArgv: string[]) => spawnSync(process.execPath, [...execArgv, cli, 'scan', target, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });
    const tuned = run([]);
    const plain = run(['--max-inlined-bytecode-size-cumulative=920']);
    assert.equal(tuned.status, 0, tuned.stderr);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(tuned.stdout, plain.stdout);
  });
});
