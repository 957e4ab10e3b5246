import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptResource, encryptResource, readCertificateListing, VerificationError } from '../dist/index.js';
import { fixture } from './helpers.js';

const vectors = JSON.parse(fixture('wechatpay-java', 'vectors.json'));
const responseText = fixture('wechatpay-java', 'certificates_response.json');
const listing = JSON.parse(responseText);

test('decrypts the wechatpay-java certificates response to serial 5DEA10EF… (P19)', () => {
  const certificates = readCertificateListing(Buffer.from(responseText), vectors.apiv3_key);
  assert.equal(certificates.length, 1);
  assert.equal(certificates[0].serial, vectors.expected_serial);
  assert.equal(certificates[0].effectiveTime, '2023-09-19T23:15:58+08:00');
  assert.equal(certificates[0].expireTime, '2028-09-17T23:15:58+08:00');
  assert.match(certificates[0].pem, /^-----BEGIN CERTIFICATE-----/);
});

function listingCode(text, key = vectors.apiv3_key) {
  try {
    readCertificateListing(Buffer.from(text), key, 'REQ');
  } catch (error) {
    assert.ok(error instanceof VerificationError, String(error));
    assert.equal(error.requestId, 'REQ');
    return error.code;
  }
  assert.fail('expected the listing to be refused');
}

test('a wrong APIv3 key, a flipped ciphertext byte, or a changed AAD fails decryption', () => {
  assert.equal(listingCode(responseText, 'b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb'), 'CERTIFICATE_DECRYPTION_FAILED');
  const flipped = structuredClone(listing);
  const bytes = Buffer.from(flipped.data[0].encrypt_certificate.ciphertext, 'base64');
  bytes[10] ^= 1;
  flipped.data[0].encrypt_certificate.ciphertext = bytes.toString('base64');
  assert.equal(listingCode(JSON.stringify(flipped)), 'CERTIFICATE_DECRYPTION_FAILED');
  const aad = structuredClone(listing);
  aad.data[0].encrypt_certificate.associated_data = 'other';
  assert.equal(listingCode(JSON.stringify(aad)), 'CERTIFICATE_DECRYPTION_FAILED');
});

test('a listing whose serial or validity does not match the decrypted certificate is refused', () => {
  const serial = structuredClone(listing);
  serial.data[0].serial_no = '0000000000000000000000000000000000000000';
  assert.equal(listingCode(JSON.stringify(serial)), 'CERTIFICATE_SERIAL_MISMATCH');
  const validity = structuredClone(listing);
  validity.data[0].expire_time = '2030-09-17T23:15:58+08:00';
  assert.equal(listingCode(JSON.stringify(validity)), 'CERTIFICATE_VALIDITY_MISMATCH');
  assert.equal(listingCode('{"data":[]}'), 'CERTIFICATES_EMPTY');
  assert.equal(listingCode('not json'), 'BODY_NOT_JSON');
});

test('encryptResource and decryptResource are inverse', () => {
  const resource = encryptResource('hello 证书', vectors.apiv3_key);
  assert.equal(resource.nonce.length, 12);
  assert.equal(decryptResource(resource, vectors.apiv3_key).toString('utf8'), 'hello 证书');
  assert.throws(() => decryptResource({ ...resource, algorithm: 'AES_128' }, vectors.apiv3_key), /only AEAD_AES_256_GCM/);
});
