// The language machinery (src/i18n): how the language is chosen, that both catalogues hold the
// same messages, and that an English run never loads the Chinese one. What each area's messages
// say in Chinese is checked by the test/zh-*.test.js files with englishLeftIn().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT, configuredSandbox, minimalEnv, runCli, tempDir, englishLeftIn } from './helpers.js';

const i18n = await import(path.join(ROOT, 'dist', 'i18n', 'index.js'));
/** The catalogues are kept by area; every message by id, as one object. */
const flat = (areas) => Object.assign({}, ...Object.values(areas));
const en = flat((await import(path.join(ROOT, 'dist', 'i18n', 'en', 'index.js'))).en);
const zhCN = flat((await import(path.join(ROOT, 'dist', 'i18n', 'zh-CN', 'index.js'))).zhCN);

test('language: --lang, then WXPAY_LANG, then LC_ALL, LC_MESSAGES, LANG; zh… is Chinese, anything else English', () => {
  const choose = (argv, env) => i18n.chooseLanguage(argv, env);
  assert.deepEqual(choose([], {}), { language: 'en' });
  assert.deepEqual(choose([], { LANG: 'zh_CN.UTF-8' }), { language: 'zh-CN' });
  assert.deepEqual(choose([], { LANG: 'zh_TW.UTF-8' }), { language: 'zh-CN' });
  assert.deepEqual(choose([], { LANG: 'zh' }), { language: 'zh-CN' });
  for (const other of ['C', 'POSIX', 'C.UTF-8', 'en_US.UTF-8', 'ja_JP.UTF-8', 'fr_FR']) {
    assert.deepEqual(choose([], { LANG: other }), { language: 'en' }, other);
  }
  assert.deepEqual(choose([], { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), { language: 'en' });
  assert.deepEqual(choose([], { LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), { language: 'zh-CN' });
  assert.deepEqual(choose([], { LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), { language: 'zh-CN' });
  assert.deepEqual(choose([], { LC_ALL: '', LANG: 'zh_CN.UTF-8' }), { language: 'zh-CN' }, 'an empty variable is unset');
  assert.deepEqual(choose([], { WXPAY_LANG: 'en', LANG: 'zh_CN.UTF-8' }), { language: 'en' });
  assert.deepEqual(choose([], { WXPAY_LANG: 'zh-CN', LC_ALL: 'C' }), { language: 'zh-CN' });
  assert.deepEqual(choose(['--lang', 'en'], { WXPAY_LANG: 'zh-CN' }), { language: 'en' });
  assert.deepEqual(choose(['token', '--lang=zh-CN'], {}), { language: 'zh-CN' });
  assert.deepEqual(choose(['--lang', 'zh_cn'], {}), { language: 'zh-CN' }, 'any case, _ for -');
  assert.deepEqual(choose(['--', '--lang', 'zh-CN'], {}), { language: 'en' }, 'not after --');
  assert.deepEqual(choose(['--lang', '--json'], { LANG: 'zh_CN.UTF-8' }), { language: 'zh-CN' }, 'a flag is not its value');
  assert.deepEqual(choose(['--lang', 'fr'], { LANG: 'zh_CN.UTF-8' }), {
    language: 'zh-CN',
    rejected: { source: '--lang', value: 'fr' },
  });
  assert.deepEqual(choose([], { WXPAY_LANG: 'zh-TW' }), { language: 'en', rejected: { source: 'WXPAY_LANG', value: 'zh-TW' } });
});

test('catalogues: the same message ids in English and Chinese, each in the file of its area', () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort());
  const areas = readdirSync(path.join(ROOT, 'src', 'i18n', 'en')).filter((file) => file !== 'index.ts');
  let total = 0;
  for (const file of areas) {
    const area = file.replace(/\.ts$/, '');
    for (const language of ['en', 'zh-CN']) {
      const text = readFileSync(path.join(ROOT, 'src', 'i18n', language, file), 'utf8');
      const messages = [...text.matchAll(/^ {2}'([^']+)':/gm)].map((match) => match[1]);
      assert.ok(messages.length > 0 || area !== 'cli', `${language}/${file}: no message found`);
      for (const id of messages) assert.ok(id.startsWith(`${area}.`), `${language}/${file}: ${id} is not named ${area}.…`);
    }
    total += Object.keys(en).filter((id) => id.startsWith(`${area}.`)).length;
  }
  assert.equal(total, Object.keys(en).length, 'every message id begins with its area');
  for (const [id, message] of Object.entries(zhCN)) {
    if (typeof message === 'string') {
      assert.ok(message.length > 0, id);
      assert.deepEqual(englishLeftIn(message), [], `${id}: ${message}`);
    }
  }
});

test('--lang and WXPAY_LANG: an unsupported value is a usage error naming the choices, in text and --json', async () => {
  for (const [args, env, source] of [
    [['--lang', 'fr', 'doctor'], {}, '--lang'],
    [['doctor', '--lang=de'], {}, '--lang'],
    [['doctor'], { WXPAY_LANG: 'klingon' }, 'WXPAY_LANG'],
  ]) {
    const home = tempDir();
    const text = await runCli(args, { home, env: minimalEnv(home, env) });
    assert.equal(text.code, 2, text.stderr);
    assert.equal(text.stdout, '');
    assert.match(text.stderr, new RegExp(`^wxpay-coupon: ${source} '[a-z]+' is not a language this tool speaks; choose en or zh-CN\\n$`));
    const json = await runCli([...args, '--json'], { home, env: minimalEnv(home, env) });
    assert.equal(json.code, 2);
    const line = JSON.parse(json.stderr);
    assert.equal(line.error.code, 'INVALID_LANG');
    assert.equal(line.error.kind, 'usage');
  }
  const home = tempDir();
  const empty = await runCli(['doctor', '--lang='], { home });
  assert.equal(empty.code, 2);
  assert.equal(empty.stderr, "wxpay-coupon: --lang '' is not a language this tool speaks; choose en or zh-CN\n");
  // A value in another script, or in typographic quotes, is shown too (careless check, helper-38).
  for (const value of ['中文', '\u201czh-CN\u201d']) {
    const shown = await runCli(['--lang', value, '--help'], { home });
    assert.equal(shown.code, 2);
    assert.equal(shown.stderr, `wxpay-coupon: --lang '${value}' is not a language this tool speaks; choose en or zh-CN\n`);
  }
  const long = await runCli(['--lang', 'x'.repeat(40), '--help'], { home });
  assert.equal(long.stderr, 'wxpay-coupon: --lang is not a language this tool speaks; choose en or zh-CN\n');
  for (const traditional of ['zh-TW', 'zh_Hant', 'zh-HK']) {
    const rejected = await runCli(['--lang', traditional, 'doctor'], { home });
    assert.equal(rejected.code, 2, traditional);
    assert.match(rejected.stderr, /is not a language this tool speaks/, traditional);
  }
  const zh = await runCli(['--lang', 'fr', 'doctor'], { home, env: minimalEnv(home, { LANG: 'zh_CN.UTF-8' }) });
  assert.equal(zh.code, 2);
  assert.match(zh.stderr, /--lang 'fr' 不是本工具支持的语言；请选择 en 或 zh-CN/, 'the message is in the locale’s language');
  const secretish = await runCli(['--lang', '-----BEGIN PRIVATE KEY----- MIIEv', 'doctor'], { home });
  assert.equal(secretish.code, 2);
  assert.doesNotMatch(secretish.stderr, /MIIEv|BEGIN/, 'a value not shaped like a language is not quoted');
});

test('a missing or damaged chunk of messages is an internal error: one line, exit 70, in either language, with and without the cache', () => {
  // A partial install. The bin's own line for it is looked up in the very messages that failed to load.
  const cases = [
    ['cli-en.cjs', {}],
    ['cli-zh-CN.cjs', { LANG: 'zh_CN.UTF-8' }],
  ];
  for (const [chunk, language] of cases) {
    for (const damage of ['missing', 'empty', 'cut short']) {
      const copy = tempDir('wxpay-partial-');
      for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
      const file = path.join(copy, 'dist', chunk);
      if (damage === 'missing') rmSync(file);
      else writeFileSync(file, damage === 'empty' ? '' : readFileSync(file, 'utf8').slice(0, 5000));
      const home = tempDir();
      for (const cache of [{}, {}, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
        const env = minimalEnv(home, { ...language, ...cache });
        const result = spawnSync(process.execPath, [path.join(copy, 'bin', 'wxpay-coupon.cjs'), '--help'], {
          env,
          cwd: home,
          encoding: 'utf8',
        });
        const what = `${chunk} ${damage} ${JSON.stringify(cache)}`;
        assert.equal(result.status, 70, `${what}: ${result.stderr}`);
        assert.equal(result.stdout, '', what);
        // In English when the English messages are what failed, or when the Chinese ones did (English is then still there).
        assert.match(result.stderr, /^wxpay-coupon: internal error: [^\n]*\n$/, what);
        if (damage === 'missing') assert.match(result.stderr, new RegExp(chunk.replace('.', '\\.')), what);
      }
    }
  }
});

test('an English run never loads the Chinese catalogue, nor a Chinese run the English cli and config areas (dist/cli-en.cjs)', async () => {
  const dir = tempDir();
  const hook = path.join(dir, 'hook.cjs');
  const log = path.join(dir, 'loaded.txt');
  const homeForCache = tempDir();
  writeFileSync(
    hook,
    `const Module = require('node:module'); const fs = require('node:fs'); const seen = [];
     const load = Module._load; Module._load = function (request, ...rest) { seen.push(request); return load.call(this, request, ...rest); };
     const read = fs.readFileSync; fs.readFileSync = function (file, ...rest) { seen.push(String(file)); return read.call(this, file, ...rest); };
     process.on('exit', () => fs.writeFileSync(${JSON.stringify(log)}, seen.join('\\n')));`,
  );
  // Through the bin's compile cache (first run and warm) and without it (Module._load).
  for (const [env, expected] of [
    [{}, false],
    [{ LANG: 'en_US.UTF-8' }, false],
    [{ LANG: 'zh_CN.UTF-8' }, true],
    [{ LANG: 'zh_CN.UTF-8' }, true],
    [{ LANG: 'zh_CN.UTF-8', NODE_DISABLE_COMPILE_CACHE: '1' }, true],
    [{ NODE_DISABLE_COMPILE_CACHE: '1' }, false],
  ]) {
    const home = homeForCache;
    const result = await runCli(['--help'], { home, env: minimalEnv(home, env), nodeArgs: ['--require', hook] });
    assert.equal(result.code, 0);
    // dist/cli-zh-CN.cjs and its other chunks (cli-zh-CN-token.cjs …): none read by an English run.
    const read = readFileSync(log, 'utf8');
    assert.equal(/cli-zh-CN[\w-]*\.cjs/.test(read), expected, JSON.stringify(env));
    // Each language's help reads its own chunk of messages.
    assert.equal(/cli-en\.cjs/.test(read), !expected, JSON.stringify(env));
    assert.equal(result.stdout.startsWith('用法：'), expected, result.stdout.slice(0, 40));
    assert.equal(result.stderr, '');
  }
  assert.ok(BIN);
});

test('an English run that shows no help never reads dist/cli-en.cjs: a usage error, a dry run, a full call, through the cache and without (help words are looked up only for help)', async () => {
  const { sandbox, dir } = await configuredSandbox();
  try {
    const hook = path.join(dir, 'hook.cjs');
    const log = path.join(dir, 'read.txt');
    writeFileSync(
      hook,
      `const fs = require('node:fs'); const seen = [];
       const read = fs.readFileSync; fs.readFileSync = function (file, ...rest) { seen.push(String(file)); return read.call(this, file, ...rest); };
       process.on('exit', () => fs.writeFileSync(${JSON.stringify(log)}, seen.join('\\n')));`,
    );
    const coupon = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
    const runs = [
      [['token', '--open-id', 'o', '--coupon', 'x'], 2],
      [['token', '--dry-run', ...coupon], 0],
      [['token', '-q', ...coupon], 0],
      [['token', '--json', ...coupon], 0],
      [['token', '--verbose', ...coupon], 0],
    ];
    for (const cache of [{}, {}, { NODE_DISABLE_COMPILE_CACHE: '1' }]) {
      for (const [args, code] of runs) {
        const what = `${args.join(' ')} ${JSON.stringify(cache)}`;
        const result = await runCli(args, { cwd: dir, home: dir, env: minimalEnv(dir, cache), nodeArgs: ['--require', hook] });
        assert.equal(result.code, code, `${what}: ${result.stderr}`);
        const read = readFileSync(log, 'utf8');
        assert.match(read, /dist[\\/]cli\.cjs/, `control: ${what} shows what it read`);
        assert.doesNotMatch(read, /cli-en\.cjs/, what);
      }
      // Control: help does read them.
      await runCli(['token', '--help'], { cwd: dir, home: dir, env: minimalEnv(dir, cache), nodeArgs: ['--require', hook] });
      assert.match(readFileSync(log, 'utf8'), /cli-en\.cjs/, 'token --help');
    }
  } finally {
    await sandbox.close();
  }
});

test('a line break a user gave cannot start a line of ours: every parameter but our own multi-line text, lists and objects too, and a config problem\u2019s source (hostile checks, helpers 40, 42, 43)', async () => {
  const { ConfigError } = await import(path.join(ROOT, 'dist', 'errors.js'));
  assert.equal(
    i18n.t('config.file.missing', { file: 'a\nwxpay-coupon: ok', cwd: '/w\tx' }),
    'a\\nwxpay-coupon: ok does not exist; check the path (relative to /w\\tx)',
  );
  assert.match(
    i18n.t('ops.doctor.settings', { items: [{ key: 'apiv3Key', value: 'set', source: '/tmp/x\n✔ online: fake/.wxpayrc.json' }] }),
    /^apiv3Key set \(\/tmp\/x\\n✔ online: fake\/\.wxpayrc\.json\)/,
  );
  // Our own multi-line text keeps its lines: a failure with its hint, quoted as the last attempt.
  assert.equal(
    i18n.t('token.stop.beforeRetry', { last: 'answered 429\nwait and retry' }),
    'interrupted (Ctrl-C or SIGTERM) before retrying; the last attempt: answered 429\nwait and retry',
  );
  const error = new ConfigError([{ source: '/tmp/x\n✔ online: fake/.wxpayrc.json: mchid', message: 'is not a merchant id' }]);
  assert.equal(error.message.split('\n').length, 2, error.message);
  assert.match(error.message, /\n {2}- \/tmp\/x\\n✔ online: fake\/\.wxpayrc\.json: mchid: is not a merchant id$/);
});
