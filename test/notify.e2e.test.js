// `wxpay-coupon notify verify` and `notify send` end to end: the built binary, folders written by
// `wxpay-coupon sandbox --dir` (a separate process) in both key modes, and a real node:http handler
// in this process that keeps the raw bytes of every request it receives.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { readFileSync, statSync, writeFileSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BIN, minimalEnv, runCli, startSandboxProcess, tempDir, leakedSecret, startCallbackHandler } from './helpers.js';

const KEY_FILE = 'SANDBOX-ONLY_wechatpay_signing_key.pem';

function run(args, cwd) {
  return runCli(args, { cwd, home: cwd });
}

function runWithStdin(args, input, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: minimalEnv(cwd), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const leak = leakedSecret(stdout) ?? leakedSecret(stderr);
      if (leak) reject(new Error(`printed ${leak}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

const sandboxes = {};
let handler;
/** One genuine capture per mode: what `notify send` posted, byte for byte as the handler received it. */
const captures = {};
let work;

before(async () => {
  work = tempDir('wxpay-notify-');
  handler = await startCallbackHandler();
  for (const mode of ['public-key', 'certificate']) {
    const sandbox = await startSandboxProcess(['--mode', mode]);
    sandboxes[mode] = { ...sandbox, dir: path.join(sandbox.home, 'sb'), configPath: path.join(sandbox.home, 'sb', '.wxpayrc.json') };
    const sent = await run(['notify', 'send', '--sandbox-dir', sandboxes[mode].dir, '--to', handler.url], work);
    assert.equal(sent.code, 0, sent.stderr);
    captures[mode] = handler.raw();
  }
});
after(async () => {
  await handler.close();
  for (const sandbox of Object.values(sandboxes)) await sandbox.stop();
});

function capture(name, bytes) {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
}

function verify(file, mode = 'public-key', extra = []) {
  return run(['notify', 'verify', file, '--config', sandboxes[mode].configPath, ...extra], work);
}

/** notify verify of `file` with stdout on a pty (script(1)); undefined when script is not installed. */
function verifyOnTerminal(file) {
  if (spawnSync('script', ['--version']).status !== 0) return undefined;
  const command = ['notify', 'verify', file, '--config', sandboxes['public-key'].configPath].map((arg) => `'${arg}'`).join(' ');
  return spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" ${command}`, '/dev/null'], {
    cwd: work,
    env: minimalEnv(work, { TERM: 'dumb' }),
    encoding: 'utf8',
    timeout: 20_000,
  });
}

/** The raw capture split into its header lines and body, for building variants. */
function split(raw) {
  const end = raw.indexOf('\r\n\r\n');
  return { lines: raw.subarray(0, end).toString('latin1').split('\r\n'), body: raw.subarray(end + 4) };
}

function join(lines, body, eol = '\r\n') {
  return Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, 'latin1'), body]);
}

function withHeader(raw, name, value) {
  const { lines, body } = split(raw);
  return join(
    lines.map((line) => (line.toLowerCase().startsWith(`${name.toLowerCase()}:`) ? `${line.slice(0, line.indexOf(':'))}: ${value}` : line)),
    body,
  );
}

function headerOf(raw, name) {
  const line = split(raw).lines.find((item) => item.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(line.indexOf(':') + 1).trim();
}

describe('sandbox --dir keeps what notify needs', () => {
  for (const mode of ['public-key', 'certificate']) {
    test(`${mode}: apiv3Key in .wxpayrc.json, its own WeChat Pay signing key marked sandbox-only, mode 0600`, () => {
      const { dir, configPath } = sandboxes[mode];
      const config = JSON.parse(readFileSync(configPath, 'utf8'));
      assert.equal(Buffer.byteLength(config.apiv3Key), 32);
      const key = path.join(dir, KEY_FILE);
      assert.match(readFileSync(key, 'utf8'), /^SANDBOX ONLY:[^\n]*\n[\s\S]*-----BEGIN PRIVATE KEY-----/);
      if (process.platform !== 'win32') assert.equal(statSync(key).mode & 0o777, 0o600);
      assert.ok(!JSON.stringify(config).includes(KEY_FILE), 'the signing key is no part of the merchant config');
    });
  }
});

describe('send → a real handler → verify round-trips', () => {
  for (const mode of ['public-key', 'certificate']) {
    test(`${mode}: the captured request verifies and decrypts to a COUPON.USE resource`, async () => {
      const raw = captures[mode];
      assert.match(raw.toString('latin1'), /^POST \/wxpay\/notify HTTP\/1\.1\r\n/);
      const config = JSON.parse(readFileSync(sandboxes[mode].configPath, 'utf8'));
      const expectedSerial =
        mode === 'public-key' ? config.publicKeyId : path.basename(config.platformCertificates[0], '.pem').replace('wechatpay_', '');
      assert.equal(headerOf(raw, 'Wechatpay-Serial'), expectedSerial);
      assert.equal(headerOf(raw, 'Wechatpay-Signature-Type'), 'WECHATPAY2-SHA256-RSA2048');
      const body = JSON.parse(split(raw).body.toString('utf8'));
      assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(body.create_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      assert.deepEqual(
        {
          event_type: body.event_type,
          resource_type: body.resource_type,
          summary: body.summary,
          original_type: body.resource.original_type,
          algorithm: body.resource.algorithm,
          associated_data: body.resource.associated_data,
        },
        {
          event_type: 'COUPON.USE',
          resource_type: 'encrypt-resource',
          summary: '代金券核销通知',
          original_type: 'coupon',
          algorithm: 'AEAD_AES_256_GCM',
          associated_data: 'coupon',
        },
      );
      assert.equal(body.resource.nonce.length, 12);

      const file = capture(`genuine-${mode}.http`, raw);
      const plain = await verify(file, mode);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stderr, '');
      const resource = JSON.parse(plain.stdout);
      assert.equal(resource.stock_creator_mchid, config.mchid);
      assert.equal(resource.status, 'USED');
      assert.equal(resource.consume_information.consume_mchid, config.mchid);

      const json = await verify(file, mode, ['--json']);
      assert.equal(json.code, 0, json.stderr);
      assert.equal(json.stdout.split('\n').length, 2, 'one line');
      const line = JSON.parse(json.stdout);
      assert.deepEqual(Object.keys(line), ['id', 'create_time', 'event_type', 'resource_type', 'summary', 'resource']);
      assert.equal(line.id, body.id);
      assert.deepEqual(line.resource, resource);

      const verbose = await verify(file, mode, ['--verbose']);
      assert.equal(verbose.code, 0);
      assert.match(
        verbose.stderr,
        new RegExp(`signature verified with ${mode === 'public-key' ? 'WeChat Pay public key' : 'platform certificate'} ${expectedSerial}`),
      );
      for (const check of ['present', 'from this machine', `serial ${expectedSerial} is configured`, 'decrypted with apiv3Key'])
        assert.ok(verbose.stderr.includes(check), check);
    });
  }

  test('a decrypted resource holding invisible characters: exact into a pipe, written \\uXXXX on a terminal and as JSON escapes in --json (hostile check, helper-42)', async () => {
    const resource = '{"x":"a\u202e\u009b31m\u2028b"}';
    const sent = await run(
      ['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', handler.url, '--resource', resource],
      work,
    );
    assert.equal(sent.code, 0, sent.stderr);
    const file = capture('invisible.http', handler.raw());
    const plain = await verify(file);
    assert.equal(plain.stdout, resource, 'into a pipe, as decrypted');
    const json = await verify(file, 'public-key', ['--json']);
    assert.ok(!/[\u0080-\u009f\u2028\u202e]/u.test(json.stdout), JSON.stringify(json.stdout));
    assert.equal(JSON.parse(json.stdout).resource.x, 'a\u202e\u009b31m\u2028b');
    const pty = verifyOnTerminal(file);
    if (pty) {
      assert.equal(pty.status, 0, pty.stdout);
      assert.ok(pty.stdout.includes('{"x":"a\\u202e\\u009b31m\\u2028b"}'), JSON.stringify(pty.stdout));
    }
  });

  test('the plaintext is printed exactly as decrypted, and --json keeps every digit of --resource', async () => {
    const resource = '{"stock_id":123456789012345678901234567890,"amount":1.10,"coupon_id":"11004999626", "note":"空格 kept"}';
    const sent = await run(
      [
        'notify',
        'send',
        '--sandbox-dir',
        sandboxes['public-key'].dir,
        '--to',
        handler.url,
        '--resource',
        resource,
        '--event-type',
        'COUPON.SEND',
      ],
      work,
    );
    assert.equal(sent.code, 0, sent.stderr);
    const file = capture('digits.http', handler.raw());
    const plain = await verify(file);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, resource);
    // On a terminal (a pty from script(1)), a line break follows, so that the prompt starts a line.
    const pty = verifyOnTerminal(file);
    if (pty) {
      assert.equal(pty.status, 0, pty.stdout);
      assert.ok(pty.stdout.endsWith(`${resource.replace(/\n/g, '\r\n')}\r\n`), JSON.stringify(pty.stdout));
    }
    const json = await verify(file, 'public-key', ['--json']);
    assert.ok(json.stdout.includes('"resource":{"stock_id":123456789012345678901234567890,"amount":1.10,'), json.stdout);
    assert.ok(json.stdout.includes('"event_type":"COUPON.SEND"'));
  });
});

describe('notify verify: the raw request as it is found in the wild', () => {
  test('bare LF, header names in any case, duplicated headers, a trailing newline past Content-Length, stdin', async () => {
    const raw = captures['public-key'];
    const { lines, body } = split(raw);
    const variant = join(
      [
        lines[0],
        ...lines
          .slice(1)
          .map((line, index) =>
            index % 2 === 0
              ? line.toUpperCase().replace(/:.*$/, '') + line.slice(line.indexOf(':'))
              : line.toLowerCase().replace(/:.*$/, '') + line.slice(line.indexOf(':')),
          ),
        'Connection: Keep-Alive',
        'Connection: Keep-Alive',
      ],
      Buffer.concat([body, Buffer.from('\n')]),
      '\n',
    );
    const result = await verify(capture('lf.http', variant));
    assert.equal(result.code, 0, result.stderr);
    const piped = await runWithStdin(['notify', 'verify', '-', '--config', sandboxes['public-key'].configPath], variant, work);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, result.stdout);
  });

  test('--verbose writes a request line or header holding escape sequences or C1 controls as \\uXXXX (hostile check, helper-40)', async () => {
    const { lines, body } = split(captures['public-key']);
    const hostile = [`POST /notify\u001b[2J\u001b]0;pwned\u0007\u009b31m HTTP/1.1`, ...lines.slice(1)].join('\r\n');
    const file = capture('hostile.http', Buffer.concat([Buffer.from(`${hostile}\r\n\r\n`, 'latin1'), body]));
    for (const json of [[], ['--json']]) {
      const result = await verify(file, 'public-key', ['--verbose', ...json]);
      assert.equal(result.code, 0, result.stderr);
      // eslint-disable-next-line no-control-regex -- what must not reach the terminal
      assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u.test(result.stderr), JSON.stringify(result.stderr));
      if (!json.length) assert.match(result.stderr, /request: POST \/notify\\u001b\[2J\\u001b\]0;pwned\\u0007\\u009b31m/);
    }
  });

  test('--body with repeated --header', async () => {
    const raw = captures['public-key'];
    const bodyFile = capture('body.json', split(raw).body);
    const headers = ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'wechatpay-serial'].flatMap((name) => [
      '--header',
      `${name}: ${headerOf(raw, name)}`,
    ]);
    const result = await run(['notify', 'verify', '--body', bodyFile, ...headers, '--config', sandboxes['public-key'].configPath], work);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).status, 'USED');
  });
});

describe('notify verify: each way of being untrustworthy exits 5 with nothing on stdout', () => {
  const cases = [
    [
      'a body re-serialised by a framework',
      (raw) => {
        const { lines, body } = split(raw);
        const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
        return join(
          lines.map((line) => (/^content-length:/i.test(line) ? `Content-Length: ${reformatted.length}` : line)),
          reformatted,
        );
      },
      [],
      'SIGNATURE_INVALID',
      /body changed before verification/,
    ],
    [
      'a missing Wechatpay-Nonce',
      (raw) => {
        const { lines, body } = split(raw);
        return join(
          lines.filter((line) => !/^wechatpay-nonce:/i.test(line)),
          body,
        );
      },
      [],
      'SIGNATURE_HEADERS_MISSING',
      /missing Wechatpay-Nonce/,
    ],
    // --now was given, so the hint must not say to pass it; the clock named is --now, not this machine's.
    [
      'an old capture (timestamp 400 s before --now)',
      (raw) => raw,
      ['--now', String(0)],
      'TIMESTAMP_STALE',
      /Wechatpay-Timestamp is 400 s from --now \(at most 300 s is accepted\): the time given with --now is not when this notification arrived; pass the time it arrived/,
    ],
    [
      'a probe signature',
      (raw) => withHeader(raw, 'Wechatpay-Signature', 'WECHATPAY/SIGNTEST/ABCDEFGHIJKLMNOP'),
      [],
      'SIGNATURE_PROBE',
      /probe signature/,
    ],
    [
      'two different Wechatpay-Signature headers',
      (raw) => {
        const { lines, body } = split(raw);
        return join([...lines, 'Wechatpay-Signature: AAAA'], body);
      },
      [],
      'SIGNATURE_HEADER_REPEATED',
      /different values/,
    ],
  ];
  for (const [name, mutate, extra, code, message] of cases) {
    test(name, async () => {
      const raw = captures['public-key'];
      let flags = extra;
      if (flags[0] === '--now') flags = ['--now', String(Number(headerOf(raw, 'Wechatpay-Timestamp')) + 400)];
      const file = capture(`bad-${code}.http`, mutate(raw));
      const result = await verify(file, 'public-key', flags);
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      const json = await verify(file, 'public-key', [...flags, '--json']);
      assert.equal(json.code, 5);
      assert.equal(json.stdout, '');
      const lines = json.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.equal(lines.at(-1).error.code, code);
    });
  }

  test('the wrong key mode: a certificate-mode config for a public-key notification', async () => {
    const result = await verify(capture('mode.http', captures['public-key']), 'certificate');
    assert.equal(result.code, 5);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /not configured[\s\S]*wrong key mode/);
  });

  test('--now inside the window is accepted, and the output says the clock was not used', async () => {
    const raw = captures['public-key'];
    const later = String(Number(headerOf(raw, 'Wechatpay-Timestamp')) + 290);
    const result = await verify(capture('now.http', raw), 'public-key', ['--now', later]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /checked against --now/);
    const json = await verify(capture('now.http', raw), 'public-key', [
      '--now',
      new Date(Number(later) * 1000).toISOString().replace('.000Z', '+00:00'),
      '--json',
    ]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stderr.trim()).warning.code, 'CLOCK_FROM_NOW_FLAG');
  });

  test('a resource that does not decrypt (a valid signature, another apiv3Key)', async () => {
    const folder = path.join(work, 'other-key');
    mkdirSync(folder, { recursive: true });
    const source = sandboxes['public-key'].dir;
    for (const name of readdirSync(source)) copyFileSync(path.join(source, name), path.join(folder, name));
    const config = JSON.parse(readFileSync(path.join(folder, '.wxpayrc.json'), 'utf8'));
    config.apiv3Key = 'Z'.repeat(32);
    writeFileSync(path.join(folder, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
    const result = await run(
      ['notify', 'verify', capture('key.http', captures['public-key']), '--config', path.join(folder, '.wxpayrc.json')],
      work,
    );
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /cannot be decrypted with the configured APIv3 key/);
  });
});

describe('notify verify: what is not a notification exits 2, a missing key 3', () => {
  const raw = () => captures['public-key'];
  const cases = [
    ['not HTTP', () => Buffer.from('hello world\n'), /not an HTTP request/],
    ['a JSON body without --body', () => split(raw()).body, /--body/],
    [
      'an HTML body',
      () =>
        join(
          split(raw()).lines.filter((line) => !/^content-length/i.test(line)),
          Buffer.from('<html>hi</html>'),
        ),
      /not JSON/,
    ],
    [
      'JSON of another shape',
      () =>
        join(
          split(raw()).lines.filter((line) => !/^content-length/i.test(line)),
          Buffer.from('{"code":"SUCCESS"}'),
        ),
      /"id" is missing/,
    ],
    ['a truncated capture', () => raw().subarray(0, raw().length - 10), /truncated/],
    ['more than 1 MiB', () => Buffer.alloc(1024 * 1024 + 1, 'a'), /larger than 1048576 bytes/],
  ];
  for (const [name, input, message] of cases) {
    test(name, async () => {
      const result = await verify(capture(`malformed-${name.replace(/\W+/g, '-')}.http`, input()));
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('no apiv3Key, or no verification key: exit 3 naming it', async () => {
    for (const [drop, message] of [
      [['apiv3Key'], /apiv3Key: is missing/],
      [['publicKeyId', 'publicKey'], /no WeChat Pay verification key/],
    ]) {
      const folder = path.join(work, `drop-${drop[0]}`);
      mkdirSync(folder, { recursive: true });
      const source = sandboxes['public-key'].dir;
      for (const name of readdirSync(source)) copyFileSync(path.join(source, name), path.join(folder, name));
      const config = JSON.parse(readFileSync(path.join(folder, '.wxpayrc.json'), 'utf8'));
      for (const key of drop) delete config[key];
      writeFileSync(path.join(folder, '.wxpayrc.json'), JSON.stringify(config), { mode: 0o600 });
      const result = await run(
        ['notify', 'verify', capture('nokey.http', captures['public-key']), '--config', path.join(folder, '.wxpayrc.json')],
        work,
      );
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
  });
});

describe('notify send: the handler\u2019s answer, and a handler that fails', () => {
  test('a handler\u2019s answer holding escape sequences is shown with them as \\uXXXX, its lines and tabs kept; --json has it exact (hostile check, helper-40)', async () => {
    const odd = await startCallbackHandler((_req, res) => res.writeHead(200).end('ok\u001b[2J\n\tline two\u009b31m'));
    try {
      const result = await run(['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', odd.url], work);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'status 200\nok\\u001b[2J\n\tline two\\u009b31m\n');
      const json = await run(['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', odd.url, '--json'], work);
      assert.equal(JSON.parse(json.stdout).body, 'ok\u001b[2J\n\tline two\u009b31m');
      assert.ok(!/[\u0080-\u009f]/u.test(json.stdout), 'the JSON line escapes the C1 control');
    } finally {
      await odd.close();
    }
  });

  test('a handler answering 500 is reported: status and body shown, exit 1 naming the status', async () => {
    const failing = await startCallbackHandler((_req, res) => res.writeHead(500).end('database down'));
    try {
      const result = await run(['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', failing.url], work);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, 'status 500\ndatabase down\n');
      assert.match(result.stderr, /answered 500, not 2xx/);
      const json = await run(['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', failing.url, '--json'], work);
      assert.equal(json.code, 1);
      assert.equal(JSON.parse(json.stdout).status, 500);
      const error = JSON.parse(json.stderr.trim().split('\n').at(-1)).error;
      assert.equal(error.code, 'HANDLER_STATUS');
      assert.equal(error.status, 500);
    } finally {
      await failing.close();
    }
  });

  test('2xx: status and body on stdout, exit 0', async () => {
    const result = await run(['notify', 'send', '--sandbox-dir', sandboxes['certificate'].dir, '--to', handler.url], work);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'status 200\n{"code":"SUCCESS"}\n');
    assert.match(result.stderr, /sent COUPON\.USE notification [0-9a-f-]{36}/);
  });

  test('a handler that never answers is bounded by --timeout (exit 4); a refused port is exit 4', async () => {
    const sockets = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const result = await run(
        [
          'notify',
          'send',
          '--sandbox-dir',
          sandboxes['public-key'].dir,
          '--to',
          `http://127.0.0.1:${silent.address().port}/n`,
          '--timeout',
          '500',
        ],
        work,
      );
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /did not answer within 500 ms/);
      assert.ok(Date.now() - started < 8000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
    const refused = await run(['notify', 'send', '--sandbox-dir', sandboxes['public-key'].dir, '--to', 'http://127.0.0.1:1/n'], work);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /cannot reach your handler/);
  });

  test('bad input: plain http off loopback, no --to, a bad --resource, a folder that is no sandbox', async () => {
    const dir = sandboxes['public-key'].dir;
    for (const [args, code, message] of [
      [['--to', 'http://example.com/notify'], 2, /plain http/],
      [[], 2, /missing --to/],
      [['--to', handler.url, '--resource', '{"a":'], 2, /--resource is not JSON/],
      [['--to', handler.url, '--event-type', 'coupon use'], 2, /not an event type/],
    ]) {
      const result = await run(['notify', 'send', '--sandbox-dir', dir, ...args], work);
      assert.equal(result.code, code, result.stderr);
      assert.match(result.stderr, message);
    }
    const empty = tempDir('wxpay-not-sandbox-');
    const result = await run(['notify', 'send', '--sandbox-dir', empty, '--to', handler.url], work);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /sandbox --dir/);
  });
});
