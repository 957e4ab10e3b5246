/**
 * User-facing text of the command line, in one place so wording stays consistent and tests can pin it.
 * The words are in the cli catalogue (src/i18n/en/cli.ts); each text is a function, so that it is
 * built in the language main() chose, never at module load. Example command lines stay as written.
 */
import { t, type MessageId } from '../i18n/index.js';

const exitCodes = (id: MessageId & `cli.exitCodes.${string}`): string => `${t('cli.help.exitCodes')}\n${t(id)}`;
const examples = (lines: readonly string[]): string => [t('cli.help.examples'), ...lines.map((line) => `  $ ${line}`)].join('\n');

export const EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.token');

export const ROOT_DESCRIPTION = (): string => t('cli.root.description');

export const ROOT_EXAMPLES = (): string =>
  examples([
    'wxpay-coupon token --sandbox --open-id oUser --coupon 16474341:11004999626',
    'wxpay-coupon token --open-id oUser --coupon 16474341:11004999626 --json | jq -r .token',
    'wxpay-coupon sandbox --dir ./sandbox',
  ]);

export const TOKEN_EXAMPLES = (): string =>
  examples([
    'wxpay-coupon token --open-id oUser --coupon 16474341:11004999626',
    'token=$(wxpay-coupon token -q --open-id oUser --coupon 16474341:11004999626)',
    'wxpay-coupon token --json --open-id oUser --coupon 16474341:11004999626 --coupon 16474341:11004999627 | jq .',
    'wxpay-coupon token --dry-run --profile prod --open-id oUser --coupon 16474341:11004999626',
    'wxpay-coupon token --sandbox --open-id oUser --coupon 16474341:11004999626',
    // The same users.json as README's pipeline: {"openid", "stock", "coupon"} a line.
    "jq -c '{open_id: .openid, coupon_list: [{stock_id: .stock, coupon_id: .coupon}]}' users.json | wxpay-coupon token --batch - --rate 50 > tokens.jsonl",
  ]);

export const SANDBOX_EXAMPLES = (): string =>
  examples([
    'wxpay-coupon sandbox',
    'wxpay-coupon sandbox --mode certificate --port 8080 --dir ./sandbox',
    `wxpay-coupon sandbox --fault 503:2 --fault bad-signature:1   # ${t('cli.example.sandboxRetries')}`,
  ]);

export const CERTS_EXAMPLES = (): string =>
  examples(['wxpay-coupon certs download --out ./keys', `wxpay-coupon certs list --json | jq '.keys[] | select(.status != "ok")'`]);

export const DOCTOR_EXAMPLES = (): string => examples(['wxpay-coupon doctor', 'wxpay-coupon doctor --online --json | jq -e .ok']);

export const DOCTOR_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.doctor');

export const CERTS_DOWNLOAD_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.certsDownload');

export const CERTS_LIST_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.certsList');

export const SANDBOX_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.sandbox');

export const API_EXAMPLES = (): string =>
  examples([
    'wxpay-coupon api GET /v3/certificates',
    `wxpay-coupon api POST /v3/industry-coupon/tokens --data '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}'`,
    "wxpay-coupon api GET '/v3/marketing/favor/users/oUser/coupons?appid=wx1234567890abcdef&stock_id=16474341' --json | jq .body",
    'wxpay-coupon api POST /v3/marketing/favor/users/oUser/coupons --data @body.json',
    'jq -c . body.json | wxpay-coupon api POST /v3/marketing/favor/users/oUser/coupons --data -',
    "wxpay-coupon api GET /v3/certificates --header 'Accept-Language: en' --dry-run",
  ]);

export const API_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.api');

export const NOTIFY_EXAMPLES = (): string =>
  examples([
    `nc -l 127.0.0.1 8080 > notify.http          # ${t('cli.example.notifyCapture')}`,
    'wxpay-coupon notify verify notify.http',
    'wxpay-coupon notify verify notify.http --now 2026-11-29T17:26:33+08:00 --json | jq .resource',
    'wxpay-coupon notify verify --body body.json --header "Wechatpay-Timestamp: $TS" --header "Wechatpay-Nonce: $NONCE" \\\n' +
      '      --header "Wechatpay-Signature: $SIG" --header "Wechatpay-Serial: $SERIAL"',
    'wxpay-coupon sandbox --dir ./sandbox &',
    'wxpay-coupon notify send --sandbox-dir ./sandbox --to http://127.0.0.1:3000/wxpay/notify',
  ]);

export const NOTIFY_VERIFY_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.notifyVerify');

export const NOTIFY_SEND_EXIT_CODE_HELP = (): string => exitCodes('cli.exitCodes.notifySend');

/** The space after a label such as "warning:"; none after a full-width colon ("警告："). */
export const afterLabel = (label: string): string => (label.endsWith('\uff1a') ? '' : ' ');

export function internalErrorMessage(reason: string): string {
  return t('cli.error.internal', { reason });
}
