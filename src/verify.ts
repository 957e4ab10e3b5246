/**
 * Verifying WeChat Pay's signature on a 2xx answer (P12–P17), over the raw body bytes,
 * before anything in the body is parsed or trusted.
 */
import { verify as rsaVerify, type KeyObject } from 'node:crypto';
import { VerificationError } from './errors.js';
import type { VerificationKey } from './keys.js';
import { t } from './i18n/index.js';

/** |now − Wechatpay-Timestamp| above this many seconds is rejected (P14). */
export const MAX_CLOCK_SKEW_SECONDS = 300;
export const SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048';

export const RESPONSE_HEADERS = Object.freeze({
  timestamp: 'wechatpay-timestamp',
  nonce: 'wechatpay-nonce',
  signature: 'wechatpay-signature',
  serial: 'wechatpay-serial',
  signatureType: 'wechatpay-signature-type',
  requestId: 'request-id',
});

/**
 * Canonical padded base64: the alphabet, then at most two '=', in a length divisible by 4 (which
 * puts the padding where it belongs). Written this way rather than as groups of four, which
 * a profile of a batch run showed as a visible cost per signature.
 */
const BASE64_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

export function isStrictBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64_CHARACTERS.test(text);
}

/** `TIMESTAMP\nNONCE\nRAW_BODY\n` over the body bytes as received (P15). */
export function responseMessage(timestamp: string, nonce: string, rawBody: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), rawBody, Buffer.from('\n', 'utf8')]);
}

/**
 * Checks one base64 RSA-SHA256 signature. Never throws: a probe signature (P16), an empty
 * or non-base64 value, or a wrong length all just fail.
 */
export function verifySignature(message: string | Uint8Array, signature: string, key: KeyObject): boolean {
  if (signature.length === 0 || !isStrictBase64(signature)) return false;
  try {
    const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    return rsaVerify('sha256', data, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export type HeaderLookup = (name: string) => string | undefined;

export interface VerifiedResponse {
  serial: string;
  key: VerificationKey;
  timestamp: number;
}

/**
 * How a verification failure is worded: for an answer to our request (the default), or for a
 * callback notification (P22), whose common causes differ. The checks themselves are the same.
 */
export interface VerificationWording {
  /** "the answer", "the notification". */
  subject: string;
  /** What to check when a signature header is missing. */
  missingHint: string;
  /** What to check when the timestamp is too far from now. */
  staleHint: string;
  /** What to check when the serial names no configured key. */
  serialHint: string;
  /** What to check when the signature does not verify. */
  signatureHint: string;
  /** When set, a probe signature (P16) is reported as such, with this message and code SIGNATURE_PROBE. */
  probe?: string;
  /** What "now" was taken from, when not this machine's clock (`notify verify --now`). */
  clock?: string;
}

/** Getters: the words are looked up when a failure is worded, in the language chosen by then. */
export const ANSWER_WORDING: VerificationWording = Object.freeze({
  get subject() {
    return t('token.verify.answer.subject');
  },
  get missingHint() {
    return t('token.verify.answer.missingHint');
  },
  get staleHint() {
    return t('token.verify.answer.staleHint');
  },
  get serialHint() {
    return t('token.verify.answer.serialHint');
  },
  get signatureHint() {
    return t('token.verify.answer.signatureHint');
  },
});

/**
 * An error answer verified as proof (P27): the same checks and words as for a 2xx, but for what
 * a signature header missing means (some are there, or it would not be verified at all).
 */
export const ERROR_ANSWER_WORDING: VerificationWording = Object.freeze({
  get subject() {
    return ANSWER_WORDING.subject;
  },
  get missingHint() {
    return t('token.verify.errorAnswer.missingHint');
  },
  get staleHint() {
    return ANSWER_WORDING.staleHint;
  },
  get serialHint() {
    return ANSWER_WORDING.serialHint;
  },
  get signatureHint() {
    return ANSWER_WORDING.signatureHint;
  },
});

/** Signatures WeChat Pay sends on purpose to check that they are rejected (P16). */
export const PROBE_SIGNATURE_PREFIX = 'WECHATPAY/SIGNTEST/';

export class Verifier {
  private readonly keys = new Map<string, VerificationKey>();

  constructor(keys: readonly VerificationKey[]) {
    for (const key of keys) this.keys.set(key.serial, key);
  }

  get serials(): string[] {
    return [...this.keys.keys()];
  }

  get size(): number {
    return this.keys.size;
  }

  list(): VerificationKey[] {
    return [...this.keys.values()];
  }

  /**
   * Verifies a 2xx answer. Throws a VerificationError that says which check failed; the
   * caller must not read the body otherwise.
   */
  verify(
    header: HeaderLookup,
    rawBody: Uint8Array,
    nowSeconds: number,
    requestId?: string,
    wording: VerificationWording = ANSWER_WORDING,
  ): VerifiedResponse {
    const fail: Fail = (message, code) => {
      throw new VerificationError(message, requestId === undefined ? { code } : { code, requestId });
    };
    const { timestamp, nonce, signature, serial } = signatureHeaders(header, wording, fail);
    const seconds = checkTimestamp(timestamp, nowSeconds, wording, fail);
    const key = this.keys.get(serial);
    if (!key) {
      const known = this.serials;
      const configured = known.length > 0 ? t('token.list', { items: known }) : t('token.verify.none');
      return fail(
        t('token.verify.serialUnknown', { subject: wording.subject, serial, known: configured, hint: wording.serialHint }),
        'SERIAL_UNKNOWN',
      );
    }
    if (wording.probe !== undefined && signature.startsWith(PROBE_SIGNATURE_PREFIX)) {
      return fail(wording.probe, 'SIGNATURE_PROBE');
    }
    if (!verifySignature(responseMessage(timestamp, nonce, rawBody), signature, key.key)) {
      const { subject, signatureHint: hint } = wording;
      return fail(
        t('token.verify.signatureInvalid', { subject, publicKey: key.kind === 'public-key', serial: key.serial, source: key.source, hint }),
        'SIGNATURE_INVALID',
      );
    }
    return { serial: key.serial, key, timestamp: seconds };
  }
}

/** Throws the VerificationError of one failed check. */
type Fail = (message: string, code: string) => never;

/** The four signature headers, each present and non-empty (P13), and a signature type we accept. */
function signatureHeaders(
  header: HeaderLookup,
  wording: VerificationWording,
  fail: Fail,
): { timestamp: string; nonce: string; signature: string; serial: string } {
  const timestamp = header(RESPONSE_HEADERS.timestamp);
  const nonce = header(RESPONSE_HEADERS.nonce);
  const signature = header(RESPONSE_HEADERS.signature);
  const serial = header(RESPONSE_HEADERS.serial);
  const missing = [
    ['Wechatpay-Timestamp', timestamp],
    ['Wechatpay-Nonce', nonce],
    ['Wechatpay-Signature', signature],
    ['Wechatpay-Serial', serial],
  ]
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => String(name));
  if (missing.length > 0) {
    return fail(
      t('token.verify.headersMissing', {
        subject: wording.subject,
        headers: t('token.list', { items: missing }),
        hint: wording.missingHint,
      }),
      'SIGNATURE_HEADERS_MISSING',
    );
  }
  // A header received twice reaches here joined with ", " (none of the four holds a comma):
  // which of the values WeChat Pay sent cannot be known.
  const repeated = (
    [
      ['Wechatpay-Timestamp', timestamp],
      ['Wechatpay-Nonce', nonce],
      ['Wechatpay-Signature', signature],
      ['Wechatpay-Serial', serial],
    ] as const
  ).find(([, value]) => value?.includes(','));
  if (repeated) return fail(t('token.verify.headerRepeated', { subject: wording.subject, name: repeated[0] }), 'SIGNATURE_HEADER_REPEATED');
  const signatureType = header(RESPONSE_HEADERS.signatureType);
  if (signatureType !== undefined && signatureType !== SIGNATURE_TYPE) {
    return fail(
      t('token.verify.typeUnsupported', { subject: wording.subject, type: signatureType, accepted: SIGNATURE_TYPE }),
      'SIGNATURE_TYPE_UNSUPPORTED',
    );
  }
  return { timestamp: timestamp as string, nonce: nonce as string, signature: signature as string, serial: serial as string };
}

/** Wechatpay-Timestamp: Unix seconds, at most MAX_CLOCK_SKEW_SECONDS from now (P14). */
function checkTimestamp(timestamp: string, nowSeconds: number, wording: VerificationWording, fail: Fail): number {
  const seconds = /^[0-9]{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(seconds)) {
    return fail(t('token.verify.timestampInvalid', { subject: wording.subject, timestamp }), 'TIMESTAMP_INVALID');
  }
  const skew = Math.abs(nowSeconds - seconds);
  if (skew > MAX_CLOCK_SKEW_SECONDS) {
    return fail(
      t('token.verify.timestampStale', {
        subject: wording.subject,
        skew,
        max: MAX_CLOCK_SKEW_SECONDS,
        clock: wording.clock ?? t('token.verify.machineClock'),
        hint: wording.staleHint,
      }),
      'TIMESTAMP_STALE',
    );
  }
  return seconds;
}
