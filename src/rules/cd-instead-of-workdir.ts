/**
 * cd-instead-of-workdir: a `cd` in a RUN that was meant to last — the last command of the RUN (it changes nothing:
 * the next instruction starts in WORKDIR again), or the same `cd DIR` opening several RUNs of a stage.
 */
import type { Instruction } from '../dockerfile/index.js';
import type { SimpleCommand } from '../shell/commands.js';
import { defineRule } from './define.js';
import type { LocatedScript } from './knowledge/scripts.js';

export default defineRule({
  id: 'cd-instead-of-workdir',
  status: 'stable',
  since: '0.2.0',
  severity: 'info',
  tags: ['correctness'],
  fix: 'never',
  hadolint: ['DL3003'],
  messages: {
    noEffect:
      '`cd {{dir}}` is the last command of this RUN, so it changes nothing: every instruction starts in the WORKDIR again. Use `WORKDIR {{dir}}`.',
    repeated: 'Every RUN here starts with `cd {{dir}}` (also at line {{first}}). Say it once with `WORKDIR {{dir}}`.',
  },
  docs: {
    description: 'A `cd` in a RUN stands in for WORKDIR.',
    whatItDoes:
      'Reports a top-level `cd` that is the last command of a RUN (a RUN of only `cd /app` included), and a RUN that starts with `cd DIR &&` when an earlier RUN of the same stage started with the same `cd DIR`. A `cd` followed by the commands that need it (`cd /src && make`) is how a RUN works in another directory and is not reported; nor are `cd` inside subshells, conditions or functions.',
    why: 'Each RUN starts a new shell in the WORKDIR: a `cd` at the end of one is lost, so the steps after it run in the wrong directory (and fail, or write files where nothing looks for them). Repeating the same `cd` in front of every RUN works, but hides the directory the stage really works in; `WORKDIR` sets it once for RUN, COPY, ADD, CMD and ENTRYPOINT, and creates it when missing.',
    example: 'FROM node:22-slim\nRUN cd /app\nRUN npm ci',
    useInstead: 'FROM node:22-slim\nWORKDIR /app\nRUN npm ci',
    fixSafety:
      'No fix: `WORKDIR` also changes the directory of every later instruction, which the author must confirm; replacing a RUN that is only `cd DIR` is offered as a suggestion.',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3003', 'https://docs.docker.com/reference/dockerfile/#workdir'],
  },
  defaultOptions: {},
  create(ctx) {
    /** The first RUN of the current stage opening with each `cd DIR`. */
    let openers = new Map<string, Instruction>();
    return {
      FROM() {
        openers = new Map();
      },
      RUN(instruction) {
        const scripts = ctx.runScript(instruction).scripts;
        for (const run of scripts) {
          const last = run.script.commands.at(-1);
          if (last && isTopLevelCd(last) && last.argv.length === 2) reportNoEffect(instruction, run, last);
        }
        const first = scripts[0];
        const opener = first?.script.commands[0];
        if (!opener || !isTopLevelCd(opener) || opener === first.script.commands.at(-1)) return;
        const dir = opener.argv[1]?.value;
        if (dir === undefined || !dir.startsWith('/') || opener.argv.length !== 2) return;
        const earlier = openers.get(dir);
        if (!earlier) {
          openers.set(dir, instruction);
          return;
        }
        ctx.report({
          range: { start: first.base + opener.start, end: first.base + opener.argv[1].end },
          messageId: 'repeated',
          data: { dir, first: earlier.range.start.line },
        });
      },
    };

    function reportNoEffect(instruction: Instruction, run: LocatedScript, cd: SimpleCommand): void {
      const dir = cd.argv[1].value ?? cd.argv[1].text;
      const onlyCd = run.kind === 'shell' && run.script.commands.length === 1 && cd.argv[1].value?.startsWith('/');
      ctx.report({
        range: { start: run.base + cd.start, end: run.base + cd.argv[1].end },
        messageId: 'noEffect',
        data: { dir },
        ...(onlyCd && {
          suggest: [
            {
              description: `Replace the RUN with WORKDIR ${dir}`,
              edits: [{ start: instruction.range.start.offset, end: instruction.range.end.offset, text: `WORKDIR ${dir}` }],
            },
          ],
        }),
      });
    }
  },
});

/** A `cd` of the main shell: not in a subshell, condition, loop, function or pipeline. */
function isTopLevelCd(command: SimpleCommand): boolean {
  return command.name === 'cd' && command.context.length === 0;
}
