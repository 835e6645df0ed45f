/**
 * The HTML reports in a real headless Chromium (Debian's package, driven by playwright-core; nothing downloaded),
 * each made by the CLI from real inputs — the seed Dockerfiles, a git history, images built by the real engine —
 * and opened from file://: no console error, no request, one bar per layer with the right labels, the rebuild
 * trigger on hover and on keyboard focus, hostile text inert. Screenshots: .test-output/browser/*.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { type Browser, launchBrowser, needsBrowser, type ReportView, screenshotDir } from '../../support/browser.js';
import { makeContext, needsEngine, removeImage, uniqueTag } from '../../support/engine.js';
import { gitHistory, seedPipHistory } from '../../support/git-history.js';
import { HOSTILE, REPLAY_HISTORY } from '../../support/html-inputs.js';
import { repoRoot } from '../../support/paths.js';

// These run in the page (the project's TypeScript has no DOM library).
declare const window: { __pwned?: unknown };
declare function getComputedStyle(element: unknown): { backgroundImage: string; fill: string };

const skip = needsBrowser();
let browser: Browser;
let out: string;

before(async () => {
  if (skip.skip) return;
  browser = await launchBrowser();
  // The reports stay beside their screenshots, for a person to open.
  out = screenshotDir;
  mkdirSync(out, { recursive: true });
});
after(async () => {
  await browser?.close();
});

/** Runs the CLI with `--format html --output FILE` and returns FILE. */
async function report(name: string, args: string[], cwd = repoRoot, expected: number | null = 0): Promise<string> {
  const file = join(out, `${name}.html`);
  const io = memoryIo({ cwd, env: process.env });
  const code = await main([...args, '--format', 'html', '--output', file], io);
  if (expected !== null) assert.equal(code, expected, io.err);
  assert.equal(io.out, '', 'with --output nothing goes to stdout');
  return file;
}

/** Opens the report, checks what every report must satisfy, and saves a screenshot. */
async function open(file: string, name: string): Promise<ReportView> {
  const view = await browser.open(file);
  assert.deepEqual(view.problems(), [], `${name}: console errors or requests`);
  assert.equal(await view.page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
  assert.equal(await view.page.locator('script').count(), 1, 'only our script is in the document');
  return view;
}

/** The element's text ('' when it has none). */
async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function hoverTip(view: ReportView, selector: string): Promise<string> {
  await view.page.hover(selector);
  const tip = view.page.locator('#tooltip');
  await tip.waitFor({ state: 'visible' });
  return text(tip);
}

describe('HTML reports in Chromium', skip, () => {
  test('lint: the seed and a hostile Dockerfile, findings on their lines', async () => {
    const hostile = join(out, 'Dockerfile');
    writeFileSync(hostile, `# ${HOSTILE}\nFROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n`);
    const file = await report('lint', ['lint', 'examples/seed/Dockerfile', hostile], repoRoot, null);
    const view = await open(file, 'lint');
    const line4 = view.page.locator('#file1-L4');
    assert.match((await line4.locator('mark.error').textContent()) ?? '', /^-–no-install-recommends$/);
    assert.equal((await line4.locator('.badge.error').textContent()) ?? '', 'error');
    assert.ok((await text(view.page.locator('#file2-L1 td.src'))).includes(HOSTILE), 'the comment shows as text');
    await view.screenshot('lint');
    await view.close();
  });

  test("demo: the first run's page — findings, the fix diff, the cache before and after, in one screen's order", async () => {
    const file = join(out, 'demo.html');
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['demo', '-o', file], io), 0, io.err);
    const view = await open(file, 'demo');
    const page = view.page;
    assert.deepEqual(await page.locator('section h2').allTextContents(), [
      '1. lint: what wastes the cache in examples/seed/Dockerfile',
      '2. fix: layerwise lint --fix (shown as --diff)',
      '3. cache: add one package (rich) to the pip3 install, rebuild — predicted, nothing is built',
      'Your own Dockerfile',
    ]);
    assert.equal(await text(page.locator('#lint-L4 mark.error')), '-–no-install-recommends');
    assert.equal(await page.locator('#fix-diff tr.diff-del').count(), 3);
    assert.equal(await page.locator('#fix-diff tr.diff-add').count(), 3);
    const badges = async (id: string, lines: number[]) =>
      Promise.all(lines.map(async (line) => text(page.locator(`#${id}-L${line} .badge`))));
    assert.deepEqual(await badges('before', [2, 3]), ['✓ cached', '✗ rebuilt']);
    assert.deepEqual(await badges('after', [2, 3, 7]), ['✓ cached', '✓ cached', '✗ rebuilt']);
    // The diff's added and removed lines differ by more than colour: their text keeps the sign.
    assert.match(await text(page.locator('#fix-diff tr.diff-add').last()), /^\+RUN pip3 install --no-cache-dir requests$/);
    await view.screenshot('demo');
    await page.emulateMedia({ colorScheme: 'dark' });
    await view.screenshot('demo-dark');
    assert.deepEqual(view.problems(), []);
    await view.close();
  });

  test('cache diff: every step marked by word and glyph', async () => {
    const view = await open(await report('cache-diff', ['cache', 'diff', 'examples/seed', 'examples/seed/rich']), 'cache diff');
    assert.equal((await view.page.locator('#new-L2 .badge').textContent()) ?? '', '✓ cached');
    assert.equal((await view.page.locator('#new-L3 .badge').textContent()) ?? '', '✗ rebuilt');
    await view.screenshot('cache-diff');
    await view.close();
  });

  test('cache replay: the commit × step grid, the trigger on hover and on focus, patterns beside colours', async (t) => {
    const repo = gitHistory(t, REPLAY_HISTORY);
    const view = await open(await report('cache-replay', ['cache', 'replay', '--no-git-dir'], repo), 'cache replay');
    const page = view.page;
    assert.equal(await page.locator('#grid thead th.commit').count(), REPLAY_HISTORY.length);
    const copyRow = page.locator('#grid tbody tr', { hasText: 'COPY . .' });
    const rebuilt = copyRow.locator('td.cell').nth(1);
    assert.equal(await rebuilt.getAttribute('class'), 'cell rebuilt');
    assert.match(
      await hoverTip(view, '#grid tbody tr:has-text("COPY . .") td.cell >> nth=1'),
      /rebuilt: app\.py changed \(trigger: files\)/,
    );
    await view.screenshot('cache-replay-hover');
    // Keyboard users get the same text.
    await page.mouse.move(0, 0);
    await page.locator('#grid tbody tr:has-text("COPY requirements.txt") td.cell').nth(2).focus();
    assert.match((await page.locator('#tooltip').textContent()) ?? '', /requirements\.txt changed/);
    // Not colour alone: a rebuilt cell is hatched and says ✗; a cached one is plain and says ✓.
    const look = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => ({ image: getComputedStyle(el).backgroundImage, text: el.textContent }));
    const [cached, miss] = [await look('#grid td.cell.cached'), await look('#grid td.cell.rebuilt')];
    assert.match(miss.image, /repeating-linear-gradient/);
    assert.doesNotMatch(cached.image, /gradient/);
    assert.equal(`${cached.text}|${miss.text}`, '✓ cached|✗ rebuilt');
    // The hostile commit message is in the page, as text.
    assert.ok((await page.locator('#grid thead').innerHTML()).includes('&lt;script&gt;'));
    await page.mouse.move(0, 0);
    await view.screenshot('cache-replay');
    // The dark scheme, too, renders without a complaint.
    await page.emulateMedia({ colorScheme: 'dark' });
    await view.screenshot('cache-replay-dark');
    assert.deepEqual(view.problems(), []);
    await view.close();
  });

  test('cache replay --compare-fix: the article as history, before and after --fix side by side, the fixed grid', async (t) => {
    const repo = gitHistory(t, seedPipHistory(['rich', 'click', 'httpx']));
    const view = await open(
      await report('cache-replay-compare-fix', ['cache', 'replay', '--compare-fix', '--no-git-dir'], repo),
      'cache replay --compare-fix',
    );
    const page = view.page;
    const verdicts = await page
      .locator('#compare-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => [row.querySelector('th')?.textContent, row.lastElementChild?.textContent]));
    // Honest both ways: the split makes one more step to rebuild, but far less rebuilding (apt-get stays cached).
    assert.deepEqual(verdicts, [
      ['steps cached', 'better'],
      ['step rebuilds', 'worse'],
      ['estimated rebuild time', 'better'],
    ]);
    const cells = (grid: string, step: string) =>
      page.locator(`#${grid} tbody tr:has-text("${step}") td.cell`).evaluateAll((tds) => tds.map((td) => td.className));
    const all = (status: string) => Array(4).fill(`cell ${status}`);
    assert.deepEqual(await cells('grid', 'RUN apt-get update'), all('rebuilt'), 'as committed: every pip edit rebuilds apt-get');
    assert.deepEqual(await cells('grid-after', 'RUN apt-get update'), ['cell rebuilt', ...all('cached').slice(1)]);
    assert.deepEqual(await cells('grid-after', 'RUN pip3 install'), all('rebuilt'));
    assert.match(
      await hoverTip(view, '#grid-after tbody tr:has-text("RUN pip3 install") td.cell >> nth=2'),
      /add click[\s\S]*rebuilt: its command text changed/,
    );
    await view.screenshot('cache-replay-compare-fix-hover');
    await page.mouse.move(0, 0);
    await view.screenshot('cache-replay-compare-fix');
    assert.deepEqual(view.problems(), []);
    await view.close();
  });

  describe('images built by the real engine', needsEngine(), () => {
    const dockerfile = `FROM scratch
COPY rootfs/ /
COPY downloads/big.bin /opt/big.bin
COPY app/ /app/
COPY downloads/small.bin /opt/big.bin
`;
    const tags: string[] = [];
    const build = (files: Record<string, string>) => {
      const tag = uniqueTag('html-report');
      const context = makeContext(undefined, { Dockerfile: dockerfile, ...files });
      const run = spawnSync('docker', ['build', '-q', '-t', tag, context], {
        encoding: 'utf8',
        env: { ...process.env, DOCKER_BUILDKIT: '1' },
      });
      assert.equal(run.status, 0, run.stderr);
      tags.push(tag);
      return { tag, dockerfile: join(context, 'Dockerfile') };
    };
    const files = {
      'rootfs/etc/os-release': 'ID=layerwise-test\n',
      'rootfs/bin/tool': 'x'.repeat(40_000),
      'downloads/big.bin': 'b'.repeat(300_000),
      'downloads/small.bin': 's'.repeat(1000),
    };
    after(() => {
      for (const tag of tags) removeImage(tag);
    });

    test('image analyze: one bar per layer labelled with its Dockerfile line, waste hatched, hover text', async () => {
      const { tag, dockerfile: path } = build({ ...files, 'app/main.txt': 'v1\n' });
      const json = memoryIo({ env: process.env });
      assert.equal(
        await main(['image', 'analyze', '--format', 'json', '--file', path, `docker-daemon:${tag}`], json),
        0,
        json.err,
      );
      const layers = JSON.parse(json.out).layers.filter((layer: { layer: number | null }) => layer.layer !== null);
      const view = await open(
        await report('image-analyze', ['image', 'analyze', '--file', path, `docker-daemon:${tag}`]),
        'analyze',
      );
      const bars = view.page.locator('#layer-chart g.bar');
      assert.equal(await bars.count(), layers.length);
      assert.deepEqual(
        await bars.locator('tspan.bar-key').allTextContents(),
        layers.map((layer: { layer: number; line?: number }) => `#${layer.layer} · line ${layer.line}`),
      );
      assert.deepEqual(
        layers.map((layer: { line: number }) => layer.line),
        [2, 3, 4, 5],
      );
      // The 300 kB COPY'd at line 3 is overwritten at line 5: its bar is hatched, the others are not.
      const wasted = await bars
        .locator('rect.seg-wasted')
        .evaluateAll((rects) =>
          rects.map((rect) => ({ width: Number(rect.getAttribute('width')), fill: getComputedStyle(rect).fill })),
        );
      assert.deepEqual(
        wasted.map((w) => w.width > 0),
        [false, true, false, false],
      );
      assert.match(wasted[1].fill, /url\("?#pattern-wasted"?\)/);
      assert.match(
        await hoverTip(view, '#layer-chart g.bar >> nth=1'),
        /COPY downloads\/big\.bin \/opt\/big\.bin[\s\S]*300kB of it deleted or overwritten/,
      );
      await view.screenshot('image-analyze-hover');
      await view.page.mouse.move(0, 0);
      await view.screenshot('image-analyze');
      await view.close();
    });

    test('image diff: shared layers and new ones', async () => {
      const a = build({ ...files, 'app/main.txt': 'v1\n' });
      const b = build({ ...files, 'app/main.txt': 'v2\n' });
      const view = await open(
        await report('image-diff', ['image', 'diff', `docker-daemon:${a.tag}`, `docker-daemon:${b.tag}`]),
        'diff',
      );
      const kinds = await view.page
        .locator('#chart-b rect.seg')
        .evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-kind')));
      // A layer whose parent changed is a new layer even with the same files (its tar carries the new mtimes).
      assert.deepEqual(kinds, ['shared', 'shared', 'new', 'new']);
      assert.match((await view.page.locator('#files').textContent()) ?? '', /Changed \(1\)[\s\S]*\/app\/main\.txt/);
      await view.screenshot('image-diff');
      await view.close();
    });
  });
});
