// The floors `npm run bench` prints beside its targets must keep working: scripts/floor-net.mjs
// makes a whole call (sign, one raw request over node:net, verify, print) against the sandbox.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configuredSandbox, ROOT } from './helpers.js';

const { sandbox, dir } = await configuredSandbox();
after(() => sandbox.close());
const floorNet = path.join(ROOT, 'scripts', 'floor-net.mjs');
// Asynchronously: the sandbox answers from this process's event loop.
const run = (config) =>
  new Promise((resolve) => {
    execFile(process.execPath, [floorNet, config], { encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });

test('floor-net: one signed call over node:net, verified, prints the token', async () => {
  const before = sandbox.requests.length;
  const result = await run(path.join(dir, '.wxpayrc.json'));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^\S{8,}\n$/);
  assert.equal(sandbox.requests.length, before + 1);
});

test('floor-net really verifies: an answer checked against another public key fails', async () => {
  const config = JSON.parse(readFileSync(path.join(dir, '.wxpayrc.json'), 'utf8'));
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
  writeFileSync(path.join(dir, 'other_pub_key.pem'), other);
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ ...config, publicKey: './other_pub_key.pem' }));
  const result = await run(path.join(dir, 'other.json'));
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /does not verify/);
});
