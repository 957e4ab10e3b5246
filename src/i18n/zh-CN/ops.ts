/** 简体中文: the ops area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { ops as English } from '../en/ops.js';

/** en/ops.ts folderNamed, with what follows it: `--dir "sb"（/home/me/sb）`, or a space after a folder given in full. */
function folderNamed(flag: string, unnamed: string, given: string | undefined, folder: string): string {
  return `${given === undefined ? unnamed : `${flag} "${given}"`}${given === folder ? ' ' : `（${folder}）`}`;
}

export const ops = translation<typeof English>()({
  'ops.doctor.name.config': '配置来源',
  'ops.doctor.name.configuration': '配置来源',
  'ops.doctor.name.mchid': '商户号',
  'ops.doctor.name.serial': '商户API证书序列号',
  'ops.doctor.name.privateKey': '商户API私钥',
  'ops.doctor.name.privateKeyPermissions': '商户API私钥文件权限',
  'ops.doctor.name.merchantCertificateSerial': '商户API证书的序列号',
  'ops.doctor.name.merchantCertificateKey': '商户API证书与私钥是否配对',
  'ops.doctor.name.verificationKey': '验签密钥',
  'ops.doctor.name.certificate': (p) => `平台证书 ${p.serial}`,
  'ops.doctor.name.settings': '其他配置项',
  'ops.doctor.name.online': '联网检查',
  'ops.doctor.config': (p) =>
    `${p.file ?? '无配置文件（仅使用环境变量）'}${p.profile ? `，profile ${p.profile}` : ''}` +
    (p.environment.length > 0 ? `；来自环境变量：${p.environment.join('、')}` : ''),
  'ops.doctor.placeholder': (p) => `${p.value} 是示例配置中的占位值，不是你的：请把 ${p.key} 改为你自己的值（可在商户平台查到）`,
  'ops.doctor.valueFrom': (p) => `${p.value}（${p.source ?? '来源未知'}）`,
  'ops.doctor.privateKey': (p) => `RSA ${String(p.bits)} 位，来自 ${p.source ?? '来源未知'}`,
  'ops.doctor.permissions.ownerOnly': '仅文件所有者可读',
  'ops.doctor.permissions.inline': '内联 PEM（不是文件）',
  'ops.doctor.merchantSerial.ok': (p) => `${p.serial} 与 serial 一致`,
  'ops.doctor.merchantSerial.mismatch': (p) =>
    `商户API证书的序列号是 ${p.certificateSerial}，但 serial 配置为 ${p.serial}；请把 serial 改为 ${p.certificateSerial}（序列号错误会导致 SIGN_ERROR）`,
  'ops.doctor.merchantSerial.unjudged': (p) =>
    `未比较：${p.source} 中的证书与商户API私钥不配对（见下一项检查），所以它的序列号不能说明 serial 是否正确`,
  'ops.doctor.merchantKey.ok': '商户API私钥与商户API证书配对',
  'ops.doctor.merchantKey.mismatch': (p) =>
    `商户API私钥与 ${p.source} 中的商户API证书不配对；请使用与该 apiclient_cert.pem 一同签发的 apiclient_key.pem（这是 SIGN_ERROR 最常见的原因）`,
  'ops.doctor.verificationKeys': (p) =>
    p.keys.map((key) => `${key.kind === 'public-key' ? '微信支付公钥' : '平台证书'} ${key.serial}`).join('，'),
  'ops.doctor.verificationKeys.none':
    "未配置，无法对应答验签；请设置 publicKeyId 和 publicKey（微信支付公钥），或运行 'wxpay-coupon certs download' 下载平台证书",
  'ops.doctor.certificate.expiring': (p) => `将在 ${String(p.days)} 天后（${p.date}）过期；请在此之前运行 'wxpay-coupon certs download'`,
  'ops.doctor.certificate.expired': (p) => `已于 ${p.date} 过期；请运行 'wxpay-coupon certs download'，或改用微信支付公钥`,
  'ops.doctor.certificate.notYetValid': (p) => `在 ${p.from} 之前尚未生效`,
  'ops.doctor.certificate.validUntil': (p) => `有效期至 ${p.date ?? '未知日期'}`,
  'ops.doctor.settings': (p) =>
    p.items
      .map((item) =>
        item.value === undefined
          ? `${item.key} 未设置`
          : `${item.key} ${item.value === 'set' ? '已设置' : item.value}（${item.source ?? '默认值'}）`,
      )
      .join('，'),
  'ops.doctor.online.ok': (p) =>
    `${p.baseUrl} 接受了签名请求，应答验签通过（往返 ${String(p.ms)} ms${p.requestId ? `，Request-ID ${p.requestId}` : ''}）`,
  'ops.doctor.online.publicKeyMerchant': (p) =>
    `${p.baseUrl} 接受了签名请求，应答验签通过（往返 ${String(p.ms)} ms）；404 RESOURCE_NOT_EXISTS：该商户使用微信支付公钥，符合预期`,
  'ops.doctor.online.verifiedError': (p) =>
    `${p.baseUrl} 接受了签名请求，应答验签通过（往返 ${String(p.ms)} ms）；它应答了 404 RESOURCE_NOT_EXISTS：${p.message}`,
  'ops.doctor.online.unsigned': (p) =>
    `${p.baseUrl} 应答了 404 RESOURCE_NOT_EXISTS（往返 ${String(p.ms)} ms），但应答不带微信支付的签名，无法验签，因此不能证明这套商户凭据有效：途中的任何一方（代理、配错的 baseUrl）都能发出这样的应答\n请确认 baseUrl 指向微信支付，且没有代理删掉 Wechatpay-* 应答头`,
  'ops.doctor.online.skipped': '未进行：请先修复上面的问题，再运行 doctor --online',
  'ops.doctor.online.untrusted': (p) => `因此这个 ${String(p.status)} 应答不能证明微信支付接受了这套商户凭据`,
  'ops.doctor.offlineOnly': '（仅做了离线检查；加上 --online 可确认微信支付接受这些商户凭据）',
  'ops.doctor.failed': (p) => `doctor：${String(p.count)} 项检查未通过；每一项都写明了修复方法`,

  'ops.certs.out.isFile': '是一个文件，或位于某个文件之下',
  'ops.certs.out.notWritable': '当前用户没有写权限',
  'ops.certs.out.readOnly': '位于只读文件系统上',
  'ops.certs.out.full': '所在磁盘已满',
  'ops.certs.out.tooLong': '路径过长',
  'ops.certs.out.loop': '经过了循环的符号链接',
  'ops.certs.out.cannotMake': '无法创建：这个文件系统不允许在那里新建目录（例如 /proc）',
  'ops.certs.out.other': (p) => `无法写入（${p.reason}）`,
  'ops.certs.out.invalid': (p) =>
    `${folderNamed('--out', '当前工作目录', p.given, p.folder)}${p.problem}；证书文件要写入一个目录，请为 --out 指定一个可写的目录；未下载任何内容`,
  'ops.certs.apiv3KeyMissing': '未设置，而下载平台证书需要用 APIv3密钥 解密；请设置 "apiv3Key" 或 WXPAY_APIV3_KEY',
  'ops.certs.download.line': (p) => `${p.serial}  生效时间 ${p.effective}  过期时间 ${p.expires}`,
  'ops.certs.download.written': (p) => `  已写入 ${p.file}`,
  'ops.certs.download.addToConfig': '请在配置文件中加入：',
  'ops.certs.expired': (p) => `平台证书 ${p.serial} 已于 ${p.date} 过期；请运行 'wxpay-coupon certs download'，或改用微信支付公钥`,
  'ops.certs.notYetValid': (p) => `平台证书 ${p.serial} 在 ${p.from} 之前尚未生效`,
  'ops.certs.expiring': (p) => `平台证书 ${p.serial} 将在 ${String(p.days)} 天后（${p.date}）过期；请运行 'wxpay-coupon certs download'`,
  'ops.certs.list.none': '未配置任何微信支付验签密钥。',
  // 微信支付公钥 is 12 columns wide; 平台证书 is padded to the same.
  'ops.certs.list.kind': (p) => (p.kind === 'public-key' ? '微信支付公钥' : '平台证书    '),
  'ops.certs.list.expires': (p) => `${p.date} 过期`,
  'ops.certs.list.neverExpires': '永不过期',
  'ops.certs.list.noKeyWarning': "无法对应答验签；请设置 publicKeyId 和 publicKey，或运行 'wxpay-coupon certs download'",

  'ops.certificates.notJson': '平台证书应答不是 JSON',
  'ops.certificates.empty': '平台证书应答中没有任何证书',
  'ops.certificates.listingInvalid': (p) =>
    `应答中的证书 data[${String(p.index)}] 缺少 serial_no、effective_time、expire_time 或 encrypt_certificate`,
  'ops.certificates.decryptionFailed': (p) => `平台证书 ${p.serial}：${p.reason}`,
  'ops.certificates.invalid': (p) => `平台证书 ${p.serial}：解密后的数据${p.reason}`,
  'ops.certificates.serialMismatch': (p) => `应答中序列号为 ${p.listed} 的平台证书，解密后的序列号却是 ${p.actual}`,
  'ops.certificates.validityMismatch': (p) =>
    `平台证书 ${p.serial} 的有效期为 ${p.from} 至 ${p.to}，但应答中列出的是 ${p.listedFrom} 至 ${p.listedTo}`,
  'ops.certificates.publicKeyMerchant': (p) =>
    `微信支付应答 ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS：` +
    '该商户没有平台证书，使用的是微信支付公钥。' +
    '请在商户平台「账户中心 → API安全 → 微信支付公钥」下载微信支付公钥，然后在配置文件中设置 publicKeyId（PUB_KEY_ID_…）和 publicKey。',
  'ops.certificates.publicKeyConfigured': (p) =>
    `微信支付应答 ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS（应答签名已验证）：` +
    `该商户没有平台证书，使用的是配置中已有的微信支付公钥（publicKeyId ${p.publicKeyId}），所有应答都用它验签；没有需要下载的平台证书。`,
  'ops.certificates.unsigned': (p) =>
    `${p.baseUrl} 应答了 ${p.status === undefined ? '' : `${String(p.status)} `}RESOURCE_NOT_EXISTS，但应答不带微信支付的签名，无法验签，` +
    '因此不能证明它来自微信支付：途中的任何一方（代理、配错的 baseUrl）都能发出这样的应答；请确认 baseUrl 指向微信支付，且没有代理删掉 Wechatpay-* 应答头。' +
    '（对使用微信支付公钥而非平台证书的商户，微信支付会这样应答。）',
  'ops.certificates.downloadedSource': '下载的平台证书',

  'ops.sandbox.invalidMode': (p) => `--mode "${p.mode}" 只能是 public-key 或 certificate`,
  'ops.sandbox.invalidPort': (p) => `--port "${p.port}" 必须是 0 到 65535 之间的端口号（0 表示自动选一个空闲端口）`,
  'ops.sandbox.listenFailed': (p) => `无法在 ${p.host}:${p.port} 上监听（${p.reason}）；请换一个 --port 或 --host`,
  'ops.sandbox.exposed': (p) => `沙箱在 ${p.host} 上以明文 HTTP 提供服务，用的是临时密钥；任何能访问到它的人都能使用它`,
  'ops.sandbox.dirInvalid': (p) =>
    `${folderNamed('--dir', '临时目录', p.given, p.folder)}${p.problem}；沙箱要把 .wxpayrc.json 和密钥写入一个目录，请为 --dir 指定一个可写的目录`,
  'ops.sandbox.dirNotOnlyYours': (p) =>
    `${folderNamed('--dir', '临时目录', p.given, p.folder)}不是只有你能写入的目录：` +
    (p.uid !== undefined
      ? `${p.distrusted} 属于另一个用户（uid ${String(p.uid)}）`
      : `同组用户或其他用户可以写入 ${p.distrusted}，且它没有粘滞位（权限 ${p.mode ?? ''}）`) +
    '；沙箱的密钥放在那里可能被他人读取或替换，请为 --dir 指定一个属于你自己的目录；未写入任何文件',
  'ops.sandbox.dirForeignFile': (p) =>
    `${folderNamed('--dir', '临时目录', p.given, p.folder)}中已有一个不是沙箱写入的 ${p.file}` +
    `（沙箱写入的目录中会有它的 ${p.marker}）；沙箱会覆盖它，请为 --dir 指定一个新的或空的目录，或者之前某个沙箱用过的目录；未写入任何文件`,
  'ops.sandbox.dirHasConfig': (p) =>
    `${folderNamed('--dir', '临时目录', p.given, p.folder)}中已有它自己的配置文件 ${p.file}；` +
    '配置查找在每个目录只读取一个文件，沙箱的 .wxpayrc.json 会取代它被读取（或者它取代沙箱的配置）：请为 --dir 指定一个新的或空的目录；未写入任何文件',
  'ops.sandbox.dirInUse': (p) =>
    `${folderNamed('--dir', '临时目录', p.given, p.folder)}正由一个仍在运行的沙箱使用（进程 ${String(p.pid)}）；` +
    `再启动一个会替换它正在使用的密钥和配置：请先停止那个沙箱（Ctrl-C，或 kill ${String(p.pid)}），或为 --dir 指定另一个目录；未写入任何文件`,
  'ops.sandbox.title': '微信支付本地沙箱',
  'ops.sandbox.at': (p) => `${p.title}（${p.mode === 'public-key' ? '微信支付公钥' : '平台证书'}模式），地址 ${p.baseUrl}`,
  'ops.sandbox.dir': (p) => `配置目录：${p.dir}`,
  'ops.sandbox.try': '试一试：',
  'ops.sandbox.serving': '沙箱运行中，按 Ctrl-C 停止。这里的密钥仅供沙箱使用，切勿用于真实的微信支付。',
  'ops.sandbox.log.fault': (p) => `（故障注入：${p.fault}）`,
  'ops.sandbox.fault.label': '故障注入：',
  'ops.sandbox.fault.line': (p) =>
    `${p.label}${p.name}（${p.description}），${p.count === undefined ? '每个请求' : `前 ${String(p.count)} 个请求`}`,
  'ops.fault.fullWidthColon': (p) => `"${p.text}" 中是全角冒号（\uff1a）；请改用半角冒号：--fault ${p.mended}`,
  'ops.fault.notAFault': (p) => `"${p.text}" 不是可注入的故障；请使用以下之一：${p.names}，可加 :count（如 503:2）`,
  'ops.fault.badCount': (p) => `"${p.text}"：次数必须是从 1 起的整数，如 ${p.name}:2`,
  'ops.fault.500': '500 SYSTEM_ERROR',
  'ops.fault.502': '502 SERVICE_UNAVAILABLE',
  'ops.fault.503': '503 SERVICE_UNAVAILABLE',
  'ops.fault.429': '429 RATELIMIT_EXCEEDED，带应答头 `Retry-After: 1`',
  'ops.fault.reset': '应答发到一半时断开连接',
  'ops.fault.hang': '接受请求，但永不应答',
  'ops.fault.slowBody': '应答每 100 ms 只发送一个字节',
  'ops.fault.badSignature': '用随机乱码作为应答签名',
  'ops.fault.tamperedBody': '签名的是一个应答主体，发送的却是另一个',
  'ops.fault.unknownSerial': '在 Wechatpay-Serial 中声明一个客户端没有的密钥序列号',
  'ops.fault.staleTimestamp': '用 10 分钟前的时间戳签名',
  'ops.fault.missingHeaders': '应答中去掉 Wechatpay-Signature 和 Wechatpay-Serial',
  'ops.fault.probeSignature': '发送以 WECHATPAY/SIGNTEST/ 开头的探测签名（签名探测流量）',
  'ops.fault.notJson': '签名正确、但主体不是 JSON 的应答',
  'ops.fault.noToken': '签名正确、但没有 token 的 200 应答',
  'ops.fault.hugeBody': '2 MiB 的应答主体',
  'ops.fault.expiredToken': '签名正确、但 expires_time 在一小时前的 token',
  'ops.fault.oddToken': '签名正确、但含有换行符和转义序列的 token',
  'ops.fault.longToken': '签名正确、长 100 个字符的 token，超过跳转页面的 64 个字符上限',
  'ops.fault.noContent': '用签名正确、主体为空的 204 代替 2xx 应答',
});
