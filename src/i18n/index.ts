/**
 * The language of everything a person reads: English (the source, src/i18n/en) or Simplified
 * Chinese (src/i18n/zh-CN, loaded only when chosen). The machine contract — `--json` keys,
 * `kind`, `code`, exit codes, `-q` output, batch lines — never depends on it.
 *
 * A message is looked up when it is shown, never at module load: text that sits in a constant
 * is a getter or a function, so that it follows the language chosen by `main()` before the
 * program is built. The library (`import 'wxpay-coupon'`) speaks English unless its caller
 * calls `useLanguage()`.
 */
import type { Message, MessageArgs, Translation } from './catalogue.js';
import { en, type Area, type Areas, type English } from './en/index.js';

export type MessageId = keyof English;
export type Language = 'en' | 'zh-CN';
export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

let current: Language = 'en';
let catalogue: { readonly [A in Area]: Translation<Areas[A]> } = en;

/** The message `id` in the current language, with its parameters. */
export function t<K extends MessageId>(id: K, ...args: MessageArgs<English[K]>): string {
  // The id's area is the part before its first dot (test/i18n.test.js checks every id has one).
  const area = catalogue[id.slice(0, id.indexOf('.')) as Area] as Readonly<Record<string, Message>>;
  const message = area[id] as Message;
  if (typeof message === 'string') return message;
  return (message as (...parameters: typeof args) => string)(...(args.map(quotedValuesOneLine) as typeof args));
}

/**
 * A message's parameters never carry a line break, carriage return or tab of what a user gave — a
 * value, a path, a profile, a host, a flag's text, the working folder: each is written \n, \r, \t,
 * so that `--profile $'x\nwxpay-coupon: ok'` cannot fake a line of ours (hostile checks, helpers 40
 * and 42). Only these parameters may hold a message of ours with lines of its own (a reason, a
 * failure with its hint); each is built from our text, and a value in it was escaped where it was.
 */
const MULTI_LINE_PARAMETERS: ReadonlySet<string> = new Set([
  'last',
  'message',
  'primaryMessage',
  'reason',
  'problem',
  'problems',
  'detail',
  'hint',
  'lines',
  'body',
]);

function quotedValuesOneLine(parameters: unknown): unknown {
  return isPlainObject(parameters) ? (oneLineFields(parameters, MULTI_LINE_PARAMETERS) ?? parameters) : parameters;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * A plain object's fields but `skip` on one line: a changed copy, or undefined when nothing changes
 * (most messages quote nothing with a line break, and t() is on every path).
 */
function oneLineFields(value: Record<string, unknown>, skip: ReadonlySet<string> = NO_KEYS): Record<string, unknown> | undefined {
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (skip.has(key)) continue;
    const shown = oneLineDeep(value[key]);
    if (shown !== value[key]) (copy ??= { ...value })[key] = shown;
  }
  return copy;
}

/** A string, or the strings in a list or an object of them (doctor's settings items), on one line; the value itself when nothing changes. */
function oneLineDeep(value: unknown): unknown {
  if (typeof value === 'string') return oneLine(value);
  if (Array.isArray(value)) {
    const shown = value.map(oneLineDeep);
    return shown.some((item, index) => item !== value[index]) ? shown : value;
  }
  return isPlainObject(value) ? (oneLineFields(value) ?? value) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** `text` with its line breaks, carriage returns and tabs written \n, \r, \t: a value a user gave, on one line. */
export function oneLine(text: string): string {
  return /[\r\n\t]/.test(text) ? text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t') : text;
}

export function currentLanguage(): Language {
  return current;
}

/** Switches every later message to `language`; Chinese is loaded on first use. */
export async function useLanguage(language: Language): Promise<void> {
  if (language === 'zh-CN') {
    const { zhCN } = await import('./zh-CN/index.js');
    catalogue = zhCN;
  } else {
    catalogue = en;
  }
  current = language;
}

/**
 * `en` or `zh-CN` as `--lang`/`WXPAY_LANG` take them: any case, `_` for `-`, a locale's encoding
 * and modifier ignored (`zh_CN.UTF-8`); `zh` and `zh-Hans` are Simplified Chinese, and English
 * of any region is English. Undefined for anything else: `zh-TW` and `zh-Hant` are Traditional
 * Chinese, which this tool does not speak (a locale starting with `zh` still chooses Simplified
 * Chinese, languageOfLocale(), as the issue that added Chinese has it).
 */
export function parseLanguage(value: string): Language | undefined {
  const normal = value
    .trim()
    .toLowerCase()
    .replaceAll('_', '-')
    .replace(/[.@].*$/, '');
  if (/^en(-[a-z0-9]{2,8})?$/.test(normal)) return 'en';
  if (/^zh(-hans)?(-cn)?$/.test(normal)) return 'zh-CN';
  return undefined;
}

/** The POSIX order: the first of LC_ALL, LC_MESSAGES, LANG that is set; `zh…` is Chinese, anything else English. */
export function languageOfLocale(env: Readonly<Record<string, string | undefined>>): Language {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return /^zh/i.test(value) ? 'zh-CN' : 'en';
  }
  return 'en';
}

export interface LanguageChoice {
  language: Language;
  /** An unsupported `--lang` or `WXPAY_LANG` value (a usage error), and where it came from; the language is then the next layer's. */
  rejected?: { source: '--lang' | 'WXPAY_LANG'; value: string };
}

/**
 * `--lang` (the last one before `--`), then `WXPAY_LANG`, then the locale. Read from argv before
 * commander parses it, so that commander's own messages and the help are in that language too.
 */
export function chooseLanguage(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LanguageChoice {
  let flag: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') break;
    if (arg === '--lang' && index + 1 < argv.length) {
      const next = argv[index + 1] as string;
      // `--lang --json`: no value (scanArgv makes that a usage error naming --lang).
      if (next.startsWith('-')) continue;
      flag = next;
      index += 1;
    } else if (arg.startsWith('--lang=')) {
      flag = arg.slice('--lang='.length);
    }
  }
  const fromEnv = env['WXPAY_LANG'] ? env['WXPAY_LANG'] : undefined;
  const fallback = (): Language => (fromEnv !== undefined ? (parseLanguage(fromEnv) ?? languageOfLocale(env)) : languageOfLocale(env));
  if (flag !== undefined) {
    const language = parseLanguage(flag);
    return language ? { language } : { language: fallback(), rejected: { source: '--lang', value: flag } };
  }
  if (fromEnv !== undefined) {
    const language = parseLanguage(fromEnv);
    return language ? { language } : { language: languageOfLocale(env), rejected: { source: 'WXPAY_LANG', value: fromEnv } };
  }
  return { language: languageOfLocale(env) };
}
