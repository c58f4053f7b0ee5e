import {OtlpDecodeError} from './errors.js';
import {JsonNumber, type JsonObject, type JsonValue} from './json-parse.js';

/**
 * Typed access to OTLP/JSON fields, with the tolerance the protobuf JSON mapping asks of a
 * reader: lowerCamelCase or original snake_case keys, null as "not set", 64-bit integers as
 * strings or numbers, enums as integers or names.
 */

/** The field's value, looked up by its JSON name and then its proto name; null counts as absent. */
export function get(obj: JsonObject, jsonName: string, protoName?: string): JsonValue | undefined {
  let value = obj[jsonName];
  if (value === undefined && protoName !== undefined) value = obj[protoName];
  return value === null ? undefined : value;
}

function fail(name: string, expected: string, value: JsonValue): never {
  throw new OtlpDecodeError(`${name}: expected ${expected}, got ${describe(value)}`);
}

function describe(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.raw;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value).slice(0, 40);
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

export function asObject(value: JsonValue | undefined, name: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) fail(name, 'an object', value);
  return value;
}

export function asArray(value: JsonValue | undefined, name: string): JsonValue[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(name, 'an array', value);
  return value;
}

export function asString(value: JsonValue | undefined, name: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') fail(name, 'a string', value);
  return detached(value);
}

/**
 * A copy of a string that shares no memory with the request body. V8 may keep a long
 * substring as a view into the whole body text, which would then live as long as the span.
 */
function detached(text: string): string {
  if (text.length < 13) return text;
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  // A lone surrogate (legal in JSON) does not survive UTF-8; keep such a string as it is.
  return copy === text ? copy : text;
}

export function asBool(value: JsonValue | undefined, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') fail(name, 'true or false', value);
  return value;
}

const INTEGER = /^-?\d+$/;

/** An integer given as a JSON number or a decimal string, within [min, max]. */
function integer(value: JsonValue | undefined, name: string, min: bigint, max: bigint): bigint {
  if (value === undefined) return 0n;
  const text = value instanceof JsonNumber ? value.raw : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) fail(name, 'an integer', value);
  let result: bigint;
  if (INTEGER.test(text)) result = BigInt(text);
  else {
    // 1e3 and 5.0 are integers too in the protobuf JSON mapping.
    const number = Number(text);
    if (text === '' || !Number.isSafeInteger(number)) fail(name, 'an integer', value);
    result = BigInt(number);
  }
  if (result < min || result > max) throw new OtlpDecodeError(`${name}: ${text} is out of range`);
  return result;
}

export function asUint32(value: JsonValue | undefined, name: string): number {
  return Number(integer(value, name, 0n, 0xffffffffn));
}

export function asInt64(value: JsonValue | undefined, name: string): bigint {
  return integer(value, name, -(2n ** 63n), 2n ** 63n - 1n);
}

/** fixed64 / uint64, e.g. Unix nanosecond timestamps. */
export function asUint64(value: JsonValue | undefined, name: string): bigint {
  return integer(value, name, 0n, 2n ** 64n - 1n);
}

const SPECIAL_DOUBLES: Record<string, number> = {NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity};

export function asDouble(value: JsonValue | undefined, name: string): number {
  if (value === undefined) return 0;
  if (value instanceof JsonNumber) return Number(value.raw);
  if (typeof value === 'string') {
    if (Object.hasOwn(SPECIAL_DOUBLES, value)) return SPECIAL_DOUBLES[value];
    const number = Number(value);
    if (value.trim() !== '' && Number.isFinite(number)) return number;
  }
  return fail(name, 'a number', value);
}

/** An enum: its integer value (what OTLP/JSON requires) or, tolerated, its name. */
export function asEnum(value: JsonValue | undefined, name: string, names: Record<string, number>): number {
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value];
  return Number(integer(value, name, -(2n ** 31n), 2n ** 31n - 1n));
}

const BASE64 = /^(?:[A-Za-z0-9+/]|[A-Za-z0-9_-])*={0,2}$/;

/** bytes fields use base64 in the protobuf JSON mapping (standard or URL-safe alphabet). */
export function asBase64Bytes(value: JsonValue | undefined, name: string): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  if (typeof value !== 'string' || !BASE64.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
    return fail(name, 'base64 bytes', value);
  }
  // Node's base64 decoder reads both alphabets.
  return new Uint8Array(Buffer.from(value, 'base64'));
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * OTLP/JSON ids are hex (case-insensitive). Some clients send the standard protobuf JSON
 * base64 instead; a string of a base64 length for the id (padded or not) is read as base64.
 */
export function asIdBytes(value: JsonValue | undefined, name: string, size: number): Uint8Array {
  if (value === undefined || value === '') return new Uint8Array(0);
  if (typeof value !== 'string') return fail(name, 'a hex string', value);
  if (value.length === size * 2 && HEX.test(value)) return new Uint8Array(Buffer.from(value, 'hex'));
  const base64Lengths = [Math.ceil(size / 3) * 4, Math.ceil((size * 4) / 3)];
  if (base64Lengths.includes(value.length) && BASE64.test(value)) return asBase64Bytes(value, name);
  throw new OtlpDecodeError(`${name} must be ${size * 2} hex digits, got ${JSON.stringify(value.slice(0, 40))}`);
}
