/**
 * The lint engine, pure: Dockerfile text in, findings out. Parses, reads the ignore pragmas, runs every enabled rule's
 * visitors over the instructions, and turns reports into findings with positions, severities and fixes.
 */
import { type Dockerfile, type Instruction, ParseError, parseDockerfile, positionAt, type Range } from '../dockerfile/index.js';
import { DEFAULT_CONFIG, type LintConfig } from './config.js';
import {
  type AnyRule,
  type BuildContextView,
  type Fix,
  formatMessage,
  type LintSettings,
  type Located,
  type ReportDescriptor,
  type RuleContext,
  type Severity,
  type Suggestion,
  type TextEdit,
  type Visitors,
} from './define.js';
import { type RunScripts, runScripts } from './knowledge/scripts.js';
import { analysed } from './knowledge/stages.js';
import { collectSuppressions, isSuppressed, type Suppressions } from './pragmas.js';
import { rules as allRules } from './registry.js';

export interface Finding {
  rule: string;
  /** Which of the rule's messages (for tests and tools; the text is in `message`). */
  messageId: string;
  severity: Severity;
  message: string;
  /** 1-based; columns count UTF-16 code units; the end is exclusive (the position after the last character). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets into the source (end exclusive). */
  offset: number;
  endOffset: number;
  /** Whether `--fix` would fix it: there is a fix and it is safe. */
  fixable: boolean;
  fix?: Fix;
  suggestions?: Suggestion[];
  /** Why the rule offers no fix here (when it can fix other cases). */
  unfixable?: string;
}

export interface LintOptions {
  /** The name shown in messages and errors. Default `Dockerfile`. */
  file?: string;
  config?: LintConfig;
  /** `--build-arg` values, as a map or `K=V` strings. */
  buildArgs?: ReadonlyMap<string, string> | readonly string[];
  /** The rules to run (default: all of them). */
  rules?: readonly AnyRule[];
  /** The build context, for context-aware rules (see BuildContextView). */
  context?: BuildContextView;
  /** The tree of `text` when the caller has parsed it already (lint --fix checks each fixed text by parsing it). */
  parsed?: Dockerfile;
}

export interface LintResult {
  file: string;
  source: string;
  findings: Finding[];
  /** Set when the file does not parse (then there are no findings). */
  parseError?: ParseError;
  /** The syntax tree, when it parsed. */
  ast?: Dockerfile;
}

/** Lints one Dockerfile's text. Throws only for bugs (a rule that crashes); bad input is `parseError`. */
export function lint(text: string, options: LintOptions = {}): LintResult {
  const file = options.file ?? 'Dockerfile';
  let ast: Dockerfile;
  try {
    ast = options.parsed?.source === text && options.parsed.file === file ? options.parsed : parseDockerfile(text, { file });
  } catch (error) {
    if (error instanceof ParseError) return { file, source: text, findings: [], parseError: error };
    throw error;
  }
  const plan = planFor(options.config ?? DEFAULT_CONFIG, options.rules ?? allRules);
  const buildArgs = toMap(options.buildArgs);
  // The build model every rule reads (knowledge/stages.ts) is built once per tree, with this run's build args, and
  // each RUN is analysed once, on first request, for every rule.
  const run: LintRun = {
    ast,
    file,
    runScript: runScripts(ast, analysed(ast, buildArgs)),
    buildArgs,
    context: options.context,
    suppressions: collectSuppressions(ast, plan.ruleSet),
    findings: [],
  };
  // Per visitor key, the rules listening to it: an instruction only meets the rules that visit its kind.
  const listeners = new Map<string, Listener[]>();
  for (const enabled of plan.enabled) {
    const rule = enabled.rule;
    const ctx = new Context(run, enabled, plan.settings);
    const visitors: Visitors = guarded(rule, file, () => rule.create(ctx));
    for (const key in visitors) {
      const visitor = visitors[key as keyof Visitors];
      if (typeof visitor !== 'function') continue;
      let list = listeners.get(key);
      if (!list) listeners.set(key, (list = []));
      list.push({ rule, visitor: visitor as (node: unknown) => void });
    }
  }

  visit(listeners.get('Dockerfile'), ast, file);
  const everyInstruction = listeners.get('Instruction');
  for (const instruction of ast.instructions) {
    visit(everyInstruction, instruction, file);
    if (instruction.known) visit(listeners.get(instruction.name), instruction, file);
  }
  visit(listeners.get('Dockerfile:exit'), ast, file);

  const findings = run.findings;
  findings.sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset || a.rule.localeCompare(b.rule));
  return { file, source: ast.source, findings, ast };
}

interface Listener {
  rule: AnyRule;
  visitor: (node: unknown) => void;
}

/** Calls each listener with `node`; a crash names the rule and the file. */
function visit(list: Listener[] | undefined, node: unknown, file: string): void {
  if (!list) return;
  let i = 0;
  try {
    for (; i < list.length; i++) list[i].visitor(node);
  } catch (error) {
    throw crashed(list[i].rule, file, error);
  }
}

/** A rule as one configuration runs it. */
interface EnabledRule {
  rule: AnyRule;
  severity: Severity;
  /** The rule's defaultOptions overlaid with the configured ones (frozen: shared by every file linted with them). */
  options: object;
}

/** What depends only on the configuration and the rule set, worked out once for every file linted with them. */
interface LintPlan {
  ruleSet: readonly AnyRule[];
  enabled: EnabledRule[];
  settings: LintSettings;
}

const plans = new WeakMap<LintConfig, WeakMap<readonly AnyRule[], LintPlan>>();

/** The plan of a configuration and rule set (a LintConfig is read-only once made: identity is its version). */
function planFor(config: LintConfig, ruleSet: readonly AnyRule[]): LintPlan {
  let byRules = plans.get(config);
  if (!byRules) plans.set(config, (byRules = new WeakMap()));
  let plan = byRules.get(ruleSet);
  if (!plan) {
    const enabled: EnabledRule[] = [];
    for (const rule of ruleSet) {
      const severity = config.severity.get(rule.id) ?? rule.severity;
      if (rule.status === 'removed' || severity === 'off' || config.ignored.has(rule.id)) continue;
      const options = Object.freeze({ ...rule.defaultOptions, ...config.ruleOptions.get(rule.id) });
      enabled.push({ rule, severity, options });
    }
    plan = { ruleSet, enabled, settings: Object.freeze({ trustedRegistries: config.trustedRegistries }) };
    byRules.set(ruleSet, plan);
  }
  return plan;
}

/** One lint run's shared state: what every rule's context reads, and the findings they report. */
interface LintRun {
  ast: Dockerfile;
  file: string;
  runScript: RunScripts;
  buildArgs: ReadonlyMap<string, string>;
  context: BuildContextView | undefined;
  suppressions: Suppressions;
  findings: Finding[];
}

/** A rule's view of one lint run (RuleContext). */
class Context implements RuleContext<object, string> {
  readonly id: string;
  readonly ast: Dockerfile;
  readonly runScript: RunScripts;
  readonly source: string;
  readonly file: string;
  readonly options: object;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly settings: LintSettings;
  readonly context?: BuildContextView;
  readonly #run: LintRun;
  readonly #enabled: EnabledRule;

  constructor(run: LintRun, enabled: EnabledRule, settings: LintSettings) {
    this.id = enabled.rule.id;
    this.ast = run.ast;
    this.runScript = run.runScript;
    this.source = run.ast.source;
    this.file = run.file;
    this.options = enabled.options;
    this.buildArgs = run.buildArgs;
    this.settings = settings;
    if (run.context) this.context = run.context;
    this.#run = run;
    this.#enabled = enabled;
  }

  report(descriptor: ReportDescriptor<string>): void {
    const run = this.#run;
    const { rule, severity } = this.#enabled;
    if (rule.messages[descriptor.messageId] === undefined) throw new Error(`unknown messageId "${descriptor.messageId}"`);
    const offsets = offsetsOf(descriptor);
    checkEdits(run.ast, descriptor);
    // A suppressed finding is checked (a bad report is a bug either way) but never positioned or formatted.
    if (isSuppressed(run.suppressions, rule.id, offsets[0])) return;
    run.findings.push(toFinding(run.ast, rule, severity, descriptor, offsets));
  }
}

/** Runs rule code; a crash names the rule and the file (it is a bug in the rule, not in the input). */
function guarded<T>(rule: AnyRule, file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw crashed(rule, file, error);
  }
}

function crashed(rule: AnyRule, file: string, error: unknown): Error {
  return new Error(`rule ${rule.id} crashed on ${file}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

/** A report's edits (its fix and its suggestions) stay inside the source. */
function checkEdits(ast: Dockerfile, descriptor: ReportDescriptor<string>): void {
  if (descriptor.fix) checkInside(ast, descriptor.fix.edits);
  if (descriptor.suggest) for (const suggestion of descriptor.suggest) checkInside(ast, suggestion.edits);
}

function checkInside(ast: Dockerfile, edits: readonly TextEdit[]): void {
  for (const edit of edits) {
    if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= ast.source.length)) {
      throw new Error(`edit [${edit.start}, ${edit.end}) is outside the source`);
    }
  }
}

function toFinding(
  ast: Dockerfile,
  rule: AnyRule,
  severity: Severity,
  descriptor: ReportDescriptor<string>,
  [offset, endOffset]: [number, number],
): Finding {
  const start = positionAt(ast, offset);
  const end = positionAt(ast, endOffset);
  // Property order is the JSON output's order.
  const finding: Finding = {
    rule: rule.id,
    messageId: descriptor.messageId,
    severity,
    message: formatMessage(rule.messages[descriptor.messageId], descriptor.data),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    offset,
    endOffset,
    fixable: descriptor.fix?.safety === 'safe',
  };
  if (descriptor.fix) finding.fix = descriptor.fix;
  if (descriptor.suggest?.length) finding.suggestions = descriptor.suggest;
  if (descriptor.unfixable !== undefined && !descriptor.fix) finding.unfixable = descriptor.unfixable;
  return finding;
}

function offsetsOf(descriptor: ReportDescriptor<string>): [number, number] {
  const range = descriptor.range;
  if (range) {
    return typeof range.start === 'number'
      ? [range.start, range.end as number]
      : [range.start.offset, (range as Range).end.offset];
  }
  const node = descriptor.node;
  if (!node) throw new Error('a report needs a node or a range');
  if (isInstruction(node)) {
    // An instruction-level finding points at the instruction's first line, from its keyword.
    const first = node.lines[0]?.range;
    const start = node.keywordRange.start;
    const end = first && first.end.line === start.line ? first.end.offset : node.range.end.offset;
    return [start.offset, end];
  }
  return [node.range.start.offset, node.range.end.offset];
}

function isInstruction(node: Instruction | Located): node is Instruction {
  return (node as Instruction).type === 'Instruction';
}

const noBuildArgs: ReadonlyMap<string, string> = new Map();

function toMap(buildArgs: LintOptions['buildArgs']): ReadonlyMap<string, string> {
  if (!buildArgs) return noBuildArgs;
  if (!Array.isArray(buildArgs)) return buildArgs as ReadonlyMap<string, string>;
  const map = new Map<string, string>();
  for (const entry of buildArgs as readonly string[]) {
    const equals = entry.indexOf('=');
    map.set(equals < 0 ? entry : entry.slice(0, equals), equals < 0 ? '' : entry.slice(equals + 1));
  }
  return map;
}
