/**
 * Which credentials Docker would use for a registry, decided from the parsed `config.json` (pure; reading the file
 * and running helpers is in docker-config.ts). Docker's rules: the key for Docker Hub is
 * `https://index.docker.io/v1/`, for any other registry its `host[:port]`; `credHelpers[key]` wins over `credsStore`,
 * which wins over the inline `auths` entry; inline keys written as URLs (`https://host/v2/`) match their host.
 */
import { InputError } from '../../../errors.js';
import { DOCKER_HUB_DOMAIN } from '../../ref.js';

/** Username + password (basic auth, or the basis of a token request), or an identity (refresh) token. */
export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (`docker login` with an identity provider, or a helper answering user `<token>`). */
  identityToken?: string;
  /** A registry token to send as is (`registrytoken` in config.json). */
  registryToken?: string;
}

/** The parts of Docker's config.json that matter for pulling. */
export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export type CredentialSource =
  | { kind: 'helper'; helper: string; serverAddress: string }
  | { kind: 'inline'; credentials: Credentials }
  | { kind: 'none' };

export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** The key Docker files a registry's credentials under. */
export function authKeyFor(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN || domain === 'index.docker.io' || domain === 'registry-1.docker.io'
    ? DOCKER_HUB_AUTH_KEY
    : domain;
}

/** `https://host:5000/v2/` → `host:5000` (Docker's ConvertToHostname). */
export function hostOfAuthKey(key: string): string {
  const bare = key.replace(/^https?:\/\//, '');
  return bare.split('/')[0];
}

/** Where the credentials for `domain` come from, by Docker's precedence. */
export function credentialSourceFor(config: DockerConfig, domain: string): CredentialSource {
  const key = authKeyFor(domain);
  const helper = config.credHelpers?.[key] ?? config.credHelpers?.[hostOfAuthKey(key)] ?? config.credsStore;
  if (helper) return { kind: 'helper', helper, serverAddress: key };
  const auths = config.auths ?? {};
  const entry =
    auths[key] ??
    Object.entries(auths).find(
      ([candidate]) => hostOfAuthKey(candidate) === hostOfAuthKey(key) && hostOfAuthKey(key) !== '',
    )?.[1];
  if (!entry) return { kind: 'none' };
  const credentials = decodeAuthEntry(entry, key);
  return Object.keys(credentials).length > 0 ? { kind: 'inline', credentials } : { kind: 'none' };
}

/** Decodes an `auths` entry: `auth` is base64 of `user:password` (split at the first colon). */
export function decodeAuthEntry(entry: NonNullable<DockerConfig['auths']>[string], key: string): Credentials {
  const credentials: Credentials = {};
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new InputError(`docker config: the auth entry for ${key} is not base64 of "user:password"`);
    credentials.username = decoded.slice(0, colon);
    credentials.password = decoded.slice(colon + 1);
  } else if (entry.username) {
    credentials.username = entry.username;
    credentials.password = entry.password ?? '';
  }
  if (entry.identitytoken) credentials.identityToken = entry.identitytoken;
  if (entry.registrytoken) credentials.registryToken = entry.registrytoken;
  return credentials;
}

/**
 * A credential helper's answer to `get` (`{"ServerURL","Username","Secret"}`); user `<token>` means the secret is an
 * identity token, as in docker-credential-helpers.
 */
export function parseHelperOutput(output: string, helper: string): Credentials {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    throw new InputError(`docker-credential-${helper}: answered with something that is not JSON`);
  }
  const { Username, Secret } = (value ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Secret !== 'string') throw new InputError(`docker-credential-${helper}: the answer has no Secret`);
  if (Username === '<token>') return { identityToken: Secret };
  return { username: typeof Username === 'string' ? Username : '', password: Secret };
}

/** Whether a helper's failure means "nothing stored for this registry" (then we go anonymous, like Docker). */
export function isHelperNotFound(message: string): boolean {
  return /credentials not found/i.test(message);
}
