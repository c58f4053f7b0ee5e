import {peerLabel, type Header, type TrafficEvent} from '../model/traffic.js';
import {sanitize} from './sanitize.js';

/**
 * `meshctl tap` text output, in the layout of `linkerd viz tap`:
 *
 *   req id=0:3 proxy=in  src=10.1.2.3:5896 dst=10.1.2.4:80 :method=GET :authority=web:80 :path=/api/vote
 *   rsp id=0:3 proxy=in  src=10.1.2.3:5896 dst=10.1.2.4:80 :status=200 latency=8506µs
 *   end id=0:3 proxy=in  src=10.1.2.3:5896 dst=10.1.2.4:80 grpc-status=OK duration=69µs response-length=0B
 *
 * A field whose value is unknown is left out rather than printed empty (`proxy=?` is the
 * exception, to keep the columns of the prefix). An exchange without a response prints no
 * `rsp` line and `error=no-response` on its `end` line. Every value is sanitized. The event
 * should already be redacted (views/tap-redact.ts).
 */
export function tapLines(event: TrafficEvent): string[] {
  const prefix = `id=${event.id} proxy=${directionLabel(event)} ${field('src', peerLabel(event.source))}${field('dst', peerLabel(event.destination))}`;
  const lines = [
    `req ${prefix}${field(':method', event.method)}${field(':authority', event.authority)}${field(':path', event.path)}`,
  ];
  if (event.outcome === 'response') {
    lines.push(`rsp ${prefix}${field(':status', event.status)}${field('latency', microseconds(event.latencyMs))}`);
  }
  const duration =
    event.endMs !== null && event.responseHeadersMs !== null ? microseconds(event.endMs - event.responseHeadersMs) : null;
  const end = [
    event.outcome === 'no-response' ? 'error=no-response ' : '',
    field('grpc-status', event.grpcStatus === null ? null : grpcStatusName(event.grpcStatus)),
    field('duration', duration),
    field('response-length', event.responseBytes === null ? null : `${event.responseBytes}B`),
  ].join('');
  lines.push(`end ${prefix}${end}`);
  return lines.map((line) => line.trimEnd());
}

function directionLabel(event: TrafficEvent): string {
  if (event.direction === 'inbound') return 'in ';
  if (event.direction === 'outbound') return 'out';
  return '?  ';
}

function field(name: string, value: string | number | null): string {
  if (value === null || value === '') return '';
  return `${name}=${sanitize(String(value))} `;
}

function microseconds(ms: number | null): string | null {
  return ms === null ? null : `${Math.round(ms * 1000)}µs`;
}

/** gRPC code names as Go spells them (linkerd prints these); unknown codes as `Code(n)`. */
const GRPC_CODES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

export function grpcStatusName(code: number): string {
  return GRPC_CODES[code] ?? `Code(${code})`;
}

/**
 * The NDJSON record for one event: flat, snake_case, units in names, null for unknown.
 * Headers are `[name, value]` pairs in the order the proxy reported them.
 */
export function tapRecord(event: TrafficEvent): Record<string, unknown> {
  return {
    id: event.id,
    proxy: event.proxy,
    direction: event.direction,
    source: event.source === null ? null : peerLabel(event.source),
    source_address: event.sourceAddress,
    destination: event.destination === null ? null : peerLabel(event.destination),
    destination_address: event.destinationAddress,
    method: event.method,
    scheme: event.scheme,
    authority: event.authority,
    path: event.path,
    route: event.route,
    status: event.status,
    grpc_status: event.grpcStatus,
    outcome: event.outcome,
    latency_ms: event.latencyMs,
    latency_source: event.latencySource,
    request_bytes: event.requestBytes,
    response_bytes: event.responseBytes,
    request_body_truncated: event.requestBodyTruncated,
    response_body_truncated: event.responseBodyTruncated,
    request_start_ms: event.requestStartMs,
    response_headers_ms: event.responseHeadersMs,
    end_ms: event.endMs,
    observed_at_ms: event.observedAtMs,
    request_headers: headerPairs(event.requestHeaders),
    response_headers: headerPairs(event.responseHeaders),
    response_trailers: headerPairs(event.responseTrailers),
  };
}

function headerPairs(headers: readonly Header[]): string[][] {
  return headers.map(([name, value]) => [name, value]);
}

/**
 * One NDJSON line. JSON.stringify already escapes C0 controls; C1 controls, DEL, line/paragraph
 * separators and bidi overrides are escaped here too, so the line is safe on a terminal and
 * still decodes to exactly the same value.
 */
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
