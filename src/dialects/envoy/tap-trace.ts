import type {Direction} from '../../model/snapshot.js';
import type {Header, LatencySource, Peer, TrafficEvent} from '../../model/traffic.js';
import type {WorkloadRef} from '../../model/workload.js';
import {
  bodyBytes,
  bodyTruncated,
  formatAddress,
  headerOf,
  parseCount,
  parseTimestampMs,
  readHeaders,
  type EnvoyBufferedTrace,
  type EnvoyConnection,
} from './tap-json.js';

/** What one HTTP exchange left in a tap trace, whether buffered or assembled from segments. */
export interface TraceParts {
  requestHeaders: Header[];
  requestTrailers: Header[];
  /** Null when no response headers were seen. */
  responseHeaders: Header[] | null;
  responseTrailers: Header[];
  requestBody: CapturedBody;
  responseBody: CapturedBody;
  requestTimeMs: number | null;
  responseTimeMs: number | null;
  downstream: EnvoyConnection | null;
  upstream: EnvoyConnection | null;
}

export interface CapturedBody {
  /** Bytes Envoy captured (at most its `max_buffered_*_bytes` per body or chunk). */
  bytes: number;
  truncated: boolean;
}

/** Who the tapped proxy is, which the trace itself does not say. */
export interface TapContext {
  /** Target name. */
  proxy: string;
  /** Position of the target in this run; the first half of every event id. */
  proxyIndex: number;
  direction: Direction | null;
  /** The proxy's own workload, put on its side of the hop when `direction` is known. */
  self?: WorkloadRef | null;
  now?: () => number;
}

export function partsFromBuffered(trace: EnvoyBufferedTrace): TraceParts {
  const request = trace.request ?? {};
  const response = trace.response;
  const responseHeaders = readHeaders(response?.headers);
  return {
    requestHeaders: readHeaders(request.headers),
    requestTrailers: readHeaders(request.trailers),
    responseHeaders: responseHeaders.length > 0 ? responseHeaders : null,
    responseTrailers: readHeaders(response?.trailers),
    requestBody: {bytes: bodyBytes(request.body), truncated: bodyTruncated(request.body)},
    responseBody: {bytes: bodyBytes(response?.body), truncated: bodyTruncated(response?.body)},
    requestTimeMs: parseTimestampMs(request.headers_received_time),
    responseTimeMs: parseTimestampMs(response?.headers_received_time),
    downstream: trace.downstream_connection ?? null,
    upstream: trace.upstream_connection ?? null,
  };
}

/** Turns trace parts into TrafficEvents for one proxy, numbering them in order. */
export class TraceMapper {
  private sequence = 0;
  private readonly now: () => number;

  constructor(private readonly context: TapContext) {
    this.now = context.now ?? Date.now;
  }

  toEvent(parts: TraceParts): TrafficEvent {
    const request = parts.requestHeaders;
    const response = parts.responseHeaders ?? [];
    const {latencyMs, latencySource} = latencyOf(parts);
    const sourceAddress = formatAddress(parts.downstream?.remote_address);
    const destinationAddress =
      formatAddress(parts.upstream?.remote_address) ?? formatAddress(parts.downstream?.local_address);
    const {direction, self} = this.context;
    return {
      id: `${this.context.proxyIndex}:${this.sequence++}`,
      proxy: this.context.proxy,
      direction,
      source: ownSide(direction === 'outbound', self, sourceAddress),
      destination: ownSide(direction === 'inbound', self, destinationAddress),
      sourceAddress,
      destinationAddress,
      method: headerOf(request, ':method'),
      scheme: headerOf(request, ':scheme'),
      authority: headerOf(request, ':authority') ?? headerOf(request, 'host'),
      path: headerOf(request, ':path'),
      status: parseCount(headerOf(response, ':status')),
      grpcStatus: parseCount(headerOf(parts.responseTrailers, 'grpc-status') ?? headerOf(response, 'grpc-status')),
      latencyMs,
      latencySource,
      requestBytes: bytesOf(request, parts.requestBody),
      responseBytes: parts.responseHeaders ? bytesOf(response, parts.responseBody) : null,
      requestBodyTruncated: parts.requestBody.truncated,
      responseBodyTruncated: parts.responseBody.truncated,
      requestHeaders: request,
      responseHeaders: response,
      responseTrailers: parts.responseTrailers,
      route: headerOf(request, 'x-envoy-decorator-operation'),
      outcome: parts.responseHeaders ? 'response' : 'no-response',
      requestStartMs: parts.requestTimeMs,
      responseHeadersMs: parts.responseTimeMs,
      endMs: null,
      observedAtMs: this.now(),
    };
  }
}

function ownSide(isOwnSide: boolean, self: WorkloadRef | null | undefined, address: string | null): Peer {
  return isOwnSide && self ? self : address;
}

function latencyOf(parts: TraceParts): {latencyMs: number | null; latencySource: LatencySource} {
  if (parts.requestTimeMs !== null && parts.responseTimeMs !== null && parts.responseTimeMs >= parts.requestTimeMs) {
    // Epoch milliseconds as doubles carry float noise below the microsecond; round it off.
    const latencyMs = Math.round((parts.responseTimeMs - parts.requestTimeMs) * 1000) / 1000;
    return {latencyMs, latencySource: 'headers-received-time'};
  }
  const upstream = headerOf(parts.responseHeaders ?? [], 'x-envoy-upstream-service-time');
  // Envoy writes whole milliseconds; a retried request may carry a list, the first is ours.
  const ms = parseCount(upstream?.split(',')[0] ?? null);
  if (ms !== null) return {latencyMs: ms, latencySource: 'upstream-service-time'};
  return {latencyMs: null, latencySource: null};
}

function bytesOf(headers: readonly Header[], body: CapturedBody): number | null {
  const declared = parseCount(headerOf(headers, 'content-length'));
  if (declared !== null) return declared;
  return body.truncated ? null : body.bytes;
}
