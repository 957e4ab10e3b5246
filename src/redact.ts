/** What a message may not print: secrets given in the wrong place (src/cli/output.ts writes every error through it). */
import { t } from './i18n/index.js';

/** hideSecretShapes over every string in a JSON value (a config error's list of problems, say). */
export function hideSecretShapesIn(value: unknown): unknown {
  if (typeof value === 'string') return hideSecretShapes(value);
  if (Array.isArray(value)) return value.map(hideSecretShapesIn);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, hideSecretShapesIn(item)]));
  return value;
}

/**
 * A line of a PEM body (40 or more base64 characters, upper and lower case and digits, not a path),
 * with the lines after it — the last one shorter, maybe with its = padding — when a line break,
 * one written \n (a quoted value), spaces, commas or bars part them (`tr '\n' ' '`, `paste -sd,`):
 * a body pasted without its BEGIN line must not show its last line (hostile checks, helpers 40 and 42).
 */
const PEM_BODY_LINES = new RegExp(
  [
    '(?<![A-Za-z0-9+/])(?!/)(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[0-9])[A-Za-z0-9+/]{40,}={0,2}',
    // One separator class, each alternative starting differently: no nested repetition to backtrack through.
    '(?:(?:[ \\t,;|\\r\\n]|\\\\[nrt])+[A-Za-z0-9+/]{4,}={0,2}(?![A-Za-z0-9+/]))*',
  ].join(''),
  'g',
);

/**
 * The backstop for a secret pasted where it does not belong (`--config "$PEM"`, `HTTPS_PROXY=$PEM`,
 * `--profile "$APIV3_KEY"`, an unknown command): an error, warning or doctor check that quotes what
 * it was given never prints it, whatever the message.
 * - PEM text: each block, from its BEGIN line to its END line (or the end), is replaced.
 * - An APIv3 key's shape, 32 letters and digits: quoted, or standing alone with a lowercase letter
 *   in it (`--coupon "KEY:1"`, `KEY is given twice`). No message of ours holds such a value; a
 *   Request-ID (32 upper-case hex digits) does not have the shape, and is shown.
 * - A line of a PEM body, 40 or more base64 characters with upper-case and lower-case letters and
 *   digits (`WXPAY_MCHID="$(sed -n 2p key.pem)"`): replaced by its length. A run that starts with
 *   a slash is a path (/v3/…), and is shown; a serial (upper-case hex) has no lower-case letter.
 */
export function hideSecretShapes(message: string): string {
  return message
    .replace(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, (block) => t('cli.pemHidden', { length: block.length }))
    .replace(PEM_BODY_LINES, (run) => t('cli.base64Hidden', { length: run.length }))
    .replace(/(["'])-{0,2}[A-Za-z0-9]{32}\1/g, () => t('cli.keyShapeHidden'))
    .replace(/(?<![A-Za-z0-9])(?=[A-Z0-9]*[a-z])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, () => t('cli.keyShapeHidden'));
}

/**
 * Characters that show as nothing, or move or break the text around them: control and format
 * characters (zero-width, bidi marks, BOM, soft hyphen) and the line and paragraph separators.
 * No id holds one (src/coupon.ts refuses them); text from an answer has them written as \uXXXX.
 */
export const INVISIBLE_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The same, global, for replace() (which starts each call from the start of the text). */
const INVISIBLE_CHARACTERS = new RegExp(INVISIBLE_CHARACTER.source, 'gu');

/** What a message shows of text from the network at most: WeChat Pay's own messages are far shorter. */
export const MAX_QUOTED_CHARACTERS = 500;

/**
 * Text from an answer (a server's `code` and `message`), made safe to print in a message: control
 * characters (an escape sequence that clears the terminal, a line break that fakes a line of ours)
 * and bidirectional overrides are written as \uXXXX, and the text is cut at MAX_QUOTED_CHARACTERS.
 */
export function printable(text: string): string {
  const characters = Array.from(text);
  const escaped = escapeInvisible(characters.slice(0, MAX_QUOTED_CHARACTERS).join(''));
  const more = characters.length - MAX_QUOTED_CHARACTERS;
  return more > 0 ? escaped + t('cli.textCut', { more }) : escaped;
}

/** A character as U+XXXX, its whole code point (an astral one too). */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Every INVISIBLE_CHARACTER written as \uXXXX (\u{XXXXX} above U+FFFF), except those `keep`s;
 * the rest of the text as it is.
 */
export function escapeInvisible(text: string, keep = ''): string {
  return text.replace(INVISIBLE_CHARACTERS, (character) => {
    if (keep.includes(character)) return character;
    const code = character.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The backstop every error, warning, doctor check and batch message is written through: no secret
 * (hideSecretShapes), and no character that hides or moves the text around it — a value a user
 * gave or a file held (a bidi override in a stock id, a BOM in a config value) is quoted with
 * them written as \uXXXX. Line breaks are the message's own (a tab is a value's, and written \u0009).
 */
export function safeToPrint(message: string): string {
  return escapeInvisible(hideSecretShapes(message), '\n');
}

/**
 * JSON.stringify, with every INVISIBLE_CHARACTER it leaves raw (DEL, C1 controls such as U+009B,
 * bidi marks, U+2028) written as a JSON \uXXXX escape: the value a script parses is the same,
 * and the line shown in a terminal cannot move or colour anything. Every JSON line we write goes
 * through it.
 */
export function jsonLine(value: unknown): string {
  return escapeJsonText(JSON.stringify(value));
}

/**
 * JSON text with every raw INVISIBLE_CHARACTER inside its strings written as a \uXXXX escape. A raw
 * line break, carriage return or tab cannot stand inside a JSON string: where there is one, it is
 * the whitespace between tokens (an indented body), and is kept.
 */
export function escapeJsonText(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, (character) =>
    character === '\n' || character === '\r' || character === '\t'
      ? character
      : Array.from({ length: character.length }, (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`).join(''),
  );
}
