/**
 * The sandbox's keys: the merchant it expects requests from, and the WeChat Pay key it signs its
 * answers with, announced as a public key id (public-key mode) or a platform certificate's serial
 * (certificate mode, P17). Everything left out of the options is generated here.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { createSelfSignedCertificate } from './x509.js';
import type { SandboxCredentials, SandboxMode, SandboxOptions } from './types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface SandboxIdentity {
  credentials: SandboxCredentials;
  merchantPublicKey: KeyObject;
  wechatpayPrivateKey: KeyObject;
  /** The serial every signed answer announces in Wechatpay-Serial. */
  signingSerial: string;
}

function randomDigits(count: number): string {
  let digits = String(1 + ((randomBytes(1)[0] as number) % 9));
  while (digits.length < count) digits += String((randomBytes(1)[0] as number) % 10);
  return digits;
}

export async function newRsaKey(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateKeyPairAsync('rsa', { modulusLength: 2048 });
}

export function pemOf(key: KeyObject): string {
  return key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
}

function apiv3Key(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

async function privateKeyOf(pem: string | undefined): Promise<KeyObject> {
  return pem ? createPrivateKey(pem) : (await newRsaKey()).privateKey;
}

/** Public-key mode announces `PUB_KEY_ID_01<mchid><digits>`; certificate mode its certificate's serial. */
function addSigningKey(credentials: SandboxCredentials, wechatpay: SandboxOptions['wechatpay'], privateKey: KeyObject): string {
  const publicKey = createPublicKey(privateKey);
  if (credentials.mode === 'public-key') {
    const { mchid } = credentials;
    credentials.publicKeyId = wechatpay?.publicKeyId ?? `PUB_KEY_ID_01${mchid}${randomDigits(26 - mchid.length)}`;
    credentials.publicKeyPem = pemOf(publicKey);
    return credentials.publicKeyId;
  }
  const certificatePem =
    wechatpay?.certificatePem || createSelfSignedCertificate({ publicKey, privateKey, commonName: 'Tenpay.com Root CA (sandbox)' }).pem;
  credentials.certificatePem = certificatePem;
  credentials.certificateSerial = new X509Certificate(certificatePem).serialNumber.toUpperCase();
  return credentials.certificateSerial;
}

export async function createIdentity(options: SandboxOptions): Promise<SandboxIdentity> {
  const mode: SandboxMode = options.mode ?? 'public-key';
  const merchantPrivate = await privateKeyOf(options.merchant?.privateKeyPem);
  const mchid = options.merchant?.mchid ?? `19${randomDigits(8)}`;
  const wechatpayPrivateKey = await privateKeyOf(options.wechatpay?.privateKeyPem);
  const credentials: SandboxCredentials = {
    mode,
    mchid,
    serial: (options.merchant?.serial ?? randomBytes(20).toString('hex')).toUpperCase(),
    privateKeyPem: pemOf(merchantPrivate),
    apiv3Key: apiv3Key(),
    wechatpayPrivateKeyPem: pemOf(wechatpayPrivateKey),
  };
  const signingSerial = addSigningKey(credentials, options.wechatpay, wechatpayPrivateKey);
  return { credentials, merchantPublicKey: createPublicKey(merchantPrivate), wechatpayPrivateKey, signingSerial };
}
