// The config area in Simplified Chinese (issue 13): every class of config and flag problem, the
// warnings of the config layer and the settings' option help, through the built binary with
// LANG=zh_CN.UTF-8 (once each with --lang zh-CN and WXPAY_LANG=zh-CN). Each case runs in English
// too: the exit code and the --json error's code, kind, exit_code and detail sources are the same,
// the English text is today's, and the Chinese text holds no English sentence (englishLeftIn).
// The head line "the configuration has N problems:" is the cli area's (src/errors.ts): it is
// left out of what is checked here.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, configuredSandbox, englishLeftIn, fixture, minimalEnv, runCli, tempDir, writeSandboxConfig } from './helpers.js';

const DRY = ['token', '--dry-run', '--open-id', 'oUser', '--coupon', '16474341:11004999626'];
const CJK = /[\u4e00-\u9fff]/;
const ZH = { LANG: 'zh_CN.UTF-8' };
let sandbox;
let valid;
before(async () => {
  ({ sandbox } = await configuredSandbox());
  valid = (dir, overrides = {}, file = '.wxpayrc.json') => writeSandboxConfig(sandbox, dir, { file, overrides });
});
after(() => sandbox.close());

/**
 * What a person reads of a human error, without the cli area's words around ours (src/errors.ts,
 * src/cli/output.ts): its head line "the configuration has N problems:" and a warning's "warning:".
 */
function readable(stderr) {
  return stderr
    .split('\n')
    .filter((line) => !/^wxpay-coupon: the configuration has (?:a problem|\d+ problems):$/.test(line))
    .map((line) => line.replace(/^warning: /, ''))
    .join('\n');
}

/** A source as a machine compares it: a key name too long to show is a placeholder, worded in each language. */
const sourceKey = (source) =>
  source.replace(/\(a key name of (\d+) characters\)|（一个长 (\d+) 个字符的配置项名）/, (_all, en, zh) => `#${en ?? zh}`);

function assertChinese(text, context, allow = []) {
  assert.match(text, CJK, `${context}: no Chinese in\n${text}`);
  assert.deepEqual(englishLeftIn(text, { allow }), [], `${context}:\n${text}`);
}

/**
 * Runs `args` in English and in Chinese, text and --json. Returns the four results after the
 * checks every case shares; `english` (a RegExp) is matched against the English text.
 */
async function both(args, { cwd, env = {}, english, code, allow = [], zhEnv = ZH }) {
  const home = cwd ?? tempDir();
  const run = (extra, json) => runCli(json ? [...args, '--json'] : args, { cwd: home, home, env: minimalEnv(home, { ...env, ...extra }) });
  const [en, zh, enJson, zhJson] = await Promise.all([run({}, false), run(zhEnv, false), run({}, true), run(zhEnv, true)]);
  const context = args.join(' ');
  assert.equal(en.code, code, `${context} (en): ${en.stderr}`);
  assert.equal(zh.code, code, `${context} (zh): ${zh.stderr}`);
  assert.equal(zh.stdout, en.stdout, context);
  if (english) assert.match(en.stderr, english, context);
  assertChinese(readable(zh.stderr), `${context} (zh)`, allow);
  assert.equal(zhJson.code, code);
  assert.equal(zhJson.stdout, enJson.stdout);
  const a = JSON.parse(enJson.stderr).error;
  const b = JSON.parse(zhJson.stderr).error;
  for (const key of ['code', 'kind', 'exit_code']) assert.equal(b[key], a[key], `${context}: ${key}`);
  assert.deepEqual(
    b.detail?.map((item) => sourceKey(item.source)),
    a.detail?.map((item) => sourceKey(item.source)),
    `${context}: the sources stay as they are`,
  );
  for (const item of b.detail ?? []) assertChinese(item.message, `${context}: detail ${item.source}`, allow);
  if (!b.detail) assertChinese(b.message, `${context}: --json message`, allow);
  return { en, zh, enJson: a, zhJson: b };
}

function configIn(text, file = '.wxpayrc.json', mode = 0o600) {
  const dir = tempDir();
  writeFileSync(path.join(dir, file), text, { mode });
  return dir;
}

describe('config values, in a JSON file: each check in Chinese, exit 3 as in English', () => {
  test('a file with a bad value for nearly every setting', async () => {
    const dir = configIn(
      JSON.stringify({
        mchid: 'abc',
        serial: 12,
        privateKey: 'nope',
        timeout: 'x',
        proxy: 'ftp://u:hunter2@x',
        baseUrl: 'http://example.com',
        foo: 1,
        Mchid2: 1,
        apiv3Key: 'short',
        retries: [1],
        rate: '0',
      }),
    );
    const { zh, zhJson } = await both(DRY, { cwd: dir, code: 3, english: /unknown key; known keys: mchid/ });
    assert.match(zh.stderr, /\.wxpayrc\.json: mchid: "abc" 不是商户号/);
    assert.match(zh.stderr, /\.wxpayrc\.json: timeout: 必须是 1 到 600000 之间的整数（毫秒），例如 5000，实际是 "x"/);
    assert.match(zh.stderr, /retries: 必须是 0 到 10 之间的整数（重试次数），例如 2，实际是一个列表/);
    assert.match(zh.stderr, /rate: 必须是大于 0/);
    assert.match(zh.stderr, /proxy: "ftp:\/\/u:\*\*\*@x\/" 不是有效的代理 URL/);
    assert.match(zh.stderr, /apiv3Key: 必须正好是 32 字节（实际是 5 字节）/);
    assert.match(zh.stderr, /publicKeyId \+ publicKey: 没有配置任何验签密钥/);
    assert.ok(!zh.stderr.includes('hunter2'));
    assert.equal(zhJson.code, 'CONFIG_INVALID');
    assert.equal(zhJson.detail.length, 12);
  });

  test('numbers, objects, empty values, ids, serials, certificates, URLs, the pair publicKey + publicKeyId', async () => {
    const dir = configIn(
      JSON.stringify({
        mchid: 1e20,
        serial: 'xyz',
        privateKey: '',
        publicKeyId: 'KEY_1',
        platformCertificates: 'one.pem',
        backupBaseUrl: 'ftp://backup.example.com',
        baseUrl: 'https://api.example.com/v3',
        merchantCertificate: { a: 1 },
      }),
    );
    const { zh } = await both(DRY, { cwd: dir, code: 3, english: /is a number too large to be read exactly/ });
    for (const phrase of [
      'mchid: 是一个大到无法精确读取的数字',
      'serial: "xyz" 不是证书序列号',
      'privateKey: 为空',
      'publicKeyId: "KEY_1" 不是微信支付公钥ID',
      'platformCertificates: 必须是证书文件路径或 PEM 文本的列表，实际是一个长 7 个字符的值',
      'backupBaseUrl: "ftp://backup.example.com/" 必须以 https:// 开头',
      'baseUrl: "https://api.example.com/v3" 只能是一个源',
      'merchantCertificate: 必须是字符串，实际是一个对象',
    ]) {
      assert.ok(zh.stderr.includes(phrase), `${phrase} in\n${zh.stderr}`);
    }
    const other = configIn(
      JSON.stringify({ mchid: -5, serial: 'AB', privateKey: 'k.pem', publicKey: 'pub.pem', platformCertificates: [7] }),
    );
    const second = await both(DRY, { cwd: other, code: 3, english: /must be a merchant id, digits like 1900000001, got the number -5/ });
    assert.match(second.zh.stderr, /mchid: 必须是商户号（数字，例如 1900000001），实际是数字 -5/);
    assert.match(second.zh.stderr, /publicKey: 已设置，但 publicKeyId 没有设置/);
    assert.match(second.zh.stderr, /platformCertificates\[0\]: 必须是证书文件路径或 PEM 文本，实际是一个数字/);
    // A fraction (a YAML file too) is not a merchant id; it is not "too large to be read exactly".
    for (const fraction of [configIn(JSON.stringify({ mchid: 5.5 })), configIn('mchid: 1900000001.5\n', '.wxpayrc.yaml')]) {
      const wrong = await both(DRY, {
        cwd: fraction,
        code: 3,
        english: /mchid: must be a merchant id, digits like 1900000001, got the number (5\.5|1900000001\.5)/,
      });
      assert.match(wrong.zh.stderr, /mchid: 必须是商户号（数字，例如 1900000001），实际是数字/);
      assert.doesNotMatch(wrong.en.stderr + wrong.zh.stderr, /too large|无法精确读取/);
    }
    const third = configIn(JSON.stringify({ mchid: '1', serial: 'AB', privateKey: 'k.pem', publicKeyId: 'PUB_KEY_ID_1' }));
    const pair = await both(DRY, { cwd: third, code: 3, english: /is set but publicKey is not/ });
    assert.match(pair.zh.stderr, /publicKeyId: 已设置，但 publicKey 没有设置/);
  });

  test('missing settings, and no configuration at all', async () => {
    const dir = configIn(JSON.stringify({ timeout: 5000 }));
    const { zh } = await both(DRY, { cwd: dir, code: 3, english: /mchid: is missing: the merchant id \(商户号\), digits/ });
    assert.match(zh.stderr, /mchid: 未设置商户号（数字）；请在配置文件中设置 "mchid"，或设置环境变量 WXPAY_MCHID$/m);
    assert.match(zh.stderr, /serial: 未设置商户API证书序列号；/);
    assert.match(zh.stderr, /privateKey: 未设置商户API私钥 apiclient_key\.pem；/);
    const none = await both(DRY, { code: 3, english: /^wxpay-coupon: no configuration found:\n {2}- configuration: no config file found/ });
    assert.match(none.zh.stderr, /^wxpay-coupon: 没有找到配置：\n {2}- 配置来源：没有找到配置文件/);
    // The Chinese hint names the example whose comments are Chinese.
    assert.match(none.zh.stderr, /请把 \.wxpayrc\.zh-CN\.example（中文注释）复制为 \.wxpayrc\.yaml/);
    assert.match(none.zhJson.message, /^没有找到配置：/);
  });
});

describe('key material: PEM text, key files, keys of the wrong kind or size', () => {
  const pem = (options, type) => generateKeyPairSync(type, options);
  let keys;
  before(() => {
    const rsa = pem({ modulusLength: 2048 }, 'rsa');
    const small = pem({ modulusLength: 1024 }, 'rsa');
    const ec = pem({ namedCurve: 'P-256' }, 'ec');
    keys = {
      privatePem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      publicPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }),
      smallPem: small.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ecPem: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    };
  });

  test('a base64 body, damaged PEM, line breaks, a folder, a device, a large file, no file', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'keys'));
    writeFileSync(path.join(dir, 'big.pem'), 'x'.repeat(70 * 1024));
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ'.repeat(3);
    writeFileSync(
      path.join(dir, '.wxpayrc.json'),
      JSON.stringify({
        mchid: '1900000001',
        serial: 'AB',
        privateKey: body,
        publicKeyId: 'PUB_KEY_ID_1',
        publicKey: 'keys',
        merchantCertificate: 'BEGIN CERTIFICATE broken',
        platformCertificates: ['big.pem', 'line\nbreak', '/dev/null', 'absent.pem'],
      }),
      { mode: 0o600 },
    );
    const { zh } = await both(DRY, { cwd: dir, code: 3, english: /it looks like the base64 body of a PEM private key/ });
    for (const phrase of [
      'privateKey: 不是 PEM 文本，也不是文件路径：看起来像是 PEM 私钥的 base64 主体',
      '是目录，不是 PEM 文件',
      'merchantCertificate: 不是 PEM 文本，也不是文件路径：看起来像是损坏的 PEM 文本',
      '不可能是密钥或证书文件',
      'platformCertificates[1]: 既不是 PEM 文本',
      '/dev/null 是字符设备，不是 PEM 文件',
      'platformCertificates[3]: 不是 PEM 文本，它给出的路径上也没有文件',
    ]) {
      assert.ok(zh.stderr.includes(phrase), `${phrase} in\n${zh.stderr}`);
    }
    assert.ok(!zh.stderr.includes(body.slice(0, 40)), 'the value is never shown');
  });

  test('a certificate, a public key, an encrypted key, a short key, an EC key where the private key belongs', async () => {
    const { privateKeyPem } = sandbox.credentials;
    const encrypted = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pass',
    });
    const cases = [
      [keys.publicPem, /inline PEM is a public key, not a private key/, '内联的 PEM 文本是公钥，不是私钥'],
      [encrypted, /is encrypted with a passphrase/, '已用口令加密'],
      [keys.smallPem, /is a 1024-bit RSA private key/, '是 1024 位的 RSA 私钥；微信支付 APIv3 要求 2048 位或以上'],
      [keys.ecPem, /is an EC private key/, '是 EC 私钥；微信支付 APIv3 要求 RSA（2048 位或以上）'],
      [fixture('wechatpay-go', 'certificate.pem'), /is a certificate, not a private key/, '是证书，不是私钥'],
    ];
    for (const [value, english, chinese] of cases) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'key.pem'), value, { mode: 0o600 });
      const inline = value === keys.publicPem;
      valid(dir, { privateKey: inline ? value : 'key.pem' });
      const { zh } = await both(DRY, { cwd: dir, code: 3, english });
      assert.ok(zh.stderr.includes(chinese), `${chinese} in\n${zh.stderr}`);
    }
    // publicKey: a private key, a certificate; platformCertificates: a public key.
    const dir = tempDir();
    writeFileSync(path.join(dir, 'priv.pem'), privateKeyPem, { mode: 0o600 });
    writeFileSync(path.join(dir, 'pub.pem'), keys.publicPem);
    valid(dir, { publicKey: 'priv.pem', platformCertificates: ['pub.pem'] });
    const { zh } = await both(DRY, { cwd: dir, code: 3, english: /is a private key, not WeChat Pay’s public key/ });
    assert.match(zh.stderr, /priv\.pem 是私钥，不是微信支付公钥/);
    assert.match(zh.stderr, /pub\.pem 是公钥，不是证书/);
  });

  test('a readable private key file: the warning in Chinese, the run done', async () => {
    const dir = tempDir();
    valid(dir);
    chmodSync(path.join(dir, 'apiclient_key.pem'), 0o644);
    const env = (extra) => minimalEnv(dir, extra);
    const en = await runCli(DRY, { cwd: dir, home: dir, env: env({}) });
    const zh = await runCli(DRY, { cwd: dir, home: dir, env: env(ZH) });
    assert.equal(en.code, 0, en.stderr);
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(en.stderr, /apiclient_key\.pem holds a secret but is readable by others \(mode 644\); run: chmod 600/);
    const line = zh.stderr.split('\n').find((candidate) => candidate.includes('chmod 600'));
    assert.match(line, /apiclient_key\.pem 含有机密，但其他用户可以读取它（权限 644）；请运行：chmod 600/);
    assertChinese(line.replace(/^.*?warning:\s*/, ''), 'KEY_FILE_READABLE');
    // A config file holding the APIv3 key, readable by its group.
    const inline = tempDir();
    valid(inline, { apiv3Key: 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb' });
    chmodSync(path.join(inline, '.wxpayrc.json'), 0o640);
    const group = await runCli([...DRY, '--json'], { cwd: inline, home: inline, env: minimalEnv(inline, ZH) });
    assert.equal(group.code, 0, group.stderr);
    assert.match(group.stderr + group.stdout, /\.wxpayrc\.json 含有机密，但同组用户可以读取它（权限 640）/);
  });
});

describe('config files: syntax, size, kind, the search, --config, JS configs', () => {
  test('JSON and YAML that do not parse; a BOM; a file of the wrong shape', async () => {
    const json = configIn('{\n  "mchid": "1",\n  "serial" "AB"\n}');
    const { zh } = await both(DRY, { cwd: json, code: 3, english: /invalid JSON at line 3, column 12 \(expected ':'\)/ });
    assert.match(zh.stderr, /\.wxpayrc\.json: 无法解析：JSON 无效：第 3 行第 12 列（此处应为 ":"）\n/);
    const yaml = configIn('mchid: 1\n  serial: [\n', '.wxpayrc.yaml');
    const parsed = await both(DRY, { cwd: yaml, code: 3, english: /\.wxpayrc\.yaml: cannot be parsed: / });
    assert.match(parsed.zh.stderr, /\.wxpayrc\.yaml: 无法解析：YAML 语法错误，第 2 行第 9 列（映射项的缩进不对）/);
    const bom = configIn(`\ufeff${JSON.stringify({ mchid: 'x1', serial: 'AB', privateKey: 'k.pem' })}`);
    const withBom = await both(DRY, { cwd: bom, code: 3, english: /"x1" is not a merchant id/ });
    assert.match(withBom.zh.stderr, /mchid: "x1" 不是商户号/);
    const list = configIn('- 1\n- 2\n', '.wxpayrc.yml');
    const shape = await both([...DRY, '--profile', 'prod'], { cwd: list, code: 3, english: /must hold an object of keys/ });
    assert.match(shape.zh.stderr, /\.wxpayrc\.yml: 必须是一个由配置项组成的对象/);
    assert.match(shape.zh.stderr, /--profile: 找不到 profile "prod"：\.wxpayrc\.yml 中没有 profiles/);
  });

  test('js-yaml’s reasons in Chinese, with line and column, quoting none of the file; the table names only reasons js-yaml gives', async () => {
    for (const [text, chinese] of [
      ['mchid: "1"\napiv3Key: x\n  serial: x\n', /\.wxpayrc\.yaml: 无法解析：YAML 语法错误，第 3 行第 9 列（映射项的缩进不对）\n/],
      ['mchid: 1\nmchid: 2\n', /第 2 行第 1 列（键重复）/],
      ['mchid:\n\t- x\n', /（缩进中不能使用制表符（Tab），请改用空格）/],
      ['mchid: "\\q"\n', /（双引号字符串中有未知的转义序列）/],
      ['mchid: [1, 2\n', /（\[…\] 或 \{…\} 没有闭合就到了文件末尾）/],
      ['mchid: *secretvalue\n', /（引用了未定义的锚点（别名））/],
    ]) {
      const { zh } = await both(DRY, { cwd: configIn(text, '.wxpayrc.yaml'), code: 3, english: /\.wxpayrc\.yaml: cannot be parsed: / });
      assert.match(zh.stderr, chinese);
      assert.doesNotMatch(zh.stderr, /js-yaml|secretvalue/);
    }
    const { YAML_REASONS } = await import('../dist/i18n/zh-CN/config.js');
    const loader = readFileSync(path.join(ROOT, 'node_modules', 'js-yaml', 'lib', 'loader.js'), 'utf8');
    for (const reason of YAML_REASONS.keys()) assert.ok(loader.includes(reason.split('…')[0]), reason);
  });

  test('--config: missing, empty, a folder, empty file, a FIFO, larger than 1 MiB; WXPAY_CONFIG too', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'folder'));
    writeFileSync(path.join(dir, 'empty.json'), '');
    writeFileSync(path.join(dir, 'big.json'), `{"a":"${'x'.repeat(1024 * 1024)}"}`);
    assert.equal(spawnSync('mkfifo', [path.join(dir, 'fifo')]).status, 0);
    for (const [value, english, chinese] of [
      ['absent.json', /absent\.json does not exist; check the path/, /--config: absent\.json 不存在；请检查路径（相对于 /],
      ['', /--config: is empty; name a config file/, /--config: 为空；请指定一个配置文件/],
      ['folder', /folder is a folder; name the config file itself/, /--config: folder 是目录；请指定配置文件本身/],
      ['empty.json', /empty\.json holds no configuration/, /--config: empty\.json 中没有任何配置/],
      ['fifo', /is not a regular file/, /--config: 不是普通文件（而是管道、设备或套接字）/],
      ['big.json', /a config file may be at most 1048576 bytes/, /--config: 大小为 \d+ 字节；配置文件最大只能是 1048576 字节（1 MiB）/],
    ]) {
      const { zh } = await both([...DRY, '--config', value], { cwd: dir, code: 3, english });
      assert.match(zh.stderr, chinese);
    }
    const { zh } = await both(DRY, {
      cwd: dir,
      env: { WXPAY_CONFIG: 'absent.json' },
      code: 3,
      english: /WXPAY_CONFIG: absent\.json does not exist/,
    });
    assert.match(zh.stderr, /WXPAY_CONFIG: absent\.json 不存在/);
  });

  test('the search skips a file others can write to and says so; --config refuses to run such a JS file', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.wxpayrc.json'), JSON.stringify({ mchid: '1' }), { mode: 0o666 });
    chmodSync(path.join(dir, '.wxpayrc.json'), 0o666);
    const { zh, zhJson } = await both(DRY, {
      cwd: dir,
      code: 3,
      english: /\.wxpayrc\.json skipped, not read: group or others can write to it/,
    });
    assert.match(
      zh.stderr,
      /已跳过 \.wxpayrc\.json，没有读取：同组用户或其他用户可以写入它（权限 666；如果这是你的文件，请运行 chmod go-w /,
    );
    assertChinese(zhJson.warnings?.[0]?.message ?? zh.stderr, 'CONFIG_SKIPPED');
    const js = tempDir();
    writeFileSync(path.join(js, 'wxpay.cjs'), 'module.exports = {};', { mode: 0o666 });
    chmodSync(path.join(js, 'wxpay.cjs'), 0o666);
    const run = await both([...DRY, '--config', 'wxpay.cjs'], {
      cwd: js,
      code: 3,
      english: /--config: wxpay\.cjs is not run: group or others can write/,
    });
    assert.match(run.zh.stderr, /--config: 不会执行 wxpay\.cjs：同组用户或其他用户可以写入它/);
    const open = tempDir();
    chmodSync(open, 0o777);
    writeFileSync(path.join(open, 'wxpay.cjs'), 'module.exports = {};', { mode: 0o600 });
    const folder = await both([...DRY, '--config', 'wxpay.cjs'], { cwd: open, code: 3, english: /without the sticky bit/ });
    assert.match(folder.zh.stderr, /它所在的目录 .* 可被同组用户或其他用户写入，且没有设置粘滞位（权限 777）/);
  });

  test('JS configs that throw, throw a string, reject, throw while read, never settle, never yield, exit, export a function', async () => {
    const cases = [
      [
        'throws.cjs',
        'throw new SyntaxError("apiv3 secret inside");',
        /failed with a SyntaxError at line 1/,
        /加载时抛出了 SyntaxError（第 1 行第 \d+ 列），错误消息不予显示/,
      ],
      ['string.cjs', 'throw "secret text";', /threw a string, not an Error/, /抛出的是一个字符串，而不是 Error；请运行 `node /],
      [
        'rejects.mjs',
        'export default Promise.reject(new TypeError("secret"));',
        /exports a promise that was rejected: failed with a TypeError/,
        /导出的 promise 被拒绝：加载时抛出了 TypeError/,
      ],
      [
        'getter.cjs',
        'module.exports = { get mchid() { throw new RangeError("secret"); } };',
        /failed with a RangeError while its exported value was read/,
        /在读取其导出值时抛出了 RangeError/,
      ],
      [
        'never.mjs',
        'export default new Promise(() => {});',
        /did not finish loading within 5 s/,
        /未能在 5 秒内加载完成（它的代码一直在运行，或者它导出的 promise 或顶层 await 一直没有完成，或者它导出的 `then`（`module\.exports\.then` 或 `export const then`）一直没有回调：请直接导出配置对象）/,
      ],
      ['loop.cjs', 'while (true) {}', /did not finish loading within 5 s/, /未能在 5 秒内加载完成（它的代码一直在运行/],
      [
        'exits.cjs',
        'process.exit(7);',
        /stopped before exporting a value \(it called process\.exit\(\), exit code 7\)/,
        /在导出配置之前就结束了运行（调用了 process\.exit\(\)，退出码 7）；配置文件只能导出配置项/,
      ],
      [
        'function.mjs',
        'export default { mchid: () => "secret" };',
        /exports something that is not plain data/,
        /导出的内容不是纯数据（含有函数、symbol 等）；配置文件只能导出字符串、数字、布尔值、对象和数组/,
      ],
    ];
    await Promise.all(
      cases.map(async ([file, source, english, chinese]) => {
        const dir = tempDir();
        writeFileSync(path.join(dir, file), source, { mode: 0o600 });
        const { zh } = await both([...DRY, '--config', file], {
          cwd: dir,
          code: 3,
          english,
          allow: ['SyntaxError', 'TypeError', 'RangeError', 'Error', 'promise', 'await', 'process.exit', 'symbol'],
        });
        assert.match(zh.stderr, chinese);
        assert.ok(!zh.stderr.includes('secret'), zh.stderr);
      }),
    );
  });
});

describe('profiles, keys, the environment', () => {
  test('a profile not found, profiles not an object, a profile not an object, a profile without a file, unknown keys', async () => {
    const dir = configIn(JSON.stringify({ mchid: '1', profiles: { prod: { Serial: 'AB', ['x'.repeat(70)]: 1 }, test: 5 } }));
    const missing = await both([...DRY, '--profile', 'stage'], {
      cwd: dir,
      code: 3,
      english: /profile "stage" not found in \.wxpayrc\.json \(available: prod, test\)/,
    });
    assert.match(missing.zh.stderr, /--profile: 在 \.wxpayrc\.json 中找不到 profile "stage"（可用的有：prod、test）/);
    const prod = await both([...DRY, '--profile', 'prod'], {
      cwd: dir,
      code: 3,
      english: /profiles\.prod\.Serial: unknown key; did you mean "serial"\?/,
    });
    assert.match(prod.zh.stderr, /profiles\.prod\.Serial: 未知的配置项；你是不是想写 "serial"？/);
    assert.match(prod.zh.stderr, /profiles\.prod\.（一个长 70 个字符的配置项名）：未知的配置项/);
    const test5 = await both(DRY, {
      cwd: dir,
      env: { WXPAY_PROFILE: 'test' },
      code: 3,
      english: /profiles\.test: must be an object of keys/,
    });
    assert.match(test5.zh.stderr, /\.wxpayrc\.json: profiles\.test: 必须是一个由配置项组成的对象/);
    const list = configIn(JSON.stringify({ mchid: '1', profiles: [] }));
    const notObject = await both(DRY, { cwd: list, code: 3, english: /must be an object of named profiles/ });
    assert.match(notObject.zh.stderr, /profiles: 必须是一个由命名 profile 组成的对象/);
    const env = { WXPAY_MCHID: '1900000001', WXPAY_PROFILE: 'prod' };
    const noFile = await both(DRY, { env, code: 3, english: /WXPAY_PROFILE: profile "prod" was asked for, but no config file was found/ });
    assert.match(noFile.zh.stderr, /WXPAY_PROFILE: 指定了 profile "prod"，但没有找到配置文件/);
  });

  test('environment variables: a bad merchant id, a short APIv3 key, a private key that is no PEM, a bad base URL', async () => {
    const env = {
      WXPAY_MCHID: '19x',
      WXPAY_SERIAL: 'AB',
      WXPAY_PRIVATE_KEY: 'line one\nline two',
      WXPAY_APIV3_KEY: 'a7cde1ZJB1kG2e7',
      WXPAY_BASE_URL: 'not a url',
      WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_1',
      WXPAY_PUBLIC_KEY: 'pub.pem',
    };
    const { zh } = await both(DRY, { env, code: 3, english: /WXPAY_BASE_URL: "not a url" is not a URL/ });
    assert.match(zh.stderr, /WXPAY_MCHID: "19x" 不是商户号/);
    assert.match(zh.stderr, /WXPAY_APIV3_KEY: 必须正好是 32 字节（实际是 15 字节）/);
    assert.match(zh.stderr, /WXPAY_PRIVATE_KEY: 既不是 PEM 文本（没有 -----BEGIN 行），也不是文件路径（含有换行；17 个字符）/);
    assert.match(zh.stderr, /WXPAY_BASE_URL: "not a url" 不是 URL；例如 https:\/\/api\.mch\.weixin\.qq\.com$/m);
    assert.ok(!zh.stderr.includes('a7cde1'), 'the APIv3 key is never shown');
  });
});

describe('flags: every flag rule, in text and --json, exit 2 as in English', () => {
  test('--timeout, --retries, --proxy, --rate, --concurrency, --base-url', async () => {
    const dir = tempDir();
    valid(dir);
    for (const [flags, english, chinese] of [
      [
        ['--timeout', 'abc'],
        /--timeout "abc" must be a whole number of milliseconds from 1 to 600000, like --timeout 5000/,
        /^wxpay-coupon: --timeout "abc" 无效：必须是 1 到 600000 之间的整数（毫秒），例如 --timeout 5000/,
      ],
      [
        ['--retries', '11'],
        /--retries "11" must be a whole number of retries from 0 to 10/,
        /--retries "11" 无效：必须是 0 到 10 之间的整数（重试次数），例如 --retries 2/,
      ],
      [
        ['--proxy', 'ftp://user:hunter2@x'],
        /--proxy "ftp:\/\/user:\*\*\*@x\/" is not a proxy URL; write it like --proxy http:\/\/proxy\.internal:3128 \(no path\)/,
        /--proxy "ftp:\/\/user:\*\*\*@x\/" 不是有效的代理 URL；例如 --proxy http:\/\/proxy\.internal:3128（不带路径）或 --proxy http/,
      ],
      [
        ['--batch', '-', '--rate', '0'],
        /--rate "0" must be a decimal number of requests per second/,
        /--rate "0" 无效：必须是大于 0 且不超过 10000 的数/,
      ],
      [
        ['--batch', '-', '--concurrency', '0'],
        /--concurrency "0" must be a whole number of requests in flight from 1 to 256/,
        /--concurrency "0" 无效：必须是 1 到 256 之间的整数（同时进行的请求数），例如 --concurrency 8/,
      ],
      [
        ['--base-url', 'http://example.com'],
        /uses plain http to a host that is not loopback/,
        /--base-url "http:\/\/example\.com\/" 用明文 http 连接一个非回环地址的主机/,
      ],
      [['--base-url', 'nope'], /--base-url "nope" is not a URL/, /--base-url "nope" 不是 URL/],
      [['--base-url', 'ftp://x'], /must start with https:\/\//, /--base-url "ftp:\/\/x\/" 必须以 https:\/\/ 开头/],
      [['--base-url', 'https://x/v3'], /must be an origin only/, /--base-url "https:\/\/x\/v3" 只能是一个源/],
    ]) {
      const args = flags[0] === '--batch' ? ['token', ...flags] : [...DRY, ...flags];
      const { zh } = await both(args, { cwd: dir, code: 2, english });
      assert.match(zh.stderr, chinese);
      assert.ok(!zh.stderr.includes('hunter2'));
    }
  });

  test('--lang zh-CN and WXPAY_LANG=zh-CN choose Chinese as LANG does', async () => {
    const dir = tempDir();
    valid(dir);
    const flag = await runCli([...DRY, '--timeout', '0', '--lang', 'zh-CN'], { cwd: dir, home: dir, env: minimalEnv(dir) });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--timeout "0" 无效/);
    const { zh } = await both([...DRY, '--retries', 'x'], {
      cwd: dir,
      code: 2,
      zhEnv: { WXPAY_LANG: 'zh-CN', LANG: 'en_US.UTF-8' },
      english: /--retries "x" must be/,
    });
    assert.match(zh.stderr, /--retries "x" 无效/);
  });

  test('notify send --to: the callback URL rules', async () => {
    for (const [to, chinese] of [
      [
        'http://example.com/notify',
        /--to "http:\/\/example\.com\/notify" 用明文 http 连接一个非回环地址的主机；回调通知不能不加密就经过网络/,
      ],
      ['nope', /--to "nope" 不是 URL；例如 http:\/\/127\.0\.0\.1:8080\/wxpay\/notify$/m],
      ['ftp://127.0.0.1/n', /--to "ftp:\/\/127\.0\.0\.1\/n" 必须以 https:\/\/ 开头（回环地址可用 http:\/\/）/],
      ['http://u:hunter2@127.0.0.1/n', /--to "http:\/\/u:\*\*\*@127\.0\.0\.1\/n" 带有用户名或密码/],
      ['http://127.0.0.1/n#x', /带有 #片段，它永远不会被发送；请去掉/],
    ]) {
      const dir = tempDir();
      const zh = await runCli(['notify', 'send', '--sandbox-dir', dir, '--to', to], { cwd: dir, home: dir, env: minimalEnv(dir, ZH) });
      const en = await runCli(['notify', 'send', '--sandbox-dir', dir, '--to', to], { cwd: dir, home: dir, env: minimalEnv(dir) });
      assert.equal(zh.code, 2, zh.stderr);
      assert.equal(en.code, 2, en.stderr);
      assert.match(zh.stderr, chinese);
      assertChinese(zh.stderr, `--to ${to}`);
    }
  });
});

test("--help: the settings' option help in Chinese, read when the help is built", async () => {
  const home = tempDir();
  const zh = await runCli(['token', '--help'], { home, env: minimalEnv(home, ZH) });
  const en = await runCli(['token', '--help'], { home, env: minimalEnv(home) });
  assert.equal(zh.code, 0);
  assert.match(en.stdout, /--timeout <ms> +bound each attempt to this many milliseconds/);
  const flat = zh.stdout.replace(/\s+/g, ' ');
  for (const phrase of [
    '--timeout <ms> 每次尝试的超时时间，单位毫秒（默认：配置中的 timeout，否则为 10000）',
    '--retries <n> 遇到网络错误、429 和 5xx 时最多重试 n 次',
    '--proxy <url> 通过这个 HTTP(S) 代理发送',
    '--base-url <url> 把请求发往这个源',
    '--rate <per-second> 批量模式：每秒发起的请求数',
    '--concurrency <n> 批量模式：同时进行的请求数（默认 8）',
  ]) {
    assert.ok(flat.includes(phrase), `${phrase} in\n${zh.stdout}`);
  }
  const root = await runCli(['--help'], { home, env: minimalEnv(home, ZH) });
  assert.match(root.stdout.replace(/\s+/g, ' '), /--profile <name> 使用配置文件中的这个 profile（环境变量 WXPAY_PROFILE）/);
  for (const line of zh.stdout.split('\n').filter((candidate) => /--(timeout|retries|proxy|base-url|rate|concurrency) </.test(candidate))) {
    assertChinese(line, 'option help');
  }
});

test('a secret never enters a Chinese message: secret-shaped values through privateKey, apiv3Key and proxy', async () => {
  const { privateKeyPem } = sandbox.credentials;
  const body = privateKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const lines = privateKeyPem.split('\n').filter((line) => line.length >= 8 && !line.startsWith('-----'));
  const values = [
    body,
    privateKeyPem.replace('-----BEGIN ', '----BEGN '),
    privateKeyPem.replace(/\n/g, '\\n').replace('-----BEGIN PRIVATE KEY-----', ''),
    lines[3],
    `${lines[2]}\n${lines[3]}`,
  ];
  for (const value of values) {
    for (const [key, env] of [
      ['privateKey', 'WXPAY_PRIVATE_KEY'],
      ['apiv3Key', 'WXPAY_APIV3_KEY'],
      ['publicKey', 'WXPAY_PUBLIC_KEY'],
    ]) {
      const dir = tempDir();
      valid(dir, { [key]: value });
      for (const run of [
        await runCli([...DRY, '--json'], { cwd: dir, home: dir, env: minimalEnv(dir, ZH) }),
        await runCli(DRY, { cwd: dir, home: dir, env: minimalEnv(dir, { ...ZH, [env]: value }) }),
      ]) {
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, CJK);
        for (const secret of [body, ...lines])
          assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret), `${key}: ${run.stderr}`);
      }
    }
  }
  const proxy = await runCli([...DRY, '--proxy', 'http://user:s3cr3tpass@proxy/path'], { home: tempDir(), env: minimalEnv(tempDir(), ZH) });
  assert.equal(proxy.code, 2);
  assert.ok(!proxy.stderr.includes('s3cr3tpass'), proxy.stderr);
  assert.match(proxy.stderr, /不是有效的代理 URL/);
});

test('unit: messages the binary cannot reach, and describeValue, in Chinese after useLanguage', async () => {
  const i18n = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
  const { describeValue } = await import(path.join(ROOT, 'dist', 'settings.js'));
  const { t } = i18n;
  await i18n.useLanguage('zh-CN');
  try {
    assert.equal(describeValue('mchid', true), '布尔值 true');
    assert.equal(describeValue('apiv3Key', 5), '一个数字');
    assert.equal(describeValue('privateKey', 'x'.repeat(40)), '一个长 40 个字符的值');
    assert.equal(describeValue('mchid', null), 'null');
    for (const text of [
      t('config.file.grew', { max: 1048576 }),
      t('config.pem.kind', { file: 's.sock', kind: 'socket' }),
      t('config.pem.kind', { file: 'fifo', kind: 'fifo' }),
      t('config.pem.kind', { file: 'sda', kind: 'block' }),
      t('config.pem.kind', { file: 'x', kind: 'other' }),
      t('config.pem.denied', { file: 'k.pem' }),
      t('config.pem.unreadable', { file: 'k.pem', code: 'EIO' }),
      t('config.pem.unreachable', { length: 9, baseDir: '/srv' }),
      t('config.file.denied', { file: 'a.json' }),
      t('config.untrusted.owner', { uid: 1001 }),
      t('config.untrusted.folderOwner', { folder: '/srv', uid: 1001 }),
      t('config.js.threw', { what: 'null', command: 'node a.cjs' }),
      t('config.js.threw', { what: 'object', command: 'node a.cjs' }),
      t('config.js.failed', { name: undefined, line: undefined, column: undefined, reading: false, command: 'node a.cjs' }),
      t('config.js.interrupted'),
      t('config.key.notCertificate', { label: 'X509 CRL' }),
      t('config.key.notPemCertificate'),
      t('config.key.unreadableCertificate'),
      t('config.key.unreadablePrivate'),
      t('config.key.unreadablePublic'),
      t('config.key.certificateNotPublic'),
      t('config.key.short', { bits: 1024, what: 'certificate', min: 2048 }),
      t('config.file.yaml', { reason: undefined }),
      t('config.json.invalid'),
      t('config.url.notUrlPlain'),
      t('config.shape.profileNotFound', { profile: 'p', file: 'a.json', available: [] }),
      t('config.secretFile.readable', { file: 'k.pem', others: false, mode: '640' }),
    ]) {
      assertChinese(text, text, ['Error']);
    }
  } finally {
    await i18n.useLanguage('en');
  }
  assert.equal(describeValue('mchid', true), 'the boolean true');
});
