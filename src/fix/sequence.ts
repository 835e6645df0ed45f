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
 * most RUNs are the same in all of them — each distinct script (with its shell) is analysed once, each tree's
 * sequence computed once.
 */
export interface SequenceMemo {
  scripts: Map<string, ScriptCommand[] | undefined>;
  sequences: WeakMap<Dockerfile, Executed[]>;
}

export function sequenceMemo(): SequenceMemo {
  return { scripts: new Map(), sequences: new WeakMap() };
}

/** The executed sequence of a parsed Dockerfile (the shell parser must be initialised). */
export function executedSequence(ast: Dockerfile, memo: SequenceMemo = sequenceMemo()): Executed[] {
  const known = memo.sequences.get(ast);
  if (known) return known;
  const out: Executed[] = [];
  const source = ast.source;
  for (const directive of ast.directives) {
    const { start, end } = directive.range;
    out.push(entry('instruction', -1, -1, `# ${directive.name}=${directive.value}`, start.offset, end.offset));
  }
  const finalShell = new Map<string, string[]>();
  let stage = -1;
  let shell = defaultShell;
  let stageName: string | undefined;
  ast.instructions.forEach((instruction, index) => {
    if (instruction.name === 'FROM') {
      if (stageName !== undefined) finalShell.set(stageName, shell);
      stage++;
      const words = instruction.args.map((a) => a.value);
      shell = finalShell.get(words[0]?.toLowerCase() ?? '') ?? defaultShell;
      stageName = words.length === 3 ? words[2].toLowerCase() : undefined;
    }
    if (instruction.name === 'SHELL' && instruction.json) shell = instruction.args.map((a) => a.value);
    const commands = instruction.name === 'RUN' ? runCommands(instruction, shell, memo) : undefined;
    if (!commands) {
      const text = `${instruction.name} ${normalise(source.slice(instruction.keywordRange.end.offset, instruction.range.end.offset), ast.escapeToken)}`;
      out.push(entry('instruction', stage, index, text, instruction.range.start.offset, instruction.range.end.offset));
      return;
    }
    const flags = instruction.flags
      .map((f) => normalise(source.slice(f.range.start.offset, f.range.end.offset), ast.escapeToken))
      .sort();
    const base = instruction.command!.range.start.offset;
    for (const c of commands) out.push({ ...entry('command', stage, index, c.text, base + c.start, base + c.end), flags });
  });
  memo.sequences.set(ast, out);
  return out;
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
  const token = escapeToken === '`' ? '`' : '\\\\';
  return text
    .replace(new RegExp(`${token}[ \\t]*\\r?\\n`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
