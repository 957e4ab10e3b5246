// A private key pasted where it does not belong is never printed back (found by the hostile check
// of issue 13: --config "$PEM", HTTPS_PROXY="$PEM", an unknown command "$PEM" … echoed it whole).
// The backstop is the one place errors and warnings are written (src/cli/output.ts hidePem).
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
