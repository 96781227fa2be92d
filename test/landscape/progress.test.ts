/** Progress display: a bar redrawn in place on a terminal, plain lines otherwise. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, Progress } from '../../src/landscape/progress.js';

function sink(isTTY: boolean): { text: () => string; stream: { write: (s: string) => void; isTTY: boolean; columns: number } } {
  let out = '';
  return { text: () => out, stream: { write: (s: string) => void (out += s), isTTY, columns: 160 } };
}

const ok = { status: 'ok' as const, findings: 3, rOverall: 134.2, ms: 1200, noSource: false, partial: false };

describe('progress', () => {
  it('bar: counts, rate, ETA and what is running, redrawn on one line', () => {
    let now = 0;
    const s = sink(true);
    const p = new Progress(10, 4, s.stream, 'bar', () => now);
    p.start(5, 'left-pad@1.0.0');
    now = 30_000;
    p.finish(5, 'left-pad@1.0.0', ok);
    p.start(6, '@scope/server@2.0.0');
    now = 60_000;
    p.finish(6, '@scope/server@2.0.0', { ...ok, status: 'failed', errorCode: 'timeout', errorMessage: 'no result' });
    const line = p.line(200);
    assert.match(line, /^█+░+ 6\/10 · ok 1 · failed 1 · 4 done before · 2\.0\/min · ETA 2m 00s$/);
    p.close();
    assert.match(s.text(), /^\r\x1b\[2K/);
    assert.ok(s.text().endsWith('\n'));
    assert.doesNotMatch(s.text(), /\n.*\n/, 'one line, redrawn');
  });

  it('lines: one plain line per finished server, no control characters', () => {
    const s = sink(false);
    const p = new Progress(12, 0, s.stream, 'lines');
    p.start(1, 'a');
    p.finish(1, 'a', ok);
    p.finish(2, 'b', { ...ok, status: 'failed', errorCode: 'not-found', errorMessage: 'npm package not found: b\nmore' });
    assert.equal(s.text(), '[ 1/12] ok     a — 3 findings, R 134.2 (1.2 s)\n[ 2/12] failed b — not-found: npm package not found: b (1.2 s)\n');
  });

  it('formatDuration', () => {
    assert.equal(formatDuration(12_400), '12s');
    assert.equal(formatDuration(200_000), '3m 20s');
    assert.equal(formatDuration(3_720_000), '1h 02m');
    assert.equal(formatDuration(NaN), '?');
  });
});
