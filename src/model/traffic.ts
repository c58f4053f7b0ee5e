import type {Direction} from './snapshot.js';
import type {WorkloadRef} from './workload.js';

/** One header as the proxy reported it: `[name, value]`, names lower-case, order kept. */
export type Header = [name: string, value: string];

/**
 * One end of a request: a workload when the proxy's identity tells us, else the socket
 * address (`10.1.2.3:8080`, `[ff01::1]:80`), else null.
 */
export type Peer = WorkloadRef | string | null;

/**
 * Where `latencyMs` came from, so a reader can tell a measurement from an estimate:
 * - `headers-received-time`: Envoy's `response.headers_received_time` −
 *   `request.headers_received_time` (the filter must set `record_headers_received_time`);
 * - `upstream-service-time`: the `x-envoy-upstream-service-time` response header (whole
 *   milliseconds, time spent upstream as Envoy's router saw it);
 * - null: neither was present, latency unknown.
 */
export type LatencySource = 'headers-received-time' | 'upstream-service-time' | null;

/**
 * How the exchange ended: `response` when response headers were seen; `no-response` when
 * the request ended without any (reset, timeout, or a streamed trace that lost its tail).
 */
export type TrafficOutcome = 'response' | 'no-response';

/**
 * One completed request/response as meshctl saw it on one proxy. The Envoy source of each
 * field (an `http_buffered_trace`, or the segments of an `http_streamed_trace_segment`
 * assembled by trace id) is named on the field. Anything the proxy did not report is null.
 */
export interface TrafficEvent {
  /** `<proxy ordinal>:<sequence>`, unique within one run (like linkerd tap's `id=1:0`). */
  id: string;
  /** Name of the target (proxy) that reported the request. */
  proxy: string;
  /** Side of the proxy: given by the caller (a trace does not say); null when unknown. */
  direction: Direction | null;
  /**
   * The caller's own workload on its side when known (outbound: source, inbound:
   * destination), else `sourceAddress`. Envoy: `downstream_connection.remote_address`.
   */
  source: Peer;
  /** Envoy: `upstream_connection.remote_address`, else `downstream_connection.local_address`. */
  destination: Peer;
  sourceAddress: string | null;
  destinationAddress: string | null;
  /** Request pseudo-headers `:method`, `:scheme`, `:authority` (or `host`), `:path`. */
  method: string | null;
  scheme: string | null;
  authority: string | null;
  /** Full `:path` including any query string. */
  path: string | null;
  /** Response `:status`. */
  status: number | null;
  /** `grpc-status` from response trailers, else from response headers (trailers-only). */
  grpcStatus: number | null;
  latencyMs: number | null;
  latencySource: LatencySource;
  /**
   * `content-length` when present, else the size of the captured body when it was not
   * truncated, else null (Envoy buffers only `max_buffered_rx/tx_bytes` of each body).
   */
  requestBytes: number | null;
  responseBytes: number | null;
  /** `body.truncated` (any truncated chunk for streamed traces). */
  requestBodyTruncated: boolean;
  responseBodyTruncated: boolean;
  /** `request.headers` / `response.headers` / `response.trailers`, as reported. */
  requestHeaders: Header[];
  responseHeaders: Header[];
  responseTrailers: Header[];
  /** Route name when known: the `x-envoy-decorator-operation` request header. */
  route: string | null;
  outcome: TrafficOutcome;
  /** `request.headers_received_time` as epoch ms (fraction kept to ~1 µs), null when not recorded. */
  requestStartMs: number | null;
  /** `response.headers_received_time` as epoch ms, null when not recorded. */
  responseHeadersMs: number | null;
  /** When the last byte was seen; Envoy's tap does not record it, so null for Envoy. */
  endMs: number | null;
  /** When meshctl decoded the trace (local clock, epoch ms). Always known. */
  observedAtMs: number;
}

/**
 * The best guess at when the request started, on which merging and sampling order events:
 * the proxy's own timestamp when recorded, else arrival time minus the known latency.
 */
export function eventTimeMs(event: TrafficEvent): number {
  if (event.requestStartMs !== null) return event.requestStartMs;
  return event.observedAtMs - (event.latencyMs ?? 0);
}

/** gRPC status codes that count as failures, as `linkerd viz top` counts them. */
export const GRPC_FAILURE_CODES: ReadonlySet<number> = new Set([
  2, // Unknown
  4, // DeadlineExceeded
  13, // Internal
  14, // Unavailable
  15, // DataLoss
]);

/**
 * Success as `linkerd viz top` judges it: a response arrived, its HTTP status is below 500,
 * and its gRPC status (if any) is not one of Unknown, DeadlineExceeded, Internal,
 * Unavailable, DataLoss.
 */
export function isSuccess(event: Pick<TrafficEvent, 'outcome' | 'status' | 'grpcStatus'>): boolean {
  if (event.outcome !== 'response' || event.status === null) return false;
  if (event.status >= 500) return false;
  return event.grpcStatus === null || !GRPC_FAILURE_CODES.has(event.grpcStatus);
}

/** Display form of a peer: `namespace/name` for workloads, the address otherwise. */
export function peerLabel(peer: Peer): string {
  if (peer === null) return '';
  if (typeof peer === 'string') return peer;
  return peer.namespace ? `${peer.namespace}/${peer.name}` : peer.name;
}
