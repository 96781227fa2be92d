/**
 * Chromium for the browser tests (test/report-html, test/landscape): Debian's package, or MCP_RISK_CHROMIUM.
 * Without it the suites are skipped locally and fail in CI (CI=true).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.MCP_RISK_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** Why the browser tests cannot run here, or undefined. */
export const MISSING = existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set MCP_RISK_CHROMIUM`;

/**
 * Chromium with a context that may load only file: URLs: every other request is aborted and recorded in
 * `external` (a self-contained page makes none).
 */
export async function launchOffline(external: string[]): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  return { browser, context };
}
