/**
 * The real loopback registries of scripts/registry.sh, as the tests see them (through its `export` lines). Suites
 * skip loudly when they are not running — except in CI, where a missing registry is a failure.
 */
import { execFileSync } from 'node:child_process';
import { repoRoot } from './paths.js';

export interface TestRegistries {
  /** Open registry, `127.0.0.1:5000`. */
  open: string;
  /** htpasswd basic auth. */
  basic: string;
  user: string;
  password: string;
  /** Basic auth, and blob GETs redirected to `blobServer` (which the test serves from `redirectStorage`). */
  redirect: string;
  redirectStorage: string;
  blobServer: string;
  /** Token auth; the realm is `http://<tokenServer>/token`, served by test/support/token-server.ts. */
  token: string;
  tokenServer: string;
  tokenKey: string;
  tokenCert: string;
  tokenService: string;
  tokenIssuer: string;
}

function fromEnv(env: NodeJS.ProcessEnv): TestRegistries | undefined {
  if (!env.LAYERWISE_TEST_REGISTRY) return undefined;
  return {
    open: env.LAYERWISE_TEST_REGISTRY,
    basic: env.LAYERWISE_TEST_REGISTRY_BASIC ?? '',
    user: env.LAYERWISE_TEST_REGISTRY_USER ?? '',
    password: env.LAYERWISE_TEST_REGISTRY_PASSWORD ?? '',
    redirect: env.LAYERWISE_TEST_REGISTRY_REDIRECT ?? '',
    redirectStorage: env.LAYERWISE_TEST_REGISTRY_REDIRECT_STORAGE ?? '',
    blobServer: env.LAYERWISE_TEST_BLOB_SERVER ?? '',
    token: env.LAYERWISE_TEST_REGISTRY_TOKEN ?? '',
    tokenServer: env.LAYERWISE_TEST_TOKEN_SERVER ?? '',
    tokenKey: env.LAYERWISE_TEST_TOKEN_KEY ?? '',
    tokenCert: env.LAYERWISE_TEST_TOKEN_CERT ?? '',
    tokenService: env.LAYERWISE_TEST_TOKEN_SERVICE ?? '',
    tokenIssuer: env.LAYERWISE_TEST_TOKEN_ISSUER ?? '',
  };
}

/** The registries from the environment, else from `scripts/registry.sh env` when they answer. */
export const registries: TestRegistries | undefined = (() => {
  const configured = fromEnv(process.env);
  if (configured) return configured;
  try {
    const status = execFileSync(`${repoRoot}/scripts/registry.sh`, ['status'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (!/^open .* running/m.test(status)) return undefined;
    const lines = execFileSync(`${repoRoot}/scripts/registry.sh`, ['env'], { encoding: 'utf8' });
    const env: NodeJS.ProcessEnv = {};
    for (const match of lines.matchAll(/^export (\w+)=(.*)$/gm)) env[match[1]] = match[2];
    return fromEnv(env);
  } catch {
    return undefined;
  }
})();

/** node:test options for a suite that needs the registries: skip loudly outside CI, fail in CI. */
export function needsRegistries(): { skip: string | false } {
  if (registries) return { skip: false };
  if (process.env.CI) throw new Error('the test registries are not running in CI: .ci/run must run scripts/registry.sh start');
  return { skip: 'SKIPPED: no test registry (run `eval "$(scripts/registry.sh start)"`); registry tests did not run' };
}

/** The registries, for code inside a suite guarded by needsRegistries(). */
export function testRegistries(): TestRegistries {
  if (!registries) throw new Error('no test registries');
  return registries;
}

let counter = 0;
/** A repository name no other test (or earlier run) uses, so tests never share state. */
export function uniqueRepository(prefix: string): string {
  return `layerwise-test/${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}
