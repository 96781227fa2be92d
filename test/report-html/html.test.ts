/**
 * The HTML report as text: deterministic, self-contained (no URL but MITRE's and the link base; a
 * Content-Security-Policy whose hashes match the page's only style and script), and safe: nothing from
 * the scanned code or from imports becomes markup. The DOM is tested in a browser in browser.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { render, toHtml } from '../../src/report/index.js';
import { PAYLOADS, hostileAssessment, scoredSample } from './data.js';
import { sampleAssessment } from '../report/sample.js';

function sha(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function between(html: string, open: RegExp, close: string): string[] {
  const out: string[] = [];
  let m: RegExpExecArray | null;
  const re = new RegExp(open.source, 'g');
  while ((m = re.exec(html))) {
    const start = m.index + m[0].length;
    out.push(html.slice(start, html.indexOf(close, start)));
  }
  return out;
}

describe('HTML report', () => {
  it('is the same for the same assessment, and what render() writes', () => {
    const a = scoredSample();
    const one = toHtml(a);
    assert.equal(toHtml(structuredClone(a)), one);
    assert.equal(render(a, 'html'), one);
    assert.ok(one.startsWith('<!DOCTYPE html>\n<html lang="en"'));
    assert.doesNotMatch(one, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'no time stamp');
    assert.match(toHtml(a, { generatedAt: '2025-06-01 10:00 UTC' }), /on 2025-06-01 10:00 UTC/);
  });

  it('is self-contained: one style, one script, allowed by hash, nothing else loaded', () => {
    const html = toHtml(scoredSample());
    const styles = between(html, /<style>/, '</style>');
    const scripts = between(html, /<script>/, '</script>');
    assert.equal(styles.length, 1);
    assert.equal(scripts.length, 1);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`style-src 'sha256-${sha(styles[0]!)}'`), 'style hash');
    assert.ok(csp.includes(`script-src 'sha256-${sha(scripts[0]!)}'`), 'script hash');
    assert.doesNotMatch(html, /<(link|img|iframe|object|embed|base)\b/i);
    assert.doesNotMatch(styles[0]!, /url\(|@import/);
    assert.doesNotMatch(html, /\sstyle=/, 'no inline style attributes (the CSP would block them)');
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/);
    const urls = [...html.matchAll(/\s(?:href|src)="([^"#][^"]*)"/g)].map((m) => m[1]!);
    const foreign = urls.filter((u) => !/^https:\/\/(cwe|capec)\.mitre\.org\/data\/definitions\/\d+\.html$/.test(u));
    assert.deepEqual(foreign, []);
  });

  it('links source lines only to an http(s) link base', () => {
    const a = scoredSample();
    const html = toHtml(a, { linkBase: 'https://github.com/o/r/blob/abc123/' });
    assert.ok(html.includes('href="https://github.com/o/r/blob/abc123/src/tools/run.ts#L22"'));
    const bad = toHtml(a, { linkBase: 'javascript:alert(1)//' });
    assert.ok(!bad.includes('javascript:'));
    const back = toHtml(a, { backLink: { href: '../index.html', label: 'Landscape' } });
    assert.match(back, /<a href="\.\.\/index\.html">← Landscape<\/a>/);
    assert.ok(!toHtml(a, { backLink: { href: 'javascript:alert(1)', label: 'x' } }).includes('javascript:'));
  });

  it('turns every hostile string into text', () => {
    const html = toHtml(hostileAssessment(), { linkBase: 'https://example.org/' });
    for (const [name, p] of Object.entries(PAYLOADS)) {
      if (/[<>"']/.test(p)) assert.ok(!html.includes(p), `payload ${name} appears unescaped`);
    }
    assert.equal(html.split('<script').length - 1, 1, 'only the report’s own script');
    assert.equal(html.split('</script').length - 1, 1);
    const markup = html.replace(/="[^"]*"/g, '=""'); // attribute values are quoted text
    assert.doesNotMatch(markup, /<[a-z][^>]*\son[a-z]+\s*=/i, 'no event-handler attribute');
    assert.doesNotMatch(markup, /<(svg|iframe|img)\b(?![^>]*class="")/i);
    assert.ok(!html.includes('\u202E'), 'bidi control shown, not applied');
    assert.ok(html.includes('&lt;U+202E&gt;'));
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;window.__pwned'), 'shown as text');
  });

  it('renders without a risk section and without findings', () => {
    const a = sampleAssessment();
    const html = toHtml(a);
    assert.match(html, /The risk stage was off/);
    assert.doesNotMatch(html, /class="matrix"/);
    a.findings = [];
    const empty = toHtml(a);
    assert.match(empty, /<p>No findings\.<\/p>/);
    assert.doesNotMatch(empty, /id="findings-table"/);
  });

  it('carries the numbers other tools (and the agreement test) read', () => {
    const a = scoredSample();
    const html = toHtml(a);
    const m = a.risk!.server.mcpInSos;
    assert.ok(html.includes(`data-r-overall="${m.R_overall}"`));
    assert.ok(html.includes(`data-contextual-score="${a.risk!.server.contextual.score}"`));
    assert.ok(html.includes(`data-grade="${a.risk!.server.contextual.grade}"`));
    const counts = [...html.matchAll(/data-count="(\d+)"/g)].map((x) => Number(x[1]));
    assert.equal(counts.length, 25);
    assert.equal(
      counts.reduce((s, n) => s + n, 0),
      a.findings.length,
    );
  });
});
