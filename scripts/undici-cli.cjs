// The part of undici the CLI uses (Agent, ProxyAgent, EnvHttpProxyAgent, Pool and dispatcher.request),
// bundled on its own by scripts/build.js into dist/cli-undici.cjs and loaded only when a
// request is really sent. undici's own index also loads fetch, WebSocket, caches and mocks,
// which every call that sends a request would then load for nothing. The proxy agents (and node:tls and
// undici's SOCKS code behind them) load only when a proxy is used.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
// The same step undici's index takes: give dispatchers their request()/stream() API.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  get ProxyAgent() {
    return require('undici/lib/dispatcher/proxy-agent');
  },
  get EnvHttpProxyAgent() {
    return require('undici/lib/dispatcher/env-http-proxy-agent');
  },
  // The proxy's own client (src/transport.ts, tunnelClientFactory): ProxyAgent's default, given explicitly.
  get Pool() {
    return require('undici/lib/dispatcher/pool');
  },
};
