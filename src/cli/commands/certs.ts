/** `wxpay-coupon certs download|list`: WeChat Pay platform certificates and the keys the config holds. */
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, UsageError } from '../../errors.js';
import { downloadCertificates } from '../../certificates.js';
import type { VerificationKey } from '../../keys.js';
import {
  clientSettingsOf,
  createClient,
  credentialsOf,
  loadCommandConfig,
  type CommandContext,
  type GlobalOptions,
  type NetworkOptions,
} from './shared.js';
import { makeFolders, writeAtomically } from '../../folders.js';
import { parseNetworkOptions } from './flags.js';
import { warn } from '../output.js';
import { t } from '../../i18n/index.js';
import { formatChinaTime } from '../../clock.js';
import { escapeInvisible, jsonLine } from '../../redact.js';

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertsDownloadOptions extends NetworkOptions {
  out?: string;
  json?: boolean;
}

/** Why a folder cannot take the certificate files, in words; undefined when the cause is not a known one. */
export function outProblem(code: string | undefined): string | undefined {
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return t('ops.certs.out.isFile');
    case 'EACCES':
    case 'EPERM':
      return t('ops.certs.out.notWritable');
    case 'EROFS':
      return t('ops.certs.out.readOnly');
    case 'ENOSPC':
      return t('ops.certs.out.full');
    case 'ENAMETOOLONG':
      return t('ops.certs.out.tooLong');
    case 'ELOOP':
      return t('ops.certs.out.loop');
    // Its parent is there (makeFolders), yet the folder cannot be made in it.
    case 'ENOENT':
      return t('ops.certs.out.cannotMake');
    default:
      return undefined;
  }
}

/**
 * Makes sure --out is a folder this user can write to, before anything is fetched: creates it
 * if need be and writes (then removes) a probe file there. Returns what to remove should the
 * download fail, so a failed run leaves no empty folder behind.
 */
async function prepareOut(folder: string, given: string | undefined): Promise<string | undefined> {
  let created: string | undefined;
  try {
    // A file in the way is makeFolders' EEXIST or ENOTDIR (outProblem: "is a file, or lies under a file").
    created = await makeFolders(folder);
    const probe = path.join(folder, `.wxpay-probe-${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(probe, '', { flag: 'wx', mode: 0o600 });
    await rm(probe, { force: true });
    return created;
  } catch (error) {
    if (created) await rm(created, { recursive: true, force: true });
    const code = (error as { code?: string }).code;
    const problem = outProblem(code) ?? t('ops.certs.out.other', { reason: code ?? String(error) });
    throw new UsageError(t('ops.certs.out.invalid', { given, folder, problem }), { code: 'INVALID_OUT' });
  }
}

/**
 * How the config should name a written file: relative to the config file's folder, as config paths
 * resolve (./… inside it), else absolute — also when there is no config file, so that the line is
 * right wherever the command is run from.
 */
function configPathOf(file: string, configFile: string | undefined): string {
  if (configFile === undefined) return file;
  const relative = path.relative(path.dirname(configFile), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : `./${relative.split(path.sep).join('/')}`;
}

export async function runCertsDownload(options: CertsDownloadOptions, context: CommandContext): Promise<number> {
  const { io, colour } = context;
  const overrides = parseNetworkOptions(options);
  // The folder is checked before the config is read and before anything is fetched: a bad --out
  // is a usage error, and nothing is sent.
  const folder = path.resolve(io.cwd, options.out ?? '.');
  const createdFolder = await prepareOut(folder, options.out);
  let config;
  let certificates;
  try {
    config = await loadCommandConfig(options, context, { ...overrides, requireVerificationKey: false });
    if (!config.apiv3Key) {
      throw new ConfigError([
        {
          source: 'apiv3Key',
          message: t('ops.certs.apiv3KeyMissing'),
        },
      ]);
    }
    const client = createClient(credentialsOf(config), clientSettingsOf(config, options.verbose), context);
    try {
      certificates = await downloadCertificates(client, config.apiv3Key);
    } finally {
      await client.close();
    }
  } catch (error) {
    if (createdFolder) await rm(createdFolder, { recursive: true, force: true });
    throw error;
  }
  const written: { certificate: (typeof certificates)[number]; file: string }[] = [];
  for (const certificate of certificates) {
    const file = path.join(folder, `wechatpay_${certificate.serial}.pem`);
    await writeAtomically(file, certificate.pem.endsWith('\n') ? certificate.pem : `${certificate.pem}\n`, 0o644);
    written.push({ certificate, file });
  }
  const configPaths = written.map(({ file }) => configPathOf(file, config.origin.file));
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({
        certificates: written.map(({ certificate, file }) => ({
          serial: certificate.serial,
          effective_time: certificate.effectiveTime,
          expire_time: certificate.expireTime,
          file,
        })),
        config: { platformCertificates: configPaths },
      })}\n`,
    );
    return 0;
  }
  const lines: string[] = [];
  for (const { certificate, file } of written) {
    lines.push(
      `${colour.green('✓')} ${t('ops.certs.download.line', { serial: colour.bold(certificate.serial), effective: certificate.effectiveTime, expires: certificate.expireTime })}`,
    );
    lines.push(t('ops.certs.download.written', { file }));
  }
  lines.push('', t('ops.certs.download.addToConfig'), `  "platformCertificates": ${JSON.stringify(configPaths)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export interface KeyStatus {
  kind: VerificationKey['kind'];
  serial: string;
  source: string;
  not_after?: string;
  status: 'ok' | 'expiring' | 'expired' | 'not-yet-valid';
  warning?: string;
}

/**
 * The day a certificate ends, in China time as every other date a person reads here (doctor,
 * certs download): its UTC date can be the day before. (--json's not_after stays UTC ISO, as ever.)
 */
function chinaDate(date: Date): string {
  return formatChinaTime(date.getTime()).slice(0, 10);
}

/** A key's standing at `nowMs`: expired, expiring within 30 days, or fine. Public keys do not expire. */
export function keyStatus(key: VerificationKey, nowMs: number): KeyStatus {
  const base: KeyStatus = { kind: key.kind, serial: key.serial, source: key.source, status: 'ok' };
  if (!key.notAfter) return base;
  base.not_after = key.notAfter.toISOString();
  const days = Math.floor((key.notAfter.getTime() - nowMs) / DAY_MS);
  if (key.notAfter.getTime() <= nowMs) {
    return {
      ...base,
      status: 'expired',
      warning: t('ops.certs.expired', { serial: key.serial, date: chinaDate(key.notAfter) }),
    };
  }
  if (key.notBefore && key.notBefore.getTime() > nowMs) {
    return {
      ...base,
      status: 'not-yet-valid',
      warning: t('ops.certs.notYetValid', { serial: key.serial, from: formatChinaTime(key.notBefore.getTime()) }),
    };
  }
  if (days < EXPIRY_WARNING_DAYS) {
    return {
      ...base,
      status: 'expiring',
      warning: t('ops.certs.expiring', { serial: key.serial, days, date: chinaDate(key.notAfter) }),
    };
  }
  return base;
}

export async function runCertsList(options: GlobalOptions & { json?: boolean }, context: CommandContext): Promise<number> {
  const { io, colour } = context;
  const config = await loadCommandConfig(options, context, { requireVerificationKey: false });
  const statuses = config.verificationKeys.map((key) => keyStatus(key, io.now()));
  if (options.json) {
    io.stdout.write(`${jsonLine({ keys: statuses })}\n`);
  } else if (statuses.length === 0) {
    io.stdout.write(`${t('ops.certs.list.none')}\n`);
  } else {
    const lines = statuses.map((status) => {
      const kind = t('ops.certs.list.kind', { kind: status.kind });
      const expiry = status.not_after
        ? t('ops.certs.list.expires', { date: chinaDate(new Date(status.not_after)) })
        : t('ops.certs.list.neverExpires');
      const mark = status.status === 'ok' ? colour.green('✓') : colour.yellow('!');
      return `${mark} ${kind}  ${colour.bold(status.serial)}  ${expiry}  ${colour.dim(escapeInvisible(status.source))}`;
    });
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  for (const status of statuses)
    if (status.warning) warn(context, `CERTIFICATE_${status.status.toUpperCase().replace(/-/g, '_')}`, status.warning);
  if (statuses.length === 0) {
    warn(context, 'NO_VERIFICATION_KEY', t('ops.certs.list.noKeyWarning'));
  }
  return 0;
}
