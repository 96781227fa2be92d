/**
 * `mcp-risk landscape` and `landscape compare` as a user runs them: usage errors (exit 2, a message, no stack),
 * the summary on stdout, plain progress lines on stderr without a terminal, compare as text and JSON.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Comparison } from '../../src/landscape/compare.js';
import { makeTmp, rmTmp } from '../acquire/util.js';
import { assertNoCrashOutput, runCli } from '../cli/run.js';
import { fixture } from './helpers.js';

let tmp: string;
let list: string;

before(async () => {
  tmp = await makeTmp('mcp-risk-landscape-cli-');
  list = path.join(tmp, 'list.txt');
  await fs.writeFile(list, `${fixture('78-git-tools-sdk-vuln')}\n${fixture('22-docs-fastmcp-vuln')}\n./gone\n`);
});

after(async () => {
  await rmTmp(tmp);
});

async function usage(args: string[], message: RegExp): Promise<void> {
  const r = await runCli(args);
  assertNoCrashOutput(r, args.join(' '));
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, message);
}

describe('landscape command line', () => {
  it('usage errors exit 2 with a message', async () => {
    await usage(['landscape', list], /needs --out/);
    await usage(['landscape', '--out', path.join(tmp, 'x')], /needs an input file/);
    await usage(['landscape', list, '--out', path.join(tmp, 'x'), '-j', '0'], /--jobs needs a positive whole number/);
    await usage(['landscape', list, '--out', path.join(tmp, 'x'), '--timeout', 'soon'], /--timeout needs a positive number/);
    await usage(['landscape', path.join(tmp, 'missing.txt'), '--out', path.join(tmp, 'y')], /cannot read the landscape input/);
    await usage(['landscape', 'compare', path.join(tmp, 'nothing-here'), path.join(tmp, 'nor-here')], /no landscape found/);
  });

  it('runs, summarises on stdout, reports progress lines on stderr, refuses to overwrite, compares', async () => {
    const out = path.join(tmp, 'out');
    const r = await runCli(['landscape', list, '--out', out, '-j', '2']);
    assertNoCrashOutput(r, 'landscape');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^3 servers: 2 assessed with source code, 0 without source files, 1 failed, 0 not analysable/m);
    assert.match(r.stdout, /^Top CWEs by servers affected: .*CWE-78 1 \(50%\)/m);
    assert.match(r.stdout, /^Failures: not-found 1$/m);
    assert.match(r.stdout, new RegExp(`^Dashboard: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/index\\.html$`, 'm'));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => /^\[\d\/3\] (ok    |failed) /.test(l)), r.stderr);
    assert.doesNotMatch(r.stderr, /\x1b/, 'no terminal control codes without a terminal');

    const again = await runCli(['landscape', list, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already holds a landscape run \(3\/3 servers done, finished\)/);

    const resumed = await runCli(['landscape', '--resume', '--out', out, '--progress', 'none']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stderr, '');
    assert.match(resumed.stdout, /\(0 this session/);

    const text = await runCli(['landscape', 'compare', out, out]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /3 servers in both, 0 only in A, 0 only in B; 0 changed: 0 new findings, 0 fixed/);
    const file = path.join(tmp, 'cmp.json');
    const json = await runCli(['landscape', 'compare', out, path.join(out, 'landscape.sqlite'), '--format', 'json', '-o', file]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout, '');
    const c = JSON.parse(readFileSync(file, 'utf8')) as Comparison;
    assert.equal(c.totals.common, 3);
    assert.deepEqual(c.servers, []);
  });
});
