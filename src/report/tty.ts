/**
 * `lint --format tty`: findings grouped by file, each with its position, severity, message and rule, and a code
 * frame with a caret under the exact range; then a one-line summary. Colors only when `color` is passed in (the
 * CLI decides from the terminal and NO_COLOR; nothing here reads the environment).
 */
import { createColors } from 'picocolors';
import type { Severity } from '../rules/define.js';
import type { Finding, LintResult } from '../rules/lint.js';

export interface TtyOptions {
  color: boolean;
  /** Show each finding's code frame (default true); the demo's one-screen summary leaves them out. */
  frames?: boolean;
}

type Colors = ReturnType<typeof createColors>;

export function renderLintTty(results: readonly LintResult[], options: TtyOptions): string {
  const c = createColors(options.color);
  const paint: Record<Severity, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  let out = '';
  for (const result of results) {
    if (result.findings.length === 0) continue;
    const lines = result.source.split('\n');
    out += `${c.underline(result.file)}\n`;
    const positionWidth = Math.max(...result.findings.map((f) => `${f.line}:${f.column}`.length));
    for (const finding of result.findings) {
      const position = `${finding.line}:${finding.column}`.padEnd(positionWidth);
      out += `  ${c.dim(position)}  ${paint[finding.severity](finding.severity.padEnd(7))}  ${finding.message}  ${c.dim(finding.rule)}\n`;
      if (options.frames !== false) out += codeFrame(lines, finding, c);
    }
    out += '\n';
  }
  return out + summary(results, c, paint);
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

function summary(results: readonly LintResult[], c: Colors, paint: Record<Severity, (text: string) => string>): string {
  const findings = results.flatMap((result) => result.findings);
  const files = results.length === 1 ? '1 file' : `${results.length} files`;
  if (findings.length === 0) return `${c.green('✓')} no problems in ${files}\n`;
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  const parts = (['error', 'warning', 'info'] as const).map((severity) => {
    const n = count(severity);
    return paint[severity](`${n} ${severity}${n === 1 || severity === 'info' ? '' : 's'}`);
  });
  const fixable = findings.filter((f) => f.fixable).length;
  const problems = findings.length === 1 ? '1 problem' : `${findings.length} problems`;
  return `${problems} in ${files} (${parts.join(', ')})${fixable ? `, ${fixable} fixable with --fix` : ''}\n`;
}
