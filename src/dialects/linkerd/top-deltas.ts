import {histogramQuantile, sumHistograms} from '../../metrics/histogram.js';
import type {Histogram} from '../../model/histogram.js';
import type {HttpSeriesKey} from '../../model/snapshot.js';
import {peerLabel} from '../../model/traffic.js';
import type {WindowedSnapshot} from '../../model/window.js';
import {workloadKey} from '../../model/workload.js';
import type {MetricDelta} from '../../views/top-metrics.js';
import {ownWorkload} from '../own-workload.js';

/**
 * `top` for proxies that cannot be tapped (Linkerd): one second of windowed HTTP series →
 * one MetricDelta per (source, destination, authority, route), with p50/p99 from the
 * summed latency histograms.
 *
 * Each request is counted once. A request between two measured proxies shows up on the
 * client's outbound side and on the server's inbound side; the outbound side is kept (it
 * names both workloads), and an inbound series is left out when a measured proxy with the
 * client's identity (service account) reported outbound traffic to this server. Inbound
 * series from clients that are not measured are kept.
 *
 * Routes: the series carry a route only when the dialect maps one; until then rows are
 * named by authority, else destination (see top-metrics.ts).
 */
export function metricDeltas(windows: readonly WindowedSnapshot[]): MetricDelta[] {
  const countedOutbound = outboundPairs(windows);
  const rows = new Map<string, {delta: MetricDelta; histograms: Histogram[]}>();
  const rowOf = (key: HttpSeriesKey, atMs: number) => {
    const id = [workloadKey(key.src), workloadKey(key.dst), key.authority ?? '', key.route ?? ''].join('\u0000');
    let row = rows.get(id);
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
      rows.set(id, row);
    }
    row.delta.atMs = Math.max(row.delta.atMs, atMs);
    return row;
  };
  const counted = (key: HttpSeriesKey) =>
    key.direction === 'outbound' || !countedOutbound.has(pairKey(workloadKey(key.src), workloadKey(key.dst)));

  for (const w of windows) {
    const atMs = w.snapshot.scrapedAtMs;
    for (const counter of w.http) {
      if (!counted(counter) || !(counter.value > 0)) continue;
      const row = rowOf(counter, atMs);
      row.delta.count += counter.value;
      if (counter.success) row.delta.successCount += counter.value;
    }
    for (const latency of w.latency) {
      if (counted(latency) && latency.histogram.count > 0) rowOf(latency, atMs).histograms.push(latency.histogram);
    }
  }
  return [...rows.values()]
    .filter((row) => row.delta.count > 0)
    .map(({delta, histograms}) => {
      const sum = sumHistograms(histograms);
      if (sum === null) return delta;
      return {...delta, latencyMs: {p50: histogramQuantile(0.5, sum)?.value ?? null, p99: histogramQuantile(0.99, sum)?.value ?? null}};
    });
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
