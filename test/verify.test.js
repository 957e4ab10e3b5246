import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  Verifier,
  VerificationError,
  buildMessage,
  loadCertificate,
  loadPublicKey,
  signMessage,
  verifySignature,
  responseMessage,
} from '../dist/index.js';
import { fixture } from './helpers.js';
import fc from 'fast-check';
import { isStrictBase64 } from '../dist/verify.js';

const goVector = JSON.parse(fixture('wechatpay-go', 'sign.json'));

test('the known signature verifies with the wechatpay-go certificate and with its public key', () => {
  const certificate = loadCertificate(fixture('wechatpay-go', 'certificate.pem'));
  assert.equal(certificate.serial, goVector.certificate_serial);
  assert.ok(verifySignature(goVector.message, goVector.signature, certificate.key));
  assert.ok(verifySignature(goVector.message, goVector.signature, loadPublicKey(fixture('wechatpay-go', 'public_key.pem'))));
});

test('a wrong message, an empty, a non-base64 or a probe signature all fail without throwing (P16)', () => {
  const key = loadPublicKey(fixture('wechatpay-go', 'public_key.pem'));
  assert.equal(verifySignature('source2', goVector.signature, key), false);
  assert.equal(verifySignature(goVector.message, '', key), false);
  assert.equal(verifySignature(goVector.message, '!!!not base64!!!', key), false);
  assert.equal(verifySignature(goVector.message, 'WECHATPAY/SIGNTEST/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg==', key), false);
  assert.equal(verifySignature(goVector.message, 'WECHATPAY/SIGNTEST/', key), false);
  assert.equal(verifySignature(goVector.message, goVector.signature.slice(0, -4), key), false);
});

// A Verifier over the wechatpay-java WeChat Pay key, both as a public key and as a certificate.
const wechatpayPrivate = createPrivateKey(fixture('wechatpay-java', 'wechat_pay_private_key.pem'));
const certificate = loadCertificate(fixture('wechatpay-java', 'wechat_pay_certificate.pem'));
const PUBLIC_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const verifier = new Verifier([
  {
    kind: 'public-key',
    serial: PUBLIC_KEY_ID,
    key: loadPublicKey(fixture('wechatpay-java', 'wechat_pay_public_key.pem')),
    source: 'test: publicKey',
  },
  { kind: 'certificate', serial: certificate.serial, key: certificate.key, source: 'test: platformCertificates[0]' },
]);
const NOW = 1_700_000_000;

function signedHeaders(body, { serial = PUBLIC_KEY_ID, timestamp = NOW, nonce = 'NONCE123', key = wechatpayPrivate } = {}) {
  const headers = {
    'wechatpay-timestamp': String(timestamp),
    'wechatpay-nonce': nonce,
    'wechatpay-serial': serial,
    'wechatpay-signature': signMessage(buildMessage([String(timestamp), nonce, body]), key),
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
  return headers;
}

function verifyWith(headers, body, now = NOW) {
  return verifier.verify((name) => headers[name], Buffer.from(body, 'utf8'), now, 'REQ-1');
}

function verificationCode(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof VerificationError, `expected a VerificationError, got ${error}`);
    assert.equal(error.exitCode, 5);
    assert.equal(error.requestId, 'REQ-1');
    return { code: error.code, message: error.message };
  }
  assert.fail('verification should have failed');
}

test('the certificate serial is read from the certificate', () => {
  assert.equal(certificate.serial, '440024045C4A427599D09BB4E3DE0279F2E813FD');
});

test('verifies an answer signed for the public key id and for the certificate serial (P15, P17)', () => {
  const body = '{"token":"t","expires_time":"2015-05-20T13:29:35+08:00"}';
  assert.equal(verifyWith(signedHeaders(body), body).key.kind, 'public-key');
  assert.equal(verifyWith(signedHeaders(body, { serial: certificate.serial }), body).key.kind, 'certificate');
});

test('verifies over the raw body bytes, including non-ASCII text (P15)', () => {
  const body = '{"message":"券ID存在重复","token":"t"}';
  assert.equal(verifyWith(signedHeaders(body), body).serial, PUBLIC_KEY_ID);
  assert.ok(responseMessage('1', 'n', Buffer.from('é')).equals(Buffer.from('1\nn\né\n')));
});

test('each missing signature header is named (P13)', () => {
  const body = '{}';
  for (const name of ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial']) {
    const headers = signedHeaders(body);
    delete headers[name];
    const { code, message } = verificationCode(() => verifyWith(headers, body));
    assert.equal(code, 'SIGNATURE_HEADERS_MISSING');
    assert.match(message.toLowerCase(), new RegExp(name));
  }
});

test('timestamp: 300 s off is accepted, 301 s is rejected before the signature is checked (P14)', () => {
  const body = '{}';
  assert.ok(verifyWith(signedHeaders(body, { timestamp: NOW - 300 }), body));
  assert.ok(verifyWith(signedHeaders(body, { timestamp: NOW + 300 }), body));
  const stale = signedHeaders(body, { timestamp: NOW - 301 });
  stale['wechatpay-signature'] = 'AAAA';
  assert.equal(verificationCode(() => verifyWith(stale, body)).code, 'TIMESTAMP_STALE');
  assert.equal(verificationCode(() => verifyWith(signedHeaders(body, { timestamp: NOW + 301 }), body)).code, 'TIMESTAMP_STALE');
  const notNumber = signedHeaders(body);
  notNumber['wechatpay-timestamp'] = '17e8';
  assert.equal(verificationCode(() => verifyWith(notNumber, body)).code, 'TIMESTAMP_INVALID');
});

test('an unknown serial names the serial and the configured ones (P15)', () => {
  const { message, code } = verificationCode(() => verifyWith(signedHeaders('{}', { serial: 'PUB_KEY_ID_0999' }), '{}'));
  assert.equal(code, 'SERIAL_UNKNOWN');
  assert.match(message, /PUB_KEY_ID_0999/);
  assert.match(message, new RegExp(`${PUBLIC_KEY_ID}, ${certificate.serial}`));
});

test('a forged signature, a tampered body and a probe signature are rejected (P12, P16)', () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.equal(verificationCode(() => verifyWith(signedHeaders('{}', { key: other }), '{}')).code, 'SIGNATURE_INVALID');
  assert.equal(verificationCode(() => verifyWith(signedHeaders('{"token":"a"}'), '{"token":"b"}')).code, 'SIGNATURE_INVALID');
  const probe = signedHeaders('{}');
  probe['wechatpay-signature'] = 'WECHATPAY/SIGNTEST/ABCDEFGHIJ';
  assert.equal(verificationCode(() => verifyWith(probe, '{}')).code, 'SIGNATURE_INVALID');
});

test('a signature type other than WECHATPAY2-SHA256-RSA2048 is refused', () => {
  const headers = signedHeaders('{}');
  headers['wechatpay-signature-type'] = 'WECHATPAY2-SM2-WITH-SM3';
  assert.equal(verificationCode(() => verifyWith(headers, '{}')).code, 'SIGNATURE_TYPE_UNSUPPORTED');
});

test('isStrictBase64 accepts exactly what the grouped pattern of canonical padded base64 accepts', () => {
  const grouped = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const characters = [...'AZaz09+/=', '-', '_', ' ', '\n'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...characters), { maxLength: 14 }), (chars) => {
      const text = chars.join('');
      assert.equal(isStrictBase64(text), grouped.test(text), JSON.stringify(text));
    }),
    { numRuns: 20_000 },
  );
  for (const text of ['AB==', 'ABC=', 'ABCD', '', 'A===', 'AB=C', '====', 'ABC', 'AB=', 'ABCDE===']) {
    assert.equal(isStrictBase64(text), grouped.test(text), text);
  }
});

test('a token answer: the token one printable ASCII word, expires_time RFC 3339, not expired on arrival (P5; hostile check, helper-37)', async () => {
  const { readTokenAnswer } = await import('../dist/index.js');
  const read = (answer, now) => readTokenAnswer(Buffer.from(JSON.stringify(answer)), 'RID', now);
  const codeOf = (answer, now) => {
    try {
      read(answer, now);
    } catch (error) {
      return [error.exitCode, error.code];
    }
    return 'accepted';
  };
  const now = Date.parse('2026-12-03T12:00:00+08:00');
  assert.equal(read({ token: 'Ab-_9+/=', expires_time: '2026-12-03T14:00:00+08:00' }, now).token, 'Ab-_9+/=');
  assert.equal(read({ token: 't', expires_time: '2026-12-03T04:00:00.5Z' }, now).expires_time, '2026-12-03T04:00:00.5Z');
  for (const token of ['a b', 'a\nb', 'a\u001b[2Jb', 'tök', '\u00a0t'])
    assert.deepEqual(codeOf({ token, expires_time: '2026-12-03T14:00:00+08:00' }, now), [5, 'TOKEN_INVALID'], token);
  for (const expires of ['yesterday', '2026-12-03 14:00:00', '2026-13-03T14:00:00+08:00', 7200, null])
    assert.deepEqual(codeOf({ token: 't', expires_time: expires }, now), [5, 'EXPIRES_TIME_INVALID'], String(expires));
  assert.deepEqual(codeOf({ token: 't', expires_time: '2026-12-03T11:54:00+08:00' }, now), [5, 'TOKEN_EXPIRED']);
  // Within the five minutes the verified answer's timestamp may differ from this clock (P14): kept.
  assert.equal(codeOf({ token: 't', expires_time: '2026-12-03T11:56:00+08:00' }, now), 'accepted');
  assert.equal(codeOf({ token: 't', expires_time: '2020-01-01T00:00:00+08:00' }), 'accepted', 'no clock given: not judged');
});

test('a key given twice: refused in a signed token answer (BODY_DUPLICATE_KEY), and by the lossless parser for input (hostile check, helper-37)', async () => {
  const { readTokenAnswer, parseLosslessJson } = await import('../dist/index.js');
  assert.throws(
    () => readTokenAnswer(Buffer.from('{"token":"first","token":"second","expires_time":"2026-12-03T14:00:00+08:00"}')),
    (error) => error.exitCode === 5 && error.code === 'BODY_DUPLICATE_KEY',
  );
  assert.throws(() => parseLosslessJson('{"a":1,"b":{"c":2,"c":3}}'), /a key given twice in one object at position 18$/);
  // The same key in two objects is not a repeat.
  assert.deepEqual(Object.keys(parseLosslessJson('{"a":{"a":1},"b":[{"a":1},{"a":2}]}')), ['a', 'b']);
});

test('a signature header received twice (joined with ", ") is SIGNATURE_HEADER_REPEATED, naming it (hostile check, helper-37)', () => {
  const body = '{"token":"t"}';
  for (const name of ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial']) {
    const headers = signedHeaders(body);
    headers[name] = `${headers[name]}, ${name === 'wechatpay-serial' ? 'PUB_KEY_ID_0999' : headers[name]}`;
    const { code, message } = verificationCode(() => verifyWith(headers, body));
    assert.equal(code, 'SIGNATURE_HEADER_REPEATED');
    const shown = name.replace(/(^|-)([a-z])/g, (_all, dash, letter) => dash + letter.toUpperCase());
    assert.equal(
      message,
      `the answer has the ${shown} header more than once; which one WeChat Pay sent cannot be known, so it is not trusted`,
    );
  }
});
