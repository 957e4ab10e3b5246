/**
 * The settings table: one row per setting, read by every place a setting appears. Config
 * files, profiles, the environment and flags are layers read through it (src/config.ts); the
 * flag parsers (src/cli/commands/flags.ts) and the config check share each row's rule, so the
 * limits and wording cannot drift; `--help` takes its option text from it (src/cli/program.ts),
 * `doctor` lists its rows; test/settings.test.js checks README's settings table,
 * `.wxpayrc.example` and the help of every command against it.
 *
 * No heavy imports (no node:crypto, node:fs, undici, cosmiconfig): the flag parsers read it
 * before anything else is loaded (test/startup.test.js).
 */
import { DEFAULT_BASE_URL, isProxyUrl, maskUrlCredentials } from './urls.js';
import { t } from './i18n/index.js';
import { asciiOfFullWidth, FULL_WIDTH_DIGIT } from './full-width.js';

/**
 * How a message may word a setting's value (describeValue is the one place that does):
 * - `secret`: never any part of it, only its type and length (the private key, the APIv3 key);
 * - `key material`: PEM text or a file path; the public key and certificates are public, but the
 *   value may be a private key pasted into the wrong setting, so it is worded like a secret (the
 *   path of a file that exists is shown; that is no longer the value's secret part);
 * - `url credentials`: a URL whose user and password are masked (proxy).
 * Settings without one are shown as they are, unless they look like key material.
 */
export type SecretHandling = 'secret' | 'key material' | 'url credentials';

/**
 * A value's rule, shared by the config check and the flag parser. `expected` completes
 * "must be …" (or "is not …" for `form: 'is not'`); the examples are plain values, which a flag
 * message prefixes with the flag. `form` chooses the sentence, which each language words whole
 * (src/i18n/<language>/config.ts). The wording is read when shown (getters): the language is
 * chosen after this module is loaded.
 */
export interface ValueRule<T> {
  expected: string;
  examples: readonly string[];
  form: 'must be' | 'is not';
  /** The value, or undefined when it breaks the rule. A flag's value is always a string. */
  parse(value: unknown): T | undefined;
}

/** What a number may look like as text: decimal digits, nothing else (no sign, spaces, 0x, exponent); a rate may have a fraction. */
export const WHOLE_NUMBER = /^[0-9]+$/;
export const DECIMAL_NUMBER = /^[0-9]+(?:\.[0-9]+)?$/;

/** A number of the file's format, or text of plain digits (a flag, a YAML string), within [min, max]. */
function wholeNumber(
  min: number,
  max: number,
  unit: 'config.rule.timeout' | 'config.rule.retries' | 'config.rule.concurrency',
  example: string,
): ValueRule<number> {
  return {
    get expected() {
      return t(unit, { min, max });
    },
    examples: [example],
    form: 'must be',
    parse(value) {
      const number = typeof value === 'string' && WHOLE_NUMBER.test(value) ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max ? number : undefined;
    },
  };
}

export const TIMEOUT_RULE = wholeNumber(1, 600_000, 'config.rule.timeout', '5000');
export const RETRIES_RULE = wholeNumber(0, 10, 'config.rule.retries', '2');
export const CONCURRENCY_RULE = wholeNumber(1, 256, 'config.rule.concurrency', '8');

export const RATE_RULE: ValueRule<number> = {
  get expected() {
    return t('config.rule.rate');
  },
  examples: ['50', '0.5'],
  form: 'must be',
  parse(value) {
    const number = typeof value === 'string' && DECIMAL_NUMBER.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && number > 0 && number <= 10_000 ? number : undefined;
  },
};

export const PROXY_RULE: ValueRule<string> = {
  get expected() {
    return t('config.rule.proxy');
  },
  get examples() {
    return [t('config.rule.proxy.example', { url: 'http://proxy.internal:3128' }), 'http://user:password@proxy.internal:3128'];
  },
  form: 'is not',
  parse(value) {
    if (typeof value !== 'string') return undefined;
    try {
      const url = new URL(value);
      return isProxyUrl(url) ? url.href : undefined;
    } catch {
      return undefined;
    }
  },
};

/** A setting's flag: the option as commander defines it, its help, and the commands that take it. */
export interface FlagSpec {
  name: `--${string}`;
  arg: `<${string}>`;
  /** In the chosen language: a getter in the table, read when --help is built. */
  readonly help: string;
  /** Command paths as `wxpay-coupon <path> --help` shows them: 'token', 'certs download' … ('' is the program's own). */
  commands: readonly string[];
  /** The UsageError code a bad value gets. */
  code?: string;
}

export interface SettingRow {
  key: string;
  /** The environment variable that sets it (relative paths resolve against the working directory). */
  env?: string;
  /** Set from the environment as a list: PEM texts split after each END line, paths by path.delimiter. */
  envList?: boolean;
  /** How the README's environment cell qualifies the variable. */
  envNote?: string;
  flag?: FlagSpec;
  rule?: ValueRule<unknown>;
  /** Used when no layer sets it. */
  default?: number | string;
  /** What a missing value is: set only for the settings every run needs (a getter: in the chosen language). */
  readonly required?: string;
  secret?: SecretHandling;
  /** `own`: doctor reports it by a check of its own; `listed`: in doctor's "settings" line. */
  doctor: 'own' | 'listed';
  /** README's "what" cell. */
  readme: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
/** Batch requests in flight by default (a flag only: --concurrency). */
export const DEFAULT_CONCURRENCY = 8;

const NETWORK_COMMANDS = ['token', 'certs download', 'doctor', 'api'] as const;

export const SETTINGS = [
  {
    key: 'mchid',
    env: 'WXPAY_MCHID',
    get required() {
      return t('config.required.mchid');
    },
    doctor: 'own',
    readme: 'merchant id (商户号), digits; a JSON/YAML number is accepted up to 2^53 (quote a longer one)',
  },
  {
    key: 'serial',
    env: 'WXPAY_SERIAL',
    get required() {
      return t('config.required.serial');
    },
    doctor: 'own',
    readme:
      'merchant API certificate serial (商户API证书序列号), hex; always quoted in YAML if it is all digits (a number loses leading zeros)',
  },
  {
    key: 'privateKey',
    env: 'WXPAY_PRIVATE_KEY',
    get required() {
      return t('config.required.privateKey');
    },
    secret: 'secret',
    doctor: 'own',
    readme: 'merchant API private key `apiclient_key.pem`, RSA ≥ 2048 bits',
  },
  {
    key: 'publicKeyId',
    env: 'WXPAY_PUBLIC_KEY_ID',
    doctor: 'own',
    readme: 'WeChat Pay public key id (`PUB_KEY_ID_…`), with `publicKey`',
  },
  {
    key: 'publicKey',
    env: 'WXPAY_PUBLIC_KEY',
    secret: 'key material',
    doctor: 'own',
    readme: 'WeChat Pay public key `pub_key.pem`, with `publicKeyId`',
  },
  {
    key: 'platformCertificates',
    env: 'WXPAY_PLATFORM_CERTIFICATES',
    envList: true,
    envNote: '(paths joined by `:`; `;` on Windows)',
    secret: 'key material',
    doctor: 'own',
    readme: 'list of WeChat Pay platform certificate files; each serial is read from its file',
  },
  {
    key: 'merchantCertificate',
    secret: 'key material',
    doctor: 'own',
    readme: 'optional: your `apiclient_cert.pem`; `doctor` checks it against `serial` and `privateKey`',
  },
  {
    key: 'apiv3Key',
    env: 'WXPAY_APIV3_KEY',
    secret: 'secret',
    doctor: 'listed',
    readme: 'APIv3 key (APIv3密钥), exactly 32 bytes; needed by `certs download`',
  },
  {
    key: 'baseUrl',
    env: 'WXPAY_BASE_URL',
    default: DEFAULT_BASE_URL,
    flag: {
      name: '--base-url',
      arg: '<url>',
      get help() {
        return t('config.help.baseUrl');
      },
      commands: NETWORK_COMMANDS,
    },
    doctor: 'listed',
    readme: 'where requests go; plain `http://` only for loopback',
  },
  {
    key: 'backupBaseUrl',
    doctor: 'listed',
    readme: 'where to fail over when `baseUrl` cannot be reached; `https://api2.mch.weixin.qq.com` when `baseUrl` is the default',
  },
  {
    key: 'timeout',
    rule: TIMEOUT_RULE,
    default: DEFAULT_TIMEOUT_MS,
    flag: {
      name: '--timeout',
      arg: '<ms>',
      get help() {
        return t('config.help.timeout', { fallback: DEFAULT_TIMEOUT_MS });
      },
      commands: NETWORK_COMMANDS,
      code: 'INVALID_TIMEOUT',
    },
    doctor: 'listed',
    readme: 'milliseconds per attempt, 1 to 600000',
  },
  {
    key: 'retries',
    rule: RETRIES_RULE,
    default: DEFAULT_RETRIES,
    flag: {
      name: '--retries',
      arg: '<n>',
      get help() {
        return t('config.help.retries', { fallback: DEFAULT_RETRIES });
      },
      commands: NETWORK_COMMANDS,
      code: 'INVALID_RETRIES',
    },
    doctor: 'listed',
    readme: 'retries for network errors, 429 and 5xx, 0 to 10',
  },
  {
    key: 'proxy',
    rule: PROXY_RULE,
    secret: 'url credentials',
    flag: {
      name: '--proxy',
      arg: '<url>',
      get help() {
        return t('config.help.proxy');
      },
      commands: NETWORK_COMMANDS,
      code: 'INVALID_PROXY',
    },
    doctor: 'listed',
    readme:
      'HTTP(S) proxy URL, scheme, host and port only (`http://proxy.internal:3128`, no path); otherwise `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, never for loopback',
  },
  {
    key: 'rate',
    rule: RATE_RULE,
    flag: {
      name: '--rate',
      arg: '<per-second>',
      get help() {
        return t('config.help.rate');
      },
      commands: ['token'],
      code: 'INVALID_RATE',
    },
    doctor: 'listed',
    readme: 'batch: requests started per second, retries included, a decimal like `50` or `0.5`; no limit by default',
  },
] as const satisfies readonly SettingRow[];

export type ConfigKey = (typeof SETTINGS)[number]['key'];

/** Rows that are not config keys, documented and checked like the others. */
export const CONCURRENCY_SETTING: SettingRow = {
  key: 'concurrency',
  rule: CONCURRENCY_RULE,
  default: DEFAULT_CONCURRENCY,
  flag: {
    name: '--concurrency',
    arg: '<n>',
    get help() {
      return t('config.help.concurrency', { fallback: DEFAULT_CONCURRENCY });
    },
    commands: ['token'],
    code: 'INVALID_CONCURRENCY',
  },
  doctor: 'own',
  readme: 'flag only',
};
export const PROFILES_SETTING: SettingRow = {
  key: 'profiles',
  env: 'WXPAY_PROFILE',
  flag: {
    name: '--profile',
    arg: '<name>',
    get help() {
      return t('config.help.profile');
    },
    commands: [''],
  },
  doctor: 'own',
  readme: '`{ "<name>": { …same keys } }`, chosen with `--profile`',
};

/** Every row README's settings table documents, in its order. */
export const DOCUMENTED_SETTINGS: readonly SettingRow[] = [...SETTINGS, PROFILES_SETTING];

export const CONFIG_KEYS: readonly ConfigKey[] = Object.freeze(SETTINGS.map((row) => row.key));

export function settingOf(key: ConfigKey): SettingRow {
  return SETTINGS.find((row) => row.key === key) as SettingRow;
}

function column<T>(pick: (row: SettingRow) => T | undefined): Readonly<Partial<Record<ConfigKey, T>>> {
  const entries = (SETTINGS as readonly SettingRow[]).flatMap((row) => {
    const value = pick(row);
    return value === undefined ? [] : [[row.key, value] as const];
  });
  return Object.freeze(Object.fromEntries(entries) as Partial<Record<ConfigKey, T>>);
}

/** Environment variables for CI secrets; they override files (paths relative to the working directory). */
export const ENV_VARIABLES = column((row) => row.env);
export const SECRET_SETTINGS = column((row) => row.secret);

/**
 * The one way a message words a setting's value. A secret or key-material setting's value is
 * never shown, not even in part: only its type and length. A proxy (or any URL) is shown with its
 * user and password masked. Any other value is quoted, unless it is long or looks like key
 * material (a private key pasted into the wrong setting is still a private key).
 */
export function describeValue(key: string, value: unknown): string {
  if (value === null) return t('config.value.null');
  if (Array.isArray(value)) return t('config.value.list');
  if (typeof value === 'object') return t('config.value.object');
  const handling = (SECRET_SETTINGS as Partial<Record<string, SecretHandling>>)[key];
  if (typeof value !== 'string') {
    // Not null, a list nor an object here: a number, boolean, bigint, symbol, function or undefined.
    if (handling === 'secret' || handling === 'key material') return t('config.value.type', { type: typeof value });
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- no object reaches this line
    return t('config.value.typed', { type: typeof value, value: String(value) });
  }
  const size = t('config.value.size', { length: value.length });
  if (handling === 'secret' || handling === 'key material') return size;
  if (value.length > 200 || /[\n\r]|-----|PRIVATE KEY|[A-Za-z0-9+/]{100}/.test(value)) return size;
  // 32 letters and digits is the shape of an APIv3 key (apiv3Key) put in the wrong setting
  // (WXPAY_MCHID, --timeout): no other setting's valid value has it, so it is not quoted.
  if (/^[A-Za-z0-9]{32}$/.test(value)) return size;
  return `"${maskUrlCredentials(value)}"`;
}

/** What breaks a row's rule, after the value's source: the config file's or variable's wording. */
export function ruleProblem(row: SettingRow, rule: ValueRule<unknown>, value: unknown): string {
  const parts = { expected: rule.expected, examples: rule.examples, value: describeValue(row.key, value) };
  return (rule.form === 'must be' ? t('config.rule.mustBe', parts) : t('config.rule.isNot', parts)) + fullWidthDigitsNote(row, value);
}

/**
 * `５０００`, `mchid: "１９３０…"`: digits a Chinese input method typed in full width, said with the
 * ASCII spelling (careless check, helper-41) — unless the setting is a secret, whose value is never
 * shown in any form.
 */
export function fullWidthDigitsNote(row: SettingRow, value: unknown): string {
  if (typeof value !== 'string' || !FULL_WIDTH_DIGIT.test(value) || row.secret !== undefined) return '';
  return t('config.value.fullWidthDigits', { mended: asciiOfFullWidth(value, FULL_WIDTH_DIGIT) });
}

/** The same, as a flag's usage error words it: the flag and its value first, the examples as flags. */
export function flagProblem(row: SettingRow, rule: ValueRule<unknown>, flag: string, value: string): string {
  const parts = { flag, expected: rule.expected, examples: rule.examples, value: describeValue(row.key, value) };
  return (rule.form === 'must be' ? t('config.flag.mustBe', parts) : t('config.flag.isNot', parts)) + fullWidthDigitsNote(row, value);
}

/** The README settings table's line for a row (test/settings.test.js checks README holds each). */
export function readmeRow(row: SettingRow): string {
  const fallback = row.default !== undefined ? `\`${String(row.default)}\`` : '';
  const env = row.env ? `\`${row.env}\`${row.envNote ? ` ${row.envNote}` : ''}` : '';
  const flag = row.flag ? `\`${row.flag.name}\`` : '';
  const cells = [`\`${row.key}\``, row.readme, fallback, env, flag];
  return `|${cells.map((cell) => (cell ? ` ${cell} ` : ' ')).join('|')}|`;
}
