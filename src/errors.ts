/**
 * Every failure the tool can report, with the exit code a script can branch on.
 * Only the bin turns these into a process exit; everything below throws them.
 */
import { oneLine, t } from './i18n/index.js';

export type ErrorKind = 'api' | 'usage' | 'config' | 'network' | 'verification' | 'output' | 'internal' | 'interrupted';

export const EXIT_CODES: Readonly<Record<ErrorKind | 'ok', number>> = Object.freeze({
  ok: 0,
  api: 1,
  usage: 2,
  config: 3,
  network: 4,
  verification: 5,
  output: 74,
  internal: 70,
  interrupted: 130,
});

/** Batch: the run finished and some lines failed (each failed line carries its own error). */
export const BATCH_PARTIAL_EXIT_CODE = 6;

export interface WxpayErrorFields {
  /** WeChat Pay's error code (`PARAM_ERROR`) or the tool's own (`CONFIG_INVALID`). */
  code?: string;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** `Request-ID` header of the answer: what WeChat Pay support asks for (P18). */
  requestId?: string;
  /** Opaque JSON detail from WeChat Pay's error body (P18). */
  detail?: unknown;
  cause?: unknown;
}

export class WxpayError extends Error {
  readonly kind: ErrorKind;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly detail: unknown;

  constructor(kind: ErrorKind, message: string, fields: WxpayErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'WxpayError';
    this.kind = kind;
    this.code = fields.code;
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.detail = fields.detail;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Bad flags or bad input: nothing was sent. */
export class UsageError extends WxpayError {
  constructor(message: string, fields: WxpayErrorFields = {}) {
    super('usage', message, fields);
    this.name = 'UsageError';
  }
}

export interface ConfigProblem {
  /** Where the value came from: `.wxpayrc.json: privateKey`, `WXPAY_MCHID`, `--base-url`. */
  source: string;
  message: string;
  /** What a person reads in place of `source` when that is a word, not a key, variable, flag or path. */
  label?: string;
}

/** No config, a missing key, an unreadable or invalid key file. Lists every problem at once. */
export class ConfigError extends WxpayError {
  readonly problems: readonly ConfigProblem[];
  /** The ids the config gave (never a secret), for doctor to judge beside the problems: its example placeholders. */
  given?: Readonly<Partial<Record<'mchid' | 'serial' | 'publicKeyId', { value: unknown; source: string }>>>;

  constructor(problems: readonly ConfigProblem[], summary?: string) {
    const lines = problems.map((problem) => {
      // The source names a file or a variable: a path's line break cannot start a line of ours (helper-43).
      const label = oneLine(problem.label ?? problem.source);
      return `  - ${label}${t('cli.labelSeparator', { label })}${problem.message}`;
    });
    const head = summary ?? (problems.length === 1 ? t('cli.config.oneProblem') : t('cli.config.problems', { count: problems.length }));
    super('config', [head, ...lines].join('\n'), {
      code: 'CONFIG_INVALID',
      detail: problems.map((problem) => ({ source: problem.source, message: problem.message })),
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Could not get an answer: refused, DNS, TLS, timeout. */
export class NetworkError extends WxpayError {
  constructor(message: string, fields: WxpayErrorFields = {}) {
    super('network', message, fields);
    this.name = 'NetworkError';
  }
}

/** A 2xx answer that cannot be trusted (P12–P16) or that breaks the protocol (P5). */
export class VerificationError extends WxpayError {
  constructor(message: string, fields: WxpayErrorFields = {}) {
    super('verification', message, fields);
    this.name = 'VerificationError';
  }
}

/**
 * What became of an error answer's signature when the caller asked for it to be checked
 * (`CallOptions.verifyStatuses`, P27): `verified`, or `absent` (none of the Wechatpay-* signature
 * headers). A signature that is there but does not verify is a VerificationError instead.
 */
export type AnswerSignature = 'verified' | 'absent';

/** The key an error answer's signature verified with (P27): its kind and its serial or public key id. */
export interface SignedBy {
  kind: 'public-key' | 'certificate';
  serial: string;
}

/** WeChat Pay answered with an error body (P18). */
export class ApiError extends WxpayError {
  /** Set only when the caller asked for this status to be verified (P27); undefined: not checked. */
  readonly signature: AnswerSignature | undefined;
  /** With `signature` 'verified': which configured key verified it. */
  readonly signedBy: SignedBy | undefined;
  /** The body's `message` as received (P18), when it had one: what the explanations of one answer read. */
  readonly serverMessage: string | undefined;

  constructor(
    message: string,
    fields: WxpayErrorFields & {
      signature?: AnswerSignature | undefined;
      signedBy?: SignedBy | undefined;
      serverMessage?: string | undefined;
    } = {},
  ) {
    super('api', message, fields);
    this.name = 'ApiError';
    this.signature = fields.signature;
    this.signedBy = fields.signedBy;
    this.serverMessage = fields.serverMessage;
  }
}

/**
 * Writing the output failed (stdout, or a file written for the user): ENOSPC, EIO, EBADF … Exit 74
 * (EX_IOERR). A closed pipe (`| head`, EPIPE on stdout) is not one: that ends a run quietly.
 */
export class OutputError extends WxpayError {
  /** What could not be written: `stdout`, or a file's path. */
  readonly output: string;

  constructor(output: string, reason: string, fields: WxpayErrorFields & { errno?: string | undefined } = {}) {
    const { errno, ...rest } = fields;
    super('output', t('cli.output.cannotWrite', { output, reason, errno }), { code: 'OUTPUT_FAILED', ...rest });
    this.name = 'OutputError';
    this.output = output;
  }

  /** Wraps a write's error (a Node system error, or anything) as an OutputError; one is kept as it is. */
  static from(output: string, error: unknown): OutputError {
    if (error instanceof OutputError) return error;
    const system: { code?: unknown; message?: unknown } = typeof error === 'object' && error !== null ? error : {};
    const errno = typeof system.code === 'string' ? system.code : undefined;
    // "ENOSPC: no space left on device, write" → "no space left on device".
    const message = typeof system.message === 'string' ? system.message : String(error);
    const reason = message
      .replace(/^[A-Z0-9_]+: /, '')
      .replace(/, write$/, '')
      .replace(/^write [A-Z0-9_]+$/, () => t('cli.output.writeFailed'));
    return new OutputError(output, reason, { errno, cause: error });
  }
}

export class InterruptedError extends WxpayError {
  constructor(message = t('cli.interrupted.beforeAnswer')) {
    super('interrupted', message, { code: 'INTERRUPTED' });
    this.name = 'InterruptedError';
  }
}

export function isWxpayError(value: unknown): value is WxpayError {
  return value instanceof WxpayError;
}

/** The JSON form of an error, for `--json` and batch lines: fields that do not apply are left out. */
export function errorToJson(error: WxpayError): Record<string, unknown> {
  const body: Record<string, unknown> = { exit_code: error.exitCode, kind: error.kind };
  if (error.code !== undefined) body['code'] = error.code;
  body['message'] = error.message;
  if (error.status !== undefined) body['status'] = error.status;
  if (error.requestId !== undefined) body['request_id'] = error.requestId;
  if (error.detail !== undefined) body['detail'] = error.detail;
  return body;
}
