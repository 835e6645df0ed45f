/**
 * A Dockerfile as a numbered listing with annotations on the lines they belong to: a badge in the gutter, the exact
 * range highlighted in the text, messages under the line and an optional figure on the right. Line and column
 * numbers are the parser's (1-based; columns in UTF-16 code units, ends exclusive), so what is marked is exactly
 * what the finding or step covers. Pure.
 */
import type { Dockerfile } from '../../dockerfile/ast.js';
import { type Content, type Html, html, join } from './escape.js';

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Annotation {
  /** The line the annotation belongs to (1-based). */
  line: number;
  /** A CSS class naming the kind: error, warning, info, cached, rebuilt, unknown, size. */
  kind: string;
  /** The gutter badge, in words ("✗ rebuilt", "warning"): never colour alone. */
  badge?: string;
  /** Shown under the line. */
  message?: Content;
  /** Text to highlight (findings). */
  span?: Span;
  /** Shown at the right end of the line (a layer size). */
  aside?: Content;
}

/** Kinds in order of importance: the gutter shows the most important badge of a line first. */
const RANK = ['error', 'rebuilt', 'warning', 'unknown', 'info', 'cached', 'size'];
const rank = (kind: string) => (RANK.includes(kind) ? RANK.indexOf(kind) : RANK.length);

/** The source as lines (a final newline does not start another line; CR before LF is not part of the text). */
export function sourceLines(source: string): string[] {
  const lines = source.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Where spans cover one line, as [start, end) column pairs (0-based), each with the most important kind. */
function highlights(
  text: string,
  line: number,
  spans: { span: Span; kind: string }[],
): { from: number; to: number; kind: string }[] {
  const cuts = new Set<number>([0, text.length]);
  const covering = spans
    .filter(({ span }) => span.line <= line && line <= span.endLine)
    .map(({ span, kind }) => {
      const from = span.line === line ? Math.min(span.column - 1, text.length) : 0;
      const to = span.endLine === line ? Math.min(span.endColumn - 1, text.length) : text.length;
      return { from, to: Math.max(from, to), kind };
    });
  for (const { from, to } of covering) cuts.add(from).add(to);
  const points = [...cuts].sort((a, b) => a - b);
  const out: { from: number; to: number; kind: string }[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const kinds = covering.filter((c) => c.from <= from && to <= c.to && c.from < c.to).map((c) => c.kind);
    kinds.sort((a, b) => rank(a) - rank(b));
    out.push({ from, to, kind: kinds[0] ?? '' });
  }
  return out;
}

function lineText(text: string, line: number, spans: { span: Span; kind: string }[]): Html {
  if (spans.length === 0) return html`${text}`;
  return join(
    highlights(text, line, spans).map(({ from, to, kind }) =>
      kind ? html`<mark class="${kind}">${text.slice(from, to)}</mark>` : text.slice(from, to),
    ),
  );
}

/** Lines an instruction covers, continuation lines and heredoc bodies included (first and last, 1-based). */
export interface Block {
  start: number;
  end: number;
}

/** The instructions of a parsed Dockerfile as line blocks. */
export function instructionBlocks(dockerfile: Dockerfile): Block[] {
  return dockerfile.instructions.map((instruction) => ({
    start: instruction.range.start.line,
    // An exclusive end at column 1 means the instruction ended with the previous line's terminator.
    end:
      instruction.range.end.column === 1 && instruction.range.end.line > instruction.range.start.line
        ? instruction.range.end.line - 1
        : instruction.range.end.line,
  }));
}

/**
 * The listing. `id` prefixes the line anchors (`<id>-L7`) so that several listings can share a page and charts can
 * link to a line. With `blocks`, an annotation's messages go under the last line of its instruction (so they do not
 * split a continued RUN), and a step's status (`stripe` kinds) is drawn beside every line of the instruction.
 */
export function codeListing(
  source: string,
  annotations: readonly Annotation[],
  id: string,
  options: { blocks?: readonly Block[]; stripe?: readonly string[] } = {},
): Html {
  const blockOf = (line: number) => options.blocks?.find((block) => block.start <= line && line <= block.end);
  const byLine = new Map<number, Annotation[]>();
  const messagesAfter = new Map<number, Annotation[]>();
  const stripes = new Map<number, string>();
  for (const note of annotations) {
    byLine.set(note.line, [...(byLine.get(note.line) ?? []), note]);
    const block = blockOf(note.line) ?? { start: note.line, end: note.line };
    if (note.message !== undefined) messagesAfter.set(block.end, [...(messagesAfter.get(block.end) ?? []), note]);
    if (options.stripe?.includes(note.kind))
      for (let line = block.start; line <= block.end; line += 1) {
        const previous = stripes.get(line);
        if (!previous || rank(note.kind) < rank(previous)) stripes.set(line, note.kind);
      }
  }
  for (const notes of [...byLine.values(), ...messagesAfter.values()]) notes.sort((a, b) => rank(a.kind) - rank(b.kind));
  const spans = annotations.flatMap((note) => (note.span ? [{ span: note.span, kind: note.kind }] : []));
  const rows = sourceLines(source).map((text, index) => {
    const line = index + 1;
    const notes = byLine.get(line) ?? [];
    const mine = spans.filter(({ span }) => span.line <= line && line <= span.endLine);
    const badges = [...new Map(notes.filter((n) => n.badge).map((n) => [`${n.kind}\0${n.badge}`, n])).values()];
    const asides = notes.filter((n) => n.aside !== undefined);
    const messages = messagesAfter.get(line) ?? [];
    const stripe = stripes.get(line);
    const anchor = `${id}-L${line}`;
    const row = html`<tr class="line${notes.some((n) => n.message !== undefined) ? ' has-notes' : ''}${stripe ? ` stripe-${stripe}` : ''}" id="${anchor}" data-line="${line}"><td class="gutter">${badges.map(
      (n) => html`<span class="badge ${n.kind}">${n.badge}</span> `,
    )}</td><td class="num"><a href="#${anchor}">${line}</a></td><td class="src">${lineText(text, line, mine)}</td><td class="aside">${asides.map((n) => n.aside)}</td></tr>`;
    if (messages.length === 0) return row;
    return html`${row}<tr class="note${stripe ? ` stripe-${stripe}` : ''}" data-line="${line}"><td></td><td class="num"></td><td class="msg" colspan="2">${messages.map(
      (n) => html`<span class="msg-item ${n.kind}" data-line="${n.line}">${n.message}</span>`,
    )}</td></tr>`;
  });
  return html`<div class="panel scroll"><table class="code"><tbody>${rows}</tbody></table></div>`;
}
