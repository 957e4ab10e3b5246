/** Writes a sandbox's credentials as a ready-to-use config folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Sandbox } from './server.js';

export interface SandboxFiles {
  dir: string;
  configPath: string;
  files: string[];
}

export async function writeSandboxFiles(sandbox: Sandbox, dir: string): Promise<SandboxFiles> {
  await mkdir(dir, { recursive: true });
  const { credentials } = sandbox;
  const files: string[] = [];
  const write = async (name: string, content: string, mode: number): Promise<void> => {
    const file = path.join(dir, name);
    await writeFile(file, content, { mode });
    files.push(file);
  };
  const config: Record<string, unknown> = {
    mchid: credentials.mchid,
    serial: credentials.serial,
    privateKey: 'merchant_private_key.pem',
  };
  // The private key is sandbox-only, but it is still written the way a real one should be: 0600.
  await write('merchant_private_key.pem', credentials.privateKeyPem, 0o600);
  if (credentials.publicKeyId && credentials.publicKeyPem) {
    config['publicKeyId'] = credentials.publicKeyId;
    config['publicKey'] = 'wechatpay_public_key.pem';
    await write('wechatpay_public_key.pem', credentials.publicKeyPem, 0o644);
  }
  if (credentials.certificatePem && credentials.certificateSerial) {
    const name = `wechatpay_${credentials.certificateSerial}.pem`;
    config['platformCertificates'] = [name];
    await write(name, credentials.certificatePem, 0o644);
  }
  config['apiv3Key'] = credentials.apiv3Key;
  config['baseUrl'] = sandbox.baseUrl;
  await write('.wxpayrc.json', `${JSON.stringify(config, null, 2)}\n`, 0o600);
  return { dir, configPath: path.join(dir, '.wxpayrc.json'), files };
}
