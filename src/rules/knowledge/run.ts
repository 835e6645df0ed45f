/**
 * What a RUN executes, as rules need it: every simple command of its shell script (shell form, or the heredoc script
 * BuildKit runs), with argv words located in the Dockerfile's source, wrappers such as `sudo` and `env` looked
 * through, and its `--mount` flags. Computed once per instruction and shared by every rule.
 */
import type { Instruction } from '../../dockerfile/index.js';
import type { ListNode, ShellNode, SimpleNode, Word } from '../../shell/ast.js';
import { parseShell } from '../../shell/parse.js';

/** A shell word located in the Dockerfile: offsets are indices into the Dockerfile's source. */
export interface SourceWord {
  /** As written. */
  text: string;
  /** After quote removal; undefined when it holds an expansion (`$X`, `$(…)`). */
  value: string | undefined;
  quoted: boolean;
  glob: boolean;
  start: number;
  end: number;
}

export interface Command {
  /** argv after wrappers (`sudo`, `env`, `command`, `exec`, `nohup`, `time`, `xargs`) are removed. */
  words: SourceWord[];
  /** The program's base name (`pip3` for `/usr/bin/pip3`); undefined when it is not static. */
  name: string | undefined;
  /** `NAME=value` prefixes, also those given to `env`; undefined values are dynamic. */
  env: Map<string, string | undefined>;
  /** The wrapper words that were looked through, in order (`sudo`, `env`…). */
  wrappers: SourceWord[];
  /** From the first word (or assignment) to the end of the last word, in the source. */
  start: number;
  end: number;
}

export interface Mount {
  type: string;
  target: string | undefined;
  from: string | undefined;
  source: string | undefined;
  id: string | undefined;
}

export interface RunInfo {
  commands: Command[];
  mounts: Mount[];
  /** Exec form: `commands` has the single argv. */
  json: boolean;
  /** The script came from a heredoc body. */
  heredoc: boolean;
}

const cache = new WeakMap<Instruction, RunInfo>();

/** The commands of a RUN instruction (memoised per instruction). */
export function runInfo(instruction: Instruction): RunInfo {
  let info = cache.get(instruction);
  if (!info) {
    info = analyse(instruction);
    cache.set(instruction, info);
  }
  return info;
}

/** Every command of every RUN of the given instructions, in order. */
export function commandsOf(instructions: readonly Instruction[]): { instruction: Instruction; command: Command }[] {
  return instructions.flatMap((instruction) =>
    instruction.name === 'RUN' ? runInfo(instruction).commands.map((command) => ({ instruction, command })) : [],
  );
}

function analyse(instruction: Instruction): RunInfo {
  const mounts = instruction.flags.filter((flag) => flag.name === 'mount').map((flag) => parseMount(flag.value ?? ''));
  if (instruction.json) {
    const words = instruction.args.map(
      (arg): SourceWord => ({
        text: arg.value,
        value: arg.value,
        quoted: true,
        glob: false,
        start: arg.range.start.offset + 1,
        end: arg.range.end.offset - 1,
      }),
    );
    const commands = words.length ? [commandFrom(words, new Map(), words[0].start, words.at(-1)!.end)] : [];
    return { commands, mounts, json: true, heredoc: false };
  }
  const command = instruction.command;
  if (!command) return { commands: [], mounts, json: false, heredoc: false };
  // `RUN <<EOF` (markers only) has no command of its own: the heredoc is the script.
  const onlyMarkers = instruction.heredocs.length > 0 && /^\s*(?:[0-9]*<<-?\s*\S+\s*)+$/.test(command.script);
  const main = onlyMarkers ? [] : scriptCommands(command.script, command.range.start.offset);
  const heredocScripts = instruction.heredocs.filter(() => runsHeredocAsScript(main));
  if (heredocScripts.length > 0) {
    const commands = heredocScripts.flatMap((heredoc) =>
      isShellScript(heredoc.content) ? scriptCommands(heredoc.content, heredoc.bodyRange.start.offset) : [],
    );
    return { commands, mounts, json: false, heredoc: true };
  }
  return { commands: main, mounts, json: false, heredoc: false };
}

const shells = /^(sh|bash|ash|dash|zsh|ksh)$/;

/**
 * BuildKit runs a heredoc as the script when the command is nothing but heredoc markers, optionally fed to a shell
 * (`RUN <<EOF`, `RUN <<EOF bash`, `RUN bash <<EOF`). Otherwise the heredoc is data for a command (`cat <<EOF >f`).
 */
function runsHeredocAsScript(main: Command[]): boolean {
  if (main.length === 0) return true;
  return (
    main.length === 1 &&
    main[0].name !== undefined &&
    shells.test(main[0].name) &&
    main[0].words.every((w, i) => i === 0 || w.text.startsWith('-'))
  );
}

/** A body BuildKit hands to the shell: no shebang, or a shebang naming a POSIX shell. */
function isShellScript(body: string): boolean {
  if (!body.startsWith('#!')) return true;
  const shebang = body
    .slice(2, body.indexOf('\n') < 0 ? undefined : body.indexOf('\n'))
    .trim()
    .split(/\s+/);
  const program = shebang[0]?.endsWith('/env') ? shebang[1] : shebang[0];
  return shells.test(program?.slice(program.lastIndexOf('/') + 1) ?? '');
}

function scriptCommands(script: string, base: number): Command[] {
  const syntax = parseShell(script);
  const out: Command[] = [];
  walk(syntax.root, (simple) => {
    const words = simple.words.map((word) => located(word, base));
    const env = new Map<string, string | undefined>();
    for (const assignment of simple.assignments)
      env.set(assignment.name, assignment.value?.value ?? (assignment.value ? undefined : ''));
    if (words.length === 0) return;
    out.push(commandFrom(words, env, base + simple.start, words.at(-1)!.end));
  });
  return out;
}

function located(word: Word, base: number): SourceWord {
  return {
    text: word.text,
    value: word.value,
    quoted: word.quoted,
    glob: word.glob,
    start: base + word.start,
    end: base + word.end,
  };
}

/** Depth-first, in source order, through every compound command and command substitution. */
function walk(node: ShellNode, visit: (simple: SimpleNode) => void): void {
  switch (node.type) {
    case 'simple':
      for (const word of node.words) for (const sub of word.substitutions) walk(sub.body, visit);
      visit(node);
      return;
    case 'pipeline':
      for (const child of node.commands) walk(child, visit);
      return;
    case 'and-or':
      for (const child of node.items) walk(child, visit);
      return;
    case 'list':
      for (const item of node.items) walk(item.node, visit);
      return;
    case 'subshell':
    case 'group':
      walk(node.body, visit);
      return;
    case 'if':
      for (const clause of node.clauses) {
        if (clause.condition) walk(clause.condition, visit);
        walk(clause.body, visit);
      }
      return;
    case 'for':
      walk(node.body, visit);
      return;
    case 'while':
    case 'until':
      walk(node.condition, visit);
      walk(node.body, visit);
      return;
    case 'case':
      for (const item of node.items) walk(item.body as ListNode, visit);
      return;
    case 'function':
      walk(node.body, visit);
      return;
  }
}

/** Wrapper programs and the options of theirs that take a value. */
const wrappers: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-h', '-p', '-r', '-t', '-U', '-D']),
  env: new Set(['-u', '-C', '-S']),
  command: new Set(),
  exec: new Set(['-a']),
  nohup: new Set(),
  time: new Set(['-f', '-o']),
  xargs: new Set(['-a', '-d', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '-P', '-s', '--max-args', '--max-procs', '--delimiter']),
  eatmydata: new Set(),
  gosu: new Set(),
  'su-exec': new Set(),
};

function baseName(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(value.lastIndexOf('/') + 1);
}

function commandFrom(all: SourceWord[], env: Map<string, string | undefined>, start: number, end: number): Command {
  let words = all;
  const seen: SourceWord[] = [];
  for (;;) {
    const name = baseName(words[0]?.value);
    const takesValue = name === undefined ? undefined : wrappers[name];
    if (!takesValue) break;
    seen.push(words[0]);
    let i = 1;
    // gosu/su-exec take a user first.
    if (name === 'gosu' || name === 'su-exec') i = 2;
    while (i < words.length) {
      const value = words[i].value ?? '';
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
        const eq = value.indexOf('=');
        env.set(value.slice(0, eq), value.slice(eq + 1));
        i++;
      } else if (value === '--') {
        i++;
        break;
      } else if (value.startsWith('-') && value.length > 1) {
        i += takesValue.has(value) ? 2 : 1;
      } else break;
    }
    words = words.slice(i);
  }
  return { words, name: baseName(words[0]?.value), env, wrappers: seen, start, end };
}

/** `type=cache,target=/root/.cache,id=x` (BuildKit's CSV; `dst`/`destination` are aliases of target). */
export function parseMount(value: string): Mount {
  const fields = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    fields.set((eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return {
    type: fields.get('type') ?? 'bind',
    target: fields.get('target') ?? fields.get('dst') ?? fields.get('destination'),
    from: fields.get('from'),
    source: fields.get('source') ?? fields.get('src'),
    id: fields.get('id'),
  };
}

/** Whether a cache or tmpfs mount covers `path` (the mount target is the path or one of its parents). */
export function mountCovers(mounts: readonly Mount[], path: string): boolean {
  return mounts.some((mount) => {
    if (mount.type !== 'cache' && mount.type !== 'tmpfs') return false;
    const target = (mount.target ?? '').replace(/\/+$/, '');
    return target !== '' && (path === target || path.startsWith(`${target}/`));
  });
}
