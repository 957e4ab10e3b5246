// A working folder deleted under the shell (cd into it, then `rm -rf` it from elsewhere) made every
// run, --help included, end with Node's stack trace and exit 1 (found by the hostile check of
// issue 13). Help and --version need no folder; a command that searches for its config or resolves
// a relative path ends with exit 3, WORKING_FOLDER_GONE, in the chosen language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { BIN, englishLeftIn, minimalEnv, tempDir } from './helpers.js';

/** Runs the bin from inside a folder that is removed just before Node starts. */
function runInDeletedFolder(args, { lang = 'C' } = {}) {
  const home = tempDir('wxpay-gone-');
  const script = 'mkdir gone && cd gone && rmdir ../gone && exec "$0" "$@"';
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', script, process.execPath, BIN, ...args],
      { cwd: home, env: minimalEnv(home, { LANG: lang }), timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

const noStack = (result) => assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at |uv_cwd|node:internal/, result.stderr);

for (const args of [['--help'], ['--version'], ['token', '--help'], ['help', 'doctor'], ['--lang', 'zh-CN', '--help']]) {
  test(`a deleted working folder: ${args.join(' ')} still works (exit 0)`, async () => {
    const result = await runInDeletedFolder(args);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.length > 0);
    assert.equal(result.stderr, '');
    noStack(result);
  });
}

test('a deleted working folder: a usage error is still a usage error (exit 2)', async () => {
  const result = await runInDeletedFolder(['token', '--bogus']);
  assert.equal(result.code, 2, result.stderr);
  noStack(result);
});

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:1'];

test('a deleted working folder: token --sandbox needs no folder (its own in-process sandbox and keys) and prints a token', async () => {
  const result = await runInDeletedFolder(['token', ...COUPON, '--sandbox', '-q']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\S+\n$/);
  noStack(result);
});
const commands = [
  ['token', ...COUPON, '--dry-run'],
  ['token', '--batch', 'lines.jsonl'],
  ['doctor'],
  ['certs', 'list'],
  ['certs', 'download', '--out', 'certs'],
  ['api', 'GET', '/v3/certificates'],
  ['notify', 'verify', 'capture.http'],
  ['notify', 'send', '--to', 'http://127.0.0.1:9/'],
  ['sandbox', '--dir', 'sandbox'],
];

for (const args of commands) {
  test(`a deleted working folder: ${args.join(' ')} is exit 3 WORKING_FOLDER_GONE, in both languages, with --json or not`, async () => {
    const text = await runInDeletedFolder(args);
    assert.equal(text.code, 3, text.stderr);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, /^wxpay-coupon: the working folder no longer exists .*cd to a folder that exists/);
    noStack(text);

    const json = await runInDeletedFolder([...args, '--json']);
    assert.equal(json.code, 3, json.stderr);
    assert.equal(json.stdout, '');
    const { error } = JSON.parse(json.stderr.trim().split('\n').at(-1));
    assert.deepEqual([error.kind, error.code, error.exit_code], ['config', 'WORKING_FOLDER_GONE', 3]);

    const zh = await runInDeletedFolder(args, { lang: 'zh_CN.UTF-8' });
    assert.equal(zh.code, 3, zh.stderr);
    assert.match(zh.stderr, /当前工作目录已不存在/);
    assert.deepEqual(englishLeftIn(zh.stderr), []);
    noStack(zh);
  });
}
