/**
 * A client for the OCI distribution API (Docker Registry HTTP API v2) over the built-in fetch: manifests (GET with
 * the full Accept list, HEAD for digests), blobs as streams, and the raw `request` that the test push helper builds
 * uploads on. Every request goes through one loop that authenticates (auth.ts), follows redirects itself — so that
 * the Authorization header never leaves the registry's origin (blob storage gets a presigned URL, not our token) —
 * and retries 429/5xx answers and dropped connections with bounded backoff (retry.ts). A stalled server cannot hang
 * us: each wait for headers or for the next body chunk has a timeout.
 */
import { InputError } from '../../../errors.js';
import { readAll } from '../../bytes.js';
import { MediaTypes } from '../../image.js';
import { DOCKER_HUB_DOMAIN, isLoopbackDomain, registryApiHost } from '../../ref.js';
import { boundedText, RegistryAuth, repositoryScope } from './auth.js';
import type { Credentials } from './credentials.js';
import { dockerCredentials } from './docker-config.js';
import { defaultRetryPolicy, isRetryableNetworkError, isRetryableStatus, type RetryPolicy, retryDelay } from './retry.js';

/** Manifest media types we can read, most specific first (the Accept header of `docker pull`, plus OCI). */
export const MANIFEST_MEDIA_TYPES = [
  MediaTypes.ociIndex,
  MediaTypes.dockerManifestList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
] as const;

const SCHEMA1 = /application\/vnd\.docker\.distribution\.manifest\.v1\+(prettyjws|json)/;

export interface RegistryClientOptions {
  /**
   * Speak plain HTTP. Default: only for loopback registries (localhost, 127.0.0.0/8, [::1]) — the registries Docker's
   * daemon treats as insecure out of the box; every other host needs `insecure: true` (`--insecure`).
   */
  insecure?: boolean;
  /** Credentials to use; default: Docker's (`$DOCKER_CONFIG/config.json`, credential helpers). `null`: anonymous. */
  credentials?: Credentials | null | ((domain: string) => Promise<Credentials | undefined>);
  retry?: Partial<RetryPolicy>;
  /** Longest wait for response headers or for the next chunk of a body, in ms (default 60 s). */
  timeoutMs?: number;
  /** Largest manifest accepted, in bytes (default 8 MiB). */
  maxManifestBytes?: number;
  /** How to wait between retries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

export interface RequestOptions {
  method?: string;
  /** The repository the request is about: its pull (or push) scope is what we authenticate for. */
  repository: string;
  /** `['pull']` (default) or `['pull', 'push']`. */
  actions?: readonly string[];
  headers?: Record<string, string>;
  /** Request bodies are buffers so that a retry or a 307 can send them again. */
  body?: Uint8Array | string;
}

/** A response whose body is read with an idle timeout; `cancel()` releases the connection when it is not read. */
export interface RegistryResponse {
  status: number;
  headers: Headers;
  url: URL;
  body(): AsyncGenerator<Uint8Array>;
  text(limit: number): Promise<string>;
  cancel(): Promise<void>;
}

export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  /** The digest the registry reports (Docker-Content-Digest), or the one asked for. */
  digest?: string;
}

export interface ManifestHead {
  mediaType: string;
  digest?: string;
  size?: number;
}

const MAX_REDIRECTS = 10;
const ERROR_BODY_LIMIT = 64 * 1024;

export class RegistryClient {
  /** `http://127.0.0.1:5000` or `https://registry-1.docker.io`. */
  readonly origin: string;
  private readonly auth: RegistryAuth;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly maxManifestBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly userAgent: string;

  /** @param domain the registry as written in references: `docker.io`, `127.0.0.1:5000`. */
  constructor(
    readonly domain: string,
    options: RegistryClientOptions = {},
  ) {
    const insecure = options.insecure ?? isLoopbackDomain(domain);
    this.origin = `${insecure ? 'http' : 'https'}://${registryApiHost(domain)}`;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxManifestBytes = options.maxManifestBytes ?? 8 * 1024 * 1024;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.userAgent = options.userAgent ?? 'layerwise';
    const credentials = options.credentials;
    const load =
      credentials === null
        ? async () => undefined
        : typeof credentials === 'function'
          ? () => credentials(domain)
          : credentials
            ? async () => credentials
            : () => dockerCredentials(domain);
    this.auth = new RegistryAuth(domain, load, (url, init) => this.fetchWithRetry(url, init));
  }

  /** The display name of a repository in messages: `127.0.0.1:5000/a/b`, `docker.io/library/ubuntu`. */
  private where(repository: string): string {
    return `${this.domain === DOCKER_HUB_DOMAIN ? 'docker.io' : this.domain}/${repository}`;
  }

  /** `/v2/<repository>/<rest>` as an absolute URL on the registry. */
  url(repository: string, rest: string): URL {
    return new URL(`/v2/${repository}/${rest}`, this.origin);
  }

  /**
   * One logical request: authenticates on a 401 (once), follows redirects (dropping Authorization off the registry's
   * origin), retries retryable failures. Returns the final response whatever its status; the caller decides.
   */
  async request(target: URL | string, options: RequestOptions): Promise<RegistryResponse> {
    const method = options.method ?? 'GET';
    const scope = repositoryScope(options.repository, options.actions);
    const start = typeof target === 'string' ? new URL(target, this.origin) : target;
    let authorization = await this.auth.header(scope);
    let answeredChallenge = false;
    for (let attempt = 1; ; attempt++) {
      let url = start;
      let currentMethod = method;
      let body = options.body;
      let retryAfter: string | null = null;
      let failure: unknown;
      for (let hops = 0; ; ) {
        const sameOrigin = url.origin === this.origin;
        const headers: Record<string, string> = { 'user-agent': this.userAgent, ...options.headers };
        if (authorization && sameOrigin) headers.authorization = authorization;
        let response: RegistryResponse;
        try {
          response = await this.send(url, { method: currentMethod, headers, body });
        } catch (error) {
          failure = error;
          break;
        }
        if (response.status === 401 && sameOrigin && !answeredChallenge) {
          await response.cancel();
          authorization = await this.auth.unauthorized(responseForAuth(response), scope, this.where(options.repository));
          answeredChallenge = true;
          continue;
        }
        const location = response.headers.get('location');
        if (isRedirect(response.status) && location && !['POST', 'PUT', 'PATCH'].includes(currentMethod)) {
          await response.cancel();
          if (++hops > MAX_REDIRECTS)
            throw new InputError(`${this.where(options.repository)}: too many redirects (last to ${location})`);
          const next = new URL(location, url);
          if (next.protocol !== 'http:' && next.protocol !== 'https:')
            throw new InputError(`${this.where(options.repository)}: redirected to an unsupported URL ${next.href}`);
          if (response.status === 303 && currentMethod !== 'HEAD') {
            currentMethod = 'GET';
            body = undefined;
          }
          url = next;
          continue;
        }
        if (isRetryableStatus(response.status) && attempt < this.policy.attempts) {
          retryAfter = response.headers.get('retry-after') ?? '';
          await response.cancel();
          break;
        }
        return response;
      }
      const where = this.where(options.repository);
      if (retryAfter === null) {
        if (!isRetryableError(failure))
          throw new InputError(`${where}: cannot reach the registry at ${this.origin}: ${describeNetworkError(failure)}`);
        if (attempt >= this.policy.attempts)
          throw new InputError(
            `${where}: cannot reach the registry at ${this.origin} after ${attempt} attempts: ${describeNetworkError(failure)}`,
          );
      }
      await this.sleep(retryDelay(attempt, this.policy, retryAfter || null));
    }
  }

  /** Fetches a manifest or index by tag or digest, bounded in size; a digest reference is verified. */
  async manifest(repository: string, reference: string): Promise<FetchedManifest> {
    const response = await this.request(this.url(repository, `manifests/${reference}`), {
      repository,
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    await this.check(response, repository, `manifest ${reference}`);
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (length > this.maxManifestBytes) {
      await response.cancel();
      throw new InputError(
        `${this.where(repository)}: manifest ${reference} is ${length} bytes, over the ${this.maxManifestBytes}-byte limit`,
      );
    }
    const bytes = await readAll(response.body(), this.maxManifestBytes, `${this.where(repository)}: manifest ${reference}`);
    const mediaType = manifestMediaType(response.headers.get('content-type'), bytes);
    if (SCHEMA1.test(mediaType))
      throw new InputError(
        `${this.where(repository)}: ${reference} is a Docker schema 1 manifest, which is not supported (re-push it)`,
      );
    const digest = reference.includes(':') ? reference : (response.headers.get('docker-content-digest') ?? undefined);
    return { bytes, mediaType, digest };
  }

  /** HEAD of a manifest: its digest, media type and size without downloading it. */
  async manifestHead(repository: string, reference: string): Promise<ManifestHead> {
    const response = await this.request(this.url(repository, `manifests/${reference}`), {
      method: 'HEAD',
      repository,
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    await this.check(response, repository, `manifest ${reference}`);
    await response.cancel();
    const size = response.headers.get('content-length');
    return {
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0].trim(),
      digest: response.headers.get('docker-content-digest') ?? undefined,
      size: size === null ? undefined : Number(size),
    };
  }

  /**
   * A blob as a stream, exactly as stored (the caller verifies its digest; sources/core.ts does). A download that
   * breaks off (reset, closed socket, idle timeout) is resumed where it stopped: `Range: bytes=N-` for the N bytes
   * already passed on — which the caller's running digest has already taken in — and a 206 that starts at N
   * continues the stream. A server that ignores Range answers 200 with the whole blob: then it is read again from
   * the start and its first N bytes are dropped, so the stream stays one copy (whose digest the caller checks at the
   * end: a blob that changed in between fails there). At most `retry.attempts - 1` resumes, with the retry backoff in
   * between.
   */
  async blob(repository: string, digest: string): Promise<AsyncGenerator<Uint8Array>> {
    const url = this.url(repository, `blobs/${digest}`);
    const response = await this.request(url, { repository });
    await this.check(response, repository, `blob ${digest}`);
    return this.resumable(response, url, repository, digest);
  }

  private async *resumable(first: RegistryResponse, url: URL, repository: string, digest: string): AsyncGenerator<Uint8Array> {
    const what = `${this.where(repository)}: blob ${digest}`;
    let delivered = 0;
    let body = first.body();
    for (let resumes = 0; ; ) {
      try {
        for await (const chunk of body) {
          delivered += chunk.length;
          yield chunk;
        }
        return;
      } catch (error) {
        if (!(error instanceof DownloadError) || !isRetryableError(error.cause) || resumes >= this.policy.attempts - 1)
          throw error;
        resumes += 1;
        await this.sleep(retryDelay(resumes, this.policy));
        const next = await this.request(url, { repository, headers: { range: `bytes=${delivered}-` } });
        if (next.status === 206) {
          const start = /^bytes (\d+)-/.exec(next.headers.get('content-range') ?? '')?.[1];
          if (Number(start) !== delivered) {
            await next.cancel();
            throw new InputError(
              `${what}: asked to resume at byte ${delivered}, the registry answered ${next.headers.get('content-range') ?? 'without Content-Range'}`,
            );
          }
          body = next.body();
        } else if (next.status === 200) body = skipPrefix(next.body(), delivered, what);
        else {
          await this.check(next, repository, `blob ${digest}`);
          await next.cancel();
          throw new InputError(`${what}: the registry answered ${next.status} to a resumed download`);
        }
      }
    }
  }

  /** Throws a clear InputError for an unsuccessful final response (after reading a bounded error body). */
  async check(response: RegistryResponse, repository: string, what: string): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    const detail = registryErrorDetail(await response.text(ERROR_BODY_LIMIT).catch(() => ''));
    const where = this.where(repository);
    const suffix = detail ? `: ${detail}` : '';
    switch (response.status) {
      case 401:
        throw new InputError(
          `${where}: unauthorized to read ${what}${(await this.auth.hasCredentials()) ? ' (the registry refused the credentials from the Docker config)' : ` (no credentials for ${this.domain} in the Docker config: docker login ${this.domain})`}${suffix}`,
        );
      case 403:
        throw new InputError(`${where}: access to ${what} denied${suffix}`);
      case 404:
        throw new InputError(`${where}: ${what} not found${suffix}`);
      default:
        throw new InputError(`${where}: the registry answered ${response.status} for ${what}${suffix}`);
    }
  }

  /** fetch with the retry policy but without auth or redirect handling (for the token service). */
  private async fetchWithRetry(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.fetchOnce(url, { ...init, headers: { 'user-agent': this.userAgent, ...init.headers } });
        if (isRetryableStatus(response.status) && attempt < this.policy.attempts) {
          await response.body?.cancel().catch(() => {});
          await this.sleep(retryDelay(attempt, this.policy, response.headers.get('retry-after')));
          continue;
        }
        return response;
      } catch (error) {
        if (!isRetryableError(error) || attempt >= this.policy.attempts)
          throw new InputError(`cannot reach the token service ${url.origin}: ${describeNetworkError(error)}`);
        await this.sleep(retryDelay(attempt, this.policy));
      }
    }
  }

  /** One fetch with a deadline for the headers; the body keeps the same controller for its idle timeout. */
  private async fetchOnce(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: Uint8Array | string },
    controller = new AbortController(),
  ): Promise<Response> {
    const timer = setTimeout(() => controller.abort(new TimeoutError(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      return await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        redirect: 'manual',
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: Uint8Array | string },
  ): Promise<RegistryResponse> {
    const controller = new AbortController();
    const response = await this.fetchOnce(url, init, controller);
    const timeoutMs = this.timeoutMs;
    let consumed = false;
    const cancel = async () => {
      if (consumed) return;
      consumed = true;
      await response.body?.cancel().catch(() => {});
    };
    async function* body(): AsyncGenerator<Uint8Array> {
      if (consumed) throw new Error('response body already read');
      consumed = true;
      if (!response.body) return;
      const reader = response.body.getReader();
      try {
        while (true) {
          const timer = setTimeout(() => controller.abort(new TimeoutError(`no data for ${timeoutMs} ms`)), timeoutMs);
          let next: Awaited<ReturnType<typeof reader.read>>;
          try {
            next = await reader.read();
          } catch (error) {
            throw new DownloadError(`${url.origin}${url.pathname}: the download failed: ${describeNetworkError(error)}`, error);
          } finally {
            clearTimeout(timer);
          }
          if (next.done) return;
          yield next.value;
        }
      } finally {
        // Stopping early (break, an error downstream) releases the connection.
        await reader.cancel().catch(() => {});
      }
    }
    const text = async (limit: number) => {
      if (consumed) return '';
      consumed = true;
      return boundedText(response, limit, `${url.origin}${url.pathname}`);
    };
    return { status: response.status, headers: response.headers, url, body, text, cancel };
  }
}

/** A body that broke off mid-way; `cause` is the network error (blob downloads resume on the retryable ones). */
class DownloadError extends InputError {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** A full body sent again after a broken download: its first `length` bytes were passed on already. */
async function* skipPrefix(body: AsyncGenerator<Uint8Array>, length: number, what: string): AsyncGenerator<Uint8Array> {
  let skipped = 0;
  for await (const chunk of body) {
    if (skipped >= length) {
      yield chunk;
      continue;
    }
    const take = Math.min(length - skipped, chunk.length);
    skipped += take;
    if (take < chunk.length) yield chunk.subarray(take);
  }
  if (skipped < length) throw new InputError(`${what}: the blob sent again after a broken download is shorter than before`);
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isRetryableError(error: unknown): boolean {
  return (
    error instanceof TimeoutError ||
    isRetryableNetworkError(error) ||
    (error as { cause?: unknown })?.cause instanceof TimeoutError
  );
}

/** A short, human reason out of fetch's nested errors (`fetch failed` → `connect ECONNREFUSED 127.0.0.1:5000`). */
function describeNetworkError(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    // OpenSSL's text for a plain-HTTP server answering a TLS hello is a line of internals: say what it means.
    if ((e as { code?: unknown }).code === 'ERR_SSL_WRONG_VERSION_NUMBER')
      return 'it does not speak HTTPS (a plain-HTTP registry? --insecure reads it over HTTP)';
    if (e instanceof Error && e.message && e.message !== 'fetch failed') reason = e.message;
  }
  return reason;
}

/** A Response stand-in carrying only the headers: what RegistryAuth reads from a 401. */
function responseForAuth(response: RegistryResponse): Response {
  return new Response(null, { status: 401, headers: response.headers });
}

/** The manifest's media type: the Content-Type, or the `mediaType` field when the registry sends a generic one. */
export function manifestMediaType(contentType: string | null, bytes: Uint8Array): string {
  const header = (contentType ?? '').split(';')[0].trim();
  if (header && header !== 'application/json' && header !== 'application/octet-stream' && header !== 'text/plain') return header;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
    if (typeof value.mediaType === 'string') return value.mediaType;
    return Array.isArray(value.manifests)
      ? 'application/vnd.oci.image.index.v1+json'
      : 'application/vnd.oci.image.manifest.v1+json';
  } catch {
    return header || 'application/octet-stream';
  }
}

/** The `message`s of a registry's JSON error body (`{"errors":[{"code","message","detail"}]}`), joined. */
export function registryErrorDetail(text: string): string {
  try {
    const value = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    if (!Array.isArray(value.errors)) return '';
    return value.errors
      .map((e) => [e.code, e.message].filter((part) => typeof part === 'string' && part).join(' '))
      .filter(Boolean)
      .join('; ')
      .slice(0, 500);
  } catch {
    return '';
  }
}
