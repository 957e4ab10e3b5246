/**
 * Where requests may go: WeChat Pay's origins, and the rule that plain http is only for
 * loopback. No crypto, no HTTP client here, so flags can be checked at almost no start-up cost.
 */
import { UsageError } from './errors.js';
import { t } from './i18n/index.js';

export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

/** Plain http is only for loopback: signed requests and tokens never cross a network unencrypted. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.[0-9]{1,3}){3}$/.test(host);
}

/**
 * Whether a URL's hostname is an IP address (IPv6 in brackets, as URL gives it): connecting to it
 * needs no DNS lookup.
 */
export function isIpAddressHost(hostname: string): boolean {
  return /^(\d{1,3}(\.\d{1,3}){3}|\[[\d:a-f.]*\])$/i.test(hostname);
}

/**
 * A URL as a message may show it: the password masked, and a user name without a password too
 * (then it is usually a token). Text that does not parse is masked up to its last `@`, so even a
 * broken URL never shows what stood before the host.
 */
export function maskUrlCredentials(text: string): string {
  try {
    const url = new URL(text);
    // A URL with a host keeps its user and password apart; `user:pass@host` parses as an opaque URL.
    // `http://user/pass@host` parses as host "user": an @ the URL did not take as credentials is masked as text.
    if (url.host !== '' && (url.username !== '' || url.password !== '' || !text.includes('@'))) {
      if (url.password) url.password = '***';
      else if (url.username) url.username = '***';
      return url.href;
    }
  } catch {
    // masked as text below
  }
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, (_match, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

/**
 * A proxy is an origin: http(s), a host, and no path, query or fragment (undici refuses any
 * other with "invalid url" at the first request).
 */
export function isProxyUrl(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '' && url.pathname === '/' && !url.search && !url.hash;
}

/** Validates a base URL: http(s), and plain http only for loopback. */
export function parseBaseUrl(text: string, source = '--base-url'): URL {
  return checkBaseUrl(text, () => `${source} "${maskUrlCredentials(text)}"`);
}

/**
 * parseBaseUrl's rule, its messages naming the value as `subjectOf()` words it, asked only for a
 * problem: the flag and its value as given (`--base-url "…"`), or the config check's
 * describeValue wording.
 */
export function checkBaseUrl(text: string, subjectOf: () => string): URL {
  const problem = (id: 'config.url.notUrl' | 'config.url.scheme' | 'config.url.insecure' | 'config.url.originOnly', code: string) =>
    new UsageError(t(id, { subject: subjectOf() }), { code });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw problem('config.url.notUrl', 'INVALID_BASE_URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw problem('config.url.scheme', 'INVALID_BASE_URL');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw problem('config.url.insecure', 'INSECURE_BASE_URL');
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) throw problem('config.url.originOnly', 'INVALID_BASE_URL');
  return url;
}

/**
 * A merchant's callback URL for `notify send --to`: the rule of baseUrl (https anywhere, plain
 * http only on loopback, since a notification's signature and resource must not cross a network
 * unencrypted), with a path and query allowed.
 */
export function parseCallbackUrl(text: string, source = '--to'): URL {
  const subject = `${source} "${maskUrlCredentials(text)}"`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(t('config.callback.notUrl', { subject }), { code: 'INVALID_CALLBACK_URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(t('config.callback.scheme', { subject }), { code: 'INVALID_CALLBACK_URL' });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(t('config.callback.insecure', { subject }), { code: 'INSECURE_CALLBACK_URL' });
  }
  if (url.username || url.password) {
    throw new UsageError(t('config.callback.credentials', { subject }), { code: 'INVALID_CALLBACK_URL' });
  }
  if (url.hash) throw new UsageError(t('config.callback.fragment', { subject }), { code: 'INVALID_CALLBACK_URL' });
  return url;
}
