/** English messages of the api area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const api = {
  'api.method.invalid': (p: { value: string; methods: string }) =>
    `"${p.value}" is not a method api sends; use one of ${p.methods} (any case), like: wxpay-coupon api GET /v3/certificates`,
  'api.path.credentials':
    'the URL is not an https URL of WeChat Pay: it carries a user name or password, which WeChat Pay never takes; pass the path alone, like /v3/certificates',
  'api.path.notHttps': (p: { value: string }) => `"${p.value}" is not an https URL of WeChat Pay; pass a path like /v3/certificates`,
  'api.path.notApiv3': (p: { value: string }) =>
    `"${p.value}" is not an APIv3 path: it must start with /v3/ (or another /vN/), like /v3/certificates or ` +
    "'/v3/marketing/favor/users/<openid>/coupons?appid=…&stock_id=…'",
  'api.path.fragment': (p: { value: string }) => `"${p.value}" has a #fragment, which is never sent; leave it out`,
  'api.path.fullWidth': (p: { value: string; character: string; mended: string }) =>
    `"${p.value}" holds a full-width ${p.character} (a Chinese input method's); type the ASCII one: ${p.mended}`,
  'api.path.control': (p: { value: string; character: string }) =>
    `"${p.value}" holds a control character (${p.character}), which a URL cannot carry; type the path on one line, without it`,
  'api.path.notAsSent': (p: { value: string; sent: string }) =>
    `"${p.value}" would not be sent exactly as written, so its signature would not match; ` + `percent-encode it as it is sent: ${p.sent}`,
  'api.header.shape': `--header must look like 'Name: value', like --header 'Accept-Language: en'`,
  'api.header.controlCharacter': (p: { name: string }) =>
    `--header ${p.name}: the value holds a line break or a control character; headers are one line`,
  'api.header.notAscii': (p: { name: string; character: string }) =>
    `--header ${p.name}: the value holds ${p.character}; a header value is printable ASCII (percent-encode anything else, as the API asks)`,
  'api.header.forbidden': (p: { name: string; reason: string }) => `--header ${p.name} cannot be set: ${p.reason}`,
  'api.header.forbidden.contentType': 'the body is always sent as Content-Type: application/json',
  'api.header.forbidden.signature': 'the signature headers are made by wxpay-coupon for every attempt',
  'api.header.forbidden.connection': 'wxpay-coupon sets the connection headers itself',
  'api.header.twice': (p: { name: string }) => `--header ${p.name} is given twice; give each header once`,
  'api.stdin.none': (p: { flag: string }) => `${p.flag} - reads standard input, but there is none`,
  'api.stdin.interrupted': (p: { flag: string }) => `interrupted (Ctrl-C or SIGTERM) while reading ${p.flag} -; nothing was sent`,
  'api.stdin.tooLarge': (p: { flag: string; max: number }) => `${p.flag} -: standard input is larger than ${p.max} bytes`,
  'api.file.missing': (p: { flag: string; name: string }) =>
    `${p.flag} @${p.name}: no such file; pass ${p.flag} @<file>, ${p.flag} - for standard input, or the JSON itself`,
  'api.file.notRegular': (p: { flag: string; name: string }) => `${p.flag} @${p.name} is not a regular file; pass a JSON file`,
  'api.file.tooLarge': (p: { flag: string; name: string; max: number }) => `${p.flag} @${p.name} is larger than ${p.max} bytes`,
  'api.file.unreadable': (p: { flag: string; name: string; code: string | undefined }) =>
    `${p.flag} @${p.name} cannot be read (${p.code ?? 'error'})`,
  'api.data.tooLarge': (p: { flag: string; max: number }) => `${p.flag} is larger than ${p.max} bytes`,
  'api.data.fromStdin': (p: { flag: string }) => `${p.flag} from standard input`,
  'api.data.inFile': (p: { flag: string; file: string }) => `${p.flag} in ${p.file}`,
  'api.data.notUtf8': (p: { label: string }) => `${p.label} is not UTF-8 text; a JSON body must be`,
  'api.data.bom': (p: { label: string }) =>
    `${p.label} starts with a byte order mark; the body is sent as given, so save it as UTF-8 without BOM`,
  'api.data.notJson.reason': 'not JSON',
  'api.data.notJson': (p: { label: string; reason: string }) =>
    `${p.label} is not JSON (${p.reason}); the body is sent exactly as given, so it must be valid JSON`,
  'api.data.fileHint': (p: { flag: string; name: string }) => `; to send the file ${p.name}, write ${p.flag} @${p.name}`,
  'api.data.fullWidth':
    '; it holds full-width punctuation (： ， “ ” from a Chinese input method), which JSON does not read as : , ": type them in ASCII',
  'api.data.required': (p: { method: string }) =>
    `${p.method} needs a body: pass --data '{…}', --data @file.json or --data - for standard input ` +
    "(an empty JSON body is --data '{}'); nothing was sent",
  'api.get.withData': 'GET sends no body (WeChat Pay signs a GET with an empty one); put the parameters in the query, or use POST',
  'api.origin.foreign': (p: { origin: string; allowed: string }) =>
    `${p.origin} is not the configured WeChat Pay origin (${p.allowed}): the merchant key signs only for it; ` +
    'pass the path alone, like /v3/certificates, or set --base-url',
  'api.origin.or': ' or ',
  'api.serial.unconfigured': (p: { name: string; serials: string }) =>
    `--header ${p.name} must name a configured WeChat Pay public key id or platform certificate serial ` +
    `(configured: ${p.serials}): WeChat Pay signs its answer with that key, and any other could not be verified`,
  'api.serial.none': 'none',
} satisfies Record<string, Message>;
