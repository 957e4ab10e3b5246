// Issue 13, the ops area in Simplified Chinese: doctor, certs list/download, the sandbox (start-up,
// request log, faults), through the built binary with LANG=zh_CN.UTF-8 (and --lang, WXPAY_LANG).
// Each case runs in English too: the exit code and the machine output are the same in both, the
// Chinese text a person reads has no English sentence left, and English is what it always was.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAULT_NAMES, startSandbox } from '../dist/sandbox/index.js';
import { createSelfSignedCertificate } from '../dist/sandbox/x509.js';
import { BIN, ROOT, assertNoSecrets, englishLeftIn, minimalEnv, registerSecrets, runCli, tempDir, sandboxConfigDir } from './helpers.js';

const ZH = { LANG: 'zh_CN.UTF-8' };
const CJK = /[\u4e00-\u9fff]/;

let certificateSandbox;
let publicKeySandbox;
before(async () => {
  [certificateSandbox, publicKeySandbox] = await Promise.all([startSandbox({ mode: 'certificate' }), startSandbox({ mode: 'public-key' })]);
});
after(() => Promise.all([certificateSandbox.close(), publicKeySandbox.close()]));

function editConfig(dir, change) {
  const file = path.join(dir, '.wxpayrc.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  change(config);
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
}

/** The same command in English and in Chinese (LANG, or `lang` env), from the same folder. */
async function both(sandbox, dir, args, { lang = ZH } = {}) {
  const en = await runCli(args, { cwd: dir, home: dir, env: minimalEnv(dir) });
  const zh = await runCli(args, { cwd: dir, home: dir, env: minimalEnv(dir, lang) });
  if (sandbox) {
    assertNoSecrets(en, sandbox.credentials);
    assertNoSecrets(zh, sandbox.credentials);
  }
  assert.equal(zh.code, en.code, `exit code of ${args.join(' ')}\n${en.stderr}\n${zh.stderr}`);
  return { en, zh };
}

/** The human text our area writes: the frame other areas put around it (`wxpay-coupon:`, `warning:`) removed. */
function ours(text) {
  // Full-width punctuation is spaced out, so that a word glued to it (`set（.wxpayrc.json`) is still seen.
  return text
    .replace(/^(?:wxpay-coupon|warning|警告|错误|error)(?:\s*\[[^\]]*\])?\s*[:：]\s*/gm, '')
    .replace(/[（）：；，。、「」]/g, ' $& ');
}

function assertChinese(text, phrase, allow = []) {
  assert.deepEqual(englishLeftIn(ours(text), { allow }), [], text);
  assert.match(text, phrase);
}

const withoutMessages = (value) =>
  JSON.parse(JSON.stringify(value, (key, inner) => (key === 'message' || key === 'warning' ? '…' : inner)));

describe('doctor in Chinese', () => {
  test('passing offline: every check and the offline note in Chinese; --json the same names and ok, messages translated', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const { en, zh } = await both(publicKeySandbox, dir, ['doctor']);
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(en.stdout, /^✓ config: .*\.wxpayrc\.json$/m, 'English as before');
    assert.match(en.stdout, /✓ private key: RSA 2048 bits from .*apiclient_key\.pem/);
    assert.match(en.stdout, /\(offline checks only; add --online to prove WeChat Pay accepts these credentials\)/);
    assertChinese(zh.stdout, /✓ 商户API私钥：RSA 2048 位，来自 .*apiclient_key\.pem/);
    for (const label of ['配置来源', '商户号', '商户API证书序列号', '商户API私钥文件权限', '验签密钥', '其他配置项'])
      assert.match(zh.stdout, new RegExp(`^✓ ${label}：`, 'm'), label);
    assert.match(zh.stdout, /仅文件所有者可读/);
    assert.match(zh.stdout, /apiv3Key 已设置（\.wxpayrc\.json: apiv3Key）/);
    assert.match(en.stdout, /apiv3Key set \(\.wxpayrc\.json: apiv3Key\)/);
    assert.match(zh.stdout, /（仅做了离线检查；加上 --online 可确认微信支付接受这些商户凭据）/);
    assert.equal(zh.stderr, '');

    const json = await both(publicKeySandbox, dir, ['doctor', '--json']);
    const enReport = JSON.parse(json.en.stdout);
    const zhReport = JSON.parse(json.zh.stdout);
    assert.deepEqual(withoutMessages(zhReport), withoutMessages(enReport), 'keys, names and ok are the machine contract');
    assert.ok(
      zhReport.checks.some((check) => check.name === 'private key'),
      'the name keys stay English',
    );
    for (const check of zhReport.checks) assertChinese(check.message, /./);
    assert.match(zhReport.checks.find((check) => check.name === 'verification key').message, /^微信支付公钥 PUB_KEY_ID_/);
  });

  test('with --lang zh-CN and with WXPAY_LANG=zh-CN too; an inline key, a profile and the environment are named in Chinese', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    editConfig(dir, (config) => {
      const pem = readFileSync(path.join(dir, 'apiclient_key.pem'), 'utf8');
      config.profiles = { prod: { privateKey: pem } };
    });
    const args = ['doctor', '--profile', 'prod'];
    const env = { WXPAY_MCHID: publicKeySandbox.credentials.mchid };
    const en = await runCli(args, { cwd: dir, home: dir, env: minimalEnv(dir, env) });
    assert.equal(en.code, 0, en.stdout + en.stderr);
    assert.match(en.stdout, /, profile prod; from environment: WXPAY_MCHID/);
    assert.match(en.stdout, /✓ private key file permissions: inline PEM \(no file\)/);
    for (const extra of [{ WXPAY_LANG: 'zh-CN' }, {}]) {
      const zh = await runCli(extra.WXPAY_LANG ? args : ['--lang', 'zh-CN', ...args], {
        cwd: dir,
        home: dir,
        env: minimalEnv(dir, { ...env, ...extra }),
      });
      assert.equal(zh.code, 0, zh.stderr);
      assertChinese(zh.stdout, /，profile prod；来自环境变量：WXPAY_MCHID/);
      assert.match(zh.stdout, /✓ 商户API私钥文件权限：内联 PEM（不是文件）/);
      assert.match(zh.stdout, /✓ 商户API私钥：RSA 2048 位，来自 /);
    }
  });

  test('a matching merchant certificate, and one that matches neither key nor serial (exit 3, DOCTOR_FAILED)', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const pem = readFileSync(path.join(dir, 'apiclient_key.pem'), 'utf8');
    const own = createSelfSignedCertificate({ publicKey: createPublicKey(pem), privateKey: createPrivateKey(pem), commonName: 'merchant' });
    writeFileSync(path.join(dir, 'apiclient_cert.pem'), own.pem);
    editConfig(dir, (config) => {
      config.merchantCertificate = 'apiclient_cert.pem';
      config.serial = own.serial;
    });
    const good = await both(publicKeySandbox, dir, ['doctor']);
    assert.equal(good.zh.code, 0, good.zh.stdout);
    assert.match(good.en.stdout, /✓ merchant certificate serial: [0-9A-F]+ matches serial/);
    assertChinese(good.zh.stdout, /✓ 商户API证书的序列号：[0-9A-F]+ 与 serial 一致/);
    assert.match(good.zh.stdout, /✓ 商户API证书与私钥是否配对：商户API私钥与商户API证书配对/);

    const badDir = sandboxConfigDir(publicKeySandbox, {
      merchantCertificate: path.join(ROOT, 'test/fixtures/wechatpay-java/merchant_certificate.pem'),
    });
    const bad = await both(publicKeySandbox, badDir, ['doctor']);
    assert.equal(bad.zh.code, 3);
    assert.match(bad.en.stderr, /doctor: 1 check failed; each says how to fix it/);
    // Another key's certificate: its serial is not offered as the fix (helper-38).
    assertChinese(bad.zh.stdout, /! 商户API证书的序列号：未比较：.+ 中的证书与商户API私钥不配对（见下一项检查）/);
    assert.match(bad.zh.stdout, /✗ 商户API证书与私钥是否配对：.*这是 SIGN_ERROR 最常见的原因/);
    assertChinese(bad.zh.stderr, /doctor：1 项检查未通过；每一项都写明了修复方法/);

    const json = await both(publicKeySandbox, badDir, ['doctor', '--json']);
    assert.deepEqual(withoutMessages(JSON.parse(json.zh.stdout)), withoutMessages(JSON.parse(json.en.stdout)));
    const error = JSON.parse(json.zh.stderr).error;
    assert.deepEqual(withoutMessages(error), withoutMessages(JSON.parse(json.en.stderr).error));
    assert.equal(error.code, 'DOCTOR_FAILED');
    assertChinese(error.message, /1 项检查未通过/);
  });

  test('no verification key at all, and a platform certificate about to expire', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    editConfig(dir, (config) => {
      delete config.publicKeyId;
      delete config.publicKey;
    });
    const none = await both(publicKeySandbox, dir, ['doctor']);
    assert.equal(none.zh.code, 3);
    assert.match(none.en.stdout, /✗ verification key: none configured, so answers cannot be verified/);
    assertChinese(none.zh.stdout, /✗ 验签密钥：未配置，无法对应答验签；请设置 publicKeyId 和 publicKey（微信支付公钥）/);

    const { soon, dir: soonDir } = expiringCertificateConfig({ withExpired: false });
    const expiring = await both(publicKeySandbox, soonDir, ['doctor']);
    assert.equal(expiring.zh.code, 0, expiring.zh.stdout);
    // Marked ! (passes today, needs doing soon), its label not repeated, its date as WeChat Pay writes one (helper-38).
    assert.match(
      expiring.en.stdout,
      new RegExp(
        `\\n! certificate ${soon.serial}: expires in 10 days \\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00\\); run 'wxpay-coupon certs download' before then\\n`,
      ),
    );
    assertChinese(
      expiring.zh.stdout,
      new RegExp(`\\n! 平台证书 ${soon.serial}: 将在 10 天后（\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00）过期；请在此之前运行`),
    );
    const json = await both(publicKeySandbox, soonDir, ['doctor', '--json']);
    const check = JSON.parse(json.en.stdout).checks.find((c) => c.name === `certificate ${soon.serial}`);
    assert.deepEqual([check.ok, check.warning], [true, true]);
    const valid = JSON.parse(json.en.stdout).checks.find((c) => c.name === 'settings');
    assert.equal(valid.warning, undefined);
  });

  test('--online against the sandbox, both key modes: the check and its round trip in Chinese', async () => {
    for (const sandbox of [certificateSandbox, publicKeySandbox]) {
      const dir = sandboxConfigDir(sandbox);
      const { en, zh } = await both(sandbox, dir, ['doctor', '--online']);
      assert.equal(zh.code, 0, zh.stdout + zh.stderr);
      assert.doesNotMatch(zh.stdout, /仅做了离线检查/);
      if (sandbox.mode === 'public-key') {
        assert.match(
          en.stdout,
          /✓ online: .* accepted the signed request and its answer verified \(\d+ ms round trip\); 404 RESOURCE_NOT_EXISTS: this merchant uses/,
        );
        assertChinese(
          zh.stdout,
          /✓ 联网检查：http:\S+ 接受了签名请求，应答验签通过（往返 \d+ ms）；404 RESOURCE_NOT_EXISTS：该商户使用微信支付公钥，符合预期/,
        );
      } else {
        assert.match(
          en.stdout,
          /✓ online: .* accepted the signed request and its answer verified \(\d+ ms round trip, Request-ID [0-9A-F]{32}\)/,
        );
        assertChinese(zh.stdout, /✓ 联网检查：http:\S+ 接受了签名请求，应答验签通过（往返 \d+ ms，Request-ID [0-9A-F]{32}）/);
        assert.match(zh.stdout, /✓ 平台证书 [0-9A-F]+: 有效期至 \d{4}-/);
      }
      const json = await both(sandbox, dir, ['doctor', '--online', '--json']);
      assert.deepEqual(withoutMessages(JSON.parse(json.zh.stdout)), withoutMessages(JSON.parse(json.en.stdout)));
    }
  });

  test('--online with a wrong private key: SIGN_ERROR, exit 1, our words around WeChat Pay\u2019s message in Chinese', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    registerSecrets({ privateKeyPem: other });
    writeFileSync(path.join(dir, 'apiclient_key.pem'), other, { mode: 0o600 });
    const { en, zh } = await both(publicKeySandbox, dir, ['doctor', '--online']);
    assert.equal(zh.code, 1);
    assert.match(en.stdout, /✗ online: .*SIGN_ERROR/);
    // WeChat Pay's own message passes through as it is, in both languages.
    assert.match(zh.stdout, /✗ 联网检查：.*401 SIGN_ERROR.*签名错误，请检查后再试/);
    // The error's own words belong to the token area; ours are every other line.
    const rest = zh.stdout
      .split('\n')
      .filter((line) => !line.startsWith('✗ 联网检查') && !line.startsWith('    '))
      .join('\n');
    assertChinese(rest, /✓ 商户API私钥：/);
    assertChinese(zh.stderr, /doctor：1 项检查未通过/);
  });
});

function expiringCertificateConfig({ withExpired = true } = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const soon = createSelfSignedCertificate({
    publicKey,
    privateKey,
    commonName: 'soon',
    notAfter: new Date(Date.now() + 10.5 * 86_400_000),
  });
  const dir = sandboxConfigDir(publicKeySandbox);
  writeFileSync(path.join(dir, 'soon.pem'), soon.pem);
  editConfig(dir, (config) => {
    config.platformCertificates = ['soon.pem'];
    if (withExpired) config.platformCertificates.push(path.join(ROOT, 'test/fixtures/wechatpay-java/wechat_pay_certificate.pem'));
  });
  return { soon, dir };
}

describe('certs in Chinese', () => {
  test('certs list, public-key and certificate mode, expired and expiring certificates: table and warnings in Chinese', async () => {
    const { soon, dir } = expiringCertificateConfig();
    const { en, zh } = await both(publicKeySandbox, dir, ['certs', 'list']);
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(en.stdout, /✓ public key {3}PUB_KEY_ID_\S+ {2}does not expire/);
    assert.match(en.stderr, new RegExp(`warning: certificate ${soon.serial} expires in 10 days`));
    assertChinese(zh.stdout, /^✓ 微信支付公钥 {2}PUB_KEY_ID_\S+ {2}永不过期 {2}\.wxpayrc\.json: publicKey$/m);
    assert.match(
      zh.stdout,
      new RegExp(`^! 平台证书 {6}${soon.serial} {2}\\d{4}-\\d\\d-\\d\\d 过期 {2}\\.wxpayrc\\.json: platformCertificates\\[0\\]$`, 'm'),
      'aligned: 平台证书 is as wide as 微信支付公钥',
    );
    assert.match(zh.stdout, /^! 平台证书 {6}440024045C4A427599D09BB4E3DE0279F2E813FD {2}2025-05-09 过期/m);
    assertChinese(
      zh.stderr,
      new RegExp(`平台证书 ${soon.serial} 将在 10 天后（\\d{4}-\\d\\d-\\d\\d）过期；请运行 'wxpay-coupon certs download'`),
    );
    assert.match(
      zh.stderr,
      /平台证书 440024045C4A427599D09BB4E3DE0279F2E813FD 已于 2025-05-09 过期；请运行 'wxpay-coupon certs download'，或改用微信支付公钥/,
    );

    const json = await both(publicKeySandbox, dir, ['certs', 'list', '--json']);
    assert.deepEqual(withoutMessages(JSON.parse(json.zh.stdout)), withoutMessages(JSON.parse(json.en.stdout)));
    assert.deepEqual(
      JSON.parse(json.zh.stdout).keys.map((key) => key.status),
      ['ok', 'expiring', 'expired'],
    );
    for (const key of JSON.parse(json.zh.stdout).keys.filter((entry) => entry.warning)) assertChinese(key.warning, /平台证书/);
    const warnings = json.zh.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).warning);
    assert.deepEqual(
      warnings.map((warning) => warning.code),
      json.en.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).warning.code),
    );
    for (const warning of warnings) assertChinese(warning.message, /过期/);

    const certificateDir = sandboxConfigDir(certificateSandbox);
    const certificate = await both(certificateSandbox, certificateDir, ['certs', 'list']);
    assertChinese(certificate.zh.stdout, /^✓ 平台证书 {6}[0-9A-F]+ {2}\d{4}-\d\d-\d\d 过期/m);
  });

  test('certs list with no key: the line and the warning in Chinese', async () => {
    const dir = sandboxConfigDir(publicKeySandbox);
    editConfig(dir, (config) => {
      delete config.publicKeyId;
      delete config.publicKey;
    });
    const { en, zh } = await both(publicKeySandbox, dir, ['certs', 'list']);
    assert.equal(zh.code, 0);
    assert.equal(en.stdout, 'No WeChat Pay verification key is configured.\n');
    assertChinese(zh.stdout, /^未配置任何微信支付验签密钥。\n$/);
    assertChinese(zh.stderr, /无法对应答验签；请设置 publicKeyId 和 publicKey，或运行 'wxpay-coupon certs download'/);
  });

  test('certs download from a certificate-mode sandbox: written files and the config line in Chinese; --json identical', async () => {
    const dir = sandboxConfigDir(certificateSandbox);
    const serial = certificateSandbox.credentials.certificateSerial;
    const { en, zh } = await both(certificateSandbox, dir, ['certs', 'download', '--out', 'keys']);
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(
      en.stdout,
      new RegExp(`✓ ${serial}  effective \\S+\\+08:00  expires \\S+\\+08:00\n  written to \\S+\n\nAdd to your config:\n`),
    );
    assertChinese(
      zh.stdout,
      new RegExp(
        `✓ ${serial}  生效时间 \\S+\\+08:00  过期时间 \\S+\\+08:00\n  已写入 \\S+wechatpay_${serial}\\.pem\n\n请在配置文件中加入：\n`,
      ),
    );
    assert.match(zh.stdout, new RegExp(`  "platformCertificates": \\["\\./keys/wechatpay_${serial}\\.pem"\\]`));
    const json = await both(certificateSandbox, dir, ['certs', 'download', '--out', 'keys', '--json']);
    assert.equal(json.zh.stdout, json.en.stdout, 'the --json answer is the same, byte for byte');
  });

  test('certs download: a bad --out, a missing APIv3 key, a public-key merchant: the errors in Chinese, codes unchanged', async () => {
    const dir = sandboxConfigDir(certificateSandbox);
    writeFileSync(path.join(dir, 'afile'), 'x');
    for (const [args, phrase] of [
      [['certs', 'download', '--out', 'afile'], /--out "afile"（\S+）是一个文件，或位于某个文件之下；证书文件要写入一个目录/],
      [['certs', 'download', '--out', 'afile/sub'], /--out "afile\/sub"（\S+）是一个文件，或位于某个文件之下/],
    ]) {
      const { en, zh } = await both(certificateSandbox, dir, args);
      assert.equal(zh.code, 2);
      assert.match(en.stderr, /is a file, or lies under a file; certificate files go into a folder/);
      assertChinese(zh.stderr, phrase);
      const json = await both(certificateSandbox, dir, [...args, '--json']);
      const error = JSON.parse(json.zh.stderr).error;
      assert.deepEqual(withoutMessages(error), withoutMessages(JSON.parse(json.en.stderr).error));
      assert.equal(error.code, 'INVALID_OUT');
      assertChinese(error.message, /未下载任何内容/);
    }
    const before = certificateSandbox.requests.length;
    const noKeyDir = sandboxConfigDir(certificateSandbox);
    editConfig(noKeyDir, (config) => delete config.apiv3Key);
    const noKey = await both(certificateSandbox, noKeyDir, ['certs', 'download', '--json']);
    assert.equal(noKey.zh.code, 3);
    assert.equal(certificateSandbox.requests.length, before, 'nothing is sent');
    assert.match(
      JSON.parse(noKey.zh.stderr).error.message,
      /未设置，而下载平台证书需要用 APIv3密钥 解密；请设置 "apiv3Key" 或 WXPAY_APIV3_KEY$/,
    );

    const publicDir = sandboxConfigDir(publicKeySandbox);
    const publicKey = await both(publicKeySandbox, publicDir, ['certs', 'download', '--json']);
    assert.equal(publicKey.zh.code, 1);
    const error = JSON.parse(publicKey.zh.stderr).error;
    assert.equal(error.code, 'RESOURCE_NOT_EXISTS');
    assertChinese(
      error.message,
      /^微信支付应答 404 RESOURCE_NOT_EXISTS（应答签名已验证）：该商户没有平台证书，使用的是配置中已有的微信支付公钥（publicKeyId PUB_KEY_ID_\d+），所有应答都用它验签；没有需要下载的平台证书。$/,
    );
    // Before the public key is configured: where to get it.
    const bareDir = sandboxConfigDir(publicKeySandbox, { publicKey: undefined, publicKeyId: undefined });
    const bare = await both(publicKeySandbox, bareDir, ['certs', 'download', '--json']);
    assert.equal(bare.zh.code, 1);
    assertChinese(
      JSON.parse(bare.zh.stderr).error.message,
      /^微信支付应答 404 RESOURCE_NOT_EXISTS：该商户没有平台证书，使用的是微信支付公钥。请在商户平台「账户中心 → API安全 → 微信支付公钥」下载/,
    );
  });
});

/** `wxpay-coupon sandbox` as its own process, in `env`'s language; resolves once it printed its start-up text. */
function spawnSandbox(env, args) {
  const home = tempDir('wxpay-zh-sandbox-');
  const child = spawn(process.execPath, [BIN, 'sandbox', '--dir', path.join(home, 'sb'), ...args], {
    cwd: home,
    env: minimalEnv(home, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (out.stderr += chunk));
  const started = new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.stdout.includes('\n') && (args.includes('--json') || out.stdout.split('\n').length > 4)) {
        clearInterval(timer);
        const config = path.join(home, 'sb', '.wxpayrc.json');
        const credentials = JSON.parse(readFileSync(config, 'utf8'));
        registerSecrets({
          privateKeyPem: readFileSync(path.join(home, 'sb', 'merchant_private_key.pem'), 'utf8'),
          wechatpayPrivateKeyPem: readFileSync(path.join(home, 'sb', 'SANDBOX-ONLY_wechatpay_signing_key.pem'), 'utf8'),
          apiv3Key: credentials.apiv3Key,
        });
        resolve();
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the sandbox exited with ${code}: ${out.stderr}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', (code) => resolve(code));
      child.kill('SIGINT');
    });
  return { home, config: path.join(home, 'sb', '.wxpayrc.json'), out, started, stop };
}

async function sandboxRun(env, args) {
  const sandbox = spawnSandbox(env, args);
  await sandbox.started;
  const token = await runCli(['token', '--config', sandbox.config, '--open-id', 'oSandboxUser', '--coupon', '16474341:11004999626', '-q'], {
    home: sandbox.home,
  });
  const bad = await runCli(['api', 'GET', '/v3/nothing-here', '--config', sandbox.config], { home: sandbox.home });
  const code = await sandbox.stop();
  return { ...sandbox.out, token, bad, code };
}

describe('sandbox in Chinese', () => {
  test('start-up text, the fault line and the request log in Chinese; the fault name stays', async () => {
    const args = ['--fault', '503:1', '--mode', 'certificate'];
    const [en, zh] = await Promise.all([sandboxRun({}, args), sandboxRun(ZH, args)]);
    for (const run of [en, zh]) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.token.code, 0, run.token.stderr);
      assert.equal(run.bad.code, en.bad.code);
    }
    assert.match(
      en.stdout,
      /^WeChat Pay sandbox \(certificate mode\) at http:\/\/127\.0\.0\.1:\d+\nconfig folder: \S+\ntry:\n {2}wxpay-coupon token --config /,
    );
    assert.match(en.stderr, /^fault: 503 \(503 SERVICE_UNAVAILABLE\), first 1 request$/m);
    assert.match(en.stderr, /^POST \/v3\/industry-coupon\/tokens → 503 SERVICE_UNAVAILABLE \(fault: 503\)$/m);
    assert.match(en.stderr, /Serving until Ctrl-C\./);

    assertChinese(
      zh.stdout,
      /^微信支付本地沙箱（平台证书模式），地址 http:\/\/127\.0\.0\.1:\d+\n配置目录：\S+\n试一试：\n {2}wxpay-coupon token --config /,
    );
    assertChinese(zh.stderr, /^故障注入：503（503 SERVICE_UNAVAILABLE），前 1 个请求$/m);
    assert.match(zh.stderr, /^POST \/v3\/industry-coupon\/tokens → 503 SERVICE_UNAVAILABLE（故障注入：503）$/m);
    assert.match(zh.stderr, /^POST \/v3\/industry-coupon\/tokens → 200$/m);
    assert.match(zh.stderr, /^GET \/v3\/nothing-here → 404 NOT_FOUND$/m);
    assert.match(zh.stderr, /沙箱运行中，按 Ctrl-C 停止。这里的密钥仅供沙箱使用，切勿用于真实的微信支付。/);
    // The sandbox's answers are WeChat Pay's: the same Chinese message whatever the sandbox's language.
    assert.match(en.bad.stderr, /NOT_FOUND: 请求的资源不存在/);
    assert.match(zh.bad.stderr, /NOT_FOUND: 请求的资源不存在/);
  });

  test('sandbox --json: the start-up object, the fault and request lines keep their keys and values (description translated)', async () => {
    const args = ['--json', '--fault', 'not-json:1', '--fault', '429:1'];
    const [en, zh] = await Promise.all([sandboxRun({}, args), sandboxRun({ WXPAY_LANG: 'zh-CN' }, args)]);
    const enStart = JSON.parse(en.stdout.split('\n')[0]);
    const zhStart = JSON.parse(zh.stdout.split('\n')[0]);
    assert.deepEqual(Object.keys(zhStart), Object.keys(enStart));
    assert.equal(zhStart.mode, 'public-key');
    assert.match(zhStart.try, /^wxpay-coupon token --config \S+ --open-id oSandboxUser --coupon 16474341:11004999626$/);
    const lines = (text) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const enLines = lines(en.stderr);
    const zhLines = lines(zh.stderr);
    const strip = (items) => items.map((item) => (item.fault ? { fault: { ...item.fault, description: '…' } } : item));
    assert.deepEqual(strip(zhLines), strip(enLines), 'every stderr line is JSON, the same in both languages but for the description');
    assert.deepEqual(enLines[0], { fault: { name: 'not-json', description: 'a correctly signed body that is not JSON', requests: 1 } });
    assert.deepEqual(zhLines[0], { fault: { name: 'not-json', description: '签名正确、但主体不是 JSON 的应答', requests: 1 } });
    assertChinese(zhLines[1].fault.description, /带应答头/);
  });

  test('a bad --fault and a bad --port are usage errors in Chinese (exit 2, the fault names listed as they are)', async () => {
    const home = tempDir();
    for (const [args, code, phrase] of [
      [
        ['sandbox', '--fault', 'nope'],
        'INVALID_FAULT',
        /^--fault "nope" 不是可注入的故障；请使用以下之一：500、502、.*no-content，可加 :count（如 503:2）$/,
      ],
      [['sandbox', '--fault', '503:0'], 'INVALID_FAULT', /^--fault "503:0"：次数必须是从 1 起的整数，如 503:2$/],
      [['sandbox', '--port', '70000'], 'INVALID_PORT', /^--port "70000" 必须是 0 到 65535 之间的端口号（0 表示自动选一个空闲端口）$/],
    ]) {
      const en = await runCli([...args, '--json'], { home });
      const zh = await runCli([...args, '--json'], { home, env: minimalEnv(home, ZH) });
      assert.equal(zh.code, 2);
      assert.equal(en.code, 2);
      const error = JSON.parse(zh.stderr).error;
      assert.deepEqual(withoutMessages(error), withoutMessages(JSON.parse(en.stderr).error));
      assert.equal(error.code, code);
      assertChinese(error.message, phrase, [...FAULT_NAMES, ':count']);
      const text = await runCli(args, { home, env: minimalEnv(home, ZH) });
      assert.equal(text.code, 2);
      assertChinese(text.stderr, CJK, [...FAULT_NAMES, ':count']);
    }
  });

  test('a port already taken: LISTEN_FAILED in Chinese', async () => {
    const port = new URL(publicKeySandbox.baseUrl).port;
    const home = tempDir();
    const zh = await runCli(['sandbox', '--port', port, '--json'], { home, env: minimalEnv(home, ZH) });
    assert.equal(zh.code, 2);
    const error = JSON.parse(zh.stderr).error;
    assert.equal(error.code, 'LISTEN_FAILED');
    assertChinese(error.message, new RegExp(`^无法在 127\\.0\\.0\\.1:${port} 上监听（EADDRINUSE）；请换一个 --port 或 --host$`));
  });
});

describe('messages the binary cannot reach, in-process in Chinese', () => {
  test('the certificate listing checks, the fault descriptions and the sandbox command texts follow the language', async () => {
    const { useLanguage, t } = await import('../dist/i18n/index.js');
    const { readCertificateListing } = await import('../dist/certificates.js');
    const { FAULT_DESCRIPTIONS, FAULTS } = await import('../dist/sandbox/faults.js');
    const failure = (body) => {
      try {
        readCertificateListing(Buffer.from(body), 'k'.repeat(32));
      } catch (error) {
        return error;
      }
      throw new Error('no failure');
    };
    const english = [failure('x'), failure('{"data":[]}'), failure('{"data":[{}]}')].map((error) => error.message);
    const englishDescriptions = { ...FAULT_DESCRIPTIONS };
    await useLanguage('zh-CN');
    try {
      const chinese = [failure('x'), failure('{"data":[]}'), failure('{"data":[{}]}')];
      assert.deepEqual(
        chinese.map((error) => error.code),
        ['BODY_NOT_JSON', 'CERTIFICATES_EMPTY', 'CERTIFICATE_LISTING_INVALID'],
      );
      assert.deepEqual(
        chinese.map((error) => error.message),
        [
          '平台证书应答不是 JSON',
          '平台证书应答中没有任何证书',
          '应答中的证书 data[0] 缺少 serial_no、effective_time、expire_time 或 encrypt_certificate',
        ],
      );
      assert.deepEqual(english, [
        'the certificates answer is not JSON',
        'the certificates answer lists no certificate',
        'certificate 0 in the answer lacks serial_no, effective_time, expire_time or encrypt_certificate',
      ]);
      // Read when shown, never at load: the same module object now speaks Chinese.
      assert.deepEqual(Object.keys(FAULT_DESCRIPTIONS), Object.keys(englishDescriptions));
      for (const fault of FAULTS) {
        assert.equal(FAULT_DESCRIPTIONS[fault.name], fault.description);
        assert.deepEqual(englishLeftIn(fault.description), [], fault.name);
        if (!/^\d{3}$/.test(fault.name)) assert.match(fault.description, CJK, fault.name);
      }
      assertChinese(t('ops.sandbox.invalidMode', { mode: 'x' }), /只能是 public-key 或 certificate/);
      assertChinese(t('ops.sandbox.exposed', { host: '0.0.0.0' }), /以明文 HTTP 提供服务/);
      for (const id of [
        'ops.certs.out.notWritable',
        'ops.certs.out.readOnly',
        'ops.certs.out.full',
        'ops.certs.out.tooLong',
        'ops.certs.out.loop',
      ])
        assertChinese(t(id), CJK);
      assertChinese(t('ops.certs.notYetValid', { serial: 'AB', from: '2030-01-01T00:00:00.000Z' }), /尚未生效/);
      assertChinese(t('ops.certificates.serialMismatch', { listed: 'AB', actual: 'CD' }), /解密后的序列号却是 CD/);
      assertChinese(
        t('ops.certificates.validityMismatch', {
          serial: 'AB',
          from: '2026-01-01T00:00:00.000Z',
          to: '2031-01-01T00:00:00.000Z',
          listedFrom: '2026-01-02T00:00:00+08:00',
          listedTo: '2031-01-02T00:00:00+08:00',
        }),
        /应答中列出的是/,
      );
    } finally {
      await useLanguage('en');
    }
    assert.equal(FAULT_DESCRIPTIONS['hang'], 'accept the request and never answer');
  });
});
