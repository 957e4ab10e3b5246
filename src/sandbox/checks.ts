/**
 * The sandbox's request checks, as WeChat Pay makes them: `Accept`/`User-Agent` (P2), the
 * Authorization format, mchid and serial (P8, P9), the 5-minute window, the signature over method,
 * path, timestamp, nonce and body (P10, P11), nonce reuse, the Wechatpay-Serial asked for, and the
 * token body's rules (P3, P4). Each check is a function over a parsed request that returns the
 * refusal WeChat Pay would send, or undefined when the request passes; none needs a server.
 */
import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization, requestMessage, type AuthorizationFields } from '../sign.js';
import { verifySignature } from '../verify.js';
import { JsonNumber, parseLosslessJson, type LosslessJson } from '../json.js';
import { SERVER_MESSAGES, normalizeStockId } from '../coupon.js';
import { SANDBOX_MESSAGES, errorAnswer, type Answer } from './answers.js';

const SKEW_SECONDS = 300;

/** A request as received: the method, the path with its query exactly as sent, Node's lower-cased headers, the body. */
export interface SandboxRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Who the sandbox is: the merchant it expects, and the WeChat Pay key serial it signs with. */
export interface RequestExpectations {
  mchid: string;
  /** Upper case; the header's serial is compared case-insensitively. */
  merchantSerial: string;
  merchantPublicKey: KeyObject;
  signingSerial: string;
}

/** Nonce → when it was seen. WeChat Pay only needs to remember a nonce while its timestamp is valid. */
export class NonceMemory {
  private readonly seen = new Map<string, number>();

  has(nonce: string): boolean {
    return this.seen.has(nonce);
  }

  remember(nonce: string, nowMs: number): void {
    this.seen.set(nonce, nowMs);
    if (this.seen.size % 1024 === 0) this.forgetOlderThan(nowMs - 2 * SKEW_SECONDS * 1000);
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetOlderThan(oldest: number): void {
    for (const [nonce, seenAt] of this.seen) {
      if (seenAt >= oldest) break;
      this.seen.delete(nonce);
    }
  }
}

/** Missing `Accept` or `User-Agent` is refused before anything else (P2). */
export function checkClientHeaders(request: SandboxRequest): Answer | undefined {
  if (!request.headers['accept'] || !request.headers['user-agent']) {
    return errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.missingHeaders);
  }
  return undefined;
}

/** The 401 of a signature that does not verify, with WeChat Pay's sign_information (P11). */
function badSignatureAnswer(request: SandboxRequest, fields: AuthorizationFields, message: string): Answer {
  const { method, path, body } = request;
  return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.badSignature, {
    detail: {
      issue: 'sign not match',
    },
    sign_information: {
      method,
      url: path,
      sign_message_length: Buffer.byteLength(message),
      truncated_sign_message: `${method}\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n${body.slice(0, 16)}\n`,
    },
  });
}

/** The Authorization header: its format, mchid, serial, the 5-minute window, then the signature. */
export function checkAuthorization(
  request: SandboxRequest,
  expected: RequestExpectations,
  nowMs: number,
): { refused: Answer } | { fields: AuthorizationFields } {
  const header = request.headers['authorization'];
  const fields = typeof header === 'string' ? parseAuthorization(header) : undefined;
  const refuse = (message: string): { refused: Answer } => ({ refused: errorAnswer(401, 'SIGN_ERROR', message) });
  if (!fields) return refuse(SANDBOX_MESSAGES.badAuthorization);
  if (fields.mchid !== expected.mchid) return refuse(SANDBOX_MESSAGES.wrongMchid);
  if (fields.serial_no.toUpperCase() !== expected.merchantSerial) return refuse(SANDBOX_MESSAGES.wrongSerial);
  const timestamp = /^[0-9]{1,12}$/.test(fields.timestamp) ? Number(fields.timestamp) : Number.NaN;
  if (!Number.isFinite(timestamp) || Math.abs(Math.floor(nowMs / 1000) - timestamp) > SKEW_SECONDS) {
    return refuse(SANDBOX_MESSAGES.staleTimestamp);
  }
  const message = requestMessage(request.method, request.path, fields.timestamp, fields.nonce_str, request.body);
  if (!verifySignature(message, fields.signature, expected.merchantPublicKey)) {
    return { refused: badSignatureAnswer(request, fields, message) };
  }
  return { fields };
}

/** A Wechatpay-Serial the client asks for must be the one the sandbox signs with. */
export function checkWechatpaySerial(request: SandboxRequest, signingSerial: string): Answer | undefined {
  const wanted = request.headers['wechatpay-serial'];
  if (typeof wanted === 'string' && wanted !== signingSerial) {
    return errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.badWechatpaySerial);
  }
  return undefined;
}

/**
 * Every check WeChat Pay makes before it looks at what is asked for, in its order; a request that
 * passes has its nonce remembered, so the same nonce again is refused.
 */
export function authenticate(
  request: SandboxRequest,
  expected: RequestExpectations,
  nonces: NonceMemory,
  nowMs: number,
): Answer | undefined {
  const refused = checkClientHeaders(request);
  if (refused) return refused;
  const authorization = checkAuthorization(request, expected, nowMs);
  if ('refused' in authorization) return authorization.refused;
  const nonce = authorization.fields.nonce_str;
  if (nonces.has(nonce)) return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.replayedNonce);
  nonces.remember(nonce, nowMs);
  return checkWechatpaySerial(request, expected.signingSerial);
}

/** What the token body check found: the stock ids once every coupon was well-formed, and the refusal if any. */
export interface TokenBodyCheck {
  refused?: Answer;
  /** The stock ids as the exact digits the client wrote (P3). */
  stockIds?: string[];
}

type JsonObject = { [key: string]: LosslessJson };

function asObject(value: LosslessJson | undefined): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonNumber) ? value : undefined;
}

function isIdString(value: LosslessJson | undefined): value is string {
  // Characters are code points, as WeChat Pay counts them (an emoji is one, not two UTF-16 units).
  return typeof value === 'string' && value.length >= 1 && Array.from(value).length <= 64;
}

/** The coupons of `coupon_list`, one by one: an integer stock id (P3) and a coupon id of 1 to 64 characters. */
function checkCoupons(list: LosslessJson[]): { refused: Answer } | { stockIds: string[]; couponIds: string[] } {
  const stockIds: string[] = [];
  const couponIds: string[] = [];
  for (const [index, entry] of list.entries()) {
    const coupon = asObject(entry);
    const stock = coupon?.['stock_id'];
    if (!(stock instanceof JsonNumber) || 'problem' in normalizeStockId(stock)) {
      return {
        refused: errorAnswer(400, 'PARAM_ERROR', `coupon_list[${String(index)}].stock_id应为整数`, {
          field: `coupon_list[${String(index)}].stock_id`,
          issue: 'stock_id must be a JSON integer',
          location: 'body',
        }),
      };
    }
    const couponId = coupon?.['coupon_id'];
    if (!isIdString(couponId)) {
      return {
        refused: errorAnswer(400, 'PARAM_ERROR', `coupon_list[${String(index)}].coupon_id应为1到64个字符的字符串`, {
          field: `coupon_list[${String(index)}].coupon_id`,
          issue: 'coupon_id must be a string of 1 to 64 characters',
          location: 'body',
        }),
      };
    }
    stockIds.push(stock.text);
    couponIds.push(couponId);
  }
  return { stockIds, couponIds };
}

/** The body of `POST /v3/industry-coupon/tokens`: JSON, `open_id`, `coupon_list` and its business rules (P3, P4). */
export function checkTokenBody(request: SandboxRequest): TokenBodyCheck {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) return { refused: errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.badContentType) };
  let parsed: JsonObject | undefined;
  try {
    parsed = asObject(parseLosslessJson(request.body));
  } catch {
    parsed = undefined;
  }
  if (!parsed) return { refused: errorAnswer(400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson) };
  const openId = parsed['open_id'];
  if (!isIdString(openId)) {
    return {
      refused: errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.badOpenId, {
        field: 'open_id',
        value: typeof openId === 'string' ? openId : null,
        issue: 'open_id must be a string of 1 to 64 characters',
        location: 'body',
      }),
    };
  }
  const list = parsed['coupon_list'];
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    return { refused: errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.emptyCouponList) };
  }
  if (!Array.isArray(list)) {
    return {
      refused: errorAnswer(400, 'PARAM_ERROR', 'coupon_list类型错误', {
        field: 'coupon_list',
        issue: 'must be an array',
        location: 'body',
      }),
    };
  }
  const coupons = checkCoupons(list);
  if ('refused' in coupons) return coupons;
  const { stockIds, couponIds } = coupons;
  if (new Set(stockIds).size > 1) return { stockIds, refused: errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.oneStockPerRequest) };
  if (new Set(couponIds).size !== couponIds.length)
    return { stockIds, refused: errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.duplicateCouponId) };
  return { stockIds };
}
