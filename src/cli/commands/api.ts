/**
 * `wxpay-coupon api <METHOD> <path>`: any APIv3 call, signed with the merchant key and sent with
 * the token's retries, failover, timeouts and proxies; every 2xx answer verified (P12–P17) before
 * a byte of it is printed.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InterruptedError, UsageError } from '../../errors.js';
import { FULL_WIDTH_PUNCTUATION, JsonSyntaxError, parseLosslessJson, reformatJson } from '../../json.js';
import type { ApiResponse } from '../../client.js';
import type { ResolvedConfig } from '../../config.js';
import type { CommandContext } from './shared.js';
import { parseNetworkOptions, type NetworkOptions } from './flags.js';
import { t } from '../../i18n/index.js';
import { codePointName, escapeInvisible, escapeJsonText } from '../../redact.js';
import { asciiOfFullWidth } from '../../full-width.js';

/** ？＆＝＃, the full-width forms of a query's own signs. */
const QUERY_SIGNS_FULL_WIDTH = /[\uff1f\uff06\uff1d\uff03]/u;

export interface ApiOptions extends NetworkOptions {
  data?: string;
  header?: string[];
  json?: boolean;
  dryRun?: boolean;
}

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** What --data may hold: WeChat Pay refuses request bodies far smaller than this. */
export const MAX_DATA_BYTES = 1024 * 1024;

/**
 * Headers --header may not set: the signature and what it covers (Authorization; the
 * Wechatpay-* headers, but see Wechatpay-Serial), the body's framing and type (the body is
 * always JSON, sent as given), and the connection's own (Host, hop-by-hop headers).
 */
const FORBIDDEN_HEADERS = new Set([
  'authorization',
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const API_PATH = /^\/v[1-9][0-9]*\//;

export function parseMethod(value: string): (typeof API_METHODS)[number] {
  const method = value.toUpperCase();
  if (!(API_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(t('api.method.invalid', { value, methods: t('token.list', { items: API_METHODS }) }), { code: 'INVALID_METHOD' });
  }
  return method as (typeof API_METHODS)[number];
}

export interface ApiTarget {
  /** Path plus query, exactly as typed: what is signed (P9) and sent. */
  pathAndQuery: string;
  /** The origin of an absolute URL, which must be the configured one. */
  origin?: string;
}

/** A path like /v3/…?query, or an absolute URL on the configured origin; refused when sending would alter it. */
export function parseTarget(value: string): ApiTarget {
  let pathAndQuery = value;
  let origin: string | undefined;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value);
  if (scheme) {
    const authorityEnd = value.slice(scheme[0].length).search(/[/?#]/);
    const end = authorityEnd < 0 ? value.length : scheme[0].length + authorityEnd;
    let url: URL | undefined;
    try {
      url = new URL(value.slice(0, end));
    } catch {
      url = undefined;
    }
    // Never quoted back when it carries credentials: the password is the user's secret.
    if (url && (url.username || url.password)) {
      throw new UsageError(t('api.path.credentials'), { code: 'INVALID_PATH' });
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new UsageError(t('api.path.notHttps', { value }), { code: 'INVALID_PATH' });
    }
    origin = url.origin;
    pathAndQuery = value.slice(end);
  }
  if (!API_PATH.test(pathAndQuery)) {
    throw new UsageError(t('api.path.notApiv3', { value }), { code: 'INVALID_PATH' });
  }
  if (pathAndQuery.includes('#')) {
    throw new UsageError(t('api.path.fragment', { value }), { code: 'INVALID_PATH' });
  }
  // A full-width ？＆＝＃ (a Chinese input method's) is what was meant as the query's own sign: the
  // percent-encoded form the next check would suggest is a path with no query (careless check, helper-41).
  const fullWidth = QUERY_SIGNS_FULL_WIDTH.exec(pathAndQuery)?.[0];
  if (fullWidth !== undefined) {
    const mended = asciiOfFullWidth(pathAndQuery, QUERY_SIGNS_FULL_WIDTH);
    throw new UsageError(t('api.path.fullWidth', { value, character: fullWidth, mended }), { code: 'INVALID_PATH' });
  }
  // A control character (a line break, a tab) is dropped or changed by the URL parser: refused, named.
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  const control = /[\u0000-\u001f\u007f]/.exec(pathAndQuery)?.[0];
  if (control !== undefined) {
    throw new UsageError(t('api.path.control', { value, character: codePointName(control) }), { code: 'INVALID_PATH' });
  }
  // Sent as the URL parser leaves it; signed exactly as typed (P9). Where the two differ
  // (spaces, non-ASCII, dot segments, backslashes, an empty '?'), the signature would not match
  // what WeChat Pay receives, so the user writes the form that is sent.
  const parsed = new URL(pathAndQuery, 'https://api.mch.weixin.qq.com');
  const sent = `${parsed.pathname}${parsed.search}`;
  // (Control characters were refused above; a space is one more the parser may keep in a query.)
  if (sent !== pathAndQuery || pathAndQuery.includes(' ')) {
    throw new UsageError(t('api.path.notAsSent', { value, sent: JSON.stringify(sent) }), { code: 'INVALID_PATH' });
  }
  return origin === undefined ? { pathAndQuery } : { pathAndQuery, origin };
}

/** `Name: value` pairs; a header is given once, and never one the signature or the body's framing owns. */
export function parseHeaders(values: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const text of values ?? []) {
    const colon = text.indexOf(':');
    const name = colon < 0 ? text.trim() : text.slice(0, colon).trim();
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (colon < 0 || !HEADER_NAME.test(name)) {
      throw new UsageError(t('api.header.shape'), { code: 'INVALID_HEADER' });
    }
    // The value is never quoted back: it may be a credential of the user's own.
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new UsageError(t('api.header.controlCharacter', { name }), { code: 'INVALID_HEADER' });
    }
    // Beyond printable ASCII (中文, U+3000, a bidi mark): undici refuses it as it sends, which read as a
    // network failure after three attempts (hostile check, helper-40). The first such character is named.
    const beyond = /[^\t\u0020-\u007e]/u.exec(value)?.[0];
    if (beyond !== undefined) {
      throw new UsageError(t('api.header.notAscii', { name, character: codePointName(beyond) }), { code: 'INVALID_HEADER' });
    }
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower) || (lower.startsWith('wechatpay-') && lower !== 'wechatpay-serial')) {
      const reason =
        lower === 'content-type'
          ? t('api.header.forbidden.contentType')
          : lower === 'authorization' || lower.startsWith('wechatpay-')
            ? t('api.header.forbidden.signature')
            : t('api.header.forbidden.connection');
      throw new UsageError(t('api.header.forbidden', { name, reason }), { code: 'FORBIDDEN_HEADER' });
    }
    if (seen.has(lower)) throw new UsageError(t('api.header.twice', { name }), { code: 'INVALID_HEADER' });
    seen.add(lower);
    headers[name] = value;
  }
  return headers;
}

async function readStdin(context: CommandContext, flag = '--data'): Promise<Buffer> {
  if (!context.io.stdin) throw new UsageError(t('api.stdin.none', { flag }), { code: 'NO_STDIN' });
  const chunks: Buffer[] = [];
  let size = 0;
  const stdin = context.io.stdin();
  // Ctrl-C (or SIGTERM) while waiting for standard input ends the read, as it ends a request.
  const interrupt = (): void => {
    (stdin as { destroy?: (error: Error) => void }).destroy?.(new InterruptedError(t('api.stdin.interrupted', { flag })));
  };
  context.io.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    for await (const chunk of stdin) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.length;
      if (size > MAX_DATA_BYTES) throw new UsageError(t('api.stdin.tooLarge', { flag, max: MAX_DATA_BYTES }), { code: 'DATA_TOO_LARGE' });
      chunks.push(bytes);
    }
  } finally {
    context.io.signal?.removeEventListener('abort', interrupt);
  }
  return Buffer.concat(chunks);
}

function readDataFile(name: string, cwd: string, flag = '--data'): Buffer {
  const file = path.resolve(cwd, name);
  let info;
  try {
    info = statSync(file);
  } catch {
    throw new UsageError(t('api.file.missing', { flag, name }), { code: 'DATA_FILE_MISSING' });
  }
  if (!info.isFile()) throw new UsageError(t('api.file.notRegular', { flag, name }), { code: 'DATA_FILE_MISSING' });
  if (info.size > MAX_DATA_BYTES)
    throw new UsageError(t('api.file.tooLarge', { flag, name, max: MAX_DATA_BYTES }), { code: 'DATA_TOO_LARGE' });
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(t('api.file.unreadable', { flag, name, code: (error as NodeJS.ErrnoException).code }), {
      code: 'DATA_FILE_UNREADABLE',
    });
  }
}

/** The body to send, exactly as given (after @file or - is read): JSON checked losslessly, never rewritten. */
export async function readData(value: string | undefined, context: CommandContext, flag = '--data'): Promise<string> {
  if (value === undefined) return '';
  let bytes: Buffer;
  if (value === '-') bytes = await readStdin(context, flag);
  else if (value.startsWith('@')) bytes = readDataFile(value.slice(1), context.io.cwd, flag);
  else bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_DATA_BYTES)
    throw new UsageError(t('api.data.tooLarge', { flag, max: MAX_DATA_BYTES }), { code: 'DATA_TOO_LARGE' });
  // The body's text is never quoted back: it may hold a user's personal data.
  const label =
    value === '-' ? t('api.data.fromStdin', { flag }) : value.startsWith('@') ? t('api.data.inFile', { flag, file: value.slice(1) }) : flag;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(t('api.data.notUtf8', { label }), { code: 'INVALID_DATA' });
  }
  if (text.startsWith('\uFEFF')) {
    throw new UsageError(t('api.data.bom', { label }), { code: 'INVALID_DATA' });
  }
  try {
    parseLosslessJson(text);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : t('api.data.notJson.reason');
    const hint = looksLikeFileName(value, context.io.cwd)
      ? t('api.data.fileHint', { flag, name: value })
      : FULL_WIDTH_PUNCTUATION.test(text)
        ? t('api.data.fullWidth')
        : '';
    throw new UsageError(t('api.data.notJson', { label, reason }) + hint, { code: 'INVALID_DATA' });
  }
  return text;
}

/**
 * `--data body.json` (the @ forgotten): a value shaped like a path that names a file here or ends
 * in .json. Only then is it quoted back: any other value may be a body holding personal data.
 */
function looksLikeFileName(value: string, cwd: string): boolean {
  if (value === '-' || value.startsWith('@') || !/^[\w./~-]{1,200}$/u.test(value)) return false;
  if (/\.json$/i.test(value)) return true;
  try {
    return statSync(path.resolve(cwd, value)).isFile();
  } catch {
    return false;
  }
}

function isJson(text: string): boolean {
  try {
    parseLosslessJson(text, { duplicateKeys: 'last' });
    return true;
  } catch {
    return false;
  }
}

export async function runApi(methodArgument: string, target: string, options: ApiOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  // Input first: a usage error must never depend on the config or the network, and nothing is sent.
  const method = parseMethod(methodArgument);
  const { pathAndQuery, origin } = parseTarget(target);
  const headers = parseHeaders(options.header);
  if (method === 'GET' && options.data !== undefined) {
    throw new UsageError(t('api.get.withData'), { code: 'CONFLICTING_FLAGS' });
  }
  // A forgotten --data would send a signed empty body that WeChat Pay refuses; say so before anything is sent.
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && options.data === undefined) {
    throw new UsageError(t('api.data.required', { method }), { code: 'DATA_REQUIRED' });
  }
  const overrides = parseNetworkOptions(options);
  const body = await readData(options.data, context);

  const { clientSettingsOf, createClient, credentialsOf, loadCommandConfig, printDryRun } = await import('./shared.js');
  const config = await loadCommandConfig(options, context, overrides);
  checkAgainstConfig(origin, headers, config);
  const client = createClient(credentialsOf(config), clientSettingsOf(config, options.verbose), context);
  try {
    if (options.dryRun) {
      printDryRun(client, method, pathAndQuery, body, options.json === true, context, headers);
      return 0;
    }
    // Verified (P12–P17) inside call() before it returns; an answer that fails throws, and nothing is printed.
    printAnswer(await client.call(method, pathAndQuery, body, { headers }), options, context);
    return 0;
  } finally {
    if (!io.exitsAfterCommand) await client.close();
  }
}

/**
 * What only the config can tell: a full URL must be the configured WeChat Pay origin (the merchant
 * key signs only for it), and a Wechatpay-Serial header must name a key the answer can be verified with.
 */
function checkAgainstConfig(origin: string | undefined, headers: Record<string, string>, config: ResolvedConfig): void {
  if (origin !== undefined) {
    const allowed = [config.baseUrl, config.backupBaseUrl]
      .filter((url): url is string => url !== undefined)
      .map((url) => new URL(url).origin);
    if (!allowed.includes(origin)) {
      throw new UsageError(t('api.origin.foreign', { origin, allowed: allowed.join(t('api.origin.or')) }), { code: 'FOREIGN_ORIGIN' });
    }
  }
  const serialHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'wechatpay-serial');
  if (serialHeader !== undefined) {
    const serials = config.verificationKeys.map((key) => key.serial);
    if (!serials.includes(headers[serialHeader] as string)) {
      throw new UsageError(
        t('api.serial.unconfigured', {
          name: serialHeader,
          serials: serials.length > 0 ? t('token.list', { items: serials }) : t('api.serial.none'),
        }),
        {
          code: 'FORBIDDEN_HEADER',
        },
      );
    }
  }
}

/** --json: one object with the status and the body (as JSON, text or base64); else the body as received, JSON indented on a terminal. */
function printAnswer(response: ApiResponse, options: ApiOptions, context: CommandContext): void {
  const { io } = context;
  const raw = response.body;
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    text = undefined;
  }
  const json = text !== undefined && text.trim() !== '' && isJson(text);
  if (options.json) {
    let line = `{"status":${response.status}`;
    if (response.requestId !== undefined) line += `,"request_id":${JSON.stringify(response.requestId)}`;
    if (json) line += `,"body":${reformatJson(text as string)}`;
    else if (raw.length > 0 && text !== undefined) line += `,"body_text":${JSON.stringify(text)}`;
    else if (raw.length > 0) line += `,"body_base64":${JSON.stringify(raw.toString('base64'))}`;
    io.stdout.write(`${escapeJsonText(line)}}\n`);
  } else if (raw.length > 0) {
    // Into a pipe or a file, byte for byte; on a terminal, for a person: invisible characters of the
    // answer (a C1 control, a bidi mark) written \uXXXX, its lines and tabs kept (hostile check, helper-42).
    if (io.stdoutIsTTY && json) io.stdout.write(`${escapeJsonText(reformatJson(text as string, 2))}\n`);
    else if (io.stdoutIsTTY && text !== undefined) io.stdout.write(escapeInvisible(text, '\n\t'));
    else io.stdout.write(text ?? raw);
  }
}
