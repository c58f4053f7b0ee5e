import {labelKey, readHistograms, type HistogramSeries} from '../../metrics/histogram-samples.js';
import type {Labels, ParsedMetrics} from '../../metrics/types.js';
import type {Histogram} from '../../model/histogram.js';
import type {RouteData, RouteKey} from '../../model/routes.js';
import type {Direction} from '../../model/snapshot.js';
import type {WorkloadRef} from '../../model/workload.js';

/**
 * Linkerd's three generations of route metrics:
 * - ServiceProfile routes: `route_response_total` / `route_actual_response_total` /
 *   `route_response_latency_ms` keyed by `dst` and `rt_route` (absent = unmatched);
 * - Gateway API routes (2.16+): `outbound_{http,grpc}_route_*` keyed by parent, route and
 *   backend, in the OpenMetrics-style registry (durations in seconds);
 * - inbound policy routes (2.20): `inbound_{http,grpc}_statuses_total` and durations keyed by
 *   server (parent) and route.
 */
export function linkerdRoutes(metrics: ParsedMetrics, self: WorkloadRef): RouteData {
  const data: RouteData = {counters: [], latency: [], retries: []};
  serviceProfileRoutes(metrics, self, data);
  for (const protocol of ['http', 'grpc'] as const) {
    gatewayRoutes(metrics, self, protocol, data);
    inboundRoutes(metrics, self, protocol, data);
  }
  return data;
}

/** linkerd2-proxy's default classifier for gRPC: these codes (by name or number) are failures. */
const GRPC_FAILURES = new Set(['UNKNOWN', 'DEADLINE_EXCEEDED', 'PERMISSION_DENIED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', '2', '4', '7', '13', '14', '15']);

/** The default classification where a family carries no `classification` label. */
export function classify(protocol: 'http' | 'grpc', status: string | null, error: string | null): boolean {
  if (error) return false;
  if (protocol === 'grpc') return status !== null && status !== '' && !GRPC_FAILURES.has(status);
  return status !== null && status !== '' && !status.startsWith('5');
}

function serviceProfileRoutes(metrics: ParsedMetrics, self: WorkloadRef, data: RouteData): void {
  const key = (labels: Labels, attempt: RouteKey['attempt']): RouteKey | null => {
    const direction = labels.direction as Direction;
    if (direction !== 'inbound' && direction !== 'outbound') return null;
    return {
      source: 'serviceprofile', direction, proxy: self, service: labels.dst || null,
      route: labels.rt_route || null, kind: labels.rt_route ? 'ServiceProfile' : null, backend: null, attempt,
    };
  };
  for (const [family, attempt] of [['route_response_total', 'effective'], ['route_actual_response_total', 'actual']] as const) {
    for (const sample of metrics.samples(family)) {
      const k = key(sample.labels, attempt);
      if (!k || !Number.isFinite(sample.value)) continue;
      data.counters.push({
        ...k, id: `${family}${labelKey(sample.labels)}`, status: sample.labels.status_code || null,
        success: sample.labels.classification === 'success', error: sample.labels.error || null, value: sample.value,
      });
    }
  }
  for (const series of readHistograms(metrics, 'route_response_latency_ms')) {
    const k = key(series.labels, 'effective');
    if (k) data.latency.push({...k, id: labelKey(series.labels), histogram: series.histogram});
  }
}

const parentOf = (l: Labels) => (l.parent_name ? `${l.parent_name}${l.parent_port ? `:${l.parent_port}` : ''}` : null);
const backendOf = (l: Labels) => (l.backend_name ? `${l.backend_name}${l.backend_port ? `:${l.backend_port}` : ''}` : null);
/** Synthesized routes (`route_kind="default"`) are shown as unmatched traffic. */
const routeOf = (l: Labels) => (l.route_kind === 'default' || !l.route_name ? null : l.route_name);
const kindOf = (l: Labels) => (l.route_kind && l.route_kind !== 'default' ? l.route_kind : null);

function gatewayRoutes(metrics: ParsedMetrics, self: WorkloadRef, protocol: 'http' | 'grpc', data: RouteData): void {
  const base = `outbound_${protocol}_route`;
  const key = (labels: Labels, backend: boolean): RouteKey => ({
    source: 'gateway-api', direction: 'outbound', proxy: self, service: parentOf(labels), route: routeOf(labels),
    kind: kindOf(labels), backend: backend ? backendOf(labels) : null, attempt: backend ? 'actual' : 'effective',
  });
  const statusLabel = protocol === 'http' ? 'http_status' : 'grpc_status';
  for (const [family, backend] of [[`${base}_request_statuses_total`, false], [`${base}_backend_response_statuses_total`, true]] as const) {
    for (const sample of metrics.samples(family)) {
      if (!Number.isFinite(sample.value)) continue;
      const status = sample.labels[statusLabel] || null;
      const error = sample.labels.error || null;
      data.counters.push({...key(sample.labels, backend), id: `${family}${labelKey(sample.labels)}`, status, error, success: classify(protocol, status, error), value: sample.value});
    }
  }
  for (const [family, backend] of [[`${base}_request_duration_seconds`, false], [`${base}_backend_response_duration_seconds`, true]] as const) {
    for (const series of readHistograms(metrics, family)) {
      data.latency.push({...key(series.labels, backend), id: `${family}${labelKey(series.labels)}`, histogram: secondsToMs(series)});
    }
  }
  for (const sample of metrics.samples(`${base}_retry_requests_total`)) {
    if (Number.isFinite(sample.value)) data.retries.push({...key(sample.labels, false), id: labelKey(sample.labels), value: sample.value});
  }
}

function inboundRoutes(metrics: ParsedMetrics, self: WorkloadRef, protocol: 'http' | 'grpc', data: RouteData): void {
  const key = (labels: Labels): RouteKey => ({
    source: 'inbound-policy', direction: 'inbound', proxy: self, service: parentOf(labels), route: routeOf(labels),
    kind: kindOf(labels), backend: null, attempt: 'effective',
  });
  const family = `inbound_${protocol}_statuses_total`;
  for (const sample of metrics.samples(family)) {
    if (!Number.isFinite(sample.value)) continue;
    const status = sample.labels.status || null;
    data.counters.push({...key(sample.labels), id: `${family}${labelKey(sample.labels)}`, status, error: null, success: classify(protocol, status, null), value: sample.value});
  }
  // Prefer request duration (request start to response end, 2.20); older builds only have response duration.
  for (const family of [`inbound_${protocol}_request_duration_seconds`, `inbound_${protocol}_response_duration_seconds`]) {
    const series = readHistograms(metrics, family);
    if (series.length === 0) continue;
    for (const s of series) data.latency.push({...key(s.labels), id: `${family}${labelKey(s.labels)}`, histogram: secondsToMs(s)});
    break;
  }
}

function secondsToMs(series: HistogramSeries): Histogram {
  const h = series.histogram;
  return {...h, bounds: h.bounds.map((b) => b * 1000), sum: h.sum * 1000};
}

