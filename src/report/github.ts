/**
 * `lint --format github`: GitHub Actions workflow commands, one per finding, which the runner turns into
 * annotations on the pull request (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`). Written
 * file by file (src/report/stream.ts).
 */
import type { Severity } from '../rules/define.js';
import type { LintResult } from '../rules/lint.js';
import { type LintReportStream, renderWhole, type Sink } from './stream.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function renderLintGithub(results: readonly LintResult[]): string {
  return renderWhole(lintGithubStream, results);
}

export function lintGithubStream(sink: Sink): LintReportStream {
  return { file: (result) => sink(fileCommands(result)), end: () => {} };
}

function fileCommands(result: LintResult): string {
  let out = '';
  if (result.parseError) {
    const { line, column, reason } = result.parseError;
    out += `::error ${properties({ file: result.file, line, col: column, title: 'parse error' })}::${escapeData(reason)}\n`;
  }
  for (const f of result.findings) {
    const where = { file: result.file, line: f.line, col: f.column, endLine: f.endLine, endColumn: f.endColumn, title: f.rule };
    out += `::${COMMAND[f.severity]} ${properties(where)}::${escapeData(f.message)}\n`;
  }
  return out;
}

function properties(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
}

/** The runner's own escaping (actions/toolkit `escapeData`). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** `escapeProperty`: as data, plus the separators `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
