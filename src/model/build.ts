/**
 * From a parsed Dockerfile, build args and a target to BuildKit's build model (dockerfile2llb's dispatch): which
 * stages are reachable, the steps it numbers, and each step's state — ARG scoping (meta ARGs, defaults, build args,
 * inheritance through `FROM <stage>`, automatic platform args), the environment in latest-assignment order, WORKDIR,
 * USER, SHELL — with variables expanded exactly where BuildKit expands them. Pure.
 */
import type { Dockerfile, Instruction } from '../dockerfile/ast.js';
import { ParseError } from '../dockerfile/errors.js';
import { goQuote } from '../dockerfile/go-quote.js';
import { parseHeredocWord } from '../dockerfile/heredoc-words.js';
import { expandWord, expandWords, WordError } from '../dockerfile/words.js';
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
  Platform,
  Stage,
  Step,
  StepState,
} from './types.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];
/** Build args BuildKit never puts in a RUN environment (`nonEnvArgs`). */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function platformArgs(p: Platform): [string, string][] {
  const text = `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
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

interface StageDraft {
  stage: Stage;
}

/** Splits `K=V` (or `K`) as instructions.parseArg does: at the first `=`, the value keeping its quotes. */
function splitArg(word: string): { key: string; value: string | undefined } {
  const eq = word.indexOf('=');
  return eq < 0 ? { key: word, value: undefined } : { key: word.slice(0, eq), value: word.slice(eq + 1) };
}

/** The instruction as progress output names it: upper-case keyword, the rest as written. */
export function instructionText(instruction: Instruction): string {
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
  let globals = new Map<string, string>(platformArgs(platform));
  const metaArgs: ArgBinding[] = [];
  const declared = new Set<string>();
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
      declared.add(key);
      let resolved: string | undefined;
      if (key in buildArgs) resolved = buildArgs[key];
      else if (value !== undefined) resolved = expand(instruction, value, globals);
      if (resolved !== undefined) globals = new Map(globals).set(key, resolved);
      metaArgs.push({ name: key, value: resolved });
    }
  }

  // Stages.
  const drafts: StageDraft[] = [];
  for (; index < instructions.length; index++) {
    const instruction = instructions[index];
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
      const stageIndex = drafts.length;
      const baseStage = drafts.findIndex((d) => d.stage.name !== undefined && d.stage.name === ref.toLowerCase());
      const base: Stage['base'] =
        baseStage >= 0
          ? { kind: 'stage', stage: baseStage }
          : ref === 'scratch'
            ? { kind: 'scratch' }
            : { kind: 'image', ref, info: options.baseImages?.[ref] };
      drafts.push({
        stage: {
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
          finalState: { args: [], env: [], workdir: '/', user: '', shell: DEFAULT_SHELL },
        },
      });
    } else drafts[drafts.length - 1].stage.instructions.push(instruction);
  }
  if (drafts.length === 0 && !options.recover) throw new ParseError('file with no instructions', 1, 1);
  const stages = drafts.map((d) => d.stage);

  const stageByRef = (ref: string): number | undefined => {
    const byName = stages.findIndex((s) => s.name !== undefined && s.name === ref.toLowerCase());
    if (byName >= 0) return byName;
    if (/^\d+$/.test(ref) && Number(ref) < stages.length) return Number(ref);
    return undefined;
  };
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
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
  }

  let target = stages.length - 1;
  if (options.target !== undefined) {
    const found = stages.findIndex((s) => s.name === options.target?.toLowerCase());
    if (found < 0) throw new ParseError(`target stage "${options.target}" could not be found`, 1, 1);
    target = found;
  }
  for (const i of target >= 0 ? neededStages(stages, target) : []) stages[i].reachable = true;
  if (options.allStagesUpToTarget) for (const stage of stages) if (stage.index <= target) stage.reachable = true;

  const used = new Set<string>();
  for (const stage of stages) {
    if (!stage.reachable) continue;
    dispatchStage(stage, stages, { buildArgs, globals, expand, stageByRef, used, platform, recover: options.recover === true });
  }
  for (const arg of metaArgs) used.add(arg.name);
  const unusedBuildArgs = Object.keys(buildArgs).filter((k) => !used.has(k) && !declared.has(k));
  return {
    stages,
    platform: platformArgs(platform)[0][1],
    target,
    metaArgs,
    steps: stages.filter((s) => s.reachable).flatMap((s) => s.steps),
    unusedBuildArgs,
  };
}

interface DispatchContext {
  buildArgs: Readonly<Record<string, string>>;
  globals: ReadonlyMap<string, string>;
  expand: (instruction: Instruction, word: string, env: ReadonlyMap<string, string>) => string;
  stageByRef: (ref: string) => number | undefined;
  used: Set<string>;
  platform: Platform;
  recover: boolean;
}

function initialState(stage: Stage, stages: Stage[]): StepState {
  if (stage.base.kind === 'stage') {
    const parent = stages[stage.base.stage].finalState;
    return { ...parent, args: [...parent.args], env: [...parent.env] };
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
  return { args: [], env, workdir, user, shell };
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
  for (const instruction of stage.instructions) {
    const env = envMap(state.env);
    const line = instruction.range.start.line;
    const text = instructionText(instruction);
    const x = (word: string) => ctx.expand(instruction, word, env);
    const base = { stage: stage.index, line, instruction, text };
    switch (instruction.name) {
      case 'ARG': {
        const parts: string[] = [];
        for (const arg of instruction.args) {
          const { key, value: def } = splitArg(arg.value);
          ctx.used.add(key);
          let value: string | undefined;
          if (key in ctx.buildArgs) value = ctx.buildArgs[key];
          else if (def !== undefined) value = x(def);
          else if (ctx.globals.has(key)) value = ctx.globals.get(key);
          if (value !== undefined && !NON_ENV_ARGS.has(key)) state = { ...state, env: addEnv(state.env, key, value) };
          state = { ...state, args: [...state.args, { name: key, value }] };
          parts.push(value === undefined ? key : `${key}=${value}`);
        }
        history.push({ line, createdBy: `ARG ${parts.join(' ')}`, emptyLayer: true });
        break;
      }
      case 'ENV': {
        const pairs = (instruction.pairs ?? []).map((p) => [x(p.key.value), x(p.value.value)] as const);
        let next = state.env;
        for (const [k, v] of pairs) next = addEnv(next, k, v);
        state = { ...state, env: next };
        history.push({ line, createdBy: `ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`, emptyLayer: true });
        break;
      }
      case 'WORKDIR': {
        const wd = normalizePath(state.workdir, x(instruction.args[0]?.value ?? ''), false);
        const before = state;
        state = { ...state, workdir: wd };
        if (wd !== '/') {
          steps.push({
            ...base,
            kind: 'WORKDIR',
            state: before,
            createdBy: `WORKDIR ${wd}`,
            mkdir: { path: cleanPath(wd), user: before.user },
          });
        }
        history.push({ line, createdBy: `WORKDIR ${wd}`, emptyLayer: wd === '/' });
        break;
      }
      case 'USER': {
        const user = x(instruction.args[0]?.value ?? '');
        state = { ...state, user };
        history.push({ line, createdBy: `USER ${user}`, emptyLayer: true });
        break;
      }
      case 'SHELL': {
        const shell = instruction.args.map((a) => a.value);
        state = { ...state, shell };
        history.push({ line, createdBy: `SHELL [${shell.join(' ')}]`, emptyLayer: true });
        break;
      }
      case 'RUN': {
        const step = runStep(instruction, state, base, x, ctx);
        steps.push(step);
        history.push({ line, createdBy: step.createdBy, emptyLayer: false });
        break;
      }
      case 'COPY':
      case 'ADD': {
        const step = copyStep(instruction, state, base, x, ctx);
        steps.push(step);
        history.push({ line, createdBy: step.createdBy, emptyLayer: false });
        break;
      }
      case 'ONBUILD':
        break;
      default:
        history.push({ line, createdBy: configHistory(instruction, state, x), emptyLayer: true });
    }
  }
  stage.steps = steps;
  stage.history = history;
  stage.finalState = state;
}

/** `|N K=V … args` (runCommandString): declared ARGs in declaration order, deduplicated, valued from the env. */
function runCommandString(args: string[], state: StepState): string {
  const env = envMap(state.env);
  const order: string[] = [];
  const values = new Map<string, string>();
  for (const arg of state.args) {
    if (!values.has(arg.name)) order.push(arg.name);
    values.set(arg.name, env.get(arg.name) ?? arg.value ?? '');
  }
  const prefix = order.length ? [`|${order.length}`, ...order.map((k) => `${k}=${values.get(k)}`)] : [];
  return [...prefix, ...args].join(' ');
}

type StepBase = Pick<Step, 'stage' | 'line' | 'instruction' | 'text'>;

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

function runStep(
  instruction: Instruction,
  state: StepState,
  base: StepBase,
  x: (w: string) => string,
  ctx: DispatchContext,
): Step {
  const shellForm = !instruction.json;
  const written = instruction.command?.text ?? instruction.args.map((a) => a.value).join(' ');
  const { command, script } = shellForm ? heredocCommand(written, instruction) : { command: written, script: undefined };
  const args = shellForm ? [...state.shell, command] : instruction.args.map((a) => a.value);
  const mounts = instruction.flags
    .filter((f) => f.name === 'mount')
    .flatMap((f) => {
      try {
        const mount = parseMount(f.value ?? '', x);
        if (mount.from !== undefined) mount.fromStage = ctx.stageByRef(mount.from);
        return [mount];
      } catch (error) {
        if (error instanceof MountError && ctx.recover) return [];
        if (error instanceof MountError) throw errorAt(instruction, error.message);
        throw error;
      }
    });
  const network = instruction.flags.find((f) => f.name === 'network')?.value ?? 'default';
  const security = instruction.flags.find((f) => f.name === 'security')?.value ?? 'sandbox';
  return {
    ...base,
    kind: 'RUN',
    state,
    createdBy: `RUN ${runCommandString(args, state)} # buildkit`,
    run: { args, shellForm, mounts, network, security, ...(script === undefined ? {} : { script }) },
  };
}

function classifySource(path: string, isAdd: boolean, from: string | undefined): CopySource['kind'] {
  if (path.startsWith('<<')) return 'heredoc';
  if (from !== undefined) return 'stage';
  if (isAdd && /^https?:\/\//i.test(path)) return 'url';
  if (isAdd && (/^git@|\.git(#|$)/.test(path) || /^(https?|ssh|git):\/\/.*\.git/.test(path))) return 'git';
  return 'context';
}

function copyStep(
  instruction: Instruction,
  state: StepState,
  base: StepBase,
  x: (w: string) => string,
  ctx: DispatchContext,
): Step {
  const isAdd = instruction.name === 'ADD';
  const flag = (name: string) => instruction.flags.find((f) => f.name === name);
  const flagValue = (name: string) => {
    const f = flag(name);
    return f === undefined ? undefined : x(f.value ?? '');
  };
  const words = instruction.args.map((a) => a.value);
  if (words.length < 2 && !ctx.recover) throw errorAt(instruction, `${instruction.name} requires at least two arguments`);
  const from = flag('from')?.value;
  const fromStage = from === undefined ? undefined : ctx.stageByRef(from);
  const sourcesRaw = words.slice(0, -1).map((w) => (w.startsWith('<<') ? w : x(w)));
  const destRaw = x(words[words.length - 1] ?? '');
  const heredocs: Record<string, string> = {};
  for (const h of instruction.heredocs) heredocs[h.name] = h.content;
  const sources: CopySource[] = sourcesRaw.map((path) => ({ path, kind: classifySource(path, isAdd, from) }));
  const chown = flagValue('chown');
  const chmod = flagValue('chmod');
  const parents = flag('parents') !== undefined && flag('parents')?.value !== 'false';
  const link = flag('link') !== undefined && flag('link')?.value !== 'false';
  const excludes = instruction.flags.filter((f) => f.name === 'exclude').map((f) => x(f.value ?? ''));
  const message = [instruction.name];
  if (parents) message.push('--parents');
  if (chown) message.push(`--chown=${chown}`);
  if (chmod) message.push(`--chmod=${chmod}`);
  for (const s of sources) message.push(s.kind === 'heredoc' ? `<<${s.path.replace(/^<<-?/, '')}` : s.path);
  message.push(destRaw);
  return {
    ...base,
    kind: isAdd ? 'ADD' : 'COPY',
    state,
    createdBy: `${message.join(' ')} # buildkit`,
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
      checksum: flagValue('checksum'),
      unpack: flagValue('unpack'),
      keepGitDir: flagValue('keep-git-dir'),
      heredocs,
    },
  };
}

/** created_by of config-only instructions (§D of the semantics notes). */
function configHistory(instruction: Instruction, state: StepState, x: (w: string) => string): string {
  const args = instruction.args.map((a) => a.value);
  const goList = (items: string[]) => `[${items.map(goQuote).join(' ')}]`;
  switch (instruction.name) {
    case 'LABEL':
      return `LABEL ${(instruction.pairs ?? []).map((p) => `${x(p.key.value)}=${x(p.value.value)}`).join(' ')}`;
    case 'CMD':
    case 'ENTRYPOINT':
      return `${instruction.name} ${goList(instruction.json ? args : [...state.shell, instruction.command?.text ?? args.join(' ')])}`;
    case 'VOLUME':
      return `VOLUME [${args.map(x).join(' ')}]`;
    case 'EXPOSE': {
      const ports = args.flatMap((a) => expandWords(a, envMap(state.env))).map((p) => (p.includes('/') ? p : `${p}/tcp`));
      return `EXPOSE [${ports.join(' ')}]`;
    }
    case 'STOPSIGNAL':
      return `STOPSIGNAL ${x(args[0] ?? '')}`;
    case 'MAINTAINER':
      return `MAINTAINER ${args.join(' ')}`;
    default:
      return `${instruction.name} ${args.join(' ')}`;
  }
}

/** The stages a build of `target` needs: the target and, transitively, every stage it reads (FROM, COPY --from, mounts). */
export function neededStages(stages: readonly Pick<Stage, 'deps'>[], target: number): Set<number> {
  const needed = new Set<number>();
  const visit = (i: number): void => {
    if (needed.has(i)) return;
    needed.add(i);
    for (const dep of stages[i].deps) visit(dep);
  };
  visit(target);
  return needed;
}
