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
  5    --online: the answer could not be verified
  70   a bug in wxpay-coupon; please report it
  130  Ctrl-C`;

export const CERTS_DOWNLOAD_EXIT_CODE_HELP = `Exit codes:
  0    certificates downloaded, verified and written
  1    api           WeChat Pay answered with an error (404 RESOURCE_NOT_EXISTS: a public-key merchant)
  2    usage         bad flags, e.g. an --out that is not a writable folder; nothing was sent
  3    config        no config, a missing key or apiv3Key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  the answer or a certificate in it cannot be trusted or decrypted
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`;

export const CERTS_LIST_EXIT_CODE_HELP = `Exit codes:
  0    the keys are listed (expiry warnings go to stderr and do not change it)
  2    bad flags
  3    no config, or a key or certificate file that cannot be read
  70   a bug in wxpay-coupon; please report it`;

export const SANDBOX_EXIT_CODE_HELP = `Exit codes:
  0    stopped with Ctrl-C (or SIGTERM)
  2    bad flags, or it cannot listen on --host/--port
  70   a bug in wxpay-coupon; please report it`;

export const API_EXAMPLES = `Examples:
  $ wxpay-coupon api GET /v3/certificates
  $ wxpay-coupon api POST /v3/industry-coupon/tokens --data '{"open_id":"oUser","coupon_list":[{"stock_id":16474341,"coupon_id":"11004999626"}]}'
  $ wxpay-coupon api GET '/v3/marketing/favor/users/oUser/coupons?appid=wx1234567890abcdef&stock_id=16474341' --json | jq .body
  $ wxpay-coupon api POST /v3/marketing/favor/users/oUser/coupons --data @body.json
  $ jq -c . body.json | wxpay-coupon api POST /v3/marketing/favor/users/oUser/coupons --data -
  $ wxpay-coupon api GET /v3/certificates --header 'Accept-Language: en' --dry-run`;

export const API_EXIT_CODE_HELP = `Exit codes:
  0    the verified answer printed (nothing for an empty answer such as 204), or dry run shown
  1    api           WeChat Pay answered with an error (code, message, Request-ID shown)
  2    usage         bad method, path, --data or --header; nothing was sent
  3    config        no config, a missing key, an unreadable or invalid key file
  4    network       no answer: refused, DNS, TLS, timeout
  5    verification  a 2xx answer that cannot be trusted; nothing on stdout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`;

export const NOTIFY_EXAMPLES = `Examples:
  $ nc -l 127.0.0.1 8080 > notify.http          # capture one notification (or dump the raw request in your handler)
  $ wxpay-coupon notify verify notify.http
  $ wxpay-coupon notify verify notify.http --now 2026-11-29T17:26:33+08:00 --json | jq .resource
  $ wxpay-coupon notify verify --body body.json --header "Wechatpay-Timestamp: $TS" --header "Wechatpay-Nonce: $NONCE" \\
      --header "Wechatpay-Signature: $SIG" --header "Wechatpay-Serial: $SERIAL"
  $ wxpay-coupon sandbox --dir ./sandbox &
  $ wxpay-coupon notify send --sandbox-dir ./sandbox --to http://127.0.0.1:3000/wxpay/notify`;

export const NOTIFY_VERIFY_EXIT_CODE_HELP = `Exit codes:
  0    verified and decrypted; the resource printed
  2    usage         not an HTTP request, no JSON body, not a notification's shape, bad flags
  3    config        no apiv3Key, or no WeChat Pay public key or platform certificate configured
  5    verification  untrustworthy: a missing header, a stale timestamp, an unknown serial, a bad or probe
                     signature, a resource that does not decrypt; nothing on stdout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C (or SIGTERM) while reading the input`;

export const NOTIFY_SEND_EXIT_CODE_HELP = `Exit codes:
  0    your handler answered 2xx
  1    handler       your handler answered something else (its status and body shown): WeChat Pay would retry
  2    usage         bad --to, --event-type, --resource or --timeout; nothing was sent
  3    config        the --sandbox-dir folder holds no sandbox keys (run wxpay-coupon sandbox --dir <folder>)
  4    network       your handler did not answer: refused, reset, or no answer within --timeout
  70   internal      a bug in wxpay-coupon; please report it
  130  interrupted   Ctrl-C`;

export const SANDBOX_NOTE = 'note: this token came from the local sandbox, not WeChat Pay; it cannot launch the mini program.';

export function internalErrorMessage(reason: string): string {
  return (
    `internal error: ${reason}. This is a bug in wxpay-coupon; please report it with the command you ran ` +
    '(rerun with --verbose to include the stack trace).'
  );
}
