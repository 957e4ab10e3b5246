#!/usr/bin/env node
// The least a batch client can do per token with this stack, run by `npm run bench` beside
// `wxpay-coupon token --batch` so both are measured in one run: sign each request (P8–P10),
// send it with undici's Agent (dispatcher.request(), as src/transport.ts does), verify the
// answer's signature (P12–P17) and parse its JSON — no input to read, no checks, no retries,
// no output. Its CPU per token is what the same work costs with nothing of wxpay-coupon
// around it.
//
//   node scripts/floor-client.mjs <config.json> <tokens> <concurrency>
//
// Prints one JSON line: tokens, and the whole process's CPU (start-up included), measured
// the way `token --batch` reports its own.
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Agent } from 'undici';

const [configPath, tokensText, concurrencyText] = process.argv.slice(2);
const tokens = Number(tokensText);
const concurrency = Number(concurrencyText);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const dir = path.dirname(configPath);
const privateKey = createPrivateKey(readFileSync(path.resolve(dir, config.privateKey)));
const publicKey = createPublicKey(readFileSync(path.resolve(dir, config.publicKey)));
const { origin } = new URL(config.baseUrl);
const urlPath = '/v3/industry-coupon/tokens';
const agent = new Agent({ keepAliveTimeout: 7_000 });

async function one(index) {
  const body = JSON.stringify({ open_id: `oBench${index}`, coupon_list: [{ stock_id: 16474341, coupon_id: `c${index}` }] });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = sign('sha256', Buffer.from(`POST\n${urlPath}\n${timestamp}\n${nonce}\n${body}\n`), privateKey).toString('base64');
  const response = await agent.request({
    origin,
    path: urlPath,
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'wxpay-coupon-bench-floor',
      authorization:
        `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${nonce}",signature="${signature}",` +
        `timestamp="${timestamp}",serial_no="${config.serial}"`,
    },
  });
  const answer = await new Promise((resolve, reject) => {
    const chunks = [];
    response.body.on('data', (chunk) => chunks.push(chunk));
    response.body.on('end', () => resolve(Buffer.concat(chunks)));
    response.body.on('error', reject);
  });
  const headers = response.headers;
  const message = Buffer.from(`${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${answer}\n`);
  if (response.statusCode !== 200 || !verify('sha256', message, publicKey, Buffer.from(String(headers['wechatpay-signature']), 'base64'))) {
    throw new Error(`token ${index}: HTTP ${response.statusCode}, or the answer's signature does not verify`);
  }
  if (typeof JSON.parse(answer.toString('utf8')).token !== 'string') throw new Error(`token ${index}: no token in the answer`);
}

let next = 1;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next <= tokens) await one(next++);
  }),
);
await agent.close();
const { user, system } = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ tokens, cpuMs: (user + system) / 1000 })}\n`);
