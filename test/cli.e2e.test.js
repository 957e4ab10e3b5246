// End to end: the built binary, spawned with a minimal environment, against the sandbox on 127.0.0.1.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../dist/sandbox/index.js';
import {
  assertNoSecrets,
  minimalEnv,
  registerSecrets,
  runCli,
  tempDir,
  writeSandboxConfig,
  ROOT,
  BIN,
  configuredSandbox,
  CONFIG_SEARCH_FILES,
} from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

/** Runs in the configured folder, checks no secret leaked, and returns the result. */
async function run(args, options = {}) {
  const result = await runCli(args, { cwd: dir, home: dir, ...options });
  assertNoSecrets(result, sandbox.credentials);
  return result;
}

describe('output modes', () => {
  test('default: token, expiry with time left, Request-ID; no colour without a TTY', async () => {
    const result = await run(['token', ...COUPON]);
    assert.equal(result.code, 0, result.stderr);
    const last = sandbox.requests.at(-1);
    assert.equal(last.status, 200);
    assert.match(
      result.stdout,
      new RegExp(
        `^token +${last.token}\nexpires_time \\S+\\+08:00 \\(in (1h 59m|2h 0m)\\)\nrequest_id +${last.requestId}\n` +
          `launch_appid wx179335ce27355ca8\nlaunch_path  trafficCoupon/pages/index/index\\?mch_code=${sandbox.credentials.mchid}&token=${last.token}\n$`,
      ),
    );
    assert.ok(!result.stdout.includes('\u001b['), 'no ANSI escapes');
    assert.equal(result.stderr, '');
  });

  test('--json: exactly one line with token, expires_time and request_id as returned', async () => {
    const result = await run(['token', '--json', ...COUPON]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[1], '');
    const json = JSON.parse(lines[0]);
    const last = sandbox.requests.at(-1);
    assert.deepEqual(Object.keys(json), ['token', 'expires_time', 'request_id', 'launch']);
    assert.equal(json.token, last.token);
    assert.equal(json.expires_time, JSON.parse(last.responseBody).expires_time);
    assert.equal(json.request_id, last.requestId);
  });

  test('-q: stdout is the token and a newline, nothing else', async () => {
    const result = await run(['token', '-q', ...COUPON]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.equal(result.stderr, '');
  });

  test('--dry-run: prints the signed request and sends nothing', async () => {
    const before = sandbox.requests.length;
    const text = await run(['token', '--dry-run', ...COUPON]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^POST ${sandbox.baseUrl}/v3/industry-coupon/tokens\n`));
    assert.match(
      text.stdout,
      /\nAuthorization: WECHATPAY2-SHA256-RSA2048 mchid="\d+",nonce_str="[0-9A-Za-z]{32}",signature="[^"]+",timestamp="\d+",serial_no="[0-9A-F]{40}"\n/,
    );
    assert.match(text.stdout, /\nAccept: application\/json\n/);
    assert.match(text.stdout, /\nUser-Agent: wxpay-coupon\/\d+\.\d+\.\d+ \(\w+\/\w+\) node\/\d+\.\d+\.\d+\n/);
    assert.match(text.stdout, new RegExp(`\nWechatpay-Serial: ${sandbox.credentials.publicKeyId}\n`));
    assert.match(text.stdout, /\n\n\{"open_id":"oUser","coupon_list":\[\{"stock_id":16474341,"coupon_id":"11004999626"\}\]\}\n$/);
    const json = await run(['token', '--dry-run', '--json', ...COUPON]);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.method, 'POST');
    assert.equal(parsed.url, `${sandbox.baseUrl}/v3/industry-coupon/tokens`);
    assert.match(parsed.headers.Authorization, /^WECHATPAY2-SHA256-RSA2048 /);
    assert.equal(parsed.body, '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}');
    assert.equal(sandbox.requests.length, before, 'a dry run sends nothing');
  });

  test('--verbose: what was sent and received goes to stderr, never a secret', async () => {
    const result = await run(['token', '--verbose', '-q', ...COUPON]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.match(result.stderr, /config: .*\.wxpayrc\.json/);
    assert.match(result.stderr, /POST http:\/\/127\.0\.0\.1:\d+\/v3\/industry-coupon\/tokens/);
    assert.match(result.stderr, new RegExp(`200 in \\d+ ms, Request-ID ${sandbox.requests.at(-1).requestId}`));
    assert.match(result.stderr, /signature verified with WeChat Pay public key PUB_KEY_ID_/);
  });

  test('colour: FORCE_COLOR forces it, --no-color and NO_COLOR turn it off', async () => {
    const forced = await run(['token', ...COUPON], { env: { PATH: process.env.PATH, HOME: dir, FORCE_COLOR: '1' } });
    assert.ok(forced.stdout.includes('\u001b['), forced.stdout);
    const off = await run(['token', '--no-color', ...COUPON], { env: { PATH: process.env.PATH, HOME: dir, FORCE_COLOR: '1' } });
    assert.ok(!off.stdout.includes('\u001b['));
  });

  test('colour precedence, as README states it: --no-color, then FORCE_COLOR, then NO_COLOR, then whether it is a terminal', async () => {
    const { colourFor } = await import('../dist/cli/output.js');
    // [env, a terminal?, --no-color given?, colour expected]
    const cases = [
      [{}, true, false, true],
      [{}, false, false, false],
      [{ NO_COLOR: '1' }, true, false, false],
      [{ NO_COLOR: '' }, true, false, true],
      [{ FORCE_COLOR: '1' }, false, false, true],
      [{ FORCE_COLOR: '' }, false, false, true],
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, false, true],
      [{ FORCE_COLOR: '0' }, true, false, false],
      [{ FORCE_COLOR: 'false' }, true, false, false],
      [{ FORCE_COLOR: '1' }, true, true, false],
    ];
    for (const [env, isTTY, noColor, expected] of cases) {
      const chalk = await colourFor({ env }, isTTY, !noColor);
      assert.equal(chalk.level > 0, expected, `${JSON.stringify(env)} tty=${isTTY} --no-color=${noColor}`);
    }
  });
});

describe('exit codes', () => {
  test('1: WeChat Pay answered with an error; code, Chinese message and Request-ID shown', async () => {
    const wrong = tempDir();
    writeSandboxConfig(sandbox, wrong, { overrides: { serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' } });
    const result = await run(['token', ...COUPON], { cwd: wrong });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const last = sandbox.requests.at(-1);
    assert.match(result.stderr, /WeChat Pay answered 401 SIGN_ERROR: 商户证书序列号有误。请使用签名私钥匹配的证书序列号/);
    assert.match(result.stderr, /Check that mchid, serial and privateKey belong to the same merchant API certificate/);
    assert.match(result.stderr, new RegExp(`Request-ID: ${last.requestId}`));
    const json = await run(['token', '--json', ...COUPON], { cwd: wrong });
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    const error = JSON.parse(json.stderr).error;
    assert.deepEqual(
      { exit_code: error.exit_code, kind: error.kind, code: error.code, status: error.status, request_id: error.request_id },
      { exit_code: 1, kind: 'api', code: 'SIGN_ERROR', status: 401, request_id: sandbox.requests.at(-1).requestId },
    );
    assert.match(error.message, /商户证书序列号有误/);
  });

  test('1 with --verbose: SIGN_ERROR shows what the server signed (P11)', async () => {
    const wrongKey = tempDir();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeSandboxConfig(sandbox, wrongKey);
    registerSecrets({ privateKeyPem: other });
    writeFileSync(path.join(wrongKey, 'apiclient_key.pem'), other);
    const result = await runCli(['token', '--verbose', ...COUPON], { cwd: wrongKey, home: wrongKey });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /签名错误/);
    assert.match(result.stderr, /truncated_sign_message\): "POST\\n\/v3\/industry-coupon\/tokens\\n/);
    assert.ok(!result.stderr.includes(other.split('\n')[1]), 'the wrong key is not printed either');
  });

  test('2: bad input is a usage error in the server\u2019s words, and nothing is sent', async () => {
    const before = sandbox.requests.length;
    const cases = [
      [['token', '--open-id', 'o', '--coupon', '1:a', '--coupon', '1:a'], /券ID存在重复/],
      [['token', '--open-id', 'o', '--coupon', '1:a', '--coupon', '2:b'], /单次请求只能传一个批次号/],
      [['token', '--open-id', 'o'], /没传入券列表/],
      [['token', '--coupon', '1:a'], /missing --open-id/],
      [['token', '--open-id', 'o', '--coupon', 'x'], /is not <stock_id>:<coupon_id>/],
      [['token', '--open-id', 'o', '--coupon', '1:a', '--timeout', 'soon'], /--timeout "soon" must be a whole number/],
      [['token', '--open-id', 'o', '--coupon', '1:a', '--base-url', 'http://api.example.com'], /plain http to a host that is not loopback/],
      [['token', '--open-id', 'o', '--coupon', '1:a', '--json', '-q'], /cannot be used with/],
      [['token', '--bogus'], /unknown option '--bogus'/],
      [['nope'], /unknown command 'nope'/],
    ];
    for (const [args, pattern] of cases) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, pattern);
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
    }
    const json = await run(['token', '--json', '--open-id', 'o', '--coupon', '1:a', '--coupon', '1:a']);
    assert.deepEqual(JSON.parse(json.stderr), {
      error: {
        exit_code: 2,
        kind: 'usage',
        code: 'INVALID_REQUEST',
        message: '券ID存在重复 (duplicate coupon id): a is given twice; list each coupon once',
      },
    });
    assert.equal(sandbox.requests.length, before, 'nothing was sent');
    const bare = await run([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: wxpay-coupon/);
  });

  test('3: no config, with where it looked and how to start', async () => {
    const empty = tempDir();
    const result = await runCli(['token', ...COUPON], { cwd: empty, home: empty });
    assert.equal(result.code, 3);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^wxpay-coupon: no configuration found:/);
    assert.match(result.stderr, /--sandbox/);
    const json = await runCli(['token', '--json', ...COUPON], { cwd: empty, home: empty });
    assert.equal(JSON.parse(json.stderr).error.kind, 'config');
  });

  test('3: an invalid key file names the file key', async () => {
    const broken = tempDir();
    writeSandboxConfig(sandbox, broken);
    writeFileSync(path.join(broken, 'apiclient_key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const result = await run(['token', ...COUPON], { cwd: broken });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /\.wxpayrc\.json: privateKey: .*apiclient_key\.pem is not a readable PEM private key/);
  });

  test('3: a broken package.json found by the search is named; with --config it is not read at all', async () => {
    const dir = tempDir();
    writeSandboxConfig(sandbox, dir, { file: 'merchant.json' });
    writeFileSync(path.join(dir, 'package.json'), '{"name": "app",}\n');
    const result = await run(['token', ...COUPON], { cwd: dir });
    assert.equal(result.code, 3);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'wxpay-coupon: the configuration has a problem:\n  - package.json: cannot be parsed: invalid JSON at line 1, column 16 (expected a property name)\n',
    );
    const explicit = await run(['--config', 'merchant.json', 'token', '-q', ...COUPON], { cwd: dir });
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal(explicit.stderr, '');
  });

  test('4: connection refused and a timeout, each within its bound', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await run(['token', ...COUPON, '--base-url', `http://127.0.0.1:${port}`]);
    assert.equal(refused.code, 4);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /refused the connection/);

    const hanging = createServer(() => {});
    await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const timedOut = await run([
        'token',
        '--json',
        ...COUPON,
        '--timeout',
        '400',
        '--base-url',
        `http://127.0.0.1:${hanging.address().port}`,
      ]);
      assert.equal(timedOut.code, 4);
      assert.equal(timedOut.stdout, '');
      assert.match(JSON.parse(timedOut.stderr).error.message, /no answer from http:\/\/127\.0\.0\.1:\d+ within 400 ms/);
      assert.ok(timedOut.elapsedMs < 5000, `took ${timedOut.elapsedMs} ms`);
    } finally {
      hanging.close();
    }
  });

  test('5: an answer signed by a key we do not hold is never trusted, its token never printed', async () => {
    const forged = tempDir();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    writeSandboxConfig(sandbox, forged);
    writeFileSync(path.join(forged, 'pub_key.pem'), other);
    const result = await run(['token', '--json', ...COUPON], { cwd: forged });
    assert.equal(result.code, 5);
    assert.equal(result.stdout, '');
    const last = sandbox.requests.at(-1);
    assert.equal(last.status, 200);
    assert.ok(!result.stderr.includes(last.token), 'the unverified token appears nowhere');
    const error = JSON.parse(result.stderr).error;
    assert.equal(error.code, 'SIGNATURE_INVALID');
    assert.equal(error.request_id, last.requestId);
  });

  test('5: an answer signed with an unknown serial names it and the configured ones', async () => {
    const certSandbox = await startSandbox({ mode: 'certificate' });
    try {
      const folder = tempDir();
      writeSandboxConfig(certSandbox, folder, {
        overrides: { platformCertificates: [path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_certificate.pem')] },
      });
      const result = await runCli(['token', ...COUPON], { cwd: folder, home: folder });
      assert.equal(result.code, 5);
      assert.match(
        result.stderr,
        new RegExp(
          `signed with key ${certSandbox.credentials.certificateSerial}, which is not configured \\(configured: 440024045C4A427599D09BB4E3DE0279F2E813FD\\)`,
        ),
      );
      assertNoSecrets(result, certSandbox.credentials);
    } finally {
      await certSandbox.close();
    }
  });

  test('1: a publicKeyId WeChat Pay does not know (a merchant on platform certificates) is explained, both languages, token and api', async () => {
    const certSandbox = await startSandbox({ mode: 'certificate' });
    try {
      const folder = tempDir();
      writeSandboxConfig(certSandbox, folder, {
        overrides: {
          publicKeyId: 'PUB_KEY_ID_0114232134912410000000000000',
          publicKey: path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_public_key.pem'),
        },
      });
      for (const [args, lang, expected] of [
        [
          ['token', ...COUPON],
          'en',
          /Wechatpay-Serial值无效[^\n]*\nThe request asked WeChat Pay to sign with PUB_KEY_ID_0114232134912410000000000000 \(its Wechatpay-Serial header: publicKeyId in the config\), which is no WeChat Pay public key of this mchid/,
        ],
        [
          ['token', ...COUPON],
          'zh-CN',
          /Wechatpay-Serial值无效[^\n]*\n请求要求微信支付用 PUB_KEY_ID_0114232134912410000000000000 签名（请求头 Wechatpay-Serial，即配置中的 publicKeyId）/,
        ],
        [['api', 'GET', '/v3/certificates'], 'en', /remove publicKeyId and publicKey from the config\./],
      ]) {
        const result = await runCli(['--lang', lang, ...args], { cwd: folder, home: folder });
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /400 INVALID_REQUEST/);
        assert.match(result.stderr, expected);
        assert.doesNotMatch(result.stderr, /Fix the request as the message says|请按提示修改请求/);
        assertNoSecrets(result, certSandbox.credentials);
      }
      // A request that carried no Wechatpay-Serial (certificates only) gets no word about publicKeyId (hostile check, helper-40).
      const { createServer: createHttpServer } = await import('node:http');
      const answering = createHttpServer((request, response) =>
        response
          .writeHead(400, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ code: 'PARAM_ERROR', message: 'Http头Wechatpay-Serial值无效' })),
      );
      await new Promise((resolve) => answering.listen(0, '127.0.0.1', resolve));
      try {
        const plain = tempDir();
        writeSandboxConfig(certSandbox, plain, { overrides: { baseUrl: `http://127.0.0.1:${answering.address().port}` } });
        const result = await runCli(['token', ...COUPON, '--retries', '0'], { cwd: plain, home: plain });
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, /400 PARAM_ERROR: Http头Wechatpay-Serial值无效\nFix the parameter named above and try again\./);
        assert.doesNotMatch(result.stderr, /publicKeyId/);
      } finally {
        await new Promise((resolve) => answering.close(resolve));
      }
    } finally {
      await certSandbox.close();
    }
  });

  for (const signal of ['SIGINT', 'SIGTERM']) {
    test(`130: ${signal} while waiting for an answer, said as Ctrl-C or SIGTERM (hostile check, helper-37: SIGTERM was called Ctrl-C)`, async () => {
      let child;
      let signalled = false;
      const hanging = createServer(() => {
        if (!signalled) child.kill(signal);
        signalled = true;
      });
      await new Promise((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      try {
        const result = await run(['token', ...COUPON, '--base-url', `http://127.0.0.1:${hanging.address().port}`], {
          onSpawn: (spawned) => (child = spawned),
        });
        assert.equal(result.code, 130);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /^wxpay-coupon: interrupted \(Ctrl-C or SIGTERM\) before WeChat Pay answered; no token was printed\n$/);
      } finally {
        hanging.close();
      }
    });
  }
});

describe('configuration end to end', () => {
  for (const file of CONFIG_SEARCH_FILES) {
    test(`the binary finds its config in ${file}`, async () => {
      const root = tempDir();
      if (file.endsWith('.js')) writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
      writeSandboxConfig(sandbox, root, { file });
      const result = await run(['token', '-q', '--verbose', ...COUPON], { cwd: root, home: root });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`config: ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${file.replace('.', '\\.')}`));
      assert.equal(result.stdout, `${sandbox.requests.at(-1).token}\n`);
    });
  }

  test('from a .wxpayrc.yaml in a parent folder', async () => {
    const root = tempDir();
    writeSandboxConfig(sandbox, root, { file: '.wxpayrc.yaml' });
    const nested = path.join(root, 'services', 'api');
    mkdirSync(nested, { recursive: true });
    const result = await run(['token', '-q', ...COUPON], { cwd: nested, home: root });
    assert.equal(result.code, 0, result.stderr);
  });

  test('from package.json#wxpay', async () => {
    const root = tempDir();
    writeSandboxConfig(sandbox, root, { file: 'package.json' });
    assert.equal((await run(['token', '-q', ...COUPON], { cwd: root, home: root })).code, 0);
  });

  test('from the global folder ~/.config/wxpay/config.json', async () => {
    const home = tempDir();
    const global = path.join(home, '.config', 'wxpay');
    writeSandboxConfig(sandbox, global, { file: 'config.json' });
    const work = path.join(home, 'work');
    mkdirSync(work);
    const result = await run(['token', '-q', '--verbose', ...COUPON], { cwd: work, home });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /config: .*\.config\/wxpay\/config\.json/);
  });

  test('--config loads exactly that file', async () => {
    const home = tempDir();
    writeSandboxConfig(sandbox, path.join(home, 'elsewhere'), { file: 'merchant.json' });
    writeFileSync(path.join(home, '.wxpayrc.json'), '{"mchid":"not valid"}');
    const result = await run(['--config', 'elsewhere/merchant.json', 'token', '-q', ...COUPON], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
  });

  test('from the environment alone, no file', async () => {
    const home = tempDir();
    const c = sandbox.credentials;
    writeFileSync(path.join(home, 'key.pem'), c.privateKeyPem);
    const env = minimalEnv(home, {
      WXPAY_MCHID: c.mchid,
      WXPAY_SERIAL: c.serial,
      WXPAY_PRIVATE_KEY: 'key.pem',
      WXPAY_PUBLIC_KEY_ID: c.publicKeyId,
      WXPAY_PUBLIC_KEY: c.publicKeyPem,
      WXPAY_BASE_URL: sandbox.baseUrl,
    });
    const result = await run(['token', '--json', ...COUPON], { cwd: home, env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).token, sandbox.requests.at(-1).token);
  });

  test('a profile selected with --profile and with WXPAY_PROFILE', async () => {
    const home = tempDir();
    writeSandboxConfig(sandbox, home, {
      overrides: { baseUrl: 'http://127.0.0.1:1', profiles: { sandbox: { baseUrl: sandbox.baseUrl } } },
    });
    assert.equal((await run(['token', '-q', ...COUPON, '--profile', 'sandbox'], { cwd: home, home })).code, 0);
    assert.equal((await run(['token', '-q', ...COUPON], { cwd: home, env: minimalEnv(home, { WXPAY_PROFILE: 'sandbox' }) })).code, 0);
    const missing = await run(['token', '-q', ...COUPON, '--profile', 'prod'], { cwd: home, home });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /--profile: profile "prod" not found in \.wxpayrc\.json \(available: sandbox\)/);
  });

  test('platform certificate mode, and both modes configured at once (P17)', async () => {
    const certSandbox = await startSandbox({ mode: 'certificate' });
    try {
      const folder = tempDir();
      writeSandboxConfig(certSandbox, folder);
      const result = await runCli(['token', '--verbose', '-q', ...COUPON], { cwd: folder, home: folder });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`verified with platform certificate ${certSandbox.credentials.certificateSerial}`));
      assert.ok(!('wechatpay-serial' in certSandbox.requests.at(-1).headers), 'no Wechatpay-Serial without a public key id');
      assertNoSecrets(result, certSandbox.credentials);
    } finally {
      await certSandbox.close();
    }
    // Public key mode with a (stale) platform certificate also configured: the public key id is sent and used.
    const both = tempDir();
    writeSandboxConfig(sandbox, both, {
      overrides: { platformCertificates: [path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_certificate.pem')] },
    });
    const result = await run(['token', '--verbose', '-q', ...COUPON], { cwd: both, home: both });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(sandbox.requests.at(-1).headers['wechatpay-serial'], sandbox.credentials.publicKeyId);
  });
});

test('a stock id above 2^53 reaches the server with every digit (P3)', async () => {
  const result = await run([
    'token',
    '-q',
    '--open-id',
    'oUser',
    '--coupon',
    '9007199254740993123:c1',
    '--coupon',
    '9007199254740993123:c2',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const last = sandbox.requests.at(-1);
  assert.deepEqual(last.stockIds, ['9007199254740993123', '9007199254740993123']);
  assert.match(last.body, /"stock_id":9007199254740993123,"coupon_id":"c1"/);
});

test('non-ASCII open_id and coupon ids are signed and sent as UTF-8', async () => {
  const result = await run(['token', '-q', '--open-id', 'o用户', '--coupon', '16474341:券-1']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(sandbox.requests.at(-1).body, /"open_id":"o用户".*"coupon_id":"券-1"/);
});

test('token --sandbox ignores any config and says the token is not from WeChat Pay', async () => {
  const home = tempDir();
  writeFileSync(path.join(home, '.wxpayrc.json'), '{"mchid":"broken"}');
  const result = await runCli(['token', '--sandbox', '--json', ...COUPON], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.match(JSON.parse(result.stdout).token, /^[A-Za-z0-9_-]{32}$/);
  assert.match(result.stderr, /came from the local sandbox, not WeChat Pay/);
});

test('token --sandbox with --config or --profile is a usage error, not a config ignored in silence (hostile check, helper-37)', async () => {
  const home = tempDir();
  writeFileSync(path.join(home, '.wxpayrc.json'), '{"mchid":"broken"}');
  for (const [flag, value] of [
    ['--config', '.wxpayrc.json'],
    ['--profile', 'nope'],
    ['--config=.wxpayrc.json', undefined],
  ]) {
    const args = ['token', '--sandbox', ...COUPON, flag, ...(value === undefined ? [] : [value])];
    const result = await runCli(args, { cwd: home, home });
    assert.equal(result.code, 2, result.stderr);
    const name = flag.split('=')[0];
    assert.equal(
      result.stderr,
      `wxpay-coupon: --sandbox uses its own throwaway credentials and reads no config; leave out ${name}, or leave out --sandbox to use that config\n`,
    );
    const json = await runCli([...args, '--json'], { cwd: home, home });
    assert.equal(JSON.parse(json.stderr).error.code, 'CONFLICTING_FLAGS');
  }
  const zh = await runCli(['token', '--sandbox', ...COUPON, '--profile', 'x', '--lang', 'zh-CN'], { cwd: home, home });
  assert.match(zh.stderr, /--sandbox 使用自己的一次性凭据，不读取任何配置；请去掉 --profile/);
});

test('wxpay-coupon sandbox serves, writes a ready config, and stops on Ctrl-C', async () => {
  const home = tempDir();
  const folder = path.join(home, 'sb');
  let child;
  const served = runCli(['sandbox', '--dir', 'sb', '--mode', 'certificate'], { cwd: home, home, onSpawn: (spawned) => (child = spawned) });
  const firstLine = await new Promise((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n  wxpay-coupon token')) resolve(text);
    });
  });
  assert.match(
    firstLine,
    /^WeChat Pay sandbox \(certificate mode\) at http:\/\/127\.0\.0\.1:\d+\nconfig folder: .*sb\ntry:\n {2}wxpay-coupon token --config .*\.wxpayrc\.json --open-id oSandboxUser --coupon 16474341:11004999626\n/,
  );
  const config = JSON.parse(readFileSync(path.join(folder, '.wxpayrc.json'), 'utf8'));
  assert.equal((statSync(path.join(folder, 'merchant_private_key.pem')).mode & 0o777).toString(8), '600');
  assert.match(config.platformCertificates[0], /^wechatpay_[0-9A-F]{40}\.pem$/);
  const tried = await runCli(
    ['token', '--config', path.join(folder, '.wxpayrc.json'), '--json', '--open-id', 'oSandboxUser', '--coupon', '16474341:11004999626'],
    { cwd: home, home },
  );
  assert.equal(tried.code, 0, tried.stderr);
  assert.ok(JSON.parse(tried.stdout).token);
  child.kill('SIGINT');
  const result = await served;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /POST \/v3\/industry-coupon\/tokens → 200/);
  // A folder given with --dir is the user's: it stays, with the config in it.
  const privateKey = readFileSync(path.join(folder, 'merchant_private_key.pem'), 'utf8');
  assertNoSecrets(result, { privateKeyPem: privateKey, apiv3Key: config.apiv3Key });
  assert.ok(existsSync(path.join(folder, '.wxpayrc.json')));
});

test('the sandbox\u2019s try: command works pasted into a shell when its folder holds a space and a quote (hostile check, helper-40)', async () => {
  const home = tempDir();
  let child;
  const served = runCli(['sandbox', '--dir', "my sb's"], { cwd: home, home, onSpawn: (spawned) => (child = spawned) });
  const shown = await new Promise((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (/\n {2}wxpay-coupon token .*\n/.test(text)) resolve(text);
    });
  });
  const command = /\n {2}(wxpay-coupon token .*)\n/.exec(shown)[1];
  assert.match(command, /--config '.*my sb'\\''s\/\.wxpayrc\.json' --open-id/);
  const { execFile } = await import('node:child_process');
  const pasted = await new Promise((resolve) =>
    execFile(
      'sh',
      ['-c', command.replace(/^wxpay-coupon /, `"${process.execPath}" "${BIN}" `) + ' --json'],
      { cwd: home, env: minimalEnv(home) },
      (error, stdout) => resolve({ code: error ? error.code : 0, stdout }),
    ),
  );
  assert.equal(pasted.code, 0);
  assert.ok(JSON.parse(pasted.stdout).token);
  child.kill('SIGINT');
  assert.equal((await served).code, 0);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`wxpay-coupon sandbox without --dir removes the temporary folder it made when it stops (${signal})`, async () => {
    const home = tempDir();
    const tmp = tempDir('wxpay-tmp-');
    let child;
    const served = runCli(['sandbox', '--json'], {
      cwd: home,
      home,
      env: minimalEnv(home, { TMPDIR: tmp }),
      onSpawn: (spawned) => (child = spawned),
    });
    const info = await new Promise((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) resolve(JSON.parse(text));
      });
    });
    assert.equal(path.dirname(info.dir), tmp);
    assert.ok(existsSync(info.config));
    child.kill(signal);
    const result = await served;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(info.dir), false, `${info.dir} is left after ${signal}`);
    assert.deepEqual(readdirSync(tmp), []);
  });
}
