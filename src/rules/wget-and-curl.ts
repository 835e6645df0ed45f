/** wget-and-curl: one stage downloads with both wget and curl (hadolint DL4001). */
import { basename } from '../shell/commands.js';
import { defineRule } from './define.js';
import { runsAny } from './knowledge/command-names.js';
import { inSource } from './knowledge/scripts.js';

const DOWNLOADERS = new Set(['wget', 'curl']);

export default defineRule({
  id: 'wget-and-curl',
  status: 'stable',
  since: '0.2.0',
  severity: 'info',
  tags: ['size'],
  fix: 'never',
  hadolint: ['DL4001'],
  messages: {
    both: 'This stage runs `{{second}}` here and `{{first}}` on line {{line}}: two download tools where one does the job. Pick one and install only that.',
  },
  docs: {
    description: 'The RUNs of one stage download with both `wget` and `curl`.',
    whatItDoes:
      'Reports, once per stage, the first RUN command that calls `wget` when `curl` was already called in that stage (or the other way round), in shell form, exec form and heredoc scripts. Words that only name the tools (`apt-get install -y curl wget`) are not commands and are not reported.',
    why: 'Both tools must be installed in the image (or the base) for the stage to work: two packages, their libraries and their certificates, where one does every download a build needs. Settling on one keeps the image smaller and the Dockerfile uniform; in a final stage it also leaves one tool less for an attacker.',
    example:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl wget && rm -rf /var/lib/apt/lists/*\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN wget -qO /tmp/b.tgz https://example.com/b.tgz\n',
    useInstead:
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz\n',
    fixSafety: 'No automatic fix: wget and curl spell their options differently, and the package list must change too.',
    references: ['https://github.com/hadolint/hadolint/wiki/DL4001'],
  },
  defaultOptions: {},
  create(ctx) {
    /** The first downloader called in the current stage, and where; `reported` once the stage has its finding. */
    let first: { tool: string; line: number } | undefined;
    let reported = false;
    return {
      FROM() {
        first = undefined;
        reported = false;
      },
      RUN(instruction) {
        if (reported) return;
        const analysed = ctx.runScript(instruction);
        if (!runsAny(analysed, DOWNLOADERS)) return;
        for (const run of analysed.scripts) {
          for (const command of run.script.commands) {
            const tool = command.name === undefined ? undefined : basename(command.name);
            if (tool === undefined || !DOWNLOADERS.has(tool)) continue;
            if (first === undefined) first = { tool, line: instruction.range.start.line };
            else if (first.tool !== tool) {
              ctx.report({
                range: inSource(run, command.argv[0]),
                messageId: 'both',
                data: { first: first.tool, second: tool, line: first.line },
              });
              reported = true;
              return;
            }
          }
        }
      },
    };
  },
});
