/**
 * The command tree as data, read from the same commander definitions that print `--help`: shell completion and
 * docs/cli.md are generated from it, so neither can drift from the CLI. Commander keeps the text added with
 * `addHelpText('after', …)` only as a listener; we replay that listener to read it, and split off the
 * `Examples:` section that every command's help has (test/cli/conventions.test.ts checks that it does).
 */
import type { EventEmitter } from 'node:events';
import type { Argument, Command, Option } from 'commander';
import { collect } from './collect.js';

export interface OptionSpec {
  /** As declared: `-f, --file <path>`. */
  flags: string;
  short?: string;
  long?: string;
  description: string;
  /** The value's name (`path` for `<path>`) when the option takes one. */
  value?: string;
  /** The value may be left out (`[value]`). */
  optionalValue?: boolean;
  /** May be given more than once (`--build-arg A=1 --build-arg B=2`). */
  repeatable: boolean;
  choices?: string[];
  default?: string;
  /** Options it cannot be combined with (long names without dashes). */
  conflicts: string[];
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  choices?: string[];
}

export interface CommandSpec {
  name: string;
  /** The words after `layerwise` that select this command (empty for the program itself). */
  path: string[];
  description: string;
  /** `[options] <file>`: commander's own usage line. */
  usage: string;
  arguments: ArgumentSpec[];
  /** The command's own options, `--help` included. */
  options: OptionSpec[];
  subcommands: CommandSpec[];
  /** The text after the options in `--help`, without the examples. */
  notes: string;
  examples: string[];
  /** Passes options it does not know through (`build` hands them to docker build). */
  passesUnknownOptions: boolean;
}

const HELP: OptionSpec = {
  flags: '-h, --help',
  short: '-h',
  long: '--help',
  description: 'display help for command',
  repeatable: false,
  conflicts: [],
};

export function commandSpec(command: Command, parentPath: string[] = []): CommandSpec {
  const path = command.parent ? [...parentPath, command.name()] : [];
  const { notes, examples } = helpAfter(command);
  const subcommands = command.commands.map((sub) => commandSpec(sub, path));
  if (subcommands.length > 0) {
    // commander adds `help [command]` to every command that has subcommands; completion and docs list it too.
    subcommands.push({
      name: 'help',
      path: [...path, 'help'],
      description: 'display help for command',
      usage: '[command]',
      arguments: [
        { name: 'command', description: 'the command to explain', required: false, variadic: false, choices: names(command) },
      ],
      options: [HELP],
      subcommands: [],
      notes: '',
      examples: [`layerwise ${[...path, 'help', command.commands[0].name()].join(' ')}`],
      passesUnknownOptions: false,
    });
  }
  return {
    name: command.name(),
    path,
    description: command.description(),
    usage: command.usage(),
    arguments: command.registeredArguments.map(argumentSpec),
    options: [...command.options.filter((option) => !option.hidden).map(optionSpec), HELP],
    subcommands,
    notes,
    examples,
    passesUnknownOptions: (command as unknown as { _allowUnknownOption: boolean })._allowUnknownOption === true,
  };
}

/** Every command of the tree, the program first, depth first. */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

function names(command: Command): string[] {
  return command.commands.map((sub) => sub.name());
}

function optionSpec(option: Option): OptionSpec {
  const value = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
  const conflicts = (option as unknown as { conflictsWith: string[] }).conflictsWith ?? [];
  return {
    flags: option.flags,
    ...(option.short ? { short: option.short } : {}),
    ...(option.long ? { long: option.long } : {}),
    description: option.description,
    ...(value ? { value: value.replace(/\.\.\.$/, '') } : {}),
    ...(option.optional ? { optionalValue: true } : {}),
    repeatable: option.variadic || option.parseArg === collect,
    ...(option.argChoices ? { choices: [...option.argChoices] } : {}),
    ...(defaultText(option.defaultValue) ? { default: defaultText(option.defaultValue) } : {}),
    conflicts: [...conflicts],
  };
}

function argumentSpec(argument: Argument): ArgumentSpec {
  return {
    name: argument.name(),
    description: argument.description,
    required: argument.required,
    variadic: argument.variadic,
    ...(argument.argChoices ? { choices: [...argument.argChoices] } : {}),
  };
}

/** Defaults worth printing: strings and numbers (not `false`, not the empty list of a variadic argument). */
function defaultText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Replays the `addHelpText('after', …)` listeners and splits the text at its `Examples:` heading. */
function helpAfter(command: Command): { notes: string; examples: string[] } {
  let text = '';
  (command as unknown as EventEmitter).emit('afterHelp', { error: false, command, write: (chunk: string) => (text += chunk) });
  const match = /^Examples?:\n/m.exec(text);
  const notes = (match ? text.slice(0, match.index) : text).trim();
  const examples = match
    ? text
        .slice(match.index + match[0].length)
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : [];
  return { notes, examples };
}
