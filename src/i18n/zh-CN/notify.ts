/** 简体中文: the notify area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { notify as English } from '../en/notify.js';

export const notify = translation<typeof English>()({
  // notify verify: the input (src/cli/commands/notify.ts)
  'notify.input.tooLarge': (p) => `${p.flag} 超过 ${p.max} 字节；一条回调通知只有几 KB，这不是通知`,
  'notify.input.noStdin': (p) => `${p.flag}：没有可用的标准输入`,
  'notify.input.missing': (p) => `${p.named}：文件不存在；请传入抓取的请求文件，或用 - 从标准输入读取`,
  'notify.input.folder': (p) => `${p.named} 是目录；请传入文件`,
  'notify.input.interrupted': '读取输入时被中断（Ctrl-C 或 SIGTERM）；未验签任何通知',
  'notify.input.unreadable': (p) => `无法读取 ${p.named}（${p.code ?? '错误'}）`,
  'notify.input.stdin': '标准输入',
  'notify.now.invalid': (p) =>
    `--now "${p.value}" 不是时间；请写 Unix 秒数（1764408393）或带时区的 RFC 3339 时间（2026-11-29T17:26:33+08:00）`,
  'notify.header.shape': `--header 的格式应为 'Name: value'，例如 --header 'Wechatpay-Serial: PUB_KEY_ID_…'`,
  'notify.key.publicKey': (p) => `微信支付公钥 ${p.serial}（${p.source}）`,
  'notify.key.certificate': (p) => `平台证书 ${p.serial}（${p.source}）`,
  'notify.now.warning': (p) => `时间戳按 --now ${p.value}（${p.iso}）检查，而不是按本机时钟`,
  'notify.verify.both': '请传入原始请求（[file|-]），或传入 --body <file> 加 --header，二者只能选其一',
  'notify.verify.nothing':
    '没有可验签的内容：请以文件传入抓取的请求（或用 - 从标准输入读取），或用 --body <file> 传入请求主体，并用 --header 传入每个 Wechatpay-* 请求头',
  'notify.verify.headerWithoutBody': '--header 只能与 --body 一起使用；原始请求自带请求头',
  'notify.config.noApiv3Key': '未配置：回调通知的 resource 用 APIv3密钥加密；请设置 "apiv3Key" 或 WXPAY_APIV3_KEY',
  'notify.config.noVerificationKey':
    '未配置微信支付的验签密钥，无法验证回调通知的签名；请设置 publicKeyId + publicKey（微信支付公钥）或 platformCertificates（平台证书）',
  // notify verify --verbose
  'notify.verbose.request': (p) => `请求：${p.method} ${p.target}`,
  'notify.verbose.body': (p) => `请求主体：${p.bytes} 字节，按收到的原样验签`,
  'notify.verbose.headers': (p) => `请求头：${p.names}`,
  'notify.verbose.noHeader': '没有 Wechatpay-* 请求头',
  'notify.verbose.present': '检查：Wechatpay-Timestamp、Wechatpay-Nonce、Wechatpay-Signature、Wechatpay-Serial 齐全',
  'notify.verbose.timestamp': (p) =>
    `检查：时间戳 ${p.timestamp} 与${p.fromNowFlag ? ' --now ' : '本机时钟'}相差 ${p.skew} 秒（最多 300 秒）`,
  'notify.verbose.serial': (p) => `检查：序列号 ${p.serial} 已配置`,
  'notify.verbose.signature': (p) => `检查：已用${p.key}验签通过`,
  'notify.verbose.resource': (p) => `检查：已用 apiv3Key 解密 resource（${p.algorithm}，associated_data "${p.associatedData}"）`,
  'notify.verbose.notification': (p) => `通知 ${p.id}：${p.eventType}，创建于 ${p.createTime}`,
  // notify send
  'notify.verbose.sentBody': (p) => `请求主体：${p.body}`,
  'notify.handler.timeout': (p) =>
    `你的回调处理接口 ${p.url} 在 ${p.ms} ms 内没有应答（--timeout）；微信支付会把这次通知视为失败并重新发送`,
  'notify.handler.interrupted': '回调处理接口应答之前被中断（Ctrl-C 或 SIGTERM）',
  'notify.handler.unreachable': (p) => `无法连接你的回调处理接口 ${p.url}（${p.reason}）；它是否已启动并在该地址监听？`,
  'notify.handler.brokeOff': (p) => `你的回调处理接口 ${p.url} 的应答中途断开（${p.reason}）`,
  'notify.handler.status': (p) =>
    `你的回调处理接口 ${p.url} 应答了 ${p.status}，不是 2xx：微信支付会把这次通知视为失败，稍后重新发送` +
    '（回调处理接口应在验签并保存通知之后应答 200 或 204）',
  'notify.send.missingTo': '缺少 --to <url>：你的回调处理接口的地址，例如 --to http://127.0.0.1:8080/wxpay/notify',
  'notify.send.eventType': (p) => `--event-type "${p.value}" 不是通知类型；通知类型形如 COUPON.USE 或 TRANSACTION.SUCCESS`,
  'notify.send.configFlags': 'notify send 只用沙箱目录中的密钥签名；请去掉 --config 和 --profile，改传 --sandbox-dir <folder>',
  'notify.sandbox.not': (p) =>
    `${p.dir} ${p.what}；notify send 用 \`wxpay-coupon sandbox --dir <folder>\` 写入该目录的密钥签名` +
    (p.given ? '（请用该目录运行一次沙箱）' : '（请用当前目录运行一次沙箱，或传入 --sandbox-dir <folder>）'),
  'notify.sandbox.noConfig': '中没有 .wxpayrc.json',
  'notify.sandbox.noKey': (p) => `中没有 ${p.file}（该目录写于 notify 命令出现之前，或不是沙箱写的）`,
  'notify.sandbox.noApiv3Key': '中的 .wxpayrc.json 没有 apiv3Key（写于 notify 命令出现之前）',
  'notify.sandbox.notPrivateKey': (p) => `中的 ${p.file} 不是私钥`,
  'notify.sandbox.noMatch': '中的签名私钥与其 .wxpayrc.json 里的公钥或证书都不匹配',
  'notify.send.status': (p) => `状态码 ${p.status}`,
  'notify.send.notUtf8': (p) => `（${p.bytes} 字节，不是 UTF-8）`,
  'notify.send.truncated': (p) => `（应答更长；只显示前 ${p.max} 字节）`,
  'notify.send.sent': (p) => `已用沙箱密钥向 ${p.url} 发送 ${p.eventType} 通知 ${p.id}`,
  // The protocol (src/notify.ts)
  'notify.wording.subject': '回调通知',
  'notify.wording.missingHint':
    '缺少四个 Wechatpay-* 请求头中任何一个的回调通知都无法验签（抓取请求时请连同请求头一起保存，' +
    '或用 --header 逐个传入；回调处理接口前面的代理或框架可能丢掉了它们）',
  'notify.wording.staleHint': '这是旧的抓包或重放的请求；要事后检查抓取的通知，请用 --now <rfc3339|unix> 传入它到达的时间',
  'notify.wording.staleHintNow':
    '--now 给出的时间不是这条通知到达的时间；请传入它到达的时间（与其 Wechatpay-Timestamp 相差不超过 300 秒），检查刚到达的通知时不要加 --now',
  'notify.wording.nowClock': ' --now ',
  'notify.wording.serialHint':
    '验签方式不对（使用微信支付公钥的商户却用平台证书验签，或者反过来），或者是其他商户的密钥；' +
    '请为该序列号配置 publicKeyId + publicKey 或 platformCertificates',
  'notify.wording.signatureHint':
    '最常见的原因是请求主体在验签之前被改动过（框架解析后重新序列化了 JSON、去掉了空白或改变了编码）：' +
    '请按收到的原始字节验签；否则就是伪造的通知',
  'notify.wording.probe':
    '该通知带有签名探测流量的签名（Wechatpay-Signature 以 WECHATPAY/SIGNTEST/ 开头）：微信支付有意发送这种通知，' +
    '检查回调处理接口能否拒绝错误的签名；它不是真实的通知，必须拒绝',
  'notify.http.not': (p) =>
    `输入不是 HTTP 请求（${p.reason}）；请按回调处理接口收到的样子传入原始请求` +
    '（请求行、请求头、空行、请求主体），或用 --body 传入请求主体并用 --header 逐个传入请求头',
  'notify.http.line': (p) => `第 ${p.number} 行`,
  'notify.http.notHeader': (p) => `${p.where}不是 "Name: value" 形式的请求头`,
  'notify.http.chunkedEnds': '分块（chunked）传输的请求主体提前结束',
  'notify.http.chunkWithoutSize': '分块（chunked）传输的请求主体中有一块没有长度',
  'notify.http.startsWithJson': '它以 JSON 开头：只有请求主体时，请用 --body <file>，并用 --header 传入每个 Wechatpay-* 请求头',
  'notify.http.firstLine': '第一行不像 POST /notify HTTP/1.1 这样的请求行',
  'notify.http.noBlankLine': '请求头之后没有空行',
  'notify.http.conflictingLength': '有互相矛盾的 Content-Length 请求头',
  'notify.http.lengthNotNumber': (p) => `Content-Length "${p.declared}" 不是数字`,
  'notify.capture.truncated': (p) =>
    `抓取的请求不完整：Content-Length 为 ${p.length} 字节，但请求头之后只有 ${p.actual} 字节；请抓取完整的请求`,
  'notify.body.not': (p) =>
    `请求主体不是微信支付的回调通知（${p.reason}）；回调通知是这样的 JSON：` +
    '{"id","create_time","event_type","resource_type","summary","resource":{"algorithm","ciphertext","nonce","associated_data"}}',
  'notify.body.empty': '它是空的',
  'notify.body.notUtf8': '它不是 UTF-8 文本',
  'notify.body.notJson': '它不是 JSON',
  'notify.body.notObject': '它不是 JSON 对象',
  'notify.body.fieldMissing': (p) => `缺少 "${p.key}"，或它不是字符串`,
  'notify.body.fieldNotString': (p) => `"${p.key}" 不是字符串`,
  'notify.body.resourceMissing': '缺少 "resource"，或它不是对象',
  'notify.header.repeated': (p) => `回调通知有 ${p.count} 个值不同的 ${p.name} 请求头；无法确定微信支付发送的是哪一个，因此不可信`,
  'notify.resource.what': '回调通知的 resource 密文',
  'notify.resource.undecryptable': (p) =>
    `${p.reason}；签名是有效的，所以通常的原因是 apiv3Key 属于另一个商户，或者之后在商户平台重新设置过`,
  // AEAD_AES_256_GCM (src/aead.ts), for notifications and the platform certificates alike
  'notify.aead.algorithm': (p) => `不支持算法 ${p.algorithm}（只支持 AEAD_AES_256_GCM）`,
  'notify.aead.keyLength': 'APIv3密钥必须正好是 32 字节',
  'notify.aead.certificate': '平台证书',
  'notify.aead.tooShort': (p) => `${p.what}太短，容不下 GCM 认证标签`,
  'notify.aead.failed': (p) => `${p.what}无法用配置的 APIv3密钥解密（密钥不对，或数据被改动过）；请在商户平台核对 apiv3Key（APIv3密钥）`,
});
