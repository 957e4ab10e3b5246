/**
 * A local emulator of WeChat Pay's token pre-order endpoint, written from docs/protocol.md:
 * it checks each request as WeChat Pay does (P2, P8–P11, P3–P4), answers with the real
 * statuses, codes and messages (P7, P18), and signs every 2xx answer (P13–P15) in either
 * key mode (P17). Plain HTTP on loopback only: it is a test double, not a service.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { buildMessage, generateNonce, parseAuthorization, requestMessage, signMessage } from '../sign.js';
import { verifySignature } from '../verify.js';
import { JsonNumber, parseLosslessJson, type LosslessJson } from '../json.js';
import { SERVER_MESSAGES, normalizeStockId } from '../coupon.js';
import { TOKEN_PATH } from '../client.js';
import { createSelfSignedCertificate } from './x509.js';
import { CERTIFICATES_PATH, encryptResource } from '../certificates.js';
import { takeFault, type FaultName, type FaultSpec } from './faults.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type SandboxMode = 'public-key' | 'certificate';

export interface SandboxOptions {
  host?: string;
  port?: number;
  mode?: SandboxMode;
  /** Merchant identity; generated when left out. */
  merchant?: { mchid?: string; serial?: string; privateKeyPem?: string };
  /** WeChat Pay's signing key; generated when left out. */
  wechatpay?: { privateKeyPem?: string; publicKeyId?: string; certificatePem?: string };
  /** How long an issued token lives (seconds). */
  tokenLifetimeSeconds?: number;
  /** Milliseconds since the epoch; injectable so tests can move the sandbox's clock. */
  now?: () => number;
  /** Called after each answer is sent, with what was asked and answered. */
  onRequest?: (record: SandboxRequestRecord) => void;
  /** Faults to inject, first active one first; change them while it runs with setFaults(). */
  faults?: FaultSpec[];
  /** Milliseconds to wait before answering each request (random latency for ordering tests). */
  latencyMs?: () => number;
  /** Keep only the newest this-many request records (a long-running sandbox); default: all. */
  maxRecordedRequests?: number;
  /**
   * Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1, so a client can be
   * tested over real TLS: it trusts the sandbox through NODE_EXTRA_CA_CERTS, never by turning
   * certificate checks off. The certificate is in `tlsCertificatePem`.
   */
  tls?: boolean;
}

export interface SandboxCredentials {
  mode: SandboxMode;
  mchid: string;
  serial: string;
  /** The merchant private key the sandbox expects requests to be signed with. Sandbox-only. */
  privateKeyPem: string;
  publicKeyId?: string;
  publicKeyPem?: string;
  certificatePem?: string;
  certificateSerial?: string;
  /** An APIv3 key, for the certificate download endpoint and notifications. Sandbox-only. */
  apiv3Key: string;
  /** The sandbox's own WeChat Pay signing key (for `notify send`). Sandbox-only. */
  wechatpayPrivateKeyPem: string;
}

export interface SandboxRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  status: number;
  code?: string;
  requestId: string;
  /** The stock ids as the exact digits the client wrote (P3). */
  stockIds?: string[];
  token?: string;
  /** The answer's body exactly as sent. */
  responseBody?: string;
  /** The fault injected into this answer, if any. */
  fault?: FaultName;
}

export interface Sandbox {
  baseUrl: string;
  /** With `tls`: the server certificate to trust (PEM). */
  tlsCertificatePem?: string;
  mode: SandboxMode;
  credentials: SandboxCredentials;
  /** Every request seen, in arrival order. */
  requests: SandboxRequestRecord[];
  /** The faults still to be injected (counts go down as they happen). */
  readonly faults: readonly FaultSpec[];
  /** Replaces the faults to inject from the next request on. */
  setFaults(faults: FaultSpec[]): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 64 * 1024;
const SKEW_SECONDS = 300;
const TIME_ZONE_OFFSET_MS = 8 * 60 * 60 * 1000;

export const SANDBOX_MESSAGES = Object.freeze({
  missingHeaders: 'Http头缺少Accept或User-Agent',
  badAuthorization: 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》',
  wrongMchid: '商户号mchid与签名所用证书不匹配',
  wrongSerial: '商户证书序列号有误。请使用签名私钥匹配的证书序列号',
  staleTimestamp: 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟',
  badSignature: '签名错误，请检查后再试',
  replayedNonce: 'Http头Authorization中的nonce_str重复，请勿重放请求',
  badContentType: 'Http头Content-Type值必须为application/json',
  badWechatpaySerial: 'Http头Wechatpay-Serial值无效：不是该商户的微信支付公钥ID或平台证书序列号',
  badJson: '请求体不是合法的JSON',
  notFound: '请求的资源不存在',
  noCertificates: '无可用的平台证书',
});

/** RFC 3339 in China Standard Time, like WeChat Pay writes it: 2015-05-20T13:29:35+08:00. */
export function formatChinaTime(milliseconds: number): string {
  return `${new Date(milliseconds + TIME_ZONE_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

function randomDigits(count: number): string {
  let digits = String(1 + (randomBytes(1)[0] as number) % 9);
  while (digits.length < count) digits += String((randomBytes(1)[0] as number) % 10);
  return digits;
}

async function newRsaKey(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateKeyPairAsync('rsa', { modulusLength: 2048 });
}

function pemOf(key: KeyObject): string {
  return key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
}

function apiv3Key(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

interface Answer {
  status: number;
  body: string;
  code?: string;
  /** Sign this answer with WeChat Pay's key (every 2xx). */
  sign: boolean;
  headers?: Record<string, string>;
}

function errorAnswer(status: number, code: string, message: string, detail?: unknown): Answer {
  return { status, code, sign: false, body: JSON.stringify(detail === undefined ? { code, message } : { code, message, detail }) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const mode: SandboxMode = options.mode ?? 'public-key';
  const now = options.now ?? Date.now;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 2 * 60 * 60;

  const merchantPrivate = options.merchant?.privateKeyPem
    ? createPrivateKey(options.merchant.privateKeyPem)
    : (await newRsaKey()).privateKey;
  const merchantPublic = createPublicKey(merchantPrivate);
  const mchid = options.merchant?.mchid ?? `19${randomDigits(8)}`;
  const merchantSerial = (options.merchant?.serial ?? randomBytes(20).toString('hex')).toUpperCase();

  const wechatpayPrivate = options.wechatpay?.privateKeyPem
    ? createPrivateKey(options.wechatpay.privateKeyPem)
    : (await newRsaKey()).privateKey;
  const wechatpayPublic = createPublicKey(wechatpayPrivate);

  let signingSerial: string;
  const credentials: SandboxCredentials = {
    mode,
    mchid,
    serial: merchantSerial,
    privateKeyPem: pemOf(merchantPrivate),
    apiv3Key: apiv3Key(),
    wechatpayPrivateKeyPem: pemOf(wechatpayPrivate),
  };
  if (mode === 'public-key') {
    signingSerial = options.wechatpay?.publicKeyId ?? `PUB_KEY_ID_01${mchid}${randomDigits(26 - mchid.length)}`;
    credentials.publicKeyId = signingSerial;
    credentials.publicKeyPem = pemOf(wechatpayPublic);
  } else {
    let certificatePem = options.wechatpay?.certificatePem;
    if (!certificatePem) {
      certificatePem = createSelfSignedCertificate({
        publicKey: wechatpayPublic,
        privateKey: wechatpayPrivate,
        commonName: 'Tenpay.com Root CA (sandbox)',
      }).pem;
    }
    signingSerial = new X509Certificate(certificatePem).serialNumber.toUpperCase();
    credentials.certificatePem = certificatePem;
    credentials.certificateSerial = signingSerial;
  }

  const requests: SandboxRequestRecord[] = [];
  // Nonce → when it was seen. WeChat Pay only needs to remember a nonce while its timestamp is valid.
  const seenNonces = new Map<string, number>();
  const forgetOldNonces = (): void => {
    const oldest = now() - 2 * SKEW_SECONDS * 1000;
    for (const [nonce, seenAt] of seenNonces) {
      if (seenAt >= oldest) break;
      seenNonces.delete(nonce);
    }
  };

  let faults: FaultSpec[] = (options.faults ?? []).map((fault) => ({ ...fault }));

  const signAnswer = (body: string, ageSeconds = 0): Record<string, string> => {
    const timestamp = String(Math.floor(now() / 1000) - ageSeconds);
    const nonce = generateNonce();
    const signature = signMessage(buildMessage([timestamp, nonce, body]), wechatpayPrivate);
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': signingSerial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  };

  /** Alters a correctly built 200 the way a forged, stale or broken answer would look. */
  const corruptAnswer = (fault: FaultName, body: string): { body: string; headers: Record<string, string> } => {
    switch (fault) {
      case 'bad-signature':
        return { body, headers: { ...signAnswer(body), 'Wechatpay-Signature': randomBytes(256).toString('base64') } };
      case 'tampered-body': {
        // A token answer gets another token; any other (api's /v3/certificates) one more byte.
        const tampered = /"token":"/.test(body) ? body.replace(/"token":"[^"]*"/, `"token":"${randomBytes(24).toString('base64url')}"`) : `${body} `;
        return { body: tampered, headers: signAnswer(body) };
      }
      case 'unknown-serial':
        return { body, headers: { ...signAnswer(body), 'Wechatpay-Serial': 'PUB_KEY_ID_0999999999999999999999999999' } };
      case 'stale-timestamp':
        return { body, headers: signAnswer(body, 600) };
      case 'missing-headers': {
        const headers = signAnswer(body);
        delete headers['Wechatpay-Signature'];
        delete headers['Wechatpay-Serial'];
        return { body, headers };
      }
      case 'probe-signature':
        return { body, headers: { ...signAnswer(body), 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${randomBytes(180).toString('base64')}` } };
      case 'not-json': {
        const html = '<html><body>502 Bad Gateway</body></html>';
        return { body: html, headers: signAnswer(html) };
      }
      case 'no-token': {
        const noToken = JSON.stringify({ expires_time: formatChinaTime(now() + lifetimeSeconds * 1000) });
        return { body: noToken, headers: signAnswer(noToken) };
      }
      default:
        return { body, headers: signAnswer(body) };
    }
  };

  /** Faults that replace the answer entirely; returns true when it took over the response. */
  const transportFault = (fault: FaultName, response: ServerResponse, baseHeaders: Record<string, string>, record: SandboxRequestRecord): boolean => {
    const send = (answer: Answer, extra: Record<string, string> = {}): void => {
      record.status = answer.status;
      record.responseBody = answer.body;
      if (answer.code !== undefined) record.code = answer.code;
      response.writeHead(answer.status, { ...baseHeaders, ...extra });
      response.end(answer.body);
    };
    switch (fault) {
      case '500':
        send(errorAnswer(500, 'SYSTEM_ERROR', '系统错误'));
        return true;
      case '502':
        send(errorAnswer(502, 'SERVICE_UNAVAILABLE', '服务不可用'));
        return true;
      case '503':
        send(errorAnswer(503, 'SERVICE_UNAVAILABLE', '服务不可用'));
        return true;
      case '429':
        send(errorAnswer(429, 'RATELIMIT_EXCEEDED', '请求频率超限'), { 'Retry-After': '1' });
        return true;
      case 'reset':
        response.writeHead(200, { ...baseHeaders, 'Content-Length': '200' });
        response.write('{"token":"', () => response.socket?.destroy());
        return true;
      case 'hang':
        // Never answer; close() ends the connection.
        return true;
      case 'huge-body': {
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        response.writeHead(200, { ...baseHeaders, 'Content-Length': String(chunk.length * 32) });
        for (let index = 0; index < 32; index += 1) response.write(chunk);
        response.end();
        record.status = 200;
        return true;
      }
      default:
        return false;
    }
  };

  const authenticate = (request: IncomingMessage, path: string, body: string): Answer | undefined => {
    const header = request.headers['authorization'];
    const fields = typeof header === 'string' ? parseAuthorization(header) : undefined;
    if (!fields) return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.badAuthorization);
    if (fields.mchid !== mchid) return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.wrongMchid);
    if (fields.serial_no.toUpperCase() !== merchantSerial) return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.wrongSerial);
    const timestamp = /^[0-9]{1,12}$/.test(fields.timestamp) ? Number(fields.timestamp) : Number.NaN;
    if (!Number.isFinite(timestamp) || Math.abs(Math.floor(now() / 1000) - timestamp) > SKEW_SECONDS) {
      return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.staleTimestamp);
    }
    const message = requestMessage(request.method ?? '', path, fields.timestamp, fields.nonce_str, body);
    if (!verifySignature(message, fields.signature, merchantPublic)) {
      const firstBodyLine = body.slice(0, 16);
      return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.badSignature, {
        detail: {
          issue: 'sign not match',
        },
        sign_information: {
          method: request.method,
          url: path,
          sign_message_length: Buffer.byteLength(message),
          truncated_sign_message: `${request.method}\n${path}\n${fields.timestamp}\n${fields.nonce_str}\n${firstBodyLine}\n`,
        },
      });
    }
    if (seenNonces.has(fields.nonce_str)) return errorAnswer(401, 'SIGN_ERROR', SANDBOX_MESSAGES.replayedNonce);
    seenNonces.set(fields.nonce_str, now());
    if (seenNonces.size % 1024 === 0) forgetOldNonces();
    const wanted = request.headers['wechatpay-serial'];
    if (typeof wanted === 'string' && wanted !== signingSerial) {
      return errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.badWechatpaySerial);
    }
    return undefined;
  };

  const tokenAnswer = (request: IncomingMessage, body: string, record: SandboxRequestRecord): Answer => {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) return errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.badContentType);
    let parsed: LosslessJson;
    try {
      parsed = parseLosslessJson(body);
    } catch {
      return errorAnswer(400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonNumber) {
      return errorAnswer(400, 'PARAM_ERROR', SANDBOX_MESSAGES.badJson);
    }
    const openId = parsed['open_id'];
    if (typeof openId !== 'string' || openId.length < 1 || [...openId].length > 64) {
      return errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.badOpenId, {
        field: 'open_id',
        value: typeof openId === 'string' ? openId : null,
        issue: 'open_id must be a string of 1 to 64 characters',
        location: 'body',
      });
    }
    const list = parsed['coupon_list'];
    if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
      return errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.emptyCouponList);
    }
    if (!Array.isArray(list)) {
      return errorAnswer(400, 'PARAM_ERROR', 'coupon_list类型错误', { field: 'coupon_list', issue: 'must be an array', location: 'body' });
    }
    const stockIds: string[] = [];
    const couponIds: string[] = [];
    for (const [index, entry] of list.entries()) {
      const coupon = entry && typeof entry === 'object' && !Array.isArray(entry) && !(entry instanceof JsonNumber) ? entry : undefined;
      const stock = coupon?.['stock_id'];
      if (!(stock instanceof JsonNumber) || 'problem' in normalizeStockId(stock)) {
        return errorAnswer(400, 'PARAM_ERROR', `coupon_list[${index}].stock_id应为整数`, {
          field: `coupon_list[${index}].stock_id`,
          issue: 'stock_id must be a JSON integer',
          location: 'body',
        });
      }
      const couponId = coupon?.['coupon_id'];
      if (typeof couponId !== 'string' || couponId.length < 1 || [...couponId].length > 64) {
        return errorAnswer(400, 'PARAM_ERROR', `coupon_list[${index}].coupon_id应为1到64个字符的字符串`, {
          field: `coupon_list[${index}].coupon_id`,
          issue: 'coupon_id must be a string of 1 to 64 characters',
          location: 'body',
        });
      }
      stockIds.push(stock.text);
      couponIds.push(couponId);
    }
    record.stockIds = stockIds;
    if (new Set(stockIds).size > 1) return errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.oneStockPerRequest);
    if (new Set(couponIds).size !== couponIds.length) return errorAnswer(400, 'INVALID_REQUEST', SERVER_MESSAGES.duplicateCouponId);
    const token = randomBytes(24).toString('base64url');
    record.token = token;
    return {
      status: 200,
      sign: true,
      body: JSON.stringify({ token, expires_time: formatChinaTime(now() + lifetimeSeconds * 1000) }),
    };
  };

  /** Like WeChat Pay: certificates, encrypted with the APIv3 key, or 404 for a public-key merchant (P19). */
  const certificatesAnswer = (): Answer => {
    if (!credentials.certificatePem || !credentials.certificateSerial) {
      return errorAnswer(404, 'RESOURCE_NOT_EXISTS', SANDBOX_MESSAGES.noCertificates);
    }
    const certificate = new X509Certificate(credentials.certificatePem);
    const data = [
      {
        serial_no: credentials.certificateSerial,
        effective_time: formatChinaTime(Date.parse(certificate.validFrom)),
        expire_time: formatChinaTime(Date.parse(certificate.validTo)),
        encrypt_certificate: encryptResource(credentials.certificatePem, credentials.apiv3Key),
      },
    ];
    return { status: 200, sign: true, body: JSON.stringify({ data }) };
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: string): void => {
    const requestId = randomBytes(16).toString('hex').toUpperCase();
    const url = request.url ?? '/';
    const path = url;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: SandboxRequestRecord = {
      method: request.method ?? '',
      path,
      headers,
      body,
      receivedAt: now(),
      status: 0,
      requestId,
    };
    requests.push(record);
    if (options.maxRecordedRequests !== undefined && requests.length > options.maxRecordedRequests) {
      requests.splice(0, requests.length - options.maxRecordedRequests);
    }

    const fault = takeFault(faults);
    if (fault) record.fault = fault;
    const baseHeaders: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Request-ID': requestId,
      Date: new Date(now()).toUTCString(),
    };
    if (fault && transportFault(fault, response, baseHeaders, record)) {
      options.onRequest?.(record);
      return;
    }

    let answer: Answer;
    const accept = request.headers['accept'];
    const agent = request.headers['user-agent'];
    const resource = url.split('?')[0];
    // Like WeChat Pay: the request is authenticated first, whatever it asks for, so a bad
    // signature is 401 even for a path that does not exist; only then is it routed.
    if (!accept || !agent) answer = errorAnswer(400, 'INVALID_REQUEST', SANDBOX_MESSAGES.missingHeaders);
    else {
      const refused = authenticate(request, path, body);
      if (refused) answer = refused;
      else if (resource === TOKEN_PATH && request.method === 'POST') answer = tokenAnswer(request, body, record);
      else if (resource === CERTIFICATES_PATH && request.method === 'GET') answer = certificatesAnswer();
      else answer = errorAnswer(404, 'NOT_FOUND', SANDBOX_MESSAGES.notFound);
    }

    if (answer.sign && fault === 'long-token' && record.token !== undefined) {
      // Standard base64 (with + / =), so a launch path must percent-encode it.
      const token = `${randomBytes(72).toString('base64')}A+/=`;
      record.token = token;
      answer = { ...answer, body: JSON.stringify({ ...(JSON.parse(answer.body) as object), token }) };
    }
    if (answer.sign && fault === 'no-content') answer = { ...answer, status: 204, body: '' };

    let answerBody = answer.body;
    let signatureHeaders: Record<string, string> = {};
    if (answer.sign) {
      const signed = fault ? corruptAnswer(fault, answer.body) : { body: answer.body, headers: signAnswer(answer.body) };
      answerBody = signed.body;
      signatureHeaders = signed.headers;
    }
    record.status = answer.status;
    record.responseBody = answerBody;
    if (answer.code !== undefined) record.code = answer.code;
    response.writeHead(answer.status, { ...baseHeaders, ...signatureHeaders, ...answer.headers });
    if (fault === 'slow-body') {
      // Drip the body a byte at a time; stop if the client goes away.
      const bytes = Buffer.from(answerBody, 'utf8');
      let index = 0;
      const timer = setInterval(() => {
        if (response.destroyed || index >= bytes.length) {
          clearInterval(timer);
          if (!response.destroyed) response.end();
          return;
        }
        response.write(bytes.subarray(index, index + 1));
        index += 1;
      }, 100);
      response.on('close', () => clearInterval(timer));
    } else {
      response.end(answerBody);
    }
    options.onRequest?.(record);
  };

  let tlsCertificatePem: string | undefined;
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        response.writeHead(413).end();
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const delay = options.latencyMs?.() ?? 0;
      if (delay > 0) setTimeout(() => handle(request, response, body), delay);
      else handle(request, response, body);
    });
  };
  let server: Server;
  if (options.tls) {
    const { createServer: createHttpsServer } = await import('node:https');
    const tlsKey = (await newRsaKey()).privateKey;
    tlsCertificatePem = createSelfSignedCertificate({
      publicKey: createPublicKey(tlsKey),
      privateKey: tlsKey,
      commonName: 'localhost',
      altNames: { dns: ['localhost'], ip: ['127.0.0.1'] },
    }).pem;
    server = createHttpsServer({ key: pemOf(tlsKey), cert: tlsCertificatePem }, listener);
  } else {
    server = createServer(listener);
  }
  // The sandbox answers quickly; keep its keep-alive like WeChat Pay's (8 s, P20).
  server.keepAliveTimeout = 8_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    ...(tlsCertificatePem ? { tlsCertificatePem } : {}),
    mode,
    credentials,
    requests,
    get faults() {
      return faults;
    },
    setFaults: (next) => {
      faults = next.map((fault) => ({ ...fault }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
