// The fault matrix: every sandbox fault, plus refused, DNS failure and failover, against the
// built binary. One row per case, so a reader sees each fault and its expected outcome at a glance.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCertificate } from '../dist/sandbox/x509.js';
import { startSandbox, parseFaultSpec, FAULT_NAMES } from '../dist/sandbox/index.js';
import { assertNoSecrets, runCli, tempDir, writeSandboxConfig, configuredSandbox, closedPort } from './helpers.js';

const TIMEOUT_MS = 500;
const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
/** Process start-up and scheduling on a busy CI machine; the rest of each bound is computed. */
const SLACK_MS = 4_000;
/** The client's backoff ceilings for retries 1 and 2 (DEFAULT_RETRY_POLICY). */
const BACKOFF_MS = 250 + 500;

// fault            extra args          exit  attempts  stderr names                                        Request-ID shown
const MATRIX = [
  ['500', [], 1, 3, /500 SYSTEM_ERROR: 系统错误/, true],
  ['500:1', [], 0, 2, null, false],
  ['502', [], 1, 3, /502 SERVICE_UNAVAILABLE: 服务不可用/, true],
  ['502:1', [], 0, 2, null, false],
  ['503', [], 1, 3, /503 SERVICE_UNAVAILABLE: 服务不可用/, true],
  ['503:2', [], 0, 3, null, false],
  ['429', ['--retries', '1'], 1, 2, /429 RATELIMIT_EXCEEDED: 请求频率超限/, true],
  ['429:1', [], 0, 2, null, false],
  ['reset', [], 4, 3, /closed the connection before answering; try again/, false],
  ['reset:1', [], 0, 2, null, false],
  ['hang', [], 4, 3, /no answer from http:\/\/127\.0\.0\.1:\d+ within 500 ms/, false],
  ['hang:1', [], 0, 2, null, false],
  ['slow-body', [], 4, 3, /no answer from http:\/\/127\.0\.0\.1:\d+ within 500 ms/, false],
  ['slow-body:1', [], 0, 2, null, false],
  ['bad-signature', [], 5, 1, /signature does not verify with public key PUB_KEY_ID_/, true],
  ['tampered-body', [], 5, 1, /signature does not verify/, true],
  [
    'unknown-serial',
    [],
    5,
    1,
    /signed with key PUB_KEY_ID_0999999999999999999999999999, which is not configured \(configured: PUB_KEY_ID_/,
    true,
  ],
  ['stale-timestamp', [], 5, 1, /Wechatpay-Timestamp is (600|601) s from this machine's clock/, true],
  ['missing-headers', [], 5, 1, /missing Wechatpay-Signature, Wechatpay-Serial/, true],
  ['probe-signature', [], 5, 1, /signature does not verify/, true],
  ['not-json', [], 5, 1, /signed answer is not JSON/, true],
  ['no-token', [], 5, 1, /answered 200 without a token/, true],
  ['huge-body', [], 4, 1, /larger than 1048576 bytes/, false],
  ['long-token', [], 0, 1, null, false],
  [
    'expired-token',
    [],
    5,
    1,
    /answered 200 with a token that had already expired \(expires_time \S+\+08:00, by this machine\u2019s clock\)/,
    true,
  ],
  ['odd-token', [], 5, 1, /answered 200 with a token holding a space, a control or a non-ASCII character/, true],
  ['no-content', [], 5, 1, /signed answer is not JSON/, true],
];

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

function bound(attempts, fault) {
  const retryAfter = fault.startsWith('429') ? (attempts - 1) * 1_000 : 0;
  return attempts * TIMEOUT_MS + BACKOFF_MS + retryAfter + SLACK_MS;
}

test('the matrix covers every fault the sandbox has', () => {
  const covered = new Set(MATRIX.map(([fault]) => parseFaultSpec(fault).name));
  assert.deepEqual([...covered].sort(), [...FAULT_NAMES].sort());
});

describe('fault matrix', () => {
  for (const [fault, extra, exit, attempts, names, showsRequestId] of MATRIX) {
    test(`${fault}${extra.length ? ` ${extra.join(' ')}` : ''} → exit ${exit} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, async () => {
      sandbox.setFaults([parseFaultSpec(fault)]);
      const before = sandbox.requests.length;
      const result = await runCli(['token', '--json', '--timeout', String(TIMEOUT_MS), ...extra, ...COUPON], { cwd: dir, home: dir });
      const seen = sandbox.requests.slice(before);
      assertNoSecrets(result, sandbox.credentials);
      assert.equal(result.code, exit, result.stderr);
      assert.doesNotMatch(result.stderr, /\bP(?:[1-9]|1[0-9]|20)\b/, 'no internal rule number in a message');
      assert.equal(seen.length, attempts, `attempts the sandbox saw: ${seen.map((r) => r.fault ?? r.status).join(', ')}`);
      assert.ok(result.elapsedMs < bound(attempts, fault), `took ${Math.round(result.elapsedMs)} ms, bound ${bound(attempts, fault)} ms`);
      // Every attempt was signed afresh (P10).
      const nonces = seen.map((r) => /nonce_str="([^"]+)"/.exec(r.headers.authorization)?.[1]);
      assert.equal(new Set(nonces).size, attempts);
      if (exit === 0) {
        assert.equal(JSON.parse(result.stdout).token, seen.at(-1).token);
        return;
      }
      assert.equal(result.stdout, '', 'nothing on stdout when it fails');
      const error = JSON.parse(result.stderr).error;
      assert.equal(error.exit_code, exit);
      assert.match(error.message, names);
      if (showsRequestId) assert.equal(error.request_id, seen.at(-1).requestId);
      for (const record of seen) if (record.token) assert.ok(!result.stderr.includes(record.token), 'an untrusted token is never printed');
    });
  }

  test('429: Retry-After is honoured', async () => {
    sandbox.setFaults([parseFaultSpec('429:1')]);
    const before = sandbox.requests.length;
    const result = await runCli(['token', '-q', ...COUPON], { cwd: dir, home: dir });
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = sandbox.requests.slice(before);
    assert.ok(second.receivedAt - first.receivedAt >= 950, `waited ${second.receivedAt - first.receivedAt} ms`);
  });

  test('a verification failure is never retried, even with retries left', async () => {
    sandbox.setFaults([parseFaultSpec('bad-signature:1')]);
    const before = sandbox.requests.length;
    const result = await runCli(['token', '--retries', '5', ...COUPON], { cwd: dir, home: dir });
    assert.equal(result.code, 5);
    assert.equal(sandbox.requests.length - before, 1);
  });

  test('--retries 0: one attempt only', async () => {
    sandbox.setFaults([parseFaultSpec('503')]);
    const before = sandbox.requests.length;
    const result = await runCli(['token', '--retries', '0', ...COUPON], { cwd: dir, home: dir });
    assert.equal(result.code, 1);
    assert.equal(sandbox.requests.length - before, 1);
  });

  test('--verbose shows each attempt and each wait', async () => {
    sandbox.setFaults([parseFaultSpec('500:2')]);
    const result = await runCli(['token', '--verbose', '-q', ...COUPON], { cwd: dir, home: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /attempt 1: POST .*\n[\s\S]*attempt 1 failed \(500 \(Request-ID [0-9A-F]{32}\)\); retrying in \d+ ms\n[\s\S]*attempt 2: POST[\s\S]*attempt 3: POST/,
    );
    sandbox.setFaults([]);
  });
});

const servers = [];
after(() => servers.forEach((server) => server.close()));

/** Answers anything with plain text, so a TLS client fails its handshake. */
async function plainTcpServer() {
  const server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/** A real HTTPS server whose certificate no trust store knows: certificate checks must refuse it. */
async function selfSignedHttpsServer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { pem } = createSelfSignedCertificate({ publicKey, privateKey, commonName: 'localhost' });
  const server = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: pem }, (request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"should-never-be-read"}');
  });
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

describe('unreachable primary', () => {
  test('a TLS failure without a backup: exit 4, and certificate checks are never disabled', async () => {
    const port = await selfSignedHttpsServer();
    const result = await runCli(['token', '--retries', '0', ...COUPON, '--base-url', `https://localhost:${port}`], { cwd: dir, home: dir });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /the TLS handshake with https:\/\/localhost:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\); certificate checks are never disabled/,
    );
  });

  test('connection refused: exit 4 after the retries, nothing on stdout', async () => {
    const port = await closedPort();
    const result = await runCli(['token', '--json', ...COUPON, '--base-url', `http://127.0.0.1:${port}`], { cwd: dir, home: dir });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(JSON.parse(result.stderr).error.message, new RegExp(`http://127\\.0\\.0\\.1:${port} refused the connection`));
    assert.ok(result.elapsedMs < 3 * TIMEOUT_MS + BACKOFF_MS + SLACK_MS);
  });

  test('DNS failure (an unresolvable name): exit 4 naming DNS', async () => {
    const result = await runCli(['token', '--timeout', '3000', ...COUPON, '--base-url', 'https://wxpay-coupon-test.invalid'], {
      cwd: dir,
      home: dir,
    });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /could not resolve the host of https:\/\/wxpay-coupon-test\.invalid \(DNS (ENOTFOUND|EAI_AGAIN)\); check baseUrl \(the config.s, or --base-url\) and this machine.s DNS/,
    );
  });

  const failoverCases = [
    ['refused', async () => `http://127.0.0.1:${await closedPort()}`],
    ['DNS failure', async () => 'https://wxpay-coupon-test.invalid'],
    ['TLS handshake failure (not TLS at all)', async () => `https://127.0.0.1:${await plainTcpServer()}`],
    ['TLS handshake failure (self-signed certificate)', async () => `https://localhost:${await selfSignedHttpsServer()}`],
  ];
  for (const [name, primary] of failoverCases) {
    test(`failover: primary ${name} → the next attempt goes to backupBaseUrl, marked in the User-Agent`, async () => {
      const folder = tempDir();
      const primaryUrl = await primary();
      writeSandboxConfig(sandbox, folder, { overrides: { baseUrl: primaryUrl, backupBaseUrl: sandbox.baseUrl } });
      const before = sandbox.requests.length;
      const result = await runCli(['token', '--verbose', '-q', ...COUPON], { cwd: folder, home: folder });
      assert.equal(result.code, 0, result.stderr);
      const seen = sandbox.requests.slice(before);
      assert.equal(seen.length, 1);
      assert.match(seen[0].headers['user-agent'], /^wxpay-coupon\/\d+\.\d+\.\d+ \(\w+\/\w+\) node\/\S+ \(failover\)$/);
      assert.match(result.stderr, new RegExp(`cannot reach ${primaryUrl.replace(/[.]/g, '\\.')} .*; failing over to ${sandbox.baseUrl}`));
      assert.match(result.stderr, /attempt 2 \(failover\): POST/);
    });
  }

  test('failover: when the backup fails too, the error names both domains and what happened at each', async () => {
    const [primaryPort, backupPort] = [await closedPort(), await closedPort()];
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder, {
      overrides: { baseUrl: `http://127.0.0.1:${primaryPort}`, backupBaseUrl: `http://127.0.0.1:${backupPort}` },
    });
    const refused = await runCli(['token', '--json', ...COUPON], { cwd: folder, home: folder });
    assert.equal(refused.code, 4, refused.stderr);
    const { message } = JSON.parse(refused.stderr).error;
    assert.match(
      message,
      new RegExp(`^backup http://127\\.0\\.0\\.1:${backupPort}: http://127\\.0\\.0\\.1:${backupPort} refused the connection`),
    );
    assert.match(
      message,
      new RegExp(
        `\nprimary http://127\\.0\\.0\\.1:${primaryPort}, tried first: http://127\\.0\\.0\\.1:${primaryPort} refused the connection`,
      ),
    );

    // The backup answers, with an error: the API error is the backup's, and the primary is still named.
    sandbox.setFaults([parseFaultSpec('503')]);
    try {
      writeSandboxConfig(sandbox, folder, { overrides: { baseUrl: `http://127.0.0.1:${primaryPort}`, backupBaseUrl: sandbox.baseUrl } });
      const before = sandbox.requests.length;
      const answered = await runCli(['token', '--json', ...COUPON], { cwd: folder, home: folder });
      assert.equal(answered.code, 1, answered.stderr);
      assert.equal(sandbox.requests.length - before, 3, 'the failover attempt and two retries, all at the backup');
      const { error } = JSON.parse(answered.stderr);
      assert.match(
        error.message,
        new RegExp(`^backup ${sandbox.baseUrl.replace(/[.]/g, '\\.')}: WeChat Pay answered 503 SERVICE_UNAVAILABLE`),
      );
      assert.match(error.message, new RegExp(`\nprimary http://127\\.0\\.0\\.1:${primaryPort}, tried first: .*refused the connection`));
      assert.equal(error.status, 503);
    } finally {
      sandbox.setFaults([]);
    }
  });

  test('failover: a primary that answers 500 is retried, not failed over', async () => {
    const primary = await startSandbox({ faults: [parseFaultSpec('500')] });
    try {
      const folder = tempDir();
      writeSandboxConfig(primary, folder, { overrides: { backupBaseUrl: sandbox.baseUrl } });
      const before = sandbox.requests.length;
      const result = await runCli(['token', ...COUPON], { cwd: folder, home: folder });
      assert.equal(result.code, 1);
      assert.equal(primary.requests.length, 3);
      assert.equal(sandbox.requests.length, before, 'the backup was never asked');
    } finally {
      await primary.close();
    }
  });
});

test('wxpay-coupon sandbox --fault injects faults for users\u2019 own scripts', async () => {
  const home = tempDir();
  let child;
  const served = runCli(['sandbox', '--dir', 'sb', '--fault', '503:1', '--json'], {
    cwd: home,
    home,
    onSpawn: (spawned) => (child = spawned),
  });
  const line = await new Promise((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text);
    });
  });
  const info = JSON.parse(line);
  const result = await runCli(['token', '--config', info.config, '-q', ...COUPON], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  child.kill('SIGINT');
  const sandboxRun = await served;
  // --json: stderr is JSON lines only (issue 11 E), the fault and each request one object.
  const logged = sandboxRun.stderr
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(logged[0], { fault: { name: '503', description: '503 SERVICE_UNAVAILABLE', requests: 1 } });
  assert.deepEqual(
    logged.slice(1).map((entry) => entry.request),
    [
      { method: 'POST', path: '/v3/industry-coupon/tokens', status: 503, code: 'SERVICE_UNAVAILABLE', fault: '503' },
      { method: 'POST', path: '/v3/industry-coupon/tokens', status: 200 },
    ],
  );
  // Without --json, the same log is for people.
  let plainChild;
  const plain = runCli(['sandbox', '--dir', 'sb2', '--fault', '503:1'], { cwd: home, home, onSpawn: (spawned) => (plainChild = spawned) });
  const plainConfig = await new Promise((resolve) => {
    let text = '';
    plainChild.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /--config (\S+\.wxpayrc\.json)/.exec(text);
      if (match) resolve(match[1]);
    });
  });
  assert.equal((await runCli(['token', '--config', plainConfig, '-q', ...COUPON], { cwd: home, home })).code, 0);
  plainChild.kill('SIGINT');
  const plainRun = await plain;
  assert.match(plainRun.stderr, /fault: 503 \(503 SERVICE_UNAVAILABLE\), first 1 request/);
  assert.match(
    plainRun.stderr,
    /POST \/v3\/industry-coupon\/tokens → 503 SERVICE_UNAVAILABLE \(fault: 503\)\n.*POST \/v3\/industry-coupon\/tokens → 200/,
  );
  const bad = await runCli(['sandbox', '--fault', 'meltdown'], { cwd: home, home });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fault "meltdown" is not a fault; use one of 500, 502/);
});

/** An HTTP server at baseUrl that answers every request with `status`, `headers` and `body`, unsigned. */
async function answeringServer(status, headers, body) {
  const { createServer: createHttpServer } = await import('node:http');
  const server = createHttpServer((request, response) => response.writeHead(status, headers).end(body));
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

describe('what an answer says is shown printable (hostile check, helper-37)', () => {
  test("an error body's control characters, line breaks and bidi overrides are written as \\uXXXX, and a long message is cut", async () => {
    const message = `\u001b[2J\u001b[32mok\nwxpay-coupon: token printed\u202e${'x'.repeat(600)}`;
    const baseUrl = await answeringServer(
      400,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ code: 'PARAM\u001b[31m', message }),
    );
    const plain = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0'], { cwd: dir, home: dir });
    assert.equal(plain.code, 1);
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u202e]/u.test(plain.stderr), JSON.stringify(plain.stderr));
    const first = plain.stderr.split('\n')[0];
    assert.ok(
      first.startsWith(
        'wxpay-coupon: WeChat Pay answered 400 PARAM\\u001b[31m: \\u001b[2J\\u001b[32mok\\u000awxpay-coupon: token printed\\u202exxx',
      ),
      first,
    );
    assert.ok(first.endsWith(`${'x'.repeat(20)}… (140 more characters not shown)`), first);
    const json = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--json'], { cwd: dir, home: dir });
    const { error } = JSON.parse(json.stderr);
    assert.equal(error.code, 'PARAM\u001b[31m', 'the code field stays as received (P18); JSON escapes it');
    // eslint-disable-next-line no-control-regex -- JSON escapes every one
    assert.ok(!/[\u0000-\u001f]/.test(json.stderr.trimEnd()));
    const zh = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--lang', 'zh-CN'], { cwd: dir, home: dir });
    assert.match(zh.stderr, /x……（另有 140 个字符未显示）/);
  });

  test('a Request-ID with C1 control bytes (0x9b starts a terminal escape) is shown with them as \\uXXXX, human, --json and --verbose', async () => {
    // Node writes a header string as latin1: \u009b goes out as the one byte 0x9b.
    const baseUrl = await answeringServer(
      400,
      { 'Content-Type': 'application/json', 'Request-ID': 'AB\u009b2JCD\u0085EF' },
      JSON.stringify({ code: 'PARAM_ERROR', message: 'x' }),
    );
    const plain = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--verbose'], { cwd: dir, home: dir });
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /Request-ID: AB\\u009b2JCD\\u0085EF/);
    assert.ok(!/[\u0080-\u009f]/u.test(plain.stderr), JSON.stringify(plain.stderr));
    const json = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--json'], { cwd: dir, home: dir });
    // JSON has it exact, its C1 controls as JSON escapes (hostile check, helper-42: it was escaped twice).
    assert.equal(JSON.parse(json.stderr).error.request_id, 'AB\u009b2JCD\u0085EF');
    assert.ok(!/[\u0080-\u009f]/u.test(json.stderr), JSON.stringify(json.stderr));
  });

  test('a redirect is an error that names baseUrl and the proxy: WeChat Pay never redirects', async () => {
    const baseUrl = await answeringServer(302, { Location: 'http://127.0.0.1:1/' }, '');
    const result = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0'], { cwd: dir, home: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /answered 302 HTTP_302: \(empty body\)\nWeChat Pay never redirects an APIv3 call, and wxpay-coupon does not follow one; check baseUrl \(--base-url\)/,
    );
    const zh = await runCli(['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--lang', 'zh-CN'], { cwd: dir, home: dir });
    assert.match(zh.stderr, /微信支付从不重定向 APIv3 请求/);
  });
});

describe('what a user gave is quoted printable: every message goes through one backstop', () => {
  test('a bidi override or zero-width character in --coupon, a config value or a batch line is written as \\uXXXX, human and --json', async () => {
    const bidi = '1647\u202e4341:11004999626';
    for (const json of [[], ['--json']]) {
      const result = await runCli(['token', '--open-id', 'oUser', '--coupon', bidi, ...json], { cwd: dir, home: dir });
      assert.equal(result.code, 2, result.stderr);
      assert.ok(!result.stderr.includes('\u202e'), JSON.stringify(result.stderr));
      const message = json.length ? JSON.parse(result.stderr).error.message : result.stderr;
      assert.match(message, /--coupon "1647\\u202e4341:11004999626": stock id "1647\\u202e4341" is not a positive integer/);
    }
    // --verbose shows the request body as sent: the user's text, a bidi override in it escaped too.
    const verbose = await runCli(
      ['api', 'POST', '/v3/industry-coupon/tokens', '--data', '{"open_id":"o\u202eUser","coupon_list":[]}', '--verbose'],
      { cwd: dir, home: dir },
    );
    assert.match(verbose.stderr, /body: \{"open_id":"o\\u202eUser","coupon_list":\[\]\}/);
    assert.ok(!verbose.stderr.includes('\u202e'), JSON.stringify(verbose.stderr));
    // A setting's value, from the environment (describeValue quotes it).
    const env = await runCli(['doctor'], {
      cwd: dir,
      home: dir,
      env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', WXPAY_MCHID: '1900\u200f0001' },
    });
    assert.equal(env.code, 3, env.stdout + env.stderr);
    assert.ok(!(env.stdout + env.stderr).includes('\u200f'), env.stdout);
    assert.match(env.stdout, /"1900\\u200f0001"/);
    // A batch line's error, in the JSON line written for it; an astral format character as \u{…}.
    const batch = await runCli(['token', '--batch', '-'], {
      cwd: dir,
      home: dir,
      input: `${JSON.stringify({ open_id: 'oUser', coupon_list: [{ stock_id: '1\u{e0001}2', coupon_id: '1' }] })}\n`,
    });
    assert.equal(batch.code, 6, batch.stderr);
    const line = JSON.parse(batch.stdout.trim().split('\n')[0]);
    assert.match(line.error.message, /coupon_list\[0\]\.stock_id: "1\\u\{e0001\}2" is not a positive integer/);
  });

  test('a --open-id or coupon id that ends or starts with a space that is not ASCII names it', async () => {
    for (const [args, expected] of [
      [
        ['--open-id', 'oUser\u3000'],
        /without surrounding spaces \(got 6\); use the user’s openid under your AppID; it ends with U\+3000, not an ASCII space$/m,
      ],
      [['--open-id', '\ufeffoUser'], /it starts with U\+FEFF, not an ASCII space/],
      [['--lang', 'zh-CN', '--open-id', 'oUser\u00a0'], /；它以 U\+00A0 结尾（不是半角空格）/],
    ]) {
      const result = await runCli(['token', ...args, '--coupon', '16474341:1'], { cwd: dir, home: dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
    }
    const batch = await runCli(['token', '--batch', '-'], {
      cwd: dir,
      home: dir,
      input: `${JSON.stringify({ open_id: 'oUser', coupon_list: [{ stock_id: 1, coupon_id: '1\t' }] })}\n`,
    });
    assert.match(JSON.parse(batch.stdout.trim()).error.message, /has spaces around it; [^;]*; it ends with U\+0009, not an ASCII space/);
  });

  test('a line break in a quoted value cannot fake a line of ours: --profile, --config, sandbox --host, the api path, --coupon (hostile check, helper-40)', async () => {
    const fake = '\nwxpay-coupon: token issued OK';
    for (const [args, expected] of [
      [
        ['--profile', `x${fake}`, 'token', '--dry-run', '--open-id', 'o', '--coupon', '1:1'],
        /profile "x\\nwxpay-coupon: token issued OK" not found/,
      ],
      [
        ['token', '--config', `a${fake}`, '--open-id', 'o', '--coupon', '1:1'],
        /--config: a\\nwxpay-coupon: token issued OK does not exist/,
      ],
      [['sandbox', '--host', `a${fake}`], /cannot listen on a\\nwxpay-coupon: token issued OK:0/],
      [
        ['api', 'GET', `/v3/x${fake}`],
        /"\/v3\/x\\nwxpay-coupon: token issued OK" holds a control character \(U\+000A\), which a URL cannot carry/,
      ],
      [
        ['token', '--open-id', 'o', '--coupon', `1:${fake}`],
        /--coupon "1:\\nwxpay-coupon: token issued OK": the coupon id holds a space \(U\+000A, not an ASCII one\)/,
      ],
    ]) {
      const result = await runCli(args, { cwd: dir, home: dir });
      assert.notEqual(result.code, 0, args.join(' '));
      assert.equal(result.stdout, '');
      assert.doesNotMatch(result.stderr, /^wxpay-coupon: token issued OK/m, args.join(' '));
      assert.match(result.stderr, expected);
    }
    // --dry-run shows the body as it would be sent, its lines and tabs kept, anything else invisible as \uXXXX.
    const dry = await runCli(['api', 'POST', '/v3/x', '--dry-run', '--data', '{"a":\n\t"x\u009by\u202e"}'], { cwd: dir, home: dir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(dry.stdout.endsWith('\n{"a":\n\t"x\\u009by\\u202e"}\n'), JSON.stringify(dry.stdout));
    // A full-width ？ or ＆ in an api path is named, with the ASCII path (careless check, helper-41).
    const fullWidth = await runCli(['api', 'GET', '/v3/x？a=1＆b=2'], { cwd: dir, home: dir });
    assert.equal(fullWidth.code, 2);
    assert.match(fullWidth.stderr, /holds a full-width ？ \(a Chinese input method's\); type the ASCII one: \/v3\/x\?a=1&b=2/);
  });

  test('--json lines write every invisible character a string holds as a JSON \\uXXXX escape: the value parses the same (hostile check, helper-40)', async () => {
    const baseUrl = await answeringServer(
      400,
      { 'Content-Type': 'application/json' },
      JSON.stringify({ code: 'PARAM\u202eERR\u0085', message: 'm', detail: { x: '\u202e\u009b\u001b[2J\u007f' } }),
    );
    for (const args of [['token', ...COUPON, '--base-url', baseUrl, '--retries', '0', '--json']]) {
      const result = await runCli(args, { cwd: dir, home: dir });
      assert.equal(result.code, 1);
      assert.ok(!/[\u007f-\u009f\u202e]/u.test(result.stderr), JSON.stringify(result.stderr));
      const { error } = JSON.parse(result.stderr);
      assert.equal(error.code, 'PARAM\u202eERR\u0085', 'the code is as received (P18)');
      assert.deepEqual(error.detail, { x: '\u202e\u009b\u001b[2J\u007f' });
    }
    const batch = await runCli(['token', '--batch', '-', '--base-url', baseUrl, '--retries', '0'], {
      cwd: dir,
      home: dir,
      input: `${JSON.stringify({ open_id: 'oUser', coupon_list: [{ stock_id: 1, coupon_id: '1' }] })}\n`,
    });
    assert.ok(!/[\u007f-\u009f\u202e]/u.test(batch.stdout), JSON.stringify(batch.stdout));
    assert.equal(JSON.parse(batch.stdout.trim()).error.code, 'PARAM\u202eERR\u0085');
  });
});
