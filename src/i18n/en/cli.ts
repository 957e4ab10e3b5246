/** English messages of the cli area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

/** Where a conflicting option's value came from, as commander reports it. */
export interface OptionSource {
  /** `option` (`name` is its flags, `-q, --quiet`) or `env` (`name` is the environment variable). */
  kind: 'option' | 'env';
  name: string;
}

/** Why commander rejected a value: not one of the choices, or another reason (its own words). */
export type InvalidReason = { choices: readonly string[] } | { text: string };

const didYouMean = (suggestions: readonly string[]): string =>
  suggestions.length > 1
    ? ` (Did you mean one of ${suggestions.join(', ')}?)`
    : suggestions.length === 1
      ? ` (Did you mean ${String(suggestions[0])}?)`
      : '';
const reasonText = (reason: InvalidReason): string =>
  'choices' in reason ? `Allowed choices are ${reason.choices.join(', ')}` : reason.text;
const source = (option: OptionSource): string =>
  option.kind === 'env' ? `environment variable '${option.name}'` : `option '${option.name}'`;

export const cli = {
  'cli.option.lang': 'language of messages and help: en or zh-CN (env: WXPAY_LANG, then LC_ALL, LC_MESSAGES, LANG)',
  'cli.lang.unsupported': (p: { source: string; value: string | undefined }) =>
    `${p.source}${p.value === undefined ? '' : ` '${p.value}'`} is not a language this tool speaks; choose en or zh-CN`,

  'cli.workingFolderGone':
    'the working folder no longer exists (it was deleted or moved after this shell went into it), so no config can be searched for and no relative path resolved; cd to a folder that exists and run the command again',

  // The root program and its global options.
  'cli.root.description':
    'Pre-order WeChat Pay travel-coupon card-switch tokens (POST /v3/industry-coupon/tokens): signed with your merchant key, verified against WeChat Pay\u2019s key.',
  'cli.option.version': 'print the version',
  'cli.option.help': 'show help',
  'cli.option.config': 'load exactly this config file (env: WXPAY_CONFIG)',
  'cli.option.noColor': 'no colour, even on a terminal (also: NO_COLOR)',
  'cli.option.verbose': 'show what was sent and received on stderr (never a secret)',
  'cli.option.dryRun': 'build and sign the request, print it, send nothing',

  // Commander's help layout.
  'cli.help.usage': 'Usage:',
  'cli.help.options': 'Options:',
  'cli.help.commands': 'Commands:',
  'cli.help.arguments': 'Arguments:',
  'cli.help.globalOptions': 'Global Options:',
  'cli.help.helpCommand': 'display help for command',
  'cli.help.choices': (p: { choices: string }) => `choices: ${p.choices}`,
  'cli.help.default': (p: { value: string }) => `default: ${p.value}`,
  'cli.help.preset': (p: { value: string }) => `preset: ${p.value}`,
  'cli.help.env': (p: { name: string }) => `env: ${p.name}`,
  /** A description followed by what commander adds to it: "address to listen on (default: "127.0.0.1")". */
  'cli.help.described': (p: { description: string; extra: readonly string[] }) =>
    p.description ? `${p.description} (${p.extra.join(', ')})` : `(${p.extra.join(', ')})`,
  'cli.help.examples': 'Examples:',
  'cli.help.exitCodes': 'Exit codes:',

  // Commands.
  'cli.token.description': 'pre-order a card-switch token for one user and one stock',
  'cli.token.openId': "the user's openid under your AppID",
  'cli.token.coupon': 'a coupon the user received; repeat for several (one stock per request)',
  'cli.token.json': 'print one JSON line: {"token", "expires_time", "request_id", "launch": {"app_id", "path"}}',
  'cli.token.quiet': 'print only the token',
  'cli.token.sandbox': 'ignore the config and run against a local in-process sandbox',
  'cli.token.batch': 'read requests as JSON Lines ({"open_id","coupon_list"}) from a file or - (stdin); write JSON Lines in input order',
  'cli.sandbox.description': 'serve a local WeChat Pay emulator and write a ready config for it',
  'cli.sandbox.host': 'address to listen on',
  'cli.sandbox.port': 'port to listen on; 0 picks a free one',
  'cli.sandbox.dir': 'write .wxpayrc.json and PEM files here (default: a new temp folder, removed when it stops)',
  'cli.sandbox.mode': 'which key WeChat Pay signs with',
  'cli.sandbox.json': 'print one JSON line with base_url, dir and config',
  'cli.sandbox.fault': (p: { faults: string }) => `inject a fault, for the first count requests or all; repeatable: ${p.faults}`,
  'cli.certs.description': 'download WeChat Pay platform certificates, list the verification keys configured',
  'cli.certs.download.description': 'GET /v3/certificates: decrypt with apiv3Key, verify, write wechatpay_<serial>.pem files',
  'cli.certs.download.out':
    'write the certificate files into this folder, made if missing; checked before anything is fetched (default: the working directory)',
  'cli.certs.download.json': 'print one JSON line with the certificates and the config lines to add',
  'cli.certs.list.description': 'list the WeChat Pay public keys and certificates the config holds, with expiry warnings',
  'cli.certs.list.json': 'print one JSON line: {"keys":[{kind, serial, source, not_after, status, warning}]}',
  'cli.doctor.description': 'check the configured credentials; with --online, prove WeChat Pay accepts them',
  'cli.doctor.online': 'make one signed read-only call (GET /v3/certificates)',
  'cli.doctor.json': 'print one JSON line: {"ok", "checks":[{"name","ok","message"}]}',
  'cli.api.description': 'send any signed APIv3 request and print the answer once its signature is verified',
  'cli.api.method': 'GET, POST, PUT, PATCH or DELETE (any case)',
  'cli.api.path': 'path and query, signed and sent exactly as written: /v3/… (or the configured origin followed by it)',
  'cli.api.data': 'the JSON body, sent byte for byte: the text itself, @file, or - for standard input',
  'cli.api.header': 'add a request header; repeatable (never Authorization, Content-Type, Host or the signature headers)',
  'cli.api.json': 'print one JSON line: {"status","request_id","body"} (body with every number\u2019s digits as received)',
  'cli.notify.description': 'verify and decrypt a WeChat Pay callback notification, or send one to your own handler',
  'cli.notify.verify.description':
    'check a notification as your handler received it (headers, timestamp, serial, signature over the raw body), then decrypt it',
  'cli.notify.verify.file': 'the raw HTTP request (request line, headers, blank line, body) from a file or - (standard input)',
  'cli.notify.verify.body': 'the body alone, exactly as received; give the headers with --header',
  'cli.notify.verify.header': 'with --body: a header as received (Wechatpay-Timestamp, -Nonce, -Signature, -Serial); repeatable',
  'cli.notify.verify.now': 'check the timestamp against this time instead of the clock (a notification captured earlier)',
  'cli.notify.verify.json':
    'print one JSON line: {"id","create_time","event_type","resource_type","summary","resource"} (every number\u2019s digits kept)',
  'cli.notify.verify.verbose': 'show each check and the key that verified it on stderr (never a secret)',
  'cli.notify.send.description':
    'POST a notification built as WeChat Pay would (sandbox keys: encrypted, signed) to your handler, and show its answer',
  'cli.notify.send.to': 'your callback handler: https://…, or http:// on loopback',
  'cli.notify.send.sandboxDir': 'the folder `wxpay-coupon sandbox --dir` wrote (default: the working directory)',
  'cli.notify.send.eventType': 'the event_type (default COUPON.USE, with a sample coupon-use resource)',
  'cli.notify.send.resource': 'the resource to encrypt, sent byte for byte: JSON text, @file, or - for standard input',
  'cli.notify.send.timeout': 'wait at most this long for the handler\u2019s answer (default 10000)',
  'cli.notify.send.json': 'print one JSON line: {"status","id","event_type","body"}',
  'cli.notify.send.verbose': 'show the notification sent on stderr (never a secret)',

  // The comments of the examples (the command lines themselves are in src/cli/messages.ts).
  'cli.example.sandboxRetries': "test your script's retries",
  'cli.example.notifyCapture': 'capture one notification (or dump the raw request in your handler)',

  // Exit-code tables (the heading is cli.help.exitCodes).
  'cli.exitCodes.token': `  0    token printed (or dry run shown)
  1    api           WeChat Pay answered with an error (code, message, Request-ID shown)
  2    usage         bad flags or bad input; nothing was sent
  3    config        no config, a missing key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  a 2xx answer that cannot be trusted (signature, serial, timestamp, body)
  6    batch         --batch finished and some lines failed (each failed line has its error)
  74   output        stdout could not be written (full disk, bad descriptor, I/O error)
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.doctor': `  0    every check passed
  1    WeChat Pay rejected the signed call (--online), e.g. 401 SIGN_ERROR
  2    bad flags
  3    a configuration check failed
  4    --online: no answer (refused, DNS, TLS, timeout)
  5    --online: the answer could not be verified (an unsigned 404 RESOURCE_NOT_EXISTS included)
  70   a bug in wxpay-coupon; please report it
  130  Ctrl-C`,
  'cli.exitCodes.certsDownload': `  0    certificates downloaded, verified and written
  1    api           WeChat Pay answered with an error (404 RESOURCE_NOT_EXISTS: a public-key merchant)
  2    usage         bad flags, e.g. an --out that is not a writable folder; nothing was sent
  3    config        no config, a missing key or apiv3Key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  the answer or a certificate in it cannot be trusted or decrypted
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.certsList': `  0    the keys are listed (expiry warnings go to stderr and do not change it)
  2    bad flags
  3    no config, or a key or certificate file that cannot be read
  70   a bug in wxpay-coupon; please report it`,
  'cli.exitCodes.sandbox': `  0    stopped with Ctrl-C (or SIGTERM)
  2    bad flags, or it cannot listen on --host/--port
  70   a bug in wxpay-coupon; please report it`,
  'cli.exitCodes.api': `  0    the verified answer printed (nothing for an empty answer such as 204), or dry run shown
  1    api           WeChat Pay answered with an error (code, message, Request-ID shown)
  2    usage         bad method, path, --data or --header; nothing was sent
  3    config        no config, a missing key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  a 2xx answer that cannot be trusted; nothing on stdout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.notifyVerify': `  0    verified and decrypted; the resource printed
  2    usage         not an HTTP request, no JSON body, not a notification's shape, bad flags
  3    config        no apiv3Key, or no WeChat Pay public key or platform certificate configured
  5    verification  untrustworthy: a missing header, a stale timestamp, an unknown serial, a bad or probe
                     signature, a resource that does not decrypt; nothing on stdout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C (or SIGTERM) while reading the input`,
  'cli.exitCodes.notifySend': `  0    your handler answered 2xx
  1    api           your handler answered something else (its status and body shown): WeChat Pay would retry
  2    usage         bad --to, --event-type, --resource or --timeout; nothing was sent
  3    config        the --sandbox-dir folder holds no sandbox keys (run wxpay-coupon sandbox --dir <folder>)
  4    network       your handler did not answer: refused, reset, or no answer within --timeout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`,

  // Usage errors: commander's own, rendered from its code and the values it names.
  'cli.help.runsNothing': "help shows help and runs nothing: give it only command names, like 'wxpay-coupon help certs download'",
  'cli.typographicDash': (p: { arg: string; flag: string }) =>
    `${p.arg} starts with a typographic dash, not two hyphens (an editor or chat app turns -- into – or —); type ${p.flag}`,
  'cli.flagRepeated': (p: { flag: string; count: number }) =>
    `${p.flag} is given ${p.count} times, and only one can be used; give it once${p.flag === '--open-id' ? ' (a token is for one user: for several, use --batch)' : ''}`,
  'cli.flagBeforeCommand': (p: { flag: string; commandPath: string }) =>
    `${p.flag} is an option of '${p.commandPath}', so it goes after the command: ${p.commandPath} ${p.flag} …`,
  'cli.usage.hint': (p: { message: string; commandPath: string }) => `${p.message}; run '${p.commandPath} --help' for usage`,
  'cli.commander.unknownOption': (p: { flag: string; suggestions: readonly string[] }) =>
    `unknown option '${p.flag}'${didYouMean(p.suggestions)}`,
  'cli.help.extraWords': (p: { commandPath: string }) =>
    `help takes a command and nothing after it; for this command's help run '${p.commandPath} --help' (or 'wxpay-coupon help ${p.commandPath.replace(/^wxpay-coupon ?/, '')}')`,
  'cli.fullWidthSpace': (p: { flag: string }) =>
    `: it holds a full-width space (U+3000, from a Chinese input method) after ${p.flag}; type an ASCII space there`,
  'cli.fullWidthEquals': (p: { flag: string; character: string }) =>
    `: ${p.flag} is followed by a full-width ${p.character} (from a Chinese input method); write ${p.flag}=value with an ASCII = or ${p.flag} value with a space`,
  'cli.fullWidthFlag': (p: { flag: string }) =>
    `; it is typed in full-width letters (a Chinese input method's full-width mode): type ${p.flag}`,
  'cli.singleDash': (p: { flag: string }) => `; a long option starts with two hyphens: ${p.flag}`,
  'cli.fullWidthSpaceAfter': (p: { word: string }) =>
    `; an argument holds a full-width space (U+3000, from a Chinese input method) after ${p.word}; type an ASCII space there`,
  'cli.fullWidthSpaceBefore': (p: { flag: string }) =>
    `an argument holds a full-width space (U+3000, from a Chinese input method) before ${p.flag}, so the shell passed them as one argument; type an ASCII space there`,
  'cli.token.noArguments':
    '; token takes no arguments: the openid goes after --open-id, like wxpay-coupon token --open-id oUser --coupon 16474341:11004999626',
  'cli.commander.unknownCommand': (p: { name: string; suggestions: readonly string[] }) =>
    `unknown command '${p.name}'${didYouMean(p.suggestions)}`,
  'cli.commander.missingArgument': (p: { name: string }) => `missing required argument '${p.name}'`,
  'cli.commander.optionMissingArgument': (p: { flags: string }) => `option '${p.flags}' argument missing`,
  'cli.commander.missingMandatoryOptionValue': (p: { flags: string }) => `required option '${p.flags}' not specified`,
  'cli.commander.conflictingOption': (p: { option: OptionSource; other: OptionSource }) =>
    `${source(p.option)} cannot be used with ${source(p.other)}`,
  'cli.commander.invalidOptionArgument': (p: { flags: string; value: string; reason: InvalidReason }) =>
    `option '${p.flags}' argument '${p.value}' is invalid. ${reasonText(p.reason)}`,
  'cli.commander.invalidEnvArgument': (p: { flags: string; value: string; env: string; reason: InvalidReason }) =>
    `option '${p.flags}' value '${p.value}' from env '${p.env}' is invalid. ${reasonText(p.reason)}`,
  'cli.commander.invalidCommandArgument': (p: { value: string; name: string; reason: InvalidReason }) =>
    `command-argument value '${p.value}' is invalid for argument '${p.name}'. ${reasonText(p.reason)}`,
  'cli.commander.excessArguments': (p: { command: string | undefined; expected: number; got: number }) =>
    `too many arguments${p.command === undefined ? '' : ` for '${p.command}'`}. Expected ${p.expected} argument${p.expected === 1 ? '' : 's'} but got ${p.got}`,
  /** `--open-id --json`; `next` is quoted only when it is shaped like a flag (an argument may be a secret). */
  'cli.flagAsValue': (p: { option: string; next: string | undefined }) =>
    `${p.option} needs a value, but the next argument${p.next === undefined ? " starts with '-' like a flag" : `, ${p.next}, is a flag`} (an empty variable?); give ${p.option} a value, ` +
    `or write ${p.option}=<value> for a value that starts with '-'`,

  // Errors and warnings, as main() writes them.
  'cli.error.requestId': (p: { requestId: string }) => `Request-ID: ${p.requestId}  (quote it to WeChat Pay support)`,
  'cli.error.detail': (p: { detail: string }) => `detail: ${p.detail}`,
  'cli.error.internal': (p: { reason: string }) =>
    `internal error: ${p.reason}. This is a bug in wxpay-coupon; please report it with the command you ran ` +
    '(rerun with --verbose to include the stack trace).',
  'cli.warning.label': 'warning:',
  'cli.textCut': (p: { more: number }) => `… (${String(p.more)} more characters not shown)`,
  'cli.base64Hidden': (p: { length: number }) => `[${String(p.length)} characters of base64, shaped like a line of a key, not shown]`,
  'cli.keyShapeHidden': '[a value of 32 letters and digits, shaped like an APIv3 key, not shown]',
  'cli.pemHidden': (p: { length: number }) => `[PEM text, ${String(p.length)} characters, not shown]`,
  /** Between a label ("mchid", a check's name) and what is said of it. */
  'cli.labelSeparator': (p: { label: string }): string => (p.label.endsWith(':') ? ' ' : ': '),
  'cli.config.oneProblem': 'the configuration has a problem:',
  'cli.config.problems': (p: { count: number }) => `the configuration has ${p.count} problems:`,
  /** `reason` is the system's own words (Node's), `errno` its code (ENOSPC …) when known. */
  'cli.output.cannotWrite': (p: { output: string; reason: string; errno: string | undefined }) =>
    `cannot write to ${p.output}: ${p.reason}${p.errno ? ` (${p.errno})` : ''}`,
  'cli.output.writeFailed': 'the write failed',
  'cli.interrupted.beforeAnswer': 'interrupted (Ctrl-C or SIGTERM) before WeChat Pay answered; no token was printed',

  // The bin's own lines (bin/wxpay-coupon.cjs), after the "wxpay-coupon: " prefix.
  'cli.bin.interruptedAgain': 'interrupted again; stopping now',
  'cli.bin.internal': (p: { reason: string }) => `internal error: ${p.reason}. This is a bug in wxpay-coupon; please report it.`,
  'cli.bin.stoppedEarly':
    'internal error: the command stopped before it finished (nothing was left to wait for). This is a bug in wxpay-coupon; please report it with the command you ran.',
} satisfies Record<string, Message>;
