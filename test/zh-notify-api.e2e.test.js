// The api and notify areas in Simplified Chinese (issue 13), end to end: the built binary with
// LANG=zh_CN.UTF-8 against the sandbox (api), folders written by `wxpay-coupon sandbox --dir`
// and a real node:http handler (notify). Each case runs in English and in Chinese: the exit code
// and the machine-readable output are the same, a `--json` error differs only in its message,
// the Chinese text a person reads holds no English sentence, and the English is today's.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, createSign, randomBytes, createCipheriv } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BIN,
  ROOT,
  configuredSandbox,
  englishLeftIn,
  leakedSecret,
  minimalEnv,
  startSandboxProcess,
  tempDir,
  writeSandboxConfig,
  startCallbackHandler,
} from './helpers.js';

const ZH = { LANG: 'zh_CN.UTF-8' };
const CHINESE = /[\u4e00-\u9fff]/;
const KEY_FILE = 'SANDBOX-ONLY_wechatpay_signing_key.pem';
const TOKEN_BODY = '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}';

/**
 * Words around our messages that other areas' code writes (and other helpers translate), taken
 * out before englishLeftIn so that this file checks the api and notify areas' own text:
 * the ConfigError heading (src/errors.ts), the `warning:` prefix (src/cli/warnings.ts), the
 * answer-verification sentences that embed NOTIFICATION_WORDING (src/verify.ts), the JSON
 * parser's reason (src/json.ts), the --dry-run note and the client's --verbose lines
 * (src/cli/commands/shared.ts).
 */
const OTHERS = [
  /the configuration has (?:a problem|\d+ problems):/g,
  /^warning: /gm,
  /(?:is missing|is signed with key|which is not configured|'s signature does not verify with (?:public key|certificate)|'s Wechatpay-Timestamp is \d+ s from this machine's clock \(at most 300 s is accepted\))/g,
  /[a-z' ,]+ at position \d+/g,
  /dry run: signed but not sent/g,
  /^› (?:network|attempt|\d{3} in|signature verified).*$/gm,
];
function ours(text) {
  return OTHERS.reduce((rest, pattern) => rest.replace(pattern, ' '), text);
}

/** Spawns the binary; `input` (when given) is written to its stdin. */
function spawnCli(args, { cwd, lang = {}, input, env = {}, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: minimalEnv(cwd, { ...env, ...lang }),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const leak = leakedSecret(stdout) ?? leakedSecret(stderr);
      if (leak) reject(new Error(`wxpay-coupon ${args.join(' ')} printed ${leak}`));
      else resolve({ code, stdout, stderr });
    });
    if (input !== undefined) {
      child.stdin.on('error', () => {});
      if (input !== null) child.stdin.end(input);
    }
    onSpawn?.(child);
  });
}

/** What a person reads in Chinese: Chinese is there, and no English sentence of ours is left. */
function assertChinese(text, phrase, what) {
  assert.match(text, CHINESE, `${what}: no Chinese in ${text}`);
  if (phrase) assert.match(text, phrase, what);
  assert.deepEqual(englishLeftIn(ours(text)), [], `${what}: ${text}`);
}

/** The last JSON line of stderr (the error object), and that line without its human messages. */
function errorLine(stderr) {
  const line = JSON.parse(stderr.trim().split('\n').at(-1));
  const { message, ...machine } = line.error;
  const withoutMessage = (items) => items?.map?.((item) => Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'message')));
  const detail = withoutMessage(machine.detail);
  // Warnings folded into the error (P: one error object on failure) carry a message in the language too.
  const warnings = withoutMessage(machine.warnings);
  return {
    message,
    machine: { ...machine, ...(detail ? { detail } : {}), ...(warnings ? { warnings } : {}) },
    detailMessages: [...(line.error.detail?.map?.((d) => d.message) ?? []), ...(line.error.warnings?.map?.((w) => w.message) ?? [])],
  };
}

/**
 * One error case, in four runs: English text (today's words, `english`), Chinese text (`chinese`
 * phrase, no English left), and both with --json (the same line but for `message`, which is Chinese).
 */
async function assertErrorCase({ args, cwd, code, english, chinese, input, env, sameStdout = (en, zh) => assert.equal(zh, en, 'stdout') }) {
  const what = args.join(' ');
  const en = await spawnCli(args, { cwd, input, env });
  const zh = await spawnCli(args, { cwd, input, env, lang: ZH });
  assert.equal(en.code, code, `${what} (en): ${en.stderr}`);
  assert.equal(zh.code, code, `${what} (zh): ${zh.stderr}`);
  sameStdout(en.stdout, zh.stdout, false);
  assert.match(en.stderr, english, `${what}: English`);
  assert.doesNotMatch(en.stderr.replace(/APIv3密钥|微信支付公钥|平台证书/g, ''), CHINESE, `${what}: English has no Chinese`);
  assert.ok(!/\n\s+at /.test(zh.stderr), 'no stack trace');
  assertChinese(zh.stderr, chinese, what);
  const enJson = await spawnCli([...args, '--json'], { cwd, input, env });
  const zhJson = await spawnCli([...args, '--json'], { cwd, input, env, lang: ZH });
  assert.equal(zhJson.code, code);
  sameStdout(enJson.stdout, zhJson.stdout, true);
  const enLine = errorLine(enJson.stderr);
  const zhLine = errorLine(zhJson.stderr);
  assert.deepEqual(zhLine.machine, enLine.machine, `${what}: --json keys, kind, code, exit_code`);
  assert.match(enLine.message, english);
  assertChinese(zhLine.message, undefined, `${what} --json message`);
  for (const message of zhLine.detailMessages ?? []) assertChinese(message, undefined, `${what} --json detail`);
  return { en, zh, enJson, zhJson };
}

describe('api in Chinese', () => {
  let sandbox;
  let dir;
  before(async () => {
    ({ sandbox, dir } = await configuredSandbox());
    mkdirSync(path.join(dir, 'folder'));
    writeFileSync(path.join(dir, 'big.json'), `"${'x'.repeat(1024 * 1024)}"`);
    writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x22, 0xff, 0x22]));
    writeFileSync(path.join(dir, 'bom.json'), '\uFEFF{}');
    writeFileSync(path.join(dir, 'broken.json'), '{"a":');
  });
  after(() => sandbox.close());

  const cases = [
    ['method', ['FOO', '/v3/certificates'], /"FOO" is not a method api sends/, /不是 api 命令能发送的请求方法/],
    [
      'URL with a password',
      ['GET', 'https://u:secret@api.mch.weixin.qq.com/v3/certificates'],
      /carries a user name or password/,
      /用户名或密码/,
    ],
    ['not https', ['GET', 'ftp://api.mch.weixin.qq.com/v3/certificates'], /is not an https URL of WeChat Pay/, /不是微信支付的 https 地址/],
    ['not an APIv3 path', ['GET', '/certificates'], /is not an APIv3 path/, /不是 APIv3 路径/],
    ['a #fragment', ['GET', '/v3/certificates#top'], /has a #fragment/, /片段从不发送/],
    ['not sent as written', ['GET', '/v3/a b'], /would not be sent exactly as written/, /百分号编码/],
    ['--header shape', ['GET', '/v3/certificates', '--header', 'nocolon'], /--header must look like/, /的格式应为/],
    ['--header control character', ['GET', '/v3/certificates', '--header', 'X-Trace-Id: a\u0001b'], /control character/, /控制字符/],
    [
      '--header Content-Type',
      ['GET', '/v3/certificates', '--header', 'Content-Type: text/plain'],
      /always sent as Content-Type/,
      /请求主体始终以/,
    ],
    [
      '--header Authorization',
      ['GET', '/v3/certificates', '--header', 'Authorization: x'],
      /signature headers are made/,
      /签名相关的请求头/,
    ],
    [
      '--header Connection',
      ['GET', '/v3/certificates', '--header', 'Connection: close'],
      /sets the connection headers itself/,
      /连接相关的请求头/,
    ],
    ['--header twice', ['GET', '/v3/certificates', '--header', 'X-Trace-Id: 1', '--header', 'x-trace-id: 2'], /is given twice/, /给了两次/],
    ['GET with --data', ['GET', '/v3/certificates', '--data', '{}'], /GET sends no body/, /GET 请求没有请求主体/],
    ['@file missing', ['POST', '/v3/x', '--data', '@nothing.json'], /no such file/, /文件不存在/],
    ['@folder', ['POST', '/v3/x', '--data', '@folder'], /is not a regular file/, /不是普通文件/],
    ['@file too large', ['POST', '/v3/x', '--data', '@big.json'], /is larger than 1048576 bytes/, /超过 1048576 字节/],
    [
      'not UTF-8',
      ['POST', '/v3/x', '--data', '@latin1.json'],
      /--data in latin1\.json is not UTF-8 text/,
      /latin1\.json 中的 --data 不是 UTF-8 文本/,
    ],
    ['BOM', ['POST', '/v3/x', '--data', '@bom.json'], /starts with a byte order mark/, /字节顺序标记/],
    ['not JSON', ['POST', '/v3/x', '--data', '@broken.json'], /is not JSON \(unexpected end of input/, /不是合法的 JSON/],
    ['foreign origin', ['GET', 'https://example.com/v3/certificates'], /is not the configured WeChat Pay origin/, /不是配置的微信支付地址/],
    [
      'Wechatpay-Serial',
      ['GET', '/v3/certificates', '--header', 'Wechatpay-Serial: NOPE'],
      /must name a configured WeChat Pay public key id/,
      /必须是已配置的微信支付公钥ID/,
    ],
  ];
  for (const [name, args, english, chinese] of cases) {
    test(`usage error: ${name} (exit 2, nothing sent)`, async () => {
      const before = sandbox.requests.length;
      await assertErrorCase({ args: ['api', ...args], cwd: dir, code: 2, english, chinese });
      assert.equal(sandbox.requests.length, before, 'nothing was sent');
    });
  }

  test('--data - : standard input too large, or not JSON (the label names standard input)', async () => {
    await assertErrorCase({
      args: ['api', 'POST', '/v3/x', '--data', '-'],
      cwd: dir,
      code: 2,
      input: 'x'.repeat(1024 * 1024 + 1),
      english: /--data -: standard input is larger than 1048576 bytes/,
      chinese: /标准输入超过 1048576 字节/,
    });
    await assertErrorCase({
      args: ['api', 'POST', '/v3/x', '--data', '-'],
      cwd: dir,
      code: 2,
      input: '\uFEFF{}',
      english: /--data from standard input starts with a byte order mark/,
      chinese: /来自标准输入的 --data 以字节顺序标记/,
    });
  });

  test('Ctrl-C while reading --data -: exit 130, the message in Chinese', async () => {
    for (const lang of [{}, ZH]) {
      const result = await spawnCli(['api', 'POST', '/v3/x', '--data', '-'], {
        cwd: dir,
        lang,
        input: null,
        onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 700),
      });
      assert.equal(result.code, 130, result.stderr);
      if (lang === ZH) assertChinese(result.stderr, /读取 --data - 时被中断/, 'interrupted');
      else assert.match(result.stderr, /interrupted \(Ctrl-C or SIGTERM\) while reading --data -; nothing was sent/);
    }
  });

  test('success: the answer on stdout is the same in both languages (text, --json, --verbose, --dry-run --json)', async () => {
    // The token and the Request-ID differ on every call: the shape of the answer is what must not differ.
    const shape = (text) => text.replace(/"[^"\n]*"/g, '"…"').replace(/[0-9]+/g, '0');
    const call = ['api', 'POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY];
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const en = await spawnCli([...call, ...extra], { cwd: dir });
      const zh = await spawnCli([...call, ...extra], { cwd: dir, lang: ZH });
      assert.equal(en.code, 0, en.stderr);
      assert.equal(zh.code, 0, zh.stderr);
      assert.equal(shape(zh.stdout), shape(en.stdout), extra.join(' '));
      if (extra.length === 0) assert.equal(zh.stderr, '', 'nothing else on stderr');
      else assert.deepEqual(englishLeftIn(ours(zh.stderr)), [], zh.stderr);
    }
    const dry = (lang) => spawnCli(['api', 'POST', '/v3/x', '--data', '{"a":1}', '--dry-run', '--json'], { cwd: dir, lang });
    const [en, zh] = [await dry({}), await dry(ZH)];
    assert.equal(zh.code, 0, zh.stderr);
    const fields = (text) => {
      const json = JSON.parse(text);
      return { ...json, headers: Object.keys(json.headers) };
    };
    assert.deepEqual(fields(zh.stdout), fields(en.stdout));
  });

  test('--lang zh-CN and WXPAY_LANG=zh-CN choose Chinese too; --lang en wins over LANG', async () => {
    const args = ['api', 'GET', '/v3/certificates#top'];
    const flag = await spawnCli(['--lang', 'zh-CN', ...args], { cwd: dir });
    assert.equal(flag.code, 2);
    assertChinese(flag.stderr, /片段从不发送/, '--lang zh-CN');
    const env = await spawnCli(args, { cwd: dir, env: { WXPAY_LANG: 'zh-CN' } });
    assert.equal(env.code, 2);
    assertChinese(env.stderr, /片段从不发送/, 'WXPAY_LANG');
    const english = await spawnCli(['--lang', 'en', ...args], { cwd: dir, lang: ZH });
    assert.match(english.stderr, /has a #fragment, which is never sent; leave it out/);
  });

  test('unit: --data larger than 1 MiB given inline (argv cannot carry it)', async () => {
    const { useLanguage } = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
    const { readData } = await import(path.join(ROOT, 'dist', 'cli', 'commands', 'api.js'));
    const big = `"${'x'.repeat(1024 * 1024)}"`;
    try {
      await useLanguage('zh-CN');
      await assert.rejects(readData(big, { io: { cwd: dir } }), (error) => {
        assert.equal(error.code, 'DATA_TOO_LARGE');
        assertChinese(error.message, /--data 超过 1048576 字节/, 'inline');
        return true;
      });
    } finally {
      await useLanguage('en');
    }
    await assert.rejects(readData(big, { io: { cwd: dir } }), /--data is larger than 1048576 bytes/);
  });
});

/** A callback handler that answers as told and keeps the raw bytes of the last request. */
describe('notify in Chinese', () => {
  let handler;
  let sandbox;
  let certSandbox;
  let work;
  let capture;
  let signingKey;
  let serial;
  let apiv3Key;
  before(async () => {
    work = tempDir('wxpay-zh-notify-');
    handler = await startCallbackHandler();
    sandbox = await startSandboxProcess(['--mode', 'public-key']);
    certSandbox = await startSandboxProcess(['--mode', 'certificate']);
    sandbox.dir = path.join(sandbox.home, 'sb');
    sandbox.configPath = path.join(sandbox.dir, '.wxpayrc.json');
    certSandbox.configPath = path.join(certSandbox.home, 'sb', '.wxpayrc.json');
    const sent = await spawnCli(['notify', 'send', '--sandbox-dir', sandbox.dir, '--to', handler.url], { cwd: work });
    assert.equal(sent.code, 0, sent.stderr);
    capture = handler.raw();
    writeFileSync(path.join(work, 'capture.http'), capture);
    signingKey = createPrivateKey(readFileSync(path.join(sandbox.dir, KEY_FILE)));
    const config = JSON.parse(readFileSync(sandbox.configPath, 'utf8'));
    serial = config.publicKeyId;
    apiv3Key = config.apiv3Key;
  });
  after(async () => {
    await handler.close();
    await sandbox.stop();
    await certSandbox.stop();
  });

  /** A request signed with the sandbox's WeChat Pay key around any body: every shape error is reachable. */
  function signed(body, { headers = {}, timestamp = Math.floor(Date.now() / 1000) } = {}) {
    const nonce = randomBytes(16).toString('hex');
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const signer = createSign('RSA-SHA256');
    signer.update(Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), bytes, Buffer.from('\n')]));
    const all = {
      'Content-Type': 'application/json',
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signer.sign(signingKey, 'base64'),
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Serial': serial,
      'Content-Length': String(bytes.length),
      ...headers,
    };
    const head = Object.entries(all)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}: ${value}`);
    return Buffer.concat([Buffer.from(['POST /wxpay/notify HTTP/1.1', ...head, '', ''].join('\r\n'), 'latin1'), bytes]);
  }
  function encrypted(plaintext, { algorithm = 'AEAD_AES_256_GCM', key = apiv3Key, short = false } = {}) {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('coupon'));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const ciphertext = short ? data.subarray(0, 8).toString('base64') : data.toString('base64');
    return JSON.stringify({
      id: 'a7f3b1c2-0000-4000-8000-000000000001',
      create_time: '2026-12-01T20:00:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: 'COUPON.USE',
      summary: '代金券核销通知',
      resource: { original_type: 'coupon', algorithm, ciphertext, associated_data: 'coupon', nonce },
    });
  }
  function file(name, bytes) {
    const target = path.join(work, name);
    writeFileSync(target, bytes);
    return target;
  }
  const verify = (target, extra = [], config = sandbox.configPath) => ['notify', 'verify', target, '--config', config, ...extra];
  const lines = () => capture.toString('latin1').split('\r\n\r\n')[0].split('\r\n');
  const bodyOf = () => capture.subarray(capture.indexOf('\r\n\r\n') + 4);
  const withHeaders = (edit, body = bodyOf()) => Buffer.concat([Buffer.from(`${edit(lines()).join('\r\n')}\r\n\r\n`, 'latin1'), body]);

  test('verify: the decrypted resource on stdout is identical in both languages (text, --json); --verbose checks in Chinese', async () => {
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const en = await spawnCli(verify('capture.http', extra), { cwd: work });
      const zh = await spawnCli(verify('capture.http', extra), { cwd: work, lang: ZH });
      assert.equal(en.code, 0, en.stderr);
      assert.equal(zh.code, 0, zh.stderr);
      assert.equal(zh.stdout, en.stdout);
      if (extra[0] === '--verbose') {
        assert.match(en.stderr, /› check: signature verified with WeChat Pay public key/);
        assertChinese(zh.stderr, /› 检查：已用微信支付公钥 PUB_KEY_ID_\w+（[^）]+）验签通过/, '--verbose');
        assert.match(zh.stderr, /› 请求：POST \/wxpay\/notify\n› 请求主体：\d+ 字节，按收到的原样验签\n› 请求头：wechatpay-/);
        assert.match(zh.stderr, /与本机时钟相差 \d+ 秒/);
        assert.match(zh.stderr, /› 通知 [0-9a-f-]{36}：COUPON\.USE，创建于 /);
      }
    }
    const verboseJson = await spawnCli(verify('capture.http', ['--verbose', '--json']), { cwd: work, lang: ZH });
    assert.equal(verboseJson.code, 0, verboseJson.stderr);
    const messages = verboseJson.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).verbose.message);
    assertChinese(messages.join('\n'), /检查：序列号 PUB_KEY_ID_\w+ 已配置/, '--verbose --json');
  });

  test('verify --verbose with a platform certificate names the certificate in Chinese', async () => {
    const sent = await spawnCli(['notify', 'send', '--sandbox-dir', path.join(certSandbox.home, 'sb'), '--to', handler.url], { cwd: work });
    assert.equal(sent.code, 0, sent.stderr);
    file('cert.http', handler.raw());
    const zh = await spawnCli(verify('cert.http', ['--verbose'], certSandbox.configPath), { cwd: work, lang: ZH });
    assert.equal(zh.code, 0, zh.stderr);
    assertChinese(zh.stderr, /检查：已用平台证书 \w+（[^）]+）验签通过/, 'certificate');
  });

  test('verify --now: the warning in Chinese (text and --json), the same code; the --verbose line names --now', async () => {
    const now = headerOf(capture, 'Wechatpay-Timestamp');
    const args = verify('capture.http', ['--now', now, '--verbose']);
    const en = await spawnCli(args, { cwd: work });
    const zh = await spawnCli(args, { cwd: work, lang: ZH });
    assert.equal(zh.code, 0, zh.stderr);
    assert.equal(zh.stdout, en.stdout);
    assert.match(en.stderr, /warning: the timestamp is checked against --now/);
    assertChinese(zh.stderr, /时间戳按 --now \d+（[^）]+）检查，而不是按本机时钟/, '--now');
    assert.match(zh.stderr, /与 --now 相差 0 秒/);
    const json = await spawnCli(verify('capture.http', ['--now', now, '--json']), { cwd: work, lang: ZH });
    assert.equal(json.code, 0, json.stderr);
    const warning = JSON.parse(json.stderr.trim()).warning;
    assert.equal(warning.code, 'CLOCK_FROM_NOW_FLAG');
    assertChinese(warning.message, /时间戳按 --now/, 'warning --json');
  });

  const usage = () => [
    ['both a file and --body', ['notify', 'verify', 'capture.http', '--body', 'capture.http'], /not both/, /二者只能选其一/],
    ['nothing to verify', ['notify', 'verify'], /nothing to verify/, /没有可验签的内容/],
    [
      '--header without --body',
      ['notify', 'verify', 'capture.http', '--header', 'A: b'],
      /--header goes with --body/,
      /只能与 --body 一起使用/,
    ],
    ['--header shape', ['notify', 'verify', '--body', 'capture.http', '--header', 'nocolon'], /--header must look like/, /的格式应为/],
    ['--now', verify('capture.http', ['--now', 'yesterday']), /is not a time/, /不是时间/],
    ['no such file', verify('missing.http'), /missing\.http: no such file/, /missing\.http：文件不存在/],
    ['a folder', verify('.'), /is a folder; pass a file/, /是目录/],
    ['too large', verify(file('big.http', Buffer.alloc(1024 * 1024 + 1, 0x41))), /is larger than 1048576 bytes/, /超过 1048576 字节/],
    ['JSON alone', verify(file('body.json', bodyOf())), /it starts with JSON/, /它以 JSON 开头/],
    ['first line', verify(file('first.http', 'hello\r\n\r\n')), /its first line is not like/, /第一行不像/],
    ['no blank line', verify(file('noblank.http', 'POST /n HTTP/1.1\r\nA: b')), /no blank line ends its headers/, /请求头之后没有空行/],
    [
      'header line',
      verify(file('line.http', 'POST /n HTTP/1.1\r\nA: b\r\nnot a header\r\n\r\n{}')),
      /line 3 is not a "Name: value" header/,
      /第 3 行不是 "Name: value" 形式/,
    ],
    [
      'conflicting Content-Length',
      verify(
        file(
          'cl.http',
          withHeaders((l) => [...l, 'Content-Length: 1']),
        ),
      ),
      /conflicting Content-Length/,
      /互相矛盾的 Content-Length/,
    ],
    [
      'Content-Length not a number',
      verify(
        file(
          'cln.http',
          withHeaders((l) => l.map((x) => (/^content-length/i.test(x) ? 'Content-Length: many' : x))),
        ),
      ),
      /its Content-Length "many" is not a number/,
      /Content-Length "many" 不是数字/,
    ],
    [
      'truncated',
      verify(
        file(
          'short.http',
          withHeaders((l) => l, bodyOf().subarray(0, 20)),
        ),
      ),
      /the capture is truncated/,
      /抓取的请求不完整/,
    ],
    [
      'chunked ends early',
      verify(file('chunk1.http', 'POST /n HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5')),
      /chunked body ends early/,
      /提前结束/,
    ],
    [
      'chunk without size',
      verify(file('chunk2.http', 'POST /n HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')),
      /chunk without a size/,
      /有一块没有长度/,
    ],
  ];
  test('verify: every usage error in Chinese (exit 2), --json the same but for message', async () => {
    for (const [name, args, english, chinese] of usage()) {
      await test(name, () => assertErrorCase({ args, cwd: work, code: 2, english, chinese }));
    }
    await assertErrorCase({
      args: ['notify', 'verify', '-', '--config', sandbox.configPath],
      cwd: work,
      code: 2,
      input: Buffer.alloc(1024 * 1024 + 1, 0x41),
      english: /standard input is larger than 1048576 bytes/,
      chinese: /标准输入 超过 1048576 字节/,
    });
  });

  test('verify: a body that is no notification (signed, so only its shape is wrong): exit 2', async () => {
    const shapes = [
      ['', /it is empty/, /它是空的/],
      ['{', /it is not JSON/, /它不是 JSON/],
      [Buffer.from([0x22, 0xff, 0x22]), /it is not UTF-8 text/, /它不是 UTF-8 文本/],
      ['[1]', /it is not a JSON object/, /它不是 JSON 对象/],
      ['{"id":"x"}', /"create_time" is missing or not a string/, /缺少 "create_time"，或它不是字符串/],
      [
        '{"id":"x","create_time":"t","event_type":"E.F","resource_type":"r","summary":1}',
        /"summary" is not a string/,
        /"summary" 不是字符串/,
      ],
      ['{"id":"x","create_time":"t","event_type":"E.F","resource_type":"r"}', /"resource" is missing or not an object/, /缺少 "resource"/],
      [
        '{"id":"x","create_time":"t","event_type":"E.F","resource_type":"r","resource":{}}',
        /"resource\.algorithm" is missing/,
        /缺少 "resource\.algorithm"/,
      ],
      [
        '{"id":"x","create_time":"t","event_type":"E.F","resource_type":"r","resource":{"algorithm":"a","ciphertext":"c","nonce":"n","associated_data":1}}',
        /"resource\.associated_data" is not a string/,
        /"resource\.associated_data" 不是字符串/,
      ],
    ];
    let index = 0;
    for (const [body, english, chinese] of shapes) {
      index += 1;
      await assertErrorCase({ args: verify(file(`shape${index}.http`, signed(body))), cwd: work, code: 2, english, chinese });
    }
  });

  test('verify: what makes a notification untrustworthy (exit 5), our hints in Chinese', async () => {
    const cases = [
      [
        'headers missing',
        file(
          'nonce.http',
          withHeaders((l) => l.filter((x) => !/^wechatpay-nonce/i.test(x))),
        ),
        /without all four Wechatpay-\* headers/,
        /缺少四个 Wechatpay-\* 请求头/,
      ],
      [
        'stale',
        file('stale.http', signed(bodyOf().toString(), { timestamp: Math.floor(Date.now() / 1000) - 3600 })),
        /an old capture or a replay/,
        /旧的抓包或重放/,
      ],
      [
        'serial',
        file(
          'serial.http',
          withHeaders((l) => l.map((x) => (/^wechatpay-serial/i.test(x) ? 'Wechatpay-Serial: PUB_KEY_ID_OTHER' : x))),
        ),
        /wrong key mode/,
        /验签方式不对/,
      ],
      [
        'body changed',
        file(
          'changed.http',
          withHeaders((l) => l, Buffer.from(bodyOf().toString().replace('{', '{ '))),
        ),
        /a body changed before verification|is truncated/,
        /验签之前被改动|不完整/,
      ],
      [
        'probe',
        file(
          'probe.http',
          withHeaders((l) => l.map((x) => (/^wechatpay-signature:/i.test(x) ? 'Wechatpay-Signature: WECHATPAY/SIGNTEST/abc' : x))),
        ),
        /probe signature/,
        /签名探测流量/,
      ],
      [
        'repeated',
        file(
          'twice.http',
          withHeaders((l) => [...l, 'Wechatpay-Nonce: another']),
        ),
        /2 wechatpay-nonce headers with different values/,
        /2 个值不同的 wechatpay-nonce 请求头/,
      ],
      [
        'wrong apiv3Key',
        file('key.http', signed(encrypted('{"a":1}', { key: 'k'.repeat(32) }))),
        /cannot be decrypted with the configured APIv3 key/,
        /无法用配置的 APIv3密钥解密/,
      ],
      [
        'algorithm',
        file('alg.http', signed(encrypted('{}', { algorithm: 'AES_128_CBC' }))),
        /algorithm AES_128_CBC is not supported/,
        /不支持算法 AES_128_CBC/,
      ],
      [
        'too short',
        file('short-ct.http', signed(encrypted('{}', { short: true }))),
        /too short to hold a GCM tag/,
        /太短，容不下 GCM 认证标签/,
      ],
    ];
    for (const [name, target, english, chinese] of cases) {
      await test(name, async () => {
        // 'body changed' with the Content-Length kept would be truncated: fix the length to the new body.
        if (name === 'body changed') {
          const raw = readFileSync(target, 'latin1');
          const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
          writeFileSync(target, raw.replace(/Content-Length: \d+/i, `Content-Length: ${Buffer.byteLength(body, 'latin1')}`), 'latin1');
        }
        await assertErrorCase({ args: verify(target), cwd: work, code: 5, english, chinese });
      });
    }
    // With --now, the clock named is --now and the hint does not say to pass it again.
    const stale = file('stale-now.http', signed(bodyOf().toString(), { timestamp: 1764408393 }));
    const { en, zh } = await assertErrorCase({
      args: [...verify(stale), '--now', String(1764408393 + 3600)],
      cwd: work,
      code: 5,
      english: /is 3600 s from --now \(at most 300 s is accepted\): the time given with --now is not when this notification arrived/,
      chinese: /与 --now 相差 3600 秒（最多接受 300 秒）：--now 给出的时间不是这条通知到达的时间/,
    });
    const errorOf = (stderr) => stderr.split('\n').find((line) => line.startsWith('wxpay-coupon:'));
    assert.doesNotMatch(errorOf(en.stderr), /this machine|pass the time it arrived with --now/);
    assert.doesNotMatch(errorOf(zh.stderr), /本机时钟|请用 --now/);
  });

  test('verify: no apiv3Key, no verification key (exit 3), each problem in Chinese', async () => {
    const config = JSON.parse(readFileSync(sandbox.configPath, 'utf8'));
    const keysDir = path.dirname(sandbox.configPath);
    const absolute = (name) => path.resolve(keysDir, name);
    const noKey = { ...config, privateKey: absolute(config.privateKey), publicKey: absolute(config.publicKey) };
    delete noKey.apiv3Key;
    writeFileSync(path.join(work, 'no-apiv3.json'), JSON.stringify(noKey), { mode: 0o600 });
    await assertErrorCase({
      args: verify('capture.http', [], path.join(work, 'no-apiv3.json')),
      cwd: work,
      code: 3,
      english: /apiv3Key: is missing: a notification’s resource is encrypted/,
      chinese: /apiv3Key: 未配置：回调通知的 resource 用 APIv3密钥加密/,
    });
    const noVerification = { ...config, privateKey: absolute(config.privateKey) };
    delete noVerification.publicKey;
    delete noVerification.publicKeyId;
    writeFileSync(path.join(work, 'no-verify.json'), JSON.stringify(noVerification), { mode: 0o600 });
    await assertErrorCase({
      args: verify('capture.http', [], path.join(work, 'no-verify.json')),
      cwd: work,
      code: 3,
      english: /no WeChat Pay verification key is configured/,
      chinese: /未配置微信支付的验签密钥/,
    });
  });

  test('send: success in Chinese (text), --json identical but for the id, --verbose labels', async () => {
    const args = ['notify', 'send', '--sandbox-dir', sandbox.dir, '--to', handler.url];
    const en = await spawnCli(args, { cwd: work });
    const zh = await spawnCli(args, { cwd: work, lang: ZH });
    assert.equal(en.stdout, 'status 200\n{"code":"SUCCESS"}\n');
    assert.equal(zh.code, 0, zh.stderr);
    assert.equal(zh.stdout, '状态码 200\n{"code":"SUCCESS"}\n');
    assert.match(en.stderr, /^sent COUPON\.USE notification [0-9a-f-]{36} to http:\/\/127\.0\.0\.1:\d+\/wxpay\/notify \(sandbox keys\)\n$/);
    assertChinese(zh.stderr, /^已用沙箱密钥向 http:\/\/127\.0\.0\.1:\d+\/wxpay\/notify 发送 COUPON\.USE 通知 [0-9a-f-]{36}\n$/, 'sent');
    const id = (text) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID');
    const enJson = await spawnCli([...args, '--json'], { cwd: work });
    const zhJson = await spawnCli([...args, '--json'], { cwd: work, lang: ZH });
    assert.equal(zhJson.code, 0);
    assert.equal(id(zhJson.stdout), id(enJson.stdout));
    const verbose = await spawnCli([...args, '--verbose'], { cwd: work, lang: ZH });
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stderr, /^› POST http:\/\/127\.0\.0\.1:\d+\/wxpay\/notify\n/);
    assert.match(verbose.stderr, /\n› 请求主体：\{"id":/);
    // The header lines are protocol data (name: value), the body is the JSON sent: what is left is Chinese.
    const prose = verbose.stderr
      .split('\n')
      .filter((line) => !/^› [A-Za-z-]+: /.test(line) && !/^› 请求主体：/.test(line) && !/^› POST /.test(line))
      .join('\n');
    assertChinese(prose, /已用沙箱密钥/, 'send --verbose');
  });

  test('send: an answer longer than 64 KiB, and one that is not UTF-8, are described in Chinese', async () => {
    try {
      handler.answer((_req, res) => res.writeHead(200).end(Buffer.alloc(70 * 1024, 0xff)));
      const args = ['notify', 'send', '--sandbox-dir', sandbox.dir, '--to', handler.url];
      const en = await spawnCli(args, { cwd: work });
      const zh = await spawnCli(args, { cwd: work, lang: ZH });
      assert.equal(en.stdout, 'status 200\n(65536 bytes, not UTF-8)');
      assert.match(en.stderr, /\(the answer is longer; only the first 65536 bytes are shown\)/);
      assert.equal(zh.code, 0, zh.stderr);
      assertChinese(zh.stdout, /^状态码 200\n（65536 字节，不是 UTF-8）$/, 'not UTF-8');
      assertChinese(zh.stderr, /（应答更长；只显示前 65536 字节）/, 'truncated');
    } finally {
      handler.answer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"SUCCESS"}'));
    }
  });

  test('send: the handler answers 500, breaks off, never answers, or is not there (exits 1 and 4)', async () => {
    const args = (to = handler.url, extra = []) => ['notify', 'send', '--sandbox-dir', sandbox.dir, '--to', to, ...extra];
    try {
      handler.answer((_req, res) => res.writeHead(500).end('oops'));
      const sameStdout = (en, zh, json) => {
        if (json) assert.equal(zh.replace(/"id":"[^"]+"/, ''), en.replace(/"id":"[^"]+"/, ''));
        else assert.deepEqual([en, zh], ['status 500\noops\n', '状态码 500\noops\n']);
      };
      await assertErrorCase({
        args: args(),
        cwd: work,
        code: 1,
        english: /answered 500, not 2xx/,
        chinese: /应答了 500，不是 2xx/,
        sameStdout,
      });
      handler.answer((_req, res) => {
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('partial');
        setTimeout(() => res.socket.destroy(), 50);
      });
      await assertErrorCase({ args: args(), cwd: work, code: 4, english: /broke off its answer/, chinese: /的应答中途断开/ });
      handler.answer(() => {});
      await assertErrorCase({
        args: args(handler.url, ['--timeout', '300']),
        cwd: work,
        code: 4,
        english: /did not answer within 300 ms/,
        chinese: /在 300 ms 内没有应答/,
      });
    } finally {
      handler.answer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"SUCCESS"}'));
    }
    await assertErrorCase({
      args: args('http://127.0.0.1:9/n'),
      cwd: work,
      code: 4,
      english: /cannot reach your handler/,
      chinese: /无法连接你的回调处理接口/,
    });
  });

  test('send: usage and sandbox-folder errors (exits 2 and 3)', async () => {
    const send = (extra) => ['notify', 'send', ...extra];
    const at = (folder) => send(['--sandbox-dir', folder, '--to', handler.url]);
    await assertErrorCase({
      args: send(['--sandbox-dir', sandbox.dir]),
      cwd: work,
      code: 2,
      english: /missing --to <url>/,
      chinese: /缺少 --to <url>/,
    });
    await assertErrorCase({
      args: send(['--to', handler.url, '--event-type', 'coupon']),
      cwd: work,
      code: 2,
      english: /--event-type "coupon" is not an event type/,
      chinese: /不是通知类型/,
    });
    await assertErrorCase({
      args: send(['--to', handler.url, '--config', sandbox.configPath]),
      cwd: work,
      code: 2,
      english: /signs with the sandbox folder’s keys only/,
      chinese: /只用沙箱目录中的密钥签名/,
    });
    await assertErrorCase({
      args: send(['--sandbox-dir', sandbox.dir, '--to', handler.url, '--resource', '@none.json']),
      cwd: work,
      code: 2,
      english: /--resource @none\.json: no such file/,
      chinese: /--resource @none\.json：文件不存在/,
    });
    const empty = tempDir('wxpay-zh-empty-');
    await assertErrorCase({ args: at(empty), cwd: work, code: 3, english: /holds no \.wxpayrc\.json/, chinese: /中没有 \.wxpayrc\.json/ });
    const noKey = tempDir('wxpay-zh-nokey-');
    copyFileSync(sandbox.configPath, path.join(noKey, '.wxpayrc.json'));
    await assertErrorCase({
      args: at(noKey),
      cwd: work,
      code: 3,
      english: new RegExp(`holds no ${KEY_FILE}`),
      chinese: new RegExp(`中没有 ${KEY_FILE}`),
    });
    const notKey = tempDir('wxpay-zh-notkey-');
    for (const name of readdirSync(sandbox.dir)) copyFileSync(path.join(sandbox.dir, name), path.join(notKey, name));
    writeFileSync(path.join(notKey, KEY_FILE), 'not a key');
    await assertErrorCase({ args: at(notKey), cwd: work, code: 3, english: /that is not a private key/, chinese: /不是私钥/ });
    // A folder whose config lacks apiv3Key, and one whose signing key belongs to another sandbox.
    const other = await configuredSandbox();
    try {
      const noApiv3 = tempDir('wxpay-zh-noapiv3-');
      writeSandboxConfig(other.sandbox, noApiv3);
      copyFileSync(path.join(sandbox.dir, KEY_FILE), path.join(noApiv3, KEY_FILE));
      await assertErrorCase({ args: at(noApiv3), cwd: work, code: 3, english: /without apiv3Key/, chinese: /没有 apiv3Key/ });
      const mismatch = tempDir('wxpay-zh-mismatch-');
      writeSandboxConfig(other.sandbox, mismatch, { overrides: { apiv3Key: 'a'.repeat(32) } });
      copyFileSync(path.join(sandbox.dir, KEY_FILE), path.join(mismatch, KEY_FILE));
      await assertErrorCase({ args: at(mismatch), cwd: work, code: 3, english: /matches none of the public keys/, chinese: /都不匹配/ });
    } finally {
      await other.sandbox.close();
    }
  });

  test('Ctrl-C while reading standard input (verify) or waiting for the handler (send): exit 130 in Chinese', async () => {
    for (const lang of [{}, ZH]) {
      const interrupt = (child) => setTimeout(() => child.kill('SIGINT'), 700);
      const read = await spawnCli(verify('-'), { cwd: work, lang, input: null, onSpawn: interrupt });
      assert.equal(read.code, 130, read.stderr);
      const silent = () => {};
      handler.answer(silent);
      const sent = await spawnCli(['notify', 'send', '--sandbox-dir', sandbox.dir, '--to', handler.url], {
        cwd: work,
        lang,
        onSpawn: interrupt,
      });
      handler.answer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"SUCCESS"}'));
      assert.equal(sent.code, 130, sent.stderr);
      if (lang === ZH) {
        assertChinese(read.stderr, /读取输入时被中断/, 'verify interrupted');
        assertChinese(sent.stderr, /回调处理接口应答之前被中断/, 'send interrupted');
      } else {
        assert.match(read.stderr, /interrupted \(Ctrl-C or SIGTERM\) while reading the input; nothing was verified/);
        assert.match(sent.stderr, /interrupted \(Ctrl-C or SIGTERM\) before the handler answered/);
      }
    }
  });

  test('unit: no standard input at all (a caller without stdin): api --data - and notify verify -', async () => {
    const { useLanguage } = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
    const { readData } = await import(path.join(ROOT, 'dist', 'cli', 'commands', 'api.js'));
    try {
      await useLanguage('zh-CN');
      await assert.rejects(readData('-', { io: { cwd: work } }), (error) => {
        assert.equal(error.code, 'NO_STDIN');
        assertChinese(error.message, /--data - 表示从标准输入读取，但当前没有标准输入/, 'no stdin');
        return true;
      });
    } finally {
      await useLanguage('en');
    }
    await assert.rejects(readData('-', { io: { cwd: work } }), /--data - reads standard input, but there is none/);
  });

  test('--lang zh-CN and WXPAY_LANG=zh-CN reach notify too', async () => {
    const flag = await spawnCli(['--lang', 'zh-CN', 'notify', 'verify'], { cwd: work });
    assert.equal(flag.code, 2);
    assertChinese(flag.stderr, /没有可验签的内容/, '--lang');
    const env = await spawnCli(['notify', 'send'], { cwd: work, env: { WXPAY_LANG: 'zh-CN' } });
    assert.equal(env.code, 2);
    assertChinese(env.stderr, /缺少 --to/, 'WXPAY_LANG');
  });

  test('unit: the library speaks English until useLanguage(), and NOTIFICATION_WORDING follows it (no text at load)', async () => {
    const { useLanguage } = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
    const { NOTIFICATION_WORDING } = await import(path.join(ROOT, 'dist', 'notify.js'));
    const { decryptResource } = await import(path.join(ROOT, 'dist', 'aead.js'));
    assert.equal(NOTIFICATION_WORDING.subject, 'the notification');
    const resource = { algorithm: 'AEAD_AES_256_GCM', nonce: 'n', ciphertext: 'AAAA' };
    assert.throws(() => decryptResource(resource, 'short'), /the APIv3 key must be exactly 32 bytes/);
    try {
      await useLanguage('zh-CN');
      assert.equal(NOTIFICATION_WORDING.subject, '回调通知');
      assertChinese(NOTIFICATION_WORDING.staleHint, /重放/, 'staleHint');
      assert.throws(
        () => decryptResource(resource, 'short'),
        (error) => {
          assertChinese(error.message, /APIv3密钥必须正好是 32 字节/, 'key length');
          return true;
        },
      );
      assert.throws(() => decryptResource(resource, 'k'.repeat(32)), /平台证书太短/);
    } finally {
      await useLanguage('en');
    }
  });
});

function headerOf(raw, name) {
  const line = raw
    .toString('latin1')
    .split('\r\n')
    .find((item) => item.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}
