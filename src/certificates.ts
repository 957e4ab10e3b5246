/**
 * WeChat Pay platform certificates (P19): the signed `GET /v3/certificates`, AES-256-GCM
 * decryption with the APIv3 key, and the checks that make a downloaded certificate trustworthy.
 */
import { ApiError, VerificationError } from './errors.js';
import { KeyMaterialError, loadCertificate, type LoadedCertificate, type VerificationKey } from './keys.js';
import type { WxpayClient } from './client.js';
import { Verifier } from './verify.js';
import { decryptResource, type EncryptedResource } from './aead.js';
import { t } from './i18n/index.js';
import { isNoPlatformCertificates } from './hints.js';

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
    return fail(t('ops.certificates.notJson'), 'BODY_NOT_JSON');
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0) return fail(t('ops.certificates.empty'), 'CERTIFICATES_EMPTY');
  return data.map((item: Listing, index) => {
    const serial = typeof item.serial_no === 'string' ? item.serial_no.toUpperCase() : undefined;
    const resource = item.encrypt_certificate as EncryptedResource | undefined;
    if (!serial || typeof item.effective_time !== 'string' || typeof item.expire_time !== 'string' || !resource) {
      return fail(t('ops.certificates.listingInvalid', { index }), 'CERTIFICATE_LISTING_INVALID');
    }
    let pem: string;
    try {
      pem = decryptResource(resource, apiv3Key).toString('utf8');
    } catch (error) {
      return fail(t('ops.certificates.decryptionFailed', { serial, reason: (error as Error).message }), 'CERTIFICATE_DECRYPTION_FAILED');
    }
    let certificate: LoadedCertificate;
    try {
      certificate = loadCertificate(pem);
    } catch (error) {
      return fail(t('ops.certificates.invalid', { serial, reason: (error as KeyMaterialError).message }), 'CERTIFICATE_INVALID');
    }
    if (certificate.serial !== serial) {
      return fail(t('ops.certificates.serialMismatch', { listed: serial, actual: certificate.serial }), 'CERTIFICATE_SERIAL_MISMATCH');
    }
    const sameInstant = (listed: string, actual: Date): boolean => Math.abs(Date.parse(listed) - actual.getTime()) < 1000;
    if (!sameInstant(item.effective_time, certificate.notBefore) || !sameInstant(item.expire_time, certificate.notAfter)) {
      return fail(
        t('ops.certificates.validityMismatch', {
          serial,
          from: certificate.notBefore.toISOString(),
          to: certificate.notAfter.toISOString(),
          listedFrom: item.effective_time,
          listedTo: item.expire_time,
        }),
        'CERTIFICATE_VALIDITY_MISMATCH',
      );
    }
    return { ...certificate, effectiveTime: item.effective_time, expireTime: item.expire_time };
  });
}

/**
 * Downloads and decrypts the platform certificates, then verifies the answer's signature
 * with the certificate it carries for its serial, or with a key already configured.
 * Nothing is returned unless the signature verifies.
 */
export async function downloadCertificates(client: WxpayClient, apiv3Key: string): Promise<PlatformCertificate[]> {
  let certificates: PlatformCertificate[] = [];
  const configured = client.verifier.list();
  try {
    await client.call('GET', CERTIFICATES_PATH, '', {
      verifierFor: (body, requestId) => {
        certificates = readCertificateListing(body, apiv3Key, requestId);
        const carried: VerificationKey[] = certificates.map((certificate) => ({
          kind: 'certificate',
          serial: certificate.serial,
          key: certificate.key,
          source: t('ops.certificates.downloadedSource'),
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter,
        }));
        return new Verifier([...configured, ...carried]);
      },
      // With a key configured, the 404 of a public-key merchant is verified before it is explained (P27);
      // before any key is configured nothing can be, and the advice is what to do anyway.
      ...(configured.length > 0 ? { verifyStatuses: [404] } : {}),
    });
  } catch (error) {
    // Only GET /v3/certificates' own answer to a public-key merchant (P19): 404, 无可用的平台证书.
    if (error instanceof ApiError && error.status === 404 && isNoPlatformCertificates(error.code, error.serverMessage))
      throw publicKeyMerchantError(error, client);
    throw error;
  }
  return certificates;
}

/**
 * The 404 RESOURCE_NOT_EXISTS of GET /v3/certificates (P19), said as what it proves (P27): unsigned,
 * not WeChat Pay's word; verified with a configured public key, that this key is all the merchant
 * needs; not checked (no key configured yet), what to get and set. Verified with a platform
 * certificate, it contradicts itself, and is passed on as received.
 */
function publicKeyMerchantError(error: ApiError, client: WxpayClient): ApiError {
  if (error.signature === 'verified' && error.signedBy?.kind !== 'public-key') return error;
  const message =
    error.signature === 'absent'
      ? t('ops.certificates.unsigned', { baseUrl: String(client.baseUrl).replace(/\/$/, ''), status: error.status })
      : error.signedBy
        ? t('ops.certificates.publicKeyConfigured', { status: error.status, publicKeyId: error.signedBy.serial })
        : t('ops.certificates.publicKeyMerchant', { status: error.status });
  return new ApiError(message, {
    code: error.code,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  });
}
