import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../dist/index.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { fixture, tempDir, writeSandboxConfig, CONFIG_SEARCH_FILES } from './helpers.js';

let sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

async function configProblems(options) {
  try {
    await loadConfig(options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error?.stack}`);
    assert.equal(error.exitCode, 3);
    return error.problems;
  }
  assert.fail('expected a config error');
}

const SEARCH_FILES = CONFIG_SEARCH_FILES;

for (const file of SEARCH_FILES) {
  test(`finds the config in ${file}, searching upward from the working directory`, async () => {
    const dir = tempDir();
    // A .js file is ESM here: give the folder a package.json that says so, unless that is the file under test.
    if (file.endsWith('.js') && file !== 'package.json') writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    writeSandboxConfig(sandbox, dir, { file });
    const nested = path.join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    const config = await loadConfig({ cwd: nested, env: {} });
    assert.equal(config.mchid, sandbox.credentials.mchid);
    assert.equal(config.origin.file, path.join(dir, file));
    assert.equal(config.verificationKeys[0].serial, sandbox.credentials.publicKeyId);
  });
}

test('--config loads exactly that file, with key paths relative to it', async () => {
  const dir = tempDir();
  writeSandboxConfig(sandbox, path.join(dir, 'conf'), { file: 'custom.json', keysDir: path.join(dir, 'conf', 'keys') });
  writeFileSync(path.join(dir, '.wxpayrc.json'), '{"mchid":"1"}');
  const config = await loadConfig({ cwd: dir, env: {}, configPath: 'conf/custom.json' });
  assert.equal(config.origin.file, path.join(dir, 'conf', 'custom.json'));
  assert.equal(config.mchid, sandbox.credentials.mchid);
  const viaEnv = await loadConfig({ cwd: dir, env: { WXPAY_CONFIG: 'conf/custom.json' } });
  assert.equal(viaEnv.origin.file, path.join(dir, 'conf', 'custom.json'));
});

test('a missing --config file is a config error naming the flag', async () => {
  const problems = await configProblems({ cwd: tempDir(), env: {}, configPath: 'nope.json' });
  assert.equal(problems[0].source, '--config');
  assert.match(problems[0].message, /nope\.json does not exist/);
});

test('a config from the environment alone works, with paths relative to the working directory', async () => {
  const dir = tempDir();
  const c = sandbox.credentials;
  writeFileSync(path.join(dir, 'key.pem'), c.privateKeyPem);
  writeFileSync(path.join(dir, 'pub.pem'), c.publicKeyPem);
  const config = await loadConfig({
    cwd: dir,
    env: {
      WXPAY_MCHID: c.mchid,
      WXPAY_SERIAL: c.serial,
      WXPAY_PRIVATE_KEY: 'key.pem',
      WXPAY_PUBLIC_KEY_ID: c.publicKeyId,
      WXPAY_PUBLIC_KEY: 'pub.pem',
    },
  });
  assert.equal(config.origin.file, undefined);
  assert.deepEqual(config.origin.environment.sort(), [
    'WXPAY_MCHID',
    'WXPAY_PRIVATE_KEY',
    'WXPAY_PUBLIC_KEY',
    'WXPAY_PUBLIC_KEY_ID',
    'WXPAY_SERIAL',
  ]);
});

test('PEM text in a variable works, even with literal \\n as CI secrets store it', async () => {
  const c = sandbox.credentials;
  const config = await loadConfig({
    cwd: tempDir(),
    env: {
      WXPAY_MCHID: c.mchid,
      WXPAY_SERIAL: c.serial,
      WXPAY_PRIVATE_KEY: c.privateKeyPem.replace(/\n/g, '\\n'),
      WXPAY_PUBLIC_KEY_ID: c.publicKeyId,
      WXPAY_PUBLIC_KEY: c.publicKeyPem,
    },
  });
  assert.equal(config.privateKey.asymmetricKeyType, 'rsa');
});

test('precedence: defaults < file < profile < environment < flags', async () => {
  const dir = tempDir();
  writeSandboxConfig(sandbox, dir, {
    overrides: { timeout: 1111, profiles: { prod: { timeout: 2222, baseUrl: 'https://api2.mch.weixin.qq.com' } } },
  });
  const plain = await loadConfig({ cwd: dir, env: {} });
  assert.equal(plain.timeoutMs, 1111);
  assert.equal(plain.retries, 2);
  assert.equal(plain.baseUrl, sandbox.baseUrl);
  const profiled = await loadConfig({ cwd: dir, env: {}, profile: 'prod' });
  assert.equal(profiled.timeoutMs, 2222);
  assert.equal(profiled.baseUrl, 'https://api2.mch.weixin.qq.com');
  assert.equal(profiled.origin.sources.baseUrl, '.wxpayrc.json: profiles.prod.baseUrl');
  const viaEnvProfile = await loadConfig({ cwd: dir, env: { WXPAY_PROFILE: 'prod', WXPAY_BASE_URL: 'https://example.test' } });
  assert.equal(viaEnvProfile.baseUrl, 'https://example.test');
  const flagged = await loadConfig({
    cwd: dir,
    env: { WXPAY_PROFILE: 'prod', WXPAY_BASE_URL: 'https://example.test' },
    overrides: { baseUrl: 'http://127.0.0.1:9', timeout: 5 },
  });
  assert.equal(flagged.baseUrl, 'http://127.0.0.1:9');
  assert.equal(flagged.timeoutMs, 5);
  assert.equal(flagged.origin.sources.timeout, '--timeout');
});

test('an unknown profile lists the ones that exist', async () => {
  const dir = tempDir();
  writeSandboxConfig(sandbox, dir, { overrides: { profiles: { prod: {}, staging: {} } } });
  const problems = await configProblems({ cwd: dir, env: {}, profile: 'dev' });
  assert.deepEqual(problems, [{ source: '--profile', message: 'profile "dev" not found in .wxpayrc.json (available: prod, staging)' }]);
});

test('every problem is reported at once, each with its file and key or variable', async () => {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, '.wxpayrc.json'),
    JSON.stringify({
      mchid: 'abc',
      serial: 'not-hex',
      privateKey: 'missing.pem',
      publicKeyId: 'PUBKEY',
      apiv3Key: 'short',
      timeout: -1,
      baseUrl: 'http://api.example.com',
      privatekey: 'x',
    }),
  );
  const problems = await configProblems({ cwd: dir, env: { WXPAY_PLATFORM_CERTIFICATES: 'nope.pem' } });
  const bySource = {};
  for (const p of problems) bySource[p.source] = `${bySource[p.source] ?? ''}${p.message}\n`;
  assert.match(bySource['.wxpayrc.json: privatekey'], /unknown key; did you mean "privateKey"\?/);
  assert.match(bySource['.wxpayrc.json: mchid'], /"abc" is not a merchant id/);
  assert.match(bySource['.wxpayrc.json: serial'], /is not a certificate serial/);
  // A value that names no file may be the key itself: the message shows no part of it (issue 11 A).
  assert.match(bySource['.wxpayrc.json: privateKey'], /no file is at the path it gives/);
  assert.doesNotMatch(bySource['.wxpayrc.json: privateKey'], /missing/);
  assert.match(bySource['.wxpayrc.json: publicKeyId'], /not a WeChat Pay public key id/);
  assert.match(bySource['.wxpayrc.json: apiv3Key'], /exactly 32 bytes \(got 5\)/);
  assert.match(bySource['.wxpayrc.json: timeout'], /whole number of milliseconds/);
  assert.match(bySource['.wxpayrc.json: baseUrl'], /plain http to a host that is not loopback/);
  assert.match(bySource['WXPAY_PLATFORM_CERTIFICATES[0]'], /no file is at the path it gives/);
  assert.doesNotMatch(bySource['WXPAY_PLATFORM_CERTIFICATES[0]'], /nope/);
  assert.ok(problems.length >= 9);
});

test('missing keys are named with the file key and the variable that would set them', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, '.wxpayrc.json'), '{"mchid":"1900000001"}');
  const problems = await configProblems({ cwd: dir, env: {} });
  const sources = problems.map((p) => p.source);
  assert.deepEqual(sources, ['serial', 'privateKey', 'publicKeyId + publicKey']);
  assert.match(problems[0].message, /WXPAY_SERIAL/);
});

test('no config anywhere says where it looked and how to start', async () => {
  const error = await loadConfig({ cwd: tempDir(), env: {} }).catch((e) => e);
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /no configuration found/);
  assert.match(error.message, /\.wxpayrc\.json/);
  assert.match(error.message, /Copy \.wxpayrc\.example to \.wxpayrc\.yaml/);
  assert.match(error.message, /run wxpay-coupon sandbox, and this command in the folder it names/);
  const token = await loadConfig({ cwd: tempDir(), env: {}, sandboxFlag: true }).catch((e) => e);
  assert.match(token.message, /or try the local sandbox with --sandbox$/);
});

test('key files: a certificate where the private key belongs, a small key, an EC key, a truncated PEM', async () => {
  const dir = tempDir();
  const { generateKeyPairSync } = await import('node:crypto');
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  writeFileSync(path.join(dir, 'cert.pem'), fixture('wechatpay-java', 'merchant_certificate.pem'));
  writeFileSync(path.join(dir, 'small.pem'), small);
  writeFileSync(path.join(dir, 'ec.pem'), ec);
  writeFileSync(path.join(dir, 'cut.pem'), fixture('wechatpay-java', 'merchant_private_key.pem').slice(0, 400));
  const base = { mchid: '1900000001', serial: 'AB', publicKeyId: 'PUB_KEY_ID_01', publicKey: fixture('wechatpay-go', 'public_key.pem') };
  const cases = [
    ['cert.pem', /is a certificate, not a private key/],
    ['small.pem', /1024-bit RSA private key; WeChat Pay APIv3 needs 2048 bits or more/],
    ['ec.pem', /EC private key; WeChat Pay APIv3 needs RSA/],
    ['cut.pem', /not a readable PEM private key/],
  ];
  for (const [file, pattern] of cases) {
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify({ ...base, privateKey: file }));
    const problems = await configProblems({ cwd: dir, env: {} });
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].source, '.wxpayrc.json: privateKey');
    assert.match(problems[0].message, pattern);
    assert.ok(!problems[0].message.includes('BEGIN'), 'a problem never quotes key material');
  }
});

test('a platform certificate from the wechatpay-java vectors is read with its serial', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'wechatpay.pem'), fixture('wechatpay-java', 'wechat_pay_certificate.pem'));
  writeFileSync(path.join(dir, 'key.pem'), fixture('wechatpay-java', 'merchant_private_key.pem'));
  writeFileSync(
    path.join(dir, '.wxpayrc.yaml'),
    'mchid: "1234567891"\nserial: 5F1C72E2A8931B72A2E13AF8DEE92471EB397115\nprivateKey: key.pem\nplatformCertificates:\n  - wechatpay.pem\n',
  );
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.equal(config.verificationKeys[0].kind, 'certificate');
  assert.equal(config.verificationKeys[0].serial, '440024045C4A427599D09BB4E3DE0279F2E813FD');
  assert.equal(config.verificationKeys[0].source, '.wxpayrc.yaml: platformCertificates[0]');
});

test('a config file that cannot be parsed is named', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, '.wxpayrc.json'), '{"mchid": ');
  const problems = await configProblems({ cwd: dir, env: {} });
  assert.equal(problems[0].source, '.wxpayrc.json');
  assert.match(problems[0].message, /cannot be parsed/);
});

test('a parse error gives line and column and quotes nothing of the file (it may hold the APIv3 key)', async () => {
  const secret = 'Sup3rSecretApiV3Key0123456789abc';
  const json = tempDir();
  writeFileSync(path.join(json, '.wxpayrc.json'), `{\n  "mchid": "1234567891",\n  "apiv3Key": "${secret}" x\n}\n`);
  const [jsonProblem] = await configProblems({ cwd: json, env: {} });
  assert.equal(jsonProblem.source, '.wxpayrc.json');
  assert.match(jsonProblem.message, /^cannot be parsed: invalid JSON at line 3, column 50 \(/);
  assert.doesNotMatch(jsonProblem.message, /Sup3r|\n/);

  const yaml = tempDir();
  writeFileSync(path.join(yaml, '.wxpayrc.yaml'), `mchid: "1234567891"\n  apiv3Key: ${secret}\n`);
  const [yamlProblem] = await configProblems({ cwd: yaml, env: {} });
  assert.equal(yamlProblem.source, '.wxpayrc.yaml');
  assert.match(yamlProblem.message, /^cannot be parsed: .*\(2:\d+\)$/);
  assert.doesNotMatch(yamlProblem.message, /Sup3r|\n/);
});

test('a folder where a key file belongs is named', async () => {
  const dir = tempDir();
  writeSandboxConfig(sandbox, dir, { overrides: { privateKey: 'keys' } });
  mkdirSync(path.join(dir, 'keys'));
  const problems = await configProblems({ cwd: dir, env: {} });
  assert.equal(problems[0].source, '.wxpayrc.json: privateKey');
  assert.match(problems[0].message, /is a folder, not a PEM file/);
});

test(
  'an unreadable key file is named',
  { skip: process.getuid?.() === 0 ? 'root reads any file, so permission denial cannot be produced' : false },
  async () => {
    const dir = tempDir();
    writeSandboxConfig(sandbox, dir);
    chmodSync(path.join(dir, 'apiclient_key.pem'), 0);
    const problems = await configProblems({ cwd: dir, env: {} });
    assert.match(problems[0].message, /permission denied/);
  },
);

test('a serial written as a number is refused with the quoting of the file it is in: JSON, YAML or JS (helper-35)', async () => {
  for (const [file, text, quoted] of [
    ['.wxpayrc.json', '{"mchid":"1900000002","serial":123456,"privateKey":"k.pem"}', '"serial": "5F1C72E2…"'],
    ['.wxpayrc.yaml', 'mchid: "1900000002"\nserial: 123456\nprivateKey: k.pem\n', 'serial: "5F1C72E2…"'],
    ['.wxpayrc.cjs', 'module.exports = { mchid: "1900000002", serial: 123456, privateKey: "k.pem" };\n', 'serial: "5F1C72E2…"'],
  ]) {
    const dir = tempDir();
    writeFileSync(path.join(dir, file), text, { mode: 0o600 });
    const error = await loadConfig({ cwd: dir, env: {}, home: dir }).then(
      () => assert.fail(`${file} loaded`),
      (caught) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    const problem = error.problems.find((p) => /serial/.test(p.source));
    assert.ok(problem.message.endsWith(`quote it: ${quoted}`), `${file}: ${problem.message}`);
  }
});

test("an official SDK's name for a setting (serial_no, merchantSerialNumber, wechatPayPublicKeyID…) is told which key it means (careless check, helper-41)", async () => {
  const dir = tempDir('wxpay-sdk-');
  writeFileSync(
    path.join(dir, '.wxpayrc.json'),
    JSON.stringify({
      serial_no: 'x',
      merchantSerialNumber: 'x',
      merchantId: '1',
      wechatPayPublicKeyID: 'x',
      merchantPrivateKey: 'x',
      mchAPIv3Key: 'x',
    }),
  );
  const problems = await configProblems({ cwd: dir, env: {} });
  const said = Object.fromEntries(problems.map((p) => [p.source, p.message]));
  for (const [key, meant] of [
    ['serial_no', 'serial'],
    ['merchantSerialNumber', 'serial'],
    ['merchantId', 'mchid'],
    ['wechatPayPublicKeyID', 'publicKeyId'],
    ['merchantPrivateKey', 'privateKey'],
    ['mchAPIv3Key', 'apiv3Key'],
  ])
    assert.match(said[`.wxpayrc.json: ${key}`] ?? '', new RegExp(`unknown key; did you mean "${meant}"\\?`), key);
});

test('a key path or --config starting with ~ (not expanded inside quotes or in a file) says so (careless check, helper-41)', async () => {
  const dir = tempDir('wxpay-tilde-');
  const problems = await configProblems({
    cwd: dir,
    env: {
      WXPAY_MCHID: '1230000109',
      WXPAY_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      WXPAY_PRIVATE_KEY: '~/keys/apiclient_key.pem',
    },
  });
  const key = problems.find((p) => p.source === 'WXPAY_PRIVATE_KEY');
  assert.match(
    key.message,
    /no file is at the path it gives .*; a path starting with ~ is not expanded inside quotes or in a config file: write it as \$HOME\/… or in full$/,
  );
  await assert.rejects(loadConfig({ cwd: dir, env: {}, configPath: '~/wxpay.json' }), (error) => {
    assert.match(error.message, /~\/wxpay\.json does not exist; check the path \(relative to .*\); a path starting with ~ is not expanded/);
    return true;
  });
});

test('a merchant id in full-width digits is named with its ASCII spelling (careless check, helper-41)', async () => {
  const problems = await configProblems({ cwd: tempDir('wxpay-fw-'), env: { WXPAY_MCHID: '１９３０００００１' } });
  assert.match(
    problems.find((p) => p.source === 'WXPAY_MCHID').message,
    /is not a merchant id; .*; its digits are full-width \(a Chinese input method's\): type them in ASCII, 193000001$/,
  );
});
