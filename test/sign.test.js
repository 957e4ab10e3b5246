import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  buildMessage,
  generateNonce,
  parseAuthorization,
  requestMessage,
  signMessage,
  signRequest,
  verifySignature,
} from '../dist/index.js';
import { fixture } from './helpers.js';

const goVector = JSON.parse(fixture('wechatpay-go', 'sign.json'));
const goPrivateKey = createPrivateKey(fixture('wechatpay-go', 'private_key.pem'));

test('reproduces the wechatpay-go known signature of "source" (P10)', () => {
  assert.equal(signMessage(goVector.message, goPrivateKey), goVector.signature);
});

test('a request message ends every line with LF, the last one too (P9)', () => {
  assert.equal(
    requestMessage('post', '/v3/industry-coupon/tokens', '1554208460', 'NONCE', '{"a":1}'),
    'POST\n/v3/industry-coupon/tokens\n1554208460\nNONCE\n{"a":1}\n',
  );
  assert.equal(requestMessage('GET', '/v3/certificates', '1', 'N', ''), 'GET\n/v3/certificates\n1\nN\n\n');
  assert.equal(buildMessage(['a', 'b']), 'a\nb\n');
});

test('nonces are 32 characters of [0-9A-Za-z] and do not repeat (P10)', () => {
  const seen = new Set();
  for (let i = 0; i < 2000; i += 1) {
    const nonce = generateNonce();
    assert.match(nonce, /^[0-9A-Za-z]{32}$/);
    seen.add(nonce);
  }
  assert.equal(seen.size, 2000);
});

test('signRequest builds the Authorization header that WeChat Pay parses (P8)', () => {
  const signed = signRequest({
    mchid: '1900000001',
    serial: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
    privateKey: goPrivateKey,
    method: 'POST',
    url: '/v3/industry-coupon/tokens',
    body: '{}',
    timestamp: 1554208460,
    nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
  });
  assert.equal(signed.message, 'POST\n/v3/industry-coupon/tokens\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{}\n');
  assert.match(
    signed.authorization,
    /^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[A-Za-z0-9+/]+={0,2}",timestamp="1554208460",serial_no="5F1C72E2A8931B72A2E13AF8DEE92471EB397115"$/,
  );
  const fields = parseAuthorization(signed.authorization);
  assert.deepEqual(fields, {
    mchid: '1900000001',
    nonce_str: '593BEC0C930BF1AFEB40B4A08C8FB242',
    signature: signed.signature,
    timestamp: '1554208460',
    serial_no: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
  });
  assert.ok(verifySignature(signed.message, signed.signature, createPublicKey(goPrivateKey)));
});

test('parseAuthorization accepts fields in any order and rejects malformed headers (P8)', () => {
  const header = 'WECHATPAY2-SHA256-RSA2048 serial_no="AB",timestamp="1",signature="c2ln",nonce_str="n",mchid="1"';
  assert.equal(parseAuthorization(header)?.serial_no, 'AB');
  assert.equal(parseAuthorization('Bearer x'), undefined);
  assert.equal(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1"'), undefined);
  assert.equal(parseAuthorization(`${header},mchid="2"`), undefined);
});

test('property: sign-then-verify holds for random bodies, and any single-byte change fails', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, delta) => {
      const message = Buffer.from(requestMessage('POST', '/v3/industry-coupon/tokens', '1700000000', 'N', body), 'utf8');
      const signature = signMessage(message, privateKey);
      assert.ok(verifySignature(message, signature, publicKey));
      const changed = Buffer.from(message);
      const index = at % changed.length;
      changed[index] = (changed[index] + delta) % 256;
      assert.equal(verifySignature(changed, signature, publicKey), false);
    }),
    { numRuns: 60 },
  );
});
