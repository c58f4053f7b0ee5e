import type {Socket} from 'node:net';
import type {Endpoint} from '../mesh/registry.js';
import type {PodInfo} from '../mesh/pod.js';
import type {ServiceSpec} from '../topology.js';
import type {HeaderList} from './headers.js';

/**
 * The seam between the proxying core (flavour-neutral: sockets, TLS, forwarding, timing) and a
 * flavour (what a linkerd2-proxy or an Istio Envoy records, adds to headers and exports).
 */
export type Direction = 'inbound' | 'outbound';

export interface SocketAddress {
  host: string;
  port: number;
}

/** The other end of a hop, as far as the sidecar can know it. */
export interface PeerInfo {
  /** True when the hop runs over mutual TLS with a certificate from the demo's trust anchor. */
  tls: boolean;
  linkerdId: string | null;
  spiffeId: string | null;
  /** Pod metadata from discovery; known for the endpoints a sidecar dials, never taken from a client. */
  pod: PodInfo | null;
  /** True when the peer is the sidecar's own application (the loopback leg). */
  local: boolean;
}

export interface ConnectionInfo {
  direction: Direction;
  /** `src`: a connection the sidecar accepted; `dst`: one it opened. */
  peer: 'src' | 'dst';
  protocol: 'http' | 'opaque';
  /** Address the connection was made to: the sidecar's listener (src) or the endpoint (dst). */
  target: SocketAddress;
  remote: PeerInfo;
  /** The endpoint dialled (outbound `dst` only). */
  endpoint: Endpoint | null;
  service: ServiceSpec | null;
  /** The raw TCP socket: its byte counters include TLS overhead, as a proxy's transport metrics do. */
  socket: Socket;
  /** For an outbound opaque connection to an endpoint: the application's connection it carries. */
  downstream?: Socket;
  /** For an inbound opaque connection: the metadata frame the peer sidecar sent first, if any. */
  hello?: Buffer | null;
}

export interface RequestInfo {
  direction: Direction;
  method: string;
  /** Request target as received (path and query). */
  path: string;
  authority: string;
  /** Request headers in arrival order; observers may rewrite them before forwarding. */
  headers: HeaderList;
  local: PodInfo;
  /** Inbound: the calling peer. Outbound: the sidecar's own application. */
  downstream: PeerInfo;
  /** Listener the request arrived on (the downstream connection's local address). */
  target: SocketAddress;
  /** The downstream connection's remote address: the calling sidecar (inbound) or application (outbound). */
  client: SocketAddress | null;
  /** Inbound: the service served; outbound: the service the authority resolved to (if any). */
  service: ServiceSpec | null;
  /** `performance.now()` when the request headers arrived. */
  startMs: number;
  /** Wall-clock epoch milliseconds at the same instant. */
  startEpochMs: number;
}

export interface ForwardInfo {
  /** Outbound: the endpoint chosen; inbound: null (the application). */
  endpoint: Endpoint | null;
  upstream: PeerInfo;
}

export interface ExchangeResult {
  /** Status sent downstream; 0 when the downstream went away before any response. */
  status: number;
  /** Why the exchange failed at the proxy (connect error, reset, timeout), else null. */
  error: ProxyError | null;
  /** True when the proxy itself produced the response (no upstream answer). */
  localReply: boolean;
  responseHeaders: HeaderList;
  forward: ForwardInfo | null;
  /** Body bytes received from downstream / sent downstream. */
  requestBytes: number;
  responseBytes: number;
  /** Captured bodies, only when the observer asked for them. */
  requestBody: Buffer | null;
  responseBody: Buffer | null;
  requestBodyTruncated: boolean;
  responseBodyTruncated: boolean;
  upstreamStartMs: number | null;
  upstreamHeadersMs: number | null;
  responseHeadersMs: number | null;
  endMs: number;
}

export type ProxyError = 'no-route' | 'no-endpoints' | 'connect' | 'reset' | 'timeout' | 'downstream-reset';

export interface LocalReply {
  status: number;
  body: string;
  headers?: HeaderList;
}

export interface RequestObserver {
  /** Ask the core to keep up to this many body bytes each way (tap). */
  captureBodies?: {request: number; response: number};
  /** Rewrite the headers sent upstream. */
  forward?(headers: HeaderList, info: ForwardInfo): void;
  /** Rewrite the response headers sent downstream. `upstreamMs`: upstream start to its response headers. */
  respond?(status: number, headers: HeaderList, upstreamMs: number | null): void;
  complete(result: ExchangeResult): void;
}

export interface SidecarPlugin {
  request(info: RequestInfo): RequestObserver;
  connection(info: ConnectionInfo): void;
  /** The response a proxy of this family sends when it cannot get one from upstream. */
  localReply(error: ProxyError): LocalReply;
  /** Metadata this sidecar sends first on the opaque connections it opens (see preamble.ts). */
  opaqueHello?(): Buffer;
}
