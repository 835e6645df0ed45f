/**
 * What a Dockerfile executes, as a flat list the safety check can compare before and after a fix: per stage, every
 * instruction, and for each shell-form RUN every simple command its script runs (src/shell), in order, with the RUN
 * it belongs to. Texts are normalised (continuations joined, blanks collapsed), so a fix that only moves a RUN
 * boundary or re-indents leaves the texts equal.
 */
import type { Dockerfile, Instruction } from '../dockerfile/index.js';
import { analyzeScript, defaultShell } from '../shell/commands.js';

export interface Executed {
  /** `command`: one simple command of a RUN; `instruction`: anything else (one entry per instruction or directive). */
  kind: 'command' | 'instruction';
  /** Index of the stage (FROM) it runs in; -1 before the first FROM. */
  stage: number;
  /** Index of its instruction in `ast.instructions` (-1 for directives): commands of one RUN share it. */
  instruction: number;
  text: string;
  /** Offsets into the Dockerfile's source. */
  start: number;
  end: number;
  /** The RUN's flags as written, sorted (commands only). */
  flags: string[];
}

/**
 * What one fixDockerfile run has already worked out: a pass compares the text before with candidate texts after, and
 * most instructions are the same in all of them — each distinct instruction (with its escape token and, for a RUN,
 * its shell) is turned into entries once, each distinct script analysed once, each tree's sequence computed once.
 */
export interface SequenceMemo {
  scripts: Map<string, ScriptCommand[] | undefined>;
  sequences: WeakMap<Dockerfile, SequenceLayout>;
  /**
   * An instruction's entries, by its escape token and (a RUN's) shell, then by its text: offsets relative to the
   * instruction's start. (Two levels: a key made of both would copy the text to look it up.)
   */
  instructions: Map<string, Map<string, Executed[]>>;
}

export function sequenceMemo(): SequenceMemo {
  return { scripts: new Map(), sequences: new WeakMap(), instructions: new Map() };
}

/** A tree's executed sequence with where each instruction's entries are and what it runs in (local.ts reads these). */
export interface SequenceLayout {
  entries: Executed[];
  /** Per instruction: the index of its first entry; one more element, `entries.length`. */
  firstEntry: number[];
  /** Per instruction: its stage (-1 before the first FROM). */
  stage: number[];
  /** Per instruction: the shell a RUN there runs in. */
  shell: string[][];
  /** No two entries start at one offset (checkPass finds an untouched entry again by its start). */
  uniqueStarts: boolean;
}

/** The executed sequence of a parsed Dockerfile (the shell parser must be initialised). */
export function executedSequence(ast: Dockerfile, memo: SequenceMemo = sequenceMemo()): Executed[] {
  return sequenceLayout(ast, memo).entries;
}

export function sequenceLayout(ast: Dockerfile, memo: SequenceMemo = sequenceMemo()): SequenceLayout {
  const known = memo.sequences.get(ast);
  if (known) return known;
  const out: Executed[] = [];
  for (const directive of ast.directives) {
    const { start, end } = directive.range;
    out.push(entry('instruction', -1, -1, `# ${directive.name}=${directive.value}`, start.offset, end.offset));
  }
  const count = ast.instructions.length;
  const layout: SequenceLayout = {
    entries: out,
    firstEntry: new Array(count + 1),
    stage: new Array(count),
    shell: new Array(count),
    uniqueStarts: true,
  };
  const finalShell = new Map<string, string[]>();
  let stage = -1;
  let shell = defaultShell;
  let shellKey = keyOfShell(shell);
  let stageName: string | undefined;
  ast.instructions.forEach((instruction, index) => {
    if (instruction.name === 'FROM') {
      if (stageName !== undefined) finalShell.set(stageName, shell);
      stage++;
      const words = instruction.args.map((a) => a.value);
      shell = finalShell.get(words[0]?.toLowerCase() ?? '') ?? defaultShell;
      shellKey = keyOfShell(shell);
      stageName = words.length === 3 ? words[2].toLowerCase() : undefined;
    }
    if (instruction.name === 'SHELL' && instruction.json) {
      shell = instruction.args.map((a) => a.value);
      shellKey = keyOfShell(shell);
    }
    layout.firstEntry[index] = out.length;
    layout.stage[index] = stage;
    layout.shell[index] = shell;
    pushEntries(out, ast, instruction, index, stage, shell, shellKey, 0, memo);
  });
  layout.firstEntry[count] = out.length;
  const starts = new Set<number>();
  for (const e of out) starts.add(e.start);
  layout.uniqueStarts = starts.size === out.length;
  memo.sequences.set(ast, layout);
  return layout;
}

/**
 * Appends one instruction's entries (in stage `stage`, as instruction `index`, offsets moved by `shift`). They depend
 * only on its text, the escape token and (a RUN's) shell: the parse of an instruction reads nothing else.
 */
export function pushEntries(
  out: Executed[],
  ast: Dockerfile,
  instruction: Instruction,
  index: number,
  stage: number,
  shell: string[],
  shellKey: string,
  shift: number,
  memo: SequenceMemo,
): void {
  const base = instruction.range.start.offset;
  const text = ast.source.slice(base, instruction.range.end.offset);
  const context = instruction.name === 'RUN' ? `${ast.escapeToken}${shellKey}` : ast.escapeToken;
  let byText = memo.instructions.get(context);
  if (!byText) memo.instructions.set(context, (byText = new Map()));
  let relative = byText.get(text);
  if (!relative) {
    relative = instructionEntries(ast, instruction, shell, memo);
    byText.set(text, relative);
  }
  const at = base + shift;
  for (let i = 0; i < relative.length; i++) {
    const r = relative[i];
    out.push({ kind: r.kind, stage, instruction: index, text: r.text, start: at + r.start, end: at + r.end, flags: r.flags });
  }
}

export function keyOfShell(shell: readonly string[]): string {
  return shell.map((word) => `${word.length}:${word}`).join('');
}

/** One instruction's entries, with offsets relative to its start (stage and index are the caller's). */
function instructionEntries(ast: Dockerfile, instruction: Instruction, shell: string[], memo: SequenceMemo): Executed[] {
  const source = ast.source;
  const base = instruction.range.start.offset;
  const commands = instruction.name === 'RUN' ? runCommands(instruction, shell, memo) : undefined;
  if (!commands) {
    const text = `${instruction.name} ${normalise(source.slice(instruction.keywordRange.end.offset, instruction.range.end.offset), ast.escapeToken)}`;
    return [entry('instruction', -1, -1, text, 0, instruction.range.end.offset - base)];
  }
  const flags = instruction.flags
    .map((f) => normalise(source.slice(f.range.start.offset, f.range.end.offset), ast.escapeToken))
    .sort();
  const script = instruction.command!.range.start.offset - base;
  return commands.map((c) => ({ ...entry('command', -1, -1, c.text, script + c.start, script + c.end), flags }));
}

function entry(kind: Executed['kind'], stage: number, instruction: number, text: string, start: number, end: number): Executed {
  return { kind, stage, instruction, text, start, end, flags: [] };
}

/** One simple command of a script: its normalised text and its offsets in the script. */
interface ScriptCommand {
  text: string;
  start: number;
  end: number;
}

/**
 * The simple commands of a shell-form RUN without heredocs, in execution order; undefined for exec form, heredoc
 * scripts, scripts the shell parser cannot read — those are compared as one instruction.
 */
function runCommands(instruction: Instruction, shell: string[], memo: SequenceMemo): ScriptCommand[] | undefined {
  const command = instruction.command;
  if (instruction.json || !command || instruction.heredocs.length > 0) return undefined;
  const key = `${shell.join('\0')}\0\0${command.script}`;
  if (memo.scripts.has(key)) return memo.scripts.get(key);
  const script = analyzeScript(command.script, { shell });
  const commands =
    !script.supported || script.hasErrors
      ? undefined
      : script.commands.map((c) => ({ text: normalise(command.script.slice(c.start, c.end), '\\'), start: c.start, end: c.end }));
  memo.scripts.set(key, commands);
  return commands;
}

/** Joins continuations (escape token, blanks, line break) and collapses runs of blanks. */
export function normalise(text: string, escapeToken: '\\' | '`'): string {
  // Most texts are one line with single spaces: nothing to join or collapse (every \s but a lone inner space).
  if (!NEEDS_NORMALISING.test(text)) return text;
  return text
    .replace(escapeToken === '`' ? BACKTICK_CONTINUATION : BACKSLASH_CONTINUATION, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const NEEDS_NORMALISING = /[^\S ]| {2}|^ | $/;
const BACKSLASH_CONTINUATION = /\\[ \t]*\r?\n/g;
const BACKTICK_CONTINUATION = /`[ \t]*\r?\n/g;
