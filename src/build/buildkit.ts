/**
 * Runs a real BuildKit build through the docker client and reads its progress as it streams:
 * `docker buildx build --progress=rawjson --metadata-file F` when the buildx plugin is there, else
 * `docker build --progress=plain` with DOCKER_BUILDKIT=1 (the old engines' only machine-readable output).
 * The user still sees normal progress: plain text is passed through; rawjson is rendered as plain-like lines.
 * The builder's own error summary (`Dockerfile:14 … ERROR: failed to build: …`) is always passed through verbatim.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlainProgressReader } from './progress-plain.js';
import { RawJsonProgressReader } from './progress-rawjson.js';
import type { Progress, Vertex } from './vertex.js';

export interface BuildOptions {
  /** The build context directory. */
  context: string;
  /** The Dockerfile (default: `Dockerfile` in the context). */
  file?: string;
  tags?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  platform?: string;
  /** Further `docker build` options, passed through unchanged (before the context). */
  extraArgs?: string[];
  /** The docker client (default `docker` on PATH). */
  docker?: string;
  /** Environment for the client (default: this process's); DOCKER_HOST etc. come from here. */
  env?: Record<string, string | undefined>;
  /** Human-readable progress, as it happens (goes to stderr in the CLI). */
  onProgress?: (text: string) => void;
  /** Force the plain-text path even when buildx is available (tests cover both readers). */
  frontend?: Frontend;
}

export type Frontend = 'buildx-rawjson' | 'plain';

export interface BuildRun {
  frontend: Frontend;
  /** The client's exit code: 0 on success; the builder's own message is in `progress.trailer`. */
  exitCode: number;
  progress: Progress;
  /** The built image's ID (config digest), when the build succeeded. */
  imageId?: string;
  command: string[];
  startedAt: Date;
  durationMs: number;
}

/** Whether `docker buildx` works with this client and configuration. */
export function hasBuildx(docker = 'docker', env: Record<string, string | undefined> = process.env): boolean {
  const result = spawnSync(docker, ['buildx', 'version'], { env: env as NodeJS.ProcessEnv, stdio: 'ignore' });
  return result.status === 0;
}

/** The engine's version (`docker version`), or undefined when no engine answers. */
export function engineVersion(docker = 'docker', env: Record<string, string | undefined> = process.env): string | undefined {
  const result = spawnSync(docker, ['version', '--format', '{{.Server.Version}}'], {
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

/**
 * Which image store the engine uses, for how `COPY --link` is keyed: the containerd snapshotter (Docker 29+ default)
 * reports the driver `overlayfs`/`io.containerd.snapshotter.v1`; the classic graph drivers (overlay2) do not.
 */
export function engineImageStore(
  docker = 'docker',
  env: Record<string, string | undefined> = process.env,
): 'overlay2' | 'containerd' {
  const result = spawnSync(docker, ['info', '--format', '{{.Driver}} {{json .DriverStatus}}'], {
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return /overlayfs|snapshotter/.test(result.stdout ?? '') ? 'containerd' : 'overlay2';
}

/** The arguments after `docker`, for the chosen frontend. */
export function buildCommand(options: BuildOptions, frontend: Frontend, outputFile: string): string[] {
  const args = frontend === 'buildx-rawjson' ? ['buildx', 'build', '--progress=rawjson'] : ['build', '--progress=plain'];
  args.push(frontend === 'buildx-rawjson' ? '--metadata-file' : '--iidfile', outputFile);
  if (options.file) args.push('--file', options.file);
  for (const tag of options.tags ?? []) args.push('--tag', tag);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  if (options.target) args.push('--target', options.target);
  if (options.noCache) args.push('--no-cache');
  if (options.platform) args.push('--platform', options.platform);
  args.push(...(options.extraArgs ?? []), options.context);
  return args;
}

export async function runBuild(options: BuildOptions): Promise<BuildRun> {
  const docker = options.docker ?? 'docker';
  const env = { ...(options.env ?? process.env), DOCKER_BUILDKIT: '1' };
  const frontend = options.frontend ?? (hasBuildx(docker, env) ? 'buildx-rawjson' : 'plain');
  const scratch = mkdtempSync(join(tmpdir(), 'layerwise-build-'));
  const outputFile = join(scratch, frontend === 'buildx-rawjson' ? 'metadata.json' : 'iid');
  const command = buildCommand(options, frontend, outputFile);
  const show = options.onProgress ?? (() => {});
  const startedAt = new Date();
  try {
    const reader =
      frontend === 'buildx-rawjson'
        ? new RawJsonProgressReader((vertex, event, log) => show(renderEvent(vertex, event, log)))
        : new PlainProgressReader();
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(docker, command, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => show(chunk));
      let trailerShown = 0;
      child.stderr.on('data', (chunk: string) => {
        reader.push(chunk);
        if (frontend === 'plain') show(chunk);
        else {
          // rawjson: text outside the JSON objects is the builder's own message — show it as it comes.
          const trailer = (reader as RawJsonProgressReader).trailer;
          if (trailer.length > trailerShown) show(trailer.slice(trailerShown));
          trailerShown = trailer.length;
        }
      });
      child.on('error', (error) => reject(new Error(`cannot run ${docker}: ${error.message}`)));
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    const progress = reader.end();
    return {
      frontend,
      exitCode,
      progress,
      ...(exitCode === 0 ? { imageId: readImageId(frontend, outputFile) } : {}),
      command: [docker, ...command],
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readImageId(frontend: Frontend, outputFile: string): string | undefined {
  try {
    const text = readFileSync(outputFile, 'utf8').trim();
    if (frontend === 'plain') return text || undefined;
    const metadata = JSON.parse(text) as Record<string, unknown>;
    const digest = metadata['containerimage.config.digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}

/** One plain-like line per step event, as `--progress=plain` would show it. */
function renderEvent(vertex: Vertex, event: 'start' | 'log' | 'done', log?: string): string {
  if (event === 'log') {
    const prefix = vertex.label ? vertex.name.slice(0, vertex.name.indexOf('] ') + 1) : '';
    return (log ?? '').replace(/^(?=.)/gm, `${prefix}   `);
  }
  if (event === 'start') return vertex.label ? `${vertex.name}\n` : '';
  if (vertex.error) return `${vertex.name}  ERROR: ${vertex.error}\n`;
  if (!vertex.label) return '';
  if (vertex.cached) return `${vertex.name}  CACHED\n`;
  return `${vertex.name}  DONE ${((vertex.durationMs ?? 0) / 1000).toFixed(1)}s\n`;
}
