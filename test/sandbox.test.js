// The sandbox must reject what WeChat Pay rejects, or passing against it would mean nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { startSandbox, SANDBOX_MESSAGES } from '../dist/sandbox/index.js';
import { signRequest, Verifier, loadPublicKey, loadCertificate, TOKEN_PATH } from '../dist/index.js';

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const BODY = '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}';

async function send({ body = BODY, method = 'POST', path = TOKEN_PATH, headers = {}, sign = {}, target = sandbox } = {}) {
  const c = target.credentials;
  const signed = signRequest({
    mchid: c.mchid,
    serial: c.serial,
    privateKey: createPrivateKey(c.privateKeyPem),
    method,
    url: path,
    body: sign.body ?? body,
    ...sign,
  });
  const response = await request(`${target.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: signed.authorization,
      Accept: 'application/json',
      'User-Agent': 'sandbox-test',
      'Content-Type': 'application/json',
      ...headers,
    },
    body: method === 'GET' ? undefined : body,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
}

test('a correctly signed request gets a signed token answer in +08:00 time', async () => {
  const answer = await send();
  assert.equal(answer.status, 200);
  assert.match(answer.json.token, /^[A-Za-z0-9_-]{32}$/);
  assert.match(answer.json.expires_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.match(answer.headers['request-id'], /^[0-9A-F]{32}$/);
  const verifier = new Verifier([
    { kind: 'public-key', serial: sandbox.credentials.publicKeyId, key: loadPublicKey(sandbox.credentials.publicKeyPem), source: 'test' },
  ]);
  const verified = verifier.verify((name) => answer.headers[name], Buffer.from(answer.text), Math.floor(Date.now() / 1000));
  assert.equal(verified.serial, sandbox.credentials.publicKeyId);
});

test('every answer carries a Request-ID, errors too', async () => {
  const answer = await send({ headers: { Authorization: 'nope' } });
  assert.equal(answer.status, 401);
  assert.match(answer.headers['request-id'], /^[0-9A-F]{32}$/);
});

const rejections = [
  ['no User-Agent', { headers: { 'User-Agent': '' } }, 400, 'INVALID_REQUEST', SANDBOX_MESSAGES.missingHeaders],
  ['no Accept', { headers: { Accept: '' } }, 400, 'INVALID_REQUEST', SANDBOX_MESSAGES.missingHeaders],
  [
    'a malformed Authorization',
    { headers: { Authorization: 'WECHATPAY2-SHA256-RSA2048 mchid=1' } },
    401,
    'SIGN_ERROR',
    SANDBOX_MESSAGES.badAuthorization,
  ],
  ['another mchid', { sign: { mchid: '1999999999' } }, 401, 'SIGN_ERROR', SANDBOX_MESSAGES.wrongMchid],
  ['a wrong serial', { sign: { serial: 'ABCDEF' } }, 401, 'SIGN_ERROR', SANDBOX_MESSAGES.wrongSerial],
  [
    'a timestamp 6 minutes old',
    { sign: { timestamp: Math.floor(Date.now() / 1000) - 360 } },
    401,
    'SIGN_ERROR',
    SANDBOX_MESSAGES.staleTimestamp,
  ],
  ['a signature over another body', { sign: { body: '{}' } }, 401, 'SIGN_ERROR', SANDBOX_MESSAGES.badSignature],
  ['a non-JSON content type', { headers: { 'Content-Type': 'text/plain' } }, 400, 'INVALID_REQUEST', SANDBOX_MESSAGES.badContentType],
  ['a body that is not JSON', { body: '{"open_id":' }, 400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson],
  ['an empty coupon list', { body: '{"open_id":"o","coupon_list":[]}' }, 400, 'INVALID_REQUEST', '没传入券列表'],
  [
    'two stocks',
    { body: '{"open_id":"o","coupon_list":[{"stock_id":1,"coupon_id":"a"},{"stock_id":2,"coupon_id":"b"}]}' },
    400,
    'INVALID_REQUEST',
    '单次请求只能传一个批次号',
  ],
  [
    'a duplicate coupon',
    { body: '{"open_id":"o","coupon_list":[{"stock_id":1,"coupon_id":"a"},{"stock_id":1,"coupon_id":"a"}]}' },
    400,
    'INVALID_REQUEST',
    '券ID存在重复',
  ],
  [
    'a stock id written as a string',
    { body: '{"open_id":"o","coupon_list":[{"stock_id":"1","coupon_id":"a"}]}' },
    400,
    'PARAM_ERROR',
    'coupon_list[0].stock_id应为整数',
  ],
  [
    'a numeric coupon id',
    { body: '{"open_id":"o","coupon_list":[{"stock_id":1,"coupon_id":1}]}' },
    400,
    'PARAM_ERROR',
    'coupon_list[0].coupon_id应为1到64个字符的字符串',
  ],
  ['an empty open_id', { body: '{"open_id":"","coupon_list":[{"stock_id":1,"coupon_id":"a"}]}' }, 400, 'INVALID_REQUEST', 'OpenID有误'],
  [
    'a Wechatpay-Serial that is not its key',
    { headers: { 'Wechatpay-Serial': 'PUB_KEY_ID_0000' } },
    400,
    'INVALID_REQUEST',
    SANDBOX_MESSAGES.badWechatpaySerial,
  ],
  ['another path', { path: '/v3/industry-coupon/nope' }, 404, 'NOT_FOUND', SANDBOX_MESSAGES.notFound],
];

for (const [name, options, status, code, message] of rejections) {
  test(`rejects ${name}: ${status} ${code}`, async () => {
    const answer = await send(options);
    assert.equal(answer.status, status, answer.text);
    assert.equal(answer.json.code, code);
    assert.equal(answer.json.message, message);
    assert.equal(answer.headers['wechatpay-signature'], undefined, 'error answers are not signed');
  });
}

test('a signature error carries sign_information.truncated_sign_message (P11)', async () => {
  const answer = await send({ sign: { body: '{}' } });
  assert.match(answer.json.detail.sign_information.truncated_sign_message, /^POST\n\/v3\/industry-coupon\/tokens\n\d+\n[0-9A-Za-z]{32}\n/);
});

test('a reused nonce is rejected', async () => {
  const nonce = 'REPLAYREPLAYREPLAYREPLAYREPLAY12';
  assert.equal((await send({ sign: { nonce } })).status, 200);
  const again = await send({ sign: { nonce } });
  assert.equal(again.status, 401);
  assert.equal(again.json.message, SANDBOX_MESSAGES.replayedNonce);
});

test('a request signed by another key is rejected', async () => {
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  assert.equal((await send({ sign: { privateKey: other } })).status, 401);
});

test('stock ids are recorded with the exact digits the client wrote (P3)', async () => {
  const answer = await send({ body: '{"open_id":"o","coupon_list":[{"stock_id":9223372036854775807,"coupon_id":"a"}]}' });
  assert.equal(answer.status, 200);
  assert.deepEqual(sandbox.requests.at(-1).stockIds, ['9223372036854775807']);
});

test('certificate mode signs with a self-made platform certificate whose serial it announces', async () => {
  const certSandbox = await startSandbox({ mode: 'certificate' });
  try {
    const c = certSandbox.credentials;
    const certificate = new X509Certificate(c.certificatePem);
    assert.equal(certificate.serialNumber.toUpperCase(), c.certificateSerial);
    assert.match(c.certificateSerial, /^[0-9A-F]{40}$/);
    assert.ok(certificate.checkIssued(certificate));
    const answer = await send({ target: certSandbox });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['wechatpay-serial'], c.certificateSerial);
    const loaded = loadCertificate(c.certificatePem);
    const verifier = new Verifier([{ kind: 'certificate', serial: loaded.serial, key: loaded.key, source: 'test' }]);
    assert.ok(verifier.verify((name) => answer.headers[name], Buffer.from(answer.text), Math.floor(Date.now() / 1000)));
  } finally {
    await certSandbox.close();
  }
});
