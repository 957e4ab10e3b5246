/**
 * Request signing (P8–P10): RSASSA-PKCS1-v1_5 with SHA-256 over
 * `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`, in the `WECHATPAY2-SHA256-RSA2048` Authorization header.
 */
import { randomFillSync, sign as rsaSign, type KeyObject } from 'node:crypto';

export const AUTHORIZATION_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
const NONCE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NONCE_LENGTH = 32;

/** Joins the lines of a message to sign; every line ends with LF, the last one too (P9, P15). */
export function buildMessage(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`; URL is path plus query, no host (P9). */
export function requestMessage(method: string, url: string, timestamp: string, nonce: string, body: string): string {
  return buildMessage([method.toUpperCase(), url, timestamp, nonce, body]);
}

/**
 * Secure random bytes, drawn from a pool filled 4 KiB at a time: a batch makes thousands of
 * nonces, and one randomBytes() call each cost more than the bytes themselves.
 */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function randomByte(): number {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const byte = randomPool[randomOffset] as number;
  randomPool[randomOffset] = 0;
  randomOffset += 1;
  return byte;
}

/** 32 characters of [0-9A-Za-z] from a secure RNG, without modulo bias (P10). */
export function generateNonce(): string {
  let nonce = '';
  while (nonce.length < NONCE_LENGTH) {
    const byte = randomByte();
    // 248 = 62 * 4: bytes at or above it would favour the first characters.
    if (byte < 248) nonce += NONCE_ALPHABET.charAt(byte % 62);
  }
  return nonce;
}

/** Base64 RSA-SHA256 signature of a UTF-8 message. */
export function signMessage(message: string | Buffer, privateKey: KeyObject): string {
  return rsaSign('sha256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey).toString('base64');
}

export interface SignRequestInput {
  mchid: string;
  /** Merchant API certificate serial (P8). */
  serial: string;
  privateKey: KeyObject;
  method: string;
  /** Path plus `?query` exactly as sent. */
  url: string;
  /** The exact body string that will be sent; empty for GET. */
  body: string;
  /** Unix seconds; defaults to now. Fresh for every attempt (P10). */
  timestamp?: number;
  nonce?: string;
}

export interface SignedRequest {
  authorization: string;
  timestamp: string;
  nonce: string;
  signature: string;
  message: string;
}

export function signRequest(input: SignRequestInput): SignedRequest {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  const message = requestMessage(input.method, input.url, timestamp, nonce, input.body);
  const signature = signMessage(message, input.privateKey);
  const authorization =
    `${AUTHORIZATION_SCHEME} mchid="${input.mchid}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${input.serial}"`;
  return { authorization, timestamp, nonce, signature, message };
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/**
 * Parses an Authorization header as WeChat Pay reads it: the scheme, then
 * `key="value"` pairs separated by commas, in any order (P8). Returns undefined when malformed.
 */
export function parseAuthorization(header: string): AuthorizationFields | undefined {
  const prefix = `${AUTHORIZATION_SCHEME} `;
  if (!header.startsWith(prefix)) return undefined;
  const fields: Record<string, string> = {};
  const pattern = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  const rest = header.slice(prefix.length);
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(rest)) !== null) {
    if (match[0] === '') break;
    const key = match[1] as string;
    if (key in fields) return undefined;
    fields[key] = match[2] as string;
    consumed = pattern.lastIndex;
  }
  if (consumed !== rest.length) return undefined;
  const required = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
  for (const key of required) if (!(key in fields)) return undefined;
  return fields as unknown as AuthorizationFields;
}
