/**
 * Every flag's parser, in a module with no heavy imports: a usage error is reported before
 * node:crypto, undici or cosmiconfig are even loaded.
 */
import { UsageError } from '../../errors.js';
import type { ConfigOverrides } from '../../config.js';
import { parseBaseUrl } from '../../urls.js';
import {
  CONCURRENCY_RULE,
  CONCURRENCY_SETTING,
  DEFAULT_CONCURRENCY,
  PROXY_RULE,
  RATE_RULE,
  RETRIES_RULE,
  TIMEOUT_RULE,
  flagProblem,
  settingOf,
  type SettingRow,
  type ValueRule,
} from '../../settings.js';

export { DEFAULT_CONCURRENCY, WHOLE_NUMBER, DECIMAL_NUMBER } from '../../settings.js';

export interface GlobalOptions {
  config?: string;
  profile?: string;
  verbose?: boolean;
}

/** The flags every command that talks to WeChat Pay has (see withNetworkOptions in program.ts). */
export interface NetworkOptions extends GlobalOptions {
  timeout?: string;
  baseUrl?: string;
  retries?: string;
  proxy?: string;
}

/**
 * A flag's value, checked by its settings row's rule: the limits and wording are the config
 * check's (src/settings.ts), the message names the flag and shows the value as given.
 */
function parseFlag<T>(row: SettingRow, rule: ValueRule<T>, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const parsed = rule.parse(value);
  if (parsed !== undefined) return parsed;
  const flag = row.flag?.name ?? `--${row.key}`;
  throw new UsageError(flagProblem(row, rule, flag, value), row.flag?.code ? { code: row.flag.code } : {});
}

export function parseTimeout(value: string | undefined): number | undefined {
  return parseFlag(settingOf('timeout'), TIMEOUT_RULE, value);
}

export function parseRetries(value: string | undefined): number | undefined {
  return parseFlag(settingOf('retries'), RETRIES_RULE, value);
}

export function parseProxy(value: string | undefined): string | undefined {
  return parseFlag(settingOf('proxy'), PROXY_RULE, value);
}

export function parseRate(value: string | undefined): number | undefined {
  return parseFlag(settingOf('rate'), RATE_RULE, value);
}

export function parseConcurrency(value: string | undefined): number {
  return parseFlag(CONCURRENCY_SETTING, CONCURRENCY_RULE, value) ?? DEFAULT_CONCURRENCY;
}

/** Checks the network flags before anything else happens, so a typo never reaches the config or the network. */
export function parseNetworkOptions(options: NetworkOptions): ConfigOverrides {
  if (options.baseUrl !== undefined) parseBaseUrl(options.baseUrl);
  return {
    baseUrl: options.baseUrl,
    timeout: parseTimeout(options.timeout),
    retries: parseRetries(options.retries),
    proxy: parseProxy(options.proxy),
  };
}
