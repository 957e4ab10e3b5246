// Issue 13, the token area in Simplified Chinese: every message of a token pre-order (single,
// --json, -q, --dry-run, --verbose, --batch), each error of the network, of verification and of
// WeChat Pay, the hints, the labels and the batch progress and summary. Each case runs the built
// binary twice, in English and with LANG=zh_CN.UTF-8, against the sandbox: exit codes and the
// machine-readable output are the same, the Chinese text has no English sentence left in it.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseFaultSpec } from '../dist/sandbox/index.js';
import {
  BIN,
  ROOT,
  configuredSandbox,
  displayColumns,
  englishLeftIn,
  minimalEnv,
  runCli,
  tempDir,
  writeSandboxConfig,
  batchLines,
  closedPort,
} from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
const ZH = { LANG: 'zh_CN.UTF-8' };
/** Chinese characters, at least a few in a row: the text is really Chinese. */
const CHINESE = /[\u4e00-\u9fff]{2,}/;

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

/** One run in `env`'s language, with the sandbox's faults set first (they are used up by each run). */
async function run(args, { env = {}, faults = [], cwd = dir, timeoutMs } = {}) {
  sandbox.setFaults(faults.map(parseFaultSpec));
  return runCli(args, { cwd, home: cwd, env: minimalEnv(cwd, env), ...(timeoutMs ? { timeoutMs } : {}) });
}

/** The same run in English and in Chinese. */
async function both(args, options = {}) {
  const en = await run(args, options);
  const zh = await run(args, { ...options, env: { ...options.env, ...ZH } });
  assert.equal(zh.code, en.code, `exit code: en ${en.code}, zh ${zh.code}\n${en.stderr}\n${zh.stderr}`);
  return { en, zh };
}

/**
 * A person's text in Chinese: no English sentence, and Chinese really there. The words after an
 * error's Request-ID ("quote it to WeChat Pay support") are written by src/cli/output.ts's
 * writeError, the cli area's (helper zh-cli), not this one's: they are taken out here.
 */
function assertChinese(text, allow = []) {
  text = text.replace(/ {2}\(quote it to WeChat Pay support\)$/gm, '');
  assert.deepEqual(englishLeftIn(text, { allow }), [], text);
  assert.match(text, CHINESE, text);
}

/** A JSON line's shape: its keys, recursively, and every value that is not a per-run value or a person's message. */
function shape(value, key = '') {
  if (Array.isArray(value)) return value.map((item) => shape(item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v, k)]));
  if (['message', 'token', 'request_id', 'expires_time', 'path', 'elapsed_ms', 'peak_rss_bytes', 'cpu_ms'].includes(key))
    return typeof value;
  return value;
}

function jsonLines(text) {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('token: one pre-order in Chinese', () => {
  test('human output: Chinese labels aligned for CJK width, the time left in Chinese, the sandbox note', async () => {
    const args = ['token', '--sandbox', ...COUPON];
    const { en, zh } = await both(args, { cwd: tempDir() });
    assert.equal(en.code, 0, en.stderr);
    assert.match(
      en.stdout,
      /^token {8}\S+\nexpires_time \S+ \(in (1h 59m|2h 0m)\)\nrequest_id {3}[0-9A-F]+\nlaunch_appid wx179335ce27355ca8\nlaunch_path {2}trafficCoupon/,
    );
    const lines = zh.stdout.split('\n');
    assert.match(lines[0], /^token {7}\S+$/);
    assert.match(lines[1], /^过期时间 {4}\S+（(1 小时 59 分|2 小时 0 分)后过期）$/);
    assert.match(lines[2], /^请求ID {6}[0-9A-F]+$/);
    assert.match(lines[3], /^小程序AppID wx179335ce27355ca8$/);
    assert.match(lines[4], /^小程序路径 {2}trafficCoupon\/pages\/index\/index\?mch_code=\d+&token=/);
    // Every value starts at the same terminal column (a CJK character takes two).
    const columns = lines.slice(0, 5).map((line) => displayColumns(/^(.*? )\S+(?:（.*）)?$/.exec(line)[1]));
    assert.deepEqual(new Set(columns).size, 1, JSON.stringify(columns));
    assertChinese(zh.stdout);
    assertChinese(zh.stderr);
    assert.match(zh.stderr, /^注意：此 token 来自本地沙箱/);
    assert.match(en.stderr, /^note: this token came from the local sandbox, not WeChat Pay/);
  });

  test('--json and -q: the same machine output; the --json sandbox warning follows the language', async () => {
    const json = await both(['token', '--sandbox', '--json', ...COUPON], { cwd: tempDir() });
    assert.equal(json.en.code, 0);
    assert.deepEqual(shape(JSON.parse(json.zh.stdout)), shape(JSON.parse(json.en.stdout)));
    const [enWarning] = jsonLines(json.en.stderr);
    const [zhWarning] = jsonLines(json.zh.stderr);
    assert.equal(zhWarning.warning.code, enWarning.warning.code);
    assertChinese(zhWarning.warning.message);
    const quiet = await both(['token', '-q', ...COUPON]);
    assert.equal(quiet.en.code, 0, quiet.en.stderr);
    for (const result of [quiet.en, quiet.zh]) assert.match(result.stdout, /^[A-Za-z0-9_-]{32}\n$/);
    assert.equal(quiet.zh.stderr, '');
  });

  test('--lang zh-CN and WXPAY_LANG=zh-CN choose Chinese too', async () => {
    const flag = await run(['token', '--lang', 'zh-CN', ...COUPON]);
    const variable = await run(['token', ...COUPON], { env: { WXPAY_LANG: 'zh-CN', LANG: 'en_US.UTF-8' } });
    for (const result of [flag, variable]) {
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^过期时间 /m);
      assertChinese(result.stdout);
    }
  });

  test('--dry-run: the same signed request on stdout, its note in Chinese', async () => {
    const { en, zh } = await both(['token', '--dry-run', ...COUPON]);
    assert.equal(en.code, 0);
    const head = (text) => text.split('\n').map((line) => line.replace(/^(Authorization: ).*/, '$1…').replace(/^(User-Agent: ).*/, '$1…'));
    assert.deepEqual(head(zh.stdout), head(en.stdout));
    assert.equal(en.stderr, 'dry run: signed but not sent\n');
    assert.equal(zh.stderr, '试运行：已签名，未发送\n');
    const json = await both(['token', '--dry-run', '--json', ...COUPON]);
    assert.deepEqual(Object.keys(JSON.parse(json.zh.stdout)), Object.keys(JSON.parse(json.en.stdout)));
  });

  test('--verbose: each attempt, retry, response and verification in Chinese; headers, URL and body as sent', async () => {
    const { en, zh } = await both(['token', '--verbose', '-q', ...COUPON], { faults: ['503:1'] });
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stderr, /attempt 1 failed \(503 \(Request-ID [0-9A-F]+\)\); retrying in \d+ ms/);
    assert.match(zh.stderr, /第 1 次尝试失败（503 \(Request-ID [0-9A-F]+\)）；\d+ ms 后重试/);
    assert.match(zh.stderr, /› 配置：.*\.wxpayrc\.json/);
    assert.match(zh.stderr, /› 网络：直连（未配置代理）/);
    assert.match(zh.stderr, /› 第 2 次尝试：POST http:\/\/127\.0\.0\.1:\d+\/v3\/industry-coupon\/tokens/);
    assert.match(zh.stderr, /› 请求体：\{"open_id":"oUser","coupon_list":\[\{"stock_id":16474341,"coupon_id":"11004999626"\}\]\}/);
    assert.match(zh.stderr, /› 验签通过：微信支付公钥 PUB_KEY_ID_/);
    assert.match(zh.stderr, /› Wechatpay-Serial: PUB_KEY_ID_/, 'header lines stay as sent');
    assertChinese(zh.stderr);
    const json = await both(['token', '--verbose', '--json', ...COUPON]);
    for (const line of jsonLines(json.zh.stderr)) if (!/^[A-Z][\w-]+: /.test(line.verbose.message)) assertChinese(line.verbose.message);
  });

  test('LAUNCH_TOKEN_TOO_LONG: the warning in Chinese, the same code and token', async () => {
    const { en, zh } = await both(['token', '--json', ...COUPON], { faults: ['long-token:1'] });
    assert.equal(en.code, 0);
    assert.deepEqual(shape(JSON.parse(zh.stdout)), shape(JSON.parse(en.stdout)));
    const warning = jsonLines(zh.stderr)[0].warning;
    assert.equal(warning.code, 'LAUNCH_TOKEN_TOO_LONG');
    assert.match(warning.message, /最多 64 个字符/);
    assertChinese(warning.message);
    const human = await run(['token', ...COUPON], { faults: ['long-token:1'], env: ZH });
    assert.match(human.stderr, /切卡组件/);
    assertChinese(human.stderr, ['warning']);
  });
});

describe('token: every failure in Chinese, with the same exit code, kind and code', () => {
  // fault(s)                      extra args                    what the Chinese message says
  const CASES = [
    [['503'], [], /微信支付应答 503 SERVICE_UNAVAILABLE：服务不可用\n微信支付暂时不可用；请稍后重试。/],
    [['500'], ['--retries', '0'], /微信支付应答 500 SYSTEM_ERROR：系统错误\n微信支付临时故障/],
    [['429'], ['--retries', '0'], /429 RATELIMIT_EXCEEDED：请求频率超限\n请求过于频繁/],
    [['bad-signature'], [], /应答的签名未通过验签（微信支付公钥 PUB_KEY_ID_\d+，.*）；应答可能被伪造或在传输中被篡改/],
    [['tampered-body'], [], /应答的签名未通过验签/],
    [['unknown-serial'], [], /应答的签名所用密钥 PUB_KEY_ID_0999999999999999999999999999 未配置（已配置：PUB_KEY_ID_/],
    [['stale-timestamp'], [], /应答的 Wechatpay-Timestamp 与本机时钟相差 60\d 秒（最多接受 300 秒）：可能是重放的应答/],
    [['missing-headers'], [], /应答缺少 Wechatpay-Signature、Wechatpay-Serial；缺少微信支付签名头/],
    [['not-json'], [], /已验签的应答不是 JSON/],
    [['no-token'], [], /微信支付应答 200 却没有 token/],
    [['huge-body'], [], /的应答超过 1048576 字节，已拒绝读取/],
    [['hang'], ['--timeout', '300', '--retries', '0'], /在 300 ms 内没有应答；请检查网络，或调大 --timeout/],
    // undici's "other side closed" (UND_ERR_SOCKET), in our words.
    [['reset'], ['--retries', '0'], /在应答之前关闭了连接；请重试/],
  ];
  for (const [faults, extra, says, allow = []] of CASES) {
    test(`${faults.join(', ')}${extra.length ? ` ${extra.join(' ')}` : ''}`, async () => {
      const human = await both(['token', ...extra, ...COUPON], { faults });
      assert.notEqual(human.en.code, 0);
      assert.match(human.zh.stderr, says);
      assertChinese(human.zh.stderr, allow);
      const json = await both(['token', '--json', ...extra, ...COUPON], { faults });
      const en = JSON.parse(json.en.stderr).error;
      const zh = JSON.parse(json.zh.stderr).error;
      assert.deepEqual(shape(zh), shape(en));
      assert.match(zh.message, says);
      assertChinese(zh.message, allow);
    });
  }

  test('401 SIGN_ERROR: WeChat Pay’s code and message as received, our hint in Chinese', async () => {
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder, { overrides: { serial: '0000000000000000000000000000000000000000' } });
    const { en, zh } = await both(['token', ...COUPON], { cwd: folder });
    assert.equal(en.code, 1);
    assert.match(en.stderr, /WeChat Pay answered 401 SIGN_ERROR: 商户证书序列号有误。请使用签名私钥匹配的证书序列号\nCheck that mchid/);
    assert.match(
      zh.stderr,
      /微信支付应答 401 SIGN_ERROR：商户证书序列号有误。请使用签名私钥匹配的证书序列号\n请检查商户号（mchid）、商户API证书序列号（serial）和商户API私钥（privateKey）/,
    );
    assert.match(zh.stderr, /Request-ID: [0-9A-F]+/);
    // The Request-ID line's words around the id belong to the cli area (src/cli/output.ts).
    assertChinese(zh.stderr);
  });

  test('network: refused, and a failover naming both domains', async () => {
    const port = await closedPort();
    const refused = tempDir();
    writeSandboxConfig(sandbox, refused, { overrides: { baseUrl: `http://127.0.0.1:${port}`, retries: 0 } });
    const one = await both(['token', ...COUPON], { cwd: refused });
    assert.equal(one.en.code, 4);
    assert.match(one.zh.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port} 拒绝了连接；地址是否正确、服务是否已启动？`));
    assertChinese(one.zh.stderr);
    const failover = tempDir();
    writeSandboxConfig(sandbox, failover, {
      overrides: { baseUrl: `http://127.0.0.1:${port}`, backupBaseUrl: sandbox.baseUrl, retries: 0 },
    });
    const two = await both(['token', '--verbose', ...COUPON], { cwd: failover, faults: ['503'] });
    assert.equal(two.en.code, 1);
    assert.match(two.zh.stderr, /无法访问 http:\/\/127\.0\.0\.1:\d+（.*拒绝了连接.*）；切换到备用域名 http:\/\/127\.0\.0\.1:\d+/);
    assert.match(two.zh.stderr, /第 2 次尝试（切换到备用域名）：POST/);
    assert.match(
      two.zh.stderr,
      /wxpay-coupon: 备用域名 http:\/\/127\.0\.0\.1:\d+：微信支付应答 503 [^\n]+\n[^\n]+\n主域名 http:\/\/127\.0\.0\.1:\d+（先尝试）：/,
    );
    assertChinese(two.zh.stderr);
  });

  test('usage errors of the request: --open-id, --coupon, stock ids, one stock, duplicates, flag conflicts', async () => {
    const cases = [
      [['token', '--coupon', '1:c'], /缺少 --open-id <openid>/],
      [['token', '--open-id', 'oUser'], /没传入券列表：请至少传入一个 --coupon/],
      [
        ['token', '--open-id', 'oUser', '--coupon', 'nocolon'],
        /不是 <stock_id>:<coupon_id> 格式（批次号:券ID），例如 --coupon 16474341:11004999626$/m,
      ],
      [
        ['token', '--open-id', 'oUser', '--coupon', '16474341：11004999626'],
        /全角冒号（：）；请改用半角冒号：--coupon 16474341:11004999626$/m,
      ],
      [['token', '--open-id', 'oUser', '--coupon', '16474341:1,16474341:2'], /券ID中含有","，这不止一张券/],
      [['token', '--open-id', 'oUser', '--coupon', '16474341:1 16474341:2'], /券ID中含有空格，这不止一张券/],
      [['token', '--open-id', 'oUser', '--coupon', '007:c'], /批次号 "007" 不能有前导零/],
      [['token', '--open-id', 'oUser', '--coupon', '0:c'], /批次号 0 不是有效的批次号/],
      [['token', '--open-id', 'oUser', '--coupon', 'x1:c'], /批次号 "x1" 不是正整数/],
      [['token', '--open-id', 'oUser', '--coupon', '99999999999999999999:c'], /超过了批次号的最大值/],
      [['token', '--open-id', 'oUser', '--coupon', '1:'], /券ID 为空；长度须为 1 到 64 个字符/],
      [['token', '--open-id', 'oUser', '--coupon', `1:${'c'.repeat(65)}`], /券ID 长 65 个字符/],
      [['token', '--open-id', ' oUser', '--coupon', '1:c'], /OpenID有误：--open-id 须为 1 到 64 个字符，且首尾不能有空格/],
      [
        ['token', '--open-id', 'oUser', '--coupon', '1:c', '--coupon', '2:d'],
        /单次请求只能传一个批次号：收到了批次 1、2；请为每个批次分别申请 token/,
      ],
      [['token', '--open-id', 'oUser', '--coupon', '1:c', '--coupon', '1:c'], /券ID存在重复：券ID c 出现了两次/],
      [['token', '--sandbox', '--base-url', 'http://127.0.0.1:1', ...COUPON], /--sandbox 会自己启动本地服务/],
      [['token', '--rate', '5', ...COUPON], /--concurrency 和 --rate 只能与 --batch/],
      [['token', '--batch', '-', '--dry-run', ...COUPON], /--batch 从输入中读取每个请求；请去掉 --open-id、--coupon、--dry-run/],
      [['token', '--batch', 'nowhere.jsonl'], /--batch nowhere\.jsonl：文件不存在/],
      [['token', '--batch', '.'], /--batch \. 是一个目录/],
    ];
    for (const [args, says] of cases) {
      const { en, zh } = await both(args);
      assert.equal(en.code, 2, `${args.join(' ')}: ${en.stderr}`);
      assert.match(zh.stderr, says, args.join(' '));
      assertChinese(zh.stderr);
      const json = await both([...args, '--json']);
      assert.deepEqual(shape(JSON.parse(json.zh.stderr).error), shape(JSON.parse(json.en.stderr).error));
    }
  });
});

describe('token --batch in Chinese', () => {
  const input = () =>
    batchLines(2) +
    '{not json\n' +
    '{"open_id":"oUser9"}\n' +
    '{"open_id":"oUser8","coupon_list":[{"stock_id":"01","coupon_id":"c"}]}\n' +
    '[1]\n' +
    `{"open_id":"${'x'.repeat(1024 * 1024 + 10)}"}\n` +
    batchLines(1, { from: 7 });

  test('a file with failing lines: exit 6, the same output lines and codes, messages and summary in Chinese', async () => {
    const file = path.join(dir, 'zh-batch.jsonl');
    writeFileSync(file, input());
    const { en, zh } = await both(['token', '--batch', file]);
    assert.equal(en.code, 6, en.stderr);
    const enLines = jsonLines(en.stdout);
    const zhLines = jsonLines(zh.stdout);
    assert.deepEqual(
      zhLines.map((line) => shape(line)),
      enLines.map((line) => shape(line)),
    );
    const errors = zhLines.filter((line) => line.error).map((line) => line.error);
    assert.deepEqual(
      errors.map((error) => error.code),
      ['INVALID_JSON', 'INVALID_REQUEST', 'PARAM_ERROR', 'PARAM_ERROR', 'LINE_TOO_LONG'],
    );
    for (const error of errors) assertChinese(error.message);
    assert.match(errors[0].message, /^第 3 行不是 JSON（此处应为属性名，位置 1）$/);
    assert.match(errors[4].message, /^第 7 行长 1,048,600 字节；一个请求行最多 1 MiB（1,048,576 字节），因此未读取该行（开头是 /);
    assert.match(en.stderr, /^batch: 8 lines, 3 tokens, 5 failed in /m);
    assert.match(zh.stderr, /^批量：共 8 行，得到 3 个 token，失败 5 行，用时 \d+\.\d 秒（\d+\.\d 行\/秒）/m);
    assertChinese(zh.stderr);
  });

  test('stdin with --json: the summary’s keys and figures unchanged, its message in Chinese', async () => {
    const results = {};
    for (const [language, env] of [
      ['en', {}],
      ['zh', ZH],
    ]) {
      sandbox.setFaults([]);
      results[language] = await pipeInto(['token', '--batch', '-', '--json'], input(), minimalEnv(dir, env));
    }
    const { en, zh } = results;
    assert.equal(en.code, 6);
    assert.equal(zh.code, 6);
    assert.deepEqual(
      jsonLines(zh.stdout).map((line) => shape(line)),
      jsonLines(en.stdout).map((line) => shape(line)),
    );
    const summary = (text) => jsonLines(text).find((line) => line.summary).summary;
    const [enSummary, zhSummary] = [summary(en.stderr), summary(zh.stderr)];
    assert.deepEqual(shape(zhSummary), shape(enSummary));
    assert.match(zhSummary.message, /^批量：共 8 行，得到 3 个 token，失败 5 行/);
    assertChinese(zhSummary.message);
  });

  test(
    'the live progress line on a terminal, and the interrupted summary, in Chinese',
    { skip: !hasScript() && 'no script(1)' },
    async () => {
      const file = path.join(dir, 'zh-live.jsonl');
      writeFileSync(file, batchLines(40));
      const bin = `"${process.execPath}" "${BIN}"`;
      const transcript = await underPty(`${bin} token --batch ${file} --rate 20 > out.jsonl`, ZH);
      assert.match(transcript, /已完成 \d+\/40，失败 0，进行中 \d+，\d+ 行\/秒(，预计还需 [\d.]+ 秒)?/);
      assert.match(transcript, /批量：共 40 行，得到 40 个 token，失败 0 行/);
      // eslint-disable-next-line no-control-regex -- the live line's own escapes are what is removed
      const text = transcript.replace(/\r|\u001b\[K/g, '\n');
      assertChinese(text);
      // A stop: the summary says so (SIGTERM after the first lines).
      const stopped = await pipeInto(['token', '--batch', '-'], batchLines(30), minimalEnv(dir, ZH), { rate: '5', stopAfterMs: 1500 });
      assert.equal(stopped.code, 130, stopped.stderr);
      assert.match(stopped.stderr, /；已中断：最后写出的那一行之后的行都没有开始/);
      assertChinese(stopped.stderr);
    },
  );
});

test('every Chinese message of the token area, whatever its parameters, leaves no English sentence', async () => {
  const zhCN = (await import(path.join(ROOT, 'dist', 'i18n', 'zh-CN', 'index.js'))).zhCN.token;
  const { en } = await import(path.join(ROOT, 'dist', 'i18n', 'en', 'index.js'));
  const ids = Object.keys(en.token);
  assert.ok(ids.length > 100, String(ids.length));
  const withoutChinese = new Set();
  for (const id of ids) {
    const message = zhCN[id];
    for (const value of [1, 0, 2]) {
      // Every parameter is the same harmless value: a number, or truthy/falsy for the choices.
      // (A list takes a list: token.list.)
      const parameters = id === 'token.list' ? { items: [String(value), 'x'] } : new Proxy({}, { get: () => value });
      const text = typeof message === 'string' ? message : message(parameters);
      assert.deepEqual(englishLeftIn(text), [], `${id}: ${text}`);
      if (!/[\u4e00-\u9fff]/.test(text)) withoutChinese.add(id);
    }
  }
  // Only these hold no Chinese word of their own: a name, or values around the words of another message.
  assert.deepEqual([...withoutChinese].sort(), [
    'token.couponList.couponId',
    'token.couponList.stockId',
    'token.expiry.note',
    'token.label.token',
    'token.list',
  ]);
});

test('the library: hints, the clock-skew note, network errors and the time left follow useLanguage()', async () => {
  const i18n = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
  const { clockSkewNote, apiErrorHint } = await import(path.join(ROOT, 'dist', 'hints.js'));
  const { describeNetworkError } = await import(path.join(ROOT, 'dist', 'transport.js'));
  const { describeExpiry } = await import(path.join(ROOT, 'dist', 'cli', 'output.js'));
  const { ANSWER_WORDING } = await import(path.join(ROOT, 'dist', 'verify.js'));
  const now = Date.parse('2026-12-01T12:00:00Z');
  const english = {
    skew: clockSkewNote(new Date(now - 600_000).toUTCString(), now),
    hint: apiErrorHint('SOMETHING', 502),
    dns: describeNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'https://api.mch.weixin.qq.com', 1000, false).message,
    ago: describeExpiry('2026-12-01T11:57:00Z', now),
  };
  assert.equal(
    english.skew,
    "This machine's clock is 600 s ahead of WeChat Pay's (its Date header); fix the clock (NTP): signatures more than 5 minutes off are rejected.",
  );
  assert.equal(english.ago, 'expired 3m 0s ago');
  assert.equal(apiErrorHint('toString', 400), undefined, 'a code that names an Object method is no hint');
  await i18n.useLanguage('zh-CN');
  try {
    assert.equal(
      clockSkewNote(new Date(now - 600_000).toUTCString(), now),
      '本机时钟比微信支付的（应答的 Date 头）快 600 秒；请校准时钟（NTP）：时间偏差超过 5 分钟的签名会被拒绝。',
    );
    assert.ok(clockSkewNote(new Date(now + 90_000).toUTCString(), now).startsWith('本机时钟比微信支付的（应答的 Date 头）慢 90 秒；'));
    assert.equal(apiErrorHint('SOMETHING', 502), '微信支付服务端错误；请稍后重试。');
    const code = (name) => Object.assign(new Error('x'), { code: name });
    for (const [error, says] of [
      [code('ENOTFOUND'), /无法解析 https:\/\/api\.mch\.weixin\.qq\.com 的主机名（DNS ENOTFOUND）/],
      [code('EHOSTUNREACH'), /本机无法访问 .*（EHOSTUNREACH）；请检查路由或代理/],
      [code('ERR_TLS_CERT_ALTNAME_INVALID'), /TLS 握手失败（ERR_TLS_CERT_ALTNAME_INVALID）；本工具从不关闭证书校验/],
      [code('ECONNRESET'), /在应答之前关闭了连接/],
    ]) {
      const message = describeNetworkError(error, 'https://api.mch.weixin.qq.com', 1000, false).message;
      assert.match(message, says);
      assertChinese(message);
    }
    assert.equal(describeExpiry('2026-12-01T11:57:00Z', now), '已过期 3 分 0 秒');
    assert.equal(describeExpiry('2026-12-01T12:00:45Z', now), '45 秒后过期');
    assert.equal(ANSWER_WORDING.subject, '应答', 'the wording is looked up when used, not at module load');
    assert.notEqual(english.dns, describeNetworkError(code('ENOTFOUND'), 'https://api.mch.weixin.qq.com', 1000, false).message);
  } finally {
    await i18n.useLanguage('en');
  }
  assert.equal(ANSWER_WORDING.subject, 'the answer');
});

function hasScript() {
  return spawnSync('script', ['--version']).status === 0;
}

/** Runs the binary with `text` on its stdin; with stopAfterMs, sends SIGTERM then. */
function pipeInto(args, text, env, { rate, stopAfterMs } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, ...(rate ? ['--rate', rate] : [])], {
      cwd: dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.write(text);
    if (stopAfterMs) setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
    else child.stdin.end();
  });
}

/** A bash command line under script(1): stderr is a pty, so the live line is drawn. */
function underPty(commandLine, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', commandLine, '/dev/null'], {
      cwd: dir,
      env: minimalEnv(dir, { SHELL: '/bin/bash', TERM: 'dumb', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let transcript = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (transcript += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (transcript += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not finish: ${commandLine}\n${transcript}`));
    }, 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(transcript);
    });
  });
}
