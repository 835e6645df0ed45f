/**
 * `docker-daemon:REF`: the image as the Docker Engine exports it (`GET /images/{name}/get`, the stream behind
 * `docker save`), over the engine's unix socket (or tcp) from DOCKER_HOST with node:http. The export is streamed to
 * a temporary file — never held in memory — and read by the docker-archive source; the file is removed on close.
 * API version 1.41 (Docker 20.10) is the newest we ask for, so old engines answer too.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../../errors.js';
import type { ZstdBackend } from '../decompress.js';
import type { Image, Platform, ReadLimits } from '../image.js';
import { type DockerReference, familiarReference } from '../ref.js';
import { openDockerArchive } from './archive.js';

export const ENGINE_API_VERSION = '1.41';

export interface DaemonOptions {
  /** DOCKER_HOST: `unix:///path/docker.sock` (default `/var/run/docker.sock`) or `tcp://host:port`. */
  dockerHost?: string;
  platform?: Platform;
  limits?: Partial<ReadLimits>;
  zstd?: ZstdBackend;
  /** Where to keep the export while it is read (default: the OS temp directory). */
  tmpDir?: string;
  /** Progress of the export download, in bytes. */
  onProgress?: (bytes: number) => void;
}

interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

/** Parses DOCKER_HOST (unix:// and tcp:// / http://; ssh:// and TLS are not supported). */
export function parseDockerHost(value: string | undefined): Endpoint {
  const host = value && value !== '' ? value : 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const tcp = /^(?:tcp|http):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(host);
  if (tcp) return { host: tcp[1].replace(/^\[|\]$/g, ''), port: tcp[2] ? Number(tcp[2]) : 2375 };
  throw new InputError(`DOCKER_HOST=${host}: only unix:// and tcp:// engines are supported`);
}

function get(endpoint: Endpoint, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ ...endpoint, path, method: 'GET', headers: { Host: 'docker' } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response) {
    if (length < 65536) chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 65536);
}

/** Exports `reference` (or an image ID) from the engine and opens it. */
export async function openDaemonImage(reference: DockerReference | { id: string }, options: DaemonOptions = {}): Promise<Image> {
  const name = 'id' in reference ? reference.id : familiarReference(reference);
  const source = `docker-daemon:${name}`;
  const endpoint = parseDockerHost(options.dockerHost);
  const where = endpoint.socketPath ?? `${endpoint.host}:${endpoint.port}`;
  let response: IncomingMessage;
  try {
    response = await get(endpoint, `/v${ENGINE_API_VERSION}/images/${encodeURIComponent(name)}/get`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`${source}: cannot reach the Docker engine at ${where} (${code}); set DOCKER_HOST`);
  }
  if (response.statusCode !== 200) {
    const body = await readText(response);
    let message = body.trim();
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {}
    throw new InputError(`${source}: the engine answered ${response.statusCode}: ${message}`);
  }
  const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'layerwise-daemon-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'image.tar');
  try {
    let received = 0;
    const { onProgress } = options;
    if (onProgress)
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        onProgress(received);
      });
    await pipeline(response, createWriteStream(path));
    return await openDockerArchive(path, {
      source,
      platform: options.platform,
      limits: options.limits,
      zstd: options.zstd,
      onClose: cleanup,
    });
  } catch (error) {
    await cleanup();
    if (error instanceof InputError) throw error;
    throw new InputError(`${source}: reading the export failed (${error instanceof Error ? error.message : String(error)})`);
  }
}
