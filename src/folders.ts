/** Making folders and writing files into them. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `mkdir -p`, one folder at a time; returns the first folder it made, as mkdir's `recursive`
 * does, or undefined when `folder` was there already. Node's own recursive mkdir never returns
 * where a folder cannot be made under /proc (`mkdir /proc/x` fails with ENOENT although /proc is
 * there, and Node tries again for ever at 100% CPU, Node 20): `certs download --out /proc/x` and
 * `sandbox --dir /proc/x` hung so. bin/wxpay-coupon.cjs makes its cache folder the same way.
 */
export async function makeFolders(folder: string): Promise<string | undefined> {
  const target = path.resolve(folder);
  const missing: string[] = [];
  for (let current = target; ; current = path.dirname(current)) {
    try {
      const found = await stat(current);
      // As mkdir's `recursive` says it: EEXIST for the folder itself, ENOTDIR for a parent.
      if (!found.isDirectory())
        throw Object.assign(new Error(`${current} is not a folder`), { code: current === target ? 'EEXIST' : 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT' || path.dirname(current) === current) throw error;
      missing.unshift(current);
    }
  }
  for (const current of missing) {
    try {
      await mkdir(current);
    } catch (error) {
      // Made meanwhile by another run.
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
  }
  return missing[0];
}

/**
 * Writes a file so that readers see the old content or the new, never half of it: a new temporary
 * file (O_EXCL, so never through a symlink or into someone else's file) with `mode` from the
 * start, renamed over the name (which replaces a symlink there rather than writing where it points).
 */
export async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { mode, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
