/**
 * `lint --format tty`: findings grouped by file, each with its position, severity, message and rule, and a code
 * frame with a caret under the exact range; then a one-line summary. Colors only when `color` is passed in (the
 * CLI decides from the terminal and NO_COLOR; nothing here reads the environment). Written file by file
 * (src/report/stream.ts).
 */
import { createColors } from 'picocolors';
import type { Severity } from '../rules/define.js';
import type { Finding, LintResult } from '../rules/lint.js';
import { type LintReportStream, renderWhole, type Sink } from './stream.js';

export interface TtyOptions {
  color: boolean;
  /** Show each finding's code frame (default true); the demo's one-screen summary leaves them out. */
  frames?: boolean;
}

type Colors = ReturnType<typeof createColors>;

export function renderLintTty(results: readonly LintResult[], options: TtyOptions): string {
  return renderWhole((sink) => lintTtyStream(sink, options), results);
}

/** Each file's findings as it comes; the summary at the end counts what went by (it keeps no result). */
export function lintTtyStream(sink: Sink, options: TtyOptions): LintReportStream {
  const c = createColors(options.color);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const counts: Counts = { files: 0, error: 0, warning: 0, info: 0, fixable: 0 };
  return {
    file: (result) => {
      counts.files++;
      for (const finding of result.findings) {
        counts[finding.severity]++;
        if (finding.fixable) counts.fixable++;
      }
      if (result.findings.length > 0) sink(fileSection(result, options, c, paint));
    },
    end: () => sink(summary(counts, c, paint)),
  };
}

function fileSection(result: LintResult, options: TtyOptions, c: Colors, paint: Record<Severity, (text: string) => string>) {
  const lines = result.source.split('\n');
  let out = `${c.underline(result.file)}\n`;
  const positionWidth = Math.max(...result.findings.map((f) => `${f.line}:${f.column}`.length));
  for (const finding of result.findings) {
    const position = `${finding.line}:${finding.column}`.padEnd(positionWidth);
    out += `  ${c.dim(position)}  ${paint[finding.severity](finding.severity.padEnd(7))}  ${finding.message}  ${c.dim(finding.rule)}\n`;
    if (options.frames !== false) out += codeFrame(lines, finding, c);
  }
  return `${out}\n`;
}

/** The finding's first line with the line before it, and carets under the range (to the line's end if it goes on). */
function codeFrame(lines: readonly string[], finding: Finding, c: Colors): string {
  const first = Math.max(1, finding.line - 1);
  const width = String(finding.line).length;
  let out = '';
  for (let number = first; number <= finding.line; number++) {
    const text = (lines[number - 1] ?? '').replace(/\r$/, '');
    const marker = number === finding.line ? c.red('>') : ' ';
    out += `  ${marker} ${c.dim(`${String(number).padStart(width)} |`)} ${text}\n`;
    if (number === finding.line) {
      const end = finding.endLine === finding.line ? finding.endColumn : text.length + 1;
      // Keep the line's own tabs before the caret so it lines up however the terminal shows tabs.
      const lead = text.slice(0, finding.column - 1).replace(/[^\t]/g, ' ');
      const carets = '^'.repeat(Math.max(1, end - finding.column));
      out += `    ${c.dim(`${' '.repeat(width)} |`)} ${lead}${c.red(carets)}\n`;
    }
  }
  return out;
}

interface Counts extends Record<Severity, number> {
  files: number;
  fixable: number;
}

function summary(counts: Counts, c: Colors, paint: Record<Severity, (text: string) => string>): string {
  const total = counts.error + counts.warning + counts.info;
  const files = counts.files === 1 ? '1 file' : `${counts.files} files`;
  if (total === 0) return `${c.green('✓')} no problems in ${files}\n`;
  const parts = (['error', 'warning', 'info'] as const).map((severity) => {
    const n = counts[severity];
    return paint[severity](`${n} ${severity}${n === 1 || severity === 'info' ? '' : 's'}`);
  });
  const problems = total === 1 ? '1 problem' : `${total} problems`;
  return `${problems} in ${files} (${parts.join(', ')})${counts.fixable ? `, ${counts.fixable} fixable with --fix` : ''}\n`;
}
