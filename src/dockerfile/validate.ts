/**
 * BuildKit's instruction layer (frontend/dockerfile/instructions/parse.go, bflag.go): the refusals that come after
 * parsing — unknown instruction (with "did you mean"), unknown / duplicate / valueless flags, wrong argument counts,
 * bad stage names, ONBUILD triggers, HEALTHCHECK options, SHELL not in JSON form, instructions before the first FROM.
 * Checks run in BuildKit's order for each instruction, so the first error reported is the one BuildKit reports.
 * `--mount` and `--device` values are not checked here (the build model reads them).
 */
import { INSTRUCTION_NAMES, type Instruction, type Range } from './ast.js';
import { ParseError } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import { goQuote } from './go-quote.js';
import { skipSpaceBackward, skipSpaceForward } from './go-text.js';
import { parseHeredocWord } from './heredoc-words.js';
import { withSuggestion } from './suggest.js';

type FlagType = 'bool' | 'string' | 'strings';

/** The flags each instruction accepts (BuildKit registers them per command; every other one accepts none). */
export const INSTRUCTION_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagType>>>> = {
  ADD: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    unpack: 'bool',
    exclude: 'strings',
  },
  COPY: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' },
  FROM: { platform: 'string' },
  RUN: { device: 'strings', mount: 'strings', network: 'string', security: 'string' },
  HEALTHCHECK: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
};

/** An instruction's flags as BuildKit's BFlags reads them: values by name (repeatable ones as lists). */
export interface FlagValues {
  [name: string]: string | string[] | undefined;
}

class InstructionError extends Error {
  constructor(
    message: string,
    readonly range: Range,
  ) {
    super(message);
  }
}

/**
 * Every instruction-layer error of the file, in source order (at most one per instruction; BuildKit stops at the
 * first). Each is a ParseError positioned at the offending part.
 */
export function validateInstructions(ast: { instructions: readonly Instruction[]; file?: string }): ParseError[] {
  return instructionErrors(ast.instructions, false, ast.file);
}

/**
 * validateInstructions over a run of a file's instructions: `afterFrom` says whether a FROM comes before them (each
 * instruction's check reads nothing else of the file).
 */
export function instructionErrors(instructions: readonly Instruction[], afterFrom: boolean, file?: string): ParseError[] {
  const errors: ParseError[] = [];
  let sawFrom = afterFrom;
  for (const node of instructions) {
    try {
      checkInstruction(node);
      if (node.name === 'FROM') sawFrom = true;
      else if (!sawFrom && node.name !== 'ARG')
        throw new InstructionError('no build stage in current context', node.keywordRange);
    } catch (error) {
      if (!(error instanceof InstructionError)) throw error;
      const { start, end } = error.range;
      errors.push(new ParseError(error.message, start.line, start.column, { line: end.line, column: end.column }, file));
    }
  }
  return errors;
}

/** Throws InstructionError for the first problem BuildKit would report in this instruction. */
function checkInstruction(node: Instruction): void {
  const args = node.args.map((arg) => arg.value);
  const argsRange = node.args.length > 0 ? span(node.args[0].range, node.args[node.args.length - 1].range) : node.keywordRange;
  const fail = (message: string, range: Range = argsRange): never => {
    throw new InstructionError(message, range);
  };
  const flags = () => parseFlags(node, INSTRUCTION_FLAGS[node.name] ?? {});
  switch (node.name) {
    case 'ENV':
    case 'LABEL':
      flags();
      if (args.length === 0) fail(`${node.name} requires at least one argument`, node.keywordRange);
      for (const pair of node.pairs ?? []) if (pair.key.value === '') fail(`${node.name} names can not be blank`, pair.range);
      return;
    case 'MAINTAINER':
      if (args.length !== 1) fail('MAINTAINER requires exactly one argument');
      flags();
      return;
    case 'ADD':
    case 'COPY':
      if (args.length < 2) {
        fail(`${node.name} requires at least two arguments, but only one was provided. Destination could not be determined`);
      }
      flags();
      if (parseHeredocWord(args[args.length - 1])) {
        fail(`${node.name} cannot accept a heredoc as a destination`, node.args[node.args.length - 1].range);
      }
      return;
    case 'FROM':
      checkStageName(node, args, fail);
      flags();
      return;
    case 'ONBUILD':
      checkOnbuild(node, fail, flags);
      return;
    case 'WORKDIR':
    case 'USER':
      if (args.length !== 1) fail(`${node.name} requires exactly one argument`);
      flags();
      return;
    case 'RUN':
      checkRun(flags());
      return;
    case 'CMD':
    case 'ENTRYPOINT':
      flags();
      return;
    case 'HEALTHCHECK':
      checkHealthcheck(node, args, fail, flags);
      return;
    case 'EXPOSE':
    case 'VOLUME':
      if (args.length === 0) fail(`${node.name} requires at least one argument`, node.keywordRange);
      flags();
      if (node.name === 'VOLUME') {
        for (const arg of node.args) if (arg.value.trim() === '') fail('VOLUME specified can not be an empty string', arg.range);
      }
      return;
    case 'STOPSIGNAL':
      if (args.length !== 1) fail('STOPSIGNAL requires exactly one argument');
      return; // BuildKit never reads STOPSIGNAL's flags
    case 'ARG':
      if (args.length === 0) fail('ARG requires at least one argument', node.keywordRange);
      for (const arg of node.args) if (arg.value.startsWith('=')) fail('ARG names can not be blank', arg.range);
      return; // nor ARG's
    case 'SHELL':
      flags();
      if (args.length === 0) fail('SHELL requires at least one argument', node.keywordRange);
      if (!node.json) fail('SHELL requires the arguments to be in JSON form');
      return;
    default:
      fail(withSuggestion(`unknown instruction: ${node.keyword}`, node.keyword, INSTRUCTION_NAMES, false), node.keywordRange);
  }
}

type Fail = (message: string, range?: Range) => never;

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function checkStageName(node: Instruction, args: string[], fail: Fail): void {
  if (args.length === 3 && args[1].toLowerCase() === 'as') {
    if (!STAGE_NAME.test(args[2].toLowerCase())) {
      fail(
        `invalid name for build stage: ${goQuote(args[2])}, name can't start with a number or contain symbols`,
        node.args[2].range,
      );
    }
  } else if (args.length !== 1) {
    fail('FROM requires either one or three arguments');
  }
}

function checkOnbuild(node: Instruction, fail: Fail, flags: () => FlagValues): void {
  const trigger = node.trigger;
  if (!trigger) fail('ONBUILD requires at least one argument', node.keywordRange);
  flags();
  const name = trimGoSpace(trigger!.keyword).toUpperCase();
  if (name === 'ONBUILD') fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", trigger!.keywordRange);
  if (name === 'MAINTAINER' || name === 'FROM') fail(`${name} isn't allowed as an ONBUILD trigger`, trigger!.keywordRange);
}

const NETWORKS = ['default', 'none', 'host'];
const SECURITY = ['sandbox', 'insecure'];

function checkRun(flags: FlagValues): void {
  const network = (flags.network as string | undefined) ?? 'default';
  if (!NETWORKS.includes(network))
    throw new InstructionError(`invalid network mode ${goQuote(network)}`, flagRange(flags, 'network'));
  const security = (flags.security as string | undefined) ?? 'sandbox';
  if (!SECURITY.includes(security))
    throw new InstructionError(`security ${goQuote(security)} is not valid`, flagRange(flags, 'security'));
}

function checkHealthcheck(node: Instruction, args: string[], fail: Fail, flags: () => FlagValues): void {
  if (args.length === 0) fail('HEALTHCHECK requires at least one argument', node.keywordRange);
  const type = args[0].toUpperCase();
  if (type === 'NONE') {
    if (args.length !== 1) fail('HEALTHCHECK NONE takes no arguments');
    return; // flags are not read for NONE
  }
  const values = flags();
  if (type !== 'CMD') fail(`Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`, node.args[0].range);
  if (args.length === 1) fail('Missing command after HEALTHCHECK CMD', node.args[0].range);
  for (const name of ['interval', 'timeout', 'start-period', 'start-interval']) {
    const value = values[name] as string | undefined;
    if (value === undefined || value === '') continue;
    let nanoseconds: number;
    try {
      nanoseconds = parseGoDuration(value);
    } catch (error) {
      throw new InstructionError((error as Error).message, flagRange(values, name));
    }
    if (nanoseconds !== 0 && nanoseconds < 1e6) {
      throw new InstructionError(`Interval ${goQuote(name)} cannot be less than 1ms`, flagRange(values, name));
    }
  }
  const retries = values.retries as string | undefined;
  if (retries !== undefined && retries !== '') {
    if (!/^[+-]?[0-9]+$/.test(retries)) {
      throw new InstructionError(`strconv.ParseInt: parsing ${goQuote(retries)}: invalid syntax`, flagRange(values, 'retries'));
    }
    const n = Number(retries);
    if (n > 2 ** 31 - 1 || n < -(2 ** 31)) {
      throw new InstructionError(
        `strconv.ParseInt: parsing ${goQuote(retries)}: value out of range`,
        flagRange(values, 'retries'),
      );
    }
    if (n < 0) throw new InstructionError(`--retries cannot be negative (${n})`, flagRange(values, 'retries'));
  }
}

/** Where each flag was written, for error positions (kept beside the values, under a symbol). */
const RANGES = Symbol('ranges');

function flagRange(values: FlagValues, name: string): Range {
  return (values as unknown as { [RANGES]: Record<string, Range> })[RANGES][name];
}

/** BuildKit's `BFlags.Parse` against the instruction's allowed flags; throws at the first bad flag. */
export function parseFlags(node: Pick<Instruction, 'flags'>, allowed: Readonly<Record<string, FlagType>>): FlagValues {
  const values: FlagValues = {};
  const ranges: Record<string, Range> = {};
  Object.defineProperty(values, RANGES, { value: ranges });
  for (const flag of node.flags) {
    const text = flag.text;
    const eq = text.indexOf('=');
    const flagName = eq < 0 ? text : text.slice(0, eq);
    const hasValue = eq >= 0;
    const value = hasValue ? text.slice(eq + 1) : '';
    const name = flagName.slice(2);
    const type = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (type === undefined) {
      throw new InstructionError(withSuggestion(`unknown flag: ${flagName}`, name, Object.keys(allowed), true), flag.range);
    }
    if (Object.hasOwn(ranges, name) && type !== 'strings') {
      throw new InstructionError(`duplicate flag specified: ${flagName}`, flag.range);
    }
    ranges[name] = flag.range;
    if (type === 'bool') {
      if (hasValue && value === '') throw new InstructionError(`missing a value on flag: ${flagName}`, flag.range);
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== '' && lower !== 'false') {
        throw new InstructionError(`expecting boolean value for flag ${flagName}, not: ${value}`, flag.range);
      }
      values[name] = lower === 'false' ? 'false' : 'true';
    } else {
      if (!hasValue) throw new InstructionError(`missing a value on flag: ${flagName}`, flag.range);
      if (type === 'strings') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
      else values[name] = value;
    }
  }
  return values;
}

function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

function trimGoSpace(text: string): string {
  const start = skipSpaceForward(text, 0);
  return text.slice(start, skipSpaceBackward(text, text.length, start));
}
