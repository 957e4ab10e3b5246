/**
 * A JSON parser that keeps every number's exact text, so a stock id above 2^53 - 1
 * never passes through a float (P3). Used for input we must not distort: batch lines,
 * and the sandbox's view of request bodies.
 */

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

export type LosslessJson =
  | null
  | boolean
  | string
  | JsonNumber
  | LosslessJson[]
  | { [key: string]: LosslessJson };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 512;

export function parseLosslessJson(text: string): LosslessJson {
  let position = 0;

  // Written out by character code: a batch parses every input line here, and a regex match or a
  // JSON.parse call per token cost more than the rest of the line.
  const skipWhitespace = (): void => {
    for (;;) {
      const char = text.charCodeAt(position);
      if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) return;
      position += 1;
    }
  };

  const parseString = (): string => {
    // Find the closing quote ourselves; JSON.parse decodes escapes, when there are any.
    const start = position;
    let escaped = false;
    position += 1;
    while (position < text.length) {
      const char = text.charCodeAt(position);
      if (char === 0x22) {
        position += 1;
        if (!escaped) return text.slice(start + 1, position - 1);
        try {
          return JSON.parse(text.slice(start, position)) as string;
        } catch {
          throw new JsonSyntaxError('invalid string', start);
        }
      }
      if (char === 0x5c) {
        escaped = true;
        position += 2;
      } else if (char < 0x20) throw new JsonSyntaxError('control character in string', position);
      else position += 1;
    }
    throw new JsonSyntaxError('unterminated string', start);
  };

  const parseValue = (depth: number): LosslessJson => {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('nesting too deep', position);
    skipWhitespace();
    const char = text[position];
    if (char === '{') {
      position += 1;
      const result: { [key: string]: LosslessJson } = {};
      skipWhitespace();
      if (text[position] === '}') {
        position += 1;
        return result;
      }
      for (;;) {
        skipWhitespace();
        if (text[position] !== '"') throw new JsonSyntaxError('expected a property name', position);
        const key = parseString();
        skipWhitespace();
        if (text[position] !== ':') throw new JsonSyntaxError("expected ':'", position);
        position += 1;
        const value = parseValue(depth + 1);
        // "__proto__" as a plain key, never the prototype (what JSON.parse does too).
        if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
        else result[key] = value;
        skipWhitespace();
        if (text[position] === ',') {
          position += 1;
          continue;
        }
        if (text[position] === '}') {
          position += 1;
          return result;
        }
        throw new JsonSyntaxError("expected ',' or '}'", position);
      }
    }
    if (char === '[') {
      position += 1;
      const result: LosslessJson[] = [];
      skipWhitespace();
      if (text[position] === ']') {
        position += 1;
        return result;
      }
      for (;;) {
        result.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[position] === ',') {
          position += 1;
          continue;
        }
        if (text[position] === ']') {
          position += 1;
          return result;
        }
        throw new JsonSyntaxError("expected ',' or ']'", position);
      }
    }
    if (char === '"') return parseString();
    if (text.startsWith('true', position)) {
      position += 4;
      return true;
    }
    if (text.startsWith('false', position)) {
      position += 5;
      return false;
    }
    if (text.startsWith('null', position)) {
      position += 4;
      return null;
    }
    NUMBER_PATTERN.lastIndex = position;
    const match = NUMBER_PATTERN.exec(text);
    if (match) {
      position = NUMBER_PATTERN.lastIndex;
      return new JsonNumber(match[0]);
    }
    throw new JsonSyntaxError(position >= text.length ? 'unexpected end of input' : 'unexpected character', position);
  };

  const value = parseValue(0);
  skipWhitespace();
  if (position !== text.length) throw new JsonSyntaxError('unexpected text after the JSON value', position);
  return value;
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
