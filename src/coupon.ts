/**
 * The token pre-order request body (P3) and the business rules WeChat Pay enforces on it
 * (P4), checked before anything is sent, with the server's own wording.
 */
import { UsageError } from './errors.js';
import { JsonNumber, type LosslessJson } from './json.js';

/** A stock id as its exact decimal digits, so ids above 2^53 - 1 keep every digit (P3). */
export type StockIdInput = number | bigint | string;

export interface CouponInput {
  stock_id: StockIdInput;
  coupon_id: string;
}

export interface TokenRequestInput {
  open_id: string;
  coupon_list: readonly CouponInput[];
}

export interface Coupon {
  /** Decimal digits, no sign, no leading zero. */
  stock_id: string;
  coupon_id: string;
}

export interface TokenRequest {
  open_id: string;
  coupon_list: readonly Coupon[];
}

/** WeChat Pay stores stock ids as signed 64-bit integers. */
const MAX_STOCK_ID = 2n ** 63n - 1n;
const MAX_FIELD_LENGTH = 64;

/** The server's own messages for the P4 rules, so local and remote failures read alike. */
export const SERVER_MESSAGES = Object.freeze({
  emptyCouponList: '没传入券列表',
  oneStockPerRequest: '单次请求只能传一个批次号',
  duplicateCouponId: '券ID存在重复',
  badOpenId: 'OpenID有误',
});

function characterCount(text: string): number {
  // Code points, as for-of counts them (a surrogate pair is one character).
  return Array.from(text).length;
}

/** A JSON value's type as a user wrote it: "a number", "a list", "an object", "true", "null". */
function jsonTypeOf(value: unknown): string {
  if (value === null || value === true || value === false) return String(value);
  if (value instanceof JsonNumber || typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'string') return 'a string';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** At most a short prefix of a value a user gave, for a message. */
function quoteShort(text: string): string {
  return text.length > 40 ? `"${text.slice(0, 32)}…"` : `"${text}"`;
}

/** Returns the stock id's canonical digits, or a reason it is not a valid stock id. */
export function normalizeStockId(value: unknown): { digits: string } | { problem: string } {
  let digits: string;
  if (typeof value === 'bigint') digits = value.toString();
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      return { problem: `${String(value)} is not an exact integer; pass stock ids above 2^53-1 as a string or bigint` };
    }
    digits = String(value);
  } else if (typeof value === 'string') digits = value;
  else if (value instanceof JsonNumber) {
    if (!value.isInteger) return { problem: `${value.text} is not an integer` };
    digits = value.text;
  } else return { problem: `expected an integer, got ${jsonTypeOf(value)}` };

  if (!/^[0-9]+$/.test(digits)) return { problem: `${quoteShort(digits)} is not a positive integer` };
  if (/^0+$/.test(digits))
    return { problem: `${digits.length > 1 ? quoteShort(digits) : '0'} is not a stock id; it must be a positive number` };
  if (/^0/.test(digits)) return { problem: `${quoteShort(digits)} must be written without leading zeros` };
  if (BigInt(digits) > MAX_STOCK_ID) return { problem: `${digits} is larger than the largest stock id (2^63-1)` };
  return { digits };
}

/**
 * Parses `--coupon <stock_id:coupon_id>`. Throws a UsageError naming the flag.
 */
export function parseCouponSpec(spec: string): Coupon {
  const separator = spec.indexOf(':');
  if (separator < 0) {
    throw new UsageError(`--coupon "${spec}" is not <stock_id>:<coupon_id>; write it like --coupon 16474341:11004999626`, {
      code: 'INVALID_COUPON',
    });
  }
  const stockText = spec.slice(0, separator).trim();
  const couponId = spec.slice(separator + 1).trim();
  const stock = normalizeStockId(stockText);
  if ('problem' in stock) {
    throw new UsageError(`--coupon "${spec}": stock id ${stock.problem}; write it like --coupon 16474341:11004999626`, {
      code: 'INVALID_COUPON',
    });
  }
  const couponProblem = couponIdProblem(couponId);
  if (couponProblem) {
    throw new UsageError(`--coupon "${spec}": coupon id ${couponProblem}`, { code: 'INVALID_COUPON' });
  }
  return { stock_id: stock.digits, coupon_id: couponId };
}

function couponIdProblem(couponId: unknown): string | undefined {
  if (typeof couponId !== 'string') return `must be a string, got ${jsonTypeOf(couponId)}`;
  const length = characterCount(couponId);
  if (length < 1) return 'is empty; it must be 1 to 64 characters';
  if (length > MAX_FIELD_LENGTH) return `is ${length} characters long; it must be 1 to 64 characters`;
  return undefined;
}

/**
 * Checks P3 and P4 on a whole request and returns it normalized. Throws a UsageError whose
 * message quotes the server's wording where the server has one.
 */
export function validateTokenRequest(
  input: TokenRequestInput | Record<string, unknown>,
  label = '',
  /** How the user gave the request, for the wording of a fix: flags (`--open-id`) or JSON fields (a batch line, code). */
  form: 'flags' | 'json' = 'json',
): TokenRequest {
  const prefix = label ? `${label}: ` : '';
  const flags = form === 'flags';
  const record = input as Record<string, unknown>;
  const openId = checkOpenId(record['open_id'], prefix, flags);
  const coupons = checkCouponList(record['coupon_list'], prefix, flags).map((entry, index) => checkCoupon(entry, index, prefix));
  checkCouponSet(coupons, prefix);
  return { open_id: openId, coupon_list: coupons };
}

/** open_id: a string of 1 to 64 characters without surrounding spaces (P3). */
function checkOpenId(openId: unknown, prefix: string, flags: boolean): string {
  if (typeof openId !== 'string') {
    const problem =
      openId === undefined
        ? `open_id is missing; ${flags ? 'pass --open-id <openid>' : 'add "open_id": the user\u2019s openid under your AppID'}`
        : `open_id must be a string, got ${jsonTypeOf(openId)}; write it in quotes`;
    throw new UsageError(`${prefix}${SERVER_MESSAGES.badOpenId}: ${problem}`, { code: 'PARAM_ERROR' });
  }
  const openIdLength = characterCount(openId);
  if (openIdLength < 1 || openIdLength > MAX_FIELD_LENGTH || openId.trim() !== openId) {
    throw new UsageError(
      `${prefix}${SERVER_MESSAGES.badOpenId}: ${flags ? '--open-id' : 'open_id'} must be 1 to 64 characters without surrounding spaces (got ${openIdLength}); ` +
        'use the user\u2019s openid under your AppID',
      { code: 'PARAM_ERROR' },
    );
  }
  return openId;
}

/** coupon_list: a list with at least one entry (P4). */
function checkCouponList(list: unknown, prefix: string, flags: boolean): unknown[] {
  if (list !== undefined && !Array.isArray(list)) {
    throw new UsageError(`${prefix}coupon_list must be a list of {"stock_id", "coupon_id"}, got ${jsonTypeOf(list)}`, {
      code: 'PARAM_ERROR',
    });
  }
  if (!list || list.length === 0) {
    const fix = flags
      ? 'pass at least one --coupon <stock_id>:<coupon_id>'
      : 'add a "coupon_list" with at least one {"stock_id", "coupon_id"}';
    throw new UsageError(`${prefix}${SERVER_MESSAGES.emptyCouponList} (no coupon given): ${fix}`, { code: 'INVALID_REQUEST' });
  }
  return list;
}

/** coupon_list[index]: an object with an exact integer stock id and a coupon id of 1 to 64 characters (P3). */
function checkCoupon(entry: unknown, index: number, prefix: string): Coupon {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new UsageError(`${prefix}coupon_list[${index}] must be an object {"stock_id", "coupon_id"}, got ${jsonTypeOf(entry)}`, {
      code: 'PARAM_ERROR',
    });
  }
  const coupon = entry as Record<string, unknown>;
  const stock = normalizeStockId(coupon['stock_id']);
  if ('problem' in stock) {
    throw new UsageError(`${prefix}coupon_list[${index}].stock_id: ${stock.problem}`, { code: 'PARAM_ERROR' });
  }
  const couponProblem = couponIdProblem(coupon['coupon_id']);
  if (couponProblem) {
    throw new UsageError(`${prefix}coupon_list[${index}].coupon_id ${couponProblem}`, { code: 'PARAM_ERROR' });
  }
  return { stock_id: stock.digits, coupon_id: coupon['coupon_id'] as string };
}

/** The coupons together: one stock per request, each coupon once (P4). */
function checkCouponSet(coupons: readonly Coupon[], prefix: string): void {
  const stocks = [...new Set(coupons.map((coupon) => coupon.stock_id))];
  if (stocks.length > 1) {
    throw new UsageError(
      `${prefix}${SERVER_MESSAGES.oneStockPerRequest} (one stock per request): got stocks ${stocks.join(', ')}; ` +
        'request a token for each stock separately',
      { code: 'INVALID_REQUEST' },
    );
  }
  const seen = new Set<string>();
  for (const coupon of coupons) {
    if (seen.has(coupon.coupon_id)) {
      throw new UsageError(
        `${prefix}${SERVER_MESSAGES.duplicateCouponId} (duplicate coupon id): ${coupon.coupon_id} is given twice; list each coupon once`,
        { code: 'INVALID_REQUEST' },
      );
    }
    seen.add(coupon.coupon_id);
  }
}

/**
 * The exact request body: stock ids written as their digits (P3), coupon ids as strings.
 * Serialized once; the same string is signed and sent (P9).
 */
export function serializeTokenRequest(request: TokenRequest): string {
  const coupons = request.coupon_list
    .map((coupon) => `{"stock_id":${coupon.stock_id},"coupon_id":${JSON.stringify(coupon.coupon_id)}}`)
    .join(',');
  return `{"open_id":${JSON.stringify(request.open_id)},"coupon_list":[${coupons}]}`;
}

/** Reads a lossless-parsed JSON value as a token request input (numbers stay exact). */
export function tokenRequestFromJson(value: LosslessJson): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber) {
    throw new UsageError('expected a JSON object {"open_id": …, "coupon_list": [...]}', { code: 'PARAM_ERROR' });
  }
  return value;
}
