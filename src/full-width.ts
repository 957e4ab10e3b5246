/**
 * Full-width forms of ASCII (U+FF01-U+FF5E: １, ａ, －, ＿, ？, ＆), what a Chinese input method's
 * full-width mode types: never part of an id, a flag, a number or a query's own signs, and easy to
 * mistake for ASCII in a terminal. Each is its ASCII character plus 0xFEE0. A leaf: --help loads it.
 */
export const FULL_WIDTH_FORM = /[\uff01-\uff5e]/u;

/** Full-width digits ０-９, a subset of FULL_WIDTH_FORM. */
export const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/u;

/** `text` with the full-width forms `which` matches (all of them by default) written as the ASCII characters they stand for. */
export function asciiOfFullWidth(text: string, which: RegExp = FULL_WIDTH_FORM): string {
  return text.replace(new RegExp(which.source, 'gu'), (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0));
}
