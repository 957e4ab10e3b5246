import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read once from package.json next to dist/. */
export function packageVersion(): string {
  if (cached === undefined) {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version: string }).version;
  }
  return cached;
}

/** `wxpay-coupon/<version> (<os>/<arch>) node/<version>` (P2). */
export function userAgent(): string {
  return `wxpay-coupon/${packageVersion()} (${process.platform}/${process.arch}) node/${process.versions.node}`;
}
