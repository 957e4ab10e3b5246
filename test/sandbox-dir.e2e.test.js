// `sandbox --dir <folder>` writes keys into a folder the user names, so it must not clobber what
// is there, follow a link planted there, or put keys where someone else can read or swap them.
// Found by the hostile check of issue 13: a real .wxpayrc.json and key were silently replaced
// (keeping their 0644), symlinks were followed, and folders of other users were written into.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { englishLeftIn, minimalEnv, runCli, tempDir } from './helpers.js';

const ZH = { LANG: 'zh_CN.UTF-8' };

/** Runs the sandbox until its first JSON line (then Ctrl-C), or to its end when it refuses. */
async function serve(dir, { cwd = path.dirname(dir), env = {} } = {}) {
  let child;
  const done = runCli(['sandbox', '--json', '--dir', dir], {
    cwd,
    home: cwd,
    env: minimalEnv(cwd, env),
    onSpawn: (spawned) => (child = spawned),
  });
  let started = false;
  child.stdout.on('data', () => {
    if (!started) {
      started = true;
      child.kill('SIGINT');
    }
  });
  const result = await done;
  return { ...result, started };
}

const mode = (file) => (statSync(file).mode & 0o777).toString(8);

describe('sandbox --dir: what is in the folder', () => {
  test('a folder holding a config file of its own (.wxpayrc.yaml, a package.json with "wxpay", …) is refused: the search would read one instead of the other', async () => {
    const cases = [
      ['.wxpayrc.yaml', 'mchid: "1900000001"\n'],
      ['.wxpayrc', '{"mchid":"1900000001"}\n'],
      ['wxpay.config.cjs', 'module.exports = {};\n'],
      ['package.json', '{"name":"app","wxpay":{"mchid":"1900000001"}}\n'],
    ];
    for (const [name, text] of cases) {
      const home = tempDir('wxpay-sbdir-');
      const dir = path.join(home, 'project');
      mkdirSync(dir);
      writeFileSync(path.join(dir, name), text, { mode: 0o600 });
      for (const env of [{}, ZH]) {
        const result = await serve(dir, { env });
        assert.equal(result.code, 2, `${name}: ${result.stderr}`);
        assert.equal(result.started, false);
        const { error } = JSON.parse(result.stderr);
        assert.deepEqual([error.kind, error.code], ['usage', 'INVALID_DIR']);
        if (env === ZH) assert.match(error.message, new RegExp(`中已有它自己的配置文件 ${name.replace(/\./g, '\\.')}；.*未写入任何文件$`));
        else
          assert.match(error.message, new RegExp(`holds a config file of its own, ${name.replace(/\./g, '\\.')}; .*nothing was written$`));
      }
      assert.equal(existsSync(path.join(dir, '.wxpayrc.json')), false, `${name}: nothing written`);
      assert.equal(readFileSync(path.join(dir, name), 'utf8'), text);
    }
    // A package.json without "wxpay" is no config: a project folder that has one is fine.
    const home = tempDir('wxpay-sbdir-');
    const dir = path.join(home, 'project');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'package.json'), '{"name":"app"}\n');
    const started = await serve(dir);
    assert.equal(started.started, true, started.stderr);
  });

  test('a folder holding a real .wxpayrc.json or key file is refused, untouched, in both languages', async () => {
    for (const name of ['.wxpayrc.json', 'merchant_private_key.pem', 'wechatpay_public_key.pem']) {
      const home = tempDir('wxpay-sbdir-');
      const dir = path.join(home, 'project');
      mkdirSync(dir);
      writeFileSync(path.join(dir, name), 'the merchant’s own\n', { mode: 0o644 });
      const en = await serve(dir);
      assert.equal(en.code, 2, en.stderr);
      assert.equal(en.started, false);
      const { error } = JSON.parse(en.stderr);
      assert.deepEqual([error.kind, error.code], ['usage', 'INVALID_DIR']);
      assert.match(
        error.message,
        new RegExp(`^--dir "${dir}" holds a ${name.replace('.', '\\.')} that no sandbox wrote .*nothing was written$`),
      );
      assert.equal(readFileSync(path.join(dir, name), 'utf8'), 'the merchant’s own\n');
      assert.equal(mode(path.join(dir, name)), '644');
      assert.equal(existsSync(path.join(dir, 'SANDBOX-ONLY_wechatpay_signing_key.pem')), false);
      const zh = await serve(dir, { env: ZH });
      assert.equal(zh.code, 2);
      const message = JSON.parse(zh.stderr).error.message;
      assert.match(message, /中已有一个不是沙箱写入的/);
      assert.deepEqual(englishLeftIn(message), []);
    }
  });

  test('a folder an earlier sandbox wrote is written again: new keys, 0600 again, and a planted symlink replaced, not followed', async () => {
    const home = tempDir('wxpay-sbdir-');
    const dir = path.join(home, 'sb');
    const first = await serve(dir);
    assert.equal(first.code, 0, first.stderr);
    const before = readFileSync(path.join(dir, 'merchant_private_key.pem'), 'utf8');
    chmodSync(path.join(dir, 'merchant_private_key.pem'), 0o644);
    chmodSync(path.join(dir, '.wxpayrc.json'), 0o644);
    const victim = path.join(home, 'victim');
    writeFileSync(victim, 'not the sandbox’s\n');
    const link = path.join(dir, 'wechatpay_public_key.pem');
    rmSync(link);
    symlinkSync(victim, link);
    const second = await serve(dir);
    assert.equal(second.code, 0, second.stderr);
    assert.notEqual(readFileSync(path.join(dir, 'merchant_private_key.pem'), 'utf8'), before);
    assert.equal(mode(path.join(dir, 'merchant_private_key.pem')), '600');
    assert.equal(mode(path.join(dir, '.wxpayrc.json')), '600');
    assert.equal(mode(path.join(dir, 'SANDBOX-ONLY_wechatpay_signing_key.pem')), '600');
    assert.equal(readFileSync(victim, 'utf8'), 'not the sandbox’s\n');
    assert.ok(lstatSync(link).isFile(), 'the symlink is replaced by the sandbox’s own file');
    assert.match(readFileSync(link, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  });
});

describe('sandbox --dir: whose folder it is', () => {
  test('a folder group or others can write to (no sticky bit) is refused, nothing written', async () => {
    const home = tempDir('wxpay-sbdir-');
    for (const [index, [where, folderMode]] of [
      ['the folder itself', 0o777],
      ['the folder itself', 0o775],
      ['a folder above it', 0o777],
    ].entries()) {
      const open = path.join(home, `open-${String(index)}`);
      mkdirSync(open);
      chmodSync(open, folderMode);
      const dir = where === 'the folder itself' ? open : path.join(open, 'sb');
      const result = await serve(dir);
      assert.equal(result.code, 2, result.stderr);
      const { error } = JSON.parse(result.stderr);
      assert.equal(error.code, 'INVALID_DIR');
      assert.match(
        error.message,
        new RegExp(
          `is not a folder only you can write to: ${open} can be written by group or others without the sticky bit \\(mode ${folderMode.toString(8)}\\)`,
        ),
      );
      assert.equal(existsSync(path.join(dir, '.wxpayrc.json')), false);
      const zh = await serve(dir, { env: ZH });
      assert.deepEqual(englishLeftIn(JSON.parse(zh.stderr).error.message), []);
    }
    // With the sticky bit (as /tmp has it), others cannot swap what is ours: accepted.
    const sticky = path.join(home, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const accepted = await serve(path.join(sticky, 'sb'));
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  test('a folder another user owns is refused', async (t) => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return t.skip('needs root to give a folder to another user');
    const home = tempDir('wxpay-sbdir-');
    const theirs = path.join(home, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chownSync(theirs, 65534, 65534);
    const result = await serve(theirs);
    assert.equal(result.code, 2, result.stderr);
    assert.match(JSON.parse(result.stderr).error.message, new RegExp(`${theirs} is owned by another user \\(uid 65534\\)`));
    assert.equal(existsSync(path.join(theirs, '.wxpayrc.json')), false);
  });
});

describe('sandbox --dir: a folder a running sandbox serves', () => {
  test('a second sandbox there is refused (SANDBOX_DIR_IN_USE, exit 2, nothing written); once the first stops, its pid file is gone and the folder is reused (careless check, helper-38)', async () => {
    const { startSandboxProcess } = await import('./helpers.js');
    const first = await startSandboxProcess();
    const dir = path.join(first.home, 'sb');
    try {
      const before = readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8');
      assert.match(readFileSync(path.join(dir, '.wxpay-sandbox.pid'), 'utf8'), /^\d+\n$/);
      for (const env of [{}, ZH]) {
        const second = await serve(dir, { env });
        assert.equal(second.code, 2, second.stderr);
        assert.equal(second.started, false);
        const { error } = JSON.parse(second.stderr);
        assert.equal(error.code, 'SANDBOX_DIR_IN_USE');
        assert.match(
          error.message,
          env.LANG
            ? /正由一个仍在运行的沙箱使用（进程 \d+）/
            : /is served by a sandbox that is still running \(process \d+\); a second one would replace its keys/,
        );
        if (env.LANG) assert.deepEqual(englishLeftIn(error.message), []);
      }
      assert.equal(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'), before, 'nothing was written');
    } finally {
      await first.stop();
    }
    assert.ok(!existsSync(path.join(dir, '.wxpay-sandbox.pid')), 'the pid file goes with the sandbox');
    const again = await serve(dir);
    assert.equal(again.started, true, again.stderr);
    // A pid file a killed sandbox left behind (its process gone) does not hold the folder.
    writeFileSync(path.join(dir, '.wxpay-sandbox.pid'), '99999999\n');
    const afterKill = await serve(dir);
    assert.equal(afterKill.started, true, afterKill.stderr);
  });
});
