// Config files end to end: every place the search looks and --config, on a first run (no compile
// cache yet) and a warm one (cache made) with one HOME; which files are never run or read; what
// --config reads; size caps, non-regular files, BOM; JS configs that fail or never settle.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BIN,
  ROOT,
  configuredSandbox,
  leakedSecret,
  minimalEnv,
  runCli,
  tempDir,
  writeSandboxConfig,
  assertNoSecrets,
  CONFIG_SEARCH_FILES,
} from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];
let sandbox;
before(async () => {
  ({ sandbox } = await configuredSandbox());
});
after(() => sandbox.close());

/** Writes a config for the sandbox as `file` in `folder`; `.js` as ESM (with "type": "module") or CommonJS. */
function writeConfig(folder, file, { commonjs = false } = {}) {
  mkdirSync(folder, { recursive: true });
  if (file.endsWith('.js') && !commonjs) writeFileSync(path.join(folder, 'package.json'), '{"type":"module"}');
  const { config } = writeSandboxConfig(sandbox, folder, { file });
  if (commonjs) writeFileSync(path.join(folder, file), `module.exports = ${JSON.stringify(config)};\n`, { mode: 0o600 });
}

function mkfifo(file) {
  const made = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
}

/** The binary run as another user (setpriv), for the rule "owned by the current user or root". */
function runAs(uid, args, { cwd, home }) {
  return new Promise((resolve, reject) => {
    const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, BIN, ...args], {
      cwd,
      env: minimalEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const leak = leakedSecret(stdout) ?? leakedSecret(stderr);
      if (leak) reject(new Error(`printed ${leak}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

async function tokenTwice(args, { cwd, home }) {
  for (const run of ['first', 'warm']) {
    const result = await runCli(['token', '--json', ...args, ...COUPON], { cwd, home });
    assert.equal(result.code, 0, `${run} run: ${result.stderr}`);
    assert.equal(result.stderr, '', `${run} run: stderr must be empty`);
    assert.equal(JSON.parse(result.stdout).token, sandbox.requests.at(-1).token, `${run} run`);
    assertNoSecrets(result, sandbox.credentials);
  }
}

const SEARCH = CONFIG_SEARCH_FILES;
const GLOBAL = ['config', 'config.json', 'config.yaml', 'config.yml', 'config.js', 'config.cjs', 'config.mjs'];

describe('every format in every place, on a first and a warm run (compile cache made) with one HOME', () => {
  for (const file of SEARCH) {
    for (const commonjs of file.endsWith('.js') ? [false, true] : [false]) {
      test(`search: ${file}${commonjs ? ' (CommonJS)' : ''}`, async () => {
        const home = tempDir('wxpay-home-');
        const project = path.join(home, 'project');
        writeConfig(project, file, { commonjs });
        const nested = path.join(project, 'src');
        mkdirSync(nested);
        await tokenTwice([], { cwd: nested, home });
      });
    }
  }
  for (const file of GLOBAL) {
    for (const commonjs of file.endsWith('.js') ? [false, true] : [false]) {
      test(`global folder: ~/.config/wxpay/${file}${commonjs ? ' (CommonJS)' : ''}`, async () => {
        const home = tempDir('wxpay-home-');
        writeConfig(path.join(home, '.config', 'wxpay'), file, { commonjs });
        const work = path.join(home, 'work');
        mkdirSync(work);
        await tokenTwice([], { cwd: work, home });
      });
    }
  }
  for (const file of ['merchant.json', 'merchant.yaml', 'merchant.mjs', 'merchant.cjs', 'merchant.js']) {
    test(`--config ${file}`, async () => {
      const home = tempDir('wxpay-home-');
      writeConfig(path.join(home, 'elsewhere'), file);
      await tokenTwice(['--config', `elsewhere/${file}`], { cwd: home, home });
    });
  }
});

describe('--config (and WXPAY_CONFIG) reads exactly that file, nothing else', () => {
  test("not package.json, not cosmiconfig's own .config/config.js, not a FIFO in the working directory", async () => {
    const home = tempDir('wxpay-home-');
    writeConfig(path.join(home, 'elsewhere'), 'merchant.json');
    const work = path.join(home, 'work');
    mkdirSync(path.join(work, '.config'), { recursive: true });
    writeFileSync(path.join(work, 'package.json'), '\uFEFF{"name": "app",}\n');
    writeFileSync(
      path.join(work, '.config', 'config.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(path.join(home, 'RAN'))}, 'x'); module.exports = {};\n`,
    );
    mkfifo(path.join(work, '.wxpayrc.json'));
    for (const how of [{ args: ['--config', '../elsewhere/merchant.json'] }, { env: { WXPAY_CONFIG: '../elsewhere/merchant.json' } }]) {
      const result = await runCli(['token', '-q', ...(how.args ?? []), ...COUPON], {
        cwd: work,
        home,
        env: how.env && minimalEnv(home, how.env),
        timeoutMs: 10_000,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, `${sandbox.requests.at(-1).token}\n`);
    }
    assert.equal(existsSync(path.join(home, 'RAN')), false, 'a file in the working directory was run');
  });

  test('--config "" and WXPAY_CONFIG="" are refused, not taken for the working directory', async () => {
    const home = tempDir('wxpay-home-');
    const result = await runCli(['--config', '', 'token', ...COUPON], { cwd: home, home });
    assert.equal(result.code, 3);
    assert.equal(
      result.stderr,
      'wxpay-coupon: the configuration has a problem:\n  - --config: is empty; name a config file, or leave it out to search for one\n',
    );
    assert.doesNotMatch(result.stderr, /folder/);
  });
});

describe('a UTF-8 byte order mark is accepted in every JSON and YAML config', () => {
  const cases = [
    { place: 'package.json', folder: 'project' },
    { place: '.wxpayrc', folder: 'project' },
    { place: '.wxpayrc.json', folder: 'project' },
    { place: '.wxpayrc.yaml', folder: 'project' },
    { place: '.wxpayrc.yml', folder: 'project' },
    { place: 'config', folder: '.config/wxpay' },
    { place: 'config.json', folder: '.config/wxpay' },
    { place: 'config.yaml', folder: '.config/wxpay' },
    { place: 'merchant.json', folder: 'elsewhere', explicit: true },
    { place: 'merchant.yaml', folder: 'elsewhere', explicit: true },
  ];
  for (const { place, folder, explicit } of cases) {
    test(`${explicit ? '--config ' : ''}${folder}/${place}`, async () => {
      const home = tempDir('wxpay-home-');
      const target = path.join(home, folder);
      writeConfig(target, place);
      const file = path.join(target, place);
      writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8')}`);
      mkdirSync(path.join(home, 'project'), { recursive: true });
      const result = await runCli(['token', '-q', ...(explicit ? ['--config', file] : []), ...COUPON], {
        cwd: path.join(home, 'project'),
        home,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
    });
  }
});

describe('bounded reads: non-regular files are refused unread, never waited on; size is capped', () => {
  test('a FIFO as --config, as WXPAY_CONFIG, and found by the search (a config file and package.json): exit 3 naming it', async () => {
    const home = tempDir('wxpay-home-');
    const fifo = path.join(home, 'merchant.json');
    mkfifo(fifo);
    const runs = [
      runCli(['--config', fifo, 'token', ...COUPON], { cwd: home, home, timeoutMs: 10_000 }),
      runCli(['token', ...COUPON], { cwd: home, home, env: minimalEnv(home, { WXPAY_CONFIG: fifo }), timeoutMs: 10_000 }),
    ];
    for (const name of ['.wxpayrc.json', 'package.json']) {
      const project = path.join(home, `project-${name}`);
      mkdirSync(project);
      mkfifo(path.join(project, name));
      runs.push(runCli(['token', ...COUPON], { cwd: project, home, timeoutMs: 10_000 }));
    }
    const [byFlag, byVariable, ...searched] = await Promise.all(runs);
    assert.equal(byFlag.code, 3, byFlag.stderr);
    assert.equal(
      byFlag.stderr,
      'wxpay-coupon: the configuration has a problem:\n  - --config: is not a regular file (a pipe, device or socket); name a config file\n',
    );
    assert.equal(byVariable.code, 3, byVariable.stderr);
    assert.match(byVariable.stderr, /- WXPAY_CONFIG: is not a regular file/);
    for (const [index, result] of searched.entries()) {
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, new RegExp(`- ${['\\.wxpayrc\\.json', 'package\\.json'][index]}: is not a regular file`));
    }
  });

  test('a device (/dev/zero) as --config is refused unread', async () => {
    const home = tempDir('wxpay-home-');
    const result = await runCli(['--config', '/dev/zero', 'token', ...COUPON], { cwd: home, home, timeoutMs: 10_000 });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /--config: is not a regular file/);
  });

  test('a config file above 1 MiB is refused, found by the search or named', async () => {
    const home = tempDir('wxpay-home-');
    for (const name of ['.wxpayrc.json', 'package.json', '.wxpayrc.yaml', '.wxpayrc.cjs']) {
      const project = path.join(home, `p-${name}`);
      mkdirSync(project);
      const file = path.join(project, name);
      writeFileSync(file, '');
      truncateSync(file, 1024 * 1024 + 1);
      for (const args of [[], ['--config', file]]) {
        const result = await runCli([...args, 'token', ...COUPON], { cwd: project, home });
        assert.equal(result.code, 3, result.stderr);
        assert.match(result.stderr, /: is 1048577 bytes; a config file may be at most 1048576 bytes \(1 MiB\)\n$/);
      }
    }
  });
});

/** A file that, if run, leaves a mark; and holds a working config otherwise. */
function markingConfig(folder, name, mark) {
  const { config } = writeSandboxConfig(sandbox, folder, { file: name });
  if (/\.c?js$/.test(name)) {
    writeFileSync(
      path.join(folder, name),
      `require('node:fs').writeFileSync(${JSON.stringify(mark)}, 'ran');\nmodule.exports = ${JSON.stringify(config)};\n`,
      { mode: 0o600 },
    );
  }
  return path.join(folder, name);
}

const asRoot = process.getuid?.() === 0;
const needsRoot = asRoot ? false : 'files owned by another user can only be made as root (chown)';

describe("the search runs and reads only the user's own config files", { skip: needsRoot }, () => {
  const FOREIGN = 12345;
  for (const name of ['.wxpayrc.cjs', '.wxpayrc.json', '.wxpayrc.yaml', 'package.json']) {
    test(`${name} owned by another user, writable by others, or in a folder others can write to: skipped with a reason`, async () => {
      const home = tempDir('wxpay-home-');
      const variants = {
        'owned by another user': (file) => chownSync(file, FOREIGN, FOREIGN),
        'writable by its group': (file) => chmodSync(file, 0o620),
        'writable by others': (file) => chmodSync(file, 0o602),
        'in a folder anyone can write to (no sticky bit)': (file) => chmodSync(path.dirname(file), 0o777),
        'in a folder of another user': (file) => chownSync(path.dirname(file), FOREIGN, FOREIGN),
        'below a folder anyone can write to': (file) => chmodSync(path.dirname(path.dirname(file)), 0o777),
      };
      for (const [variant, spoil] of Object.entries(variants)) {
        const shared = path.join(home, variant.replace(/\W+/g, '-'));
        const folder = path.join(shared, 'build');
        mkdirSync(folder, { recursive: true });
        const mark = path.join(home, `ran-${variant.replace(/\W+/g, '-')}`);
        const file = markingConfig(folder, name, mark);
        spoil(file);
        const cwd = path.join(folder, 'sub');
        mkdirSync(cwd);
        const result = await runCli(['token', ...COUPON], { cwd, home });
        assert.equal(result.code, 3, `${variant}: ${result.stderr}`);
        assert.equal(existsSync(mark), false, `${variant}: the config was run`);
        const lines = result.stderr.split('\n');
        assert.match(lines[0], new RegExp(`^warning: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} skipped, not read: `), variant);
        assert.match(lines[1], /no configuration found/, variant);
        if (variant === 'owned by another user') assert.match(lines[0], /owned by another user \(uid 12345\)/);
      }
    });
  }

  test("the user's own file in a folder with the sticky bit (as under /tmp) is used, and so is root's", async () => {
    const home = tempDir('wxpay-home-');
    const shared = path.join(home, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const mark = path.join(home, 'ran');
    markingConfig(shared, '.wxpayrc.cjs', mark);
    const result = await runCli(['token', '-q', ...COUPON], { cwd: shared, home });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.ok(existsSync(mark));
  });

  test('--config: a JS file another user owns (or can write) is not run; a JSON one named explicitly is read', async () => {
    const home = tempDir('wxpay-home-');
    const mark = path.join(home, 'ran');
    const js = markingConfig(path.join(home, 'js'), 'merchant.cjs', mark);
    chownSync(js, FOREIGN, FOREIGN);
    const refused = await runCli(['--config', js, 'token', ...COUPON], { cwd: home, home });
    assert.equal(refused.code, 3);
    assert.equal(existsSync(mark), false);
    assert.equal(
      refused.stderr,
      `wxpay-coupon: the configuration has a problem:\n  - --config: js/merchant.cjs is not run: it is owned by another user (uid 12345)\n`,
    );
    chownSync(js, 0, 0);
    chmodSync(js, 0o666);
    const writable = await runCli(['--config', js, 'token', ...COUPON], { cwd: home, home });
    assert.equal(writable.code, 3);
    assert.match(writable.stderr, /is not run: group or others can write to it \(mode 666; chmod go-w /);
    const json = markingConfig(path.join(home, 'json'), 'merchant.json', mark);
    chownSync(json, FOREIGN, FOREIGN);
    const read = await runCli(['--config', json, 'token', '-q', ...COUPON], { cwd: home, home });
    assert.equal(read.code, 0, read.stderr);
  });

  test("run by a user who is not root: their own file and root's are used, another user's is skipped", async () => {
    const NOBODY = 65534;
    const home = tempDir('wxpay-home-');
    const project = path.join(home, 'project');
    mkdirSync(project);
    const keys = path.join(home, 'keys');
    const { config } = writeSandboxConfig(sandbox, project, { keysDir: keys });
    chownSync(home, NOBODY, NOBODY);
    chownSync(path.join(keys, 'apiclient_key.pem'), NOBODY, NOBODY);
    const file = path.join(project, '.wxpayrc.cjs');
    rmSync(path.join(project, '.wxpayrc.json'));
    writeFileSync(file, `module.exports = ${JSON.stringify(config)};\n`, { mode: 0o644 });
    for (const [owner, expected] of [
      [NOBODY, 0],
      [0, 0],
      [FOREIGN, 3],
    ]) {
      chownSync(file, owner, owner);
      const result = await runAs(NOBODY, ['token', '-q', ...COUPON], { cwd: project, home });
      assert.equal(result.code, expected, `owner ${owner}: ${result.stderr}`);
      if (expected === 0) assert.equal(result.stderr, '', `owner ${owner}`);
      else assert.match(result.stderr, /^warning: .*\.wxpayrc\.cjs skipped, not read: it is owned by another user \(uid 12345\)\n/);
    }
  });
});

describe('a JS config that fails: the file, the error class and where, never the message', () => {
  test('a thrown Error, a SyntaxError quoting a token, a ReferenceError, a thrown string, a rejected promise', async () => {
    const secret = sandbox.credentials.apiv3Key;
    const cases = [
      [
        '.wxpayrc.cjs',
        `const x = 1;\nthrow new Error(${JSON.stringify(secret)});\n`,
        /- \.wxpayrc\.cjs: failed with an Error at line 2, column 7 \(its message is not shown: it may quote a secret\); run `node .*\.wxpayrc\.cjs` to see it\n$/,
      ],
      [
        '.wxpayrc.cjs',
        `module.exports = {\n  apiv3Key: ${JSON.stringify(secret)} ${JSON.stringify(secret)}\n};\n`,
        /- \.wxpayrc\.cjs: failed with a SyntaxError at line 2 \(its message is not shown/,
      ],
      [
        '.wxpayrc.mjs',
        `export default {\n  apiv3Key: ${secret.replace(/[^A-Za-z]/g, 'x')},\n};\n`,
        /- \.wxpayrc\.mjs: failed with a ReferenceError at line 2, column 13 /,
      ],
      [
        '.wxpayrc.mjs',
        `export default {\n  apiv3Key: ${JSON.stringify(secret)} ${JSON.stringify(secret)}\n};\n`,
        /- \.wxpayrc\.mjs: failed with a SyntaxError \(its message is not shown/,
      ],
      [
        '.wxpayrc.cjs',
        `throw ${JSON.stringify(secret)};\n`,
        /- \.wxpayrc\.cjs: threw a string, not an Error; run `node .*\.wxpayrc\.cjs` to see it\n$/,
      ],
      [
        '.wxpayrc.cjs',
        `module.exports = Promise.reject(new TypeError(${JSON.stringify(secret)}));\n`,
        /- \.wxpayrc\.cjs: exports a promise that was rejected: failed with a TypeError at line 1, column 33 /,
      ],
      // Not a promise: a Proxy whose then throws, an object whose then rejects (awaited all the same).
      [
        '.wxpayrc.cjs',
        `module.exports = new Proxy({}, { get(target, key) { if (key === 'then') throw new TypeError(${JSON.stringify(secret)}); } });\n`,
        /- \.wxpayrc\.cjs: exports something with a then \(a Proxy, or an object with a then method\), awaited like a promise, and that failed: failed with a TypeError at line 1, column \d+ .*; export the config object itself\n$/,
      ],
      [
        '.wxpayrc.mjs',
        `export default { then(resolve, reject) { reject(new TypeError(${JSON.stringify(secret)})); } };\n`,
        /- \.wxpayrc\.mjs: exports something with a then .*and that failed: failed with a TypeError at line 1, column \d+ /,
      ],
      // A `then` export makes the module itself a thenable, which import() calls (hostile check, helper-40).
      [
        '.wxpayrc.cjs',
        'module.exports = { then(resolve) { resolve({ mchid: "1" }); } };\n',
        /- \.wxpayrc\.cjs: exports a then \(module\.exports\.then, or export const then\), so import\(\) takes the file for a promise and never reads its config; remove or rename then, and export the config object itself\n$/,
      ],
      [
        '.wxpayrc.mjs',
        'export const then = (resolve) => resolve({});\nexport default { mchid: "1" };\n',
        /- \.wxpayrc\.mjs: exports a then /,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, name), text, { mode: 0o600 });
      for (const json of [false, true]) {
        const result = await runCli(['token', ...(json ? ['--json'] : []), ...COUPON], { cwd: home, home });
        assert.equal(result.code, 3, result.stderr);
        assert.ok(!result.stderr.includes(secret), `${text}: the message was printed`);
        assert.ok(!result.stderr.includes(secret.slice(0, 8)), `${text}: part of the message was printed`);
        if (!json) assert.match(result.stderr, expected);
        else assert.equal(JSON.parse(result.stderr).error.kind, 'config');
      }
    }
  });
});

describe('a JS config whose exported value throws when read: exit 3 naming it, never the message', () => {
  test('a getter, a Proxy trap, a nested getter, in .cjs and .mjs, for token and doctor', async () => {
    const secret = sandbox.credentials.apiv3Key;
    const thrown = `throw new TypeError(${JSON.stringify(secret)})`;
    const cases = [
      ['.wxpayrc.cjs', `module.exports = { get mchid() { ${thrown}; } };\n`],
      ['.wxpayrc.cjs', `module.exports = new Proxy({}, { ownKeys() { ${thrown}; } });\n`],
      ['.wxpayrc.cjs', `module.exports = { profiles: { a: { get apiv3Key() { ${thrown}; } } } };\n`],
      ['.wxpayrc.mjs', `export default { get serial() { ${thrown}; } };\n`],
      ['.wxpayrc.cjs', `module.exports = Promise.resolve(new Proxy({}, { get() { ${thrown}; } }));\n`],
    ];
    for (const [name, text] of cases) {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, name), text, { mode: 0o600 });
      for (const args of [
        ['token', ...COUPON],
        ['token', '--json', ...COUPON],
        ['doctor', '--json'],
      ]) {
        const result = await runCli(args, { cwd: home, home });
        assert.equal(result.code, 3, `${text} ${args.join(' ')}: ${result.stderr}`);
        assert.ok(!(result.stdout + result.stderr).includes(secret.slice(0, 8)), `${text}: the message was printed`);
        assert.doesNotMatch(result.stderr, /internal error/);
        if (args.length > 2 && !args.includes('--json')) {
          assert.match(
            result.stderr,
            /- \.wxpayrc\.[cm]js: (failed with a TypeError while its exported value was read|exports a promise that was rejected: failed with a TypeError) .*\(its message is not shown: it may quote a secret\); run `node /,
          );
        }
      }
    }
  });
});

describe('a JS config that leaves a timer running: the command still ends with its exit code', () => {
  test('setInterval in .cjs and .mjs: token prints its token and exits 0, a bad config exits 3, each within seconds', async () => {
    for (const [name, exported] of [
      ['.wxpayrc.cjs', 'module.exports ='],
      ['.wxpayrc.mjs', 'export default'],
    ]) {
      const home = tempDir('wxpay-home-');
      const { config } = writeSandboxConfig(sandbox, home, { file: 'base.json' });
      writeFileSync(path.join(home, name), `setInterval(() => {}, 1000);\n${exported} ${JSON.stringify(config)};\n`, { mode: 0o600 });
      const started = Date.now();
      const ok = await runCli(['token', '-q', ...COUPON], { cwd: home, home, timeoutMs: 15_000 });
      assert.equal(ok.code, 0, `${name}: ${ok.stderr}`);
      assert.equal(ok.stdout, `${sandbox.requests.at(-1).token}\n`);
      writeFileSync(path.join(home, name), `setInterval(() => {}, 1000);\n${exported} {};\n`, { mode: 0o600 });
      const bad = await runCli(['token', ...COUPON], { cwd: home, home, timeoutMs: 15_000 });
      assert.equal(bad.code, 3, `${name}: ${bad.stderr}`);
      assert.ok(Date.now() - started < 12_000, 'ended within seconds');
    }
  });
});

describe('a JS config that never settles: a bounded wait, then exit 3 naming it; never exit 0 with nothing done', () => {
  test('module.exports = a promise that never settles, and an .mjs whose top-level await never resolves, for token and doctor', async () => {
    const runs = [];
    for (const [name, text] of [
      ['.wxpayrc.cjs', 'module.exports = new Promise(() => {});\n'],
      ['.wxpayrc.mjs', 'await new Promise(() => {});\nexport default {};\n'],
    ]) {
      for (const command of [['token', ...COUPON], ['doctor']]) {
        const home = tempDir('wxpay-home-');
        writeFileSync(path.join(home, name), text, { mode: 0o600 });
        runs.push(runCli(command, { cwd: home, home, timeoutMs: 15_000 }).then((result) => ({ result, name, command })));
      }
    }
    for (const { result, name, command } of await Promise.all(runs)) {
      assert.equal(result.code, 3, `${command[0]} ${name}: ${result.stderr}`);
      assert.match(
        result.stdout + result.stderr,
        new RegExp(
          `${name.replace('.', '\\.')}: did not finish loading within 5 s \\(its code kept running, or a promise it exports, or a top-level await, never settled, or it exports a then, module\\.exports\\.then or export const then, that never calls back: export the config object itself\\)\n`,
        ),
      );
    }
  });

  test('backstop: when the event loop runs empty mid-command, the bin exits 70 with a line saying so, not 0', async () => {
    // Timers and worker threads made unref'd (so neither the config wait's timer nor the worker
    // that evaluates the config can hold the process open; the worker's stdout and stderr left to
    // Node, whose readers would ref it again, and unref() again after each listener, which refs
    // its port): the event loop then runs empty while the config is still pending, as it did
    // before that wait.
    const home = tempDir('wxpay-home-');
    writeFileSync(path.join(home, '.wxpayrc.cjs'), 'module.exports = new Promise(() => {});\n', { mode: 0o600 });
    const preload = path.join(home, 'unref-timers.cjs');
    writeFileSync(
      preload,
      [
        'const set = setTimeout;',
        'globalThis.setTimeout = (...args) => set(...args).unref();',
        "const threads = require('node:worker_threads');",
        'const { Worker } = threads;',
        'threads.Worker = class extends Worker {',
        '  constructor(file, options) {',
        '    super(file, { ...options, stdout: false, stderr: false });',
        '  }',
        '  on(...args) {',
        '    super.on(...args);',
        '    this.unref();',
        '    return this;',
        '  }',
        '};',
        '',
      ].join('\n'),
    );
    const result = await runCli(['token', ...COUPON], { cwd: home, home, nodeArgs: ['-r', preload] });
    assert.equal(result.code, 70, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^wxpay-coupon: internal error: the command stopped before it finished/);
  });
});

describe('a JS config runs in a worker thread: code that never yields, process.exit, values that cannot cross', () => {
  test('while (true) {} in .cjs and .mjs: exit 3 once the 5 s are up, with the timeout message (text and --json)', async () => {
    const runs = [
      ['.wxpayrc.cjs', false],
      ['.wxpayrc.mjs', true],
    ].map(([name, json]) => {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, name), 'while (true) {}\n', { mode: 0o600 });
      const args = ['token', ...(json ? ['--json'] : []), '--dry-run', ...COUPON];
      return runCli(args, { cwd: home, home, timeoutMs: 15_000 }).then((result) => ({ result, name, json }));
    });
    for (const { result, name, json } of await Promise.all(runs)) {
      const context = `${name}${json ? ' --json' : ''} (${Math.round(result.elapsedMs)} ms): ${result.stderr}`;
      assert.equal(result.code, 3, context);
      assert.equal(result.stdout, '', context);
      assert.ok(result.elapsedMs > 4900 && result.elapsedMs < 9000, context);
      const message = json ? JSON.parse(result.stderr).error.message : result.stderr;
      assert.match(
        message,
        new RegExp(`${name.replace('.', '\\.')}: did not finish loading within 5 s \\(its code kept running,`),
        context,
      );
    }
  });

  test('SIGTERM or Ctrl-C while such a config runs ends the wait at once: exit 130 saying so', async () => {
    const home = tempDir('wxpay-home-');
    writeFileSync(path.join(home, '.wxpayrc.cjs'), 'while (true) {}\n', { mode: 0o600 });
    for (const signal of ['SIGTERM', 'SIGINT']) {
      const result = await runCli(['token', '--dry-run', ...COUPON], {
        cwd: home,
        home,
        timeoutMs: 15_000,
        onSpawn: (child) => setTimeout(() => child.kill(signal), 1000),
      });
      const context = `${signal} (${Math.round(result.elapsedMs)} ms): ${result.stderr}`;
      assert.equal(result.code, 130, context);
      assert.ok(result.elapsedMs < 4000, context);
      assert.equal(result.stdout, '', context);
      assert.match(result.stderr, /interrupted \(Ctrl-C or SIGTERM\) while a JS config file was loading; nothing was sent\n$/, context);
    }
  });

  test('process.exit(0) and process.exit(7), searched for or named by --config: exit 3 naming the file, never 0 with nothing printed', async () => {
    const runs = [
      ['.wxpayrc.cjs', 'process.exit(0);\n', 0, []],
      ['.wxpayrc.mjs', 'process.exit(7);\nexport default {};\n', 7, []],
      ['x.cjs', 'module.exports = {};\nprocess.exit(7);\n', 7, ['--config', 'x.cjs']],
    ].map(([name, text, code, extra]) => {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, name), text, { mode: 0o600 });
      return Promise.all(
        [false, true].map((json) =>
          runCli(['token', ...extra, ...(json ? ['--json'] : []), '--dry-run', ...COUPON], { cwd: home, home }).then((result) => ({
            result,
            name,
            code,
            json,
          })),
        ),
      );
    });
    for (const { result, name, code, json } of (await Promise.all(runs)).flat()) {
      const context = `${name}${json ? ' --json' : ''}: ${result.stderr}`;
      assert.equal(result.code, 3, context);
      assert.equal(result.stdout, '', context);
      const message = json ? JSON.parse(result.stderr).error.message : result.stderr;
      assert.match(
        message,
        new RegExp(
          `: stopped before exporting a value \\(it called process\\.exit\\(\\), exit code ${code}\\); a config file may only export its settings`,
        ),
        context,
      );
      if (json) assert.equal(JSON.parse(result.stderr).error.kind, 'config', context);
    }
  });

  test('a function or a symbol in the exported value: exit 3, not plain data; a class instance is read by its own keys, as before', async () => {
    for (const [name, text] of [
      ['.wxpayrc.cjs', 'module.exports = { mchid: () => "1900000001" };\n'],
      ['.wxpayrc.mjs', 'export default { profiles: { prod: { serial: Symbol("x") } } };\n'],
    ]) {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, name), text, { mode: 0o600 });
      const result = await runCli(['token', '--dry-run', ...COUPON], { cwd: home, home });
      assert.equal(result.code, 3, `${name}: ${result.stderr}`);
      assert.match(result.stderr, /: exports something that is not plain data \(a function, a symbol …\); a config file may export only /);
      assert.doesNotMatch(result.stderr, /internal error|DataCloneError/);
    }
    const home = tempDir('wxpay-home-');
    const { config } = writeSandboxConfig(sandbox, home, { file: 'base.json' });
    writeFileSync(
      path.join(home, '.wxpayrc.cjs'),
      `class Settings { constructor() { Object.assign(this, ${JSON.stringify(config)}); } describe() { return 'x'; } }\nmodule.exports = new Settings();\n`,
      { mode: 0o600 },
    );
    const ok = await runCli(['token', '-q', ...COUPON], { cwd: home, home });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, `${sandbox.requests.at(-1).token}\n`);
  });

  test('an error thrown later from a timer, or a rejection nobody handles: exit 3 by its class and line, at once, never its message', async () => {
    const secret = sandbox.credentials.apiv3Key;
    for (const [text, expected] of [
      [
        `setTimeout(() => {\n  throw new RangeError(${JSON.stringify(secret)});\n}, 10);\nmodule.exports = new Promise(() => {});\n`,
        /\.wxpayrc\.cjs: failed with a RangeError at line 2, column 9 \(its message is not shown: it may quote a secret\)/,
      ],
      [
        `Promise.reject(${JSON.stringify(secret)});\nmodule.exports = new Promise(() => {});\n`,
        /\.wxpayrc\.cjs: threw a string, not an Error/,
      ],
    ]) {
      const home = tempDir('wxpay-home-');
      writeFileSync(path.join(home, '.wxpayrc.cjs'), text, { mode: 0o600 });
      const result = await runCli(['token', '--dry-run', ...COUPON], { cwd: home, home });
      assert.equal(result.code, 3, result.stderr);
      assert.ok(result.elapsedMs < 4000, `${Math.round(result.elapsedMs)} ms`);
      assert.match(result.stderr, expected);
      assert.ok(!result.stderr.includes(secret.slice(0, 8)), result.stderr);
    }
  });
});

/** Every line of stderr, parsed: each must be a JSON object. */
function jsonLines(text) {
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'stderr ends with a newline');
  return lines.map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      assert.fail(`not a JSON line on stderr: ${line}`);
    }
  });
}

describe('--json: stderr carries JSON lines only, warnings included', () => {
  const readableKey = () => {
    const home = tempDir('wxpay-home-');
    writeSandboxConfig(sandbox, home);
    chmodSync(path.join(home, 'apiclient_key.pem'), 0o644);
    return home;
  };

  test('a warning on success is a {"warning":{code,message}} line', async () => {
    const home = readableKey();
    const result = await runCli(['token', '--json', ...COUPON], { cwd: home, home });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(jsonLines(result.stderr), [
      {
        warning: {
          code: 'KEY_FILE_READABLE',
          message: 'apiclient_key.pem holds a secret but is readable by others (mode 644); run: chmod 600 apiclient_key.pem',
        },
      },
    ]);
    const text = await runCli(['token', '-q', ...COUPON], { cwd: home, home });
    assert.match(text.stderr, /^warning: apiclient_key\.pem holds a secret but is readable by others/);
  });

  test("on failure the warnings are folded into the one error object, and README's jq example prints one line", async () => {
    const home = readableKey();
    const closed = 'http://127.0.0.1:1';
    const result = await runCli(['token', '--json', '--retries', '0', '--base-url', closed, ...COUPON], { cwd: home, home });
    assert.equal(result.code, 4, result.stderr);
    const [only, ...rest] = jsonLines(result.stderr);
    assert.deepEqual(rest, []);
    assert.equal(only.error.kind, 'network');
    assert.deepEqual(
      only.error.warnings.map((warning) => warning.code),
      ['KEY_FILE_READABLE'],
    );
    // README: jq -r '.error.kind + ": " + .error.message' err.json — the same in JS, and with jq when installed.
    const expected = `network: ${only.error.message}\n`;
    assert.equal(
      jsonLines(result.stderr)
        .map((line) => `${line.error.kind}: ${line.error.message}\n`)
        .join(''),
      expected,
    );
    const jq = spawnSync('jq', ['-r', '.error.kind + ": " + .error.message'], { input: result.stderr, encoding: 'utf8' });
    if (jq.error?.code !== 'ENOENT') assert.equal(jq.stdout, expected, jq.stderr);
  });

  test('a config file skipped by the search is said in the error object', async () => {
    const home = tempDir('wxpay-home-');
    writeSandboxConfig(sandbox, home);
    chmodSync(path.join(home, '.wxpayrc.json'), 0o666);
    const result = await runCli(['token', '--json', ...COUPON], { cwd: home, home });
    assert.equal(result.code, 3, result.stderr);
    const [only, ...rest] = jsonLines(result.stderr);
    assert.deepEqual(rest, []);
    assert.equal(only.error.warnings[0].code, 'CONFIG_SKIPPED');
    assert.match(only.error.warnings[0].message, /^\.wxpayrc\.json skipped, not read: group or others can write to it \(mode 666/);
    // The error itself says a file was there, not that none was found.
    assert.match(only.error.message, /no usable config file found \(.*; the file skipped above was not read\)/);
  });

  test('no configuration: the hint names a config that parses (.wxpayrc.yaml) and a sandbox the command can use', async () => {
    const home = tempDir('wxpay-home-');
    const token = await runCli(['token', ...COUPON], { cwd: home, home });
    assert.equal(token.code, 3, token.stderr);
    assert.match(token.stderr, /^ {2}- configuration: no config file found \(/m);
    assert.match(token.stderr, /Copy \.wxpayrc\.example to \.wxpayrc\.yaml/);
    assert.match(token.stderr, /or try the local sandbox with --sandbox$/m);
    // Only token has --sandbox: every other command is told to start one.
    for (const args of [['doctor'], ['certs', 'list'], ['api', 'GET', '/v3/certificates']]) {
      const result = await runCli(args, { cwd: home, home });
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`);
      // doctor lists the problem as a check on stdout; the others on stderr.
      assert.doesNotMatch(result.stdout + result.stderr, /with --sandbox/, args.join(' '));
      assert.match(result.stdout + result.stderr, /run wxpay-coupon sandbox, and this command in the folder it names/, args.join(' '));
    }
    // What the hint says works: the example, copied to .wxpayrc.yaml, is read as a config; and
    // the Chinese hint's example (the same file, commented in Chinese) is read as the same config.
    const reports = [];
    for (const example of ['.wxpayrc.example', '.wxpayrc.zh-CN.example']) {
      copyFileSync(path.join(ROOT, example), path.join(home, '.wxpayrc.yaml'));
      chmodSync(path.join(home, '.wxpayrc.yaml'), 0o600);
      const copied = await runCli(['doctor', '--json'], { cwd: home, home });
      assert.doesNotMatch(copied.stderr + copied.stdout, /cannot be parsed|no config file/, copied.stdout + copied.stderr);
      reports.push(JSON.parse(copied.stdout));
    }
    assert.deepEqual(reports[1], reports[0]);
  });

  test("Node's own warnings (from a JS config, from NODE_OPTIONS) become JSON warnings, never Node's text", async () => {
    const home = tempDir('wxpay-home-');
    const { config } = writeSandboxConfig(sandbox, home);
    writeFileSync(
      path.join(home, '.wxpayrc.cjs'),
      `process.emitWarning('old API', 'DeprecationWarning', 'DEP_X');\nmodule.exports = ${JSON.stringify(config)};\n`,
      { mode: 0o600 },
    );
    rmSync(path.join(home, '.wxpayrc.json'));
    const preload = path.join(home, 'warn.cjs');
    writeFileSync(preload, "process.emitWarning('try me', 'ExperimentalWarning');\n");
    for (const args of [
      ['token', '--json', ...COUPON],
      ['token', '--json', '--dry-run', ...COUPON],
      ['certs', 'list', '--json'],
    ]) {
      const result = await runCli(args, { cwd: home, home, env: minimalEnv(home, { NODE_OPTIONS: `--require ${preload}` }) });
      assert.equal(result.code, 0, result.stderr);
      const codes = jsonLines(result.stderr).map((line) => line.warning.code);
      assert.deepEqual(codes.sort(), ['NODE_DEPRECATION_WARNING', 'NODE_EXPERIMENTAL_WARNING'], args.join(' '));
    }
  });

  test('token --sandbox --json and certs list --json without a key: notes and warnings are JSON too', async () => {
    const home = tempDir('wxpay-home-');
    const sandboxRun = await runCli(['token', '--sandbox', '--json', ...COUPON], { cwd: home, home });
    assert.equal(sandboxRun.code, 0, sandboxRun.stderr);
    assert.deepEqual(
      jsonLines(sandboxRun.stderr).map((line) => line.warning.code),
      ['SANDBOX_TOKEN'],
    );
    writeSandboxConfig(sandbox, home, { overrides: { publicKeyId: undefined, publicKey: undefined } });
    const list = await runCli(['certs', 'list', '--json'], { cwd: home, home });
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      jsonLines(list.stderr).map((line) => line.warning.code),
      ['NO_VERIFICATION_KEY'],
    );
  });
});

test('what a JS config prints goes to stderr, never into the command\u2019s stdout (-q, --json)', async () => {
  const { sandbox, dir } = await configuredSandbox();
  try {
    const file = path.join(dir, 'loud.cjs');
    writeFileSync(
      file,
      'console.log("from console.log"); process.stdout.write("from process.stdout\\n"); module.exports = require("./.wxpayrc.json");\n',
      { mode: 0o600 },
    );
    const quiet = await runCli(['--config', file, 'token', '-q', '--open-id', 'oUser', '--coupon', '16474341:1'], { cwd: dir, home: dir });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.match(quiet.stderr, /from console\.log\nfrom process\.stdout\n/);
    const json = await runCli(['--config', file, 'token', '--json', '--open-id', 'oUser', '--coupon', '16474341:1'], {
      cwd: dir,
      home: dir,
    });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).token, sandbox.requests.at(-1).token);
  } finally {
    await sandbox.close();
  }
});

test('full-width punctuation from a Chinese input method (mchid： …) is named as the likely cause, in YAML, JSON and batch lines, not in comments', async () => {
  const hint = /full-width punctuation \(： ， “ ” from a Chinese input method\)/;
  const zhHint = /全角标点（中文输入法打出的：，“”）/;
  for (const [name, text, expected] of [
    ['.wxpayrc.yaml', '# 商户号：示例\nmchid： "1900000001"\n', true],
    ['.wxpayrc.json', '{"mchid"："1900000001"}', true],
    ['.wxpayrc.yaml', '# 注释：示例\nmchid: "1"\n: bad\n', false],
  ]) {
    const dir = tempDir('wxpay-fullwidth-');
    writeFileSync(path.join(dir, name), text, { mode: 0o600 });
    const en = await runCli(['doctor'], { cwd: dir, home: dir });
    assert.equal(en.code, 3, en.stderr);
    if (expected) assert.match(en.stdout, hint, `${name}: ${en.stdout}`);
    else assert.doesNotMatch(en.stdout, hint, `${name}: only a comment holds it`);
    const zh = await runCli(['doctor'], { cwd: dir, env: minimalEnv(dir, { LANG: 'zh_CN.UTF-8' }) });
    if (expected) assert.match(zh.stdout, zhHint, zh.stdout);
  }
  const dir = tempDir('wxpay-fullwidth-');
  const batch = await runCli(['token', '--sandbox', '--batch', '-'], {
    cwd: dir,
    home: dir,
    input: '{"open_id"："oUser1"，"coupon_list":[]}\n',
  });
  assert.equal(batch.code, 6, batch.stderr);
  assert.match(JSON.parse(batch.stdout).error.message, /^line 1 is not JSON \(.*\); the line holds full-width punctuation/);
});
