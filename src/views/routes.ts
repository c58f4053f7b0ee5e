import type {RouteKey, RouteSource} from '../model/routes.js';
import type {Direction} from '../model/snapshot.js';
import type {WindowedSnapshot} from '../model/window.js';
import type {WorkloadRef} from '../model/workload.js';
import {SignalAccumulator, type GoldenSignals} from './signals.js';

export interface RouteQuery {
  namespace: string | null;
  /** Only routes of services whose name starts with this (the `--to` destination). */
  to: string | null;
  /** Only one side; null = both. */
  direction: Direction | null;
}

export interface BackendRow {
  backend: string;
  signals: GoldenSignals;
  /** Share of responses that were proxy timeouts. */
  timeouts: number | null;
}

export interface RouteRow {
  workload: WorkloadRef;
  direction: Direction;
  source: RouteSource;
  service: string | null;
  route: string | null;
  kind: string | null;
  /** What callers saw, after retries. */
  effective: GoldenSignals;
  /** Every attempt sent (ServiceProfile actual, or the sum over backends); null when not measured. */
  actual: {success: number | null; rps: number | null} | null;
  timeouts: number | null;
  /** Retries as a share of all requests sent (retries / (requests + retries)). */
  retries: number | null;
  backends: BackendRow[];
  windowSeconds: number | null;
}

const TIMEOUT_ERRORS = new Set(['REQUEST_TIMEOUT', 'RESPONSE_HEADERS_TIMEOUT', 'RESPONSE_STREAM_TIMEOUT', 'timeout']);

interface Group {
  row: Omit<RouteRow, 'effective' | 'actual' | 'timeouts' | 'retries' | 'backends'>;
  effective: SignalAccumulator;
  actual: SignalAccumulator;
  hasActual: boolean;
  timeouts: number;
  retries: number;
  retriesSeen: boolean;
  backends: Map<string, {acc: SignalAccumulator; timeouts: number}>;
}

/**
 * One row per route as seen by the proxies of one workload on one side, with Gateway API
 * backends as sub-rows. Route-level numbers are what the caller saw (after retries); actual
 * numbers count every attempt, so their difference is the effect of retries.
 */
export function routeRows(windows: readonly WindowedSnapshot[], query: RouteQuery): RouteRow[] {
  const groups = new Map<string, Group>();
  const groupFor = (k: RouteKey, seconds: number | null): Group | null => {
    if (!selected(query, k.direction, k.proxy.namespace, k.service)) return null;
    const id = [k.proxy.namespace, k.proxy.name, k.direction, k.source, k.service, k.route].join('\u0000');
    let group = groups.get(id);
    if (!group) {
      group = {
        row: {workload: k.proxy, direction: k.direction, source: k.source, service: k.service, route: k.route, kind: k.kind, windowSeconds: null},
        effective: new SignalAccumulator(), actual: new SignalAccumulator(), hasActual: false,
        timeouts: 0, retries: 0, retriesSeen: false, backends: new Map(),
      };
      groups.set(id, group);
    }
    if (seconds !== null) group.row.windowSeconds = Math.max(group.row.windowSeconds ?? 0, seconds);
    return group;
  };
  const backendOf = (group: Group, backend: string) => {
    let entry = group.backends.get(backend);
    if (!entry) group.backends.set(backend, (entry = {acc: new SignalAccumulator(), timeouts: 0}));
    return entry;
  };

  for (const w of windows) {
    for (const c of w.routes.counters) {
      const group = groupFor(c, w.seconds);
      if (!group) continue;
      const timeout = c.error !== null && TIMEOUT_ERRORS.has(c.error) ? c.value : 0;
      if (c.backend !== null) {
        const backend = backendOf(group, c.backend);
        backend.acc.addCounter(c, w.seconds);
        backend.timeouts += timeout;
        group.actual.addCounter(c, w.seconds);
        group.hasActual = true;
      } else if (c.attempt === 'actual') {
        group.actual.addCounter(c, w.seconds);
        group.hasActual = true;
      } else {
        group.effective.addCounter(c, w.seconds);
        group.timeouts += timeout;
      }
    }
    for (const l of w.routes.latency) {
      const group = groupFor(l, w.seconds);
      if (!group) continue;
      if (l.backend !== null) backendOf(group, l.backend).acc.addLatency(l);
      else if (l.attempt === 'effective') group.effective.addLatency(l);
    }
    for (const r of w.routes.retries) {
      const group = groupFor(r, w.seconds);
      if (!group) continue;
      group.retries += r.value;
      group.retriesSeen = true;
    }
  }

  return [...groups.values()].map((g) => {
    const effective = g.effective.signals();
    const actual = g.hasActual ? g.actual.signals() : null;
    return {
      ...g.row,
      effective,
      actual: actual ? {success: actual.success, rps: actual.rps} : null,
      timeouts: effective.requests > 0 ? g.timeouts / effective.requests : null,
      retries: g.retriesSeen && effective.requests + g.retries > 0 ? g.retries / (effective.requests + g.retries) : null,
      backends: [...g.backends]
        .map(([backend, b]) => {
          const signals = b.acc.signals();
          return {backend, signals, timeouts: signals.requests > 0 ? b.timeouts / signals.requests : null};
        })
        .sort((a, b) => a.backend.localeCompare(b.backend)),
    };
  });
}

function selected(query: RouteQuery, direction: Direction, namespace: string | null, service: string | null): boolean {
  if (query.direction !== null && direction !== query.direction) return false;
  if (query.namespace !== null && namespace !== query.namespace) return false;
  return query.to === null || serviceMatches(service, query.to);
}

/** The rows a query selects, for rows built elsewhere (routes derived from tapped requests). */
export function filterRoutes(rows: readonly RouteRow[], query: RouteQuery): RouteRow[] {
  return rows.filter((r) => selected(query, r.direction, r.workload.namespace, r.service));
}

/** `books` matches `books:7002`, `books.shop.svc.cluster.local:7002` and Envoy's `books_shop_svc…`. */
function serviceMatches(service: string | null, name: string): boolean {
  if (service === null) return false;
  if (service === name) return true;
  return [':', '.', '_'].some((sep) => service.startsWith(`${name}${sep}`));
}

/**
 * `books.shop.svc.cluster.local:7002` → `books:7002`, and the same for Envoy's sanitized
 * virtual-host form `books_shop_svc_cluster_local_7002` (Kubernetes names never contain `_`,
 * so that form splits unambiguously). Other names are unchanged.
 */
export function shortService(service: string | null): string | null {
  // Names from proxies are untrusted; a DNS name is at most 253 characters anyway.
  if (service === null || service.length > 253) return service;
  const fqdn = /^([^.:]+)\.[^.:]+\.svc\.[^:]+(:\d+)?$/.exec(service);
  if (fqdn) return `${fqdn[1]}${fqdn[2] ?? ''}`;
  const sanitized = /^([a-z0-9-]+)_[a-z0-9-]+_svc_[a-z0-9_-]*?_(\d+)$/.exec(service);
  return sanitized ? `${sanitized[1]}:${sanitized[2]}` : service;
}
