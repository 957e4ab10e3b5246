/**
 * WeChat Pay callback notifications (P21–P25): reading one as a handler received it (a raw HTTP
 * request, or a body and its headers), verifying it exactly as an answer is verified (P13–P17,
 * through the one Verifier), decrypting its resource (P19's AES-256-GCM, through aead.ts), and
 * building one as WeChat Pay would, for testing a merchant's handler against the sandbox.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { decryptResource, encryptResource, DecryptionError } from './aead.js';
import { UsageError, VerificationError } from './errors.js';
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

export const NOTIFICATION_WORDING: VerificationWording = Object.freeze({
  subject: 'the notification',
  missingHint:
    'a notification without all four Wechatpay-* headers cannot be verified (capture the request with its headers, ' +
    'or pass each with --header; a proxy or framework in front of the handler may have dropped them)',
  staleHint: 'an old capture or a replay; to check a captured notification later, pass the time it arrived with --now <rfc3339|unix>',
  serialHint:
    'the wrong key mode (a merchant on the WeChat Pay public key checking with a platform certificate, or the other way round), ' +
    'or a key from another merchant; configure publicKeyId + publicKey or platformCertificates for that serial',
  signatureHint:
    'the most common cause is a body changed before verification (a framework that parsed and re-serialised the JSON, ' +
    'trimmed it or changed its encoding): verify the raw bytes as received; otherwise it is forged',
  probe:
    'the notification carries a probe signature (Wechatpay-Signature starting WECHATPAY/SIGNTEST/): WeChat Pay sends these on ' +
    'purpose to check that a handler rejects bad signatures; it is not a real notification and must be refused',
});

/** A request as captured: header names lower-cased, every value of a repeated header kept in order. */
export interface RawRequest {
  method?: string;
  target?: string;
  headers: Map<string, string[]>;
  body: Buffer;
}

function notHttp(reason: string): never {
  throw new UsageError(
    `the input is not an HTTP request (${reason}); pass the raw request as the handler received it ` +
      '(request line, headers, blank line, body), or the body with --body and each header with --header',
    { code: 'NOT_HTTP' },
  );
}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/[0-9](?:\.[0-9])?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Adds one `Name: value` line to a header map; a line that is not one is reported with its number. */
export function addHeaderLine(headers: Map<string, string[]>, line: string, where: string): void {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  if (!HEADER_NAME.test(name)) notHttp(`${where} is not a "Name: value" header`);
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
    if (lineEnd < 0) notHttp('its chunked body ends early');
    const size = Number.parseInt(data.subarray(position, lineEnd).toString('latin1').trim().split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) notHttp('its chunked body has a chunk without a size');
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 1;
    if (start + size > data.length) notHttp('its chunked body ends early');
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
    notHttp(
      looksLikeJson
        ? 'it starts with JSON: for a body alone, use --body <file> with --header for each Wechatpay-* header'
        : 'its first line is not like POST /notify HTTP/1.1',
    );
  }
  if (bodyStart === input.length && headerEnd === input.length) notHttp('no blank line ends its headers');
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
    addHeaderLine(headers, line, `line ${index + 1}`);
    previous = line.slice(0, line.indexOf(':')).trim().toLowerCase();
  }
  let body = input.subarray(bodyStart);
  const encoding = headers.get('transfer-encoding')?.join(',').toLowerCase() ?? '';
  if (encoding.includes('chunked')) {
    body = decodeChunked(body);
  } else {
    const lengths = [...new Set(headers.get('content-length') ?? [])];
    if (lengths.length > 1) notHttp('it has conflicting Content-Length headers');
    const [declared] = lengths;
    if (declared !== undefined) {
      const length = /^[0-9]+$/.test(declared) ? Number(declared) : Number.NaN;
      if (!Number.isSafeInteger(length)) notHttp(`its Content-Length "${declared}" is not a number`);
      if (body.length < length) {
        throw new UsageError(
          `the capture is truncated: Content-Length says ${length} bytes, but only ${body.length} follow the headers; capture the whole request`,
          { code: 'CAPTURE_TRUNCATED' },
        );
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
  throw new UsageError(
    `the body is not a WeChat Pay notification (${reason}); a notification is JSON like ` +
      '{"id","create_time","event_type","resource_type","summary","resource":{"algorithm","ciphertext","nonce","associated_data"}}',
    { code: 'NOT_A_NOTIFICATION' },
  );
}

/** Checks the body's shape only; nothing in it is trusted until the signature over its raw bytes is verified. */
export function readNotificationShape(body: Buffer): Notification {
  if (body.length === 0) notNotification('it is empty');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return notNotification('it is not UTF-8 text');
  }
  let parsed: LosslessJson;
  try {
    parsed = parseLosslessJson(text.replace(/^\uFEFF/, ''));
  } catch {
    return notNotification('it is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return notNotification('it is not a JSON object');
  const object = parsed as Record<string, LosslessJson>;
  for (const key of ['id', 'create_time', 'event_type', 'resource_type'] as const) {
    if (typeof object[key] !== 'string' || object[key] === '') return notNotification(`"${key}" is missing or not a string`);
  }
  if (object['summary'] !== undefined && typeof object['summary'] !== 'string') return notNotification('"summary" is not a string');
  const resource = object['resource'];
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource))
    return notNotification('"resource" is missing or not an object');
  const fields = resource as Record<string, LosslessJson>;
  for (const key of ['algorithm', 'ciphertext', 'nonce'] as const) {
    if (typeof fields[key] !== 'string') return notNotification(`"resource.${key}" is missing or not a string`);
  }
  for (const key of ['associated_data', 'original_type'] as const) {
    if (fields[key] !== undefined && typeof fields[key] !== 'string') return notNotification(`"resource.${key}" is not a string`);
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
export function verifyNotification(request: RawRequest, verifier: Verifier, apiv3Key: string, nowSeconds: number): VerifiedNotification {
  const notification = readNotificationShape(request.body);
  const header = (name: string): string | undefined => {
    const values = request.headers.get(name);
    if (values === undefined) return undefined;
    const distinct = [...new Set(values)];
    if (distinct.length > 1 && Object.values(RESPONSE_HEADERS).includes(name as never)) {
      throw new VerificationError(
        `the notification has ${values.length} ${name} headers with different values; which one WeChat Pay sent cannot be known, so it is not trusted`,
        { code: 'SIGNATURE_HEADER_REPEATED' },
      );
    }
    return distinct.join(', ');
  };
  const verified = verifier.verify(header, request.body, nowSeconds, header(RESPONSE_HEADERS.requestId), NOTIFICATION_WORDING);
  let plaintext: Buffer;
  try {
    plaintext = decryptResource(notification.resource, apiv3Key, 'the notification\u2019s resource');
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new VerificationError(
      `${error.message}; the signature is valid, so the usual cause is an apiv3Key from another merchant or one reset in the merchant platform since`,
      { code: 'RESOURCE_DECRYPTION_FAILED' },
    );
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
