/** `wxpay-coupon token`: pre-order one card-switch token and print it. */
import { UsageError } from '../../errors.js';
import { parseCouponSpec, serializeTokenRequest, validateTokenRequest, type TokenRequest } from '../../coupon.js';
import type { ClientCredentials } from '../../client.js';
import type { ClientSettings, CommandContext } from './shared.js';
import { parseConcurrency, parseNetworkOptions, parseRate, type NetworkOptions } from './flags.js';
import { describeExpiry, warn } from '../output.js';
import { launchParameters, launchTokenWarning } from '../../launch.js';
import { SANDBOX_NOTE } from '../messages.js';


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
    throw new UsageError("missing --open-id <openid>: the user's openid under your AppID", { code: 'MISSING_OPEN_ID' });
  }
  if (!options.coupon || options.coupon.length === 0) {
    throw new UsageError('没传入券列表 (no coupon given): pass at least one --coupon <stock_id>:<coupon_id>, like --coupon 16474341:11004999626', {
      code: 'INVALID_REQUEST',
    });
  }
  const coupons = options.coupon.map(parseCouponSpec);
  return validateTokenRequest({ open_id: options.openId, coupon_list: coupons }, '', 'flags');
}

export async function runToken(options: TokenOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  // Input first: a usage error must never depend on the config or the network.
  const batch = options.batch !== undefined;
  if (batch) {
    const single = [
      ['--open-id', options.openId !== undefined],
      ['--coupon', options.coupon !== undefined],
      ['--quiet', options.quiet === true],
      ['--dry-run', options.dryRun === true],
    ].filter(([, given]) => given);
    if (single.length > 0) {
      throw new UsageError(`--batch reads every request from its input; leave out ${single.map(([flag]) => flag).join(', ')}`, {
        code: 'CONFLICTING_FLAGS',
      });
    }
  } else if (options.concurrency !== undefined || options.rate !== undefined) {
    throw new UsageError('--concurrency and --rate only apply with --batch <file|->', { code: 'CONFLICTING_FLAGS' });
  }
  const request = batch ? undefined : buildRequest(options);
  const concurrency = parseConcurrency(options.concurrency);
  const flagRate = parseRate(options.rate);
  const overrides = { ...parseNetworkOptions(options), rate: flagRate };
  if (options.json && options.quiet) throw new UsageError('--json and --quiet cannot be used together; pick one', { code: 'CONFLICTING_FLAGS' });
  if (options.sandbox && options.baseUrl !== undefined) {
    throw new UsageError('--sandbox starts its own local server; leave out --base-url', { code: 'CONFLICTING_FLAGS' });
  }

  // Only now, with the input known to be good, load what signs and sends (node:crypto, the client).
  const { clientSettingsOf, createClient, credentialsOf, loadCommandConfig, printDryRun, verboseLine } = await import('./shared.js');
  const { readTokenAnswer, TOKEN_PATH } = await import('../../client.js');
  let credentials: ClientCredentials;
  let settings: ClientSettings;
  let rate = flagRate;
  let closeSandbox: (() => Promise<void>) | undefined;

  if (options.sandbox) {
    const { startSandbox } = await import('../../sandbox/server.js');
    const { loadPrivateKey, loadPublicKey } = await import('../../keys.js');
    const sandbox = await startSandbox();
    closeSandbox = sandbox.close;
    const sandboxCredentials = sandbox.credentials;
    credentials = {
      mchid: sandboxCredentials.mchid,
      serial: sandboxCredentials.serial,
      privateKey: loadPrivateKey(sandboxCredentials.privateKeyPem),
      publicKeyId: sandboxCredentials.publicKeyId,
      verificationKeys: [
        {
          kind: 'public-key',
          serial: sandboxCredentials.publicKeyId as string,
          key: loadPublicKey(sandboxCredentials.publicKeyPem as string),
          source: 'sandbox',
        },
      ],
    };
    settings = { baseUrl: sandbox.baseUrl, timeoutMs: overrides.timeout, retries: overrides.retries, proxy: overrides.proxy, verbose: options.verbose };
    if (options.verbose) verboseLine(context, `local sandbox at ${sandbox.baseUrl} (config ignored)`);
  } else {
    const config = await loadCommandConfig(options, context, overrides);
    credentials = credentialsOf(config);
    settings = clientSettingsOf(config, options.verbose);
    rate = config.rate;
  }

  if (batch) {
    try {
      if (options.sandbox) sandboxNote(context);
      const { runBatchCommand } = await import('./batch.js');
      return await runBatchCommand({ batch: options.batch as string, json: options.json }, concurrency, rate, credentials, settings, context);
    } finally {
      await closeSandbox?.();
    }
  }
  const client = createClient(credentials, settings, context);
  try {
    const body = serializeTokenRequest(request as TokenRequest);
    if (options.dryRun) {
      printDryRun(client, 'POST', TOKEN_PATH, body, options.json === true, context);
      return 0;
    }
    const response = await client.call('POST', TOKEN_PATH, body);
    const result = readTokenAnswer(response.body, response.requestId);
    const launch = launchParameters(credentials.mchid, result.token);
    if (options.sandbox) sandboxNote(context);
    const warning = launchTokenWarning(result.token);
    if (warning) warn(context, warning.code, warning.message);
    if (options.json) {
      const json: Record<string, unknown> = { token: result.token };
      if (result.expires_time !== undefined) json['expires_time'] = result.expires_time;
      if (result.requestId !== undefined) json['request_id'] = result.requestId;
      json['launch'] = launch;
      io.stdout.write(`${JSON.stringify(json)}\n`);
    } else if (options.quiet) {
      io.stdout.write(`${result.token}\n`);
    } else {
      const { colour } = context;
      const expiry = result.expires_time !== undefined ? describeExpiry(result.expires_time, io.now()) : undefined;
      const lines = [`${colour.dim('token       ')} ${colour.green.bold(result.token)}`];
      if (result.expires_time !== undefined) {
        lines.push(`${colour.dim('expires_time')} ${result.expires_time}${expiry ? colour.dim(` (${expiry})`) : ''}`);
      }
      lines.push(`${colour.dim('request_id  ')} ${result.requestId ?? colour.dim('(none)')}`);
      lines.push(`${colour.dim('launch_appid')} ${launch.app_id}`);
      lines.push(`${colour.dim('launch_path ')} ${launch.path}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    if (!io.exitsAfterCommand || closeSandbox) await client.close();
    await closeSandbox?.();
  }
}

/** Says the token is not from WeChat Pay: a line on stderr, or a JSON warning with --json. */
function sandboxNote(context: CommandContext): void {
  if (context.json) warn(context, 'SANDBOX_TOKEN', SANDBOX_NOTE.replace(/^note: /, ''));
  else context.io.stderr.write(`${context.colourErr.yellow(SANDBOX_NOTE)}\n`);
}
