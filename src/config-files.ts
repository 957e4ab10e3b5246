/**
 * Finding and reading config files: the search upward from the working directory, then the
 * global folder, and `--config` / WXPAY_CONFIG. Our own walk rather than cosmiconfig's explorer:
 * cosmiconfig() reads (and for `.config/config.js` executes) its own "meta" config in the working
 * directory on every call, even for an explicit file, and reads every file it finds whoever owns
 * it, whatever its size or kind. Here a file is opened without blocking, checked (a regular file,
 * at most CONFIG_FILE_MAX_BYTES, and for anything found by the search or any JS file: owned by the
 * user or root, in folders nobody else can write to) before a byte of it is parsed or run.
 * cosmiconfig still parses YAML (its own loader, js-yaml).
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startConfigWorker } from './config-import.js';
import type { Thrown, WorkerInput, WorkerMessage } from './config-worker.cjs';
import { InterruptedError } from './errors.js';
import { distrustedFolder, folderAndParents } from './trust.js';
import { t } from './i18n/index.js';

/** A config file is a few KB; anything above this is refused unread. */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;
/** How long a JS config may take to evaluate (and its exported promise to settle). */
export const CONFIG_LOAD_TIMEOUT_MS = 5000;

/** In the global folder (~/.config/wxpay/ on Linux), the same formats as cosmiconfig's list. */
export const GLOBAL_SEARCH_PLACES: readonly string[] = Object.freeze([
  'config',
  'config.json',
  'config.yaml',
  'config.yml',
  'config.js',
  'config.cjs',
  'config.mjs',
]);

/** Something worth saying that does not stop the run; `code` is for `--json`. */
export interface ConfigWarning {
  code: string;
  message: string;
}

/** A config file that cannot be used: which file, and why, in words that quote none of it. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ConfigFileError';
  }
}

export interface LoadedFile {
  filepath: string;
  /** What the file holds; undefined when it is empty (or a package.json without "wxpay"). */
  config: unknown;
}

const isJs = (file: string): boolean => /\.(c|m)?js$/.test(file);

/**
 * The global folder, where cosmiconfig (through env-paths) looks: $XDG_CONFIG_HOME/wxpay or
 * ~/.config/wxpay on Linux, ~/Library/Preferences/wxpay on macOS, %APPDATA%\wxpay\Config on Windows.
 */
export function globalConfigFolder(moduleName: string, env: Readonly<Record<string, string | undefined>>): string {
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Preferences', moduleName);
  if (process.platform === 'win32') return path.join(env['APPDATA'] || path.join(home, 'AppData', 'Roaming'), moduleName, 'Config');
  return path.join(env['XDG_CONFIG_HOME'] || path.join(home, '.config'), moduleName);
}

/**
 * The folders searched, nearest first: the working directory and its parents up to the home
 * folder when it is inside it, else up to the root of the file system (every file found passes
 * the ownership rule either way).
 */
export function searchFolders(cwd: string): string[] {
  const home = path.resolve(os.homedir());
  const folders: string[] = [];
  let current = path.resolve(cwd);
  for (;;) {
    folders.push(current);
    if (current === home) break;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return folders;
}

/**
 * Why a file may not be trusted, or undefined: it must be owned by this user or root and not
 * writable by group or others, and so must every folder above it (a folder others can write to is
 * fine only with the sticky bit, as /tmp has it, since then they cannot replace what is ours).
 * Not on Windows, which has no such mode bits.
 */
export function untrustedReason(file: string, stat: Stats): string | undefined {
  if (typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  if (stat.uid !== uid && stat.uid !== 0) return t('config.untrusted.owner', { uid: stat.uid });
  if ((stat.mode & 0o022) !== 0) {
    return t('config.untrusted.writable', { mode: (stat.mode & 0o777).toString(8).padStart(3, '0'), file });
  }
  const folders = new Set(folderAndParents(path.dirname(path.resolve(file))));
  try {
    for (const folder of folderAndParents(path.dirname(realpathSync(file)))) folders.add(folder);
  } catch {
    /* A path that does not resolve has no other parents; opening it reports why it is missing. */
  }
  const distrusted = distrustedFolder(folders);
  if (distrusted?.uid !== undefined) return t('config.untrusted.folderOwner', { folder: distrusted.folder, uid: distrusted.uid });
  if (distrusted?.mode !== undefined) return t('config.untrusted.folderWritable', { folder: distrusted.folder, mode: distrusted.mode });
  return undefined;
}

/**
 * Opens without blocking (a FIFO would otherwise hang the open), refuses anything but a regular
 * file and anything larger than the cap, and reads it. `check` sees the opened file's own stat.
 */
function readBounded(file: string, check: (stat: Stats) => void): string {
  // O_NONBLOCK is absent on Windows, though @types/node declares it everywhere.
  const { O_NONBLOCK } = constants as { O_NONBLOCK?: number };
  const fd = openSync(file, constants.O_RDONLY | (O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (!stat.isFile()) throw new ConfigFileError(file, t('config.file.notRegular'));
    check(stat);
    if (stat.size > CONFIG_FILE_MAX_BYTES) {
      throw new ConfigFileError(file, t('config.file.tooLarge', { size: stat.size, max: CONFIG_FILE_MAX_BYTES }));
    }
    const buffer = Buffer.alloc(Math.min(stat.size, CONFIG_FILE_MAX_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > CONFIG_FILE_MAX_BYTES) {
      throw new ConfigFileError(file, t('config.file.grew', { max: CONFIG_FILE_MAX_BYTES }));
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A UTF-8 byte order mark, as Windows editors write it (npm accepts it in package.json). */
const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export interface ParseHooks {
  /** JSON.parse, with an error that quotes none of the text. */
  json: (text: string, file: string) => unknown;
  yaml: (text: string, file: string) => Promise<unknown>;
}

/** A JS config's failure in words (see Thrown in src/config-worker.cts); `reading`: while its exported value was read. */
function describeJsFailure(thrown: Thrown, file: string, reading = false): string {
  const command = `node ${JSON.stringify(file).slice(1, -1)}`;
  if (!thrown.isError) return t('config.js.threw', { what: thrown.what, command });
  const { name, line, column } = thrown;
  return t('config.js.failed', { name, line, column: line === undefined ? undefined : column, reading, command });
}

/** How the worker's answer reads as this file's failure; undefined for a value. */
function failureOf(message: WorkerMessage, file: string): ConfigFileError | undefined {
  if (message.kind === 'notData') return new ConfigFileError(file, t('config.js.notData'));
  if (message.kind === 'thenExport') return new ConfigFileError(file, t('config.js.thenExport'));
  if (message.kind !== 'failed') return undefined;
  const { stage, thrown } = message;
  if (stage === 'promise') return new ConfigFileError(file, t('config.js.rejected', { reason: describeJsFailure(thrown, file) }));
  if (stage === 'then') return new ConfigFileError(file, t('config.js.thenFailed', { reason: describeJsFailure(thrown, file) }));
  return new ConfigFileError(file, describeJsFailure(thrown, file, stage === 'reading'));
}

/**
 * Evaluates a JS config in a worker thread (src/config-worker.cts), never in this one: the
 * CONFIG_LOAD_TIMEOUT_MS limit then holds for code that never yields (`while (true) {}`) as for a
 * promise that never settles, a Ctrl-C or SIGTERM (`signal`) still ends the wait, and a config
 * that calls process.exit() ends its thread, not the command. Only JS configs start one (about
 * 30 ms). What the config writes to stdout or stderr goes to stderr: stdout is the command's
 * (`$(wxpay-coupon token -q …)`, `--json | jq`), never a config's console.log. Node's own
 * warnings it causes are emitted here, as Node would have; its value crosses as a structured clone.
 */
async function loadJs(file: string, signal: AbortSignal | undefined): Promise<unknown> {
  if (signal?.aborted) throw new InterruptedError(t('config.js.interrupted'));
  const real = realpathSync(file);
  const href = pathToFileURL(real).href;
  const input: WorkerInput = { href, stackNames: [href, real, path.resolve(file)] };
  const worker = await startConfigWorker({ workerData: input, argv: process.argv.slice(2), stdout: true, stderr: true });
  // Written only when the config writes: process.stderr is a stream made on first use.
  worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  worker.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        void worker.terminate();
        return true;
      };
      const fail = (error: Error): void => {
        if (settle()) reject(error);
      };
      timer = setTimeout(
        () => fail(new ConfigFileError(file, t('config.js.timeout', { seconds: CONFIG_LOAD_TIMEOUT_MS / 1000 }))),
        CONFIG_LOAD_TIMEOUT_MS,
      );
      onAbort = () => fail(new InterruptedError(t('config.js.interrupted')));
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'warning') {
          process.emitWarning(message.message, { type: message.name, ...(message.code === undefined ? {} : { code: message.code }) });
          return;
        }
        const failure = failureOf(message, file);
        if (failure) fail(failure);
        else if (settle()) resolve(message.kind === 'value' ? message.value : undefined);
      });
      // Not the config's own errors (the worker answers those): it could not start, or ran out of memory.
      worker.on('error', fail);
      // Only the config ends the thread early: process.exit(), in a config, ends its worker.
      worker.on('exit', (code) => fail(new ConfigFileError(file, t('config.js.exited', { code }))));
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Reads and parses one file; undefined when it does not exist (or is a folder) and `missingOk`.
 * `trusted` says whether the ownership rule applies (it always does to JS).
 */
export async function readConfigFile(
  file: string,
  moduleName: string,
  hooks: ParseHooks,
  options: { strict: boolean; onUntrusted?: (reason: string) => void; signal?: AbortSignal | undefined },
): Promise<LoadedFile | undefined | 'untrusted'> {
  let untrusted: string | undefined;
  const text = readBounded(file, (stat) => {
    if (options.strict || isJs(file)) untrusted = untrustedReason(file, stat);
  });
  if (untrusted !== undefined) {
    options.onUntrusted?.(untrusted);
    return 'untrusted';
  }
  const content = stripBom(text);
  const base = path.basename(file);
  if (content.trim() === '') return { filepath: file, config: undefined };
  if (base === 'package.json') {
    const record = hooks.json(content, file) as Record<string, unknown> | null;
    return { filepath: file, config: record !== null && typeof record === 'object' ? record[moduleName] : undefined };
  }
  const extension = path.extname(base);
  if (extension === '.json') return { filepath: file, config: hooks.json(content, file) };
  if (isJs(file)) return { filepath: file, config: await loadJs(file, options.signal) };
  // No extension (.wxpayrc, config), .yaml, .yml: YAML, which JSON is a part of (cosmiconfig's rule).
  return { filepath: file, config: await hooks.yaml(content, file) };
}

/** Codes of a file that is simply not there, for the search to go on. */
export const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
