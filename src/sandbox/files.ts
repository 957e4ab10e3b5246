/** Writes a sandbox's credentials as a ready-to-use config folder. */
import { lstat, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders, writeAtomically } from '../folders.js';
import { distrustedFolder, folderAndParents, type FolderDistrust } from '../trust.js';
import { SEARCH_PLACES } from '../search-places.js';
import type { Sandbox } from './server.js';

/** Where `sandbox --dir` keeps the WeChat Pay signing key it signs with, read by `notify send`. */
export const SANDBOX_SIGNING_KEY_FILE = 'SANDBOX-ONLY_wechatpay_signing_key.pem';
const SANDBOX_SIGNING_KEY_NOTE = [
  'SANDBOX ONLY: the private key the local wxpay-coupon sandbox signs as "WeChat Pay" with.',
  "It signs sandbox answers and the notifications of `wxpay-coupon notify send`. It is not WeChat Pay's key",
  'and nothing real is signed with it; never configure it anywhere else.',
].join('\n');

/** Names the running sandbox that serves a --dir folder: a second one there would swap its keys. */
export const SANDBOX_PID_FILE = '.wxpay-sandbox.pid';

/** The process id of another live sandbox serving `dir`, from its pid file; undefined when none. */
async function liveSandboxIn(dir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dir, SANDBOX_PID_FILE), 'utf8').catch(() => '');
  const pid = /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  if (pid === undefined || pid === process.pid || pid === 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    // ESRCH: gone (a sandbox killed with SIGKILL leaves its file); EPERM: another user's process, not our sandbox.
    return undefined;
  }
}

/** Removes this process's pid file from `dir` when the sandbox stops (best effort). */
export async function removeSandboxPid(dir: string): Promise<void> {
  const file = path.join(dir, SANDBOX_PID_FILE);
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim() === String(process.pid)) await unlink(file).catch(() => undefined);
}

export interface SandboxFiles {
  dir: string;
  configPath: string;
  files: string[];
}

/**
 * Why writeSandboxFiles refused a folder, one reason each: another user's or one others can write
 * to (`distrusted`), one a running sandbox serves (`inUse`, its pid), one holding a file of ours
 * that no sandbox wrote (`file`, a name in it), or one holding a config file of its own (`config`).
 */
export type SandboxFolderReason = { distrusted: FolderDistrust } | { inUse: number } | { file: string } | { config: string };

export class SandboxFolderError extends Error {
  readonly code = 'SANDBOX_FOLDER';
  constructor(
    readonly folder: string,
    readonly reason: SandboxFolderReason,
  ) {
    super(
      'distrusted' in reason
        ? `${folder} is not only yours: ${reason.distrusted.uid !== undefined ? `${reason.distrusted.folder} is owned by uid ${String(reason.distrusted.uid)}` : `${reason.distrusted.folder} can be written by others (mode ${reason.distrusted.mode})`}`
        : 'file' in reason
          ? `${folder} holds a ${reason.file} that no sandbox wrote`
          : 'inUse' in reason
            ? `${folder} is served by the running sandbox ${String(reason.inUse)}`
            : `${folder} holds a config file of its own, ${reason.config}`,
    );
  }
}

/** The names writeSandboxFiles writes, certificate files aside (their names carry a serial). */
const SANDBOX_FILE_NAMES = ['.wxpayrc.json', 'merchant_private_key.pem', 'wechatpay_public_key.pem'];

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return false;
      throw error;
    },
  );
}

/**
 * A config file the search would read in `dir` besides the sandbox's `.wxpayrc.json` (a project's
 * `.wxpayrc.yaml`, a package.json with a "wxpay" key): the folder is a project's, and one of the
 * two files would silently be read instead of the other.
 */
async function otherConfigFile(dir: string): Promise<string | undefined> {
  for (const name of SEARCH_PLACES) {
    if (name === '.wxpayrc.json' || !(await exists(path.join(dir, name)))) continue;
    if (name !== 'package.json') return name;
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    try {
      if (Object.hasOwn((JSON.parse(text) ?? {}) as object, 'wxpay')) return name;
    } catch {
      // Not JSON: not a config the search could read either.
    }
  }
  return undefined;
}

/**
 * Writes the sandbox's config and keys into `dir` (made if missing). Refuses a folder another user
 * owns or others can write to (they could read or swap a key), and a folder holding a
 * `.wxpayrc.json` or key file that no sandbox wrote (a merchant's real config, say): a folder a
 * sandbox wrote before is known by its SANDBOX-ONLY signing key. Each file is written anew, with
 * its mode from the start, and renamed into place, so a symlink there is replaced, never followed.
 */
export async function writeSandboxFiles(sandbox: Sandbox, dir: string): Promise<SandboxFiles> {
  await makeFolders(dir);
  const distrusted = distrustedFolder(folderAndParents(dir));
  if (distrusted) throw new SandboxFolderError(dir, { distrusted });
  const inUse = await liveSandboxIn(dir);
  if (inUse !== undefined) throw new SandboxFolderError(dir, { inUse });
  if (!(await exists(path.join(dir, SANDBOX_SIGNING_KEY_FILE)))) {
    for (const name of SANDBOX_FILE_NAMES) {
      if (await exists(path.join(dir, name))) throw new SandboxFolderError(dir, { file: name });
    }
  }
  const own = await otherConfigFile(dir);
  if (own !== undefined) throw new SandboxFolderError(dir, { config: own });
  const { credentials } = sandbox;
  const files: string[] = [];
  const write = async (name: string, content: string, mode: number): Promise<void> => {
    const file = path.join(dir, name);
    await writeAtomically(file, content, mode);
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
  // The sandbox's WeChat Pay signing key, for `notify send`: never part of the config (a merchant
  // never holds WeChat Pay's key), marked in its name and its first lines, private like any key.
  await write(SANDBOX_SIGNING_KEY_FILE, `${SANDBOX_SIGNING_KEY_NOTE}\n${credentials.wechatpayPrivateKeyPem}`, 0o600);
  config['apiv3Key'] = credentials.apiv3Key;
  config['baseUrl'] = sandbox.baseUrl;
  await write('.wxpayrc.json', `${JSON.stringify(config, null, 2)}\n`, 0o600);
  await write(SANDBOX_PID_FILE, `${String(process.pid)}\n`, 0o600);
  return { dir, configPath: path.join(dir, '.wxpayrc.json'), files };
}
