import {labelKey, readHistograms} from '../../metrics/histogram-samples.js';
import type {Labels, ParsedMetrics, Sample} from '../../metrics/types.js';
import type {Direction, HttpCounter, HttpLatency, HttpSeriesKey, TcpSeries} from '../../model/snapshot.js';
import type {WorkloadRef} from '../../model/workload.js';

/**
 * Envoy's native stats, for Envoy without Istio's standard metrics (Consul, Kuma, plain
 * Envoy). Inbound = downstream requests per HTTP connection manager (the `admin` one
 * excluded); outbound = upstream requests per cluster. Envoy's default tag names carry an
 * `envoy_` prefix; Istio's bootstrap uses the same tags without it, with class values `2xx`.
 */
const PREFIX_LABELS = ['envoy_http_conn_manager_prefix', 'http_conn_manager_prefix'];
const CLUSTER_LABELS = ['envoy_cluster_name', 'cluster_name'];
const CLASS_LABELS = ['envoy_response_code_class', 'response_code_class'];

function first(labels: Labels, names: readonly string[]): string | undefined {
  for (const name of names) if (labels[name] !== undefined) return labels[name];
  return undefined;
}

/** `outbound|9080||reviews.default.svc.cluster.local` → the service it routes to. */
export function clusterDestination(cluster: string): {dst: WorkloadRef; authority: string | null} {
  const parts = cluster.split('|');
  if (parts.length === 4 && (parts[0] === 'outbound' || parts[0] === 'inbound')) {
    const host = parts[3];
    const labels = host.split('.');
    if (labels.length >= 3 && labels[2] === 'svc') {
      return {dst: {name: labels[0], namespace: labels[1], kind: 'service'}, authority: `${host}:${parts[1]}`};
    }
    return {dst: {name: host, namespace: null, kind: 'cluster'}, authority: `${host}:${parts[1]}`};
  }
  return {dst: {name: cluster, namespace: null, kind: 'cluster'}, authority: null};
}

interface Side {
  direction: Direction;
  /** Counter families holding `<class>` per series, in preference order. */
  classFamilies: string[];
  histogram: string;
  open: string;
  rx: string;
  tx: string;
  keyOf(labels: Labels, self: WorkloadRef): HttpSeriesKey | null;
}

const INBOUND: Side = {
  direction: 'inbound',
  classFamilies: ['envoy_http_downstream_rq_xx', 'envoy_http_downstream_rq'],
  histogram: 'envoy_http_downstream_rq_time',
  open: 'envoy_http_downstream_cx_active',
  rx: 'envoy_http_downstream_cx_rx_bytes_total',
  tx: 'envoy_http_downstream_cx_tx_bytes_total',
  keyOf(labels, self) {
    const prefix = first(labels, PREFIX_LABELS);
    if (prefix === undefined || prefix === 'admin') return null;
    return {direction: 'inbound', src: null, dst: self, authority: null, route: null, port: null, status: null, tls: null};
  },
};

const OUTBOUND: Side = {
  direction: 'outbound',
  classFamilies: ['envoy_cluster_upstream_rq_xx', 'envoy_cluster_upstream_rq'],
  histogram: 'envoy_cluster_upstream_rq_time',
  open: 'envoy_cluster_upstream_cx_active',
  rx: 'envoy_cluster_upstream_cx_rx_bytes_total',
  tx: 'envoy_cluster_upstream_cx_tx_bytes_total',
  keyOf(labels, self) {
    const cluster = first(labels, CLUSTER_LABELS);
    if (cluster === undefined) return null;
    const {dst, authority} = clusterDestination(cluster);
    return {direction: 'outbound', src: self, dst, authority, route: null, port: null, status: null, tls: null};
  },
};

function classSamples(metrics: ParsedMetrics, side: Side): Sample[] {
  for (const family of side.classFamilies) {
    const samples = metrics.samples(family).filter((s) => first(s.labels, CLASS_LABELS) !== undefined);
    if (samples.length > 0) return samples;
  }
  return [];
}

/** `"2"` (Envoy default tags) or `"2xx"` (Istio tags) → `"2xx"`. */
function statusClass(value: string): string {
  return value.endsWith('xx') ? value : `${value}xx`;
}

export function envoyCounters(metrics: ParsedMetrics, self: WorkloadRef): HttpCounter[] {
  const counters: HttpCounter[] = [];
  for (const side of [INBOUND, OUTBOUND]) {
    for (const sample of classSamples(metrics, side)) {
      const key = side.keyOf(sample.labels, self);
      if (!key || !Number.isFinite(sample.value)) continue;
      const status = statusClass(first(sample.labels, CLASS_LABELS) as string);
      counters.push({
        ...key,
        status,
        id: labelKey(sample.labels),
        success: !status.startsWith('5'),
        grpcStatus: null,
        error: null,
        value: sample.value,
      });
    }
  }
  return counters;
}

export function envoyLatencies(metrics: ParsedMetrics, self: WorkloadRef): HttpLatency[] {
  const latencies: HttpLatency[] = [];
  for (const side of [INBOUND, OUTBOUND]) {
    for (const series of readHistograms(metrics, side.histogram)) {
      const key = side.keyOf(series.labels, self);
      if (key) latencies.push({...key, id: labelKey(series.labels), histogram: series.histogram});
    }
  }
  return latencies;
}

export function envoyTcp(metrics: ParsedMetrics, self: WorkloadRef): TcpSeries[] {
  const series = new Map<string, TcpSeries>();
  for (const side of [INBOUND, OUTBOUND]) {
    const add = (name: string, field: 'openConnections' | 'readBytes' | 'writeBytes') => {
      for (const sample of metrics.samples(name)) {
        const key = side.keyOf(sample.labels, self);
        if (!key || !Number.isFinite(sample.value)) continue;
        const id = `${side.direction}\u0002${labelKey(sample.labels)}`;
        let entry = series.get(id);
        if (!entry) {
          entry = {id, direction: side.direction, src: key.src, dst: key.dst, tls: null, openConnections: 0, readBytes: 0, writeBytes: 0};
          series.set(id, entry);
        }
        entry[field] += sample.value;
      }
    };
    add(side.open, 'openConnections');
    add(side.rx, 'readBytes');
    add(side.tx, 'writeBytes');
  }
  return [...series.values()];
}
