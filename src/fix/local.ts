/**
 * The safety check of a pass (safety.ts) without parsing and comparing the whole fixed file: only the instructions
 * the fixes touch are parsed again and compared, when that provably gives the same problems, in the same order, as
 * the whole check (`localProblems` says undefined otherwise, and the caller does the whole check).
 *
 * Why it is the same. A region is a run of instructions the edits touch (an edit touches what it overlaps or sits at
 * the edge of), from the start of its first line to the end of its last line (line terminator included); every
 * edit lies inside one.
 * - Parsing: BuildKit's parser carries nothing from one instruction to the next but the escape token (and, before
 *   the first instruction, whether directives are still read; and the comments above, which nothing here reads). A
 *   region starts at a line start where the old text started an instruction, so the state there is the same in the
 *   fixed text. Its new text is empty (the fixes removed its lines), or, parsed alone under the same escape token,
 *   starts with an instruction and ends with one whose last line is code without a continuation and without
 *   heredocs, followed only by its line terminator, which ends the region (unless the region ends the file) — so
 *   the next line of the fixed text starts afresh too, and the rest parses as it did. The fixed file's instructions
 *   are the untouched ones (same text, offsets moved) and the regions', in order.
 * - Sequence: an untouched instruction's entries depend on its text, the escape token, its stage and (a RUN) the
 *   shell in force; with no FROM or SHELL in a region, before or after, all of these are unchanged, and so is the
 *   validity of each untouched instruction (instructionErrors reads one instruction and whether a FROM came before).
 * - Comparison (safety.ts compareSequences): an untouched entry finds its twin at its mapped offset (no two entries
 *   of the old text share a start, checked) with the same text, kind, stage and flags, and no edit touches it: it
 *   makes no problem, its pair forms no group a split or join is judged on, and no touched entry can meet it — their
 *   offsets lie inside the regions, its outside. What is left is the comparison of the regions' entries, in order.
 * test/fix/local.test.ts checks this against the whole check on random edits and on every corpus pass.
 */
import { type Dockerfile, type Instruction, instructionErrors, ParseError, parseDockerfile } from '../dockerfile/index.js';
import type { Fix } from '../rules/define.js';
import { compareSequences, type Located, locate, type SafetyProblem } from './safety.js';
import { type Executed, keyOfShell, pushEntries, type SequenceMemo, sequenceLayout } from './sequence.js';

interface Region {
  /** First and last instruction (indices into the old tree) the edits touch. */
  first: number;
  last: number;
  edits: Located[];
}

/** The problems of checkPass(before, <before with the fixes applied>, fixes), or undefined when not provably so. */
export function localProblems(before: Dockerfile, fixes: readonly Fix[], memo: SequenceMemo): SafetyProblem[] | undefined {
  const layout = sequenceLayout(before, memo);
  if (!layout.uniqueStarts) return undefined;
  const regions = regionsOf(before.instructions, locate(fixes));
  if (!regions) return undefined;
  const old: Executed[] = [];
  const now: Executed[] = [];
  // Instructions the regions before this one added (or removed): where the fixed file's instruction indices are.
  let added = 0;
  for (const region of regions) {
    const reparsed = reparse(before, region);
    if (!reparsed) return undefined;
    const { first, last } = region;
    const afterFrom = layout.stage[first] >= 0;
    if (instructionErrors(reparsed.instructions, afterFrom).length > 0) return undefined;
    for (let i = layout.firstEntry[first]; i < layout.firstEntry[last + 1]; i++) old.push(layout.entries[i]);
    const shell = layout.shell[first];
    const shellKey = keyOfShell(shell);
    reparsed.instructions.forEach((instruction, k) => {
      const index = first + added + k;
      pushEntries(now, reparsed.tree!, instruction, index, layout.stage[first], shell, shellKey, reparsed.shift, memo);
    });
    added += reparsed.instructions.length - (last - first + 1);
  }
  return compareSequences(before, old, now, fixes);
}

/** The regions of a pass's edits (sorted by start, apart), or undefined when an edit is not inside one. */
function regionsOf(instructions: readonly Instruction[], located: readonly Located[]): Region[] | undefined {
  const regions: Region[] = [];
  for (const edit of located) {
    const first = firstEndingAtOrAfter(instructions, edit.start);
    if (first === instructions.length || instructions[first].range.start.offset > edit.end) return undefined;
    let last = first;
    while (last + 1 < instructions.length && instructions[last + 1].range.start.offset <= edit.end) last++;
    const previous = regions[regions.length - 1];
    if (previous && first <= previous.last) {
      previous.last = Math.max(last, previous.last);
      previous.edits.push(edit);
    } else regions.push({ first, last, edits: [edit] });
  }
  for (const region of regions) {
    const start = lineStart(instructions[region.first]);
    const end = lineEnd(instructions[region.last]);
    if (region.edits.some((e) => e.start < start || e.end > end)) return undefined;
    for (let i = region.first; i <= region.last; i++) if (changesLater(instructions[i])) return undefined;
  }
  return regions;
}

/** The first instruction whose range ends at or after `offset` (instructions are in order and apart). */
function firstEndingAtOrAfter(instructions: readonly Instruction[], offset: number): number {
  let low = 0;
  let high = instructions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (instructions[middle].range.end.offset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

function lineStart(instruction: Instruction): number {
  const { offset, column } = instruction.range.start;
  return offset - column + 1;
}

/** After the instruction's line terminator: the start of the next line, or the end of the source. */
function lineEnd(instruction: Instruction): number {
  return instruction.range.end.offset + instruction.eol.length;
}

/** FROM and SHELL change the stage or the shell of the instructions after them. */
function changesLater(instruction: Instruction): boolean {
  return instruction.name === 'FROM' || instruction.name === 'SHELL';
}

/**
 * A region's fixed text parsed alone: its instructions, in a tree whose offsets plus `shift` are the fixed file's.
 * Undefined when the alone parse is not provably the fixed file's (see the top of this file).
 */
function reparse(
  before: Dockerfile,
  region: Region,
): { tree?: Dockerfile; instructions: Instruction[]; shift: number } | undefined {
  const source = before.source;
  const start = lineStart(before.instructions[region.first]);
  const end = lineEnd(before.instructions[region.last]);
  const prefix = before.escapeToken === '`' ? '# escape=`\n' : '';
  const parts = [prefix];
  let at = start;
  for (const e of region.edits) {
    parts.push(source.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(source.slice(at, end));
  const text = parts.join('');
  // The region's new start: where it started, moved by the edits before it.
  const first = region.edits[0];
  const shift = first.newStart - (first.start - start) - prefix.length;
  // The fixes removed the region's lines: the line after it starts where the region did, afresh.
  if (text === prefix) return { instructions: [], shift };
  // Else the fixed file's next line must start afresh after the region: the region ends with a line terminator (or
  // the file with the region) and its last line ends an instruction.
  if (!text.endsWith('\n') && end !== source.length) return undefined;
  let tree: Dockerfile;
  try {
    tree = parseDockerfile(text);
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
  const instructions = tree.instructions;
  const firstElement = tree.elements[tree.directives.length];
  if (firstElement !== instructions[0] || lineStart(instructions[0]) !== prefix.length) return undefined;
  if (tree.escapeToken !== before.escapeToken) return undefined;
  for (const instruction of instructions) {
    if (changesLater(instruction) || instruction.heredocs.length > 0) return undefined;
  }
  const final = instructions[instructions.length - 1];
  const lastLine = final.lines[final.lines.length - 1];
  if (lineEnd(final) !== text.length || lastLine.kind !== 'code' || lastLine.continuation) return undefined;
  return { tree, instructions, shift };
}
