// Proxies: a real CONNECT proxy on loopback, written here, between the binary and the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../dist/sandbox/index.js';
import { createSelfSignedCertificate } from '../dist/sandbox/x509.js';
import { closedPort, minimalEnv, runCli, startConnectProxy, tempDir, writeSandboxConfig, configuredSandbox } from './helpers.js';

/** A name that is not loopback (environment proxies apply to it) and that no DNS resolves; only the proxy below knows it. */
const REMOTE_NAME = 'wxpay-sandbox.test';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];

/** A minimal CONNECT proxy that records each tunnel it opens and the Proxy-Authorization it was given. */

/**
 * HTTPS for REMOTE_NAME in front of the sandbox: a certificate for that name, each request passed on
 * to the sandbox as it came (the signature covers method, path, timestamp, nonce and body, not the host).
 */
async function startRemoteFront(target) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { pem } = createSelfSignedCertificate({ publicKey, privateKey, commonName: REMOTE_NAME, altNames: { dns: [REMOTE_NAME] } });
  const upstream = new URL(target.baseUrl);
  const server = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: pem }, (request, response) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on('error', () => response.destroy());
    request.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = tempDir();
  writeSandboxConfig(target, dir, { overrides: { baseUrl: `https://${REMOTE_NAME}:${server.address().port}` } });
  const ca = path.join(dir, 'front-ca.pem');
  writeFileSync(ca, pem);
  return {
    dir,
    ca,
    host: `${REMOTE_NAME}:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

let sandbox;
let proxy;
let dir;
let target;
before(async () => {
  [sandbox, proxy] = await Promise.all([startSandbox(), startConnectProxy({ [REMOTE_NAME]: '127.0.0.1' })]);
  dir = tempDir();
  writeSandboxConfig(sandbox, dir);
  target = new URL(sandbox.baseUrl).host;
});
after(() => Promise.all([sandbox.close(), proxy.close()]));

test('--proxy tunnels the request through the proxy', async () => {
  const before = proxy.tunnels.length;
  const result = await runCli(['token', '-q', '--proxy', proxy.url, ...COUPON], { cwd: dir, home: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    proxy.tunnels.slice(before).map((t) => t.target),
    [target],
  );
  assert.equal(result.stdout, `${sandbox.requests.at(-1).token}\n`);
});

test('config proxy is used, and --verbose names it without its password', async () => {
  const folder = tempDir();
  const withPassword = proxy.url.replace('http://', 'http://merchant:s3cretProxyPass@');
  writeSandboxConfig(sandbox, folder, { overrides: { proxy: withPassword } });
  const before = proxy.tunnels.length;
  const result = await runCli(['token', '-q', '--verbose', ...COUPON], { cwd: folder, home: folder });
  assert.equal(result.code, 0, result.stderr);
  const tunnel = proxy.tunnels.slice(before)[0];
  assert.equal(tunnel.target, target);
  assert.equal(tunnel.authorization, `Basic ${Buffer.from('merchant:s3cretProxyPass').toString('base64')}`);
  assert.match(result.stderr, /network: through proxy http:\/\/merchant:\*\*\*@127\.0\.0\.1:\d+\//);
  assert.ok(!result.stderr.includes('s3cretProxyPass'));
});

// A host that is not loopback, reached through the proxy only (loopback never goes through an
// environment proxy: see the tests after these).
test('HTTP_PROXY from the environment is used; NO_PROXY exempts a host', async () => {
  const front = await startRemoteFront(sandbox);
  try {
    const before = proxy.tunnels.length;
    const trust = { NODE_EXTRA_CA_CERTS: front.ca };
    const viaEnv = await runCli(['token', '-q', ...COUPON], {
      cwd: front.dir,
      env: minimalEnv(front.dir, { ...trust, HTTP_PROXY: proxy.url }),
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(viaEnv.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.deepEqual(
      proxy.tunnels.slice(before).map((t) => t.target),
      [front.host],
    );
    const lower = await runCli(['token', '-q', ...COUPON], {
      cwd: front.dir,
      env: minimalEnv(front.dir, { ...trust, http_proxy: proxy.url }),
    });
    assert.equal(lower.code, 0, lower.stderr);
    assert.equal(proxy.tunnels.length, before + 2);
    const exempt = await runCli(['token', '-q', '--retries', '0', '--timeout', '3000', ...COUPON], {
      cwd: front.dir,
      env: minimalEnv(front.dir, { ...trust, HTTP_PROXY: proxy.url, NO_PROXY: REMOTE_NAME }),
    });
    // Direct, REMOTE_NAME does not resolve: proof that NO_PROXY bypassed the proxy.
    assert.equal(exempt.code, 4, exempt.stderr);
    assert.match(exempt.stderr, /could not resolve the host of https:\/\/wxpay-sandbox\.test:\d+/);
    assert.equal(proxy.tunnels.length, before + 2, 'NO_PROXY bypassed the proxy');
  } finally {
    await front.close();
  }
});

test('environment proxies never apply to loopback: token --sandbox, and a config naming 127.0.0.1', async () => {
  const before = proxy.tunnels.length;
  const dead = 'http://127.0.0.1:1';
  for (const variables of [
    { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
    { HTTP_PROXY: dead, HTTPS_PROXY: dead },
    { http_proxy: dead },
  ]) {
    const home = tempDir();
    const quickStart = await runCli(['token', '--sandbox', '-q', ...COUPON], { cwd: home, env: minimalEnv(home, variables) });
    assert.equal(quickStart.code, 0, `${JSON.stringify(variables)}: ${quickStart.stderr}`);
    const configured = await runCli(['token', '-q', '--verbose', ...COUPON], { cwd: dir, env: minimalEnv(dir, variables) });
    assert.equal(configured.code, 0, `${JSON.stringify(variables)}: ${configured.stderr}`);
    assert.equal(configured.stdout, `${sandbox.requests.at(-1).token}\n`);
    assert.match(configured.stderr, /network: direct: 127\.0\.0\.1 is loopback, which HTTP_PROXY\/HTTPS_PROXY never apply to/);
  }
  assert.equal(proxy.tunnels.length, before, 'the proxy saw nothing');
  // A loopback server that is down is reported as itself, not as a failing proxy.
  const down = await runCli(['token', '--retries', '0', '--base-url', 'http://127.0.0.1:1', ...COUPON], {
    cwd: dir,
    env: minimalEnv(dir, { HTTP_PROXY: dead }),
  });
  assert.equal(down.code, 4);
  assert.match(down.stderr, /http:\/\/127\.0\.0\.1:1 refused the connection/);
  assert.doesNotMatch(down.stderr, /the proxy may be the one failing/);
});

test('an explicit --proxy still applies to loopback, --sandbox included', async () => {
  const before = proxy.tunnels.length;
  const home = tempDir();
  const result = await runCli(['token', '--sandbox', '-q', '--proxy', proxy.url, ...COUPON], { cwd: home, home });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(proxy.tunnels.length, before + 1);
  assert.match(proxy.tunnels.at(-1).target, /^127\.0\.0\.1:\d+$/);
});

test('a proxy that is down is named in the error, exit 4', async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address();
  await new Promise((resolve) => closed.close(resolve));
  const result = await runCli(['token', '--retries', '0', '--proxy', `http://127.0.0.1:${port}`, ...COUPON], { cwd: dir, home: dir });
  assert.equal(result.code, 4);
  assert.match(result.stderr, new RegExp(`through proxy http://127\\.0\\.0\\.1:${port}/`));
});

/** A proxy that accepts each connection and, asked for a tunnel, `answer`s the CONNECT; it counts the connections it was given. */
async function startBadProxy(answer) {
  const server = createServer((request, response) => response.end());
  let connections = 0;
  server.on('connection', () => (connections += 1));
  server.on('connect', (request, socket) => answer(socket));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

test('a proxy that closes the connection instead of answering CONNECT: exit 4 at once, in both languages, flag or environment', async () => {
  // undici 7 reconnected to such a proxy in a tight loop, for ever, whatever --timeout said
  // (src/transport.ts, ProxyTunnelError).
  const bad = await startBadProxy((socket) => socket.end());
  const front = await startRemoteFront(sandbox);
  try {
    const flag = ['token', '--retries', '0', '--timeout', '5000', '--proxy', bad.url, ...COUPON];
    const en = await runCli(flag, { cwd: dir, home: dir, timeoutMs: 4000 });
    assert.equal(en.code, 4, en.stderr);
    assert.match(
      en.stderr,
      new RegExp(
        `could not reach http://${target} through proxy ${bad.url}/: the proxy closed the connection instead of opening a tunnel \\(CONNECT\\)`,
      ),
    );
    const zh = await runCli(flag, { cwd: dir, env: minimalEnv(dir, { LANG: 'zh_CN.UTF-8' }), timeoutMs: 4000 });
    assert.equal(zh.code, 4, zh.stderr);
    assert.match(zh.stderr, new RegExp(`无法连接 http://${target}（经代理 ${bad.url}/）：代理没有建立隧道（CONNECT）就关闭了连接`));
    const json = await runCli([...flag.slice(0, 1), '--json', ...flag.slice(1)], { cwd: dir, home: dir, timeoutMs: 4000 });
    assert.equal(json.code, 4);
    assert.deepEqual((({ kind, code, exit_code }) => ({ kind, code, exit_code }))(JSON.parse(json.stderr).error), {
      kind: 'network',
      code: 'PROXY_TUNNEL_CLOSED',
      exit_code: 4,
    });
    // The environment's proxy (EnvHttpProxyAgent), for a host that is not loopback.
    const viaEnv = await runCli(['token', '--retries', '0', '--timeout', '5000', ...COUPON], {
      cwd: front.dir,
      env: minimalEnv(front.dir, { NODE_EXTRA_CA_CERTS: front.ca, HTTPS_PROXY: bad.url }),
      timeoutMs: 4000,
    });
    assert.equal(viaEnv.code, 4, viaEnv.stderr);
    assert.match(viaEnv.stderr, /the proxy closed the connection instead of opening a tunnel/);
    // One connection per attempt, not thousands: the default retries make a few.
    const before = bad.connections();
    const retried = await runCli(['token', '--timeout', '5000', '--proxy', bad.url, ...COUPON], { cwd: dir, home: dir, timeoutMs: 15_000 });
    assert.equal(retried.code, 4, retried.stderr);
    assert.ok(bad.connections() - before <= 10, `${bad.connections() - before} connections`);
  } finally {
    await Promise.all([bad.close(), front.close()]);
  }
});

test('a proxy that refuses the tunnel is named with the status it answered, in both languages', async () => {
  const bad = await startBadProxy((socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
  try {
    const flag = ['token', '--retries', '0', '--proxy', bad.url, ...COUPON];
    const en = await runCli(flag, { cwd: dir, home: dir });
    assert.equal(en.code, 4, en.stderr);
    assert.match(
      en.stderr,
      /the proxy answered CONNECT with HTTP 403 instead of opening a tunnel; check the proxy's address and credentials/,
    );
    const zh = await runCli(flag, { cwd: dir, env: minimalEnv(dir, { LANG: 'zh_CN.UTF-8' }) });
    assert.equal(zh.code, 4, zh.stderr);
    assert.match(zh.stderr, /代理对 CONNECT 应答了 HTTP 403，没有建立隧道/);
    assert.doesNotMatch(zh.stderr, /Proxy response|Tunneling/);
  } finally {
    await bad.close();
  }
});

test('a --proxy that is not a URL is a usage error', async () => {
  const result = await runCli(['token', '--proxy', 'proxy.internal', ...COUPON], { cwd: dir, home: dir });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--proxy "proxy\.internal" is not a proxy URL/);
});

test('real TLS: the sandbox over HTTPS, trusted through NODE_EXTRA_CA_CERTS; untrusted, it is refused', async () => {
  const { sandbox: secure, dir: folder, ca } = await configuredSandbox({ tls: true });
  try {
    assert.match(secure.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const trusted = await runCli(['token', '-q', ...COUPON], { cwd: folder, env: minimalEnv(folder, { NODE_EXTRA_CA_CERTS: ca }) });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(trusted.stdout, `${secure.requests.at(-1).token}\n`);
    const untrusted = await runCli(['token', '-q', '--retries', '0', ...COUPON], { cwd: folder, home: folder });
    assert.equal(untrusted.code, 4);
    assert.match(
      untrusted.stderr,
      /the TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\); certificate checks are never disabled/,
    );
  } finally {
    await secure.close();
  }
});

test('HTTPS_PROXY tunnels an https request with CONNECT, and TLS is still verified end to end', async () => {
  const front = await startRemoteFront(sandbox);
  const { dir: folder, ca } = front;
  try {
    const before = proxy.tunnels.length;
    const result = await runCli(['token', '-q', '--verbose', ...COUPON], {
      cwd: folder,
      env: minimalEnv(folder, { NODE_EXTRA_CA_CERTS: ca, HTTPS_PROXY: proxy.url }),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      proxy.tunnels.slice(before).map((t) => t.target),
      [front.host],
    );
    assert.match(result.stderr, /network: through the environment's proxy \(HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+\/\)/);
    // With HTTPS_PROXY unset, undici sends https through HTTP_PROXY too (its EnvHttpProxyAgent
    // falls back to it): here a proxy that is down, so the call fails instead of going direct.
    const httpOnly = await runCli(['token', '-q', ...COUPON], {
      cwd: folder,
      env: minimalEnv(folder, { NODE_EXTRA_CA_CERTS: ca, HTTP_PROXY: 'http://127.0.0.1:1' }),
    });
    assert.equal(httpOnly.code, 4, 'https went through HTTP_PROXY');
    assert.match(httpOnly.stderr, /HTTP_PROXY\/HTTPS_PROXY is set: the proxy may be the one failing/);
    // Without the proxy's trust, the front's certificate is refused through the tunnel too.
    const untrusted = await runCli(['token', '-q', '--retries', '0', ...COUPON], {
      cwd: folder,
      env: minimalEnv(folder, { HTTPS_PROXY: proxy.url }),
    });
    assert.equal(untrusted.code, 4);
    assert.match(untrusted.stderr, /the TLS handshake with https:\/\/wxpay-sandbox\.test:\d+ .*failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
  } finally {
    await front.close();
  }
});

test('a proxy URL with a path, query or fragment is refused up front from a flag, the environment or the config, never an internal error', async () => {
  // undici takes only an origin for a proxy; anything more made every call exit 70 ("invalid url").
  const password = 'S3cr3tPr0xyPw';
  for (const suffix of ['/x', '/x?y', '/?y', '/#f']) {
    const url = `http://user:${password}@127.0.0.1:3128${suffix}`;
    const flag = await runCli(['token', '--retries', '0', '--proxy', url, ...COUPON], { cwd: dir, home: dir });
    assert.equal(flag.code, 2, `--proxy ${suffix}: ${flag.stderr}`);
    assert.match(flag.stderr, /--proxy "http:\/\/user:\*\*\*@127\.0\.0\.1:3128\/.*" is not a proxy URL/);
    const variable = await runCli(['token', '--retries', '0', ...COUPON], { cwd: dir, env: minimalEnv(dir, { HTTPS_PROXY: url }) });
    assert.equal(variable.code, 3, `HTTPS_PROXY ${suffix}: ${variable.stderr}`);
    assert.match(variable.stderr, /HTTPS_PROXY \(or https_proxy\): "http:\/\/user:\*\*\*@127\.0\.0\.1:3128\/.*" is not a proxy URL/);
    const folder = tempDir();
    writeSandboxConfig(sandbox, folder, { overrides: { baseUrl: 'https://api.mch.weixin.qq.com', proxy: url } });
    const configured = await runCli(['token', '--retries', '0', ...COUPON], { cwd: folder, home: folder });
    assert.equal(configured.code, 3, `config proxy ${suffix}: ${configured.stderr}`);
    assert.match(configured.stderr, /\.wxpayrc\.json: proxy: .* is not a proxy URL/);
    for (const result of [flag, variable, configured]) {
      assert.doesNotMatch(result.stderr, /internal error|S3cr3t|\n\s+at /);
      assert.match(result.stderr, /\(no path\)/);
    }
  }
});

test('Chinese: a proxy that refuses the connection is named in full-width parentheses with no stray space before the verb', async () => {
  const port = await closedPort();
  const home = tempDir();
  const result = await runCli(['token', '--sandbox', '--retries', '0', '--proxy', `http://u:secretpw@127.0.0.1:${port}`, ...COUPON], {
    cwd: home,
    env: minimalEnv(home, { LANG: 'zh_CN.UTF-8' }),
  });
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, new RegExp(`（经代理 http://u:\\*\\*\\*@127\\.0\\.0\\.1:${port}/）拒绝了连接；`));
  assert.doesNotMatch(result.stderr, /） |secretpw/);
});
