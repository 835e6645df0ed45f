/**
 * The lint engine, pure: Dockerfile text in, findings out. Parses, reads the ignore pragmas, runs every enabled rule's
 * visitors over the instructions, and turns reports into findings with positions, severities and fixes.
 */
import { type Dockerfile, type Instruction, ParseError, parseDockerfile, positionAt } from '../dockerfile/index.js';
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
import { analyseStages, type Stages } from './knowledge/stages.js';
import { collectSuppressions, isSuppressed, type Suppressions } from './pragmas.js';
import { rules as allRules } from './registry.js';
import { fill, layoutOf, type Visitor, type VisitorGroup, type VisitorLayout } from './visitor-layout.js';

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
  const stages = analyseStages(ast, buildArgs);
  const run: LintRun = {
    ast,
    file,
    stages,
    runScript: runScripts(ast, stages),
    buildArgs,
    settings: plan.settings,
    context: options.context,
    suppressions: collectSuppressions(ast, plan.ruleSet),
    findings: [],
  };
  const enabledRules = plan.enabled;
  const created: Visitors[] = new Array(enabledRules.length);
  for (let r = 0; r < enabledRules.length; r++) {
    const enabled = enabledRules[r];
    try {
      created[r] = enabled.rule.create(new Context(run, enabled));
    } catch (error) {
      throw crashed(enabled.rule, file, error);
    }
  }
  // Per visitor key, the rules listening to it: an instruction only meets the rules that visit its kind.
  let layout = plan.layout ?? (plan.layout = layoutOf(plan.rules, created));
  let slots: Visitor[] = new Array(layout.size);
  if (!fill(layout, created, slots)) {
    layout = plan.layout = layoutOf(plan.rules, created);
    slots = new Array(layout.size);
    fill(layout, created, slots);
  }

  const groups = layout.groups;
  const start = groups.get('Dockerfile');
  if (start) visit(start, slots, ast, file);
  const everyInstruction = groups.get('Instruction');
  const instructions = ast.instructions;
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i];
    if (everyInstruction) visit(everyInstruction, slots, instruction, file);
    if (!instruction.known) continue;
    const own = groups.get(instruction.name);
    if (own) visit(own, slots, instruction, file);
  }
  const exit = groups.get('Dockerfile:exit');
  if (exit) visit(exit, slots, ast, file);

  const findings = run.findings;
  if (!inOrder(findings)) findings.sort(byPosition);
  return { file, source: ast.source, findings, ast };
}

/** Findings in source order; at one range, by rule id (code units: the same order in every locale). */
function byPosition(a: Finding, b: Finding): number {
  return a.offset - b.offset || a.endOffset - b.endOffset || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/** Whether findings are already in order (rules mostly report in source order; a stable sort would keep them as they are). */
function inOrder(findings: Finding[]): boolean {
  for (let i = 1; i < findings.length; i++) if (byPosition(findings[i - 1], findings[i]) > 0) return false;
  return true;
}

/** Calls the visitors of one key with `node`; a crash names the rule and the file. */
function visit(group: VisitorGroup, slots: Visitor[], node: unknown, file: string): void {
  let i = group.start;
  try {
    for (; i < group.end; i++) slots[i](node);
  } catch (error) {
    throw crashed(group.rules[i - group.start], file, error);
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
  /** The enabled rules, in the same order. */
  rules: AnyRule[];
  settings: LintSettings;
  /** Where each enabled rule's visitors go (worked out from the first file's visitors). */
  layout?: VisitorLayout;
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
    plan = {
      ruleSet,
      enabled,
      rules: enabled.map((e) => e.rule),
      settings: Object.freeze({ trustedRegistries: config.trustedRegistries }),
    };
    byRules.set(ruleSet, plan);
  }
  return plan;
}

/** One lint run's shared state: what every rule's context reads, and the findings they report. */
interface LintRun {
  ast: Dockerfile;
  file: string;
  stages: Stages;
  runScript: RunScripts;
  buildArgs: ReadonlyMap<string, string>;
  settings: LintSettings;
  context: BuildContextView | undefined;
  suppressions: Suppressions;
  findings: Finding[];
}

/**
 * A rule's view of one lint run (RuleContext). One is made per rule and file, so it holds only the run and the rule:
 * the rest is read through them (two fields instead of eleven).
 */
class Context implements RuleContext<object, string> {
  readonly #run: LintRun;
  readonly #enabled: EnabledRule;

  constructor(run: LintRun, enabled: EnabledRule) {
    this.#run = run;
    this.#enabled = enabled;
  }

  get id(): string {
    return this.#enabled.rule.id;
  }
  get ast(): Dockerfile {
    return this.#run.ast;
  }
  get stages(): Stages {
    return this.#run.stages;
  }
  get runScript(): RunScripts {
    return this.#run.runScript;
  }
  get source(): string {
    return this.#run.ast.source;
  }
  get file(): string {
    return this.#run.file;
  }
  get options(): object {
    return this.#enabled.options;
  }
  get buildArgs(): ReadonlyMap<string, string> {
    return this.#run.buildArgs;
  }
  get settings(): LintSettings {
    return this.#run.settings;
  }
  get context(): BuildContextView | undefined {
    return this.#run.context;
  }

  report(descriptor: ReportDescriptor<string>): void {
    const run = this.#run;
    const { rule, severity } = this.#enabled;
    if (rule.messages[descriptor.messageId] === undefined) throw new Error(`unknown messageId "${descriptor.messageId}"`);
    const start = startOf(descriptor);
    const end = endOf(descriptor);
    if (descriptor.fix || descriptor.suggest) checkEdits(run.ast, descriptor);
    // A suppressed finding is checked (a bad report is a bug either way) but never positioned or formatted.
    if (isSuppressed(run.suppressions, rule.id, start)) return;
    run.findings.push(toFinding(run.ast, rule, severity, descriptor, start, end));
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
  offset: number,
  endOffset: number,
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

/** Where a report starts: its range, or its node (an instruction from its keyword). */
function startOf(descriptor: ReportDescriptor<string>): number {
  const range = descriptor.range;
  if (range) return typeof range.start === 'number' ? range.start : range.start.offset;
  const node = descriptor.node;
  if (!node) throw new Error('a report needs a node or a range');
  return isInstruction(node) ? node.keywordRange.start.offset : node.range.start.offset;
}

/** Where a report ends: an instruction-level finding ends with the instruction's first line. */
function endOf(descriptor: ReportDescriptor<string>): number {
  const range = descriptor.range;
  if (range) return typeof range.end === 'number' ? range.end : range.end.offset;
  const node = descriptor.node as Instruction | Located;
  if (isInstruction(node)) {
    const first = node.lines[0]?.range;
    return first && first.end.line === node.keywordRange.start.line ? first.end.offset : node.range.end.offset;
  }
  return node.range.end.offset;
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
