/**
 * Faults the sandbox can inject, so the client's behaviour under failure can be proven, by
 * the project's tests and by users testing their own scripts (`wxpay-coupon sandbox --fault`).
 */
export const FAULT_NAMES = [
  '500',
  '502',
  '503',
  '429',
  'reset',
  'hang',
  'slow-body',
  'bad-signature',
  'tampered-body',
  'unknown-serial',
  'stale-timestamp',
  'missing-headers',
  'probe-signature',
  'not-json',
  'no-token',
  'huge-body',
  'long-token',
  'no-content',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

export const FAULT_DESCRIPTIONS: Readonly<Record<FaultName, string>> = Object.freeze({
  '500': '500 SYSTEM_ERROR',
  '502': '502 SERVICE_UNAVAILABLE',
  '503': '503 SERVICE_UNAVAILABLE',
  '429': '429 RATELIMIT_EXCEEDED with Retry-After: 1',
  reset: 'drop the connection in the middle of the answer',
  hang: 'accept the request and never answer',
  'slow-body': 'drip the answer one byte every 100 ms',
  'bad-signature': 'sign with garbage',
  'tampered-body': 'sign one body, send another',
  'unknown-serial': 'announce a key serial the client does not hold',
  'stale-timestamp': 'sign with a timestamp 10 minutes old',
  'missing-headers': 'leave out Wechatpay-Signature and Wechatpay-Serial',
  'probe-signature': 'send a WECHATPAY/SIGNTEST/ probe signature', // P16
  'not-json': 'a correctly signed body that is not JSON',
  'no-token': 'a correctly signed 200 without a token', // P5
  'huge-body': 'a 2 MiB body',
  'long-token': 'a correctly signed token of 100 characters, over the launch page\u2019s 64',
  'no-content': 'a correctly signed 204 with an empty body instead of a 2xx answer',
});

export interface FaultSpec {
  name: FaultName;
  /** Happen for the first `count` requests, then stop; undefined: every request. */
  count?: number | undefined;
}

export function isFaultName(value: string): value is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(value);
}

/** Parses `name[:count]`; throws an Error whose message lists the valid names. */
export function parseFaultSpec(text: string): FaultSpec {
  const [name = '', count, extra] = text.split(':');
  if (!isFaultName(name) || extra !== undefined) {
    throw new Error(`"${text}" is not a fault; use one of ${FAULT_NAMES.join(', ')}, optionally with :count (like 503:2)`);
  }
  if (count === undefined) return { name };
  if (!/^[1-9][0-9]{0,5}$/.test(count)) throw new Error(`"${text}": the count must be a whole number from 1, like ${name}:2`);
  return { name, count: Number(count) };
}

/** Takes the first fault still active and uses up one of its count. */
export function takeFault(faults: FaultSpec[]): FaultName | undefined {
  const active = faults.find((fault) => fault.count === undefined || fault.count > 0);
  if (!active) return undefined;
  if (active.count !== undefined) active.count -= 1;
  return active.name;
}
