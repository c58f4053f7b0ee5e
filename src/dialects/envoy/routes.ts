import {labelKey, readHistograms} from '../../metrics/histogram-samples.js';
import type {Labels, ParsedMetrics, Sample} from '../../metrics/types.js';
import type {RouteData, RouteKey, RouteSource} from '../../model/routes.js';
import type {WorkloadRef} from '../../model/workload.js';

/**
 * Envoy per-route stats (`vhost.<vhost>.route.<stat_prefix>.upstream_rq_*`) and virtual-cluster
 * stats (`vhost.<vhost>.vcluster.<name>.upstream_rq_*`) in their Prometheus forms:
 * - Envoy's default tags: `envoy_vhost_route_upstream_rq{envoy_virtual_host, envoy_route,
 *   envoy_response_code}` and `envoy_vhost_vcluster_…{envoy_virtual_cluster}`;
 * - Istio (no vhost/route tags, `response_code` tag kept): the names stay in the metric name,
 *   `envoy_vhost_<vhost>_route_<prefix>_upstream_rq{response_code="200"}`, with `.`/`:`/`|`
 *   turned into `_`.
 * Per-code series are preferred; per-class next; `upstream_rq_total` alone gives counts with
 * unknown outcome. Virtual hosts named `inbound|…` are the server side.
 */
interface Family {
  source: RouteSource;
  /** Metric name prefix up to `upstream_rq`. */
  prefix: string;
  vhost(labels: Labels): string | undefined;
  route(labels: Labels): string | undefined;
}

const TAGGED: Family[] = [
  {source: 'envoy-route', prefix: 'envoy_vhost_route_', vhost: (l) => l.envoy_virtual_host ?? l.virtual_host, route: (l) => l.envoy_route ?? l.route},
  {source: 'envoy-vcluster', prefix: 'envoy_vhost_vcluster_', vhost: (l) => l.envoy_virtual_host ?? l.virtual_host, route: (l) => l.envoy_virtual_cluster ?? l.virtual_cluster},
];

/** `envoy_vhost_<vhost>_route_<name>_upstream_rq[_time]` → its parts (string search, no backtracking). */
function flattenedName(name: string): {vhost: string; kind: 'route' | 'vcluster'; route: string} | null {
  const head = 'envoy_vhost_';
  if (!name.startsWith(head) || name.startsWith('envoy_vhost_route_') || name.startsWith('envoy_vhost_vcluster_')) return null;
  const tail = name.endsWith('_upstream_rq') ? '_upstream_rq' : name.endsWith('_upstream_rq_time') ? '_upstream_rq_time' : null;
  if (!tail) return null;
  const middle = name.slice(head.length, name.length - tail.length);
  for (const kind of ['route', 'vcluster'] as const) {
    const at = middle.indexOf(`_${kind}_`);
    if (at > 0 && at + kind.length + 2 < middle.length) return {vhost: middle.slice(0, at), kind, route: middle.slice(at + kind.length + 2)};
  }
  return null;
}

export function envoyRoutes(metrics: ParsedMetrics, self: WorkloadRef): RouteData {
  const data: RouteData = {counters: [], latency: [], retries: []};
  for (const family of TAGGED) collect(metrics, self, family, data);
  const flattened = new Set<string>();
  for (const f of metrics.families) {
    const parts = flattenedName(f.name);
    if (!parts) continue;
    const prefix = `envoy_vhost_${parts.vhost}_${parts.kind}_${parts.route}_`;
    if (flattened.has(prefix)) continue;
    flattened.add(prefix);
    const source = parts.kind === 'route' ? 'envoy-route' : 'envoy-vcluster';
    collect(metrics, self, {source, prefix, vhost: () => parts.vhost, route: () => parts.route}, data);
  }
  return data;
}

function collect(metrics: ParsedMetrics, self: WorkloadRef, family: Family, data: RouteData): void {
  const key = (labels: Labels): RouteKey | null => {
    const vhost = family.vhost(labels);
    const route = family.route(labels);
    if (vhost === undefined || route === undefined) return null;
    return {
      source: family.source, direction: vhost.startsWith('inbound') ? 'inbound' : 'outbound', proxy: self,
      service: vhost, route, kind: family.source === 'envoy-route' ? 'route' : 'virtual_cluster', backend: null, attempt: 'effective',
    };
  };
  const routeId = (labels: Labels) => `${family.vhost(labels)}\u0000${family.route(labels)}`;
  const code = (l: Labels) => l.envoy_response_code ?? l.response_code;
  const cls = (l: Labels) => l.envoy_response_code_class ?? l.response_code_class;

  const rq = metrics.samples(`${family.prefix}upstream_rq`);
  const byCode = rq.filter((s) => code(s.labels) !== undefined);
  const byClass = [...rq.filter((s) => code(s.labels) === undefined && cls(s.labels) !== undefined), ...metrics.samples(`${family.prefix}upstream_rq_xx`)];
  const covered = new Set<string>();
  const add = (samples: Sample[], status: (l: Labels) => string | null) => {
    const seen = new Set<string>();
    for (const sample of samples) {
      const k = key(sample.labels);
      const rid = routeId(sample.labels);
      if (!k || covered.has(rid) || !Number.isFinite(sample.value)) continue;
      seen.add(rid);
      const s = status(sample.labels);
      data.counters.push({...k, id: `${sample.name}${labelKey(sample.labels)}`, status: s, error: null, success: s === null ? null : !(s.startsWith('5') || s === '0'), value: sample.value});
    }
    for (const rid of seen) covered.add(rid);
  };
  add(byCode, (l) => code(l) ?? null);
  add(byClass, (l) => {
    const c = cls(l) as string;
    return c.endsWith('xx') ? c : `${c}xx`;
  });
  add(metrics.samples(`${family.prefix}upstream_rq_total`), () => null);

  for (const series of readHistograms(metrics, `${family.prefix}upstream_rq_time`)) {
    const k = key(series.labels);
    if (k) data.latency.push({...k, id: `${family.prefix}${labelKey(series.labels)}`, histogram: series.histogram});
  }
  for (const sample of metrics.samples(`${family.prefix}upstream_rq_retry`)) {
    const k = key(sample.labels);
    if (k && Number.isFinite(sample.value)) data.retries.push({...k, id: `${family.prefix}${labelKey(sample.labels)}`, value: sample.value});
  }
}
