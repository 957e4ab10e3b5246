// Flags end to end: an option's value is never a flag, the output format comes from the flags given
// (not from values or from arguments after `--`), and commander's messages read as one sentence.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createProgram } from '../dist/cli/program.js';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, batchLines, configuredSandbox, minimalEnv, runCli } from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
});
after(() => sandbox.close());

function run(args, options = {}) {
  return runCli(args, { cwd: dir, home: dir, ...options });
}

/** Every option that takes a value, with the command it belongs to, read from the program itself. */
function valueOptions() {
  const io = { stdout: { write() {} }, stderr: { write() {} }, stdoutIsTTY: false, stderrIsTTY: false };
  const handler = async () => 0;
  const program = createProgram(io, { token: handler, sandbox: handler, certsDownload: handler, certsList: handler, doctor: handler }, {});
  const found = [];
  const walk = (command, path) => {
    for (const option of command.options) if (option.required) found.push({ path, flag: option.long });
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return found;
}

describe('an option whose value is missing because a flag follows', () => {
  const options = valueOptions();

  test('the program has the value options this test expects to cover', () => {
    const flags = options.map(({ path, flag }) => [...path, flag].join(' '));
    for (const expected of [
      '--config',
      '--profile',
      'token --open-id',
      'token --coupon',
      'token --batch',
      'token --rate',
      'token --proxy',
      'sandbox --port',
      'sandbox --mode',
      'certs download --out',
      'certs download --timeout',
      'doctor --base-url',
    ]) {
      assert.ok(flags.includes(expected), `${expected} in ${flags.join(', ')}`);
    }
  });

  for (const { path, flag } of options) {
    test(`${[...path, flag].join(' ')} --json: usage error naming ${flag}, nothing sent`, async () => {
      const before = sandbox.requests.length;
      // The option first, the flag right after it, as `--open-id $OPENID --json` with OPENID empty expands.
      const command = path.length === 0 ? ['token'] : path;
      const args = path.length === 0 ? [flag, '--json', ...command, ...COUPON] : [...command, flag, '--json'];
      if (path[0] === 'token' && flag !== '--open-id' && flag !== '--coupon' && flag !== '--batch') args.push(...COUPON);
      const result = await run(args);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      const { error } = JSON.parse(result.stderr);
      assert.equal(error.kind, 'usage');
      assert.equal(error.code, 'OPTION_MISSING_ARGUMENT');
      assert.match(error.message, new RegExp(`^${flag} needs a value, but the next argument, --json, is a flag`));
      assert.equal(sandbox.requests.length, before, 'nothing reached the sandbox');
    });
  }

  test('a short flag and a flag-shaped word are refused the same way; a value that does not look like a flag is quoted by shape only', async () => {
    const before = sandbox.requests.length;
    const short = await run(['token', '--coupon', '16474341:11004999626', '--open-id', '-q']);
    assert.equal(short.code, 2);
    assert.match(
      short.stderr,
      /^wxpay-coupon: --open-id needs a value, but the next argument, -q, is a flag \(an empty variable\?\); .*--open-id=<value>/,
    );
    const dashed = await run(['token', '--coupon', '16474341:11004999626', '--open-id', '-abc']);
    assert.equal(dashed.code, 2);
    assert.match(dashed.stderr, /--open-id needs a value/);
    const odd = await run(['token', '--coupon', '16474341:11004999626', '--open-id', '-x=s3cret/+value']);
    assert.equal(odd.code, 2);
    assert.match(odd.stderr, /--open-id needs a value, but the next argument starts with '-' like a flag/);
    assert.ok(!odd.stderr.includes('s3cret'), 'an argument that is not flag-shaped is not quoted');
    assert.equal(sandbox.requests.length, before, 'nothing reached the sandbox');
  });

  test('--open-id=--json gives the value explicitly, and - stays a value (stdin)', async () => {
    const explicit = await run(['token', '--dry-run', '--open-id=--json', '--coupon', '16474341:11004999626']);
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.match(explicit.stdout, /"open_id":"--json"/);
    assert.ok(!explicit.stdout.startsWith('{'), 'not JSON output: --json was a value');
    const stdin = await run(['token', '--batch', '-', '--concurrency', '2'], { input: batchLines(2) });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(stdin.stdout.trim().split('\n').length, 2, 'both lines answered');
  });
});

describe('the output format comes from the flags given', () => {
  test('token … -- --json: a usage error in text, one sentence without doubled punctuation', async () => {
    const result = await run(['token', ...COUPON, '--', '--json']);
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr,
      "wxpay-coupon: too many arguments for 'token'. Expected 0 arguments but got 1; run 'wxpay-coupon token --help' for usage\n",
    );
  });

  test('every commander error is one line: its message, then our hint, never ".;" or ".:"', async () => {
    const cases = [
      [['tokn'], 'UNKNOWN_COMMAND', "unknown command 'tokn' (Did you mean token?); run 'wxpay-coupon --help' for usage"],
      [['certs', 'dl'], 'UNKNOWN_COMMAND', "unknown command 'dl'; run 'wxpay-coupon certs --help' for usage"],
      [['token', '--jsn'], 'UNKNOWN_OPTION', "unknown option '--jsn' (Did you mean --json?); run 'wxpay-coupon token --help' for usage"],
      [
        ['token', '--open-id'],
        'OPTION_MISSING_ARGUMENT',
        "option '--open-id <openid>' argument missing; run 'wxpay-coupon token --help' for usage",
      ],
      [
        ['doctor', 'now'],
        'EXCESS_ARGUMENTS',
        "too many arguments for 'doctor'. Expected 0 arguments but got 1; run 'wxpay-coupon doctor --help' for usage",
      ],
      [
        ['sandbox', '--mode', 'x'],
        'INVALID_ARGUMENT',
        "option '--mode <mode>' argument 'x' is invalid. Allowed choices are public-key, certificate; run 'wxpay-coupon sandbox --help' for usage",
      ],
      [
        ['token', '--json', '-q', ...COUPON],
        'CONFLICTING_OPTION',
        "option '--json' cannot be used with option '-q, --quiet'; run 'wxpay-coupon token --help' for usage",
      ],
    ];
    for (const [args, code, message] of cases) {
      if (!args.includes('--json')) {
        const text = await run(args);
        assert.equal(text.code, 2, args.join(' '));
        assert.equal(text.stderr, `wxpay-coupon: ${message}\n`);
      }
      // --json last, except after an option that wants a value (that would be the case above).
      const jsonArgs = args.includes('--json')
        ? args
        : args.at(-1) === '--open-id'
          ? [...args.slice(0, -1), '--json', '--open-id']
          : [...args, '--json'];
      const json = await run(jsonArgs);
      assert.equal(json.code, 2);
      const { error } = JSON.parse(json.stderr);
      assert.equal(error.code, code, args.join(' '));
      assert.equal(error.message, message);
    }
  });
});

describe('numbers are plain decimal: digits, and for --rate an optional fraction', () => {
  // flag, the args it needs to run, a valid value
  const FLAGS = [
    ['--rate', ['token', '--batch', '-'], '0.5'],
    ['--concurrency', ['token', '--batch', '-'], '4'],
    ['--timeout', ['token', '--dry-run', ...COUPON], '5000'],
    ['--retries', ['token', '--dry-run', ...COUPON], '2'],
    ['--timeout', ['doctor'], '5000'],
    ['--retries', ['certs', 'download'], undefined],
    ['--port', ['sandbox'], undefined],
  ];
  const NOT_DECIMAL = ['0x10', '1e3', '1E1', ' 5', '5 ', '+5', '5.', '.5', '0b1', '5_0', 'Infinity', ''];
  for (const [flag, args, valid] of FLAGS) {
    test(`${args.slice(0, 2).join(' ')} ${flag}: ${NOT_DECIMAL.map((v) => JSON.stringify(v)).join(', ')} are usage errors, nothing sent`, async () => {
      const before = sandbox.requests.length;
      const whole = flag !== '--rate';
      for (const value of [...NOT_DECIMAL, ...(whole ? ['5.0', '2.5'] : [])]) {
        const result = await run([...args, `${flag}=${value}`]);
        assert.equal(result.code, 2, `${flag}=${JSON.stringify(value)}: ${result.stderr}`);
        assert.match(result.stderr, new RegExp(`^wxpay-coupon: ${flag} "${value.replace(/[.+]/g, '\\$&')}" must be`), result.stderr);
      }
      assert.equal(sandbox.requests.length, before, 'nothing reached the sandbox');
      if (valid !== undefined) {
        // A batch reads one line from stdin: an empty input is BATCH_EMPTY (exit 2).
        const ok = await run([...args, flag, valid], { input: batchLines(1) });
        assert.equal(ok.code, 0, ok.stderr);
      }
    });
  }

  test('config rate follows the same rule: "0x10" and "1e3" are config errors, "0.5" and 50 are fine', async () => {
    const file = path.join(dir, '.wxpayrc.json');
    const original = readFileSync(file, 'utf8');
    try {
      for (const rate of ['0x10', '1e3', ' 5', '']) {
        writeFileSync(file, JSON.stringify({ ...JSON.parse(original), rate }), { mode: 0o600 });
        const result = await run(['token', '--batch', '-']);
        assert.equal(result.code, 3, `${JSON.stringify(rate)}: ${result.stderr}`);
        assert.match(result.stderr, /rate: must be a decimal number of requests per second above 0 and at most 10000, like 50 or 0\.5/);
      }
      for (const rate of ['0.5', 50]) {
        writeFileSync(file, JSON.stringify({ ...JSON.parse(original), rate }), { mode: 0o600 });
        const result = await run(['token', '--batch', '-'], { input: batchLines(1) });
        assert.equal(result.code, 0, `${JSON.stringify(rate)}: ${result.stderr}`);
      }
    } finally {
      writeFileSync(file, original, { mode: 0o600 });
    }
  });
});

describe('bytes that are not UTF-8 in a flag or a batch line', () => {
  /** Runs the bin through sh, so that printf can put raw bytes in its argv. */
  function shell(commandLine) {
    return new Promise((resolve) => {
      execFile('sh', ['-c', commandLine, 'sh', process.execPath, BIN], { cwd: dir, env: minimalEnv(dir) }, (error, stdout, stderr) =>
        resolve({ code: error ? error.code : 0, stdout, stderr }),
      );
    });
  }
  test('--open-id and --coupon holding invalid UTF-8: exit 2 naming U+FFFD, nothing sent', async () => {
    const before = sandbox.requests.length;
    for (const args of [
      `--open-id "$(printf 'o\\377User')" --coupon 16474341:c1`,
      `--open-id oUser --coupon "16474341:$(printf 'c\\303')"`,
    ]) {
      const result = await shell(`"$1" "$2" token ${args}`);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /holds U\+FFFD.*give it as UTF-8/);
    }
    assert.equal(sandbox.requests.length, before, 'nothing reached the sandbox');
  });
  test('a batch line holding invalid UTF-8: that line fails (usage, PARAM_ERROR), the next is answered', async () => {
    const line = (id) =>
      Buffer.concat([Buffer.from(`{"open_id":"`), id, Buffer.from(`","coupon_list":[{"stock_id":16474341,"coupon_id":"c1"}]}\n`)]);
    const file = path.join(dir, 'not-utf8.jsonl');
    writeFileSync(file, Buffer.concat([line(Buffer.from([0x6f, 0xff, 0x78])), line(Buffer.from('oUser2'))]));
    const result = await run(['token', '--batch', file]);
    const [bad, good] = result.stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    assert.equal(result.code, 6, result.stderr);
    assert.equal(bad.error.code, 'PARAM_ERROR');
    assert.match(bad.error.message, /open_id holds U\+FFFD/);
    assert.ok(good.token);
  });
});
