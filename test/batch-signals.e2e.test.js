// Ctrl-C and SIGTERM in batch mode, with real signals to the built binary, at every moment of a
// run: while reading, after the whole input was read, at the --rate gate, during a retry's
// backoff, during a slow answer, and a second signal. Whenever it comes: nothing new starts,
// every line read gets its output line in order, the summary is printed, exit 130.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox, parseFaultSpec } from '../dist/sandbox/index.js';
import { BIN, batchLines, minimalEnv, runCli, tempDir, writeSandboxConfig } from './helpers.js';

function parseOutput(stdout) {
  assert.ok(stdout === '' || stdout.endsWith('\n'), 'never a half-written line');
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const until = async (condition, what, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * A sandbox with `faults`, a config for it, `count` input lines; runs the batch, and calls
 * `act(child, sandbox)` once it is spawned. Returns the run and the sandbox's request log.
 */
async function run({ faults = [], count, args, act }) {
  const sandbox = await startSandbox();
  try {
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder);
    writeFileSync(path.join(folder, 'in.jsonl'), batchLines(count));
    sandbox.setFaults(faults.map(parseFaultSpec));
    let child;
    const running = runCli(['token', '--batch', 'in.jsonl', ...args], {
      cwd: folder,
      home: folder,
      onSpawn: (spawned) => (child = spawned),
    });
    const signalledAt = await act(child, sandbox);
    const result = await running;
    // Give anything the batch might still have started time to reach the sandbox.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = sandbox.requests.filter((record) => record.receivedAt > signalledAt + 50);
    return { ...result, lines: parseOutput(result.stdout), requests: [...sandbox.requests], startedAfterSignal: after.length };
  } finally {
    await sandbox.close();
  }
}

/** Every line read has its output line, in order, 1..n without a gap. */
function assertInOrder(lines) {
  assert.deepEqual(
    lines.map((line) => line.line),
    Array.from({ length: lines.length }, (_, index) => index + 1),
  );
}

describe('token --batch and signals', () => {
  test('after the whole input was read, during retries of 503: no retry starts, the lines are interrupted, exit 130', async () => {
    const result = await run({
      faults: ['503'],
      count: 3,
      args: ['--concurrency', '8', '--retries', '5'],
      act: async (child, sandbox) => {
        await until(() => sandbox.requests.length >= 3, 'the first attempts');
        child.kill('SIGINT');
        return Date.now();
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.startedAfterSignal, 0, 'no retry after Ctrl-C');
    assertInOrder(result.lines);
    assert.equal(result.lines.length, 3);
    for (const line of result.lines) {
      assert.equal(line.error.kind, 'interrupted', JSON.stringify(line));
      assert.match(line.error.message, /before retrying; the last attempt: WeChat Pay answered 503/);
    }
    assert.match(result.stderr, /batch: 3 lines, 0 tokens, 3 failed .*; interrupted/);
  });

  test('SIGTERM with lines waiting at the --rate gate: they are not started but written as interrupted, exit 130', async () => {
    const result = await run({
      count: 6,
      args: ['--concurrency', '8', '--rate', '2'],
      act: async (child, sandbox) => {
        await until(() => sandbox.requests.length >= 2, 'two starts');
        child.kill('SIGTERM');
        return Date.now();
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.startedAfterSignal, 0, 'nothing from the rate gate after SIGTERM');
    assertInOrder(result.lines);
    assert.equal(result.lines.length, 6, 'every line read was written');
    const tokens = result.lines.filter((line) => line.token);
    assert.equal(tokens.length, result.requests.filter((record) => record.token).length, 'every answered line was written');
    assert.ok(tokens.length >= 2 && tokens.length < 6, `${tokens.length} tokens`);
    for (const line of result.lines.filter((line) => !line.token)) {
      assert.equal(line.error.kind, 'interrupted');
      assert.equal(line.error.exit_code, 130);
      assert.match(line.error.message, /before this line was sent; nothing was sent/);
    }
  });

  test('during a slow answer and its timeout: the attempt finishes, no retry follows, exit 130', async () => {
    const result = await run({
      faults: ['slow-body'],
      count: 2,
      args: ['--concurrency', '8', '--timeout', '1500', '--retries', '3'],
      act: async (child, sandbox) => {
        await until(() => sandbox.requests.length >= 2, 'two slow answers');
        await new Promise((resolve) => setTimeout(resolve, 200));
        child.kill('SIGINT');
        return Date.now();
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.startedAfterSignal, 0);
    assert.equal(result.requests.length, 2);
    assertInOrder(result.lines);
    assert.deepEqual(
      result.lines.map((line) => line.error.kind),
      ['interrupted', 'interrupted'],
    );
    assert.match(result.lines[0].error.message, /before retrying; the last attempt: no answer/);
  });

  test('a second Ctrl-C after the whole input was read aborts what is in flight: interrupted lines, exit 130 (not 6)', async () => {
    const result = await run({
      faults: ['hang'],
      count: 3,
      args: ['--concurrency', '8'],
      act: async (child, sandbox) => {
        await until(() => sandbox.requests.length >= 3, 'three hanging requests');
        child.kill('SIGINT');
        await new Promise((resolve) => setTimeout(resolve, 200));
        child.kill('SIGINT');
        return Date.now();
      },
    });
    assert.equal(result.code, 130, result.stderr);
    assert.deepEqual(
      result.lines.map((line) => [line.line, line.error.kind]),
      [
        [1, 'interrupted'],
        [2, 'interrupted'],
        [3, 'interrupted'],
      ],
    );
    assert.match(result.stderr, /batch: 3 lines, 0 tokens, 3 failed .*; interrupted/);
  });
});

test('the first Ctrl-C is said at once, with the requests still in flight, in text and in --json', async () => {
  for (const json of [[], ['--json']]) {
    const result = await run({
      faults: ['hang'],
      count: 3,
      args: ['--concurrency', '8', '--retries', '0', '--timeout', '2000', ...json],
      act: async (child, sandbox) => {
        await until(() => sandbox.requests.length >= 3, 'three requests in flight');
        child.kill('SIGINT');
        return Date.now();
      },
    });
    assert.equal(result.code, 130, result.stderr);
    const stopping = 'stopping: no new request starts; waiting for the 3 in flight (Ctrl-C again aborts them)';
    if (json.length === 0) assert.ok(result.stderr.startsWith(`warning: ${stopping}\n`), result.stderr);
    else assert.deepEqual(JSON.parse(result.stderr.split('\n')[0]), { warning: { code: 'BATCH_STOPPING', message: stopping } });
  }
});

describe('token --batch - with an input that gives nothing more (a stuck producer, a terminal)', () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    test(`${signal} while a pipe stays open: exit 130 at once, the line read is answered, not when the producer ends`, async () => {
      const sandbox = await startSandbox();
      try {
        const folder = tempDir();
        writeSandboxConfig(sandbox, folder);
        const child = spawn(process.execPath, [BIN, 'token', '--batch', '-'], { cwd: folder, env: minimalEnv(folder) });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
        child.stdin.write(batchLines(1));
        // The pipe is never closed: like `sleep 600 | …`, or a producer that hangs.
        await until(() => stdout.includes('\n'), 'the first line answered');
        const signalled = Date.now();
        child.kill(signal);
        const code = await new Promise((resolve) => child.on('close', resolve));
        assert.equal(code, 130, stderr);
        assert.ok(Date.now() - signalled < 3000, `exited ${Date.now() - signalled} ms after ${signal}`);
        assert.equal(JSON.parse(stdout).line, 1);
        assert.match(stderr, /batch: 1 line, 1 token, 0 failed .*; interrupted/);
        child.stdin.destroy();
      } finally {
        await sandbox.close();
      }
    });
  }

  test(
    'typed at a terminal (a pty): a hint says what it waits for, and one Ctrl-C (SIGINT) ends it with exit 130',
    { skip: spawnSync('script', ['--version']).status !== 0 && 'script(1) (util-linux) is not installed' },
    async () => {
      const folder = tempDir();
      const pty = spawn('script', ['-qec', `exec "${process.execPath}" "${BIN}" token --sandbox --batch -`, '/dev/null'], {
        cwd: folder,
        env: minimalEnv(folder, { TERM: 'dumb' }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let transcript = '';
      pty.stdout.setEncoding('utf8').on('data', (chunk) => (transcript += chunk));
      await until(() => transcript.includes('reading requests from the terminal'), 'the hint');
      assert.match(transcript, /one JSON object per line; end with Ctrl-D \(Ctrl-C stops\)/);
      // The CLI is script's child (exec): signal it as the terminal's Ctrl-C would.
      const cli = spawnSync('pgrep', ['-P', String(pty.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n')[0];
      assert.ok(cli, 'the CLI process under script');
      const signalled = Date.now();
      process.kill(Number(cli), 'SIGINT');
      await until(() => /batch: 0 lines/.test(transcript), 'the summary', 5000);
      assert.ok(Date.now() - signalled < 3000);
      pty.stdin.end();
      await new Promise((resolve) => pty.on('close', resolve));
      assert.match(transcript, /interrupted/);
    },
  );
});
