// QA of issue 13 (the CLI in Simplified Chinese), from a fresh clone: what a careless Chinese
// merchant engineer (LANG=zh_CN.UTF-8) still met in English, or what broke for both languages.
// Every case runs the built binary in English and in Chinese: same exit code, same machine
// output, no English sentence (or English label) left for the Chinese reader.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { englishLeftIn, minimalEnv, runCli, tempDir } from './helpers.js';

const ZH = { LANG: 'zh_CN.UTF-8' };

async function both(args, { cwd = tempDir('wxpay-qa13-'), lang = ZH } = {}) {
  const en = await runCli(args, { cwd, home: cwd, env: minimalEnv(cwd, { LANG: 'C' }) });
  const zh = await runCli(args, { cwd, home: cwd, env: minimalEnv(cwd, lang) });
  assert.equal(zh.code, en.code, `exit code of ${args.join(' ')}\n${en.stderr}\n${zh.stderr}`);
  return { en, zh, cwd };
}

describe('no configuration at all: the label of the problem is Chinese, the machine source is not', () => {
  test('token: "  - configuration:" in English, a Chinese label in Chinese; --json detail source unchanged', async () => {
    const args = ['token', '--open-id', 'oUser', '--coupon', '16474341:11004999626'];
    const { en, zh } = await both(args);
    assert.equal(en.code, 3);
    assert.match(en.stderr, /^ {2}- configuration: no config file found/m);
    assert.doesNotMatch(zh.stderr, /configuration/);
    assert.match(zh.stderr, /^ {2}- 配置来源：没有找到配置文件/m);
    assert.deepEqual(englishLeftIn(zh.stderr), []);
    for (const lang of [ZH, { WXPAY_LANG: 'zh-CN' }]) {
      const json = await both([...args, '--json'], { lang });
      const enError = JSON.parse(json.en.stderr).error;
      const zhError = JSON.parse(json.zh.stderr).error;
      assert.deepEqual(
        zhError.detail.map((problem) => problem.source),
        ['configuration'],
      );
      assert.deepEqual(
        zhError.detail.map((problem) => problem.source),
        enError.detail.map((problem) => problem.source),
      );
      assert.equal(zhError.code, enError.code);
      assert.doesNotMatch(zhError.message, /configuration/);
    }
  });

  test('doctor: "✗ configuration:" in English, "✗ 配置来源:" in Chinese; --json check name unchanged', async () => {
    const { en, zh } = await both(['doctor']);
    assert.equal(en.code, 3);
    assert.match(en.stdout, /^✗ configuration: no config file found/m);
    assert.match(zh.stdout, /^✗ 配置来源：没有找到配置文件/m);
    assert.doesNotMatch(zh.stdout + zh.stderr, /configuration/);
    const lang = await both(['--lang', 'zh-CN', 'doctor', '--json']);
    assert.deepEqual(
      JSON.parse(lang.zh.stdout).checks.map((check) => check.name),
      ['configuration'],
    );
    assert.deepEqual(
      JSON.parse(lang.zh.stdout).checks.map((check) => check.name),
      JSON.parse(lang.en.stdout).checks.map((check) => check.name),
    );
  });
});

describe('sandbox --dir that cannot be a folder: a usage error (exit 2), not an internal error (70)', () => {
  test('--dir under /proc, where no folder can be made: exit 2 at once (Node’s recursive mkdir spun there for ever)', async (t) => {
    if (process.platform !== 'linux' || !existsSync('/proc/self')) return t.skip('needs Linux procfs');
    for (const dir of ['/proc/wxpay-sandbox', '/proc/wxpay/sandbox']) {
      const { en, zh } = await both(['sandbox', '--port', '0', '--dir', dir]);
      assert.equal(en.code, 2, en.stderr);
      // An absolute --dir is its own folder: it is not repeated in parentheses.
      assert.match(en.stderr, new RegExp(`--dir "${dir}" cannot be made: this file system does not take new folders there`));
      assert.match(zh.stderr, new RegExp(`--dir "${dir}" 无法创建`));
      assert.match(zh.stderr, /无法创建：这个文件系统不允许在那里新建目录/);
      assert.deepEqual(englishLeftIn(zh.stderr), []);
    }
  });

  for (const [name, dir] of [
    ['a file', 'notes.txt'],
    ['a path under a file', 'notes.txt/sandbox'],
  ]) {
    test(`--dir is ${name}`, async () => {
      const cwd = tempDir('wxpay-qa13-');
      writeFileSync(path.join(cwd, 'notes.txt'), 'not a folder\n');
      const { en, zh } = await both(['sandbox', '--port', '0', '--dir', dir], { cwd });
      assert.equal(en.code, 2, en.stderr);
      assert.equal(en.stdout, '');
      assert.match(
        en.stderr,
        /^wxpay-coupon: --dir "notes\.txt.*" \(.*\) is a file, or lies under a file; the sandbox writes \.wxpayrc\.json and its keys into a folder/m,
      );
      assert.doesNotMatch(en.stderr + zh.stderr, /internal error|内部错误|EEXIST|ENOTDIR/);
      assert.match(zh.stderr, /--dir "notes\.txt.*"（.*）是一个文件，或位于某个文件之下/);
      assert.deepEqual(englishLeftIn(zh.stderr), []);
      const json = await both(['sandbox', '--port', '0', '--dir', dir, '--json'], { cwd });
      const enError = JSON.parse(json.en.stderr).error;
      const zhError = JSON.parse(json.zh.stderr).error;
      assert.deepEqual({ ...zhError, message: undefined }, { ...enError, message: undefined });
      assert.deepEqual([enError.exit_code, enError.kind, enError.code], [2, 'usage', 'INVALID_DIR']);
    });
  }
});
