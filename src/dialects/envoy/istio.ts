import {labelKey, readHistograms} from '../../metrics/histogram-samples.js';
import type {Labels, ParsedMetrics} from '../../metrics/types.js';
import type {HttpCounter, HttpLatency, HttpSeriesKey, TcpSeries} from '../../model/snapshot.js';
import type {WorkloadRef} from '../../model/workload.js';

/**
 * Istio's standard metrics. Each sidecar reports only its own side of a hop:
 * `reporter="destination"` is the server side (inbound), `reporter="source"` the client side
 * (outbound). Labels are matched by name; their order differs between Istio versions.
 */
export function hasIstioMetrics(metrics: ParsedMetrics): boolean {
  return metrics.samples('istio_requests_total').length > 0 || metrics.samples('istio_request_duration_milliseconds_bucket').length > 0;
}

function workload(name: string | undefined, namespace: string | undefined): WorkloadRef | null {
  if (!name || name === 'unknown') return null;
  return {name, namespace: namespace && namespace !== 'unknown' ? namespace : null};
}

function keyOf(labels: Labels): HttpSeriesKey | null {
  const reporter = labels.reporter;
  if (reporter !== 'destination' && reporter !== 'source') return null;
  const policy = labels.connection_security_policy;
  return {
    direction: reporter === 'destination' ? 'inbound' : 'outbound',
    src: workload(labels.source_workload, labels.source_workload_namespace),
    dst: workload(labels.destination_workload, labels.destination_workload_namespace),
    authority: labels.destination_service || null,
    route: null,
    port: null,
    status: labels.response_code || null,
    // Only the server side knows whether the connection was mTLS; the client reports "unknown".
    tls: policy === 'mutual_tls' ? true : policy === 'none' ? false : null,
  };
}

/**
 * Envoy's own success rule (`rq_success` vs `rq_error`): a 5xx, or no response at all
 * (`response_code="0"`: reset, timeout before headers), is a failure.
 */
export function isEnvoyFailure(status: string | null): boolean {
  return status === null || status === '0' || status.startsWith('5');
}

export function istioCounters(metrics: ParsedMetrics): HttpCounter[] {
  const counters: HttpCounter[] = [];
  for (const sample of metrics.samples('istio_requests_total')) {
    const key = keyOf(sample.labels);
    if (!key || !Number.isFinite(sample.value)) continue;
    counters.push({
      ...key,
      id: labelKey(sample.labels),
      success: !isEnvoyFailure(key.status),
      grpcStatus: sample.labels.grpc_response_status || null,
      error: sample.labels.response_flags && sample.labels.response_flags !== '-' ? sample.labels.response_flags : null,
      value: sample.value,
    });
  }
  return counters;
}

export function istioLatencies(metrics: ParsedMetrics): HttpLatency[] {
  const latencies: HttpLatency[] = [];
  for (const series of readHistograms(metrics, 'istio_request_duration_milliseconds')) {
    const key = keyOf(series.labels);
    if (key) latencies.push({...key, id: labelKey(series.labels), histogram: series.histogram});
  }
  return latencies;
}

/** Istio's TCP metrics (reported for TCP-proxied traffic): open = opened − closed. */
export function istioTcp(metrics: ParsedMetrics): TcpSeries[] {
  const series = new Map<string, TcpSeries>();
  const add = (name: string, apply: (entry: TcpSeries, value: number) => void) => {
    for (const sample of metrics.samples(name)) {
      const key = keyOf(sample.labels);
      if (!key || !Number.isFinite(sample.value)) continue;
      const id = labelKey(sample.labels);
      let entry = series.get(id);
      if (!entry) {
        entry = {id, direction: key.direction, src: key.src, dst: key.dst, tls: key.tls, openConnections: 0, readBytes: 0, writeBytes: 0};
        series.set(id, entry);
      }
      apply(entry, sample.value);
    }
  };
  add('istio_tcp_connections_opened_total', (e, v) => (e.openConnections += v));
  add('istio_tcp_connections_closed_total', (e, v) => (e.openConnections -= v));
  add('istio_tcp_received_bytes_total', (e, v) => (e.readBytes += v));
  add('istio_tcp_sent_bytes_total', (e, v) => (e.writeBytes += v));
  return [...series.values()];
}
