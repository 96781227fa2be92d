/**
 * The HTML report in a real browser: Debian's Chromium (`apt-get install -y chromium`) driven by
 * playwright-core, which never downloads a browser. Asserts on the DOM: no error, no request leaves the
 * page, the matrix cells add up to the findings, the charts exist, filters and sorting change the visible
 * rows, a trace opens (with and without JavaScript), narrow screens and print work, hostile content stays
 * text. Screenshots and a PDF go to test-artifacts/report-html/ (git-ignored; kept by CI).
 *
 * Without Chromium the suite is skipped locally and fails in CI (CI=true). MCP_RISK_CHROMIUM overrides
 * the path (default /usr/bin/chromium).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IN_CI, MISSING, launchOffline } from '../browser.js';
import type { Assessment } from '../../src/model.js';
import { toHtml } from '../../src/report/index.js';
import { PAYLOADS, hostileAssessment, scanWithImports } from './data.js';
import { fromRoot } from '../helpers.js';

// Code passed to page.evaluate runs in the page; the project compiles without the DOM library.
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: any): any;

const ARTIFACTS = fromRoot('test-artifacts', 'report-html');

if (MISSING && IN_CI) {
  it('the browser tests have Chromium', () => {
    assert.fail(MISSING);
  });
}

describe('HTML report in Chromium', { skip: MISSING ?? false, timeout: 180_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let a: Assessment;
  let reportUrl: string;
  let hostileUrl: string;
  let dir: string | undefined;
  const external: string[] = [];
  const problems: string[] = [];

  before(async () => {
    a = await scanWithImports();
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-risk-html-'));
    const report = path.join(dir, 'report.html');
    writeFileSync(report, toHtml(a));
    const hostile = path.join(dir, 'hostile.html');
    writeFileSync(hostile, toHtml(hostileAssessment(), { linkBase: 'https://example.org/src/' }));
    reportUrl = pathToFileURL(report).href;
    hostileUrl = pathToFileURL(hostile).href;
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ browser, context } = await launchOffline(external));
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(url = reportUrl, ctx: BrowserContext = context): Promise<Page> {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) external.push(r.url());
    });
    await page.goto(url);
    return page;
  }

  const visibleRows = (page: Page): Promise<string[]> => page.$$eval('tbody.finding', (gs) => gs.filter((g) => !g.hidden).map((g) => g.dataset.id!));

  it('loads with no error, no CSP violation and no request leaving the page', async () => {
    const page = await open();
    assert.equal(await page.title(), `mcp-risk: ${a.target.name}${a.target.version ? `@${a.target.version}` : ''}`);
    assert.equal(await page.evaluate(() => document.documentElement.className), 'js');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-desktop.png'), fullPage: true });
    assert.deepEqual(problems, []);
    assert.deepEqual(external, []);
    await page.close();
  });

  it('the matrix cells add up to the findings, each in its cell', async () => {
    const page = await open();
    const cells = await page.$$eval('td.mcell', (tds) => tds.map((td) => [td.dataset.cell!, Number(td.dataset.count)] as [string, number]));
    assert.equal(cells.length, 25);
    const total = cells.reduce((s, [, n]) => s + n, 0);
    assert.equal(total, a.findings.length);
    assert.equal(total, (await visibleRows(page)).length);
    assert.equal(Number(await page.getAttribute('[data-findings]', 'data-findings')), total);
    for (const [cell, n] of cells) assert.equal(n, a.risk!.findings.filter((r) => r.contextual.cell === cell).length, cell);
    await page.close();
  });

  it('draws the charts by CWE, CAPEC, primitive and C/I/A', async () => {
    const page = await open();
    const charts = await page.$$eval('figure.chart', (fs) =>
      fs.map((f) => ({
        id: f.dataset.chart!,
        bars: f.querySelectorAll('svg rect.bar').length,
        sum: [...f.querySelectorAll('g.bar-row')].reduce((s, g) => s + Number(g.dataset.value), 0),
        visible: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      })),
    );
    assert.deepEqual(
      charts.map((c) => c.id),
      ['cwe', 'capec', 'primitive', 'cia'],
    );
    for (const c of charts) {
      assert.ok(c.bars > 0, `${c.id} has bars`);
      assert.ok(c.visible > 100, `${c.id} is drawn`);
    }
    for (const id of ['cwe', 'capec', 'primitive']) assert.equal(charts.find((c) => c.id === id)!.sum, a.findings.length, `${id} chart counts each finding once`);
    await page.close();
  });

  it('filters change the visible rows', async () => {
    const page = await open();
    const all = a.findings.length;
    assert.equal((await visibleRows(page)).length, all);
    assert.equal(await page.textContent('#f-status'), `Showing ${all} of ${all} findings`);

    const sev = a.findings[0]!.severity;
    await page.selectOption('#f-severity', sev);
    const bySev = await visibleRows(page);
    assert.deepEqual(bySev, a.findings.filter((f) => f.severity === sev).map((f) => f.id));
    assert.ok(bySev.length < all);
    assert.equal(await page.textContent('#f-status'), `Showing ${bySev.length} of ${all} findings`);

    await page.click('#f-reset');
    await page.waitForFunction((n) => document.querySelectorAll('tbody.finding:not([hidden])').length === n, all);

    await page.selectOption('#f-origin', 'CodeQL');
    assert.deepEqual(await visibleRows(page), a.findings.filter((f) => f.tool === 'CodeQL').map((f) => f.id));
    await page.selectOption('#f-cwe', '730');
    assert.deepEqual(await visibleRows(page), a.findings.filter((f) => f.tool === 'CodeQL' && f.cwe === 730).map((f) => f.id));
    await page.click('#f-reset');
    await page.waitForFunction((n) => document.querySelectorAll('tbody.finding:not([hidden])').length === n, all);

    await page.fill('#f-search', 'regular expression');
    const searched = await visibleRows(page);
    assert.ok(searched.length >= 1 && searched.length < all);
    await page.fill('#f-search', '');

    // a matrix cell lists its findings
    const cell = await page.$$eval('td.mcell', (tds) => tds.map((td) => [td.dataset.cell!, Number(td.dataset.count)] as [string, number]).sort((x, y) => y[1] - x[1])[0]!);
    await page.click(`a[data-filter-cell="${cell[0]}"]`);
    const inCell = await visibleRows(page);
    assert.equal(inCell.length, cell[1]);
    assert.deepEqual(inCell, a.findings.filter((f) => a.risk!.findings.find((r) => r.findingId === f.id)!.contextual.cell === cell[0]).map((f) => f.id));
    assert.match((await page.textContent('#f-chips')) ?? '', new RegExp(`cell ${cell[0]}`));
    assert.ok(await page.$eval(`td.mcell[data-cell="${cell[0]}"]`, (td: any) => td.classList.contains('active')));
    await page.click('#f-chips button');
    assert.equal((await visibleRows(page)).length, all);

    // a bar of the CWE chart lists its findings
    await page.click('#chart-cwe a.bar-link[data-filter="cwe:22"]');
    assert.deepEqual(await visibleRows(page), a.findings.filter((f) => f.cwe === 22).map((f) => f.id));
    assert.equal(await page.inputValue('#f-cwe'), '22');
    await page.click('#f-reset');
    await page.waitForFunction((n) => document.querySelectorAll('tbody.finding:not([hidden])').length === n, all);

    // a primitive of the surface lists its findings
    const prim = a.findings.find((f) => f.primitive.kind === 'tool')!.primitive;
    await page.click(`a[data-filter-primitive="tool:${prim.name}"]`);
    assert.deepEqual(await visibleRows(page), a.findings.filter((f) => f.primitive.kind === 'tool' && f.primitive.name === prim.name).map((f) => f.id));
    await page.close();
  });

  it('sorts by a column, both ways', async () => {
    const page = await open();
    await page.click('button[data-sort="r"]');
    assert.equal(await page.getAttribute('th:has(button[data-sort="r"])', 'aria-sort'), 'descending');
    const desc = await page.$$eval('tbody.finding', (gs) => gs.map((g) => Number(g.dataset.r)));
    assert.deepEqual(desc, [...desc].sort((x, y) => y - x));
    await page.click('button[data-sort="r"]');
    assert.equal(await page.getAttribute('th:has(button[data-sort="r"])', 'aria-sort'), 'ascending');
    const asc = await page.$$eval('tbody.finding', (gs) => gs.map((g) => Number(g.dataset.r)));
    assert.deepEqual(asc, [...asc].sort((x, y) => x - y));
    await page.click('button[data-sort="sevRank"]');
    const sev = await page.$$eval('tbody.finding', (gs) => gs.map((g) => Number(g.dataset.sevRank)));
    assert.deepEqual(sev, [...sev].sort((x, y) => x - y));
    await page.close();
  });

  it('a finding opens to its code, trace step by step, CWE and CAPEC entries and arithmetic', async () => {
    const page = await open();
    const f = a.findings.find((x) => x.trace && x.trace.length >= 3)!;
    const r = a.risk!.findings.find((x) => x.findingId === f.id)!;
    const group = page.locator(`tbody.finding[data-id="${f.id}"]`);
    const trace = group.locator('ol.trace');
    assert.equal(await trace.isVisible(), false);
    await group.locator('summary').click();
    assert.equal(await trace.isVisible(), true);
    const steps = await trace.locator(':scope > li').evaluateAll((lis: any[]) => lis.map((li) => li.className));
    assert.equal(steps.length, f.trace!.length);
    assert.equal(steps[0], 'step step-source');
    assert.equal(steps[steps.length - 1], 'step step-sink');
    assert.match((await group.locator('pre.code').first().textContent()) ?? '', new RegExp(String(f.location.line)));
    const hrefs = await group.locator('a[href*="mitre.org"]').evaluateAll((as: any[]) => as.map((x) => x.href));
    assert.ok(hrefs.includes(`https://cwe.mitre.org/data/definitions/${f.cwe}.html`));
    for (const c of r.threats.capec) assert.ok(hrefs.includes(`https://capec.mitre.org/data/definitions/${c.id}.html`), `CAPEC-${c.id} linked`);
    const text = (await group.locator('.detail').textContent()) ?? '';
    for (const c of r.threats.capec) assert.ok(text.includes(c.name), `CAPEC-${c.id} name`);
    for (const line of [...r.mcpInSos.arithmetic, ...r.contextual.arithmetic]) assert.ok(text.includes(line), `arithmetic: ${line}`);
    await group.screenshot({ path: path.join(ARTIFACTS, 'finding-open.png') });
    await page.close();
  });

  it('opens the finding named in the URL fragment', async () => {
    const f = a.findings[a.findings.length - 1]!;
    const page = await open(`${reportUrl}#finding-${f.id}`);
    assert.equal(await page.locator(`tbody.finding[data-id="${f.id}"] details`).evaluate((d: any) => d.open), true);
    await page.close();
  });

  it('reads without JavaScript: every finding shown, details open natively', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await open(reportUrl, noJs);
    assert.equal(await page.isVisible('#filters'), false);
    assert.equal((await page.$$('tbody.finding')).length, a.findings.length);
    for (const g of await page.$$('tbody.finding')) assert.equal(await g.isVisible(), true);
    const f = a.findings.find((x) => x.trace && x.trace.length >= 2)!;
    const group = page.locator(`tbody.finding[data-id="${f.id}"]`);
    await group.locator('summary').click();
    assert.equal(await group.locator('ol.trace').isVisible(), true);
    await noJs.close();
  });

  it('fits a narrow screen', async () => {
    const narrow = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 });
    const page = await open(reportUrl, narrow);
    const { overflow, wide } = await page.evaluate(() => {
      const W = document.documentElement.clientWidth;
      const wide: string[] = [];
      for (const e of document.querySelectorAll('body *')) {
        const box = e.getBoundingClientRect().right > W + 1;
        const text = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.getBoundingClientRect().left + e.scrollWidth > W + 1;
        if (!box && !text) continue;
        let clipped = false;
        for (let x = e.parentElement; x && !clipped; x = x.parentElement) clipped = getComputedStyle(x).overflowX !== 'visible';
        if (!clipped) wide.push(`${e.tagName}.${e.className}`);
      }
      return { overflow: document.documentElement.scrollWidth - W, wide };
    });
    assert.ok(overflow <= 1 && wide.length === 0, `page wider than the screen by ${overflow}px: ${wide.slice(0, 5).join(', ')}`);
    assert.equal(await page.isVisible('table.findings thead'), false, 'findings as cards');
    const cardWidth = await page.locator('tbody.finding').first().evaluate((g: any) => g.getBoundingClientRect().width);
    assert.ok(cardWidth <= 375);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-narrow.png'), fullPage: true });
    await narrow.close();
  });

  it('prints every finding opened, without the controls', async () => {
    const page = await open();
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const open_ = await page.$$eval('details.finding-details', (ds) => ds.filter((d: any) => d.open).length);
    assert.equal(open_, a.findings.length);
    assert.equal(await page.isVisible('#filters'), false);
    assert.equal(await page.isVisible('nav.toc'), false);
    await page.pdf({ path: path.join(ARTIFACTS, 'report.pdf'), format: 'A4', printBackground: true });
    await page.close();
  });

  it('keeps hostile names, snippets and messages as text', async () => {
    const dialogs: string[] = [];
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(hostileUrl);
    await page.click('#f-expand');
    await page.hover('tbody.finding');
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.textContent('h1'), `${PAYLOADS.script}@${PAYLOADS.attr}`);
    assert.equal(await page.locator('script').count(), 1);
    assert.equal(await page.locator('iframe, img, tbody.finding svg').count(), 0);
    const firstCode = (await page.locator('tbody.finding pre.code').first().textContent()) ?? '';
    assert.ok(firstCode.includes(PAYLOADS.script), 'the snippet is shown as written');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-hostile.png'), fullPage: true });
    assert.deepEqual(problems, []);
    assert.deepEqual(external, []);
    await page.close();
  });
});
