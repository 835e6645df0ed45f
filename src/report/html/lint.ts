/** `lint --format html`: each Dockerfile listed with its findings on their lines and their exact ranges marked. Pure. */
import { ruleDocsUrl } from '../../rules/docs-url.js';
import type { Finding, LintResult } from '../../rules/lint.js';
import { VERSION } from '../../version.js';
import { type LintReportStream, memorySpool, renderWhole, type Sink, type Spool } from '../stream.js';
import { type Annotation, codeListing, instructionBlocks } from './code.js';
import { type Html, html, trusted } from './escape.js';
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
  return renderWhole((sink) => lintHtmlStream(sink, memorySpool()), results);
}

/** Where the files' sections go in the page: a text no Dockerfile name, style or script can hold (NUL). */
const ROWS = '\u0000rows\u0000';

/**
 * The page file by file. Its header (title, cards) counts over every file and comes first: each file's section is
 * rendered as it comes and set aside in `spool`, with only the counts kept; `end()` writes the header, the sections
 * and the rest of the page.
 */
export function lintHtmlStream(sink: Sink, spool: Spool): LintReportStream {
  const counts = { files: 0, findings: 0, error: 0, warning: 0, info: 0, fixable: 0, broken: 0 };
  let firstFile = '';
  return {
    file: (result) => {
      const id = `file${++counts.files}`;
      if (counts.files === 1) firstFile = result.file;
      if (result.parseError) counts.broken++;
      for (const finding of result.findings) {
        counts.findings++;
        counts[finding.severity]++;
        if (finding.fixable) counts.fixable++;
      }
      spool.write(section(id, html`<span class="mono">${result.file}</span>`, lintListing(result, id)).text);
    },
    end: () => {
      const body = html`${cards([
        { value: counts.findings, label: 'findings', tone: counts.findings ? 'warn' : 'ok' },
        { value: counts.error, label: 'errors', tone: counts.error ? 'bad' : undefined },
        { value: counts.warning, label: 'warnings', tone: counts.warning ? 'warn' : undefined },
        { value: counts.info, label: 'info' },
        { value: counts.fixable, label: 'fixable with --fix' },
        ...(counts.broken ? [{ value: counts.broken, label: 'files that do not parse', tone: 'bad' as const }] : []),
      ])}${trusted(ROWS)}`;
      const page = renderPage({
        kind: 'lint',
        title: counts.files === 1 ? firstFile : plural(counts.files, 'Dockerfile'),
        subtitle: 'Findings in place: each marked on its line, its exact range highlighted.',
        body,
      });
      const at = page.indexOf(ROWS);
      sink(page.slice(0, at));
      spool.drain(sink);
      sink(page.slice(at + ROWS.length));
    },
  };
}
