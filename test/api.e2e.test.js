// `wxpay-coupon api <METHOD> <path>` end to end: the built binary against the sandbox, one
// test (or more) per promise of README's "Any APIv3 call" section.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseFaultSpec } from '../dist/sandbox/index.js';
import { reformatJson, parseLosslessJson } from '../dist/json.js';
import {
  BIN,
  assertNoSecrets,
  configuredSandbox,
  leakedSecret,
  minimalEnv,
  runCli,
  startConnectProxy,
  tempDir,
  writeSandboxConfig,
} from './helpers.js';

const TOKEN_BODY = '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}';
let sandbox;
let dir;
let certSandbox;
let certDir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
  ({ sandbox: certSandbox, dir: certDir } = await configuredSandbox({ mode: 'certificate' }));
});
after(() => Promise.all([sandbox.close(), certSandbox.close()]));

async function run(args, options = {}) {
  const result = await runCli(['api', ...args], { cwd: dir, home: dir, ...options });
  assertNoSecrets(result, sandbox.credentials);
  return result;
}

/** Runs the binary with `input` on stdin (runCli gives none). */
function runWithStdin(args, input, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: minimalEnv(cwd), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Asserts a usage error (exit 2, a message, no stack) with nothing sent to the sandbox. */
async function assertRefused(args, message, options = {}) {
  const server = options.sandbox ?? sandbox;
  const before = server.requests.length;
  const result = await run(args, options);
  assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, message);
  assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
  assert.equal(server.requests.length, before, 'nothing was sent');
  return result;
}

describe('api: method', () => {
  test('GET, POST, PUT, PATCH, DELETE in any case; anything else is a usage error and nothing is sent', async () => {
    sandbox.setFaults([]);
    const post = await run(['post', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]);
    assert.equal(post.code, 0, post.stderr);
    assert.equal(sandbox.requests.at(-1).method, 'POST');
    for (const method of ['Put', 'patch', 'DELETE', 'get']) {
      const body = ['Put', 'patch'].includes(method) ? ['--data', '{}'] : [];
      const result = await run([method, '/v3/nothing/here', ...body]);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(sandbox.requests.at(-1).method, method.toUpperCase());
      assert.equal(sandbox.requests.at(-1).status, 404, 'signed correctly: the sandbox authenticated it, then found no resource');
    }
    for (const method of ['HEAD', 'OPTIONS', 'FOO', 'GETS']) {
      await assertRefused(
        [method, '/v3/certificates'],
        new RegExp(`"${method}" is not a method api sends; use one of GET, POST, PUT, PATCH, DELETE`),
      );
    }
    const missing = await run(['GET']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument 'path'/);
  });
});

describe('api: path', () => {
  test('a path must start with /vN/', async () => {
    for (const target of ['certificates', '/certificates', '/v/x', '/V3/certificates', '//evil.example/v3/x', '/v0/x']) {
      await assertRefused(['GET', target], /is not an APIv3 path: it must start with \/v3\/ \(or another \/vN\/\)/);
    }
  });

  test('the query is signed and sent exactly as written: its order, its encoding, an empty value', async () => {
    const target = '/v3/marketing/favor/users/o%2BUser/coupons?stock_id=16474341&appid=wx1234567890abcdef&z=%2F%3D&empty=&a=1';
    const result = await run(['GET', target, '--json']);
    // The sandbox checks the signature over the path as it arrived: 404, not 401, proves it matched.
    assert.equal(result.code, 1, result.stderr);
    const error = JSON.parse(result.stderr).error;
    assert.equal(error.code, 'NOT_FOUND');
    assert.equal(sandbox.requests.at(-1).path, target);
    assert.match(sandbox.requests.at(-1).headers.authorization, /^WECHATPAY2-SHA256-RSA2048 /);
  });

  test('a path that sending would alter is refused with the form that is sent; nothing is sent', async () => {
    for (const [target, sent] of [
      ['/v3/a b', '/v3/a%20b'],
      ['/v3/x/../certificates', '/v3/certificates'],
      ['/v3/users/é', '/v3/users/%C3%A9'],
      ['/v3/x?', '/v3/x'],
      ['/v3/a\\b', '/v3/a/b'],
    ]) {
      await assertRefused(
        ['GET', target],
        new RegExp(
          `would not be sent exactly as written.*percent-encode it as it is sent: ${JSON.stringify(sent).replace(/[.?\\]/g, '\\$&')}`,
        ),
      );
    }
    await assertRefused(['GET', '/v3/certificates#top'], /#fragment/);
  });

  test('an absolute URL is accepted on the configured origin (or its backup) and refused anywhere else', async () => {
    const ok = await run(['GET', `${sandbox.baseUrl}/v3/industry-coupon/nothing?x=1`]);
    assert.equal(ok.code, 1, ok.stderr);
    assert.equal(sandbox.requests.at(-1).path, '/v3/industry-coupon/nothing?x=1');
    assert.equal(sandbox.requests.at(-1).status, 404);
    for (const foreign of [
      'https://api.mch.weixin.qq.com/v3/certificates',
      'http://127.0.0.2:9/v3/certificates',
      `${sandbox.baseUrl.replace('http:', 'https:')}/v3/certificates`,
    ]) {
      await assertRefused(['GET', foreign], /is not the configured WeChat Pay origin .*the merchant key signs only for it/);
    }
    await assertRefused(['GET', `http://user:pw@${new URL(sandbox.baseUrl).host}/v3/certificates`], /is not an https URL of WeChat Pay/);
    // The backup origin is the merchant's too.
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder, { overrides: { backupBaseUrl: 'http://127.0.0.1:9' } });
    const backup = await runCli(['api', 'GET', 'http://127.0.0.1:9/v3/nothing'], { cwd: folder, home: folder });
    assert.equal(backup.code, 1, backup.stderr);
    assert.match(backup.stderr, /404 NOT_FOUND/);
  });
});

describe('api: --data', () => {
  test('inline JSON is sent byte for byte with Content-Type: application/json; big integers keep their digits', async () => {
    const body = '{ "open_id" : "oUser",\n  "coupon_list": [ {"stock_id": 9007199254740993, "coupon_id": "c1"} ] }';
    const result = await run(['POST', '/v3/industry-coupon/tokens', '--data', body]);
    assert.equal(result.code, 0, result.stderr);
    const last = sandbox.requests.at(-1);
    assert.equal(last.body, body);
    assert.equal(last.headers['content-type'], 'application/json');
    assert.deepEqual(last.stockIds, ['9007199254740993']);
  });

  test('@file and - (stdin) are read and sent exactly, trailing newline included', async () => {
    const text = `${JSON.stringify(JSON.parse(TOKEN_BODY), null, 2)}\n`;
    writeFileSync(path.join(dir, 'body.json'), text);
    const file = await run(['POST', '/v3/industry-coupon/tokens', '--data', '@body.json']);
    assert.equal(file.code, 0, file.stderr);
    assert.equal(sandbox.requests.at(-1).body, text);
    const stdin = await runWithStdin(['api', 'POST', '/v3/industry-coupon/tokens', '--data', '-'], text, dir);
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(sandbox.requests.at(-1).body, text);
    assert.equal(leakedSecret(stdin.stdout + stdin.stderr), undefined);
  });

  test('anything that is not JSON is a usage error and nothing is sent; the body is never quoted back', async () => {
    const cut = await assertRefused(
      ['POST', '/v3/x', '--data', '{"open_id":"oSecretUser",'],
      /^wxpay-coupon: --data is not JSON \(expected a property name at position 25\)/,
    );
    assert.ok(!cut.stderr.includes('oSecretUser'));
    await assertRefused(['POST', '/v3/x', '--data', ''], /--data is not JSON/);
    await assertRefused(['POST', '/v3/x', '--data', "{'a':1}"], /--data is not JSON/);
    // A key given twice: which value WeChat Pay would read is a guess (hostile check, helper-37).
    const twice = await assertRefused(
      ['POST', '/v3/x', '--data', '{"open_id":"oA","open_id":"oB"}'],
      /--data is not JSON \(a key given twice in one object at position 16\)/,
    );
    assert.ok(!twice.stderr.includes('oA') && !twice.stderr.includes('open_id'), twice.stderr);
    // A flag where the value should be is refused before --data is read (the option-value rule).
    await assertRefused(['POST', '/v3/x', '--data', '--json'], /--data needs a value, but the next argument, --json, is a flag/);
    writeFileSync(path.join(dir, 'broken.json'), '{"a": 1,}');
    const broken = await assertRefused(['POST', '/v3/x', '--data', '@broken.json'], /--data in broken\.json is not JSON/);
    assert.ok(!broken.stderr.includes('"a"'));
    writeFileSync(path.join(dir, 'bom.json'), '\uFEFF{"a":1}');
    await assertRefused(['POST', '/v3/x', '--data', '@bom.json'], /byte order mark/);
    writeFileSync(path.join(dir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    await assertRefused(['POST', '/v3/x', '--data', '@latin1.json'], /is not UTF-8 text/);
    await assertRefused(['POST', '/v3/x', '--data', '@missing.json'], /--data @missing\.json: no such file/);
    await assertRefused(['POST', '/v3/x', '--data', `@${dir}`], /is not a regular file/);
    const stdin = await runWithStdin(['api', 'POST', '/v3/x', '--data', '-'], 'not json', dir);
    assert.equal(stdin.code, 2);
    assert.match(stdin.stderr, /--data from standard input is not JSON/);
    assert.ok(!stdin.stderr.includes('not json'));
  });

  test('GET with --data is a usage error (a GET is signed with an empty body)', async () => {
    await assertRefused(['GET', '/v3/certificates', '--data', '{}'], /GET sends no body/);
  });

  test('POST, PUT or PATCH without --data is a usage error DATA_REQUIRED; DELETE and --data {} are sent', async () => {
    for (const method of ['POST', 'put', 'PATCH']) {
      const refused = await assertRefused(
        [method, '/v3/x'],
        new RegExp(`^wxpay-coupon: ${method.toUpperCase()} needs a body: pass --data`),
      );
      assert.match(refused.stderr, /an empty JSON body is --data '\{\}'\); nothing was sent/);
    }
    const json = await run(['POST', '/v3/x', '--json']);
    assert.equal(json.code, 2);
    assert.deepEqual((({ exit_code, kind, code }) => ({ exit_code, kind, code }))(JSON.parse(json.stderr).error), {
      exit_code: 2,
      kind: 'usage',
      code: 'DATA_REQUIRED',
    });
    const zh = await run(['POST', '/v3/x', '--lang', 'zh-CN']);
    assert.equal(zh.code, 2);
    assert.match(zh.stderr, /POST 请求需要请求主体：请传 --data/);
    const empty = await run(['POST', '/v3/industry-coupon/tokens', '--data', '{}']);
    assert.notEqual(empty.code, 2, empty.stderr);
    assert.equal(sandbox.requests.at(-1).body, '{}');
    await run(['DELETE', '/v3/x']);
    assert.equal(sandbox.requests.at(-1).method, 'DELETE');
  });

  test('--data body.json (the @ forgotten) says to write --data @body.json; a body that is no file name is not quoted', async () => {
    writeFileSync(path.join(dir, 'users-body'), TOKEN_BODY);
    for (const name of ['body.json', 'users-body', './sub/Body.JSON']) {
      const refused = await assertRefused(['POST', '/v3/x', '--data', name], /^wxpay-coupon: --data is not JSON/);
      assert.ok(refused.stderr.includes(`; to send the file ${name}, write --data @${name}\n`), refused.stderr);
    }
    const quotes = await assertRefused(['POST', '/v3/x', '--data', '{\u201copen_id\u201d:\u201coSecret\u201d}'], /--data is not JSON/);
    assert.ok(quotes.stderr.includes('; it holds full-width punctuation (： ， “ ” from a Chinese input method)'), quotes.stderr);
    assert.ok(!quotes.stderr.includes('oSecret'));
    const zh = await run(['POST', '/v3/x', '--data', 'body.json', '--lang', 'zh-CN']);
    assert.match(zh.stderr, /；如要发送文件 body\.json，请写 --data @body\.json\n/);
    for (const value of ['oSecretUser', 'open id.json', '{"a":1']) {
      const refused = await assertRefused(['POST', '/v3/x', '--data', value], /--data is not JSON/);
      assert.ok(!refused.stderr.includes(value) && !refused.stderr.includes('to send the file'), refused.stderr);
    }
  });
});

describe('api: --header', () => {
  test('added headers are sent; repeatable', async () => {
    const result = await run(['GET', '/v3/nothing', '--header', 'Accept-Language: en', '--header', 'X-Trace:  abc 123 ']);
    assert.equal(result.code, 1, result.stderr);
    const headers = sandbox.requests.at(-1).headers;
    assert.equal(headers['accept-language'], 'en');
    assert.equal(headers['x-trace'], 'abc 123');
    assert.equal(sandbox.requests.at(-1).status, 404);
  });

  test('never Authorization, the Wechatpay-* signature headers, Content-Type, Host or connection headers', async () => {
    for (const header of [
      'Authorization: WECHATPAY2-SHA256-RSA2048 x',
      'authorization: x',
      'Wechatpay-Signature: x',
      'Wechatpay-Timestamp: 1',
      'wechatpay-nonce: x',
      'Wechatpay-Signature-Type: x',
    ]) {
      await assertRefused(['GET', '/v3/certificates', '--header', header], /cannot be set: the signature headers are made by wxpay-coupon/);
    }
    await assertRefused(
      ['POST', '/v3/x', '--data', '{}', '--header', 'Content-Type: text/plain'],
      /Content-Type cannot be set: the body is always sent as Content-Type: application\/json/,
    );
    for (const header of ['Host: evil.example', 'Content-Length: 1', 'Transfer-Encoding: chunked', 'Connection: close']) {
      await assertRefused(
        ['GET', '/v3/certificates', '--header', header],
        /cannot be set: wxpay-coupon sets the connection headers itself/,
      );
    }
    for (const header of ['NoColon', 'Bad Name: x', ': x']) {
      await assertRefused(['GET', '/v3/certificates', '--header', header], /--header must look like 'Name: value'/);
    }
    await assertRefused(['GET', '/v3/certificates', '--header', 'X-A: 1', '--header', 'x-a: 2'], /given twice/);
    const secret = await assertRefused(['GET', '/v3/certificates', '--header', 'X-Key: s3cr3t\u0001'], /control character/);
    assert.ok(!secret.stderr.includes('s3cr3t'), 'a header value is never quoted back');
    // Beyond printable ASCII: a usage error naming the character, nothing sent, not a network failure (hostile check, helper-40).
    for (const [value, character] of [
      ['中文', 'U\\+4E2D'],
      ['a\u3000b', 'U\\+3000'],
      ['x\u202ey', 'U\\+202E'],
    ]) {
      const refused = await assertRefused(
        ['GET', '/v3/certificates', '--header', `Accept-Language: ${value}`],
        new RegExp(`--header Accept-Language: the value holds ${character}; a header value is printable ASCII`),
      );
      assert.equal(refused.code, 2);
    }
  });

  test('Wechatpay-Serial only names a configured verification key (encrypted fields need the platform certificate\u2019s)', async () => {
    const serial = certSandbox.credentials.certificateSerial;
    const result = await runCli(['api', 'GET', '/v3/certificates', '--header', `Wechatpay-Serial: ${serial}`], {
      cwd: certDir,
      home: certDir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(certSandbox.requests.at(-1).headers['wechatpay-serial'], serial);
    await assertRefused(
      ['GET', '/v3/certificates', '--header', 'Wechatpay-Serial: PUB_KEY_ID_0999999999999999999999999999'],
      /must name a configured WeChat Pay public key id or platform certificate serial/,
    );
  });
});

describe('api: verification and errors', () => {
  test('every 2xx is verified before anything is printed: an untrusted answer exits 5 with nothing on stdout', async () => {
    for (const fault of ['bad-signature', 'tampered-body', 'unknown-serial', 'stale-timestamp', 'missing-headers', 'probe-signature']) {
      for (const json of [[], ['--json']]) {
        sandbox.setFaults([parseFaultSpec(`${fault}:1`)]);
        const result = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, ...json]);
        assert.equal(result.code, 5, `${fault}: ${result.stderr}`);
        assert.equal(result.stdout, '', `${fault}: nothing on stdout`);
        if (json.length) assert.equal(JSON.parse(result.stderr).error.kind, 'verification');
      }
    }
    sandbox.setFaults([]);
  });

  test('non-2xx: exit 1 with code, message, detail, status and request_id, as token', async () => {
    const result = await run(['POST', '/v3/industry-coupon/tokens', '--data', '{"open_id":"oUser","coupon_list":[]}', '--json']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const error = JSON.parse(result.stderr).error;
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.equal(error.status, 400);
    assert.equal(error.request_id, sandbox.requests.at(-1).requestId);
    assert.match(error.message, /没传入券列表/);
    const detailed = await run(['POST', '/v3/industry-coupon/tokens', '--data', '{"open_id":"","coupon_list":[]}', '--json']);
    assert.equal(JSON.parse(detailed.stderr).error.detail.field, 'open_id');
    const text = await run(['GET', '/v3/certificates']);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /404 RESOURCE_NOT_EXISTS: 无可用的平台证书\n[\s\S]*Request-ID: [0-9A-F]{32}/);
    // Said why (careless check, helper-38): README's first api example, run by a public-key merchant.
    assert.match(
      text.stderr,
      /无可用的平台证书\nWeChat Pay answers so to a merchant that has no platform certificates because it uses a WeChat Pay public key \(微信支付公钥\) instead/,
    );
    const zh = await run(['GET', '/v3/certificates', '--lang', 'zh-CN']);
    assert.match(zh.stderr, /无可用的平台证书\n微信支付对没有平台证书、使用微信支付公钥验签的商户这样应答/);
  });

  test('retries (fresh signature each), timeouts, failover, proxies and --verbose work as for token', async () => {
    sandbox.setFaults([parseFaultSpec('503:1')]);
    const before = sandbox.requests.length;
    const retried = await run(['GET', '/v3/nothing']);
    const seen = sandbox.requests.slice(before);
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0].headers.authorization, seen[1].headers.authorization);
    assert.equal(retried.code, 1);
    assert.match(retried.stderr, /404 NOT_FOUND/);

    sandbox.setFaults([parseFaultSpec('hang')]);
    const hung = await run(['GET', '/v3/certificates', '--timeout', '300', '--retries', '0']);
    assert.equal(hung.code, 4);
    assert.match(hung.stderr, /within 300 ms/);
    sandbox.setFaults([]);

    // Failover: the primary refuses connections; the backup (the sandbox) answers.
    const closed = createNetServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder, { overrides: { baseUrl: `http://127.0.0.1:${deadPort}`, backupBaseUrl: sandbox.baseUrl } });
    const failover = await runCli(['api', 'POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY], { cwd: folder, home: folder });
    assert.equal(failover.code, 0, failover.stderr);
    assert.match(sandbox.requests.at(-1).headers['user-agent'], /\(failover\)$/);

    // A CONNECT proxy between the binary and the sandbox.
    const proxy = await startConnectProxy();
    try {
      const proxied = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--proxy', proxy.url]);
      assert.equal(proxied.code, 0, proxied.stderr);
      assert.deepEqual(
        proxy.tunnels.map((tunnel) => tunnel.target),
        [new URL(sandbox.baseUrl).host],
      );
    } finally {
      await proxy.close();
    }

    const verbose = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--verbose']);
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stderr, new RegExp(`attempt 1: POST ${sandbox.baseUrl}/v3/industry-coupon/tokens\\n`));
    assert.match(verbose.stderr, /body: \{"open_id":"oUser"/);
    assert.match(verbose.stderr, /signature verified with WeChat Pay public key PUB_KEY_ID_/);
    assert.equal(verbose.stdout, sandbox.requests.at(-1).responseBody);
  });

  test('--dry-run prints the signed request, extra headers included, and sends nothing', async () => {
    const before = sandbox.requests.length;
    const text = await run(['post', '/v3/x?a=1', '--data', '{"a": 1}', '--header', 'Accept-Language: en', '--dry-run']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^POST ${sandbox.baseUrl}/v3/x\\?a=1\\n`));
    assert.match(text.stdout, /\nAuthorization: WECHATPAY2-SHA256-RSA2048 mchid="\d+",nonce_str="[0-9A-Za-z]{32}",signature="[^"]+"/);
    assert.match(text.stdout, /\nContent-Type: application\/json\n/);
    assert.match(text.stdout, /\nAccept-Language: en\n/);
    assert.match(text.stdout, /\n\n\{"a": 1\}\n$/);
    assert.match(text.stderr, /dry run: signed but not sent/);
    const json = await run(['GET', '/v3/certificates', '--dry-run', '--json']);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.method, 'GET');
    assert.equal(parsed.url, `${sandbox.baseUrl}/v3/certificates`);
    assert.equal(parsed.body, '');
    assert.equal(sandbox.requests.length, before);
  });
});

describe('api: output', () => {
  test('stdout is the verified body exactly as received (not on a terminal)', async () => {
    const result = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, sandbox.requests.at(-1).responseBody);
    assert.equal(result.stderr, '');
    const certs = await runCli(['api', 'GET', '/v3/certificates'], { cwd: certDir, home: certDir });
    assert.equal(certs.code, 0, certs.stderr);
    assert.equal(certs.stdout, certSandbox.requests.at(-1).responseBody);
  });

  test('--json: one line {"status","request_id","body"} with the body as received', async () => {
    const result = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const last = sandbox.requests.at(-1);
    assert.equal(result.stdout, `{"status":200,"request_id":"${last.requestId}","body":${last.responseBody}}\n`);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(json), ['status', 'request_id', 'body']);
    assert.equal(json.body.token, last.token);
  });

  test('on a terminal the JSON body is pretty-printed (real pty)', { skip: process.platform !== 'linux' }, async () => {
    const command = [process.execPath, BIN, 'api', 'POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]
      .map((word) => `'${word}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: minimalEnv(dir, { TERM: 'dumb' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(status, 0, stdout);
    const text = stdout.replace(/\r/g, '');
    assert.equal(leakedSecret(text), undefined);
    const body = sandbox.requests.at(-1).responseBody;
    assert.equal(text, `${reformatJson(body, 2)}\n`);
    assert.match(text, /^\{\n {2}"token": "/);
  });

  test('an empty 204 prints nothing and exits 0 (still verified); with --json only status and request_id', async () => {
    sandbox.setFaults([parseFaultSpec('no-content:1')]);
    const empty = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(sandbox.requests.at(-1).status, 204);
    assert.equal(empty.stdout, '');
    assert.equal(empty.stderr, '');
    sandbox.setFaults([parseFaultSpec('no-content:1')]);
    const json = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--json']);
    assert.equal(json.stdout, `{"status":204,"request_id":"${sandbox.requests.at(-1).requestId}"}\n`);
    // A 204 is verified too: an unsigned one is not trusted.
    sandbox.setFaults([parseFaultSpec('missing-headers:1')]);
    const unsigned = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]);
    assert.equal(unsigned.code, 5);
    assert.equal(unsigned.stdout, '');
  });

  test('a verified 2xx that is not JSON: printed as received; --json carries it as body_text', async () => {
    sandbox.setFaults([parseFaultSpec('not-json:1')]);
    const raw = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY]);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(raw.stdout, '<html><body>502 Bad Gateway</body></html>');
    sandbox.setFaults([parseFaultSpec('not-json:1')]);
    const json = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--json']);
    assert.deepEqual(JSON.parse(json.stdout), {
      status: 200,
      request_id: sandbox.requests.at(-1).requestId,
      body_text: '<html><body>502 Bad Gateway</body></html>',
    });
  });

  test('the body is rewritten in whitespace only: every number\u2019s digits, key order and duplicate keys survive', () => {
    const text = '{ "2": 12345678901234567890123, "1": [1.50, -0e+10, {}], "a":"x y\\" }", "a": [ ] }';
    assert.equal(reformatJson(text), '{"2":12345678901234567890123,"1":[1.50,-0e+10,{}],"a":"x y\\" }","a":[]}');
    const pretty = reformatJson(text, 2);
    assert.equal(
      pretty,
      '{\n  "2": 12345678901234567890123,\n  "1": [\n    1.50,\n    -0e+10,\n    {}\n  ],\n  "a": "x y\\" }",\n  "a": []\n}',
    );
    assert.equal(reformatJson(pretty), reformatJson(text));
    parseLosslessJson(pretty, { duplicateKeys: 'last' });
    assert.throws(() => parseLosslessJson(pretty), /a key given twice in one object/, 'input (a batch line, --data) is refused with it');
  });
});

describe('sandbox: what api reaches', () => {
  test('an unknown path is 404 NOT_FOUND with a Request-ID, after the signature is checked: a bad signature is 401 there too', async () => {
    const result = await run(['GET', '/v3/marketing/favor/stocks?limit=10', '--json']);
    assert.equal(result.code, 1);
    const error = JSON.parse(result.stderr).error;
    assert.deepEqual([error.status, error.code], [404, 'NOT_FOUND']);
    assert.match(error.request_id, /^[0-9A-F]{32}$/);
    assert.equal(error.request_id, sandbox.requests.at(-1).requestId);

    // Another merchant key than the sandbox expects: WeChat Pay authenticates first.
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(path.join(folder, 'apiclient_key.pem'), otherKey, { mode: 0o600 });
    const forged = await runCli(['api', 'GET', '/v3/marketing/favor/stocks', '--json'], { cwd: folder, home: folder });
    assert.equal(forged.code, 1);
    const refused = JSON.parse(forged.stderr.trim().split('\n').at(-1)).error;
    assert.deepEqual([refused.status, refused.code], [401, 'SIGN_ERROR']);
  });

  test('the endpoints it emulates answer api calls: tokens and certificates', async () => {
    const token = await run(['POST', '/v3/industry-coupon/tokens', '--data', TOKEN_BODY, '--json']);
    assert.equal(JSON.parse(token.stdout).body.token, sandbox.requests.at(-1).token);
    const certs = await runCli(['api', 'GET', '/v3/certificates', '--json'], { cwd: certDir, home: certDir });
    assert.equal(certs.code, 0, certs.stderr);
    const body = JSON.parse(certs.stdout).body;
    assert.equal(body.data[0].serial_no, certSandbox.credentials.certificateSerial);
  });
});

test('no secret reaches any api output', async () => {
  // runCli checks every run above; this run adds --verbose and a failing signature on top.
  const result = await run(['GET', '/v3/nothing', '--verbose', '--header', 'Accept-Language: en']);
  assert.equal(result.code, 1);
  assertNoSecrets(result, sandbox.credentials);
});

describe('api: a verified answer holding invisible characters (hostile check, helper-42)', () => {
  test('--json escapes them as JSON \\uXXXX (the value exact); piped, the body is byte for byte; on a terminal, written \\uXXXX', async () => {
    const { createPrivateKey, sign: rsaSign, randomBytes } = await import('node:crypto');
    const { createServer: createHttpServer } = await import('node:http');
    const key = createPrivateKey(sandbox.credentials.wechatpayPrivateKeyPem);
    const body = '{"a":"x\u202ey\u2028z\u009b31m\u007f","n":12345678901234567890}';
    const server = createHttpServer((request, response) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      response
        .writeHead(200, {
          'Content-Type': 'application/json',
          'Request-ID': 'B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2',
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Serial': sandbox.credentials.publicKeyId,
          'Wechatpay-Signature': rsaSign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), key).toString('base64'),
        })
        .end(body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${server.address().port}`;
      const json = await run(['GET', '/v3/odd', '--base-url', baseUrl, '--json']);
      assert.equal(json.code, 0, json.stderr);
      assert.ok(!/[\u007f-\u009f\u2028\u202e]/u.test(json.stdout), JSON.stringify(json.stdout));
      assert.equal(JSON.parse(json.stdout).body.a, 'x\u202ey\u2028z\u009b31m\u007f');
      assert.match(json.stdout, /"n":12345678901234567890/);
      const piped = await run(['GET', '/v3/odd', '--base-url', baseUrl]);
      assert.equal(piped.stdout, body, 'into a pipe, as received');
      // Async: the server answering runs in this process.
      const { execFile } = await import('node:child_process');
      const script = (args) =>
        new Promise((resolve) =>
          execFile(
            'script',
            args,
            { cwd: dir, env: minimalEnv(dir, { SHELL: '/bin/bash', TERM: 'dumb' }), encoding: 'utf8' },
            (error, stdout) => resolve({ error, stdout }),
          ),
        );
      if (!(await script(['--version'])).error) {
        const tty = await script(['-qec', `"${process.execPath}" "${BIN}" api GET /v3/odd --base-url ${baseUrl}`, '/dev/null']);
        assert.match(tty.stdout, /^\{\r?\n {2}"a": "x\\u202ey\\u2028z\\u009b31m\\u007f",\r?\n/, 'indented, its own lines kept');
        assert.ok(!/[\u007f-\u009f\u2028\u202e]/u.test(tty.stdout), JSON.stringify(tty.stdout));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
