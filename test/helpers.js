// Shared test helpers: temp folders, spawning the built binary with a minimal environment,
// configs for a sandbox, and the check that no secret ever reaches the output.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { spawnSandbox } from '../scripts/sandbox-process.js';

export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const BIN = path.join(ROOT, 'bin', 'wxpay-coupon.cjs');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export function fixture(...parts) {
  return readFileSync(path.join(FIXTURES, ...parts), 'utf8');
}

export function tempDir(prefix = 'wxpay-test-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A minimal environment: PATH, a temp HOME, NO_COLOR — nothing from the developer's shell. */
export function minimalEnv(home, extra = {}) {
  return { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...extra };
}

/**
 * Every secret a test has put on disk for the binary to use. runCli checks every run's stdout
 * and stderr against all of them, so no end-to-end test can leak a key without failing.
 */
const KNOWN_SECRETS = new Set();

export function registerSecrets(credentials) {
  for (const secret of secretsOf(credentials)) KNOWN_SECRETS.add(secret);
}

export function leakedSecret(text) {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'a PEM private key';
  for (const secret of KNOWN_SECRETS) if (text.includes(secret)) return `a registered secret (${secret.slice(0, 6)}…)`;
  return undefined;
}

/**
 * Spawns the built binary and collects stdout, stderr and the exit code separately.
 * Async on purpose: the sandbox usually runs in this very process and must keep answering.
 */
/** `input`, when given, is written to the child's stdin (which is otherwise closed). */
export function runCli(args, { cwd, env, home, timeoutMs = 20_000, onSpawn, nodeArgs = [], input } = {}) {
  const homeDir = home ?? tempDir('wxpay-home-');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
      cwd: cwd ?? homeDir,
      env: env ?? minimalEnv(homeDir),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wxpay-coupon ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const leak = leakedSecret(stdout) ?? leakedSecret(stderr);
      if (leak) {
        reject(new Error(`wxpay-coupon ${args.join(' ')} printed ${leak}`));
        return;
      }
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

/**
 * Writes a sandbox's credentials as key files and a config file in `dir`.
 * `format` picks the search place: any file name from SEARCH_PLACES.
 */
export function writeSandboxConfig(sandbox, dir, { file = '.wxpayrc.json', overrides = {}, keysDir = dir } = {}) {
  mkdirSync(keysDir, { recursive: true });
  const c = sandbox.credentials;
  registerSecrets(c);
  writeFileSync(path.join(keysDir, 'apiclient_key.pem'), c.privateKeyPem, { mode: 0o600 });
  const relative = (name) => path.relative(dir, path.join(keysDir, name)) || name;
  const config = { mchid: c.mchid, serial: c.serial, privateKey: relative('apiclient_key.pem'), baseUrl: sandbox.baseUrl };
  if (c.publicKeyPem) {
    writeFileSync(path.join(keysDir, 'pub_key.pem'), c.publicKeyPem);
    config.publicKeyId = c.publicKeyId;
    config.publicKey = relative('pub_key.pem');
  }
  if (c.certificatePem) {
    writeFileSync(path.join(keysDir, `wechatpay_${c.certificateSerial}.pem`), c.certificatePem);
    config.platformCertificates = [relative(`wechatpay_${c.certificateSerial}.pem`)];
  }
  Object.assign(config, overrides);
  const target = path.join(dir, file);
  const name = path.basename(file);
  let text;
  if (name === 'package.json') text = JSON.stringify({ name: 'merchant-app', private: true, wxpay: config }, null, 2);
  else if (/\.ya?ml$/.test(name))
    text =
      Object.entries(config)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') + '\n';
  else if (/\.(c?js)$/.test(name) && !name.endsWith('.mjs') && name.endsWith('.cjs'))
    text = `module.exports = ${JSON.stringify(config, null, 2)};\n`;
  else if (/\.(m?js)$/.test(name)) text = `export default ${JSON.stringify(config, null, 2)};\n`;
  else text = JSON.stringify(config, null, 2);
  writeFileSync(target, text, { mode: 0o600 });
  return { config, path: target };
}

/**
 * A sandbox on 127.0.0.1 and a folder holding a ready config for it: what most end-to-end
 * tests start from. With `tls`, the folder also holds `sandbox-ca.pem`, the certificate a
 * child trusts through NODE_EXTRA_CA_CERTS.
 */
export async function configuredSandbox(options = {}) {
  const { startSandbox } = await import('../dist/sandbox/index.js');
  const sandbox = await startSandbox(options);
  const dir = tempDir();
  writeSandboxConfig(sandbox, dir);
  let ca;
  if (sandbox.tlsCertificatePem) {
    ca = path.join(dir, 'sandbox-ca.pem');
    writeFileSync(ca, sandbox.tlsCertificatePem);
  }
  return { sandbox, dir, ca };
}

/**
 * The secrets a sandbox holds: each private key's PEM (the merchant's, and the sandbox's own
 * WeChat Pay signing key), each 64-character line of it, and the APIv3 key.
 */
export function secretsOf(credentials) {
  const secrets = [];
  for (const pem of [credentials.privateKeyPem ?? '', credentials.wechatpayPrivateKeyPem ?? '']) {
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const lines = pem.split('\n').filter((line) => line.length >= 32 && !line.startsWith('-----'));
    secrets.push(pem.trim(), body, ...lines);
  }
  return [...secrets, credentials.apiv3Key].filter(Boolean);
}

export function assertNoSecrets(result, credentials) {
  for (const secret of secretsOf(credentials)) {
    assert.ok(!result.stdout.includes(secret), 'stdout must not contain a secret');
    assert.ok(!result.stderr.includes(secret), 'stderr must not contain a secret');
  }
}

/**
 * Starts `wxpay-coupon sandbox` as a separate process (its own CPU, like a real server) and
 * resolves with its base URL, config path and a stop() that sends Ctrl-C.
 */
export async function startSandboxProcess(args = []) {
  const home = tempDir('wxpay-sandbox-proc-');
  const { info, stop } = await spawnSandbox({ bin: BIN, home, env: minimalEnv(home), args });
  const config = JSON.parse(readFileSync(info.config, 'utf8'));
  registerSecrets({
    privateKeyPem: readFileSync(path.join(home, 'sb', 'merchant_private_key.pem'), 'utf8'),
    wechatpayPrivateKeyPem: readFileSync(path.join(home, 'sb', 'SANDBOX-ONLY_wechatpay_signing_key.pem'), 'utf8'),
    apiv3Key: config.apiv3Key,
  });
  return { ...info, home, stop };
}

/** JSON Lines for a batch: `count` users of one stock. */
export function batchLines(count, { stock = 16474341, from = 1 } = {}) {
  let text = '';
  for (let index = from; index < from + count; index += 1) {
    text += `${JSON.stringify({ open_id: `oUser${index}`, coupon_list: [{ stock_id: stock, coupon_id: `c${index}` }] })}\n`;
  }
  return text;
}

/**
 * A CONNECT proxy on loopback that records each tunnel (its target and Proxy-Authorization).
 * `hosts` maps names only the proxy resolves (a test host name) to an address.
 */
export async function startConnectProxy(hosts = {}) {
  const tunnels = [];
  const server = createServer((request, response) => {
    response.writeHead(405).end();
  });
  server.on('connect', (request, client, head) => {
    tunnels.push({ target: request.url, authorization: request.headers['proxy-authorization'] });
    const [name, port] = request.url.split(':');
    const upstream = connect(Number(port), hosts[name] ?? name, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    tunnels,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * Terminal columns a line of plain text takes: a CJK character or full-width form takes two. Kept
 * apart from src/cli/help.ts's own count on purpose, so that a test checks it rather than reuses it.
 */
export function displayColumns(text) {
  return [...text].reduce((sum, char) => sum + (/[\u3000-\u9fff\uff00-\uff60]/.test(char) ? 2 : 1), 0);
}

/**
 * What a person reads in English in a text meant to be Chinese: runs of three or more English
 * words, and common English words on their own, once the names that stay English are taken out
 * (flags, commands, config keys, environment variables, file names and paths, URLs, codes,
 * quoted values, example command lines, and the technical terms of docs/glossary.md that the
 * Chinese merchant docs themselves write in Latin letters). Returns the offending snippets.
 */
export function englishLeftIn(text, { allow = [] } = {}) {
  const TERMS = [
    'JSON Lines',
    'Request-ID',
    'Ctrl-C',
    'APIv3',
    'AppID',
    'appid',
    'openid',
    'open_id',
    'JSON',
    'HTTPS',
    'HTTP',
    'TLS',
    'DNS',
    'RSA',
    'PEM',
    'URL',
    'ID',
    'NTP',
    'CA',
    'CI',
    'stdin',
    'stdout',
    'stderr',
    'jq',
    'npm',
    'Node.js',
    'base64',
    'SHA256-RSA',
    'AES-GCM',
    'AEAD',
    'X.509',
    'PKCS#8',
    'PKCS#1',
    'PKCS#12',
    'SIGTERM',
    'SIGINT',
    'SIGKILL',
    'wxpay-coupon',
    'token',
    'sandbox',
    'certs',
    'download',
    'list',
    'doctor',
    'api',
    'notify',
    'verify',
    'send',
    'help',
    'mchid',
    'serial',
    'privateKey',
    'publicKeyId',
    'publicKey',
    'platformCertificates',
    'merchantCertificate',
    'apiv3Key',
    'baseUrl',
    'backupBaseUrl',
    'timeout',
    'retries',
    'proxy',
    'rate',
    'concurrency',
    'profiles',
    'profile',
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'public-key',
    'certificate',
    'en',
    'zh-CN',
    'UTF-8',
    'NO_COLOR',
    'FORCE_COLOR',
    'Liftoff',
    'ms',
    'KiB',
    'MiB',
    'wx.navigateToMiniProgram',
    'nc',
    'curl',
    'options',
    'command',
    'file',
    'folder',
    'path',
    'method',
    ...allow,
  ].sort((a, b) => b.length - a.length);
  const STOPWORDS = new Set(
    (
      'the a an is are was were be been not no with from for and or of to in on at by this that these those it its has have ' +
      'had can cannot could must should would will may might do does did than then there here which who what when where why ' +
      'how error warning note hint missing invalid failed unknown expected got run use check set see try retry please only ' +
      'also any every each all some none one two lines line request requests answer answered written sent signed key keys ' +
      'value values you your'
    ).split(' '),
  );
  const escape = (term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let rest = text
    // eslint-disable-next-line no-control-regex -- colour codes are what is removed
    .replace(/\x1b\[[0-9;]*m/g, '')
    // Example command lines: only a comment after ` # ` is prose.
    .replace(/^\s*\$ .*?(?:(\s#\s.*)|$)/gm, (_all, comment) => comment ?? '')
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, ' ')
    // Tokens, serials, request ids, nonces: long runs of base64url letters, whatever they spell
    // (a token may begin "a-…").
    .replace(/[A-Za-z0-9_-]{16,}/g, ' ')
    .replace(/'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|‘[^’\n]*’|“[^”\n]*”/g, ' ')
    .replace(/<[^>\n]*>|\[[^\]\n]*\]|\{[^}\n]*\}/g, ' ')
    .replace(/(?<![A-Za-z0-9_-])--?[A-Za-z][\w-]*(?:=\S*)?/g, ' ')
    .replace(/\S*[/\\]\S*|\S+\.(?:pem|json|jsonl|yaml|yml|js|cjs|mjs|ts|http|p12|txt|example|cache)\b|\.wxpayrc\S*/g, ' ');
  for (const term of TERMS) rest = rest.replace(new RegExp(`(?<![A-Za-z0-9_-])${escape(term)}(?![A-Za-z0-9_-])`, 'g'), ' ');
  // Codes, constants, hex and serials, camelCase or snake_case names, words with digits.
  rest = rest.replace(/\b(?:[A-Z][A-Z0-9_]+|\w*\d\w*|\w+_\w+|[a-z]+[A-Z]\w*)\b/g, ' ');
  const found = [];
  for (const line of rest.split('\n')) {
    for (const match of line.matchAll(/[A-Za-z]{2,}(?:[ \t,;:]+[A-Za-z]{2,}){2,}/g)) found.push(match[0]);
    for (const match of line.matchAll(/[A-Za-z]+/g)) if (STOPWORDS.has(match[0].toLowerCase())) found.push(match[0]);
  }
  return [...new Set(found)];
}

/** A port nobody listens on: bound on loopback, then closed. */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A callback handler for `notify send`: answers as told (`answer(next)` changes it), and records
 * each request's raw bytes as they came off the socket (`raw()`: the last one).
 */
export async function startCallbackHandler(
  first = (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"SUCCESS"}'),
) {
  let answer = first;
  const captures = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(req, res));
  });
  server.on('connection', (socket) => {
    const chunks = [];
    captures.push(chunks);
    socket.on('data', (chunk) => chunks.push(chunk));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/wxpay/notify`,
    raw: () => Buffer.concat(captures.at(-1) ?? []),
    answer: (next) => (answer = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** A folder with a .wxpayrc.json for an in-process sandbox, its APIv3 key included (certs download, doctor). */
export function sandboxConfigDir(sandbox, overrides = {}) {
  const dir = tempDir();
  writeSandboxConfig(sandbox, dir, { overrides: { apiv3Key: sandbox.credentials.apiv3Key, ...overrides } });
  return dir;
}

/**
 * Every file name the config search looks for, in its order, written out here rather than read
 * from src/config.ts's SEARCH_PLACES, so that a test notices when the list changes.
 */
export const CONFIG_SEARCH_FILES = Object.freeze([
  'package.json',
  '.wxpayrc',
  '.wxpayrc.json',
  '.wxpayrc.yaml',
  '.wxpayrc.yml',
  '.wxpayrc.js',
  '.wxpayrc.cjs',
  '.wxpayrc.mjs',
  'wxpay.config.js',
  'wxpay.config.cjs',
  'wxpay.config.mjs',
]);
