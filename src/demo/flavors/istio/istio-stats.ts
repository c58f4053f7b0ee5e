import type {Socket} from 'node:net';
import type {PodInfo} from '../../mesh/pod.js';
import {CLUSTER_ID, ISTIO_VERSION, peerMetadataOf, type PeerMetadata} from './metadata.js';
import {istioStat, type StatsStore, type Tags} from './stats-store.js';

/** Who is on each side of one hop, from the reporting sidecar's point of view. */
export interface Hop {
  reporter: 'source' | 'destination';
  local: PodInfo;
  /** The peer's workload metadata (metadata exchange, or endpoint metadata), if known. */
  peer: PeerMetadata | null;
  /** SPIFFE identities from the TLS handshake. */
  peerPrincipal: string | null;
  localPrincipal: string | null;
  /** Destination service host (`books.booksapp.svc.cluster.local`) and short name. */
  serviceHost: string | null;
  serviceName: string | null;
}

/** TCP metrics are reported on this period and when the connection closes (istio_stats.cc). */
export const TCP_REPORT_MS = 5000;

/** Namespace from `spiffe://<domain>/ns/<ns>/sa/<sa>`. */
function principalNamespace(principal: string | null): string | null {
  const m = /\/ns\/([^/]+)/.exec(principal ?? '');
  return m ? m[1] : null;
}

/**
 * The peer and service labels in the native istio_stats filter's order, with its fallbacks
 * (`unknown`, `latest`) for what the sidecar could not learn.
 */
function peerTags(hop: Hop): Array<[string, string]> {
  const me = peerMetadataOf(hop.local);
  const peer = hop.peer;
  const peerNamespace = principalNamespace(hop.peerPrincipal) ?? (peer?.namespace || null);
  const or = (value: string | null | undefined, fallback = 'unknown') => (value ? value : fallback);
  if (hop.reporter === 'destination') {
    return [
      ['source_workload', or(peer?.workload)],
      ['source_canonical_service', or(peer?.canonicalService)],
      ['source_canonical_revision', or(peer?.canonicalRevision, 'latest')],
      ['source_workload_namespace', or(peerNamespace)],
      ['source_principal', or(hop.peerPrincipal)],
      ['source_app', or(peer?.app)],
      ['source_version', or(peer?.version)],
      ['source_cluster', or(peer?.cluster)],
      ['destination_workload', me.workload],
      ['destination_workload_namespace', me.namespace],
      ['destination_principal', or(hop.localPrincipal)],
      ['destination_app', me.app],
      ['destination_version', me.version],
      ['destination_service', or(hop.serviceHost, me.canonicalService)],
      ['destination_canonical_service', me.canonicalService],
      ['destination_canonical_revision', me.canonicalRevision],
      ['destination_service_name', or(hop.serviceName, me.canonicalService)],
      ['destination_service_namespace', me.namespace],
      ['destination_cluster', CLUSTER_ID],
    ];
  }
  return [
    ['source_workload', me.workload],
    ['source_canonical_service', me.canonicalService],
    ['source_canonical_revision', me.canonicalRevision],
    ['source_workload_namespace', me.namespace],
    ['source_principal', or(hop.localPrincipal)],
    ['source_app', me.app],
    ['source_version', me.version],
    ['source_cluster', CLUSTER_ID],
    ['destination_workload', or(peer?.workload)],
    ['destination_workload_namespace', or(peerNamespace)],
    ['destination_principal', or(hop.peerPrincipal)],
    ['destination_app', or(peer?.app)],
    ['destination_version', or(peer?.version)],
    ['destination_service', or(hop.serviceHost)],
    ['destination_canonical_service', or(peer?.canonicalService)],
    ['destination_canonical_revision', or(peer?.canonicalRevision, 'latest')],
    ['destination_service_name', or(hop.serviceName)],
    ['destination_service_namespace', or(peerNamespace)],
    ['destination_cluster', or(peer?.cluster)],
  ];
}

/** `mutual_tls` / `none` on the server side; the client side cannot tell and says `unknown`. */
function securityPolicy(hop: Hop): string {
  if (hop.reporter === 'source') return 'unknown';
  return hop.peerPrincipal && hop.localPrincipal ? 'mutual_tls' : 'none';
}

export interface HttpOutcome {
  responseCode: number;
  responseFlags: string;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
}

/** Istio's standard metrics (`istio_*`), recorded the way the native istio_stats filter does. */
export class IstioStats {
  constructor(private readonly store: StatsStore) {
    store.gauge(istioStat('istio_build', [['component', 'proxy'], ['tag', ISTIO_VERSION]]), () => 1);
  }

  recordHttp(hop: Hop, outcome: HttpOutcome): void {
    const tags: Tags = [
      ['reporter', hop.reporter],
      ...peerTags(hop),
      ['request_protocol', 'http'],
      ['response_code', String(outcome.responseCode)],
      ['grpc_response_status', ''],
      ['response_flags', outcome.responseFlags],
      ['connection_security_policy', securityPolicy(hop)],
    ];
    this.store.counter(istioStat('istio_requests_total', tags)).add();
    // Envoy records whole milliseconds and bytes.
    this.store.histogram(istioStat('istio_request_duration_milliseconds', tags)).record(Math.floor(outcome.durationMs));
    this.store.histogram(istioStat('istio_request_bytes', tags)).record(outcome.requestBytes);
    this.store.histogram(istioStat('istio_response_bytes', tags)).record(outcome.responseBytes);
  }

  /**
   * One opaque TCP connection: opened now, bytes reported every TCP_REPORT_MS and at close,
   * closed at close. `socket` is the downstream side (bytes from the client's point of view).
   */
  trackTcp(hop: Hop, socket: Socket): void {
    const tags: Tags = [
      ['reporter', hop.reporter],
      ...peerTags(hop),
      ['request_protocol', 'tcp'],
      ['response_flags', '-'],
      ['connection_security_policy', securityPolicy(hop)],
    ];
    const counter = (name: string) => this.store.counter(istioStat(name, tags));
    counter('istio_tcp_connections_opened_total').add();
    let sent = 0;
    let received = 0;
    const report = () => {
      counter('istio_tcp_sent_bytes_total').add(socket.bytesWritten - sent);
      counter('istio_tcp_received_bytes_total').add(socket.bytesRead - received);
      sent = socket.bytesWritten;
      received = socket.bytesRead;
    };
    report();
    const timer = setInterval(report, TCP_REPORT_MS);
    timer.unref();
    socket.once('close', () => {
      clearInterval(timer);
      report();
      counter('istio_tcp_connections_closed_total').add();
    });
  }
}
