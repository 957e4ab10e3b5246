/** What several commands share: loading the config with flag overrides, and a client with --verbose logging. */
import type { ChalkInstance } from 'chalk';
import { WxpayClient, type AttemptGate, type ClientCredentials, type ClientEvent } from '../../client.js';
import { loadConfig, type ConfigOverrides, type ResolvedConfig } from '../../config.js';
import { loadCertificate, loadPrivateKey, loadPublicKey, type VerificationKey } from '../../keys.js';
import type { SandboxCredentials } from '../../sandbox/server.js';
import type { CliIo } from '../io.js';
import { warn, type Warning } from '../output.js';
import type { GlobalOptions } from './flags.js';
import { t } from '../../i18n/index.js';
import { escapeInvisible, jsonLine } from '../../redact.js';

export interface CommandContext {
  io: CliIo;
  /** For stdout. */
  colour: ChalkInstance;
  /** For stderr. */
  colourErr: ChalkInstance;
  /** --json was given: stderr carries JSON lines only. */
  json?: boolean;
  /** Says something that does not stop the run: a line on stderr, or a JSON warning with --json. */
  warn?: (warning: Warning) => void;
}

export type { GlobalOptions, NetworkOptions } from './flags.js';

export function verboseLine(context: CommandContext, text: string, dim = false): void {
  // Every verbose line is one line, whatever it quotes (a request line or a header of a notification
  // file, a body, a server's text): each invisible character, line breaks included, is written \uXXXX
  // (hostile check, helper-40: notify verify --verbose printed a request line's escape sequences).
  const shown = escapeInvisible(text);
  if (context.json) {
    context.io.stderr.write(`${jsonLine({ verbose: { message: shown } })}\n`);
    return;
  }
  context.io.stderr.write(`${context.colourErr.dim('›')} ${dim ? context.colourErr.dim(shown) : shown}\n`);
}

export async function loadCommandConfig(
  options: GlobalOptions,
  context: CommandContext,
  extra: ConfigOverrides & { requireVerificationKey?: boolean; sandboxFlag?: boolean } = {},
): Promise<ResolvedConfig> {
  const { io } = context;
  // Every flag override goes through; loadConfig reads those the settings table gives a flag.
  const { requireVerificationKey, sandboxFlag, ...overrides } = extra;
  const config = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    configPath: options.config,
    profile: options.profile,
    overrides,
    ...(requireVerificationKey === false ? { requireVerificationKey: false } : {}),
    ...(sandboxFlag ? { sandboxFlag } : {}),
    onWarning: (warning) => warn(context, warning.code, warning.message),
    signal: io.signal,
  });
  if (options.verbose) {
    const origin = config.origin;
    verboseLine(
      context,
      t('token.verbose.config', {
        file: origin.file,
        profile: origin.profile,
        environment: t('token.list', { items: origin.environment }),
      }),
    );
  }
  return config;
}

/**
 * What signs requests and verifies answers: the resolved config's keys, or those of a sandbox
 * started in-process (`token --sandbox`, which ignores the config), loaded from its PEM text.
 */
export function credentialsOf(config: ResolvedConfig | SandboxCredentials): ClientCredentials {
  if ('privateKeyPem' in config) return sandboxCredentials(config);
  return {
    mchid: config.mchid,
    serial: config.serial,
    privateKey: config.privateKey,
    publicKeyId: config.publicKeyId,
    verificationKeys: config.verificationKeys,
  };
}

function sandboxCredentials(sandbox: SandboxCredentials): ClientCredentials {
  const verificationKeys: VerificationKey[] = [];
  if (sandbox.publicKeyId !== undefined && sandbox.publicKeyPem !== undefined) {
    verificationKeys.push({ kind: 'public-key', serial: sandbox.publicKeyId, key: loadPublicKey(sandbox.publicKeyPem), source: 'sandbox' });
  }
  if (sandbox.certificatePem !== undefined) {
    const { serial, key, notBefore, notAfter } = loadCertificate(sandbox.certificatePem);
    verificationKeys.push({ kind: 'certificate', serial, key, source: 'sandbox', notBefore, notAfter });
  }
  return {
    mchid: sandbox.mchid,
    serial: sandbox.serial,
    privateKey: loadPrivateKey(sandbox.privateKeyPem),
    publicKeyId: sandbox.publicKeyId,
    verificationKeys,
  };
}

function verboseLogger(context: CommandContext): (event: ClientEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'route':
        verboseLine(context, t('token.verbose.network', { route: event.description }));
        break;
      case 'request':
        verboseLine(context, t('token.verbose.attempt', event));
        for (const [name, value] of Object.entries(event.headers)) verboseLine(context, `${name}: ${value}`, true);
        if (event.body) verboseLine(context, t('token.verbose.body', { body: event.body }), true);
        break;
      case 'response':
        verboseLine(
          context,
          t('token.verbose.response', { status: event.status, ms: Math.round(event.elapsedMs), requestId: event.requestId }),
        );
        break;
      case 'retry':
        verboseLine(context, t('token.verbose.retry', { attempt: event.attempt, reason: event.reason, ms: event.delayMs }));
        break;
      case 'failover':
        verboseLine(context, t('token.verbose.failover', event));
        break;
      case 'verified':
        verboseLine(context, t('token.verbose.verified', { publicKey: event.kind === 'public-key', serial: event.serial }));
        break;
      case 'sign-error':
        verboseLine(context, t('token.verbose.signError', { message: JSON.stringify(event.truncatedSignMessage) }));
        break;
    }
  };
}

export interface ClientSettings {
  baseUrl: string;
  backupBaseUrl?: string | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  proxy?: string | undefined;
  verbose?: boolean | undefined;
}

/** The settings a resolved config gives a client. */
export function clientSettingsOf(config: ResolvedConfig, verbose: boolean | undefined): ClientSettings {
  return {
    baseUrl: config.baseUrl,
    backupBaseUrl: config.backupBaseUrl,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    proxy: config.proxy,
    verbose,
  };
}

/** A --dry-run: the signed request (method, URL, headers, body) on stdout; nothing is sent. */
export function printDryRun(
  client: WxpayClient,
  method: string,
  pathAndQuery: string,
  body: string,
  json: boolean,
  context: CommandContext,
  headers?: Readonly<Record<string, string>>,
): void {
  const prepared = client.prepare(method, pathAndQuery, body, undefined, false, headers);
  const { io, colour } = context;
  if (json) {
    io.stdout.write(`${jsonLine({ dry_run: true, method: prepared.method, url: prepared.url.href, headers: prepared.headers, body })}\n`);
    return;
  }
  // The headers and body as they would be sent, each invisible character written \uXXXX (a --header
  // value, a --data file are the user's text; hostile check, helper-40), the body's own lines and tabs kept.
  const lines = [`${colour.bold(prepared.method)} ${prepared.url.href}`];
  for (const [name, value] of Object.entries(prepared.headers)) lines.push(`${colour.dim(`${name}:`)} ${escapeInvisible(value)}`);
  lines.push('', escapeInvisible(body, '\n\t'));
  io.stdout.write(`${lines.join('\n')}\n`);
  io.stderr.write(`${context.colourErr.dim(t('token.dryRun.note'))}\n`);
}

export function createClient(
  credentials: ClientCredentials,
  settings: ClientSettings,
  context: CommandContext,
  /** Batch runs pace attempts with a gate and abort in-flight requests only on a second Ctrl-C. */
  batch?: { gate: AttemptGate; signal: AbortSignal | undefined; stopSignal?: AbortSignal | undefined },
): WxpayClient {
  const { io } = context;
  const signal = batch ? batch.signal : io.signal;
  return new WxpayClient(credentials, {
    ...(batch ? { gate: batch.gate } : {}),
    ...(batch?.stopSignal ? { stopSignal: batch.stopSignal } : {}),
    baseUrl: settings.baseUrl,
    backupBaseUrl: settings.backupBaseUrl,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.retries !== undefined ? { retries: settings.retries } : {}),
    proxy: settings.proxy,
    env: io.env,
    ...(signal ? { signal } : {}),
    now: io.now,
    ...(settings.verbose ? { onEvent: verboseLogger(context) } : {}),
  });
}
