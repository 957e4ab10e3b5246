// The V8 code cache bin/wxpay-coupon.cjs keeps so that a start does not compile the bundle again.
// It is only an optimisation, so what is tested is that it can never change what a run does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minimalEnv, runCli, tempDir, ROOT } from './helpers.js';

const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const cacheFolder = (base) => path.join(base, 'wxpay-coupon', `v8-${process.version}-${process.arch}`);

/** The bin's name for a checkout's cache: the folder's FNV-1a hash in it (bin: folderHash). */
function cacheName(distFolder, chunk = 'cli.cjs') {
  let hash = 0x811c9dc5;
  for (let index = 0; index < distFolder.length; index += 1) {
    hash ^= distFolder.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${chunk}.${hash.toString(16).padStart(8, '0')}.cache`;
}
const CACHE = cacheName(path.dirname(CLI));

test('the first run writes a cache in the user cache folder; later runs print exactly the same', async () => {
  const home = tempDir('wxpay-home-');
  const first = await runCli(['--help'], { home });
  const folder = cacheFolder(path.join(home, '.cache'));
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  // An English --help reads two chunks: the program and the English cli and config messages.
  const written = [cacheName(path.dirname(CLI), 'cli-en.cjs'), CACHE];
  assert.deepEqual(readdirSync(folder).sort(), written);
  for (const file of written) assert.equal(statSync(path.join(folder, file)).mode & 0o777, 0o600);
  const second = await runCli(['--help'], { home });
  assert.equal(second.code, 0);
  assert.equal(second.stdout, first.stdout);
  assert.equal(second.stderr, first.stderr);
  const version = await runCli(['--version'], { home });
  assert.equal(version.stdout, `${VERSION}\n`);
});

test('the cache holds the whole bundle, whichever command made it, and a fresh Node accepts it', async () => {
  // Compiled eagerly (bin: compileEagerly), so later runs of any command compile nothing lazily;
  // made under V8's default flags again, or every later run would reject it.
  const homes = [tempDir('wxpay-home-'), tempDir('wxpay-home-')];
  await runCli(['--version'], { home: homes[0] });
  await runCli(['token', '--open-id', 'o', '--coupon', 'x'], { home: homes[1] });
  const [byVersion, byUsageError] = homes.map((home) => readFileSync(path.join(cacheFolder(path.join(home, '.cache')), CACHE)));
  // Within a few bytes: what a run adds (a feedback cell, say) is not a function left out.
  assert.ok(
    Math.abs(byVersion.length - byUsageError.length) < byVersion.length / 100,
    `${byVersion.length} vs ${byUsageError.length} bytes`,
  );
  const source = readFileSync(CLI);
  assert.ok(byVersion.length - 4 - source.length > source.length, 'the V8 data should be larger than the source: every function compiled');
  const check = spawnSync(
    process.execPath,
    [
      '-e',
      `const fs = require('node:fs'), vm = require('node:vm');
       const [cli, cache] = process.argv.slice(1);
       const data = fs.readFileSync(cache), length = data.readUInt32LE(0);
       const text = data.subarray(4, 4 + length).toString('utf8');
       // Compiled as the bin compiles it: the file's text is a function expression (scripts/cli-chunks.js).
       const script = new vm.Script(text, {
         filename: cli, cachedData: data.subarray(4 + length),
       });
       process.stdout.write(String(script.cachedDataRejected));`,
      CLI,
      path.join(cacheFolder(path.join(homes[0], '.cache')), CACHE),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(check.stdout, 'false', check.stderr);
});

test('a cache rejected (made under other V8 flags, or damaged) is replaced by a whole one, not by what the start ran', async () => {
  // V8 compiles a text whose cache it rejects lazily, and hands that back when the bin compiles
  // it again (bin: compileEagerly); a cache of only what one command ran would make every later
  // start compile the rest. NODE_OPTIONS=--max-old-space-size=… is a common way to get there on
  // Node 20 and 22; V8's flags below make every line reject a cache made without them.
  const home = tempDir('wxpay-home-');
  const file = path.join(cacheFolder(path.join(home, '.cache')), CACHE);
  await runCli(['--version'], { home });
  const whole = statSync(file).size;
  const sizes = [];
  for (const run of [
    { nodeArgs: ['--stack-size=2000'] },
    {},
    { env: minimalEnv(home, { NODE_OPTIONS: '--interpreted-frames-native-stack' }) },
    {},
    { damage: true },
  ]) {
    if (run.damage) {
      // V8's own header (its magic number), which V8 checks; damage further in can crash Node 20.
      const data = readFileSync(file);
      data[4 + data.readUInt32LE(0)] ^= 0xff;
      writeFileSync(file, data);
    }
    const before = statSync(file).mtimeMs;
    const result = await runCli(['--version'], { home, ...run });
    assert.equal(result.stdout, `${VERSION}\n`, result.stderr);
    assert.notEqual(statSync(file).mtimeMs, before, `the cache was not rejected (${JSON.stringify(run)}): this test needs another flag`);
    sizes.push(statSync(file).size);
  }
  for (const size of sizes) assert.ok(Math.abs(size - whole) < whole / 100, `${size} bytes written again, ${whole} when made first`);
  // And the whole cache made last serves the next start as it is.
  const made = statSync(file).mtimeMs;
  await runCli(['--version'], { home });
  assert.equal(statSync(file).mtimeMs, made, 'the cache was rejected and written again');
});

test("a user's own --no-lazy is left as it is: the cache is made under it and serves the next run", async () => {
  const home = tempDir('wxpay-home-');
  const file = path.join(cacheFolder(path.join(home, '.cache')), CACHE);
  const first = await runCli(['--version'], { home, nodeArgs: ['--no-lazy'] });
  assert.equal(first.stdout, `${VERSION}\n`);
  const made = statSync(file).mtimeMs;
  const second = await runCli(['--version'], { home, nodeArgs: ['--no-lazy'] });
  assert.equal(second.stdout, `${VERSION}\n`);
  assert.equal(statSync(file).mtimeMs, made, 'the cache was rejected and written again');
});

test('XDG_CACHE_HOME is honoured, and NODE_DISABLE_COMPILE_CACHE=1 writes nothing', async () => {
  const home = tempDir('wxpay-home-');
  const xdg = path.join(home, 'xdg');
  await runCli(['--version'], { home, env: minimalEnv(home, { XDG_CACHE_HOME: xdg }) });
  assert.ok(readdirSync(cacheFolder(xdg)).length > 0);
  assert.equal(existsSync(path.join(home, '.cache')), false);

  const off = tempDir('wxpay-home-');
  const result = await runCli(['--version'], { home: off, env: minimalEnv(off, { NODE_DISABLE_COMPILE_CACHE: '1' }) });
  assert.equal(result.stdout, `${VERSION}\n`);
  assert.deepEqual(readdirSync(off), []);
});

/**
 * A cache made from other source text of the same length, as an upgrade that kept the bundle's
 * size would leave behind: dist/cli.cjs with the version replaced, compiled and run (so V8 has
 * compiled the function that prints the version), then saved the way the bin saves its cache.
 * V8 itself compares only the source's length, so this cache would print the wrong version if
 * the bin did not compare the source text too.
 */
function writeStaleCache(folder, { storeRealSource = false } = {}) {
  const script = `
    const fs = require('node:fs'), vm = require('node:vm'), path = require('node:path'), Module = require('node:module');
    const [cli, folder, version, storeRealSource, cacheName] = process.argv.slice(1);
    const real = fs.readFileSync(cli, 'utf8');
    const fake = real.replaceAll(JSON.stringify(version), JSON.stringify(version.replace(/\\d/g, '9')));
    if (fake === real || fake.length !== real.length) throw new Error('version not found in the bundle');
    const script = new vm.Script(fake, {
      filename: cli,
    });
    const module = { exports: {} };
    script.runInThisContext()(module.exports, Module.createRequire(cli), module, cli, path.dirname(cli));
    const io = { stdout: { write() {} }, stderr: { write() {} }, env: {}, cwd: folder, stdoutIsTTY: false, stderrIsTTY: false, now: Date.now };
    module.exports.main(['--version'], io).then(() => {
      const source = Buffer.from(storeRealSource === 'yes' ? real : fake);
      const header = Buffer.alloc(4);
      header.writeUInt32LE(source.length, 0);
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(folder, cacheName), Buffer.concat([header, source, script.createCachedData()]), { mode: 0o600 });
    });
  `;
  const made = spawnSync(process.execPath, ['-e', script, CLI, folder, VERSION, storeRealSource ? 'yes' : 'no', CACHE], {
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
}

test('a cache made from other source of the same length is not used, and is replaced', async () => {
  const home = tempDir('wxpay-home-');
  const folder = cacheFolder(path.join(home, '.cache'));
  writeStaleCache(folder);
  const stale = readFileSync(path.join(folder, CACHE));
  const result = await runCli(['--version'], { home });
  assert.equal(result.stdout, `${VERSION}\n`);
  const replaced = readFileSync(path.join(folder, CACHE));
  assert.notDeepEqual(replaced, stale);
  assert.ok(replaced.subarray(4, 4 + replaced.readUInt32LE(0)).equals(readFileSync(CLI)), 'the new cache holds the current source');
});

test('a cache folder that others can write to is not written to', async () => {
  const home = tempDir('wxpay-home-');
  const folder = cacheFolder(path.join(home, '.cache'));
  mkdirSync(folder, { recursive: true });
  for (const mode of [0o777, 0o720]) {
    chmodSync(folder, mode);
    const result = await runCli(['--version'], { home });
    assert.equal(result.stdout, `${VERSION}\n`);
    assert.deepEqual(readdirSync(folder), [], `nothing written into a folder with mode ${mode.toString(8)}`);
  }
});

test('a cache in a folder that others can write to is not read', async () => {
  // A planted cache that claims the current source but carries other code: in the user's own
  // private folder it would run (as would anything else they let others write there), so a
  // folder that is not private is not trusted at all.
  const own = tempDir('wxpay-home-');
  writeStaleCache(cacheFolder(path.join(own, '.cache')), { storeRealSource: true });
  const planted = await runCli(['--version'], { home: own });
  assert.notEqual(planted.stdout, `${VERSION}\n`, 'control: the planted cache is what a private folder would run');

  const home = tempDir('wxpay-home-');
  const folder = cacheFolder(path.join(home, '.cache'));
  writeStaleCache(folder, { storeRealSource: true });
  const before = readFileSync(path.join(folder, CACHE));
  for (const mode of [0o777, 0o720]) {
    chmodSync(folder, mode);
    const result = await runCli(['--version'], { home });
    assert.equal(result.stdout, `${VERSION}\n`);
    assert.deepEqual(readFileSync(path.join(folder, CACHE)), before);
  }
});

test('a corrupt cache file is ignored and replaced', async () => {
  const home = tempDir('wxpay-home-');
  const folder = cacheFolder(path.join(home, '.cache'));
  await runCli(['--version'], { home });
  for (const name of readdirSync(folder, { recursive: true })) {
    const file = path.join(folder, name);
    if (statSync(file).isFile()) writeFileSync(file, 'not a cache');
  }
  const result = await runCli(['--help'], { home });
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: wxpay-coupon/);
});

test("two checkouts sharing one cache folder: a stack trace names the running checkout's files", async () => {
  // The same dist/cli.cjs in two folders, one HOME. An internal error (here: a preload that
  // breaks a builtin the config loader calls later, once the worker for the JS config has
  // started) with --verbose prints the stack. (A getter that throws is now the config file's own
  // error, exit 3; a JS config itself runs in a worker thread and cannot break this one's builtins.)
  const base = tempDir('wxpay-checkouts-');
  const copies = ['first', 'second'].map((name) => {
    const folder = path.join(base, name);
    cpSync(path.join(ROOT, 'bin'), path.join(folder, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'dist'), path.join(folder, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(folder, 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(folder, 'node_modules'));
    return folder;
  });
  const home = tempDir('wxpay-home-');
  writeFileSync(path.join(home, '.wxpayrc.cjs'), 'module.exports = { mchid: "1" };\n', { mode: 0o600 });
  const preload = path.join(home, 'break-entries.cjs');
  writeFileSync(
    preload,
    [
      "const threads = require('node:worker_threads');",
      'const { Worker } = threads;',
      'threads.Worker = class extends Worker {',
      '  constructor(...args) {',
      '    super(...args);',
      "    Object.entries = () => { throw new Error('boom'); };",
      '  }',
      '};',
      '',
    ].join('\n'),
  );
  for (const round of [1, 2]) {
    for (const folder of copies) {
      const run = spawnSync(
        process.execPath,
        [
          '-r',
          preload,
          path.join(folder, 'bin', 'wxpay-coupon.cjs'),
          'token',
          '--verbose',
          '--dry-run',
          '--open-id',
          'o',
          '--coupon',
          '1:1',
        ],
        {
          cwd: home,
          env: minimalEnv(home),
          encoding: 'utf8',
        },
      );
      assert.equal(run.status, 70, run.stderr);
      const named = [...run.stderr.matchAll(/\((\/[^:()]+\/dist\/cli\.cjs):\d+:\d+\)/g)].map((match) => match[1]);
      assert.ok(named.length > 0, run.stderr);
      for (const file of named) assert.equal(file, path.join(folder, 'dist', 'cli.cjs'), `round ${round}`);
    }
  }
});

test('a cache that is not a regular file (a FIFO, a link to /dev/zero) is not read: the start neither blocks nor fills memory', async () => {
  for (const plant of ['fifo', 'zero']) {
    const home = tempDir('wxpay-home-');
    const folder = cacheFolder(path.join(home, '.cache'));
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, CACHE);
    if (plant === 'fifo') spawnSync('mkfifo', [file]);
    else symlinkSync('/dev/zero', file);
    const result = await runCli(['--help'], { home, timeoutMs: 10_000 });
    assert.equal(result.code, 0, `${plant}: ${result.stderr}`);
    assert.match(result.stdout, /^Usage: wxpay-coupon/, plant);
  }
});

test(
  'a cache folder that cannot be made (HOME under /proc) is skipped at once: the start neither spins nor fails',
  { skip: !existsSync('/proc/self') && 'no /proc here' },
  async () => {
    // Node's recursive mkdirSync never returns there (100% CPU); the bin makes one folder at a time.
    for (const env of [{ HOME: '/proc/self' }, { XDG_CACHE_HOME: '/proc/1/wxpay' }]) {
      const home = tempDir('wxpay-home-');
      const result = await runCli(['--version'], { home, env: { ...minimalEnv(home), ...env }, timeoutMs: 10_000 });
      assert.equal(result.code, 0, `${JSON.stringify(env)}: ${result.stderr}`);
      assert.equal(result.stdout, `${VERSION}\n`);
      assert.equal(result.stderr, '');
    }
  },
);
