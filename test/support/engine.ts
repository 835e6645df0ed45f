/**
 * Real-engine tests: the engine at DOCKER_HOST (provisioned by scripts/engine.sh; `eval "$(scripts/engine.sh env)"`
 * sets it up in a shell). Outside CI a missing engine skips loudly; in CI (`CI=true`) it is a failure.
 *
 *   test('…', needsEngine(), async (t) => {
 *     const record = await buildAndRecord(t, { context: dir });   // unique tag, removed after the test
 *     assert.equal(record.steps.find((s) => s.line === 3)!.cached, true);
 *   });
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { engineImageStore, type Frontend } from '../../src/build/buildkit.js';
import { type BuildRecord, recordBuild } from '../../src/build/record.js';
import { repoRoot, testOutput } from './paths.js';

export type { BuildRecord, RecordedStep } from '../../src/build/record.js';

let answered: boolean | undefined;

const dockerInfo = () =>
  spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

/**
 * Whether `docker info` answers (at DOCKER_HOST, or the default socket); asked once per test process. When it does
 * not, but scripts/engine.sh's engine is running (a shell that did not `eval` its exports), its exports are taken.
 */
export function engineAvailable(): boolean {
  answered ??= dockerInfo() || (adoptEngineScriptEnv() && dockerInfo());
  return answered;
}

/** Applies `scripts/engine.sh env` (which starts nothing) to this process's environment; false when it has none. */
function adoptEngineScriptEnv(): boolean {
  const script = join(repoRoot, 'scripts', 'engine.sh');
  const result = spawnSync('bash', ['-c', 'eval "$("$0" env 2>/dev/null)" && [ -n "${LAYERWISE_ENGINE:-}" ] && env -0', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) return false;
  for (const entry of result.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    const key = entry.slice(0, eq);
    if (/^(DOCKER_|LAYERWISE_|PATH$)/.test(key)) process.env[key] = entry.slice(eq + 1);
  }
  return true;
}

/** node:test options: skip (saying why) when no engine answers — but in CI, throw: the suite must run there. */
export function needsEngine(): { skip: string | false; timeout: number } {
  if (engineAvailable()) return { skip: false, timeout: 600_000 };
  if (process.env.CI) {
    throw new Error('no Docker engine answers in CI: run `eval "$(scripts/engine.sh start)"` first (.ci/run does)');
  }
  return {
    skip: 'SKIPPED: no Docker engine answers (run: eval "$(scripts/engine.sh start)"); real-engine tests did not run',
    timeout: 600_000,
  };
}

/**
 * An engine with the containerd image store (where `COPY --link` is a copy onto scratch plus a merge): the second
 * engine scripts/engine.sh starts (LAYERWISE_ENGINE_CONTAINERD), else DOCKER_HOST's engine when it uses that store
 * (Docker 29+, Docker Desktop). Like needsEngine: a skip outside CI, a failure in CI.
 */
export function needsContainerdEngine(): { skip: string | false; timeout: number; host?: string } {
  const base = needsEngine();
  if (base.skip) return base;
  const host = containerdHost();
  if (host) return { ...base, host };
  if (process.env.CI) {
    throw new Error(
      'no engine with the containerd image store in CI: scripts/engine.sh start exports LAYERWISE_ENGINE_CONTAINERD',
    );
  }
  return {
    skip: 'SKIPPED: no engine with the containerd image store (scripts/engine.sh start provides one); --link tests did not run',
    timeout: base.timeout,
  };
}

let containerdAnswer: string | null | undefined;

function containerdHost(): string | undefined {
  if (containerdAnswer === undefined) {
    containerdAnswer = null;
    const candidates = [process.env.LAYERWISE_ENGINE_CONTAINERD, process.env.DOCKER_HOST].filter((h): h is string => !!h);
    for (const host of candidates) {
      if (engineImageStore('docker', { ...process.env, DOCKER_HOST: host }) === 'containerd') {
        containerdAnswer = host;
        break;
      }
    }
  }
  return containerdAnswer ?? undefined;
}

/**
 * A tag no other test (or run) uses: `layerwise-test/<name>:<random>`. Docker's path components must start and end
 * with [a-z0-9] and may not repeat `.`/`_` freely, so every other run of characters becomes one dash, edge dashes go,
 * and the component stays short (the repository path may not exceed 255 characters).
 */
export function uniqueTag(name = 'build'): string {
  const component =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 100)
      .replace(/^-+|-+$/g, '') || 'build';
  return `layerwise-test/${component}:${randomBytes(6).toString('hex')}`;
}

/** A fresh build context under .test-output with the given files (path → content), removed after the test. */
export function makeContext(t: TestContext | undefined, files: Record<string, string>): string {
  mkdirSync(testOutput, { recursive: true });
  const dir = mkdtempSync(join(testOutput, 'ctx-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  t?.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface BuildAndRecordOptions {
  context: string;
  /** Dockerfile path (default: `Dockerfile` in the context). */
  file?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** Default: a unique tag, removed after the test. A tag given here is also removed after the test. */
  tag?: string;
  noCache?: boolean;
  /** Force a progress reader (default: rawjson through buildx when available). */
  frontend?: Frontend;
  /** The docker client (default: `docker` on PATH). */
  docker?: string;
  /** Another engine than DOCKER_HOST's (e.g. needsContainerdEngine().host). */
  host?: string;
  /** Further `docker build` options (e.g. `--allow security.insecure`). */
  extraArgs?: string[];
}

/**
 * Runs a real build and returns its record: per step the stage, Dockerfile line, instruction, cached or not,
 * duration and layer size. Removes the image tag after the test (only the tag it created: other tests' images and the
 * build cache stay). Pass `t` so cleanup is tied to the test; without it the caller cleans up (`removeImage`).
 */
export async function buildAndRecord(t: TestContext | undefined, options: BuildAndRecordOptions): Promise<BuildRecord> {
  const tag = options.tag ?? uniqueTag(t?.name ?? 'build');
  const record = await recordBuild({
    context: options.context,
    ...(options.file ? { file: options.file } : {}),
    tags: [tag],
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.noCache ? { noCache: true } : {}),
    ...(options.frontend ? { frontend: options.frontend } : {}),
    ...(options.docker ? { docker: options.docker } : {}),
    ...(options.host ? { env: { ...process.env, DOCKER_HOST: options.host } } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  });
  t?.after(() => removeImage(tag, options.docker, options.host));
  return record;
}

/** Removes one tag (never prunes: other suites share the engine and its cache). */
export function removeImage(tag: string, docker = 'docker', host?: string): void {
  const env = host ? { ...process.env, DOCKER_HOST: host } : process.env;
  spawnSync(docker, ['image', 'rm', '--no-prune', tag], { stdio: 'ignore', env });
}
