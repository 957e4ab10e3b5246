// Issue 11 A, F (key files) and G (mchid): no secret in any output, whatever shape the value has,
// wherever it comes from and whatever command and output mode reads it; key and certificate files
// read within a cap, never a device, pipe or socket; mchid as a number. Everything through the
// built binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { SECRET_SETTINGS } from '../dist/index.js';
import { BIN, fixture, minimalEnv, runCli, tempDir } from './helpers.js';

const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = KEY.privateKey.export({ type: 'pkcs8', format: 'pem' });
const PKCS1_PEM = KEY.privateKey.export({ type: 'pkcs1', format: 'pem' });
const BODY = PRIVATE_PEM.split('\n')
  .filter((line) => line && !line.startsWith('-----'))
  .join('');
const PUBLIC_PEM = fixture('wechatpay-java', 'wechat_pay_public_key.pem');
const CERTIFICATE_PEM = fixture('wechatpay-java', 'wechat_pay_certificate.pem');
/** What `openssl pkcs12 -nodes` writes: attribute lines before each PEM block, the certificate first. */
const BAG = (pem) => `Bag Attributes\n    localKeyID: 01 00 00 00\n    friendlyName: apiclient\nKey Attributes: <No Attributes>\n${pem}`;
const APIV3 = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';

/** The key's base64 lines and body: none of it may ever reach the output. */
const KEY_SECRETS = [BODY, ...PRIVATE_PEM.split('\n').filter((line) => line.length >= 8 && !line.startsWith('-----'))];

/** Every run of 8 characters of a secret, raw and as JSON writes it. */
function leakIn(text, secrets) {
  for (const secret of secrets) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      for (let at = 0; at + 8 <= form.length; at += 1) {
        const piece = form.slice(at, at + 8);
        if (text.includes(piece)) return `${JSON.stringify(piece)} of a secret`;
      }
    }
  }
  return undefined;
}

/** The documented contract of a failed run: the exit code, a message, no stack trace, no secret. */
function assertRefused(result, secrets, { code = 3, mention } = {}) {
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.code, code, `exit ${result.code}: ${result.stderr}`);
  assert.ok(result.stderr.trim().length > 0, 'a failure says something on stderr');
  assert.ok(!/^\s+at .*[(:]/m.test(output), `a stack trace: ${output}`);
  assert.ok(!/\b(TypeError|RangeError|ERR_[A-Z_]+)\b/.test(output), `a raw Node error: ${output}`);
  const leak = leakIn(output, secrets);
  assert.equal(leak, undefined, `the output holds ${leak}:\n${output}`);
  if (mention) assert.match(output, mention);
}

let home;
let dir;
const keyFiles = {};
before(() => {
  home = tempDir('wxpay-secrets-home-');
  dir = tempDir('wxpay-secrets-');
  mkdirSync(path.join(dir, 'keys'));
  for (const [name, text] of [
    ['apiclient_key.pem', PRIVATE_PEM],
    ['pub_key.pem', PUBLIC_PEM],
    ['cert.pem', CERTIFICATE_PEM],
  ]) {
    keyFiles[name] = path.join(dir, 'keys', name);
    writeFileSync(keyFiles[name], text, { mode: 0o600 });
  }
});

/** A complete config but for what the test changes; answers go to a closed loopback port. */
function baseConfig() {
  return {
    // Not the example config's placeholders, which doctor refuses before going online.
    mchid: '1900000002',
    serial: '5F1C72E2A8931B72A2E13AF8DEE92471EB397116',
    privateKey: keyFiles['apiclient_key.pem'],
    publicKeyId: 'PUB_KEY_ID_0114232134912410000000000002',
    publicKey: keyFiles['pub_key.pem'],
    apiv3Key: APIV3,
    baseUrl: 'http://127.0.0.1:1',
    retries: 0,
    timeout: 2000,
  };
}

function yamlOf(config) {
  return `${Object.entries(config)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n')}\n`;
}

/** Writes `config` in the named source's format into a fresh folder; returns { cwd, env }. */
function place(source, setting, value) {
  const cwd = tempDir('wxpay-secrets-case-');
  const config = baseConfig();
  const env = minimalEnv(home);
  if (source === 'env') {
    const variable = {
      privateKey: 'WXPAY_PRIVATE_KEY',
      publicKey: 'WXPAY_PUBLIC_KEY',
      platformCertificates: 'WXPAY_PLATFORM_CERTIFICATES',
      apiv3Key: 'WXPAY_APIV3_KEY',
    }[setting];
    assert.ok(variable, `${setting} has a variable`);
    env[variable] = Array.isArray(value) ? value.join(path.delimiter) : value;
  } else if (source === 'profile') {
    config.profiles = { ci: { [setting]: value } };
    env.WXPAY_PROFILE = 'ci';
  } else {
    config[setting] = value;
  }
  const file = {
    env: '.wxpayrc.json',
    profile: '.wxpayrc.json',
    json: '.wxpayrc.json',
    yaml: '.wxpayrc.yaml',
    cjs: '.wxpayrc.cjs',
    mjs: 'wxpay.config.mjs',
  }[source];
  const text = file.endsWith('.yaml')
    ? yamlOf(config)
    : file.endsWith('.cjs')
      ? `module.exports = ${JSON.stringify(config)};\n`
      : file.endsWith('.mjs')
        ? `export default ${JSON.stringify(config)};\n`
        : JSON.stringify(config);
  writeFileSync(path.join(cwd, file), text, { mode: 0o600 });
  return { cwd, env };
}

const BATCH_LINE = '{"open_id":"o","coupon_list":[{"stock_id":1,"coupon_id":"a"}]}\n';
/** Every command that loads the config, in every output mode. */
const COMMANDS = [
  ['token', '--open-id', 'o', '--coupon', '1:a'],
  ['token', '--json', '--open-id', 'o', '--coupon', '1:a'],
  ['token', '--verbose', '--open-id', 'o', '--coupon', '1:a'],
  ['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a'],
  ['token', '--dry-run', '--json', '--open-id', 'o', '--coupon', '1:a'],
  ['token', '--batch', 'lines.jsonl'],
  ['token', '--batch', 'lines.jsonl', '--json', '--verbose'],
  ['doctor'],
  ['doctor', '--json'],
  ['doctor', '--online', '--verbose'],
  ['certs', 'list'],
  ['certs', 'list', '--json'],
  ['certs', 'download', '--out', 'out'],
  ['certs', 'download', '--json', '--verbose', '--out', 'out'],
];

async function runIn({ cwd, env }, args) {
  if (args.includes('lines.jsonl')) writeFileSync(path.join(cwd, 'lines.jsonl'), BATCH_LINE);
  return runCli(args, { cwd, env, home });
}

/** Runs `jobs` two at a time (the machine has two cores). */
async function pool(jobs, width = 2) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }),
  );
}

test('every setting the code marks as secret or key material is covered here', () => {
  const covered = new Set(['privateKey', 'publicKey', 'platformCertificates', 'merchantCertificate', 'apiv3Key', 'proxy']);
  for (const setting of Object.keys(SECRET_SETTINGS))
    assert.ok(covered.has(setting), `${setting} is marked in SECRET_SETTINGS but not tested here`);
  for (const setting of covered) assert.ok(SECRET_SETTINGS[setting], `${setting} is tested as a secret but not marked`);
});

const KEY_SETTINGS = [
  { setting: 'privateKey', sources: ['env', 'json', 'yaml', 'cjs', 'profile'] },
  { setting: 'publicKey', sources: ['env', 'json', 'yaml', 'profile'] },
  { setting: 'platformCertificates', list: true, sources: ['env', 'json', 'yaml', 'profile'] },
  { setting: 'merchantCertificate', sources: ['json', 'yaml', 'cjs'] },
];

/** Shapes a key setting's value takes by mistake, none of them PEM text or an existing file. */
const NOT_PEM = [
  {
    name: 'a base64 body without its BEGIN/END lines',
    value: BODY,
    secrets: KEY_SECRETS,
    mention: /without the -----BEGIN and -----END lines/,
  },
  {
    name: 'base64 lines without BEGIN/END',
    value: PRIVATE_PEM.split('\n')
      .filter((line) => !line.startsWith('-----'))
      .join('\n'),
    secrets: KEY_SECRETS,
  },
  { name: 'damaged PEM lines', value: PRIVATE_PEM.replace(/-----BEGIN /, '----BEGN '), secrets: KEY_SECRETS },
  { name: 'a path-shaped value', value: `keys/${randomBytes(12).toString('hex')}.pem` },
  { name: 'JSON-special junk', value: `"\\u0000\\"}{${randomBytes(18).toString('base64')}\n\t` },
  { name: 'a very long value', value: randomBytes(6000).toString('base64') },
];

test('class: a key setting that is neither PEM text nor an existing file is refused, exit 3, and no part of it is shown', async () => {
  const jobs = [];
  let turn = 0;
  for (const { setting, list, sources } of KEY_SETTINGS) {
    for (const source of sources) {
      // Two shapes per setting and source, in turn, so that every shape meets every setting and
      // every command is run, in about 40 runs rather than every combination.
      for (const shape of [NOT_PEM[turn % NOT_PEM.length], NOT_PEM[(turn + 3) % NOT_PEM.length]]) {
        const args = COMMANDS[turn++ % COMMANDS.length];
        jobs.push(async () => {
          const value = list ? [shape.value] : shape.value;
          const result = await runIn(place(source, setting, value), args);
          const secrets = shape.secrets ?? [shape.value, ...shape.value.split(/\n/).filter((line) => line.length >= 8)];
          assertRefused(result, secrets, { mention: shape.mention });
        });
      }
    }
  }
  await pool(jobs);
});

test('class: PEM text anywhere in a key value is PEM, text before the BEGIN line skipped as OpenSSL does', async () => {
  const cases = [
    ['env', 'privateKey', BAG(PRIVATE_PEM)],
    ['json', 'privateKey', BAG(CERTIFICATE_PEM) + BAG(PKCS1_PEM)],
    ['yaml', 'privateKey', `subject=/CN=merchant\n${PRIVATE_PEM}`],
    ['env', 'privateKey', BAG(PRIVATE_PEM).replace(/\n/g, '\\n')],
    ['profile', 'publicKey', `comment\n${PUBLIC_PEM}`],
    ['env', 'platformCertificates', BAG(CERTIFICATE_PEM)],
    ['yaml', 'platformCertificates', [BAG(CERTIFICATE_PEM)]],
    ['cjs', 'merchantCertificate', BAG(CERTIFICATE_PEM)],
  ];
  const jobs = cases.map(([source, setting, value]) => async () => {
    const placed = place(source, setting, value);
    const dryRun = await runIn(placed, ['token', '--dry-run', '--json', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(dryRun.code, 0, `${source} ${setting}: ${dryRun.stderr}`);
    assert.equal(leakIn(dryRun.stdout + dryRun.stderr, KEY_SECRETS), undefined);
    const listed = await runIn(placed, ['certs', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    if (setting === 'platformCertificates') assert.match(listed.stdout, /"kind":"certificate"/);
  });
  await pool(jobs);
});

test('class: a type error names the type, never the value, for every secret setting and source', async () => {
  const cases = [
    ['json', 'apiv3Key', 12345678901234, ['12345678901234']],
    ['yaml', 'apiv3Key', 987654321098765, ['987654321098765']],
    ['json', 'privateKey', { pem: `${BODY.slice(0, 40)}` }, [BODY.slice(0, 40)]],
    ['cjs', 'privateKey', [BODY.slice(40, 90)], [BODY.slice(40, 90)]],
    ['profile', 'apiv3Key', 31415926535897, ['31415926535897']],
    ['yaml', 'proxy', { url: 'http://user:Pa55w0rdSecret@proxy.internal:3128' }, ['Pa55w0rdSecret']],
  ];
  const jobs = cases.map(([source, setting, value, secrets], index) => async () => {
    const result = await runIn(place(source, setting, value), COMMANDS[(index * 5) % COMMANDS.length]);
    assertRefused(result, secrets, { mention: /must be a string, got (a number|an object|a list)/ });
  });
  await pool(jobs);
});

test('class: a proxy URL is never shown with its password, valid or not, from the config, --proxy or the environment', async () => {
  const password = 'Hunter2Secret99';
  const invalid = [
    `http://user:${password}@`,
    `ftp://user:${password}@proxy.internal:21`,
    `http://user:${password}@proxy internal:3128`,
    `user:${password}@proxy.internal`,
  ];
  const jobs = [];
  for (const [index, proxy] of invalid.entries()) {
    jobs.push(async () => assertRefused(await runIn(place('json', 'proxy', proxy), COMMANDS[index]), [password], { mention: /proxy/ }));
    jobs.push(async () =>
      assertRefused(await runIn(place('yaml', 'proxy', 'http://127.0.0.1:9'), [...COMMANDS[index], '--proxy', proxy]), [password], {
        code: 2,
        mention: /--proxy/,
      }),
    );
  }
  // The environment's proxy variables: a broken one is a config error (not an internal one), masked.
  for (const [index, proxy] of invalid.entries()) {
    jobs.push(async () => {
      const placed = place('json', 'retries', 0);
      placed.env[index % 2 ? 'https_proxy' : 'HTTP_PROXY'] = proxy;
      assertRefused(await runIn(placed, COMMANDS[index % 3]), [password], { mention: /HTTPS?_PROXY/ });
    });
  }
  // A valid one: --verbose and the network error name the proxy with the password masked.
  for (const args of [COMMANDS[0], COMMANDS[2], COMMANDS[9]]) {
    jobs.push(async () => {
      const result = await runIn(place('json', 'proxy', `http://user:${password}@127.0.0.1:1`), args);
      assertRefused(result, [password], { code: 4 });
    });
  }
  await pool(jobs);
});

test('a key name that is not a name (a key body pasted as one) is not shown either', async () => {
  for (const source of ['json', 'yaml']) {
    const placed = place(source, 'retries', 0);
    const file = path.join(placed.cwd, source === 'json' ? '.wxpayrc.json' : '.wxpayrc.yaml');
    const config = { ...baseConfig(), [BODY.slice(0, 300)]: 'x' };
    writeFileSync(file, source === 'json' ? JSON.stringify(config) : yamlOf(config), { mode: 0o600 });
    assertRefused(await runIn(placed, ['doctor', '--json']), KEY_SECRETS, { mention: /unknown key/ });
  }
});

test('the apiv3Key wrong-length message shows no part of the key', async () => {
  const key = randomBytes(18).toString('base64url');
  assertRefused(await runIn(place('env', 'apiv3Key', key), ['certs', 'download', '--json']), [key], { mention: /exactly 32 bytes/ });
});

/** Spawns the binary under a 4 GiB address-space limit, so that an unbounded read fails fast instead of eating the machine. */
function runCapped(args, { cwd, env }, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'ulimit -v 4194304; exec "$0" "$@"', process.execPath, BIN, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wxpay-coupon ${args.join(' ')} did not finish within ${timeoutMs} ms (blocked on a file?)`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let socketServer;
after(() => socketServer?.close());

test(
  'class: key and certificate files are read within 64 KiB, never from a device, FIFO, socket or folder, and never block',
  { skip: process.platform === 'win32' ? 'devices, FIFOs and sockets are POSIX' : false },
  async () => {
    const special = tempDir('wxpay-secrets-special-');
    const fifo = path.join(special, 'key.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const socket = path.join(special, 'key.sock');
    socketServer = createServer();
    await new Promise((resolve) => socketServer.listen(socket, resolve));
    const huge = path.join(special, 'huge.pem');
    writeFileSync(huge, `${CERTIFICATE_PEM}\n${'x'.repeat(64 * 1024)}`, { mode: 0o600 });
    const folder = path.join(special, 'folder.pem');
    mkdirSync(folder);
    const files = [
      ['/dev/zero', /character device/],
      [fifo, /FIFO|named pipe/],
      [socket, /socket/],
      [folder, /folder/],
      [huge, /64 KiB/],
    ];
    const jobs = [];
    let turn = 0;
    for (const { setting, list, sources } of KEY_SETTINGS) {
      for (const source of sources.filter((name) => name === 'env' || name === 'yaml' || name === 'json')) {
        // Two kinds of file per setting and source, in turn: every kind meets several settings and sources.
        for (const [file, kind] of [files[turn % files.length], files[(turn + 2) % files.length]]) {
          const args = COMMANDS[turn++ % COMMANDS.length];
          jobs.push(async () => {
            const result = await runCapped(args, place(source, setting, list ? [file] : file));
            assertRefused(result, [], { mention: kind });
            const shown =
              source === 'env'
                ? { privateKey: 'WXPAY_PRIVATE_KEY', publicKey: 'WXPAY_PUBLIC_KEY', platformCertificates: 'WXPAY_PLATFORM_CERTIFICATES' }[
                    setting
                  ]
                : setting;
            assert.ok(result.stdout.includes(shown) || result.stderr.includes(shown), `the message names ${shown}: ${result.stderr}`);
            assert.ok(`${result.stdout}${result.stderr}`.includes(path.basename(file)), `the message names the file: ${result.stderr}`);
          });
        }
      }
    }
    await pool(jobs);
  },
);

test('G: mchid as a safe integer is accepted in JSON and YAML; an unsafe one, and serial as a number, say to quote them', async () => {
  for (const source of ['json', 'yaml']) {
    const ok = await runIn(place(source, 'mchid', 1900000001), ['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /mchid="1900000001"/);
  }
  // Above 2^53, written as the double it is (JSON.stringify writes 19000000019000000000).
  const unsafe = await runIn(place('json', 'mchid', 19000000019000000512), ['token', '--dry-run', '--open-id', 'o', '--coupon', '1:a']);
  assertRefused(unsafe, [], { mention: /mchid: .*quote it/ });
  const serial = await runIn(place('yaml', 'serial', 1234567890), ['doctor', '--json']);
  assertRefused(serial, [], { mention: /serial\b.*quote it/ });
});

// Properties: secret-shaped values of every kind, through every secret setting and source, and
// every command and output mode; no run of 8 characters of a secret in any output.
const base64Text = (min, max) => fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => Buffer.from(bytes).toString('base64'));
const junk = fc.string({ minLength: 8, maxLength: 60 }).filter((text) => !text.includes('-----BEGIN'));
const secretShaped = fc.oneof(
  base64Text(24, 1200),
  base64Text(24, 600).map((body) => body.replace(/(.{64})/g, '$1\n')),
  fc
    .tuple(junk, base64Text(24, 200))
    .map(([before, body]) => `${before}\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`),
  fc
    .tuple(
      base64Text(24, 200),
      fc.constantFrom('----BEGIN PRIVATE KEY-----', '-----BEGN RSA PRIVATE KEY-----', '-----END PRIVATE KEY-----', 'PRIVATE KEY'),
    )
    .map(([body, line]) => `${line}\n${body}`),
  fc
    .tuple(base64Text(12, 60), fc.constantFrom('"', '\\', '\\n', '\u0000', '}', '{', '\u2028', ':', '@', '\t'))
    .map(([body, special]) => `${body.slice(0, 8)}${special}${body.slice(8)}`),
  base64Text(40_000, 60_000),
);

/** The base64 runs of a value: what a key body is made of (PEM's own BEGIN/END words are not secrets). */
function secretsOfValue(value) {
  return String(value).match(/[A-Za-z0-9+/=]{8,}/g) ?? [];
}

test('property: any secret-shaped value in any key setting and source is refused or used, never shown', async () => {
  const setting = fc
    .constantFrom(...KEY_SETTINGS)
    .chain(({ setting, list, sources }) =>
      fc.record({ setting: fc.constant(setting), list: fc.constant(Boolean(list)), source: fc.constantFrom(...sources) }),
    );
  await fc.assert(
    fc.asyncProperty(setting, secretShaped, fc.constantFrom(...COMMANDS), async ({ setting: name, list, source }, value, args) => {
      if (source === 'env' && value.includes('\u0000')) value = value.replaceAll('\u0000', '');
      const result = await runIn(place(source, name, list ? [value] : value), args);
      assertRefused(result, secretsOfValue(value));
    }),
    { numRuns: 30, endOnFailure: true },
  );
});

test('property: a secret of any type in apiv3Key or privateKey, and a proxy password, never reach the output', async () => {
  const password = fc
    .tuple(base64Text(6, 24), fc.constantFrom('', '!', '%21', '$', '~', '%40'))
    .map(([text, special]) => `${text.replace(/[+/=]/g, 'x')}${special}`);
  // Digits with no three alike in a row: a run of eight cannot match a timestamp or id by chance.
  const number = fc.integer({ min: 1e14, max: Number.MAX_SAFE_INTEGER }).filter((n) => !/(\d)\1\1/.test(String(n)));
  const typed = fc.oneof(
    fc.record({ setting: fc.constantFrom('apiv3Key', 'privateKey'), value: fc.oneof(base64Text(6, 60), number) }),
    fc.record({ setting: fc.constantFrom('apiv3Key', 'privateKey'), value: base64Text(6, 40).map((text) => ({ key: text })) }),
    fc.record({ setting: fc.constant('apiv3Key'), value: base64Text(6, 40).map((text) => [text]) }),
    fc.record({
      setting: fc.constant('proxy'),
      value: fc
        .tuple(
          password,
          fc.constantFrom(
            'http://u:{}@127.0.0.1:1',
            'http://u:{}@',
            'socks://u:{}@127.0.0.1:1',
            'u:{}@proxy',
            'http://{}@127.0.0.1:1',
            'http://u:{}@pro xy:1',
          ),
        )
        .map(([secret, shape]) => ({ secret, url: shape.replace('{}', secret) })),
    }),
  );
  await fc.assert(
    fc.asyncProperty(
      typed,
      fc.constantFrom('json', 'yaml', 'cjs', 'profile', 'env', 'flag'),
      fc.constantFrom(...COMMANDS),
      async ({ setting, value }, source, args) => {
        const isProxy = setting === 'proxy';
        const raw = isProxy ? value.url : value;
        let placed;
        let extra = [];
        if (source === 'flag' && isProxy) {
          placed = place('json', 'retries', 0);
          extra = ['--proxy', raw];
        } else if (source === 'env' || source === 'flag') {
          if (setting === 'proxy') {
            placed = place('json', 'retries', 0);
            placed.env.HTTPS_PROXY = raw;
            placed.env.HTTP_PROXY = raw;
          } else {
            placed = place('env', setting, typeof raw === 'object' ? JSON.stringify(raw) : String(raw));
          }
        } else {
          placed = place(source, setting, raw);
        }
        const result = await runIn(placed, [...args, ...extra]);
        const secrets = isProxy
          ? [decodeURIComponent(value.secret), value.secret]
          : [
              JSON.stringify(raw).replace(/^"|"$/g, ''),
              ...JSON.stringify(raw)
                .split(/[{}[\]":]+/)
                .filter((part) => part.length >= 8),
            ];
        const output = `${result.stdout}\n${result.stderr}`;
        // 0 where the command sends nothing (a dry run, doctor, certs list), 4 or 6 where it cannot reach 127.0.0.1:1.
        assert.ok([0, 2, 3, 4, 6].includes(result.code), `exit ${result.code}: ${result.stderr}`);
        assert.ok(!/^\s+at .*[(:]/m.test(output), `a stack trace: ${output}`);
        const leak = leakIn(
          output,
          secrets.filter((secret) => secret.length >= 8),
        );
        assert.equal(leak, undefined, `the output holds ${leak}:\n${output}`);
      },
    ),
    { numRuns: 30, endOnFailure: true },
  );
});

test('class: a YAML file js-yaml cannot read never has the unreadable part quoted (an alias, a tag, a quoted name)', async () => {
  // js-yaml's reason quotes what it could not read; a secret written after `*` or `!` (a paste gone
  // wrong) would be shown. In both languages, with and without --json, through the search and --config.
  const secret = 'Xk9vYt1zUltuDq3NMSSBmH4QqigCFJt8b';
  const forms = [
    `apiv3Key: *${secret}`,
    `apiv3Key: !${secret} x`,
    `apiv3Key: !<${secret}> x`,
    `privateKey: !!${secret} x`,
    `"${secret}": 1\n"${secret}": 2`,
  ];
  const jobs = [];
  for (const form of forms) {
    for (const extra of [[], ['--json'], ['--lang', 'zh-CN']]) {
      jobs.push(async () => {
        const cwd = tempDir('wxpay-secrets-yaml-');
        writeFileSync(path.join(cwd, '.wxpayrc.yaml'), `mchid: "1900000001"\n${form}\n`, { mode: 0o600 });
        for (const config of [[], ['--config', '.wxpayrc.yaml']]) {
          const result = await runCli([...config, 'token', '--dry-run', '--open-id', 'o', '--coupon', '1:2', ...extra], { cwd, home });
          const output = `${result.stdout}\n${result.stderr}`;
          assert.equal(result.code, 3, `${form}: ${output}`);
          assert.match(output, /\.wxpayrc\.yaml/, output);
          assert.equal(leakIn(output, [secret]), undefined, `${form} ${extra.join(' ')}: ${output}`);
        }
      });
    }
  }
  await pool(jobs);
});
