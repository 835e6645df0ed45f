/**
 * The command line: every command and flag is declared here, in one place; each command's work lives in
 * src/cli/<command>.ts (loaded lazily) and returns an exit code. Only this file turns errors into exit codes:
 * 0 clean, 1 findings / failed gate (FindingsError), 2 usage or input error, 70 internal bug.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { FindingsError, InputError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { collect } from './collect.js';
import { detail, type Io, processIo } from './io.js';

export { collect } from './collect.js';

type Action = (io: Io, ...args: never[]) => Promise<number>;

/** Builds the command tree. `run` receives the lazily imported action's exit code. */
export function buildProgram(io: Io, run: (action: () => Promise<number>) => void): Command {
  const program = new Command('layerwise')
    .description('Make Docker builds cache-efficient and Docker images small.')
    .version(VERSION, '-V, --version')
    .addOption(
      new Option('-q, --quiet', 'print only results: no progress, no hints (errors still go to stderr)').conflicts('verbose'),
    )
    .option('-v, --verbose', 'also say on stderr what was read, assumed, and how long it took')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nResults go to stdout; progress, hints and errors to stderr.\n' +
        'Exit codes: 0 clean, 1 findings (or a failed CI gate), 2 usage or input error, 70 internal error (a bug).\n' +
        '\nEnvironment:\n' +
        '  NO_COLOR=1         no colors (colors are used only when stdout is a terminal)\n' +
        '  FORCE_COLOR=1      colors even when stdout is not a terminal (FORCE_COLOR=0: never)\n' +
        '  DOCKER_HOST        the Docker engine for `build` and `docker-daemon:` images\n' +
        '  LAYERWISE_DEBUG=1  the stack trace of an internal error\n' +
        'Examples:\n  layerwise demo\n  layerwise lint Dockerfile\n  layerwise cache diff HEAD\n  layerwise completion bash > /etc/bash_completion.d/layerwise\n',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .hook('preAction', (_program, command) => {
      // One meaning everywhere: every command reads --quiet and --verbose from `io`, wherever they were written.
      const { quiet, verbose } = command.optsWithGlobals();
      io.quiet = Boolean(quiet);
      io.verbose = Boolean(verbose);
    });

  const lazy =
    (load: () => Promise<{ run: Action }>) =>
    (...args: unknown[]) =>
      run(async () => (await load()).run(io, ...(args as never[])));

  program
    .command('parse')
    .description('Parse a Dockerfile exactly as BuildKit does and print its syntax tree')
    .argument('<file>', 'the Dockerfile ("-" reads standard input)')
    .addOption(
      new Option('--format <format>', 'json (AST with source ranges) or buildkit (BuildKit Node.Dump())')
        .choices(['json', 'buildkit'])
        .default('json'),
    )
    .addHelpText('after', '\nExamples:\n  layerwise parse Dockerfile\n  layerwise parse --format buildkit Dockerfile\n')
    .action(lazy(() => import('./parse.js')));

  program
    .command('build')
    .description('Run a real BuildKit build; record per step: cached or not, time, layer size')
    .argument('<args...>', 'the build CONTEXT (a directory), and any other docker build options to pass through')
    .option('-t, --tag <name:tag>', 'name the image (repeatable)', collect)
    .option('-f, --file <path>', 'the Dockerfile (default: CONTEXT/Dockerfile)')
    .option('--build-arg <KEY=VALUE>', 'a build-time variable (repeatable)', collect)
    .option('--target <stage>', 'build up to this stage')
    .option('--no-cache', 'do not use the build cache')
    .option('--platform <os/arch>', 'the target platform')
    .option('--record <file>', 'write the build record (JSON, see docs/build.md) to FILE')
    .option('--predict', 'predict which steps will be CACHED first; after the build, show every wrong prediction')
    .option('--strict', 'with --predict: exit 1 when any prediction was wrong')
    .addOption(new Option('--format <format>', 'the per-step report').choices(['tty', 'json']).default('tty'))
    .allowUnknownOption()
    .addHelpText(
      'after',
      '\nProgress goes to stderr, the per-step table (or the record as JSON) to stdout. A failed build exits 2.\n' +
        'Examples:\n  layerwise build -t app:dev .\n  layerwise build --record build.json --format json -f docker/Dockerfile .\n',
    )
    .action(lazy(() => import('./build.js')));

  program
    .command('lint')
    .description('Find what wastes the build cache or bloats the image, with the exact place and the reason')
    .argument('[files...]', 'Dockerfiles ("-" reads standard input)', [])
    .addOption(
      new Option('--format <format>', 'output format (html: one self-contained page)')
        .choices(['tty', 'json', 'sarif', 'github', 'html'])
        .default('tty'),
    )
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--config <file>', 'configuration file (default: .layerwise.yaml found upward from each Dockerfile)')
    .option('--ignore <rule>', 'turn a rule off (an id or a hadolint code; repeatable)', collect)
    .addOption(
      new Option('--failure-threshold <level>', 'exit 1 when a finding is at least this severe (default: warning)').choices([
        'error',
        'warning',
        'info',
        'none',
      ]),
    )
    .option('--build-arg <name=value>', 'a build argument, as for docker build (repeatable)', collect)
    .option('--fix', 'rewrite each file in place with the safe fixes (atomically; standard input: print the fixed text)')
    .option('--fix-unsafe', 'like --fix, and also apply unsafe fixes (e.g. prefer-cache-mount)')
    .option('--diff', 'print what --fix would change as a unified diff; write nothing')
    .option('--context <dir>', "the build context, for context-aware rules (default: each Dockerfile's directory)")
    .option('-j, --jobs <n>', 'lint files in N worker threads (default: one per CPU but one, when there are many files)')
    .addHelpText(
      'after',
      '\nExit codes: 0 clean, 1 findings at or above the threshold, 2 usage error or a file that does not parse.\n' +
        'Examples:\n  layerwise lint\n  layerwise lint --format sarif services/*/Dockerfile > lint.sarif\n' +
        '  layerwise lint --ignore unpinned-base-image --build-arg BASE_TAG=3.20 Dockerfile\n' +
        '  layerwise lint --diff Dockerfile        # what --fix would change\n  layerwise lint --fix Dockerfile\n',
    )
    .action(lazy(() => import('./lint.js')));

  program
    .command('demo')
    .description("The article's story on the bundled example: lint, --fix, the cache before and after, the HTML report")
    .option(
      '-o, --output <file>',
      'write the HTML report to FILE (default: layerwise-demo.html in the temp directory); the story goes to stdout',
    )
    .addHelpText(
      'after',
      '\nOffline, no Docker engine needed: the cache predictions use in-memory build contexts.\n' +
        'Examples:\n  layerwise demo\n  layerwise demo -o demo.html\n',
    )
    .action(lazy(() => import('./demo.js')));

  const cache = program
    .command('cache')
    .description('Predict the BuildKit build cache without building')
    .addHelpText('after', '\nExamples:\n  layerwise cache diff HEAD~1 HEAD\n  layerwise cache replay --commits 50\n');
  const cacheOptions = (command: Command) =>
    command
      .option('-f, --file <path>', 'the Dockerfile, relative to the context (default: Dockerfile)')
      .option('--target <stage>', 'build up to this stage')
      .option('--build-arg <KEY=VALUE>', 'a build-time variable for both sides (repeatable)', collect)
      .addOption(new Option('--builder <builder>', 'which builder to model').choices(['buildkit', 'classic']).default('buildkit'))
      .addOption(
        new Option('--image-store <store>', 'how COPY --link behaves: overlay2 (Docker ≤ 28) or containerd (Docker 29+)')
          .choices(['overlay2', 'containerd'])
          .default('overlay2'),
      )
      .option('--no-git-dir', 'the build context has no .git directory (otherwise it changes on every commit)')
      .addOption(
        new Option('--format <format>', 'output format (html: one self-contained page)')
          .choices(['tty', 'json', 'html'])
          .default('tty'),
      )
      .option('-o, --output <file>', 'write the report to FILE instead of standard output');
  cacheOptions(
    cache
      .command('diff')
      .description('Which steps of NEW would be CACHED after building OLD, and why the others are not')
      .argument('<old>', 'a build context directory or a git revision')
      .argument('[new]', 'a build context directory or a git revision (default: the working tree)'),
  )
    .option('--old-build-arg <KEY=VALUE>', 'a build-time variable for OLD only (repeatable)', collect)
    .option('--new-build-arg <KEY=VALUE>', 'a build-time variable for NEW only (repeatable)', collect)
    .option('--base-changed <ref>', 'treat this base image as having a new digest in NEW (repeatable)', collect)
    .option(
      '--resolve-base [source]',
      "ask for each base image (auto: the engine's local image, else the registry; registry: as --pull; daemon)",
    )
    .option('--old-base <ref@digest>', 'with --resolve-base: the digest OLD was built with (repeatable)', collect)
    .option('--insecure', 'plain HTTP to a registry that is not on loopback')
    .addHelpText(
      'after',
      '\nExamples:\n  layerwise cache diff HEAD\n  layerwise cache diff HEAD~1 HEAD --format json\n  layerwise cache diff old/ new/\n',
    )
    .action(lazy(() => import('./cache-diff.js')));
  cacheOptions(
    cache
      .command('replay')
      .description('Replay first-parent git history: cache hit rate per step, what triggered rebuilds, cost'),
  )
    .option('--commits <n>', 'the last N commits (default 20)')
    .option('--range <A..B>', 'a revision range')
    .option('--record <file>', 'a build record (layerwise build --record) to weight costs (repeatable)', collect)
    .option('--compare-fix', 'also replay every commit with its Dockerfile as lint --fix rewrites it, and compare')
    .addHelpText(
      'after',
      '\nExamples:\n  layerwise cache replay --commits 50\n  layerwise cache replay --range v1.0..main --format json\n  layerwise cache replay --compare-fix --format html -o replay.html\n',
    )
    .action(lazy(() => import('./cache-replay.js')));

  const image = program
    .command('image')
    .description('Inspect images without a daemon: history, waste, diff')
    .addHelpText(
      'after',
      '\nExamples:\n  layerwise image history docker-daemon:app:latest\n  layerwise image analyze --ci docker-archive:app.tar\n',
    );
  const imageOptions = (command: Command, formats = ['tty', 'json']) =>
    command
      .addOption(new Option('--format <format>', 'output format').choices(formats).default('tty'))
      .option('-o, --output <file>', 'write the report to FILE instead of standard output')
      .option('--platform <os/arch>', 'the platform to pick from a multi-platform image (default: this host)')
      .option('--insecure', 'plain HTTP to a registry that is not on loopback')
      .option('--file <Dockerfile>', 'name the Dockerfile line that produced each history row')
      .option('--max-layer-size <bytes>', 'refuse layers that decompress to more than this (default 64 GiB)')
      .addOption(
        new Option(
          '--sizes <mode>',
          'docker history sizes as after a pull/load (applied) or on the engine that built the layer (built)',
        )
          .choices(['applied', 'built'])
          .default('applied'),
      );
  const imageHelp =
    '\nIMAGE: docker-archive:PATH[:REF|:@N] | oci:DIR[:TAG|:@N] | docker-daemon:REF | docker://REGISTRY/REPO:TAG | REF\n';
  imageOptions(
    image
      .command('history')
      .description('One row per config history entry, sizes as `docker history` computes them')
      .argument('<image>', 'the image (see IMAGE below)')
      .option('--no-trunc', 'do not truncate CREATED BY'),
  )
    .addHelpText(
      'after',
      `${imageHelp}Examples:\n  layerwise image history docker-archive:app.tar\n  layerwise image history --format json oci:build/oci:latest\n`,
    )
    .action(lazy(() => import('./image-history.js')));
  imageOptions(
    image
      .command('analyze')
      .description("Sizes, dive's efficiency and wasted bytes, and the bytes hidden in lower layers; CI gates")
      .argument('<image>', 'the image (see IMAGE below)')
      .option(
        '--ci',
        "turn on dive's CI gates (lowest efficiency 0.9, highest user wasted percent 0.1; the image: keys of .layerwise.yaml replace these)",
      )
      .option('--lowest-efficiency <fraction>', 'fail (exit 1) when efficiency is below this (0-1, or disabled)')
      .option('--highest-wasted-bytes <bytes>', 'fail (exit 1) when wasted bytes exceed this (e.g. 20MB, or disabled)')
      .option('--highest-user-wasted-percent <fraction>', 'fail (exit 1) when wasted / user size exceeds this (0-1, or disabled)')
      .option('--config <file>', 'read the image: gates from this file (default: .layerwise.yaml found upward)')
      .option('--top <n>', 'how many hidden files and layer pairs the tty report lists', '10'),
    ['tty', 'json', 'html'],
  )
    .addHelpText(
      'after',
      `${imageHelp}Examples:\n  layerwise image analyze docker-daemon:app:latest\n  layerwise image analyze --ci --highest-wasted-bytes 20MB docker-archive:app.tar\n`,
    )
    .action(lazy(() => import('./image-analyze.js')));
  imageOptions(
    image
      .command('diff')
      .description('Layers shared and new, bytes to pull, files added/removed/changed between two images')
      .argument('<image-a>', 'the image a host already has')
      .argument('<image-b>', 'the image it will run'),
    ['tty', 'json', 'html'],
  )
    .addHelpText('after', `${imageHelp}Example:\n  layerwise image diff docker-archive:v1.tar docker-archive:v2.tar\n`)
    .action(lazy(() => import('./image-diff.js')));

  program
    .command('completion')
    .description('Print a shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nThe script knows every command, option and choice of this version of layerwise.\n' +
        'Examples:\n  layerwise completion bash > ~/.local/share/bash-completion/completions/layerwise\n' +
        '  layerwise completion zsh > "$fpath[1]/_layerwise"\n' +
        '  layerwise completion fish > ~/.config/fish/completions/layerwise.fish\n',
    )
    .action(lazy(() => import('./completion.js')));

  return program;
}

/** Runs the CLI and returns the exit code; never throws, never calls process.exit. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, (action) => {
    pending = action();
  });
  const started = performance.now();
  let code: number;
  try {
    await program.parseAsync(argv, { from: 'user' });
    code = pending ? await pending : 0;
  } catch (error) {
    code = reportError(error, io);
  }
  detail(io, `exit ${code} after ${Math.round(performance.now() - started)} ms`);
  return code;
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // --help and --version exit 0 through commander; every other commander error is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof FindingsError) {
    if (error.message) io.stderr(`${error.message}\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    io.stderr(`layerwise: ${error.message}\n`);
    return 2;
  }
  if (error instanceof InputError) {
    io.stderr(`${error.describe()}\n`);
    return 2;
  }
  if (isParseErrorLike(error)) {
    io.stderr(`${error.message}\n`);
    return 2;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(
    `layerwise: internal error — this is a bug, please report it with the command you ran.\n${io.env.LAYERWISE_DEBUG ? detail : String(error)}\n`,
  );
  return 70;
}

/** Errors from the pure stages that carry a position (ParseError) are input errors; they format themselves. */
function isParseErrorLike(error: unknown): error is Error & { line: number; column: number } {
  return error instanceof Error && typeof (error as { line?: unknown }).line === 'number' && error.name === 'ParseError';
}
