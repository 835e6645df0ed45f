/**
 * OLD/NEW build scenarios that pin BuildKit's cache behaviour. Each is built for real (engine-scenarios.test.ts):
 * OLD first, then NEW, and every step's CACHED status BuildKit prints must equal the prediction. `expect` lists the
 * predicted status per Dockerfile line of NEW (FROM lines excluded: BuildKit never prints a pulled base as CACHED).
 * `@NONCE` (in the Dockerfile and in file contents) is replaced by a per-run, per-scenario value so other runs and
 * scenarios' cache entries cannot answer for this run.
 */
export interface ScenarioSide {
  dockerfile: string;
  files?: Record<string, string>;
  /** Paths to chmod 0755 after writing. */
  executable?: string[];
  /** Symbolic links to make: path → target. */
  symlinks?: Record<string, string>;
  buildArgs?: Record<string, string>;
  /** Further `docker build` options for this side (e.g. `--allow security.insecure`); `@CONTEXT` = the context dir. */
  buildOptions?: string[];
  /** Extended attributes to set (path → name → value as `setfattr -v` takes it); needs `setfattr` (package attr). */
  xattrs?: Record<string, Record<string, string>>;
}

export interface Scenario {
  name: string;
  old: ScenarioSide;
  new: ScenarioSide;
  target?: string;
  /** line → what BuildKit printed for NEW's steps (RUN, COPY, ADD, WORKDIR). */
  expect: Record<number, 'cached' | 'rebuilt'>;
  /**
   * Lines predicted `unknown` (BuildKit's outcome for them is in `expect`): only where the answer truly depends on what
   * a command outputs. Every other line must be predicted exactly as BuildKit printed it.
   */
  unknown?: number[];
  /**
   * Containerd image store only: line → what BuildKit printed for the copy half of each `--link` step (the copy onto an
   * empty layer; `expect` holds the step, i.e. the merge onto the image so far). Every `--link` step is listed.
   */
  linkCopy?: Record<number, 'cached' | 'rebuilt'>;
  /**
   * An engine too old for the feature refuses NEW with this message (and only this one): then the test asserts that
   * refusal and reports `reason` instead of comparing; any other failure fails the test.
   */
  unsupported?: { message: RegExp; reason: string };
}

const FROM = 'FROM debian:bookworm\nRUN echo @NONCE > /nonce';

export const scenarios: Scenario[] = [
  {
    name: 'nothing changed: every step cached',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a.txt\nRUN cat /a.txt\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY a.txt /a.txt\nRUN cat /a.txt\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'cached', 4: 'cached' },
  },
  {
    name: 'RUN text is keyed as joined: re-indented continuation lines rebuild',
    old: { dockerfile: `${FROM}\nRUN echo a && \\\n  echo b\n` },
    new: { dockerfile: `${FROM}\nRUN echo a && \\\n    echo b\n` },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'a comment line inside a continuation changes nothing',
    old: { dockerfile: `${FROM}\nRUN echo a && \\\n  echo b\n` },
    new: { dockerfile: `${FROM}\nRUN echo a && \\\n# why\n  echo b\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'keyword case and an exec form equal to the shell form stay cached',
    old: { dockerfile: `${FROM}\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nrun ["/bin/sh","-c","echo x"]\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'a changed ARG rebuilds later RUNs, not a COPY before them',
    old: {
      dockerfile: `${FROM}\nARG GIT_SHA\nCOPY a.txt /a\nRUN echo build\n`,
      files: { 'a.txt': 'a' },
      buildArgs: { GIT_SHA: 'a1b2' },
    },
    new: {
      dockerfile: `${FROM}\nARG GIT_SHA\nCOPY a.txt /a\nRUN echo build\n`,
      files: { 'a.txt': 'a' },
      buildArgs: { GIT_SHA: 'c3d4' },
    },
    expect: { 2: 'cached', 4: 'cached', 5: 'rebuilt' },
  },
  {
    name: 'undeclared build args, proxy or not, never matter',
    old: { dockerfile: `${FROM}\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nRUN echo x\n`, buildArgs: { HTTP_PROXY: 'http://proxy.invalid:3128', UNUSED: '1' } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'a declared proxy ARG is part of the RUN environment',
    old: { dockerfile: `${FROM}\nARG HTTP_PROXY\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nARG HTTP_PROXY\nRUN echo x\n`, buildArgs: { HTTP_PROXY: 'http://proxy.invalid:3128' } },
    expect: { 2: 'cached', 4: 'rebuilt' },
  },
  {
    name: 'env order: re-setting an earlier variable to its value rebuilds',
    old: { dockerfile: `${FROM}\nENV A=1\nENV B=2\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nENV A=1\nENV B=2\nENV A=1\nRUN echo x\n` },
    expect: { 2: 'cached', 6: 'rebuilt' },
  },
  {
    name: 'an ENV change rebuilds RUN, not a COPY after it',
    old: { dockerfile: `${FROM}\nENV MODE=a\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nENV MODE=b\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 4: 'cached', 5: 'rebuilt' },
  },
  {
    name: 'an ARG default edited in the Dockerfile rebuilds RUN, not COPY',
    old: { dockerfile: `${FROM}\nARG V=1\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nARG V=2\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 4: 'cached', 5: 'rebuilt' },
  },
  {
    name: 'WORKDIR /app → /app/: the mkdir and COPY stay cached, RUN sees a new cwd',
    old: { dockerfile: `${FROM}\nWORKDIR /app\nCOPY a.txt .\nRUN ls\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nWORKDIR /app/\nCOPY a.txt .\nRUN ls\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'cached', 4: 'cached', 5: 'rebuilt' },
  },
  {
    name: 'USER before a RUN rebuilds it',
    old: { dockerfile: `${FROM}\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nUSER nobody\nRUN echo x\n` },
    expect: { 2: 'cached', 4: 'rebuilt' },
  },
  {
    name: 'SHELL rebuilds shell-form RUNs only',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\nRUN ["echo","exec"]\nRUN echo shell\n`, files: { 'a.txt': 'a' } },
    new: {
      dockerfile: `${FROM}\nSHELL ["/bin/bash","-c"]\nCOPY a.txt /a\nRUN ["echo","exec"]\nRUN echo shell\n`,
      files: { 'a.txt': 'a' },
    },
    expect: { 2: 'cached', 4: 'cached', 5: 'cached', 6: 'rebuilt' },
  },
  {
    name: '--network=none is part of the RUN key',
    old: { dockerfile: `${FROM}\nRUN echo x\n` },
    new: { dockerfile: `${FROM}\nRUN --network=none echo x\n` },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'cache mount: leaving the default sharing rebuilds',
    old: { dockerfile: `${FROM}\nRUN --mount=type=cache,target=/c echo x\n` },
    new: { dockerfile: `${FROM}\nRUN --mount=type=cache,target=/c,sharing=locked echo x\n` },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'cache mount: one non-default id for another changes nothing',
    old: { dockerfile: `${FROM}\nRUN --mount=type=cache,target=/c,id=one echo x\n` },
    new: { dockerfile: `${FROM}\nRUN --mount=type=cache,target=/c,id=two echo x\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'bind mount: a file under its source rebuilds the RUN',
    old: { dockerfile: `${FROM}\nRUN --mount=type=bind,source=src,target=/s ls /s\n`, files: { 'src/a': '1', other: '1' } },
    new: { dockerfile: `${FROM}\nRUN --mount=type=bind,source=src,target=/s ls /s\n`, files: { 'src/a': '2', other: '1' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'bind mount: a file outside its source changes nothing',
    old: { dockerfile: `${FROM}\nRUN --mount=type=bind,source=src,target=/s ls /s\n`, files: { 'src/a': '1', other: '1' } },
    new: { dockerfile: `${FROM}\nRUN --mount=type=bind,source=src,target=/s ls /s\n`, files: { 'src/a': '1', other: '2' } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY . rebuilds on a content change, and the steps after it',
    old: { dockerfile: `${FROM}\nCOPY . /app\nRUN ls /app\n`, files: { 'src/app.py': 'v1', README: 'r' } },
    new: { dockerfile: `${FROM}\nCOPY . /app\nRUN ls /app\n`, files: { 'src/app.py': 'v2', README: 'r' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
  },
  {
    name: 'mode bits are content',
    old: { dockerfile: `${FROM}\nCOPY run.sh /run.sh\n`, files: { 'run.sh': 'echo' } },
    new: { dockerfile: `${FROM}\nCOPY run.sh /run.sh\n`, files: { 'run.sh': 'echo' }, executable: ['run.sh'] },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'an empty file added to a copied directory rebuilds',
    old: { dockerfile: `${FROM}\nCOPY d /d\n`, files: { 'd/a': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY d /d\n`, files: { 'd/a': 'a', 'd/empty': '' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'a .dockerignore-d file never counts',
    old: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': 'notes/\n*.log\n', 'app.py': 'p', 'notes/n.md': '1', 'x.log': '1' },
    },
    new: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': 'notes/\n*.log\n', 'app.py': 'p', 'notes/n.md': '2', 'x.log': '2' },
    },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY --exclude: editing only an excluded file keeps it cached',
    old: { dockerfile: `${FROM}\nCOPY --exclude=*.md . /app\n`, files: { 'a.md': '1', 'x.py': 'p' } },
    new: { dockerfile: `${FROM}\nCOPY --exclude=*.md . /app\n`, files: { 'a.md': '2', 'x.py': 'p' } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'a wildcard source ignores files it does not match',
    old: { dockerfile: `${FROM}\nCOPY *.txt /t/\n`, files: { 'a.txt': 'a', 'b.md': '1' } },
    new: { dockerfile: `${FROM}\nCOPY *.txt /t/\n`, files: { 'a.txt': 'a', 'b.md': '2' } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'a RUN moved down by blank and comment lines stays cached: lines are not keyed',
    old: { dockerfile: `${FROM}\nRUN echo moved\n` },
    new: { dockerfile: `${FROM}\n\n# install\n\nRUN echo moved\n` },
    expect: { 2: 'cached', 6: 'cached' },
  },
  {
    name: 'a symlink is its target: pointing it at an identical file elsewhere rebuilds the COPY',
    old: { dockerfile: `${FROM}\nCOPY d /d\n`, files: { 'd/a': 'same', 'd/b': 'same' }, symlinks: { 'd/link': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY d /d\n`, files: { 'd/a': 'same', 'd/b': 'same' }, symlinks: { 'd/link': 'b' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'dockerignore: **, a leading / and a path cleaned of .. exclude what they name',
    old: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '**/*.log\n/tmp\ndocs/../secret\n', app: 'p', 'a/b/x.log': '1', 'tmp/t': '1', secret: '1' },
    },
    new: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '**/*.log\n/tmp\ndocs/../secret\n', app: 'p', 'a/b/x.log': '2', 'tmp/t': '2', secret: '2' },
    },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY --chmod is part of the key: adding it rebuilds',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY --chmod=755 a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'COPY --chown is part of the key: adding it rebuilds',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY --chown=1000:1000 a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'COPY → ADD of a plain file rebuilds',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nADD a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'adding --link changes nothing with the overlay2 image store',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY --link a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY --from an unchanged stage stays cached; a later edit rebuilds only what follows',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN echo @NONCE > /out\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out /out\nRUN echo one\n`,
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN echo @NONCE > /out\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out /out\nRUN echo two\n`,
    },
    expect: { 2: 'cached', 4: 'cached', 5: 'cached', 6: 'rebuilt' },
  },
  {
    name: 'with --target an earlier stage, later stages do not matter',
    old: {
      dockerfile: `FROM debian:bookworm AS first\nRUN echo @NONCE\nRUN echo one\nFROM debian:bookworm AS last\nRUN echo x\n`,
    },
    new: {
      dockerfile: `FROM debian:bookworm AS first\nRUN echo @NONCE\nRUN echo one\nFROM debian:bookworm AS last\nRUN echo y\n`,
    },
    target: 'first',
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'renaming a stage changes nothing',
    old: { dockerfile: `FROM debian:bookworm AS one\nRUN echo @NONCE\nRUN echo x\n` },
    new: { dockerfile: `FROM debian:bookworm AS two\nRUN echo @NONCE\nRUN echo x\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'FROM --platform=$BUILDPLATFORM on a single-platform build changes nothing',
    old: { dockerfile: `${FROM}\nRUN echo x\n` },
    new: { dockerfile: `FROM --platform=$BUILDPLATFORM debian:bookworm\nRUN echo @NONCE > /nonce\nRUN echo x\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY --exclude of a single file source: a content change is still seen',
    old: { dockerfile: `${FROM}\nCOPY --exclude=*.md a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY --exclude=*.md a.txt /a\n`, files: { 'a.txt': 'b' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'COPY --from a stage rebuilt only in a step that writes elsewhere stays cached',
    old: {
      dockerfile: `FROM debian:bookworm AS files\nRUN echo @NONCE > /nonce\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=files /f/a.txt /a.txt\nRUN cat /a.txt\n`,
      files: { 'a.txt': 'a', 'b.txt': '1' },
    },
    new: {
      dockerfile: `FROM debian:bookworm AS files\nRUN echo @NONCE > /nonce\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=files /f/a.txt /a.txt\nRUN cat /a.txt\n`,
      files: { 'a.txt': 'a', 'b.txt': '2' },
    },
    expect: { 2: 'cached', 3: 'cached', 4: 'rebuilt', 6: 'cached', 7: 'cached', 8: 'cached' },
  },
  {
    name: 'COPY --from a directory of the stage whose copied file changed rebuilds',
    old: {
      dockerfile: `FROM debian:bookworm AS files\nRUN echo @NONCE > /nonce\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=files /f /f\nRUN ls /f\n`,
      files: { 'a.txt': 'a', 'b.txt': '1' },
    },
    new: {
      dockerfile: `FROM debian:bookworm AS files\nRUN echo @NONCE > /nonce\nCOPY a.txt /f/a.txt\nCOPY b.txt /g/b.txt\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=files /f /f\nRUN ls /f\n`,
      files: { 'a.txt': 'A', 'b.txt': '1' },
    },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt', 6: 'cached', 7: 'rebuilt', 8: 'rebuilt' },
  },
  {
    name: 'COPY --from the output of a cached RUN stays cached when a later COPY of the stage changes',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE > /out/app\nCOPY notes.md /docs/\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
      files: { 'notes.md': '1' },
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE > /out/app\nCOPY notes.md /docs/\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
      files: { 'notes.md': '2' },
    },
    expect: { 2: 'cached', 3: 'rebuilt', 5: 'cached', 6: 'cached', 7: 'cached' },
  },
  {
    name: 'COPY --from a RUN that runs again but writes the same bytes: BuildKit keeps it cached (predicted unknown)',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE > /out/app\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir  /out && echo @NONCE > /out/app\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
    },
    expect: { 2: 'rebuilt', 4: 'cached', 5: 'cached', 6: 'cached' },
    unknown: [5, 6],
  },
  {
    name: 'COPY --from a RUN that runs again and writes other bytes rebuilds (predicted unknown)',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE one > /out/app\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE two > /out/app\nFROM debian:bookworm\nRUN echo @NONCE\nCOPY --from=build /out/app /app\nRUN cat /app\n`,
    },
    expect: { 2: 'rebuilt', 4: 'cached', 5: 'rebuilt', 6: 'rebuilt' },
    unknown: [5, 6],
  },
  {
    name: 'RUN --mount=from a stage rebuilt only where it does not read stays cached',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE > /out/app\nCOPY notes.md /docs/\nFROM debian:bookworm\nRUN echo @NONCE\nRUN --mount=type=bind,from=build,source=/out,target=/o cat /o/app\n`,
      files: { 'notes.md': '1' },
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN mkdir /out && echo @NONCE > /out/app\nCOPY notes.md /docs/\nFROM debian:bookworm\nRUN echo @NONCE\nRUN --mount=type=bind,from=build,source=/out,target=/o cat /o/app\n`,
      files: { 'notes.md': '2' },
    },
    expect: { 2: 'cached', 3: 'rebuilt', 5: 'cached', 6: 'cached' },
  },
  {
    name: 'a user.* xattr on a context file is content',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' }, xattrs: { 'a.txt': { 'user.note': 'changed' } } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'a security.capability xattr on a context file is content',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: {
      dockerfile: `${FROM}\nCOPY a.txt /a\n`,
      files: { 'a.txt': 'a' },
      xattrs: { 'a.txt': { 'security.capability': '0sAQAAAgAgAAAAAAAAAAAAAAAAAAA=' } },
    },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'the same user.* xattr on both sides keeps the COPY cached',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' }, xattrs: { 'a.txt': { 'user.note': 'same' } } },
    new: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' }, xattrs: { 'a.txt': { 'user.note': 'same' } } },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'a trusted.* xattr is content too (only security.* and system.* are left out)',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nCOPY a.txt /a\n`, files: { 'a.txt': 'a' }, xattrs: { 'a.txt': { 'trusted.note': 'x' } } },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'secret mount: its contents never count',
    old: {
      dockerfile: `${FROM}\nRUN --mount=type=secret,id=token test -s /run/secrets/token\n`,
      files: { 'secret/token': 'one' },
      buildOptions: ['--secret', 'id=token,src=@CONTEXT/secret/token'],
    },
    new: {
      dockerfile: `${FROM}\nRUN --mount=type=secret,id=token test -s /run/secrets/token\n`,
      files: { 'secret/token': 'two' },
      buildOptions: ['--secret', 'id=token,src=@CONTEXT/secret/token'],
    },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'secret mount: a changed id rebuilds',
    old: {
      dockerfile: `${FROM}\nRUN --mount=type=secret,id=a true\n`,
      files: { s: 'x' },
      buildOptions: ['--secret', 'id=a,src=@CONTEXT/s', '--secret', 'id=b,src=@CONTEXT/s'],
    },
    new: {
      dockerfile: `${FROM}\nRUN --mount=type=secret,id=b true\n`,
      files: { s: 'x' },
      buildOptions: ['--secret', 'id=a,src=@CONTEXT/s', '--secret', 'id=b,src=@CONTEXT/s'],
    },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'tmpfs mount: a changed target rebuilds',
    old: { dockerfile: `${FROM}\nRUN --mount=type=tmpfs,target=/t true\n` },
    new: { dockerfile: `${FROM}\nRUN --mount=type=tmpfs,target=/u true\n` },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'COPY <<EOF is keyed by the inline content',
    old: { dockerfile: `${FROM}\nCOPY <<EOF /greeting\nhello\nEOF\nRUN cat /greeting\n` },
    new: { dockerfile: `${FROM}\nCOPY <<EOF /greeting\nhello, world\nEOF\nRUN cat /greeting\n` },
    expect: { 2: 'cached', 3: 'rebuilt', 6: 'rebuilt' },
  },
  {
    name: 'RUN <<EOF: an edited body rebuilds; a comment elsewhere changes nothing',
    old: { dockerfile: `${FROM}\nRUN <<EOF\necho one\nEOF\nRUN <<EOF\necho two\nEOF\n` },
    new: { dockerfile: `${FROM}\n# a comment\nRUN <<EOF\necho one\nEOF\nRUN <<EOF\necho three\nEOF\n` },
    expect: { 2: 'cached', 4: 'cached', 7: 'rebuilt' },
  },
  {
    name: 'RUN <<EOF with a #! body: an edited body rebuilds',
    old: { dockerfile: `${FROM}\nRUN <<EOF\n#!/bin/sh\necho one\nEOF\n` },
    new: { dockerfile: `${FROM}\nRUN <<EOF\n#!/bin/sh\necho two\nEOF\n` },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: 'RUN cat <<EOF > file: an edited body rebuilds, the same body stays cached',
    old: { dockerfile: `${FROM}\nRUN cat <<EOF > /a\none\nEOF\nRUN cat <<EOF > /b\nsame\nEOF\n` },
    new: { dockerfile: `${FROM}\nRUN cat <<EOF > /a\ntwo\nEOF\nRUN cat <<EOF > /b\nsame\nEOF\n` },
    expect: { 2: 'cached', 3: 'rebuilt', 6: 'rebuilt' },
  },
  {
    name: 'RUN <<-EOF: re-indenting the body with tabs changes nothing (they are chomped)',
    old: { dockerfile: `${FROM}\nRUN <<-EOF\necho one\nEOF\n` },
    new: { dockerfile: `${FROM}\nRUN <<-EOF\n\t\techo one\n\tEOF\n` },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'Dockerfile.dockerignore wins over .dockerignore',
    old: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': 'other/\n', 'Dockerfile.dockerignore': 'notes/\n', 'app.py': 'p', 'notes/n.md': '1' },
    },
    new: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': 'other/\n', 'Dockerfile.dockerignore': 'notes/\n', 'app.py': 'p', 'notes/n.md': '2' },
    },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: '.dockerignore: a ! exception brings a file back into the checksum',
    old: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '*.md\n!README.md\n', 'README.md': '1', 'other.md': '1' },
    },
    new: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '*.md\n!README.md\n', 'README.md': '2', 'other.md': '1' },
    },
    expect: { 2: 'cached', 3: 'rebuilt' },
  },
  {
    name: '.dockerignore: editing a file an exception does not reach changes nothing',
    old: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '*.md\n!README.md\n', 'README.md': '1', 'other.md': '1' },
    },
    new: {
      dockerfile: `${FROM}\nCOPY . /app\n`,
      files: { '.dockerignore': '*.md\n!README.md\n', 'README.md': '1', 'other.md': '2' },
    },
    expect: { 2: 'cached', 3: 'cached' },
  },
  {
    name: 'COPY --parents: only a frontend that knows the flag can build it',
    old: { dockerfile: `${FROM}\nCOPY a/b.txt /x/\n`, files: { 'a/b.txt': 'b' } },
    new: { dockerfile: `${FROM}\nCOPY --parents a/b.txt /x/\n`, files: { 'a/b.txt': 'b' } },
    expect: { 2: 'cached', 3: 'rebuilt' },
    unsupported: {
      message: /dockerfile parse error on line \d+: unknown flag: --parents/,
      reason: "the engine's Dockerfile frontend predates COPY --parents (labs-only before Dockerfile 1.20 / BuildKit 0.26)",
    },
  },
  {
    name: 'adding --link to ADD changes nothing with the overlay2 image store',
    old: { dockerfile: `${FROM}\nADD a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nADD --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'cached', 4: 'cached' },
  },
  {
    name: 'COPY --link after a changed RUN rebuilds like a plain COPY with the overlay2 image store',
    old: { dockerfile: `${FROM}\nRUN echo one\nCOPY --link a.txt /a\n`, files: { 'a.txt': 'a' } },
    new: { dockerfile: `${FROM}\nRUN echo two\nCOPY --link a.txt /a\n`, files: { 'a.txt': 'a' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
  },
];

/**
 * `--link` on the containerd image store (built on scripts/engine.sh's second engine, predicted with
 * `imageStore: 'containerd'`). The step is CACHED only when the merge is; after a change above it the copy half stays
 * CACHED (`linkCopy`) while the merge and what follows run again.
 */
export const containerdScenarios: Scenario[] = [
  {
    name: 'nothing changed: a --link step is cached, copy and merge',
    old: { dockerfile: `${FROM}\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'cached', 4: 'cached' },
    linkCopy: { 3: 'cached' },
  },
  {
    name: 'adding --link to a COPY rebuilds it and what follows',
    old: { dockerfile: `${FROM}\nCOPY a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
    linkCopy: { 3: 'rebuilt' },
  },
  {
    name: 'adding --link to an ADD rebuilds it and what follows',
    old: { dockerfile: `${FROM}\nADD a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nADD --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
    linkCopy: { 3: 'rebuilt' },
  },
  {
    name: 'COPY --link after a changed RUN: the copy half stays cached, the merge and what follows run',
    old: { dockerfile: `${FROM}\nRUN echo one\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nRUN echo two\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt', 5: 'rebuilt' },
    linkCopy: { 4: 'cached' },
  },
  {
    name: 'ADD --link after a changed RUN: the copy half stays cached',
    old: { dockerfile: `${FROM}\nRUN echo one\nADD --link a.txt /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nRUN echo two\nADD --link a.txt /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
    linkCopy: { 4: 'cached' },
  },
  {
    name: 'a changed --link source rebuilds both halves',
    old: { dockerfile: `${FROM}\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nCOPY --link a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'b @NONCE' } },
    expect: { 2: 'cached', 3: 'rebuilt', 4: 'rebuilt' },
    linkCopy: { 3: 'rebuilt' },
  },
  {
    name: '--link with --chmod is a plain copy: adding --link changes nothing',
    old: { dockerfile: `${FROM}\nCOPY --chmod=600 a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nCOPY --link --chmod=600 a.txt /a\nRUN cat /a\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 3: 'cached', 4: 'cached' },
  },
  {
    name: 'COPY --link --from a stage after a changed RUN: the copy half stays cached',
    old: {
      dockerfile: `FROM debian:bookworm AS build\nRUN echo @NONCE > /out\nFROM debian:bookworm\nRUN echo @NONCE one\nCOPY --link --from=build /out /out\n`,
    },
    new: {
      dockerfile: `FROM debian:bookworm AS build\nRUN echo @NONCE > /out\nFROM debian:bookworm\nRUN echo @NONCE two\nCOPY --link --from=build /out /out\n`,
    },
    expect: { 2: 'cached', 4: 'rebuilt', 5: 'rebuilt' },
    linkCopy: { 5: 'cached' },
  },
  {
    name: 'a plain COPY on the containerd store behaves as on overlay2: an ENV change keeps it cached',
    old: { dockerfile: `${FROM}\nENV MODE=a\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a @NONCE' } },
    new: { dockerfile: `${FROM}\nENV MODE=b\nCOPY a.txt /a\nRUN echo x\n`, files: { 'a.txt': 'a @NONCE' } },
    expect: { 2: 'cached', 4: 'cached', 5: 'rebuilt' },
  },
];

/**
 * `RUN --security=insecure`, built with `--allow security.insecure` on scripts/engine.sh's second engine (whose
 * daemon.json grants the entitlement). Docker 28.5's built-in frontend (BuildKit 0.25) knows the flag only in its labs
 * build (promoted to stable in Dockerfile 1.20 / BuildKit 0.26), and `# syntax=docker/dockerfile:1-labs` cannot be
 * pulled here: on such an engine the build is refused as an unknown flag, after the entitlement was granted.
 */
const insecure = {
  message: /dockerfile parse error on line \d+: unknown flag: --security/,
  reason: "the engine's Dockerfile frontend predates RUN --security (labs-only before Dockerfile 1.20 / BuildKit 0.26)",
};
export const securityScenarios: Scenario[] = [
  {
    name: 'RUN --security=insecure is part of the RUN key: adding it rebuilds',
    old: { dockerfile: `${FROM}\nRUN echo x\n`, buildOptions: ['--allow', 'security.insecure'] },
    new: { dockerfile: `${FROM}\nRUN --security=insecure echo x\n`, buildOptions: ['--allow', 'security.insecure'] },
    expect: { 2: 'cached', 3: 'rebuilt' },
    unsupported: insecure,
  },
  {
    name: 'RUN --security=sandbox is the default: writing it out changes nothing',
    old: { dockerfile: `${FROM}\nRUN echo x\n`, buildOptions: ['--allow', 'security.insecure'] },
    new: { dockerfile: `${FROM}\nRUN --security=sandbox echo x\n`, buildOptions: ['--allow', 'security.insecure'] },
    expect: { 2: 'cached', 3: 'cached' },
    unsupported: insecure,
  },
];
