/**
 * When and how long to retry a registry request: 429 and 5xx answers and dropped connections are retried with
 * exponential backoff (honouring `Retry-After`), a bounded number of times. Pure: the caller sleeps.
 */

export interface RetryPolicy {
  /** Attempts in all, the first one included (default 4). */
  attempts: number;
  /** Delay before the first retry, in ms (default 250); doubles each time. */
  baseDelayMs: number;
  /** Upper bound for one delay, `Retry-After` included, in ms (default 10 s). */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Statuses worth another try: rate limiting and server-side trouble (501 Not Implemented will not get better). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** Network failures worth another try: resets, timeouts, a socket closed under us. Not DNS or refused connections. */
export function isRetryableNetworkError(error: unknown): boolean {
  const codes = new Set<string>();
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
  }
  const retryable = [
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_HEADERS_TIMEOUT',
  ];
  return retryable.some((code) => codes.has(code));
}

/**
 * The delay before retry number `retry` (1 = the first retry): `Retry-After` (seconds or an HTTP date) when the server
 * gave one, else base·2^(retry-1) with ±20 % jitter; never above the policy's maximum.
 */
export function retryDelay(
  retry: number,
  policy: RetryPolicy,
  retryAfter?: string | null,
  now = Date.now(),
  random = Math.random,
): number {
  if (retryAfter) {
    const seconds = /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, policy.maxDelayMs);
  }
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  const jitter = 0.8 + 0.4 * random();
  return Math.min(Math.round(exponential * jitter), policy.maxDelayMs);
}
