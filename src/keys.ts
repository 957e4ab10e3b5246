/**
 * Loading key material: the merchant private key, WeChat Pay public keys and platform
 * certificates. Errors name where the key came from, never its contents.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

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
    throw new KeyMaterialError('is a certificate, not a private key; use the apiclient_key.pem file from the merchant platform');
  }
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
    throw new KeyMaterialError('is a public key, not a private key; use the apiclient_key.pem file');
  }
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new KeyMaterialError('is encrypted with a passphrase; decrypt it once with `openssl pkey -in <file> -out <file>`');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyMaterialError('is not a readable PEM private key (truncated or damaged?)');
  }
  return checkRsa(key, 'private key');
}

/** Parses a PEM public key (SPKI, or PKCS#1 `RSA PUBLIC KEY`); it must be RSA of at least 2048 bits. */
export function loadPublicKey(pem: string): KeyObject {
  const label = pemLabel(pem);
  if (label === 'CERTIFICATE') {
    throw new KeyMaterialError('is a certificate; put it under platformCertificates, not publicKey');
  }
  if (label !== undefined && /PRIVATE KEY/.test(label)) {
    throw new KeyMaterialError('is a private key, not WeChat Pay\u2019s public key; use pub_key.pem from the merchant platform');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyMaterialError('is not a readable PEM public key (truncated or damaged?)');
  }
  return checkRsa(key, 'public key');
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
    throw new KeyMaterialError(
      label ? `is a ${label.toLowerCase()}, not a certificate` : 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new KeyMaterialError('is not a readable certificate (truncated or damaged?)');
  }
  const key = checkRsa(certificate.publicKey, 'certificate key');
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

function checkRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyMaterialError(
      `is an ${String(key.asymmetricKeyType).toUpperCase()} ${what}; WeChat Pay APIv3 needs RSA (${MIN_RSA_BITS} bits or more)`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KeyMaterialError(`is a ${bits}-bit RSA ${what}; WeChat Pay APIv3 needs ${MIN_RSA_BITS} bits or more`);
  }
  return key;
}
