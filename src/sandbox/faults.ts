/**
 * Faults the sandbox can inject, so the client's behaviour under failure can be proven, by
 * the project's tests and by users testing their own scripts (`wxpay-coupon sandbox --fault`).
 *
 * Each fault is one entry of `FAULTS`: its name, its description (what `sandbox --help` and the
 * `--fault` log line say) and its behaviour, one of the hooks of `FaultBehaviour`. Adding a fault
 * is adding one entry here, its description's `ops.fault.*` id in both catalogues, its row in
 * test/faults.e2e.test.js's matrix and its name in both READMEs' list (docs/architecture.md).
 *
 * This module is imported by the CLI's option definitions (`--fault` lists the names), so it
 * imports nothing at run time: what a behaviour needs (random bytes, signing) comes in through
 * `FaultContext`, and `--help` loads no crypto (test/startup.test.js).
 */
import type { ServerResponse } from 'node:http';
import type { Answer } from './answers.js';
import { formatChinaTime } from '../clock.js';
import { t } from '../i18n/index.js';

/** What a fault's behaviour may use, given by the server that injects it. */
export interface FaultContext {
  randomBytes(size: number): Buffer;
  /** The Wechatpay-* headers that correctly sign `body`, with a timestamp `ageSeconds` old. */
  sign(body: string, ageSeconds?: number): Record<string, string>;
  errorAnswer(status: number, code: string, message: string): Answer;
  /** The expires_time of a token issued now (+08:00 time). */
  expiresTime(): string;
}

/** A 2xx answer on its way out, with the token it carries (the token endpoint's 200 only). */
export interface AnswerDraft {
  answer: Answer;
  token?: string | undefined;
}

/**
 * What a fault does; an entry sets one of these. In the order the server applies them:
 * `takeOver` or `replace` before the request is checked, `reshape` on a 2xx answer only, `sign` on
 * a signed answer (a 2xx, and the certificates' 404 RESOURCE_NOT_EXISTS, P27; any other error
 * answer is sent as it is), `deliver` on whatever is then written.
 */
export interface FaultBehaviour {
  /** Do something to the connection instead of answering; returns the status it wrote, if it counts as one. */
  takeOver?(response: ServerResponse, headers: Record<string, string>): number | undefined;
  /** Answer this instead of checking the request (an outage, a rate limit). */
  replace?(context: FaultContext): Answer;
  /** Change a 2xx answer before it is signed (correctly). */
  reshape?(draft: AnswerDraft, context: FaultContext): AnswerDraft;
  /** Sign a signed answer (a 2xx, the certificates' 404) wrongly: the body and the headers actually sent. */
  sign?(body: string, context: FaultContext): { body: string; headers: Record<string, string> };
  /** Write the body some other way than at once. */
  deliver?(response: ServerResponse, body: string): void;
}

export interface FaultEntry extends FaultBehaviour {
  name: string;
  description: string;
}

/** `reset`: announce 200 bytes, send a few, drop the connection. */
function reset(response: ServerResponse, headers: Record<string, string>): undefined {
  response.writeHead(200, { ...headers, 'Content-Length': '200' });
  response.write('{"token":"', () => response.socket?.destroy());
  return undefined;
}

/** `huge-body`: 2 MiB of `a`, over any client's answer cap. */
function hugeBody(response: ServerResponse, headers: Record<string, string>): number {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  response.writeHead(200, { ...headers, 'Content-Length': String(chunk.length * 32) });
  for (let index = 0; index < 32; index += 1) response.write(chunk);
  response.end();
  return 200;
}

/** `slow-body`: drip the body a byte every 100 ms; stop if the client goes away. */
function drip(response: ServerResponse, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  let index = 0;
  const timer = setInterval(() => {
    if (response.destroyed || index >= bytes.length) {
      clearInterval(timer);
      if (!response.destroyed) response.end();
      return;
    }
    response.write(bytes.subarray(index, index + 1));
    index += 1;
  }, 100);
  response.on('close', () => {
    clearInterval(timer);
  });
}

/** Signs `body` correctly, then overrides some headers. */
function signedWith(
  body: string,
  context: FaultContext,
  headers: Record<string, string>,
): { body: string; headers: Record<string, string> } {
  return { body, headers: { ...context.sign(body), ...headers } };
}

/** A different body, correctly signed. */
function signedInstead(body: string, context: FaultContext): { body: string; headers: Record<string, string> } {
  return { body, headers: context.sign(body) };
}

export const FAULTS = [
  {
    name: '500',
    get description() {
      return t('ops.fault.500');
    },
    replace: (context) => context.errorAnswer(500, 'SYSTEM_ERROR', '系统错误'),
  },
  {
    name: '502',
    get description() {
      return t('ops.fault.502');
    },
    replace: (context) => context.errorAnswer(502, 'SERVICE_UNAVAILABLE', '服务不可用'),
  },
  {
    name: '503',
    get description() {
      return t('ops.fault.503');
    },
    replace: (context) => context.errorAnswer(503, 'SERVICE_UNAVAILABLE', '服务不可用'),
  },
  {
    name: '429',
    get description() {
      return t('ops.fault.429');
    },
    replace: (context) => ({ ...context.errorAnswer(429, 'RATELIMIT_EXCEEDED', '请求频率超限'), headers: { 'Retry-After': '1' } }),
  },
  {
    name: 'reset',
    get description() {
      return t('ops.fault.reset');
    },
    takeOver: reset,
  },
  // Never answer; close() ends the connection.
  {
    name: 'hang',
    get description() {
      return t('ops.fault.hang');
    },
    takeOver: () => undefined,
  },
  {
    name: 'slow-body',
    get description() {
      return t('ops.fault.slowBody');
    },
    deliver: drip,
  },
  {
    name: 'bad-signature',
    get description() {
      return t('ops.fault.badSignature');
    },
    sign: (body, context) => signedWith(body, context, { 'Wechatpay-Signature': context.randomBytes(256).toString('base64') }),
  },
  {
    name: 'tampered-body',
    get description() {
      return t('ops.fault.tamperedBody');
    },
    // A token answer gets another token; any other (api's /v3/certificates) one more byte.
    sign: (body, context) => ({
      body: /"token":"/.test(body)
        ? body.replace(/"token":"[^"]*"/, `"token":"${context.randomBytes(24).toString('base64url')}"`)
        : `${body} `,
      headers: context.sign(body),
    }),
  },
  {
    name: 'unknown-serial',
    get description() {
      return t('ops.fault.unknownSerial');
    },
    sign: (body, context) => signedWith(body, context, { 'Wechatpay-Serial': 'PUB_KEY_ID_0999999999999999999999999999' }),
  },
  {
    name: 'stale-timestamp',
    get description() {
      return t('ops.fault.staleTimestamp');
    },
    sign: (body, context) => ({ body, headers: context.sign(body, 600) }),
  },
  {
    name: 'missing-headers',
    get description() {
      return t('ops.fault.missingHeaders');
    },
    sign: (body, context) => {
      const headers = context.sign(body);
      delete headers['Wechatpay-Signature'];
      delete headers['Wechatpay-Serial'];
      return { body, headers };
    },
  },
  {
    name: 'probe-signature',
    get description() {
      return t('ops.fault.probeSignature');
    }, // P16
    sign: (body, context) =>
      signedWith(body, context, { 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${context.randomBytes(180).toString('base64')}` }),
  },
  {
    name: 'not-json',
    get description() {
      return t('ops.fault.notJson');
    },
    sign: (_body, context) => signedInstead('<html><body>502 Bad Gateway</body></html>', context),
  },
  {
    name: 'no-token',
    get description() {
      return t('ops.fault.noToken');
    }, // P5
    sign: (_body, context) => signedInstead(JSON.stringify({ expires_time: context.expiresTime() }), context),
  },
  {
    name: 'huge-body',
    get description() {
      return t('ops.fault.hugeBody');
    },
    takeOver: hugeBody,
  },
  {
    name: 'long-token',
    get description() {
      return t('ops.fault.longToken');
    },
    reshape: (draft, context) => {
      if (draft.token === undefined) return draft;
      // Standard base64 (with + / =), so a launch path must percent-encode it.
      const token = `${context.randomBytes(72).toString('base64')}A+/=`;
      return { token, answer: { ...draft.answer, body: JSON.stringify({ ...(JSON.parse(draft.answer.body) as object), token }) } };
    },
  },
  {
    name: 'expired-token',
    get description() {
      return t('ops.fault.expiredToken');
    },
    reshape: (draft) => {
      if (draft.token === undefined) return draft;
      const answer = JSON.parse(draft.answer.body) as { expires_time: string };
      // Three hours before the usual two hours from now: expired an hour ago.
      // From the leaf clock.ts, not answers.ts: this table is loaded by --help, which loads no crypto.
      const expires_time = formatChinaTime(Date.parse(answer.expires_time) - 3 * 3600 * 1000);
      return { ...draft, answer: { ...draft.answer, body: JSON.stringify({ ...answer, expires_time }) } };
    },
  },
  {
    name: 'odd-token',
    get description() {
      return t('ops.fault.oddToken');
    },
    reshape: (draft) => {
      if (draft.token === undefined) return draft;
      // A line break and an escape sequence: `$(wxpay-coupon token -q)` would take two lines, a terminal the colour.
      const token = `${draft.token}\n\u001b[2J${draft.token}`;
      return { token, answer: { ...draft.answer, body: JSON.stringify({ ...(JSON.parse(draft.answer.body) as object), token }) } };
    },
  },
  {
    name: 'no-content',
    get description() {
      return t('ops.fault.noContent');
    },
    reshape: (draft) => ({ ...draft, answer: { ...draft.answer, status: 204, body: '' } }),
  },
] as const satisfies readonly FaultEntry[];

export type FaultName = (typeof FAULTS)[number]['name'];

type NamesOf<T extends readonly FaultEntry[]> = { readonly [K in keyof T]: T[K] extends { name: infer N } ? N : never };

/** The names in the order of `FAULTS` (a tuple type, as when it was written out by hand). */
export const FAULT_NAMES = FAULTS.map((fault) => fault.name) as unknown as NamesOf<typeof FAULTS>;

/** Each fault's description in the language of the moment: getters, read when shown, never at load. */
export const FAULT_DESCRIPTIONS: Readonly<Record<FaultName, string>> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(FAULTS.map((fault) => [fault.name, { enumerable: true, get: () => fault.description }])),
  ) as Record<FaultName, string>,
);

const BEHAVIOURS: ReadonlyMap<string, FaultBehaviour> = new Map(FAULTS.map((fault) => [fault.name, fault]));

/** What the fault does (the hooks of its entry). */
export function faultBehaviour(name: FaultName): FaultBehaviour {
  return BEHAVIOURS.get(name) as FaultBehaviour;
}

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
  // `503：2`, typed with a Chinese input method: named with the spec to type (careless check, helper-38).
  if (text.includes('\uff1a')) throw new Error(t('ops.fault.fullWidthColon', { text, mended: text.replace(/\uff1a/g, ':') }));
  const [name = '', count, extra] = text.split(':');
  if (!isFaultName(name) || extra !== undefined) {
    throw new Error(t('ops.fault.notAFault', { text, names: t('token.list', { items: FAULT_NAMES }) }));
  }
  if (count === undefined) return { name };
  if (!/^[1-9][0-9]{0,5}$/.test(count)) throw new Error(t('ops.fault.badCount', { text, name }));
  return { name, count: Number(count) };
}

/** Takes the first fault still active and uses up one of its count. */
export function takeFault(faults: FaultSpec[]): FaultName | undefined {
  const active = faults.find((fault) => fault.count === undefined || fault.count > 0);
  if (!active) return undefined;
  if (active.count !== undefined) active.count -= 1;
  return active.name;
}
