// The token's launch parameters (P6) in every output: --json, human (pipe and terminal), -q,
// batch, the library; and the warning for a token over the launch page's 64 characters.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseFaultSpec } from '../dist/sandbox/index.js';
import { WxpayClient, requestToken, loadPrivateKey, loadPublicKey } from '../dist/index.js';
import { BIN, assertNoSecrets, batchLines, configuredSandbox, leakedSecret, minimalEnv, runCli } from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
const APP_ID = 'wx179335ce27355ca8';
let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

async function run(args, options = {}) {
  const result = await runCli(args, { cwd: dir, home: dir, ...options });
  assertNoSecrets(result, sandbox.credentials);
  return result;
}

/** Decodes a launch path as the mini program reads it: its page and its query values. */
function decodeLaunchPath(launchPath) {
  const [page, query, ...rest] = launchPath.split('?');
  assert.equal(rest.length, 0, 'one "?" only');
  assert.equal(page, 'trafficCoupon/pages/index/index');
  const params = new URLSearchParams(query);
  assert.deepEqual([...params.keys()], ['mch_code', 'token']);
  // Percent-encoded strictly: nothing a query reader could take for a separator or a space.
  for (const part of query.split('&')) assert.match(part, /^[a-z_]+=[A-Za-z0-9%._~!*'()-]*$/);
  return { mchCode: params.get('mch_code'), token: params.get('token') };
}

describe('token: launch parameters', () => {
  test('--json adds launch {app_id, path}; the path decodes to the merchant id and the exact token; existing keys unchanged', async () => {
    for (const fault of [[], [parseFaultSpec('long-token:1')]]) {
      sandbox.setFaults(fault);
      const result = await run(['token', '--json', ...COUPON]);
      assert.equal(result.code, 0, result.stderr);
      const json = JSON.parse(result.stdout);
      const last = sandbox.requests.at(-1);
      assert.deepEqual(Object.keys(json), ['token', 'expires_time', 'request_id', 'launch']);
      assert.equal(json.token, last.token);
      assert.equal(json.request_id, last.requestId);
      assert.deepEqual(Object.keys(json.launch), ['app_id', 'path']);
      assert.equal(json.launch.app_id, APP_ID);
      const decoded = decodeLaunchPath(json.launch.path);
      assert.equal(decoded.mchCode, sandbox.credentials.mchid);
      assert.equal(decoded.token, last.token);
    }
    // The long token really needed encoding: + / = never appear raw in the path.
    assert.match(sandbox.requests.at(-1).token, /[+/=]/);
  });

  test('human output shows the launch app id and path; -q stays the token alone', async () => {
    const human = await run(['token', ...COUPON]);
    assert.equal(human.code, 0, human.stderr);
    const last = sandbox.requests.at(-1);
    const appId = /^launch_appid (\S+)$/m.exec(human.stdout)?.[1];
    const launchPath = /^launch_path +(\S+)$/m.exec(human.stdout)?.[1];
    assert.equal(appId, APP_ID);
    assert.deepEqual(decodeLaunchPath(launchPath), { mchCode: sandbox.credentials.mchid, token: last.token });
    const quiet = await run(['token', '-q', ...COUPON]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.equal(quiet.stderr, '');
  });

  test('on a terminal: the time left and the launch lines (real pty)', { skip: process.platform !== 'linux' }, async () => {
    const command = [process.execPath, BIN, 'token', ...COUPON].map((word) => `'${word}'`).join(' ');
    // Asynchronously: the sandbox answers from this very process.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      env: minimalEnv(dir, { TERM: 'dumb' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    const status = await new Promise((resolve) => child.on('close', resolve));
    const result = { status, stdout };
    assert.equal(result.status, 0, result.stdout);
    assert.equal(leakedSecret(result.stdout), undefined);
    const text = result.stdout.replace(/\r/g, '');
    assert.match(text, /^expires_time \S+\+08:00 \(in (1h 59m|2h 0m)\)$/m);
    assert.match(text, new RegExp(`^launch_appid ${APP_ID}$`, 'm'));
    const launchPath = /^launch_path +(\S+)$/m.exec(text)?.[1];
    assert.deepEqual(decodeLaunchPath(launchPath), { mchCode: sandbox.credentials.mchid, token: sandbox.requests.at(-1).token });
  });

  test('a token over 64 characters: exit 0, the token printed, a stderr warning naming the 64-character limit', async () => {
    sandbox.setFaults([parseFaultSpec('long-token:1')]);
    const human = await run(['token', ...COUPON]);
    assert.equal(human.code, 0, human.stderr);
    const token = sandbox.requests.at(-1).token;
    assert.equal(token.length, 100);
    assert.match(human.stdout, new RegExp(`^token +${token.replace(/[+/]/g, '\\$&')}$`, 'm'));
    assert.match(
      human.stderr,
      /^warning: the token is 100 characters, but the card-switch mini program's launch page documents token as at most 64 characters/,
    );
    assert.equal(human.stderr.split('\n').length, 2, 'one warning line');

    sandbox.setFaults([parseFaultSpec('long-token:1')]);
    const json = await run(['token', '--json', ...COUPON]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).token, sandbox.requests.at(-1).token);
    const lines = json.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1);
    const warning = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(warning), ['warning']);
    assert.equal(warning.warning.code, 'LAUNCH_TOKEN_TOO_LONG');
    assert.match(warning.warning.message, /at most 64 characters/);

    sandbox.setFaults([parseFaultSpec('long-token:1')]);
    const quiet = await run(['token', '-q', ...COUPON]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.match(quiet.stderr, /64 characters/);

    sandbox.setFaults([]);
    const normal = await run(['token', '--json', ...COUPON]);
    assert.equal(normal.stderr, '', 'no warning for a token within 64 characters');
  });

  test('batch: every token line carries launch; a long token warns on stderr naming its line, and the run still exits 0', async () => {
    const file = path.join(dir, 'launch.jsonl');
    writeFileSync(file, batchLines(3));
    sandbox.setFaults([]);
    const before = sandbox.requests.length;
    const result = await run(['token', '--batch', file, '--concurrency', '1']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const tokens = new Map(sandbox.requests.slice(before).map((record) => [JSON.parse(record.body).open_id, record.token]));
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), ['line', 'open_id', 'token', 'expires_time', 'request_id', 'launch']);
      assert.equal(line.launch.app_id, APP_ID);
      assert.deepEqual(decodeLaunchPath(line.launch.path), { mchCode: sandbox.credentials.mchid, token: tokens.get(line.open_id) });
    }

    for (const json of [false, true]) {
      sandbox.setFaults([parseFaultSpec('long-token:1')]);
      const longRun = await run(['token', '--batch', file, '--concurrency', '1', ...(json ? ['--json'] : [])]);
      assert.equal(longRun.code, 0, longRun.stderr);
      const out = longRun.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      assert.equal(out[0].token.length, 100);
      assert.equal(decodeLaunchPath(out[0].launch.path).token, out[0].token);
      const warnings = longRun.stderr.split('\n').filter((line) => line.includes('64 characters'));
      assert.equal(warnings.length, 1, longRun.stderr);
      if (json) {
        assert.equal(JSON.parse(warnings[0]).warning.code, 'LAUNCH_TOKEN_TOO_LONG');
        assert.match(JSON.parse(warnings[0]).warning.message, /^line 1: /);
      } else assert.match(warnings[0], /^warning: line 1: the token is 100 characters/);
    }
  });
});

test('library: requestToken returns launch for the client\u2019s merchant', async () => {
  sandbox.setFaults([]);
  const c = sandbox.credentials;
  const client = new WxpayClient(
    {
      mchid: c.mchid,
      serial: c.serial,
      privateKey: loadPrivateKey(c.privateKeyPem),
      publicKeyId: c.publicKeyId,
      verificationKeys: [{ kind: 'public-key', serial: c.publicKeyId, key: loadPublicKey(c.publicKeyPem), source: 'test' }],
    },
    { baseUrl: sandbox.baseUrl },
  );
  try {
    const result = await requestToken(client, { open_id: 'oUser', coupon_list: [{ stock_id: 16474341n, coupon_id: '11004999626' }] });
    assert.equal(result.launch.app_id, APP_ID);
    assert.deepEqual(decodeLaunchPath(result.launch.path), { mchCode: c.mchid, token: sandbox.requests.at(-1).token });
  } finally {
    await client.close();
  }
});
