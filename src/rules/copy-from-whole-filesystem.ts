/**
 * copy-from-whole-filesystem: `COPY --from=<stage or image> / <dest>` copies another image's entire root filesystem
 * into a stage that already has a base image, duplicating every file both share.
 */
import { defineRule } from './define.js';
import { imageName } from './knowledge/pep668.js';
import { type Stage, stageOf } from './knowledge/stages.js';

/**
 * Images known to hold a whole operating system. Images such as `tonistiigi/xx` are built FROM scratch and hold only
 * tools, and copying all of them is the intended use, so an unknown image is never reported.
 */
const osImages = new Set(
  'alpine debian ubuntu centos fedora rockylinux almalinux amazonlinux archlinux oraclelinux busybox buildpack-deps golang node python ruby php openjdk eclipse-temurin amazoncorretto maven gradle rust gcc perl erlang elixir haskell swift julia r-base mono dotnet/sdk dotnet/runtime dotnet/aspnet'.split(
    ' ',
  ),
);

function holdsOs(image: string): boolean {
  const { repository } = imageName(image);
  return osImages.has(repository);
}

const isScratch = (image: string) => image.toLowerCase() === 'scratch';

/** Whether a stage's root filesystem starts empty: it is built FROM scratch, directly or through its parents. */
function startsEmpty(stage: Stage): boolean {
  let root = stage;
  while (root.parent) root = root.parent;
  return isScratch(root.image);
}

export default defineRule({
  id: 'copy-from-whole-filesystem',
  status: 'stable',
  since: '0.1.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'never',
  hadolint: ['DL3067'],
  messages: {
    wholeFs:
      "COPY --from={{from}} copies that image's whole filesystem onto {{base}}: every file both contain is stored twice. Copy only the directories the image needs.",
  },
  docs: {
    description: "COPY --from copies another stage's or image's whole root filesystem.",
    whatItDoes:
      'Reports `COPY --from=X / <dest>` (the source is `/`) in a stage that has a base image, when X is, or is built on, an image known to hold a whole operating system (`debian`, `alpine`, `golang`, `node`…). Flattening into a `FROM scratch` stage, and copying out of images or stages that hold only tools or artifacts (`tonistiigi/xx`, a `FROM scratch` stage), are not reported.',
    why: "The copied tree contains X's operating system: libc, the package database, shells, certificates. On top of another base image these files are all stored a second time in one layer, often 50 to 500 MB, which every pull downloads; and the layer is rebuilt whenever anything in X changes.",
    example: `FROM golang:1.23 AS build
RUN go build -o /out/app ./...
FROM debian:bookworm-slim
COPY --from=build / /`,
    useInstead: `FROM golang:1.23 AS build
RUN go build -o /out/app ./...
FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/app`,
    fixSafety: 'No automatic fix: which paths the image needs is a decision.',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3067', 'https://docs.docker.com/build/building/multi-stage/'],
  },
  defaultOptions: {},
  create(ctx) {
    const stages = ctx.stages.stages;
    return {
      COPY(instruction) {
        const from = instruction.flags.find((flag) => flag.name === 'from')?.value;
        if (!from || instruction.args.length < 2) return;
        const sources = instruction.args.slice(0, -1);
        const root = sources.find((arg) => /^\/+\.?$/.test(arg.value) || arg.value === '/.');
        if (!root) return;
        const stage = stageOf(ctx.stages, instruction);
        if (!stage || startsEmpty(stage)) return;
        const source =
          stages.find((s) => s.name === from.toLowerCase()) ?? (/^\d+$/.test(from) ? stages[Number(from)] : undefined);
        let sourceRoot = source;
        while (sourceRoot?.parent) sourceRoot = sourceRoot.parent;
        if (!holdsOs(sourceRoot ? sourceRoot.image : from)) return;
        let base = stage;
        while (base.parent) base = base.parent;
        ctx.report({ node: instruction, messageId: 'wholeFs', data: { from, base: base.image } });
      },
    };
  },
});
