/**
 * `layerwise completion bash|zsh|fish`: a completion script generated from the command tree (spec.ts), so it knows
 * every command, subcommand, option and choice that `--help` shows. Option values without a fixed set of choices
 * complete as file names, as do the positional arguments of commands without subcommands.
 */
import type { Command } from 'commander';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { allCommands, type CommandSpec, commandSpec, type OptionSpec } from './spec.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export async function run(io: Io, shell: Shell, _options: unknown, command: Command): Promise<number> {
  let root = command;
  while (root.parent) root = root.parent;
  io.stdout(completionScript(shell, commandSpec(root)));
  return 0;
}

export function completionScript(shell: Shell, spec: CommandSpec): string {
  for (const command of allCommands(spec)) checkWords(command);
  return { bash, zsh, fish }[shell](spec);
}

/** Options that work at every level: the program's own, except --version and --help (each command has its own help). */
function globalOptions(spec: CommandSpec): OptionSpec[] {
  return spec.options.filter((option) => option.long !== '--version' && option.long !== '--help');
}

/** The options accepted after a command: its own, and the global ones. */
function optionsAt(spec: CommandSpec, command: CommandSpec): OptionSpec[] {
  return command === spec ? command.options : [...command.options, ...globalOptions(spec)];
}

function flagsOf(option: OptionSpec): string[] {
  return [option.short, option.long].filter((flag): flag is string => Boolean(flag));
}

/** The first positional argument's fixed choices (`completion <shell>`, `help [command]`). */
function argumentChoices(command: CommandSpec): string[] {
  return command.arguments[0]?.choices ?? [];
}

/** Names and choices go into scripts unquoted: refuse anything a shell could read as more than a word. */
function checkWords(command: CommandSpec): void {
  const words = [
    command.name,
    ...command.options.flatMap((option) => [...flagsOf(option), ...(option.choices ?? [])]),
    ...argumentChoices(command),
  ];
  for (const word of words) {
    if (!/^[A-Za-z0-9][\w.:/+-]*$|^--?[A-Za-z0-9][\w-]*$/.test(word))
      throw new Error(`completion: ${JSON.stringify(word)} of \`${command.path.join(' ')}\` is not a plain word`);
  }
}

const header = (shell: Shell) =>
  `# ${shell} completion for layerwise ${VERSION}, generated from its command definitions by \`layerwise completion ${shell}\`.\n`;

function bash(spec: CommandSpec): string {
  const cases: string[] = [];
  const add = (key: string, words: string[]) => {
    if (words.length) cases.push(`    '${key}') words='${words.join(' ')}' ;;`);
  };
  for (const command of allCommands(spec)) {
    const path = command.path.join(' ');
    const options = optionsAt(spec, command);
    add(
      `commands|${path}|`,
      command.subcommands.map((sub) => sub.name),
    );
    add(`arguments|${path}|`, argumentChoices(command));
    add(`options|${path}|`, options.flatMap(flagsOf));
    for (const option of options.filter((o) => o.value && !o.optionalValue)) {
      for (const flag of flagsOf(option)) {
        add(`takes|${path}|${flag}`, ['yes']);
        add(`choices|${path}|${flag}`, option.choices ?? []);
      }
    }
  }
  return `${header('bash')}# Install: layerwise completion bash > ~/.local/share/bash-completion/completions/layerwise
# (or add \`source <(layerwise completion bash)\` to ~/.bashrc).

# _layerwise_words KIND PATH OPTION: sets \`words\` to the commands, options, argument choices or option choices
# at command PATH, or (KIND=takes) to "yes" when OPTION takes a value there.
_layerwise_words() {
  case "$1|$2|$3" in
${cases.join('\n')}
    *) words='' ;;
  esac
}

_layerwise() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path='' word words i
  # bash splits --option=value at "=": complete the value of the option before it.
  if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]]; then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
  # Walk the words typed so far: subcommand names extend the path; options that take a value skip it.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      _layerwise_words takes "$path" "$word"
      if [[ \${COMP_WORDS[i+1]} == = ]]; then ((i += 2)); elif [[ -n $words ]]; then ((i++)); fi
    else
      _layerwise_words commands "$path" ''
      if [[ " $words " == *" $word "* ]]; then path=\${path:+$path }$word; fi
    fi
  done
  COMPREPLY=()
  if [[ $prev == -* ]] && [[ \${COMP_WORDS[COMP_CWORD]} != -* ]]; then
    _layerwise_words takes "$path" "$prev"
    if [[ -n $words ]]; then
      _layerwise_words choices "$path" "$prev"
      # no fixed choices: an empty reply lets readline complete a file name (-o default)
      [[ -n $words ]] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
      return 0
    fi
  fi
  if [[ $cur == -* ]]; then
    _layerwise_words options "$path" ''
  else
    _layerwise_words commands "$path" ''
    [[ -z $words ]] && _layerwise_words arguments "$path" ''
  fi
  [[ -n $words ]] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
}

complete -o default -F _layerwise layerwise
`;
}

/** zsh: single-quoted `_arguments` specs; `[`, `]` and `:` in descriptions are escaped, `'` closes and reopens. */
function zshQuote(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/[[\]:]/g, (c) => `\\${c}`)
    .replace(/'/g, `'\\''`);
}

function zshFunction(command: CommandSpec): string {
  return `_layerwise${command.path.map((word) => `_${word.replace(/-/g, '_')}`).join('')}`;
}

function zshOption(option: OptionSpec, siblings: OptionSpec[]): string {
  const flags = flagsOf(option);
  const described = `[${zshQuote(option.description)}]`;
  const value = option.value ? `:${zshQuote(option.value)}:${option.choices ? `(${option.choices.join(' ')})` : '_files'}` : '';
  // How a value follows its flag: `--file=x` or `--file x`; `-fx` or `-f x`.
  const named = (flag: string) =>
    !option.value || option.optionalValue ? flag : flag.startsWith('--') ? `${flag}=` : `${flag}+`;
  const conflicting = siblings.filter((other) => option.conflicts.some((name) => other.long === `--${kebab(name)}`));
  const exclusion =
    option.long === '--help' || option.long === '--version'
      ? '(- *)'
      : option.repeatable
        ? ''
        : `(${[...flags, ...conflicting.flatMap(flagsOf)].join(' ')})`;
  const prefix = `${exclusion}${option.repeatable ? '*' : ''}`;
  if (flags.length === 1) return `'${prefix}${named(flags[0])}${described}${value}'`;
  return `${prefix ? `'${prefix}'` : ''}{${flags.map(named).join(',')}}'${described}${value}'`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function zsh(spec: CommandSpec): string {
  const functions = allCommands(spec).map((command) => {
    const options = optionsAt(spec, command);
    const lines = options.map((option) => zshOption(option, options));
    if (command.subcommands.length) {
      lines.push("'1: :->command'", "'*:: :->argument'");
      const described = command.subcommands.map((sub) => `'${sub.name}:${zshQuote(sub.description)}'`);
      const dispatch = command.subcommands.map((sub) => `      ${sub.name}) ${zshFunction(sub)} ;;`);
      return `${zshFunction(command)}() {
  local curcontext=$curcontext state line
  _arguments -C -s \\
    ${lines.join(' \\\n    ')}
  case $state in
    command)
      local -a commands=(${described.join(' ')})
      _describe -t commands 'layerwise${command.path.length ? ` ${command.path.join(' ')}` : ''} command' commands ;;
    argument)
      case $line[1] in
${dispatch.join('\n')}
      esac ;;
  esac
}`;
    }
    command.arguments.forEach((argument, index) => {
      const action = argument.choices ? `(${argument.choices.join(' ')})` : '_files';
      lines.push(`'${argument.variadic ? '*' : `${index + 1}`}:${zshQuote(argument.name)}:${action}'`);
    });
    return `${zshFunction(command)}() {
  _arguments -s \\
    ${lines.join(' \\\n    ')}
}`;
  });
  return `#compdef layerwise
${header('zsh')}# Install: layerwise completion zsh > "\${fpath[1]}/_layerwise" (then restart zsh),
# or add \`source <(layerwise completion zsh)\` to ~/.zshrc after compinit.

${functions.join('\n\n')}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _layerwise "$@"
else
  compdef _layerwise layerwise
fi
`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fish(spec: CommandSpec): string {
  const commands: string[] = [];
  const takes: string[] = [];
  const lines: string[] = [];
  for (const command of allCommands(spec)) {
    const path = command.path.join(' ');
    const at = `-n ${fishQuote(`__layerwise_at '${path}'`)}`;
    for (const sub of command.subcommands) {
      commands.push(fishQuote(`${path}|${sub.name}`));
      lines.push(`complete -c layerwise ${at} -f -a ${sub.name} -d ${fishQuote(sub.description)}`);
    }
    const choices = argumentChoices(command);
    if (choices.length) lines.push(`complete -c layerwise ${at} -f -a ${fishQuote(choices.join(' '))}`);
    for (const option of command.options) {
      const flags = [option.short ? `-s ${option.short.slice(1)}` : '', option.long ? `-l ${option.long.slice(2)}` : '']
        .filter(Boolean)
        .join(' ');
      let value = '';
      if (option.value && !option.optionalValue) {
        for (const flag of flagsOf(option)) takes.push(fishQuote(`${path}|${flag}`));
        value = option.choices ? ` -x -a ${fishQuote(option.choices.join(' '))}` : ' -r';
      }
      lines.push(`complete -c layerwise ${at} ${flags}${value} -d ${fishQuote(option.description)}`);
    }
  }
  const global = globalOptions(spec)
    .map((option) => {
      const flags = [option.short ? `-s ${option.short.slice(1)}` : '', option.long ? `-l ${option.long.slice(2)}` : '']
        .filter(Boolean)
        .join(' ');
      return `complete -c layerwise -n 'not __layerwise_at ""' ${flags} -d ${fishQuote(option.description)}`;
    })
    .join('\n');
  return `${header('fish')}# Install: layerwise completion fish > ~/.config/fish/completions/layerwise.fish

# The command path typed so far ("", "cache", "cache diff"): subcommand names extend it, options that take a
# value skip that value.
function __layerwise_path
    set -l commands ${commands.join(' ')}
    set -l takes ${takes.join(' ')}
    set -l path ''
    set -l skip 0
    for token in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
        else if string match -q -- '-*' $token
            if not string match -q -- '*=*' $token; and contains -- "$path|$token" $takes
                set skip 1
            end
        else if contains -- "$path|$token" $commands
            set path (string trim -- "$path $token")
        end
    end
    echo $path
end

function __layerwise_at --argument-names want
    test "$(__layerwise_path)" = "$want"
end

${lines.join('\n')}
${global}
`;
}
