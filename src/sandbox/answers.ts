/**
 * What the sandbox answers, as WeChat Pay does: the token answer, the certificates answer, 404
 * NOT_FOUND, errors with the real statuses, codes and Chinese messages (P7, P18), and the
 * Wechatpay-* headers that sign every 2xx answer (P13–P15) with the key of either key mode (P17),
 * and the 404 RESOURCE_NOT_EXISTS of a public-key merchant's certificates (P27).
 * Pure functions over their arguments (the token and the key are passed in or drawn at random),
 * so each answer can be checked without a server.
 */
import { X509Certificate, randomBytes, type KeyObject } from 'node:crypto';
import { buildMessage, generateNonce, signMessage } from '../sign.js';
import { encryptResource } from '../certificates.js';
import { formatChinaTime } from '../clock.js';

export { formatChinaTime };

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

/**
 * An answer before it is written: a 2xx is signed on the way out (`sign`), an error is not, but
 * for the certificates' 404 RESOURCE_NOT_EXISTS (P27), which doctor --online verifies.
 */
export interface Answer {
  status: number;
  body: string;
  code?: string;
  /** Sign this answer with WeChat Pay's key (every 2xx, and the certificates' 404). */
  sign: boolean;
  headers?: Record<string, string>;
}

/** WeChat Pay's error body: `{ code, message }`, with `detail` when it gives one (P18). */
export function errorAnswer(status: number, code: string, message: string, detail?: unknown): Answer {
  return { status, code, sign: false, body: JSON.stringify(detail === undefined ? { code, message } : { code, message, detail }) };
}

/** What WeChat Pay answers for a path or method it does not serve (after authenticating the request). */
export function notFoundAnswer(): Answer {
  return errorAnswer(404, 'NOT_FOUND', SANDBOX_MESSAGES.notFound);
}

/** A fresh token: 24 random bytes, base64url (32 characters, within the launch page's 64). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The 200 of `POST /v3/industry-coupon/tokens`: the token and when it expires, in +08:00 time. */
export function tokenAnswer(token: string, expiresAtMs: number): Answer {
  return { status: 200, sign: true, body: JSON.stringify({ token, expires_time: formatChinaTime(expiresAtMs) }) };
}

export interface PlatformCertificate {
  certificatePem?: string | undefined;
  certificateSerial?: string | undefined;
  apiv3Key: string;
}

/**
 * Like WeChat Pay: certificates, encrypted with the APIv3 key, or 404 for a public-key merchant
 * (P19), signed as WeChat Pay signs its answer to a request whose signature it accepted (P27), so
 * the signing faults reach it too.
 */
export function certificatesAnswer(merchant: PlatformCertificate): Answer {
  if (!merchant.certificatePem || !merchant.certificateSerial) {
    return { ...errorAnswer(404, 'RESOURCE_NOT_EXISTS', SANDBOX_MESSAGES.noCertificates), sign: true };
  }
  const certificate = new X509Certificate(merchant.certificatePem);
  const data = [
    {
      serial_no: merchant.certificateSerial,
      effective_time: formatChinaTime(Date.parse(certificate.validFrom)),
      expire_time: formatChinaTime(Date.parse(certificate.validTo)),
      encrypt_certificate: encryptResource(merchant.certificatePem, merchant.apiv3Key),
    },
  ];
  return { status: 200, sign: true, body: JSON.stringify({ data }) };
}

/**
 * Who signs the answers: WeChat Pay's private key and the serial it announces — a public key id
 * (`PUB_KEY_ID_…`) in public-key mode, the platform certificate's serial in certificate mode (P17).
 */
export interface AnswerSigner {
  privateKey: KeyObject;
  serial: string;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** The Wechatpay-* headers of a signed answer over `body`, with a timestamp `ageSeconds` old (P13–P15). */
export function signatureHeaders(signer: AnswerSigner, body: string, ageSeconds = 0): Record<string, string> {
  const timestamp = String(Math.floor(signer.now() / 1000) - ageSeconds);
  const nonce = generateNonce();
  const signature = signMessage(buildMessage([timestamp, nonce, body]), signer.privateKey);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': signer.serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}
