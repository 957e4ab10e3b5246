// main(argv, io) in-process: the error boundary, help transcripts, and colour decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { main } from '../dist/cli/main.js';
import { createProgram } from '../dist/cli/program.js';
import { ROOT, leakedSecret, registerSecrets, tempDir } from './helpers.js';

function fakeIo(overrides = {}) {
  const out = [];
  const err = [];
  const io = {
    stdout: { write: (text) => out.push(text) },
    stderr: { write: (text) => err.push(text) },
    env: { NO_COLOR: '1' },
    cwd: tempDir(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: Date.now,
    ...overrides,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

test('70: an unexpected failure is one line asking for a report; the stack only with --verbose', async () => {
  const broken = () => {
    throw new TypeError('clock exploded');
  };
  const quiet = fakeIo({ now: broken });
  assert.equal(await main(['token', '--sandbox', '--open-id', 'o', '--coupon', '1:a'], quiet.io), 70);
  assert.equal(quiet.stdout(), '');
  assert.equal(
    quiet.stderr(),
    'wxpay-coupon: internal error: clock exploded. This is a bug in wxpay-coupon; please report it with the command you ran (rerun with --verbose to include the stack trace).\n',
  );
  const verbose = fakeIo({ now: broken });
  assert.equal(await main(['token', '--sandbox', '--verbose', '--open-id', 'o', '--coupon', '1:a'], verbose.io), 70);
  assert.match(verbose.stderr(), /TypeError: clock exploded\n\s+at /);
  const json = fakeIo({ now: broken });
  assert.equal(await main(['token', '--sandbox', '--json', '--open-id', 'o', '--coupon', '1:a'], json.io), 70);
  assert.deepEqual(JSON.parse(json.stderr()).error.kind, 'internal');
});

test('130: an already-aborted signal stops before sending', async () => {
  const controller = new AbortController();
  controller.abort();
  const { io, stdout, stderr } = fakeIo({ signal: controller.signal });
  assert.equal(await main(['token', '--sandbox', '--open-id', 'o', '--coupon', '1:a'], io), 130);
  assert.equal(stdout(), '');
  assert.match(stderr(), /interrupted/);
});

test('--version prints the package version', async () => {
  const { io, stdout } = fakeIo();
  assert.equal(await main(['--version'], io), 0);
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(stdout(), `${version}\n`);
});

// Whole help transcripts are pinned: wording matters. Set UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change.
const HELP_TRANSCRIPTS = [
  ['help', ['--help']],
  ['token-help', ['token', '--help']],
  ['sandbox-help', ['sandbox', '--help']],
  ['certs-download-help', ['certs', 'download', '--help']],
  ['certs-list-help', ['certs', 'list', '--help']],
  ['doctor-help', ['doctor', '--help']],
  ['api-help', ['api', '--help']],
  ['notify-verify-help', ['notify', 'verify', '--help']],
  ['notify-send-help', ['notify', 'send', '--help']],
];

/** Every command path the program defines that runs something ('token', 'certs download' …), from commander's own tree. */
export function commandPaths(program, prefix = []) {
  return program.commands.flatMap((command) => {
    const own = [...prefix, command.name()];
    return command.commands.length > 0 ? commandPaths(command, own) : [own.join(' ')];
  });
}

test("a program built for one run defines only the commands its argv names; its root help is the full program's, word for word, in both languages", async () => {
  const { useLanguage } = await import('../dist/i18n/index.js');
  const handlers = new Proxy({}, { get: () => async () => 0 });
  const defined = (command) => command.options.length > 0 || command.commands.length > 0 || command.registeredArguments.length > 0;
  const rootHelp = (argv, columns) => {
    const { io, stdout } = fakeIo({ columns });
    const program = createProgram(io, handlers, {}, argv);
    program.outputHelp();
    return { text: stdout(), program };
  };
  try {
    for (const language of ['en', 'zh-CN']) {
      await useLanguage(language);
      for (const columns of [80, 40, 200]) {
        const full = rootHelp(undefined, columns);
        assert.ok(full.program.commands.every(defined), 'without argv, every command is defined');
        for (const argv of [[], ['--help'], ['tokn'], ['help'], ['--config', 'x.json', '--help']]) {
          const lazy = rootHelp(argv, columns);
          assert.equal(lazy.text, full.text, `${language}, ${columns} columns, argv ${JSON.stringify(argv)}`);
          assert.deepEqual(lazy.program.commands.filter(defined), [], 'no command is named, none is defined');
        }
        for (const name of full.program.commands.map((command) => command.name())) {
          for (const argv of [
            [name, '--help'],
            ['help', name],
            ['--lang', language, name],
          ]) {
            const lazy = rootHelp(argv, columns);
            assert.equal(lazy.text, full.text, `${language}, ${columns} columns, argv ${JSON.stringify(argv)}`);
            assert.deepEqual(
              lazy.program.commands.filter(defined).map((command) => command.name()),
              [name],
            );
          }
        }
      }
    }
  } finally {
    await useLanguage('en');
  }
});

test('every command the program defines has a pinned help transcript, in English and Chinese (a new command is added to the list above)', () => {
  const handlers = new Proxy({}, { get: () => async () => 0 });
  const program = createProgram(fakeIo().io, handlers, {});
  const pinned = HELP_TRANSCRIPTS.map(([, argv]) => argv.filter((arg) => arg !== '--help').join(' ')).filter(Boolean);
  assert.deepEqual(
    commandPaths(program).filter((command) => !pinned.includes(command)),
    [],
  );
  assert.deepEqual(
    commandPaths({
      commands: [
        { name: () => 'x', commands: [] },
        { name: () => 'g', commands: [{ name: () => 'y', commands: [] }] },
      ],
    }),
    ['x', 'g y'],
  );
});

for (const [name, argv] of HELP_TRANSCRIPTS) {
  test(`${argv.join(' ')} matches its pinned transcript`, async () => {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 0);
    assert.equal(stderr(), '');
    const file = path.join(ROOT, 'test', 'snapshots', `${name}.txt`);
    if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) writeFileSync(file, stdout());
    assert.equal(stdout(), readFileSync(file, 'utf8'));
  });
  test(`${argv.join(' ')} in Chinese (LANG=zh_CN.UTF-8) matches its pinned transcript`, async () => {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
    assert.equal(await main(argv, io), 0);
    assert.equal(stderr(), '');
    const file = path.join(ROOT, 'test', 'snapshots', `${name}.zh-CN.txt`);
    if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) writeFileSync(file, stdout());
    assert.equal(stdout(), readFileSync(file, 'utf8'));
  });
}

test('every exit-code table names each code with the kind a --json error carries for it (notify send said "handler" for api)', async () => {
  const { EXIT_CODES, BATCH_PARTIAL_EXIT_CODE } = await import('../dist/errors.js');
  const codeOf = { ...EXIT_CODES, batch: BATCH_PARTIAL_EXIT_CODE };
  let rows = 0;
  for (const [name, argv] of HELP_TRANSCRIPTS) {
    for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' }]) {
      const { io, stdout } = fakeIo({ env });
      assert.equal(await main(argv, io), 0);
      for (const [, code, kind] of stdout().matchAll(/^ {2}(\d+) {2,}([a-z]+) {2,}\S/gm)) {
        assert.equal(codeOf[kind], Number(code), `${name} (${env.LANG ?? 'en'}): exit ${code} is listed as "${kind}"`);
        rows += 1;
      }
    }
  }
  assert.ok(rows > 40, `${rows} rows found`);
});

test('whichever way help is asked for, it is the same: a run defines only its own command\u2019s options', async () => {
  const helpOf = async (argv) => {
    const { io, stdout } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 0, argv.join(' '));
    return stdout();
  };
  // `--help token` is token's help, as `git --help commit` is commit's (helper-35: it was the root help).
  assert.equal(await helpOf(['--help', 'token']), await helpOf(['token', '--help']));
  assert.equal(await helpOf(['--config', 'x.json', '--help']), await helpOf(['--help']));
  for (const name of ['token', 'sandbox', 'doctor', 'certs', 'api']) {
    const own = await helpOf([name, '--help']);
    assert.equal(await helpOf(['help', name]), own, `help ${name}`);
    assert.equal(await helpOf(['--profile', 'p', name, '-h']), own, `${name} -h`);
  }
  assert.match(await helpOf(['certs', 'download', '--help']), /^Usage: wxpay-coupon certs download \[options\]/);
  // help <command> <subcommand> is the subcommand's help, wherever the word help stands.
  for (const argv of [
    ['help', 'certs', 'download'],
    ['certs', 'help', 'download'],
  ]) {
    assert.equal(await helpOf(argv), await helpOf(['certs', 'download', '--help']), argv.join(' '));
  }
  assert.equal(await helpOf(['help']), await helpOf(['--help']));
  // help of a word that names no command is a usage error with a suggestion, as the word alone is.
  for (const [argv, word, path, suggestion] of [
    [['help', 'tokn'], 'tokn', 'wxpay-coupon', 'token'],
    [['help', 'certs', 'downlod'], 'downlod', 'wxpay-coupon certs', 'download'],
    [['certs', 'help', 'lst'], 'lst', 'wxpay-coupon certs', 'list'],
  ]) {
    const failed = fakeIo();
    assert.equal(await main(argv, failed.io), 2, argv.join(' '));
    assert.equal(failed.stdout(), '', argv.join(' '));
    assert.equal(
      failed.stderr(),
      `wxpay-coupon: unknown command '${word}' (Did you mean ${suggestion}?); run '${path} --help' for usage\n`,
      argv.join(' '),
    );
    const json = fakeIo();
    assert.equal(await main([...argv, '--json'], json.io), 2);
    assert.equal(JSON.parse(json.stderr()).error.code, 'UNKNOWN_COMMAND', `${argv.join(' ')} --json`);
  }
  // The other commands are still there by name, for "did you mean".
  const { io, stderr } = fakeIo();
  assert.equal(await main(['doctr', '--online'], io), 2);
  assert.match(stderr(), /unknown command 'doctr'.*\(Did you mean doctor\?\)/s);
});

test('help with a flag the command lacks, a word after a command that takes none, or an option without its value is a usage error (exit 2) that runs nothing', async () => {
  for (const [argv, code, shown] of [
    [['help', '--bogus'], 'UNKNOWN_OPTION', "unknown option '--bogus'; run 'wxpay-coupon --help'"],
    [['help', '-x'], 'UNKNOWN_OPTION', "unknown option '-x'"],
    [['help', 'token', '--bogus'], 'UNKNOWN_OPTION', "run 'wxpay-coupon token --help'"],
    // Worded as help's, not as token's excess arguments (helper-35).
    [
      ['help', 'token', 'extra'],
      'EXCESS_ARGUMENTS',
      "help takes a command and nothing after it; for this command's help run 'wxpay-coupon token --help'",
    ],
    [['help', 'certs', 'list', 'extra'], 'EXCESS_ARGUMENTS', "run 'wxpay-coupon certs list --help' (or 'wxpay-coupon help certs list')"],
    // Before, `token --open-id --help` ran token with the open_id "--help".
    [['help', 'token', '--open-id'], 'OPTION_MISSING_ARGUMENT', "'--open-id <openid>' argument missing"],
  ]) {
    for (const json of [false, true]) {
      const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
      // --json goes last, but before a trailing option that lacks its value (it would be that value).
      const withJson = argv.at(-1) === '--open-id' ? [...argv.slice(0, -1), '--json', '--open-id'] : [...argv, '--json'];
      assert.equal(await main(json ? withJson : argv, io), 2, argv.join(' '));
      assert.equal(stdout(), '', argv.join(' '));
      if (json) assert.equal(JSON.parse(stderr()).error.code, code, argv.join(' '));
      else assert.ok(stderr().includes(shown), `${argv.join(' ')}: ${stderr()}`);
    }
  }
  const helpOf = async (argv) => {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 0, `${argv.join(' ')}: ${stderr()}`);
    return stdout();
  };
  const tokenHelp = await helpOf(['token', '--help']);
  // An option's value is not a command word; a command's own flags and -h are still help.
  for (const argv of [
    ['help', '--config', 'x.json', 'token'],
    ['help', 'token', '--open-id', 'oUser'],
    ['help', 'token', '--json', '-q', '-h'],
    ['help', 'token', '--config=x.json'],
  ]) {
    assert.equal(await helpOf(argv), tokenHelp, argv.join(' '));
  }
  // api's words after it are its <method> <path>: still its help.
  assert.equal(await helpOf(['help', 'api', 'GET', '/v3/certificates']), await helpOf(['api', '--help']));
});

test('help never runs a command: help -- <command> is its help, and a guarded handler refuses should an argv ever parse', async () => {
  for (const [argv, usage] of [
    [['help', '--', 'doctor'], 'wxpay-coupon doctor'],
    [['help', '--', 'certs', 'download'], 'wxpay-coupon certs download'],
    [['help', '--', 'sandbox'], 'wxpay-coupon sandbox'],
    [['help', '--', 'token', '--sandbox', '--open-id', 'o', '--coupon', '1:2'], 'wxpay-coupon token'],
  ]) {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 0, `${argv.join(' ')}: ${stderr()}`);
    assert.ok(stdout().startsWith(`Usage: ${usage} `), `${argv.join(' ')}: ${stdout().slice(0, 80)}`);
  }
  const { helpRunsNothing } = await import('../dist/cli/main.js');
  let ran = 0;
  const handler = async () => {
    ran += 1;
    return 0;
  };
  const handlers = {
    token: handler,
    sandbox: handler,
    certsDownload: handler,
    certsList: handler,
    doctor: handler,
    api: handler,
    notifyVerify: handler,
    notifySend: handler,
  };
  let helpOnly = true;
  const guarded = helpRunsNothing(handlers, () => helpOnly);
  for (const name of Object.keys(handlers)) {
    assert.throws(
      () => guarded[name]({}),
      (error) => error.code === 'HELP_RUNS_NOTHING' && error.exitCode === 2 && /help shows help and runs nothing/.test(error.message),
      name,
    );
  }
  assert.equal(ran, 0);
  helpOnly = false;
  assert.equal(await guarded.doctor({}), 0);
  assert.equal(ran, 1);
});

test('a command\u2019s flag given before the command is a usage error that says to put it after, in both languages', async () => {
  for (const [argv, flag, path] of [
    [['--json', 'token', '--sandbox', '--open-id', 'o', '--coupon', '1:2'], '--json', 'wxpay-coupon token'],
    [['-q', 'token'], '-q', 'wxpay-coupon token'],
    [['--concurrency=4', 'token', '--batch', '-'], '--concurrency', 'wxpay-coupon token'],
    [['--out', 'x', 'certs', 'download'], '--out', 'wxpay-coupon certs download'],
  ]) {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.equal(stdout(), '');
    const text = argv.includes('--json')
      ? JSON.parse(stderr()).error.message
      : stderr()
          .replace(/^wxpay-coupon: /, '')
          .trim();
    assert.equal(text, `${flag} is an option of '${path}', so it goes after the command: ${path} ${flag} …`, argv.join(' '));
    const zh = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
    assert.equal(await main(argv, zh.io), 2);
    assert.match(zh.stderr(), new RegExp(`${flag} 是 '${path}' 的选项，要写在命令之后`));
  }
  // A flag no command defines is still commander's unknown option; so is the first of two.
  for (const argv of [
    ['--bogus', 'token'],
    ['--bogus', '--json', 'token'],
  ]) {
    const { io, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2);
    assert.match(stderr(), /unknown option '--bogus'/);
  }
});

test('help <command> exits 0 even when the embedding process has set process.exitCode (commander reads it)', async () => {
  const before = process.exitCode;
  process.exitCode = 1;
  try {
    const { io, stdout } = fakeIo();
    assert.equal(await main(['help', 'token'], io), 0);
    assert.match(stdout(), /^Usage: wxpay-coupon token /);
    const bare = fakeIo();
    assert.equal(await main([], bare.io), 2, 'a bare wxpay-coupon is still a usage error');
  } finally {
    process.exitCode = before;
  }
});

test('every command\u2019s help shows its flags, an example and the exit codes', async () => {
  const { io, stdout } = fakeIo();
  await main(['token', '--help'], io);
  for (const flag of ['--open-id', '--coupon', '--json', '--quiet', '--dry-run', '--verbose', '--sandbox', '--timeout', '--base-url']) {
    assert.ok(stdout().includes(flag), flag);
  }
  assert.match(stdout(), /Examples:\n {2}\$ wxpay-coupon token/);
  assert.match(stdout(), /Exit codes:\n {2}0 .*\n {2}1 +api/);
});

test('each command\u2019s help has its own exit-code table: only token (and the overview) speak of a token printed', async () => {
  const tables = {};
  for (const argv of [['token'], ['sandbox'], ['certs', 'download'], ['certs', 'list'], ['doctor']]) {
    const { io, stdout } = fakeIo();
    assert.equal(await main([...argv, '--help'], io), 0);
    const table = /\nExit codes:\n((?: {2}\d+ .*\n)+)/.exec(stdout())?.[1];
    assert.ok(table, `${argv.join(' ')} --help has an exit-code table`);
    tables[argv.join(' ')] = table;
  }
  assert.match(tables['token'], /token printed/);
  for (const [name, table] of Object.entries(tables)) {
    if (name !== 'token') assert.doesNotMatch(table, /token printed|--batch/, name);
  }
  assert.match(tables['certs download'], /^ {2}0 +certificates downloaded/);
  assert.match(tables['certs download'], /--out/);
  assert.doesNotMatch(tables['certs list'], /network|verification|\n {2}[145] /, 'certs list sends nothing');
  assert.match(tables['sandbox'], /^ {2}0 +stopped with Ctrl-C/);
  assert.equal(new Set(Object.values(tables)).size, 5, 'five different tables');
});

test('the secrets check every end-to-end run goes through can fail', () => {
  registerSecrets({
    privateKeyPem:
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDTESTONLY0000000\n-----END PRIVATE KEY-----\n',
    apiv3Key: 'TestOnlyApiV3Key0123456789abcdef',
  });
  assert.equal(leakedSecret('all clear'), undefined);
  assert.match(leakedSecret('oops -----BEGIN RSA PRIVATE KEY----- here'), /PEM private key/);
  assert.match(leakedSecret('key=TestOnlyApiV3Key0123456789abcdef'), /registered secret/);
  assert.match(leakedSecret('line MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDTESTONLY0000000'), /registered secret/);
});

test('a flag that names what a command acts on, given twice, is a usage error (OPTION_REPEATED); a setting given twice keeps the last', async () => {
  for (const [argv, flag] of [
    [['token', '--open-id', 'oA', '--open-id', 'oB', '--coupon', '1:2', '--dry-run'], '--open-id'],
    [['token', '--open-id=oA', '--open-id', 'oB', '--coupon', '1:2'], '--open-id'],
    [['token', '--batch', 'a.jsonl', '--batch', 'b.jsonl'], '--batch'],
    [['certs', 'download', '--out', 'a', '--out', 'b'], '--out'],
    [['api', 'POST', '/v3/x', '--data', '{}', '--data', '[]'], '--data'],
  ]) {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.equal(stdout(), '');
    assert.match(stderr(), new RegExp(`^wxpay-coupon: ${flag} is given 2 times, and only one can be used; give it once`));
    const json = fakeIo();
    assert.equal(await main([...argv, '--json'], json.io), 2);
    assert.equal(JSON.parse(json.stderr()).error.code, 'OPTION_REPEATED');
  }
  const { io, stdout } = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(
    await main(
      [
        'token',
        '--sandbox',
        '--open-id',
        'oA',
        '--coupon',
        '1:2',
        '--coupon',
        '1:3',
        '--timeout',
        '1000',
        '--timeout',
        '5000',
        '--dry-run',
      ],
      io,
    ),
    0,
  );
  assert.match(stdout(), /"coupon_list":\[\{"stock_id":1,"coupon_id":"2"\},\{"stock_id":1,"coupon_id":"3"\}\]/);
});

test('a flag typed with a typographic dash (–json, —open-id: autocorrected --) is named, with the flag to type, not "too many arguments"', async () => {
  for (const [argv, arg, flag] of [
    [['token', '--open-id', 'o', '--coupon', '1:2', '\u2013json'], '\u2013json', '--json'],
    [['token', '\u2014open-id', 'o'], '\u2014open-id', '--open-id'],
    [['doctor', '\u2013\u2013online'], '\u2013\u2013online', '--online'],
    [['token', '\u2013timeout=5'], '\u2013timeout', '--timeout'],
    // A typographic dash, then a hyphen (careless check, helper-38).
    [['token', '\u2013-open-id', 'o'], '\u2013-open-id', '--open-id'],
    // A single letter is a short option (helper-39).
    [['token', '--open-id', 'o', '--coupon', '1:2', '\u2013q'], '\u2013q', '-q'],
  ]) {
    const { io, stdout, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.equal(stdout(), '');
    assert.ok(stderr().startsWith(`wxpay-coupon: ${arg} starts with a typographic dash, not two hyphens`), stderr());
    assert.match(stderr(), new RegExp(`; type ${flag};`));
    const zh = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
    assert.equal(await main(argv, zh.io), 2);
    assert.match(zh.stderr(), /以排版用的破折号开头，而不是两个连字符/);
  }
  // As an option's value it is a value, like any other.
  const { io, stdout } = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '--dry-run', '--open-id', '\u2013x', '--coupon', '1:2'], io), 0);
  assert.match(stdout(), /"open_id":"\u2013x"/);
});

test('a full-width space before a flag, inside a value or after =, is named and nothing runs; a value may hold U+3000 before other text', async () => {
  for (const argv of [
    ['token', '--sandbox', '--open-id', 'oUser\u3000--coupon', '1:1'],
    ['token', '--sandbox', '--open-id=oUser\u3000\u3000--coupon', '1:1'],
    ['token', '--sandbox', '--open-id', 'oUser', '--coupon', '1:1\u3000-q'],
  ]) {
    const { io, stderr, stdout } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.equal(stdout(), '');
    assert.match(
      stderr(),
      /^wxpay-coupon: an argument holds a full-width space \(U\+3000, from a Chinese input method\) before (--coupon|-q), so the shell passed them as one argument; type an ASCII space there; run 'wxpay-coupon token --help' for usage\n$/,
    );
  }
  const json = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '--json', '--open-id=oUser\u3000--coupon', '1:1'], json.io), 2);
  assert.equal(JSON.parse(json.stderr()).error.code, 'FULL_WIDTH_SPACE');
  const zh = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
  assert.equal(await main(['token', '--sandbox', '--open-id', 'oUser\u3000--coupon', '1:1'], zh.io), 2);
  assert.match(
    zh.stderr(),
    /某个参数在 --coupon 之前有一个全角空格（U\+3000，中文输入法输入的），shell 因此把它们当成了一个参数；请改为半角空格/,
  );
  // A body or a header is the user's text, taken as written (hostile check, helper-40).
  for (const argv of [
    ['api', 'POST', '/v3/x', '--dry-run', '--json', '--data={"remark":"详情\u3000--json"}'],
    ['api', 'POST', '/v3/x', '--dry-run', '--json', '--data', '{"remark":"详情\u3000--json"}'],
    ['notify', 'send', '--json', '--to', 'http://127.0.0.1:9/n', '--resource', '{"a":"x\u3000--verbose"}'],
    ['api', 'POST', '/v3/x', '--dry-run', '--json', '--header', 'X-Note: a\u3000--data', '--data', '{}'],
  ]) {
    const { io, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    await main(argv, io);
    assert.notEqual(JSON.parse(stderr().trim().split('\n').at(-1)).error.code, 'FULL_WIDTH_SPACE', argv.join(' '));
  }
  // Not before a flag the command defines: the value's own business (here, refused for its own reason).
  const other = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '--open-id', 'oUser\u3000--nothing', '--coupon', '1:1'], other.io), 2);
  assert.match(other.stderr(), /--open-id holds a space \(U\+3000\), which no openid has; give one user’s openid/);
});

test('a full-width ＝ or ： between a flag and its value, and a full-width space inside a command word or an argument, are named (careless check, helper-41)', async () => {
  for (const [argv, expected] of [
    [
      ['token', '--sandbox', '--open-id＝oUser', '--coupon', '1:1'],
      /unknown option '--open-id＝oUser': --open-id is followed by a full-width ＝ \(from a Chinese input method\); write --open-id=value with an ASCII = or --open-id value with a space;/,
    ],
    [['token', '--sandbox', '--open-id：oUser', '--coupon', '1:1'], /--open-id is followed by a full-width ：/],
    [
      ['doctor\u3000--online'],
      /^wxpay-coupon: unknown command 'doctor\u3000--online'; an argument holds a full-width space \(U\+3000, from a Chinese input method\) after doctor; type an ASCII space there; run 'wxpay-coupon --help' for usage\n$/,
    ],
    [
      ['api', 'GET\u3000/v3/certificates'],
      /missing required argument 'path'; an argument holds a full-width space \(U\+3000, from a Chinese input method\) after GET;/,
    ],
  ]) {
    const { io, stderr, stdout } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.equal(stdout(), '');
    assert.match(stderr(), expected);
  }
  const zh = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
  assert.equal(await main(['token', '--sandbox', '--open-id＝oUser', '--coupon', '1:1'], zh.io), 2);
  assert.match(zh.stderr(), /--open-id 后面是全角的 ＝（中文输入法输入的）；请写成 --open-id=值（半角 =）或 --open-id 值（中间用空格）/);
});

test('a long flag typed with one dash or in full-width letters, and full-width digits in a setting, are named with what to type (careless check, helper-41)', async () => {
  for (const [argv, expected] of [
    [
      ['token', '--sandbox', '-json', '--open-id', 'o', '--coupon', '1:1'],
      /unknown option '-json'; a long option starts with two hyphens: --json;/,
    ],
    [
      ['token', '--sandbox', '--ｊｓｏｎ', '--open-id', 'o', '--coupon', '1:1'],
      /unknown option '--ｊｓｏｎ'; it is typed in full-width letters \(a Chinese input method's full-width mode\): type --json;/,
    ],
    [
      ['token', '--sandbox', '--dry-run', '--open-id', 'o', '--coupon', '1:1', '--timeout', '５０００'],
      /--timeout "５０００" must be .*; its digits are full-width \(a Chinese input method's\): type them in ASCII, 5000$/m,
    ],
  ]) {
    const { io, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.match(stderr(), expected);
  }
  const none = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '-xyz'], none.io), 2);
  assert.doesNotMatch(none.stderr(), /two hyphens|full-width/);
});

test('a full-width space joining a flag and its value, and an openid given without --open-id, are named (careless check, helper-38)', async () => {
  const { io, stderr } = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '--open-id\u3000oUser', '--coupon', '1:1'], io), 2);
  assert.equal(
    stderr(),
    "wxpay-coupon: unknown option '--open-id\u3000oUser': it holds a full-width space (U+3000, from a Chinese input method) after --open-id; type an ASCII space there; run 'wxpay-coupon token --help' for usage\n",
  );
  const bare = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', 'oUser', '--coupon', '1:1'], bare.io), 2);
  assert.match(
    bare.stderr(),
    /Expected 0 arguments but got 1; token takes no arguments: the openid goes after --open-id, like wxpay-coupon token --open-id oUser/,
  );
  const zh = fakeIo({ env: { NO_COLOR: '1', LANG: 'zh_CN.UTF-8' } });
  assert.equal(await main(['token', '--sandbox', 'oUser', '--coupon', '1:1'], zh.io), 2);
  assert.match(zh.stderr(), /token 不接受参数：openid 要写在 --open-id 之后/);
  // With --open-id given, the extra argument is something else: no word about the openid.
  const given = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['token', '--sandbox', '--open-id=o', '--coupon', '1:1', 'extra'], given.io), 2);
  assert.ok(!given.stderr().includes('the openid goes after'), given.stderr());
  // Other commands' excess arguments keep commander's words alone.
  const list = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['certs', 'list', 'extra'], list.io), 2);
  assert.ok(!list.stderr().includes('openid'), list.stderr());
});

test('--help <command> (and -h <command>) shows that command\u2019s help, as help <command> does, and runs nothing (helper-35)', async () => {
  for (const argv of [
    ['--help', 'token'],
    ['-h', 'certs', 'download'],
  ]) {
    const asked = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(argv, asked.io), 0, argv.join(' '));
    const same = fakeIo({ env: { NO_COLOR: '1' } });
    assert.equal(await main(['help', ...argv.slice(1)], same.io), 0);
    assert.equal(asked.stdout(), same.stdout());
    assert.match(asked.stdout(), new RegExp(`^Usage: wxpay-coupon ${argv.slice(1).join(' ')} \\[options\\]`));
  }
  const typo = fakeIo({ env: { NO_COLOR: '1' } });
  assert.equal(await main(['--help', 'tokn'], typo.io), 2);
  assert.match(typo.stderr(), /unknown command 'tokn' \(Did you mean token\?\)/);
});
