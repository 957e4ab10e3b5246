/**
 * `wxpay-coupon doctor`: a checklist of the credentials, for a person and for CI. With
 * --online, one signed read-only call proves WeChat Pay accepts them.
 */
import { createPublicKey } from 'node:crypto';
import { ApiError, ConfigError, EXIT_CODES, NetworkError, VerificationError, WxpayError } from '../../errors.js';
import { CERTIFICATES_PATH } from '../../certificates.js';
import { isNoPlatformCertificates } from '../../hints.js';
import { secretFileProblem, type ResolvedConfig } from '../../config.js';
import { MIN_RSA_BITS } from '../../keys.js';
import { SETTINGS, type SettingRow } from '../../settings.js';
import { clientSettingsOf, createClient, credentialsOf, loadCommandConfig, type CommandContext, type NetworkOptions } from './shared.js';
import { parseNetworkOptions } from './flags.js';
import { keyStatus } from './certs.js';
import { formatChinaTime, monotonicMs } from '../../clock.js';
import { t, type MessageId } from '../../i18n/index.js';
import { escapeInvisible, jsonLine, printable, safeToPrint } from '../../redact.js';

export interface DoctorOptions extends NetworkOptions {
  online?: boolean;
  json?: boolean;
}

export interface Check {
  name: string;
  ok: boolean;
  message: string;
  /** Passes today, but needs doing soon (a platform certificate that expires within 30 days): marked ! and `"warning": true`. */
  warning?: true;
  /** Not run, because a check before it failed (--online after a config problem): marked - and `"skipped": true`, not counted. */
  skipped?: true;
}

/** A time as WeChat Pay writes one (China Standard Time, no fraction): 2031-12-01T20:00:00+08:00. */
function chinaTime(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : formatChinaTime(Date.parse(iso));
}

/**
 * The values .wxpayrc.example and .wxpayrc.zh-CN.example ship with: a config copied from them and
 * never filled in signs with them, so doctor (the pre-deploy check) fails on each.
 */
export const EXAMPLE_VALUES = {
  mchid: '1900000001',
  serial: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
  publicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
};

/** The mchid or serial check: its value and source, or a failure when it is still the example's. */
function valueCheck(key: 'mchid' | 'serial', value: string, source: string | undefined): Check {
  return value === EXAMPLE_VALUES[key]
    ? { name: key, ok: false, message: t('ops.doctor.placeholder', { key, value }) }
    : { name: key, ok: true, message: t('ops.doctor.valueFrom', { value, source }) };
}

function configChecks(config: ResolvedConfig, nowMs: number, cwd: string): Check[] {
  const checks: Check[] = [];
  const origin = config.origin;
  checks.push({
    name: 'config',
    ok: true,
    message: t('ops.doctor.config', { file: origin.file, profile: origin.profile, environment: origin.environment }),
  });
  checks.push(valueCheck('mchid', config.mchid, origin.sources.mchid));
  checks.push(valueCheck('serial', config.serial, origin.sources.serial));
  const bits = config.privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  checks.push({
    name: 'private key',
    ok: bits >= MIN_RSA_BITS,
    message: t('ops.doctor.privateKey', { bits, source: config.privateKeyFile ?? origin.sources.privateKey }),
  });
  const permission = config.privateKeyFile ? secretFileProblem(config.privateKeyFile, cwd) : undefined;
  checks.push({
    name: 'private key file permissions',
    ok: permission === undefined,
    message: permission ?? t(config.privateKeyFile ? 'ops.doctor.permissions.ownerOnly' : 'ops.doctor.permissions.inline'),
  });
  if (config.merchantCertificate) {
    const certificate = config.merchantCertificate;
    const ownPublic = createPublicKey(config.privateKey).export({ type: 'spki', format: 'der' });
    const certificatePublic = certificate.key.export({ type: 'spki', format: 'der' });
    // A certificate that is not the private key's says nothing of what serial should be: its serial
    // is not offered as the fix, which would not mend SIGN_ERROR (careless check, helper-38).
    const keyMatches = ownPublic.equals(certificatePublic);
    checks.push(
      !keyMatches
        ? {
            name: 'merchant certificate serial',
            ok: true,
            warning: true,
            message: t('ops.doctor.merchantSerial.unjudged', { source: certificate.source }),
          }
        : {
            name: 'merchant certificate serial',
            ok: certificate.serial === config.serial,
            message:
              certificate.serial === config.serial
                ? t('ops.doctor.merchantSerial.ok', { serial: certificate.serial })
                : t('ops.doctor.merchantSerial.mismatch', { certificateSerial: certificate.serial, serial: config.serial }),
          },
    );
    checks.push({
      name: 'merchant certificate matches private key',
      ok: ownPublic.equals(certificatePublic),
      message: ownPublic.equals(certificatePublic)
        ? t('ops.doctor.merchantKey.ok')
        : t('ops.doctor.merchantKey.mismatch', { source: certificate.source }),
    });
  }
  const placeholderKey = config.verificationKeys.find((key) => key.serial === EXAMPLE_VALUES.publicKeyId);
  checks.push({
    name: 'verification key',
    ok: config.verificationKeys.length > 0 && placeholderKey === undefined,
    message: placeholderKey
      ? t('ops.doctor.placeholder', { key: 'publicKeyId', value: placeholderKey.serial })
      : config.verificationKeys.length > 0
        ? t('ops.doctor.verificationKeys', { keys: config.verificationKeys })
        : t('ops.doctor.verificationKeys.none'),
  });
  for (const key of config.verificationKeys.filter((candidate) => candidate.kind === 'certificate')) {
    const status = keyStatus(key, nowMs);
    const date = chinaTime(status.not_after);
    // The check's label names the certificate already: its message says only what stands.
    const days = Math.floor(((key.notAfter?.getTime() ?? nowMs) - nowMs) / 86_400_000);
    const message =
      status.status === 'expiring'
        ? t('ops.doctor.certificate.expiring', { days, date: date ?? '' })
        : status.status === 'expired'
          ? t('ops.doctor.certificate.expired', { date: date ?? '' })
          : status.status === 'not-yet-valid'
            ? t('ops.doctor.certificate.notYetValid', { from: chinaTime(key.notBefore?.toISOString()) ?? '' })
            : t('ops.doctor.certificate.validUntil', { date });
    checks.push({
      name: `certificate ${key.serial}`,
      // Expiring soon still works today: a warning, a failure only once it no longer verifies.
      ok: status.status === 'ok' || status.status === 'expiring',
      message,
      ...(status.status === 'expiring' ? { warning: true as const } : {}),
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
  const items = rows
    .filter((row) => row.doctor === 'listed')
    .map((row) => ({ key: row.key, value: shown[row.key], source: sources[row.key] }));
  return t('ops.doctor.settings', { items });
}

/** A check's name as a person reads it; the `name` of `--json` stays the key it is. */
const CHECK_LABELS: Readonly<Record<string, Exclude<Extract<MessageId, `ops.doctor.name.${string}`>, 'ops.doctor.name.certificate'>>> = {
  config: 'ops.doctor.name.config',
  configuration: 'ops.doctor.name.configuration',
  mchid: 'ops.doctor.name.mchid',
  serial: 'ops.doctor.name.serial',
  'private key': 'ops.doctor.name.privateKey',
  // A config problem's source is the key itself.
  privateKey: 'ops.doctor.name.privateKey',
  'private key file permissions': 'ops.doctor.name.privateKeyPermissions',
  'merchant certificate serial': 'ops.doctor.name.merchantCertificateSerial',
  'merchant certificate matches private key': 'ops.doctor.name.merchantCertificateKey',
  'verification key': 'ops.doctor.name.verificationKey',
  settings: 'ops.doctor.name.settings',
  online: 'ops.doctor.name.online',
};

function checkLabel(name: string): string {
  const id = Object.hasOwn(CHECK_LABELS, name) ? CHECK_LABELS[name] : undefined;
  if (id) return t(id);
  const certificate = /^certificate (\S+)$/.exec(name);
  return certificate ? t('ops.doctor.name.certificate', { serial: certificate[1] as string }) : name;
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
    // A placeholder left in is a problem too, named now rather than after the others are fixed (helper-38).
    for (const [key, given] of Object.entries(error.given ?? {}) as [keyof typeof EXAMPLE_VALUES, { value: unknown; source: string }][]) {
      if (String(given.value) === EXAMPLE_VALUES[key] && !error.problems.some((problem) => problem.source === given.source))
        checks.push({ name: given.source, ok: false, message: t('ops.doctor.placeholder', { key, value: EXAMPLE_VALUES[key] }) });
    }
    exitCode = EXIT_CODES.config;
  }
  if (config) {
    checks.push(...configChecks(config, io.now(), io.cwd));
    if (checks.some((check) => !check.ok)) exitCode = EXIT_CODES.config;
  }
  if (options.online && exitCode !== EXIT_CODES.ok) {
    // Said, not left out: --online was asked for (careless check, helper-41).
    checks.push({ name: 'online', ok: false, skipped: true, message: t('ops.doctor.online.skipped') });
  } else if (options.online && config) {
    const client = createClient(credentialsOf(config), clientSettingsOf(config, options.verbose), context);
    const started = monotonicMs();
    try {
      // A public-key merchant's 404 proves something only once its signature verifies (P27).
      const response = await client.call('GET', CERTIFICATES_PATH, '', { verifyStatuses: [404] });
      checks.push({
        name: 'online',
        ok: true,
        message: t('ops.doctor.online.ok', {
          baseUrl: config.baseUrl,
          ms: Math.round(monotonicMs() - started),
          requestId: response.requestId,
        }),
      });
    } catch (error) {
      const elapsed = Math.round(monotonicMs() - started);
      if (error instanceof ApiError && error.status === 404 && error.code === 'RESOURCE_NOT_EXISTS' && error.signature === 'verified') {
        // Verified, it proves the credentials were accepted (P27); what it says of the merchant only when it is
        // the public-key merchant's own answer, signed with a public key (hostile check, helper-42).
        const publicKeyMerchant = error.signedBy?.kind === 'public-key' && isNoPlatformCertificates(error.code, error.serverMessage);
        checks.push({
          name: 'online',
          ok: true,
          message: publicKeyMerchant
            ? t('ops.doctor.online.publicKeyMerchant', { baseUrl: config.baseUrl, ms: elapsed })
            : t('ops.doctor.online.verifiedError', { baseUrl: config.baseUrl, ms: elapsed, message: printable(error.serverMessage ?? '') }),
        });
      } else if (error instanceof ApiError && error.status === 404 && error.code === 'RESOURCE_NOT_EXISTS') {
        // Unsigned: anything on the way (a proxy, a wrong baseUrl) can send it, so nothing is proven (P27).
        checks.push({
          name: 'online',
          ok: false,
          message: `${t('ops.doctor.online.unsigned', { baseUrl: config.baseUrl, ms: elapsed })}${error.requestId ? `\nRequest-ID ${error.requestId}` : ''}`,
        });
        exitCode = EXIT_CODES.verification;
      } else if (error instanceof WxpayError) {
        // A signed error answer that does not verify carries its status (P27): say what it fails to prove.
        const untrusted = error instanceof VerificationError && error.status !== undefined;
        checks.push({
          name: 'online',
          ok: false,
          message: `${error.message}${untrusted ? `\n${t('ops.doctor.online.untrusted', { status: error.status })}` : ''}${error.requestId ? `\nRequest-ID ${error.requestId}` : ''}`,
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
  // A config problem's message may quote what it was given (`profile "…" not found`): the same
  // backstop as for errors, so that a secret given in the wrong place is not printed here either.
  const shown = checks.map((check) => ({ ...check, name: safeToPrint(check.name), message: safeToPrint(check.message) }));
  if (options.json) {
    io.stdout.write(`${jsonLine({ ok: exitCode === EXIT_CODES.ok, checks: shown })}\n`);
  } else {
    const lines = shown.map((check) => {
      const [first, ...rest] = check.message.split('\n');
      const mark = check.skipped ? colour.dim('-') : !check.ok ? colour.red('✗') : check.warning ? colour.yellow('!') : colour.green('✓');
      const label = escapeInvisible(checkLabel(check.name));
      const head = `${mark} ${colour.bold(label)}${t('cli.labelSeparator', { label })}${first ?? ''}`;
      return [head, ...rest.map((line) => `    ${line}`)].join('\n');
    });
    if (!options.online && exitCode === EXIT_CODES.ok) lines.push(colour.dim(t('ops.doctor.offlineOnly')));
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  const failed = checks.filter((check) => !check.ok && !check.skipped).length;
  if (failed > 0) {
    // The report is data on stdout; stderr still says, in one line, that the run failed: thrown to
    // main(), so that with --json it is the one error object, the run's warnings folded in.
    const kind =
      (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).find((name) => name !== 'ok' && EXIT_CODES[name] === exitCode) ?? 'config';
    throw new WxpayError(kind === 'ok' ? 'config' : kind, t('ops.doctor.failed', { count: failed }), { code: 'DOCTOR_FAILED' });
  }
  return exitCode;
}
