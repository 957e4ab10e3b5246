/**
 * Every flag's parser, in a module with no heavy imports: a usage error is reported before
 * node:crypto, undici or cosmiconfig are even loaded.
 */
import { UsageError } from '../../errors.js';
import type { ConfigOverrides } from '../../config.js';
import { isProxyUrl, maskUrlCredentials, parseBaseUrl } from '../../urls.js';

/** Batch requests in flight by default. */
export const DEFAULT_CONCURRENCY = 8;

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
 * What a number on the command line may look like: decimal digits, nothing else (no sign, no
 * spaces, no 0x, no exponent); a rate may have a fraction (`0.5`).
 */
export const WHOLE_NUMBER = /^[0-9]+$/;
export const DECIMAL_NUMBER = /^[0-9]+(?:\.[0-9]+)?$/;

export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!WHOLE_NUMBER.test(value) || Number(value) < 1 || Number(value) > 600_000) {
    throw new UsageError(`--timeout "${value}" must be a whole number of milliseconds from 1 to 600000, like --timeout 5000`, {
      code: 'INVALID_TIMEOUT',
    });
  }
  return Number(value);
}

export function parseRetries(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!WHOLE_NUMBER.test(value) || Number(value) > 10) {
    throw new UsageError(`--retries "${value}" must be a whole number from 0 to 10, like --retries 2`, { code: 'INVALID_RETRIES' });
  }
  return Number(value);
}

export function parseProxy(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (isProxyUrl(url)) return url.href;
  } catch {
    // fall through to the usage error
  }
  // Shown with any user and password masked: a proxy URL is where a password is written.
  throw new UsageError(`--proxy "${maskUrlCredentials(value)}" is not a proxy URL; write it like --proxy http://proxy.internal:3128 (no path)`, {
    code: 'INVALID_PROXY',
  });
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


export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  if (!WHOLE_NUMBER.test(value) || Number(value) < 1 || Number(value) > 256) {
    throw new UsageError(`--concurrency "${value}" must be a whole number from 1 to 256, like --concurrency 8`, { code: 'INVALID_CONCURRENCY' });
  }
  return Number(value);
}

export function parseRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (!DECIMAL_NUMBER.test(value) || rate <= 0 || rate > 10_000) {
    throw new UsageError(`--rate "${value}" must be a decimal number of requests per second above 0 and at most 10000, like --rate 50 or --rate 0.5`, {
      code: 'INVALID_RATE',
    });
  }
  return rate;
}

