/**
 * Envoy `http_buffered_trace` objects for tests, in the shape of the real admin /tap capture
 * (fixtures/envoy/envoy-admin-tap-stream.buffered-trace.json) plus the fields a newer tap
 * filter records (`headers_received_time`).
 */
import {randomUUID} from 'node:crypto';

export interface TraceSpec {
  /** `x-request-id`; a fresh one by default. Both proxies of a hop see the same. */
  requestId?: string;
  method?: string;
  path: string;
  authority?: string;
  status?: number;
  /** Request start, epoch ms; the response headers arrive `latencyMs` later. */
  startMs: number;
  latencyMs: number;
  requestHeaders?: [string, string][];
  responseHeaders?: [string, string][];
  responseBody?: string;
  /** What `record_downstream_connection: true` adds: `ip:port` or `[ipv6]:port` of each end. */
  downstream?: {local: string; remote: string};
}

const header = ([key, value]: [string, string]) => ({key, value});

/** A proto3 JSON Timestamp with microseconds, as Envoy writes `headers_received_time`. */
export function timestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.round((epochMs - whole) * 1000);
  return new Date(whole).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

export function bufferedTrace(spec: TraceSpec): Record<string, unknown> {
  const requestHeaders: [string, string][] = [
    [':authority', spec.authority ?? 'books.shop.svc.cluster.local:7002'],
    [':path', spec.path],
    [':method', spec.method ?? 'GET'],
    [':scheme', 'http'],
    ['user-agent', 'Go-http-client/1.1'],
    ['x-request-id', spec.requestId ?? randomUUID()],
    ...(spec.requestHeaders ?? []),
  ];
  const body = spec.responseBody ?? '{"ok":true}';
  const responseHeaders: [string, string][] = [
    [':status', String(spec.status ?? 200)],
    ['content-type', 'application/json'],
    ['content-length', String(Buffer.byteLength(body))],
    ['server', 'istio-envoy'],
    ...(spec.responseHeaders ?? []),
  ];
  return {
    http_buffered_trace: {
      request: {
        headers: requestHeaders.map(header),
        trailers: [],
        headers_received_time: timestamp(spec.startMs),
      },
      response: {
        headers: responseHeaders.map(header),
        body: {truncated: false, as_bytes: Buffer.from(body).toString('base64')},
        trailers: [],
        headers_received_time: timestamp(spec.startMs + spec.latencyMs),
      },
      ...(spec.downstream ? {downstream_connection: {local_address: socketAddress(spec.downstream.local), remote_address: socketAddress(spec.downstream.remote)}} : {}),
    },
  };
}

/** `10.0.0.3:7002` / `[fd00::3]:7002` → envoy.config.core.v3.Address in proto3 JSON. */
function socketAddress(text: string): Record<string, unknown> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`not ip:port: ${text}`);
  return {socket_address: {address: match[1], port_value: Number(match[2])}};
}

/** Istio's metadata-exchange header naming the proxy that added it. */
export function peerId(nodeId: string): [string, string] {
  return ['x-envoy-peer-metadata-id', nodeId];
}
