/**
 * The HTML reports as text: built by the real CLI from real inputs (the seed Dockerfiles, a git history, OCI
 * images), checked for line-accurate annotations, one bar per layer, the replay grid's hit rates, escaping of
 * hostile text, and a page that can load nothing. What a browser makes of them: browser.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Replayer } from '../../../src/cache/replay.js';
import { memoryIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { renderReplayHtml } from '../../../src/report/html/cache-replay.js';
import { escapeHtml, html, trusted } from '../../../src/report/html/escape.js';
import { STYLE } from '../../../src/report/html/style.js';
import { contextTree } from '../../support/context-tree.js';
import { gitHistory } from '../../support/git-history.js';
import { HOSTILE, REPLAY_HISTORY, WASTEFUL_DOCKERFILE, wastefulImage } from '../../support/html-inputs.js';
import { repoRoot, scratchDir } from '../../support/paths.js';
import { buildImage, writeOciLayout } from '../../support/random-image.js';

async function cli(args: string[], cwd = repoRoot, expected: number | null = 0): Promise<string> {
  const io = memoryIo({ cwd });
  const code = await main(args, io);
  if (expected !== null) assert.equal(code, expected, io.err);
  return io.out;
}

/** What a page must be: one inline style and script admitted by hash, nothing that loads, hostile text inert. */
function assertSelfContained(page: string): void {
  assert.equal(page.match(/<script/g)?.length, 1, 'exactly one script element: ours');
  assert.equal(page.match(/<style/g)?.length, 1);
  // Checked on tags only: escaped hostile text may well say `src=` — as text.
  const tags = page.match(/<[a-z][^>]*>/gi) ?? [];
  assert.deepEqual(
    tags
      .map((tag) => tag.replace(/"[^"]*"/g, '""'))
      .filter((tag) => /\s(src|style|on\w+)=|^<(img|iframe|object|embed|link|base|form)\b/i.test(tag)),
    [],
    'nothing loads, styles or handles events from an attribute',
  );
  assert.ok(!/@import|url\((?!#)/.test(page), 'the style loads nothing');
  const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? '';
  const inline = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(page)?.[1] ?? '';
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  assert.match(policy, /default-src 'none'/);
  assert.ok(policy.includes(`script-src ${hash(inline('script'))}`), 'the policy admits our script by its hash');
  assert.ok(policy.includes(`style-src ${hash(inline('style'))}`), 'the policy admits our style by its hash');
}

/** The table row of listing `id`'s line. */
function row(page: string, id: string, line: number): string {
  return new RegExp(`<tr class="line[^"]*" id="${id}-L${line}"[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
}

describe('escaping', () => {
  test('interpolated text is escaped in bodies and attributes; our own markup passes', () => {
    const title = '"><script>x</script>';
    assert.equal(
      html`<td title="${title}">${"<b>'&'</b>"}${trusted('<br>')}${[1, ' & ', null, false, undefined]}</td>`.text,
      '<td title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;&#39;&amp;&#39;&lt;/b&gt;<br>1 &amp; </td>',
    );
    assert.equal(escapeHtml(HOSTILE).includes('<'), false);
  });
});

describe('lint --format html', () => {
  test('the seed: every finding on its line, its exact range marked, its message under the instruction', async () => {
    const page = await cli(['lint', '--format', 'html', 'examples/seed/Dockerfile'], repoRoot, 1);
    assertSelfContained(page);
    const findings = JSON.parse(await cli(['lint', '--format', 'json', 'examples/seed/Dockerfile'], repoRoot, 1)).files[0]
      .findings;
    const source = readFileSync(join(repoRoot, 'examples/seed/Dockerfile'), 'utf8').split('\n');
    assert.ok(findings.length >= 2);
    for (const finding of findings) {
      const line = row(page, 'file1', finding.line);
      assert.match(line, new RegExp(`<span class="badge ${finding.severity}">${finding.severity}</span>`));
      if (finding.endLine === finding.line) {
        const marked = source[finding.line - 1].slice(finding.column - 1, finding.endColumn - 1);
        assert.ok(
          line.includes(`<mark class="`) && line.includes(`${escapeHtml(marked)}</mark>`),
          `${finding.rule} marks ${marked}`,
        );
      }
      assert.ok(page.includes(`>${finding.rule}</a> <span class="muted">${finding.line}:${finding.column}`), finding.rule);
    }
    // The unicode dash: exactly the flag, on line 4 from column 19.
    assert.match(row(page, 'file1', 4), /<mark class="error">-–no-install-recommends<\/mark>/);
    // Messages go under the last line of the RUN (7), not between its continuation lines.
    assert.match(page, /id="file1-L7"[\s\S]*?<\/tr><tr class="note" data-line="7">[\s\S]*?unicode-dash-in-flag/);
  });

  test('a Dockerfile comment holding markup stays text', async () => {
    const dir = scratchDir(undefined, 'lint-html-');
    const file = join(dir, 'Dockerfile');
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, `# ${HOSTILE}\nFROM debian:bookworm\nRUN apt-get install -y curl # ${HOSTILE}\n`);
    try {
      const page = await cli(['lint', '--format', 'html', file], repoRoot, null);
      assertSelfContained(page);
      assert.ok(page.includes(escapeHtml(`# ${HOSTILE}`)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that does not parse is shown with its error (exit 2)', async () => {
    const io = memoryIo({ cwd: repoRoot });
    const dir = scratchDir(undefined, 'lint-html-bad-');
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM a\nRUN <<EOF\n');
    try {
      assert.equal(await main(['lint', '--format', 'html', join(dir, 'Dockerfile')], io), 2);
      assert.match(io.out, /<div class="error-box" role="alert">[^<]*Dockerfile:\d+:\d+: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cache diff --format html', () => {
  test('mono-layer seed → rich: FROM cached, the RUN rebuilt, the reason under its last line', async () => {
    const page = await cli(['cache', 'diff', '--format', 'html', 'examples/seed', 'examples/seed/rich']);
    assertSelfContained(page);
    assert.match(row(page, 'new', 2), /<span class="badge cached">✓ cached<\/span>/);
    assert.match(row(page, 'new', 3), /<span class="badge rebuilt">✗ rebuilt<\/span>/);
    for (const line of [4, 5, 6, 7]) assert.match(row(page, 'new', line), /stripe-rebuilt/, `line ${line} is part of the RUN`);
    assert.match(page, /id="new-L7"[\s\S]*?<tr class="note stripe-rebuilt" data-line="7">[\s\S]*?its command text changed/);
    assert.match(page, /1<\/span><span class="label">cached[\s\S]*?1<\/span><span class="label">rebuilt/);
  });
});

describe('cache replay --format html', () => {
  test('a real git history: one column per commit, one row per step, hit rates equal the JSON summary', async (t) => {
    const dir = gitHistory(t, REPLAY_HISTORY);
    const page = await cli(['cache', 'replay', '--no-git-dir', '--format', 'html'], dir);
    assertSelfContained(page);
    assert.ok(page.includes(escapeHtml(HOSTILE)), 'the hostile commit message is shown, as text');
    const json = JSON.parse(await cli(['cache', 'replay', '--no-git-dir', '--format', 'json'], dir));
    const grid = /<table class="grid" id="grid">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    assert.equal(grid.match(/<th class="commit"/g)?.length, REPLAY_HISTORY.length);
    const rows = [...grid.matchAll(/<tr data-step="[^"]*">([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
    const last = json.builds[json.builds.length - 1];
    assert.equal(rows.length, last.steps.length);
    // Each row's cells read left to right as that step's status in each build, and its rate is the summary's.
    rows.forEach((cells, index) => {
      const step = last.steps[index];
      const statuses = [...cells.matchAll(/<td class="cell (\w+)"/g)].map((m) => m[1]);
      const ordinal = last.steps.slice(0, index).filter((s: { kind: string }) => s.kind === step.kind).length;
      const expected = json.builds.map(
        (b: { steps: { kind: string; status: string }[] }) =>
          b.steps.filter((s) => s.kind === step.kind)[ordinal]?.status ?? 'absent',
      );
      assert.deepEqual(statuses, expected, `row ${index}: ${step.instruction}`);
      const summary = json.summary.steps.find(
        (s: { line: number; kind: string }) => s.line === step.line && s.kind === step.kind,
      );
      assert.equal(Number(/data-rate="([^"]+)"/.exec(cells)?.[1]), summary.hitRate, step.instruction);
    });
    // Hover text names the trigger: the second commit changed app.py, so `COPY . .` was rebuilt for it.
    const copyAll = rows[last.steps.findIndex((s: { instruction: string }) => s.instruction === 'COPY . .')];
    const second = [...copyAll.matchAll(/<td class="cell (\w+)" tabindex="0" title="([^"]*)"/g)][1];
    assert.equal(second[1], 'rebuilt');
    assert.match(second[2], /fix a typo in app\.py\nline 5: COPY \. \.\nrebuilt: app\.py changed \(trigger: files\)/);
  });

  test('--compare-fix results: before and after side by side, and the after grid', () => {
    const before = new Replayer();
    const after = new Replayer();
    const mono = parseDockerfile(
      'FROM debian\nRUN apt-get update && apt-get install -y python3-pip && pip install -r requirements.txt\n',
    );
    const split = parseDockerfile(
      'FROM debian\nRUN apt-get update && apt-get install -y python3-pip\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
    );
    ['flask', 'flask\nrequests', 'flask'].forEach((requirements, i) => {
      const context = contextTree({ 'requirements.txt': requirements });
      before.add(`c${i}`, `commit ${i} ${HOSTILE}`, { dockerfile: mono, context });
      after.add(`c${i}`, `commit ${i}`, { dockerfile: split, context });
    });
    const page = renderReplayHtml({
      report: before.report(),
      compareFix: { after: after.report(), changedCommits: 3, rules: [{ rule: 'split-package-managers', count: 3 }] },
    });
    assertSelfContained(page);
    const table = /<table class="data compare" id="compare-table">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    const [b, a] = [before.report().summary, after.report().summary];
    assert.match(table, new RegExp(`step rebuilds</th><td class="n">${b.rebuilt}</td><td class="n">${a.rebuilt}</td>`));
    assert.match(table, /estimated rebuild time<\/th><td class="n">\d+ s<\/td><td class="n">\d+ s<\/td>/);
    assert.match(page, /changed the Dockerfile of 3 commits: <code>split-package-managers<\/code> ×3\./);
    // Better or worse is said in a word, not only by colour or sign.
    assert.match(table, /<span class="badge (cached|rebuilt)">(better|worse)<\/span>|same/);
    assert.match(page, /<table class="grid" id="grid-after">/);
    assert.doesNotMatch(page, /<script>window/);
  });
});

describe('image analyze --format html', () => {
  test('one bar per layer, wasted bytes hatched on the layer that wrote them, labelled with its Dockerfile line', async (t) => {
    const dir = scratchDir(t, 'analyze-html-');
    const { ref, dockerfile } = await wastefulImage(dir);
    const page = await cli(['image', 'analyze', '--format', 'html', '--file', dockerfile, ref]);
    assertSelfContained(page);
    const bars = [...page.matchAll(/<g class="bar"[\s\S]*?<\/g>/g)].map((m) => m[0]);
    assert.equal(bars.length, 4);
    assert.deepEqual(
      bars.map((bar) => /<tspan class="bar-key">([^<]*)</.exec(bar)?.[1]),
      ['#0', '#1 · line 3', '#2 · line 4', '#3 · line 5'],
    );
    assert.match(bars[1], /<rect class="seg seg-wasted" data-kind="wasted" data-value="200000"/);
    assert.match(bars[1], /<a href="#dockerfile-L3">/);
    assert.doesNotMatch(bars[3], /data-kind="wasted" data-value="[1-9]/);
    // The Dockerfile beside it: line 3 shows its layer's size and what hid its bytes.
    assert.match(row(page, 'dockerfile', 3), /200kB wasted/);
    assert.match(page, /200kB in 1 file written here are deleted or overwritten by <a href="#dockerfile-L4">line 4<\/a>/);
    assert.ok(page.includes(escapeHtml(WASTEFUL_DOCKERFILE.split('\n')[0])));
  });

  test('a failed CI gate still writes the report, then exits 1', async (t) => {
    const dir = scratchDir(t, 'analyze-gate-');
    const { ref } = await wastefulImage(dir);
    const output = join(dir, 'report.html');
    await cli(['image', 'analyze', '--format', 'html', '--highest-wasted-bytes', '1000', '--output', output, ref], repoRoot, 1);
    const page = readFileSync(output, 'utf8');
    assert.match(page, /<span class="badge fail">✗ fail<\/span>/);
  });
});

describe('image diff --format html', () => {
  test('shared layers dotted, new ones solid, files added and removed', async (t) => {
    const dir = scratchDir(t, 'diff-html-');
    const base = [
      { path: 'etc/', type: 'directory' as const },
      { path: 'etc/base', content: 1000 },
    ];
    const one = await buildImage({
      layers: [
        base,
        [
          { path: 'app/', type: 'directory' },
          { path: 'app/v1', content: 10 },
        ],
      ],
    });
    const two = await buildImage({
      layers: [
        base,
        [
          { path: 'app/', type: 'directory' },
          { path: `app/${HOSTILE.replaceAll('/', '|')}`, content: 20 },
        ],
      ],
    });
    // The same base layer in both: give B A's blob so that the digests match, as a shared base does.
    two.blobs[0] = one.blobs[0];
    const rawManifest = JSON.parse(two.rawManifest.toString());
    rawManifest.layers[0] = JSON.parse(one.rawManifest.toString()).layers[0];
    const config = JSON.parse(two.rawConfig.toString());
    config.rootfs.diff_ids[0] = JSON.parse(one.rawConfig.toString()).rootfs.diff_ids[0];
    const fixed = await import('../../../src/image/digest.js');
    two.rawConfig = Buffer.from(JSON.stringify(config));
    two.configDigest = fixed.digestOf(two.rawConfig);
    rawManifest.config.digest = two.configDigest;
    rawManifest.config.size = two.rawConfig.length;
    two.rawManifest = Buffer.from(JSON.stringify(rawManifest));
    two.manifestDigest = fixed.digestOf(two.rawManifest);
    await writeOciLayout(join(dir, 'oci'), [
      { image: one, tag: 'one' },
      { image: two, tag: 'two' },
    ]);
    const page = await cli(['image', 'diff', '--format', 'html', `oci:${join(dir, 'oci')}:one`, `oci:${join(dir, 'oci')}:two`]);
    assertSelfContained(page);
    const chart = /<svg class="chart" id="chart-b"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    assert.deepEqual(
      [...chart.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1]),
      ['shared', 'new'],
    );
    assert.match(page, /<h3>Added <span class="muted">\(1\)<\/span>/);
    assert.match(page, /<h3>Removed <span class="muted">\(1\)<\/span>/);
    assert.ok(page.includes(escapeHtml(HOSTILE.replaceAll('/', '|'))));
  });
});

describe('demo report', () => {
  test("one page, the terminal's story: findings on their lines, the real --fix diff, both predictions as cache diff makes them", async (t) => {
    const file = join(scratchDir(t, 'demo-'), 'demo.html');
    await cli(['demo', '-o', file]);
    const page = readFileSync(file, 'utf8');
    assertSelfContained(page);
    // 1. the findings of `lint`, each on its line
    const findings = JSON.parse(await cli(['lint', '--format', 'json', 'examples/seed/Dockerfile'], repoRoot, 1)).files[0]
      .findings as { line: number; severity: string; rule: string }[];
    for (const finding of findings) assert.match(row(page, 'lint', finding.line), new RegExp(`badge ${finding.severity}`));
    assert.match(row(page, 'lint', 4), /<mark class="error">-–no-install-recommends<\/mark>/);
    // 2. the diff, line for line what `lint --diff` prints, each line tagged by its sign
    // (`lint --diff` prints the diff, then the findings that remain after it, from the file's name on)
    const printed = (await cli(['lint', '--diff', 'examples/seed/Dockerfile'])).split('\n');
    const expected = printed.slice(0, printed.indexOf('examples/seed/Dockerfile'));
    assert.ok(expected.length > 5, printed.join('\n'));
    const rows = [...page.matchAll(/<tr class="diff-(\w+)"><td class="src">(.*?)<\/td><\/tr>/g)];
    assert.deepEqual(
      rows.map((match) => match[2]),
      expected.map(escapeHtml),
    );
    const sign = { head: /^(---|\+\+\+)/, hunk: /^@@/, add: /^\+(?!\+\+)/, del: /^-(?!--)/, same: /^ / };
    for (const [, kind, text] of rows) assert.match(text, sign[kind as keyof typeof sign], `${kind}: ${text}`);
    // 3. before and after the fix: every step's status as `cache diff` predicts it on the example directories
    for (const [id, old, next] of [
      ['before', 'examples/seed', 'examples/seed/rich'],
      ['after', 'examples/seed/split', 'examples/seed/split-rich'],
    ]) {
      const steps = JSON.parse(await cli(['cache', 'diff', old, next, '--format', 'json'])).steps as {
        line: number;
        status: 'cached' | 'rebuilt';
      }[];
      for (const step of steps) assert.match(row(page, id, step.line), new RegExp(`badge ${step.status}`), `${id} ${step.line}`);
    }
    assert.match(page, /<span class="value">apt-get \+ pip3<\/span><span class="label">run again before the fix/);
    assert.match(page, /<div class="card ok"><span class="value">pip3<\/span><span class="label">run again after the fix/);
    assert.match(page, /id="after-verdict">2 cached, 1 rebuilt: pip3 runs again; the apt-get layer stays CACHED</);
  });
});

describe('accessibility', () => {
  /** WCAG relative luminance of #rrggbb. */
  function luminance(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  test('text colours reach 4.5:1 on their backgrounds, in the light and the dark scheme', () => {
    const schemes = STYLE.split('@media (prefers-color-scheme: dark)');
    assert.equal(schemes.length, 2);
    for (const scheme of schemes) {
      const value = (name: string) => new RegExp(`--${name}: (#[0-9a-f]{6})`).exec(scheme)?.[1] ?? assert.fail(`--${name}`);
      const pairs = [
        ['fg', 'bg'],
        ['fg', 'panel'],
        ['fg', 'ok-bg'],
        ['fg', 'bad-bg'],
        ['muted', 'bg'],
        ['muted', 'panel'],
        ['link', 'bg'],
        ['ok', 'ok-bg'],
        ['bad', 'bad-bg'],
        ['warn', 'warn-bg'],
        ['info', 'info-bg'],
        ['ok', 'bg'],
        ['bad', 'bg'],
        ['warn', 'bg'],
      ];
      for (const [fg, bg] of pairs) {
        const ratio = contrast(value(fg), value(bg));
        assert.ok(ratio >= 4.5, `--${fg} on --${bg}: ${ratio.toFixed(2)}:1`);
      }
    }
  });
});

describe('--output', () => {
  test('writes the whole report to the file and nothing to stdout; an unwritable path is an input error (exit 2)', async (t) => {
    const dir = scratchDir(t, 'output-');
    const file = join(dir, 'lint.html');
    const io = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['lint', '--format', 'html', '-o', file, 'examples/seed/Dockerfile'], io), 1);
    assert.equal(io.out, '');
    assert.match(readFileSync(file, 'utf8'), /^<!doctype html>[\s\S]*<\/html>\n$/);
    const bad = memoryIo({ cwd: repoRoot });
    const missing = join(dir, 'no-such-dir', 'x.html');
    assert.equal(await main(['cache', 'diff', '--format', 'html', '-o', missing, 'examples/seed', 'examples/seed/rich'], bad), 2);
    assert.equal(bad.err, `${missing}: cannot write the report (ENOENT)\n`);
    assert.deepEqual(readdirSync(dir), ['lint.html'], 'no temporary file is left behind');
    // A path through a file (ENOTDIR) is the same input error, not an internal one (it was exit 70).
    const through = join(file, 'x.html');
    const notDir = memoryIo({ cwd: repoRoot });
    assert.equal(await main(['lint', '--format', 'html', '-o', through, 'examples/seed/Dockerfile'], notDir), 2);
    assert.equal(notDir.err, `${through}: cannot write the report (ENOTDIR)\n`);
  });
});
