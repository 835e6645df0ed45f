/**
 * A real headless Chromium for the HTML report tests: Debian's `chromium` (installed by scripts/chromium.sh; CI runs
 * it) driven by playwright-core through `executablePath` — no browser is ever downloaded. Outside CI a missing
 * chromium skips loudly; in CI (`CI=true`) it is a failure.
 *
 *   const browser = await launchBrowser();              // one per test file; browser.close() in after()
 *   const view = await browser.open(file);              // file:// URL, console errors and requests recorded
 *   assert.deepEqual(view.problems(), []);
 *   await view.screenshot('lint');                      // .test-output/browser/lint.png
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { testOutput } from './paths.js';

export const CHROMIUM = process.env.LAYERWISE_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go (ignored by git, like the rest of .test-output). */
export const screenshotDir = join(testOutput, 'browser');

let answered: boolean | undefined;

export function browserAvailable(): boolean {
  answered ??= spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  return answered;
}

/** node:test options: skip (saying why) without chromium — but in CI, throw: the browser tests must run there. */
export function needsBrowser(): { skip: string | false; timeout: number } {
  if (browserAvailable()) return { skip: false, timeout: 300_000 };
  if (process.env.CI) throw new Error(`chromium is missing in CI (${CHROMIUM}): run scripts/chromium.sh first (.ci/run does)`);
  return { skip: `SKIPPED: no chromium at ${CHROMIUM} (run scripts/chromium.sh); browser tests did not run`, timeout: 300_000 };
}

export interface ReportView {
  page: Page;
  /** Console errors, page errors, failed loads and every request other than the report file itself. */
  problems(): string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface Browser {
  open(file: string, viewport?: { width: number; height: number }): Promise<ReportView>;
  close(): Promise<void>;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(testOutput, { recursive: true });
  const profile = mkdtempSync(join(testOutput, 'chromium-profile-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    async open(file, viewport) {
      const url = pathToFileURL(file).href;
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()}`));
      page.on('request', (request) => {
        if (request.url() !== url) problems.push(`request: ${request.url()}`);
      });
      await page.goto(url, { waitUntil: 'load' });
      return {
        page,
        problems: () => [...problems],
        async screenshot(name) {
          mkdirSync(screenshotDir, { recursive: true });
          const path = join(screenshotDir, `${name}.png`);
          await page.screenshot({ path, fullPage: true });
          return path;
        },
        close: () => page.close(),
      };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
