import {rowKey, type TopAggregator} from './top.js';

/**
 * Linkerd proxies cannot be tapped from outside the mesh, so on Linkerd `top` is built from
 * metric deltas instead: for each second, how many responses each (source, destination,
 * authority, route) pair saw and how many succeeded, plus whatever latency the histograms
 * give. The caller computes these from two windowed scrapes a second apart.
 *
 * Rows: the Path column shows the route name (with the method when the delta has one), or
 * the authority when there is no route, or `[DEFAULT]`; there is no separate Method column.
 *
 * Histograms cannot tell the single fastest or slowest request, so when exact extremes are
 * absent Best uses the p50 estimate, Worst the p99 estimate, and Last the latest p50; the
 * screen labels the mode "from metrics, per-second deltas" so nobody mistakes them for
 * per-request numbers.
 */
export interface MetricDelta {
  /** End of the second the delta covers (epoch ms). */
  atMs: number;
  source: string | null;
  destination: string | null;
  authority: string | null;
  /** Route name (ServiceProfile, HTTPRoute); null shows as `[DEFAULT]` like linkerd. */
  route: string | null;
  method?: string | null;
  /** Responses in this second, and how many of them the proxy classified as success. */
  count: number;
  successCount: number;
  latencyMs?: {best?: number | null; worst?: number | null; p50?: number | null; p99?: number | null} | null;
}

export const DEFAULT_ROUTE = '[DEFAULT]';

/** Feed one second of deltas (or several) into an aggregator created with `mode: 'metrics'`. */
export function addMetricDeltas(aggregator: TopAggregator, deltas: readonly MetricDelta[]): void {
  for (const delta of deltas) {
    if (!(delta.count > 0)) continue;
    const source = delta.source ?? '';
    const destination = delta.destination ?? delta.authority ?? '';
    const route = delta.route ?? DEFAULT_ROUTE;
    // Without a route, the authority tells apart services behind one destination workload.
    const name = delta.route ?? (delta.destination ? delta.authority : null) ?? DEFAULT_ROUTE;
    const path = delta.method ? `${delta.method} ${name}` : name;
    const latency = delta.latencyMs ?? null;
    const best = latency?.best ?? latency?.p50 ?? null;
    aggregator.observe(
      rowKey(source, destination, '', path),
      () => ({source, destination, method: '', path, route}),
      {
        atMs: delta.atMs,
        count: delta.count,
        successes: Math.min(delta.successCount, delta.count),
        bestMs: best,
        worstMs: latency?.worst ?? latency?.p99 ?? null,
        lastMs: latency?.p50 ?? best,
      },
    );
  }
}
