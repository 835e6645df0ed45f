/**
 * unicode-dash-in-flag: a command-line flag typed with an en dash, em dash or another look-alike of `-` (the article
 * itself prints `-–no-install-recommends`). No program reads it as a flag, so the command fails.
 */
import { basename } from '../shell/commands.js';
import { lookalikeOf, unwrap } from '../shell/package-managers/args.js';
import { defineRule } from './define.js';
import { inSource } from './knowledge/scripts.js';

/** Every look-alike dash is outside ASCII, and a flag's dashes are its first one or two characters. */
function mayStartWithLookalike(value: string | undefined): boolean {
  return value !== undefined && (value.charCodeAt(0) > 0x7f || value.charCodeAt(1) > 0x7f);
}

/**
 * Whether no word of a shell-form RUN can hold a non-ASCII character: the Dockerfile (scripts, heredocs, ENV and ARG
 * values) is ASCII, has no `$'…'` string (whose `\\u`, `\\x` and octal escapes make any character) and no build
 * argument brings one in. Only exec form's JSON escapes remain, and those RUNs are still read word by word.
 */
function asciiOnly(source: string, buildArgs: ReadonlyMap<string, string>): boolean {
  if (NON_ASCII.test(source) || source.includes("$'")) return false;
  for (const value of buildArgs.values()) if (NON_ASCII.test(value)) return false;
  return true;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Programs whose arguments are text to print, where a dash is prose rather than a flag. */
const printers = new Set(['echo', 'printf']);

export default defineRule({
  id: 'unicode-dash-in-flag',
  status: 'stable',
  since: '0.1.0',
  severity: 'error',
  tags: ['correctness'],
  fix: 'sometimes',
  messages: {
    lookalike: '`{{word}}` starts with {{dashes}}, not `-`: {{program}} will not read it as a flag. Write `{{corrected}}`.',
  },
  docs: {
    description: 'A command-line flag is typed with an en dash, em dash or another look-alike of `-`.',
    whatItDoes:
      'Reports an unquoted argument of a RUN command (shell form, heredoc script or exec form) that starts with one or two dashes of which at least one is a look-alike of the ASCII hyphen-minus: U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en dash, U+2014 em dash, U+2015 horizontal bar, U+2212 minus sign, U+FE58, U+FE63, U+FF0D. Blogs and word processors turn `--` into `–`, so a copied command reads `-–no-install-recommends`. Arguments of `echo` and `printf`, and quoted words, are text and are not reported.',
    why: 'The program sees a package or file name instead of a flag (`apt-get` answers `E: Unable to locate package -–no-install-recommends`), so the build fails after downloading the package index: every attempt costs a full rebuild of the RUN, and the character is hard to see in review.',
    example: 'RUN apt-get update && apt-get install -–no-install-recommends -y curl',
    useInstead: 'RUN apt-get update && apt-get install --no-install-recommends -y curl',
    fixSafety:
      'Safe when the intended flag is certain: two dash characters become `--`, a single look-alike before one letter `-`. A single en or em dash before a longer name is probably a typeset `--` but could be a mistyped `-rf`: that replacement is only suggested. The original command cannot have worked, so a fix never changes a working build.',
    references: ['https://www.unicode.org/charts/PDF/U2000.pdf', 'https://en.wikipedia.org/wiki/Dash#Similar_Unicode_characters'],
  },
  defaultOptions: {},
  create(ctx) {
    /** Worked out on the first RUN: most files are ASCII, and then no shell-form word can start with a look-alike. */
    let ascii: boolean | undefined;
    return {
      RUN(instruction) {
        if (!instruction.json && (ascii ??= asciiOnly(ctx.source, ctx.buildArgs))) return;
        const run = ctx.runScript(instruction);
        for (const located of run.scripts) {
          for (const command of located.script.commands) {
            // The program is looked up (through wrappers such as `sudo`) only for a command with a candidate word.
            let program: string | undefined | null = null;
            for (let index = 1; index < command.argv.length; index++) {
              const word = command.argv[index];
              // In shell form a quoted word is data; exec-form words are never quoted.
              if (word.quoted || !mayStartWithLookalike(word.value)) continue;
              const lookalike = lookalikeOf(word);
              if (!lookalike || word.value === undefined) continue;
              if (program === null) program = unwrap(command).words[0]?.value;
              if (program !== undefined && printers.has(basename(program))) break;
              const { start, end } = inSource(located, word);
              const rest = lookalike.meant.replace(/^-+/, '');
              const written = word.value.slice(0, word.value.length - rest.length);
              const replacement = lookalike.meant.slice(0, lookalike.meant.length - rest.length);
              // The dashes are replaced only where the source holds them as the shell reads them (not as JSON escapes).
              const edits =
                ctx.source.slice(start, start + written.length) === written
                  ? [{ start, end: start + written.length, text: replacement }]
                  : undefined;
              ctx.report({
                range: { start, end },
                messageId: 'lookalike',
                data: {
                  word: word.value,
                  dashes: lookalike.characters.map((c) => `an ${c.name}`.replace(/^an ([^aeiou])/, 'a $1')).join(' and '),
                  program: program === undefined ? 'the command' : basename(program),
                  corrected: lookalike.meant,
                },
                ...(edits && lookalike.certain && { fix: { safety: 'safe' as const, edits } }),
                ...(edits && !lookalike.certain && { suggest: [{ description: `Write \`${lookalike.meant}\``, edits }] }),
              });
            }
          }
        }
      },
    };
  },
});
