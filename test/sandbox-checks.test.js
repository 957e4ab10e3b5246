// The sandbox's parts alone, without a server: its request checks (checks.ts), its answers and
// their signatures in both key modes (answers.ts, identity.ts), and its fault table (faults.ts).
// test/sandbox.test.js and test/faults.e2e.test.js prove the same rules over real HTTP.
import { test, describe, before } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.js';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  NonceMemory,
  authenticate,
  checkAuthorization,
  checkClientHeaders,
  checkTokenBody,
  checkWechatpaySerial,
} from '../dist/sandbox/checks.js';
import {
  SANDBOX_MESSAGES,
  certificatesAnswer,
  errorAnswer,
  formatChinaTime,
  newToken,
  notFoundAnswer,
  signatureHeaders,
  tokenAnswer,
} from '../dist/sandbox/answers.js';
import { createIdentity } from '../dist/sandbox/identity.js';
import { FAULTS, FAULT_DESCRIPTIONS, FAULT_NAMES, faultBehaviour } from '../dist/sandbox/faults.js';
import { SERVER_MESSAGES } from '../dist/coupon.js';
import { signRequest, Verifier, loadPublicKey, loadCertificate, TOKEN_PATH } from '../dist/index.js';
import { readCertificateListing } from '../dist/certificates.js';

const NOW = 1_750_000_000_000;
const BODY = '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}';

let identity;
let merchantKey;
let expected;
before(async () => {
  identity = await createIdentity({ mode: 'public-key' });
  merchantKey = createPrivateKey(identity.credentials.privateKeyPem);
  expected = {
    mchid: identity.credentials.mchid,
    merchantSerial: identity.credentials.serial,
    merchantPublicKey: identity.merchantPublicKey,
    signingSerial: identity.signingSerial,
  };
});

/** A request as the sandbox parses it, signed by the merchant unless `sign` says otherwise. */
function request({ method = 'POST', path = TOKEN_PATH, body = BODY, headers = {}, sign = {} } = {}) {
  const signed = signRequest({
    mchid: identity.credentials.mchid,
    serial: identity.credentials.serial,
    privateKey: merchantKey,
    method,
    url: path,
    body,
    timestamp: Math.floor(NOW / 1000),
    ...sign,
  });
  return {
    method,
    path,
    body,
    headers: {
      authorization: signed.authorization,
      accept: 'application/json',
      'user-agent': 'unit',
      'content-type': 'application/json',
      ...headers,
    },
  };
}

function refusal(answer) {
  assert.ok(answer, 'expected a refusal');
  return { status: answer.status, code: answer.code, message: JSON.parse(answer.body).message, sign: answer.sign };
}

describe('request checks', () => {
  test('a correctly signed request passes every check, and its nonce is remembered', () => {
    const nonces = new NonceMemory();
    const good = request();
    assert.equal(authenticate(good, expected, nonces, NOW), undefined);
    assert.equal(nonces.size, 1);
    assert.deepEqual(refusal(authenticate(good, expected, nonces, NOW)), {
      status: 401,
      code: 'SIGN_ERROR',
      message: SANDBOX_MESSAGES.replayedNonce,
      sign: false,
    });
  });

  test('missing Accept or User-Agent is refused first, even without an Authorization header', () => {
    for (const name of ['accept', 'user-agent']) {
      const asked = request({ headers: { [name]: undefined, authorization: undefined } });
      const expectedRefusal = { status: 400, code: 'INVALID_REQUEST', message: SANDBOX_MESSAGES.missingHeaders, sign: false };
      assert.deepEqual(refusal(checkClientHeaders(asked)), expectedRefusal, name);
      assert.deepEqual(refusal(authenticate(asked, expected, new NonceMemory(), NOW)), expectedRefusal, name);
    }
    assert.equal(checkClientHeaders(request()), undefined);
  });

  const signError = (message) => ({ status: 401, code: 'SIGN_ERROR', message, sign: false });
  const authorizationCases = [
    ['no Authorization', { headers: { authorization: undefined } }, SANDBOX_MESSAGES.badAuthorization],
    ['another scheme', { headers: { authorization: 'Bearer x' } }, SANDBOX_MESSAGES.badAuthorization],
    [
      'a field missing',
      { headers: { authorization: 'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",timestamp="1",serial_no="S"' } },
      SANDBOX_MESSAGES.badAuthorization,
    ],
    ['another mchid', { sign: { mchid: '1900000000' } }, SANDBOX_MESSAGES.wrongMchid],
    ['another serial', { sign: { serial: 'ABCDEF' } }, SANDBOX_MESSAGES.wrongSerial],
    ['a timestamp 301 s old', { sign: { timestamp: Math.floor(NOW / 1000) - 301 } }, SANDBOX_MESSAGES.staleTimestamp],
    ['a timestamp 301 s ahead', { sign: { timestamp: Math.floor(NOW / 1000) + 301 } }, SANDBOX_MESSAGES.staleTimestamp],
    [
      'another key',
      { sign: { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey } },
      SANDBOX_MESSAGES.badSignature,
    ],
  ];
  for (const [name, options, message] of authorizationCases) {
    test(`Authorization: ${name} is 401 SIGN_ERROR`, () => {
      assert.deepEqual(refusal(checkAuthorization(request(options), expected, NOW).refused), signError(message));
    });
  }

  test('the serial is compared case-insensitively, and the window is 300 s either way', () => {
    const seconds = Math.floor(NOW / 1000);
    for (const sign of [
      { serial: identity.credentials.serial.toLowerCase() },
      { timestamp: seconds - 300 },
      { timestamp: seconds + 300 },
    ]) {
      assert.ok('fields' in checkAuthorization(request({ sign }), expected, NOW), JSON.stringify(sign));
    }
  });

  test('the signature covers method, path, timestamp, nonce and body; the 401 carries sign_information (P11)', () => {
    const signedOver = { method: 'POST', path: TOKEN_PATH, body: BODY };
    const changed = [{ method: 'PUT' }, { path: `${TOKEN_PATH}?x=1` }, { body: BODY.replace('oUser', 'oOther') }];
    for (const change of changed) {
      const asked = { ...request({ ...signedOver, sign: signedOver }), ...change };
      const { refused } = checkAuthorization(asked, expected, NOW);
      assert.deepEqual(refusal(refused), signError(SANDBOX_MESSAGES.badSignature), JSON.stringify(change));
      const info = JSON.parse(refused.body).detail.sign_information;
      assert.equal(info.method, asked.method);
      assert.equal(info.url, asked.path);
      assert.match(
        info.truncated_sign_message,
        new RegExp(`^${asked.method}\\n${asked.path.replace('?', '\\?')}\\n\\d+\\n[0-9A-Za-z]{32}\\n`),
      );
    }
    // The timestamp and the nonce: a header that claims other values than were signed.
    const good = request();
    for (const [field, value] of [
      ['timestamp', String(Math.floor(NOW / 1000) - 1)],
      ['nonce_str', 'N'.repeat(32)],
    ]) {
      const authorization = good.headers.authorization.replace(new RegExp(`${field}="[^"]*"`), `${field}="${value}"`);
      const { refused } = checkAuthorization({ ...good, headers: { ...good.headers, authorization } }, expected, NOW);
      assert.equal(refusal(refused).message, SANDBOX_MESSAGES.badSignature, field);
    }
  });

  test('a Wechatpay-Serial that is not the signing key is 400 INVALID_REQUEST', () => {
    assert.deepEqual(
      refusal(checkWechatpaySerial(request({ headers: { 'wechatpay-serial': 'PUB_KEY_ID_0000' } }), expected.signingSerial)),
      {
        status: 400,
        code: 'INVALID_REQUEST',
        message: SANDBOX_MESSAGES.badWechatpaySerial,
        sign: false,
      },
    );
    assert.equal(
      checkWechatpaySerial(request({ headers: { 'wechatpay-serial': expected.signingSerial } }), expected.signingSerial),
      undefined,
    );
    assert.equal(checkWechatpaySerial(request(), expected.signingSerial), undefined);
  });

  test('nonces are forgotten once their timestamp can no longer be valid (10 minutes)', () => {
    const nonces = new NonceMemory();
    for (let index = 0; index < 1023; index += 1) nonces.remember(`old${index}`, NOW);
    assert.ok(nonces.has('old0'));
    nonces.remember('new', NOW + 600_001);
    assert.equal(nonces.has('old0'), false);
    assert.equal(nonces.size, 1);
  });
});

describe('token body rules', () => {
  const body = (value) => checkTokenBody(request({ body: typeof value === 'string' ? value : JSON.stringify(value) }));
  const coupon = (stock, id) => ({ stock_id: stock, coupon_id: id });
  const cases = [
    ['not JSON', '{', 400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson],
    ['a JSON list', '[]', 400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson],
    ['a JSON number', '7', 400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson],
    ['no open_id', { coupon_list: [coupon(1, 'c')] }, 400, 'INVALID_REQUEST', SERVER_MESSAGES.badOpenId],
    [
      'an open_id of 65 characters',
      { open_id: 'o'.repeat(65), coupon_list: [coupon(1, 'c')] },
      400,
      'INVALID_REQUEST',
      SERVER_MESSAGES.badOpenId,
    ],
    ['no coupon_list', { open_id: 'o' }, 400, 'INVALID_REQUEST', SERVER_MESSAGES.emptyCouponList],
    ['an empty coupon_list', { open_id: 'o', coupon_list: [] }, 400, 'INVALID_REQUEST', SERVER_MESSAGES.emptyCouponList],
    ['a coupon_list that is an object', { open_id: 'o', coupon_list: {} }, 400, 'PARAM_ERROR', 'coupon_list类型错误'],
    ['a stock id in a string', { open_id: 'o', coupon_list: [coupon('1', 'c')] }, 400, 'PARAM_ERROR', 'coupon_list[0].stock_id应为整数'],
    [
      'a fractional stock id',
      '{"open_id":"o","coupon_list":[{"stock_id":1,"coupon_id":"c"},{"stock_id":1.5,"coupon_id":"d"}]}',
      400,
      'PARAM_ERROR',
      'coupon_list[1].stock_id应为整数',
    ],
    [
      'an empty coupon id',
      { open_id: 'o', coupon_list: [coupon(1, '')] },
      400,
      'PARAM_ERROR',
      'coupon_list[0].coupon_id应为1到64个字符的字符串',
    ],
    [
      'two stocks',
      { open_id: 'o', coupon_list: [coupon(1, 'a'), coupon(2, 'b')] },
      400,
      'INVALID_REQUEST',
      SERVER_MESSAGES.oneStockPerRequest,
    ],
    [
      'a coupon id twice',
      { open_id: 'o', coupon_list: [coupon(1, 'a'), coupon(1, 'a')] },
      400,
      'INVALID_REQUEST',
      SERVER_MESSAGES.duplicateCouponId,
    ],
  ];
  for (const [name, value, status, code, message] of cases) {
    test(`${name}: ${status} ${code}`, () => {
      assert.deepEqual(refusal(body(value).refused), { status, code, message, sign: false });
    });
  }

  test('a Content-Type other than application/json is 400 INVALID_REQUEST', () => {
    const checked = checkTokenBody(request({ headers: { 'content-type': 'text/plain' } }));
    assert.deepEqual(refusal(checked.refused), {
      status: 400,
      code: 'INVALID_REQUEST',
      message: SANDBOX_MESSAGES.badContentType,
      sign: false,
    });
    assert.equal(checkTokenBody(request({ headers: { 'content-type': 'application/json; charset=utf-8' } })).refused, undefined);
  });

  test('stock ids are kept as the exact digits written (P3), also when a later rule refuses', () => {
    const big = '{"open_id":"o","coupon_list":[{"stock_id":9007199254740993,"coupon_id":"a"}]}';
    assert.deepEqual(body(big), { stockIds: ['9007199254740993'] });
    const twoStocks = body('{"open_id":"o","coupon_list":[{"stock_id":9007199254740993,"coupon_id":"a"},{"stock_id":7,"coupon_id":"b"}]}');
    assert.deepEqual(twoStocks.stockIds, ['9007199254740993', '7']);
    assert.equal(refusal(twoStocks.refused).message, SERVER_MESSAGES.oneStockPerRequest);
    assert.equal(body({ open_id: 'o', coupon_list: [coupon('1', 'c')] }).stockIds, undefined);
  });
});

describe('answers', () => {
  test('errors are WeChat Pay bodies, unsigned; detail only when given', () => {
    assert.deepEqual(errorAnswer(500, 'SYSTEM_ERROR', '系统错误'), {
      status: 500,
      code: 'SYSTEM_ERROR',
      sign: false,
      body: '{"code":"SYSTEM_ERROR","message":"系统错误"}',
    });
    assert.deepEqual(JSON.parse(errorAnswer(400, 'PARAM_ERROR', 'm', { field: 'f' }).body), {
      code: 'PARAM_ERROR',
      message: 'm',
      detail: { field: 'f' },
    });
    assert.deepEqual(notFoundAnswer(), {
      status: 404,
      code: 'NOT_FOUND',
      sign: false,
      body: JSON.stringify({ code: 'NOT_FOUND', message: '请求的资源不存在' }),
    });
  });

  test('the token answer: a signed 200 with the token and its expiry in +08:00 time', () => {
    assert.equal(formatChinaTime(0), '1970-01-01T08:00:00+08:00');
    const token = newToken();
    assert.match(token, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(newToken(), token);
    assert.deepEqual(tokenAnswer(token, Date.UTC(2025, 0, 1, 16)), {
      status: 200,
      sign: true,
      body: JSON.stringify({ token, expires_time: '2025-01-02T00:00:00+08:00' }),
    });
  });

  test('certificates: 404 RESOURCE_NOT_EXISTS for a public-key merchant, signed (P27), the encrypted certificate otherwise (P19)', async () => {
    const none = certificatesAnswer(identity.credentials);
    assert.deepEqual(refusal(none), { status: 404, code: 'RESOURCE_NOT_EXISTS', message: SANDBOX_MESSAGES.noCertificates, sign: true });
    const { credentials } = await createIdentity({ mode: 'certificate' });
    const answer = certificatesAnswer(credentials);
    assert.equal(answer.status, 200);
    assert.equal(answer.sign, true);
    assert.doesNotMatch(answer.body, /BEGIN CERTIFICATE/);
    const [listed] = readCertificateListing(Buffer.from(answer.body), credentials.apiv3Key);
    assert.equal(listed.serial, credentials.certificateSerial);
    assert.match(JSON.parse(answer.body).data[0].effective_time, /\+08:00$/);
  });

  for (const mode of ['public-key', 'certificate']) {
    test(`signatureHeaders verify with the client's Verifier in ${mode} mode, and announce its serial`, async () => {
      const { credentials, wechatpayPrivateKey, signingSerial } = mode === 'public-key' ? identity : await createIdentity({ mode });
      const key =
        mode === 'public-key'
          ? { kind: 'public-key', serial: credentials.publicKeyId, key: loadPublicKey(credentials.publicKeyPem), source: 'test' }
          : {
              kind: 'certificate',
              serial: loadCertificate(credentials.certificatePem).serial,
              key: loadCertificate(credentials.certificatePem).key,
              source: 'test',
            };
      assert.equal(signingSerial, mode === 'public-key' ? credentials.publicKeyId : credentials.certificateSerial);
      const signer = { privateKey: wechatpayPrivateKey, serial: signingSerial, now: () => NOW };
      const body = tokenAnswer('t', NOW).body;
      const headers = lowerCased(signatureHeaders(signer, body));
      assert.equal(headers['wechatpay-serial'], signingSerial);
      assert.equal(headers['wechatpay-timestamp'], String(NOW / 1000));
      assert.equal(new Verifier([key]).verify((name) => headers[name], Buffer.from(body), NOW / 1000).serial, signingSerial);
      assert.equal(lowerCased(signatureHeaders(signer, body, 600))['wechatpay-timestamp'], String(NOW / 1000 - 600));
    });
  }
});

function lowerCased(headers) {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

describe('fault table', () => {
  const HOOKS = ['takeOver', 'replace', 'reshape', 'sign', 'deliver'];

  test('every fault name has a description and exactly one behaviour, from its one entry', () => {
    assert.equal(FAULTS.length, FAULT_NAMES.length);
    assert.deepEqual(
      FAULTS.map((fault) => fault.name),
      [...FAULT_NAMES],
    );
    for (const name of FAULT_NAMES) {
      assert.equal(typeof FAULT_DESCRIPTIONS[name], 'string', name);
      assert.ok(FAULT_DESCRIPTIONS[name].length > 0, name);
      const hooks = HOOKS.filter((hook) => typeof faultBehaviour(name)[hook] === 'function');
      assert.equal(hooks.length, 1, `${name}: ${hooks.join(', ') || 'no behaviour'}`);
    }
    assert.deepEqual(Object.keys(FAULT_DESCRIPTIONS).sort(), [...FAULT_NAMES].sort());
  });

  test("README.md's and README.zh-CN.md's list of faults (the paragraph on --fault) names every fault, and no other", () => {
    for (const readme of ['README.md', 'README.zh-CN.md']) {
      const text = readFileSync(path.join(ROOT, readme), 'utf8');
      const paragraph = text.split(/\n\s*\n/).find((candidate) => candidate.includes('--fault 503:2 --fault bad-signature:1'));
      assert.ok(paragraph, `${readme} has no paragraph on --fault`);
      const named = [...paragraph.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]);
      assert.deepEqual(
        FAULT_NAMES.filter((name) => !named.includes(name)),
        [],
        `${readme} does not list these faults`,
      );
      assert.deepEqual(
        named.filter((name) => !FAULT_NAMES.includes(name)),
        [],
        `${readme} lists faults the sandbox does not have`,
      );
    }
  });

  test('the faults that sign wrongly make answers the Verifier refuses, or signed bodies that are not a token answer', () => {
    const signer = { privateKey: identity.wechatpayPrivateKey, serial: identity.signingSerial, now: () => NOW };
    const context = {
      randomBytes: (size) => Buffer.alloc(size, 7),
      sign: (text, age) => signatureHeaders(signer, text, age),
      errorAnswer,
      expiresTime: () => formatChinaTime(NOW),
    };
    const key = {
      kind: 'public-key',
      serial: identity.credentials.publicKeyId,
      key: loadPublicKey(identity.credentials.publicKeyPem),
      source: 'test',
    };
    const verifier = new Verifier([key]);
    const body = tokenAnswer('t', NOW).body;
    for (const fault of FAULTS.filter((entry) => entry.sign)) {
      const sent = fault.sign(body, context);
      const headers = lowerCased(sent.headers);
      let verified;
      try {
        verifier.verify((name) => headers[name], Buffer.from(sent.body), NOW / 1000);
        verified = true;
      } catch {
        verified = false;
      }
      if (verified) assert.ok(!('token' in safeJson(sent.body)), `${fault.name}: a verified body must not be a token answer`);
      else
        assert.ok(
          ['bad-signature', 'tampered-body', 'unknown-serial', 'stale-timestamp', 'missing-headers', 'probe-signature'].includes(
            fault.name,
          ),
          fault.name,
        );
    }
  });
});

function safeJson(text) {
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}
