/**
 * Lint reports rendered file by file. `lint` over many files writes each file's part as soon as that file is linted,
 * so it never holds every file's result, nor the whole report as one string (over the corpus's 5,698 files that was
 * ~60 MB of peak memory). The whole-report functions (`renderLintJson` …) run the same streams into one string, so both
 * paths print the same bytes.
 */
import type { LintResult } from '../rules/lint.js';

/** Where a report's pieces go, in order (standard output, a file, or a string). */
export type Sink = (text: string) => void;

export interface LintReportStream {
  /** One more file's result, in the order the files were named. */
  file(result: LintResult): void;
  /** After the last file: whatever closes the report (a summary, the end of the JSON document). */
  end(): void;
}

/**
 * Text a report sets aside until its end, in order: the HTML page counts every file's findings in its header, above
 * the files' listings. The CLI keeps it in a temporary file (src/cli/spool.ts); a report rendered whole, in memory.
 */
export interface Spool {
  write(text: string): void;
  /** Everything written, in order, into `sink`; the spool is empty afterwards. */
  drain(sink: Sink): void;
}

export function memorySpool(): Spool {
  let parts: string[] = [];
  return {
    write: (text) => {
      parts.push(text);
    },
    drain: (sink) => {
      const taken = parts;
      parts = [];
      for (const text of taken) sink(text);
    },
  };
}

/** Runs `results` through a stream into one string. */
export function renderWhole(start: (sink: Sink) => LintReportStream, results: readonly LintResult[]): string {
  let out = '';
  const stream = start((text) => {
    out += text;
  });
  for (const result of results) stream.file(result);
  stream.end();
  return out;
}

/**
 * The elements of a JSON array written one at a time, byte for byte as `JSON.stringify(document, null, 2)` would lay
 * them out when the array sits `depth` levels deep (its `[` is the caller's; `close()` writes the `]`). JSON text has
 * no raw line breaks inside strings, so indenting every line break nests an element's own layout.
 */
export class JsonArrayWriter {
  private count = 0;

  constructor(
    private readonly sink: Sink,
    private readonly depth: number,
  ) {}

  element(value: unknown): void {
    const pad = '  '.repeat(this.depth + 1);
    this.sink(`${this.count++ === 0 ? '' : ','}\n${pad}${JSON.stringify(value, null, 2).replaceAll('\n', `\n${pad}`)}`);
  }

  close(): void {
    this.sink(this.count === 0 ? ']' : `\n${'  '.repeat(this.depth)}]`);
  }
}

/**
 * `JSON.stringify(document, null, 2)` split around one array that is left empty in `document` (found by its key and
 * indentation, which no string value can contain: JSON strings have no raw line breaks). Returns the text up to and
 * including the array's `[`, the text after its `]`, and the array's depth for a JsonArrayWriter.
 */
export function splitAtArray(document: unknown, key: string, depth: number): { head: string; tail: string } {
  const text = JSON.stringify(document, null, 2);
  const marker = `\n${'  '.repeat(depth)}${JSON.stringify(key)}: []`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`splitAtArray: no empty "${key}" at depth ${depth}`);
  const open = at + marker.length - 1;
  return { head: text.slice(0, open), tail: text.slice(open + 1) };
}
