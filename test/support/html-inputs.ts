/**
 * Real inputs for the HTML report tests: a git history to replay (with a commit message and a Dockerfile comment
 * that try to inject script), and a small OCI image whose layers waste bytes, with the Dockerfile that made it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Commit } from './git-history.js';
import { buildImage, type FileSpec, writeOciLayout } from './random-image.js';

/** Markup that must stay text wherever it appears: it would set `window.__pwned` if it ever ran. */
export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

const DOCKERFILE = `FROM debian:bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python3 -m compileall .
`;

/** A small Python service's history: code edits, a dependency bump, a revert, and two hostile texts. */
export const REPLAY_HISTORY: Commit[] = [
  { message: 'initial service', files: { Dockerfile: DOCKERFILE, 'requirements.txt': 'flask\n', 'app.py': 'print(1)\n' } },
  { message: 'fix a typo in app.py', files: { 'app.py': 'print(2)\n' } },
  { message: 'add requests', files: { 'requirements.txt': 'flask\nrequests\n' } },
  { message: `handle ${HOSTILE} in templates`, files: { 'app.py': 'print(3)\n' } },
  { message: 'document the image', files: { Dockerfile: `# ${HOSTILE}\n${DOCKERFILE}` } },
  { message: 'drop requests again', files: { 'requirements.txt': 'flask\n' } },
];

/** The Dockerfile of `wastefulImage` (the last stage's RUN/COPY lines produce layers 1–3). */
export const WASTEFUL_DOCKERFILE = `# ${HOSTILE}
FROM scratch-base
RUN curl -o /var/cache/big.deb https://example.invalid/big.deb
RUN rm /var/cache/big.deb
COPY app /app
`;

/** An OCI layout holding a four-layer image whose layer 1 writes 200 kB that layer 2 deletes; returns its `oci:` ref. */
export async function wastefulImage(dir: string): Promise<{ ref: string; dockerfile: string }> {
  const layers: FileSpec[][] = [
    [
      { path: 'etc/', type: 'directory' },
      { path: 'etc/os-release', content: 'ID=test\n' },
      { path: 'bin/sh', content: 50_000 },
    ],
    [
      { path: 'var/', type: 'directory' },
      { path: 'var/cache/', type: 'directory' },
      { path: 'var/cache/big.deb', content: 200_000 },
    ],
    [
      { path: 'var/cache/', type: 'directory' },
      { path: 'var/cache/.wh.big.deb', content: '' },
    ],
    [
      { path: 'app/', type: 'directory' },
      { path: `app/${HOSTILE.replaceAll('/', '|')}.txt`, content: 'hello\n' },
    ],
  ];
  const image = await buildImage({
    layers,
    history: [
      { createdBy: '/bin/sh -c #(nop) ADD file:base in / ' },
      { createdBy: 'RUN /bin/sh -c curl -o /var/cache/big.deb https://example.invalid/big.deb # buildkit' },
      { createdBy: 'RUN /bin/sh -c rm /var/cache/big.deb # buildkit' },
      { createdBy: `COPY app /app # buildkit ${HOSTILE}` },
    ],
  });
  const layout = join(dir, 'oci');
  await writeOciLayout(layout, [{ image, tag: 'v1' }]);
  const dockerfile = join(dir, 'Dockerfile');
  writeFileSync(dockerfile, WASTEFUL_DOCKERFILE);
  return { ref: `oci:${layout}:v1`, dockerfile };
}
