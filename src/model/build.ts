/**
 * From a parsed Dockerfile, build args and a target to BuildKit's build model (dockerfile2llb's dispatch): which
 * stages are reachable, the steps it numbers, and each step's state — ARG scoping (meta ARGs, defaults, build args,
 * inheritance through `FROM <stage>`, automatic platform args), the environment in latest-assignment order, WORKDIR,
 * USER, SHELL — with variables expanded exactly where BuildKit expands them. Pure.
 */
import type { Dockerfile, Flag, Instruction } from '../dockerfile/ast.js';
import { codeAt, indexIn, sliceOf, startsWithAt } from '../dockerfile/code-units.js';
import { ParseError } from '../dockerfile/errors.js';
import { goQuote } from '../dockerfile/go-quote.js';
import { parseHeredocWord } from '../dockerfile/heredoc-words.js';
import { expandWord, expandWords, isLiteralWord, type LexOptions, WordError } from '../dockerfile/words.js';
import { addEnv, DEFAULT_PATH, envMap } from './env.js';
import { MountError, parseMount } from './mounts.js';
import { cleanPath, destRelativeToWorkdir, normalizePath } from './paths.js';
import type {
  ArgBinding,
  BuildModel,
  CopySource,
  EnvEntry,
  HistoryEntry,
  ModelOptions,
  Mount,
  Platform,
  Stage,
  Step,
  StepState,
} from './types.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];
/** Build args BuildKit never puts in a RUN environment (`nonEnvArgs`). */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function platformText(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/**
 * The automatic platform ARGs as a variable map, by platform text (a build has one or two platforms: made once,
 * shared by every model that declares no meta ARG, never changed).
 */
const platformArgsByText = new Map<string, ReadonlyMap<string, string>>();

function platformArgs(p: Platform): ReadonlyMap<string, string> {
  const text = platformText(p);
  let args = platformArgsByText.get(text);
  if (!args) platformArgsByText.set(text, (args = new Map(platformArgList(p, text))));
  return args;
}

function platformArgList(p: Platform, text: string): [string, string][] {
  return [
    ['BUILDPLATFORM', text],
    ['BUILDOS', p.os],
    ['BUILDARCH', p.architecture],
    ['BUILDVARIANT', p.variant ?? ''],
    ['TARGETPLATFORM', text],
    ['TARGETOS', p.os],
    ['TARGETARCH', p.architecture],
    ['TARGETVARIANT', p.variant ?? ''],
  ];
}

/** A position-carrying error for a word BuildKit refuses. */
function errorAt(instruction: Instruction, message: string): ParseError {
  return new ParseError(message, instruction.range.start.line, instruction.range.start.column);
}

/** Splits `K=V` (or `K`) as instructions.parseArg does: at the first `=`, the value keeping its quotes. */
function splitArg(word: string): { key: string; value: string | undefined } {
  const eq = indexIn(word, '=');
  return eq < 0 ? { key: word, value: undefined } : { key: sliceOf(word, 0, eq), value: sliceOf(word, eq + 1) };
}

/** The instruction as progress output names it: upper-case keyword, the rest as written. */
export function instructionText(instruction: Instruction): string {
  const { name, keyword } = instruction;
  // Usually the keyword is written in upper case at the line's start (an ASCII character, which trimStart keeps): the
  // text is then `original` itself.
  if (name === keyword && codeAt(keyword, 0) < 0x80 && startsWithAt(instruction.original, keyword)) return instruction.original;
  const original = instruction.original.trimStart();
  return `${instruction.name}${original.slice(instruction.keyword.length)}`;
}

export function buildModel(ast: Dockerfile, options: ModelOptions = {}): BuildModel {
  const buildArgs = options.buildArgs ?? {};
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const lex = { escapeToken: ast.escapeToken };
  const expand = (instruction: Instruction, word: string, env: ReadonlyMap<string, string>) => {
    try {
      return expandWord(word, env, lex);
    } catch (error) {
      if (error instanceof WordError && options.recover) return word;
      if (error instanceof WordError) throw errorAt(instruction, error.message);
      throw error;
    }
  };

  // Global (meta) args: the automatic platform args, then ARGs before the first FROM.
  // Filled in place: each value is expanded as soon as it is declared, against the globals declared before it.
  const shared = platformArgs(platform);
  let globals = shared;
  const metaArgs: ArgBinding[] = [];
  // The ARG names declared anywhere (meta or in a dispatched stage), to tell which build args nothing declares:
  // not tracked when no build arg is given (lint's usual case).
  const buildArgNames = Object.keys(buildArgs);
  const seen = buildArgNames.length > 0 ? new Set<string>() : undefined;
  let index = 0;
  const instructions = ast.instructions;
  for (; index < instructions.length && instructions[index].name !== 'FROM'; index++) {
    const instruction = instructions[index];
    if (instruction.name !== 'ARG') {
      if (options.recover) continue;
      throw errorAt(instruction, `no build stage in current context`);
    }
    for (const arg of instruction.args) {
      const { key, value } = splitArg(arg.value);
      seen?.add(key);
      let resolved: string | undefined;
      if (key in buildArgs) resolved = buildArgs[key];
      else if (value !== undefined) resolved = expand(instruction, value, globals);
      if (resolved !== undefined) {
        if (globals === shared) globals = new Map(shared);
        (globals as Map<string, string>).set(key, resolved);
      }
      metaArgs.push({ name: key, value: resolved });
    }
  }

  // Stages. Each stage's instructions are cut out of the list when the next FROM (or the end) is reached; those with
  // flags (few) are kept aside with their stage for the dependency scan below.
  const stages: Stage[] = [];
  const flagged: Instruction[] = [];
  const flaggedStage: number[] = [];
  let stageStart = index;
  for (; index <= instructions.length; index++) {
    const instruction = instructions[index] as Instruction | undefined;
    if (instruction === undefined || instruction.name === 'FROM') {
      if (stages.length > 0) stages[stages.length - 1].instructions = instructions.slice(stageStart, index);
      stageStart = index + 1;
    }
    if (instruction === undefined) break;
    if (instruction.name === 'FROM') {
      const words = instruction.args.map((a) => a.value);
      let name: string | undefined;
      if (words.length >= 3 && words[1].toLowerCase() === 'as' && (words.length === 3 || options.recover)) {
        name = words[2].toLowerCase();
        if (!STAGE_NAME.test(name) && !options.recover)
          throw errorAt(
            instruction,
            `invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`,
          );
      } else if (words.length !== 1 && !options.recover)
        throw errorAt(instruction, 'FROM requires either one or three arguments');
      const ref = expand(instruction, words[0] ?? '', globals);
      const platformFlag = instruction.flags.find((f) => f.name === 'platform')?.value;
      const stageIndex = stages.length;
      const refName = ref.toLowerCase();
      const baseStage = stages.findIndex((s) => s.name !== undefined && s.name === refName);
      const base: Stage['base'] =
        baseStage >= 0
          ? { kind: 'stage', stage: baseStage }
          : ref === 'scratch'
            ? { kind: 'scratch' }
            : { kind: 'image', ref, info: options.baseImages?.[ref] };
      stages.push({
        index: stageIndex,
        name,
        label: name ?? `stage-${stageIndex}`,
        line: instruction.range.start.line,
        from: instruction,
        base,
        platform: platformFlag === undefined ? undefined : expand(instruction, platformFlag, globals),
        instructions: [],
        reachable: false,
        deps: baseStage >= 0 ? [baseStage] : [],
        steps: [],
        history: [],
        finalState: stepState([], [], '/', '', DEFAULT_SHELL),
      });
    } else if (instruction.flags.length > 0) {
      flagged.push(instruction);
      flaggedStage.push(stages.length - 1);
    }
  }
  if (stages.length === 0 && !options.recover) throw new ParseError('file with no instructions', 1, 1);

  const stageByRef = (ref: string): number | undefined => {
    const name = ref.toLowerCase();
    const byName = stages.findIndex((s) => s.name !== undefined && s.name === name);
    if (byName >= 0) return byName;
    if (/^\d+$/.test(ref) && Number(ref) < stages.length) return Number(ref);
    return undefined;
  };
  for (let i = 0; i < flagged.length; i++) {
    const instruction = flagged[i];
    const stage = stages[flaggedStage[i]];
    for (const flag of instruction.flags) {
      let ref: string | undefined;
      if ((instruction.name === 'COPY' || instruction.name === 'ADD') && flag.name === 'from') ref = flag.value;
      if (instruction.name === 'RUN' && flag.name === 'mount' && flag.value) {
        ref = /(?:^|,)from=([^,]*)/i.exec(flag.value)?.[1];
      }
      const dep = ref === undefined ? undefined : stageByRef(ref);
      if (dep !== undefined && dep !== stage.index && !stage.deps.includes(dep)) stage.deps.push(dep);
    }
  }

  let target = stages.length - 1;
  if (options.target !== undefined) {
    const found = stages.findIndex((s) => s.name === options.target?.toLowerCase());
    if (found < 0) throw new ParseError(`target stage "${options.target}" could not be found`, 1, 1);
    target = found;
  }
  for (const i of target >= 0 ? neededStages(stages, target) : []) stages[i].reachable = true;
  if (options.allStagesUpToTarget) for (const stage of stages) if (stage.index <= target) stage.reachable = true;

  const ctx: DispatchContext = {
    buildArgs,
    globals,
    lex,
    expand,
    stageByRef,
    seen,
    platform,
    recover: options.recover === true,
  };
  for (const stage of stages) if (stage.reachable) dispatchStage(stage, stages, ctx);
  const unusedBuildArgs = seen === undefined ? [] : buildArgNames.filter((k) => !seen.has(k));
  return {
    stages,
    platform: platformText(platform),
    target,
    metaArgs,
    steps: reachableSteps(stages),
    unusedBuildArgs,
  };
}

interface DispatchContext {
  buildArgs: Readonly<Record<string, string>>;
  globals: ReadonlyMap<string, string>;
  lex: LexOptions;
  expand: (instruction: Instruction, word: string, env: ReadonlyMap<string, string>) => string;
  stageByRef: (ref: string) => number | undefined;
  /** ARG names declared (undefined: not tracked). */
  seen: Set<string> | undefined;
  platform: Platform;
  recover: boolean;
}

function initialState(stage: Stage, stages: Stage[]): StepState {
  if (stage.base.kind === 'stage') {
    const parent = stages[stage.base.stage].finalState;
    return stepState([...parent.args], [...parent.env], parent.workdir, parent.user, parent.shell);
  }
  let env: EnvEntry[] = [];
  let workdir = '/';
  let user = '';
  let shell = DEFAULT_SHELL;
  if (stage.base.kind === 'image') {
    const info = stage.base.info;
    // A resolved image (its layers known) has exactly the env of its config, which may have none.
    if (info?.env || info?.layers) {
      for (const kv of info.env ?? []) {
        const eq = kv.indexOf('=');
        env = addEnv(env, eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? '' : kv.slice(eq + 1));
      }
      if (!env.some((e) => 'key' in e && e.key === 'PATH')) env = addEnv(env, 'PATH', DEFAULT_PATH);
    } else env = [{ base: stage.base.ref }];
    if (info?.workingDir) workdir = normalizePath('/', info.workingDir, false);
    if (info?.user) user = info.user;
    if (info?.shell?.length) shell = info.shell;
  } else env = [{ key: 'PATH', value: DEFAULT_PATH }];
  return stepState([], env, workdir, user, shell);
}

/**
 * Word expansion in the state an instruction starts from (BuildKit expands every word of an instruction in that
 * state). The variable map is built on first use and kept while ENV and ARG leave the environment list alone.
 */
const DEFAULT_LEX: LexOptions = {};
const NO_VARIABLES: ReadonlyMap<string, string> = new Map();

class Expansion {
  private instruction: Instruction | undefined;
  private list: readonly EnvEntry[] | undefined;
  private map: Map<string, string> | undefined;

  constructor(private readonly ctx: DispatchContext) {}

  enter(instruction: Instruction, state: StepState): void {
    this.instruction = instruction;
    if (state.env !== this.list) {
      this.list = state.env;
      this.map = undefined;
    }
  }

  env(): ReadonlyMap<string, string> {
    this.map ??= envMap(this.list ?? []);
    return this.map;
  }

  /**
   * Expands one word of the current instruction (one closure per stage, not one per instruction). A word without `$`,
   * quotes or escapes (most) is itself: the variable map is then not needed.
   */
  readonly x = (word: string): string =>
    isLiteralWord(word, this.ctx.lex) ? word : this.ctx.expand(this.instruction as Instruction, word, this.env());

  /** ProcessWords with the default lexer options (as EXPOSE is expanded); the map only for a word that may need it. */
  words(word: string): string[] {
    return expandWords(word, isLiteralWord(word, DEFAULT_LEX) ? NO_VARIABLES : this.env());
  }
}

function dispatchStage(stage: Stage, stages: Stage[], ctx: DispatchContext): void {
  let state = initialState(stage, stages);
  const history: HistoryEntry[] = [];
  const steps: Step[] = [];
  const from = stage.base;
  if (from.kind === 'image') {
    steps.push({
      kind: 'FROM',
      stage: stage.index,
      line: stage.line,
      instruction: stage.from,
      text: instructionText(stage.from),
      state,
      createdBy: '',
      image: from.ref,
      platform: stage.platform,
    });
  }
  const expansion = new Expansion(ctx);
  const x = expansion.x;
  for (const instruction of stage.instructions) {
    expansion.enter(instruction, state);
    const line = instruction.range.start.line;
    switch (instruction.name) {
      case 'ARG': {
        let createdBy = 'ARG ';
        const args = instruction.args;
        for (let i = 0; i < args.length; i++) {
          const { key, value: def } = splitArg(args[i].value);
          ctx.seen?.add(key);
          let value: string | undefined;
          if (key in ctx.buildArgs) value = ctx.buildArgs[key];
          else if (def !== undefined) value = x(def);
          else if (ctx.globals.has(key)) value = ctx.globals.get(key);
          const env = value !== undefined && !NON_ENV_ARGS.has(key) ? addEnv(state.env, key, value) : state.env;
          state = stepState([...state.args, { name: key, value }], env, state.workdir, state.user, state.shell);
          if (i > 0) createdBy += ' ';
          createdBy += value === undefined ? key : `${key}=${value}`;
        }
        history.push({ line, createdBy, emptyLayer: true });
        break;
      }
      case 'ENV': {
        let next = state.env;
        let createdBy = 'ENV ';
        const pairs = instruction.pairs ?? [];
        for (let i = 0; i < pairs.length; i++) {
          const key = x(pairs[i].key.value);
          const value = x(pairs[i].value.value);
          next = addEnv(next, key, value);
          if (i > 0) createdBy += ' ';
          createdBy += `${key}=${value}`;
        }
        state = stepState(state.args, next, state.workdir, state.user, state.shell);
        history.push({ line, createdBy, emptyLayer: true });
        break;
      }
      case 'WORKDIR': {
        const wd = normalizePath(state.workdir, x(instruction.args[0]?.value ?? ''), false);
        const before = state;
        state = stepState(state.args, state.env, wd, state.user, state.shell);
        const createdBy = `WORKDIR ${wd}`;
        if (wd !== '/') {
          steps.push({
            stage: stage.index,
            line,
            instruction,
            text: instructionText(instruction),
            kind: 'WORKDIR',
            state: before,
            createdBy,
            mkdir: { path: cleanPath(wd), user: before.user },
          });
        }
        history.push({ line, createdBy, emptyLayer: wd === '/' });
        break;
      }
      case 'USER': {
        const user = x(instruction.args[0]?.value ?? '');
        state = stepState(state.args, state.env, state.workdir, user, state.shell);
        history.push({ line, createdBy: `USER ${user}`, emptyLayer: true });
        break;
      }
      case 'SHELL': {
        const shell = argValues(instruction);
        state = stepState(state.args, state.env, state.workdir, state.user, shell);
        history.push({ line, createdBy: `SHELL [${shell.join(' ')}]`, emptyLayer: true });
        break;
      }
      case 'RUN': {
        const step = runStep(instruction, state, stage.index, expansion, ctx);
        steps.push(step);
        history.push({ line, createdBy: step.createdBy, emptyLayer: false });
        break;
      }
      case 'COPY':
      case 'ADD': {
        const step = copyStep(instruction, state, stage.index, x, ctx);
        steps.push(step);
        history.push({ line, createdBy: step.createdBy, emptyLayer: false });
        break;
      }
      case 'ONBUILD':
        break;
      default:
        history.push({ line, createdBy: configHistory(instruction, state, expansion), emptyLayer: true });
    }
  }
  stage.steps = steps;
  stage.history = history;
  stage.finalState = state;
}

/** A new state (StepState objects are never changed: steps keep the one they ran in), in one shape. */
function stepState(args: ArgBinding[], env: EnvEntry[], workdir: string, user: string, shell: string[]): StepState {
  return { args, env, workdir, user, shell };
}

function reachableSteps(stages: readonly Stage[]): Step[] {
  const steps: Step[] = [];
  for (const stage of stages) if (stage.reachable) for (const step of stage.steps) steps.push(step);
  return steps;
}

/** The argument values as written (BuildKit's `Node.Next` strings). */
function argValues(instruction: Instruction): string[] {
  const args = instruction.args;
  const values = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = args[i].value;
  return values;
}

/**
 * `|N K=V … args` (runCommandString): declared ARGs in declaration order, deduplicated, valued from the env; then
 * the process arguments, space-separated.
 */
function runCommandString(args: readonly string[], state: StepState, expansion: Expansion): string {
  let out = '';
  if (state.args.length > 0) {
    const env = expansion.env();
    const values = new Map<string, string>();
    for (const arg of state.args) values.set(arg.name, env.get(arg.name) ?? arg.value ?? '');
    out = `|${values.size}`;
    for (const key of values.keys()) out += ` ${key}=${values.get(key)}`;
  }
  for (let i = 0; i < args.length; i++) out += i === 0 && out === '' ? args[i] : ` ${args[i]}`;
  return out;
}

/** The shell the last RUN ran with, and `RUN ` + its words + ` ` (runCommandString without declared ARGs). */
let lastShell: readonly string[] = [];
let lastPrefix = 'RUN ';

/** The created_by text before a shell-form command when no ARG is declared (made once per SHELL, not per RUN). */
function runPrefix(shell: readonly string[]): string {
  if (shell !== lastShell) {
    lastShell = shell;
    lastPrefix = shell.length === 0 ? 'RUN ' : `RUN ${shell.join(' ')} `;
  }
  return lastPrefix;
}

/**
 * A shell-form RUN with heredocs, as dispatchRun runs it: a command that is a single heredoc word runs that body
 * (tabs chomped for `<<-`), or — when the body starts with `#!` — the file `/dev/pipes/NAME` holding it (mounted from
 * an inline document); any other command is joined back with every body for the shell to read.
 */
function heredocCommand(command: string, instruction: Instruction): { command: string; script?: string } {
  const [first] = instruction.heredocs;
  if (!first) return { command };
  const chomp = (text: string, yes: boolean) => (yes ? text.replace(/^\t+/gm, '') : text);
  if (parseHeredocWord(command)) {
    if (first.content.startsWith('#!')) return { command: `/dev/pipes/${first.name}`, script: chomp(first.content, first.chomp) };
    return { command: chomp(first.content, first.chomp) };
  }
  return { command: instruction.heredocs.reduce((full, doc) => `${full}\n${doc.content}${doc.name}`, command) };
}

function runStep(instruction: Instruction, state: StepState, stage: number, expansion: Expansion, ctx: DispatchContext): Step {
  const shellForm = !instruction.json;
  let args: string[];
  let script: string | undefined;
  if (shellForm) {
    const written = instruction.command?.text ?? argValues(instruction).join(' ');
    let command = written;
    if (instruction.heredocs.length > 0) ({ command, script } = heredocCommand(written, instruction));
    args = [...state.shell, command];
  } else args = argValues(instruction);
  const mounts: Mount[] = [];
  let network: string | undefined;
  let security: string | undefined;
  let networkSeen = false;
  let securitySeen = false;
  for (const flag of instruction.flags) {
    if (flag.name === 'mount') {
      try {
        const mount = parseMount(flag.value ?? '', expansion.x);
        if (mount.from !== undefined) mount.fromStage = ctx.stageByRef(mount.from);
        mounts.push(mount);
      } catch (error) {
        if (!(error instanceof MountError)) throw error;
        if (!ctx.recover) throw errorAt(instruction, error.message);
      }
    } else if (flag.name === 'network' && !networkSeen) {
      networkSeen = true;
      network = flag.value;
    } else if (flag.name === 'security' && !securitySeen) {
      securitySeen = true;
      security = flag.value;
    }
  }
  const run: NonNullable<Step['run']> = {
    args,
    shellForm,
    mounts,
    network: network ?? 'default',
    security: security ?? 'sandbox',
  };
  if (script !== undefined) run.script = script;
  return {
    stage,
    line: instruction.range.start.line,
    instruction,
    text: instructionText(instruction),
    kind: 'RUN',
    state,
    createdBy:
      shellForm && state.args.length === 0
        ? `${runPrefix(state.shell)}${args[args.length - 1]} # buildkit`
        : `RUN ${runCommandString(args, state, expansion)} # buildkit`,
    run,
  };
}

function classifySource(path: string, isAdd: boolean, from: string | undefined): CopySource['kind'] {
  if (startsWithAt(path, '<<')) return 'heredoc';
  if (from !== undefined) return 'stage';
  if (isAdd && /^https?:\/\//i.test(path)) return 'url';
  if (isAdd && (/^git@|\.git(#|$)/.test(path) || /^(https?|ssh|git):\/\/.*\.git/.test(path))) return 'git';
  return 'context';
}

/** The COPY/ADD flags the model reads: the first of each name (as BuildKit's flag parser keeps), every --exclude. */
interface CopyFlags {
  from?: Flag;
  chown?: Flag;
  chmod?: Flag;
  parents?: Flag;
  link?: Flag;
  checksum?: Flag;
  unpack?: Flag;
  'keep-git-dir'?: Flag;
  exclude: Flag[];
}

/** Every field present, in one order: one object shape for copyStep's reads (a shape per flag set made them slow). */
function noCopyFlags(exclude: Flag[]): CopyFlags {
  return {
    from: undefined,
    chown: undefined,
    chmod: undefined,
    parents: undefined,
    link: undefined,
    checksum: undefined,
    unpack: undefined,
    'keep-git-dir': undefined,
    exclude,
  };
}

/** What a COPY/ADD without flags (most) reads: nothing set (never changed). */
const NO_COPY_FLAGS: Readonly<CopyFlags> = noCopyFlags([]);

function copyFlags(instruction: Instruction): Readonly<CopyFlags> {
  if (instruction.flags.length === 0) return NO_COPY_FLAGS;
  const flags = noCopyFlags([]);
  for (const flag of instruction.flags) {
    switch (flag.name) {
      case 'exclude':
        flags.exclude.push(flag);
        break;
      case 'from':
      case 'chown':
      case 'chmod':
      case 'parents':
      case 'link':
      case 'checksum':
      case 'unpack':
      case 'keep-git-dir':
        flags[flag.name] ??= flag;
    }
  }
  return flags;
}

function copyStep(
  instruction: Instruction,
  state: StepState,
  stage: number,
  x: (w: string) => string,
  ctx: DispatchContext,
): Step {
  const isAdd = instruction.name === 'ADD';
  const flags = copyFlags(instruction);
  const flagValue = (f: Flag | undefined) => (f === undefined ? undefined : x(f.value ?? ''));
  const args = instruction.args;
  if (args.length < 2 && !ctx.recover) throw errorAt(instruction, `${instruction.name} requires at least two arguments`);
  const from = flags.from?.value;
  const fromStage = from === undefined ? undefined : ctx.stageByRef(from);
  const sources: CopySource[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    const word = args[i].value;
    const path = startsWithAt(word, '<<') ? word : x(word);
    sources.push({ path, kind: classifySource(path, isAdd, from) });
  }
  const destRaw = x(args[args.length - 1]?.value ?? '');
  const heredocs: Record<string, string> = {};
  for (const h of instruction.heredocs) heredocs[h.name] = h.content;
  const chown = flagValue(flags.chown);
  const chmod = flagValue(flags.chmod);
  const parents = flags.parents !== undefined && flags.parents.value !== 'false';
  const link = flags.link !== undefined && flags.link.value !== 'false';
  const excludes = flags.exclude.map((f) => x(f.value ?? ''));
  let createdBy = instruction.name;
  if (parents) createdBy += ' --parents';
  if (chown) createdBy += ` --chown=${chown}`;
  if (chmod) createdBy += ` --chmod=${chmod}`;
  for (const s of sources) createdBy += s.kind === 'heredoc' ? ` <<${s.path.replace(/^<<-?/, '')}` : ` ${s.path}`;
  createdBy += ` ${destRaw} # buildkit`;
  return {
    stage,
    line: instruction.range.start.line,
    instruction,
    text: instructionText(instruction),
    kind: isAdd ? 'ADD' : 'COPY',
    state,
    createdBy,
    copy: {
      sources,
      dest: destRelativeToWorkdir(state.workdir, destRaw),
      from,
      fromStage,
      chown,
      chmod,
      link,
      parents,
      excludes,
      checksum: flagValue(flags.checksum),
      unpack: flagValue(flags.unpack),
      keepGitDir: flagValue(flags['keep-git-dir']),
      heredocs,
    },
  };
}

/** created_by of config-only instructions (§D of the semantics notes). */
function configHistory(instruction: Instruction, state: StepState, expansion: Expansion): string {
  const x = expansion.x;
  switch (instruction.name) {
    case 'LABEL': {
      let out = 'LABEL ';
      const pairs = instruction.pairs ?? [];
      for (let i = 0; i < pairs.length; i++) out += `${i > 0 ? ' ' : ''}${x(pairs[i].key.value)}=${x(pairs[i].value.value)}`;
      return out;
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      // Exec form: the arguments; shell form: the shell, then the command text; each Go-quoted.
      let out = `${instruction.name} [`;
      if (instruction.json) {
        const args = instruction.args;
        for (let i = 0; i < args.length; i++) out += i > 0 ? ` ${goQuote(args[i].value)}` : goQuote(args[i].value);
      } else {
        const shell = state.shell;
        for (let i = 0; i < shell.length; i++) out += i > 0 ? ` ${goQuote(shell[i])}` : goQuote(shell[i]);
        const command = goQuote(instruction.command?.text ?? argValues(instruction).join(' '));
        out += shell.length > 0 ? ` ${command}` : command;
      }
      return `${out}]`;
    }
    case 'VOLUME':
      return `VOLUME [${argValues(instruction).map(x).join(' ')}]`;
    case 'EXPOSE': {
      // Every word of every argument, `/tcp` added where no protocol is given.
      let out = 'EXPOSE [';
      let first = true;
      for (const arg of instruction.args) {
        for (const port of expansion.words(arg.value)) {
          if (!first) out += ' ';
          first = false;
          out += port.includes('/') ? port : `${port}/tcp`;
        }
      }
      return `${out}]`;
    }
    case 'STOPSIGNAL':
      return `STOPSIGNAL ${x(instruction.args[0]?.value ?? '')}`;
    default:
      return `${instruction.name} ${argValues(instruction).join(' ')}`;
  }
}

/** The stages a build of `target` needs: the target and, transitively, every stage it reads (FROM, COPY --from, mounts). */
export function neededStages(stages: readonly Pick<Stage, 'deps'>[], target: number): Set<number> {
  // Depth first, in the order a recursive walk visits them (the set's order), without a closure per call.
  const needed = new Set<number>();
  const stack = [target];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (needed.has(i)) continue;
    needed.add(i);
    const deps = stages[i].deps;
    for (let d = deps.length - 1; d >= 0; d--) stack.push(deps[d]);
  }
  return needed;
}
