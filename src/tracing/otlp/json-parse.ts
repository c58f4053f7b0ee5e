import {OtlpDecodeError} from './errors.js';

/** A JSON number kept as its source text, so 64-bit integers lose no precision. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
/** Created without a prototype, so keys such as `__proto__` are plain keys. */
export type JsonObject = {[key: string]: JsonValue};

/** Objects and arrays may nest at most this deep (attribute values nest, so allow room). */
export const MAX_JSON_DEPTH = 128;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'};

/**
 * A strict RFC 8259 JSON parser that keeps numbers as text (JSON.parse would round
 * nanosecond timestamps and int64 values above 2^53) and bounds nesting depth. Errors name
 * the character offset.
 */
export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.whitespace();
  const value = parser.value(0);
  parser.whitespace();
  if (parser.pos < text.length) throw parser.fail('unexpected text after the JSON value');
  return value;
}

class Parser {
  pos = 0;

  constructor(private readonly text: string) {}

  whitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  value(depth: number): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        throw this.fail('unexpected end of JSON');
      default:
        return this.number();
    }
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) throw this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const result = Object.create(null) as JsonObject;
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') throw this.fail('expected a string key');
      const key = this.string();
      this.whitespace();
      if (this.text[this.pos] !== ':') throw this.fail('expected ":" after an object key');
      this.pos++;
      this.whitespace();
      result[key] = this.value(depth);
      this.whitespace();
      const next = this.text[this.pos++];
      if (next === '}') return result;
      if (next !== ',') throw this.fail('expected "," or "}" in an object', -1);
      this.whitespace();
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) throw this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const result: JsonValue[] = [];
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      this.whitespace();
      const next = this.text[this.pos++];
      if (next === ']') return result;
      if (next !== ',') throw this.fail('expected "," or "]" in an array', -1);
      this.whitespace();
    }
  }

  private string(): string {
    const text = this.text;
    this.pos++;
    let out = '';
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = this.pos;
      PLAIN_STRING_RUN.test(text);
      out += text.slice(this.pos, PLAIN_STRING_RUN.lastIndex);
      this.pos = PLAIN_STRING_RUN.lastIndex;
      const c = text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === undefined) throw this.fail('unterminated string');
      if (c !== '\\') throw this.fail('control character in a string');
      const escape = text[this.pos + 1];
      if (escape === 'u') {
        const hex = text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.fail('invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else if (escape !== undefined && Object.hasOwn(ESCAPES, escape)) {
        out += ESCAPES[escape];
        this.pos += 2;
      } else throw this.fail('invalid escape in a string');
    }
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.fail('unexpected character');
    this.pos = NUMBER.lastIndex;
    return new JsonNumber(match[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.fail('unexpected character');
    this.pos += word.length;
    return value;
  }

  fail(reason: string, back = 0): OtlpDecodeError {
    return new OtlpDecodeError(`invalid JSON at character ${this.pos + back}: ${reason}`);
  }
}
