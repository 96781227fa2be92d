/**
 * The landscape dashboard in a real browser (Debian's Chromium via playwright-core, as for the HTML report):
 * a landscape of fixture servers — one of them named with markup — is written by the command line, then
 * index.html is opened from disk. Asserts: no page error, nothing requested outside the output folder, the
 * charts exist and their bars add up to the statistics, hostile names stay text, every ranking link opens
 * that server's own report, and the tables render. A screenshot goes to test-artifacts/landscape/.
 *
 * Without Chromium the suite is skipped locally and fails in CI (CI=true). MCP_RISK_CHROMIUM overrides the
 * path (default /usr/bin/chromium).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IN_CI, MISSING, launchOffline } from '../browser.js';
import type { LandscapeStats } from '../../src/landscape/stats.js';
import { makeTmp, rmTmp } from '../acquire/util.js';
import { runCli } from '../cli/run.js';
import { fromRoot } from '../helpers.js';
import { fixture } from './helpers.js';

// Code passed to page.evaluate runs in the page; the project compiles without the DOM library.
declare const document: any;
declare const window: any;

const ARTIFACTS = fromRoot('test-artifacts', 'landscape');
const EVIL = 'evil-<img src=x onerror=alert(1)>';
const EVIL_NAME = '<script>window.__pwned=1</script>';

if (MISSING && IN_CI) {
  it('the landscape browser test has Chromium', () => {
    assert.fail(MISSING);
  });
}

describe('landscape dashboard in Chromium', { skip: MISSING ?? false, timeout: 180_000 }, () => {
  let tmp: string;
  let out: string;
  let stats: LandscapeStats;
  let browser: Browser;
  let context: BrowserContext;
  const external: string[] = [];
  const problems: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    tmp = await makeTmp('mcp-risk-dashboard-');
    // a vulnerable server whose folder name and package name are markup
    const evil = path.join(tmp, EVIL);
    await fs.cp(fixture('78-git-tools-sdk-vuln'), evil, { recursive: true });
    const pj = path.join(evil, 'package.json');
    await fs.writeFile(pj, JSON.stringify({ ...JSON.parse(readFileSync(pj, 'utf8')), name: EVIL_NAME }));
    const list = path.join(tmp, 'servers.txt');
    const folders = ['22-docs-fastmcp-vuln', '89-crm-sdk-vuln', '918-web-tools-fastmcp-vuln', '306-team-tickets-http-sdk-vuln', '78-git-tools-sdk-safe', '1321-settings-cjs-vuln'];
    await fs.writeFile(list, [...folders.map(fixture), EVIL, './missing-server', ''].join('\n'));
    out = path.join(tmp, 'out');
    const r = await runCli(['landscape', list, '--out', out, '-j', '2', '--progress', 'none'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    stats = (JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { stats: LandscapeStats }).stats;
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, context } = await launchOffline(external));
  });

  after(async () => {
    await browser?.close();
    if (tmp) await rmTmp(tmp);
  });

  async function open(file: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');
    return page;
  }

  it('loads without errors or outside requests, with the headline numbers', async () => {
    const page = await open(path.join(out, 'index.html'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    assert.deepEqual(problems, []);
    assert.deepEqual(external, []);
    const title: string = await page.title();
    assert.match(title, /MCP server landscape — servers\.txt/);
    const cards: string[] = await page.evaluate(() => [...document.querySelectorAll('.card')].map((c: any) => c.textContent));
    assert.ok(cards.includes(`${stats.totals.planned}servers in the input`), cards.join(' | '));
    assert.ok(cards.includes(`${stats.totals.failed}failed`));
    const csp: string = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    assert.match(csp, /default-src 'none'/);
    await page.close();
  });

  it('draws the charts from the statistics', async () => {
    const page = await open(path.join(out, 'index.html'));
    const charts: { label: string; values: number[] }[] = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart')].map((s: any) => ({
        label: s.getAttribute('aria-label'),
        values: [...s.querySelectorAll('rect[data-value]')].map((r: any) => Number(r.getAttribute('data-value'))),
      })),
    );
    const chart = (re: RegExp): number[] => {
      const c = charts.find((x) => re.test(x.label));
      assert.ok(c, `chart ${re} in ${charts.map((x) => x.label).join(', ')}`);
      return c.values;
    };
    assert.deepEqual(chart(/^CWE frequency/), stats.cwe.slice(0, 15).map((c) => c.servers));
    assert.deepEqual(chart(/MCP primitive/), stats.primitives.map((p) => p.servers));
    assert.deepEqual(chart(/Confidentiality/), stats.cia.map((c) => c.servers));
    const mcp = chart(/mcp-in-sos R_overall/);
    const ctx = chart(/contextual score/);
    assert.equal(mcp.reduce((a, b) => a + b, 0), stats.totals.scored);
    assert.equal(ctx.reduce((a, b) => a + b, 0), stats.totals.scored);
    // bars are drawn to scale and visible
    const widths: number[] = await page.evaluate(() => [...document.querySelectorAll('svg.chart rect[data-value]')].map((r: any) => r.getBoundingClientRect().width));
    assert.ok(widths.some((w) => w > 20));
    await page.close();
  });

  it('keeps hostile names as text', async () => {
    const page = await open(path.join(out, 'index.html'));
    const state: { pwned: unknown; imgs: number; scripts: number; text: string } = await page.evaluate(() => ({
      pwned: window.__pwned,
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      text: document.body.textContent,
    }));
    assert.equal(state.pwned, undefined);
    assert.equal(state.imgs, 0);
    assert.equal(state.scripts, 0);
    assert.ok(state.text.includes(EVIL), 'the folder name is shown literally');
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  it('links every ranked server to its own report, which opens', async () => {
    const page = await open(path.join(out, 'index.html'));
    const links: { href: string; text: string }[] = await page.evaluate(() =>
      [...document.querySelectorAll('#ranking a.report')].map((a: any) => ({ href: a.getAttribute('href'), text: a.textContent })),
    );
    assert.equal(links.length, stats.ranking.length);
    assert.deepEqual(links.map((l) => l.text), stats.ranking.map((r) => r.label));
    for (const l of links) assert.ok(existsSync(path.join(out, l.href)), l.href);
    const evil = links.find((l) => l.text === EVIL);
    assert.ok(evil, 'the hostile server is ranked');
    await Promise.all([page.waitForNavigation(), page.click(`#ranking a.report >> nth=${links.indexOf(evil)}`)]);
    assert.ok(page.url().endsWith(evil.href.split('/').pop() ?? ''), page.url());
    const body: string = await page.evaluate(() => document.body.textContent);
    assert.ok(body.includes(EVIL_NAME), 'the server report names the package, as text');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const back: string | null = await page.evaluate(() => document.querySelector('a[href="../index.html"]')?.getAttribute('href') ?? null);
    assert.equal(back, '../index.html', 'the server report links back to the dashboard');
    assert.deepEqual(external, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('renders the tables: CWE, CAPEC with likelihood and severity, languages, failures', async () => {
    const page = await open(path.join(out, 'index.html'));
    const rows = async (table: string): Promise<string[][]> =>
      page.evaluate(
        (cls: string) => [...document.querySelectorAll(`table.${cls} tbody tr`)].map((tr: any) => [...tr.children].map((td: any) => td.textContent)),
        table,
      );
    const cwe = await rows('cwe');
    assert.equal(cwe.length, stats.cwe.length);
    assert.deepEqual(cwe[0]?.slice(0, 3), [`CWE-${stats.cwe[0]?.cwe}`, stats.cwe[0]?.name, String(stats.cwe[0]?.servers)]);
    const capec = await rows('capec');
    assert.equal(capec.length, Math.min(30, stats.capec.length));
    assert.match(capec[0]?.[4] ?? '', /^\w[\w ]* \(\d\)$/, 'likelihood with its label');
    const failed = await rows('failed-servers');
    assert.deepEqual(failed.map((r) => [r[1], r[2], r[3]]), [['./missing-server', 'failed', 'not-found']]);
    const ecosystems = await rows('ecosystems');
    assert.deepEqual(ecosystems.map((r) => r[0]), stats.ecosystems.map((e) => e.ecosystem));
    const languages = await rows('languages');
    assert.deepEqual(languages.map((r) => r[0]).sort(), stats.languages.map((l) => l.language).sort());
    await page.close();
  });
});
