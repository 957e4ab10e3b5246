/** English messages of the notify area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const notify = {
  // notify verify: the input (src/cli/commands/notify.ts)
  'notify.input.tooLarge': (p: { flag: string; max: number }) =>
    `${p.flag} is larger than ${p.max} bytes; a notification is a few KB, so this is not one`,
  'notify.input.noStdin': (p: { flag: string }) => `${p.flag}: standard input is not available`,
  'notify.input.missing': (p: { named: string }) => `${p.named}: no such file; pass the captured request's file, or - for standard input`,
  'notify.input.folder': (p: { named: string }) => `${p.named} is a folder; pass a file`,
  'notify.input.interrupted': 'interrupted (Ctrl-C or SIGTERM) while reading the input; nothing was verified',
  'notify.input.unreadable': (p: { named: string; code: string | undefined }) => `${p.named} cannot be read (${p.code ?? 'error'})`,
  'notify.input.stdin': 'standard input',
  'notify.now.invalid': (p: { value: string }) =>
    `--now "${p.value}" is not a time; write Unix seconds (1764408393) or RFC 3339 with a zone (2026-11-29T17:26:33+08:00)`,
  'notify.header.shape': `--header must look like 'Name: value', like --header 'Wechatpay-Serial: PUB_KEY_ID_…'`,
  'notify.key.publicKey': (p: { serial: string; source: string }) => `WeChat Pay public key ${p.serial} (${p.source})`,
  'notify.key.certificate': (p: { serial: string; source: string }) => `platform certificate ${p.serial} (${p.source})`,
  'notify.now.warning': (p: { value: string; iso: string }) =>
    `the timestamp is checked against --now ${p.value} (${p.iso}), not this machine's clock`,
  'notify.verify.both': 'pass either the raw request ([file|-]) or --body <file> with --header, not both',
  'notify.verify.nothing':
    'nothing to verify: pass the captured request as a file (or - for standard input), or the body with --body <file> and each Wechatpay-* header with --header',
  'notify.verify.headerWithoutBody': '--header goes with --body; a raw request carries its own headers',
  'notify.config.noApiv3Key':
    'is missing: a notification\u2019s resource is encrypted with the APIv3 key (APIv3密钥); set "apiv3Key" or WXPAY_APIV3_KEY',
  'notify.config.noVerificationKey':
    'no WeChat Pay verification key is configured, so a notification cannot be verified; set publicKeyId + publicKey ' +
    '(WeChat Pay public key, 微信支付公钥) or platformCertificates (平台证书)',
  // notify verify --verbose
  'notify.verbose.request': (p: { method: string; target: string }) => `request: ${p.method} ${p.target}`,
  'notify.verbose.body': (p: { bytes: number }) => `body: ${p.bytes} bytes, verified as received`,
  'notify.verbose.headers': (p: { names: string }) => `headers: ${p.names}`,
  'notify.verbose.noHeader': 'no Wechatpay-* header',
  'notify.verbose.present': 'check: Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature, Wechatpay-Serial present',
  'notify.verbose.timestamp': (p: { timestamp: number; skew: number; fromNowFlag: boolean }) =>
    `check: timestamp ${p.timestamp} is ${p.skew} s from ${p.fromNowFlag ? '--now' : 'this machine\u2019s clock'} (at most 300 s)`,
  'notify.verbose.serial': (p: { serial: string }) => `check: serial ${p.serial} is configured`,
  'notify.verbose.signature': (p: { key: string }) => `check: signature verified with ${p.key}`,
  'notify.verbose.resource': (p: { algorithm: string; associatedData: string }) =>
    `check: resource decrypted with apiv3Key (${p.algorithm}, associated_data "${p.associatedData}")`,
  'notify.verbose.notification': (p: { id: string; eventType: string; createTime: string }) =>
    `notification ${p.id}: ${p.eventType}, created ${p.createTime}`,
  // notify send
  'notify.verbose.sentBody': (p: { body: string }) => `body: ${p.body}`,
  'notify.handler.timeout': (p: { url: string; ms: number }) =>
    `your handler at ${p.url} did not answer within ${p.ms} ms (--timeout); WeChat Pay would count this delivery as failed and retry`,
  'notify.handler.interrupted': 'interrupted (Ctrl-C or SIGTERM) before the handler answered',
  'notify.handler.unreachable': (p: { url: string; reason: string }) =>
    `cannot reach your handler at ${p.url} (${p.reason}); is it running and listening there?`,
  'notify.handler.brokeOff': (p: { url: string; reason: string }) => `your handler at ${p.url} broke off its answer (${p.reason})`,
  'notify.handler.status': (p: { url: string; status: number }) =>
    `your handler at ${p.url} answered ${p.status}, not 2xx: WeChat Pay would count this delivery as failed and send it again later ` +
    '(a handler answers 200 or 204 once it has verified and stored the notification)',
  'notify.send.missingTo': 'missing --to <url>: the URL of your callback handler, like --to http://127.0.0.1:8080/wxpay/notify',
  'notify.send.eventType': (p: { value: string }) =>
    `--event-type "${p.value}" is not an event type; they look like COUPON.USE or TRANSACTION.SUCCESS`,
  'notify.send.configFlags':
    'notify send signs with the sandbox folder\u2019s keys only; leave out --config and --profile and pass --sandbox-dir <folder>',
  'notify.sandbox.not': (p: { dir: string; what: string; given: boolean }) =>
    `${p.dir} ${p.what}; notify send signs with the keys \`wxpay-coupon sandbox --dir <folder>\` writes there ` +
    (p.given ? '(run the sandbox once with that folder)' : '(run the sandbox once with this folder, or pass --sandbox-dir <folder>)'),
  'notify.sandbox.noConfig': 'holds no .wxpayrc.json',
  'notify.sandbox.noKey': (p: { file: string }) => `holds no ${p.file} (a folder written before notify existed, or not by the sandbox)`,
  'notify.sandbox.noApiv3Key': 'has a .wxpayrc.json without apiv3Key (written before notify existed)',
  'notify.sandbox.notPrivateKey': (p: { file: string }) => `holds a ${p.file} that is not a private key`,
  'notify.sandbox.noMatch': 'has a signing key that matches none of the public keys or certificates in its .wxpayrc.json',
  'notify.send.status': (p: { status: number }) => `status ${p.status}`,
  'notify.send.notUtf8': (p: { bytes: number }) => `(${p.bytes} bytes, not UTF-8)`,
  'notify.send.truncated': (p: { max: number }) => `(the answer is longer; only the first ${p.max} bytes are shown)`,
  'notify.send.sent': (p: { eventType: string; id: string; url: string }) =>
    `sent ${p.eventType} notification ${p.id} to ${p.url} (sandbox keys)`,
  // The protocol (src/notify.ts)
  'notify.wording.subject': 'the notification',
  'notify.wording.missingHint':
    'a notification without all four Wechatpay-* headers cannot be verified (capture the request with its headers, ' +
    'or pass each with --header; a proxy or framework in front of the handler may have dropped them)',
  'notify.wording.staleHint':
    'an old capture or a replay; to check a captured notification later, pass the time it arrived with --now <rfc3339|unix>',
  'notify.wording.staleHintNow':
    'the time given with --now is not when this notification arrived; pass the time it arrived (its Wechatpay-Timestamp, within 300 s), or leave --now out for a notification arriving now',
  'notify.wording.nowClock': '--now',
  'notify.wording.serialHint':
    'the wrong key mode (a merchant on the WeChat Pay public key checking with a platform certificate, or the other way round), ' +
    'or a key from another merchant; configure publicKeyId + publicKey or platformCertificates for that serial',
  'notify.wording.signatureHint':
    'the most common cause is a body changed before verification (a framework that parsed and re-serialised the JSON, ' +
    'trimmed it or changed its encoding): verify the raw bytes as received; otherwise it is forged',
  'notify.wording.probe':
    'the notification carries a probe signature (Wechatpay-Signature starting WECHATPAY/SIGNTEST/): WeChat Pay sends these on ' +
    'purpose to check that a handler rejects bad signatures; it is not a real notification and must be refused',
  'notify.http.not': (p: { reason: string }) =>
    `the input is not an HTTP request (${p.reason}); pass the raw request as the handler received it ` +
    '(request line, headers, blank line, body), or the body with --body and each header with --header',
  'notify.http.line': (p: { number: number }) => `line ${p.number}`,
  'notify.http.notHeader': (p: { where: string }) => `${p.where} is not a "Name: value" header`,
  'notify.http.chunkedEnds': 'its chunked body ends early',
  'notify.http.chunkWithoutSize': 'its chunked body has a chunk without a size',
  'notify.http.startsWithJson': 'it starts with JSON: for a body alone, use --body <file> with --header for each Wechatpay-* header',
  'notify.http.firstLine': 'its first line is not like POST /notify HTTP/1.1',
  'notify.http.noBlankLine': 'no blank line ends its headers',
  'notify.http.conflictingLength': 'it has conflicting Content-Length headers',
  'notify.http.lengthNotNumber': (p: { declared: string }) => `its Content-Length "${p.declared}" is not a number`,
  'notify.capture.truncated': (p: { length: number; actual: number }) =>
    `the capture is truncated: Content-Length says ${p.length} bytes, but only ${p.actual} follow the headers; capture the whole request`,
  'notify.body.not': (p: { reason: string }) =>
    `the body is not a WeChat Pay notification (${p.reason}); a notification is JSON like ` +
    '{"id","create_time","event_type","resource_type","summary","resource":{"algorithm","ciphertext","nonce","associated_data"}}',
  'notify.body.empty': 'it is empty',
  'notify.body.notUtf8': 'it is not UTF-8 text',
  'notify.body.notJson': 'it is not JSON',
  'notify.body.notObject': 'it is not a JSON object',
  'notify.body.fieldMissing': (p: { key: string }) => `"${p.key}" is missing or not a string`,
  'notify.body.fieldNotString': (p: { key: string }) => `"${p.key}" is not a string`,
  'notify.body.resourceMissing': '"resource" is missing or not an object',
  'notify.header.repeated': (p: { count: number; name: string }) =>
    `the notification has ${p.count} ${p.name} headers with different values; which one WeChat Pay sent cannot be known, so it is not trusted`,
  'notify.resource.what': 'the notification\u2019s resource',
  'notify.resource.undecryptable': (p: { reason: string }) =>
    `${p.reason}; the signature is valid, so the usual cause is an apiv3Key from another merchant or one reset in the merchant platform since`,
  // AEAD_AES_256_GCM (src/aead.ts), for notifications and the platform certificates alike
  'notify.aead.algorithm': (p: { algorithm: string }) => `algorithm ${p.algorithm} is not supported (only AEAD_AES_256_GCM)`,
  'notify.aead.keyLength': 'the APIv3 key must be exactly 32 bytes',
  'notify.aead.certificate': 'the certificate',
  'notify.aead.tooShort': (p: { what: string }) => `${p.what} is too short to hold a GCM tag`,
  'notify.aead.failed': (p: { what: string }) =>
    `${p.what} cannot be decrypted with the configured APIv3 key (wrong key, or the data was altered); ` +
    'check apiv3Key (APIv3密钥) in the merchant platform',
} satisfies Record<string, Message>;
