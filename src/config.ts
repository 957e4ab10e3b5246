/**
 * Configuration: cosmiconfig file < profile < environment < flags, validated as a whole,
 * every problem reported with its source (file and key path, or variable, or flag).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ConfigError, UsageError, type ConfigProblem } from './errors.js';
import {
  KeyMaterialError,
  isPem,
  loadCertificate,
  loadPrivateKey,
  loadPublicKey,
  type LoadedCertificate,
  type VerificationKey,
} from './keys.js';
import { DEFAULT_BASE_URL, parseBaseUrl } from './urls.js';
import { DEFAULT_TIMEOUT_MS } from './transport.js';
import { DEFAULT_RETRIES } from './retry.js';
import { JsonSyntaxError, parseLosslessJson } from './json.js';

export const MODULE_NAME = 'wxpay';

/** Listed explicitly: a custom list replaces cosmiconfig's defaults (docs/style.md). */
export const SEARCH_PLACES: readonly string[] = Object.freeze([
  'package.json',
  '.wxpayrc',
  '.wxpayrc.json',
  '.wxpayrc.yaml',
  '.wxpayrc.yml',
  '.wxpayrc.js',
  '.wxpayrc.cjs',
  '.wxpayrc.mjs',
  'wxpay.config.js',
  'wxpay.config.cjs',
  'wxpay.config.mjs',
]);

export const CONFIG_KEYS = [
  'mchid',
  'serial',
  'privateKey',
  'publicKeyId',
  'publicKey',
  'platformCertificates',
  'merchantCertificate',
  'apiv3Key',
  'baseUrl',
  'backupBaseUrl',
  'timeout',
  'retries',
  'proxy',
  'rate',
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Environment variables for CI secrets; they override files (paths relative to the working directory). */
export const ENV_VARIABLES: Readonly<Partial<Record<ConfigKey, string>>> = Object.freeze({
  mchid: 'WXPAY_MCHID',
  serial: 'WXPAY_SERIAL',
  privateKey: 'WXPAY_PRIVATE_KEY',
  publicKeyId: 'WXPAY_PUBLIC_KEY_ID',
  publicKey: 'WXPAY_PUBLIC_KEY',
  platformCertificates: 'WXPAY_PLATFORM_CERTIFICATES',
  apiv3Key: 'WXPAY_APIV3_KEY',
  baseUrl: 'WXPAY_BASE_URL',
});


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
   * Whether at least one WeChat Pay verification key must be configured (default true).
   * `certs download` and `doctor` turn it off: the first bootstraps one, the second reports it.
   */
  requireVerificationKey?: boolean;
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

function suggestKey(key: string): string {
  const lower = key.toLowerCase().replace(/[-_]/g, '');
  const match = CONFIG_KEYS.find((candidate) => candidate.toLowerCase() === lower);
  return match ? `; did you mean "${match}"?` : `; known keys: ${CONFIG_KEYS.join(', ')}, profiles`;
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
      return `invalid JSON at line ${line}, column ${column} (${error.message.replace(/ at position \d+$/, '')})`;
    }
  }
  return 'invalid JSON';
}

/** Why a config file could not be parsed, in one line that quotes none of the file. */
function parseFailureReason(error: unknown): { file?: string; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  // cosmiconfig prefixes "JSON Error in <file>:" / "YAML Error in <file>:"; after it come the
  // parser's words and a code frame that quotes the file.
  const prefixed = /^(JSON|YAML) Error in (.+):\s*$/.exec(lines[0] ?? '');
  if (!prefixed) return { reason: lines[0] ?? '' };
  const [, kind, file] = prefixed as unknown as [string, string, string];
  if (kind === 'JSON') {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {}
    return { file, reason: describeJsonSyntaxError(text) };
  }
  // js-yaml's first line is its reason with (line:column); the code frame after it is left out.
  const reason = lines.slice(1).find((line) => line.trim() !== '' && !/^\s*\d+\s*\|/.test(line));
  return { file, reason: reason?.trim() ?? 'invalid YAML' };
}

async function findConfigFile(options: LoadConfigOptions, explicitPath: string | undefined, explicitSource: string): Promise<FoundFile | undefined> {
  // cosmiconfig (and its YAML and JS loaders) is loaded only when a config is really read.
  const { cosmiconfig } = await import('cosmiconfig');
  try {
    // Inside the try: cosmiconfig reads package.json in the working directory as it is created
    // (its own "meta" config), and a broken one is a config problem, not a crash.
    const explorer = cosmiconfig(MODULE_NAME, {
      searchPlaces: [...SEARCH_PLACES],
      loaders: {
        // JSON (package.json included) through JSON.parse; cosmiconfig's loader would load
        // parse-json and Babel's code frame first, about 7 ms a start.
        '.json': (_filepath: string, content: string): unknown => {
          try {
            return JSON.parse(content);
          } catch {
            throw new Error(describeJsonSyntaxError(content));
          }
        },
      },
      // Upward from the working directory, then ~/.config/wxpay/ (config, config.json, config.yaml …).
      searchStrategy: 'global',
      cache: false,
    });
    if (explicitPath !== undefined) {
      const absolute = path.resolve(options.cwd, explicitPath);
      const result = await explorer.load(absolute);
      if (!result) {
        throw new ConfigError([{ source: explicitSource, message: `${explicitPath} holds no configuration` }]);
      }
      return { filepath: result.filepath, config: result.config };
    }
    const result = await explorer.search(options.cwd);
    return result ? { filepath: result.filepath, config: result.config } : undefined;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as { code?: string }).code;
    const file = (error as { filepath?: string }).filepath ?? explicitPath ?? 'config file';
    if (code === 'ENOENT' && explicitPath !== undefined) {
      throw new ConfigError([
        { source: explicitSource, message: `${explicitPath} does not exist; check the path (relative to ${options.cwd})` },
      ]);
    }
    if (code === 'EACCES') {
      throw new ConfigError([{ source: explicitSource, message: `cannot read ${file}: permission denied` }]);
    }
    if (code === 'EISDIR') {
      throw new ConfigError([{ source: explicitSource, message: `${explicitPath ?? file} is a folder; name the config file itself` }]);
    }
    const failure = parseFailureReason(error);
    throw new ConfigError([{ source: displayPath(failure.file ?? file, options.cwd), message: `cannot be parsed: ${failure.reason}` }]);
  }
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
    problems.push({ source: shown, message: 'must hold an object of keys (mchid, serial, privateKey …)' });
    if (profileName !== undefined) problems.push({ source: profileSource, message: `profile "${profileName}" not found: ${shown} has no profiles` });
    return { base, profile };
  }
  const collect = (record: Record<string, unknown>, prefix: string, into: Layer, allowProfiles: boolean): void => {
    for (const [key, value] of Object.entries(record)) {
      if (key === 'profiles' && allowProfiles) continue;
      if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
        problems.push({ source: `${shown}: ${prefix}${key}`, message: `unknown key${suggestKey(key)}` });
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
    problems.push({ source: `${shown}: profiles`, message: 'must be an object of named profiles: { "prod": { … } }' });
  }
  if (profileName !== undefined) {
    const available = profiles && typeof profiles === 'object' ? Object.keys(profiles) : [];
    const selected = available.includes(profileName) ? (profiles as Record<string, unknown>)[profileName] : undefined;
    if (selected === undefined) {
      problems.push({
        source: profileSource,
        message: `profile "${profileName}" not found in ${shown} (available: ${available.length > 0 ? available.join(', ') : 'none'})`,
      });
    } else if (selected === null || typeof selected !== 'object' || Array.isArray(selected)) {
      problems.push({ source: `${shown}: profiles.${profileName}`, message: 'must be an object of keys' });
    } else {
      collect(selected as Record<string, unknown>, `profiles.${profileName}.`, profile, false);
    }
  }
  return { base, profile };
}

function environmentLayer(options: LoadConfigOptions): Layer {
  const layer: Layer = {};
  for (const [key, variable] of Object.entries(ENV_VARIABLES) as [ConfigKey, string][]) {
    const value = options.env[variable];
    if (value === undefined || value === '') continue;
    if (key === 'platformCertificates') {
      layer[key] = { value: value.split(path.delimiter).filter((item) => item !== ''), source: variable, baseDir: options.cwd };
    } else {
      layer[key] = { value, source: variable, baseDir: options.cwd };
    }
  }
  return layer;
}

/** CI secrets often store PEM text with literal "\n"; turn those back into line breaks. */
function unescapePem(text: string): string {
  return !text.includes('\n') && text.includes('\\n') ? text.replace(/\\n/g, '\n') : text;
}

/** Reads a PEM value: inline text, or a path relative to the folder of whatever named it. */
function readPem(entry: Entry, value: string): { pem: string; origin: string } {
  if (isPem(value)) return { pem: unescapePem(value), origin: 'inline PEM' };
  const file = path.resolve(entry.baseDir, value);
  try {
    return { pem: readFileSync(file, 'utf8'), origin: file };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new KeyMaterialError(`file ${file} does not exist (relative paths resolve against ${entry.baseDir})`);
    if (code === 'EACCES') throw new KeyMaterialError(`file ${file} cannot be read: permission denied`);
    if (code === 'EISDIR') throw new KeyMaterialError(`${file} is a folder, not a PEM file`);
    throw new KeyMaterialError(`file ${file} cannot be read (${code ?? 'error'})`);
  }
}

function describePemProblem(error: unknown, origin: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/^(file|.* is a folder)/.test(message)) return message;
  return origin === 'inline PEM' ? `the inline PEM ${message}` : `${origin} ${message}`;
}

/**
 * Loads and validates the configuration. Throws one ConfigError listing every problem.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const problems: ConfigProblem[] = [];
  const explicitPath = options.configPath ?? (options.env['WXPAY_CONFIG'] || undefined);
  const explicitSource = options.configPath !== undefined ? '--config' : 'WXPAY_CONFIG';
  const profileName = options.profile ?? (options.env['WXPAY_PROFILE'] || undefined);
  const profileSource = options.profile !== undefined ? '--profile' : 'WXPAY_PROFILE';

  const found = await findConfigFile(options, explicitPath, explicitSource);
  const layers: Layer[] = [];
  if (found) {
    const { base, profile } = fileLayers(found, profileName, profileSource, options.cwd, problems);
    layers.push(base, profile);
  } else if (profileName !== undefined) {
    problems.push({ source: profileSource, message: `profile "${profileName}" was asked for, but no config file was found` });
  }
  const environment = environmentLayer(options);
  layers.push(environment);
  const flags: Layer = {};
  if (options.overrides?.baseUrl !== undefined) {
    flags.baseUrl = { value: options.overrides.baseUrl, source: '--base-url', baseDir: options.cwd };
  }
  if (options.overrides?.timeout !== undefined) {
    flags.timeout = { value: options.overrides.timeout, source: '--timeout', baseDir: options.cwd };
  }
  if (options.overrides?.retries !== undefined) {
    flags.retries = { value: options.overrides.retries, source: '--retries', baseDir: options.cwd };
  }
  if (options.overrides?.rate !== undefined) {
    flags.rate = { value: options.overrides.rate, source: '--rate', baseDir: options.cwd };
  }
  if (options.overrides?.proxy !== undefined) {
    flags.proxy = { value: options.overrides.proxy, source: '--proxy', baseDir: options.cwd };
  }
  layers.push(flags);

  const merged: Layer = {};
  for (const layer of layers) Object.assign(merged, layer);

  const hasAnyCredential = ['mchid', 'serial', 'privateKey'].some((key) => merged[key as ConfigKey] !== undefined);
  if (!found && !hasAnyCredential) {
    throw new ConfigError(
      [
        {
          source: 'configuration',
          message:
            `no config file found (searched ${options.cwd} and its parents for ${SEARCH_PLACES.join(', ')}, then ~/.config/wxpay/), ` +
            'and no WXPAY_* variables are set. Create .wxpayrc.json from .wxpayrc.example, pass --config <file>, ' +
            'set WXPAY_MCHID, WXPAY_SERIAL, WXPAY_PRIVATE_KEY and WXPAY_PUBLIC_KEY_ID + WXPAY_PUBLIC_KEY, ' +
            'or try the local sandbox with --sandbox',
        },
      ],
      'no configuration found:',
    );
  }

  const text = (key: ConfigKey): { entry: Entry; value: string } | undefined => {
    const entry = merged[key];
    if (!entry) return undefined;
    if (typeof entry.value !== 'string') {
      problems.push({ source: entry.source, message: `must be a string, got ${describeType(entry.value)}` });
      return undefined;
    }
    if (entry.value.trim() === '') {
      problems.push({ source: entry.source, message: 'is empty' });
      return undefined;
    }
    return { entry, value: entry.value.trim() };
  };
  const requireKey = (key: ConfigKey, help: string): void => {
    if (!merged[key]) {
      const variable = ENV_VARIABLES[key];
      problems.push({ source: key, message: `is missing: ${help} (set "${key}" in the config file${variable ? ` or ${variable}` : ''})` });
    }
  };

  requireKey('mchid', 'the merchant id (商户号), digits');
  requireKey('serial', 'the serial of the merchant API certificate (商户API证书序列号)');
  requireKey('privateKey', 'the merchant API private key, apiclient_key.pem');

  const mchid = text('mchid');
  if (mchid && !/^[0-9]{1,32}$/.test(mchid.value)) {
    problems.push({ source: mchid.entry.source, message: `"${mchid.value}" is not a merchant id; it is digits only, like 1900000001` });
  }
  const serial = text('serial');
  if (serial && !/^[0-9A-Fa-f]{1,64}$/.test(serial.value)) {
    problems.push({
      source: serial.entry.source,
      message: `"${serial.value}" is not a certificate serial; it is hex, like 5F1C72E2A8931B72A2E13AF8DEE92471EB397115 (openssl x509 -noout -serial -in apiclient_cert.pem)`,
    });
  }

  /** Reads a PEM value and parses it; a failure becomes a problem naming the value's source. */
  const keyMaterial = <T>(entry: Entry, value: string, source: string, parse: (pem: string) => T): { value: T; origin: string } | undefined => {
    let origin = 'inline PEM';
    try {
      const read = readPem(entry, value);
      origin = read.origin;
      return { value: parse(read.pem), origin };
    } catch (error) {
      problems.push({ source, message: describePemProblem(error, origin) });
      return undefined;
    }
  };

  const privateKeyText = text('privateKey');
  const loadedPrivateKey = privateKeyText
    ? keyMaterial(privateKeyText.entry, privateKeyText.value, privateKeyText.entry.source, loadPrivateKey)
    : undefined;
  const privateKey: KeyObject | undefined = loadedPrivateKey?.value;
  const privateKeyFile = loadedPrivateKey && loadedPrivateKey.origin !== 'inline PEM' ? loadedPrivateKey.origin : undefined;

  const verificationKeys: VerificationKey[] = [];
  const publicKeyId = text('publicKeyId');
  const publicKeyText = text('publicKey');
  if (publicKeyId && !/^PUB_KEY_ID_[0-9A-Za-z_]+$/.test(publicKeyId.value)) {
    problems.push({
      source: publicKeyId.entry.source,
      message: `"${publicKeyId.value}" is not a WeChat Pay public key id; it looks like PUB_KEY_ID_0114232134912410000000000000`,
    });
  }
  if (publicKeyId && !merged.publicKey) {
    problems.push({ source: publicKeyId.entry.source, message: 'is set but publicKey is not; add the WeChat Pay public key (pub_key.pem) it names' });
  }
  if (merged.publicKey && !merged.publicKeyId) {
    problems.push({
      source: merged.publicKey.source,
      message: 'is set but publicKeyId is not; add the public key id shown next to it in the merchant platform (PUB_KEY_ID_…)',
    });
  }
  if (publicKeyText) {
    const key = keyMaterial(publicKeyText.entry, publicKeyText.value, publicKeyText.entry.source, loadPublicKey)?.value;
    if (key && publicKeyId) verificationKeys.push({ kind: 'public-key', serial: publicKeyId.value, key, source: publicKeyText.entry.source });
  }

  const certificates = merged.platformCertificates;
  if (certificates) {
    if (!Array.isArray(certificates.value)) {
      problems.push({ source: certificates.source, message: `must be a list of certificate files or PEM texts, got ${describeType(certificates.value)}` });
    } else {
      certificates.value.forEach((item: unknown, index: number) => {
        const source = `${certificates.source}[${index}]`;
        if (typeof item !== 'string' || item.trim() === '') {
          problems.push({ source, message: `must be a certificate file path or PEM text, got ${describeType(item)}` });
          return;
        }
        const certificate = keyMaterial(certificates, item.trim(), source, loadCertificate)?.value;
        if (certificate) {
          verificationKeys.push({
            kind: 'certificate',
            serial: certificate.serial,
            key: certificate.key,
            source,
            notBefore: certificate.notBefore,
            notAfter: certificate.notAfter,
          });
        }
      });
    }
  }
  if (options.requireVerificationKey !== false && !merged.publicKey && !merged.platformCertificates && !merged.publicKeyId) {
    problems.push({
      source: 'publicKeyId + publicKey',
      message:
        'no WeChat Pay verification key is configured, so answers cannot be verified; set publicKeyId + publicKey ' +
        '(WeChat Pay public key, 微信支付公钥) or platformCertificates (平台证书)',
    });
  }

  const merchantCertificateText = text('merchantCertificate');
  const loadedMerchantCertificate = merchantCertificateText
    ? keyMaterial(merchantCertificateText.entry, merchantCertificateText.value, merchantCertificateText.entry.source, loadCertificate)?.value
    : undefined;
  const merchantCertificate: ResolvedConfig['merchantCertificate'] =
    loadedMerchantCertificate && merchantCertificateText ? { ...loadedMerchantCertificate, source: merchantCertificateText.entry.source } : undefined;

  const apiv3Key = text('apiv3Key');
  if (apiv3Key && Buffer.byteLength(apiv3Key.value, 'utf8') !== 32) {
    problems.push({
      source: apiv3Key.entry.source,
      message: `must be exactly 32 bytes (got ${Buffer.byteLength(apiv3Key.value, 'utf8')}); copy the APIv3 key (APIv3密钥) again from the merchant platform`,
    });
  }

  const urlValue = (key: 'baseUrl' | 'backupBaseUrl'): string | undefined => {
    const item = text(key);
    if (!item) return undefined;
    try {
      return parseBaseUrl(item.value, item.entry.source).origin;
    } catch (error) {
      problems.push({ source: item.entry.source, message: error instanceof UsageError ? error.message.replace(`${item.entry.source} `, '') : String(error) });
      return undefined;
    }
  };
  const baseUrl = urlValue('baseUrl') ?? DEFAULT_BASE_URL;
  const backupBaseUrl = urlValue('backupBaseUrl');

  const integer = (key: 'timeout' | 'retries', min: number, max: number, unit: string): number | undefined => {
    const entry = merged[key];
    if (!entry) return undefined;
    const value = typeof entry.value === 'string' && /^[0-9]+$/.test(entry.value.trim()) ? Number(entry.value) : entry.value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push({ source: entry.source, message: `must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(entry.value)}` });
      return undefined;
    }
    return value;
  };
  const timeoutMs = integer('timeout', 1, 600_000, 'milliseconds') ?? DEFAULT_TIMEOUT_MS;
  const retries = integer('retries', 0, 10, 'retries') ?? DEFAULT_RETRIES;

  let rate: number | undefined;
  if (merged.rate) {
    const value = typeof merged.rate.value === 'string' && merged.rate.value.trim() !== '' ? Number(merged.rate.value) : merged.rate.value;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 10_000) {
      problems.push({ source: merged.rate.source, message: `must be a number of requests per second above 0 and at most 10000, got ${JSON.stringify(merged.rate.value)}` });
    } else rate = value;
  }

  const proxyText = text('proxy');
  let proxy: string | undefined;
  if (proxyText) {
    try {
      const url = new URL(proxyText.value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      proxy = url.href;
    } catch {
      problems.push({ source: proxyText.entry.source, message: `"${proxyText.value}" is not a proxy URL; write it like http://proxy.internal:3128` });
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const sources: Partial<Record<ConfigKey, string>> = {};
  for (const [key, entry] of Object.entries(merged) as [ConfigKey, Entry][]) sources[key] = entry.source;
  return {
    mchid: (mchid as { value: string }).value,
    serial: (serial as { value: string }).value.toUpperCase(),
    privateKey: privateKey as KeyObject,
    ...(privateKeyFile ? { privateKeyFile } : {}),
    ...(publicKeyId ? { publicKeyId: publicKeyId.value } : {}),
    verificationKeys,
    ...(merchantCertificate ? { merchantCertificate } : {}),
    ...(apiv3Key ? { apiv3Key: apiv3Key.value } : {}),
    baseUrl,
    ...(backupBaseUrl ? { backupBaseUrl } : {}),
    timeoutMs,
    retries,
    ...(proxy ? { proxy } : {}),
    ...(rate !== undefined ? { rate } : {}),
    origin: {
      ...(found ? { file: found.filepath } : {}),
      ...(profileName !== undefined ? { profile: profileName } : {}),
      environment: Object.values(environment).map((entry) => entry.source),
      sources,
    },
    warnings: permissionWarnings(found?.filepath, privateKeyFile, merged, options.cwd),
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
  return `${shown} holds a secret but is readable by ${mode & 0o007 ? 'others' : 'its group'} (mode ${mode.toString(8).padStart(3, '0')}); run: chmod 600 ${shown}`;
}

function permissionWarnings(configFile: string | undefined, privateKeyFile: string | undefined, merged: Layer, cwd: string): string[] {
  const warnings: string[] = [];
  if (privateKeyFile) {
    const problem = secretFileProblem(privateKeyFile, cwd);
    if (problem) warnings.push(problem);
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
    if (problem) warnings.push(problem);
  }
  return warnings;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
