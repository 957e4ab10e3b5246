/** 简体中文: the api area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { api as English } from '../en/api.js';

export const api = translation<typeof English>()({
  'api.method.invalid': (p) =>
    `"${p.value}" 不是 api 命令能发送的请求方法；请使用 ${p.methods} 之一（不区分大小写），例如：wxpay-coupon api GET /v3/certificates`,
  'api.path.credentials': 'URL 不是微信支付的 https 地址：其中带有用户名或密码，而微信支付从不接受；请只传路径，例如 /v3/certificates',
  'api.path.notHttps': (p) => `"${p.value}" 不是微信支付的 https 地址；请传入路径，例如 /v3/certificates`,
  'api.path.notApiv3': (p) =>
    `"${p.value}" 不是 APIv3 路径：必须以 /v3/（或其他 /vN/）开头，例如 /v3/certificates 或 ` +
    "'/v3/marketing/favor/users/<openid>/coupons?appid=…&stock_id=…'",
  'api.path.fragment': (p) => `"${p.value}" 带有 #片段，而片段从不发送；请去掉它`,
  'api.path.fullWidth': (p) => `"${p.value}" 中有全角的 ${p.character}（中文输入法输入的）；请改用半角：${p.mended}`,
  'api.path.control': (p) => `"${p.value}" 中有控制字符（${p.character}），URL 中不能有它；请把路径写在一行里，去掉它`,
  'api.path.notAsSent': (p) => `"${p.value}" 发送时会被改写，签名将与微信支付收到的请求对不上；请写成实际发送的百分号编码形式：${p.sent}`,
  'api.header.shape': `--header 的格式应为 'Name: value'，例如 --header 'Accept-Language: en'`,
  'api.header.controlCharacter': (p) => `--header ${p.name}：值中含有换行符或控制字符；请求头只能占一行`,
  'api.header.notAscii': (p) =>
    `--header ${p.name}：值中含有 ${p.character}；请求头的值只能是可打印的 ASCII 字符（其他字符请按接口要求做百分号编码）`,
  'api.header.forbidden': (p) => `不能用 --header 设置 ${p.name}：${p.reason}`,
  'api.header.forbidden.contentType': '请求主体始终以 Content-Type: application/json 发送',
  'api.header.forbidden.signature': '签名相关的请求头由 wxpay-coupon 在每次尝试时生成',
  'api.header.forbidden.connection': '连接相关的请求头由 wxpay-coupon 自行设置',
  'api.header.twice': (p) => `--header ${p.name} 给了两次；每个请求头只给一次`,
  'api.stdin.none': (p) => `${p.flag} - 表示从标准输入读取，但当前没有标准输入`,
  'api.stdin.interrupted': (p) => `读取 ${p.flag} - 时被中断（Ctrl-C 或 SIGTERM）；未发送任何请求`,
  'api.stdin.tooLarge': (p) => `${p.flag} -：标准输入超过 ${p.max} 字节`,
  'api.file.missing': (p) => `${p.flag} @${p.name}：文件不存在；请传入 ${p.flag} @<file>、用 ${p.flag} - 从标准输入读取，或直接传入 JSON`,
  'api.file.notRegular': (p) => `${p.flag} @${p.name} 不是普通文件；请传入一个 JSON 文件`,
  'api.file.tooLarge': (p) => `${p.flag} @${p.name} 超过 ${p.max} 字节`,
  'api.file.unreadable': (p) => `无法读取 ${p.flag} @${p.name}（${p.code ?? '错误'}）`,
  'api.data.tooLarge': (p) => `${p.flag} 超过 ${p.max} 字节`,
  'api.data.fromStdin': (p) => `来自标准输入的 ${p.flag}`,
  'api.data.inFile': (p) => `${p.file} 中的 ${p.flag}`,
  'api.data.notUtf8': (p) => `${p.label} 不是 UTF-8 文本；JSON 请求主体必须是 UTF-8`,
  'api.data.bom': (p) => `${p.label} 以字节顺序标记（BOM）开头；请求主体按原样发送，请另存为不带 BOM 的 UTF-8`,
  'api.data.notJson.reason': '不是 JSON',
  'api.data.notJson': (p) => `${p.label} 不是合法的 JSON（${p.reason}）；请求主体按原样发送，所以必须是合法的 JSON`,
  'api.data.fileHint': (p) => `；如要发送文件 ${p.name}，请写 ${p.flag} @${p.name}`,
  'api.data.fullWidth': '；其中有全角标点（中文输入法打出的：，“”），JSON 不会把它们当作 : , "：请改用半角字符',
  'api.data.required': (p) =>
    `${p.method} 请求需要请求主体：请传 --data '{…}'、--data @file.json，或用 --data - 从标准输入读取` +
    "（空的 JSON 主体写作 --data '{}'）；什么都没有发送",
  'api.get.withData': 'GET 请求没有请求主体（微信支付按空主体对 GET 签名）；请把参数放进查询串，或改用 POST',
  'api.origin.foreign': (p) =>
    `${p.origin} 不是配置的微信支付地址（${p.allowed}）：商户API私钥签名的请求只发往该地址；` +
    '请只传路径，例如 /v3/certificates，或设置 --base-url',
  'api.origin.or': ' 或 ',
  'api.serial.unconfigured': (p) =>
    `--header ${p.name} 必须是已配置的微信支付公钥ID或平台证书序列号` +
    `（已配置：${p.serials}）：微信支付用该密钥对应答签名，换成其他密钥就无法验签`,
  'api.serial.none': '无',
});
