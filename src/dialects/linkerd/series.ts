import {labelKey, readHistograms} from '../../metrics/histogram-samples.js';
import type {Labels, ParsedMetrics} from '../../metrics/types.js';
import type {Direction, HttpCounter, HttpLatency, HttpSeriesKey, TcpSeries} from '../../model/snapshot.js';
import type {WorkloadRef} from '../../model/workload.js';
import {clientFromIdentity, destinationWorkload, tlsFromLabels} from './labels.js';

export interface MappingContext {
  /** The scraped proxy's own workload. */
  self: WorkloadRef;
  /** Server ports of the admin listener: requests to them are probes and scrapes, not app traffic. */
  adminPorts: ReadonlySet<string>;
}

/** Normalize the labels of a legacy (`request_total`-era) series; null for series meshctl skips. */
function keyOf(labels: Labels, ctx: MappingContext): HttpSeriesKey | null {
  const direction = labels.direction as Direction;
  if (direction !== 'inbound' && direction !== 'outbound') return null;
  const port = labels.target_port || portOf(labels.target_addr);
  if (direction === 'inbound' && port !== null && ctx.adminPorts.has(port)) return null;
  return {
    direction,
    src: direction === 'inbound' ? clientFromIdentity(labels) : ctx.self,
    dst: direction === 'inbound' ? ctx.self : destinationWorkload(labels),
    authority: labels.authority || null,
    route: null,
    port,
    status: labels.status_code || null,
    tls: tlsFromLabels(labels),
  };
}

function portOf(addr: string | undefined): string | null {
  if (!addr) return null;
  const colon = addr.lastIndexOf(':');
  return colon >= 0 ? addr.slice(colon + 1) : null;
}

/**
 * `response_total` split by the proxy's own `classification` — the proxy decides what failed
 * (5xx, gRPC failure codes, stream errors, or a ServiceProfile's response classes).
 */
export function responseCounters(metrics: ParsedMetrics, ctx: MappingContext): HttpCounter[] {
  const counters: HttpCounter[] = [];
  for (const sample of metrics.samples('response_total')) {
    const key = keyOf(sample.labels, ctx);
    if (!key || !Number.isFinite(sample.value)) continue;
    counters.push({
      ...key,
      id: labelKey(sample.labels),
      success: sample.labels.classification === 'success',
      grpcStatus: sample.labels.grpc_status || null,
      error: sample.labels.error || null,
      value: sample.value,
    });
  }
  return counters;
}

export function latencyHistograms(metrics: ParsedMetrics, ctx: MappingContext): HttpLatency[] {
  const latencies: HttpLatency[] = [];
  for (const series of readHistograms(metrics, 'response_latency_ms')) {
    const key = keyOf(series.labels, ctx);
    if (!key) continue;
    latencies.push({...key, id: labelKey(series.labels), histogram: series.histogram});
  }
  return latencies;
}

/**
 * TCP series: connections accepted from clients (inbound, `peer="src"`) and connections the
 * proxy opened to destinations (outbound, `peer="dst"`). The inbound hop to the local app and
 * admin-port connections are left out so nothing is counted twice.
 */
export function tcpSeries(metrics: ParsedMetrics, ctx: MappingContext): TcpSeries[] {
  const series = new Map<string, TcpSeries>();
  const add = (name: string, field: 'openConnections' | 'readBytes' | 'writeBytes') => {
    for (const sample of metrics.samples(name)) {
      const labels = sample.labels;
      const wanted =
        (labels.direction === 'inbound' && labels.peer === 'src') ||
        (labels.direction === 'outbound' && labels.peer === 'dst');
      if (!wanted || !Number.isFinite(sample.value)) continue;
      const key = keyOf(labels, ctx);
      if (!key) continue;
      const id = labelKey(labels);
      let entry = series.get(id);
      if (!entry) {
        entry = {id, direction: key.direction, src: key.src, dst: key.dst, tls: key.tls, openConnections: 0, readBytes: 0, writeBytes: 0};
        series.set(id, entry);
      }
      entry[field] += sample.value;
    }
  };
  add('tcp_open_connections', 'openConnections');
  add('tcp_read_bytes_total', 'readBytes');
  add('tcp_write_bytes_total', 'writeBytes');
  return [...series.values()];
}

/** Proxy version from `proxy_build_info` (new: `version`; older: `git_version`). */
export function proxyVersion(metrics: ParsedMetrics): string | null {
  const info = metrics.samples('proxy_build_info')[0];
  if (!info) return null;
  return info.labels.version || info.labels.git_version || null;
}

export function processStartTime(metrics: ParsedMetrics): number | null {
  const sample = metrics.samples('process_start_time_seconds')[0];
  return sample && Number.isFinite(sample.value) && sample.value > 0 ? sample.value : null;
}
