/**
 * `wxpay-coupon notify verify` checks and decrypts a WeChat Pay callback notification as a handler
 * received it; `notify send` posts one built exactly as WeChat Pay would (with the sandbox's keys)
 * to the merchant's own handler. Protocol in src/notify.ts; this file is input, output and flags.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { ConfigError, InterruptedError, NetworkError, UsageError, WxpayError } from '../../errors.js';
import { parseLosslessJson, reformatJson } from '../../json.js';
import type { RawRequest, VerifiedNotification } from '../../notify.js';
import type { ResolvedConfig } from '../../config.js';
import { parseCallbackUrl } from '../../urls.js';
import { warn } from '../output.js';
import type { CommandContext, GlobalOptions } from './shared.js';
import { parseTimeout } from './flags.js';
import { t } from '../../i18n/index.js';
import { escapeInvisible, escapeJsonText, jsonLine } from '../../redact.js';

export interface NotifyVerifyOptions extends GlobalOptions {
  body?: string;
  header?: string[];
  now?: string;
  json?: boolean;
}

export interface NotifySendOptions extends GlobalOptions {
  to?: string;
  sandboxDir?: string;
  eventType?: string;
  resource?: string;
  timeout?: string;
  json?: boolean;
}

/** The input's size cap (src/notify.ts MAX_NOTIFICATION_BYTES), here so a usage error loads no crypto. */
const MAX_INPUT_BYTES = 1024 * 1024;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):(.*)$/;
/** What is printed of a handler's answer: enough to read an error page, never unbounded. */
const MAX_ANSWER_BYTES = 64 * 1024;
const DEFAULT_SEND_TIMEOUT_MS = 10_000;
export const DEFAULT_EVENT_TYPE = 'COUPON.USE';

/** Reads a file, a FIFO or standard input, never more than the cap: a larger input is refused, not read whole. */
async function readBounded(source: string, flag: string, context: CommandContext): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (): never => {
    throw new UsageError(t('notify.input.tooLarge', { flag, max: MAX_INPUT_BYTES }), { code: 'INPUT_TOO_LARGE' });
  };
  // A positional file is its own label ("notify.http: no such file"); --body names the flag too.
  const named = flag === source ? source : `${flag} ${source}`;
  let stream: AsyncIterable<Buffer | string>;
  if (source === '-') {
    if (!context.io.stdin) throw new UsageError(t('notify.input.noStdin', { flag }), { code: 'NO_STDIN' });
    stream = context.io.stdin();
  } else {
    const file = path.resolve(context.io.cwd, source);
    let info;
    try {
      info = statSync(file);
    } catch {
      throw new UsageError(t('notify.input.missing', { named }), { code: 'INPUT_MISSING' });
    }
    if (info.isDirectory()) throw new UsageError(t('notify.input.folder', { named }), { code: 'INPUT_MISSING' });
    if (info.isFile() && info.size > MAX_INPUT_BYTES) tooLarge();
    stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  }
  // Ctrl-C (or SIGTERM) while waiting for input ends the read, as it ends a request.
  const interrupt = (): void => {
    (stream as { destroy?: (error: Error) => void }).destroy?.(new InterruptedError(t('notify.input.interrupted')));
  };
  context.io.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.length;
      if (size > MAX_INPUT_BYTES) tooLarge();
      chunks.push(bytes);
    }
  } catch (error) {
    if (error instanceof WxpayError) throw error;
    throw new UsageError(t('notify.input.unreadable', { named, code: (error as NodeJS.ErrnoException).code }), {
      code: 'INPUT_UNREADABLE',
    });
  } finally {
    context.io.signal?.removeEventListener('abort', interrupt);
    (stream as { destroy?: () => void }).destroy?.();
  }
  return Buffer.concat(chunks);
}

/** --now: Unix seconds, or RFC 3339 with a time zone. */
export function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^[0-9]{1,12}$/.test(value)) return Number(value);
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})$/i.test(value)) {
    const milliseconds = Date.parse(value);
    if (Number.isFinite(milliseconds)) return Math.floor(milliseconds / 1000);
  }
  throw new UsageError(t('notify.now.invalid', { value }), { code: 'INVALID_NOW' });
}

function parseHeaderFlags(values: readonly string[] | undefined): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const value of values ?? []) {
    const match = HEADER_LINE.exec(value);
    if (!match) {
      throw new UsageError(t('notify.header.shape'), { code: 'INVALID_HEADER' });
    }
    const key = (match[1] as string).toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), (match[2] as string).trim()]);
  }
  return headers;
}

function describeKey(kind: string, serial: string, source: string): string {
  return t(kind === 'public-key' ? 'notify.key.publicKey' : 'notify.key.certificate', { serial, source });
}

export async function runNotifyVerify(file: string | undefined, options: NotifyVerifyOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  // Input first: a usage error never depends on the config.
  const { request, now } = await readVerifyInput(file, options, context);
  const config = await loadVerifyConfig(options, context);
  const { notificationWordingAt, verifyNotification } = await import('../../notify.js');
  const { Verifier } = await import('../../verify.js');
  const verifier = new Verifier(config.verificationKeys);
  const nowSeconds = now ?? Math.floor(io.now() / 1000);
  if (options.verbose) await verboseRequest(request, context);
  if (now !== undefined) {
    warn(context, 'CLOCK_FROM_NOW_FLAG', t('notify.now.warning', { value: options.now ?? '', iso: new Date(now * 1000).toISOString() }));
  }
  const wording = now === undefined ? undefined : notificationWordingAt();
  const result = verifyNotification(request, verifier, config.apiv3Key as string, nowSeconds, wording);
  if (options.verbose) await verboseChecks(result, nowSeconds, now !== undefined, context);
  if (options.json) io.stdout.write(`${escapeJsonText(notificationJson(result))}\n`);
  else {
    // Byte for byte into a pipe or file; on a terminal, invisible characters written \uXXXX, lines kept.
    io.stdout.write(io.stdoutIsTTY ? escapeInvisible(result.plaintext.toString('utf8'), '\n\t') : result.plaintext);
    // Byte for byte into a pipe or file; on a terminal, the prompt starts on a line of its own.
    if (io.stdoutIsTTY && result.plaintext.at(-1) !== 0x0a) io.stdout.write('\n');
  }
  return 0;
}

/** The request to verify: a raw request ([file|-]), or --body with --header; and --now. */
async function readVerifyInput(
  file: string | undefined,
  options: NotifyVerifyOptions,
  context: CommandContext,
): Promise<{ request: RawRequest; now: number | undefined }> {
  if (options.body !== undefined && file !== undefined) {
    throw new UsageError(t('notify.verify.both'), { code: 'CONFLICTING_FLAGS' });
  }
  if (options.body === undefined && file === undefined) {
    throw new UsageError(t('notify.verify.nothing'), { code: 'MISSING_INPUT' });
  }
  if (options.body === undefined && options.header !== undefined) {
    throw new UsageError(t('notify.verify.headerWithoutBody'), { code: 'CONFLICTING_FLAGS' });
  }
  const headerFlags = parseHeaderFlags(options.header);
  const now = parseNow(options.now);
  const { parseRawRequest } = await import('../../notify.js');
  const request =
    options.body !== undefined
      ? { headers: headerFlags, body: await readBounded(options.body, '--body', context) }
      : parseRawRequest(await readBounded(file as string, file === '-' ? t('notify.input.stdin') : (file as string), context));
  return { request, now };
}

/** The config, which must hold the APIv3 key (the resource is encrypted with it) and a verification key. */
async function loadVerifyConfig(options: NotifyVerifyOptions, context: CommandContext): Promise<ResolvedConfig> {
  const { loadCommandConfig } = await import('./shared.js');
  const config = await loadCommandConfig(options, context, { requireVerificationKey: false });
  const problems = [];
  if (!config.apiv3Key) {
    problems.push({ source: 'apiv3Key', message: t('notify.config.noApiv3Key') });
  }
  if (config.verificationKeys.length === 0) {
    problems.push({ source: 'publicKeyId + publicKey', message: t('notify.config.noVerificationKey') });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

async function verboseRequest(request: RawRequest, context: CommandContext): Promise<void> {
  const { verboseLine } = await import('./shared.js');
  if (request.method !== undefined && request.target !== undefined) {
    verboseLine(context, t('notify.verbose.request', { method: request.method, target: request.target }));
  }
  verboseLine(context, t('notify.verbose.body', { bytes: request.body.length }));
  const names = [...request.headers.keys()].filter((name) => name.startsWith('wechatpay-'));
  verboseLine(
    context,
    t('notify.verbose.headers', { names: names.length > 0 ? t('token.list', { items: names }) : t('notify.verbose.noHeader') }),
  );
}

/** --verbose: each check the notification passed, in the order they were made. */
async function verboseChecks(
  result: VerifiedNotification,
  nowSeconds: number,
  fromNowFlag: boolean,
  context: CommandContext,
): Promise<void> {
  const { verboseLine } = await import('./shared.js');
  const { notification, verified } = result;
  const skew = Math.abs(nowSeconds - verified.timestamp);
  verboseLine(context, t('notify.verbose.present'));
  verboseLine(context, t('notify.verbose.timestamp', { timestamp: verified.timestamp, skew, fromNowFlag }));
  verboseLine(context, t('notify.verbose.serial', { serial: verified.serial }));
  verboseLine(context, t('notify.verbose.signature', { key: describeKey(verified.key.kind, verified.key.serial, verified.key.source) }));
  const { algorithm, associated_data: associatedData } = notification.resource;
  verboseLine(context, t('notify.verbose.resource', { algorithm, associatedData: associatedData ?? '' }));
  verboseLine(
    context,
    t('notify.verbose.notification', { id: notification.id, eventType: notification.event_type, createTime: notification.create_time }),
  );
}

/** --json: the notification's fields and its decrypted resource, as JSON when it is (numbers kept exact), else base64. */
function notificationJson({ notification, plaintext }: VerifiedNotification): string {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
    parseLosslessJson(text);
  } catch {
    text = undefined;
  }
  let line = `{"id":${JSON.stringify(notification.id)},"create_time":${JSON.stringify(notification.create_time)}`;
  line += `,"event_type":${JSON.stringify(notification.event_type)},"resource_type":${JSON.stringify(notification.resource_type)}`;
  if (notification.summary !== undefined) line += `,"summary":${JSON.stringify(notification.summary)}`;
  if (text !== undefined) line += `,"resource":${reformatJson(text)}`;
  else line += `,"resource_base64":${JSON.stringify(plaintext.toString('base64'))}`;
  return `${line}}`;
}

/** --resource: JSON text, @file or -; checked losslessly and encrypted byte for byte as given. */
async function readResource(value: string, context: CommandContext): Promise<string> {
  const { readData } = await import('./api.js');
  return readData(value, context, '--resource');
}

/** A plausible COUPON.USE resource (the cash coupon 核销事件 fields), for the sandbox's merchant. */
export function sampleCouponUse(mchid: string, nowMs: number, formatTime: (milliseconds: number) => string): string {
  const received = nowMs - 3 * 60 * 1000;
  return JSON.stringify({
    stock_creator_mchid: mchid,
    stock_id: '16474341',
    coupon_id: '11004999626',
    coupon_name: 'sandbox travel coupon 出行券',
    status: 'USED',
    description: 'sample COUPON.USE resource from wxpay-coupon notify send (sandbox)',
    create_time: formatTime(received),
    coupon_type: 'NORMAL',
    no_cash: false,
    available_begin_time: formatTime(received - 24 * 60 * 60 * 1000),
    available_end_time: formatTime(received + 30 * 24 * 60 * 60 * 1000),
    singleitem: false,
    normal_coupon_information: { coupon_amount: 500, transaction_minimum: 1000 },
    consume_information: {
      consume_time: formatTime(nowMs),
      consume_mchid: mchid,
      transaction_id: `42000${String(nowMs).padStart(23, '0')}`,
    },
  });
}

interface HandlerAnswer {
  status: number;
  body: Buffer;
  truncated: boolean;
}

async function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<HandlerAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) } });
    const fail = (error: WxpayError): void => {
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new NetworkError(t('notify.handler.timeout', { url: url.href, ms: timeoutMs }), { code: 'HANDLER_TIMEOUT' })),
      timeoutMs,
    );
    const onAbort = (): void => fail(new WxpayError('interrupted', t('notify.handler.interrupted'), { code: 'INTERRUPTED' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    req.on('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        new NetworkError(t('notify.handler.unreachable', { url: url.href, reason: error.code ?? error.message }), {
          code: 'HANDLER_UNREACHABLE',
        }),
      );
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
        else truncated = true;
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) truncated = true;
      });
      response.on('end', () => {
        done();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), truncated });
      });
      response.on('error', (error: NodeJS.ErrnoException) => {
        done();
        reject(
          new NetworkError(t('notify.handler.brokeOff', { url: url.href, reason: error.code ?? error.message }), {
            code: 'HANDLER_UNREACHABLE',
          }),
        );
      });
    });
    req.end(payload);
  });
}

export async function runNotifySend(options: NotifySendOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const input = await readSendInput(options, context);
  const { config, signingKey, serial } = await loadSandboxSigner(options, context);

  const { buildNotification } = await import('../../notify.js');
  const { formatChinaTime } = await import('../../sandbox/server.js');
  const { eventType, url } = input;
  const nowMs = io.now();
  const plaintext = input.resource ?? (eventType === DEFAULT_EVENT_TYPE ? sampleCouponUse(config.mchid, nowMs, formatChinaTime) : '{}');
  const notification = buildNotification({
    eventType,
    summary: eventType === DEFAULT_EVENT_TYPE ? '代金券核销通知' : `${eventType} 通知`,
    createTime: formatChinaTime(nowMs),
    plaintext,
    apiv3Key: config.apiv3Key as string,
    signingKey,
    serial,
    nowSeconds: Math.floor(nowMs / 1000),
  });
  const { packageVersion } = await import('../../version.js');
  const headers = { ...notification.headers, 'User-Agent': `wxpay-coupon/${packageVersion()} notify-send (sandbox)`, Accept: '*/*' };
  if (options.verbose) {
    const { verboseLine } = await import('./shared.js');
    verboseLine(context, `POST ${url.href}`);
    for (const [name, value] of Object.entries(headers)) verboseLine(context, `${name}: ${value}`, true);
    verboseLine(context, t('notify.verbose.sentBody', { body: notification.body }), true);
  }
  const answer = await post(url, notification.body, headers, input.timeoutMs, io.signal);
  printHandlerAnswer(answer, notification.id, input, options, context);
  if (answer.status < 200 || answer.status >= 300) {
    throw new WxpayError('api', t('notify.handler.status', { url: url.href, status: answer.status }), {
      code: 'HANDLER_STATUS',
      status: answer.status,
    });
  }
  return 0;
}

interface SendInput {
  url: URL;
  timeoutMs: number;
  eventType: string;
  /** --resource as given; undefined for the sample. */
  resource: string | undefined;
}

/** The flags, checked: every usage error is thrown here, before the sandbox folder is read. */
async function readSendInput(options: NotifySendOptions, context: CommandContext): Promise<SendInput> {
  if (options.to === undefined) {
    throw new UsageError(t('notify.send.missingTo'), { code: 'MISSING_TO' });
  }
  const url = parseCallbackUrl(options.to);
  const timeoutMs = parseTimeout(options.timeout) ?? DEFAULT_SEND_TIMEOUT_MS;
  const eventType = options.eventType ?? DEFAULT_EVENT_TYPE;
  if (!/^[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+$/.test(eventType)) {
    throw new UsageError(t('notify.send.eventType', { value: eventType }), { code: 'INVALID_EVENT_TYPE' });
  }
  if (options.config !== undefined || options.profile !== undefined) {
    throw new UsageError(t('notify.send.configFlags'), { code: 'CONFLICTING_FLAGS' });
  }
  const resource = options.resource !== undefined ? await readResource(options.resource, context) : undefined;
  return { url, timeoutMs, eventType, resource };
}

/**
 * The sandbox folder's config (its own alone) and WeChat Pay signing key, which must match one of
 * the config's verification keys: what `wxpay-coupon sandbox --dir <folder>` wrote there.
 */
async function loadSandboxSigner(
  options: NotifySendOptions,
  context: CommandContext,
): Promise<{ config: ResolvedConfig; signingKey: KeyObject; serial: string }> {
  const { io } = context;
  const dir = path.resolve(io.cwd, options.sandboxDir ?? '.');
  const configPath = path.join(dir, '.wxpayrc.json');
  const { SANDBOX_SIGNING_KEY_FILE } = await import('../../sandbox/files.js');
  const keyPath = path.join(dir, SANDBOX_SIGNING_KEY_FILE);
  const notSandbox = (what: string): never => {
    throw new ConfigError([
      { source: '--sandbox-dir', message: t('notify.sandbox.not', { dir, what, given: options.sandboxDir !== undefined }) },
    ]);
  };
  if (!isSmallFile(configPath)) notSandbox(t('notify.sandbox.noConfig'));
  if (!isSmallFile(keyPath)) notSandbox(t('notify.sandbox.noKey', { file: SANDBOX_SIGNING_KEY_FILE }));
  // The folder's own config alone: WXPAY_* variables are the merchant's, not the sandbox's.
  const { loadConfig } = await import('../../config.js');
  const config = await loadConfig({ cwd: io.cwd, env: {}, configPath, requireVerificationKey: false, signal: io.signal });
  if (!config.apiv3Key) notSandbox(t('notify.sandbox.noApiv3Key'));
  let signingKey;
  try {
    signingKey = createPrivateKey(readFileSync(keyPath));
  } catch {
    return notSandbox(t('notify.sandbox.notPrivateKey', { file: SANDBOX_SIGNING_KEY_FILE }));
  }
  const spki = (key: KeyObject): string => key.export({ type: 'spki', format: 'der' }).toString('base64');
  const ownPublic = spki(createPublicKey(signingKey));
  const signer = config.verificationKeys.find((key) => spki(key.key) === ownPublic);
  if (!signer) return notSandbox(t('notify.sandbox.noMatch'));
  return { config, signingKey, serial: signer.serial };
}

/** A regular file of a size a sandbox folder's config or key could be. */
function isSmallFile(file: string): boolean {
  try {
    const info = statSync(file);
    return info.isFile() && info.size < 256 * 1024;
  } catch {
    return false;
  }
}

/** The handler's status and answer on stdout (one JSON object with --json), what was sent on stderr. */
function printHandlerAnswer(
  answer: HandlerAnswer,
  id: string,
  input: SendInput,
  options: NotifySendOptions,
  context: CommandContext,
): void {
  const { io } = context;
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(answer.body);
  } catch {
    text = undefined;
  }
  if (options.json) {
    const json: Record<string, unknown> = { status: answer.status, id, event_type: input.eventType };
    if (text !== undefined) json['body'] = text;
    else json['body_base64'] = answer.body.toString('base64');
    if (answer.truncated) json['truncated'] = true;
    io.stdout.write(`${jsonLine(json)}\n`);
    return;
  }
  io.stdout.write(`${t('notify.send.status', { status: answer.status })}\n`);
  if (answer.body.length > 0) {
    // The handler's words, as a person reads them: its own lines and tabs kept, every other invisible character
    // written \uXXXX (an escape sequence in its answer: hostile check, helper-40). --json has them exact.
    io.stdout.write(text === undefined ? t('notify.send.notUtf8', { bytes: answer.body.length }) : escapeInvisible(text, '\n\t'));
    if (text !== undefined && !text.endsWith('\n')) io.stdout.write('\n');
  }
  if (answer.truncated) io.stderr.write(`${context.colourErr.dim(t('notify.send.truncated', { max: MAX_ANSWER_BYTES }))}\n`);
  io.stderr.write(`${context.colourErr.dim(t('notify.send.sent', { eventType: input.eventType, id, url: input.url.href }))}\n`);
}
