/** English messages of the config area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

/** A PEM label as English words it in a sentence: "PRIVATE KEY" is "private key". */
const lower = (label: string): string => label.toLowerCase();

export const config = {
  // The settings table's flag help (src/settings.ts), shown by --help.
  'config.help.baseUrl': 'send to this origin instead of the configured one (https, or http on loopback)',
  'config.help.timeout': (p: { fallback: number }) =>
    `bound each attempt to this many milliseconds (default: config timeout, else ${String(p.fallback)})`,
  'config.help.retries': (p: { fallback: number }) =>
    `retry network errors, 429 and 5xx up to n times (default: config retries, else ${String(p.fallback)})`,
  'config.help.proxy':
    'send through this HTTP(S) proxy (default: config proxy, else HTTPS_PROXY/HTTP_PROXY/NO_PROXY, which never apply to loopback)',
  'config.help.rate':
    'batch: requests started per second, retries included, a decimal like 50 or 0.5 (default: config rate, else no limit)',
  'config.help.concurrency': (p: { fallback: number }) => `batch: requests in flight at once (default ${String(p.fallback)})`,
  'config.help.profile': 'use this profile from the config file (env: WXPAY_PROFILE)',

  // What a missing required setting is.
  'config.required.mchid': 'the merchant id (商户号), digits',
  'config.required.serial': 'the serial of the merchant API certificate (商户API证书序列号)',
  'config.required.privateKey': 'the merchant API private key, apiclient_key.pem',
  'config.missing': (p: { key: string; what: string; env: string | undefined }) =>
    `is missing: ${p.what} (set "${p.key}" in the config file${p.env ? ` or ${p.env}` : ''})`,

  // The rules' wording: what a value must be, and examples.
  'config.rule.timeout': (p: { min: number; max: number }) => `a whole number of milliseconds from ${String(p.min)} to ${String(p.max)}`,
  'config.rule.retries': (p: { min: number; max: number }) => `a whole number of retries from ${String(p.min)} to ${String(p.max)}`,
  'config.rule.concurrency': (p: { min: number; max: number }) =>
    `a whole number of requests in flight from ${String(p.min)} to ${String(p.max)}`,
  'config.rule.rate': 'a decimal number of requests per second above 0 and at most 10000',
  'config.rule.proxy': 'a proxy URL',
  'config.rule.proxy.example': (p: { url: string }) => `${p.url} (no path)`,
  'config.value.fullWidthDigits': (p: { mended: string }) =>
    `; its digits are full-width (a Chinese input method's): type them in ASCII, ${p.mended}`,
  'config.rule.mustBe': (p: { expected: string; examples: readonly string[]; value: string }) =>
    `must be ${p.expected}, like ${p.examples.join(' or ')}, got ${p.value}`,
  'config.rule.isNot': (p: { expected: string; examples: readonly string[]; value: string }) =>
    `${p.value} is not ${p.expected}; write it like ${p.examples.join(' or ')}`,
  'config.flag.mustBe': (p: { flag: string; expected: string; examples: readonly string[]; value: string }) =>
    `${p.flag} ${p.value} must be ${p.expected}, like ${p.examples.map((example) => `${p.flag} ${example}`).join(' or ')}`,
  'config.flag.isNot': (p: { flag: string; expected: string; examples: readonly string[]; value: string }) =>
    `${p.flag} ${p.value} is not ${p.expected}; write it like ${p.examples.map((example) => `${p.flag} ${example}`).join(' or ')}`,

  // describeValue: how a message words a value.
  'config.value.null': 'null',
  'config.value.list': 'a list',
  'config.value.object': 'an object',
  'config.value.type': (p: { type: string }) => `a ${p.type}`,
  'config.value.typed': (p: { type: string; value: string }) => `the ${p.type} ${p.value}`,
  'config.value.size': (p: { length: number }) => `a value of ${String(p.length)} character${p.length === 1 ? '' : 's'}`,
  /** What doctor shows for a secret's or key material's value. */
  'config.value.set': 'set',

  // Finding and reading the config file.
  'config.file.notRun': (p: { file: string; reason: string }) => `${p.file} is not run: ${p.reason}`,
  'config.file.skipped': (p: { file: string; reason: string }) => `${p.file} skipped, not read: ${p.reason}`,
  'config.file.missing': (p: { file: string; cwd: string }) => `${p.file} does not exist; check the path (relative to ${p.cwd})`,
  'config.file.denied': (p: { file: string }) => `cannot read ${p.file}: permission denied`,
  'config.file.folder': (p: { file: string }) => `${p.file} is a folder; name the config file itself`,
  'config.file.unparsable': (p: { reason: string }) => `cannot be parsed: ${p.reason}`,
  'config.file.emptyPath': 'is empty; name a config file, or leave it out to search for one',
  'config.file.noConfiguration': (p: { file: string }) => `${p.file} holds no configuration`,
  'config.file.notRegular': 'is not a regular file (a pipe, device or socket); name a config file',
  'config.file.tooLarge': (p: { size: number; max: number }) =>
    `is ${String(p.size)} bytes; a config file may be at most ${String(p.max)} bytes (1 MiB)`,
  'config.file.grew': (p: { max: number }) => `grew above ${String(p.max)} bytes while being read`,
  'config.json.at': (p: { line: number; column: number; reason: string }) =>
    `invalid JSON at line ${String(p.line)}, column ${String(p.column)} (${p.reason})`,
  'config.json.invalid': 'invalid JSON',
  /** js-yaml's own reason (from the parser, in English), or none. */
  'config.file.fullWidth':
    '; the file holds full-width punctuation (： ， “ ” from a Chinese input method) outside comments, which YAML and JSON do not read as : , ": type them in ASCII',
  'config.file.yaml': (p: { reason: string | undefined }) => `cannot be parsed: ${p.reason ?? 'invalid YAML'}`,

  // Why a file found by the search (or any JS file) is not trusted.
  'config.untrusted.owner': (p: { uid: number }) => `it is owned by another user (uid ${String(p.uid)})`,
  'config.untrusted.writable': (p: { mode: string; file: string }) =>
    `group or others can write to it (mode ${p.mode}; chmod go-w ${p.file} if it is yours)`,
  'config.untrusted.folderOwner': (p: { folder: string; uid: number }) =>
    `its folder ${p.folder} is owned by another user (uid ${String(p.uid)})`,
  'config.untrusted.folderWritable': (p: { folder: string; mode: string }) =>
    `its folder ${p.folder} can be written by group or others without the sticky bit (mode ${p.mode})`,

  // A JS config that fails, never with its message (it may quote a secret).
  'config.js.threw': (p: { what: string; command: string }) =>
    `threw ${p.what === 'null' ? 'null' : p.what === 'object' ? 'an object' : `a ${p.what}`}, not an Error; run \`${p.command}\` to see it`,
  'config.js.failed': (p: {
    name: string | undefined;
    line: string | undefined;
    column: string | undefined;
    reading: boolean;
    command: string;
  }) =>
    `failed with ${p.name === undefined ? 'an error' : `${/^[AEIOU]/.test(p.name) ? 'an' : 'a'} ${p.name}`}${p.reading ? ' while its exported value was read' : ''}` +
    `${p.line === undefined ? '' : ` at line ${p.line}${p.column ? `, column ${p.column}` : ''}`} (its message is not shown: it may quote a secret); run \`${p.command}\` to see it`,
  'config.js.timeout': (p: { seconds: number }) =>
    `did not finish loading within ${String(p.seconds)} s (its code kept running, or a promise it exports, or a top-level await, never settled, ` +
    'or it exports a then, module.exports.then or export const then, that never calls back: export the config object itself)',
  'config.js.thenFailed': (p: { reason: string }) =>
    `exports something with a then (a Proxy, or an object with a then method), awaited like a promise, and that failed: ${p.reason}; export the config object itself`,
  'config.js.rejected': (p: { reason: string }) => `exports a promise that was rejected: ${p.reason}`,
  'config.js.exited': (p: { code: number }) =>
    `stopped before exporting a value (it called process.exit(), exit code ${String(p.code)}); a config file may only export its settings`,
  'config.js.thenExport':
    'exports a then (module.exports.then, or export const then), so import() takes the file for a promise and never reads its config; ' +
    'remove or rename then, and export the config object itself',
  'config.js.notData':
    'exports something that is not plain data (a function, a symbol …); a config file may export only strings, numbers, booleans, objects and arrays',
  'config.js.interrupted': 'interrupted (Ctrl-C or SIGTERM) while a JS config file was loading; nothing was sent',

  // The file's shape, keys and profiles.
  'config.shape.notObject': 'must hold an object of keys (mchid, serial, privateKey …)',
  'config.shape.noProfiles': (p: { profile: string; file: string }) => `profile "${p.profile}" not found: ${p.file} has no profiles`,
  'config.shape.profilesNotObject': 'must be an object of named profiles: { "prod": { … } }',
  'config.shape.profileNotFound': (p: { profile: string; file: string; available: readonly string[] }) =>
    `profile "${p.profile}" not found in ${p.file} (available: ${p.available.length > 0 ? p.available.join(', ') : 'none'})`,
  'config.shape.profileNotObject': 'must be an object of keys',
  'config.shape.profileWithoutFile': (p: { profile: string }) => `profile "${p.profile}" was asked for, but no config file was found`,
  'config.key.name': (p: { length: number }) => `(a key name of ${String(p.length)} characters)`,
  'config.key.unknown': (p: { match: string | undefined; keys: readonly string[] }) =>
    `unknown key${p.match ? `; did you mean "${p.match}"?` : `; known keys: ${p.keys.join(', ')}, profiles`}`,

  // Key material: a value that is neither PEM text nor a file, and key files.
  'config.pem.base64': (p: { label: string; length: number }) =>
    `is not PEM text and names no file: it looks like the base64 body of a PEM ${lower(p.label)} without the -----BEGIN ` +
    `and -----END lines around it (${String(p.length)} characters); give the whole PEM text, its "BEGIN ${p.label}" and "END ${p.label}" lines included, or the path of the .pem file`,
  'config.pem.damaged': (p: { length: number }) =>
    `is not PEM text and names no file: it looks like damaged PEM text, without a -----BEGIN line (${String(p.length)} characters); copy the PEM file's text again, or give its path`,
  'config.pem.lineBreaks': (p: { length: number }) =>
    `is neither PEM text (it has no -----BEGIN line) nor a file path (it has line breaks; ${String(p.length)} characters); give the PEM text of the key, or the path of its .pem file`,
  'config.pem.unreachable': (p: { length: number; baseDir: string }) =>
    `names a file that cannot be reached: a folder on its path denies access (${String(p.length)} characters, relative paths resolve against ${p.baseDir})`,
  'config.path.tilde': '; a path starting with ~ is not expanded inside quotes or in a config file: write it as $HOME/… or in full',
  'config.pem.noFile': (p: { length: number; baseDir: string }) =>
    `is not PEM text and no file is at the path it gives (${String(p.length)} characters; relative paths resolve against ${p.baseDir}); check the path, or give the PEM text itself`,
  'config.pem.kind': (p: { file: string; kind: 'folder' | 'fifo' | 'character' | 'block' | 'socket' | 'other' }) =>
    `${p.file} is ${
      {
        folder: 'a folder',
        fifo: 'a named pipe (FIFO)',
        character: 'a character device',
        block: 'a block device',
        socket: 'a socket',
        other: 'not a regular file',
      }[p.kind]
    }, not a PEM file; name the key or certificate file itself`,
  'config.pem.tooLarge': (p: { file: string; kib: number }) =>
    `${p.file} is larger than ${String(p.kib)} KiB, so it is not a key or certificate file (those are a few KB); name the .pem file itself`,
  'config.pem.denied': (p: { file: string }) => `file ${p.file} cannot be read: permission denied`,
  'config.pem.unreadable': (p: { file: string; code: string }) => `file ${p.file} cannot be read (${p.code})`,
  'config.pem.inline': (p: { problem: string }) => `the inline PEM ${p.problem}`,
  'config.pem.in': (p: { file: string; problem: string }) => `${p.file} ${p.problem}`,

  // What keys.ts finds wrong with PEM text (after "the inline PEM" or the file).
  'config.key.certificateNotPrivate': 'is a certificate, not a private key; use the apiclient_key.pem file from the merchant platform',
  'config.key.publicNotPrivate': 'is a public key, not a private key; use the apiclient_key.pem file',
  'config.key.encrypted': 'is encrypted with a passphrase; decrypt it once with `openssl pkey -in <file> -out <file>`',
  'config.key.unreadablePrivate': 'is not a readable PEM private key (truncated or damaged?)',
  'config.key.merchantCertificate.asPublicKey':
    "is your own merchant certificate (apiclient_cert.pem: its key is the public half of privateKey), not WeChat Pay's public key; " +
    'set publicKey to pub_key.pem, downloaded in the merchant platform under 账户中心 → API安全 → 微信支付公钥 (or put this file under merchantCertificate)',
  'config.key.merchantPublicKey':
    "is the public half of privateKey, your own merchant key, not WeChat Pay's public key; " +
    'set publicKey to pub_key.pem, downloaded in the merchant platform under 账户中心 → API安全 → 微信支付公钥',
  'config.key.merchantCertificate.asPlatform':
    'is your own merchant certificate (apiclient_cert.pem: its key is the public half of privateKey), not a WeChat Pay platform certificate; ' +
    "get the platform certificates with 'wxpay-coupon certs download' (or put this file under merchantCertificate)",
  'config.key.certificateNotPublic': 'is a certificate; put it under platformCertificates, not publicKey',
  'config.key.privateNotPublic': 'is a private key, not WeChat Pay\u2019s public key; use pub_key.pem from the merchant platform',
  'config.key.unreadablePublic': 'is not a readable PEM public key (truncated or damaged?)',
  'config.key.notCertificate': (p: { label: string }) => `is a ${lower(p.label)}, not a certificate`,
  'config.key.notPemCertificate': 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
  'config.key.unreadableCertificate': 'is not a readable certificate (truncated or damaged?)',
  'config.key.notRsa': (p: { type: string; what: 'private' | 'public' | 'certificate'; bits: number }) =>
    `is an ${p.type} ${{ private: 'private key', public: 'public key', certificate: 'certificate key' }[p.what]}; WeChat Pay APIv3 needs RSA (${String(p.bits)} bits or more)`,
  'config.key.short': (p: { bits: number; what: 'private' | 'public' | 'certificate'; min: number }) =>
    `is a ${String(p.bits)}-bit RSA ${{ private: 'private key', public: 'public key', certificate: 'certificate key' }[p.what]}; WeChat Pay APIv3 needs ${String(p.min)} bits or more`,

  // Each setting's check.
  'config.check.notString': (p: { value: string }) => `must be a string, got ${p.value}`,
  'config.check.empty': 'is empty',
  'config.mchid.notMchid': (p: { value: string }) => `must be a merchant id, digits like 1900000001, got ${p.value}`,
  'config.mchid.unsafe': 'is a number too large to be read exactly, so its digits are already lost; quote it: "mchid": "1900000001"',
  'config.mchid.digits': (p: { value: string }) => `${p.value} is not a merchant id; it is digits only, like 1900000001`,
  'config.serial.number': (p: { quoted: string }) =>
    `is a number, but a certificate serial is hex text, and as a number it loses leading zeros and digits; quote it: ${p.quoted}`,
  'config.serial.hex': (p: { value: string }) =>
    `${p.value} is not a certificate serial; it is hex, like 5F1C72E2A8931B72A2E13AF8DEE92471EB397115 (openssl x509 -noout -serial -in apiclient_cert.pem)`,
  'config.publicKeyId.invalid': (p: { value: string }) =>
    `${p.value} is not a WeChat Pay public key id; it looks like PUB_KEY_ID_0114232134912410000000000000`,
  'config.certificates.notList': (p: { value: string }) => `must be a list of certificate files or PEM texts, got ${p.value}`,
  'config.certificates.item': (p: { value: string }) => `must be a certificate file path or PEM text, got ${p.value}`,
  'config.apiv3Key.length': (p: { bytes: number }) =>
    `must be exactly 32 bytes (got ${String(p.bytes)}); copy the APIv3 key (APIv3密钥) again from the merchant platform`,
  'config.url.notUrlPlain': 'is not a URL',
  'config.cross.publicKeyMissing': 'is set but publicKey is not; add the WeChat Pay public key (pub_key.pem) it names',
  'config.cross.publicKeyIdMissing':
    'is set but publicKeyId is not; add the public key id shown next to it in the merchant platform (PUB_KEY_ID_…)',
  'config.cross.noVerificationKey':
    'no WeChat Pay verification key is configured, so answers cannot be verified; set publicKeyId + publicKey ' +
    '(WeChat Pay public key, 微信支付公钥) or platformCertificates (平台证书)',
  'config.env.unknown': (p: { name: string; match: string | undefined }) =>
    `${p.name} is not a variable wxpay-coupon reads, so it is ignored${p.match ? `; did you mean ${p.match}?` : ''}`,
  'config.none.summary': 'no configuration found:',
  'config.none.label': 'configuration',
  'config.none.message': (p: { cwd: string; places: readonly string[]; skipped: boolean; sandboxFlag: boolean }) =>
    `${p.skipped ? 'no usable config file' : 'no config file'} found ` +
    `(searched ${p.cwd} and its parents for ${p.places.join(', ')}, then ~/.config/wxpay/` +
    `${p.skipped ? '; the file skipped above was not read' : ''}), ` +
    'and none of WXPAY_MCHID, WXPAY_SERIAL and WXPAY_PRIVATE_KEY is set. Copy .wxpayrc.example to .wxpayrc.yaml and fill it in, pass --config <file>, ' +
    'set WXPAY_MCHID, WXPAY_SERIAL, WXPAY_PRIVATE_KEY and WXPAY_PUBLIC_KEY_ID + WXPAY_PUBLIC_KEY, ' +
    (p.sandboxFlag
      ? 'or try the local sandbox with --sandbox'
      : 'or try the local sandbox: run wxpay-coupon sandbox, and this command in the folder it names'),
  'config.secretFile.readable': (p: { file: string; others: boolean; mode: string }) =>
    `${p.file} holds a secret but is readable by ${p.others ? 'others' : 'its group'} (mode ${p.mode}); run: chmod 600 ${p.file}`,

  // URL rules (src/urls.ts): `subject` is the flag or setting and its value as shown.
  'config.url.notUrl': (p: { subject: string }) => `${p.subject} is not a URL; write it like https://api.mch.weixin.qq.com`,
  'config.url.scheme': (p: { subject: string }) => `${p.subject} must start with https://`,
  'config.url.insecure': (p: { subject: string }) =>
    `${p.subject} uses plain http to a host that is not loopback; signed requests and tokens must not cross a ` +
    'network unencrypted, so use https:// (plain http is allowed only for 127.0.0.1, ::1 and localhost)',
  'config.url.originOnly': (p: { subject: string }) => `${p.subject} must be an origin only, like https://api.mch.weixin.qq.com`,
  'config.callback.notUrl': (p: { subject: string }) => `${p.subject} is not a URL; write it like http://127.0.0.1:8080/wxpay/notify`,
  'config.callback.scheme': (p: { subject: string }) => `${p.subject} must start with https:// (or http:// on loopback)`,
  'config.callback.insecure': (p: { subject: string }) =>
    `${p.subject} uses plain http to a host that is not loopback; a notification must not cross a network ` +
    'unencrypted, so use https:// (plain http is allowed only for 127.0.0.1, ::1 and localhost)',
  'config.callback.credentials': (p: { subject: string }) =>
    `${p.subject} carries a user name or password; WeChat Pay sends none to a callback URL, so leave it out`,
  'config.callback.fragment': (p: { subject: string }) => `${p.subject} has a #fragment, which is never sent; leave it out`,
} satisfies Record<string, Message>;
