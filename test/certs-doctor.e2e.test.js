// certs download/list and doctor, end to end against the sandbox in both key modes.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import path from 'node:path';
import { startSandbox } from '../dist/sandbox/index.js';
import { createSelfSignedCertificate } from '../dist/sandbox/x509.js';
import { assertNoSecrets, configuredSandbox, minimalEnv, runCli, tempDir, BIN, ROOT, sandboxConfigDir } from './helpers.js';

let certificateSandbox;
let publicKeySandbox;
before(async () => {
  [certificateSandbox, publicKeySandbox] = await Promise.all([startSandbox({ mode: 'certificate' }), startSandbox({ mode: 'public-key' })]);
});
after(() => Promise.all([certificateSandbox.close(), publicKeySandbox.close()]));

async function run(sandbox, dir, args) {
  const result = await runCli(args, { cwd: dir, home: dir });
  assertNoSecrets(result, sandbox.credentials);
  return result;
}

/** `doctor --online --json` that fails with exit code 5 on its online check: that check, and the error on stderr. */
async function failedOnlineCheck(sandbox, dir) {
  const json = await run(sandbox, dir, ['doctor', '--online', '--json']);
  assert.equal(json.code, 5, json.stdout + json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.ok, false);
  const online = report.checks.find((check) => check.name === 'online');
  assert.equal(online.ok, false);
  return { online, error: JSON.parse(json.stderr).error };
}

/**
 * A server at baseUrl answering every request with an unsigned 404 RESOURCE_NOT_EXISTS, as a
 * proxy or a wrong baseUrl could (P27), and a config of the public-key sandbox pointing at it.
 */
async function withUnsignedNotFound(body) {
  const forger = createServer((request, response) => {
    response.writeHead(404, { 'Content-Type': 'application/json', 'Request-ID': 'F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0' });
    response.end(JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书' }));
  });
  await new Promise((resolve) => forger.listen(0, '127.0.0.1', resolve));
  try {
    const baseUrl = `http://127.0.0.1:${forger.address().port}`;
    await body(baseUrl, sandboxConfigDir(publicKeySandbox, { baseUrl }));
  } finally {
    await new Promise((resolve) => forger.close(resolve));
  }
}

describe('certs download', () => {
  test('downloads, decrypts, verifies and writes wechatpay_<serial>.pem atomically with mode 0644', async () => {
    // Bootstrap: no platform certificate configured yet; the answer is verified with the certificate it carries.
    const dir = sandboxConfigDir(certificateSandbox, { platformCertificates: undefined });
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    delete config.platformCertificates;
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const serial = certificateSandbox.credentials.certificateSerial;
    const result = await run(certificateSandbox, dir, ['certs', 'download', '--out', 'keys']);
    assert.equal(result.code, 0, result.stderr);
    const file = path.join(dir, 'keys', `wechatpay_${serial}.pem`);
    assert.equal(readFileSync(file, 'utf8').trim(), certificateSandbox.credentials.certificatePem.trim());
    assert.equal((statSync(file).mode & 0o777).toString(8), '644');
    assert.deepEqual(readdirSync(path.join(dir, 'keys')), [`wechatpay_${serial}.pem`], 'no temp file is left behind');
    assert.match(result.stdout, new RegExp(`✓ ${serial}  effective \\S+\\+08:00  expires \\S+\\+08:00`));
    assert.match(result.stdout, new RegExp(`"platformCertificates": \\["\\./keys/wechatpay_${serial}\\.pem"\\]`));
    assert.equal(certificateSandbox.requests.at(-1).path, '/v3/certificates');
    assert.equal(certificateSandbox.requests.at(-1).method, 'GET');

    // Run again over the existing file, as JSON; the written certificate then verifies a token answer.
    const again = await run(certificateSandbox, dir, ['certs', 'download', '--out', 'keys', '--json']);
    assert.equal(again.code, 0, again.stderr);
    const json = JSON.parse(again.stdout);
    assert.equal(json.certificates[0].serial, serial);
    assert.equal(json.certificates[0].file, file);
    assert.deepEqual(json.config.platformCertificates, [`./keys/wechatpay_${serial}.pem`]);
    config.platformCertificates = json.config.platformCertificates;
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const token = await run(certificateSandbox, dir, ['token', '-q', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(token.code, 0, token.stderr);
  });

  test('a public-key merchant gets 404 RESOURCE_NOT_EXISTS explained, exit 1: verified, it says the key already configured; with no key, what to set', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const result = await run(publicKeySandbox, dir, ['certs', 'download']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(
        `404 RESOURCE_NOT_EXISTS, signed and verified: this merchant has no platform certificates: it uses the WeChat Pay public key \\(微信支付公钥\\) the config already holds, publicKeyId ${publicKeySandbox.credentials.publicKeyId}, which every answer is verified with; there is nothing to download\\.`,
      ),
    );
    assert.match(result.stderr, /Request-ID: [0-9A-F]{32}/);
    const zh = await run(publicKeySandbox, dir, ['certs', 'download', '--lang', 'zh-CN']);
    assert.match(zh.stderr, /RESOURCE_NOT_EXISTS（应答签名已验证）：该商户没有平台证书，使用的是配置中已有的微信支付公钥/);
    // Before any key is configured (requireVerificationKey: false), the advice: where to get the key and what to set.
    const bare = sandboxConfigDir(publicKeySandbox, { publicKey: undefined, publicKeyId: undefined });
    const first = await run(publicKeySandbox, bare, ['certs', 'download', '--json']);
    assert.equal(first.code, 1, first.stderr);
    const error = JSON.parse(first.stderr).error;
    assert.match(
      error.message,
      /404 RESOURCE_NOT_EXISTS: This merchant has no platform certificates: it uses a WeChat Pay public key instead/,
    );
    assert.match(error.message, /账户中心 → API安全 → 微信支付公钥, then set publicKeyId \(PUB_KEY_ID_…\) and publicKey in the config/);
    // A configured key that does not verify the 404: not trusted, exit 5 (P27).
    const wrong = sandboxConfigDir(publicKeySandbox, {
      publicKey: path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_public_key.pem'),
    });
    const forged = await run(publicKeySandbox, wrong, ['certs', 'download']);
    assert.equal(forged.code, 5, forged.stderr);
    assert.match(forged.stderr, /signature does not verify with public key PUB_KEY_ID_/);
  });

  test('an unsigned 404 RESOURCE_NOT_EXISTS is not said to be WeChat Pay\u2019s: it names baseUrl and what to check, exit 1 (P27)', async () => {
    await withUnsignedNotFound(async (baseUrl, dir) => {
      for (const json of [[], ['--json']]) {
        const result = await run(publicKeySandbox, dir, ['certs', 'download', ...json]);
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stdout, '');
        const message = json.length ? JSON.parse(result.stderr).error.message : result.stderr;
        assert.match(
          message,
          new RegExp(`${baseUrl} answered 404 RESOURCE_NOT_EXISTS without WeChat Pay's signature headers, so it is not proven`),
        );
        assert.doesNotMatch(message, /WeChat Pay answered|already holds/);
      }
      const zh = await run(publicKeySandbox, dir, ['certs', 'download', '--lang', 'zh-CN']);
      assert.match(zh.stderr, /应答了 404 RESOURCE_NOT_EXISTS，但应答不带微信支付的签名，无法验签，因此不能证明它来自微信支付/);
    });
  });

  test('only the 404 of a public-key merchant (无可用的平台证书) is explained, and by the key that verified it; any other RESOURCE_NOT_EXISTS is passed on as received (hostile check, helper-40)', async () => {
    const { createPrivateKey, sign: rsaSign, randomBytes } = await import('node:crypto');
    const { publicKey: certPublic, privateKey: certPrivate } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const certificate = createSelfSignedCertificate({ publicKey: certPublic, privateKey: certPrivate, commonName: 'platform' });
    const wechatpayKey = createPrivateKey(publicKeySandbox.credentials.wechatpayPrivateKeyPem);
    let answer;
    const server = createServer((request, response) => {
      const { status, body, key, serial } = answer;
      const headers = { 'Content-Type': 'application/json', 'Request-ID': 'A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1' };
      if (key) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomBytes(16).toString('hex');
        Object.assign(headers, {
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': serial,
          'Wechatpay-Signature': rsaSign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), key).toString('base64'),
        });
      }
      response.writeHead(status, headers).end(body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const dir = sandboxConfigDir(publicKeySandbox, {
        baseUrl: `http://127.0.0.1:${server.address().port}`,
        platformCertificates: ['platform.pem'],
      });
      writeFileSync(path.join(dir, 'platform.pem'), certificate.pem);
      const publicKeyId = publicKeySandbox.credentials.publicKeyId;
      for (const [label, status, message, key, serial, expected] of [
        [
          'signed by a platform certificate',
          404,
          '无可用的平台证书',
          certPrivate,
          certificate.serial,
          /WeChat Pay answered 404 RESOURCE_NOT_EXISTS: 无可用的平台证书\n/,
        ],
        [
          'another RESOURCE_NOT_EXISTS, signed by the public key',
          404,
          '商户不存在',
          wechatpayKey,
          publicKeyId,
          /WeChat Pay answered 404 RESOURCE_NOT_EXISTS: 商户不存在\n/,
        ],
        ['an unsigned 400', 400, 'x', undefined, undefined, /WeChat Pay answered 400 RESOURCE_NOT_EXISTS: x\n/],
      ]) {
        answer = { status, body: JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message }), key, serial };
        const result = await run(publicKeySandbox, dir, ['certs', 'download', '--retries', '0']);
        assert.equal(result.code, 1, `${label}: ${result.stderr}`);
        assert.match(result.stderr, expected, label);
        assert.doesNotMatch(result.stderr, /already holds|then set publicKeyId/, label);
        // doctor --online: a verified answer proves the credentials, and says nothing of the merchant (helper-42).
        if (status === 404) {
          const doctor = await run(publicKeySandbox, dir, ['doctor', '--online']);
          assert.equal(doctor.code, 0, `${label}: ${doctor.stdout}${doctor.stderr}`);
          assert.match(
            doctor.stdout,
            new RegExp(
              `✓ online: .* accepted the signed request and its answer verified \\(\\d+ ms round trip\\); it answered 404 RESOURCE_NOT_EXISTS: ${message}`,
            ),
          );
          assert.doesNotMatch(doctor.stdout, /uses a WeChat Pay public key/, label);
        }
      }
      answer = {
        status: 404,
        body: JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书' }),
        key: wechatpayKey,
        serial: publicKeyId,
      };
      const verified = await run(publicKeySandbox, dir, ['certs', 'download']);
      assert.match(verified.stderr, new RegExp(`signed and verified: .* the config already holds, publicKeyId ${publicKeyId},`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('without an APIv3 key it is a config error, and nothing is sent', async () => {
    const dir = sandboxConfigDir(certificateSandbox, { apiv3Key: undefined });
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    delete config.apiv3Key;
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config));
    const before = certificateSandbox.requests.length;
    const result = await run(certificateSandbox, dir, ['certs', 'download', '--json']);
    assert.equal(result.code, 3);
    assert.match(JSON.parse(result.stderr).error.message, /apiv3Key: is missing: downloading platform certificates needs the APIv3 key/);
    assert.equal(certificateSandbox.requests.length, before);
  });

  test('a wrong APIv3 key cannot decrypt: exit 5, no file written', async () => {
    const dir = sandboxConfigDir(certificateSandbox, { apiv3Key: 'x'.repeat(32) });
    const result = await run(certificateSandbox, dir, ['certs', 'download', '--out', 'keys']);
    assert.equal(result.code, 5);
    assert.match(result.stderr, /cannot be decrypted with the configured APIv3 key/);
    assert.throws(() => readdirSync(path.join(dir, 'keys')));
  });
});

describe('certs download --out and the printed config lines', () => {
  /** Whether this process can write into `folder` (root can write almost anywhere). */
  const writable = (folder) => {
    try {
      writeFileSync(path.join(folder, `.probe-${process.pid}`), '');
      rmSync(path.join(folder, `.probe-${process.pid}`), { force: true });
      return true;
    } catch {
      return false;
    }
  };

  test('--out that is a file, under a file, or unwritable: usage error naming --out, checked before anything is fetched', async (t) => {
    const dir = sandboxConfigDir(certificateSandbox);
    writeFileSync(path.join(dir, 'notes.txt'), 'a file\n');
    const cases = [
      ['notes.txt', /is a file, or lies under a file/],
      ['notes.txt/keys', /is a file, or lies under a file/],
      ['notes.txt/a/b', /is a file, or lies under a file/],
    ];
    // Unwritable even for root: sysfs takes no new files (Linux).
    if (process.platform === 'linux' && existsSync('/sys') && !writable('/sys')) {
      cases.push(['/sys', /is not writable by this user/], ['/sys/wxpay-keys', /is not writable by this user/]);
    } else t.diagnostic('no /sys to test an unwritable folder as root');
    // procfs takes no new folders, and Node's recursive mkdir spun for ever there (src/folders.ts).
    if (process.platform === 'linux' && existsSync('/proc/self')) {
      cases.push(
        ['/proc/wxpay-keys', /cannot be made: this file system does not take new folders there/],
        ['/proc/wxpay/keys', /cannot be made/],
      );
    } else t.diagnostic('no /proc');
    for (const [out, problem] of cases) {
      const before = certificateSandbox.requests.length;
      const result = await run(certificateSandbox, dir, ['certs', 'download', '--out', out, '--json']);
      assert.equal(result.code, 2, `${out}: ${result.stderr}`);
      const { error } = JSON.parse(result.stderr);
      assert.equal(error.kind, 'usage');
      assert.equal(error.code, 'INVALID_OUT');
      // A relative --out is followed by the folder it names; an absolute one is that folder already.
      const head = path.isAbsolute(out) ? `--out "${out}" ` : `--out "${out}" (${path.join(dir, out)}) `;
      assert.ok(error.message.startsWith(head) && !error.message.startsWith(`${head}(`), error.message);
      assert.match(error.message, problem);
      assert.match(error.message, /nothing was fetched/);
      assert.equal(certificateSandbox.requests.length, before, `${out}: nothing reached the sandbox`);
    }
    assert.equal(readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'a file\n');
  });

  test('as a user who cannot write the folder (setpriv to nobody): usage error, nothing fetched', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to switch to nobody');
    const setpriv = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
    if (setpriv.status !== 0) return t.skip(`setpriv cannot switch to nobody here: ${setpriv.stderr}`);
    const home = tempDir();
    chmodSync(home, 0o777);
    const locked = path.join(home, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const dir = sandboxConfigDir(certificateSandbox);
    chmodSync(dir, 0o755);
    const before = certificateSandbox.requests.length;
    // Asynchronously: the sandbox answers from this very process.
    const result = await new Promise((resolve) => {
      execFile(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          BIN,
          'certs',
          'download',
          '--out',
          path.join(locked, 'keys'),
        ],
        {
          cwd: dir,
          env: minimalEnv(home),
          encoding: 'utf8',
          timeout: 20_000,
        },
        (error, stdout, stderr) => resolve({ status: error ? error.code : 0, stdout, stderr }),
      );
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /^wxpay-coupon: --out ".*locked\/keys" is not writable by this user; .*nothing was fetched/m);
    assert.equal(certificateSandbox.requests.length, before);
    assert.equal(existsSync(path.join(locked, 'keys')), false);
  });

  test('run from a subfolder, the printed platformCertificates lines are relative to the config file, and work there', async () => {
    const dir = sandboxConfigDir(certificateSandbox);
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    delete config.platformCertificates;
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const sub = path.join(dir, 'deploy', 'scripts');
    mkdirSync(sub, { recursive: true });
    const serial = certificateSandbox.credentials.certificateSerial;
    const result = await runCli(['certs', 'download', '--out', '../keys', '--json'], { cwd: sub, home: dir });
    assert.equal(result.code, 0, result.stderr);
    const { config: lines, certificates } = JSON.parse(result.stdout);
    assert.equal(certificates[0].file, path.join(dir, 'deploy', 'keys', `wechatpay_${serial}.pem`));
    assert.deepEqual(lines.platformCertificates, [`./deploy/keys/wechatpay_${serial}.pem`]);
    const text = await runCli(['certs', 'download', '--out', '../keys'], { cwd: sub, home: dir });
    assert.match(text.stdout, new RegExp(`"platformCertificates": \\["\\./deploy/keys/wechatpay_${serial}\\.pem"\\]`));
    // The lines, pasted into the config, work from anywhere.
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify({ ...config, ...lines }), { mode: 0o600 });
    for (const cwd of [sub, dir]) {
      const list = await runCli(['certs', 'list', '--json'], { cwd, home: dir });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(
        JSON.parse(list.stdout)
          .keys.map((key) => key.serial)
          .sort(),
        [serial, certificateSandbox.credentials.publicKeyId].filter(Boolean).sort(),
      );
    }
  });

  test('with no config file (environment only) or a folder outside the config file\u2019s, the lines are absolute paths', async () => {
    const dir = sandboxConfigDir(certificateSandbox);
    const outside = tempDir();
    const serial = certificateSandbox.credentials.certificateSerial;
    const result = await runCli(['certs', 'download', '--out', outside, '--json'], { cwd: dir, home: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).config.platformCertificates, [path.join(outside, `wechatpay_${serial}.pem`)]);
    const c = certificateSandbox.credentials;
    const envOnly = tempDir();
    writeFileSync(path.join(envOnly, 'key.pem'), c.privateKeyPem, { mode: 0o600 });
    const env = minimalEnv(envOnly, {
      WXPAY_MCHID: c.mchid,
      WXPAY_SERIAL: c.serial,
      WXPAY_PRIVATE_KEY: path.join(envOnly, 'key.pem'),
      WXPAY_APIV3_KEY: c.apiv3Key,
      WXPAY_BASE_URL: certificateSandbox.baseUrl,
    });
    const fromEnv = await runCli(['certs', 'download', '--out', 'keys', '--json'], { cwd: envOnly, env });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.deepEqual(JSON.parse(fromEnv.stdout).config.platformCertificates, [path.join(envOnly, 'keys', `wechatpay_${serial}.pem`)]);
  });
});

describe('certs list', () => {
  test('lists public keys and certificates; warns for the vectors\u2019 expired certificates', async () => {
    const dir = sandboxConfigDir(publicKeySandbox, {
      platformCertificates: [path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_certificate.pem')],
    });
    const result = await run(publicKeySandbox, dir, ['certs', 'list']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`✓ public key   ${publicKeySandbox.credentials.publicKeyId}  does not expire  \\.wxpayrc\\.json: publicKey`),
    );
    assert.match(result.stdout, /! certificate {2}440024045C4A427599D09BB4E3DE0279F2E813FD {2}expires 2025-05-09/);
    assert.match(result.stderr, /warning: certificate 440024045C4A427599D09BB4E3DE0279F2E813FD expired on 2025-05-09/);
    const json = JSON.parse((await run(publicKeySandbox, dir, ['certs', 'list', '--json'])).stdout);
    assert.deepEqual(
      json.keys.map((key) => [key.kind, key.status]),
      [
        ['public-key', 'ok'],
        ['certificate', 'expired'],
      ],
    );
  });

  test("the merchant's own certificate or public key where WeChat Pay's belongs is named as such, for token and doctor (careless check, helper-38)", async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const merchantKey = createPrivateKey(publicKeySandbox.credentials.privateKeyPem);
    const own = createSelfSignedCertificate({ publicKey: createPublicKey(merchantKey), privateKey: merchantKey, commonName: 'own' });
    writeFileSync(path.join(dir, 'apiclient_cert.pem'), own.pem);
    writeFileSync(path.join(dir, 'own_pub.pem'), createPublicKey(merchantKey).export({ type: 'spki', format: 'pem' }));
    const cases = [
      [
        { WXPAY_PUBLIC_KEY: 'apiclient_cert.pem' },
        /WXPAY_PUBLIC_KEY: \S+apiclient_cert\.pem is your own merchant certificate \(apiclient_cert\.pem: its key is the public half of privateKey\), not WeChat Pay's public key; set publicKey to pub_key\.pem/,
      ],
      [
        { WXPAY_PUBLIC_KEY: 'own_pub.pem' },
        /own_pub\.pem is the public half of privateKey, your own merchant key, not WeChat Pay's public key/,
      ],
      [
        { WXPAY_PLATFORM_CERTIFICATES: 'apiclient_cert.pem' },
        /apiclient_cert\.pem is your own merchant certificate \(apiclient_cert\.pem: its key is the public half of privateKey\), not a WeChat Pay platform certificate; get the platform certificates with 'wxpay-coupon certs download'/,
      ],
    ];
    for (const [env, message] of cases) {
      for (const command of [['token', '--open-id', 'oUser', '--coupon', '16474341:1'], ['doctor']]) {
        const before = publicKeySandbox.requests.length;
        const result = await runCli(command, { cwd: dir, home: dir, env: { ...minimalEnv(dir), ...env } });
        assert.equal(result.code, 3, result.stdout + result.stderr);
        assert.match(result.stdout + result.stderr, message);
        assert.equal(publicKeySandbox.requests.length, before, 'nothing was sent');
      }
      const zh = await runCli(['doctor', '--json'], { cwd: dir, home: dir, env: { ...minimalEnv(dir), ...env, WXPAY_LANG: 'zh-CN' } });
      assert.equal(zh.code, 3);
      assert.match(zh.stdout, /你自己的商户API(证书|私钥)|privateKey（你自己的商户API私钥）/);
    }
  });

  test('the expiry date a person reads is China\u2019s (the UTC date can be a day earlier); --json keeps not_after in UTC (careless check, helper-41)', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const late = createSelfSignedCertificate({ publicKey, privateKey, commonName: 'late', notAfter: new Date('2031-12-03T18:16:30Z') });
    const dir = sandboxConfigDir(publicKeySandbox);
    writeFileSync(path.join(dir, 'late.pem'), late.pem);
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    config.platformCertificates = ['late.pem'];
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const result = await run(publicKeySandbox, dir, ['certs', 'list']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`✓ certificate  ${late.serial}  expires 2031-12-04  `));
    const json = JSON.parse((await run(publicKeySandbox, dir, ['certs', 'list', '--json'])).stdout);
    assert.equal(json.keys[1].not_after, '2031-12-03T18:16:30.000Z');
    // A source whose path holds a line break stays on its line (hostile check, helper-43).
    const odd = path.join(dir, 'x\n✔ online: fake');
    mkdirSync(odd);
    writeFileSync(
      path.join(odd, '.wxpayrc.json'),
      JSON.stringify({
        ...config,
        privateKey: path.join(dir, config.privateKey),
        publicKey: path.join(dir, config.publicKey),
        platformCertificates: [path.join(dir, 'late.pem')],
      }),
      {
        mode: 0o600,
      },
    );
    const listed = await run(publicKeySandbox, dir, ['certs', 'list', '--config', path.join(odd, '.wxpayrc.json')]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.doesNotMatch(listed.stdout, /^✔ online: fake/m);
    assert.match(listed.stdout, /x\\u000a✔ online: fake/);
  });

  test('warns for a certificate that expires within 30 days', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const soon = createSelfSignedCertificate({
      publicKey,
      privateKey,
      commonName: 'soon',
      notAfter: new Date(Date.now() + 10.5 * 86_400_000),
    });
    const dir = sandboxConfigDir(publicKeySandbox);
    writeFileSync(path.join(dir, 'soon.pem'), soon.pem);
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    config.platformCertificates = ['soon.pem'];
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const result = await run(publicKeySandbox, dir, ['certs', 'list', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).keys[1].status, 'expiring');
    assert.match(result.stderr, new RegExp(`certificate ${soon.serial} expires in 10 days`));
  });
});

describe('doctor', () => {
  test('passes offline and --online in both key modes', async () => {
    for (const sandbox of [certificateSandbox, publicKeySandbox]) {
      const dir = sandboxConfigDir(sandbox);
      const offline = await run(sandbox, dir, ['doctor']);
      assert.equal(offline.code, 0, offline.stdout + offline.stderr);
      assert.match(offline.stdout, /✓ private key: RSA 2048 bits from .*apiclient_key\.pem/);
      assert.match(offline.stdout, /add --online/);
      const online = await run(sandbox, dir, ['doctor', '--online', '--json']);
      assert.equal(online.code, 0, online.stdout + online.stderr);
      const report = JSON.parse(online.stdout);
      assert.equal(report.ok, true);
      const check = report.checks.find((c) => c.name === 'online');
      assert.ok(check.ok);
      assert.match(
        check.message,
        sandbox.mode === 'public-key'
          ? /accepted the signed request and its answer verified \(\d+ ms round trip\); 404 RESOURCE_NOT_EXISTS: this merchant uses a WeChat Pay public key/
          : /answer verified \(\d+ ms round trip/,
      );
      for (const c of report.checks) assert.deepEqual(Object.keys(c), ['name', 'ok', 'message']);
    }
  });

  test('a merchant certificate that does not match the private key or the serial fails, exit 3', async () => {
    const dir = sandboxConfigDir(publicKeySandbox, {
      merchantCertificate: path.join(ROOT, 'test/fixtures/wechatpay-java/merchant_certificate.pem'),
    });
    const result = await run(publicKeySandbox, dir, ['doctor', '--json']);
    assert.equal(result.code, 3);
    const checks = Object.fromEntries(JSON.parse(result.stdout).checks.map((c) => [c.name, c]));
    assert.equal(checks['merchant certificate matches private key'].ok, false);
    assert.match(checks['merchant certificate matches private key'].message, /most common cause of SIGN_ERROR/);
    // Another key's certificate says nothing of serial: no "set serial to" that would not mend it (helper-38).
    const serialCheck = checks['merchant certificate serial'];
    assert.deepEqual([serialCheck.ok, serialCheck.warning], [true, true]);
    assert.match(
      serialCheck.message,
      /^not compared: the certificate in .+ is not the private key's \(see the next check\), so its serial says nothing of serial$/,
    );
    assert.doesNotMatch(result.stdout, /set serial to/);

    // The private key's own certificate with another serial: that serial is the fix.
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const merchantKey = createPrivateKey(publicKeySandbox.credentials.privateKeyPem);
    const own = createSelfSignedCertificate({ publicKey: createPublicKey(merchantKey), privateKey: merchantKey, commonName: 'own' });
    writeFileSync(path.join(dir, 'apiclient_cert.pem'), own.pem);
    const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify({ ...config, merchantCertificate: 'apiclient_cert.pem' }), {
      mode: 0o600,
    });
    const serial = await run(publicKeySandbox, dir, ['doctor', '--json']);
    assert.equal(serial.code, 3);
    const ownChecks = Object.fromEntries(JSON.parse(serial.stdout).checks.map((c) => [c.name, c]));
    assert.equal(ownChecks['merchant certificate matches private key'].ok, true);
    assert.equal(ownChecks['merchant certificate serial'].ok, false);
    assert.match(ownChecks['merchant certificate serial'].message, new RegExp(`set serial to ${own.serial}`));
  });

  test('--online after a failed offline check says it was not run, in both forms, and is not counted as a failure (careless check, helper-41)', async () => {
    const dir = sandboxConfigDir(publicKeySandbox, { mchid: '1900000001' });
    const before = publicKeySandbox.requests.length;
    const text = await run(publicKeySandbox, dir, ['doctor', '--online']);
    assert.equal(text.code, 3, text.stdout + text.stderr);
    assert.match(text.stdout, /\n- online: not run: fix the problems above, then run doctor --online again\n$/);
    assert.match(text.stderr, /doctor: 1 check failed/);
    const json = await run(publicKeySandbox, dir, ['doctor', '--online', '--json']);
    const online = JSON.parse(json.stdout).checks.find((check) => check.name === 'online');
    assert.deepEqual(online, {
      name: 'online',
      ok: false,
      skipped: true,
      message: 'not run: fix the problems above, then run doctor --online again',
    });
    assert.equal(publicKeySandbox.requests.length, before, 'nothing was sent');
    const zh = await run(publicKeySandbox, dir, ['doctor', '--online', '--lang', 'zh-CN']);
    assert.match(zh.stdout, /未进行：请先修复上面的问题，再运行 doctor --online/);
  });

  test('the placeholders are named beside the other problems when the config does not load (careless check, helper-38)', async () => {
    const home = tempDir('wxpay-example-');
    const env = {
      WXPAY_MCHID: '1900000001',
      WXPAY_SERIAL: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
      WXPAY_PRIVATE_KEY: './missing.pem',
      WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
    };
    const result = await runCli(['doctor', '--json'], { cwd: home, home, env: minimalEnv(home, env) });
    assert.equal(result.code, 3, result.stderr);
    const failed = JSON.parse(result.stdout).checks.filter((check) => !check.ok);
    for (const name of ['WXPAY_PRIVATE_KEY', 'WXPAY_MCHID', 'WXPAY_SERIAL', 'WXPAY_PUBLIC_KEY_ID'])
      assert.ok(
        failed.some((check) => check.name === name),
        `${name}: ${result.stdout}`,
      );
    assert.match(failed.find((check) => check.name === 'WXPAY_MCHID').message, /1900000001 is the example config's placeholder/);
  });

  test('a config copied from either example and never filled in fails doctor on each placeholder (mchid, serial, publicKeyId), exit 3', async () => {
    for (const [example, lang, words] of [
      ['.wxpayrc.example', 'C', /is the example config's placeholder, not yours: set \w+ to your own/],
      ['.wxpayrc.zh-CN.example', 'zh_CN.UTF-8', /是示例配置中的占位值，不是你的：请把 \w+ 改为你自己的值/],
    ]) {
      const dir = tempDir('wxpay-example-');
      mkdirSync(path.join(dir, 'keys'));
      writeFileSync(path.join(dir, '.wxpayrc.yaml'), readFileSync(path.join(ROOT, example)), { mode: 0o600 });
      const source = sandboxConfigDir(publicKeySandbox);
      writeFileSync(path.join(dir, 'keys', 'apiclient_key.pem'), readFileSync(path.join(source, 'apiclient_key.pem')), { mode: 0o600 });
      const publicKey = readdirSync(source).find((name) => /pub.*\.pem$/i.test(name) && name !== 'apiclient_key.pem');
      writeFileSync(path.join(dir, 'keys', 'pub_key.pem'), readFileSync(path.join(source, publicKey)), { mode: 0o600 });
      const result = await runCli(['doctor', '--json'], { cwd: dir, env: minimalEnv(dir, { LANG: lang }) });
      assert.equal(result.code, 3, result.stderr);
      const checks = Object.fromEntries(JSON.parse(result.stdout).checks.map((check) => [check.name, check]));
      for (const name of ['mchid', 'serial', 'verification key']) {
        assert.equal(checks[name].ok, false, `${example}: ${name}`);
        assert.match(checks[name].message, words, `${example}: ${name}`);
      }
      assert.equal(checks['private key'].ok, true, JSON.stringify(checks['private key']));
    }
  });

  test('every check name doctor --json gives, in either language, is one both READMEs list', async () => {
    const names = new Set();
    // Both key modes: a platform certificate has a check of its own, `certificate <serial>` (helper-38 found it unlisted).
    for (const sandbox of [publicKeySandbox, certificateSandbox]) {
      const dir = sandboxConfigDir(sandbox, {
        merchantCertificate: path.join(ROOT, 'test/fixtures/wechatpay-java/merchant_certificate.pem'),
      });
      for (const lang of ['C', 'zh_CN.UTF-8']) {
        for (const args of [
          ['doctor', '--json'],
          ['doctor', '--json', '--online'],
        ]) {
          const result = await runCli(args, { cwd: dir, env: minimalEnv(dir, { LANG: lang }) });
          for (const check of JSON.parse(result.stdout).checks)
            names.add(check.name.replace(/^certificate [0-9A-F]+$/, 'certificate <serial>'));
        }
      }
    }
    assert.ok(names.has('certificate <serial>') && names.size >= 10, [...names].join(', '));
    for (const readme of ['README.md', 'README.zh-CN.md']) {
      const text = readFileSync(path.join(ROOT, readme), 'utf8');
      for (const name of names) assert.ok(text.includes(`\`${name}\``), `${readme} lists the doctor check ${name}`);
    }
  });

  test('a key file readable by others fails with the chmod that fixes it (and token warns)', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    chmodSync(path.join(dir, 'apiclient_key.pem'), 0o644);
    const result = await run(publicKeySandbox, dir, ['doctor']);
    assert.equal(result.code, 3);
    assert.match(
      result.stdout,
      /✗ private key file permissions: apiclient_key\.pem holds a secret but is readable by others \(mode 644\); run: chmod 600 apiclient_key\.pem/,
    );
    const token = await run(publicKeySandbox, dir, ['token', '-q', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(token.code, 0);
    assert.match(token.stderr, /^warning: apiclient_key\.pem holds a secret but is readable by others/);
  });

  test('a config file holding the APIv3 key or a private key inline, readable by others, gets a warning', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const file = path.join(dir, '.wxpayrc.json');
    chmodSync(file, 0o640);
    const result = await run(publicKeySandbox, dir, ['token', '-q', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stderr,
      'warning: .wxpayrc.json holds a secret but is readable by its group (mode 640); run: chmod 600 .wxpayrc.json\n',
    );
    const config = JSON.parse(readFileSync(file, 'utf8'));
    delete config.apiv3Key;
    config.privateKey = publicKeySandbox.credentials.privateKeyPem;
    writeFileSync(file, JSON.stringify(config));
    chmodSync(file, 0o644);
    const inline = await run(publicKeySandbox, dir, ['token', '-q', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(inline.code, 0, inline.stderr);
    assert.match(inline.stderr, /^warning: \.wxpayrc\.json holds a secret but is readable by others \(mode 644\)/);
    // Without a secret inside, a readable config file is fine.
    delete config.privateKey;
    config.privateKey = 'apiclient_key.pem';
    writeFileSync(file, JSON.stringify(config));
    const clean = await run(publicKeySandbox, dir, ['token', '-q', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(clean.stderr, '');
  });

  test('an invalid config lists every problem as a failing check, exit 3', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.wxpayrc.json'), '{"mchid":"abc","serial":"xyz"}');
    const result = await runCli(['doctor', '--json'], { cwd: dir, home: dir });
    assert.equal(result.code, 3);
    const report = JSON.parse(result.stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.map((c) => c.name),
      ['privateKey', '.wxpayrc.json: mchid', '.wxpayrc.json: serial'],
    );
  });

  test('an unreadable (damaged) key file fails its check with the file named, exit 3', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    writeFileSync(path.join(dir, 'apiclient_key.pem'), publicKeySandbox.credentials.privateKeyPem.slice(0, 300), { mode: 0o600 });
    const result = await run(publicKeySandbox, dir, ['doctor']);
    assert.equal(result.code, 3);
    assert.match(result.stdout, /✗ \.wxpayrc\.json: privateKey: .*apiclient_key\.pem is not a readable PEM private key/);
  });

  test('--online: a wrong serial is answered 401 by the sandbox, exit 1', async () => {
    const dir = sandboxConfigDir(publicKeySandbox, { serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' });
    const result = await run(publicKeySandbox, dir, ['doctor', '--online']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /✗ online: WeChat Pay answered 401 SIGN_ERROR: 商户证书序列号有误/);
    assert.match(result.stdout, /Request-ID [0-9A-F]{32}/);
  });

  test('--online: a clock 10 minutes off is named from the answer\u2019s Date header (P11)', async () => {
    const skewed = await startSandbox({ now: () => Date.now() + 10 * 60 * 1000 });
    try {
      const dir = sandboxConfigDir(skewed);
      const result = await run(skewed, dir, ['doctor', '--online']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /timestamp与发起请求的时间不得超过5分钟/);
      assert.match(result.stdout, /This machine's clock is (599|600|601) s behind WeChat Pay's/);
      const token = await run(skewed, dir, ['token', '--open-id', 'o', '--coupon', '1:a']);
      assert.equal(token.code, 1);
      assert.match(token.stderr, /This machine's clock is (599|600|601) s behind WeChat Pay's \(its Date header\)/);
    } finally {
      await skewed.close();
    }
  });

  // P27: a public-key merchant's 404 proves the credentials only once its signature verifies.
  const FORGED_404 = [
    ['bad-signature', /the answer's signature does not verify with public key PUB_KEY_ID_\d+/],
    ['unknown-serial', /the answer is signed with key PUB_KEY_ID_0999999999999999999999999999, which is not configured/],
    ['stale-timestamp', /the answer's Wechatpay-Timestamp is (599|600|601) s from this machine's clock/],
    ['missing-headers', /the answer is missing Wechatpay-Signature, Wechatpay-Serial; an error answer with only some/],
    ['probe-signature', /the answer's signature does not verify with public key PUB_KEY_ID_\d+/],
    ['tampered-body', /the answer's signature does not verify with public key PUB_KEY_ID_\d+/],
  ];
  for (const [fault, reason] of FORGED_404) {
    test(`--online: a public-key merchant's 404 with fault ${fault} is not proof, exit 5 (P27)`, async () => {
      const sandbox = await startSandbox({ mode: 'public-key', faults: [{ name: fault }] });
      try {
        const dir = sandboxConfigDir(sandbox);
        const plain = await run(sandbox, dir, ['doctor', '--online']);
        assert.equal(plain.code, 5, plain.stdout + plain.stderr);
        assert.equal(sandbox.requests.at(-1).status, 404);
        assert.equal(sandbox.requests.at(-1).fault, fault);
        assert.doesNotMatch(plain.stdout, /✓ online/);
        assert.match(plain.stdout, new RegExp(`✗ online: ${reason.source}`));
        assert.match(
          plain.stdout,
          /\n {4}so this 404 answer does not prove that WeChat Pay accepted the credentials\n {4}Request-ID [0-9A-F]{32}\n$/,
        );
        assert.equal(plain.stderr, 'wxpay-coupon: doctor: 1 check failed; each says how to fix it\n');

        const { online, error } = await failedOnlineCheck(sandbox, dir);
        assert.match(online.message, reason);
        assert.match(online.message, /does not prove that WeChat Pay accepted the credentials/);
        assert.deepEqual([error.exit_code, error.kind, error.code], [5, 'verification', 'DOCTOR_FAILED']);
      } finally {
        await sandbox.close();
      }
    });
  }

  test('--online: an unsigned 404 RESOURCE_NOT_EXISTS (a proxy or a wrong baseUrl could send it) is not proof, exit 5 (P27)', async () => {
    await withUnsignedNotFound(async (baseUrl, dir) => {
      const plain = await run(publicKeySandbox, dir, ['doctor', '--online']);
      assert.equal(plain.code, 5, plain.stdout + plain.stderr);
      assert.match(
        plain.stdout,
        new RegExp(
          `✗ online: ${baseUrl} answered 404 RESOURCE_NOT_EXISTS \\(\\d+ ms round trip\\) without WeChat Pay's signature headers, so the credentials are not proven: anything on the way \\(a proxy, a wrong baseUrl\\) can send that answer\n {4}check that baseUrl points at WeChat Pay and that no proxy strips the Wechatpay-\\* headers\n {4}Request-ID F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0\n$`,
        ),
      );
      const { online, error } = await failedOnlineCheck(publicKeySandbox, dir);
      assert.match(online.message, /without WeChat Pay's signature headers, so the credentials are not proven/);
      assert.equal(error.exit_code, 5);
      const zh = await runCli(['doctor', '--online'], { cwd: dir, home: dir, env: { ...minimalEnv(dir), WXPAY_LANG: 'zh-CN' } });
      assert.equal(zh.code, 5, zh.stdout + zh.stderr);
      assert.match(
        zh.stdout,
        /应答了 404 RESOURCE_NOT_EXISTS（往返 \d+ ms），但应答不带微信支付的签名，无法验签，因此不能证明这套商户凭据有效/,
      );
    });
  });

  test('--online: no answer is exit 4', async () => {
    const dir = sandboxConfigDir(publicKeySandbox, { baseUrl: 'http://127.0.0.1:1' });
    const result = await run(publicKeySandbox, dir, ['doctor', '--online', '--json']);
    assert.equal(result.code, 4);
    assert.equal(JSON.parse(result.stdout).ok, false);
  });
});

test('the sandbox\u2019s self-made certificate parses as a real X.509 certificate', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const made = createSelfSignedCertificate({ publicKey, privateKey, commonName: 'x' });
  const parsed = new X509Certificate(made.pem);
  assert.equal(parsed.serialNumber.toUpperCase(), made.serial);
  assert.ok(parsed.verify(publicKey));
});

test('doctor --json that fails: stderr is one JSON error object with the warnings folded in, no plain line', async () => {
  const { sandbox, dir } = await configuredSandbox();
  try {
    chmodSync(path.join(dir, 'apiclient_key.pem'), 0o644);
    const result = await runCli(['doctor', '--json'], { cwd: dir, home: dir });
    assert.equal(result.code, 3);
    assert.equal(JSON.parse(result.stdout).ok, false);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    const { error } = JSON.parse(lines[0]);
    assert.equal(error.exit_code, 3);
    assert.equal(error.kind, 'config');
    assert.match(error.message, /^doctor: 1 check failed; each says how to fix it$/);
    assert.deepEqual(
      error.warnings.map((w) => w.code),
      ['KEY_FILE_READABLE'],
    );
    // Without --json, the one plain line as before.
    const plain = await runCli(['doctor'], { cwd: dir, home: dir });
    assert.equal(plain.code, 3);
    assert.match(
      plain.stderr,
      /^warning: apiclient_key\.pem holds a secret[^\n]*\nwxpay-coupon: doctor: 1 check failed; each says how to fix it\n$/,
    );
  } finally {
    await sandbox.close();
  }
});
