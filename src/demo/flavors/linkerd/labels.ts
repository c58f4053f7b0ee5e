import type {PodInfo} from '../../mesh/pod.js';
import type {Endpoint} from '../../mesh/registry.js';
import {formatLabels} from '../../metrics/series.js';
import type {PeerInfo, SocketAddress} from '../../sidecar/plugin.js';
import type {ServiceSpec} from '../../topology.js';

/**
 * Label sets as linkerd2-proxy writes them (linkerd/app/core/src/metrics, transport/labels.rs;
 * order as in a 2026 proxy's output): the order is fixed, so it is spelled out here.
 */

export function targetLabels(target: SocketAddress): string {
  return formatLabels([
    ['target_addr', `${target.host}:${target.port}`],
    ['target_ip', target.host],
    ['target_port', String(target.port)],
  ]);
}

/** Server-side TLS: who the client proved to be (`client_id`), or why there was no identity. */
export function serverTlsLabels(remote: PeerInfo, meshTls: boolean): string {
  if (!meshTls) return 'tls="disabled"';
  if (remote.tls) return formatLabels([['tls', 'true'], ['client_id', remote.linkerdId ?? '']]);
  return formatLabels([['tls', 'no_identity'], ['no_tls_reason', remote.local ? 'loopback' : 'no_tls_from_remote']]);
}

/** Client-side TLS: the server identity the proxy required (`server_id`). */
export function clientTlsLabels(remote: PeerInfo, meshTls: boolean): string {
  if (!meshTls) return 'tls="disabled"';
  if (remote.tls) return formatLabels([['tls', 'true'], ['server_id', remote.linkerdId ?? '']]);
  return formatLabels([['tls', 'no_identity'], ['no_tls_reason', 'loopback']]);
}

export const LOOPBACK_TLS = formatLabels([['tls', 'no_identity'], ['no_tls_reason', 'loopback']]);

/** The inbound policy in effect: the default server and authorization, no HTTPRoute on the server. */
export function serverPolicyLabels(port: number): string {
  return formatLabels([
    ['srv_group', ''],
    ['srv_kind', 'default'],
    ['srv_name', 'all-unauthenticated'],
    ['srv_port', String(port)],
  ]);
}

/** Kubelet probe paths get the policy controller's synthesized `probe` route. */
export function inboundRouteLabels(path: string, probePaths: readonly string[]): string {
  return formatLabels([
    ['route_group', ''],
    ['route_kind', 'default'],
    ['route_name', probePaths.includes(path.split('?')[0]) ? 'probe' : 'default'],
  ]);
}

export const AUTHZ_LABELS = formatLabels([
  ['authz_group', ''],
  ['authz_kind', 'default'],
  ['authz_name', 'all-unauthenticated'],
]);

/** `dst_*` labels the destination controller attaches to an endpoint (sorted, as it sends them). */
export function destinationLabels(pod: PodInfo, service: ServiceSpec): string {
  return formatLabels([
    ['dst_control_plane_ns', 'linkerd'],
    ['dst_deployment', pod.workload],
    ['dst_namespace', pod.namespace],
    ['dst_pod', pod.name],
    ['dst_pod_template_hash', pod.templateHash],
    ['dst_service', service.name],
    ['dst_serviceaccount', pod.serviceAccount],
    ['dst_zone', ''],
    ['dst_zone_locality', 'unknown'],
  ]);
}

export function endpointTarget(endpoint: Endpoint): SocketAddress {
  return {host: endpoint.host, port: endpoint.port};
}

/** `classification,grpc_status,error` as proxies since v2.194 always write them. */
export function classLabels(status: number, error: string): string {
  const failure = status === 0 || status >= 500 || error !== '';
  return formatLabels([
    ['classification', failure ? 'failure' : 'success'],
    ['grpc_status', ''],
    ['error', error],
  ]);
}
