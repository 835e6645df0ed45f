/**
 * Registry authentication: answers `WWW-Authenticate` challenges. Bearer challenges are exchanged for a token at the
 * challenge's realm (GET with basic credentials, or the OAuth2 refresh-token POST when Docker holds an identity
 * token), cached per scope until shortly before it expires; Basic challenges get the credentials directly. The
 * challenge is remembered, so later requests for other scopes authenticate before being refused. Network access
 * goes through the `send` function the client passes in (with its retries and timeouts).
 */
import { InputError } from '../../../errors.js';
import { type Challenge, parseChallenges, pickChallenge } from './challenge.js';
import type { Credentials } from './credentials.js';

/** Sends an HTTP request to the token service and returns the response (the client's retrying fetch). */
export type Send = (url: URL, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

export interface TokenResponse {
  token: string;
  /** Seconds; 60 when the service does not say (the distribution spec's default). */
  expiresIn: number;
}

const TOKEN_BODY_LIMIT = 1024 * 1024;
/** Drop cached tokens this long before they expire, so that a slow request does not arrive with a dead one. */
const EXPIRY_MARGIN_MS = 10_000;

/** `repository:a/b:pull` (or `pull,push`). */
export function repositoryScope(path: string, actions: readonly string[] = ['pull']): string {
  return `repository:${path}:${actions.join(',')}`;
}

/** The token request for a bearer challenge; pure so that its shape can be tested. */
export function tokenRequest(
  challenge: Challenge,
  scopes: readonly string[],
  credentials: Credentials | undefined,
  host: string,
): { url: URL; method: string; headers: Record<string, string>; body?: string } {
  const realm = challenge.params.realm;
  if (!realm) throw new InputError(`${host}: the registry's bearer challenge names no realm`);
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new InputError(`${host}: the registry's token realm is not a URL: ${realm}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`${host}: unsupported token realm ${realm}`);
  const service = challenge.params.service;
  if (credentials?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'layerwise',
    });
    if (service) form.set('service', service);
    for (const scope of scopes) form.append('scope', scope);
    return { url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
  }
  if (service) url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = {};
  if (credentials?.username !== undefined) headers.authorization = basicHeader(credentials);
  return { url, method: 'GET', headers };
}

export function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`;
}

/** Reads `{token|access_token, expires_in}` from a token service's JSON answer. */
export function parseTokenResponse(text: string, realm: string): TokenResponse {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new InputError(`the token service ${realm} answered with something that is not JSON`);
  }
  const token = typeof value.token === 'string' && value.token ? value.token : value.access_token;
  if (typeof token !== 'string' || token === '') throw new InputError(`the token service ${realm} returned no token`);
  const expiresIn = typeof value.expires_in === 'number' && value.expires_in > 0 ? value.expires_in : 60;
  return { token, expiresIn };
}

export class RegistryAuth {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, { header: string; expires: number }>();
  private credentials: Promise<Credentials | undefined> | undefined;

  /**
   * @param host the registry host, for messages
   * @param loadCredentials Docker's credentials for this registry (called at most once, only when a challenge comes)
   */
  constructor(
    private readonly host: string,
    private readonly loadCredentials: () => Promise<Credentials | undefined>,
    private readonly send: Send,
    private readonly now: () => number = Date.now,
  ) {}

  private creds(): Promise<Credentials | undefined> {
    this.credentials ??= this.loadCredentials();
    return this.credentials;
  }

  /** The Authorization header to send for `scope` before any refusal, when the registry's challenge is known. */
  async header(scope: string): Promise<string | undefined> {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') {
      const credentials = await this.creds();
      return credentials?.username !== undefined ? basicHeader(credentials) : undefined;
    }
    const cached = this.tokens.get(scope);
    if (cached && cached.expires > this.now()) return cached.header;
    return this.fetchToken(this.challenge, [scope]);
  }

  /**
   * Handles a 401: remembers the challenge and returns the header to retry with. Throws a clear InputError when
   * there is nothing to retry with (no credentials for a Basic challenge, an unknown scheme).
   */
  async unauthorized(response: Response, scope: string, repository: string): Promise<string> {
    const header = response.headers.get('www-authenticate');
    const challenge = header ? pickChallenge(parseChallenges(header)) : undefined;
    if (!challenge)
      throw new InputError(`${this.host}: unauthorized for ${repository}, and the registry offers no Basic or Bearer challenge`);
    this.challenge = challenge;
    if (challenge.scheme === 'basic') {
      const credentials = await this.creds();
      if (credentials?.username === undefined)
        throw new InputError(
          `${this.host}: authentication required for ${repository}: no credentials for this registry in the Docker config (docker login ${this.host})`,
        );
      return basicHeader(credentials);
    }
    const credentials = await this.creds();
    if (credentials?.registryToken) return `Bearer ${credentials.registryToken}`;
    // The challenge may name the scope it wants (e.g. error="insufficient_scope"); ask for it together with ours.
    const scopes = [scope, ...(challenge.params.scope ? challenge.params.scope.split(' ') : [])];
    return this.fetchToken(challenge, [...new Set(scopes)]);
  }

  /** Whether a retry with credentials can help: false when we already sent what we have. */
  async hasCredentials(): Promise<boolean> {
    const credentials = await this.creds();
    return Boolean(credentials && (credentials.username !== undefined || credentials.identityToken || credentials.registryToken));
  }

  private async fetchToken(challenge: Challenge, scopes: string[]): Promise<string> {
    const credentials = await this.creds();
    const request = tokenRequest(challenge, scopes, credentials, this.host);
    const response = await this.send(request.url, request);
    const text = await boundedText(response, TOKEN_BODY_LIMIT, `token service ${request.url.origin}`);
    if (response.status === 401 || response.status === 403)
      throw new InputError(
        `${this.host}: the token service ${request.url.origin}${request.url.pathname} refused ${credentials ? 'the credentials from the Docker config' : 'anonymous access'} (${response.status})`,
      );
    if (!response.ok)
      throw new InputError(
        `${this.host}: the token service ${request.url.origin}${request.url.pathname} answered ${response.status}`,
      );
    const { token, expiresIn } = parseTokenResponse(text, request.url.origin + request.url.pathname);
    const entry = { header: `Bearer ${token}`, expires: this.now() + expiresIn * 1000 - EXPIRY_MARGIN_MS };
    for (const scope of scopes) this.tokens.set(scope, entry);
    return entry.header;
  }
}

/** A response body as text, refusing more than `limit` bytes. */
export async function boundedText(response: Response, limit: number, what: string): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) {
      await response.body.cancel().catch(() => {});
      throw new InputError(`${what}: response larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
