/**
 * WeChat Pay callback notifications (P21–P25): reading one as a handler received it (a raw HTTP
 * request, or a body and its headers), verifying it exactly as an answer is verified (P13–P17,
 * through the one Verifier), decrypting its resource (P19's AES-256-GCM, through aead.ts), and
 * building one as WeChat Pay would, for testing a merchant's handler against the sandbox.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { decryptResource, encryptResource, DecryptionError } from './aead.js';
import { UsageError, VerificationError } from './errors.js';
import { t } from './i18n/index.js';
import { parseLosslessJson, type LosslessJson } from './json.js';
import { generateNonce, signMessage } from './sign.js';
import {
  responseMessage,
  RESPONSE_HEADERS,
  SIGNATURE_TYPE,
  type VerificationWording,
  type Verifier,
  type VerifiedResponse,
} from './verify.js';

/** A notification is a few KB; a capture larger than this is not one (and is never read whole). */
export const MAX_NOTIFICATION_BYTES = 1024 * 1024;

/** Getters: the words are looked up when a notification is verified, in the language chosen by then. */
export const NOTIFICATION_WORDING: VerificationWording = notificationWording(false);

/** The words for a notification checked against a time given by the caller (`notify verify --now`), not this machine's clock. */
export function notificationWordingAt(): VerificationWording {
  return notificationWording(true);
}

/** One builder for both, so that a field added to one is in the other. */
function notificationWording(givenNow: boolean): VerificationWording {
  const words: VerificationWording = {
    get subject() {
      return t('notify.wording.subject');
    },
    get missingHint() {
      return t('notify.wording.missingHint');
    },
    get staleHint() {
      return t(givenNow ? 'notify.wording.staleHintNow' : 'notify.wording.staleHint');
    },
    get serialHint() {
      return t('notify.wording.serialHint');
    },
    get signatureHint() {
      return t('notify.wording.signatureHint');
    },
    get probe() {
      return t('notify.wording.probe');
    },
  };
  if (givenNow) Object.defineProperty(words, 'clock', { enumerable: true, get: () => t('notify.wording.nowClock') });
  return Object.freeze(words);
}

/** A request as captured: header names lower-cased, every value of a repeated header kept in order. */
export interface RawRequest {
  method?: string;
  target?: string;
  headers: Map<string, string[]>;
  body: Buffer;
}

function notHttp(reason: string): never {
  throw new UsageError(t('notify.http.not', { reason }), { code: 'NOT_HTTP' });
}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/[0-9](?:\.[0-9])?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Adds one `Name: value` line to a header map; a line that is not one is reported with its number. */
export function addHeaderLine(headers: Map<string, string[]>, line: string, where: string): void {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  if (!HEADER_NAME.test(name)) notHttp(t('notify.http.notHeader', { where }));
  const key = name.toLowerCase();
  const values = headers.get(key) ?? [];
  values.push(line.slice(colon + 1).trim());
  headers.set(key, values);
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = data.indexOf('\n', position);
    if (lineEnd < 0) notHttp(t('notify.http.chunkedEnds'));
    const size = Number.parseInt(data.subarray(position, lineEnd).toString('latin1').trim().split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) notHttp(t('notify.http.chunkWithoutSize'));
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 1;
    if (start + size > data.length) notHttp(t('notify.http.chunkedEnds'));
    parts.push(data.subarray(start, start + size));
    position = start + size;
    if (data[position] === 0x0d) position += 1;
    if (data[position] === 0x0a) position += 1;
  }
}

/**
 * Parses a captured HTTP request: CRLF or bare LF line ends, header names in any case, folded
 * lines, repeated headers. The body is the bytes after the blank line, exactly — cut to
 * Content-Length when the capture holds more (a trailing newline an editor added), and
 * de-chunked for Transfer-Encoding: chunked.
 */
export function parseRawRequest(input: Buffer): RawRequest {
  const lf = input.indexOf('\n\n');
  const crlf = input.indexOf('\r\n\r\n');
  let headerEnd: number;
  let bodyStart: number;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    headerEnd = crlf;
    bodyStart = crlf + 4;
  } else if (lf >= 0) {
    headerEnd = lf;
    bodyStart = lf + 2;
  } else {
    headerEnd = input.length;
    bodyStart = input.length;
  }
  const head = input.subarray(0, headerEnd).toString('latin1');
  const lines = head.split(/\r?\n/);
  const requestLine = (lines[0] ?? '').trim();
  const match = REQUEST_LINE.exec(requestLine);
  if (!match) {
    const looksLikeJson = /^\s*[{[]/.test(requestLine);
    notHttp(looksLikeJson ? t('notify.http.startsWithJson') : t('notify.http.firstLine'));
  }
  if (bodyStart === input.length && headerEnd === input.length) notHttp(t('notify.http.noBlankLine'));
  const headers = new Map<string, string[]>();
  let previous: string | undefined;
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] as string;
    if (/^[ \t]/.test(line) && previous !== undefined) {
      // A folded continuation line (obsolete, but proxies' dumps still show it).
      const values = headers.get(previous) as string[];
      const last = values.length - 1;
      values[last] = `${values[last] ?? ''} ${line.trim()}`;
      continue;
    }
    addHeaderLine(headers, line, t('notify.http.line', { number: index + 1 }));
    previous = line.slice(0, line.indexOf(':')).trim().toLowerCase();
  }
  let body = input.subarray(bodyStart);
  const encoding = headers.get('transfer-encoding')?.join(',').toLowerCase() ?? '';
  if (encoding.includes('chunked')) {
    body = decodeChunked(body);
  } else {
    const lengths = [...new Set(headers.get('content-length') ?? [])];
    if (lengths.length > 1) notHttp(t('notify.http.conflictingLength'));
    const [declared] = lengths;
    if (declared !== undefined) {
      const length = /^[0-9]+$/.test(declared) ? Number(declared) : Number.NaN;
      if (!Number.isSafeInteger(length)) notHttp(t('notify.http.lengthNotNumber', { declared }));
      if (body.length < length) {
        throw new UsageError(t('notify.capture.truncated', { length, actual: body.length }), { code: 'CAPTURE_TRUNCATED' });
      }
      body = body.subarray(0, length);
    }
  }
  return { method: match[1], target: match[2], headers, body };
}

/** What a notification's body must hold (P21). */
export interface Notification {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary?: string;
  resource: { original_type?: string; algorithm: string; ciphertext: string; associated_data?: string; nonce: string };
}

function notNotification(reason: string): never {
  throw new UsageError(t('notify.body.not', { reason }), { code: 'NOT_A_NOTIFICATION' });
}

/** Checks the body's shape only; nothing in it is trusted until the signature over its raw bytes is verified. */
export function readNotificationShape(body: Buffer): Notification {
  if (body.length === 0) notNotification(t('notify.body.empty'));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return notNotification(t('notify.body.notUtf8'));
  }
  let parsed: LosslessJson;
  try {
    parsed = parseLosslessJson(text.replace(/^\uFEFF/, ''), { duplicateKeys: 'last' });
  } catch {
    return notNotification(t('notify.body.notJson'));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return notNotification(t('notify.body.notObject'));
  const object = parsed as Record<string, LosslessJson>;
  for (const key of ['id', 'create_time', 'event_type', 'resource_type'] as const) {
    if (typeof object[key] !== 'string' || object[key] === '') return notNotification(t('notify.body.fieldMissing', { key }));
  }
  if (object['summary'] !== undefined && typeof object['summary'] !== 'string')
    return notNotification(t('notify.body.fieldNotString', { key: 'summary' }));
  const resource = object['resource'];
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource))
    return notNotification(t('notify.body.resourceMissing'));
  const fields = resource as Record<string, LosslessJson>;
  for (const key of ['algorithm', 'ciphertext', 'nonce'] as const) {
    if (typeof fields[key] !== 'string') return notNotification(t('notify.body.fieldMissing', { key: `resource.${key}` }));
  }
  for (const key of ['associated_data', 'original_type'] as const) {
    if (fields[key] !== undefined && typeof fields[key] !== 'string')
      return notNotification(t('notify.body.fieldNotString', { key: `resource.${key}` }));
  }
  return object as unknown as Notification;
}

export interface VerifiedNotification {
  notification: Notification;
  verified: VerifiedResponse;
  /** The decrypted resource, byte for byte. */
  plaintext: Buffer;
}

/**
 * Verifies a notification (P22) and decrypts its resource (P23). Throws a UsageError for what is
 * not a notification, a VerificationError (exit 5) for anything that makes it untrustworthy.
 */
export function verifyNotification(
  request: RawRequest,
  verifier: Verifier,
  apiv3Key: string,
  nowSeconds: number,
  wording: VerificationWording = NOTIFICATION_WORDING,
): VerifiedNotification {
  const notification = readNotificationShape(request.body);
  const header = (name: string): string | undefined => {
    const values = request.headers.get(name);
    if (values === undefined) return undefined;
    const distinct = [...new Set(values)];
    if (distinct.length > 1 && Object.values(RESPONSE_HEADERS).includes(name as never)) {
      throw new VerificationError(t('notify.header.repeated', { count: values.length, name }), { code: 'SIGNATURE_HEADER_REPEATED' });
    }
    return distinct.join(', ');
  };
  const verified = verifier.verify(header, request.body, nowSeconds, header(RESPONSE_HEADERS.requestId), wording);
  let plaintext: Buffer;
  try {
    plaintext = decryptResource(notification.resource, apiv3Key, t('notify.resource.what'));
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new VerificationError(t('notify.resource.undecryptable', { reason: error.message }), { code: 'RESOURCE_DECRYPTION_FAILED' });
  }
  return { notification, verified, plaintext };
}

/** The `original_type` and `associated_data` WeChat Pay uses for an event type: COUPON.USE → "coupon". */
export function resourceTypeOf(eventType: string): string {
  return (eventType.split('.')[0] ?? eventType).toLowerCase();
}

export interface BuiltNotification {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/** A notification exactly as WeChat Pay sends one: encrypted with the APIv3 key, signed with WeChat Pay's key. */
export function buildNotification(input: {
  eventType: string;
  summary: string;
  createTime: string;
  plaintext: string;
  apiv3Key: string;
  signingKey: KeyObject;
  serial: string;
  nowSeconds: number;
}): BuiltNotification {
  const originalType = resourceTypeOf(input.eventType);
  const encrypted = encryptResource(input.plaintext, input.apiv3Key, originalType);
  const id = randomUUID();
  const body = JSON.stringify({
    id,
    create_time: input.createTime,
    resource_type: 'encrypt-resource',
    event_type: input.eventType,
    summary: input.summary,
    resource: {
      original_type: originalType,
      algorithm: encrypted.algorithm,
      ciphertext: encrypted.ciphertext,
      associated_data: encrypted.associated_data,
      nonce: encrypted.nonce,
    },
  });
  const timestamp = String(input.nowSeconds);
  const nonce = generateNonce();
  const signature = signMessage(responseMessage(timestamp, nonce, Buffer.from(body, 'utf8')), input.signingKey);
  return {
    id,
    body,
    headers: {
      'Content-Type': 'application/json',
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Serial': input.serial,
      'Wechatpay-Signature-Type': SIGNATURE_TYPE,
    },
  };
}
