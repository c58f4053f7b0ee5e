import {histogramQuantile, sumHistograms} from '../../metrics/histogram.js';
import type {Histogram} from '../../model/histogram.js';
import type {RouteKey} from '../../model/routes.js';
import type {HttpSeriesKey} from '../../model/snapshot.js';
import {peerLabel} from '../../model/traffic.js';
import type {WindowedSnapshot} from '../../model/window.js';
import {workloadKey, type WorkloadRef} from '../../model/workload.js';
import type {MetricDelta} from '../../views/top-metrics.js';
import {ownWorkload} from '../own-workload.js';

/**
 * `top` for proxies that cannot be tapped (Linkerd): one second of windowed series → one
 * MetricDelta per (source, destination, authority, route), with p50/p99 from the summed
 * latency histograms.
 *
 * Routes: where a proxy reports per-route series for its outbound traffic to a service
 * (ServiceProfile `route_*`, Gateway API `outbound_*_route_*`), that traffic is shown per
 * route, and its plain HTTP series (same requests, no route) are left out; the destination
 * workload is taken from those plain series. Other traffic is shown per authority.
 *
 * Each request is counted once. A request between two measured proxies shows up on the
 * client's outbound side and on the server's inbound side; the outbound side is kept (it
 * names both workloads), and an inbound series is left out when a measured proxy with the
 * client's identity (service account) reported outbound traffic to this server. Inbound
 * series from clients that are not measured are kept.
 */
export function metricDeltas(windows: readonly WindowedSnapshot[]): MetricDelta[] {
  const countedOutbound = outboundPairs(windows);
  const rows = new DeltaRows();
  const counted = (key: HttpSeriesKey) =>
    key.direction === 'outbound' || !countedOutbound.has(pairKey(workloadKey(key.src), workloadKey(key.dst)));

  for (const w of windows) {
    const atMs = w.snapshot.scrapedAtMs;
    const routed = routedServices(w);
    const destinations = new Map<string, WorkloadRef | null>();
    const routedBy = (key: HttpSeriesKey) => (key.direction === 'outbound' ? routedService(routed, key.authority) : null);
    for (const counter of w.http) {
      const service = routedBy(counter);
      if (service !== null) {
        noteDestination(destinations, service, counter.dst);
        continue;
      }
      if (counted(counter)) rows.count({src: counter.src, dst: counter.dst, authority: counter.authority, route: counter.route}, atMs, counter.value, counter.success);
    }
    for (const latency of w.latency) {
      if (routedBy(latency) === null && counted(latency)) rows.latency({src: latency.src, dst: latency.dst, authority: latency.authority, route: latency.route}, atMs, latency.histogram);
    }
    const self = ownWorkload(w.snapshot.identity, w.snapshot.target);
    const routeRow = (key: RouteKey): RowKey => ({src: self, dst: destinations.get(key.service ?? '') ?? null, authority: key.service, route: key.route});
    for (const counter of w.routes.counters) {
      if (isOutboundRoute(counter)) rows.count(routeRow(counter), atMs, counter.value, counter.success === true);
    }
    for (const latency of w.routes.latency) {
      if (isOutboundRoute(latency)) rows.latency(routeRow(latency), atMs, latency.histogram);
    }
  }
  return rows.deltas();
}

interface RowKey {
  src: WorkloadRef | null;
  dst: WorkloadRef | null;
  authority: string | null;
  route: string | null;
}

/** Deltas being summed, by row. */
class DeltaRows {
  private readonly rows = new Map<string, {delta: MetricDelta; histograms: Histogram[]}>();

  count(key: RowKey, atMs: number, value: number, success: boolean): void {
    if (!(value > 0)) return;
    const row = this.row(key, atMs);
    row.delta.count += value;
    if (success) row.delta.successCount += value;
  }

  latency(key: RowKey, atMs: number, histogram: Histogram): void {
    if (histogram.count > 0) this.row(key, atMs).histograms.push(histogram);
  }

  deltas(): MetricDelta[] {
    return [...this.rows.values()]
      .filter((row) => row.delta.count > 0)
      .map(({delta, histograms}) => {
        const sum = sumHistograms(histograms);
        if (sum === null) return delta;
        return {...delta, latencyMs: {p50: quantileMs(0.5, sum), p99: quantileMs(0.99, sum)}};
      });
  }

  private row(key: RowKey, atMs: number) {
    const id = [workloadKey(key.src), workloadKey(key.dst), key.authority ?? '', key.route ?? ''].join('\u0000');
    let row = this.rows.get(id);
    if (!row) {
      const delta: MetricDelta = {
        atMs,
        source: key.src ? peerLabel(key.src) : null,
        destination: key.dst ? peerLabel(key.dst) : null,
        authority: key.authority,
        route: key.route,
        count: 0,
        successCount: 0,
      };
      row = {delta, histograms: []};
      this.rows.set(id, row);
    }
    row.delta.atMs = Math.max(row.delta.atMs, atMs);
    return row;
  }
}

/** A latency estimate rounded to the microsecond (interpolation leaves float noise below it). */
function quantileMs(q: number, histogram: Histogram): number | null {
  const estimate = histogramQuantile(q, histogram);
  return estimate === null ? null : Math.round(estimate.value * 1000) / 1000;
}

/** Route-level (not per-backend) series of what callers saw, on the outbound side. */
function isOutboundRoute(key: RouteKey): boolean {
  return key.direction === 'outbound' && key.backend === null && key.attempt === 'effective' && key.service !== null;
}

function routedServices(w: WindowedSnapshot): Set<string> {
  const services = new Set<string>();
  for (const counter of w.routes.counters) if (isOutboundRoute(counter)) services.add(counter.service!);
  return services;
}

/**
 * The routed service an authority belongs to: the same text (ServiceProfile routes are keyed
 * by authority), or a service `name:port` whose name is the authority's first DNS label
 * (Gateway API parents: `books:7002` for `books.shop.svc.cluster.local:7002`).
 */
function routedService(services: ReadonlySet<string>, authority: string | null): string | null {
  if (authority === null || services.size === 0) return null;
  if (services.has(authority)) return authority;
  const port = /:(\d+)$/.exec(authority)?.[1];
  const name = authority.replace(/:\d+$/, '').split('.')[0];
  const candidate = port ? `${name}:${port}` : name;
  return services.has(candidate) ? candidate : null;
}

/** One destination workload per routed service, when the plain series agree on one. */
function noteDestination(destinations: Map<string, WorkloadRef | null>, service: string, dst: WorkloadRef | null): void {
  if (!destinations.has(service)) destinations.set(service, dst);
  else if (workloadKey(destinations.get(service) ?? null) !== workloadKey(dst)) destinations.set(service, null);
}

/**
 * (client identity, server workload) pairs that a measured proxy counted on its outbound
 * side. The client identity is what a server's inbound series names it by: the service
 * account and namespace of its mTLS identity.
 */
function outboundPairs(windows: readonly WindowedSnapshot[]): Set<string> {
  const pairs = new Set<string>();
  for (const w of windows) {
    const {identity, target} = w.snapshot;
    if (!identity.serviceAccount) continue;
    const namespace = identity.namespace ?? ownWorkload(identity, target).namespace;
    const client = workloadKey({name: identity.serviceAccount, namespace});
    for (const counter of w.http) {
      if (counter.direction === 'outbound' && counter.dst) pairs.add(pairKey(client, workloadKey(counter.dst)));
    }
  }
  return pairs;
}

function pairKey(client: string, server: string): string {
  return `${client}\u0000${server}`;
}
