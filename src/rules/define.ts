/**
 * What a rule is: one value made by `defineRule` in `src/rules/<id>.ts` — its metadata, its documentation (from
 * which docs/rules/<id>.md is generated), its messages and a `create(ctx)` that returns visitors for the
 * instructions it cares about. A rule reports through `ctx.report`; it never decides severity, ignores or output.
 */
import type { Dockerfile, Instruction, InstructionName, Range } from '../dockerfile/index.js';
import type { RunScript } from './knowledge/scripts.js';
import type { Stages } from './knowledge/stages.js';

export type Severity = 'error' | 'warning' | 'info';
/** Most severe first: a failure threshold fails on its own level and every level before it. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** What a finding costs: build cache, image size, a broken build, or risk. */
export type RuleTag = 'cache' | 'size' | 'correctness' | 'security';
export const RULE_TAGS: readonly RuleTag[] = ['cache', 'size', 'correctness', 'security'];

/** Lifecycle, as in Ruff: ids are permanent; `removed` rules stay listed so configs naming them keep working. */
export type RuleStatus = 'stable' | 'preview' | 'deprecated' | 'removed';
export type Fixability = 'never' | 'sometimes' | 'always';

/** Replace `source.slice(start, end)` with `text` (offsets are JavaScript string indices into the Dockerfile). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * A set of edits applied together. `safe`: the image and its cache behaviour stay as intended (`--fix` applies
 * it); `unsafe`: it could change what a layer contains (shown, never applied by `--fix`).
 */
export interface Fix {
  safety: 'safe' | 'unsafe';
  edits: TextEdit[];
  /**
   * What the edits do to the RUN layout (src/fix checks it): `split` cuts a RUN into several, `merge` joins RUNs,
   * `move` carries whole commands to another RUN. Such a fix may move RUN boundaries at its edits but must keep every
   * command it touches word for word. Without it, the edits change words inside commands (or add the commands the
   * rule means) and no RUN boundary may move.
   */
  structure?: 'split' | 'merge' | 'move';
}

/** An alternative the user may pick; never applied automatically. */
export interface Suggestion {
  description: string;
  edits: TextEdit[];
}

export interface RuleDocs {
  /** One sentence, shown in tables and SARIF `shortDescription`. */
  description: string;
  whatItDoes: string;
  /** Why it matters, stated as a cost: cache misses, bytes, a failed build. */
  why: string;
  /** A Dockerfile that the rule reports. */
  example: string;
  /** The same Dockerfile written so that it does not. */
  useInstead: string;
  fixSafety: string;
  /** The options, when the rule has any. */
  options?: string;
  /** URLs. */
  references: string[];
}

/** Anything with a source range: an instruction, a flag, an argument, a heredoc… */
export interface Located {
  range: Range;
}

export interface ReportDescriptor<MessageId extends string> {
  /** What the finding is about. An instruction is reported on its first line; any other node exactly. */
  node?: Instruction | Located;
  /** An exact range (wins over `node`); offsets into the Dockerfile source. */
  range?: Range | { start: number; end: number };
  messageId: MessageId;
  /** Values for the message's `{{name}}` placeholders. */
  data?: Record<string, string | number>;
  fix?: Fix;
  suggest?: Suggestion[];
  /** Why no fix is offered where the rule can sometimes fix (shown by `lint --fix` as a refused fix). */
  unfixable?: string;
}

/** Rule settings that are not per-rule options (from .layerwise.yaml). */
export interface LintSettings {
  /** Registries whose images are trusted (empty: no restriction). */
  trustedRegistries: readonly string[];
}

/**
 * A read-only view of the build context, for rules that can use it (which manifests exist). Paths are relative to the
 * context root, slash-separated, without `./`. Files the context's .dockerignore excludes do not exist here: BuildKit
 * never sends them. The CLI fills it from the Dockerfile's directory (or `--context DIR`); rules stay pure.
 */
export interface BuildContextView {
  /** Whether a regular file is at `path` in the context (after .dockerignore). */
  exists(path: string): boolean;
  /** The text of a small file (a manifest), or undefined when it does not exist or is not readable as text. */
  read?(path: string): string | undefined;
}

/** What one lint run has worked out about the tree, shared by every rule (helpers that only read take this). */
export interface Analysis {
  readonly ast: Dockerfile;
  /** The tree's stages and build model, with this run's build args (knowledge/stages.ts), worked out once per run. */
  readonly stages: Stages;
  /** What a RUN executes, analysed once per lint run (knowledge/scripts.ts). */
  runScript(instruction: Instruction): RunScript;
}

export interface RuleContext<Options, MessageId extends string> extends Analysis {
  readonly id: string;
  readonly source: string;
  /** The file name as given to lint (for messages only). */
  readonly file: string;
  /** The rule's defaultOptions overlaid with the configured ones. */
  readonly options: Options;
  /** `--build-arg` values: they override ARG defaults, as in a real build. */
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly settings: LintSettings;
  /** The build context, when the caller has one (absent: rules judge the Dockerfile alone). */
  readonly context?: BuildContextView;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

type InstructionVisitor = (instruction: Instruction) => void;

/** Visitors: `Dockerfile` once first, `Instruction` and the instruction's own name for each top-level instruction in order, `'Dockerfile:exit'` last. */
export type Visitors = {
  Dockerfile?: (ast: Dockerfile) => void;
  Instruction?: InstructionVisitor;
  'Dockerfile:exit'?: (ast: Dockerfile) => void;
} & { [Name in InstructionName]?: InstructionVisitor };

export interface RuleDefinition<Options extends object, MessageId extends string> {
  /** kebab-case, permanent, equal to the file name. */
  id: string;
  status: RuleStatus;
  /** The version that introduced the rule. */
  since: string;
  severity: Severity;
  tags: RuleTag[];
  fix: Fixability;
  /** Every fix of the rule is unsafe: `lint --fix` shows why it offers none only when its unsafe fixes are allowed. */
  fixesUnsafe?: boolean;
  /** Message templates with `{{name}}` placeholders. */
  messages: Record<MessageId, string>;
  docs: RuleDocs;
  defaultOptions: Options;
  /** hadolint codes this rule stands in for (their ignore pragmas and config entries apply to it). */
  hadolint?: string[];
  /** The BuildKit check it corresponds to (`# check=skip=<name>` turns it off). */
  buildkit?: string;
  create(ctx: RuleContext<Options, MessageId>): Visitors;
}

export type Rule<Options extends object = object, MessageId extends string = string> = Readonly<
  RuleDefinition<Options, MessageId>
>;

/** A rule of any options and messages, as lists and the engine hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a list of differently-typed rules needs the widest type
export type AnyRule = Rule<any, string>;

/** Declares a rule; the identity function with the types spelled out (and a frozen result). */
export function defineRule<Options extends object, MessageId extends string>(
  definition: RuleDefinition<Options, MessageId>,
): Rule<Options, MessageId> {
  return Object.freeze(definition);
}

/**
 * A message template cut at its placeholders once: literal text at even indices, placeholder names at odd ones. The
 * templates are the rules' constant messages, so the cache stays as small as the rule set.
 */
const compiled = new Map<string, readonly string[]>();

function compile(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{\{\s*(\w+)\s*\}\}/);
    compiled.set(template, parts);
  }
  return parts;
}

/** Fills `{{name}}` placeholders; a placeholder without a value is a bug in the rule. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  const parts = compile(template);
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    if (!(name in data)) throw new Error(`message placeholder {{${name}}} has no value`);
    text += String(data[name]) + parts[i + 1];
  }
  return text;
}
