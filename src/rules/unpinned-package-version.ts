/**
 * unpinned-package-version: an install names packages without a version, so what the RUN installs depends on the day
 * its cache entry was made, not on the Dockerfile.
 */
import type { PackageSpec } from '../shell/package-managers/index.js';
import { defineRule } from './define.js';
import { inSource } from './knowledge/scripts.js';

/** The managers hadolint checks (DL3008 apt, DL3018 apk, DL3013 pip, DL3016 npm, DL3028 gem, DL3033/41 yum/dnf, DL3037 zypper, DL3062 go). */
const checked = new Set(['apt-get', 'apt', 'aptitude', 'apk', 'pip', 'npm', 'gem', 'yum', 'dnf', 'microdnf', 'zypper', 'go']);

/** How to pin, per manager, for the message. */
const pinSyntax: Record<string, string> = {
  'apt-get': 'name=version',
  apt: 'name=version',
  aptitude: 'name=version',
  apk: 'name=version',
  pip: 'name==version',
  npm: 'name@version',
  gem: 'name:version or -v version',
  yum: 'name-version',
  dnf: 'name-version',
  microdnf: 'name-version',
  zypper: 'name=version',
  go: 'module@v1.2.3',
};

const SHOWN = 3;

export default defineRule({
  id: 'unpinned-package-version',
  status: 'stable',
  since: '0.2.0',
  severity: 'info',
  tags: ['cache', 'correctness'],
  fix: 'never',
  hadolint: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062'],
  messages: {
    unpinned:
      '`{{manager}}` installs {{packages}} without a version: a cold build gets whatever the mirror has that day, a warm one whatever the cache holds. Pin as `{{syntax}}`.',
  },
  docs: {
    description: 'A package is installed without a version.',
    whatItDoes:
      'Reports each install by apt-get/apt/aptitude, apk, pip, npm, gem, yum/dnf/microdnf, zypper and go that names packages without one exact version: `curl` instead of `curl=8.5.0-2` (apt, apk, zypper), `requests` instead of `requests==2.32.3` (pip), `pnpm` instead of `pnpm@9.1.0` (npm), `rails` without `-v` (gem), `nginx` instead of `nginx-1.24.0` (yum/dnf), `golang.org/x/tools/gopls@latest` instead of `@v0.16.2` (go install). Ranges and tags (`>=2`, `@latest`) are not pins. Local files, paths, URLs and requirement files are not reported, nor packages named by a variable. One finding per command, at its first unpinned package.',
    why: 'BuildKit reuses a RUN as long as its text and its inputs are unchanged, so the versions an unpinned install gives are those of the day the cache entry was made: a developer with a warm cache and a CI runner with a cold one build different images from the same commit, and a new upstream release breaks the build at a random later time instead of in the commit that asked for it. A pinned version changes the RUN text exactly when the dependency changes, which is when the step should rebuild.',
    example: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests',
    useInstead: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests==2.32.3',
    fixSafety: 'No fix: which version to pin is a decision for the author.',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3008',
      'https://github.com/hadolint/hadolint/wiki/DL3013',
      'https://github.com/hadolint/hadolint/wiki/DL3018',
      'https://docs.docker.com/build/building/best-practices/#apt-get',
    ],
  },
  defaultOptions: {},
  create(ctx) {
    return {
      RUN(instruction) {
        for (const { call, in: run } of ctx.runScript(instruction).calls) {
          if (call.operation !== 'install' || !checked.has(call.manager) || !call.packages.some(isUnpinned)) continue;
          const unpinned = call.packages.filter(isUnpinned);
          const names = unpinned.slice(0, SHOWN).map((spec) => `\`${spec.text}\``);
          const more = unpinned.length > SHOWN ? ` and ${unpinned.length - SHOWN} more` : '';
          ctx.report({
            range: inSource(run, unpinned[0]),
            messageId: 'unpinned',
            data: { manager: call.manager, packages: names.join(', ') + more, syntax: pinSyntax[call.manager] },
          });
        }
      },
    };
  },
});

/** A registry package without an exact version; a name or version built from a variable cannot be judged. */
function isUnpinned(spec: PackageSpec): boolean {
  return spec.kind === 'name' && !spec.pinned && !spec.text.includes('$') && !spec.name.startsWith('-');
}
