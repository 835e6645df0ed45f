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
  type Located,
  type ReportDescriptor,
  type RuleContext,
  type Severity,
  type Suggestion,
  type Visitors,
} from './define.js';
import { runScripts } from './knowledge/scripts.js';
import { analysed } from './knowledge/stages.js';
import { collectSuppressions, isSuppressed } from './pragmas.js';
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
    ast = parseDockerfile(text, { file });
  } catch (error) {
    if (error instanceof ParseError) return { file, source: text, findings: [], parseError: error };
    throw error;
  }
  const config = options.config ?? DEFAULT_CONFIG;
  const ruleSet = options.rules ?? allRules;
  const suppressions = collectSuppressions(ast, ruleSet);
  const buildArgs = toMap(options.buildArgs);
  // The build model every rule reads (knowledge/stages.ts) is built once per tree, with this run's build args, and
  // each RUN is analysed once, on first request, for every rule.
  const runScript = runScripts(ast, analysed(ast, buildArgs));
  const findings: Finding[] = [];
  // Per visitor key, the rules listening to it: an instruction only meets the rules that visit its kind.
  const listeners = new Map<string, { rule: AnyRule; visitor: (node: unknown) => void }[]>();

  for (const rule of ruleSet) {
    const severity = config.severity.get(rule.id) ?? rule.severity;
    if (rule.status === 'removed' || severity === 'off' || config.ignored.has(rule.id)) continue;
    const ctx: RuleContext<object, string> = {
      id: rule.id,
      ast,
      runScript,
      source: ast.source,
      file,
      options: { ...rule.defaultOptions, ...config.ruleOptions.get(rule.id) },
      buildArgs,
      settings: { trustedRegistries: config.trustedRegistries },
      ...(options.context && { context: options.context }),
      report(descriptor) {
        const finding = toFinding(ast, rule, severity, descriptor);
        if (!isSuppressed(suppressions, rule.id, finding.offset)) findings.push(finding);
      },
    };
    const visitors: Visitors = guarded(rule, file, () => rule.create(ctx));
    for (const [key, visitor] of Object.entries(visitors)) {
      if (typeof visitor !== 'function') continue;
      let list = listeners.get(key);
      if (!list) listeners.set(key, (list = []));
      list.push({ rule, visitor: visitor as (node: unknown) => void });
    }
  }

  const visit = (key: string, node: unknown): void => {
    const list = listeners.get(key);
    if (!list) return;
    for (const { rule, visitor } of list) {
      try {
        visitor(node);
      } catch (error) {
        throw crashed(rule, file, error);
      }
    }
  };
  visit('Dockerfile', ast);
  for (const instruction of ast.instructions) {
    visit('Instruction', instruction);
    if (instruction.known) visit(instruction.name, instruction);
  }
  visit('Dockerfile:exit', ast);

  findings.sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset || a.rule.localeCompare(b.rule));
  return { file, source: ast.source, findings, ast };
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

function toFinding(ast: Dockerfile, rule: AnyRule, severity: Severity, descriptor: ReportDescriptor<string>): Finding {
  const template = rule.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`unknown messageId "${descriptor.messageId}"`);
  const [offset, endOffset] = offsetsOf(descriptor);
  for (const edit of [...(descriptor.fix?.edits ?? []), ...(descriptor.suggest ?? []).flatMap((s) => s.edits)]) {
    if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= ast.source.length)) {
      throw new Error(`edit [${edit.start}, ${edit.end}) is outside the source`);
    }
  }
  const start = positionAt(ast, offset);
  const end = positionAt(ast, endOffset);
  return {
    rule: rule.id,
    messageId: descriptor.messageId,
    severity,
    message: formatMessage(template, descriptor.data),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    offset,
    endOffset,
    fixable: descriptor.fix?.safety === 'safe',
    ...(descriptor.fix && { fix: descriptor.fix }),
    ...(descriptor.suggest?.length && { suggestions: descriptor.suggest }),
    ...(descriptor.unfixable !== undefined && !descriptor.fix && { unfixable: descriptor.unfixable }),
  };
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

function toMap(buildArgs: LintOptions['buildArgs']): ReadonlyMap<string, string> {
  if (!buildArgs) return new Map();
  if (!Array.isArray(buildArgs)) return buildArgs as ReadonlyMap<string, string>;
  const map = new Map<string, string>();
  for (const entry of buildArgs as readonly string[]) {
    const equals = entry.indexOf('=');
    map.set(equals < 0 ? entry : entry.slice(0, equals), equals < 0 ? '' : entry.slice(equals + 1));
  }
  return map;
}
