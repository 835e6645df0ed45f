/** copy-archive-then-extract: a tar archive is COPYed in one layer and unpacked by a later RUN (hadolint DL3010). */

import type { Arg } from '../dockerfile/ast.js';
import type { Word } from '../shell/ast.js';
import { basename } from '../shell/commands.js';
import { defineRule } from './define.js';
import { sourceArgs, sourceText } from './knowledge/source-args.js';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

export default defineRule({
  id: 'copy-archive-then-extract',
  status: 'stable',
  since: '0.2.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'never',
  hadolint: ['DL3010'],
  messages: {
    copiedArchive:
      '`{{archive}}` is copied into its own layer and unpacked by the RUN on line {{line}}: the archive stays in the image, and a later `rm` frees nothing. Let `ADD` unpack a local tar archive in one step, or bind-mount it for the RUN that unpacks it.',
  },
  docs: {
    description: 'A tar archive is COPYed into the image and unpacked by a later RUN of the same stage.',
    whatItDoes:
      'Reports a `COPY` source whose name ends in a tar archive extension (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst`…) when a later RUN of the same stage runs `tar` in extract mode (`x`, `-x…`, `--extract`, `--get`) on a file of that name. The finding is at the COPY source: that layer holds the archive. `COPY --from` sources, globs and archives that are never unpacked are not reported.',
    why: 'Each instruction adds a layer, and a layer keeps every byte written in it. The COPY layer stores the compressed archive; the RUN layer stores what it unpacks. Deleting the archive in the RUN only hides it: the image carries both, and every pull downloads both. `ADD` unpacks a local tar archive while copying, so only the contents are stored; a bind mount makes the archive visible to the one RUN without storing it at all.',
    example: 'FROM debian:bookworm-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
    useInstead:
      'FROM debian:bookworm-slim\nADD app.tar.gz /opt/\n# or, when the RUN must do more than unpack:\nRUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt\n',
    fixSafety:
      'No automatic fix: `ADD` unpacks into the destination directory with its own rules (owner, existing files, compression detection), which is not always what the `tar` flags asked for.',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3010',
      'https://docs.docker.com/reference/dockerfile/#adding-local-tar-archives',
      'https://docs.docker.com/reference/dockerfile/#run---mounttypebind',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    /** Archives COPYed in the current stage and not yet reported, by file name. */
    let copied = new Map<string, Arg>();
    return {
      FROM() {
        copied = new Map();
      },
      COPY(instruction) {
        if (instruction.flags.some((flag) => flag.name === 'from')) return;
        for (const source of sourceArgs(instruction)) {
          const path = sourceText(instruction, source);
          if (!ARCHIVE.test(path) || /[*?[]/.test(path)) continue;
          copied.set(basename(path), source);
        }
      },
      RUN(instruction) {
        if (copied.size === 0) return;
        for (const run of ctx.runScript(instruction).scripts) {
          for (const command of run.script.commands) {
            if (command.name === undefined || basename(command.name) !== 'tar' || !extracts(command.argv.slice(1))) continue;
            for (const word of command.argv.slice(1)) {
              const name = word.value === undefined ? undefined : basename(word.value.replace(/^--file=/, ''));
              const source = name === undefined ? undefined : copied.get(name);
              if (name === undefined || source === undefined) continue;
              copied.delete(name);
              ctx.report({
                node: source,
                messageId: 'copiedArchive',
                data: { archive: name, line: instruction.range.start.line },
              });
            }
          }
        }
      },
    };
  },
});

/** Whether tar's arguments ask for extraction: an old-style first bundle (`xzf`), a short cluster (`-xzf`) or `--extract`/`--get`. */
function extracts(args: Word[]): boolean {
  return args.some((word, index) => {
    const value = word.value;
    if (value === undefined) return false;
    if (value === '--extract' || value === '--get') return true;
    if (value.startsWith('--')) return false;
    if (value.startsWith('-')) return value.slice(1).includes('x');
    return index === 0 && /^[A-Za-z]+$/.test(value) && value.includes('x');
  });
}
