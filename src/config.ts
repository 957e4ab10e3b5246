/**
 * Configuration: cosmiconfig file < profile < environment < flags, validated as a whole,
 * every problem reported with its source (file and key path, or variable, or flag).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ConfigError, InterruptedError, UsageError, type ConfigProblem } from './errors.js';
import {
  KeyMaterialError,
  isPem,
  isPublicHalfOf,
  loadCertificate,
  loadPrivateKey,
  loadPublicKey,
  type LoadedCertificate,
  type VerificationKey,
} from './keys.js';
import { DEFAULT_BASE_URL, checkBaseUrl, maskUrlCredentials } from './urls.js';
import { t } from './i18n/index.js';
import {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  SETTINGS,
  CONFIG_KEYS,
  describeValue,
  fullWidthDigitsNote,
  ruleProblem,
  settingOf,
  type ConfigKey,
  type SettingRow,
} from './settings.js';
import { FULL_WIDTH_PUNCTUATION, JsonSyntaxError, parseLosslessJson } from './json.js';
import {
  ABSENT,
  ConfigFileError,
  GLOBAL_SEARCH_PLACES,
  globalConfigFolder,
  readConfigFile,
  searchFolders,
  type ConfigWarning,
} from './config-files.js';

export type { ConfigWarning } from './config-files.js';

export const MODULE_NAME = 'wxpay';

import { SEARCH_PLACES } from './search-places.js';

export { SEARCH_PLACES };

/** The settings table (src/settings.ts) is where keys, variables, secrets and rules are defined; these are its columns. */
export { CONFIG_KEYS, ENV_VARIABLES, SECRET_SETTINGS, describeValue, type ConfigKey, type SecretHandling } from './settings.js';

/** A key or certificate file is a few KB; anything larger is not one, and is never read whole. */
export const KEY_FILE_MAX_BYTES = 64 * 1024;

export interface ConfigOverrides {
  baseUrl?: string | undefined;
  timeout?: number | undefined;
  retries?: number | undefined;
  proxy?: string | undefined;
  rate?: number | undefined;
}

export interface LoadConfigOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--config <path>`: load exactly that file. */
  configPath?: string | undefined;
  /** `--profile <name>`. */
  profile?: string | undefined;
  /** Flags: they override everything. */
  overrides?: ConfigOverrides;
  /**
   * Called with each warning as it arises (a config file skipped by the search, a secret file
   * others can read); they are in ResolvedConfig.warnings too, but a skipped file matters most
   * when loading then fails.
   */
  onWarning?: (warning: ConfigWarning) => void;
  /**
   * Whether at least one WeChat Pay verification key must be configured (default true).
   * `certs download` and `doctor` turn it off: the first bootstraps one, the second reports it.
   */
  requireVerificationKey?: boolean;
  /** Whether the command has `--sandbox` (token), for what a "no configuration found" error suggests. */
  sandboxFlag?: boolean;
  /** Ctrl-C or SIGTERM: ends the wait for a JS config (an InterruptedError, exit 130). */
  signal?: AbortSignal | undefined;
}

export interface ResolvedConfig {
  mchid: string;
  serial: string;
  privateKey: KeyObject;
  /** The file the private key was read from; absent for inline PEM. */
  privateKeyFile?: string;
  publicKeyId?: string;
  verificationKeys: VerificationKey[];
  merchantCertificate?: LoadedCertificate & { source: string };
  apiv3Key?: string;
  baseUrl: string;
  backupBaseUrl?: string;
  timeoutMs: number;
  retries: number;
  proxy?: string;
  /** Batch: requests started per second, retries included. */
  rate?: number;
  origin: {
    /** The config file used, if any. */
    file?: string;
    profile?: string;
    /** Variables that supplied a value. */
    environment: string[];
    /** Where each key's value came from. */
    sources: Partial<Record<ConfigKey, string>>;
    /**
     * Each setting's value as a report may show it (`doctor`), defaults included: a secret or key
     * material only as "set", a proxy with its credentials masked.
     */
    shown: Partial<Record<ConfigKey, string>>;
  };
  /** Things worth saying on stderr that do not stop the run. */
  warnings: string[];
}

interface Entry {
  value: unknown;
  source: string;
  /** Relative paths in this value resolve against this folder. */
  baseDir: string;
}

type Layer = Partial<Record<ConfigKey, Entry>>;

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
 * The official SDKs' names for our settings (wechatpay-go, -java, -php, and API v3's own serial_no),
 * squeezed as suggestKey squeezes a key: a config copied from one of them is told which key is meant
 * (careless check, helper-41: serial_no listed every key instead).
 */
const SDK_SPELLINGS: Readonly<Record<string, ConfigKey>> = {
  serialno: 'serial',
  mchserialno: 'serial',
  merchantserialnumber: 'serial',
  mchcertificateserialnumber: 'serial',
  merchantid: 'mchid',
  mchprivatekey: 'privateKey',
  merchantprivatekey: 'privateKey',
  privatekeypath: 'privateKey',
  apiclientkey: 'privateKey',
  mchapiv3key: 'apiv3Key',
  wechatpaypublickeyid: 'publicKeyId',
  platformpublickeyid: 'publicKeyId',
  wechatpaypublickey: 'publicKey',
  publickeypath: 'publicKey',
};

function suggestKey(key: string): string {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  const match =
    CONFIG_KEYS.find((candidate) => candidate.toLowerCase() === lower) ??
    (Object.hasOwn(SDK_SPELLINGS, lower) ? SDK_SPELLINGS[lower] : undefined);
  return t('config.key.unknown', { match, keys: CONFIG_KEYS });
}

interface FoundFile {
  filepath: string;
  config: unknown;
}

/**
 * Where JSON text breaks, by line and column, quoting none of it: a config file may hold the
 * APIv3 key, and parse-json's message (and its code frame) would print the lines around the error.
 */
function describeJsonSyntaxError(text: string): string {
  try {
    parseLosslessJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const before = text.slice(0, error.position);
      const line = before.split('\n').length;
      const column = error.position - before.lastIndexOf('\n');
      // error.reason, not error.message: the message adds the position in the chosen language's words.
      return t('config.json.at', { line, column, reason: error.reason });
    }
  }
  return t('config.json.invalid');
}

/** Why a config file could not be parsed, in one line that quotes none of the file. */
function parseFailureReason(error: unknown): { file?: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  // cosmiconfig's YAML loader prefixes "YAML Error in <file>:"; js-yaml's first line after it is
  // its reason with (line:column), and the code frame after that, which quotes the file, is left out.
  const prefixed = /^YAML Error in (.+):\s*$/.exec(lines[0] ?? '');
  if (!prefixed) return { message: t('config.file.unparsable', { reason: lines[0] ?? '' }) + fullWidthHint(error) };
  const reason = lines.slice(1).find((line) => line.trim() !== '' && !/^\s*\d+\s*\|/.test(line));
  // js-yaml quotes what it could not read ("unidentified alias "<name>"", "unknown tag !<…>"),
  // which may be a secret's value: that part is left out, the reason and (line:column) kept.
  const unquoted = reason?.trim().replace(/"[^"]*"|'[^']*'|!<[^>]*>/g, '…');
  return { file: prefixed[1], message: t('config.file.yaml', { reason: unquoted }) + fullWidthHint(error) };
}

/** Marks a parse error of a text holding full-width punctuation outside YAML comments: the likely cause. */
function markFullWidth(error: unknown, text: string): unknown {
  const code = text.split('\n').map((line) => line.replace(/(^|\s)#.*$/, ''));
  if (error instanceof Error && code.some((line) => FULL_WIDTH_PUNCTUATION.test(line))) Object.assign(error, { fullWidth: true });
  return error;
}

function fullWidthHint(error: unknown): string {
  return (error as { fullWidth?: boolean } | undefined)?.fullWidth === true ? t('config.file.fullWidth') : '';
}

/** cosmiconfig's YAML loader (js-yaml), loaded only when a YAML file is read. */
async function parseYaml(text: string, file: string): Promise<unknown> {
  const { defaultLoaders } = await import('cosmiconfig');
  try {
    return await defaultLoaders['.yaml'](file, text);
  } catch (error) {
    throw markFullWidth(error, text);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw markFullWidth(new Error(describeJsonSyntaxError(text)), text);
  }
}

const PARSE_HOOKS = { json: parseJson, yaml: parseYaml };

async function findConfigFile(
  options: LoadConfigOptions,
  explicitPath: string | undefined,
  explicitSource: string,
  warn: (warning: ConfigWarning) => void,
): Promise<FoundFile | undefined> {
  const fail = (file: string, message: string): never => {
    throw new ConfigError([{ source: explicitPath !== undefined ? explicitSource : displayPath(file, options.cwd), message }]);
  };
  const read = async (file: string, strict: boolean): Promise<FoundFile | undefined | 'untrusted'> => {
    try {
      return await readConfigFile(file, MODULE_NAME, PARSE_HOOKS, {
        strict,
        signal: options.signal,
        onUntrusted: (reason) => {
          if (explicitPath !== undefined) {
            fail(file, t('config.file.notRun', { file: displayPath(file, options.cwd), reason }));
          }
          warn({ code: 'CONFIG_SKIPPED', message: t('config.file.skipped', { file: displayPath(file, options.cwd), reason }) });
        },
      });
    } catch (error) {
      if (error instanceof ConfigError || error instanceof InterruptedError) throw error;
      const code = (error as { code?: string }).code;
      const shown = displayPath(file, options.cwd);
      if (explicitPath === undefined && code !== undefined && (ABSENT.has(code) || code === 'EACCES')) return undefined;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return fail(file, t('config.file.missing', { file: explicitPath ?? shown, cwd: options.cwd }) + tildeNote(explicitPath ?? ''));
      }
      if (code === 'EACCES') return fail(file, t('config.file.denied', { file: shown }));
      if (code === 'EISDIR') return fail(file, t('config.file.folder', { file: shown }));
      if (error instanceof ConfigFileError) return fail(file, error.reason);
      const failure = parseFailureReason(error);
      throw new ConfigError([{ source: displayPath(failure.file ?? file, options.cwd), message: failure.message }]);
    }
  };
  if (explicitPath !== undefined) {
    if (explicitPath.trim() === '') fail('', t('config.file.emptyPath'));
    const found = await read(path.resolve(options.cwd, explicitPath), false);
    if (found === undefined || found === 'untrusted' || found.config === undefined) {
      return fail(explicitPath, t('config.file.noConfiguration', { file: explicitPath }));
    }
    return found;
  }
  const places: [string, readonly string[]][] = searchFolders(options.cwd).map((folder) => [folder, SEARCH_PLACES]);
  places.push([globalConfigFolder(MODULE_NAME, options.env), GLOBAL_SEARCH_PLACES]);
  for (const [folder, names] of places) {
    for (const name of names) {
      const found = await read(path.join(folder, name), true);
      // Empty files, and package.json without "wxpay", are passed over as cosmiconfig does.
      if (found !== undefined && found !== 'untrusted' && found.config !== undefined && found.config !== null) return found;
    }
  }
  return undefined;
}

function fileLayers(
  found: FoundFile,
  profileName: string | undefined,
  profileSource: string,
  cwd: string,
  problems: ConfigProblem[],
): { base: Layer; profile: Layer } {
  const shown = displayPath(found.filepath, cwd);
  const baseDir = path.dirname(found.filepath);
  const base: Layer = {};
  const profile: Layer = {};
  const config = found.config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    // `mchid： "…"` (a full-width colon) is YAML for one string, not a key and its value.
    const hint = typeof config === 'string' && FULL_WIDTH_PUNCTUATION.test(config) ? t('config.file.fullWidth') : '';
    problems.push({ source: shown, message: t('config.shape.notObject') + hint });
    if (profileName !== undefined)
      problems.push({ source: profileSource, message: t('config.shape.noProfiles', { profile: profileName, file: shown }) });
    return { base, profile };
  }
  const collect = (record: Record<string, unknown>, prefix: string, into: Layer, allowProfiles: boolean): void => {
    for (const [key, value] of Object.entries(record)) {
      if (key === 'profiles' && allowProfiles) continue;
      if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
        // A key name is shown only if it looks like one: a key pasted where a name belongs is still a key.
        const name = /^[A-Za-z0-9_.$-]{1,64}$/.test(key) ? key : t('config.key.name', { length: key.length });
        problems.push({ source: `${shown}: ${prefix}${name}`, message: suggestKey(key) });
        continue;
      }
      if (value === undefined || value === null) continue;
      into[key as ConfigKey] = { value, source: `${shown}: ${prefix}${key}`, baseDir };
    }
  };
  const record = config as Record<string, unknown>;
  collect(record, '', base, true);
  const profiles = record['profiles'];
  if (profiles !== undefined && (profiles === null || typeof profiles !== 'object' || Array.isArray(profiles))) {
    problems.push({ source: `${shown}: profiles`, message: t('config.shape.profilesNotObject') });
  }
  if (profileName !== undefined) {
    const available = profiles && typeof profiles === 'object' ? Object.keys(profiles) : [];
    const selected = available.includes(profileName) ? (profiles as Record<string, unknown>)[profileName] : undefined;
    if (selected === undefined) {
      problems.push({
        source: profileSource,
        message: t('config.shape.profileNotFound', { profile: profileName, file: shown, available }),
      });
    } else if (selected === null || typeof selected !== 'object' || Array.isArray(selected)) {
      problems.push({ source: `${shown}: profiles.${profileName}`, message: t('config.shape.profileNotObject') });
    } else {
      collect(selected as Record<string, unknown>, `profiles.${profileName}.`, profile, false);
    }
  }
  return { base, profile };
}

/** Every WXPAY_* variable this tool reads: the settings', and those that choose the file, profile and language. */
const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  ...(SETTINGS as readonly SettingRow[]).flatMap((row) => (row.env === undefined ? [] : [row.env])),
  'WXPAY_CONFIG',
  'WXPAY_PROFILE',
  'WXPAY_LANG',
]);

/**
 * WeChat Pay's own words for what our variables name (its docs, its SDKs' examples): a variable
 * spelled with one of them is taken for a typo of ours, with the right name suggested.
 */
const WECHAT_SPELLINGS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(MERCHANT_?ID|MCH_?ID|MCH_?CODE|SP_?MCHID)$/, 'WXPAY_MCHID'],
  [/^(PUB_?KEY_?ID|WECHATPAY_?PUBLIC_?KEY_?ID|PUBLICKEYID)$/, 'WXPAY_PUBLIC_KEY_ID'],
  [/^(PUB_?KEY|WECHATPAY_?PUBLIC_?KEY)(_?PATH|_?FILE)?$/, 'WXPAY_PUBLIC_KEY'],
  [/^(PLATFORM_?CERT(IFICATE)?S?|WECHATPAY_?CERT(IFICATE)?S?)(_?PATH|_?FILE)?$/, 'WXPAY_PLATFORM_CERTIFICATES'],
  [/^(MCH_?SERIAL(_?NO)?|MERCHANT_?SERIAL(_?NO)?|SERIAL_?NO|CERT(IFICATE)?_?SERIAL(_?NO)?)$/, 'WXPAY_SERIAL'],
  [/^(MCH_?PRIVATE_?KEY|MERCHANT_?PRIVATE_?KEY|APICLIENT_?KEY|KEY)(_?PATH|_?FILE)?$/, 'WXPAY_PRIVATE_KEY'],
  [/^(API_?V3_?KEY|APIV3_?SECRET|MCH_?API_?V3_?KEY)$/, 'WXPAY_APIV3_KEY'],
];

/**
 * A WXPAY_* variable that no setting reads (`WXPAY_MCH_ID`, `WXPAY_APIV3KEY`) is a typo that would
 * otherwise be ignored in silence: a warning, with the variable it most likely meant. Names only:
 * the value may be a secret.
 */
function unknownVariables(env: LoadConfigOptions['env']): ConfigWarning[] {
  const squeeze = (name: string): string => name.replace(/_/g, '').toUpperCase();
  // The longest known name the variable starts with: WXPAY_PRIVATE_KEY_PATH meant WXPAY_PRIVATE_KEY.
  const prefixOf = (name: string): string | undefined =>
    [...KNOWN_VARIABLES].filter((known) => squeeze(name).startsWith(squeeze(known))).sort((a, b) => b.length - a.length)[0];
  return Object.keys(env)
    .filter((name) => name.startsWith('WXPAY_') && !KNOWN_VARIABLES.has(name) && env[name] !== undefined)
    .sort()
    .map((name) => {
      const match =
        [...KNOWN_VARIABLES].find((known) => squeeze(known) === squeeze(name) || oneEditApart(squeeze(known), squeeze(name))) ??
        WECHAT_SPELLINGS.find(([pattern]) => pattern.test(name.slice('WXPAY_'.length).toUpperCase()))?.[1] ??
        prefixOf(name);
      return { code: 'UNKNOWN_VARIABLE', message: t('config.env.unknown', { name: /^\w{1,64}$/.test(name) ? name : 'WXPAY_…', match }) };
    });
}

/** Whether one letter added, removed or changed turns `a` into `b`. */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const rest = (x: string, skip: number): string => x.slice(i + skip);
  return rest(a, 1) === rest(b, 1) || rest(a, 1) === rest(b, 0) || rest(a, 0) === rest(b, 1);
}

function environmentLayer(options: LoadConfigOptions): Layer {
  const layer: Layer = {};
  for (const row of SETTINGS as readonly SettingRow[]) {
    const value = row.env === undefined ? undefined : options.env[row.env];
    if (row.env === undefined || value === undefined || value === '') continue;
    const key = row.key as ConfigKey;
    if (row.envList) {
      // PEM text (whose attribute lines may hold ':') is split after each END line, paths by the delimiter.
      const items = isPem(value) ? unescapePem(value).split(/(?<=-----END [A-Z0-9 ]+-----)/) : value.split(path.delimiter);
      layer[key] = { value: items.filter((item) => item.trim() !== ''), source: row.env, baseDir: options.cwd };
    } else {
      layer[key] = { value, source: row.env, baseDir: options.cwd };
    }
  }
  return layer;
}

/** Flags override everything; each is named by its flag in the table (`--timeout`). */
function flagLayer(options: LoadConfigOptions): Layer {
  const layer: Layer = {};
  for (const row of SETTINGS as readonly SettingRow[]) {
    const value = (options.overrides as Record<string, unknown> | undefined)?.[row.key];
    if (row.flag && value !== undefined) layer[row.key as ConfigKey] = { value, source: row.flag.name, baseDir: options.cwd };
  }
  return layer;
}

/** CI secrets often store PEM text with literal "\n"; turn those back into line breaks. */
function unescapePem(text: string): string {
  return !text.includes('\n') && text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
}

/** A problem with a key file that the message states whole (the file is named, never the value). */
class KeyFileProblem extends Error {}

/** The PEM label a key setting's file or text holds, for hints. */
const PEM_LABELS: Readonly<Record<string, string>> = { privateKey: 'PRIVATE KEY', publicKey: 'PUBLIC KEY' };

/**
 * Why a value that is not PEM text and names no file was refused, in words that show no part of
 * it: what it looks like, and how to fix it.
 */
function describeNotPem(setting: ConfigKey, value: string, baseDir: string, code: string | undefined): string {
  const label = PEM_LABELS[setting] ?? 'CERTIFICATE';
  const compact = value.replace(/\\n|\s/g, '');
  const length = value.length;
  if (/^[A-Za-z0-9+/]{64,}={0,2}$/.test(compact)) return t('config.pem.base64', { label, length });
  if (/-----|BEGIN|PRIVATE KEY|CERTIFICATE/.test(value)) return t('config.pem.damaged', { length });
  if (/[\n\r]/.test(value)) return t('config.pem.lineBreaks', { length });
  if (code === 'EACCES') return t('config.pem.unreachable', { length, baseDir });
  // `WXPAY_PRIVATE_KEY="~/keys/…"`: no shell expands ~ inside quotes or in a config file (careless check, helper-41).
  return t('config.pem.noFile', { length, baseDir }) + tildeNote(value);
}

/** A path starting with `~/`, which no shell expands inside quotes or in a config file: said so. */
function tildeNote(given: string): string {
  return /^~[/\\]/.test(given) ? t('config.path.tilde') : '';
}

function fileKind(stats: Stats): 'folder' | 'fifo' | 'character' | 'block' | 'socket' | 'other' {
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice()) return 'character';
  if (stats.isBlockDevice()) return 'block';
  if (stats.isSocket()) return 'socket';
  return 'other';
}

function tooLarge(file: string): KeyFileProblem {
  return new KeyFileProblem(t('config.pem.tooLarge', { file, kib: KEY_FILE_MAX_BYTES / 1024 }));
}

/**
 * Reads a key or certificate file: a regular file only (a device, FIFO or socket is refused
 * before it is opened, so nothing blocks or streams forever), at most KEY_FILE_MAX_BYTES + 1
 * bytes. Opened non-blocking, and checked again once open, in case the path changed in between.
 */
function readKeyFile(file: string, stats: Stats): string {
  const refuse = (kind: Stats): KeyFileProblem => new KeyFileProblem(t('config.pem.kind', { file, kind: fileKind(kind) }));
  if (!stats.isFile()) throw refuse(stats);
  if (stats.size > KEY_FILE_MAX_BYTES) throw tooLarge(file);
  // O_NONBLOCK is undefined on Windows, whatever the types say.
  const fd = openSync(file, constants.O_RDONLY | ((constants as Partial<typeof constants>).O_NONBLOCK ?? 0));
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw refuse(opened);
    const buffer = Buffer.alloc(KEY_FILE_MAX_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read)
      read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > KEY_FILE_MAX_BYTES) throw tooLarge(file);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a PEM value: PEM text anywhere in the value (text before the BEGIN line is skipped, as
 * OpenSSL does: `openssl pkcs12 -nodes` writes attribute lines there), else the path of an
 * existing file, relative to the folder of whatever named it. Anything else is refused in words
 * that show no part of the value: it may be the key itself.
 */
function readPem(setting: ConfigKey, entry: Entry, value: string): { pem: string; origin: string } {
  if (isPem(value)) return { pem: unescapePem(value), origin: 'inline PEM' };
  let file: string;
  let stats: Stats;
  try {
    file = path.resolve(entry.baseDir, value);
    stats = statSync(file);
  } catch (error) {
    // No message of the error is used: Node's quote the path, which is the value.
    throw new KeyFileProblem(describeNotPem(setting, value, entry.baseDir, (error as { code?: string }).code));
  }
  try {
    return { pem: readKeyFile(file, stats), origin: file };
  } catch (error) {
    if (error instanceof KeyFileProblem) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'EACCES' || code === 'EPERM') throw new KeyFileProblem(t('config.pem.denied', { file }));
    throw new KeyFileProblem(t('config.pem.unreadable', { file, code: code ?? 'error' }));
  }
}

function describePemProblem(error: unknown, origin: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof KeyFileProblem) return message;
  return origin === 'inline PEM' ? t('config.pem.inline', { problem: message }) : t('config.pem.in', { file: origin, problem: message });
}

/** What the validation pass shares: the merged layers, and the problems found so far. */
interface Pass {
  merged: Layer;
  problems: ConfigProblem[];
  /** The merchant private key once read (privateKey comes before the keys that verify in the table). */
  merchantKey?: KeyObject;
}

/** A string setting's value, trimmed; a non-string or empty value is a problem. */
function text(pass: Pass, key: ConfigKey): { entry: Entry; value: string } | undefined {
  const entry = pass.merged[key];
  if (!entry) return undefined;
  if (typeof entry.value !== 'string') {
    pass.problems.push({ source: entry.source, message: t('config.check.notString', { value: describeValue(key, entry.value) }) });
    return undefined;
  }
  if (entry.value.trim() === '') {
    pass.problems.push({ source: entry.source, message: t('config.check.empty') });
    return undefined;
  }
  return { entry, value: entry.value.trim() };
}

/** Reads a PEM value and parses it; a failure becomes a problem naming the value's source. */
function keyMaterial<T>(
  pass: Pass,
  setting: ConfigKey,
  entry: Entry,
  value: string,
  source: string,
  parse: (pem: string) => T,
): { value: T; origin: string } | undefined {
  let origin = 'inline PEM';
  try {
    const read = readPem(setting, entry, value);
    origin = read.origin;
    return { value: parse(read.pem), origin };
  } catch (error) {
    pass.problems.push({ source, message: describePemProblem(error, origin) });
    return undefined;
  }
}

/** A setting whose row has a rule (timeout, retries, rate): the flag parser checks with the same rule. */
function ruleValue(pass: Pass, key: ConfigKey, value: unknown, source: string): unknown {
  const row = settingOf(key);
  if (!row.rule) return value;
  const parsed = row.rule.parse(value);
  if (parsed === undefined) pass.problems.push({ source, message: ruleProblem(row, row.rule, value) });
  return parsed;
}

function validateMchid(pass: Pass): string | undefined {
  const entry = pass.merged.mchid;
  // A merchant id written as a JSON or YAML number is taken while it is exact: digits are all it holds.
  if (entry && typeof entry.value === 'number') {
    const number = entry.value;
    if (Number.isSafeInteger(number) && number > 0) pass.merged.mchid = { ...entry, value: String(number) };
    else {
      pass.problems.push({
        source: entry.source,
        // Too large for its digits to have survived; a fraction, zero or a negative is simply not a merchant id.
        message:
          Math.abs(number) > Number.MAX_SAFE_INTEGER
            ? t('config.mchid.unsafe')
            : t('config.mchid.notMchid', { value: describeValue('mchid', number) }),
      });
      delete pass.merged.mchid;
    }
  }
  const mchid = text(pass, 'mchid');
  if (mchid && !/^[0-9]{1,32}$/.test(mchid.value)) {
    pass.problems.push({
      source: mchid.entry.source,
      message:
        t('config.mchid.digits', { value: describeValue('mchid', mchid.value) }) + fullWidthDigitsNote(settingOf('mchid'), mchid.value),
    });
  }
  return mchid?.value;
}

function validateSerial(pass: Pass): string | undefined {
  // A serial is hex text, and as a number it has lost its leading zeros: it must be quoted.
  if (pass.merged.serial && typeof pass.merged.serial.value === 'number') {
    const source = pass.merged.serial.source;
    // Written as the file writes it: JSON's "serial": "…", YAML's and JS's serial: "…" (helper-35).
    const quoted = /\.json\b/.test(source) ? '"serial": "5F1C72E2…"' : 'serial: "5F1C72E2…"';
    pass.problems.push({ source, message: t('config.serial.number', { quoted }) });
    delete pass.merged.serial;
  }
  const serial = text(pass, 'serial');
  if (serial && !/^[0-9A-Fa-f]{1,64}$/.test(serial.value)) {
    pass.problems.push({
      source: serial.entry.source,
      message: t('config.serial.hex', { value: describeValue('serial', serial.value) }),
    });
  }
  return serial?.value.toUpperCase();
}

function validatePrivateKey(pass: Pass): { key: KeyObject; file?: string } | undefined {
  const item = text(pass, 'privateKey');
  const loaded = item ? keyMaterial(pass, 'privateKey', item.entry, item.value, item.entry.source, loadPrivateKey) : undefined;
  if (!loaded) return undefined;
  pass.merchantKey = loaded.value;
  return loaded.origin !== 'inline PEM' ? { key: loaded.value, file: loaded.origin } : { key: loaded.value };
}

function validatePublicKeyId(pass: Pass): string | undefined {
  const item = text(pass, 'publicKeyId');
  if (item && !/^PUB_KEY_ID_[0-9A-Za-z_]+$/.test(item.value)) {
    pass.problems.push({
      source: item.entry.source,
      message: t('config.publicKeyId.invalid', { value: describeValue('publicKeyId', item.value) }),
    });
  }
  return item?.value;
}

function validatePublicKey(pass: Pass): { key: KeyObject; source: string } | undefined {
  const item = text(pass, 'publicKey');
  const key = item
    ? keyMaterial(pass, 'publicKey', item.entry, item.value, item.entry.source, (pem) => wechatPublicKey(pass, pem))?.value
    : undefined;
  return key && item ? { key, source: item.entry.source } : undefined;
}

/**
 * WeChat Pay's public key, refused when it is the merchant's own: apiclient_cert.pem (or its
 * public key) given as publicKey would be read, and every answer would then fail to verify.
 */
function wechatPublicKey(pass: Pass, pem: string): KeyObject {
  const merchant = pass.merchantKey;
  if (merchant && /-----BEGIN CERTIFICATE-----/.test(pem)) {
    let certificate: LoadedCertificate | undefined;
    try {
      certificate = loadCertificate(pem);
    } catch {
      certificate = undefined;
    }
    if (certificate && isPublicHalfOf(certificate.key, merchant))
      throw new KeyMaterialError(t('config.key.merchantCertificate.asPublicKey'));
  }
  const key = loadPublicKey(pem);
  if (merchant && isPublicHalfOf(key, merchant)) throw new KeyMaterialError(t('config.key.merchantPublicKey'));
  return key;
}

/** A platform certificate, refused when it is the merchant's own (apiclient_cert.pem). */
function platformCertificate(pass: Pass, pem: string): LoadedCertificate {
  const certificate = loadCertificate(pem);
  if (pass.merchantKey && isPublicHalfOf(certificate.key, pass.merchantKey))
    throw new KeyMaterialError(t('config.key.merchantCertificate.asPlatform'));
  return certificate;
}

function validatePlatformCertificates(pass: Pass): VerificationKey[] | undefined {
  const certificates = pass.merged.platformCertificates;
  if (!certificates) return undefined;
  if (!Array.isArray(certificates.value)) {
    pass.problems.push({
      source: certificates.source,
      message: t('config.certificates.notList', { value: describeValue('platformCertificates', certificates.value) }),
    });
    return undefined;
  }
  const keys: VerificationKey[] = [];
  certificates.value.forEach((item: unknown, index: number) => {
    const source = `${certificates.source}[${String(index)}]`;
    if (typeof item !== 'string' || item.trim() === '') {
      pass.problems.push({
        source,
        message: t('config.certificates.item', { value: describeValue('platformCertificates', item) }),
      });
      return;
    }
    const certificate = keyMaterial(pass, 'platformCertificates', certificates, item.trim(), source, (pem) =>
      platformCertificate(pass, pem),
    )?.value;
    if (certificate) {
      const { serial, key, notBefore, notAfter } = certificate;
      keys.push({ kind: 'certificate', serial, key, source, notBefore, notAfter });
    }
  });
  return keys;
}

function validateMerchantCertificate(pass: Pass): ResolvedConfig['merchantCertificate'] {
  const item = text(pass, 'merchantCertificate');
  const loaded = item
    ? keyMaterial(pass, 'merchantCertificate', item.entry, item.value, item.entry.source, loadCertificate)?.value
    : undefined;
  return loaded && item ? { ...loaded, source: item.entry.source } : undefined;
}

function validateApiv3Key(pass: Pass): string | undefined {
  const item = text(pass, 'apiv3Key');
  if (item && Buffer.byteLength(item.value, 'utf8') !== 32) {
    pass.problems.push({
      source: item.entry.source,
      message: t('config.apiv3Key.length', { bytes: Buffer.byteLength(item.value, 'utf8') }),
    });
  }
  return item?.value;
}

function validateUrl(pass: Pass, key: 'baseUrl' | 'backupBaseUrl'): string | undefined {
  const item = text(pass, key);
  if (!item) return undefined;
  try {
    // The rule of --base-url, the value worded by describeValue like every other (the source is
    // the problem's own); worded only for a problem, as its words are looked up in the catalogue.
    return checkBaseUrl(item.value, () => describeValue(key, item.value)).origin;
  } catch (error) {
    const message = error instanceof UsageError ? error.message : t('config.url.notUrlPlain');
    pass.problems.push({ source: item.entry.source, message });
    return undefined;
  }
}

function validateByRule(pass: Pass, key: ConfigKey): unknown {
  const entry = pass.merged[key];
  return entry ? ruleValue(pass, key, entry.value, entry.source) : undefined;
}

function validateProxy(pass: Pass): unknown {
  const item = text(pass, 'proxy');
  return item ? ruleValue(pass, 'proxy', item.value, item.entry.source) : undefined;
}

/**
 * Each setting's check, by its key: the settings table has a row for every key and this record
 * must have an entry for every row (the compiler says so), so a new row cannot go unchecked.
 */
const VALIDATORS: Readonly<Record<ConfigKey, (pass: Pass) => unknown>> = {
  mchid: validateMchid,
  serial: validateSerial,
  privateKey: validatePrivateKey,
  publicKeyId: validatePublicKeyId,
  publicKey: validatePublicKey,
  platformCertificates: validatePlatformCertificates,
  merchantCertificate: validateMerchantCertificate,
  apiv3Key: validateApiv3Key,
  baseUrl: (pass) => validateUrl(pass, 'baseUrl'),
  backupBaseUrl: (pass) => validateUrl(pass, 'backupBaseUrl'),
  timeout: (pass) => validateByRule(pass, 'timeout'),
  retries: (pass) => validateByRule(pass, 'retries'),
  proxy: validateProxy,
  rate: (pass) => validateByRule(pass, 'rate'),
};

/** What the validation pass gives, key by key (undefined where unset or refused). */
interface Values {
  mchid?: string;
  serial?: string;
  privateKey?: { key: KeyObject; file?: string };
  publicKeyId?: string;
  publicKey?: { key: KeyObject; source: string };
  platformCertificates?: VerificationKey[];
  merchantCertificate?: ResolvedConfig['merchantCertificate'];
  apiv3Key?: string;
  baseUrl?: string;
  backupBaseUrl?: string;
  timeout?: number;
  retries?: number;
  proxy?: string;
  rate?: number;
}

/** The checks between settings: the public key and its id go together; one verification key is needed. */
function crossChecks(pass: Pass, values: Values, requireVerificationKey: boolean): void {
  const { merged, problems } = pass;
  if (values.publicKeyId !== undefined && !merged.publicKey && merged.publicKeyId) {
    problems.push({
      source: merged.publicKeyId.source,
      message: t('config.cross.publicKeyMissing'),
    });
  }
  if (merged.publicKey && !merged.publicKeyId) {
    problems.push({
      source: merged.publicKey.source,
      message: t('config.cross.publicKeyIdMissing'),
    });
  }
  if (requireVerificationKey && !merged.publicKey && !merged.platformCertificates && !merged.publicKeyId) {
    problems.push({
      source: 'publicKeyId + publicKey',
      message: t('config.cross.noVerificationKey'),
    });
  }
}

/**
 * The one validation pass over the settings table: every required setting that is missing,
 * then each row's check, then the checks between settings. Problems are collected, not thrown.
 */
function validate(pass: Pass, requireVerificationKey: boolean): Values {
  for (const row of SETTINGS as readonly SettingRow[]) {
    // Present first: `required` is a getter that looks its words up (in English, dist/cli-en.cjs).
    if (!pass.merged[row.key as ConfigKey] && row.required !== undefined) {
      pass.problems.push({ source: row.key, message: t('config.missing', { key: row.key, what: row.required, env: row.env }) });
    }
  }
  const values: Record<string, unknown> = {};
  for (const row of SETTINGS) {
    const value = VALIDATORS[row.key](pass);
    if (value !== undefined) values[row.key] = value;
  }
  crossChecks(pass, values, requireVerificationKey);
  return values;
}

function noConfigurationFound(cwd: string, skipped: boolean, sandboxFlag: boolean): ConfigError {
  return new ConfigError(
    [
      {
        source: 'configuration',
        label: t('config.none.label'),
        message: t('config.none.message', { cwd, places: SEARCH_PLACES, skipped, sandboxFlag }),
      },
    ],
    t('config.none.summary'),
  );
}

/** The layers, lowest first: file, profile, environment, flags; problems of the file's shape are collected. */
interface Layers {
  found: FoundFile | undefined;
  profileName: string | undefined;
  environment: Layer;
  merged: Layer;
  problems: ConfigProblem[];
}

async function readLayers(options: LoadConfigOptions, warn: (warning: ConfigWarning) => void): Promise<Layers> {
  const problems: ConfigProblem[] = [];
  const explicitPath = options.configPath ?? (options.env['WXPAY_CONFIG'] || undefined);
  const explicitSource = options.configPath !== undefined ? '--config' : 'WXPAY_CONFIG';
  const profileName = options.profile ?? (options.env['WXPAY_PROFILE'] || undefined);
  const profileSource = options.profile !== undefined ? '--profile' : 'WXPAY_PROFILE';
  const found = await findConfigFile(options, explicitPath, explicitSource, warn);
  const layers: Layer[] = [];
  if (found) {
    const { base, profile } = fileLayers(found, profileName, profileSource, options.cwd, problems);
    layers.push(base, profile);
  } else if (profileName !== undefined) {
    problems.push({ source: profileSource, message: t('config.shape.profileWithoutFile', { profile: profileName }) });
  }
  const environment = environmentLayer(options);
  for (const warning of unknownVariables(options.env)) warn(warning);
  layers.push(environment, flagLayer(options));
  const merged: Layer = {};
  for (const layer of layers) Object.assign(merged, layer);
  return { found, profileName, environment, merged, problems };
}

/** Every setting's resolved value (or its default) worded for a report, never a secret's. */
function shownValues(values: Values): Partial<Record<ConfigKey, string>> {
  const shown: Partial<Record<ConfigKey, string>> = {};
  for (const row of SETTINGS as readonly SettingRow[]) {
    const value = (values as Record<string, unknown>)[row.key] ?? row.default;
    if (value === undefined) continue;
    const plain = typeof value === 'string' || typeof value === 'number';
    const hidden = row.secret === 'secret' || row.secret === 'key material' || !plain;
    shown[row.key as ConfigKey] = hidden
      ? t('config.value.set')
      : row.secret === 'url credentials'
        ? maskUrlCredentials(String(value))
        : String(value);
  }
  return shown;
}

/**
 * Loads and validates the configuration. Throws one ConfigError listing every problem.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const warnings: string[] = [];
  let skipped = false;
  const warn = (warning: ConfigWarning): void => {
    warnings.push(warning.message);
    if (warning.code === 'CONFIG_SKIPPED') skipped = true;
    options.onWarning?.(warning);
  };
  const { found, profileName, environment, merged, problems } = await readLayers(options, warn);
  const hasAnyCredential = ['mchid', 'serial', 'privateKey'].some((key) => merged[key as ConfigKey] !== undefined);
  if (!found && !hasAnyCredential) throw noConfigurationFound(options.cwd, skipped, options.sandboxFlag === true);

  const values = validate({ merged, problems }, options.requireVerificationKey !== false);
  if (problems.length > 0) {
    const error = new ConfigError(problems);
    error.given = Object.fromEntries(
      (['mchid', 'serial', 'publicKeyId'] as const).flatMap((key) => {
        const entry = merged[key];
        return entry ? [[key, { value: entry.value, source: entry.source }]] : [];
      }),
    );
    throw error;
  }

  const privateKeyFile = values.privateKey?.file;
  for (const warning of permissionWarnings(found?.filepath, privateKeyFile, merged, options.cwd)) warn(warning);
  const sources: Partial<Record<ConfigKey, string>> = {};
  for (const [key, entry] of Object.entries(merged) as [ConfigKey, Entry][]) sources[key] = entry.source;
  const { publicKeyId, publicKey, merchantCertificate, apiv3Key, backupBaseUrl, proxy, rate } = values;
  const verificationKeys: VerificationKey[] = [];
  if (publicKey && publicKeyId)
    verificationKeys.push({ kind: 'public-key', serial: publicKeyId, key: publicKey.key, source: publicKey.source });
  verificationKeys.push(...(values.platformCertificates ?? []));
  let shown: Partial<Record<ConfigKey, string>> | undefined;
  return {
    mchid: values.mchid as string,
    serial: values.serial as string,
    privateKey: values.privateKey?.key as KeyObject,
    ...(privateKeyFile ? { privateKeyFile } : {}),
    ...(publicKeyId ? { publicKeyId } : {}),
    verificationKeys,
    ...(merchantCertificate ? { merchantCertificate } : {}),
    ...(apiv3Key ? { apiv3Key } : {}),
    baseUrl: values.baseUrl ?? DEFAULT_BASE_URL,
    ...(backupBaseUrl ? { backupBaseUrl } : {}),
    timeoutMs: values.timeout ?? DEFAULT_TIMEOUT_MS,
    retries: values.retries ?? DEFAULT_RETRIES,
    ...(proxy ? { proxy } : {}),
    ...(rate !== undefined ? { rate } : {}),
    origin: {
      ...(found ? { file: found.filepath } : {}),
      ...(profileName !== undefined ? { profile: profileName } : {}),
      environment: Object.values(environment).map((entry) => entry.source),
      sources,
      // Worded when first read (doctor's report): the words are looked up in the catalogue, which
      // in English a token call then never loads the config area of (src/cli/help.ts, HelpWords).
      get shown() {
        return (shown ??= shownValues(values));
      },
    },
    warnings,
  };
}

/** Like ssh: a secret that group or others can read deserves a warning that says how to fix it. */
export function secretFileProblem(file: string, cwd: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  const shown = displayPath(file, cwd);
  return t('config.secretFile.readable', { file: shown, others: (mode & 0o007) !== 0, mode: mode.toString(8).padStart(3, '0') });
}

function permissionWarnings(
  configFile: string | undefined,
  privateKeyFile: string | undefined,
  merged: Layer,
  cwd: string,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (privateKeyFile) {
    const problem = secretFileProblem(privateKeyFile, cwd);
    if (problem) warnings.push({ code: 'KEY_FILE_READABLE', message: problem });
  }
  const inlineSecretInFile =
    configFile !== undefined &&
    ((merged.apiv3Key !== undefined && merged.apiv3Key.source.startsWith(displayPath(configFile, cwd))) ||
      (merged.privateKey !== undefined &&
        merged.privateKey.source.startsWith(displayPath(configFile, cwd)) &&
        typeof merged.privateKey.value === 'string' &&
        isPem(merged.privateKey.value)));
  if (configFile !== undefined && inlineSecretInFile) {
    const problem = secretFileProblem(configFile, cwd);
    if (problem) warnings.push({ code: 'CONFIG_FILE_READABLE', message: problem });
  }
  return warnings;
}
