/**
 * The Markdown report: summary, top risks, findings table with links to lines; deterministic; text from
 * the scanned code cannot add links, images, HTML, mentions or table cells.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mdCode, mdText, render, toMarkdown } from '../../src/report/index.js';
import { cells, hostileAssessment, scoredSample } from './data.js';
import { sampleAssessment } from '../report/sample.js';


describe('Markdown report', () => {
  it('has a summary, top risks and a findings table, deterministic', () => {
    const a = scoredSample();
    const md = toMarkdown(a);
    assert.equal(render(a, 'markdown'), md);
    assert.equal(toMarkdown(structuredClone(a)), md);
    const c = a.risk!.server.contextual;
    assert.match(md, /^## mcp-risk: `files-mcp@1\.4\.2`\n/);
    assert.ok(md.includes(`**Grade ${c.grade}** · contextual **${c.score} / 10**`));
    // highest contextual score first, ties by R (CWE-22: 320 before CWE-78: 64)
    assert.match(md, /### Top risks\n\n1\. \*\*high\*\* — \*\*\[CWE-22\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/22\.html\) Path traversal\*\* in tool `read_file` — `src\/tools\/read\.ts:27` — contextual 10 \(L5×I5, critical\), R 320\n/);
    assert.match(md, /\n2\. \*\*critical\*\* — \*\*\[CWE-78\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/78\.html\) OS command injection\*\* in tool `run_command`/);
    assert.match(md, /> \[!WARNING\]\n> The server listens on the network without authentication\./);
    assert.match(md, /> \[!NOTE\]\n> Partial result/);
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l));
    assert.equal(rows.length, a.findings.length);
    assert.deepEqual(
      rows.map((r) => cells(r)[8]),
      a.findings.map((f) => `\`${f.id}\``),
    );
  });

  it('links locations to lines with a link base', () => {
    const md = toMarkdown(scoredSample(), { linkBase: 'https://github.com/o/r/blob/abc123/' });
    assert.ok(md.includes('[`src/tools/run.ts:22`](https://github.com/o/r/blob/abc123/src/tools/run.ts#L22)'));
    assert.ok(!toMarkdown(scoredSample(), { linkBase: 'javascript:alert(1)//' }).includes('javascript:'));
  });

  it('cuts a long table and says so', () => {
    const a = scoredSample();
    const md = toMarkdown(a, { maxFindings: 2 });
    assert.equal(md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l)).length, 2);
    assert.match(md, /… and 1 more findings: see the JSON or HTML report\./);
  });

  it('works without risk and without findings', () => {
    const a = sampleAssessment();
    assert.match(toMarkdown(a), /_Risk stage off: no scores\._/);
    a.findings = [];
    assert.match(toMarkdown(a), /\nNo findings\.\n/);
  });

  it('keeps hostile text as text', () => {
    const md = toMarkdown(hostileAssessment());
    // code spans and fenced blocks show their content literally; check the rest
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
    assert.ok(!prose.includes('[click me](https://evil.example/phish)'), 'no link');
    assert.ok(!prose.includes('![pixel](https://evil.example/p.png)'), 'no image');
    assert.doesNotMatch(prose, /<(script|img|svg|iframe)\b/i, 'no HTML');
    assert.ok(!prose.includes('<!--'), 'no hidden comment');
    assert.doesNotMatch(prose, /(^|[^\u200b])@octocat/, 'no mention');
    assert.ok(!md.includes('\u202E'));
    // every table row keeps its column count
    for (const table of md.split(/\n\n/).filter((b) => b.startsWith('| '))) {
      const lines = table.split('\n');
      const n = cells(lines[0]!).length;
      for (const l of lines) assert.equal(cells(l).length, n, `row with ${cells(l).length} cells instead of ${n}: ${l}`);
    }
  });

  it('escapes inline text and fences code spans', () => {
    assert.equal(mdText('a *b* [c](d) <e> | f @g'), 'a \\*b\\* \\[c\\]\\(d\\) &lt;e&gt; \\| f @\u200bg');
    assert.equal(mdCode('x`y'), '``x`y``');
    assert.equal(mdCode('`a`'), '`` `a` ``');
    assert.equal(mdCode('a|b'), '`a\\|b`');
  });
});
