/**
 * A tiny protobuf wire-format writer for hand-built test payloads: unknown fields, groups,
 * wrong wire types, truncations — what a real encoder never produces.
 */

export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

export function varintField(field: number, value: number | bigint): number[] {
  return [...tag(field, 0), ...varint(value)];
}

export function bytesField(field: number, bytes: ArrayLike<number>): number[] {
  return [...tag(field, 2), ...varint(bytes.length), ...Array.from(bytes)];
}

export function stringField(field: number, text: string): number[] {
  return bytesField(field, new TextEncoder().encode(text));
}

export function messageField(field: number, ...parts: number[][]): number[] {
  return bytesField(field, parts.flat());
}

export function fixed64Field(field: number, value: bigint): number[] {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return [...tag(field, 1), ...bytes];
}

export function fixed32Field(field: number, value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return [...tag(field, 5), ...bytes];
}

export function doubleField(field: number, value: number): number[] {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return [...tag(field, 1), ...bytes];
}

export function hexBytes(hex: string): number[] {
  return Array.from(Buffer.from(hex, 'hex'));
}

export function bytes(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat());
}

/** A minimal valid Span message body with the given ids. */
export function spanBody(traceIdHex: string, spanIdHex: string, ...more: number[][]): number[] {
  return [...bytesField(1, hexBytes(traceIdHex)), ...bytesField(2, hexBytes(spanIdHex)), ...more.flat()];
}

/** ExportTraceServiceRequest with one ResourceSpans / ScopeSpans around the given span bodies. */
export function requestWithSpans(...spans: number[][]): Uint8Array {
  const scopeSpans = spans.map((span) => bytesField(2, span)).flat();
  return bytes(messageField(1, messageField(2, scopeSpans)));
}
