// Defects found by hostile testing of issues 14 (api) and 15 (notify), each end to end through
// the built binary against the sandbox.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaultSpec } from '../dist/sandbox/index.js';
import { spawn } from 'node:child_process';
import { BIN, configuredSandbox, minimalEnv, runCli, startSandboxProcess, tempDir } from './helpers.js';

const PASSWORD = 'hunter2pw9';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox({ mode: 'certificate' }));
});
after(() => sandbox.close());

function run(args) {
  return runCli(args, { cwd: dir, home: dir });
}

describe('a URL\u2019s password is never printed', () => {
  test('api: an absolute URL with a user and password is refused without quoting it', async () => {
    for (const url of [
      `${sandbox.baseUrl.replace('://', `://u:${PASSWORD}@`)}/v3/certificates`,
      `https://u:${PASSWORD}@evil.example/v3/x`,
    ]) {
      for (const json of [[], ['--json']]) {
        const result = await run(['api', 'GET', url, ...json]);
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.stdout, '');
        assert.ok(!result.stderr.includes(PASSWORD), `the password is not quoted: ${result.stderr}`);
        assert.match(result.stderr, /user name or password/);
      }
    }
  });

  test('--base-url refused for plain http off loopback: the message masks the password', async () => {
    const result = await run(['api', 'GET', '/v3/certificates', '--base-url', `http://u:${PASSWORD}@10.1.1.1`]);
    assert.equal(result.code, 2, result.stderr);
    assert.ok(!result.stderr.includes(PASSWORD), result.stderr);
    assert.match(result.stderr, /plain http/);
  });

  test('notify send --to with a user and password is refused without quoting it (WeChat Pay sends none)', async () => {
    const empty = tempDir();
    for (const to of [
      `http://u:${PASSWORD}@127.0.0.1:9/wxpay/notify`,
      `http://u:${PASSWORD}@10.0.0.1/wxpay/notify`,
      `https://${PASSWORD}@shop.example/n`,
    ]) {
      const result = await runCli(['notify', 'send', '--sandbox-dir', empty, '--to', to], { cwd: empty, home: empty });
      assert.equal(result.code, 2, result.stderr);
      assert.ok(!result.stderr.includes(PASSWORD), `the password is not quoted: ${result.stderr}`);
    }
  });
});

describe('notify verify: a missing input file', () => {
  test('names the file once', async () => {
    const missing = await run(['notify', 'verify', '/nonexistent/notify.http']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^wxpay-coupon: \/nonexistent\/notify\.http: no such file/);
    const folder = await run(['notify', 'verify', dir]);
    assert.equal(folder.code, 2);
    assert.equal(folder.stderr.split(dir).length, 2, folder.stderr);
  });
});

describe('sandbox fault tampered-body', () => {
  test('alters every answer it signs, not only a token: api GET /v3/certificates exits 5, nothing on stdout', async () => {
    sandbox.setFaults([parseFaultSpec('tampered-body')]);
    try {
      const result = await run(['api', 'GET', '/v3/certificates', '--retries', '0']);
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, '');
    } finally {
      sandbox.setFaults([]);
    }
  });
});

describe('notify verify: Ctrl-C while waiting for standard input', () => {
  let sandboxProcess;
  let sandboxDir;
  before(async () => {
    sandboxProcess = await startSandboxProcess();
    sandboxDir = sandboxProcess.dir;
  });
  after(() => sandboxProcess.stop());

  test('one SIGINT (or SIGTERM) ends it with exit 130, nothing on stdout; api --data - and notify send --resource - too', async () => {
    const commands = [
      ['notify', 'verify', '-'],
      ['api', 'POST', '/v3/marketing/x', '--data', '-'],
      ['notify', 'send', '--to', 'http://127.0.0.1:9/n', '--resource', '-'],
    ];
    for (const [signal, args] of [
      ['SIGINT', commands[0]],
      ['SIGTERM', commands[0]],
      ['SIGINT', commands[1]],
      ['SIGTERM', commands[2]],
    ]) {
      const started = performance.now();
      const result = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          cwd: args[1] === 'send' ? sandboxDir : dir,
          env: minimalEnv(dir),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
        const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(killer);
          resolve({ code, stdout, stderr });
        });
        // Standard input stays open and empty: a handler's log being tailed, a user who forgot the file.
        setTimeout(() => child.kill(signal), 1000);
      });
      assert.equal(result.code, 130, `${args.join(' ')} ${signal}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /interrupted/);
      assert.ok(performance.now() - started < 3500, `${signal}: ended at once, not after a second signal`);
    }
  });
});
