/** English messages of the token area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const token = {
  // hints.ts: what to do about an error WeChat Pay returned.
  'token.hint.signError':
    'Check that mchid, serial and privateKey belong to the same merchant API certificate, and that this machine\u2019s clock is right (run with --verbose to see what the server signed).',
  'token.hint.noAuth': 'This merchant is not allowed to call this API; apply for the travel-coupon product in the merchant platform.',
  'token.hint.paramError': 'Fix the parameter named above and try again.',
  'token.hint.invalidRequest': 'Fix the request as the message says; retrying the same request will not help.',
  'token.hint.rateLimited': 'Too many requests; wait and retry, or lower the request rate.',
  'token.hint.systemError': 'A temporary WeChat Pay failure; retry later with the same request.',
  'token.hint.serviceUnavailable': 'WeChat Pay is temporarily unavailable; retry later.',
  'token.hint.notFound': 'The endpoint was not found; check the path (and the method) and --base-url.',
  'token.hint.noPlatformCertificates':
    'WeChat Pay answers so to a merchant that has no platform certificates because it uses a WeChat Pay public key (微信支付公钥) instead, ' +
    'which answers are verified with (publicKeyId and publicKey in the config, from 账户中心 → API安全 → 微信支付公钥 in the merchant platform); ' +
    '/v3/certificates has nothing for such a merchant.',
  'token.hint.wechatpaySerial': (p: { serial: string }) =>
    `The request asked WeChat Pay to sign with ${p.serial} (its Wechatpay-Serial header: publicKeyId in the config), which is no ` +
    'WeChat Pay public key of this mchid: copy publicKeyId (PUB_KEY_ID_\u2026) again from 账户中心 → API安全 → 微信支付公钥 in the ' +
    'merchant platform, or, if this merchant uses platform certificates, remove publicKeyId and publicKey from the config.',
  'token.hint.resourceNotExists': 'The resource does not exist for this merchant.',
  'token.hint.redirect':
    'WeChat Pay never redirects an APIv3 call, and wxpay-coupon does not follow one; check baseUrl (--base-url) and any proxy on the way.',
  'token.hint.serverError': 'A WeChat Pay server error; retry later.',
  'token.hint.clockSkew': (p: { seconds: number; ahead: boolean }) =>
    `This machine's clock is ${p.seconds} s ${p.ahead ? 'ahead of' : 'behind'} WeChat Pay's (its Date header); ` +
    'fix the clock (NTP): signatures more than 5 minutes off are rejected.',

  // launch.ts
  'token.launch.tooLong': (p: { length: number; max: number }) =>
    `the token is ${p.length} characters, but the card-switch mini program's launch page documents token as at most ` +
    `${p.max} characters (the API allows 1024); launching with it may fail, so report it to WeChat Pay ` +
    'support with the Request-ID',

  // transport.ts: proxies, routes and network failures.
  'token.proxy.source': (p: { name: string; lower: string }) => `${p.name} (or ${p.lower})`,
  'token.proxy.notUrl': (p: { value: string }) =>
    `"${p.value}" is not a proxy URL; write it like http://proxy.internal:3128 (no path), or http://user:password@proxy.internal:3128`,
  'token.route.proxy': (p: { proxy: string }) => `through proxy ${p.proxy}`,
  'token.route.direct': 'direct (no proxy configured)',
  'token.route.loopback': (p: { host: string }) =>
    `direct: ${p.host} is loopback, which HTTP_PROXY/HTTPS_PROXY never apply to (--proxy would)`,
  'token.route.environment': (p: { parts: string }) => `through the environment's proxy (${p.parts})`,
  'token.network.viaProxy': (p: { proxy: string }) => ` through proxy ${p.proxy}`,
  'token.network.envProxy': ' (HTTP_PROXY/HTTPS_PROXY is set: the proxy may be the one failing)',
  'token.network.tooLarge': (p: { target: string; max: number }) =>
    `the answer from ${p.target} is larger than ${p.max} bytes; refusing to read it (is --base-url right?)`,
  'token.network.timeout': (p: { target: string; ms: number }) =>
    `no answer from ${p.target} within ${p.ms} ms; check the network, or raise --timeout`,
  'token.network.refused': (p: { target: string }) => `${p.target} refused the connection; is the address right and the server up?`,
  'token.network.dns': (p: { target: string; code: string }) =>
    `could not resolve the host of ${p.target} (DNS ${p.code}); check baseUrl (the config's, or --base-url) and this machine's DNS`,
  'token.network.closed': (p: { target: string }) => `${p.target} closed the connection before answering; try again`,
  'token.network.unreachable': (p: { target: string; code: string }) =>
    `${p.target} is unreachable from this machine (${p.code}); check routing or the proxy`,
  'token.network.tls': (p: { target: string; code: string }) =>
    `the TLS handshake with ${p.target} failed (${p.code}); certificate checks are never disabled, so fix the trust store or the address`,
  'token.network.tunnelClosed': (p: { target: string }) =>
    `could not reach ${p.target}: the proxy closed the connection instead of opening a tunnel (CONNECT); is it an HTTP proxy, and does it let this host through?`,
  'token.network.proxyStatus': (p: { target: string; status: string }) =>
    `could not reach ${p.target}: the proxy answered CONNECT with HTTP ${p.status} instead of opening a tunnel; check the proxy's address and credentials, and that it lets this host through`,
  'token.network.notHttp': (p: { target: string; code: string }) =>
    `the answer from ${p.target} is not valid HTTP (${p.code}); is --base-url right?`,
  'token.network.headersTooLarge': (p: { target: string }) =>
    `the answer from ${p.target} has headers larger than 16 KiB; refusing to read it (is --base-url right?)`,
  'token.network.other': (p: { target: string; reason: string }) => `could not get an answer from ${p.target}: ${p.reason}`,

  // verify.ts: an answer that cannot be trusted.
  'token.verify.answer.subject': 'the answer',
  'token.verify.answer.missingHint':
    "a 2xx answer without WeChat Pay's signature headers is not trusted (check that --base-url points at WeChat Pay and no proxy strips headers)",
  'token.verify.errorAnswer.missingHint':
    "an error answer with only some of WeChat Pay's signature headers is not trusted (check that --base-url points at WeChat Pay and no proxy strips headers)",
  'token.verify.answer.staleHint': 'a replayed answer, or this machine\u2019s clock is wrong (check NTP)',
  'token.verify.answer.serialHint': 'add that WeChat Pay public key (publicKeyId + publicKey) or platform certificate to the config',
  'token.verify.answer.signatureHint': 'the answer may be forged or altered in transit, so it was discarded',
  'token.verify.none': 'none',
  'token.verify.serialUnknown': (p: { subject: string; serial: string; known: string; hint: string }) =>
    `${p.subject} is signed with key ${p.serial}, which is not configured (configured: ${p.known}); ${p.hint}`,
  'token.verify.signatureInvalid': (p: { subject: string; publicKey: boolean; serial: string; source: string; hint: string }) =>
    `${p.subject}'s signature does not verify with ${p.publicKey ? 'public key' : 'certificate'} ${p.serial} (${p.source}); ${p.hint}`,
  'token.verify.headersMissing': (p: { subject: string; headers: string; hint: string }) =>
    `${p.subject} is missing ${p.headers}; ${p.hint}`,
  'token.verify.headerRepeated': (p: { subject: string; name: string }) =>
    `${p.subject} has the ${p.name} header more than once; which one WeChat Pay sent cannot be known, so it is not trusted`,
  'token.verify.typeUnsupported': (p: { subject: string; type: string; accepted: string }) =>
    `${p.subject} is signed with ${p.type}; only ${p.accepted} is accepted`,
  'token.verify.timestampInvalid': (p: { subject: string; timestamp: string }) =>
    `${p.subject}'s Wechatpay-Timestamp "${p.timestamp}" is not Unix seconds`,
  'token.verify.timestampStale': (p: { subject: string; skew: number; max: number; clock: string; hint: string }) =>
    `${p.subject}'s Wechatpay-Timestamp is ${p.skew} s from ${p.clock} (at most ${p.max} s is accepted): ${p.hint}`,
  'token.verify.machineClock': "this machine's clock",

  // client.ts: WeChat Pay's error answers, the body of a 200, failover, a stop.
  'token.api.answered': (p: { status: number; code: string; message: string }) => `WeChat Pay answered ${p.status} ${p.code}: ${p.message}`,
  'token.api.emptyBody': '(empty body)',
  'token.api.notErrorBody': (p: { text: string }) => `(not a WeChat Pay error body) ${p.text}`,
  'token.answer.notJson': 'the signed answer is not JSON; no token can be read from it',
  'token.answer.notObject': 'the signed answer is not a JSON object; no token can be read from it',
  'token.answer.noToken': 'WeChat Pay answered 200 without a token, which the API never does; nothing to print',
  'token.answer.expiresInvalid':
    'the answer\u2019s expires_time is not an RFC 3339 time (like 2015-05-20T13:29:35+08:00), which the API never sends; nothing to print',
  'token.answer.duplicateKey': 'the signed answer gives a key twice, so which token it means is a guess; nothing to print',
  'token.answer.tokenNotPrintable':
    'WeChat Pay answered 200 with a token holding a space, a control or a non-ASCII character, which no token has and no launch path can carry; nothing to print',
  'token.answer.expired': (p: { expiresTime: string }) =>
    `WeChat Pay answered 200 with a token that had already expired (expires_time ${p.expiresTime}, by this machine\u2019s clock); ` +
    'it cannot launch the mini program; ask for a new one, and check this machine\u2019s clock',
  'token.failover.both': (p: { backup: string; message: string; primary: string; primaryMessage: string }) =>
    `backup ${p.backup}: ${p.message}\nprimary ${p.primary}, tried first: ${p.primaryMessage}`,
  'token.stop.beforeSend': 'interrupted (Ctrl-C or SIGTERM) before this line was sent; nothing was sent',
  'token.stop.beforeRetry': (p: { last: string }) => `interrupted (Ctrl-C or SIGTERM) before retrying; the last attempt: ${p.last}`,

  // coupon.ts: the request body's rules, checked before anything is sent.
  // A list of names or values inside a message (comma-separated; Chinese uses the enumeration comma 、).
  'token.list': (p: { items: readonly string[] }) => p.items.join(', '),
  'token.type.number': 'a number',
  'token.type.string': 'a string',
  'token.type.list': 'a list',
  'token.type.object': 'an object',
  'token.stock.notExact': (p: { value: string }) => `${p.value} is not an exact integer; pass stock ids above 2^53-1 as a string or bigint`,
  'token.stock.notInteger': (p: { value: string }) => `${p.value} is not an integer`,
  'token.stock.expectedInteger': (p: { type: string }) => `expected an integer, got ${p.type}`,
  'token.stock.fullWidthDigits': (p: { value: string; mended: string }) =>
    `${p.value} is written in full-width digits (a Chinese input method's); write ASCII digits: ${p.mended}`,
  'token.stock.notPositive': (p: { value: string }) => `${p.value} is not a positive integer`,
  'token.stock.zero': (p: { value: string }) => `${p.value} is not a stock id; it must be a positive number`,
  'token.stock.leadingZeros': (p: { value: string }) => `${p.value} must be written without leading zeros`,
  'token.stock.tooLarge': (p: { value: string }) => `${p.value} is larger than the largest stock id (2^63-1)`,
  'token.coupon.format': (p: { spec: string }) =>
    `--coupon "${p.spec}" is not <stock_id>:<coupon_id>; write it like --coupon 16474341:11004999626`,
  'token.coupon.quotes': (p: { spec: string; quote: string; mended: string }) =>
    `--coupon "${p.spec}" holds the typographic quote ${p.quote}, which an editor or chat app put in for an ASCII one; ` +
    `write it without quotes: --coupon ${p.mended}`,
  'token.coupon.fullWidthColon': (p: { spec: string; mended: string }) =>
    `--coupon "${p.spec}" has a full-width colon (\uff1a) between the stock id and the coupon id; write an ASCII one: --coupon ${p.mended}`,
  'token.coupon.several': (p: { spec: string; character: string }) =>
    `--coupon "${p.spec}": the coupon id holds ${p.character}, so this is more than one coupon (or not a coupon id); ` +
    'give each coupon its own --coupon, like --coupon 16474341:11004999626 --coupon 16474341:11004999627',
  'token.coupon.space': 'a space',
  'token.coupon.emptyFlag': '; if it came from a variable (--coupon "$COUPON"), that variable is empty',
  'token.coupon.otherSpace': (p: { character: string }) => `a space (${p.character}, not an ASCII one)`,
  'token.coupon.wrongSeparator': (p: { spec: string; separator: string; mended: string }) =>
    `--coupon "${p.spec}" separates the stock id and the coupon id with "${p.separator}"; a colon goes there: --coupon ${p.mended}`,
  'token.coupon.stock': (p: { spec: string; problem: string }) =>
    `--coupon "${p.spec}": stock id ${p.problem}; write it like --coupon 16474341:11004999626`,
  'token.coupon.couponId': (p: { spec: string; problem: string }) => `--coupon "${p.spec}": coupon id ${p.problem}`,
  'token.couponId.notString': (p: { type: string }) => `must be a string, got ${p.type}`,
  'token.couponId.empty': 'is empty; it must be 1 to 64 characters',
  'token.couponId.notUtf8':
    'holds U+FFFD, the character that stands for bytes that were not UTF-8 (a terminal or file in GBK, for one), or half of a surrogate pair: the coupon id was damaged before it reached this tool; give it as UTF-8',
  'token.couponId.spaces': 'has spaces around it; a coupon id is sent exactly as written, so write it without them',
  'token.couponId.quotes': (p: { quote: string }) =>
    `holds the typographic quote ${p.quote}, which an editor or chat app put in for an ASCII one; write the coupon id without it`,
  'token.couponId.invisible': (p: { character: string }) =>
    `holds an invisible character (${p.character}), pasted with it; type the coupon id again`,
  'token.couponId.space': (p: { character: string }) =>
    `holds a space (${p.character}), which no coupon id has; give each coupon its own entry in coupon_list`,
  'token.couponId.fullWidth': (p: { mended: string }) =>
    `is written in full-width characters (a Chinese input method's full-width mode); write them in ASCII: ${p.mended}`,
  'token.couponId.tooLong': (p: { length: number }) => `is ${p.length} characters long; it must be 1 to 64 characters`,
  'token.key.misnamed': (p: { prefix: string; given: string; meant: string }) =>
    `${p.prefix}${p.given} is not a key the API reads; did you mean "${p.meant}"? (the keys are open_id, coupon_list, stock_id, coupon_id)`,
  'token.openId.missing': (p: { prefix: string; server: string; flags: boolean }) =>
    `${p.prefix}${p.server} (bad openid): open_id is missing; ${p.flags ? 'pass --open-id <openid>' : 'add "open_id": the user\u2019s openid under your AppID'}`,
  'token.openId.notString': (p: { prefix: string; server: string; type: string }) =>
    `${p.prefix}${p.server} (bad openid): open_id must be a string, got ${p.type}; write it in quotes`,
  'token.openId.length': (p: { prefix: string; server: string; field: string; length: number }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} must be 1 to 64 characters without surrounding spaces (got ${p.length}); ` +
    'use the user\u2019s openid under your AppID',
  'token.edgeCharacter': (p: { character: string; where: 'start' | 'end' }) =>
    `; it ${p.where === 'start' ? 'starts' : 'ends'} with ${p.character}, not an ASCII space`,
  'token.openId.emptyFlag': '; if it came from a variable (--open-id "$OPENID"), that variable is empty',
  'token.openId.quotes': (p: { prefix: string; server: string; field: string; quote: string }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} holds the typographic quote ${p.quote}, which an editor or chat app put in for an ASCII one; ` +
    'write the openid without it',
  'token.openId.invisible': (p: { prefix: string; server: string; field: string; character: string }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} holds an invisible character (${p.character}), pasted with it; type the openid again`,
  'token.openId.space': (p: { prefix: string; server: string; field: string; character: string }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} holds a space (${p.character}), which no openid has; give one user\u2019s openid (a token is for one user: for several, use --batch)`,
  'token.openId.fullWidth': (p: { prefix: string; server: string; field: string; mended: string }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} holds full-width characters (a Chinese input method's full-width mode); write them in ASCII: ${p.mended}`,
  'token.openId.notUtf8': (p: { prefix: string; server: string; field: string }) =>
    `${p.prefix}${p.server} (bad openid): ${p.field} holds U+FFFD, the character that stands for bytes that were not UTF-8 (a terminal or file in GBK, for one), or half of a surrogate pair: the openid was damaged before it reached this tool; give it as UTF-8`,
  'token.couponList.notList': (p: { prefix: string; type: string }) =>
    `${p.prefix}coupon_list must be a list of {"stock_id", "coupon_id"}, got ${p.type}`,
  'token.couponList.empty': (p: { prefix: string; server: string; flags: boolean }) =>
    `${p.prefix}${p.server} (no coupon given): ${
      p.flags ? 'pass at least one --coupon <stock_id>:<coupon_id>' : 'add a "coupon_list" with at least one {"stock_id", "coupon_id"}'
    }`,
  'token.couponList.entryNotObject': (p: { prefix: string; index: number; type: string }) =>
    `${p.prefix}coupon_list[${p.index}] must be an object {"stock_id", "coupon_id"}, got ${p.type}`,
  'token.couponList.stockId': (p: { prefix: string; index: number; problem: string }) =>
    `${p.prefix}coupon_list[${p.index}].stock_id: ${p.problem}`,
  'token.couponList.couponId': (p: { prefix: string; index: number; problem: string }) =>
    `${p.prefix}coupon_list[${p.index}].coupon_id ${p.problem}`,
  'token.couponList.oneStock': (p: { prefix: string; server: string; stocks: string }) =>
    `${p.prefix}${p.server} (one stock per request): got stocks ${p.stocks}; request a token for each stock separately`,
  'token.couponList.duplicate': (p: { prefix: string; server: string; couponId: string }) =>
    `${p.prefix}${p.server} (duplicate coupon id): ${p.couponId} is given twice; list each coupon once`,
  'token.request.notObject': 'expected a JSON object {"open_id": …, "coupon_list": [...]}',

  // json.ts: why a text is not JSON.
  'token.json.at': (p: { reason: string; position: number }) => `${p.reason} at position ${p.position}`,
  'token.json.trailing': 'unexpected text after the JSON value',
  'token.json.tooDeep': 'nesting too deep',
  'token.json.duplicateKey': 'a key given twice in one object',
  'token.json.propertyName': 'expected a property name',
  'token.json.colon': "expected ':'",
  'token.json.commaOr': (p: { close: string }) => `expected ',' or '${p.close}'`,
  'token.json.invalidString': 'invalid string',
  'token.json.controlCharacter': 'control character in string',
  'token.json.unterminated': 'unterminated string',
  'token.json.end': 'unexpected end of input',
  'token.json.character': 'unexpected character',

  // batch.ts: one line's failure.
  'token.batch.lineTooLong': (p: { line: number; bytes: string; max: string; prefix: string }) =>
    `line ${p.line} is ${p.bytes} bytes long; a request line may be at most 1 MiB (${p.max} bytes), ` +
    `so it was not read (it starts with ${p.prefix}…)`,
  'token.batch.notJson': (p: { line: number; reason: string }) => `line ${p.line} is not JSON (${p.reason})`,
  'token.batch.fullWidth':
    '; the line holds full-width punctuation (： ， “ ” from a Chinese input method), which JSON does not read as : , ": type them in ASCII',
  'token.batch.array':
    "; this is a JSON array, and --batch reads JSON Lines, one whole object per line: jq -c '.[]' file.json | wxpay-coupon token --batch -",
  'token.batch.spread':
    '; this is an object spread over several lines, and --batch reads JSON Lines, one whole object per line: jq -c . file.json | wxpay-coupon token --batch -',
  'token.batch.csv':
    '; this looks like CSV, and --batch reads JSON Lines, one object per line like {"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}',
  'token.batch.device': (p: { batch: string }) =>
    `--batch ${p.batch} is a device, not a file of JSON lines; give a file, or --batch - to read standard input`,
  'token.batch.internal': (p: { reason: string }) => `internal error: ${p.reason}`,

  // cli/commands/token.ts
  'token.flags.missingOpenId': "missing --open-id <openid>: the user's openid under your AppID",
  'token.flags.noCoupon': (p: { server: string }) =>
    `${p.server} (no coupon given): pass at least one --coupon <stock_id>:<coupon_id>, like --coupon 16474341:11004999626`,
  'token.flags.jsonQuiet': '--json and --quiet cannot be used together; pick one',
  'token.flags.sandboxConfig': (p: { flag: string }) =>
    `--sandbox uses its own throwaway credentials and reads no config; leave out ${p.flag}, or leave out --sandbox to use that config`,
  'token.flags.sandboxBaseUrl': '--sandbox starts its own local server; leave out --base-url',
  'token.flags.batchOnly': '--concurrency and --rate only apply with --batch <file|->',
  'token.flags.batchConflict': (p: { flags: string }) => `--batch reads every request from its input; leave out ${p.flags}`,
  'token.verbose.localSandbox': (p: { url: string }) => `local sandbox at ${p.url} (config ignored)`,
  'token.sandbox.note': 'note: this token came from the local sandbox, not WeChat Pay; it cannot launch the mini program.',
  'token.sandbox.warning': 'this token came from the local sandbox, not WeChat Pay; it cannot launch the mini program.',
  // The human output's labels: the code pads them to the widest one's terminal columns.
  'token.label.token': 'token',
  'token.label.expiresTime': 'expires_time',
  'token.label.requestId': 'request_id',
  'token.label.launchAppId': 'launch_appid',
  'token.label.launchPath': 'launch_path',
  'token.label.none': '(none)',
  'token.expiry.note': (p: { expiry: string }) => ` (${p.expiry})`,
  'token.expiry.in': (p: { span: string }) => `in ${p.span}`,
  'token.expiry.ago': (p: { span: string }) => `expired ${p.span} ago`,
  'token.expiry.hours': (p: { hours: number; minutes: number }) => `${p.hours}h ${p.minutes}m`,
  'token.expiry.minutes': (p: { minutes: number; seconds: number }) => `${p.minutes}m ${p.seconds}s`,
  'token.expiry.seconds': (p: { seconds: number }) => `${p.seconds}s`,

  // cli/commands/shared.ts: --verbose and --dry-run.
  'token.verbose.config': (p: { file: string | undefined; profile: string | undefined; environment: string }) =>
    `config: ${p.file ?? '(no file)'}${p.profile ? `, profile ${p.profile}` : ''}` +
    (p.environment !== '' ? `, from environment: ${p.environment}` : ''),
  'token.verbose.network': (p: { route: string }) => `network: ${p.route}`,
  'token.verbose.attempt': (p: { attempt: number; failover: boolean; method: string; url: string }) =>
    `attempt ${p.attempt}${p.failover ? ' (failover)' : ''}: ${p.method} ${p.url}`,
  'token.verbose.body': (p: { body: string }) => `body: ${p.body}`,
  'token.verbose.response': (p: { status: number; ms: number; requestId: string | undefined }) =>
    `${p.status} in ${p.ms} ms${p.requestId ? `, Request-ID ${p.requestId}` : ', no Request-ID'}`,
  'token.verbose.retry': (p: { attempt: number; reason: string; ms: number }) =>
    `attempt ${p.attempt} failed (${p.reason}); retrying in ${p.ms} ms`,
  'token.verbose.failover': (p: { from: string; reason: string; to: string }) =>
    `cannot reach ${p.from} (${p.reason}); failing over to ${p.to}`,
  'token.verbose.verified': (p: { publicKey: boolean; serial: string }) =>
    `signature verified with ${p.publicKey ? 'WeChat Pay public key' : 'platform certificate'} ${p.serial}`,
  'token.verbose.signError': (p: { message: string }) => `WeChat Pay signed this message (truncated_sign_message): ${p.message}`,
  'token.dryRun.note': 'dry run: signed but not sent',

  // cli/commands/batch.ts: input, progress, summary.
  'token.batch.noStdin': '--batch - reads standard input, but there is none',
  'token.batch.noFile': (p: { batch: string }) => `--batch ${p.batch}: no such file; pass a JSON Lines file, or - for standard input`,
  'token.batch.stopping': (p: { inFlight: number }) =>
    `stopping: no new request starts${p.inFlight > 0 ? `; waiting for the ${p.inFlight} in flight (Ctrl-C again aborts them)` : ''}`,
  'token.batch.fromTerminal':
    'reading requests from the terminal, one JSON object per line; end with Ctrl-D (Ctrl-C stops), or pipe a file in: --batch - < requests.jsonl',
  'token.batch.empty': (p: { batch: string }) =>
    `--batch ${p.batch}: no request to send: the input ${p.batch === '-' ? '(standard input) ' : ''}was empty or held only blank lines, so nothing was sent; give one JSON object per line, such as {"open_id":"oUser1","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}`,
  'token.batch.folder': (p: { batch: string }) => `--batch ${p.batch} is a folder; pass a JSON Lines file`,
  'token.batch.lineWarning': (p: { line: number; message: string }) => `line ${p.line}: ${p.message}`,
  'token.batch.minutes': (p: { minutes: number; seconds: number }) => `${p.minutes}m ${p.seconds}s`,
  'token.batch.seconds': (p: { seconds: string }) => `${p.seconds} s`,
  'token.batch.progress': (p: { done: string; failed: number; inFlight: number; perSecond: string; eta: string | undefined }) =>
    `${p.done} done, ${p.failed} failed, ${p.inFlight} in flight, ${p.perSecond}/s${p.eta !== undefined ? `, ETA ${p.eta}` : ''}`,
  'token.batch.summary': (p: { lines: number; tokens: number; failed: number; duration: string; perSecond: string }) =>
    `batch: ${p.lines} line${p.lines === 1 ? '' : 's'}, ${p.tokens} token${p.tokens === 1 ? '' : 's'}, ` +
    `${p.failed} failed in ${p.duration} (${p.perSecond}/s)`,
  'token.batch.peak': (p: { mib: number }) => `; peak RSS ${p.mib} MiB`,
  'token.batch.cpu': (p: { seconds: string; perLine: string }) => `; CPU ${p.seconds} s (${p.perLine} ms a line)`,
  'token.batch.interrupted': '; interrupted: lines after the last one written were not started',
  'token.batch.outputFailed': (p: { message: string; lost: string }) => `${p.message}; stopped, nothing new was started. ${p.lost}`,
  'token.batch.lost': (p: { written: number; lines: number; first: number; last: number; tokens: number }) => {
    const range = p.first === p.last ? `line ${p.first}` : `lines ${p.first}\u2013${p.last}`;
    const errors = p.lines - p.tokens;
    return (
      `${p.written} line${p.written === 1 ? ' was' : 's were'} written; ${p.lines} more could not be (${range} of the input): ` +
      (p.tokens > 0
        ? `${p.tokens} answered with a token, which ${p.tokens === 1 ? 'is' : 'are'} lost (WeChat Pay issued ${p.tokens === 1 ? 'it' : 'them'}; ` +
          `request ${p.tokens === 1 ? 'it' : 'them'} again), and ${errors} error line${errors === 1 ? '' : 's'}`
        : `all ${p.lines} error line${p.lines === 1 ? '' : 's'}, no token lost`)
    );
  },
} satisfies Record<string, Message>;
