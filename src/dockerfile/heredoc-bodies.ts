/**
 * Heredoc bodies (parser.go `Parse`): after the logical line of a RUN/COPY/ADD that names heredocs, their bodies are
 * read one after another, raw; each ends at a line equal to its name (after removing the line terminator and, for
 * `<<-`, leading tabs).
 */
import type { Heredoc, InstructionLine } from './ast.js';
import { codeAt } from './code-units.js';
import { ParseError } from './errors.js';
import { heredocsFromLine } from './heredoc-words.js';
import type { LogicalLine } from './logical-line.js';
import type { LineReader } from './parse.js';

export function readHeredocs(reader: LineReader, logical: LogicalLine, lines: InstructionLine[]): Heredoc[] {
  const words = heredocsFromLine(logical);
  const source = reader.source;
  const heredocs: Heredoc[] = [];
  for (const word of words) {
    const bodyStart = reader.end;
    const bodyStartPosition = { line: reader.number + 1, column: 1, offset: bodyStart };
    let terminated = false;
    let bodyEnd = bodyStart;
    let bodyEndPosition = bodyStartPosition;
    while (reader.next()) {
      let from = reader.start;
      if (word.chomp) while (from < reader.contentEnd && codeAt(source, from) === 0x09) from++;
      if (reader.contentEnd - from === word.name.length && source.startsWith(word.name, from)) {
        terminated = true;
        lines.push({ kind: 'heredoc-end', range: reader.range(), eol: reader.eol() });
        break;
      }
      lines.push({ kind: 'heredoc', range: reader.range(), eol: reader.eol() });
      bodyEnd = reader.end;
      bodyEndPosition =
        reader.end === reader.contentEnd ? reader.range().end : { line: reader.number + 1, column: 1, offset: bodyEnd };
    }
    if (!terminated) {
      const at = word.range.start;
      throw new ParseError('unterminated heredoc', at.line, at.column, { line: reader.number, column: 1 });
    }
    // Written out in the word's key order (a spread made objects of many shapes; readers then went megamorphic).
    heredocs.push({
      name: word.name,
      fd: word.fd,
      chomp: word.chomp,
      expand: word.expand,
      range: word.range,
      content: source.slice(bodyStart, bodyEnd),
      bodyRange: { start: bodyStartPosition, end: bodyEndPosition },
      terminatorRange: reader.range(),
    });
  }
  return heredocs;
}
