/**
 * Loading key material: the merchant private key, WeChat Pay public keys and platform
 * certificates. Errors name where the key came from, never its contents.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { t } from './i18n/index.js';

export const MIN_RSA_BITS = 2048;

export type VerificationKeyKind = 'public-key' | 'certificate';

/** A key WeChat Pay may sign answers with, picked by the answer's `Wechatpay-Serial` (P15, P17). */
export interface VerificationKey {
  kind: VerificationKeyKind;
  /** `PUB_KEY_ID_…` for a public key, the 40-hex certificate serial for a certificate. */
  serial: string;
  key: KeyObject;
  /** Where it was configured, for messages (`.wxpayrc.json: publicKey`). */
  source: string;
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * True when `key` (a public key or a certificate's) is the public half of `privateKey`: the
 * merchant's own key (apiclient_cert.pem's) given where WeChat Pay's key belongs.
 */
export function isPublicHalfOf(key: KeyObject, privateKey: KeyObject): boolean {
  const der = (candidate: KeyObject): Buffer => candidate.export({ type: 'spki', format: 'der' });
  return der(key).equals(der(createPublicKey(privateKey)));
}

/** Thrown by the loaders; the config layer turns it into a ConfigProblem with its source. */
export class KeyMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyMaterialError';
  }
}

/**
 * PEM text anywhere in a value makes it PEM: OpenSSL skips what comes before the BEGIN line
 * (`openssl pkcs12 -nodes` writes attribute lines there), and no file path holds a BEGIN line.
 */
export function isPem(value: string): boolean {
  return value.includes('-----BEGIN ');
}

function pemLabel(pem: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
}

/** A private key's label: the private key block wherever it is (a pkcs12 export puts the certificate first). */
function privateKeyLabel(pem: string): string | undefined {
  return /-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----/.exec(pem)?.[1] ?? pemLabel(pem);
}

/** Parses a PEM merchant private key; it must be RSA of at least 2048 bits. */
export function loadPrivateKey(pem: string): KeyObject {
  const label = privateKeyLabel(pem);
  if (label === 'CERTIFICATE') {
    throw new KeyMaterialError(t('config.key.certificateNotPrivate'));
  }
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
    throw new KeyMaterialError(t('config.key.publicNotPrivate'));
  }
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyMaterialError(t('config.key.encrypted'));
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyMaterialError(t('config.key.unreadablePrivate'));
  }
  return checkRsa(key, 'private');
}

/** Parses a PEM public key (SPKI, or PKCS#1 `RSA PUBLIC KEY`); it must be RSA of at least 2048 bits. */
export function loadPublicKey(pem: string): KeyObject {
  const label = pemLabel(pem);
  if (label === 'CERTIFICATE') {
    throw new KeyMaterialError(t('config.key.certificateNotPublic'));
  }
  if (label !== undefined && /PRIVATE KEY/.test(label)) {
    throw new KeyMaterialError(t('config.key.privateNotPublic'));
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyMaterialError(t('config.key.unreadablePublic'));
  }
  return checkRsa(key, 'public');
}

export interface LoadedCertificate {
  serial: string;
  key: KeyObject;
  notBefore: Date;
  notAfter: Date;
  pem: string;
}

/** Parses a PEM certificate and reads its serial (upper-case hex, as WeChat Pay writes it). */
export function loadCertificate(pem: string): LoadedCertificate {
  const label = pemLabel(pem);
  if (label !== 'CERTIFICATE') {
    throw new KeyMaterialError(label ? t('config.key.notCertificate', { label }) : t('config.key.notPemCertificate'));
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new KeyMaterialError(t('config.key.unreadableCertificate'));
  }
  const key = checkRsa(certificate.publicKey, 'certificate');
  return {
    serial: normalizeSerial(certificate.serialNumber),
    key,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    pem,
  };
}

/** Certificate serials are compared as upper-case hex without leading zero padding differences. */
export function normalizeSerial(serial: string): string {
  return serial.toUpperCase();
}

function checkRsa(key: KeyObject, what: 'private' | 'public' | 'certificate'): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyMaterialError(t('config.key.notRsa', { type: String(key.asymmetricKeyType).toUpperCase(), what, bits: MIN_RSA_BITS }));
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyMaterialError(t('config.key.short', { bits, what, min: MIN_RSA_BITS }));
  }
  return key;
}
