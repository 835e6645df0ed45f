/**
 * The build model: what BuildKit's Dockerfile frontend (dockerfile2llb) builds from an AST, build args and a target —
 * stages, the steps it numbers, and the exact state each step runs in. Data only; see build.ts for the rules.
 */
import type { Instruction } from '../dockerfile/ast.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What is known of a base image (all optional: unknown parts are treated as "the same image, same config"). */
export interface BaseImageInfo {
  /** The manifest digest (or image ID), when resolved: shown in reasons. */
  digest?: string;
  /**
   * The ChainID of the image's layers, when resolved: what BuildKit's cache matches a base image by (besides the
   * manifest digest), so a re-push with the same layers and another config is the same base.
   */
  layers?: string;
  /** The image ID (config digest), when resolved: the classic builder matches its cache by the parent image ID. */
  id?: string;
  env?: string[];
  workingDir?: string;
  user?: string;
  shell?: string[];
}

export interface ModelOptions {
  /** `--build-arg K=V` values (undeclared ones are ignored, except proxy args which BuildKit passes to RUN). */
  buildArgs?: Readonly<Record<string, string>>;
  /** `--target`: a stage name (case-insensitive); default the last stage. */
  target?: string;
  /** The target platform; default linux/amd64 (also used as the build platform). */
  platform?: Platform;
  /** Known base image configs by reference as written after expansion (e.g. `debian:bookworm`). */
  baseImages?: Readonly<Record<string, BaseImageInfo>>;
  /** The classic builder builds every stage up to the target, needed or not. */
  allStagesUpToTarget?: boolean;
  /**
   * Lint mode: where BuildKit would refuse the file (an instruction before the first FROM, a malformed FROM, a word
   * it cannot expand, a bad mount, a COPY without a destination), keep a best-effort model instead of throwing —
   * the word stays unexpanded, the instruction or mount is left out — so a linter can still judge the rest.
   */
  recover?: boolean;
}

/** One environment entry in BuildKit's order; `base` marks the (unknown) environment of a base image. */
export type EnvEntry = { key: string; value: string } | { base: string };

export interface ArgBinding {
  name: string;
  /** Undefined: declared without a value. */
  value: string | undefined;
}

export interface Mount {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
  target: string;
  /** bind/cache: `from` (a stage name or index, or an image); undefined = the build context (bind) or none. */
  from?: string;
  /** The stage index `from` names, when it names a stage. */
  fromStage?: number;
  source?: string;
  readonly: boolean;
  /** cache: id as written (default: the cleaned target); sharing (default shared). */
  id?: string;
  sharing?: string;
  /** Other options as written (uid, gid, mode, size, required, env), for the key. */
  options: Record<string, string>;
}

export interface StepState {
  /** Declared ARGs in scope, in declaration order (deduplicated by the history string, not here). */
  args: ArgBinding[];
  /** The environment list the step runs with (base image env, ENV, valued ARGs), latest assignment last. */
  env: EnvEntry[];
  /** The working directory string as the state holds it (absolute paths are kept as written: `/app/`). */
  workdir: string;
  user: string;
  shell: string[];
}

export type StepKind = 'FROM' | 'RUN' | 'COPY' | 'ADD' | 'WORKDIR';

export interface CopySource {
  /** The source path after expansion, as written (a URL or git ref for ADD). */
  path: string;
  kind: 'context' | 'stage' | 'image' | 'url' | 'git' | 'heredoc';
}

export interface Step {
  kind: StepKind;
  stage: number;
  /** 1-based line of the instruction in the Dockerfile. */
  line: number;
  instruction: Instruction;
  /** The instruction text as printed in progress output (keyword and arguments, unexpanded). */
  text: string;
  /** The state the step runs in (for WORKDIR: the state before it). */
  state: StepState;
  /** The `docker history` created_by string this step leaves. */
  createdBy: string;
  run?: {
    /** The process arguments: shell + command text for shell form, the JSON strings for exec form. */
    args: string[];
    shellForm: boolean;
    mounts: Mount[];
    network: string;
    security: string;
    /** A `#!` heredoc body BuildKit mounts at `/dev/pipes/NAME` and runs (part of the key through that mount). */
    script?: string;
  };
  copy?: {
    sources: CopySource[];
    /** The destination resolved against WORKDIR, trailing slash kept. */
    dest: string;
    from?: string;
    fromStage?: number;
    chown?: string;
    chmod?: string;
    link: boolean;
    parents: boolean;
    excludes: string[];
    checksum?: string;
    unpack?: string;
    keepGitDir?: string;
    /** Inline heredoc sources: name → content. */
    heredocs: Record<string, string>;
  };
  /** WORKDIR: the directory created (cleaned) and the user that owns it. */
  mkdir?: { path: string; user: string };
  /** FROM with an image: the reference after expanding meta ARGs. */
  image?: string;
  platform?: string;
}

export interface HistoryEntry {
  line: number;
  createdBy: string;
  emptyLayer: boolean;
}

export interface Stage {
  index: number;
  /** The `AS` name, lower-cased; undefined when unnamed. */
  name?: string;
  /** How BuildKit labels it in progress output: the name, or `stage-N`. */
  label: string;
  line: number;
  /** The stage's FROM instruction. */
  from: Instruction;
  base: { kind: 'image'; ref: string; info?: BaseImageInfo } | { kind: 'stage'; stage: number } | { kind: 'scratch' };
  platform?: string;
  instructions: Instruction[];
  /** Whether BuildKit dispatches it for the chosen target. */
  reachable: boolean;
  /** Stages this one reads (base, COPY --from, RUN --mount from=). */
  deps: number[];
  steps: Step[];
  /** Every instruction's history entry (config-only ones included); ONBUILD leaves none. */
  history: HistoryEntry[];
  /** The state after the last instruction. */
  finalState: StepState;
}

export interface BuildModel {
  stages: Stage[];
  /** The target platform as `os/arch[/variant]` (a stage's own `--platform` may differ). */
  platform: string;
  target: number;
  /** Meta (global) ARGs with their values after build args. */
  metaArgs: ArgBinding[];
  /** Steps of reachable stages in build order (stage order, then instruction order). */
  steps: Step[];
  /** Build args given but declared nowhere (BuildKit warns about them; proxy args still reach RUN). */
  unusedBuildArgs: string[];
}
