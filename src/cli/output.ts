/** Colour, and how results and errors are written: data to stdout, everything else to stderr. */
import type { ChalkInstance } from 'chalk';
import { WxpayError, ConfigError, errorToJson } from '../errors.js';
import type { CliIo } from './io.js';
import { afterLabel, internalErrorMessage } from './messages.js';
import { t } from '../i18n/index.js';
import { escapeInvisible, hideSecretShapesIn, jsonLine, safeToPrint } from '../redact.js';

/**
 * Colour is decided once: off when the stream is not a TTY, with NO_COLOR, or --no-color;
 * FORCE_COLOR forces it on (docs/style.md).
 */
export async function colourFor(io: CliIo, isTTY: boolean, colourFlag: boolean): Promise<ChalkInstance> {
  const force = io.env['FORCE_COLOR'];
  let level: 0 | 1 = 0;
  if (colourFlag && force !== undefined && force !== '0' && force !== 'false') level = 1;
  else if (colourFlag && isTTY && !io.env['NO_COLOR'] && force === undefined) level = 1;
  if (level === 0) return PLAIN;
  // chalk (and the tty and os modules behind it) is loaded only when there is colour to show.
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}

/**
 * What a chalk instance with colour off does — every style returns the text unchanged — for
 * scripts and pipes, which then never load chalk. Chalk joins several arguments with spaces.
 */
const PLAIN: ChalkInstance = (() => {
  const join = (...text: unknown[]): string => text.join(' ');
  const plain: object = new Proxy(join, {
    // Not a thenable: it is returned from an async function, and `await` would call `then`.
    get: (_target, property) => (property === 'level' ? 0 : property === 'then' ? undefined : plain),
    apply: (_target, _this, text: unknown[]) => join(...text),
  });
  // A Proxy cannot be typed as chalk's whole chainable interface; it implements every member the same way.
  return plain as ChalkInstance;
})();

/** Something worth saying on stderr that does not stop the run; `code` is for scripts. */
export interface Warning {
  code: string;
  message: string;
}

/** The `--json` error line: `{"error":{…}}`, with the warnings of the run, if any, inside it. */
export function errorJson(error: WxpayError, warnings: readonly Warning[] = []): Record<string, unknown> {
  const plain = errorToJson(error);
  const json = {
    ...plain,
    message: safeToPrint(error.message),
    ...('detail' in plain ? { detail: hideSecretShapesIn(plain['detail']) } : {}),
  };
  return {
    error:
      warnings.length > 0 ? { ...json, warnings: warnings.map(({ code, message }) => ({ code, message: safeToPrint(message) })) } : json,
  };
}

/** context.warn (see main.ts), or a plain line for a context made without it. */
export function warn(
  context: { io: CliIo; colourErr: ChalkInstance; warn?: ((warning: Warning) => void) | undefined },
  code: string,
  message: string,
): void {
  if (context.warn) context.warn({ code, message });
  else context.io.stderr.write(`${warningLine(context.colourErr, message)}\n`);
}

/** A warning as a person reads it: "warning: …", the label in yellow. */
export function warningLine(colour: ChalkInstance, message: string): string {
  const label = t('cli.warning.label');
  return `${colour.yellow(label)}${afterLabel(label)}${safeToPrint(message)}`;
}

/** The `--json` warning line: `{"warning":{"code","message"}}`. */
export function warningJson(warning: Warning): Record<string, unknown> {
  return { warning: { code: warning.code, message: safeToPrint(warning.message) } };
}

export interface ErrorRenderOptions {
  json: boolean;
  verbose: boolean;
  colour: ChalkInstance;
  /** --json: warnings not yet written, folded into the error object. */
  warnings?: readonly Warning[];
}

/** Turns anything thrown into a WxpayError; what is not one is a bug (exit 70). */
export function asWxpayError(error: unknown): WxpayError {
  if (error instanceof WxpayError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new WxpayError('internal', internalErrorMessage(reason), { code: 'INTERNAL', cause: error });
}

export function writeError(io: CliIo, thrown: unknown, options: ErrorRenderOptions): number {
  const error = asWxpayError(thrown);
  if (options.json) {
    const json = errorJson(error, options.warnings);
    const cause = (error as { cause?: unknown }).cause;
    // --verbose: an internal error's stack, inside the one JSON line.
    if (options.verbose && error.kind === 'internal' && cause instanceof Error && cause.stack) {
      (json['error'] as Record<string, unknown>)['stack'] = cause.stack;
    }
    io.stderr.write(`${jsonLine(json)}\n`);
    return error.exitCode;
  } else {
    const { colour } = options;
    const lines = [`${colour.red.bold('wxpay-coupon:')} ${safeToPrint(error.message)}`];
    // A header as received: bytes 0x80-0x9f of its latin1 are C1 controls (0x9b starts an escape sequence).
    if (error.requestId) lines.push(`  ${t('cli.error.requestId', { requestId: colour.bold(escapeInvisible(error.requestId)) })}`);
    if (error.detail !== undefined && !(error instanceof ConfigError))
      lines.push(`  ${t('cli.error.detail', { detail: escapeInvisible(JSON.stringify(hideSecretShapesIn(error.detail))) })}`);
    io.stderr.write(`${lines.join('\n')}\n`);
  }
  if (options.verbose && error.kind === 'internal') {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.stack) io.stderr.write(`${cause.stack}\n`);
  }
  return error.exitCode;
}

/** "in 1h 59m", "in 45s", "expired 3m ago" — for people; scripts get the raw expires_time. */
export function describeExpiry(expiresTime: string, nowMs: number): string | undefined {
  const at = Date.parse(expiresTime);
  if (Number.isNaN(at)) return undefined;
  const seconds = Math.round((at - nowMs) / 1000);
  const span = (total: number): string => {
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = total % 60;
    if (hours > 0) return t('token.expiry.hours', { hours, minutes });
    if (minutes > 0) return t('token.expiry.minutes', { minutes, seconds: secs });
    return t('token.expiry.seconds', { seconds: secs });
  };
  return seconds >= 0 ? t('token.expiry.in', { span: span(seconds) }) : t('token.expiry.ago', { span: span(-seconds) });
}
