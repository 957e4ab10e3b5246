// A misspelt WXPAY_* variable (WXPAY_MCH_ID for WXPAY_MCHID) was ignored in silence: the run then
// used the config file's value, or said no variable was set. It is now a warning naming the
// variable it most likely meant, and never its value (which may be a secret).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { configuredSandbox, minimalEnv, runCli } from './helpers.js';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

const VALUE = 'Sec7retValue0fTheTypoVariable123';
const cases = [
  ['WXPAY_MCH_ID', 'WXPAY_MCHID'],
  ['WXPAY_APIV3KEY', 'WXPAY_APIV3_KEY'],
  ['WXPAY_PRIVATE_KY', 'WXPAY_PRIVATE_KEY'],
  ['WXPAY_PRIVATE_KEY_PATH', 'WXPAY_PRIVATE_KEY'],
  ['WXPAY_SERIAL_NO', 'WXPAY_SERIAL'],
  ['WXPAY_lang', 'WXPAY_LANG'],
  // WeChat Pay's own spellings (careless check, helper-38): no edit distance finds them.
  ['WXPAY_PUB_KEY_ID', 'WXPAY_PUBLIC_KEY_ID'],
  ['WXPAY_PLATFORM_CERT', 'WXPAY_PLATFORM_CERTIFICATES'],
  ['WXPAY_MERCHANT_ID', 'WXPAY_MCHID'],
  ['WXPAY_MCH_SERIAL_NO', 'WXPAY_SERIAL'],
  ['WXPAY_APICLIENT_KEY_PATH', 'WXPAY_PRIVATE_KEY'],
  ['WXPAY_API_V3_KEY', 'WXPAY_APIV3_KEY'],
  ['WXPAY_NOTHING_LIKE_IT', undefined],
];

for (const [name, meant] of cases) {
  test(`${name}: a warning${meant ? ` suggesting ${meant}` : ''}, never its value; the command still runs (both languages, --json or not)`, async () => {
    const text = await runCli(['token', ...['--open-id', 'oUser', '--coupon', '16474341:1'], '-q'], {
      cwd: dir,
      env: minimalEnv(dir, { [name]: VALUE }),
    });
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.equal(
      text.stderr,
      `warning: ${name} is not a variable wxpay-coupon reads, so it is ignored${meant ? `; did you mean ${meant}?` : ''}\n`,
    );
    const json = await runCli(['doctor', '--json'], { cwd: dir, env: minimalEnv(dir, { [name]: VALUE }) });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      json.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).warning.code),
      ['UNKNOWN_VARIABLE'],
    );
    const zh = await runCli(['doctor'], { cwd: dir, env: minimalEnv(dir, { [name]: VALUE, LANG: 'zh_CN.UTF-8' }) });
    assert.equal(zh.code, 0, zh.stderr);
    assert.match(zh.stderr, new RegExp(`wxpay-coupon 不读取环境变量 ${name}，它被忽略了${meant ? `；你是想设置 ${meant} 吗？` : '\n'}`));
    for (const result of [text, json, zh]) assert.ok(!(result.stdout + result.stderr).includes(VALUE), 'the value is never printed');
  });
}

test('the variables it reads, and WXPAY_* set empty, give no such warning', async () => {
  const env = minimalEnv(dir, { WXPAY_LANG: 'en', WXPAY_PROFILE: '', WXPAY_CONFIG: '', WXPAY_BASE_URL: '' });
  const result = await runCli(['doctor'], { cwd: dir, env });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /not a variable/);
});
