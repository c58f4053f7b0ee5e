import type {QuantileEstimate} from '../model/histogram.js';
import type {Direction} from '../model/snapshot.js';
import {isSuccess, type TrafficEvent} from '../model/traffic.js';
import type {WorkloadRef} from '../model/workload.js';
import {RouteTemplates} from './route-template.js';
import type {RouteRow} from './routes.js';
import type {GoldenSignals} from './signals.js';

/**
 * Routes derived from live requests, for proxies without route configuration: each request
 * tapped over the window is grouped by the proxy that saw it, its side, the authority it was
 * for, and a route — the proxy's own route name when it reports one, else the method and the
 * path with identifiers collapsed (`GET /books/{id}`). Success is judged as `linkerd viz top`
 * does; percentiles are exact (nearest rank over the observed latencies).
 */
export class TapRoutes {
  private readonly templates = new RouteTemplates();
  private readonly groups = new Map<string, {row: Omit<RouteRow, 'effective' | 'windowSeconds'>; count: number; ok: number; latencies: number[]}>();

  constructor(private readonly proxyWorkload: (proxy: string) => WorkloadRef) {}

  add(events: readonly TrafficEvent[]): void {
    for (const event of events) {
      const workload = this.proxyWorkload(event.proxy);
      // A trace does not always say which side of the proxy it crossed; such requests are
      // shown with the server side, where a request to this proxy's workload would be.
      const direction: Direction = event.direction ?? 'inbound';
      const route = event.route ?? this.templates.routeOf(event.method, event.path);
      const key = [workload.namespace, workload.name, direction, event.authority, route].join('\u0000');
      let group = this.groups.get(key);
      if (!group) {
        group = {
          row: {workload, direction, source: 'tap', service: event.authority, route, kind: event.route ? 'route' : 'template', actual: null, timeouts: null, retries: null, backends: []},
          count: 0,
          ok: 0,
          latencies: [],
        };
        this.groups.set(key, group);
      }
      group.count++;
      if (isSuccess(event)) group.ok++;
      if (event.latencyMs !== null) group.latencies.push(event.latencyMs);
    }
  }

  /** One row per derived route, with rates over `seconds`. */
  rows(seconds: number): RouteRow[] {
    return [...this.groups.values()].map((g) => ({...g.row, windowSeconds: seconds, effective: signals(g.count, g.ok, g.latencies, seconds)}));
  }
}

function signals(count: number, ok: number, latencies: number[], seconds: number): GoldenSignals {
  const sorted = latencies.slice().sort((a, b) => a - b);
  return {requests: count, successes: ok, success: count > 0 ? ok / count : null, rps: seconds > 0 ? count / seconds : null, p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), p99: nearestRank(sorted, 0.99)};
}

/** The smallest observed value with at least φ of the observations at or below it. */
export function nearestRank(sorted: readonly number[], q: number): QuantileEstimate | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return {value, lower: value, upper: value};
}
