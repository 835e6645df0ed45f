/**
 * `lint --format json`, the shape design.md fixes for other tools (fields may be added, never renamed):
 * `{"files":[{"path","findings":[{"rule","severity","message","line","column","endLine","endColumn","fixable"}]}]}`.
 * A file that does not parse also gets `"error": {"message","line","column"}` and no findings.
 * Written file by file (src/report/stream.ts), laid out as `JSON.stringify(report, null, 2)` would.
 */
import type { LintResult } from '../rules/lint.js';
import { JsonArrayWriter, type LintReportStream, renderWhole, type Sink, splitAtArray } from './stream.js';

export function renderLintJson(results: readonly LintResult[]): string {
  return renderWhole(lintJsonStream, results);
}

export function lintJsonStream(sink: Sink): LintReportStream {
  const files = jsonFilesStream(sink);
  return { file: (result) => files.entry(jsonFile(result)), end: files.end };
}

/** The `{"files": […]}` document, one entry at a time (`lint --fix --format json` adds its fields to each entry). */
export function jsonFilesStream(sink: Sink): { entry(value: object): void; end(): void } {
  const { head, tail } = splitAtArray({ files: [] }, 'files', 1);
  sink(head);
  const files = new JsonArrayWriter(sink, 1);
  return {
    entry: (value) => files.element(value),
    end: () => {
      files.close();
      sink(`${tail}\n`);
    },
  };
}

/** One file's entry of the document. */
export function jsonFile(result: LintResult) {
  return {
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
  };
}
