import type {PodInfo} from '../../mesh/pod.js';
import type {SocketAddress} from '../../sidecar/plugin.js';
import type {SidecarProxy} from '../../sidecar/sidecar.js';
import {serviceAuthority, type ServiceSpec} from '../../topology.js';
import {inboundCluster, outboundCluster} from './clusters-model.js';
import type {ConfigDump} from './config-dump-query.js';
import {nodeId, nodeMetadata} from './metadata.js';
import type {FractionalPercent} from './runtime.js';
import {HCM_SAMPLING} from './tracing.js';

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const TCP_PROXY = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
const LISTENER = 'type.googleapis.com/envoy.config.listener.v3.Listener';
/** The static cluster the OpenTelemetry tracer's HTTP service names. */
export const OTLP_CLUSTER = 'opentelemetry_collector';
/** The demo's span exporter gives up on a request after this long (SpanExporter's timeoutMs). */
const EXPORT_TIMEOUT = '2s';

export interface DumpSources {
  pod: PodInfo;
  proxy: SidecarProxy;
  /** The `:15090`-like stats listener. */
  stats: SocketAddress;
  /** Where spans are exported; null when the sidecar exports none. */
  otlpEndpoint: string | null;
}

/**
 * What this sidecar would show in `/config_dump`: its bootstrap (node, the collector's static
 * cluster) and its listeners, one per socket it really listens on. The HTTP listeners'
 * connection managers carry the tracing the sidecar applies: the rates of HCM_SAMPLING and the
 * OpenTelemetry tracer that exports OTLP/HTTP to the demo's collector endpoint.
 */
export function sidecarConfigDump(sources: DumpSources): ConfigDump {
  return {configs: [bootstrapDump(sources), listenersDump(sources)]};
}

function bootstrapDump({pod, otlpEndpoint}: DumpSources): Record<string, unknown> {
  const clusters = otlpEndpoint ? [otlpCluster(otlpEndpoint)] : [];
  return {
    '@type': `${ADMIN}BootstrapConfigDump`,
    bootstrap: {node: {id: nodeId(pod), cluster: `${pod.workload}.${pod.namespace}`, metadata: nodeMetadata(pod)}, static_resources: {clusters}},
  };
}

function otlpCluster(endpoint: string): Record<string, unknown> {
  const url = new URL(endpoint);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const address = {socket_address: {address: url.hostname.replace(/^\[|\]$/g, ''), port_value: port}};
  return {name: OTLP_CLUSTER, type: 'STATIC', connect_timeout: '1s', load_assignment: {cluster_name: OTLP_CLUSTER, endpoints: [{lb_endpoints: [{endpoint: {address}}]}]}};
}

function listenersDump({pod, proxy, stats, otlpEndpoint}: DumpSources): Record<string, unknown> {
  const tracing = tracingBlock(pod, otlpEndpoint);
  const dynamic = [
    ...proxy.inbound.map((listener, i) => {
      const service = proxy.config.serves[i].service;
      return listenerEntry('INBOUND', listener.addr, service.protocol === 'http' ? hcm('inbound', listener.addr, tracing) : tcpProxy(inboundCluster(service)));
    }),
    listenerEntry('OUTBOUND', proxy.outboundHttp.addr, hcm('outbound', proxy.outboundHttp.addr, tracing)),
    ...proxy.config.calls
      .filter((s): s is ServiceSpec => s.protocol === 'opaque' && proxy.outboundTcp.has(serviceAuthority(s)))
      .map((service) => listenerEntry('OUTBOUND', proxy.outboundTcp.get(serviceAuthority(service))!.addr, tcpProxy(outboundCluster(service)))),
  ];
  // Istio's bootstrap serves Prometheus stats on a static listener without tracing.
  const statsListener = {listener: listenerJson(null, stats, {stat_prefix: 'stats', '@type': HCM}), last_updated: new Date(0).toISOString()};
  return {'@type': `${ADMIN}ListenersConfigDump`, static_listeners: [statsListener], dynamic_listeners: dynamic};
}

function listenerEntry(direction: 'INBOUND' | 'OUTBOUND', addr: SocketAddress, filter: Record<string, unknown>): Record<string, unknown> {
  const name = `${addr.host}_${addr.port}`;
  return {name, active_state: {listener: {...listenerJson(name, addr, filter), traffic_direction: direction}}};
}

function listenerJson(name: string | null, addr: SocketAddress, typed: Record<string, unknown>): Record<string, unknown> {
  const filterName = typed['@type'] === HCM ? 'envoy.filters.network.http_connection_manager' : 'envoy.filters.network.tcp_proxy';
  return {
    '@type': LISTENER,
    ...(name ? {name} : {}),
    address: {socket_address: {address: addr.host, port_value: addr.port}},
    filter_chains: [{filters: [{name: filterName, typed_config: typed}]}],
  };
}

function hcm(direction: 'inbound' | 'outbound', addr: SocketAddress, tracing: Record<string, unknown> | null): Record<string, unknown> {
  return {'@type': HCM, stat_prefix: `${direction}_${addr.host}_${addr.port}`, ...(tracing ? {tracing} : {})};
}

function tcpProxy(cluster: string): Record<string, unknown> {
  return {'@type': TCP_PROXY, stat_prefix: cluster, cluster};
}

/**
 * The connection managers' tracing block, from the rates the sidecar decides with (Envoy
 * prints a Percent of 0 as `{}`). Without an exporter the sidecar has no tracing at all.
 */
function tracingBlock(pod: PodInfo, otlpEndpoint: string | null): Record<string, unknown> | null {
  if (!otlpEndpoint) return null;
  return {
    client_sampling: percent(HCM_SAMPLING.client),
    random_sampling: percent(HCM_SAMPLING.random),
    overall_sampling: percent(HCM_SAMPLING.overall),
    provider: {
      name: 'envoy.tracers.opentelemetry',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig',
        http_service: {http_uri: {uri: otlpEndpoint, cluster: OTLP_CLUSTER, timeout: EXPORT_TIMEOUT}},
        service_name: `${pod.workload}.${pod.namespace}`,
      },
    },
  };
}

const DENOMINATOR = {HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000} as const;

function percent(fraction: FractionalPercent): {value?: number} {
  const value = (fraction.numerator * 100) / DENOMINATOR[fraction.denominator];
  return value === 0 ? {} : {value};
}
