/**
 * What the token is for (P6): the merchant's page launches WeChat Pay's card-switch mini program
 * with `wx.navigateToMiniProgram`, at a path whose query names the merchant and the token.
 */
import { t } from './i18n/index.js';

/** The card-switch mini program's AppID (P6). */
export const LAUNCH_APP_ID = 'wx179335ce27355ca8';
export const LAUNCH_PAGE = 'trafficCoupon/pages/index/index';
/** The launch page documents `token` as string(64), though the API allows 1024 characters (P5, P6). */
export const LAUNCH_TOKEN_MAX_LENGTH = 64;

export interface LaunchParameters {
  app_id: string;
  /** `trafficCoupon/pages/index/index?mch_code=<mchid>&token=<token>`, query values percent-encoded. */
  path: string;
}

export interface LaunchWarning {
  code: string;
  message: string;
}

/** The `appId` and `path` to pass to `wx.navigateToMiniProgram`; `mchid` must be the merchant that pre-ordered. */
export function launchParameters(mchid: string, token: string): LaunchParameters {
  return {
    app_id: LAUNCH_APP_ID,
    path: `${LAUNCH_PAGE}?mch_code=${encodeURIComponent(mchid)}&token=${encodeURIComponent(token)}`,
  };
}

/** A warning when the token is longer than the launch page documents; undefined otherwise. */
export function launchTokenWarning(token: string): LaunchWarning | undefined {
  // Characters as the launch page counts them: code points, not UTF-16 units.
  const length = Array.from(token).length;
  if (length <= LAUNCH_TOKEN_MAX_LENGTH) return undefined;
  return { code: 'LAUNCH_TOKEN_TOO_LONG', message: t('token.launch.tooLong', { length, max: LAUNCH_TOKEN_MAX_LENGTH }) };
}
