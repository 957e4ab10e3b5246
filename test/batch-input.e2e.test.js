// Batch input end to end: every kind of input is read once and whole (a pipe, a FIFO, /dev/stdin,
// process substitution, a regular file), with stderr on a real terminal (script(1) gives it a
// pty), and an overlong line is refused cheaply without holding it.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, batchLines, configuredSandbox, minimalEnv, leakedSecret } from './helpers.js';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

const hasScript = spawnSync('script', ['--version']).status === 0;

function parseOutput(stdout) {
  assert.ok(stdout === '' || stdout.endsWith('\n'), 'never a half-written line');
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Runs a bash command line under script(1): stdin, stdout and stderr of the shell are a pty. */
function underPty(commandLine) {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', commandLine, '/dev/null'], {
      cwd: dir,
      env: minimalEnv(dir, { SHELL: '/bin/bash', TERM: 'dumb' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let transcript = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (transcript += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (transcript += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not finish: ${commandLine}\n${transcript}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const leak = leakedSecret(transcript);
      if (leak) reject(new Error(`printed ${leak}`));
      else resolve({ code, transcript });
    });
  });
}

describe('token --batch reads its input once, whatever it is', { skip: !hasScript && 'script(1) (util-linux) is not installed' }, () => {
  const bin = `"${process.execPath}" "${BIN}"`;
  const cases = [
    ['a named pipe (FIFO)', `rm -f in.fifo; mkfifo in.fifo; (cat in.jsonl > in.fifo &); ${bin} token --batch in.fifo > out.jsonl`, false],
    ['/dev/stdin fed by a pipe', `cat in.jsonl | ${bin} token --batch /dev/stdin > out.jsonl`, false],
    ['process substitution <(…)', `${bin} token --batch <(cat in.jsonl) > out.jsonl`, false],
    ['- fed by a pipe', `cat in.jsonl | ${bin} token --batch - > out.jsonl`, false],
    ['a regular file (the ETA counts its lines first)', `${bin} token --batch in.jsonl > out.jsonl`, true],
  ];
  for (const [name, commandLine, eta] of cases) {
    test(`${name}, with stderr on a terminal: every line is answered`, async () => {
      writeFileSync(path.join(dir, 'in.jsonl'), batchLines(7));
      writeFileSync(path.join(dir, 'out.jsonl'), '');
      const { code, transcript } = await underPty(`${commandLine}; echo "exit=$?"`);
      assert.equal(code, 0, transcript);
      const lines = parseOutput(readFileSync(path.join(dir, 'out.jsonl'), 'utf8'));
      assert.deepEqual(
        lines.map((line) => line.line),
        [1, 2, 3, 4, 5, 6, 7],
        transcript,
      );
      assert.ok(
        lines.every((line) => line.token),
        transcript,
      );
      assert.match(transcript, /batch: 7 lines, 7 tokens, 0 failed/);
      assert.match(transcript, /exit=0/);
      // The live line was shown (stderr is a terminal), with a total only for a regular file.
      // eslint-disable-next-line no-control-regex -- ESC [ K (erase to the end of the line) starts each progress line
      assert.match(transcript, /\u001b\[K\d+(\/7)? done, /);
      if (eta) assert.match(transcript, /\d+\/7 done, .*ETA /);
      else assert.doesNotMatch(transcript, /\/7 done|ETA/);
    });
  }
});

describe('token --batch line length', () => {
  /** Spawns a batch reading standard input, feeds it `chunks` as fast as the pipe takes them. */
  async function batchFromStdin(chunks, args = []) {
    const child = spawn(process.execPath, [BIN, 'token', '--batch', '-', '--concurrency', '2', ...args], {
      cwd: dir,
      env: minimalEnv(dir),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const started = performance.now();
    child.stdin.on('error', () => {});
    for (const chunk of chunks) {
      if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('close', resolve));
    return { code, stdout, stderr, elapsedMs: performance.now() - started };
  }

  const good = (index) =>
    `${JSON.stringify({ open_id: `oUser${index}`, coupon_list: [{ stock_id: 16474341, coupon_id: `c${index}` }] })}\n`;

  test(
    'an 80 MB line through a pipe: refused quickly with a short quote, memory flat, later lines answered',
    { timeout: 120_000 },
    async () => {
      // A stock id of 80 MB of digits: before, it cost quadratic time and its error line echoed it whole.
      const head = Buffer.from('{"open_id":"oHuge","coupon_list":[{"stock_id":"');
      const digits = Buffer.alloc(4 * 1024 * 1024, '1');
      const chunks = [good(1), head, ...Array.from({ length: 20 }, () => digits), Buffer.from('x","coupon_id":"c"}]}\n'), good(3), good(4)];
      const result = await batchFromStdin(chunks);
      assert.equal(result.code, 6, result.stderr);
      assert.ok(result.stdout.length < 2000, `the output is small: ${result.stdout.length} characters`);
      const lines = parseOutput(result.stdout);
      assert.deepEqual(
        lines.map((line) => line.line),
        [1, 2, 3, 4],
      );
      assert.ok(lines[0].token && lines[2].token && lines[3].token, 'the lines around it are answered');
      assert.equal(lines[1].error.kind, 'usage');
      assert.equal(lines[1].error.code, 'LINE_TOO_LONG');
      assert.match(lines[1].error.message, /^line 2 is 83,886,\d{3} bytes long; a request line may be at most 1 MiB \(1,048,576 bytes\)/);
      assert.ok(lines[1].error.message.length < 300, lines[1].error.message);
      assert.match(lines[1].error.message, /starts with \{"open_id":"oHuge","coupon_list":\[\{"stock_id":"1+…/);
      assert.match(result.stderr, /batch: 4 lines, 3 tokens, 1 failed/);
      const rss = Number(/peak RSS (\d+) MiB/.exec(result.stderr)?.[1]);
      assert.ok(rss > 0 && rss < 160, `peak RSS ${rss} MiB for an 80 MB line`);
      assert.ok(result.elapsedMs < 60_000, `took ${Math.round(result.elapsedMs)} ms`);
    },
  );

  test('the cap is exactly 1 MiB: a line of 1,048,576 bytes is read, one byte more is refused', async () => {
    const exact = (index, extra) => {
      const body = JSON.stringify({ open_id: `oUser${index}`, coupon_list: [{ stock_id: 16474341, coupon_id: `c${index}` }] });
      // JSON allows whitespace: pad the object to the exact length.
      return `${body.slice(0, -1)}${' '.repeat(1024 * 1024 + extra - body.length)}}`;
    };
    const result = await batchFromStdin([`${exact(1, 0)}\n`, `${exact(2, 1)}\n`, `${exact(3, 0)}\r\n`, good(4)]);
    assert.equal(result.code, 6, result.stderr);
    const lines = parseOutput(result.stdout);
    assert.deepEqual(
      lines.map((line) => [line.line, line.token ? 'token' : line.error.code]),
      [
        [1, 'token'],
        [2, 'LINE_TOO_LONG'],
        [3, 'token'],
        [4, 'token'],
      ],
    );
    assert.match(lines[1].error.message, /^line 2 is 1,048,577 bytes long/);
  });
});

describe('token --batch with no request in its input is a usage error (exit 2), not a success with 0 lines', () => {
  /**
   * Runs a batch reading `source` (a file name, or - for `stdin`), returning what it printed.
   * Asynchronous: the sandbox answers from this process, which spawnSync would block.
   */
  async function runBatch(source, { stdin = '', args = [], lang = 'C' } = {}) {
    const child = spawn(process.execPath, [BIN, 'token', '--batch', source, ...args], {
      cwd: dir,
      env: minimalEnv(dir, { LANG: lang }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    const code = await new Promise((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }
  const blank = '\n  \n\t\r\n\n';
  const cases = [
    ['empty standard input', '-', ''],
    ['standard input of blank lines', '-', blank],
    ['an empty file', 'empty.jsonl', undefined],
    ['a file of blank lines', 'blank.jsonl', undefined],
    ['/dev/null', '/dev/null', undefined],
  ];
  for (const [name, source, stdin] of cases) {
    test(`${name}: exit 2, BATCH_EMPTY, nothing sent, nothing on stdout, in both languages, with --json or not`, async () => {
      writeFileSync(path.join(dir, 'empty.jsonl'), '');
      writeFileSync(path.join(dir, 'blank.jsonl'), blank);
      const before = sandbox.requests.length;
      const text = await runBatch(source, { stdin });
      assert.equal(text.code, 2, text.stderr);
      assert.equal(text.stdout, '');
      assert.match(
        text.stderr,
        /^wxpay-coupon: --batch \S+: no request to send: the input .*was empty or held only blank lines, so nothing was sent; give one JSON object per line/m,
      );
      assert.doesNotMatch(text.stderr, /batch: 0 lines/);

      const json = await runBatch(source, { stdin, args: ['--json'] });
      assert.equal(json.code, 2, json.stderr);
      assert.equal(json.stdout, '');
      const lines = json.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        lines.map((line) => Object.keys(line)[0]),
        ['error'],
        'one error, no summary',
      );
      assert.deepEqual([lines[0].error.code, lines[0].error.kind, lines[0].error.exit_code], ['BATCH_EMPTY', 'usage', 2]);

      const zh = await runBatch(source, { stdin, lang: 'zh_CN.UTF-8' });
      assert.equal(zh.code, 2, zh.stderr);
      assert.match(zh.stderr, /没有可发送的请求：输入.*为空或只有空行，未发送任何请求/);
      assert.equal(sandbox.requests.length, before, 'no request reached the sandbox');
    });
  }

  test('one request among blank lines is a run (exit 0), not BATCH_EMPTY', async () => {
    const result = await runBatch('-', { stdin: `\n\n${batchLines(1)}\n\n` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /batch: 1 line, 1 token, 0 failed/);
  });

  test('a JSON array, an object spread over lines and CSV are named, with the jq command that makes JSON Lines (careless check, helper-41)', async () => {
    for (const [stdin, expected, lang] of [
      [
        `[${batchLines(2).trim().split('\n').join(',\n')}]\n`,
        /^line 1 is not JSON \(.*\); this is a JSON array, and --batch reads JSON Lines, one whole object per line: jq -c '\.\[\]' file\.json \| wxpay-coupon token --batch -$/,
      ],
      [
        '{\n  "open_id": "oUser"\n}\n',
        /; this is an object spread over several lines, and --batch reads JSON Lines, one whole object per line: jq -c \. file\.json/,
      ],
      [
        'open_id,stock_id,coupon_id\noUser,16474341,1\n',
        /; this looks like CSV, and --batch reads JSON Lines, one object per line like \{"open_id":"oUser"/,
      ],
      ['[\n', /；这是一个 JSON 数组，而 --batch 读取的是 JSON Lines（每行一个完整的对象）/, 'zh-CN'],
      // On one line, as `jq -c . list.json` writes it (hostile check, helper-42).
      [
        `[${batchLines(2).trim().split('\n').join(',')}]\n`,
        /^expected a JSON object .*; this is a JSON array, and --batch reads JSON Lines/,
      ],
    ]) {
      const result = await runBatch('-', { stdin, args: lang ? ['--lang', lang] : [] });
      assert.equal(result.code, 6, result.stderr);
      assert.match(JSON.parse(result.stdout.split('\n')[0]).error.message, expected);
    }
  });

  test('a line that is not JSON is still a failed line (exit 6), not an empty input', async () => {
    const result = await runBatch('-', { stdin: 'not json\n' });
    assert.equal(result.code, 6, result.stderr);
    assert.equal(JSON.parse(result.stdout).error.kind, 'usage');
  });

  test(
    'an empty regular file with stderr on a terminal (the ETA counts 0 lines): exit 2, the progress line is erased',
    { skip: !hasScript && 'script(1) (util-linux) is not installed' },
    async () => {
      writeFileSync(path.join(dir, 'empty.jsonl'), '');
      const { transcript } = await underPty(`"${process.execPath}" "${BIN}" token --batch empty.jsonl; echo "exit=$?"`);
      // The live line drawn while reading is erased before the message, which starts the line.
      // eslint-disable-next-line no-control-regex -- ESC [ K (erase to the end of the line)
      assert.match(transcript, /(^|\u001b\[K)wxpay-coupon: --batch empty\.jsonl: no request to send/);
      assert.match(transcript, /exit=2/);
    },
  );
});

test('--batch on a device (/dev/zero) is refused at once, exit 2 BATCH_NOT_FILE, instead of read for ever (helper-39)', async () => {
  const { runCli: run, tempDir: temp } = await import('./helpers.js');
  const home = temp();
  const result = await run(['token', '--sandbox', '--batch', '/dev/zero', '--json'], { cwd: home, home, timeoutMs: 10_000 });
  assert.equal(result.code, 2, result.stderr);
  const { error } = JSON.parse(result.stderr);
  assert.equal(error.code, 'BATCH_NOT_FILE');
  assert.match(error.message, /--batch \/dev\/zero is a device, not a file of JSON lines/);
});
