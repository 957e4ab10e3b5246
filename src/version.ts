import { readFileSync } from 'node:fs';

// Set by the CLI bundle's build (scripts/build.js), so the bundled binary reads no file for it.
declare const __WXPAY_COUPON_VERSION__: string | undefined;

let cached: string | undefined = typeof __WXPAY_COUPON_VERSION__ === 'string' ? __WXPAY_COUPON_VERSION__ : undefined;

/** The package version, read once from package.json next to dist/. */
export function packageVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version: string }).version;
  }
  return cached;
}

/** `wxpay-coupon/<version> (<os>/<arch>) node/<version>` (P2). */
let agent: string | undefined;

export function userAgent(): string {
  agent ??= `wxpay-coupon/${packageVersion()} (${process.platform}/${process.arch}) node/${process.versions.node}`;
  return agent;
}
