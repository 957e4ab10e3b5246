/**
 * A signed, verified APIv3 call, and the token pre-order built on it. Knows nothing of the
 * command line: a library user can `new WxpayClient(...)` and `requestToken(...)`.
 */
import type { KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { ApiError, InterruptedError, VerificationError, WxpayError, type AnswerSignature, type SignedBy } from './errors.js';
import type { VerificationKey } from './keys.js';
import { signRequest } from './sign.js';
import { DEFAULT_TIMEOUT_MS, Transport, type HttpResponse } from './transport.js';
import { DEFAULT_BASE_URL, parseBaseUrl } from './urls.js';

export { DEFAULT_BASE_URL, parseBaseUrl } from './urls.js';
import { ERROR_ANSWER_WORDING, RESPONSE_HEADERS, Verifier } from './verify.js';
import { serializeTokenRequest, validateTokenRequest, type TokenRequestInput } from './coupon.js';
import { userAgent } from './version.js';
import {
  BACKUP_BASE_URL,
  DEFAULT_RETRY_POLICY,
  RETRY_SAFE_STATUSES,
  backoffDelay,
  isRetrySafeNetworkError,
  isUnreachable,
  retryAfterDelay,
  sleep,
  type RetryPolicy,
} from './retry.js';
import { apiErrorHint, clockSkewNote } from './hints.js';
import { printable } from './redact.js';
import { JsonNumber, JsonSyntaxError, parseLosslessJson } from './json.js';
import { launchParameters, type LaunchParameters } from './launch.js';
import { t } from './i18n/index.js';

export const TOKEN_PATH = '/v3/industry-coupon/tokens';

export interface ClientCredentials {
  mchid: string;
  /** Merchant API certificate serial (P8). */
  serial: string;
  privateKey: KeyObject;
  /** Every WeChat Pay public key and platform certificate that may sign answers (P17). */
  verificationKeys: readonly VerificationKey[];
  /** With a WeChat Pay public key configured, requests carry `Wechatpay-Serial: <id>` (P17). */
  publicKeyId?: string | undefined;
}

export type ClientEvent =
  | { type: 'request'; method: string; url: string; headers: Record<string, string>; body: string; attempt: number; failover: boolean }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'failover'; from: string; to: string; reason: string }
  | { type: 'route'; description: string }
  | { type: 'response'; status: number; requestId?: string | undefined; elapsedMs: number; headers: Record<string, string> }
  | { type: 'verified'; serial: string; kind: VerificationKey['kind'] }
  | { type: 'sign-error'; truncatedSignMessage: string; signMessageLength?: number | undefined };

export interface ClientOptions {
  baseUrl?: string;
  /** Where the next attempt goes when `baseUrl` cannot be reached (P20). Default: api2 when baseUrl is the default primary. */
  backupBaseUrl?: string | undefined;
  /** Bounds each attempt. */
  timeoutMs?: number;
  /** Attempts after the first for retry-safe failures (P18); default 2. */
  retries?: number;
  /** Fine-tuning of the backoff, for tests and batch runs. */
  retryPolicy?: Partial<RetryPolicy>;
  /** An explicit proxy URL; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`. */
  proxy?: string | undefined;
  /** The environment to read proxy variables from (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /**
   * Batch: once aborted (a first Ctrl-C), no attempt starts any more — not a first one, not one
   * waiting at the gate, not a retry; `signal` (a second Ctrl-C) still aborts those in flight.
   */
  stopSignal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** Paces attempts across many calls (batch): waited on before every attempt, told of every 429. */
  gate?: AttemptGate;
  /** Milliseconds since the epoch; injectable so tests can move the clock. */
  now?: () => number;
  onEvent?: (event: ClientEvent) => void;
}

export interface AttemptGate {
  acquire(signal?: AbortSignal): Promise<void>;
  throttle(delayMs: number): void;
}

export interface PreparedRequest {
  method: string;
  url: URL;
  /** Path plus query, as signed (P9). */
  pathAndQuery: string;
  headers: Record<string, string>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body bytes, already verified for a 2xx answer. */
  body: Buffer;
  requestId?: string | undefined;
  elapsedMs: number;
}

export interface TokenResult {
  token: string;
  expires_time?: string;
  requestId?: string;
  /** What `wx.navigateToMiniProgram` needs to launch the card-switch mini program with this token (P6); set by requestToken. */
  launch?: LaunchParameters;
}

/** Builds the verifier from the raw body, for the certificate download's bootstrap (P19). */
export type VerifierFor = (rawBody: Buffer, requestId: string | undefined) => Verifier;

export interface CallOptions {
  verifierFor?: VerifierFor;
  /**
   * Headers added to the signed request (the `api` command's --header). They never replace
   * Authorization; any other header of the same name (case-insensitive) is replaced.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Error statuses whose answer is verified too, before its body is read (P27: WeChat Pay signs
   * its answers to a request whose signature it accepted, errors included). A signature that is
   * there is checked exactly like a 2xx's, a failure being the same VerificationError; the
   * ApiError then says whether it `verified` or was `absent` (none of the four headers).
   * doctor --online uses it for the 404 RESOURCE_NOT_EXISTS of a public-key merchant.
   */
  verifyStatuses?: readonly number[];
}

export class WxpayClient {
  readonly baseUrl: URL;
  readonly backupBaseUrl: URL | undefined;
  readonly verifier: Verifier;
  private readonly transport: Transport;
  private readonly now: () => number;
  private readonly onEvent: ((event: ClientEvent) => void) | undefined;
  private readonly policy: RetryPolicy;
  private readonly signal: AbortSignal | undefined;
  private readonly stopSignal: AbortSignal | undefined;
  /** What ends a wait at the gate or a backoff: either signal. */
  private readonly waitSignal: AbortSignal | undefined;
  private readonly gate: AttemptGate | undefined;
  private routeAnnounced = false;

  constructor(
    private readonly credentials: ClientCredentials,
    options: ClientOptions = {},
  ) {
    this.baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    const backup = options.backupBaseUrl ?? (this.baseUrl.origin === DEFAULT_BASE_URL ? BACKUP_BASE_URL : undefined);
    this.backupBaseUrl = backup !== undefined ? parseBaseUrl(backup, 'backupBaseUrl') : undefined;
    this.verifier = new Verifier(credentials.verificationKeys);
    this.now = options.now ?? Date.now;
    this.onEvent = options.onEvent;
    this.signal = options.signal;
    this.stopSignal = options.stopSignal;
    this.waitSignal =
      options.signal && options.stopSignal ? AbortSignal.any([options.signal, options.stopSignal]) : (options.stopSignal ?? options.signal);
    this.gate = options.gate;
    this.policy = {
      ...DEFAULT_RETRY_POLICY,
      ...options.retryPolicy,
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
    };
    this.transport = new Transport({
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      proxy: options.proxy,
      env: options.env ?? {},
    });
  }

  /** The merchant the requests are signed for: the one a token's launch path must name (P6). */
  get mchid(): string {
    return this.credentials.mchid;
  }

  /** Builds and signs a request with a fresh timestamp and nonce (P10); sends nothing. */
  prepare(
    method: string,
    pathAndQuery: string,
    body = '',
    base: URL = this.baseUrl,
    failover = false,
    extraHeaders?: Readonly<Record<string, string>>,
  ): PreparedRequest {
    const signed = signRequest({
      mchid: this.credentials.mchid,
      serial: this.credentials.serial,
      privateKey: this.credentials.privateKey,
      method,
      url: pathAndQuery,
      body,
      timestamp: Math.floor(this.now() / 1000),
    });
    const headers: Record<string, string> = {
      Authorization: signed.authorization,
      Accept: 'application/json',
      // A failover attempt says so, like the Java SDK's, so WeChat Pay's logs can tell (P20).
      'User-Agent': failover ? `${userAgent()} (failover)` : userAgent(),
    };
    if (body !== '') headers['Content-Type'] = 'application/json';
    if (this.credentials.publicKeyId) headers['Wechatpay-Serial'] = this.credentials.publicKeyId;
    // A new URL each time, not one cached per path: the prepared request is the caller's to change.
    return {
      method,
      url: new URL(pathAndQuery, base),
      pathAndQuery,
      headers: extraHeaders ? withExtraHeaders(headers, extraHeaders) : headers,
      body,
    };
  }

  /**
   * Sends a signed request. A 2xx answer is verified before it is returned (P12); any
   * other answer becomes an ApiError carrying code, message, detail and Request-ID (P18).
   */
  async call(
    method: string,
    pathAndQuery: string,
    body = '',
    /** Call options, or (as before) just the verifier builder for the certificate download's bootstrap (P19). */
    options: CallOptions | VerifierFor = {},
  ): Promise<ApiResponse> {
    const {
      verifierFor,
      headers: extraHeaders,
      verifyStatuses,
    } = typeof options === 'function' ? { verifierFor: options, headers: undefined, verifyStatuses: undefined } : options;
    if (!this.routeAnnounced) {
      this.routeAnnounced = true;
      this.onEvent?.({ type: 'route', description: this.transport.describeRoute(this.baseUrl) });
    }
    const run: CallRun = { base: this.baseUrl, failedOver: false, retriesUsed: 0, primaryFailure: undefined, lastFailure: undefined };
    for (let attempt = 1; ; attempt += 1) {
      await this.awaitTurn(attempt, run.lastFailure);
      const prepared = this.prepareAttempt(method, pathAndQuery, body, extraHeaders, attempt, run);
      let response: HttpResponse;
      try {
        response = await this.transport.send({
          method,
          url: prepared.url,
          headers: prepared.headers,
          ...(body !== '' ? { body } : {}),
        });
      } catch (error) {
        if (this.failOver(error, run)) continue;
        const delayMs = this.networkRetryDelay(error, attempt, run);
        if (delayMs === undefined) throw withPrimaryFailure(error, run);
        await this.backoff(delayMs, attempt + 1, run.lastFailure);
        continue;
      }
      // As received: JSON carries it exact (jsonLine escapes what must be); text shows it escaped.
      const requestId = response.headers[RESPONSE_HEADERS.requestId];
      this.onEvent?.({
        type: 'response',
        status: response.status,
        requestId,
        elapsedMs: response.elapsedMs,
        headers: response.headers,
      });
      const delayMs = this.statusRetryDelay(response, requestId, attempt, run);
      if (delayMs !== undefined) {
        await this.backoff(delayMs, attempt + 1, run.lastFailure);
        continue;
      }
      try {
        return this.settle(response, requestId, verifierFor, verifyStatuses, serialHeaderOf(prepared.headers));
      } catch (error) {
        throw withPrimaryFailure(error, run);
      }
    }
  }

  /** Before every attempt: the gate's turn (batch); a stop (batch) ends the call here, with nothing sent. */
  private async awaitTurn(attempt: number, lastFailure: Error | undefined): Promise<void> {
    try {
      if (this.stopSignal?.aborted) throw new InterruptedError();
      await this.gate?.acquire(this.waitSignal);
      if (this.stopSignal?.aborted) throw new InterruptedError();
    } catch (error) {
      throw error instanceof InterruptedError && this.stopSignal ? stoppedBeforeAttempt(attempt, lastFailure) : error;
    }
  }

  /** One attempt, signed afresh: a fresh timestamp, nonce and signature (P10), for the run's current domain. */
  private prepareAttempt(
    method: string,
    pathAndQuery: string,
    body: string,
    extraHeaders: Readonly<Record<string, string>> | undefined,
    attempt: number,
    run: CallRun,
  ): PreparedRequest {
    const prepared = this.prepare(method, pathAndQuery, body, run.base, run.failedOver, extraHeaders);
    this.onEvent?.({ type: 'request', method, url: prepared.url.href, headers: prepared.headers, body, attempt, failover: run.failedOver });
    return prepared;
  }

  /**
   * The primary domain cannot be reached: true when the run now goes to the backup domain, for
   * one extra attempt that is not counted as a retry (P20). Only once per call.
   */
  private failOver(error: unknown, run: CallRun): boolean {
    if (run.failedOver || !this.backupBaseUrl || !isUnreachable(error)) return false;
    this.onEvent?.({ type: 'failover', from: run.base.origin, to: this.backupBaseUrl.origin, reason: (error as Error).message });
    run.primaryFailure = { origin: run.base.origin, message: (error as Error).message };
    run.base = this.backupBaseUrl;
    run.failedOver = true;
    run.lastFailure = error as Error;
    return true;
  }

  /** A failed send: the wait before its retry, or undefined when it is not retried (not retry-safe, P18, or no retry left). */
  private networkRetryDelay(error: unknown, attempt: number, run: CallRun): number | undefined {
    if (!isRetrySafeNetworkError(error) || run.retriesUsed >= this.policy.retries) return undefined;
    run.retriesUsed += 1;
    const delayMs = backoffDelay(run.retriesUsed, this.policy);
    this.onEvent?.({ type: 'retry', attempt, delayMs, reason: error.message });
    run.lastFailure = error;
    return delayMs;
  }

  /** An answer: the wait before its retry (Retry-After or the backoff), or undefined when it is final (P18). */
  private statusRetryDelay(response: HttpResponse, requestId: string | undefined, attempt: number, run: CallRun): number | undefined {
    if (!RETRY_SAFE_STATUSES.has(response.status) || run.retriesUsed >= this.policy.retries) return undefined;
    run.retriesUsed += 1;
    const delayMs = retryAfterDelay(response.headers['retry-after'], this.now(), this.policy) ?? backoffDelay(run.retriesUsed, this.policy);
    // A rate limit is the whole merchant's: every request of the run waits, not just this one.
    if (response.status === 429) this.gate?.throttle(delayMs);
    this.onEvent?.({ type: 'retry', attempt, delayMs, reason: `${response.status}${requestId ? ` (Request-ID ${requestId})` : ''}` });
    run.lastFailure = this.stopSignal ? this.apiError(response, requestId) : undefined;
    return delayMs;
  }

  /** The wait before a retry; a stop (batch) or an abort ends it with an InterruptedError. */
  private async backoff(delayMs: number, nextAttempt: number, lastFailure: Error | undefined): Promise<void> {
    try {
      await sleep(delayMs, this.waitSignal);
    } catch (error) {
      throw error instanceof InterruptedError && this.stopSignal ? stoppedBeforeAttempt(nextAttempt, lastFailure) : error;
    }
  }

  /**
   * A 2xx is verified and returned (never retried, even when verification fails); anything else is
   * an ApiError, verified first when its status is one of `verifyStatuses` (P27).
   */
  private settle(
    response: HttpResponse,
    requestId: string | undefined,
    verifierFor: ((rawBody: Buffer, requestId: string | undefined) => Verifier) | undefined,
    verifyStatuses: readonly number[] | undefined,
    sentSerial: string | undefined,
  ): ApiResponse {
    if (response.status < 200 || response.status > 299) {
      const checked = verifyStatuses?.includes(response.status) ? this.verifyErrorAnswer(response, requestId) : undefined;
      throw this.apiError(response, requestId, checked, sentSerial);
    }
    const verifier = verifierFor ? verifierFor(response.body, requestId) : this.verifier;
    const verified = verifier.verify((name) => response.headers[name], response.body, Math.floor(this.now() / 1000), requestId);
    this.onEvent?.({ type: 'verified', serial: verified.serial, kind: verified.key.kind });
    return { status: response.status, headers: response.headers, body: response.body, requestId, elapsedMs: response.elapsedMs };
  }

  /**
   * An error answer asked to be verified (P27): `absent` when it carries none of the four signature
   * headers (P13); otherwise the 2xx's verification, with the same verifier, a failure thrown as the
   * same VerificationError (with the answer's status).
   */
  private verifyErrorAnswer(response: HttpResponse, requestId: string | undefined): { signature: AnswerSignature; signedBy?: SignedBy } {
    const signed = [RESPONSE_HEADERS.timestamp, RESPONSE_HEADERS.nonce, RESPONSE_HEADERS.signature, RESPONSE_HEADERS.serial].some(
      (name) => response.headers[name] !== undefined,
    );
    if (!signed) return { signature: 'absent' };
    try {
      const header = (name: string): string | undefined => response.headers[name];
      const verified = this.verifier.verify(header, response.body, Math.floor(this.now() / 1000), requestId, ERROR_ANSWER_WORDING);
      this.onEvent?.({ type: 'verified', serial: verified.serial, kind: verified.key.kind });
      return { signature: 'verified', signedBy: { kind: verified.key.kind, serial: verified.serial } };
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      throw new VerificationError(error.message, {
        ...(error.code !== undefined ? { code: error.code } : {}),
        status: response.status,
        ...(requestId !== undefined ? { requestId } : {}),
      });
    }
  }

  private apiError(
    response: HttpResponse,
    requestId: string | undefined,
    checked?: { signature: AnswerSignature; signedBy?: SignedBy },
    sentSerial?: string,
  ): ApiError {
    const text = response.body.toString('utf8');
    let parsed: { code?: unknown; message?: unknown; detail?: unknown } | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value;
    } catch {
      parsed = undefined;
    }
    const code = typeof parsed?.code === 'string' ? parsed.code : `HTTP_${response.status}`;
    const serverMessage =
      typeof parsed?.message === 'string'
        ? parsed.message
        : text.trim() === ''
          ? t('token.api.emptyBody')
          : t('token.api.notErrorBody', { text: text.slice(0, 200).replace(/\s+/g, ' ') });
    const detail = parsed?.detail;
    if (code === 'SIGN_ERROR' && detail && typeof detail === 'object') {
      const information = (detail as { sign_information?: { truncated_sign_message?: unknown; sign_message_length?: unknown } })
        .sign_information;
      if (typeof information?.truncated_sign_message === 'string') {
        this.onEvent?.({
          type: 'sign-error',
          truncatedSignMessage: information.truncated_sign_message,
          signMessageLength: typeof information.sign_message_length === 'number' ? information.sign_message_length : undefined,
        });
      }
    }
    const hints = [apiErrorHint(code, response.status, serverMessage, sentSerial)];
    if (response.status === 401) hints.push(clockSkewNote(response.headers['date'], this.now()));
    // The code and message are the server's words, passed through (P18), but shown printable:
    // anything at baseUrl can send them, escape sequences and fake lines included.
    const answered = t('token.api.answered', { status: response.status, code: printable(code), message: printable(serverMessage) });
    const message = [answered, ...hints.filter(Boolean)].join('\n');
    return new ApiError(message, {
      code,
      status: response.status,
      ...(requestId ? { requestId } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(checked !== undefined ? { signature: checked.signature, signedBy: checked.signedBy } : {}),
      ...(typeof parsed?.message === 'string' ? { serverMessage: parsed.message } : {}),
    });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

/** The Wechatpay-Serial a request carried (P17: the config's publicKeyId, or api's --header), if any. */
function serialHeaderOf(headers: Readonly<Record<string, string>>): string | undefined {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'wechatpay-serial');
  return name === undefined ? undefined : headers[name];
}

/** Pre-orders a card-switch token (P1–P5): validate, sign, send, verify, then read the body. */
export async function requestToken(client: WxpayClient, input: TokenRequestInput): Promise<TokenResult> {
  const request = validateTokenRequest(input);
  const response = await client.call('POST', TOKEN_PATH, serializeTokenRequest(request));
  const result = readTokenAnswer(response.body, response.requestId, Date.now());
  return { ...result, launch: launchParameters(client.mchid, result.token) };
}

/**
 * The answer's JSON, read once by the lossless parser, and whether it gives a key twice (then read
 * again, the last value winning as JSON.parse would, so that its shape is judged first); undefined
 * when it is not JSON.
 */
function parseAnswer(body: Buffer): { value: unknown; duplicateKey: boolean } | undefined {
  const text = body.toString('utf8');
  try {
    return { value: parseLosslessJson(text), duplicateKey: false };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError) || error.reason !== t('token.json.duplicateKey')) return undefined;
    return { value: parseLosslessJson(text, { duplicateKeys: 'last' }), duplicateKey: true };
  }
}

/** RFC 3339, as P5 gives it: `2015-05-20T13:29:35+08:00` (a fraction and `Z` allowed). */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * How far in the past expires_time may be before the token counts as expired on arrival: the
 * verified answer's timestamp is within this of the local clock (P14), so the clocks agree that far.
 */
const EXPIRED_ON_ARRIVAL_MS = 5 * 60 * 1000;

/**
 * Reads a verified 200 body; a 200 without a token is a protocol error, not a success (P5). So is
 * a token no launch path can carry (spaces, control or non-ASCII characters), an expires_time that
 * is not RFC 3339, and, when `nowMs` is given, a token that had expired before it arrived.
 */
export function readTokenAnswer(body: Buffer, requestId?: string, nowMs?: number): TokenResult {
  const fields = requestId ? { requestId } : {};
  const answer = parseAnswer(body);
  if (answer === undefined) throw new VerificationError(t('token.answer.notJson'), { code: 'BODY_NOT_JSON', ...fields });
  const parsed = answer.value;
  // A bare number is a JsonNumber object to the lossless parser, and no more an object than for JSON.parse.
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonNumber) {
    throw new VerificationError(t('token.answer.notObject'), {
      code: 'BODY_NOT_OBJECT',
      ...fields,
    });
  }
  // `{"token":"a","token":"b"}`: which token counts would be a guess.
  if (answer.duplicateKey) throw new VerificationError(t('token.answer.duplicateKey'), { code: 'BODY_DUPLICATE_KEY', ...fields });
  const { token, expires_time: expiresTime } = parsed as { token?: unknown; expires_time?: unknown };
  if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
    // A protocol error (P5).
    throw new VerificationError(t('token.answer.noToken'), {
      code: 'TOKEN_MISSING',
      ...fields,
    });
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new VerificationError(t('token.answer.tokenNotPrintable'), { code: 'TOKEN_INVALID', ...fields });
  }
  if (
    expiresTime !== undefined &&
    (typeof expiresTime !== 'string' || !RFC_3339.test(expiresTime) || Number.isNaN(Date.parse(expiresTime)))
  ) {
    // A protocol error (P5).
    throw new VerificationError(t('token.answer.expiresInvalid'), {
      code: 'EXPIRES_TIME_INVALID',
      ...fields,
    });
  }
  if (typeof expiresTime === 'string' && nowMs !== undefined && Date.parse(expiresTime) < nowMs - EXPIRED_ON_ARRIVAL_MS) {
    throw new VerificationError(t('token.answer.expired', { expiresTime }), { code: 'TOKEN_EXPIRED', ...fields });
  }
  return { token, ...(expiresTime !== undefined ? { expires_time: expiresTime } : {}), ...fields };
}

/**
 * `extra` over `headers`, in order: a header of the same name in any case is replaced (the last
 * of several spellings wins, after the others); Authorization never is.
 */
function withExtraHeaders(headers: Record<string, string>, extra: Readonly<Record<string, string>>): Record<string, string> {
  const added = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue;
    added.delete(lower);
    added.set(lower, [name, value]);
  }
  const kept = Object.entries(headers).filter(([name]) => !added.has(name.toLowerCase()));
  return Object.fromEntries([...kept, ...added.values()]);
}

/** Where one call stands across its attempts. */
interface CallRun {
  /** The domain the next attempt goes to: the primary, or the backup after a failover. */
  base: URL;
  failedOver: boolean;
  retriesUsed: number;
  /** What happened at the primary before a failover: the final error names both domains. */
  primaryFailure: { origin: string; message: string } | undefined;
  /** How the last attempt ended, for the message of a stop before the next one. */
  lastFailure: Error | undefined;
}

/** The call's final error; after a failover, its message names the backup and what the primary did first (P20). */
function withPrimaryFailure(error: unknown, run: CallRun): unknown {
  const primary = run.primaryFailure;
  if (!primary || !(error instanceof WxpayError) || error instanceof InterruptedError) return error;
  error.message = t('token.failover.both', {
    backup: run.base.origin,
    message: error.message,
    primary: primary.origin,
    primaryMessage: primary.message,
  });
  return error;
}

/** Batch, stopped: the attempt that was not started, and what the last one that was ended with. */
function stoppedBeforeAttempt(attempt: number, lastFailure: Error | undefined): InterruptedError {
  if (attempt === 1 || lastFailure === undefined) return new InterruptedError(t('token.stop.beforeSend'));
  return new InterruptedError(t('token.stop.beforeRetry', { last: lastFailure.message }));
}
