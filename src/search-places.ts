/**
 * The file names the config search looks for in each folder, in its order. Listed explicitly: a
 * custom list replaces cosmiconfig's defaults (docs/style.md). A leaf: the sandbox, which must not
 * write into a folder holding one of them, reads it without loading the config code.
 */
export const SEARCH_PLACES: readonly string[] = Object.freeze([
  'package.json',
  '.wxpayrc',
  '.wxpayrc.json',
  '.wxpayrc.yaml',
  '.wxpayrc.yml',
  '.wxpayrc.js',
  '.wxpayrc.cjs',
  '.wxpayrc.mjs',
  'wxpay.config.js',
  'wxpay.config.cjs',
  'wxpay.config.mjs',
]);
