import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {OtlpDecodeError} from '../../src/tracing/otlp/errors.js';
import {JsonNumber, MAX_JSON_DEPTH, parseJson, type JsonValue} from '../../src/tracing/otlp/json-parse.js';

/** Turn parseJson's output into what JSON.parse gives, to compare against the built-in parser. */
function plain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return Number(value.raw);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('parseJson', () => {
  it('agrees with JSON.parse on arbitrary JSON text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(plain(parseJson(text))).toEqual(JSON.parse(text));
      }),
      {numRuns: 500},
    );
  });

  it('keeps the exact digits of numbers JSON.parse would round', () => {
    const parsed = parseJson('{"t": 1700000000123456789, "n": -0.5e-3}') as Record<string, JsonNumber>;
    expect(parsed.t.raw).toBe('1700000000123456789');
    expect(parsed.n.raw).toBe('-0.5e-3');
  });

  it('decodes escapes and surrogate pairs', () => {
    expect(parseJson('"a\\n\\t\\"\\\\\\/\\u00e9\\ud83d\\ude80"')).toBe('a\n\t"\\/é🚀');
  });

  it('treats __proto__ as an ordinary key', () => {
    const parsed = parseJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBeNull();
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"a":1,}', 'invalid JSON at character 7'],
    ['[1 2]', 'expected "," or "]"'],
    ['"abc', 'unterminated string'],
    ['"a\u0001"', 'control character in a string'],
    ['01', 'unexpected text after the JSON value'],
    ['{"a" 1}', 'expected ":"'],
    ['tru', 'unexpected character'],
    ['', 'unexpected end of JSON'],
    ['"\\x"', 'invalid escape'],
  ])('rejects %j with a precise error', (text, message) => {
    expect(() => parseJson(text)).toThrow(OtlpDecodeError);
    expect(() => parseJson(text)).toThrow(message);
  });

  it('bounds nesting depth', () => {
    expect(() => parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJson('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toThrow('nested deeper than');
  });
});
