import type {ClusterModel} from './clusters-model.js';

/** Istio's outbound circuit-breaker defaults (effectively unlimited) and Envoy's for the high priority. */
const THRESHOLDS: Array<[string, Array<[string, number]>]> = [
  ['default_priority', [['max_connections', 4294967295], ['max_pending_requests', 4294967295], ['max_requests', 4294967295], ['max_retries', 4294967295]]],
  ['high_priority', [['max_connections', 1024], ['max_pending_requests', 1024], ['max_requests', 1024], ['max_retries', 3]]],
];

/** `/clusters` text: one `cluster::fact::value` per line (clusters_handler.cc). */
export function renderClustersText(clusters: readonly ClusterModel[]): string {
  let out = '';
  for (const c of clusters) {
    out += `${c.name}::observability_name::${c.name}\n`;
    for (const [priority, values] of THRESHOLDS) for (const [k, v] of values) out += `${c.name}::${priority}::${k}::${v}\n`;
    out += `${c.name}::added_via_api::true\n`;
    for (const h of c.hosts) {
      const p = `${c.name}::${h.address}:${h.port}`;
      for (const [name, value] of h.stats.entries()) out += `${p}::${name}::${value}\n`;
      out +=
        `${p}::hostname::\n${p}::health_flags::healthy\n${p}::weight::1\n${p}::region::\n${p}::zone::\n${p}::sub_zone::\n` +
        `${p}::canary::false\n${p}::priority::0\n${p}::success_rate::-1\n${p}::local_origin_success_rate::-1\n`;
    }
  }
  return out;
}

/**
 * `/clusters?format=json` (envoy.admin.v3.Clusters): uint64 values are strings and are left out
 * when zero; counters carry no `type`, gauges `"type": "GAUGE"`.
 */
export function renderClustersJson(clusters: readonly ClusterModel[]): string {
  const cluster_statuses = clusters.map((c) => ({
    name: c.name,
    added_via_api: true,
    host_statuses: c.hosts.map((h) => {
      const entries = h.stats.entries();
      const ordered = [...entries.filter(([, , t]) => t === 'counter'), ...entries.filter(([, , t]) => t === 'gauge')];
      return {
        address: {socket_address: {address: h.address, port_value: h.port}},
        stats: ordered.map(([name, value, type]) => ({...(type === 'gauge' ? {type: 'GAUGE'} : {}), name, ...(value ? {value: String(value)} : {})})),
        health_status: {eds_health_status: 'HEALTHY'},
        weight: 1,
        locality: {},
      };
    }),
    circuit_breakers: {
      thresholds: THRESHOLDS.map(([priority, values]) => ({
        ...(priority === 'high_priority' ? {priority: 'HIGH'} : {}),
        ...Object.fromEntries(values),
      })),
    },
    observability_name: c.name,
  }));
  return JSON.stringify({cluster_statuses}, null, 1);
}
