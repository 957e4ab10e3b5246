/**
 * WeChat Pay platform certificates (P19): the signed `GET /v3/certificates`, AES-256-GCM
 * decryption with the APIv3 key, and the checks that make a downloaded certificate trustworthy.
 */
import { createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { ApiError, VerificationError } from './errors.js';
import { KeyMaterialError, loadCertificate, type LoadedCertificate, type VerificationKey } from './keys.js';
import type { WxpayClient } from './client.js';
import { Verifier } from './verify.js';

export const CERTIFICATES_PATH = '/v3/certificates';
const TAG_BYTES = 16;

export interface EncryptedResource {
  algorithm: string;
  nonce: string;
  associated_data?: string;
  ciphertext: string;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it: key = the 32-byte APIv3 key as ASCII, IV = the
 * nonce's bytes, AAD = associated_data, ciphertext = base64 with the 16-byte tag at the end.
 */
export function decryptResource(resource: EncryptedResource, apiv3Key: string): Buffer {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new DecryptionError(`algorithm ${resource.algorithm} is not supported (only AEAD_AES_256_GCM)`);
  }
  const key = Buffer.from(apiv3Key, 'utf8');
  if (key.length !== 32) throw new DecryptionError('the APIv3 key must be exactly 32 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new DecryptionError('the ciphertext is too short to hold a GCM tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(
      'the certificate cannot be decrypted with the configured APIv3 key (wrong key, or the data was altered); ' +
        'check apiv3Key (APIv3密钥) in the merchant platform',
    );
  }
}

/** The inverse of decryptResource; the sandbox uses it to serve certificates like WeChat Pay. */
export function encryptResource(plaintext: string, apiv3Key: string, associatedData = 'certificate'): EncryptedResource {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiv3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: associatedData, ciphertext: encrypted.toString('base64') };
}

export interface PlatformCertificate extends LoadedCertificate {
  /** As listed by WeChat Pay (RFC 3339, +08:00). */
  effectiveTime: string;
  expireTime: string;
}

interface Listing {
  serial_no?: unknown;
  effective_time?: unknown;
  expire_time?: unknown;
  encrypt_certificate?: unknown;
}

/** Decrypts every listed certificate and checks that its serial and validity match the listing. */
export function readCertificateListing(body: Buffer, apiv3Key: string, requestId?: string): PlatformCertificate[] {
  const fields = requestId ? { requestId } : {};
  const fail = (message: string, code: string): never => {
    throw new VerificationError(message, { code, ...fields });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return fail('the certificates answer is not JSON', 'BODY_NOT_JSON');
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) return fail('the certificates answer lists no certificate', 'CERTIFICATES_EMPTY');
  return data.map((item: Listing, index) => {
    const serial = typeof item.serial_no === 'string' ? item.serial_no.toUpperCase() : undefined;
    const resource = item.encrypt_certificate as EncryptedResource | undefined;
    if (!serial || typeof item.effective_time !== 'string' || typeof item.expire_time !== 'string' || !resource) {
      return fail(`certificate ${index} in the answer lacks serial_no, effective_time, expire_time or encrypt_certificate`, 'CERTIFICATE_LISTING_INVALID');
    }
    let pem: string;
    try {
      pem = decryptResource(resource, apiv3Key).toString('utf8');
    } catch (error) {
      return fail(`certificate ${serial}: ${(error as Error).message}`, 'CERTIFICATE_DECRYPTION_FAILED');
    }
    let certificate: LoadedCertificate;
    try {
      certificate = loadCertificate(pem);
    } catch (error) {
      return fail(`certificate ${serial}: the decrypted data ${(error as KeyMaterialError).message}`, 'CERTIFICATE_INVALID');
    }
    if (certificate.serial !== serial) {
      return fail(`the certificate listed as ${serial} decrypts to serial ${certificate.serial}`, 'CERTIFICATE_SERIAL_MISMATCH');
    }
    const sameInstant = (listed: string, actual: Date): boolean => Math.abs(Date.parse(listed) - actual.getTime()) < 1000;
    if (!sameInstant(item.effective_time, certificate.notBefore) || !sameInstant(item.expire_time, certificate.notAfter)) {
      return fail(
        `certificate ${serial} is valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}, ` +
          `but is listed as ${item.effective_time} to ${item.expire_time}`,
        'CERTIFICATE_VALIDITY_MISMATCH',
      );
    }
    return { ...certificate, effectiveTime: item.effective_time, expireTime: item.expire_time };
  });
}

export const PUBLIC_KEY_MODE_HINT =
  'This merchant has no platform certificates: it uses a WeChat Pay public key instead (微信支付公钥). ' +
  'Download it in the merchant platform under 账户中心 → API安全 → 微信支付公钥, then set publicKeyId (PUB_KEY_ID_…) and publicKey in the config.';

/**
 * Downloads and decrypts the platform certificates, then verifies the answer's signature
 * with the certificate it carries for its serial, or with a key already configured.
 * Nothing is returned unless the signature verifies.
 */
export async function downloadCertificates(client: WxpayClient, apiv3Key: string): Promise<PlatformCertificate[]> {
  let certificates: PlatformCertificate[] = [];
  try {
    await client.call('GET', CERTIFICATES_PATH, '', (body, requestId) => {
      certificates = readCertificateListing(body, apiv3Key, requestId);
      const carried: VerificationKey[] = certificates.map((certificate) => ({
        kind: 'certificate',
        serial: certificate.serial,
        key: certificate.key,
        source: 'the downloaded certificate',
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
      }));
      return new Verifier([...client.verifier.list(), ...carried]);
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'RESOURCE_NOT_EXISTS') {
      throw new ApiError(`WeChat Pay answered ${error.status} RESOURCE_NOT_EXISTS: ${PUBLIC_KEY_MODE_HINT}`, {
        code: error.code,
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
        ...(error.detail !== undefined ? { detail: error.detail } : {}),
      });
    }
    throw error;
  }
  return certificates;
}
