// A failed write of stdout, end to end: every command, stdout on a full device (ENOSPC), on a
// descriptor open only for reading (EBADF) and on a file over the size limit (EFBIG), ends with
// exit 74 (OUTPUT_FAILED) and one line naming stdout, never a stack trace; a batch tells exactly
// which answered lines were written and which were lost; a failing stderr stops nothing.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, batchLines, configuredSandbox, leakedSecret, minimalEnv } from './helpers.js';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
  writeFileSync(path.join(dir, 'in.jsonl'), batchLines(5));
  writeFileSync(path.join(dir, 'readonly.txt'), 'x');
});
after(() => sandbox.close());

/** Runs the binary under bash with `redirect` applied, e.g. `> /dev/full`. */
function runRedirected(args, redirect, { prefix = '', timeoutMs = 20_000 } = {}) {
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${prefix} exec "${process.execPath}" "${BIN}" ${quoted} ${redirect}`], {
      cwd: dir,
      env: minimalEnv(dir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} ${redirect} did not finish\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const leak = leakedSecret(stdout) ?? leakedSecret(stderr);
      if (leak) reject(new Error(`printed ${leak}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

const token = ['token', '--open-id', 'oUser', '--coupon', '16474341:11004999626'];
const commands = [
  ['--help'],
  ['--version'],
  ['help', 'token'],
  token,
  [...token, '--json'],
  [...token, '-q'],
  [...token, '--dry-run'],
  [...token, '--dry-run', '--json'],
  ['doctor'],
  ['doctor', '--json'],
  ['certs', 'list'],
  ['certs', 'list', '--json'],
  ['token', '--batch', 'in.jsonl'],
  ['token', '--batch', 'in.jsonl', '--json'],
  ['sandbox', '--dir', 'sb'],
  ['sandbox', '--dir', 'sb', '--json'],
];
const outputs = [
  ['> /dev/full', /cannot write to stdout: no space left on device \(ENOSPC\)/],
  ['1< readonly.txt', /cannot write to stdout: bad file descriptor \(EBADF\)/],
];

describe('stdout cannot be written: exit 74, OUTPUT_FAILED, one message, no stack trace', () => {
  for (const args of commands) {
    for (const [redirect, message] of outputs) {
      test(`${args.join(' ')} ${redirect}`, async () => {
        const result = await runRedirected(args, redirect);
        assert.equal(result.code, 74, result.stderr);
        assert.doesNotMatch(result.stderr, /\n\s+at |node:internal|Error:/, 'no stack trace');
        const failure = result.stderr.split('\n').filter((line) => message.test(line));
        assert.equal(failure.length, 1, `named once on stderr: ${result.stderr}`);
        if (args.includes('--json')) {
          const error = JSON.parse(failure[0]).error;
          assert.deepEqual([error.exit_code, error.kind, error.code], [74, 'output', 'OUTPUT_FAILED']);
        } else {
          assert.match(failure[0], /^wxpay-coupon: cannot write to stdout: /);
        }
      });
    }
  }
});

describe('stderr cannot be written: the command still does its job', () => {
  test('token and batch answer on stdout with stderr on /dev/full; a usage error keeps exit 2', async () => {
    const single = await runRedirected([...token, '--json'], '2> /dev/full');
    assert.equal(single.code, 0);
    assert.ok(JSON.parse(single.stdout).token);
    const batch = await runRedirected(['token', '--batch', 'in.jsonl'], '2> /dev/full');
    assert.equal(batch.code, 0);
    assert.equal(batch.stdout.split('\n').filter(Boolean).length, 5);
    const usage = await runRedirected(['token', '--open-id'], '2> /dev/full');
    assert.equal(usage.code, 2);
  });
});

describe('batch: the lines answered before stdout failed are accounted for', () => {
  test('a file over its size limit (EFBIG): whole lines only, the summary counts written and lost lines and tokens', async () => {
    writeFileSync(path.join(dir, 'many.jsonl'), batchLines(400));
    const before = sandbox.requests.length;
    // 20 KiB: about 110 of the 400 output lines fit. SIGXFSZ ignored, so the write fails with EFBIG.
    const result = await runRedirected(['token', '--batch', 'many.jsonl', '--concurrency', '4'], '> out.jsonl', {
      prefix: "trap '' XFSZ; ulimit -f 20;",
    });
    assert.equal(result.code, 74, result.stderr);
    const text = readFileSync(path.join(dir, 'out.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'), 'never a half-written line');
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    assert.ok(lines.length > 50 && lines.length < 400, `${lines.length} lines in the file`);
    assert.deepEqual(
      lines.map((line) => line.line),
      Array.from({ length: lines.length }, (_, index) => index + 1),
    );
    const match =
      /cannot write to stdout: file too large \(EFBIG\); stopped, nothing new was started\. (\d+) lines were written; (\d+) more could not be \(lines (\d+)–(\d+) of the input\): (\d+) answered with a token, which (?:is|are) lost/.exec(
        result.stderr,
      );
    assert.ok(match, result.stderr);
    const [written, lost, first, last, lostTokens] = match.slice(1).map(Number);
    assert.equal(written, lines.length, 'the summary counts exactly the lines in the file');
    assert.equal(first, written + 1);
    assert.equal(last - first + 1, lost);
    // Every token the sandbox issued is either in the file or counted as lost.
    const issued = sandbox.requests.slice(before).filter((record) => record.token).length;
    assert.equal(issued, lines.filter((line) => line.token).length + lostTokens);
    assert.ok(sandbox.requests.length - before < 400, 'the run stopped: not every line was sent');
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});

test('batch --json: stderr is JSON lines only, the summary and an output failure included', async () => {
  const ok = await runRedirected(['token', '--json', '--batch', 'in.jsonl'], '');
  assert.equal(ok.code, 0, ok.stderr);
  const lines = ok.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, ok.stderr);
  const { summary } = JSON.parse(lines[0]);
  assert.deepEqual([summary.lines, summary.tokens, summary.failed], [5, 5, 0]);
  assert.match(summary.message, /^batch: 5 lines, 5 tokens, 0 failed in /);
  const full = await runRedirected(['token', '--json', '--batch', 'in.jsonl'], '> /dev/full');
  assert.equal(full.code, 74, full.stderr);
  const parsed = full.stderr
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(parsed.length, 2, full.stderr);
  assert.equal(parsed[0].summary.tokens, 5);
  assert.equal(parsed[1].error.exit_code, 74);
  assert.equal(parsed[1].error.kind, 'output');
  assert.equal(parsed[1].error.code, 'OUTPUT_FAILED');
  assert.match(
    parsed[1].error.message,
    /cannot write to stdout: no space left on device \(ENOSPC\); stopped.*5 answered with a token, which are lost/,
  );
  // Without --json, the plain lines as before.
  const plain = await runRedirected(['token', '--batch', 'in.jsonl'], '> /dev/full');
  assert.match(plain.stderr, /^batch: 5 lines, 5 tokens, 0 failed in [^\n]*\nwxpay-coupon: cannot write to stdout/);
});
