/** sudo-in-run: `sudo` inside a RUN, where the build decides the user with USER. */
import { basename } from '../shell/commands.js';
import { defineRule } from './define.js';
import { inSource } from './knowledge/scripts.js';

export default defineRule({
  id: 'sudo-in-run',
  status: 'stable',
  since: '0.2.0',
  severity: 'warning',
  tags: ['correctness', 'security'],
  fix: 'never',
  hadolint: ['DL3004'],
  messages: {
    sudo: '`sudo` in a RUN: most base images do not ship it (the build fails with "sudo: not found"), and where they do it hides which steps run as root. Run those steps before `USER`, or switch with `USER root` and back.',
  },
  docs: {
    description: 'A RUN calls `sudo`.',
    whatItDoes:
      'Reports a RUN whose script runs a command through `sudo` (also inside `&&` chains, subshells, `if` bodies and heredoc scripts), once, at the first `sudo`. Words that merely mention sudo (`apt-get install -y sudo`, `usermod -aG sudo app`) are not commands and are not reported.',
    why: 'A RUN already runs as the USER in force, root by default. Debian, Ubuntu, Alpine and most language images do not install sudo, so the step fails with `sudo: not found`; where it is installed, a password prompt or `requiretty` can fail or hang the build, and the image keeps a privilege-escalation tool that the running container does not need. `USER root` … `USER app` states in the Dockerfile which steps need root.',
    example: 'FROM ubuntu:24.04\nUSER ubuntu\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl',
    useInstead:
      'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER ubuntu',
    fixSafety:
      "No fix: which user the step should run as is the author's decision (removing `sudo` after a `USER` line would run the command as that user).",
    references: ['https://github.com/hadolint/hadolint/wiki/DL3004', 'https://docs.docker.com/reference/dockerfile/#user'],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        const analysed = ctx.runScript(instruction);
        if (!analysed.commandNames.has('sudo')) return;
        // One finding per RUN, at its first sudo: the advice (move the steps, or USER root) is per RUN.
        for (const run of analysed.scripts) {
          const sudo = run.script.commands.find((command) => command.name !== undefined && basename(command.name) === 'sudo');
          if (!sudo) continue;
          ctx.report({ range: inSource(run, sudo.argv[0]), messageId: 'sudo' });
          return;
        }
      },
    };
  },
});
