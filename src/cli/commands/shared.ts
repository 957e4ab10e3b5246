/** What several commands share: loading the config with flag overrides, and a client with --verbose logging. */
import type { ChalkInstance } from 'chalk';
import { WxpayClient, type AttemptGate, type ClientCredentials, type ClientEvent } from '../../client.js';
import { loadConfig, type ConfigOverrides, type ResolvedConfig } from '../../config.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from './flags.js';

export interface CommandContext {
  io: CliIo;
  /** For stdout. */
  colour: ChalkInstance;
  /** For stderr. */
  colourErr: ChalkInstance;
}

export type { GlobalOptions, NetworkOptions } from './flags.js';

export function verboseLine(context: CommandContext, text: string): void {
  context.io.stderr.write(`${context.colourErr.dim('›')} ${text}\n`);
}

export async function loadCommandConfig(
  options: GlobalOptions,
  context: CommandContext,
  extra: ConfigOverrides & { requireVerificationKey?: boolean } = {},
): Promise<ResolvedConfig> {
  const { io } = context;
  const config = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    configPath: options.config,
    profile: options.profile,
    overrides: { baseUrl: extra.baseUrl, timeout: extra.timeout, retries: extra.retries, proxy: extra.proxy, rate: extra.rate },
    ...(extra.requireVerificationKey === false ? { requireVerificationKey: false } : {}),
  });
  for (const warning of config.warnings) io.stderr.write(`${context.colourErr.yellow('warning:')} ${warning}\n`);
  if (options.verbose) {
    const origin = config.origin;
    verboseLine(
      context,
      `config: ${origin.file ?? '(no file)'}${origin.profile ? `, profile ${origin.profile}` : ''}` +
        `${origin.environment.length > 0 ? `, from environment: ${origin.environment.join(', ')}` : ''}`,
    );
  }
  return config;
}

export function credentialsOf(config: ResolvedConfig): ClientCredentials {
  return {
    mchid: config.mchid,
    serial: config.serial,
    privateKey: config.privateKey,
    publicKeyId: config.publicKeyId,
    verificationKeys: config.verificationKeys,
  };
}

function verboseLogger(context: CommandContext): (event: ClientEvent) => void {
  const dim = context.colourErr.dim;
  return (event) => {
    switch (event.type) {
      case 'route':
        verboseLine(context, `network: ${event.description}`);
        break;
      case 'request':
        verboseLine(context, `attempt ${event.attempt}${event.failover ? ' (failover)' : ''}: ${event.method} ${event.url}`);
        for (const [name, value] of Object.entries(event.headers)) verboseLine(context, dim(`${name}: ${value}`));
        if (event.body) verboseLine(context, dim(`body: ${event.body}`));
        break;
      case 'response':
        verboseLine(
          context,
          `${event.status} in ${Math.round(event.elapsedMs)} ms${event.requestId ? `, Request-ID ${event.requestId}` : ', no Request-ID'}`,
        );
        break;
      case 'retry':
        verboseLine(context, `attempt ${event.attempt} failed (${event.reason}); retrying in ${event.delayMs} ms`);
        break;
      case 'failover':
        verboseLine(context, `cannot reach ${event.from} (${event.reason}); failing over to ${event.to}`);
        break;
      case 'verified':
        verboseLine(
          context,
          `signature verified with ${event.kind === 'public-key' ? 'WeChat Pay public key' : 'platform certificate'} ${event.serial}`,
        );
        break;
      case 'sign-error':
        verboseLine(context, `WeChat Pay signed this message (truncated_sign_message): ${JSON.stringify(event.truncatedSignMessage)}`);
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
