/** 简体中文: the token area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { token as English } from '../en/token.js';

/**
 * A network message's target followed by Chinese text: a space after a URL, none after the
 * full-width parenthesis that ends a proxy note (`…（经代理 http://…）拒绝了连接`).
 * (typeof: the catalogue test calls every message with numbers for its parameters.)
 */
const after = (target: string): string => (typeof target === 'string' && target.endsWith('）') ? target : `${target} `);

export const token = translation<typeof English>()({
  // hints.ts
  'token.hint.signError':
    '请检查商户号（mchid）、商户API证书序列号（serial）和商户API私钥（privateKey）是否属于同一张商户API证书，以及本机时钟是否准确（加 --verbose 运行可查看微信支付验签所用的签名串）。',
  'token.hint.noAuth': '该商户无权调用此接口；请先在商户平台申请开通出行券产品。',
  'token.hint.paramError': '请修正上面指出的参数后重试。',
  'token.hint.invalidRequest': '请按提示修改请求；原样重试同一请求无济于事。',
  'token.hint.rateLimited': '请求过于频繁（频率限制）；请稍后重试，或降低请求速率。',
  'token.hint.systemError': '微信支付临时故障；请稍后用同一请求重试。',
  'token.hint.serviceUnavailable': '微信支付暂时不可用；请稍后重试。',
  'token.hint.notFound': '接口不存在；请检查路径（及请求方法）和 --base-url。',
  'token.hint.noPlatformCertificates':
    '微信支付对没有平台证书、使用微信支付公钥验签的商户这样应答（配置中的 publicKeyId 和 publicKey，在商户平台「账户中心 → API安全 → 微信支付公钥」获取）；对这样的商户，/v3/certificates 没有内容。',
  'token.hint.wechatpaySerial': (p) =>
    `请求要求微信支付用 ${p.serial} 签名（请求头 Wechatpay-Serial，即配置中的 publicKeyId），但它不是该商户号的微信支付公钥：` +
    '请从商户平台「账户中心 → API安全 → 微信支付公钥」重新复制 publicKeyId（PUB_KEY_ID_…）；若该商户使用平台证书，请从配置中删除 publicKeyId 和 publicKey。',
  'token.hint.resourceNotExists': '该商户下不存在此资源。',
  'token.hint.redirect': '微信支付从不重定向 APIv3 请求，wxpay-coupon 也不会跟随重定向；请检查 baseUrl（--base-url）以及途中的代理。',
  'token.hint.serverError': '微信支付服务端错误；请稍后重试。',
  'token.hint.clockSkew': (p) =>
    `本机时钟比微信支付的（应答的 Date 头）${p.ahead ? '快' : '慢'} ${p.seconds} 秒；请校准时钟（NTP）：时间偏差超过 5 分钟的签名会被拒绝。`,

  // launch.ts
  'token.launch.tooLong': (p) =>
    `该 token 长 ${p.length} 个字符，而切卡组件的跳转页面文档规定 token 最多 ${p.max} 个字符（接口允许 1024 个）；` +
    '用它拉起切卡组件可能失败，请带上 Request-ID 反馈给微信支付技术支持',

  // transport.ts
  'token.proxy.source': (p) => `${p.name}（或 ${p.lower}）`,
  'token.proxy.notUrl': (p) =>
    `"${p.value}" 不是代理地址；例如 http://proxy.internal:3128（不带路径）或 http://user:password@proxy.internal:3128`,
  'token.route.proxy': (p) => `经代理 ${p.proxy}`,
  'token.route.direct': '直连（未配置代理）',
  'token.route.loopback': (p) => `直连：${p.host} 是本机回环地址，HTTP_PROXY/HTTPS_PROXY 对它从不生效（--proxy 会生效）`,
  'token.route.environment': (p) => `经环境变量中的代理（${p.parts}）`,
  'token.network.viaProxy': (p) => `（经代理 ${p.proxy}）`,
  'token.network.envProxy': '（已设置 HTTP_PROXY/HTTPS_PROXY：出故障的可能是代理）',
  'token.network.tooLarge': (p) => `来自 ${after(p.target)}的应答超过 ${p.max} 字节，已拒绝读取（--base-url 是否正确？）`,
  'token.network.timeout': (p) => `${after(p.target)}在 ${p.ms} ms 内没有应答；请检查网络，或调大 --timeout`,
  'token.network.refused': (p) => `${after(p.target)}拒绝了连接；地址是否正确、服务是否已启动？`,
  'token.network.dns': (p) => `无法解析 ${after(p.target)}的主机名（DNS ${p.code}）；请检查 baseUrl（配置中的，或 --base-url）和本机的 DNS`,
  'token.network.closed': (p) => `${after(p.target)}在应答之前关闭了连接；请重试`,
  'token.network.unreachable': (p) => `本机无法访问 ${p.target}（${p.code}）；请检查路由或代理`,
  'token.network.tls': (p) => `与 ${after(p.target)}的 TLS 握手失败（${p.code}）；本工具从不关闭证书校验，请修正信任的 CA 证书或地址`,
  'token.network.tunnelClosed': (p) =>
    `无法连接 ${p.target}：代理没有建立隧道（CONNECT）就关闭了连接；它是 HTTP 代理吗？它允许访问这个地址吗？`,
  'token.network.proxyStatus': (p) =>
    `无法连接 ${p.target}：代理对 CONNECT 应答了 HTTP ${p.status}，没有建立隧道；请检查代理的地址和凭据，以及它是否允许访问这个地址`,
  'token.network.notHttp': (p) => `来自 ${after(p.target)}的应答不是有效的 HTTP（${p.code}）；--base-url 是否正确？`,
  'token.network.headersTooLarge': (p) => `来自 ${after(p.target)}的应答头超过 16 KiB，已拒绝读取（--base-url 是否正确？）`,
  'token.network.other': (p) => `未能从 ${after(p.target)}得到应答：${p.reason}`,

  // verify.ts
  'token.verify.answer.subject': '应答',
  'token.verify.answer.missingHint': '缺少微信支付签名头的 2xx 应答不可信（请确认 --base-url 指向微信支付，且没有代理删掉了这些头）',
  'token.verify.errorAnswer.missingHint':
    '只带部分微信支付签名头的错误应答不可信（请确认 --base-url 指向微信支付，且没有代理删掉了这些头）',
  'token.verify.answer.staleHint': '可能是重放的应答，或本机时钟不准（请检查 NTP）',
  'token.verify.answer.serialHint': '请在配置中加入该微信支付公钥（publicKeyId + publicKey）或平台证书',
  'token.verify.answer.signatureHint': '应答可能被伪造或在传输中被篡改，已丢弃',
  'token.verify.none': '无',
  'token.verify.serialUnknown': (p) => `${p.subject}的签名所用密钥 ${p.serial} 未配置（已配置：${p.known}）；${p.hint}`,
  'token.verify.signatureInvalid': (p) =>
    `${p.subject}的签名未通过验签（${p.publicKey ? '微信支付公钥' : '平台证书'} ${p.serial}，${p.source}）；${p.hint}`,
  'token.verify.headersMissing': (p) => `${p.subject}缺少 ${p.headers}；${p.hint}`,
  'token.verify.headerRepeated': (p) => `${p.subject}中的 ${p.name} 头出现了不止一次；无法知道微信支付发送的是哪一个，因此不予信任`,
  'token.verify.typeUnsupported': (p) => `${p.subject}的签名类型是 ${p.type}；只接受 ${p.accepted}`,
  'token.verify.timestampInvalid': (p) => `${p.subject}的 Wechatpay-Timestamp "${p.timestamp}" 不是 Unix 时间戳（秒）`,
  'token.verify.timestampStale': (p) =>
    `${p.subject}的 Wechatpay-Timestamp 与${p.clock}相差 ${p.skew} 秒（最多接受 ${p.max} 秒）：${p.hint}`,
  'token.verify.machineClock': '本机时钟',

  // client.ts
  'token.api.answered': (p) => `微信支付应答 ${p.status} ${p.code}：${p.message}`,
  'token.api.emptyBody': '（应答体为空）',
  'token.api.notErrorBody': (p) => `（不是微信支付的错误应答体）${p.text}`,
  'token.answer.notJson': '已验签的应答不是 JSON，无法从中读取 token',
  'token.answer.notObject': '已验签的应答不是 JSON 对象，无法从中读取 token',
  'token.answer.noToken': '微信支付应答 200 却没有 token，接口从不会这样；没有可输出的内容',
  'token.answer.expiresInvalid':
    '应答中的 expires_time 不是 RFC 3339 时间（例如 2015-05-20T13:29:35+08:00），接口从不会这样返回；没有可输出的内容',
  'token.answer.duplicateKey': '签名的应答中有一个键出现了两次，无法确定它给的是哪个 token；没有可输出的内容',
  'token.answer.tokenNotPrintable':
    '微信支付应答 200，但 token 含有空格、控制字符或非 ASCII 字符，真正的 token 不会这样，拉起路径也无法携带；没有可输出的内容',
  'token.answer.expired': (p) =>
    `微信支付应答 200，但 token 已经过期（expires_time ${p.expiresTime}，按本机时钟）；它无法拉起小程序；请重新申请，并检查本机时钟`,
  'token.failover.both': (p) => `备用域名 ${p.backup}：${p.message}\n主域名 ${p.primary}（先尝试）：${p.primaryMessage}`,
  'token.stop.beforeSend': '在发送这一行之前被中断（Ctrl-C 或 SIGTERM）；未发送任何请求',
  'token.stop.beforeRetry': (p) => `在重试之前被中断（Ctrl-C 或 SIGTERM）；最后一次尝试：${p.last}`,

  // coupon.ts
  'token.list': (p) => p.items.join('、'),
  'token.type.number': '数字',
  'token.type.string': '字符串',
  'token.type.list': '列表',
  'token.type.object': '对象',
  'token.stock.notExact': (p) => `${p.value} 不是精确的整数；大于 2^53-1 的批次号请以字符串或 bigint 传入`,
  'token.stock.notInteger': (p) => `${p.value} 不是整数`,
  'token.stock.expectedInteger': (p) => `应为整数，实际是${p.type}`,
  'token.stock.fullWidthDigits': (p) => `${p.value} 用的是全角数字（中文输入法输入的）；请改用半角数字：${p.mended}`,
  'token.stock.notPositive': (p) => `${p.value} 不是正整数`,
  'token.stock.zero': (p) => `${p.value} 不是有效的批次号；批次号必须是正数`,
  'token.stock.leadingZeros': (p) => `${p.value} 不能有前导零`,
  'token.stock.tooLarge': (p) => `${p.value} 超过了批次号的最大值（2^63-1）`,
  'token.coupon.format': (p) => `--coupon "${p.spec}" 不是 <stock_id>:<coupon_id> 格式（批次号:券ID），例如 --coupon 16474341:11004999626`,
  'token.coupon.quotes': (p) =>
    `--coupon "${p.spec}" 中有排版引号 ${p.quote}（编辑器或聊天软件把半角引号换成了它）；请去掉引号：--coupon ${p.mended}`,
  'token.coupon.fullWidthColon': (p) => `--coupon "${p.spec}" 中批次号和券ID之间是全角冒号（\uff1a）；请改用半角冒号：--coupon ${p.mended}`,
  'token.coupon.several': (p) =>
    `--coupon "${p.spec}"：券ID中含有${p.character}，这不止一张券（或不是券ID）；` +
    '每张券各用一个 --coupon，例如 --coupon 16474341:11004999626 --coupon 16474341:11004999627',
  'token.coupon.space': '空格',
  'token.coupon.emptyFlag': '；如果它来自变量（--coupon "$COUPON"），该变量为空',
  'token.coupon.otherSpace': (p) => `空格（${p.character}，不是半角空格）`,
  'token.coupon.wrongSeparator': (p) => `--coupon "${p.spec}" 用 "${p.separator}" 分隔批次号和券ID；那里应是半角冒号：--coupon ${p.mended}`,
  'token.coupon.stock': (p) => `--coupon "${p.spec}"：批次号 ${p.problem}；例如 --coupon 16474341:11004999626`,
  'token.coupon.couponId': (p) => `--coupon "${p.spec}"：券ID ${p.problem}`,
  'token.couponId.notString': (p) => `必须是字符串，实际是${p.type}`,
  'token.couponId.quotes': (p) => `含有排版引号 ${p.quote}（编辑器或聊天软件把半角引号换成了它）；请去掉它`,
  'token.couponId.invisible': (p) => `含有一个不可见字符（${p.character}），是随粘贴带进来的；请重新输入券ID`,
  'token.couponId.space': (p) => `含有空格（${p.character}），而券ID不含空格；每张券请在 coupon_list 中单独写一项`,
  'token.couponId.fullWidth': (p) => `用的是全角字符（中文输入法的全角模式）；请改用半角字符：${p.mended}`,
  'token.couponId.spaces': '首尾有空格；券ID按原样发送，请去掉首尾的空格',
  'token.couponId.empty': '为空；长度须为 1 到 64 个字符',
  'token.couponId.notUtf8':
    '含有 U+FFFD（不是 UTF-8 的字节被替换成的字符，例如终端或文件用的是 GBK 编码）或半个代理对：这个券ID在传给本工具之前已经损坏；请以 UTF-8 传入',
  'token.couponId.tooLong': (p) => `长 ${p.length} 个字符；长度须为 1 到 64 个字符`,
  'token.key.misnamed': (p) =>
    `${p.prefix}${p.given} 不是接口读取的键；你是不是想写 "${p.meant}"？（键名为 open_id、coupon_list、stock_id、coupon_id）`,
  'token.openId.missing': (p) =>
    `${p.prefix}${p.server}：缺少 open_id；${p.flags ? '请传入 --open-id <openid>' : '请加上 "open_id"：用户在你的 AppID 下的 openid'}`,
  'token.openId.notString': (p) => `${p.prefix}${p.server}：open_id 必须是字符串，实际是${p.type}；请加上引号`,
  'token.openId.length': (p) =>
    `${p.prefix}${p.server}：${p.field} 须为 1 到 64 个字符，且首尾不能有空格（实际 ${p.length} 个）；请使用用户在你的 AppID 下的 openid`,
  'token.edgeCharacter': (p) => `；它以 ${p.character} ${p.where === 'start' ? '开头' : '结尾'}（不是半角空格）`,
  'token.openId.emptyFlag': '；如果它来自变量（--open-id "$OPENID"），该变量为空',
  'token.openId.quotes': (p) =>
    `${p.prefix}${p.server}：${p.field} 中有排版引号 ${p.quote}（编辑器或聊天软件把半角引号换成了它）；请去掉它`,
  'token.openId.invisible': (p) =>
    `${p.prefix}${p.server}：${p.field} 含有一个不可见字符（${p.character}），是随粘贴带进来的；请重新输入 openid`,
  'token.openId.space': (p) =>
    `${p.prefix}${p.server}：${p.field} 含有空格（${p.character}），而 openid 不含空格；请只给一个用户的 openid（一个 token 只对应一个用户：多个用户请用 --batch）`,
  'token.openId.fullWidth': (p) => `${p.prefix}${p.server}：${p.field} 含有全角字符（中文输入法的全角模式）；请改用半角字符：${p.mended}`,
  'token.openId.notUtf8': (p) =>
    `${p.prefix}${p.server}：${p.field} 含有 U+FFFD（不是 UTF-8 的字节被替换成的字符，例如终端或文件用的是 GBK 编码）或半个代理对：这个 openid 在传给本工具之前已经损坏；请以 UTF-8 传入`,
  'token.couponList.notList': (p) => `${p.prefix}coupon_list 必须是 {"stock_id", "coupon_id"} 的列表，实际是${p.type}`,
  'token.couponList.empty': (p) =>
    `${p.prefix}${p.server}：${
      p.flags ? '请至少传入一个 --coupon <stock_id>:<coupon_id>' : '请加上 "coupon_list"，其中至少有一个 {"stock_id", "coupon_id"}'
    }`,
  'token.couponList.entryNotObject': (p) => `${p.prefix}coupon_list[${p.index}] 必须是对象 {"stock_id", "coupon_id"}，实际是${p.type}`,
  'token.couponList.stockId': (p) => `${p.prefix}coupon_list[${p.index}].stock_id: ${p.problem}`,
  'token.couponList.couponId': (p) => `${p.prefix}coupon_list[${p.index}].coupon_id ${p.problem}`,
  'token.couponList.oneStock': (p) => `${p.prefix}${p.server}：收到了批次 ${p.stocks}；请为每个批次分别申请 token`,
  'token.couponList.duplicate': (p) => `${p.prefix}${p.server}：券ID ${p.couponId} 出现了两次；每张券只能列一次`,
  'token.request.notObject': '应为 JSON 对象 {"open_id": …, "coupon_list": [...]}',

  // json.ts
  'token.json.at': (p) => `${p.reason}，位置 ${p.position}`,
  'token.json.trailing': 'JSON 值之后还有多余的内容',
  'token.json.tooDeep': '嵌套层级过深',
  'token.json.duplicateKey': '同一对象中有一个键出现了两次',
  'token.json.propertyName': '此处应为属性名',
  'token.json.colon': '此处应为 ":"',
  'token.json.commaOr': (p) => `此处应为 "," 或 "${p.close}"`,
  'token.json.invalidString': '字符串无效',
  'token.json.controlCharacter': '字符串中含有控制字符',
  'token.json.unterminated': '字符串没有结束引号',
  'token.json.end': '输入意外结束',
  'token.json.character': '意外的字符',

  // batch.ts
  'token.batch.lineTooLong': (p) =>
    `第 ${p.line} 行长 ${p.bytes} 字节；一个请求行最多 1 MiB（${p.max} 字节），因此未读取该行（开头是 ${p.prefix}…）`,
  'token.batch.notJson': (p) => `第 ${p.line} 行不是 JSON（${p.reason}）`,
  'token.batch.fullWidth': '；这一行有全角标点（中文输入法打出的：，“”），JSON 不会把它们当作 : , "：请改用半角字符',
  'token.batch.array':
    "；这是一个 JSON 数组，而 --batch 读取的是 JSON Lines（每行一个完整的对象）：jq -c '.[]' file.json | wxpay-coupon token --batch -",
  'token.batch.spread':
    '；这是一个分成多行写的对象，而 --batch 读取的是 JSON Lines（每行一个完整的对象）：jq -c . file.json | wxpay-coupon token --batch -',
  'token.batch.csv':
    '；这看起来是 CSV，而 --batch 读取的是 JSON Lines，每行一个对象，例如 {"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}',
  'token.batch.device': (p) => `--batch ${p.batch} 是设备，不是 JSON Lines 文件；请给出一个文件，或用 --batch - 读取标准输入`,
  'token.batch.internal': (p) => `内部错误：${p.reason}`,

  // cli/commands/token.ts
  'token.flags.missingOpenId': '缺少 --open-id <openid>：用户在你的 AppID 下的 openid',
  'token.flags.noCoupon': (p) => `${p.server}：请至少传入一个 --coupon <stock_id>:<coupon_id>，例如 --coupon 16474341:11004999626`,
  'token.flags.jsonQuiet': '--json 和 --quiet 不能同时使用；请二选一',
  'token.flags.sandboxConfig': (p) => `--sandbox 使用自己的一次性凭据，不读取任何配置；请去掉 ${p.flag}，或去掉 --sandbox 以使用该配置`,
  'token.flags.sandboxBaseUrl': '--sandbox 会自己启动本地服务；请去掉 --base-url',
  'token.flags.batchOnly': '--concurrency 和 --rate 只能与 --batch <file|-> 一起使用',
  'token.flags.batchConflict': (p) => `--batch 从输入中读取每个请求；请去掉 ${p.flags}`,
  'token.verbose.localSandbox': (p) => `本地沙箱：${p.url}（忽略配置文件）`,
  'token.sandbox.note': '注意：此 token 来自本地沙箱，并非微信支付签发，无法用来拉起切卡组件。',
  'token.sandbox.warning': '此 token 来自本地沙箱，并非微信支付签发，无法用来拉起切卡组件。',
  'token.label.token': 'token',
  'token.label.expiresTime': '过期时间',
  'token.label.requestId': '请求ID',
  'token.label.launchAppId': '小程序AppID',
  'token.label.launchPath': '小程序路径',
  'token.label.none': '（无）',
  'token.expiry.note': (p) => `（${p.expiry}）`,
  'token.expiry.in': (p) => `${p.span}后过期`,
  'token.expiry.ago': (p) => `已过期 ${p.span}`,
  'token.expiry.hours': (p) => `${p.hours} 小时 ${p.minutes} 分`,
  'token.expiry.minutes': (p) => `${p.minutes} 分 ${p.seconds} 秒`,
  'token.expiry.seconds': (p) => `${p.seconds} 秒`,

  // cli/commands/shared.ts
  'token.verbose.config': (p) =>
    `配置：${p.file ?? '（无配置文件）'}${p.profile ? `，profile ${p.profile}` : ''}` +
    (p.environment !== '' ? `，来自环境变量：${p.environment}` : ''),
  'token.verbose.network': (p) => `网络：${p.route}`,
  'token.verbose.attempt': (p) => `第 ${p.attempt} 次尝试${p.failover ? '（切换到备用域名）' : ''}：${p.method} ${p.url}`,
  'token.verbose.body': (p) => `请求体：${p.body}`,
  'token.verbose.response': (p) => `${p.status}，用时 ${p.ms} ms${p.requestId ? `，Request-ID ${p.requestId}` : '，无 Request-ID'}`,
  'token.verbose.retry': (p) => `第 ${p.attempt} 次尝试失败（${p.reason}）；${p.ms} ms 后重试`,
  'token.verbose.failover': (p) => `无法访问 ${p.from}（${p.reason}）；切换到备用域名 ${p.to}`,
  'token.verbose.verified': (p) => `验签通过：${p.publicKey ? '微信支付公钥' : '平台证书'} ${p.serial}`,
  'token.verbose.signError': (p) => `微信支付计算签名所用的签名串（truncated_sign_message）：${p.message}`,
  'token.dryRun.note': '试运行：已签名，未发送',

  // cli/commands/batch.ts
  'token.batch.noStdin': '--batch - 要读取标准输入（stdin），但没有标准输入',
  'token.batch.noFile': (p) => `--batch ${p.batch}：文件不存在；请传入一个 JSON Lines 文件，或用 - 表示标准输入`,
  'token.batch.stopping': (p) =>
    `正在停止：不再发起新的请求${p.inFlight > 0 ? `；正在等待进行中的 ${p.inFlight} 个请求（再按一次 Ctrl-C 立即中止它们）` : ''}`,
  'token.batch.fromTerminal':
    '正在从终端读取请求，每行一个 JSON 对象；按 Ctrl-D 结束输入（Ctrl-C 停止），或用管道传入文件：--batch - < requests.jsonl',
  'token.batch.empty': (p) =>
    `--batch ${p.batch}：没有可发送的请求：输入${p.batch === '-' ? '（标准输入）' : ''}为空或只有空行，未发送任何请求；请每行写一个 JSON 对象，例如 {"open_id":"oUser1","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}`,
  'token.batch.folder': (p) => `--batch ${p.batch} 是一个目录；请传入一个 JSON Lines 文件`,
  'token.batch.lineWarning': (p) => `第 ${p.line} 行：${p.message}`,
  'token.batch.minutes': (p) => `${p.minutes} 分 ${p.seconds} 秒`,
  'token.batch.seconds': (p) => `${p.seconds} 秒`,
  'token.batch.progress': (p) =>
    `已完成 ${p.done}，失败 ${p.failed}，进行中 ${p.inFlight}，${p.perSecond} 行/秒${p.eta !== undefined ? `，预计还需 ${p.eta}` : ''}`,
  'token.batch.summary': (p) =>
    `批量：共 ${p.lines} 行，得到 ${p.tokens} 个 token，失败 ${p.failed} 行，用时 ${p.duration}（${p.perSecond} 行/秒）`,
  'token.batch.peak': (p) => `；内存峰值（RSS）${p.mib} MiB`,
  'token.batch.cpu': (p) => `；CPU ${p.seconds} 秒（每行 ${p.perLine} ms）`,
  'token.batch.interrupted': '；已中断：最后写出的那一行之后的行都没有开始',
  'token.batch.outputFailed': (p) => `${p.message}；已停止，不再发起新的请求。${p.lost}`,
  'token.batch.lost': (p) => {
    const range = p.first === p.last ? `第 ${p.first} 行` : `第 ${p.first}\u2013${p.last} 行`;
    return (
      `已写出 ${p.written} 行；另有 ${p.lines} 行未能写出（输入的${range}）：` +
      (p.tokens > 0
        ? `其中 ${p.tokens} 行已得到 token，这些 token 已丢失（微信支付已签发，请重新申请），${p.lines - p.tokens} 行是错误行`
        : `全部 ${p.lines} 行都是错误行，没有丢失 token`)
    );
  },
});
