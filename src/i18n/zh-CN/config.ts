/** 简体中文: the config area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { config as English } from '../en/config.js';

const CJK = /[\u3400-\u9fff]/;
const LATIN_START = /[A-Za-z0-9"'`~/.\-_<({[#*$+@]/;
const LATIN_END = /[A-Za-z0-9"'`)>\]}*…/]/;

/** Joins two pieces, with a space where a Chinese character meets a Latin word, number or quoted value. */
function gap(left: string, right: string): string {
  const last = left.at(-1);
  const first = right[0];
  if (last === undefined || first === undefined) return left + right;
  const needed = (CJK.test(last) && LATIN_START.test(first)) || (LATIN_END.test(last) && CJK.test(first));
  return needed ? `${left} ${right}` : left + right;
}

/** Examples as alternatives, spaced as z`` spaces its values: A 或 B, A（不带路径）或 B. */
function either(examples: readonly string[]): string {
  return examples.reduce((text, example) => (text === '' ? example : gap(gap(text, '或'), example)), '');
}

/** A template whose values are spaced from the Chinese around them as README.zh-CN.md does (中文 value 中文). */
function z(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text = gap(gap(text, String(value)), strings[index + 1] ?? '');
  });
  return text;
}

/**
 * js-yaml's reasons (node_modules/js-yaml/lib/loader.js, 4.x) for what a hand-written config gets
 * wrong, in Chinese; src/config.ts has already put "…" where js-yaml quoted the file. A reason not
 * here is quoted as js-yaml gave it, marked as js-yaml's own words (test/zh-config.e2e.test.js
 * lists which js-yaml reasons this covers).
 */
export const YAML_REASONS: ReadonlyMap<string, string> = new Map([
  ['bad indentation of a mapping entry', '映射项的缩进不对'],
  ['bad indentation of a sequence entry', '列表项的缩进不对'],
  ['deficient indentation', '缩进不够'],
  ['missing indentation for block scalar', '多行文本块缺少缩进'],
  ['tab characters must not be used in indentation', '缩进中不能使用制表符（Tab），请改用空格'],
  ['duplicated mapping key', '键重复'],
  ['unknown escape sequence', '双引号字符串中有未知的转义序列'],
  ['expected hexadecimal character', '转义序列中应为十六进制字符'],
  ['missed comma between flow collection entries', '[…] 或 {…} 的元素之间缺少逗号'],
  ['unexpected end of the stream within a flow collection', '[…] 或 {…} 没有闭合就到了文件末尾'],
  ['unexpected end of the stream within a double quoted scalar', '双引号字符串没有闭合就到了文件末尾'],
  ['unexpected end of the stream within a single quoted scalar', '单引号字符串没有闭合就到了文件末尾'],
  ['unexpected end of the document within a double quoted scalar', '双引号字符串没有闭合就到了文档末尾'],
  ['unexpected end of the document within a single quoted scalar', '单引号字符串没有闭合就到了文档末尾'],
  ['end of the stream or a document separator is expected', '此处应为文件末尾或文档分隔符（---）'],
  ['expected a single document in the stream, but found more', '文件中只能有一个文档，却有多个（---）'],
  ['can not read an implicit mapping pair; a colon is missed', '读不出键值对：缺少冒号'],
  ['can not read a block mapping entry; a multiline key may not be an implicit key', '读不出映射项：键不能跨行'],
  ['incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line', '键值对不完整：缺少键'],
  ['a whitespace character is expected after the key-value separator within a block mapping', '冒号之后应有空格'],
  ['expected the node content, but found …', '此处应为值，却是逗号'],
  ['the stream contains non-printable characters', '文件中含有不可打印的字符'],
  ['null byte is not allowed in input', '文件中不能有空字节（NUL）'],
  ['unidentified alias …', '引用了未定义的锚点（别名）'],
  ['name of an alias node must contain at least one character', '别名（*）后面缺少名字'],
  ['name of an anchor node must contain at least one character', '锚点（&）后面缺少名字'],
  ['unknown tag …', '未知的标签（!）'],
]);

/** config.file.yaml: js-yaml's reason ("bad indentation of a mapping entry (3:9)") in Chinese, with its line and column. */
function yamlReason(reason: string | undefined): string {
  if (reason === undefined) return '无法解析：YAML 无效';
  const [, words = reason, line, column] = /^(.*?)(?: \((\d+):(\d+)\))?$/.exec(reason) ?? [];
  const chinese = YAML_REASONS.get(words);
  if (chinese === undefined) return z`无法解析：YAML 语法错误（js-yaml 的原文：“${reason}”）`;
  return line === undefined
    ? `无法解析：YAML 语法错误（${chinese}）`
    : z`无法解析：YAML 语法错误，第 ${line} 行第 ${column} 列（${chinese}）`;
}

/** A PEM label in Chinese words. */
function label(pem: string): string {
  if (/PRIVATE KEY/.test(pem)) return '私钥';
  if (/PUBLIC KEY/.test(pem)) return '公钥';
  if (pem === 'CERTIFICATE') return '证书';
  return z`“${pem}”类型的 PEM 块`;
}

const KEY_WHAT = { private: '私钥', public: '公钥', certificate: '证书公钥' } as const;

/** JavaScript's type names (typeof) as a Chinese message says them. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: '数字',
  boolean: '布尔值',
  bigint: '大整数（bigint）',
  string: '字符串',
  symbol: 'symbol 值',
  function: '函数',
  undefined: 'undefined',
};
const typeName = (type: string): string => TYPE_NAMES[type] ?? z`${type} 值`;

const FILE_KINDS = {
  folder: '目录',
  fifo: '命名管道（FIFO）',
  character: '字符设备',
  block: '块设备',
  socket: '套接字',
  other: '',
} as const;

export const config = translation<typeof English>()({
  'config.help.baseUrl': '把请求发往这个源（origin），而不是配置中的地址（https；回环地址可用 http）',
  'config.help.timeout': (p) => z`每次尝试的超时时间，单位毫秒（默认：配置中的 timeout，否则为 ${p.fallback}）`,
  'config.help.retries': (p) => z`遇到网络错误、429 和 5xx 时最多重试 n 次（默认：配置中的 retries，否则为 ${p.fallback}）`,
  'config.help.proxy':
    '通过这个 HTTP(S) 代理发送（默认：配置中的 proxy，否则用 HTTPS_PROXY/HTTP_PROXY/NO_PROXY，这几个环境变量对回环地址从不生效）',
  'config.help.rate': '批量模式：每秒发起的请求数（含重试），可为小数，如 50 或 0.5（默认：配置中的 rate，否则不限速）',
  'config.help.concurrency': (p) => z`批量模式：同时进行的请求数（默认 ${p.fallback}）`,
  'config.help.profile': '使用配置文件中的这个 profile（环境变量 WXPAY_PROFILE）',

  'config.required.mchid': '商户号（数字）',
  'config.required.serial': '商户API证书序列号',
  'config.required.privateKey': '商户API私钥 apiclient_key.pem',
  'config.missing': (p) => z`未设置${p.what}；请在配置文件中设置 "${p.key}"${p.env ? z`，或设置环境变量 ${p.env}` : ''}`,

  'config.rule.timeout': (p) => z`${p.min} 到 ${p.max} 之间的整数（毫秒）`,
  'config.rule.retries': (p) => z`${p.min} 到 ${p.max} 之间的整数（重试次数）`,
  'config.rule.concurrency': (p) => z`${p.min} 到 ${p.max} 之间的整数（同时进行的请求数）`,
  'config.rule.rate': '大于 0 且不超过 10000 的数（每秒请求数，可为小数）',
  'config.rule.proxy': '代理 URL',
  'config.rule.proxy.example': (p) => z`${p.url}（不带路径）`,
  'config.value.fullWidthDigits': (p) => `；其中的数字是全角的（中文输入法输入的）：请改用半角数字 ${p.mended}`,
  'config.rule.mustBe': (p) => z`必须是${p.expected}，例如 ${either(p.examples)}，实际是${p.value}`,
  'config.rule.isNot': (p) => z`${p.value} 不是有效的${p.expected}；例如 ${either(p.examples)}`,
  'config.flag.mustBe': (p) =>
    z`${p.flag} ${p.value} 无效：必须是${p.expected}，例如 ${either(p.examples.map((example) => `${p.flag} ${example}`))}`,
  'config.flag.isNot': (p) =>
    z`${p.flag} ${p.value} 不是有效的${p.expected}；例如 ${either(p.examples.map((example) => `${p.flag} ${example}`))}`,

  'config.value.null': 'null',
  'config.value.list': '一个列表',
  'config.value.object': '一个对象',
  'config.value.type': (p) => z`一个${typeName(p.type)}`,
  'config.value.typed': (p) => z`${typeName(p.type)} ${p.value}`,
  'config.value.size': (p) => z`一个长 ${p.length} 个字符的值`,
  'config.value.set': '已设置',

  'config.file.notRun': (p) => z`不会执行 ${p.file}：${p.reason}`,
  'config.file.skipped': (p) => z`已跳过 ${p.file}，没有读取：${p.reason}`,
  'config.file.missing': (p) => z`${p.file} 不存在；请检查路径（相对于 ${p.cwd}）`,
  'config.file.denied': (p) => z`无法读取 ${p.file}：权限不足`,
  'config.file.folder': (p) => z`${p.file} 是目录；请指定配置文件本身`,
  'config.file.unparsable': (p) => z`无法解析：${p.reason}`,
  'config.file.emptyPath': '为空；请指定一个配置文件，或去掉它以自动查找',
  'config.file.noConfiguration': (p) => z`${p.file} 中没有任何配置`,
  'config.file.notRegular': '不是普通文件（而是管道、设备或套接字）；请指定一个配置文件',
  'config.file.tooLarge': (p) => z`大小为 ${p.size} 字节；配置文件最大只能是 ${p.max} 字节（1 MiB）`,
  'config.file.grew': (p) => z`在读取过程中增大到超过 ${p.max} 字节`,
  // The reason is src/json.ts's, already in Chinese (token.json.*).
  'config.json.at': (p) => z`JSON 无效：第 ${p.line} 行第 ${p.column} 列（${p.reason}）`,
  'config.json.invalid': 'JSON 无效',
  'config.file.fullWidth': '；文件中注释以外的地方有全角标点（中文输入法打出的：，“”），YAML 和 JSON 不会把它们当作 : , "：请改用半角字符',
  'config.file.yaml': (p) => yamlReason(p.reason),

  'config.untrusted.owner': (p) => z`它属于另一个用户（uid ${p.uid}）`,
  'config.untrusted.writable': (p) => z`同组用户或其他用户可以写入它（权限 ${p.mode}；如果这是你的文件，请运行 chmod go-w ${p.file}）`,
  'config.untrusted.folderOwner': (p) => z`它所在的目录 ${p.folder} 属于另一个用户（uid ${p.uid}）`,
  'config.untrusted.folderWritable': (p) => z`它所在的目录 ${p.folder} 可被同组用户或其他用户写入，且没有设置粘滞位（权限 ${p.mode}）`,

  'config.js.threw': (p) =>
    z`抛出的是${p.what === 'null' ? ' null' : p.what === 'object' ? '一个对象' : z`一个${typeName(p.what)}`}，而不是 Error；请运行 \`${p.command}\` 查看`,
  'config.js.failed': (p) =>
    z`${p.reading ? '在读取其导出值时' : '加载时'}抛出了${p.name ?? '错误'}` +
    (p.line === undefined ? '' : z`（第 ${p.line} 行${p.column ? z`第 ${p.column} 列` : ''}）`) +
    z`，错误消息不予显示（其中可能含有机密）；请运行 \`${p.command}\` 查看`,
  'config.js.timeout': (p) =>
    z`未能在 ${p.seconds} 秒内加载完成（它的代码一直在运行，或者它导出的 promise 或顶层 await 一直没有完成，或者它导出的 \`then\`（\`module.exports.then\` 或 \`export const then\`）一直没有回调：请直接导出配置对象）`,
  'config.js.thenFailed': (p) =>
    z`导出的内容带有 \`then\`（Proxy，或带 \`then\` 方法的对象），会像 promise 一样被等待，而这一步失败了：${p.reason}；请直接导出配置对象`,
  'config.js.rejected': (p) => z`导出的 promise 被拒绝：${p.reason}`,
  'config.js.exited': (p) => z`在导出配置之前就结束了运行（调用了 process.exit()，退出码 ${p.code}）；配置文件只能导出配置项`,
  'config.js.thenExport':
    '导出了 `then`（`module.exports.then` 或 `export const then`），`import()` 会把这个文件当作 promise，读不到其中的配置；请删除 `then` 或给它改名，直接导出配置对象',
  'config.js.notData': '导出的内容不是纯数据（含有函数、symbol 等）；配置文件只能导出字符串、数字、布尔值、对象和数组',
  'config.js.interrupted': '加载 JS 配置文件时被中断（Ctrl-C 或 SIGTERM）；未发送任何请求',

  'config.shape.notObject': '必须是一个由配置项组成的对象（mchid、serial、privateKey …）',
  'config.shape.noProfiles': (p) => z`找不到 profile "${p.profile}"：${p.file} 中没有 profiles`,
  'config.shape.profilesNotObject': '必须是一个由命名 profile 组成的对象：{ "prod": { … } }',
  'config.shape.profileNotFound': (p) =>
    z`在 ${p.file} 中找不到 profile "${p.profile}"（可用的有：${p.available.length > 0 ? p.available.join('、') : '无'}）`,
  'config.shape.profileNotObject': '必须是一个由配置项组成的对象',
  'config.shape.profileWithoutFile': (p) => z`指定了 profile "${p.profile}"，但没有找到配置文件`,
  'config.key.name': (p) => z`（一个长 ${p.length} 个字符的配置项名）`,
  'config.key.unknown': (p) =>
    p.match ? z`未知的配置项；你是不是想写 "${p.match}"？` : z`未知的配置项；已知的配置项有：${p.keys.join('、')}、profiles`,

  'config.pem.base64': (p) =>
    z`不是 PEM 文本，也不是文件路径：看起来像是 PEM ${label(p.label)}的 base64 主体，缺少前后的 -----BEGIN 和 -----END 行（${p.length} 个字符）；` +
    z`请提供完整的 PEM 文本（包括 "BEGIN ${p.label}" 和 "END ${p.label}" 两行），或 .pem 文件的路径`,
  'config.pem.damaged': (p) =>
    z`不是 PEM 文本，也不是文件路径：看起来像是损坏的 PEM 文本，缺少 -----BEGIN 行（${p.length} 个字符）；请重新复制 PEM 文件的内容，或提供它的路径`,
  'config.pem.lineBreaks': (p) =>
    z`既不是 PEM 文本（没有 -----BEGIN 行），也不是文件路径（含有换行；${p.length} 个字符）；请提供密钥的 PEM 文本，或它的 .pem 文件的路径`,
  'config.pem.unreachable': (p) =>
    z`指向一个无法访问的文件：路径上的某个目录拒绝访问（${p.length} 个字符；相对路径相对于 ${p.baseDir} 解析）`,
  'config.path.tilde': '；以 ~ 开头的路径在引号内或配置文件中不会被展开：请写成 $HOME/… 或完整路径',
  'config.pem.noFile': (p) =>
    z`不是 PEM 文本，它给出的路径上也没有文件（${p.length} 个字符；相对路径相对于 ${p.baseDir} 解析）；请检查路径，或直接提供 PEM 文本`,
  'config.pem.kind': (p) =>
    p.kind === 'other'
      ? z`${p.file} 不是普通文件，也不是 PEM 文件；请指定密钥或证书文件本身`
      : z`${p.file} 是${FILE_KINDS[p.kind]}，不是 PEM 文件；请指定密钥或证书文件本身`,
  'config.pem.tooLarge': (p) => z`${p.file} 大于 ${p.kib} KiB，不可能是密钥或证书文件（这类文件只有几 KB）；请指定 .pem 文件本身`,
  'config.pem.denied': (p) => z`无法读取文件 ${p.file}：权限不足`,
  'config.pem.unreadable': (p) => z`无法读取文件 ${p.file}（${p.code}）`,
  'config.pem.inline': (p) => z`内联的 PEM 文本${p.problem}`,
  'config.pem.in': (p) => z`${p.file} ${p.problem}`,

  'config.key.certificateNotPrivate': '是证书，不是私钥；请使用从商户平台获取的 apiclient_key.pem 文件',
  'config.key.publicNotPrivate': '是公钥，不是私钥；请使用 apiclient_key.pem 文件',
  'config.key.encrypted': '已用口令加密；请用 `openssl pkey -in <file> -out <file>` 解密一次',
  'config.key.unreadablePrivate': '不是可读的 PEM 私钥（是否被截断或损坏？）',
  'config.key.merchantCertificate.asPublicKey':
    '是你自己的商户API证书（apiclient_cert.pem：它的公钥与 privateKey 成对），不是微信支付公钥；' +
    '请把 publicKey 设为在商户平台「账户中心 → API安全 → 微信支付公钥」下载的 pub_key.pem（这个文件可以放在 merchantCertificate 下）',
  'config.key.merchantPublicKey':
    '是 privateKey（你自己的商户API私钥）对应的公钥，不是微信支付公钥；请把 publicKey 设为在商户平台「账户中心 → API安全 → 微信支付公钥」下载的 pub_key.pem',
  'config.key.merchantCertificate.asPlatform':
    '是你自己的商户API证书（apiclient_cert.pem：它的公钥与 privateKey 成对），不是微信支付平台证书；' +
    "请用 'wxpay-coupon certs download' 下载平台证书（这个文件可以放在 merchantCertificate 下）",
  'config.key.certificateNotPublic': '是证书；请把它放在 platformCertificates 下，而不是 publicKey',
  'config.key.privateNotPublic': '是私钥，不是微信支付公钥；请使用从商户平台下载的 pub_key.pem',
  'config.key.unreadablePublic': '不是可读的 PEM 公钥（是否被截断或损坏？）',
  'config.key.notCertificate': (p) => z`是${label(p.label)}，不是证书`,
  'config.key.notPemCertificate': '不是 PEM 证书（-----BEGIN CERTIFICATE-----）',
  'config.key.unreadableCertificate': '不是可读的证书（是否被截断或损坏？）',
  'config.key.notRsa': (p) => z`是 ${p.type} ${KEY_WHAT[p.what]}；微信支付 APIv3 要求 RSA（${p.bits} 位或以上）`,
  'config.key.short': (p) => z`是 ${p.bits} 位的 RSA ${KEY_WHAT[p.what]}；微信支付 APIv3 要求 ${p.min} 位或以上`,

  'config.check.notString': (p) => z`必须是字符串，实际是${p.value}`,
  'config.check.empty': '为空',
  'config.mchid.notMchid': (p) => z`必须是商户号（数字，例如 1900000001），实际是${p.value}`,
  'config.mchid.unsafe': '是一个大到无法精确读取的数字，其中的位数已经丢失；请加上引号："mchid": "1900000001"',
  'config.mchid.digits': (p) => z`${p.value} 不是商户号；商户号只含数字，例如 1900000001`,
  'config.serial.number': (p) => `是数字，但证书序列号是十六进制文本，写成数字会丢失前导零和位数；请加上引号：${p.quoted}`,
  'config.serial.hex': (p) =>
    z`${p.value} 不是证书序列号；序列号是十六进制，例如 5F1C72E2A8931B72A2E13AF8DEE92471EB397115（可用 openssl x509 -noout -serial -in apiclient_cert.pem 查看）`,
  'config.publicKeyId.invalid': (p) => z`${p.value} 不是微信支付公钥ID；它形如 PUB_KEY_ID_0114232134912410000000000000`,
  'config.certificates.notList': (p) => z`必须是证书文件路径或 PEM 文本的列表，实际是${p.value}`,
  'config.certificates.item': (p) => z`必须是证书文件路径或 PEM 文本，实际是${p.value}`,
  'config.apiv3Key.length': (p) => z`必须正好是 32 字节（实际是 ${p.bytes} 字节）；请从商户平台重新复制 APIv3密钥`,
  'config.url.notUrlPlain': '不是 URL',
  'config.cross.publicKeyMissing': '已设置，但 publicKey 没有设置；请添加它对应的微信支付公钥（pub_key.pem）',
  'config.cross.publicKeyIdMissing': '已设置，但 publicKeyId 没有设置；请添加商户平台上显示在该公钥旁边的微信支付公钥ID（PUB_KEY_ID_…）',
  'config.cross.noVerificationKey':
    '没有配置任何验签密钥，无法验证应答的签名；请设置 publicKeyId + publicKey（微信支付公钥），或 platformCertificates（平台证书）',
  'config.none.summary': '没有找到配置：',
  'config.none.label': '配置来源',
  'config.env.unknown': (p) => `wxpay-coupon 不读取环境变量 ${p.name}，它被忽略了${p.match ? `；你是想设置 ${p.match} 吗？` : ''}`,
  'config.none.message': (p) =>
    z`${p.skipped ? '没有找到可用的配置文件' : '没有找到配置文件'}（已在 ${p.cwd} 及其上级目录中查找 ${p.places.join('、')}，然后查找了 ~/.config/wxpay/` +
    `${p.skipped ? '；上面跳过的文件没有读取' : ''}），` +
    '也没有设置 WXPAY_MCHID、WXPAY_SERIAL、WXPAY_PRIVATE_KEY 中的任何一个。请把 .wxpayrc.zh-CN.example（中文注释）复制为 .wxpayrc.yaml 并填写，或用 --config <file> 指定配置文件，' +
    '或设置 WXPAY_MCHID、WXPAY_SERIAL、WXPAY_PRIVATE_KEY 以及 WXPAY_PUBLIC_KEY_ID + WXPAY_PUBLIC_KEY，' +
    (p.sandboxFlag ? '或用 --sandbox 试用本地沙箱' : '或试用本地沙箱：运行 wxpay-coupon sandbox，再在它给出的目录中运行此命令'),
  'config.secretFile.readable': (p) =>
    z`${p.file} 含有机密，但${p.others ? '其他用户' : '同组用户'}可以读取它（权限 ${p.mode}）；请运行：chmod 600 ${p.file}`,

  'config.url.notUrl': (p) => z`${p.subject} 不是 URL；例如 https://api.mch.weixin.qq.com`,
  'config.url.scheme': (p) => z`${p.subject} 必须以 https:// 开头`,
  'config.url.insecure': (p) =>
    z`${p.subject} 用明文 http 连接一个非回环地址的主机；已签名的请求和 token 不能不加密就经过网络，请使用 https://（明文 http 只允许用于 127.0.0.1、::1 和 localhost）`,
  'config.url.originOnly': (p) => z`${p.subject} 只能是一个源（协议、主机和端口），例如 https://api.mch.weixin.qq.com`,
  'config.callback.notUrl': (p) => z`${p.subject} 不是 URL；例如 http://127.0.0.1:8080/wxpay/notify`,
  'config.callback.scheme': (p) => z`${p.subject} 必须以 https:// 开头（回环地址可用 http://）`,
  'config.callback.insecure': (p) =>
    z`${p.subject} 用明文 http 连接一个非回环地址的主机；回调通知不能不加密就经过网络，请使用 https://（明文 http 只允许用于 127.0.0.1、::1 和 localhost）`,
  'config.callback.credentials': (p) => z`${p.subject} 带有用户名或密码；微信支付不会向回调地址发送这些信息，请去掉`,
  'config.callback.fragment': (p) => z`${p.subject} 带有 #片段，它永远不会被发送；请去掉`,
});
