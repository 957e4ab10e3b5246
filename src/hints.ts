/** What to do about an error WeChat Pay returned (P7, P11, P18), in one place so wording stays consistent. */
import { t } from './i18n/index.js';

const HINTS: Readonly<Record<string, () => string>> = {
  SIGN_ERROR: () => t('token.hint.signError'),
  NO_AUTH: () => t('token.hint.noAuth'),
  PARAM_ERROR: () => t('token.hint.paramError'),
  INVALID_REQUEST: () => t('token.hint.invalidRequest'),
  RATELIMIT_EXCEEDED: () => t('token.hint.rateLimited'),
  FREQUENCY_LIMITED: () => t('token.hint.rateLimited'),
  SYSTEM_ERROR: () => t('token.hint.systemError'),
  SERVICE_UNAVAILABLE: () => t('token.hint.serviceUnavailable'),
  NOT_FOUND: () => t('token.hint.notFound'),
  RESOURCE_NOT_EXISTS: () => t('token.hint.resourceNotExists'),
};

/**
 * GET /v3/certificates' answer to a merchant on a WeChat Pay public key (P19): RESOURCE_NOT_EXISTS,
 * 无可用的平台证书. The one test of it, for the hint below, certs download and doctor (P27).
 */
export function isNoPlatformCertificates(code: string | undefined, serverMessage: string | undefined): boolean {
  return code === 'RESOURCE_NOT_EXISTS' && serverMessage?.includes('平台证书') === true;
}

export function apiErrorHint(code: string, status: number, serverMessage = '', sentSerial?: string): string | undefined {
  // GET /v3/certificates for a merchant on a WeChat Pay public key: 404 无可用的平台证书 (careless check, helper-38).
  if (isNoPlatformCertificates(code, serverMessage)) return t('token.hint.noPlatformCertificates');
  // A publicKeyId WeChat Pay does not know for this mchid (a typo, or a merchant on platform certificates):
  // 400 "Http头Wechatpay-Serial值无效…", which the generic "fix the request" hint did not explain. Only when
  // the request carried one (a merchant on certificates alone sends none: hostile check, helper-40).
  if (status === 400 && sentSerial !== undefined && /wechatpay-serial/i.test(serverMessage))
    return t('token.hint.wechatpaySerial', { serial: sentSerial });
  const hint = Object.hasOwn(HINTS, code) ? HINTS[code] : undefined;
  if (hint) return hint();
  if (status === 429) return t('token.hint.rateLimited');
  if (status >= 500) return t('token.hint.serverError');
  if (status >= 300 && status < 400) return t('token.hint.redirect');
  return undefined;
}

const MAX_CLOCK_DIFFERENCE_MS = 60_000;

/** How far the local clock is from the answer's `Date` header, when more than a minute (P11). */
export function clockSkewNote(dateHeader: string | undefined, nowMs: number): string | undefined {
  if (!dateHeader) return undefined;
  const serverMs = Date.parse(dateHeader);
  if (Number.isNaN(serverMs)) return undefined;
  const difference = nowMs - serverMs;
  if (Math.abs(difference) <= MAX_CLOCK_DIFFERENCE_MS) return undefined;
  const seconds = Math.round(Math.abs(difference) / 1000);
  return t('token.hint.clockSkew', { seconds, ahead: difference > 0 });
}
