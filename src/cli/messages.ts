/** User-facing text of the command line, in one place so wording stays consistent and tests can pin it. */
export const EXIT_CODE_HELP = `Exit codes:
  0    token printed (or dry run shown)
  1    api           WeChat Pay answered with an error (code, message, Request-ID shown)
  2    usage         bad flags or bad input; nothing was sent
  3    config        no config, a missing key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  a 2xx answer that cannot be trusted (signature, serial, timestamp, body)
  6    batch         --batch finished and some lines failed (each failed line has its error)
  74   output        stdout could not be written (full disk, bad descriptor, I/O error)
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`;

export const ROOT_DESCRIPTION =
  'Pre-order WeChat Pay travel-coupon card-switch tokens (POST /v3/industry-coupon/tokens): signed with your merchant key, verified against WeChat Pay\u2019s key.';

export const ROOT_EXAMPLES = `Examples:
  $ wxpay-coupon token --sandbox --open-id oUser --coupon 16474341:11004999626
  $ wxpay-coupon token --open-id oUser --coupon 16474341:11004999626 --json | jq -r .token
  $ wxpay-coupon sandbox --dir ./sandbox`;

export const TOKEN_EXAMPLES = `Examples:
  $ wxpay-coupon token --open-id oUser --coupon 16474341:11004999626
  $ token=$(wxpay-coupon token -q --open-id oUser --coupon 16474341:11004999626)
  $ wxpay-coupon token --json --open-id oUser --coupon 16474341:11004999626 --coupon 16474341:11004999627 | jq .
  $ wxpay-coupon token --dry-run --profile prod --open-id oUser --coupon 16474341:11004999626
  $ wxpay-coupon token --sandbox --open-id oUser --coupon 16474341:11004999626
  $ jq -c '{open_id, coupon_list: [{stock_id, coupon_id}]}' users.json | wxpay-coupon token --batch - --rate 50 > tokens.jsonl`;

export const SANDBOX_EXAMPLES = `Examples:
  $ wxpay-coupon sandbox
  $ wxpay-coupon sandbox --mode certificate --port 8080 --dir ./sandbox
  $ wxpay-coupon sandbox --fault 503:2 --fault bad-signature:1   # test your script's retries`;

export const CERTS_EXAMPLES = `Examples:
  $ wxpay-coupon certs download --out ./keys
  $ wxpay-coupon certs list --json | jq '.keys[] | select(.status != "ok")'`;

export const DOCTOR_EXAMPLES = `Examples:
  $ wxpay-coupon doctor
  $ wxpay-coupon doctor --online --json | jq -e .ok`;

export const DOCTOR_EXIT_CODE_HELP = `Exit codes:
  0    every check passed
  1    WeChat Pay rejected the signed call (--online), e.g. 401 SIGN_ERROR
  2    bad flags
  3    a configuration check failed
  4    --online: no answer (refused, DNS, TLS, timeout)
  5    --online: the answer could not be verified`;

export const SANDBOX_NOTE = 'note: this token came from the local sandbox, not WeChat Pay; it cannot launch the mini program.';

export function internalErrorMessage(reason: string): string {
  return (
    `internal error: ${reason}. This is a bug in wxpay-coupon; please report it with the command you ran ` +
    '(rerun with --verbose to include the stack trace).'
  );
}
