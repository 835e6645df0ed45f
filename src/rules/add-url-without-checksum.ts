import { defineRule } from './define.js';
import { sourceArgs, sourceText } from './knowledge/source-args.js';

/** `ADD https://…` without `--checksum`. Git sources are left alone: their pin is the ref in the URL. */
export default defineRule({
  id: 'add-url-without-checksum',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache', 'security'],
  fix: 'never',
  messages: {
    noChecksum: 'ADD downloads {{url}} without --checksum: BuildKit must fetch it on every build to know if it changed',
  },
  defaultOptions: {},
  docs: {
    description: 'ADD downloads a file over HTTP(S) without `--checksum`.',
    whatItDoes:
      'Reports each `http://` or `https://` source of an `ADD` that has no `--checksum` flag. Git repositories (URLs ending in `.git`, optionally with `#ref`) are not reported.',
    why: "Without a checksum BuildKit cannot know the step's cache key before it downloads: it contacts the server on every build, and when the file behind the URL changes (a re-published release, a CDN, an attacker), the step and everything after it silently rebuild into a different image. With `--checksum` the key is known in advance: the step stays CACHED without the network, and a changed file fails the build instead of changing the image.",
    example: 'ADD https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu\n',
    useInstead:
      'ADD --checksum=sha256:bbc4136d03ab138b1ad66fa4fc051bafc6cc7ffae632b069a53657279a450de3 \\\n    https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu\n',
    fixSafety: 'No automatic fix: the checksum must come from a download you trust, not from a linter.',
    references: [
      'https://docs.docker.com/reference/dockerfile/#add---checksum',
      'https://docs.docker.com/build/cache/invalidation/',
    ],
  },
  create(ctx) {
    return {
      ADD(instruction) {
        if (instruction.flags.some((flag) => flag.name === 'checksum')) return;
        // The last argument is the destination; heredoc sources (`<<EOF`) are inline files.
        for (const source of sourceArgs(instruction)) {
          const url = sourceText(instruction, source);
          if (!/^https?:\/\//i.test(url) || isGitUrl(url)) continue;
          ctx.report({ node: source, messageId: 'noChecksum', data: { url } });
        }
      },
    };
  },
});

/** BuildKit's git detection for ADD: a URL whose path ends in `.git` (a `#ref` may follow). */
function isGitUrl(url: string): boolean {
  return /\.git(#.*)?$/i.test(url.split('?')[0]);
}
