/** `lint --format html`: each Dockerfile listed with its findings on their lines and their exact ranges marked. Pure. */
import { ruleDocsUrl } from '../../rules/docs-url.js';
import type { Finding, LintResult } from '../../rules/lint.js';
import { VERSION } from '../../version.js';
import { type Annotation, codeListing, instructionBlocks } from './code.js';
import { type Html, html } from './escape.js';
import { cards, plural, prose, renderPage, section } from './page.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

function annotation(finding: Finding): Annotation {
  return {
    line: finding.line,
    kind: finding.severity,
    badge: finding.severity,
    span: finding,
    message: html`<strong>${prose(finding.message)}</strong> <a class="rule" href="${ruleDocsUrl(finding.rule, VERSION)}">${finding.rule}</a> <span class="muted">${finding.line}:${finding.column}${finding.fixable ? ' · fixable with --fix' : ''}</span>`,
  };
}

/** One Dockerfile's findings: a count, then the listing with each finding on its line (anchors `<id>-L<line>`). */
export function lintListing(result: LintResult, id: string): Html {
  if (result.parseError) return html`<div class="error-box" role="alert">${result.parseError.message}</div>`;
  const counts = SEVERITIES.map((severity) =>
    plural(result.findings.filter((f) => f.severity === severity).length, severity, severity === 'info' ? 'info' : undefined),
  );
  const summary =
    result.findings.length === 0
      ? html`<p class="note"><span class="badge cached">✓ clean</span> no findings</p>`
      : html`<p class="note">${plural(result.findings.length, 'finding')}: ${counts.join(', ')}</p>`;
  return html`${summary}${codeListing(result.source, result.findings.map(annotation), id, {
    blocks: result.ast ? instructionBlocks(result.ast) : undefined,
  })}`;
}

export function renderLintHtml(results: readonly LintResult[]): string {
  const findings = results.flatMap((result) => result.findings);
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const broken = results.filter((result) => result.parseError).length;
  const title = results.length === 1 ? results[0].file : plural(results.length, 'Dockerfile');
  const body = html`${cards([
    { value: findings.length, label: 'findings', tone: findings.length ? 'warn' : 'ok' },
    { value: count('error'), label: 'errors', tone: count('error') ? 'bad' : undefined },
    { value: count('warning'), label: 'warnings', tone: count('warning') ? 'warn' : undefined },
    { value: count('info'), label: 'info' },
    { value: findings.filter((f) => f.fixable).length, label: 'fixable with --fix' },
    ...(broken ? [{ value: broken, label: 'files that do not parse', tone: 'bad' as const }] : []),
  ])}${results.map((result, index) => {
    const id = `file${index + 1}`;
    return section(id, html`<span class="mono">${result.file}</span>`, lintListing(result, id));
  })}`;
  return renderPage({
    kind: 'lint',
    title,
    subtitle: 'Findings in place: each marked on its line, its exact range highlighted.',
    body,
  });
}
