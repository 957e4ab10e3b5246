/**
 * The token pre-order request body (P3) and the business rules WeChat Pay enforces on it
 * (P4), checked before anything is sent, with the server's own wording.
 */
import { UsageError } from './errors.js';
import { JsonNumber, type LosslessJson } from './json.js';
import { t } from './i18n/index.js';
import { codePointName, INVISIBLE_CHARACTER } from './redact.js';
import { asciiOfFullWidth, FULL_WIDTH_DIGIT, FULL_WIDTH_FORM } from './full-width.js';

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
  if (value instanceof JsonNumber || typeof value === 'number' || typeof value === 'bigint') return t('token.type.number');
  if (typeof value === 'string') return t('token.type.string');
  if (Array.isArray(value)) return t('token.type.list');
  return typeof value === 'object' ? t('token.type.object') : typeof value;
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
      return { problem: t('token.stock.notExact', { value: String(value) }) };
    }
    digits = String(value);
  } else if (typeof value === 'string') digits = value;
  else if (value instanceof JsonNumber) {
    if (!value.isInteger) return { problem: t('token.stock.notInteger', { value: value.text }) };
    digits = value.text;
  } else return { problem: t('token.stock.expectedInteger', { type: jsonTypeOf(value) }) };

  // １６４７４３４１: full-width digits, from a Chinese input method (careless check, helper-38).
  if (/^[0-9\uff10-\uff19]+$/.test(digits) && FULL_WIDTH_DIGIT.test(digits)) {
    const mended = asciiOfFullWidth(digits, FULL_WIDTH_DIGIT);
    return { problem: t('token.stock.fullWidthDigits', { value: quoteShort(digits), mended }) };
  }
  if (!/^[0-9]+$/.test(digits)) return { problem: t('token.stock.notPositive', { value: quoteShort(digits) }) };
  if (/^0+$/.test(digits)) return { problem: t('token.stock.zero', { value: digits.length > 1 ? quoteShort(digits) : '0' }) };
  if (/^0/.test(digits)) return { problem: t('token.stock.leadingZeros', { value: quoteShort(digits) }) };
  if (BigInt(digits) > MAX_STOCK_ID) return { problem: t('token.stock.tooLarge', { value: digits }) };
  return { digits };
}

/**
 * Parses `--coupon <stock_id:coupon_id>`. Throws a UsageError naming the flag.
 */
export function parseCouponSpec(spec: string): Coupon {
  // --coupon ‘16474341:11004999626’: say so before the stock id is found not to be digits.
  const quote = TYPOGRAPHIC_QUOTES.exec(spec)?.[0];
  if (quote !== undefined) {
    const mended = spec.replace(new RegExp(TYPOGRAPHIC_QUOTES.source, 'gu'), '').trim();
    throw new UsageError(t('token.coupon.quotes', { spec, quote, mended }), { code: 'INVALID_COUPON' });
  }
  const separator = spec.indexOf(':');
  if (separator < 0) {
    // A full-width colon is what a Chinese input method types; say so, with the spec mended.
    if (spec.includes('\uff1a')) {
      throw new UsageError(t('token.coupon.fullWidthColon', { spec, mended: spec.replace('\uff1a', ':').trim() }), {
        code: 'INVALID_COUPON',
      });
    }
    // 16474341，11004999626: a comma (full-width or not) or another separator where the colon goes.
    const separated = /^\s*([0-9]+)\s*([,;\uff0c\uff1b\u3001\uff0e.])\s*([^\s,;\uff0c\uff1b\u3001]+)\s*$/u.exec(spec);
    if (separated) {
      const [, stock, separator, coupon] = separated as unknown as [string, string, string, string];
      throw new UsageError(t('token.coupon.wrongSeparator', { spec, separator, mended: `${stock}:${coupon}` }), { code: 'INVALID_COUPON' });
    }
    // `--coupon "$COUPON"` with COUPON unset reaches here as "": name the likely cause, as --open-id does.
    throw new UsageError(t('token.coupon.format', { spec }) + (spec === '' ? t('token.coupon.emptyFlag') : ''), { code: 'INVALID_COUPON' });
  }
  // ASCII spaces only: a line break, tab or other space around the colon is refused with the rest
  // (`--coupon $'1:\nfake'` was sent as coupon "fake": hostile check, helper-40).
  const stockText = spec.slice(0, separator).replace(/^ +| +$/g, '');
  const couponId = spec.slice(separator + 1).replace(/^ +| +$/g, '');
  // A coupon id is WeChat Pay's string of 1 to 64 characters (P3), digits in practice; on the
  // command line a separator in it is two coupons in one flag (--coupon "a:1,a:2", --coupon "$LIST"),
  // which would otherwise be sent as one odd coupon id.
  const inside = /[\s,;:\uff0c\uff1b\uff1a\u3001]/u.exec(couponId);
  if (inside) {
    const character =
      inside[0] === ' '
        ? t('token.coupon.space')
        : /\s/u.test(inside[0])
          ? t('token.coupon.otherSpace', { character: codePointName(inside[0]) })
          : `"${inside[0]}"`;
    throw new UsageError(t('token.coupon.several', { spec, character }), { code: 'INVALID_COUPON' });
  }
  const stock = normalizeStockId(stockText);
  if ('problem' in stock) {
    throw new UsageError(t('token.coupon.stock', { spec, problem: stock.problem }), { code: 'INVALID_COUPON' });
  }
  const couponProblem = couponIdProblem(couponId);
  if (couponProblem) {
    throw new UsageError(t('token.coupon.couponId', { spec, problem: couponProblem }), { code: 'INVALID_COUPON' });
  }
  return { stock_id: stock.digits, coupon_id: couponId };
}

function couponIdProblem(couponId: unknown): string | undefined {
  if (typeof couponId !== 'string') return t('token.couponId.notString', { type: jsonTypeOf(couponId) });
  const length = characterCount(couponId);
  if (length < 1) return t('token.couponId.empty');
  if (length > MAX_FIELD_LENGTH) return t('token.couponId.tooLong', { length });
  // As for open_id: sent as written, so " 11004999626" would reach WeChat Pay with its space.
  if (couponId.trim() !== couponId) return t('token.couponId.spaces') + edgeCharacterNote(couponId);
  if (notWholeUnicode(couponId)) return t('token.couponId.notUtf8');
  const quote = TYPOGRAPHIC_QUOTES.exec(couponId)?.[0];
  if (quote !== undefined) return t('token.couponId.quotes', { quote });
  const invisible = invisibleCharacter(couponId);
  if (invisible !== undefined) return t('token.couponId.invisible', { character: invisible });
  const space = /\s/u.exec(couponId)?.[0];
  if (space !== undefined) return t('token.couponId.space', { character: codePointName(space) });
  // １１００４９９９６２６: the full-width digits a Chinese input method types (careless check, helper-41: sent).
  if (FULL_WIDTH_FORM.test(couponId)) return t('token.couponId.fullWidth', { mended: asciiOfFullWidth(couponId) });
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
  if (!flags) misnamedKey(record, prefix, { open_id: ['openid'], coupon_list: ['couponlist', 'coupons'] });
  const openId = checkOpenId(record['open_id'], prefix, flags);
  const coupons = checkCouponList(record['coupon_list'], prefix, flags).map((entry, index) => {
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry))
      misnamedKey(entry as Record<string, unknown>, `${prefix}coupon_list[${String(index)}]: `, {
        stock_id: ['stockid', 'stock'],
        coupon_id: ['couponid', 'coupon'],
      });
    return checkCoupon(entry, index, prefix);
  });
  checkCouponSet(coupons, prefix);
  return { open_id: openId, coupon_list: coupons };
}

/**
 * A key missing under its own name but present under another spelling (`"openid"`, `"stockId"`,
 * `"stock"`): a usage error naming both, instead of "open_id is missing" next to the value given.
 */
function misnamedKey(record: Record<string, unknown>, prefix: string, spellings: Readonly<Record<string, readonly string[]>>): void {
  const squeeze = (key: string): string => key.toLowerCase().replace(/[\s_-]/g, '');
  for (const [meant, squeezed] of Object.entries(spellings)) {
    if (Object.hasOwn(record, meant)) continue;
    const given = Object.keys(record).find((key) => squeezed.includes(squeeze(key)));
    if (given !== undefined)
      throw new UsageError(t('token.key.misnamed', { prefix, given: JSON.stringify(given).slice(0, 40), meant }), { code: 'PARAM_ERROR' });
  }
}

/**
 * What a decoder puts for bytes that are not UTF-8 (a --open-id typed in a GBK terminal, a batch
 * file saved in GBK): never part of a real openid or coupon id, so such a value is refused rather
 * than sent damaged.
 */
const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Typographic quotes (“oUser”, ‘16474341:1’): an editor or chat app turned the ASCII quotes of an
 * example into them, and the shell passes them on as characters. Never part of an id.
 */
const TYPOGRAPHIC_QUOTES = /[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u300c\u300d\u300e\u300f\uff02\uff07]/u;

/** The first INVISIBLE_CHARACTER in `text` as U+XXXX, or undefined. */
function invisibleCharacter(text: string): string | undefined {
  const found = INVISIBLE_CHARACTER.exec(text)?.[0];
  return found === undefined ? undefined : codePointName(found);
}

/**
 * What trim() would remove from `text` when it is not an ASCII space (U+3000 from a Chinese input
 * method, U+00A0 or a BOM from a web page, a tab), said as "; it ends with U+3000": such a
 * "space" looks like nothing in the message. Empty when there is none.
 */
function edgeCharacterNote(text: string): string {
  const start = /^\s/u.exec(text)?.[0];
  const end = /\s$/u.exec(text)?.[0];
  const [character, where] = start !== undefined && start !== ' ' ? [start, 'start' as const] : [end, 'end' as const];
  return character !== undefined && character !== ' ' ? t('token.edgeCharacter', { character: codePointName(character), where }) : '';
}

/** U+FFFD, or half of a surrogate pair (`"\ud800"` in a JSON line): text that is not whole Unicode. */
const notWholeUnicode = (text: string): boolean => text.includes(REPLACEMENT_CHARACTER) || /\p{Cs}/u.test(text);

/** open_id: a string of 1 to 64 characters without surrounding spaces, all of it decoded (P3). */
function checkOpenId(openId: unknown, prefix: string, flags: boolean): string {
  const server = SERVER_MESSAGES.badOpenId;
  if (typeof openId !== 'string') {
    const message =
      openId === undefined
        ? t('token.openId.missing', { prefix, server, flags })
        : t('token.openId.notString', { prefix, server, type: jsonTypeOf(openId) });
    throw new UsageError(message, { code: 'PARAM_ERROR' });
  }
  const openIdLength = characterCount(openId);
  if (openIdLength < 1 || openIdLength > MAX_FIELD_LENGTH || openId.trim() !== openId) {
    // `--open-id "$OPENID"` with OPENID unset reaches here as "": name the likely cause.
    const empty = flags && openIdLength === 0 ? t('token.openId.emptyFlag') : '';
    throw new UsageError(
      t('token.openId.length', { prefix, server, field: flags ? '--open-id' : 'open_id', length: openIdLength }) +
        empty +
        edgeCharacterNote(openId),
      { code: 'PARAM_ERROR' },
    );
  }
  const field = flags ? '--open-id' : 'open_id';
  if (notWholeUnicode(openId)) {
    throw new UsageError(t('token.openId.notUtf8', { prefix, server, field }), { code: 'PARAM_ERROR' });
  }
  const quote = TYPOGRAPHIC_QUOTES.exec(openId)?.[0];
  if (quote !== undefined) throw new UsageError(t('token.openId.quotes', { prefix, server, field, quote }), { code: 'PARAM_ERROR' });
  const invisible = invisibleCharacter(openId);
  if (invisible !== undefined)
    throw new UsageError(t('token.openId.invisible', { prefix, server, field, character: invisible }), { code: 'PARAM_ERROR' });
  if (FULL_WIDTH_FORM.test(openId))
    throw new UsageError(t('token.openId.fullWidth', { prefix, server, field, mended: asciiOfFullWidth(openId) }), { code: 'PARAM_ERROR' });
  // "oUser1 oUser2", "oUser<U+3000>--coupon": no openid holds a space; it would be sent with it.
  const space = /\s/u.exec(openId)?.[0];
  if (space !== undefined)
    throw new UsageError(t('token.openId.space', { prefix, server, field, character: codePointName(space) }), { code: 'PARAM_ERROR' });
  return openId;
}

/** coupon_list: a list with at least one entry (P4). */
function checkCouponList(list: unknown, prefix: string, flags: boolean): unknown[] {
  if (list !== undefined && !Array.isArray(list)) {
    throw new UsageError(t('token.couponList.notList', { prefix, type: jsonTypeOf(list) }), { code: 'PARAM_ERROR' });
  }
  if (!list || list.length === 0) {
    throw new UsageError(t('token.couponList.empty', { prefix, server: SERVER_MESSAGES.emptyCouponList, flags }), {
      code: 'INVALID_REQUEST',
    });
  }
  return list;
}

/** coupon_list[index]: an object with an exact integer stock id and a coupon id of 1 to 64 characters (P3). */
function checkCoupon(entry: unknown, index: number, prefix: string): Coupon {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new UsageError(t('token.couponList.entryNotObject', { prefix, index, type: jsonTypeOf(entry) }), { code: 'PARAM_ERROR' });
  }
  const coupon = entry as Record<string, unknown>;
  const stock = normalizeStockId(coupon['stock_id']);
  if ('problem' in stock) {
    throw new UsageError(t('token.couponList.stockId', { prefix, index, problem: stock.problem }), { code: 'PARAM_ERROR' });
  }
  const couponProblem = couponIdProblem(coupon['coupon_id']);
  if (couponProblem) {
    throw new UsageError(t('token.couponList.couponId', { prefix, index, problem: couponProblem }), { code: 'PARAM_ERROR' });
  }
  return { stock_id: stock.digits, coupon_id: coupon['coupon_id'] as string };
}

/** The coupons together: one stock per request, each coupon once (P4). */
function checkCouponSet(coupons: readonly Coupon[], prefix: string): void {
  const stocks = [...new Set(coupons.map((coupon) => coupon.stock_id))];
  if (stocks.length > 1) {
    throw new UsageError(
      t('token.couponList.oneStock', { prefix, server: SERVER_MESSAGES.oneStockPerRequest, stocks: t('token.list', { items: stocks }) }),
      {
        code: 'INVALID_REQUEST',
      },
    );
  }
  const seen = new Set<string>();
  for (const coupon of coupons) {
    if (seen.has(coupon.coupon_id)) {
      throw new UsageError(
        t('token.couponList.duplicate', { prefix, server: SERVER_MESSAGES.duplicateCouponId, couponId: coupon.coupon_id }),
        {
          code: 'INVALID_REQUEST',
        },
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
    // `[{…},{…}]` on one line (what `jq -c . list.json` writes): a whole array, not a line of JSON Lines.
    throw new UsageError(t('token.request.notObject') + (Array.isArray(value) ? t('token.batch.array') : ''), { code: 'PARAM_ERROR' });
  }
  return value;
}
