/**
 * HTTP on undici: one Agent per client with connect, headers and body timeouts, a capped
 * response body, and failures turned into NetworkErrors that say what went wrong.
 */
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { ConfigError, InterruptedError, NetworkError, type ConfigProblem } from './errors.js';
import { monotonicMs } from './clock.js';
import { isIpAddressHost, isLoopbackHost, isProxyUrl, maskUrlCredentials } from './urls.js';
import { t } from './i18n/index.js';

export { isLoopbackHost } from './urls.js';

import { DEFAULT_TIMEOUT_MS } from './settings.js';

export { DEFAULT_TIMEOUT_MS };
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Shorter than WeChat Pay's 8 s keep-alive, so we never reuse a socket the server is closing (P20). */
const KEEP_ALIVE_MS = 7_000;

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  elapsedMs: number;
}

export interface TransportOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  maxResponseBytes?: number;
  /** Supply your own undici dispatcher (mock, custom pool); otherwise one is created lazily. */
  dispatcher?: Dispatcher;
  /** An explicit proxy (config `proxy`, `--proxy`): every request is tunnelled through it. */
  proxy?: string | undefined;
  /**
   * Proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case), read from here rather
   * than process.env so an injected environment is honoured. They never apply to a loopback
   * origin (127.0.0.0/8, ::1, localhost), as Go's ProxyFromEnvironment has it: a corporate proxy
   * cannot reach this machine's own servers (the sandbox). An explicit `proxy` applies to all.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** The proxy variables of an environment, lower-case winning like curl; '' where unset. */
export function proxySettingsFrom(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const read = (name: string): string => env[name.toLowerCase()] ?? env[name] ?? '';
  return { httpProxy: read('HTTP_PROXY'), httpsProxy: read('HTTPS_PROXY'), noProxy: read('NO_PROXY') };
}

/**
 * HTTPS_PROXY and HTTP_PROXY must be http(s) URLs for undici; anything else (`proxy:3128`, a
 * broken URL) is a config error naming the variable, worded with any password masked.
 */
function checkProxyVariables(settings: ProxySettings): void {
  const problems: ConfigProblem[] = [];
  for (const [name, value] of [
    ['HTTPS_PROXY', settings.httpsProxy],
    ['HTTP_PROXY', settings.httpProxy],
  ] as const) {
    if (!value) continue;
    let ok = false;
    try {
      ok = isProxyUrl(new URL(value));
    } catch {
      // not a URL
    }
    if (!ok) {
      problems.push({
        source: t('token.proxy.source', { name, lower: name.toLowerCase() }),
        message: t('token.proxy.notUrl', { value: maskUrlCredentials(value) }),
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A proxy URL may carry a password; never print it (see maskUrlCredentials). */
export function maskProxyCredentials(proxy: string): string {
  return maskUrlCredentials(proxy);
}

/**
 * What aborts one attempt: undici takes an EventEmitter with `aborted` and `reason` as a signal,
 * and it costs a batch less than an AbortController per attempt (whose EventTarget is slow to
 * make and to listen to).
 */
class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

export class Transport {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly signal: AbortSignal | undefined;
  private readonly inFlight = new Set<AttemptSignal>();
  private readonly abortInFlight = (): void => {
    for (const attempt of this.inFlight) attempt.abort(new InterruptedError());
  };
  private dispatcher: Dispatcher | undefined;
  /** For loopback origins while the environment names a proxy: made when first needed. */
  private direct: Dispatcher | undefined;
  private readonly ownsDispatcher: boolean;
  private readonly proxy: string | undefined;
  private readonly proxyEnv: ProxySettings;

  constructor(options: TransportOptions = {}) {
    this.proxy = options.proxy;
    this.proxyEnv = proxySettingsFrom(options.env ?? {});
    checkProxyVariables(this.proxyEnv);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.signal = options.signal;
    // One listener on the run's signal for all attempts: adding and removing one per attempt
    // costs a batch more than the bookkeeping of a set.
    this.signal?.addEventListener('abort', this.abortInFlight, { once: true });
    this.dispatcher = options.dispatcher;
    this.ownsDispatcher = options.dispatcher === undefined;
  }

  /** Whether requests to this host skip the environment's proxy: loopback, with no explicit proxy. */
  private bypassesEnvProxy(hostname: string): boolean {
    const { httpProxy, httpsProxy } = this.proxyEnv;
    return this.ownsDispatcher && !this.proxy && Boolean(httpProxy || httpsProxy) && isLoopbackHost(hostname);
  }

  private async getDispatcher(url: URL): Promise<Dispatcher> {
    if (this.bypassesEnvProxy(url.hostname)) {
      if (!this.direct) {
        this.loadNodeModulesFor(url);
        const undici = await import('undici');
        this.direct = new undici.Agent(this.agentOptions());
      }
      return this.direct;
    }
    if (!this.dispatcher) {
      // undici is loaded only when a request is really sent: --help, --dry-run and usage errors never pay for it.
      // Not destructured: the CLI's undici chunk loads the proxy agents only when they are used.
      this.loadNodeModulesFor(url);
      const undici = await import('undici');
      const agentOptions = this.agentOptions();
      const { httpProxy, httpsProxy, noProxy } = this.proxyEnv;
      if (this.proxy) {
        this.dispatcher = new undici.ProxyAgent({ ...agentOptions, clientFactory: tunnelClientFactory(undici.Pool), uri: this.proxy });
      } else if (httpProxy || httpsProxy) {
        // Empty strings, never undefined: undici would otherwise fall back to process.env itself.
        const clientFactory = tunnelClientFactory(undici.Pool);
        this.dispatcher = new undici.EnvHttpProxyAgent({ ...agentOptions, clientFactory, httpProxy, httpsProxy, noProxy });
      } else this.dispatcher = new undici.Agent(agentOptions);
    }
    return this.dispatcher;
  }

  /**
   * Node's own modules that this request needs and undici would load only on connecting, loaded
   * before undici: node:tls for an https URL or a proxy reached over https, node:dns for a host
   * name rather than an IP address. The CLI's loader of undici changes a V8 flag, after which Node
   * compiles each of its own modules from source: node:tls took 2.9 ms then instead of 0.75, and
   * node:dns 1.3 instead of 0.7 (src/cli/load-undici.cjs says why and how it was timed).
   */
  private loadNodeModulesFor(url: URL): void {
    const { httpProxy, httpsProxy } = this.proxyEnv;
    const proxies = (this.proxy ? [this.proxy] : [httpProxy, httpsProxy]).filter((proxy) => URL.canParse(proxy));
    const hosts = [url, ...proxies.map((proxy) => new URL(proxy))];
    if (hosts.some((host) => host.protocol === 'https:')) process.getBuiltinModule('node:tls');
    if (hosts.some((host) => !isIpAddressHost(host.hostname))) process.getBuiltinModule('node:dns');
  }

  private agentOptions() {
    return {
      connect: { timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      // Node's own default, given explicitly: undici would otherwise load node:http to read it.
      maxHeaderSize: 16 * 1024,
    };
  }

  /** How requests to `url` (default: any) leave this machine, for --verbose; proxy passwords are masked. */
  describeRoute(url?: URL): string {
    if (this.proxy) return t('token.route.proxy', { proxy: maskProxyCredentials(this.proxy) });
    const { httpProxy, httpsProxy, noProxy } = this.proxyEnv;
    if (!httpProxy && !httpsProxy) return t('token.route.direct');
    if (url && this.bypassesEnvProxy(url.hostname)) return t('token.route.loopback', { host: url.hostname });
    const parts = [
      httpsProxy ? `HTTPS_PROXY=${maskProxyCredentials(httpsProxy)}` : '',
      httpProxy ? `HTTP_PROXY=${maskProxyCredentials(httpProxy)}` : '',
      noProxy ? `NO_PROXY=${noProxy}` : '',
    ].filter(Boolean);
    return t('token.route.environment', { parts: t('token.list', { items: parts }) });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    if (this.signal?.aborted) throw new InterruptedError();
    const dispatcher = await this.getDispatcher(request.url);
    // One signal per attempt, dropped when the attempt ends: AbortSignal.timeout() and
    // AbortSignal.any() would each outlive the attempt (the timer, the link to the parent
    // signal), which grows memory in long batch runs.
    const attempt = new AttemptSignal();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort(new Error('timeout'));
    }, this.timeoutMs);
    this.inFlight.add(attempt);
    if (this.signal?.aborted) attempt.abort(new InterruptedError());
    const started = monotonicMs();
    const target = request.url.origin;
    try {
      // dispatcher.request() rather than undici.request(): the CLI bundle carries only the dispatchers.
      const response = await dispatcher.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: attempt,
      });
      const body = await this.readBody(response, target);
      const headers = flattenHeaders(response.headers);
      return { status: response.statusCode, headers, body, elapsedMs: monotonicMs() - started };
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      if (this.signal?.aborted) throw new InterruptedError();
      throw describeNetworkError(error, `${target}${this.failureRoute(request.url)}`, this.timeoutMs, timedOut);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(attempt);
    }
  }

  /**
   * The answer's body, at most maxResponseBytes. Read with 'data' events rather than for await:
   * an async iterator per answer costs a batch more than the answer's bytes.
   */
  private readBody(response: Dispatcher.ResponseData, target: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxResponseBytes) {
          response.body.destroy();
          reject(
            new NetworkError(t('token.network.tooLarge', { target, max: this.maxResponseBytes }), {
              code: 'RESPONSE_TOO_LARGE',
              status: response.statusCode,
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      response.body.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      response.body.on('error', reject);
    });
  }

  /** What a network error's message adds about the route: the proxy that may be the one failing. */
  private failureRoute(url: URL): string {
    if (this.proxy) return t('token.network.viaProxy', { proxy: maskProxyCredentials(this.proxy) });
    if ((this.proxyEnv.httpProxy || this.proxyEnv.httpsProxy) && !this.bypassesEnvProxy(url.hostname)) {
      return t('token.network.envProxy');
    }
    return '';
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.abortInFlight);
    if (!this.ownsDispatcher) return;
    const dispatchers = [this.dispatcher, this.direct].filter((dispatcher): dispatcher is Dispatcher => dispatcher !== undefined);
    this.dispatcher = undefined;
    this.direct = undefined;
    // With nothing in flight, destroy() closes the idle keep-alive sockets at once; close()
    // would wait for the server to acknowledge each before the call could end.
    await Promise.all(dispatchers.map((dispatcher) => (this.inFlight.size === 0 ? dispatcher.destroy() : dispatcher.close())));
  }
}

/**
 * A proxy that closes the connection before it answers CONNECT (one that does not tunnel, or
 * refuses the destination). undici 7 takes that socket error (UND_ERR_SOCKET) for one worth
 * connecting again, at once and for ever: neither the attempt's timeout nor an abort ends it, and
 * it opened ~4,600 connections a second to such a proxy. undici 8 fails the request instead
 * (nodejs/undici#5441), but needs Node 22.19; this does the same for the proxy's own client, which
 * ProxyAgent asks for the tunnel (its `clientFactory`).
 */
export class ProxyTunnelError extends Error {
  readonly code = 'PROXY_TUNNEL_CLOSED';

  constructor(cause: unknown) {
    super('the proxy closed the connection before answering CONNECT', { cause });
  }
}

type PoolClass = typeof import('undici').Pool;

function tunnelClientFactory(Pool: PoolClass) {
  return (origin: URL, options: ConstructorParameters<PoolClass>[1]): InstanceType<PoolClass> => {
    const pool = new Pool(origin, options);
    const connect = pool.connect.bind<(connectOptions: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>>(pool);
    // ProxyAgent calls connect() with its options alone, for a promise.
    const tunnel = async (connectOptions: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
      try {
        return await connect(connectOptions);
      } catch (error) {
        throw (error as { code?: unknown } | null)?.code === 'UND_ERR_SOCKET' ? new ProxyTunnelError(error) : error;
      }
    };
    Object.defineProperty(pool, 'connect', { value: tunnel });
    return pool;
  };
}

/** Header names lower-cased, repeated headers joined with ", ". */
function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Error codes of a failed TLS handshake: Node's own, and OpenSSL's certificate verdicts. */
export function isTlsErrorCode(code: string): boolean {
  return /^ERR_TLS_|^ERR_SSL_|^CERT_|SELF_SIGNED|UNABLE_TO_|^DEPTH_ZERO/.test(code);
}

/** Turns undici and socket failures into one sentence a person can act on. */
export function describeNetworkError(error: unknown, target: string, timeoutMs: number, timedOut: boolean): NetworkError {
  const code = errorCode(error);
  const fields = { code: code ?? 'NETWORK_ERROR', cause: error };
  if (timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new NetworkError(t('token.network.timeout', { target, ms: timeoutMs }), {
      ...fields,
      code: code && code.startsWith('UND_ERR_') ? code : 'TIMEOUT',
    });
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new NetworkError(t('token.network.refused', { target }), fields);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new NetworkError(t('token.network.dns', { target, code }), fields);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_SOCKET': // undici's "other side closed": the server ended the connection before answering.
      return new NetworkError(t('token.network.closed', { target }), fields);
    case 'PROXY_TUNNEL_CLOSED':
      return new NetworkError(t('token.network.tunnelClosed', { target }), fields);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new NetworkError(t('token.network.headersTooLarge', { target }), fields);
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new NetworkError(t('token.network.unreachable', { target, code }), fields);
    default:
      break;
  }
  if (code && isTlsErrorCode(code)) {
    return new NetworkError(t('token.network.tls', { target, code }), fields);
  }
  // llhttp's codes: an answer that is not HTTP/1.1.
  if (code?.startsWith('HPE_')) return new NetworkError(t('token.network.notHttp', { target, code }), fields);
  // undici 7 says a proxy's refusal of the tunnel only in words: "Proxy response (403) !== 200 when HTTP Tunneling".
  const proxyStatus = code === 'UND_ERR_ABORTED' && error instanceof Error ? /^Proxy response \((\d{3})\)/.exec(error.message) : null;
  if (proxyStatus) return new NetworkError(t('token.network.proxyStatus', { target, status: proxyStatus[1] ?? '' }), fields);
  const reason = error instanceof Error ? error.message : String(error);
  return new NetworkError(t('token.network.other', { target, reason }), fields);
}
