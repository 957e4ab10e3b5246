/** `wxpay-coupon certs download|list`: WeChat Pay platform certificates and the keys the config holds. */
import { rename, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../errors.js';
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
import { parseNetworkOptions } from './flags.js';
import { warn } from '../output.js';

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertsDownloadOptions extends NetworkOptions {
  out?: string;
  json?: boolean;
}

/** Writes a file so that readers see the old content or the new, never half of it. */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { mode, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function runCertsDownload(options: CertsDownloadOptions, context: CommandContext): Promise<number> {
  const { io, colour } = context;
  const config = await loadCommandConfig(options, context, { ...parseNetworkOptions(options), requireVerificationKey: false });
  if (!config.apiv3Key) {
    throw new ConfigError([
      {
        source: 'apiv3Key',
        message: 'is missing: downloading platform certificates needs the APIv3 key (APIv3密钥) to decrypt them (set "apiv3Key" or WXPAY_APIV3_KEY)',
      },
    ]);
  }
  const client = createClient(credentialsOf(config), clientSettingsOf(config, options.verbose), context);
  let certificates;
  try {
    certificates = await downloadCertificates(client, config.apiv3Key);
  } finally {
    await client.close();
  }
  const folder = path.resolve(io.cwd, options.out ?? '.');
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const certificate of certificates) {
    const file = path.join(folder, `wechatpay_${certificate.serial}.pem`);
    await writeAtomically(file, certificate.pem.endsWith('\n') ? certificate.pem : `${certificate.pem}\n`, 0o644);
    written.push(file);
  }
  // Paths as a config file next to the working directory would name them.
  const configPaths = written.map((file) => {
    const relative = path.relative(io.cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : `./${relative}`;
  });
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({
        certificates: certificates.map((certificate, index) => ({
          serial: certificate.serial,
          effective_time: certificate.effectiveTime,
          expire_time: certificate.expireTime,
          file: written[index],
        })),
        config: { platformCertificates: configPaths },
      })}\n`,
    );
    return 0;
  }
  const lines: string[] = [];
  certificates.forEach((certificate, index) => {
    lines.push(`${colour.green('✓')} ${colour.bold(certificate.serial)}  effective ${certificate.effectiveTime}  expires ${certificate.expireTime}`);
    lines.push(`  written to ${written[index]}`);
  });
  lines.push('', 'Add to your config:', `  "platformCertificates": ${JSON.stringify(configPaths)}`);
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
      warning: `certificate ${key.serial} expired on ${base.not_after.slice(0, 10)}; run 'wxpay-coupon certs download' or move to a WeChat Pay public key`,
    };
  }
  if (key.notBefore && key.notBefore.getTime() > nowMs) {
    return { ...base, status: 'not-yet-valid', warning: `certificate ${key.serial} is not valid before ${key.notBefore.toISOString()}` };
  }
  if (days < EXPIRY_WARNING_DAYS) {
    return {
      ...base,
      status: 'expiring',
      warning: `certificate ${key.serial} expires in ${days} day${days === 1 ? '' : 's'} (${base.not_after.slice(0, 10)}); run 'wxpay-coupon certs download'`,
    };
  }
  return base;
}

export async function runCertsList(options: GlobalOptions & { json?: boolean }, context: CommandContext): Promise<number> {
  const { io, colour } = context;
  const config = await loadCommandConfig(options, context, { requireVerificationKey: false });
  const statuses = config.verificationKeys.map((key) => keyStatus(key, io.now()));
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ keys: statuses })}\n`);
  } else if (statuses.length === 0) {
    io.stdout.write('No WeChat Pay verification key is configured.\n');
  } else {
    const lines = statuses.map((status) => {
      const kind = status.kind === 'public-key' ? 'public key ' : 'certificate';
      const expiry = status.not_after ? `expires ${status.not_after.slice(0, 10)}` : 'does not expire';
      const mark = status.status === 'ok' ? colour.green('✓') : colour.yellow('!');
      return `${mark} ${kind}  ${colour.bold(status.serial)}  ${expiry}  ${colour.dim(status.source)}`;
    });
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  for (const status of statuses) if (status.warning) warn(context, `CERTIFICATE_${status.status.toUpperCase().replace(/-/g, '_')}`, status.warning);
  if (statuses.length === 0) {
    warn(context, 'NO_VERIFICATION_KEY', "answers cannot be verified; set publicKeyId + publicKey, or run 'wxpay-coupon certs download'");
  }
  return 0;
}
