/**
 * Just enough DER to make a self-signed X.509 v3 certificate for the sandbox's platform
 * certificate mode, with node:crypto only (no certificate package, no openssl at run time).
 * Never used outside the sandbox.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);

function integer(bytes: Buffer): Buffer {
  // A positive INTEGER must not start with a set top bit.
  return tlv(0x02, bytes[0] !== undefined && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function objectIdentifier(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [(parts[0] as number) * 40 + (parts[1] as number)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = part >>> 7; rest > 0; rest >>>= 7) chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const text =
    pad(date.getUTCFullYear() % 100) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string, organization: string): Buffer {
  const attribute = (oid: string, value: Buffer): Buffer => set(sequence(objectIdentifier(oid), value));
  return sequence(
    attribute('2.5.4.6', tlv(0x13, Buffer.from('CN', 'ascii'))),
    attribute('2.5.4.10', tlv(0x0c, Buffer.from(organization, 'utf8'))),
    attribute('2.5.4.3', tlv(0x0c, Buffer.from(commonName, 'utf8'))),
  );
}

const SHA256_WITH_RSA = sequence(objectIdentifier('1.2.840.113549.1.1.11'), nullValue());

export interface SelfSignedCertificate {
  pem: string;
  /** Upper-case hex, 40 digits, like WeChat Pay's platform certificate serials. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

/** A subjectAltName extension naming DNS names and IPv4 addresses, for a TLS server certificate. */
function subjectAltName(dnsNames: readonly string[], ipAddresses: readonly string[]): Buffer {
  const names = [
    ...dnsNames.map((name) => tlv(0x82, Buffer.from(name, 'ascii'))),
    ...ipAddresses.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  ];
  return sequence(objectIdentifier('2.5.29.17'), tlv(0x04, sequence(...names)));
}

export function createSelfSignedCertificate(options: {
  publicKey: KeyObject;
  privateKey: KeyObject;
  commonName: string;
  organization?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** For a TLS server: the host names and IPv4 addresses it answers for. */
  altNames?: { dns?: readonly string[]; ip?: readonly string[] };
}): SelfSignedCertificate {
  const serialBytes = randomBytes(20);
  // Keep the top bit clear (a positive INTEGER of exactly 20 bytes) and the first byte non-zero.
  serialBytes[0] = ((serialBytes[0] as number) & 0x7f) | 0x10;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 24 * 60 * 60 * 1000);
  const subject = name(options.commonName, options.organization ?? 'wxpay-coupon sandbox');
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serialBytes),
    SHA256_WITH_RSA,
    subject,
    sequence(utcTime(notBefore), utcTime(notAfter)),
    subject,
    spki,
    ...(options.altNames ? [tlv(0xa3, sequence(subjectAltName(options.altNames.dns ?? [], options.altNames.ip ?? [])))] : []),
  );
  const signature = sign('sha256', tbs, options.privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
    serial: serialBytes.toString('hex').toUpperCase(),
    notBefore,
    notAfter,
  };
}
