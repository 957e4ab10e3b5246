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
 * The backstop for a secret pasted where it does not belong (`--config "$PEM"`, `HTTPS_PROXY=$PEM`,
 * `--profile "$APIV3_KEY"`, an unknown command): an error, warning or doctor check that quotes what
 * it was given never prints it, whatever the message.
 * - PEM text: each block, from its BEGIN line to its END line (or the end), is replaced.
 * - An APIv3 key's shape, 32 letters and digits: quoted, or standing alone with a lowercase letter
 *   in it (`--coupon "KEY:1"`, `KEY is given twice`). No message of ours holds such a value; a
 *   Request-ID (32 upper-case hex digits) does not have the shape, and is shown.
 */
export function hideSecretShapes(message: string): string {
  return message
    .replace(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, (block) => t('cli.pemHidden', { length: block.length }))
    .replace(/(["'])-{0,2}[A-Za-z0-9]{32}\1/g, () => t('cli.keyShapeHidden'))
    .replace(/(?<![A-Za-z0-9])(?=[A-Z0-9]*[a-z])[A-Za-z0-9]{32}(?![A-Za-z0-9])/g, () => t('cli.keyShapeHidden'));
}
