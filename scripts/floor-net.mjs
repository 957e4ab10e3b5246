#!/usr/bin/env node
// The least a full call can do, run by `npm run bench` beside `wxpay-coupon token` so both are
// measured in one run: read and parse the private key, sign the request (P8–P10), send one raw
// HTTP/1.1 request over node:net (no undici, no HTTP parser but the few lines below), verify the
// answer's signature (P12–P15) and print the token. Nothing else: no config search, no checks,
// no retries, no TLS (the sandbox is plain HTTP on loopback). Its time is the physical floor
// of the `token` row.
//
//   node scripts/floor-net.mjs <config.json>      (the sandbox's .wxpayrc.json)
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

const configPath = process.argv[2];
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const dir = path.dirname(configPath);
const privateKey = createPrivateKey(readFileSync(path.resolve(dir, config.privateKey)));
const { hostname, port } = new URL(config.baseUrl);
const urlPath = '/v3/industry-coupon/tokens';
const body = JSON.stringify({ open_id: 'oBench', coupon_list: [{ stock_id: 16474341, coupon_id: '11004999626' }] });
const timestamp = String(Math.floor(Date.now() / 1000));
const nonce = randomBytes(16).toString('hex');
const signature = sign('sha256', Buffer.from(`POST\n${urlPath}\n${timestamp}\n${nonce}\n${body}\n`), privateKey).toString('base64');
const request =
  `POST ${urlPath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n` +
  'Content-Type: application/json\r\nAccept: application/json\r\nUser-Agent: wxpay-coupon-bench-floor\r\n' +
  (config.publicKeyId ? `Wechatpay-Serial: ${config.publicKeyId}\r\n` : '') +
  `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${nonce}",signature="${signature}",` +
  `timestamp="${timestamp}",serial_no="${config.serial}"\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

const raw = await new Promise((resolve, reject) => {
  const chunks = [];
  const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.on('end', () => resolve(Buffer.concat(chunks)));
  socket.on('error', reject);
});

const split = raw.indexOf('\r\n\r\n');
const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
const headers = Object.fromEntries(
  headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
);
let answer = raw.subarray(split + 4);
if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
  const parts = [];
  for (let at = 0; ;) {
    const end = answer.indexOf('\r\n', at);
    const size = Number.parseInt(answer.subarray(at, end).toString('latin1'), 16);
    if (!size) break;
    parts.push(answer.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  answer = Buffer.concat(parts);
}
const publicKey = createPublicKey(readFileSync(path.resolve(dir, config.publicKey)));
const message = Buffer.from(`${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${answer}\n`);
if (
  !/^HTTP\/1\.1 200 /.test(statusLine) ||
  !verify('sha256', message, publicKey, Buffer.from(String(headers['wechatpay-signature']), 'base64'))
) {
  process.stderr.write(`floor-net: ${statusLine}, or the answer's signature does not verify\n`);
  process.exit(1);
}
writeSync(1, `${JSON.parse(answer.toString('utf8')).token}\n`);
