/**
 * Resolves the base images a Dockerfile names (`FROM REF`) to what BuildKit keys them by, for `cache diff
 * --resolve-base`. BuildKit's image source has two cache keys (moby builder-next containerimage/pull.go): the
 * manifest digest with the platform, and the ChainID of the config's layer diff IDs — so an image re-pushed with the
 * same layers but another config (a new label) still hits the cache, while the config's Env, WorkingDir, User and
 * Shell reach the steps through their own keys. Both are read here:
 * - `daemon`: the engine's local image by that name (`GET /images/{name}/json`), which a default `docker build` on the
 *   classic image store prefers over the registry;
 * - `registry`: the registry's current manifest for the tag (what `docker build --pull` uses), one platform of an index;
 * - `auto`: the daemon's image when it has one, else the registry — as a default build resolves.
 * A reference pinned by digest (`REF@sha256:…`) is read from the registry by that digest.
 */
import { createHash } from 'node:crypto';
import { type IncomingMessage, request } from 'node:http';
import { InputError } from '../../errors.js';
import type { ConfigFile, Platform } from '../image.js';
import { type DockerReference, familiarReference, parseDockerReference } from '../ref.js';
import { ENGINE_API_VERSION, parseDockerHost } from './daemon.js';
import { openRegistry, openRegistryImage } from './registry.js';

export type ResolveSource = 'auto' | 'registry' | 'daemon';

/** What a base image contributes to cache keys (the model's BaseImageInfo, plus where it was read). */
export interface ResolvedBase {
  /** The manifest (or index) digest from a registry; the image ID from the daemon. */
  digest: string;
  /** ChainID of the layer diff IDs: equal chains are the same base to BuildKit's cache. */
  layers: string;
  /** The image ID (config digest): what the classic builder matches by. */
  id: string;
  env?: string[];
  workingDir?: string;
  user?: string;
  shell?: string[];
  /** `registry` or `daemon`. */
  source: 'registry' | 'daemon';
}

export interface ResolveBaseOptions {
  source?: ResolveSource;
  /** DOCKER_HOST for the daemon. */
  dockerHost?: string;
  platform?: Platform;
  insecure?: boolean;
}

/** The OCI ChainID of a list of diff IDs: ChainID(L0) = L0, ChainID(Ln) = sha256(ChainID(Ln-1) + " " + Ln). */
export function chainId(diffIds: readonly string[]): string {
  let chain = '';
  for (const diffId of diffIds) {
    chain = chain === '' ? diffId : `sha256:${createHash('sha256').update(`${chain} ${diffId}`).digest('hex')}`;
  }
  return chain;
}

interface ConfigPart {
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Shell?: string[] | null;
}

function fromConfig(
  ids: { digest: string; id: string },
  diffIds: readonly string[],
  config: ConfigPart | undefined,
  source: ResolvedBase['source'],
) {
  const base: ResolvedBase = { ...ids, layers: chainId(diffIds), source };
  if (config?.Env?.length) base.env = config.Env;
  if (config?.WorkingDir) base.workingDir = config.WorkingDir;
  if (config?.User) base.user = config.User;
  if (config?.Shell?.length) base.shell = config.Shell;
  return base;
}

/** Resolves one `FROM` reference (as written after ARG expansion). */
export async function resolveBaseImage(text: string, options: ResolveBaseOptions = {}): Promise<ResolvedBase> {
  const reference = parseDockerReference(text);
  const source = options.source ?? 'auto';
  if (source !== 'registry' && !reference.digest) {
    const local = await inspectDaemonImage(reference, options.dockerHost, source === 'daemon');
    if (local) return local;
  }
  return resolveFromRegistry(reference, options);
}

async function resolveFromRegistry(reference: DockerReference, options: ResolveBaseOptions): Promise<ResolvedBase> {
  const opened = await openRegistry(reference, { insecure: options.insecure });
  try {
    const digest = await opened.digest();
    const image =
      'indexManifest' in opened ? await openRegistryImage({ ...reference, digest }, { platform: options.platform }) : opened;
    const config: ConfigFile = await image.configFile();
    const id = await image.configName();
    return fromConfig({ digest, id }, config.rootfs?.diff_ids ?? [], config.config, 'registry');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${familiarReference(reference)}: cannot resolve the base image (${(error as Error).message})`);
  }
}

interface InspectAnswer {
  Id?: string;
  RootFS?: { Layers?: string[] };
  Config?: ConfigPart;
}

/** The engine's local image by name, or undefined when it has none (an error when `required`). */
async function inspectDaemonImage(reference: DockerReference, dockerHost: string | undefined, required: boolean) {
  const name = familiarReference(reference);
  const endpoint = parseDockerHost(dockerHost ?? process.env.DOCKER_HOST);
  let response: IncomingMessage;
  try {
    response = await new Promise<IncomingMessage>((resolve, reject) => {
      const path = `/v${ENGINE_API_VERSION}/images/${encodeURIComponent(name)}/json`;
      const req = request({ ...endpoint, path, method: 'GET', headers: { Host: 'docker' } }, resolve);
      req.on('error', reject);
      req.end();
    });
  } catch (error) {
    if (!required) return undefined;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`docker-daemon:${name}: cannot reach the Docker engine (${code}); set DOCKER_HOST`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > 4 << 20) throw new InputError(`docker-daemon:${name}: the engine's answer is larger than 4 MiB`);
    chunks.push(chunk as Buffer);
  }
  if (response.statusCode === 404) {
    if (required) throw new InputError(`docker-daemon:${name}: the engine has no such image`);
    return undefined;
  }
  let answer: InspectAnswer;
  try {
    answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as InspectAnswer;
  } catch {
    throw new InputError(`docker-daemon:${name}: the engine answered ${response.statusCode} with no JSON`);
  }
  if (response.statusCode !== 200 || !answer.Id)
    throw new InputError(`docker-daemon:${name}: the engine answered ${response.statusCode}`);
  return fromConfig({ digest: answer.Id, id: answer.Id }, answer.RootFS?.Layers ?? [], answer.Config, 'daemon');
}
