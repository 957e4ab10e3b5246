// Bad input, fuzzed: whatever the flags, config files, PEM files or environment hold, a run
// ends with a documented exit code and a one-paragraph message: never a stack trace, never 70.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { main } from '../dist/cli/main.js';
import { CONFIG_KEYS } from '../dist/index.js';
import { fixture, tempDir } from './helpers.js';

const PRIVATE_KEY = fixture('wechatpay-java', 'merchant_private_key.pem');
const PUBLIC_KEY = fixture('wechatpay-java', 'wechat_pay_public_key.pem');
const CERTIFICATE = fixture('wechatpay-java', 'merchant_certificate.pem');
const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
const SMALL_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });

const VALID_ENV = {
  NO_COLOR: '1',
  WXPAY_MCHID: '1234567891',
  WXPAY_SERIAL: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
  WXPAY_PRIVATE_KEY: PRIVATE_KEY,
  WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
  WXPAY_PUBLIC_KEY: PUBLIC_KEY,
  // Should any fuzzed run send, it goes to a closed loopback port, never to the internet.
  WXPAY_BASE_URL: 'http://127.0.0.1:1',
};

before(() => {
  // cosmiconfig also searches ~/.config/wxpay: point HOME at an empty folder for this process.
  process.env.HOME = tempDir('wxpay-fuzz-home-');
  process.env.XDG_CONFIG_HOME = path.join(process.env.HOME, '.config');
});

async function runMain(argv, { env = VALID_ENV, cwd = tempDir() } = {}) {
  const out = [];
  const err = [];
  const code = await main(argv, {
    stdout: { write: (text) => out.push(text) },
    stderr: { write: (text) => err.push(text) },
    env,
    cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: Date.now,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The contract for any input: a documented code, and on failure one paragraph on stderr without a stack. */
function assertWellBehaved(result, allowed) {
  assert.ok(allowed.includes(result.code), `exit ${result.code} not in ${allowed}: ${result.stderr}`);
  assert.notEqual(result.code, 70, result.stderr);
  assert.ok(!/^\s+at /m.test(result.stderr), `a stack trace: ${result.stderr}`);
  if (result.code !== 0) {
    assert.ok(result.stderr.trim().length > 0, 'a failure says something');
    // doctor's report is its data, failed checks included; every other failure prints nothing on stdout.
    if (!result.stdout.startsWith('✗') && !result.stdout.includes('\n✗') && !result.stdout.startsWith('{"ok":false')) {
      assert.equal(result.stdout, '', 'a failure prints nothing on stdout');
    }
    // A missing command prints the usage (exit 2), as git and gh do; every other failure is one paragraph.
    const isUsage = result.code === 2 && result.stderr.startsWith('Usage: wxpay-coupon');
    if (!isUsage) assert.ok(!result.stderr.trimEnd().includes('\n\n'), `one paragraph: ${JSON.stringify(result.stderr)}`);
  }
}

const RUNS = { numRuns: 120 };

test('property: any --coupon and --open-id values end in exit 0 or 2', async () => {
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 70 }),
    fc.constantFrom('', ':', '-1:a', '1:', ' 1:a', '1e3:a', '9223372036854775808:x', '--json'),
  );
  const coupon = fc.oneof(
    text,
    fc.tuple(fc.bigInt({ min: -5n, max: 2n ** 64n }), text).map(([stock, id]) => `${stock}:${id}`),
  );
  await fc.assert(
    fc.asyncProperty(text, fc.array(coupon, { maxLength: 4 }), async (openId, coupons) => {
      const argv = ['token', '--dry-run', '--open-id', openId, ...coupons.flatMap((c) => ['--coupon', c])];
      const result = await runMain(argv);
      assertWellBehaved(result, [0, 2]);
      if (result.code === 0) assert.match(result.stdout, /^POST http:\/\/127\.0\.0\.1:1\/v3\/industry-coupon\/tokens\n/);
    }),
    RUNS,
  );
});

test('property: any JSON or YAML config file ends in exit 3 with the problems listed', async () => {
  const configKey = fc.constantFrom(...CONFIG_KEYS, 'profiles', 'privatekey', 'mchId', '');
  const shaped = fc.dictionary(configKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });
  const content = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => ({ file: '.wxpayrc.json', text: JSON.stringify(value) })),
    shaped.map((value) => ({ file: '.wxpayrc.json', text: JSON.stringify(value) })),
    shaped.map((value) => ({
      file: '.wxpayrc.yaml',
      text: Object.entries(value)
        .map(([k, v]) => `${k || '""'}: ${JSON.stringify(v)}`)
        .join('\n'),
    })),
    fc.string({ maxLength: 200 }).map((text) => ({ file: '.wxpayrc.yaml', text })),
    fc.string({ maxLength: 200 }).map((text) => ({ file: '.wxpayrc', text })),
  );
  await fc.assert(
    fc.asyncProperty(content, async ({ file, text }) => {
      const cwd = tempDir();
      writeFileSync(path.join(cwd, file), text);
      const result = await runMain(['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a'], { cwd, env: { NO_COLOR: '1' } });
      assertWellBehaved(result, [3]);
      rmSync(cwd, { recursive: true, force: true });
    }),
    RUNS,
  );
});

test('property: any PEM file where the private key belongs ends in exit 3, unless it is the whole key', async () => {
  const pem = fc.oneof(
    fc.nat({ max: PRIVATE_KEY.length }).map((length) => PRIVATE_KEY.slice(0, length)),
    fc.constantFrom(CERTIFICATE, PUBLIC_KEY, EC_KEY, SMALL_KEY, '', '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n'),
    fc
      .tuple(fc.nat({ max: PRIVATE_KEY.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([at, junk]) => PRIVATE_KEY.slice(0, at) + junk + PRIVATE_KEY.slice(at + 1)),
    fc.string({ maxLength: 300 }),
  );
  await fc.assert(
    fc.asyncProperty(pem, async (content) => {
      const cwd = tempDir();
      writeFileSync(path.join(cwd, 'key.pem'), content, { mode: 0o600 });
      const env = { ...VALID_ENV, WXPAY_PRIVATE_KEY: 'key.pem' };
      const result = await runMain(['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a'], { cwd, env });
      assertWellBehaved(result, [0, 3]);
      if (result.code === 3) assert.match(result.stderr, /WXPAY_PRIVATE_KEY: /);
      rmSync(cwd, { recursive: true, force: true });
    }),
    RUNS,
  );
});

test('property: any environment values end in exit 0, 2 or 3', async () => {
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom('', 'key.pem', 'http://example.com', 'https://x', PRIVATE_KEY, PUBLIC_KEY, '../', '\\n'),
  );
  const names = [
    'WXPAY_MCHID',
    'WXPAY_SERIAL',
    'WXPAY_PRIVATE_KEY',
    'WXPAY_PUBLIC_KEY_ID',
    'WXPAY_PUBLIC_KEY',
    'WXPAY_PLATFORM_CERTIFICATES',
    'WXPAY_APIV3_KEY',
    'WXPAY_BASE_URL',
    'WXPAY_PROFILE',
    'WXPAY_CONFIG',
  ];
  const overrides = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 });
  await fc.assert(
    fc.asyncProperty(overrides, async (changes) => {
      const result = await runMain(['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a'], { env: { ...VALID_ENV, ...changes } });
      assertWellBehaved(result, [0, 2, 3]);
    }),
    RUNS,
  );
});

test('property: any flag soup ends in a documented code', async () => {
  const flags = fc.constantFrom(
    'token',
    'sandbox',
    'certs',
    'doctor',
    'list',
    '--json',
    '-q',
    '--dry-run',
    '--timeout',
    '--retries',
    '--proxy',
    '--base-url',
    '--config',
    '--profile',
    '--open-id',
    '--coupon',
    'x',
    '1:a',
    '0',
    '-h',
    '--version',
    '--nope',
  );
  await fc.assert(
    fc.asyncProperty(fc.array(flags, { maxLength: 7 }), async (argv) => {
      if (argv[0] === 'sandbox' || argv.includes('--online')) return; // sandbox serves until Ctrl-C; covered elsewhere
      const result = await runMain([...argv, '--retries', '0']);
      assertWellBehaved(result, [0, 1, 2, 3, 4, 5]);
    }),
    RUNS,
  );
});
