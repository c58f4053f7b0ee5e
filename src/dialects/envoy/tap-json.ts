import type {Header} from '../../model/traffic.js';

/**
 * The JSON shapes Envoy's tap writes (`envoy.data.tap.v3`, proto3 JSON with snake_case
 * names). Everything is optional here because the input is untrusted; readers check types.
 */
export interface EnvoyHeaderValue {
  key?: unknown;
  value?: unknown;
  raw_value?: unknown;
}

export interface EnvoyBody {
  truncated?: unknown;
  as_bytes?: unknown;
  as_string?: unknown;
}

export interface EnvoyAddress {
  socket_address?: {address?: unknown; port_value?: unknown};
  pipe?: {path?: unknown};
  envoy_internal_address?: {server_listener_name?: unknown};
}

export interface EnvoyConnection {
  local_address?: EnvoyAddress;
  remote_address?: EnvoyAddress;
}

export interface EnvoyHttpMessage {
  headers?: unknown;
  body?: EnvoyBody;
  trailers?: unknown;
  headers_received_time?: unknown;
}

export interface EnvoyBufferedTrace {
  request?: EnvoyHttpMessage;
  response?: EnvoyHttpMessage;
  downstream_connection?: EnvoyConnection;
  upstream_connection?: EnvoyConnection;
}

export interface EnvoyStreamedSegment {
  trace_id?: unknown;
  request_headers?: {headers?: unknown};
  request_body_chunk?: EnvoyBody;
  request_trailers?: {headers?: unknown};
  response_headers?: {headers?: unknown};
  response_body_chunk?: EnvoyBody;
  response_trailers?: {headers?: unknown};
}

export interface EnvoyTraceWrapper {
  http_buffered_trace?: EnvoyBufferedTrace;
  http_streamed_trace_segment?: EnvoyStreamedSegment;
  socket_buffered_trace?: unknown;
  socket_streamed_trace_segment?: unknown;
}

/** `[{key, value}]` → `[name, value]` pairs; names lower-cased, malformed entries skipped. */
export function readHeaders(list: unknown): Header[] {
  if (!Array.isArray(list)) return [];
  const out: Header[] = [];
  for (const entry of list as EnvoyHeaderValue[]) {
    if (!entry || typeof entry.key !== 'string') continue;
    out.push([entry.key.toLowerCase(), headerValue(entry)]);
  }
  return out;
}

/** Newer Envoy may put the value in `raw_value` (base64 bytes) and leave `value` empty. */
function headerValue(entry: EnvoyHeaderValue): string {
  if (typeof entry.value === 'string' && entry.value !== '') return entry.value;
  if (typeof entry.raw_value === 'string' && entry.raw_value !== '') {
    return Buffer.from(entry.raw_value, 'base64').toString('utf8');
  }
  return typeof entry.value === 'string' ? entry.value : '';
}

/** First value of a header (names are already lower-case). */
export function headerOf(headers: readonly Header[], name: string): string | null {
  for (const [key, value] of headers) if (key === name) return value;
  return null;
}

/** Captured body size in bytes: base64 `as_bytes` decoded length, or UTF-8 `as_string` length. */
export function bodyBytes(body: EnvoyBody | undefined): number {
  if (!body) return 0;
  if (typeof body.as_bytes === 'string') return base64DecodedLength(body.as_bytes);
  if (typeof body.as_string === 'string') return Buffer.byteLength(body.as_string, 'utf8');
  return 0;
}

export function bodyTruncated(body: EnvoyBody | undefined): boolean {
  return body?.truncated === true;
}

function base64DecodedLength(text: string): number {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 0x3d /* = */) length--;
  return Math.floor((length * 3) / 4);
}

/**
 * A proto3 JSON Timestamp (`2021-06-04T19:51:22.123456789Z`, or with an offset) as epoch
 * milliseconds, keeping the sub-millisecond part that Date.parse drops. Null when invalid.
 */
export function parseTimestampMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (!match) return null;
  const wholeSeconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(wholeSeconds)) return null;
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return wholeSeconds + fraction;
}

/** `ip:port` (IPv6 in brackets), a pipe path, or an internal listener name; null when absent. */
export function formatAddress(address: EnvoyAddress | undefined): string | null {
  if (!address) return null;
  const socket = address.socket_address;
  if (socket && typeof socket.address === 'string') {
    const host = socket.address.includes(':') ? `[${socket.address}]` : socket.address;
    const port = typeof socket.port_value === 'number' || typeof socket.port_value === 'string' ? socket.port_value : 0;
    return `${host}:${port}`;
  }
  if (address.pipe && typeof address.pipe.path === 'string') return address.pipe.path;
  const internal = address.envoy_internal_address?.server_listener_name;
  return typeof internal === 'string' ? `internal:${internal}` : null;
}

/** A non-negative integer from a header value such as `content-length`; null otherwise. */
export function parseCount(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}
