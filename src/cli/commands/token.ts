/** `wxpay-coupon token`: pre-order one card-switch token and print it. */
import { UsageError } from '../../errors.js';
import { SERVER_MESSAGES, parseCouponSpec, serializeTokenRequest, validateTokenRequest, type TokenRequest } from '../../coupon.js';
import type { ClientCredentials, TokenResult } from '../../client.js';
import type { ConfigOverrides } from '../../config.js';
import type { ClientSettings, CommandContext } from './shared.js';
import { parseConcurrency, parseNetworkOptions, parseRate, type NetworkOptions } from './flags.js';
import { describeExpiry, warn } from '../output.js';
import { launchParameters, launchTokenWarning, type LaunchParameters } from '../../launch.js';
import { t } from '../../i18n/index.js';
import { escapeInvisible } from '../../redact.js';

export interface TokenOptions extends NetworkOptions {
  batch?: string;
  concurrency?: string;
  rate?: string;
  openId?: string;
  coupon?: string[];
  json?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  sandbox?: boolean;
}

function buildRequest(options: TokenOptions): TokenRequest {
  if (options.openId === undefined) {
    throw new UsageError(t('token.flags.missingOpenId'), { code: 'MISSING_OPEN_ID' });
  }
  if (!options.coupon || options.coupon.length === 0) {
    throw new UsageError(t('token.flags.noCoupon', { server: SERVER_MESSAGES.emptyCouponList }), { code: 'INVALID_REQUEST' });
  }
  const coupons = options.coupon.map(parseCouponSpec);
  return validateTokenRequest({ open_id: options.openId, coupon_list: coupons }, '', 'flags');
}

export async function runToken(options: TokenOptions, context: CommandContext): Promise<number> {
  // Input first: a usage error must never depend on the config or the network.
  const input = readInput(options);
  // Only now, with the input known to be good, load what signs and sends (node:crypto, the client).
  const target = await (options.sandbox
    ? startLocalSandbox(options, input.overrides, context)
    : configuredTarget(options, input.overrides, context));
  if (input.request === undefined) {
    try {
      const { runBatchCommand } = await import('./batch.js');
      // Said once the run has made a token, next to the summary: a run of failed lines made none.
      const afterTokens = options.sandbox ? () => sandboxNote(context) : undefined;
      const flags = { batch: options.batch as string, json: options.json, afterTokens };
      return await runBatchCommand(flags, input.concurrency, target.rate, target.credentials, target.settings, context);
    } finally {
      await target.close?.();
    }
  }
  return runSingle(input.request, target, options, context);
}

interface TokenInput {
  /** The one request of a single run; undefined with --batch, which reads its requests from its input. */
  request: TokenRequest | undefined;
  concurrency: number;
  overrides: ConfigOverrides;
}

/** The flags, checked and parsed: every usage error is thrown here, before any config or network. */
function readInput(options: TokenOptions): TokenInput {
  checkModeConflicts(options);
  const request = options.batch !== undefined ? undefined : buildRequest(options);
  const concurrency = parseConcurrency(options.concurrency);
  const rate = parseRate(options.rate);
  const overrides = { ...parseNetworkOptions(options), rate };
  if (options.json && options.quiet) throw new UsageError(t('token.flags.jsonQuiet'), { code: 'CONFLICTING_FLAGS' });
  if (options.sandbox && options.baseUrl !== undefined) {
    throw new UsageError(t('token.flags.sandboxBaseUrl'), { code: 'CONFLICTING_FLAGS' });
  }
  // --sandbox reads no config: a --config or --profile given with it would be ignored in silence.
  const configFlag = options.config !== undefined ? '--config' : options.profile !== undefined ? '--profile' : undefined;
  if (options.sandbox && configFlag !== undefined) {
    throw new UsageError(t('token.flags.sandboxConfig', { flag: configFlag }), { code: 'CONFLICTING_FLAGS' });
  }
  return { request, concurrency, overrides };
}

/** --batch reads every request from its input; --concurrency and --rate pace only a batch. */
function checkModeConflicts(options: TokenOptions): void {
  if (options.batch === undefined) {
    if (options.concurrency !== undefined || options.rate !== undefined) {
      throw new UsageError(t('token.flags.batchOnly'), { code: 'CONFLICTING_FLAGS' });
    }
    return;
  }
  const single = [
    ['--open-id', options.openId !== undefined],
    ['--coupon', options.coupon !== undefined],
    ['--quiet', options.quiet === true],
    ['--dry-run', options.dryRun === true],
  ].filter(([, given]) => given);
  if (single.length > 0) {
    throw new UsageError(t('token.flags.batchConflict', { flags: t('token.list', { items: single.map(([flag]) => String(flag)) }) }), {
      code: 'CONFLICTING_FLAGS',
    });
  }
}

/** Where the requests go and with which keys: the merchant's config, or a sandbox started for this run. */
interface Target {
  credentials: ClientCredentials;
  settings: ClientSettings;
  rate: number | undefined;
  /** Stops the in-process sandbox; undefined without --sandbox. */
  close?: () => Promise<void>;
}

/** The merchant's config, with the flags over it. */
async function configuredTarget(options: TokenOptions, overrides: ConfigOverrides, context: CommandContext): Promise<Target> {
  const { clientSettingsOf, credentialsOf, loadCommandConfig } = await import('./shared.js');
  const config = await loadCommandConfig(options, context, { ...overrides, sandboxFlag: true });
  return { credentials: credentialsOf(config), settings: clientSettingsOf(config, options.verbose), rate: config.rate };
}

/** --sandbox: a local WeChat Pay in this process, with its own keys; the config is not read. */
async function startLocalSandbox(options: TokenOptions, overrides: ConfigOverrides, context: CommandContext): Promise<Target> {
  const { credentialsOf, verboseLine } = await import('./shared.js');
  const { startSandbox } = await import('../../sandbox/server.js');
  const sandbox = await startSandbox();
  const settings = {
    baseUrl: sandbox.baseUrl,
    timeoutMs: overrides.timeout,
    retries: overrides.retries,
    proxy: overrides.proxy,
    verbose: options.verbose,
  };
  if (options.verbose) verboseLine(context, t('token.verbose.localSandbox', { url: sandbox.baseUrl }));
  return { credentials: credentialsOf(sandbox.credentials), settings, rate: overrides.rate, close: () => sandbox.close() };
}

/** One request: signed and printed with --dry-run, else sent, its answer verified and printed. */
async function runSingle(request: TokenRequest, target: Target, options: TokenOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const { createClient, printDryRun } = await import('./shared.js');
  const { readTokenAnswer, TOKEN_PATH } = await import('../../client.js');
  const client = createClient(target.credentials, target.settings, context);
  try {
    const body = serializeTokenRequest(request);
    if (options.dryRun) {
      printDryRun(client, 'POST', TOKEN_PATH, body, options.json === true, context);
      return 0;
    }
    const response = await client.call('POST', TOKEN_PATH, body);
    const result = readTokenAnswer(response.body, response.requestId, io.now());
    const launch = launchParameters(target.credentials.mchid, result.token);
    if (options.sandbox) sandboxNote(context);
    const warning = launchTokenWarning(result.token);
    if (warning) warn(context, warning.code, warning.message);
    printToken(result, launch, options, context);
    return 0;
  } finally {
    if (!io.exitsAfterCommand || target.close) await client.close();
    await target.close?.();
  }
}

/** The three output forms: one JSON object (--json), the token alone (-q), or labelled lines for a person. */
function printToken(result: TokenResult, launch: LaunchParameters, options: TokenOptions, context: CommandContext): void {
  const { io } = context;
  if (options.json) {
    const json: Record<string, unknown> = { token: result.token };
    if (result.expires_time !== undefined) json['expires_time'] = result.expires_time;
    if (result.requestId !== undefined) json['request_id'] = result.requestId;
    json['launch'] = launch;
    io.stdout.write(`${JSON.stringify(json)}\n`);
  } else if (options.quiet) {
    io.stdout.write(`${result.token}\n`);
  } else {
    io.stdout.write(`${humanLines(result, launch, context).join('\n')}\n`);
  }
}

function humanLines(result: TokenResult, launch: LaunchParameters, context: CommandContext): string[] {
  const { colour, io } = context;
  const expiry = result.expires_time !== undefined ? describeExpiry(result.expires_time, io.now()) : undefined;
  const label = labeller([
    t('token.label.token'),
    t('token.label.expiresTime'),
    t('token.label.requestId'),
    t('token.label.launchAppId'),
    t('token.label.launchPath'),
  ]);
  const lines = [`${colour.dim(label(t('token.label.token')))} ${colour.green.bold(result.token)}`];
  if (result.expires_time !== undefined) {
    lines.push(
      `${colour.dim(label(t('token.label.expiresTime')))} ${result.expires_time}${expiry ? colour.dim(t('token.expiry.note', { expiry })) : ''}`,
    );
  }
  lines.push(
    `${colour.dim(label(t('token.label.requestId')))} ${result.requestId === undefined ? colour.dim(t('token.label.none')) : escapeInvisible(result.requestId)}`,
  );
  lines.push(`${colour.dim(label(t('token.label.launchAppId')))} ${launch.app_id}`);
  lines.push(`${colour.dim(label(t('token.label.launchPath')))} ${launch.path}`);
  return lines;
}

/** Terminal columns of a label: a CJK character (or a full-width form) takes two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

/** Pads each label to the widest one's columns, so the values line up under any language. */
function labeller(labels: readonly string[]): (label: string) => string {
  const width = Math.max(...labels.map(displayWidth));
  return (label) => label + ' '.repeat(width - displayWidth(label));
}

/** Says the token is not from WeChat Pay: a line on stderr, or a JSON warning with --json. */
function sandboxNote(context: CommandContext): void {
  if (context.json) warn(context, 'SANDBOX_TOKEN', t('token.sandbox.warning'));
  else context.io.stderr.write(`${context.colourErr.yellow(t('token.sandbox.note'))}\n`);
}
