/**
 * `layerwise demo`'s HTML report: the article's story on one page, in the terminal's order — the Dockerfile with
 * lint's findings on their lines, the `--fix` diff, then the Dockerfile after "one more package" before and after the
 * fix, every step marked cached or rebuilt. Built from the same pieces as `lint --format html` and
 * `cache diff --format html`, so the demo shows what those commands print for the user's own Dockerfile. Pure.
 */
import { type DemoScenario, type DemoStory, managersWhere, verdict } from '../demo.js';
import { stepListing } from './cache-diff.js';
import { type Html, html } from './escape.js';
import { lintListing } from './lint.js';
import { type Card, cards, plural, renderPage, section } from './page.js';

/** The unified diff as a listing: each line keeps its `+`/`-`/` ` (the colour only repeats it). */
function diffListing(diff: string): Html {
  const kind = (line: string) =>
    line.startsWith('+++') || line.startsWith('---')
      ? 'head'
      : line.startsWith('@@')
        ? 'hunk'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : 'same';
  const rows = diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => html`<tr class="diff-${kind(line)}"><td class="src">${line}</td></tr>`);
  return html`<div class="panel scroll"><table class="code diff" id="fix-diff"><tbody>${rows}</tbody></table></div>`;
}

function scenarioBlock(scenario: DemoScenario, id: string): Html {
  return html`<h3 id="${id}-heading">${scenario.label} <span class="muted">(${scenario.source})</span></h3><p class="note verdict" id="${id}-verdict">${verdict(scenario)}</p>${stepListing(scenario.prediction, scenario.edited, id)}`;
}

/** What one more package makes run again: the package managers of the rebuilt steps (the article's point). */
function rerunCard(scenario: DemoScenario, fewer: boolean): Card {
  const again = managersWhere(scenario, 'rebuilt');
  return {
    value: again.length ? again.join(' + ') : 'nothing',
    label: `run again ${scenario.label}`,
    tone: fewer ? 'ok' : again.length ? 'bad' : 'ok',
  };
}

export function renderDemoHtml(story: Omit<DemoStory, 'report'>): string {
  const { lint, fix, added, before, after } = story;
  const fixable = lint.findings.filter((finding) => finding.fixable).length;
  const body = html`${cards([
    { value: lint.findings.length, label: 'findings', tone: lint.findings.length ? 'warn' : 'ok' },
    { value: fixable, label: 'fixable with --fix' },
    rerunCard(before, false),
    rerunCard(after, managersWhere(after, 'rebuilt').length < managersWhere(before, 'rebuilt').length),
  ])}${section('lint', `1. lint: what wastes the cache in ${story.file}`, lintListing(lint, 'lint'))}${section(
    'fix',
    '2. fix: layerwise lint --fix (shown as --diff)',
    'diff' in fix
      ? html`<p class="note">${plural(fixable, 'safe fix', 'safe fixes')}; each is re-parsed and checked to run the same commands.</p>${diffListing(fix.diff)}`
      : html`<p class="note">Not available: ${fix.unavailable}</p>`,
  )}${section(
    'cache',
    `3. cache: add one package (${added.name}) to the ${added.manager} install, rebuild — predicted, nothing is built`,
    html`${scenarioBlock(before, 'before')}${scenarioBlock(after, 'after')}`,
  )}${section(
    'yours',
    'Your own Dockerfile',
    html`<p class="note">The same pages for yours: <code>layerwise lint --format html -o lint.html Dockerfile</code>, <code>layerwise cache diff --format html -o cache.html HEAD</code> (your last commit against the working tree), <code>layerwise cache replay --compare-fix --format html -o replay.html</code> (the cache across your git history, as committed and as <code>lint --fix</code> would have written each commit).</p>`,
  )}`;
  return renderPage({
    kind: 'demo',
    title: `${story.file}: from lint to cache`,
    subtitle:
      "The article's mono-layer Dockerfile: what lint finds, what --fix changes, and what one more package costs before and after the fix.",
    body,
  });
}
