/** What several commands share: loading the config with flag overrides, and a client with --verbose logging. */
import type { ChalkInstance } from 'chalk';
import { WxpayClient, type ClientCredentials, type ClientEvent } from '../../client.js';
import { loadConfig, type ResolvedConfig } from '../../config.js';
import type { CliIo } from '../io.js';

export interface CommandContext {
  io: CliIo;
  /** For stdout. */
  colour: ChalkInstance;
  /** For stderr. */
  colourErr: ChalkInstance;
}

export interface GlobalOptions {
  config?: string;
  profile?: string;
  verbose?: boolean;
}

export function verboseLine(context: CommandContext, text: string): void {
  context.io.stderr.write(`${context.colourErr.dim('›')} ${text}\n`);
}

export async function loadCommandConfig(
  options: GlobalOptions,
  context: CommandContext,
  extra: { baseUrl?: string | undefined; timeout?: number | undefined; requireVerificationKey?: boolean } = {},
): Promise<ResolvedConfig> {
  const { io } = context;
  const config = await loadConfig({
    cwd: io.cwd,
    env: io.env,
    configPath: options.config,
    profile: options.profile,
    overrides: { baseUrl: extra.baseUrl, timeout: extra.timeout },
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
      case 'request':
        verboseLine(context, `${event.method} ${event.url}`);
        for (const [name, value] of Object.entries(event.headers)) verboseLine(context, dim(`${name}: ${value}`));
        if (event.body) verboseLine(context, dim(`body: ${event.body}`));
        break;
      case 'response':
        verboseLine(
          context,
          `${event.status} in ${Math.round(event.elapsedMs)} ms${event.requestId ? `, Request-ID ${event.requestId}` : ', no Request-ID'}`,
        );
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

export function createClient(
  credentials: ClientCredentials,
  settings: { baseUrl: string; timeoutMs?: number | undefined; verbose?: boolean | undefined },
  context: CommandContext,
): WxpayClient {
  const { io } = context;
  return new WxpayClient(credentials, {
    baseUrl: settings.baseUrl,
    ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    now: io.now,
    ...(settings.verbose ? { onEvent: verboseLogger(context) } : {}),
  });
}
