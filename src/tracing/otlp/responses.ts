/**
 * The bodies an OTLP/HTTP server answers with, in the request's encoding:
 * ExportTraceServiceResponse on success (with partial_success when spans were rejected) and
 * google.rpc.Status on failure (opentelemetry-proto docs/specification.md, "OTLP/HTTP Response").
 */

export type OtlpEncoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * The gRPC status codes the receivers answer with: in google.rpc.Status.code over OTLP/HTTP
 * (where the spec lets clients ignore them) and in the `grpc-status` trailer over OTLP/gRPC.
 */
export const RPC_CODE = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export type RpcCode = (typeof RPC_CODE)[keyof typeof RPC_CODE];

/** `INVALID_ARGUMENT` for 3, as the gRPC documentation spells the codes. */
export function rpcCodeName(code: RpcCode): string {
  return Object.entries(RPC_CODE).find(([, value]) => value === code)?.[0] ?? String(code);
}

const utf8 = new TextEncoder();

/** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 }. */
export function exportResponse(encoding: OtlpEncoding, rejectedSpans: number, errorMessage: string): Uint8Array {
  const partial = rejectedSpans > 0 || errorMessage !== '';
  if (encoding === 'json') {
    const body = partial ? {partialSuccess: {rejectedSpans: String(rejectedSpans), errorMessage}} : {};
    return utf8.encode(JSON.stringify(body));
  }
  if (!partial) return new Uint8Array(0);
  // ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
  const inner = [...varintField(1, rejectedSpans), ...stringField(2, errorMessage)];
  return Uint8Array.from(lengthDelimited(1, inner));
}

/** google.rpc.Status { int32 code = 1; string message = 2; } (details are not sent). */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return utf8.encode(JSON.stringify({code, message}));
  return Uint8Array.from([...varintField(1, code), ...stringField(2, message)]);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function varintField(field: number, value: number): number[] {
  return value === 0 ? [] : [...varint(field << 3), ...varint(value)];
}

function stringField(field: number, text: string): number[] {
  return text === '' ? [] : lengthDelimited(field, [...utf8.encode(text)]);
}

function lengthDelimited(field: number, bytes: number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}
