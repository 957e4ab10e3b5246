/** What to do about an error WeChat Pay returned (P7, P11, P18), in one place so wording stays consistent. */
const HINTS: Readonly<Record<string, string>> = {
  SIGN_ERROR:
    'Check that mchid, serial and privateKey belong to the same merchant API certificate, and that this machine\u2019s clock is right (run with --verbose to see what the server signed).',
  NO_AUTH: 'This merchant is not allowed to call this API; apply for the travel-coupon product in the merchant platform.',
  PARAM_ERROR: 'Fix the parameter named above and try again.',
  INVALID_REQUEST: 'Fix the request as the message says; retrying the same request will not help.',
  RATELIMIT_EXCEEDED: 'Too many requests; wait and retry, or lower the request rate.',
  FREQUENCY_LIMITED: 'Too many requests; wait and retry, or lower the request rate.',
  SYSTEM_ERROR: 'A temporary WeChat Pay failure; retry later with the same request.',
  SERVICE_UNAVAILABLE: 'WeChat Pay is temporarily unavailable; retry later.',
  NOT_FOUND: 'The endpoint was not found; check the path (and the method) and --base-url.',
  RESOURCE_NOT_EXISTS: 'The resource does not exist for this merchant.',
};

export function apiErrorHint(code: string, status: number): string | undefined {
  const hint = HINTS[code];
  if (hint) return hint;
  if (status === 429) return HINTS['RATELIMIT_EXCEEDED'];
  if (status >= 500) return 'A WeChat Pay server error; retry later.';
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
  return (
    `This machine's clock is ${seconds} s ${difference > 0 ? 'ahead of' : 'behind'} WeChat Pay's (its Date header); ` +
    'fix the clock (NTP): signatures more than 5 minutes off are rejected.'
  );
}
