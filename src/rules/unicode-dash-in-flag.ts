/**
 * unicode-dash-in-flag: a command-line flag typed with an en dash, em dash or another look-alike of `-` (the article
 * itself prints `-–no-install-recommends`). No program reads it as a flag, so the command fails.
 */
import { defineRule } from './define.js';
import { mistypedFlag } from './knowledge/dashes.js';
import { runInfo } from './knowledge/run.js';

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
    return {
      RUN(instruction) {
        for (const command of runInfo(instruction).commands) {
          if (command.name && printers.has(command.name)) continue;
          for (const word of command.words.slice(1)) {
            // Exec-form words are JSON strings (always "quoted"); in shell form a quoted word is data.
            if (word.value === undefined || (word.quoted && !runInfo(instruction).json)) continue;
            const mistyped = mistypedFlag(word.value);
            if (!mistyped) continue;
            const writtenAsIs = ctx.source.slice(word.start, word.start + mistyped.dashes.length) === mistyped.dashes;
            const edits = writtenAsIs
              ? [
                  {
                    start: word.start,
                    end: word.start + mistyped.dashes.length,
                    text: mistyped.corrected.slice(0, mistyped.corrected.length - (word.value.length - mistyped.dashes.length)),
                  },
                ]
              : undefined;
            ctx.report({
              range: { start: word.start, end: word.end },
              messageId: 'lookalike',
              data: {
                word: word.value,
                dashes: mistyped.lookalikes.map((name) => `an ${name}`.replace(/^an ([^aeiou])/, 'a $1')).join(' and '),
                program: command.name ?? 'the command',
                corrected: mistyped.corrected,
              },
              ...(edits && mistyped.certain && { fix: { safety: 'safe' as const, edits } }),
              ...(edits && !mistyped.certain && { suggest: [{ description: `Write \`${mistyped.corrected}\``, edits }] }),
            });
          }
        }
      },
    };
  },
});
