/**
 * WeChat Pay platform certificates (P19): the signed `GET /v3/certificates`, AES-256-GCM
 * decryption with the APIv3 key, and the checks that make a downloaded certificate trustworthy.
 */
import { ApiError, VerificationError } from './errors.js';
import { KeyMaterialError, loadCertificate, type LoadedCertificate, type VerificationKey } from './keys.js';
import type { WxpayClient } from './client.js';
import { Verifier } from './verify.js';
import { decryptResource, type EncryptedResource } from './aead.js';

// The AES-256-GCM scheme lives in aead.ts (notifications use it too); re-exported where it always was.
export { DecryptionError, decryptResource, encryptResource, type EncryptedResource } from './aead.js';

export const CERTIFICATES_PATH = '/v3/certificates';

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
      return fail(
        `certificate ${index} in the answer lacks serial_no, effective_time, expire_time or encrypt_certificate`,
        'CERTIFICATE_LISTING_INVALID',
      );
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
      const status = error.status === undefined ? '' : `${error.status} `;
      throw new ApiError(`WeChat Pay answered ${status}RESOURCE_NOT_EXISTS: ${PUBLIC_KEY_MODE_HINT}`, {
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
