import type {Histogram} from './histogram.js';
import type {Direction, SeriesId} from './snapshot.js';
import type {WorkloadRef} from './workload.js';

/**
 * Where a route row comes from, so users can tell configured routes from derived ones:
 * Linkerd ServiceProfiles (`route_*`), Gateway API routes (`outbound_*_route_*`), inbound
 * policy routes (`inbound_http_*`, Linkerd 2.20), Envoy route or virtual-cluster stats, or
 * paths templated from live requests (`--from-tap`).
 */
export type RouteSource = 'serviceprofile' | 'gateway-api' | 'inbound-policy' | 'envoy-route' | 'envoy-vcluster' | 'tap';

export interface RouteKey {
  source: RouteSource;
  direction: Direction;
  /** The workload whose proxy measured the series. */
  proxy: WorkloadRef;
  /** The service or parent the route belongs to (`books:7002`, a ServiceProfile authority, an Envoy virtual host). */
  service: string | null;
  /** Route name; null for traffic that matched no route (shown as `[DEFAULT]`). */
  route: string | null;
  /** HTTPRoute, GRPCRoute, ServiceProfile, ... when known. */
  kind: string | null;
  /** Backend of a Gateway API per-backend series; null for route-level series. */
  backend: string | null;
  /**
   * `effective` = what the caller saw, after retries; `actual` = every attempt sent
   * (ServiceProfile `route_actual_*`, Gateway API per-backend series).
   */
  attempt: 'effective' | 'actual';
}

export interface RouteCounter extends RouteKey, SeriesId {
  status: string | null;
  /** null when the proxy counted the requests but not their outcome (Envoy `upstream_rq_total` alone). */
  success: boolean | null;
  /** Proxy error label (`REQUEST_TIMEOUT`, `LOAD_SHED`, ...) when the response did not come from the server. */
  error: string | null;
  value: number;
}

/** Route latency in milliseconds (second-based families are converted). */
export interface RouteLatency extends RouteKey, SeriesId {
  histogram: Histogram;
}

/** Retry requests sent for a route (Gateway API `*_route_retry_requests_total`, Envoy `upstream_rq_retry`). */
export interface RouteRetries extends RouteKey, SeriesId {
  value: number;
}

export interface RouteData {
  counters: RouteCounter[];
  latency: RouteLatency[];
  retries: RouteRetries[];
}

export const NO_ROUTES: RouteData = {counters: [], latency: [], retries: []};
