/**
 * `wxpay-coupon doctor`: a checklist of the credentials, for a person and for CI. With
 * --online, one signed read-only call proves WeChat Pay accepts them.
 */
import { createPublicKey } from 'node:crypto';
import { ApiError, ConfigError, EXIT_CODES, NetworkError, VerificationError, WxpayError } from '../../errors.js';
import { CERTIFICATES_PATH } from '../../certificates.js';
import { secretFileProblem, type ResolvedConfig } from '../../config.js';
import { MIN_RSA_BITS } from '../../keys.js';
import { SETTINGS, type SettingRow } from '../../settings.js';
import { clientSettingsOf, createClient, credentialsOf, loadCommandConfig, type CommandContext, type NetworkOptions } from './shared.js';
import { parseNetworkOptions } from './flags.js';
import { keyStatus } from './certs.js';
import { monotonicMs } from '../../clock.js';

export interface DoctorOptions extends NetworkOptions {
  online?: boolean;
  json?: boolean;
}

export interface Check {
  name: string;
  ok: boolean;
  message: string;
}

function configChecks(config: ResolvedConfig, nowMs: number, cwd: string): Check[] {
  const checks: Check[] = [];
  const origin = config.origin;
  checks.push({
    name: 'config',
    ok: true,
    message:
      `${origin.file ?? 'no config file (environment only)'}${origin.profile ? `, profile ${origin.profile}` : ''}` +
      (origin.environment.length > 0 ? `; from environment: ${origin.environment.join(', ')}` : ''),
  });
  checks.push({ name: 'mchid', ok: true, message: `${config.mchid} (${origin.sources.mchid ?? 'unknown source'})` });
  checks.push({ name: 'serial', ok: true, message: `${config.serial} (${origin.sources.serial ?? 'unknown source'})` });
  const bits = config.privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  checks.push({
    name: 'private key',
    ok: bits >= MIN_RSA_BITS,
    message: `RSA ${bits} bits from ${config.privateKeyFile ?? origin.sources.privateKey ?? 'unknown source'}`,
  });
  const permission = config.privateKeyFile ? secretFileProblem(config.privateKeyFile, cwd) : undefined;
  checks.push({
    name: 'private key file permissions',
    ok: permission === undefined,
    message: permission ?? (config.privateKeyFile ? 'readable by its owner only' : 'inline PEM (no file)'),
  });
  if (config.merchantCertificate) {
    const certificate = config.merchantCertificate;
    const ownPublic = createPublicKey(config.privateKey).export({ type: 'spki', format: 'der' });
    const certificatePublic = certificate.key.export({ type: 'spki', format: 'der' });
    checks.push({
      name: 'merchant certificate serial',
      ok: certificate.serial === config.serial,
      message:
        certificate.serial === config.serial
          ? `${certificate.serial} matches serial`
          : `the merchant certificate's serial is ${certificate.serial} but serial is ${config.serial}; set serial to ${certificate.serial} (a wrong serial causes SIGN_ERROR)`,
    });
    checks.push({
      name: 'merchant certificate matches private key',
      ok: ownPublic.equals(certificatePublic),
      message: ownPublic.equals(certificatePublic)
        ? 'the private key belongs to the merchant certificate'
        : `the private key does not belong to the certificate in ${certificate.source}; use the apiclient_key.pem issued with that apiclient_cert.pem (the most common cause of SIGN_ERROR)`,
    });
  }
  checks.push({
    name: 'verification key',
    ok: config.verificationKeys.length > 0,
    message:
      config.verificationKeys.length > 0
        ? config.verificationKeys.map((key) => `${key.kind === 'public-key' ? 'public key' : 'certificate'} ${key.serial}`).join(', ')
        : "none configured, so answers cannot be verified; set publicKeyId + publicKey (微信支付公钥), or run 'wxpay-coupon certs download'",
  });
  for (const key of config.verificationKeys.filter((candidate) => candidate.kind === 'certificate')) {
    const status = keyStatus(key, nowMs);
    checks.push({
      name: `certificate ${key.serial}`,
      // Expiring soon still works today: warn in the message, fail only once it no longer verifies.
      ok: status.status === 'ok' || status.status === 'expiring',
      message: status.warning ?? `valid until ${status.not_after ?? 'an unknown date'}`,
    });
  }
  checks.push({ name: 'settings', ok: true, message: settingsLine(SETTINGS, config.origin) });
  return checks;
}

/**
 * The settings doctor has no check of its own for (the table's `doctor: 'listed'` rows), each
 * with its value as the config may show it and where it came from: a new row is listed unasked.
 */
export function settingsLine(rows: readonly SettingRow[], origin: Pick<ResolvedConfig['origin'], 'shown' | 'sources'>): string {
  const shown = origin.shown as Partial<Record<string, string>>;
  const sources = origin.sources as Partial<Record<string, string>>;
  return rows
    .filter((row) => row.doctor === 'listed')
    .map((row) => {
      const value = shown[row.key];
      if (value === undefined) return `${row.key} not set`;
      return `${row.key} ${value} (${sources[row.key] ?? 'default'})`;
    })
    .join(', ');
}

export async function runDoctor(options: DoctorOptions, context: CommandContext): Promise<number> {
  const { io, colour } = context;
  const overrides = parseNetworkOptions(options);
  const checks: Check[] = [];
  let exitCode: number = EXIT_CODES.ok;
  let config: ResolvedConfig | undefined;
  try {
    config = await loadCommandConfig(options, context, { ...overrides, requireVerificationKey: false });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) checks.push({ name: problem.source, ok: false, message: problem.message });
    exitCode = EXIT_CODES.config;
  }
  if (config) {
    checks.push(...configChecks(config, io.now(), io.cwd));
    if (checks.some((check) => !check.ok)) exitCode = EXIT_CODES.config;
  }
  if (options.online && config && exitCode === EXIT_CODES.ok) {
    const client = createClient(credentialsOf(config), clientSettingsOf(config, options.verbose), context);
    const started = monotonicMs();
    try {
      const response = await client.call('GET', CERTIFICATES_PATH);
      checks.push({
        name: 'online',
        ok: true,
        message: `${config.baseUrl} accepted the signed request and its answer verified (${Math.round(monotonicMs() - started)} ms round trip${response.requestId ? `, Request-ID ${response.requestId}` : ''})`,
      });
    } catch (error) {
      const elapsed = Math.round(monotonicMs() - started);
      if (error instanceof ApiError && error.code === 'RESOURCE_NOT_EXISTS') {
        checks.push({
          name: 'online',
          ok: true,
          message: `${config.baseUrl} accepted the signed request (${elapsed} ms round trip); 404 RESOURCE_NOT_EXISTS: this merchant uses a WeChat Pay public key, as expected`,
        });
      } else if (error instanceof WxpayError) {
        checks.push({
          name: 'online',
          ok: false,
          message: `${error.message}${error.requestId ? `\nRequest-ID ${error.requestId}` : ''}`,
        });
        exitCode =
          error instanceof NetworkError
            ? EXIT_CODES.network
            : error instanceof VerificationError
              ? EXIT_CODES.verification
              : error.exitCode;
      } else {
        throw error;
      }
    } finally {
      await client.close();
    }
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ok: exitCode === EXIT_CODES.ok, checks })}\n`);
  } else {
    const lines = checks.map((check) => {
      const [first, ...rest] = check.message.split('\n');
      const mark = check.ok ? colour.green('✓') : colour.red('✗');
      return [`${mark} ${colour.bold(check.name)}: ${first ?? ''}`, ...rest.map((line) => `    ${line}`)].join('\n');
    });
    if (!options.online && exitCode === EXIT_CODES.ok)
      lines.push(colour.dim('(offline checks only; add --online to prove WeChat Pay accepts these credentials)'));
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  const failed = checks.filter((check) => !check.ok).length;
  if (failed > 0) {
    // The report is data on stdout; stderr still says, in one line, that the run failed: thrown to
    // main(), so that with --json it is the one error object, the run's warnings folded in.
    const kind =
      (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).find((name) => name !== 'ok' && EXIT_CODES[name] === exitCode) ?? 'config';
    throw new WxpayError(
      kind === 'ok' ? 'config' : kind,
      `doctor: ${String(failed)} check${failed === 1 ? '' : 's'} failed; each says how to fix it`,
      { code: 'DOCTOR_FAILED' },
    );
  }
  return exitCode;
}
