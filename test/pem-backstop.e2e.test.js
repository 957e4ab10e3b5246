// A private key pasted where it does not belong is never printed back (found by the hostile check
// of issue 13: --config "$PEM", HTTPS_PROXY="$PEM", an unknown command "$PEM" … echoed it whole).
// The backstop is src/redact.ts hideSecretShapes, through which every error, warning, doctor check
// and batch error line is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { minimalEnv, runCli, tempDir } from './helpers.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
const BODY_LINE = PEM.split('\n')[5];
const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:1'];

const cases = [
  ['--config', ['token', '--config', PEM, ...COUPON], {}],
  ['WXPAY_CONFIG', ['token', ...COUPON], { WXPAY_CONFIG: PEM }],
  ['--profile', ['token', '--profile', PEM, ...COUPON], {}],
  ['WXPAY_PROFILE', ['token', ...COUPON], { WXPAY_PROFILE: PEM }],
  ['HTTPS_PROXY', ['token', '--sandbox', ...COUPON], { HTTPS_PROXY: PEM }],
  ['--base-url', ['token', '--sandbox', '--base-url', PEM, ...COUPON], {}],
  ['--coupon', ['token', '--sandbox', '--open-id', 'oUser', '--coupon', PEM], {}],
  ['an unknown command', [PEM], {}],
  ['an unknown option', ['token', `--${PEM}`], {}],
  ['api path', ['api', 'GET', PEM, '--sandbox'], {}],
  // doctor's checklist on stdout quoted the profile asked for (hostile check, helper-35).
  ['doctor --profile', ['doctor', '--profile', PEM], {}],
  ['doctor with WXPAY_PROFILE', ['doctor'], { WXPAY_PROFILE: PEM }],
];

for (const [where, args, env] of cases) {
  test(`PEM text given as ${where} is not printed, in either language, with --json or not`, async () => {
    const home = tempDir('wxpay-pem-');
    for (const lang of ['C', 'zh_CN.UTF-8']) {
      for (const json of [[], ['--json']]) {
        const result = await runCli([...args, ...json], { cwd: home, home, env: minimalEnv(home, { LANG: lang, ...env }) });
        assert.notEqual(result.code, 0, `${where} ${lang} ${json.join('')}: ${result.stderr}`);
        const output = result.stdout + result.stderr;
        assert.doesNotMatch(output, /PRIVATE KEY/, `${where} ${lang} ${json.join('')}: ${output}`);
        assert.ok(!output.includes(BODY_LINE), `${where} ${lang}: a line of the key is printed`);
        assert.ok(!output.includes(BODY_LINE.replace(/\//g, '\\/')), `${where}: escaped`);
        assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      }
    }
  });
}

// The body alone (pasted without its BEGIN and END lines) or under a mangled BEGIN line: its last,
// shorter line was printed (hostile check, helper-40).
const BODY_LINES = PEM.trim().split('\n').slice(1, -1);
const LAST_LINE = BODY_LINES.at(-1);
for (const [shape, text] of [
  ['its body alone', BODY_LINES.join('\n')],
  ['its body joined by spaces', BODY_LINES.join(' ')],
  ['its body joined by commas', BODY_LINES.join(',')],
  ['its body joined by tabs', BODY_LINES.join('\t')],
  ['under a BEGIN line with four dashes', PEM.replace('-----BEGIN PRIVATE KEY-----', '----BEGIN PRIVATE KEY----')],
]) {
  test(`a PEM key given as ${shape} shows no line of it, not even the last and shorter one`, async () => {
    const home = tempDir('wxpay-pem-');
    for (const [where, args, env] of [
      ['--config', ['token', '--config', text, ...COUPON], {}],
      ['--profile', ['token', '--profile', text, ...COUPON], {}],
      ['HTTPS_PROXY', ['token', '--sandbox', ...COUPON], { HTTPS_PROXY: text }],
      ['--coupon', ['token', '--sandbox', '--open-id', 'oUser', '--coupon', text], {}],
      ['an unknown command', [text], {}],
      ['WXPAY_MCHID', ['doctor'], { WXPAY_MCHID: text }],
    ]) {
      for (const json of [[], ['--json']]) {
        const result = await runCli([...args, ...json], { cwd: home, home, env: minimalEnv(home, env) });
        assert.notEqual(result.code, 0, `${where}: ${result.stderr}`);
        const output = result.stdout + result.stderr;
        assert.ok(!output.includes(LAST_LINE), `${where} ${json.join('')}: the last line is printed: ${output}`);
        for (const line of BODY_LINES) assert.ok(!output.includes(line), `${where}: a line of the key is printed`);
      }
    }
  });
}

test('a proxy URL whose user name holds a / is masked up to its last @', async () => {
  const home = tempDir('wxpay-pem-');
  for (const proxy of ['http://user/secretpw@127.0.0.1:9', 'http://us/er:secretpw@127.0.0.1:9']) {
    for (const args of [
      ['token', '--sandbox', ...COUPON, '--proxy', proxy],
      ['token', '--sandbox', ...COUPON, '--json'],
    ]) {
      const env = args.includes('--proxy') ? {} : { HTTPS_PROXY: proxy };
      const result = await runCli(args, { cwd: home, home, env: minimalEnv(home, env) });
      assert.notEqual(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /secretpw/, result.stderr);
    }
  }
});

// An APIv3 key (32 letters and digits) put in a setting that is not secret was quoted back in that
// setting's error (hostile check of issue 13): shown by its length only, wherever it is set.
const APIV3_KEY = 'Zq7Lw2Xv9Rk4Tn1Bm8Hc5Jd3Fs6Gp0Ya';
const keyCases = [
  ['WXPAY_MCHID', ['doctor'], { WXPAY_MCHID: APIV3_KEY }],
  ['WXPAY_SERIAL', ['doctor'], { WXPAY_SERIAL: APIV3_KEY }],
  ['WXPAY_PUBLIC_KEY_ID', ['doctor'], { WXPAY_MCHID: '1900000001', WXPAY_PUBLIC_KEY_ID: APIV3_KEY }],
  ['--timeout', ['token', '--dry-run', '--sandbox', ...COUPON, '--timeout', APIV3_KEY], {}],
  ['--retries', ['token', '--dry-run', '--sandbox', ...COUPON, '--retries', APIV3_KEY], {}],
  ['--rate', ['token', '--sandbox', '--batch', '-', '--rate', APIV3_KEY], {}],
  ['--concurrency', ['token', '--sandbox', '--batch', '-', '--concurrency', APIV3_KEY], {}],
  ['--port', ['sandbox', '--port', APIV3_KEY], {}],
  ['--mode', ['sandbox', '--mode', APIV3_KEY], {}],
  ['--coupon', ['token', '--sandbox', '--open-id', 'oUser', '--coupon', APIV3_KEY], {}],
  ['--now', ['notify', 'verify', '-', '--now', APIV3_KEY], {}],
  ['--event-type', ['notify', 'send', '--to', 'http://127.0.0.1:9/', '--event-type', APIV3_KEY], {}],
  ['an unknown command', [APIV3_KEY], {}],
  ['an unknown option', ['token', `--${APIV3_KEY}`], {}],
  ['--proxy', ['token', '--sandbox', ...COUPON, '--proxy', APIV3_KEY], {}],
  // Not quoted whole, or not quoted at all (hostile check, helper-35).
  ['a --coupon stock id', ['token', '--sandbox', '--open-id', 'oUser', '--coupon', `${APIV3_KEY}:1`], {}],
  [
    'a --coupon coupon id given twice',
    ['token', '--sandbox', '--open-id', 'oUser', '--coupon', `1:${APIV3_KEY}`, '--coupon', `1:${APIV3_KEY}`],
    {},
  ],
  ['--config', ['doctor', '--config', APIV3_KEY], {}],
  ['--batch', ['token', '--sandbox', '--batch', APIV3_KEY], {}],
  ['sandbox --host', ['sandbox', '--host', APIV3_KEY, '--port', '0'], {}],
  ['doctor --profile', ['doctor', '--profile', APIV3_KEY], {}, 'mchid: "1900000001"\n'],
  ['doctor with WXPAY_PROFILE', ['doctor'], { WXPAY_PROFILE: APIV3_KEY }, 'mchid: "1900000001"\n'],
  ['a config file\u2019s mchid', ['doctor'], {}, `mchid: "${APIV3_KEY}"\n`],
  ['a config file\u2019s timeout', ['doctor'], {}, `timeout: ${APIV3_KEY}\n`],
];
for (const [where, args, env, yaml] of keyCases) {
  test(`an APIv3 key given as ${where} is not quoted back, in either language, with --json or not`, async () => {
    const home = tempDir('wxpay-key-');
    if (yaml) writeFileSync(path.join(home, '.wxpayrc.yaml'), yaml, { mode: 0o600 });
    for (const lang of ['C', 'zh_CN.UTF-8']) {
      for (const json of [[], ['--json']]) {
        const result = await runCli([...args, ...json], { cwd: home, home, env: minimalEnv(home, { LANG: lang, ...env }) });
        assert.notEqual(result.code, 0, `${where} ${lang}: ${result.stderr}`);
        assert.ok(!(result.stdout + result.stderr).includes(APIV3_KEY), `${where} ${lang} ${json.join('')}: ${result.stderr}`);
        assert.match(
          result.stdout + result.stderr,
          /32 (characters|letters and digits)|32 个(字符|字母和数字)/,
          `${where} ${lang}: ${result.stdout}${result.stderr}`,
        );
      }
    }
  });
}

test('a batch line whose coupon id is an APIv3 key: its error line does not print it, the token lines keep theirs', async () => {
  const home = tempDir('wxpay-key-');
  const line = (coupon) =>
    JSON.stringify({
      open_id: 'oUser',
      coupon_list: [
        { stock_id: 16474341, coupon_id: coupon },
        { stock_id: 16474341, coupon_id: coupon },
      ],
    });
  const input = `${line(APIV3_KEY)}\n${JSON.stringify({ open_id: 'oUser2', coupon_list: [{ stock_id: 16474341, coupon_id: 'c1' }] })}\n`;
  const result = await runCli(['token', '--sandbox', '--batch', '-'], { cwd: home, home, env: minimalEnv(home), input });
  assert.equal(result.code, 6, result.stderr);
  const [bad, good] = result.stdout
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text));
  assert.equal(bad.error.code, 'INVALID_REQUEST');
  assert.ok(!result.stdout.includes(APIV3_KEY), result.stdout);
  assert.match(bad.error.message, /shaped like an APIv3 key, not shown/);
  // The sandbox's tokens are often 32 letters and digits too: a token line is data, never masked.
  assert.match(good.token, /^[A-Za-z0-9_-]{32}$/);
  assert.ok(good.launch.path.endsWith(`token=${good.token}`));
});

// One line of a PEM body (64 base64 characters) put in a setting that is not secret was quoted back
// whole (hostile check, helper-37): the PEM rule needs a BEGIN line, the APIv3 rule 32 characters.
const KEY_LINE = PEM.split('\n').find((line) => /^[^/].{39,}$/.test(line) && /[a-z]/.test(line) && /[A-Z]/.test(line) && /\d/.test(line));
const lineCases = [
  ['WXPAY_MCHID', ['doctor'], { WXPAY_MCHID: KEY_LINE }],
  ['--timeout', ['token', '--dry-run', '--sandbox', ...COUPON, '--timeout', KEY_LINE], {}],
  ['--coupon', ['token', '--sandbox', '--open-id', 'oUser', '--coupon', `1:${KEY_LINE}${KEY_LINE}`], {}],
  ['an unknown command', [KEY_LINE], {}],
  ['--profile', ['token', '--profile', KEY_LINE, ...COUPON], {}, 'mchid: "1900000001"\n'],
  ['sandbox --port', ['sandbox', '--port', KEY_LINE], {}],
  ['a config file\u2019s publicKeyId', ['doctor'], {}, `mchid: "1900000001"\npublicKeyId: ${KEY_LINE}\n`],
];
for (const [where, args, env, yaml] of lineCases) {
  test(`a line of a private key given as ${where} is shown by its length, in either language, with --json or not`, async () => {
    const home = tempDir('wxpay-line-');
    if (yaml) writeFileSync(path.join(home, '.wxpayrc.yaml'), yaml, { mode: 0o600 });
    for (const lang of ['C', 'zh_CN.UTF-8']) {
      for (const json of [[], ['--json']]) {
        const result = await runCli([...args, ...json], { cwd: home, home, env: minimalEnv(home, { LANG: lang, ...env }) });
        const output = result.stdout + result.stderr;
        assert.notEqual(result.code, 0, `${where} ${lang}: ${output}`);
        assert.ok(!output.includes(KEY_LINE.slice(0, 24)), `${where} ${lang} ${json.join('')}: ${output}`);
        assert.match(output, /\d+ characters of base64, shaped like a line of a key|\d+ 个 base64 字符/, `${where} ${lang}: ${output}`);
      }
    }
  });
}

test('an API path, a file path and a serial are not taken for a line of a key', async () => {
  const { hideSecretShapes } = await import('../dist/redact.js');
  for (const text of [
    '/v3/marketing/favor/users/o3pYp5WCYbKl2rK0pT0p5R9y3VoQ/coupons',
    'no config in /Users/ZhangSan2/Documents/Projects2024/wxpayKeys',
    'serial 5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
    'Request-ID 142B1131DDECA81867B1BB5110B14DEC',
  ])
    assert.equal(hideSecretShapes(text), text);
  assert.equal(
    hideSecretShapes('got MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCkmiqz0qlcjOL9.'),
    'got [64 characters of base64, shaped like a line of a key, not shown].',
  );
});
