/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for every encrypted resource: the platform
 * certificates listing (P19) and callback notifications (P23). One implementation for both.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { t } from './i18n/index.js';

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
 * Key = the 32-byte APIv3 key as ASCII, IV = the nonce's bytes, AAD = associated_data,
 * ciphertext = base64 with the 16-byte tag at the end. `what` names the data in the message.
 */
export function decryptResource(resource: EncryptedResource, apiv3Key: string, what = t('notify.aead.certificate')): Buffer {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new DecryptionError(t('notify.aead.algorithm', { algorithm: resource.algorithm }));
  }
  const key = Buffer.from(apiv3Key, 'utf8');
  if (key.length !== 32) throw new DecryptionError(t('notify.aead.keyLength'));
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new DecryptionError(t('notify.aead.tooShort', { what }));
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(t('notify.aead.failed', { what }));
  }
}

/** The inverse of decryptResource; the sandbox uses it to serve certificates and send notifications like WeChat Pay. */
export function encryptResource(plaintext: string | Uint8Array, apiv3Key: string, associatedData = 'certificate'): EncryptedResource {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiv3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const encrypted = Buffer.concat([cipher.update(input), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: associatedData, ciphertext: encrypted.toString('base64') };
}
