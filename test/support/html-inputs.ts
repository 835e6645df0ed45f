/**
 * Real inputs for the HTML report tests: a git history to replay (with a commit message and a Dockerfile comment
 * that try to inject script), and a small OCI image whose layers waste bytes, with the Dockerfile that made it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { testOutput } from './paths.js';
import { buildImage, type FileSpec, writeOciLayout } from './random-image.js';

/** Markup that must stay text wherever it appears: it would set `window.__pwned` if it ever ran. */
export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

export function scratchDir(t: TestContext | undefined, prefix: string): string {
  mkdirSync(testOutput, { recursive: true });
  const dir = mkdtempSync(join(testOutput, prefix));
  t?.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Commit {
  message: string;
  /** path → content; null deletes the file. */
  files: Record<string, string | null>;
}

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

/** A git repository in a fresh directory with `commits` on `main`, oldest first. */
export function gitHistory(t: TestContext | undefined, commits: readonly Commit[]): string {
  const dir = scratchDir(t, 'git-');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
  git('init', '-q', '-b', 'main');
  for (const commit of commits) {
    for (const [path, content] of Object.entries(commit.files)) {
      if (content === null) rmSync(join(dir, path), { force: true });
      else {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    }
    git('add', '-A');
    git('commit', '-q', '-m', commit.message);
  }
  return dir;
}

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
