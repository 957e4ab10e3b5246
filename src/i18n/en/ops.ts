/** English messages of the ops area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

type KeyKind = 'public-key' | 'certificate';

/** The folder a flag named: `--dir "sb" (/home/me/sb)`, the resolved folder left out when it is what was given. */
function folderNamed(flag: string, unnamed: string, given: string | undefined, folder: string): string {
  return `${given === undefined ? unnamed : `${flag} "${given}"`}${given === folder ? '' : ` (${folder})`}`;
}

export const ops = {
  // doctor: the names of the checks as a person reads them (the --json `name` keys stay English)
  'ops.doctor.name.config': 'config',
  'ops.doctor.name.configuration': 'configuration',
  'ops.doctor.name.mchid': 'mchid',
  'ops.doctor.name.serial': 'serial',
  'ops.doctor.name.privateKey': 'private key',
  'ops.doctor.name.privateKeyPermissions': 'private key file permissions',
  'ops.doctor.name.merchantCertificateSerial': 'merchant certificate serial',
  'ops.doctor.name.merchantCertificateKey': 'merchant certificate matches private key',
  'ops.doctor.name.verificationKey': 'verification key',
  'ops.doctor.name.certificate': (p: { serial: string }) => `certificate ${p.serial}`,
  'ops.doctor.name.settings': 'settings',
  'ops.doctor.name.online': 'online',
  // doctor: the checks' messages
  'ops.doctor.config': (p: { file: string | undefined; profile: string | undefined; environment: readonly string[] }) =>
    `${p.file ?? 'no config file (environment only)'}${p.profile ? `, profile ${p.profile}` : ''}` +
    (p.environment.length > 0 ? `; from environment: ${p.environment.join(', ')}` : ''),
  'ops.doctor.placeholder': (p: { key: string; value: string }) =>
    `${p.value} is the example config's placeholder, not yours: set ${p.key} to your own (the merchant platform shows it)`,
  'ops.doctor.valueFrom': (p: { value: string; source: string | undefined }) => `${p.value} (${p.source ?? 'unknown source'})`,
  'ops.doctor.privateKey': (p: { bits: number; source: string | undefined }) =>
    `RSA ${String(p.bits)} bits from ${p.source ?? 'unknown source'}`,
  'ops.doctor.permissions.ownerOnly': 'readable by its owner only',
  'ops.doctor.permissions.inline': 'inline PEM (no file)',
  'ops.doctor.merchantSerial.ok': (p: { serial: string }) => `${p.serial} matches serial`,
  'ops.doctor.merchantSerial.mismatch': (p: { certificateSerial: string; serial: string }) =>
    `the merchant certificate's serial is ${p.certificateSerial} but serial is ${p.serial}; set serial to ${p.certificateSerial} (a wrong serial causes SIGN_ERROR)`,
  'ops.doctor.merchantSerial.unjudged': (p: { source: string }) =>
    `not compared: the certificate in ${p.source} is not the private key's (see the next check), so its serial says nothing of serial`,
  'ops.doctor.merchantKey.ok': 'the private key belongs to the merchant certificate',
  'ops.doctor.merchantKey.mismatch': (p: { source: string }) =>
    `the private key does not belong to the certificate in ${p.source}; use the apiclient_key.pem issued with that apiclient_cert.pem (the most common cause of SIGN_ERROR)`,
  'ops.doctor.verificationKeys': (p: { keys: readonly { kind: KeyKind; serial: string }[] }) =>
    p.keys.map((key) => `${key.kind === 'public-key' ? 'public key' : 'certificate'} ${key.serial}`).join(', '),
  'ops.doctor.verificationKeys.none':
    "none configured, so answers cannot be verified; set publicKeyId + publicKey (微信支付公钥), or run 'wxpay-coupon certs download'",
  'ops.doctor.certificate.expiring': (p: { days: number; date: string }) =>
    `expires in ${String(p.days)} day${p.days === 1 ? '' : 's'} (${p.date}); run 'wxpay-coupon certs download' before then`,
  'ops.doctor.certificate.expired': (p: { date: string }) =>
    `expired at ${p.date}; run 'wxpay-coupon certs download' or move to a WeChat Pay public key`,
  'ops.doctor.certificate.notYetValid': (p: { from: string }) => `not valid before ${p.from}`,
  'ops.doctor.certificate.validUntil': (p: { date: string | undefined }) => `valid until ${p.date ?? 'an unknown date'}`,
  'ops.doctor.settings': (p: { items: readonly { key: string; value: string | undefined; source: string | undefined }[] }) =>
    // A secret's value is shown only as "set" (config.ts).
    p.items
      .map((item) => (item.value === undefined ? `${item.key} not set` : `${item.key} ${item.value} (${item.source ?? 'default'})`))
      .join(', '),
  'ops.doctor.online.ok': (p: { baseUrl: string; ms: number; requestId: string | undefined }) =>
    `${p.baseUrl} accepted the signed request and its answer verified (${String(p.ms)} ms round trip${p.requestId ? `, Request-ID ${p.requestId}` : ''})`,
  'ops.doctor.online.publicKeyMerchant': (p: { baseUrl: string; ms: number }) =>
    `${p.baseUrl} accepted the signed request and its answer verified (${String(p.ms)} ms round trip); 404 RESOURCE_NOT_EXISTS: this merchant uses a WeChat Pay public key, as expected`,
  'ops.doctor.online.verifiedError': (p: { baseUrl: string; ms: number; message: string }) =>
    `${p.baseUrl} accepted the signed request and its answer verified (${String(p.ms)} ms round trip); it answered 404 RESOURCE_NOT_EXISTS: ${p.message}`,
  // An unsigned 404 proves nothing (P27); the second line is the hint.
  'ops.doctor.online.unsigned': (p: { baseUrl: string; ms: number }) =>
    `${p.baseUrl} answered 404 RESOURCE_NOT_EXISTS (${String(p.ms)} ms round trip) without WeChat Pay's signature headers, so the credentials are not proven: anything on the way (a proxy, a wrong baseUrl) can send that answer\ncheck that baseUrl points at WeChat Pay and that no proxy strips the Wechatpay-* headers`,
  // After the verifier's message, when the answer that failed verification was an error answer (P27).
  'ops.doctor.online.skipped': 'not run: fix the problems above, then run doctor --online again',
  'ops.doctor.online.untrusted': (p: { status: number }) =>
    `so this ${String(p.status)} answer does not prove that WeChat Pay accepted the credentials`,
  'ops.doctor.offlineOnly': '(offline checks only; add --online to prove WeChat Pay accepts these credentials)',
  'ops.doctor.failed': (p: { count: number }) =>
    `doctor: ${String(p.count)} check${p.count === 1 ? '' : 's'} failed; each says how to fix it`,

  // certs download
  'ops.certs.out.isFile': 'is a file, or lies under a file',
  'ops.certs.out.notWritable': 'is not writable by this user',
  'ops.certs.out.readOnly': 'is on a read-only file system',
  'ops.certs.out.full': 'is on a full disk',
  'ops.certs.out.tooLong': 'is too long a path',
  'ops.certs.out.loop': 'goes through a symbolic link loop',
  'ops.certs.out.cannotMake': 'cannot be made: this file system does not take new folders there (/proc, say)',
  'ops.certs.out.other': (p: { reason: string }) => `cannot be written to (${p.reason})`,
  'ops.certs.out.invalid': (p: { given: string | undefined; folder: string; problem: string }) =>
    `${folderNamed('--out', 'the working directory', p.given, p.folder)} ${p.problem}; certificate files go into a folder, so give --out a folder you can write to; nothing was fetched`,
  'ops.certs.apiv3KeyMissing':
    'is missing: downloading platform certificates needs the APIv3 key (APIv3密钥) to decrypt them (set "apiv3Key" or WXPAY_APIV3_KEY)',
  'ops.certs.download.line': (p: { serial: string; effective: string; expires: string }) =>
    `${p.serial}  effective ${p.effective}  expires ${p.expires}`,
  'ops.certs.download.written': (p: { file: string }) => `  written to ${p.file}`,
  'ops.certs.download.addToConfig': 'Add to your config:',
  // certs list and the keys' standing
  'ops.certs.expired': (p: { serial: string; date: string }) =>
    `certificate ${p.serial} expired on ${p.date}; run 'wxpay-coupon certs download' or move to a WeChat Pay public key`,
  'ops.certs.notYetValid': (p: { serial: string; from: string }) => `certificate ${p.serial} is not valid before ${p.from}`,
  'ops.certs.expiring': (p: { serial: string; days: number; date: string }) =>
    `certificate ${p.serial} expires in ${String(p.days)} day${p.days === 1 ? '' : 's'} (${p.date}); run 'wxpay-coupon certs download'`,
  'ops.certs.list.none': 'No WeChat Pay verification key is configured.',
  // The two kinds are padded to one width (a CJK character is two columns).
  'ops.certs.list.kind': (p: { kind: KeyKind }): string => (p.kind === 'public-key' ? 'public key ' : 'certificate'),
  'ops.certs.list.expires': (p: { date: string }) => `expires ${p.date}`,
  'ops.certs.list.neverExpires': 'does not expire',
  'ops.certs.list.noKeyWarning': "answers cannot be verified; set publicKeyId + publicKey, or run 'wxpay-coupon certs download'",

  // certificates.ts: the platform certificates answer
  'ops.certificates.notJson': 'the certificates answer is not JSON',
  'ops.certificates.empty': 'the certificates answer lists no certificate',
  'ops.certificates.listingInvalid': (p: { index: number }) =>
    `certificate ${String(p.index)} in the answer lacks serial_no, effective_time, expire_time or encrypt_certificate`,
  'ops.certificates.decryptionFailed': (p: { serial: string; reason: string }) => `certificate ${p.serial}: ${p.reason}`,
  'ops.certificates.invalid': (p: { serial: string; reason: string }) => `certificate ${p.serial}: the decrypted data ${p.reason}`,
  'ops.certificates.serialMismatch': (p: { listed: string; actual: string }) =>
    `the certificate listed as ${p.listed} decrypts to serial ${p.actual}`,
  'ops.certificates.validityMismatch': (p: { serial: string; from: string; to: string; listedFrom: string; listedTo: string }) =>
    `certificate ${p.serial} is valid ${p.from} to ${p.to}, but is listed as ${p.listedFrom} to ${p.listedTo}`,
  'ops.certificates.publicKeyMerchant': (p: { status: number | undefined }) =>
    `WeChat Pay answered ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS: ` +
    'This merchant has no platform certificates: it uses a WeChat Pay public key instead (微信支付公钥). ' +
    'Download it in the merchant platform under 账户中心 → API安全 → 微信支付公钥, then set publicKeyId (PUB_KEY_ID_…) and publicKey in the config.',
  'ops.certificates.publicKeyConfigured': (p: { status: number | undefined; publicKeyId: string }) =>
    `WeChat Pay answered ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS, signed and verified: ` +
    `this merchant has no platform certificates: it uses the WeChat Pay public key (微信支付公钥) the config already holds, ` +
    `publicKeyId ${p.publicKeyId}, which every answer is verified with; there is nothing to download.`,
  // P27: an unsigned 404 proves nothing; anything on the way can send it.
  'ops.certificates.unsigned': (p: { baseUrl: string; status: number | undefined }) =>
    `${p.baseUrl} answered ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS without WeChat Pay's signature headers, ` +
    'so it is not proven to be WeChat Pay\u2019s answer: anything on the way (a proxy, a wrong baseUrl) can send it; ' +
    'check that baseUrl points at WeChat Pay and that no proxy strips the Wechatpay-* headers. (WeChat Pay answers so to a merchant ' +
    'that uses a WeChat Pay public key, 微信支付公钥, instead of platform certificates.)',
  'ops.certificates.downloadedSource': 'the downloaded certificate',

  // sandbox
  'ops.sandbox.invalidMode': (p: { mode: string }) => `--mode "${p.mode}" must be public-key or certificate`,
  'ops.sandbox.invalidPort': (p: { port: string }) => `--port "${p.port}" must be a port number from 0 to 65535 (0 picks a free one)`,
  'ops.sandbox.listenFailed': (p: { host: string; port: string; reason: string }) =>
    `cannot listen on ${p.host}:${p.port} (${p.reason}); pick another --port or --host`,
  'ops.sandbox.exposed': (p: { host: string }) =>
    `the sandbox serves plain HTTP with throwaway keys on ${p.host}; anyone who can reach it can use it`,
  'ops.sandbox.dirInvalid': (p: { given: string | undefined; folder: string; problem: string }) =>
    `${folderNamed('--dir', 'the temporary folder', p.given, p.folder)} ${p.problem}; the sandbox writes .wxpayrc.json and its keys into a folder, so give --dir a folder you can write to`,
  'ops.sandbox.dirNotOnlyYours': (p: { given: string | undefined; folder: string; distrusted: string; uid?: number; mode?: string }) =>
    `${folderNamed('--dir', 'the temporary folder', p.given, p.folder)} is not a folder only you can write to: ` +
    (p.uid !== undefined
      ? `${p.distrusted} is owned by another user (uid ${String(p.uid)})`
      : `${p.distrusted} can be written by group or others without the sticky bit (mode ${p.mode ?? ''})`) +
    "; the sandbox's keys could be read or swapped there, so give --dir a folder of your own; nothing was written",
  'ops.sandbox.dirForeignFile': (p: { given: string | undefined; folder: string; file: string; marker: string }) =>
    `${folderNamed('--dir', 'the temporary folder', p.given, p.folder)} holds a ${p.file} ` +
    `that no sandbox wrote (a sandbox's folder holds its ${p.marker}); the sandbox would replace it, so give --dir a new or empty folder, ` +
    'or the folder of an earlier sandbox; nothing was written',
  'ops.sandbox.dirHasConfig': (p: { given: string | undefined; folder: string; file: string }) =>
    `${folderNamed('--dir', 'the temporary folder', p.given, p.folder)} holds a config file of its own, ${p.file}; ` +
    "the config search reads one file per folder, so the sandbox's .wxpayrc.json would be read instead of it (or it instead of the sandbox's): " +
    'give --dir a new or empty folder; nothing was written',
  'ops.sandbox.dirInUse': (p: { given: string | undefined; folder: string; pid: number }) =>
    `${folderNamed('--dir', 'the temporary folder', p.given, p.folder)} is served by a sandbox that is still running (process ${String(p.pid)}); ` +
    'a second one would replace its keys and config under it: stop that one first (Ctrl-C, or kill ' +
    `${String(p.pid)}), or give --dir another folder; nothing was written`,
  'ops.sandbox.title': 'WeChat Pay sandbox',
  'ops.sandbox.at': (p: { title: string; mode: KeyKind; baseUrl: string }) => `${p.title} (${p.mode} mode) at ${p.baseUrl}`,
  'ops.sandbox.dir': (p: { dir: string }) => `config folder: ${p.dir}`,
  'ops.sandbox.try': 'try:',
  'ops.sandbox.serving': 'Serving until Ctrl-C. Keys here are sandbox-only; never use them with WeChat Pay.',
  'ops.sandbox.log.fault': (p: { fault: string }) => ` (fault: ${p.fault})`,
  'ops.sandbox.fault.label': 'fault:',
  'ops.sandbox.fault.line': (p: { label: string; name: string; description: string; count: number | undefined }) =>
    `${p.label} ${p.name} (${p.description}), ${p.count === undefined ? 'every request' : `first ${String(p.count)} request${p.count === 1 ? '' : 's'}`}`,
  'ops.fault.fullWidthColon': (p: { text: string; mended: string }) =>
    `"${p.text}" has a full-width colon (\uff1a); write an ASCII one: --fault ${p.mended}`,
  'ops.fault.notAFault': (p: { text: string; names: string }) =>
    `"${p.text}" is not a fault; use one of ${p.names}, optionally with :count (like 503:2)`,
  'ops.fault.badCount': (p: { text: string; name: string }) => `"${p.text}": the count must be a whole number from 1, like ${p.name}:2`,
  // The faults' descriptions (the log line, `sandbox --json`'s fault lines); the names stay as they are.
  'ops.fault.500': '500 SYSTEM_ERROR',
  'ops.fault.502': '502 SERVICE_UNAVAILABLE',
  'ops.fault.503': '503 SERVICE_UNAVAILABLE',
  'ops.fault.429': '429 RATELIMIT_EXCEEDED with Retry-After: 1',
  'ops.fault.reset': 'drop the connection in the middle of the answer',
  'ops.fault.hang': 'accept the request and never answer',
  'ops.fault.slowBody': 'drip the answer one byte every 100 ms',
  'ops.fault.badSignature': 'sign with garbage',
  'ops.fault.tamperedBody': 'sign one body, send another',
  'ops.fault.unknownSerial': 'announce a key serial the client does not hold',
  'ops.fault.staleTimestamp': 'sign with a timestamp 10 minutes old',
  'ops.fault.missingHeaders': 'leave out Wechatpay-Signature and Wechatpay-Serial',
  'ops.fault.probeSignature': 'send a WECHATPAY/SIGNTEST/ probe signature',
  'ops.fault.notJson': 'a correctly signed body that is not JSON',
  'ops.fault.noToken': 'a correctly signed 200 without a token',
  'ops.fault.hugeBody': 'a 2 MiB body',
  'ops.fault.expiredToken': 'a correctly signed token whose expires_time was an hour ago',
  'ops.fault.oddToken': 'a correctly signed token holding a line break and an escape sequence',
  'ops.fault.longToken': 'a correctly signed token of 100 characters, over the launch page\u2019s 64',
  'ops.fault.noContent': 'a correctly signed 204 with an empty body instead of a 2xx answer',
} satisfies Record<string, Message>;
