import type { Instruction } from '../dockerfile/index.js';
import { expandWordDetailed, WordError } from '../dockerfile/words.js';
import { defineRule } from './define.js';

/** `FROM` without a tag, or with `latest`. Images are resolved through meta ARGs and `--build-arg` as BuildKit does. */
export default defineRule({
  id: 'unpinned-base-image',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['cache'],
  fix: 'never',
  hadolint: ['DL3006', 'DL3007'],
  messages: {
    noTag: 'base image {{image}} has no tag: it means "latest", which moves',
    latest: 'base image {{image}} uses the moving tag "latest"',
  },
  defaultOptions: {},
  docs: {
    description: 'A FROM names an image without a tag, or with the moving tag `latest`.',
    whatItDoes:
      'Reports a `FROM` whose image, after meta `ARG`s and `--build-arg` values are substituted, has no tag or the tag `latest` and no digest. `scratch`, earlier build stages, images that cannot be resolved (an `ARG` without a value) and text that is not an image reference (a template placeholder) are not reported.',
    why: "The base image is the first input of every step's cache key. A moving tag changes under you: the day `latest` points at a new image, every step of the stage rebuilds without any change of yours, two machines build different images from the same Dockerfile, and an old build cannot be reproduced. A pinned tag (or a digest) changes only when you change it, in a commit that says so.",
    example: 'FROM node\nRUN npm ci\n\nFROM python:latest\n',
    useInstead: 'FROM node:22.11-bookworm-slim\nRUN npm ci\n\nFROM python:3.12-slim@sha256:<digest>\n',
    fixSafety: 'No automatic fix: only you can choose the version to pin.',
    references: [
      'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
      'https://github.com/hadolint/hadolint/wiki/DL3006',
      'https://github.com/hadolint/hadolint/wiki/DL3007',
    ],
  },
  create(ctx) {
    const metaArgs: string[] = [];
    const stageNames = new Set<string>();
    let seenFrom = false;
    const escapeToken = ctx.ast.escapeToken;

    /** Meta ARGs (before the first FROM) are the only variables FROM can see; --build-arg values override their defaults. */
    const declareMetaArg = (instruction: Instruction) => {
      for (const { value } of instruction.args) {
        const equals = value.indexOf('=');
        const name = equals < 0 ? value : value.slice(0, equals);
        const given = ctx.buildArgs.get(name);
        if (given !== undefined) metaArgs.push(`${name}=${given}`);
        else if (equals >= 0) {
          const expanded = expand(value.slice(equals + 1), metaArgs, escapeToken);
          if (expanded !== undefined) metaArgs.push(`${name}=${expanded}`);
        }
      }
    };

    return {
      ARG(instruction) {
        if (!seenFrom) declareMetaArg(instruction);
      },
      FROM(instruction) {
        seenFrom = true;
        const [imageArg, as, stageArg] = instruction.args;
        if (stageArg && as.value.toLowerCase() === 'as') stageNames.add(stageArg.value.toLowerCase());
        if (!imageArg) return;
        const image = expand(imageArg.value, metaArgs, escapeToken);
        if (image === undefined || image === 'scratch') return;
        // Most images are pinned: that test is the cheapest, so it goes before the reference grammar.
        const tag = tagOf(image);
        if (tag === 'pinned' || !IMAGE_REFERENCE.test(image)) return;
        // A stage that is named later cannot be used here, so only stages seen so far count (BuildKit does the same).
        const isStage = stageNames.has(image.toLowerCase()) && image.toLowerCase() !== stageArg?.value.toLowerCase();
        if (isStage) return;
        ctx.report({ node: imageArg, messageId: tag === undefined ? 'noTag' : 'latest', data: { image } });
      },
    };
  },
});

/**
 * An image reference as the distribution grammar spells it: `[host[:port]/]path[:tag][@digest]`. Anything else (a
 * template placeholder such as `{{ .base }}`) is not an image we can judge; the build reports it.
 */
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$/;

/** The word expanded like BuildKit; undefined when it uses a variable without a value (nothing to judge). */
function expand(word: string, env: readonly string[], escapeToken: '\\' | '`'): string | undefined {
  // Without a variable, a quote, a heredoc marker or the escape token (most FROM lines) expansion leaves the word as it is.
  if (!/[$"'<]/.test(word) && !word.includes(escapeToken)) return word;
  try {
    const result = expandWordDetailed(word, env, { escapeToken });
    return result.unmatched.size > 0 ? undefined : result.word;
  } catch (error) {
    if (error instanceof WordError) return undefined; // BuildKit's own error; the build reports it
    throw error;
  }
}

/** `pinned` when the reference has a digest or a tag other than latest; the tag `latest`; undefined without a tag. */
function tagOf(reference: string): 'pinned' | 'latest' | undefined {
  if (reference.includes('@')) return 'pinned';
  const lastPart = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  if (colon < 0) return undefined;
  return lastPart.slice(colon + 1) === 'latest' ? 'latest' : 'pinned';
}
