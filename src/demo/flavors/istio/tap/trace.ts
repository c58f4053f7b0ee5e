import type {HeaderList} from '../../../sidecar/headers.js';
import type {SocketAddress} from '../../../sidecar/plugin.js';
import type {TapFormat} from './config.js';

/** One tapped HTTP exchange, as the tap filter saw it. */
export interface TappedExchange {
  /** Request headers as sent upstream, pseudo-headers first. */
  request: HeaderList;
  /** Response headers as sent downstream, `:status` first. */
  response: HeaderList;
  requestBody: Buffer | null;
  requestTruncated: boolean;
  responseBody: Buffer | null;
  responseTruncated: boolean;
  /** Epoch milliseconds when request/response headers were received. */
  requestHeadersAt: number;
  responseHeadersAt: number | null;
  /** The downstream connection: the listener's address and the peer's. */
  downstream: {local: SocketAddress; remote: SocketAddress | null};
}

/** What the filter records (envoy.extensions.filters.http.tap.v3.Tap fields 2 and 3). */
export interface TapRecording {
  headersReceivedTime: boolean;
  downstreamConnection: boolean;
}

function body(bytes: Buffer | null, truncated: boolean, format: TapFormat): Record<string, unknown> | undefined {
  if (!bytes || (bytes.length === 0 && !truncated)) return undefined;
  return format === 'JSON_BODY_AS_STRING' ? {truncated, as_string: bytes.toString('utf8')} : {truncated, as_bytes: bytes.toString('base64')};
}

function message(headers: HeaderList, content: Record<string, unknown> | undefined, at: number | null, withTime: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {headers: headers.map(([key, value]) => ({key, value}))};
  if (content) out.body = content;
  out.trailers = [];
  if (withTime && at !== null) out.headers_received_time = new Date(at).toISOString();
  return out;
}

/**
 * The TraceWrapper Envoy streams for a buffered HTTP trace, printed as Envoy prints it:
 * pretty JSON with one-space indentation and no separator between traces.
 */
export function formatTrace(exchange: TappedExchange, format: TapFormat, record: TapRecording): string {
  const withTime = record.headersReceivedTime;
  const {local, remote} = exchange.downstream;
  const trace = {
    http_buffered_trace: {
      request: message(exchange.request, body(exchange.requestBody, exchange.requestTruncated, format), exchange.requestHeadersAt, withTime),
      response: message(exchange.response, body(exchange.responseBody, exchange.responseTruncated, format), exchange.responseHeadersAt, withTime),
      ...(record.downstreamConnection && remote ? {downstream_connection: {local_address: address(local), remote_address: address(remote)}} : {}),
    },
  };
  return JSON.stringify(trace, null, 1);
}

/** envoy.config.core.v3.Address in proto3 JSON, as Network::Utility::addressToProtobufAddress fills it. */
function address({host, port}: SocketAddress): Record<string, unknown> {
  return {socket_address: {address: host, port_value: port}};
}
