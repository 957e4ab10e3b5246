// Proxies: a real CONNECT proxy on loopback, written here, between the binary and the sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { startSandbox } from '../dist/sandbox/index.js';
import { minimalEnv, runCli, tempDir, writeSandboxConfig, configuredSandbox } from './helpers.js';

const COUPON = ['--open-id', 'oUser', '--coupon', '16474341:11004999626'];

/** A minimal CONNECT proxy that records each tunnel it opens and the Proxy-Authorization it was given. */
async function startConnectProxy() {
  const tunnels = [];
  const server = createServer((request, response) => {
    response.writeHead(405).end();
  });
  server.on('connect', (request, client, head) => {
    tunnels.push({ target: request.url, authorization: request.headers['proxy-authorization'] });
    const [host, port] = request.url.split(':');
    const upstream = connect(Number(port), host, () => {
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
    close: () => new Promise((resolve) => {
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
  [sandbox, proxy] = await Promise.all([startSandbox(), startConnectProxy()]);
  dir = tempDir();
  writeSandboxConfig(sandbox, dir);
  target = new URL(sandbox.baseUrl).host;
});
after(() => Promise.all([sandbox.close(), proxy.close()]));

test('--proxy tunnels the request through the proxy', async () => {
  const before = proxy.tunnels.length;
  const result = await runCli(['token', '-q', '--proxy', proxy.url, ...COUPON], { cwd: dir, home: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(proxy.tunnels.slice(before).map((t) => t.target), [target]);
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

test('HTTP_PROXY from the environment is used; NO_PROXY exempts a host', async () => {
  const before = proxy.tunnels.length;
  const viaEnv = await runCli(['token', '-q', ...COUPON], { cwd: dir, env: minimalEnv(dir, { HTTP_PROXY: proxy.url }) });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  assert.equal(proxy.tunnels.length, before + 1);
  const lower = await runCli(['token', '-q', ...COUPON], { cwd: dir, env: minimalEnv(dir, { http_proxy: proxy.url }) });
  assert.equal(lower.code, 0, lower.stderr);
  assert.equal(proxy.tunnels.length, before + 2);
  const exempt = await runCli(['token', '-q', ...COUPON], {
    cwd: dir,
    env: minimalEnv(dir, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }),
  });
  assert.equal(exempt.code, 0, exempt.stderr);
  assert.equal(proxy.tunnels.length, before + 2, 'NO_PROXY bypassed the proxy');
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
    assert.match(untrusted.stderr, /the TLS handshake with https:\/\/127\.0\.0\.1:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\); certificate checks are never disabled/);
  } finally {
    await secure.close();
  }
});

test('HTTPS_PROXY tunnels an https request with CONNECT, and TLS is still verified end to end', async () => {
  const { sandbox: secure, dir: folder, ca } = await configuredSandbox({ tls: true });
  try {
    const before = proxy.tunnels.length;
    const result = await runCli(['token', '-q', '--verbose', ...COUPON], {
      cwd: folder,
      env: minimalEnv(folder, { NODE_EXTRA_CA_CERTS: ca, HTTPS_PROXY: proxy.url }),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(proxy.tunnels.slice(before).map((t) => t.target), [new URL(secure.baseUrl).host]);
    assert.match(result.stderr, /network: through the environment's proxy \(HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+\/\)/);
    // With HTTPS_PROXY unset, undici sends https through HTTP_PROXY too (its EnvHttpProxyAgent
    // falls back to it): here a proxy that is down, so the call fails instead of going direct.
    const httpOnly = await runCli(['token', '-q', ...COUPON], {
      cwd: folder,
      env: minimalEnv(folder, { NODE_EXTRA_CA_CERTS: ca, HTTP_PROXY: 'http://127.0.0.1:1' }),
    });
    assert.equal(httpOnly.code, 4, 'https went through HTTP_PROXY');
    assert.match(httpOnly.stderr, /HTTP_PROXY\/HTTPS_PROXY is set: the proxy may be the one failing/);
  } finally {
    await secure.close();
  }
});
