/** 简体中文: the cli area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { cli as English, InvalidReason, OptionSource } from '../en/cli.js';

const didYouMean = (suggestions: readonly string[]): string =>
  suggestions.length > 1
    ? `（是否想输入以下之一：${suggestions.join('、')}？）`
    : suggestions.length === 1
      ? `（是否想输入 ${String(suggestions[0])}？）`
      : '';
const reasonText = (reason: InvalidReason): string => ('choices' in reason ? `可选值为 ${reason.choices.join('、')}` : reason.text);
const source = (option: OptionSource): string => (option.kind === 'env' ? `环境变量 '${option.name}'` : `选项 '${option.name}'`);

/** The system's reason for a failed write, by its code; another code keeps the system's own words. */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  ENOSPC: '磁盘空间不足',
  EDQUOT: '超出磁盘配额',
  EFBIG: '文件过大（超出文件大小限制）',
  EIO: 'I/O 错误',
  EBADF: '文件描述符无效',
  EACCES: '没有写入权限',
  EPERM: '操作不被允许',
  EROFS: '文件系统只读',
  EISDIR: '这是一个目录',
  ENOENT: '文件或目录不存在',
  EPIPE: '管道已关闭',
  EAGAIN: '资源暂时不可用',
  EINVAL: '参数无效',
  ENXIO: '设备不存在',
};

export const cli = translation<typeof English>()({
  'cli.option.lang': '消息和帮助的语言：en 或 zh-CN（环境变量 WXPAY_LANG，其次 LC_ALL、LC_MESSAGES、LANG）',
  'cli.lang.unsupported': (p) => `${p.source}${p.value === undefined ? '' : ` '${p.value}'`} 不是本工具支持的语言；请选择 en 或 zh-CN`,

  'cli.workingFolderGone':
    '当前工作目录已不存在（进入该目录后它被删除或移走了），无法查找配置文件，也无法解析相对路径；请 cd 到一个存在的目录后重新运行命令',

  'cli.root.description':
    '为微信支付出行券切卡组件预下单 token（POST /v3/industry-coupon/tokens）：用你的商户API私钥签名，用微信支付公钥（或平台证书）验签。',
  'cli.option.version': '显示版本号',
  'cli.option.help': '显示帮助',
  'cli.option.config': '只加载这个配置文件（环境变量 WXPAY_CONFIG）',
  'cli.option.noColor': '不使用颜色，即使输出到终端（也可设置 NO_COLOR）',
  'cli.option.verbose': '在 stderr 上显示发送和收到的内容（绝不显示密钥）',
  'cli.option.dryRun': '构造并签名请求，打印出来，不发送（试运行）',

  'cli.help.usage': '用法：',
  'cli.help.options': '选项：',
  'cli.help.commands': '命令：',
  'cli.help.arguments': '参数：',
  'cli.help.globalOptions': '全局选项：',
  'cli.help.helpCommand': '显示命令的帮助',
  'cli.help.choices': (p) => `可选值：${p.choices}`,
  'cli.help.default': (p) => `默认值：${p.value}`,
  'cli.help.preset': (p) => `预设值：${p.value}`,
  'cli.help.env': (p) => `环境变量：${p.name}`,
  'cli.help.described': (p) => `${p.description}（${p.extra.join('；')}）`,
  'cli.help.examples': '示例：',
  'cli.help.exitCodes': '退出码：',

  'cli.token.description': '为一个用户和一个批次预下单切卡组件 token',
  'cli.token.openId': '用户在你的 AppID 下的 openid',
  'cli.token.coupon': '用户已领取的一张券（批次号:券ID）；多张券重复此选项（每个请求只能有一个批次号）',
  'cli.token.json': '输出一行 JSON：{"token", "expires_time", "request_id", "launch": {"app_id", "path"}}',
  'cli.token.quiet': '只输出 token',
  'cli.token.sandbox': '忽略配置，改为向本进程内启动的本地沙箱发送请求',
  'cli.token.batch': '从文件或 -（标准输入）读取 JSON Lines 格式的请求（{"open_id","coupon_list"}）；按输入顺序输出 JSON Lines',
  'cli.sandbox.description': '启动本地的微信支付模拟服务，并为它写好一份可直接使用的配置',
  'cli.sandbox.host': '监听的地址',
  'cli.sandbox.port': '监听的端口；0 表示任选一个空闲端口',
  'cli.sandbox.dir': '把 .wxpayrc.json 和 PEM 文件写到这个目录（默认：新建一个临时目录，沙箱停止时删除）',
  'cli.sandbox.mode': '模拟的微信支付用哪种密钥签名',
  'cli.sandbox.json': '输出一行 JSON，包含 base_url、dir 和 config',
  'cli.sandbox.fault': (p) => `注入故障，作用于前 count 个请求，不写 count 则作用于所有请求；可重复：${p.faults}`,
  'cli.certs.description': '下载微信支付平台证书，列出已配置的验签密钥',
  'cli.certs.download.description': 'GET /v3/certificates：用 apiv3Key 解密、验签，写出 wechatpay_<serial>.pem 文件',
  'cli.certs.download.out': '把证书文件写到这个目录，不存在则创建；在下载之前先检查（默认：当前工作目录）',
  'cli.certs.download.json': '输出一行 JSON，包含证书和需要加到配置里的内容',
  'cli.certs.list.description': '列出配置中的微信支付公钥和平台证书，并提示即将过期的证书',
  'cli.certs.list.json': '输出一行 JSON：{"keys":[{kind,serial,source,not_after,status,warning}]}',
  'cli.doctor.description': '检查已配置的商户凭据；加 --online 时，验证微信支付是否接受它们',
  'cli.doctor.online': '发起一次签名的只读调用（GET /v3/certificates）',
  'cli.doctor.json': '输出一行 JSON：{"ok", "checks":[{"name","ok","message"}]}',
  'cli.api.description': '发送任意签名的 APIv3 请求，应答验签通过后再输出',
  'cli.api.method': 'GET、POST、PUT、PATCH 或 DELETE（大小写不限）',
  'cli.api.path': '路径和查询参数，按原样签名并发送：/v3/…（或在前面加上已配置的域名）',
  'cli.api.data': 'JSON 请求主体，逐字节原样发送：直接写内容、@文件，或 - 表示标准输入',
  'cli.api.header': '添加一个请求头；可重复（不能是 Authorization、Content-Type、Host 或签名相关的头）',
  'cli.api.json': '输出一行 JSON：{"status","request_id","body"}（body 中每个数字的位数都与收到的一致）',
  'cli.notify.description': '验签并解密微信支付的回调通知，或向你自己的回调处理接口发送一条通知',
  'cli.notify.verify.description': '按你的回调处理接口收到的样子检查一条通知（请求头、时间戳、序列号、对原始主体的签名），然后解密',
  'cli.notify.verify.file': '原始 HTTP 请求（请求行、请求头、空行、主体），来自文件或 -（标准输入）',
  'cli.notify.verify.body': '只有主体，与收到的完全一致；请求头用 --header 给出',
  'cli.notify.verify.header': '与 --body 一起使用：收到的一个请求头（Wechatpay-Timestamp、-Nonce、-Signature、-Serial）；可重复',
  'cli.notify.verify.now': '用这个时间而不是当前时钟检查时间戳（用于较早抓取的通知）',
  'cli.notify.verify.json':
    '输出一行 JSON：{"id","create_time","event_type","resource_type","summary","resource"}（每个数字的位数都原样保留）',
  'cli.notify.verify.verbose': '在 stderr 上显示每一项检查以及验签所用的密钥（绝不显示密钥内容）',
  'cli.notify.send.description': '按微信支付的方式构造一条通知（使用沙箱密钥加密、签名），POST 到你的回调处理接口，并显示它的应答',
  'cli.notify.send.to': '你的回调处理接口：https://…，或回环地址上的 http://',
  'cli.notify.send.sandboxDir': '`wxpay-coupon sandbox --dir` 写出的目录（默认：当前工作目录）',
  'cli.notify.send.eventType': '通知类型 event_type（默认 COUPON.USE，附带一份券核销的示例 resource）',
  'cli.notify.send.resource': '要加密的 resource，逐字节原样发送：JSON 文本、@文件，或 - 表示标准输入',
  'cli.notify.send.timeout': '最多等待回调处理接口应答这么久（毫秒，默认 10000）',
  'cli.notify.send.json': '输出一行 JSON：{"status","id","event_type","body"}',
  'cli.notify.send.verbose': '在 stderr 上显示发送的通知（绝不显示密钥）',

  'cli.example.sandboxRetries': '测试你的脚本的重试',
  'cli.example.notifyCapture': '抓取一条通知（或在你的处理接口里转储原始请求）',

  'cli.exitCodes.token': `  0    已输出 token（或已显示试运行结果）
  1    api           微信支付应答了错误（显示 code、message 和 Request-ID）
  2    usage         选项或输入有误；什么都没有发送
  3    config        没有配置、缺少配置项、密钥文件无法读取或无效
  4    network       没能拿到应答：连接被拒绝、DNS、TLS、超时
  5    verification  2xx 应答不可信（签名、序列号、时间戳、主体）
  6    batch         --batch 运行结束但有行失败（每个失败的行带有它的错误）
  74   output        stdout 无法写入（磁盘已满、文件描述符无效、I/O 错误）
  70   internal      wxpay-coupon 的缺陷（bug），请报告
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.doctor': `  0    所有检查都通过
  1    微信支付拒绝了签名的调用（--online），例如 401 SIGN_ERROR
  2    选项有误
  3    有一项配置检查未通过
  4    --online：没能拿到应答（连接被拒绝、DNS、TLS、超时）
  5    --online：应答验签失败（包括不带签名的 404 RESOURCE_NOT_EXISTS）
  70   wxpay-coupon 的缺陷（bug），请报告
  130  Ctrl-C`,
  'cli.exitCodes.certsDownload': `  0    平台证书已下载、验签并写出
  1    api           微信支付应答了错误（404 RESOURCE_NOT_EXISTS：微信支付公钥模式的商户）
  2    usage         选项有误，例如 --out 不是可写的目录；什么都没有发送
  3    config        没有配置、缺少配置项或 apiv3Key、密钥文件无法读取或无效
  4    network       没能拿到应答：连接被拒绝、DNS、TLS、超时
  5    verification  应答或其中的证书不可信或无法解密
  70   internal      wxpay-coupon 的缺陷（bug），请报告
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.certsList': `  0    已列出密钥（过期提醒写到 stderr，不影响退出码）
  2    选项有误
  3    没有配置，或有密钥、证书文件无法读取
  70   wxpay-coupon 的缺陷（bug），请报告`,
  'cli.exitCodes.sandbox': `  0    被 Ctrl-C（或 SIGTERM）停止
  2    选项有误，或无法在 --host/--port 上监听
  70   wxpay-coupon 的缺陷（bug），请报告`,
  'cli.exitCodes.api': `  0    已输出验签通过的应答（空应答如 204 时什么都不输出），或已显示试运行结果
  1    api           微信支付应答了错误（显示 code、message 和 Request-ID）
  2    usage         方法、路径、--data 或 --header 有误；什么都没有发送
  3    config        没有配置、缺少配置项、密钥文件无法读取或无效
  4    network       没能拿到应答：连接被拒绝、DNS、TLS、超时
  5    verification  2xx 应答不可信；stdout 上什么都没有
  70   internal      wxpay-coupon 的缺陷（bug），请报告
  130  interrupted   Ctrl-C`,
  'cli.exitCodes.notifyVerify': `  0    验签通过并已解密；已输出 resource
  2    usage         不是 HTTP 请求、没有 JSON 主体、不符合通知的结构、选项有误
  3    config        没有 apiv3Key，或没有配置微信支付公钥或平台证书
  5    verification  不可信：缺少某个头、时间戳过期、序列号未知、签名错误或是签名探测流量、
                     resource 无法解密；stdout 上什么都没有
  70   internal      wxpay-coupon 的缺陷（bug），请报告
  130  interrupted   读取输入时被 Ctrl-C（或 SIGTERM）中断`,
  'cli.exitCodes.notifySend': `  0    你的回调处理接口应答了 2xx
  1    api           你的回调处理接口应答了其他状态（显示状态码和主体）：微信支付会重试
  2    usage         --to、--event-type、--resource 或 --timeout 有误；什么都没有发送
  3    config        --sandbox-dir 目录中没有沙箱密钥（请运行 wxpay-coupon sandbox --dir <folder>）
  4    network       你的回调处理接口没有应答：连接被拒绝、被重置，或在 --timeout 内没有应答
  70   internal      wxpay-coupon 的缺陷（bug），请报告
  130  interrupted   Ctrl-C`,

  'cli.help.runsNothing': "help 只显示帮助、不运行任何命令：help 后面只写命令名，例如 'wxpay-coupon help certs download'",
  'cli.typographicDash': (p) => `${p.arg} 以排版用的破折号开头，而不是两个连字符（编辑器或聊天软件会把 -- 变成 – 或 —）；请输入 ${p.flag}`,
  'cli.flagRepeated': (p) =>
    `${p.flag} 给出了 ${p.count} 次，但只能用一个；请只给一次${p.flag === '--open-id' ? '（一个 token 只对应一个用户：多个用户请用 --batch）' : ''}`,
  'cli.flagBeforeCommand': (p) => `${p.flag} 是 '${p.commandPath}' 的选项，要写在命令之后：${p.commandPath} ${p.flag} …`,
  'cli.usage.hint': (p) => `${p.message}；运行 '${p.commandPath} --help' 查看用法`,
  'cli.commander.unknownOption': (p) => `未知选项 '${p.flag}'${didYouMean(p.suggestions)}`,
  'cli.help.extraWords': (p) =>
    `help 后面只接一个命令，命令之后不能再有别的词；要查看该命令的帮助，请运行 '${p.commandPath} --help'（或 'wxpay-coupon help ${p.commandPath.replace(/^wxpay-coupon ?/, '')}'）`,
  'cli.fullWidthSpace': (p) => `：${p.flag} 后面是一个全角空格（U+3000，中文输入法输入的）；请改为半角空格`,
  'cli.fullWidthEquals': (p) =>
    `：${p.flag} 后面是全角的 ${p.character}（中文输入法输入的）；请写成 ${p.flag}=值（半角 =）或 ${p.flag} 值（中间用空格）`,
  'cli.fullWidthFlag': (p) => `；它是用全角字母输入的（中文输入法的全角模式）：请输入 ${p.flag}`,
  'cli.singleDash': (p) => `；长选项以两个连字符开头：${p.flag}`,
  'cli.fullWidthSpaceAfter': (p) => `；某个参数在 ${p.word} 之后有一个全角空格（U+3000，中文输入法输入的）；请改为半角空格`,
  'cli.fullWidthSpaceBefore': (p) =>
    `某个参数在 ${p.flag} 之前有一个全角空格（U+3000，中文输入法输入的），shell 因此把它们当成了一个参数；请改为半角空格`,
  'cli.token.noArguments':
    '；token 不接受参数：openid 要写在 --open-id 之后，例如 wxpay-coupon token --open-id oUser --coupon 16474341:11004999626',
  'cli.commander.unknownCommand': (p) => `未知命令 '${p.name}'${didYouMean(p.suggestions)}`,
  'cli.commander.missingArgument': (p) => `缺少必需的参数 '${p.name}'`,
  'cli.commander.optionMissingArgument': (p) => `选项 '${p.flags}' 缺少值`,
  'cli.commander.missingMandatoryOptionValue': (p) => `没有给出必需的选项 '${p.flags}'`,
  'cli.commander.conflictingOption': (p) => `${source(p.option)} 不能与${source(p.other)} 同时使用`,
  'cli.commander.invalidOptionArgument': (p) => `选项 '${p.flags}' 的值 '${p.value}' 无效。${reasonText(p.reason)}`,
  'cli.commander.invalidEnvArgument': (p) => `选项 '${p.flags}' 来自环境变量 '${p.env}' 的值 '${p.value}' 无效。${reasonText(p.reason)}`,
  'cli.commander.invalidCommandArgument': (p) => `参数 '${p.name}' 的值 '${p.value}' 无效。${reasonText(p.reason)}`,
  'cli.commander.excessArguments': (p) =>
    `${p.command === undefined ? '' : `'${p.command}' 命令的`}参数过多：应有 ${p.expected} 个参数，实际给了 ${p.got} 个`,
  'cli.flagAsValue': (p) =>
    `${p.option} 需要一个值，但下一个参数${p.next === undefined ? "以 '-' 开头，像是一个选项" : ` ${p.next} 是一个选项`}（变量为空？）；请给 ${p.option} 一个值，` +
    `以 '-' 开头的值请写成 ${p.option}=<value>`,

  'cli.error.requestId': (p) => `Request-ID: ${p.requestId}（请提供给微信支付技术支持）`,
  'cli.error.detail': (p) => `详情：${p.detail}`,
  'cli.error.internal': (p) =>
    `内部错误：${p.reason}。这是 wxpay-coupon 的缺陷（bug），请连同你运行的命令一起报告（加 --verbose 重新运行可附上调用栈）。`,
  'cli.warning.label': '警告：',
  'cli.textCut': (p) => `……（另有 ${String(p.more)} 个字符未显示）`,
  'cli.base64Hidden': (p) => `[${String(p.length)} 个 base64 字符，形如密钥中的一行，不予显示]`,
  'cli.keyShapeHidden': '[一个由 32 个字母和数字组成、形如 APIv3密钥的值，不予显示]',
  'cli.pemHidden': (p) => `[PEM 文本，${String(p.length)} 个字符，不予显示]`,
  // A full-width colon after a Chinese label (商户号：…), an ASCII one after a key (mchid: …).
  'cli.labelSeparator': (p) => (/[\u3400-\u9fff）]$/.test(p.label) ? '：' : ': '),
  'cli.config.oneProblem': '配置有一个问题：',
  'cli.config.problems': (p) => `配置有 ${p.count} 个问题：`,
  'cli.output.cannotWrite': (p) =>
    `无法写入 ${p.output}：${(p.errno ? WRITE_FAILURES[p.errno] : undefined) ?? p.reason}${p.errno ? `（${p.errno}）` : ''}`,
  'cli.output.writeFailed': '写入失败',
  'cli.interrupted.beforeAnswer': '在微信支付应答之前被中断（Ctrl-C 或 SIGTERM）；没有输出 token',

  'cli.bin.interruptedAgain': '再次被中断；立即停止',
  'cli.bin.internal': (p) => `内部错误：${p.reason}。这是 wxpay-coupon 的缺陷（bug），请报告。`,
  'cli.bin.stoppedEarly':
    '内部错误：命令在完成之前就停止了（已没有任何可等待的事）。这是 wxpay-coupon 的缺陷（bug），请连同你运行的命令一起报告。',
});
