// What a start loads. Timings belong to `npm run bench`; this pins, without timing anything, the
// Node modules each kind of run must not load (each costs every call 1–9 ms), so a change that
// brings one back fails here rather than only showing in the next benchmark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { configuredSandbox, minimalEnv, runCli, tempDir, ROOT } from './helpers.js';

let sandbox;
let dir;
before(async () => {
  ({ sandbox, dir } = await configuredSandbox());
  writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "private": true}\n');
});
after(() => sandbox.close());

const preload = path.join(tempDir('wxpay-preload-'), 'modules.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));\n",
);

/**
 * Node's built-in modules a run loaded beyond what `node -e 0` loads, once the compile cache is
 * made: the run that makes it (the first after an install or upgrade) also loads node:v8 to
 * compile the bundle eagerly, and node:stream with it.
 */
async function modulesLoadedBy(args) {
  const out = path.join(tempDir('wxpay-modules-'), 'list');
  const env = minimalEnv(dir, { MODULES_OUT: out });
  const base = spawnSync(process.execPath, ['-r', preload, '-e', '0'], { env, cwd: dir });
  assert.equal(base.status, 0, String(base.stderr));
  const baseline = new Set(readFileSync(out, 'utf8').split('\n'));
  await runCli(args, { cwd: dir, home: dir, env });
  const result = await runCli(args, { cwd: dir, home: dir, env, nodeArgs: ['-r', preload] });
  const loaded = readFileSync(out, 'utf8')
    .split('\n')
    .filter((name) => !baseline.has(name) && name.startsWith('NativeModule '))
    .map((name) => name.slice('NativeModule '.length));
  return { result, loaded };
}

const NEVER = ['http', 'http2', 'tls', 'child_process', 'perf_hooks', 'fs/promises', 'assert', 'tty', 'readline'];

test('--help and a usage error load no stream, network, crypto or terminal module', async () => {
  for (const args of [['--help'], ['token', '--open-id', 'o', '--coupon', 'x']]) {
    const { result, loaded } = await modulesLoadedBy(args);
    assert.ok(result.code === 0 || result.code === 2, result.stderr);
    for (const name of ['stream', 'net', 'crypto', ...NEVER]) {
      assert.ok(!loaded.includes(name), `${args.join(' ')} loaded node:${name}`);
    }
  }
});

test("no start loads node:module (the bin takes createRequire from its own module's class: 0.26–0.36 ms a start)", async () => {
  // Not judged against `node -e 0`, which loads node:module itself.
  const coupon = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
  for (const args of [
    ['--help'],
    ['token', '--open-id', 'o', '--coupon', 'x'],
    ['token', '--dry-run', ...coupon],
    ['token', '-q', ...coupon],
  ]) {
    const out = path.join(tempDir('wxpay-modules-'), 'list');
    const env = minimalEnv(dir, { MODULES_OUT: out });
    await runCli(args, { cwd: dir, home: dir, env });
    const result = await runCli(args, { cwd: dir, home: dir, env, nodeArgs: ['-r', preload] });
    assert.ok([0, 2].includes(result.code), result.stderr);
    assert.ok(!readFileSync(out, 'utf8').split('\n').includes('NativeModule module'), `${args.join(' ')} loaded node:module`);
  }
});

test('output sent to /dev/null (a character device, as a terminal is) loads no terminal module', () => {
  const out = path.join(tempDir('wxpay-modules-'), 'list');
  const devNull = openSync('/dev/null', 'w');
  try {
    const result = spawnSync(process.execPath, ['-r', preload, path.join(ROOT, 'bin', 'wxpay-coupon.cjs'), '--help'], {
      cwd: dir,
      env: minimalEnv(dir, { MODULES_OUT: out }),
      stdio: ['ignore', devNull, 'pipe'],
    });
    assert.equal(result.status, 0, String(result.stderr));
  } finally {
    closeSync(devNull);
  }
  const loaded = readFileSync(out, 'utf8').split('\n');
  for (const name of ['tty', 'net', 'stream']) assert.ok(!loaded.includes(`NativeModule ${name}`), `loaded node:${name}`);
});

// A full call loads node:http: undici requires it at load, and the build no longer rewrites
// undici's source to defer it (issue 12: ~3-4 ms on a full call, and a build that broke on
// any undici upgrade). Every other module in NEVER stays out of a full call too.
const NEVER_IN_A_CALL = NEVER.filter((name) => name !== 'http');

test('a dry run loads no network module; a full call none of http2, tls, child_process, perf_hooks, fs/promises, assert', async () => {
  const dry = await modulesLoadedBy(['token', '--dry-run', '--open-id', 'oUser', '--coupon', '16474341:11004999626']);
  assert.equal(dry.result.code, 0, dry.result.stderr);
  for (const name of ['net', ...NEVER]) assert.ok(!dry.loaded.includes(name), `--dry-run loaded node:${name}`);

  const full = await modulesLoadedBy(['token', '-q', '--open-id', 'oUser', '--coupon', '16474341:11004999626']);
  assert.equal(full.result.code, 0, full.result.stderr);
  assert.match(full.result.stdout, /^\S+\n$/);
  assert.ok(full.loaded.includes('net'), 'control: the list does show what a call loads');
  // The bin leaves the idle keep-alive connection to the exit (undici unrefs it): the process
  // must still end at once, not when the connection times out (5–7 s).
  assert.ok(full.result.elapsedMs < 3000, `the call took ${full.result.elapsedMs} ms to exit`);
  for (const name of NEVER_IN_A_CALL) assert.ok(!full.loaded.includes(name), `a token call loaded node:${name}`);
});

test("the CLI's undici chunk still works where node:http is needed: defaults from Node, a destroyed answer", async () => {
  // The chunk is bundled with plugins of our own (scripts/build.js: lazy assert, lazy HTTP/2
  // client); here undici reads its defaults from Node and destroys an answer's stream.
  const { Agent } = createRequire(import.meta.url)(path.join(ROOT, 'dist', 'cli-undici.cjs'));
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('hello');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent(); // no maxHeaderSize: the default is read from node:http
  try {
    const origin = `http://127.0.0.1:${server.address().port}`;
    const response = await agent.request({ origin, path: '/', method: 'GET' });
    assert.equal(response.statusCode, 200);
    assert.equal(await response.body.text(), 'hello');
    const aborted = await agent.request({ origin, path: '/', method: 'GET' });
    aborted.body.destroy(new Error('stop'));
    await assert.rejects(aborted.body.text());
  } finally {
    await agent.close();
    server.close();
  }
});

// src/cli/load-undici.cjs sets a V8 flag before it loads undici; after that, V8 rejects the code
// cache Node ships for its own modules and compiles each one from source (node:http 4.4 ms
// instead of 1.5). So every Node module a request needs is loaded before the flag.
const afterFlag = path.join(tempDir('wxpay-preload-'), 'after-flag.cjs');
writeFileSync(
  afterFlag,
  `const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let before;
v8.setFlagsFromString = function (flags) {
  if (flags === '--liftoff-only') before = new Set(process.moduleLoadList);
  return set.call(this, flags);
};
process.on('exit', () => {
  const list = before === undefined ? 'no flag was set' : process.moduleLoadList.filter((name) => !before.has(name) && name.startsWith('NativeModule ')).join('\\n');
  require('node:fs').writeFileSync(process.env.MODULES_OUT, list);
});
`,
);

async function modulesLoadedAfterFlag(args, { home, env: extra = {} } = {}) {
  const out = path.join(tempDir('wxpay-modules-'), 'list');
  const env = minimalEnv(home, { MODULES_OUT: out, ...extra });
  await runCli(args, { cwd: home, home, env }); // makes the compile cache
  const result = await runCli(args, { cwd: home, home, env, nodeArgs: ['-r', afterFlag] });
  return { result, after: readFileSync(out, 'utf8') };
}

test('every Node module a request needs is loaded before the CLI changes V8 flags: http, https, https proxy', async () => {
  const coupon = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
  const plain = await modulesLoadedAfterFlag(['token', '-q', ...coupon], { home: dir });
  assert.equal(plain.result.code, 0, plain.result.stderr);
  assert.equal(plain.after, '', 'a call over http');

  const { sandbox: secure, dir: folder, ca } = await configuredSandbox({ tls: true });
  try {
    const tls = await modulesLoadedAfterFlag(['token', '-q', ...coupon], { home: folder, env: { NODE_EXTRA_CA_CERTS: ca } });
    assert.equal(tls.result.code, 0, tls.result.stderr);
    assert.equal(tls.after, '', 'a call over https');
  } finally {
    await secure.close();
  }

  // Through an https proxy that refuses the connection: TLS to the proxy is the first thing undici tries.
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  const proxied = await modulesLoadedAfterFlag(
    ['token', '-q', '--retries', '0', ...coupon, '--base-url', 'https://api.mch.weixin.qq.com'],
    {
      home: dir,
      // localhost, not 127.0.0.1: Node warns (DEP0123) when undici gives TLS an IP address as the server name.
      env: { HTTPS_PROXY: `https://localhost:${port}` },
    },
  );
  assert.equal(proxied.result.code, 4, proxied.result.stderr);
  assert.equal(proxied.after, '', 'a call through an https proxy');
});
