/**
 * The I/O edge of credentials: reads `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`) and runs
 * `docker-credential-<helper> get`. The decisions are in credentials.ts.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../errors.js';
import { type Credentials, credentialSourceFor, type DockerConfig, isHelperNotFound, parseHelperOutput } from './credentials.js';

/** Where Docker keeps its client config. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/** The parsed config.json; an empty config when there is none. */
export async function readDockerConfig(dir = dockerConfigDir()): Promise<DockerConfig> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as DockerConfig;
  } catch (error) {
    throw new InputError(`${file}: invalid JSON (${(error as Error).message})`);
  }
}

const HELPER_TIMEOUT_MS = 30_000;

/** Runs `docker-credential-<helper> get` with the server address on stdin. Undefined when it has nothing stored. */
export function runCredentialHelper(helper: string, serverAddress: string): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper))
    return Promise.reject(new InputError(`docker config: invalid credential helper name "${helper}"`));
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['get'], { timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const message = `${stdout}${stderr}`.trim();
        if (isHelperNotFound(message)) return resolve(undefined);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new InputError(`${program} not found on PATH (named by the docker config for ${serverAddress})`));
        return reject(new InputError(`${program} get failed for ${serverAddress}: ${message || error.message}`));
      }
      try {
        resolve(parseHelperOutput(stdout, helper));
      } catch (parseError) {
        reject(parseError);
      }
    });
    // A helper that exits without reading stdin must not crash us with EPIPE: its exit status tells the story.
    child.stdin?.on('error', () => {});
    child.stdin?.end(serverAddress);
  });
}

/** Docker's credentials for a registry domain (`docker.io`, `host:5000`), or undefined for anonymous access. */
export async function dockerCredentials(domain: string, configDir?: string): Promise<Credentials | undefined> {
  const source = credentialSourceFor(await readDockerConfig(configDir), domain);
  if (source.kind === 'inline') return source.credentials;
  if (source.kind === 'helper') return runCredentialHelper(source.helper, source.serverAddress);
  return undefined;
}
