/** Whether a folder is only ours: sync and node:fs only, for the config search of every run. */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';

/** Why a folder is not only ours: another user owns it, or others may write to it. */
export type FolderDistrust = { folder: string; uid: number; mode?: undefined } | { folder: string; mode: string; uid?: undefined };

/**
 * The first of `folders` (each checked as it is; missing ones are passed over) that another user
 * (not root) owns, or that group or others can write to without the sticky bit (as /tmp has it,
 * so that they cannot replace what is ours). Undefined where there are no such mode bits (Windows).
 */
export function distrustedFolder(folders: Iterable<string>): FolderDistrust | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  for (const folder of folders) {
    let found: Stats;
    try {
      found = statSync(folder);
    } catch {
      continue;
    }
    if (found.uid !== uid && found.uid !== 0) return { folder, uid: found.uid };
    if ((found.mode & 0o022) !== 0 && (found.mode & 0o1000) === 0) {
      return { folder, mode: (found.mode & 0o777).toString(8).padStart(3, '0') };
    }
  }
  return undefined;
}

/** A folder and every folder above it, nearest first. */
export function folderAndParents(folder: string): string[] {
  const folders: string[] = [];
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    folders.push(current);
    if (path.dirname(current) === current) return folders;
  }
}
