/**
 * A JSON parser that keeps every number's exact text, so a stock id above 2^53 - 1
 * never passes through a float (P3). Used for input we must not distort: batch lines,
 * and the sandbox's view of request bodies.
 */
import { t } from './i18n/index.js';

/** A JSON number kept as the text it was written with. */
export class JsonNumber {
  constructor(readonly text: string) {}

  /** True for an integer literal (no fraction, no exponent). */
  get isInteger(): boolean {
    return /^-?(0|[1-9][0-9]*)$/.test(this.text);
  }

  toJSON(): number {
    return Number(this.text);
  }
}

/**
 * Full-width punctuation where JSON (and YAML) need ASCII (`{"open_id"：…，…}`, `mchid： "…"`),
 * typed with a Chinese input method: named as the likely cause when such text does not parse.
 */
export const FULL_WIDTH_PUNCTUATION = /[：，＂“”｛｝［］]/;

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson };

export class JsonSyntaxError extends Error {
  constructor(
    /** What is wrong, without the position: "expected a property name". */
    readonly reason: string,
    readonly position: number,
  ) {
    super(t('token.json.at', { reason, position }));
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 512;

export function parseLosslessJson(text: string, options: { duplicateKeys?: 'refuse' | 'last' } = {}): LosslessJson {
  const parser = new LosslessParser(text, options.duplicateKeys === 'last');
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.position !== text.length) throw new JsonSyntaxError(t('token.json.trailing'), parser.position);
  return value;
}

/**
 * One parse: the text and a cursor, one method per JSON production. Written out by character
 * code: a batch parses every input line here, and a regex match or a JSON.parse call per token
 * cost more than the rest of the line. (A class rather than closures over `position`: the same
 * cost per character, measured with a 20,000-line loop, and each production reads alone.)
 */
class LosslessParser {
  position = 0;

  constructor(
    private readonly text: string,
    /** Set for text printed as received (a verified answer, a captured notification): the last of two values, as JSON.parse. */
    private readonly lastKeyWins = false,
  ) {}

  skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    for (;;) {
      const char = text.charCodeAt(position);
      if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) break;
      position += 1;
    }
    this.position = position;
  }

  value(depth: number): LosslessJson {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(t('token.json.tooDeep'), this.position);
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    return this.literalOrNumber();
  }

  /** After `{`: members up to the matching `}`. */
  private object(depth: number): { [key: string]: LosslessJson } {
    const text = this.text;
    this.position += 1;
    const result: { [key: string]: LosslessJson } = {};
    this.skipWhitespace();
    if (text[this.position] === '}') {
      this.position += 1;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (text[this.position] !== '"') throw new JsonSyntaxError(t('token.json.propertyName'), this.position);
      const keyAt = this.position;
      const key = this.string();
      // Readers differ on which of two values counts (the last here, maybe the first elsewhere):
      // `{"open_id":"a","open_id":"b"}` is refused rather than read one way. The key is not
      // quoted: a body's text is never printed back.
      if (!this.lastKeyWins && Object.hasOwn(result, key)) throw new JsonSyntaxError(t('token.json.duplicateKey'), keyAt);
      this.skipWhitespace();
      if (text[this.position] !== ':') throw new JsonSyntaxError(t('token.json.colon'), this.position);
      this.position += 1;
      const value = this.value(depth + 1);
      // "__proto__" as a plain key, never the prototype (what JSON.parse does too).
      if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      if (this.endOfList('}')) return result;
    }
  }

  /** After `[`: elements up to the matching `]`. */
  private array(depth: number): LosslessJson[] {
    this.position += 1;
    const result: LosslessJson[] = [];
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return result;
    }
    for (;;) {
      result.push(this.value(depth + 1));
      if (this.endOfList(']')) return result;
    }
  }

  /** After a member or element: true at the closing bracket, false after a `,`. */
  private endOfList(close: '}' | ']'): boolean {
    this.skipWhitespace();
    const char = this.text[this.position];
    this.position += 1;
    if (char === ',') return false;
    if (char === close) return true;
    this.position -= 1;
    throw new JsonSyntaxError(t('token.json.commaOr', { close }), this.position);
  }

  /** At `"`: find the closing quote ourselves; JSON.parse decodes escapes, when there are any. */
  private string(): string {
    const text = this.text;
    const start = this.position;
    let position = start + 1;
    let escaped = false;
    while (position < text.length) {
      const char = text.charCodeAt(position);
      if (char === 0x22) {
        this.position = position + 1;
        if (!escaped) return text.slice(start + 1, position);
        try {
          return JSON.parse(text.slice(start, position + 1)) as string;
        } catch {
          throw new JsonSyntaxError(t('token.json.invalidString'), start);
        }
      }
      if (char === 0x5c) {
        escaped = true;
        position += 2;
      } else if (char < 0x20) throw new JsonSyntaxError(t('token.json.controlCharacter'), position);
      else position += 1;
    }
    throw new JsonSyntaxError(t('token.json.unterminated'), start);
  }

  /** `true`, `false`, `null` or a number, kept as its text. */
  private literalOrNumber(): LosslessJson {
    const text = this.text;
    const position = this.position;
    if (text.startsWith('true', position)) {
      this.position += 4;
      return true;
    }
    if (text.startsWith('false', position)) {
      this.position += 5;
      return false;
    }
    if (text.startsWith('null', position)) {
      this.position += 4;
      return null;
    }
    NUMBER_PATTERN.lastIndex = position;
    const match = NUMBER_PATTERN.exec(text);
    if (match) {
      this.position = NUMBER_PATTERN.lastIndex;
      return new JsonNumber(match[0]);
    }
    throw new JsonSyntaxError(position >= text.length ? t('token.json.end') : t('token.json.character'), position);
  }
}

/**
 * Rewrites valid JSON text with new whitespace only: every string, number and key is copied
 * byte for byte and in its order (duplicate keys too), which no parse-and-serialize round trip
 * keeps (a JavaScript object reorders integer-like keys). `indent` 0 gives one compact line;
 * otherwise that many spaces per level. The text must already be known to be valid JSON
 * (parseLosslessJson); whitespace inside strings is never touched.
 */
export function reformatJson(text: string, indent = 0): string {
  const unit = ' '.repeat(indent);
  let out = '';
  let depth = 0;
  const newline = (): string => (indent > 0 ? `\n${unit.repeat(depth)}` : '');
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === '"') {
      const start = index;
      for (index += 1; index < text.length && text[index] !== '"'; index += 1) if (text[index] === '\\') index += 1;
      out += text.slice(start, index + 1);
    } else if (char === ' ' || char === '\n' || char === '\r' || char === '\t') {
      continue;
    } else if (char === '{' || char === '[') {
      let next = index + 1;
      while (next < text.length && /[ \n\r\t]/.test(text[next] as string)) next += 1;
      const close = char === '{' ? '}' : ']';
      if (text[next] === close) {
        out += char + close;
        index = next;
        continue;
      }
      depth += 1;
      out += char + newline();
    } else if (char === '}' || char === ']') {
      depth -= 1;
      out += newline() + char;
    } else if (char === ',') {
      out += char + newline();
    } else if (char === ':') {
      out += indent > 0 ? ': ' : ':';
    } else {
      out += char;
    }
  }
  return out;
}
