/**
 * `lint --format json`, the shape design.md fixes for other tools (fields may be added, never renamed):
 * `{"files":[{"path","findings":[{"rule","severity","message","line","column","endLine","endColumn","fixable"}]}]}`.
 * A file that does not parse also gets `"error": {"message","line","column"}` and no findings.
 */
import type { LintResult } from '../rules/lint.js';

export function renderLintJson(results: readonly LintResult[]): string {
  const files = results.map((result) => ({
    path: result.file,
    findings: result.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      message: finding.message,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      fixable: finding.fixable,
    })),
    ...(result.parseError && {
      error: { message: result.parseError.reason, line: result.parseError.line, column: result.parseError.column },
    }),
  }));
  return `${JSON.stringify({ files }, null, 2)}\n`;
}
