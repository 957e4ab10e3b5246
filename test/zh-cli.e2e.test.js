// The cli area in Simplified Chinese (issue 13): every help page, every commander and usage error,
// the error labels, the sandbox note, the bin's own lines — through the built binary with a
// Chinese locale, compared with the English run: same exit code, same machine-readable output,
// no English sentence left (englishLeftIn), and the Chinese really there. Also the
// representative-error transcripts test/snapshots/errors.{en,zh-CN}.txt
// (UPDATE_SNAPSHOTS=1 node scripts/test.js zh-cli to regenerate them).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Argument, Command, Option } from 'commander';
import { BIN, ROOT, configuredSandbox, displayColumns, englishLeftIn, minimalEnv, runCli, tempDir } from './helpers.js';
import { FAULT_NAMES, parseFaultSpec } from '../dist/sandbox/index.js';
import { createProgram } from '../dist/cli/program.js';

const ZH = { LANG: 'zh_CN.UTF-8' };
const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
const HAN = /[\u4e00-\u9fff]/;

/** A run for the transcript: stdout to a file such as /dev/full, or Ctrl-C once the sandbox has the request. */
function runTranscriptCase(args, { home, env, stdout, interrupt }) {
  if (!stdout) {
    const onSpawn = interrupt
      ? (child) => {
          const before = interrupt.requests.length;
          const poll = setInterval(() => {
            if (interrupt.requests.length > before) {
              clearInterval(poll);
              child.kill('SIGINT');
            }
          }, 20);
          child.on('close', () => clearInterval(poll));
        }
      : undefined;
    return runCli(args, { home, cwd: home, env, onSpawn });
  }
  const fd = openSync(stdout, 'w');
  const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: '', stderr })));
}

async function both(args, options = {}) {
  const home = options.home ?? tempDir();
  const run = (env) => runCli(args, { home, cwd: options.cwd, env: minimalEnv(home, { ...options.env, ...env }) });
  return { en: await run({}), zh: await run(ZH) };
}

const HELP_PAGES = [
  ['--help'],
  ['token', '--help'],
  ['sandbox', '--help'],
  ['certs', '--help'],
  ['certs', 'download', '--help'],
  ['certs', 'list', '--help'],
  ['doctor', '--help'],
  ['api', '--help'],
  ['notify', '--help'],
  ['notify', 'verify', '--help'],
  ['notify', 'send', '--help'],
  ['help', 'token'],
  [],
];

test('HELP_PAGES holds the help of every command and command group the program defines (a new command is checked in Chinese too)', () => {
  const handlers = new Proxy({}, { get: () => async () => 0 });
  const program = createProgram({ stdout: { write() {} }, stderr: { write() {} }, env: {}, cwd: ROOT }, handlers, {});
  const paths = (command, prefix) =>
    command.commands.flatMap((sub) => [[...prefix, sub.name()].join(' '), ...paths(sub, [...prefix, sub.name()])]);
  const pages = HELP_PAGES.map((args) => args.filter((arg) => arg !== '--help').join(' '));
  assert.deepEqual(
    paths(program, []).filter((command) => !pages.includes(command)),
    [],
  );
});

describe('help in Chinese', () => {
  for (const args of HELP_PAGES) {
    test(`wxpay-coupon ${args.join(' ') || '(no command)'}: every line of this area in Chinese, same exit code as English`, async () => {
      const { en, zh } = await both(args);
      assert.equal(zh.code, en.code);
      const text = args.length === 0 ? zh.stderr || zh.stdout : zh.stdout;
      assert.match(text, /^用法：wxpay-coupon/);
      assert.match(text, HAN);
      assert.deepEqual(englishLeftIn(text, { allow: [...FAULT_NAMES] }), []);
      // The usage syntax and the example command lines stay as they are.
      const english = args.length === 0 ? en.stderr || en.stdout : en.stdout;
      const usage = (page) => page.split('\n')[0].replace(/^(?:Usage: |用法：)/, '');
      assert.equal(usage(text), usage(english));
      const examples = (page) =>
        page
          .split('\n')
          .filter((line) => line.startsWith('  $ '))
          .map((line) => line.replace(/ {2,}# .*$/, ''));
      assert.deepEqual(examples(text), examples(english));
    });
  }

  test('--lang zh-CN and WXPAY_LANG=zh-CN choose Chinese too; LANG=C and --lang en give today’s English', async () => {
    const home = tempDir();
    const english = await runCli(['--help'], { home, env: minimalEnv(home) });
    const byFlag = await runCli(['--lang', 'zh-CN', '--help'], { home, env: minimalEnv(home) });
    const byEnv = await runCli(['--help'], { home, env: minimalEnv(home, { WXPAY_LANG: 'zh-CN' }) });
    assert.equal(byFlag.stdout, byEnv.stdout);
    assert.match(byFlag.stdout, /^用法：/);
    assert.equal(english.stdout, readFileSync(path.join(ROOT, 'test', 'snapshots', 'help.txt'), 'utf8'));
    for (const env of [{ LANG: 'C' }, { LANG: 'en_US.UTF-8' }, { LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }]) {
      assert.equal((await runCli(['--help'], { home, env: minimalEnv(home, env) })).stdout, english.stdout, JSON.stringify(env));
    }
    assert.equal((await runCli(['--lang', 'en', '--help'], { home, env: minimalEnv(home, ZH) })).stdout, english.stdout);
    // What people write for these two languages: `zh` (as LANG=zh chooses Chinese), a locale's spelling, a region.
    for (const value of ['zh', 'ZH', 'zh_CN', 'zh-Hans', 'zh_CN.UTF-8']) {
      assert.equal((await runCli(['--lang', value, '--help'], { home, env: minimalEnv(home) })).stdout, byFlag.stdout, value);
      assert.equal((await runCli(['--help'], { home, env: minimalEnv(home, { WXPAY_LANG: value }) })).stdout, byFlag.stdout, value);
    }
    for (const value of ['EN', 'en-US', 'en_GB.UTF-8']) {
      assert.equal((await runCli(['--lang', value, '--help'], { home, env: minimalEnv(home, ZH) })).stdout, english.stdout, value);
    }
  });

  test('commander’s own additions are ours: default and choices in Chinese, wrapped by display width', async () => {
    const { zh } = await both(['sandbox', '--help']);
    assert.match(zh.stdout, /（默认值："127\.0\.0\.1"）/);
    assert.match(zh.stdout, /（可选值："public-key"、\s*"certificate"；默认值："public-key"）/);
    for (const line of zh.stdout.split('\n')) {
      const width = displayColumns(line);
      if (!line.startsWith('  $ ')) assert.ok(width <= 80, `wider than 80 columns: ${line}`);
    }
  });
});

/** Usage errors a person can make, in text; the same with --json must keep code, kind and exit_code. */
const USAGE_ERRORS = [
  [['token', '--jsn', ...COUPON], 'UNKNOWN_OPTION', /未知选项 '--jsn'（是否想输入 --json？）/],
  [['token', '--bogus', ...COUPON], 'UNKNOWN_OPTION', /未知选项 '--bogus'；/],
  [['tokn'], 'UNKNOWN_COMMAND', /未知命令 'tokn'（是否想输入 token？）/],
  [['certs', 'dl'], 'UNKNOWN_COMMAND', /未知命令 'dl'；运行 'wxpay-coupon certs --help' 查看用法/],
  [['api', 'GET'], 'MISSING_ARGUMENT', /缺少必需的参数 'path'/],
  [['token', '--open-id'], 'OPTION_MISSING_ARGUMENT', /选项 '--open-id <openid>' 缺少值/],
  [['token', ...COUPON, '--json', '-q'], 'CONFLICTING_OPTION', /选项 '--json' 不能与选项 '-q, --quiet' 同时使用/],
  [['sandbox', '--mode', 'x'], 'INVALID_ARGUMENT', /选项 '--mode <mode>' 的值 'x' 无效。可选值为 public-key、certificate/],
  [['doctor', 'extra'], 'EXCESS_ARGUMENTS', /'doctor' 命令的参数过多：应有 0 个参数，实际给了 1 个/],
  [['token', '--open-id', '--json'], 'OPTION_MISSING_ARGUMENT', /--open-id 需要一个值，但下一个参数 --json 是一个选项（变量为空？）/],
  [['token', '--open-id', '-$ecret'], 'OPTION_MISSING_ARGUMENT', /--open-id 需要一个值，但下一个参数以 '-' 开头，像是一个选项/],
  [['--lang', 'fr', 'doctor'], 'INVALID_LANG', /--lang 'fr' 不是本工具支持的语言/],
];

describe('usage errors in Chinese', () => {
  for (const [args, code, chinese] of USAGE_ERRORS) {
    test(`${args.join(' ')}: ${code} in Chinese, the same exit code and JSON fields as English`, async () => {
      if (!args.includes('--json')) {
        const { en, zh } = await both(args);
        assert.equal(en.code, 2, en.stderr);
        assert.equal(zh.code, 2);
        assert.equal(zh.stdout, '');
        assert.match(zh.stderr, /^wxpay-coupon: .*\n$/);
        assert.match(zh.stderr, chinese);
        if (code !== 'INVALID_LANG') assert.match(zh.stderr, /；运行 'wxpay-coupon[a-z ]*--help' 查看用法\n$/);
        assert.deepEqual(englishLeftIn(zh.stderr), []);
        assert.doesNotMatch(zh.stderr, /\$ecret/, 'a value not shaped like a flag is not quoted');
      }
      // --json right after the command name (before a flag that lacks its value, which ends the scan).
      const commandLength = args.findIndex((arg) => arg.startsWith('-'));
      const jsonArgs = args.includes('--json')
        ? args
        : [
            ...args.slice(0, commandLength === -1 ? args.length : commandLength),
            '--json',
            ...args.slice(commandLength === -1 ? args.length : commandLength),
          ];
      const json = await both(args[0] === '--lang' ? [...args, '--json'] : jsonArgs);
      const enError = JSON.parse(json.en.stderr).error;
      const zhError = JSON.parse(json.zh.stderr).error;
      assert.equal(json.zh.code, json.en.code);
      assert.equal(zhError.code, code);
      assert.deepEqual({ ...zhError, message: undefined }, { ...enError, message: undefined });
      assert.match(zhError.message, chinese);
      assert.deepEqual(englishLeftIn(zhError.message), []);
    });
  }

  test('WXPAY_LANG=zh-CN and --lang zh-CN: commander’s messages follow them', async () => {
    const home = tempDir();
    const byEnv = await runCli(['tokn'], { home, env: minimalEnv(home, { WXPAY_LANG: 'zh-CN' }) });
    const byFlag = await runCli(['--lang', 'zh-CN', 'tokn'], { home, env: minimalEnv(home) });
    assert.equal(byEnv.stderr, byFlag.stderr);
    assert.match(byEnv.stderr, /未知命令 'tokn'/);
  });

  test('every commander error code, from real commander errors: Chinese, and English exactly as commander words it', async () => {
    const { commanderUsageError } = await import('../dist/cli/main.js');
    const { useLanguage } = await import('../dist/i18n/index.js');
    const errorOf = (build, argv) => {
      const program = build(new Command('wxpay-coupon').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }));
      try {
        program.parse(argv, { from: 'user' });
      } catch (error) {
        return error;
      }
      throw new Error(`no error for ${argv.join(' ')}`);
    };
    const cases = [
      [
        (p) => p.requiredOption('--stock <id>', 'x'),
        [],
        "required option '--stock <id>' not specified",
        /没有给出必需的选项 '--stock <id>'/,
      ],
      [
        (p) => p.addOption(new Option('--mode <m>').choices(['alpha', 'beta']).env('WXPAY_TEST_MODE')),
        [],
        "option '--mode <m>' value 'c' from env 'WXPAY_TEST_MODE' is invalid. Allowed choices are alpha, beta",
        /选项 '--mode <m>' 来自环境变量 'WXPAY_TEST_MODE' 的值 'c' 无效。可选值为 alpha、beta/,
      ],
      [
        (p) => p.addArgument(new Argument('<kind>').choices(['alpha', 'beta'])),
        ['c'],
        "command-argument value 'c' is invalid for argument 'kind'. Allowed choices are alpha, beta",
        /参数 'kind' 的值 'c' 无效。可选值为 alpha、beta/,
      ],
      [
        (p) => p.addOption(new Option('--json')).addOption(new Option('-q, --quiet').conflicts('json').env('WXPAY_TEST_QUIET')),
        ['--json'],
        "environment variable 'WXPAY_TEST_QUIET' cannot be used with option '--json'",
        /环境变量 'WXPAY_TEST_QUIET' 不能与选项 '--json' 同时使用/,
      ],
      [
        (p) => p.option('--json').option('--jsonl').option('--jsom'),
        ['--jsoq'],
        "unknown option '--jsoq' (Did you mean one of --jsom, --json?)",
        /（是否想输入以下之一：--jsom、--json？）/,
      ],
      [
        (p) => p.argument('[a]'),
        ['x', 'y'],
        'too many arguments. Expected 1 argument but got 2',
        /^参数过多：应有 1 个参数，实际给了 2 个/,
      ],
    ];
    process.env.WXPAY_TEST_MODE = 'c';
    process.env.WXPAY_TEST_QUIET = '1';
    try {
      for (const [build, argv, english, chinese] of cases) {
        const error = errorOf(build, argv);
        await useLanguage('en');
        const en = commanderUsageError(error, 'wxpay-coupon');
        assert.equal(en.message, `${english}; run 'wxpay-coupon --help' for usage`);
        await useLanguage('zh-CN');
        const zh = commanderUsageError(error, 'wxpay-coupon');
        assert.match(zh.message, chinese);
        assert.equal(zh.code, en.code);
        assert.deepEqual(englishLeftIn(zh.message), [], zh.message);
      }
    } finally {
      delete process.env.WXPAY_TEST_MODE;
      delete process.env.WXPAY_TEST_QUIET;
      await useLanguage('en');
    }
  });
});

describe('errors, warnings and notes of this area in Chinese', () => {
  let sandbox;
  let dir;
  before(async () => {
    ({ sandbox, dir } = await configuredSandbox());
  });
  after(() => sandbox.close());

  test('config: the head line "the configuration has N problems:" in Chinese; exit 3 and --json fields as English', async () => {
    const home = tempDir();
    writeFileSync(path.join(home, '.wxpayrc.json'), '{"mchid":"not-a-number"}');
    const { en, zh } = await both(['token', ...COUPON], { home, cwd: home });
    assert.equal(en.code, 3);
    assert.equal(zh.code, 3);
    assert.match(en.stderr, /^wxpay-coupon: the configuration has (a problem|\d+ problems):\n/);
    assert.match(zh.stderr, /^wxpay-coupon: 配置有(一个| \d+ 个)问题：\n/);
    assert.deepEqual(englishLeftIn(zh.stderr.split('\n')[0]), []);
  });

  test('api: the Request-ID and detail labels in Chinese; WeChat Pay’s own code and message pass through', async () => {
    sandbox.setFaults([parseFaultSpec('500')]);
    const { en, zh } = await both(['token', '--retries', '0', ...COUPON], { cwd: dir, home: dir });
    assert.equal(en.code, 1);
    assert.equal(zh.code, 1);
    assert.match(en.stderr, /\n {2}Request-ID: \S+ {2}\(quote it to WeChat Pay support\)\n/);
    const label = /\n {2}(Request-ID: \S+（请提供给微信支付技术支持）)\n/.exec(zh.stderr);
    assert.ok(label, zh.stderr);
    assert.deepEqual(englishLeftIn(label[1]), []);
    assert.match(zh.stderr, /SYSTEM_ERROR[:：] ?系统错误/);
    sandbox.setFaults([]);
  });

  test('output: "cannot write to stdout: no space left on device" in Chinese, exit 74 as English', async () => {
    const results = {};
    for (const [name, env] of [
      ['en', {}],
      ['zh', ZH],
    ]) {
      const home = tempDir();
      const full = openSync('/dev/full', 'w');
      const child = spawn(process.execPath, [BIN, 'token', '--sandbox', ...COUPON], {
        cwd: home,
        env: minimalEnv(home, env),
        stdio: ['ignore', full, 'pipe'],
      });
      closeSync(full);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on('close', resolve));
      results[name] = { code, stderr };
    }
    assert.equal(results.en.code, 74);
    assert.equal(results.zh.code, 74);
    assert.match(results.en.stderr, /wxpay-coupon: cannot write to stdout: no space left on device \(ENOSPC\)/);
    const line = /wxpay-coupon: (无法写入 stdout：磁盘空间不足（ENOSPC）)/.exec(results.zh.stderr);
    assert.ok(line, results.zh.stderr);
    assert.deepEqual(englishLeftIn(line[1]), []);
  });

  test('the sandbox note: "note: this token came from the local sandbox" in Chinese, and its --json warning', async () => {
    const { en, zh } = await both(['token', '--sandbox', ...COUPON]);
    assert.equal(zh.code, en.code);
    assert.equal(en.code, 0);
    assert.match(en.stderr, /^note: this token came from the local sandbox/m);
    const note = /^注意：.*$/m.exec(zh.stderr);
    assert.ok(note, zh.stderr);
    assert.match(note[0], /来自本地沙箱/);
    assert.deepEqual(englishLeftIn(note[0]), []);
    const json = await both(['token', '--sandbox', '--json', ...COUPON]);
    const warning = (stderr) =>
      stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .find((line) => line.warning?.code === 'SANDBOX_TOKEN').warning;
    assert.equal(warning(json.zh.stderr).code, warning(json.en.stderr).code);
    assert.match(warning(json.zh.stderr).message, /^此 token 来自本地沙箱/);
    assert.deepEqual(Object.keys(JSON.parse(json.zh.stdout)), Object.keys(JSON.parse(json.en.stdout)));
  });

  test('unit: the internal error, the warning label, the interrupted default, the bin’s own lines, the configuration head and write reasons', async () => {
    const { useLanguage } = await import('../dist/i18n/index.js');
    const { warningLine, asWxpayError } = await import('../dist/cli/output.js');
    const { ConfigError, InterruptedError, OutputError } = await import('../dist/errors.js');
    const { binMessages } = await import('../dist/cli/main.js');
    const plain = new Proxy(() => {}, { get: (_t, p) => (p === 'level' ? 0 : plain), apply: (_t, _s, text) => text.join(' ') });
    const collect = () => [
      asWxpayError(new Error('boom')).message.replace('boom', ''),
      warningLine(plain, '…'),
      new InterruptedError().message,
      binMessages.interruptedAgain(),
      binMessages.internal(''),
      binMessages.stoppedEarly(),
      new ConfigError([{ source: 'a', message: 'b' }]).message.split('\n')[0],
      new ConfigError([
        { source: 'a', message: 'b' },
        { source: 'c', message: 'd' },
      ]).message.split('\n')[0],
      ...['ENOSPC', 'EIO', 'EBADF', 'EFBIG', 'EDQUOT', 'EACCES', 'EROFS'].map(
        (errno) => OutputError.from('stdout', Object.assign(new Error(`${errno}: whatever, write`), { code: errno })).message,
      ),
      OutputError.from('stdout', Object.assign(new Error('write EIO'), { code: undefined })).message,
    ];
    const english = collect();
    assert.equal(english[1], 'warning: …');
    assert.equal(english[2], 'interrupted (Ctrl-C or SIGTERM) before WeChat Pay answered; no token was printed');
    assert.equal(english[6], 'the configuration has a problem:');
    assert.equal(english[7], 'the configuration has 2 problems:');
    assert.equal(english.at(-1), 'cannot write to stdout: the write failed');
    await useLanguage('zh-CN');
    try {
      const chinese = collect();
      assert.equal(chinese[1], '警告：…');
      for (const text of chinese) {
        assert.match(text, HAN, text);
        assert.deepEqual(englishLeftIn(text), [], text);
      }
    } finally {
      await useLanguage('en');
    }
  });

  test('the errors transcript: one error of each kind, in English and Chinese (test/snapshots/errors.*.txt)', async () => {
    const closedPort = await new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
    const batchFile = path.join(dir, 'users.jsonl');
    writeFileSync(
      batchFile,
      '{"open_id":"oUser1","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}\n{"open_id":"oUser2","coupon_list":[]}\n',
    );
    const configProblems = tempDir();
    writeFileSync(path.join(configProblems, '.wxpayrc.json'), '{"mchid":"not-a-number"}');
    const cases = [
      ['usage', ['token', '--jsn', ...COUPON], {}],
      ['usage', ['sandbox', '--mode', 'x'], {}],
      ['config', ['token', ...COUPON], { home: configProblems }],
      ['api', ['token', '--retries', '0', ...COUPON], { fault: '500' }],
      ['network', ['token', '--retries', '0', '--base-url', `http://127.0.0.1:${closedPort}`, ...COUPON], {}],
      ['verification', ['token', ...COUPON], { fault: 'bad-signature' }],
      ['batch', ['token', '--batch', 'users.jsonl'], {}],
      ['interrupted', ['token', '--timeout', '30000', ...COUPON], { fault: 'hang', interrupt: true }],
      ['output', ['token', '--sandbox', ...COUPON], { stdout: '/dev/full', home: tempDir() }],
    ];
    for (const language of ['en', 'zh-CN']) {
      const env = language === 'en' ? {} : ZH;
      const sections = [];
      for (const [kind, args, options] of cases) {
        sandbox.setFaults(options.fault ? [parseFaultSpec(options.fault)] : []);
        const home = options.home ?? dir;
        const result = await runTranscriptCase(args, {
          home,
          env: minimalEnv(home, env),
          stdout: options.stdout,
          interrupt: options.interrupt ? sandbox : undefined,
        });
        sections.push(`## ${kind}\n$ wxpay-coupon ${args.join(' ')}\nexit ${result.code}\n${result.stderr}`);
      }
      sandbox.setFaults([]);
      const text = sections
        .join('\n')
        .replaceAll(dir, '<DIR>')
        .replace(/\/tmp\/wxpay-test-\w+/g, '<HOME>')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<PORT>')
        .replace(/\b\d+(?:\.\d+)? ?(ms|s)\b/g, '<N> $1')
        .replace(/(Request-ID: )[\x21-\x7e]+/g, '$1<REQUEST-ID>')
        .replace(/PUB_KEY_ID_\d+/g, 'PUB_KEY_ID_<N>')
        .replace(/\b\d+(?:\.\d+)?\/s\b/g, '<N>/s')
        .replace(/\d+(?:\.\d+)? ?(秒|行\/秒)/g, '<N> $1')
        .replace(/\b\d+ (KiB|MiB)\b/g, '<N> $1')
        .replace(/"request_id":"[^"]*"/g, '"request_id":"<REQUEST-ID>"');
      const file = path.join(ROOT, 'test', 'snapshots', `errors.${language}.txt`);
      if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'));
      if (language === 'zh-CN') assert.deepEqual(englishLeftIn(text, { allow: ['exit'] }), [], 'no English left in the Chinese transcript');
    }
  });
});
