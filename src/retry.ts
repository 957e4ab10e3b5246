/**
 * When to try again (P18, P20): which failures are retry-safe, how long to wait (exponential
 * backoff with full jitter, Retry-After honoured up to a cap), and which failures mean the
 * primary domain cannot be reached, so the next attempt should go to the backup domain.
 */
import { InterruptedError, NetworkError } from './errors.js';
import { isTlsErrorCode } from './transport.js';

import { DEFAULT_RETRIES } from './settings.js';

export { DEFAULT_RETRIES };
export const BACKUP_BASE_URL = 'https://api2.mch.weixin.qq.com';

export interface RetryPolicy {
  /** Attempts after the first for retry-safe failures. */
  retries: number;
  /** First backoff ceiling; doubles per retry. */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /** Largest wait a Retry-After header may ask for. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: DEFAULT_RETRIES,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
});

/** Statuses WeChat Pay documents as temporary (P18). No other 4xx is ever retried. */
export const RETRY_SAFE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503]);

/** Failures that mean no complete answer arrived. The endpoint moves no money, so repeating it is safe. */
export function isRetrySafeNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError && error.code !== 'RESPONSE_TOO_LARGE';
}

const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The primary could not be reached at all (DNS, refused, connect timeout, TLS handshake): fail over (P20). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof NetworkError) || error.code === undefined) return false;
  return UNREACHABLE_CODES.has(error.code) || isTlsErrorCode(error.code);
}

/** Full jitter: a random wait between 0 and min(max, base × 2^(retry − 1)). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds, capped; undefined when absent or unreadable. */
export function retryAfterDelay(header: string | undefined, nowMs: number, policy: RetryPolicy): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  let delay: number;
  if (/^[0-9]+$/.test(text)) delay = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    delay = Math.max(0, at - nowMs);
  }
  return Math.min(delay, policy.maxRetryAfterMs);
}

/** Waits, unless the signal aborts first (Ctrl-C during a backoff stops at once). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new InterruptedError());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
