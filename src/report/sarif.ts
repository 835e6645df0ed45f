/**
 * `lint --format sarif`: SARIF 2.1.0 (code scanning in GitHub, GitLab, Azure DevOps). One run; the driver lists
 * every rule with its description, default level, tags and help page; each finding is a result with its region.
 * A file that does not parse is a tool execution notification, not a result.
 */
import type * as Sarif from 'sarif';
import type { AnyRule, Severity } from '../rules/define.js';
import { ruleDocsBase, ruleDocsUrl } from '../rules/docs-url.js';
import type { Finding, LintResult } from '../rules/lint.js';
import { VERSION } from '../version.js';
import { JsonArrayWriter, type LintReportStream, renderWhole, type Sink, splitAtArray } from './stream.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  rules: readonly AnyRule[];
  toolVersion: string;
}

export function renderLintSarif(results: readonly LintResult[], options: SarifOptions): string {
  return renderWhole((sink) => lintSarifStream(sink, options), results);
}

/**
 * SARIF puts the invocation (which lists every parse error) before the results, so nothing can be written before the
 * last file: each file's results are kept as their JSON text in UTF-8 (over the corpus 29 MB, against 114 MB of heap
 * as strings and far more as LintResults), then written in order after the head.
 */
export function lintSarifStream(sink: Sink, options: SarifOptions): LintReportStream {
  const rules = [...options.rules];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const notifications: Sarif.Notification[] = [];
  const pending: Buffer[] = [];
  let current = '';
  let into: Sink = (text) => {
    current += text;
  };
  const results = new JsonArrayWriter((text) => into(text), 3);
  return {
    file: (result) => {
      if (result.parseError) {
        notifications.push({
          level: 'error',
          message: { text: result.parseError.reason },
          locations: [location(result.file, { startLine: result.parseError.line, startColumn: result.parseError.column })],
        });
      }
      for (const finding of result.findings) results.element(sarifResult(result.file, finding, index));
      if (current) pending.push(Buffer.from(current, 'utf8'));
      current = '';
    },
    end: () => {
      const log: Sarif.Log = {
        $schema: SCHEMA,
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'layerwise',
                version: options.toolVersion,
                informationUri: ruleDocsBase(VERSION),
                rules: rules.map(descriptor),
              },
            },
            invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
            results: [],
          },
        ],
      };
      const { head, tail } = splitAtArray(log, 'results', 3);
      sink(head);
      for (const bytes of pending.splice(0)) sink(bytes.toString('utf8'));
      into = sink;
      results.close();
      sink(`${tail}\n`);
    },
  };
}

function sarifResult(file: string, finding: Finding, index: ReadonlyMap<string, number>): Sarif.Result {
  return {
    ruleId: finding.rule,
    ...(index.has(finding.rule) && { ruleIndex: index.get(finding.rule) }),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      location(file, {
        startLine: finding.line,
        startColumn: finding.column,
        endLine: finding.endLine,
        endColumn: finding.endColumn,
      }),
    ],
  };
}

function descriptor(rule: AnyRule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    shortDescription: { text: plain(rule.docs.description) },
    fullDescription: { text: plain(rule.docs.whatItDoes) },
    help: { text: plain(rule.docs.why), markdown: rule.docs.why },
    helpUri: ruleDocsUrl(rule.id, VERSION),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: [...rule.tags], ...(rule.hadolint && { hadolint: [...rule.hadolint] }) },
  };
}

function location(file: string, region: Sarif.Region): Sarif.Location {
  return { physicalLocation: { artifactLocation: { uri: toUri(file) }, region } };
}

/** A path as a URI: relative ones as a URI reference, absolute ones as `file://` (`/` separators, reserved characters percent-encoded). */
function toUri(file: string): string {
  const path = file.split(/[\\/]/).map(encodeURIComponent).join('/');
  return path.startsWith('/') ? `file://${path}` : path;
}

/** Markdown code spans read as plain text. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1');
}
