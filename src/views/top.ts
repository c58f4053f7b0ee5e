import {isSuccess, peerLabel, type TrafficEvent} from '../model/traffic.js';
import {LruMap} from '../util/lru.js';
import {RouteTemplates} from './route-template.js';

/**
 * The `top` table: one row per (source, destination, method, path), updated as requests are
 * observed, with route grouping done at snapshot time. Rows come from live tap events
 * (Envoy) or from per-second metric deltas (Linkerd, see top-metrics.ts).
 *
 * - Count and success rate are totals since the row appeared.
 * - RPS covers a sliding window of the last `windowSeconds` seconds: requests counted in
 *   per-second buckets from `(now − window)` to now, divided by the time that window spans
 *   (shorter while meshctl has run for less than the window; never less than one second).
 * - Best / Worst / Last: lowest, highest and most recent latency in ms (null when unknown).
 * - Memory is bounded: at most `maxRows` rows; a new row evicts the least recently seen one,
 *   and evictions are counted so the screen can say so.
 */
export type TopMode = 'tap' | 'metrics' | 'mixed';

/** How the screen names where its numbers come from. */
export const TOP_MODE_LABELS: Record<TopMode, string> = {
  tap: 'live requests (tap)',
  metrics: 'from metrics, per-second deltas',
  mixed: 'live requests (tap) + from metrics, per-second deltas (untappable proxies)',
};

export interface TopOptions {
  mode?: TopMode;
  maxRows?: number;
  windowSeconds?: number;
  /** When the aggregator started (RPS is not averaged over time before it). */
  startMs?: number;
  routes?: RouteTemplates;
}

export interface TopRowKey {
  source: string;
  destination: string;
  method: string;
  path: string;
  /** The route this path belongs to when grouping by route. */
  route: string;
}

/** What one or many requests added to a row. */
export interface Observation {
  atMs: number;
  count: number;
  successes: number;
  bestMs: number | null;
  worstMs: number | null;
  lastMs: number | null;
}

export interface TopRow extends TopRowKey {
  count: number;
  successes: number;
  rps: number;
  bestMs: number | null;
  worstMs: number | null;
  lastMs: number | null;
  /** 0–1, null before any request. */
  successRate: number | null;
  lastSeenMs: number;
}

export interface TopSnapshot {
  mode: TopMode;
  atMs: number;
  byRoute: boolean;
  rows: TopRow[];
  evictions: number;
  maxRows: number;
  windowSeconds: number;
}

/** Anything the screen can draw from: the aggregator, or a recorded sequence in tests. */
export interface TopDataSource {
  snapshot(nowMs: number, byRoute: boolean): TopSnapshot;
}

interface RowState extends TopRowKey {
  count: number;
  successes: number;
  bestMs: number | null;
  worstMs: number | null;
  lastMs: number | null;
  lastSeenMs: number;
  /** Requests per second for the last `windowSeconds` seconds, ring-indexed by second. */
  buckets: number[];
  /** The newest second written to `buckets`. */
  newestSecond: number;
}

export const DEFAULT_MAX_ROWS = 5_000;
export const DEFAULT_WINDOW_SECONDS = 10;

export class TopAggregator implements TopDataSource {
  readonly mode: TopMode;
  readonly maxRows: number;
  readonly windowSeconds: number;
  readonly routes: RouteTemplates;
  private readonly startMs: number;
  /** Rows by key, in recency order; eviction takes the least recently seen. */
  private readonly rows = new LruMap<string, RowState>();
  evictions = 0;

  constructor(options: TopOptions = {}) {
    this.mode = options.mode ?? 'tap';
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    this.startMs = options.startMs ?? Date.now();
    this.routes = options.routes ?? new RouteTemplates();
  }

  get rowCount(): number {
    return this.rows.size;
  }

  /** One completed request from tap. */
  addEvent(event: TrafficEvent): void {
    const source = peerLabel(event.source);
    const destination = peerLabel(event.destination) || (event.authority ?? '');
    const method = event.method ?? '';
    const path = event.path ?? '';
    const key = rowKey(source, destination, method, path);
    const latency = event.latencyMs;
    this.observe(key, () => ({source, destination, method, path, route: event.route ?? this.routes.routeOf(event.method, event.path)}), {
      atMs: event.observedAtMs,
      count: 1,
      successes: isSuccess(event) ? 1 : 0,
      bestMs: latency,
      worstMs: latency,
      lastMs: latency,
    });
  }

  /** Add an observation to the row `key`, creating it with `describe()` when new. */
  observe(key: string, describe: () => TopRowKey, observation: Observation): void {
    let row = this.rows.touch(key);
    if (!row) {
      if (this.rows.size >= this.maxRows && this.rows.shift()) this.evictions++;
      row = newRow(describe(), this.windowSeconds, observation.atMs);
      this.rows.set(key, row);
    }
    applyObservation(row, observation, this.windowSeconds);
  }

  snapshot(nowMs: number, byRoute: boolean): TopSnapshot {
    const rows: TopRow[] = [];
    const spanMs = this.rateSpanMs(nowMs);
    for (const state of this.rows.values()) rows.push(toRow(state, this.recentCount(state, nowMs) / (spanMs / 1000)));
    return {
      mode: this.mode,
      atMs: nowMs,
      byRoute,
      rows: byRoute ? groupByRoute(rows) : rows,
      evictions: this.evictions,
      maxRows: this.maxRows,
      windowSeconds: this.windowSeconds,
    };
  }

  /** Requests in the buckets of the seconds within the window ending at `nowMs`. */
  private recentCount(row: RowState, nowMs: number): number {
    const oldestSecond = Math.floor(nowMs / 1000) - this.windowSeconds + 1;
    let total = 0;
    for (let k = 0; k < this.windowSeconds; k++) {
      const second = row.newestSecond - k;
      if (second < oldestSecond) break;
      total += row.buckets[mod(second, this.windowSeconds)];
    }
    return total;
  }

  private rateSpanMs(nowMs: number): number {
    const windowStart = Math.max(this.startMs, (Math.floor(nowMs / 1000) - this.windowSeconds + 1) * 1000);
    return Math.max(1000, nowMs - windowStart);
  }
}

export function rowKey(source: string, destination: string, method: string, path: string): string {
  return `${source}\u0000${destination}\u0000${method}\u0000${path}`;
}

function newRow(key: TopRowKey, windowSeconds: number, atMs: number): RowState {
  // Fields listed one by one (no spread) so every row shares one object shape.
  return {
    source: key.source,
    destination: key.destination,
    method: key.method,
    path: key.path,
    route: key.route,
    count: 0,
    successes: 0,
    bestMs: null,
    worstMs: null,
    lastMs: null,
    lastSeenMs: atMs,
    buckets: new Array<number>(windowSeconds).fill(0),
    newestSecond: Math.floor(atMs / 1000),
  };
}

function applyObservation(row: RowState, obs: Observation, windowSeconds: number): void {
  row.count += obs.count;
  row.successes += obs.successes;
  if (obs.bestMs !== null) row.bestMs = row.bestMs === null ? obs.bestMs : Math.min(row.bestMs, obs.bestMs);
  if (obs.worstMs !== null) row.worstMs = row.worstMs === null ? obs.worstMs : Math.max(row.worstMs, obs.worstMs);
  if (obs.atMs >= row.lastSeenMs) {
    row.lastSeenMs = obs.atMs;
    if (obs.lastMs !== null) row.lastMs = obs.lastMs;
  }
  const second = Math.floor(obs.atMs / 1000);
  if (second > row.newestSecond) {
    const stale = Math.min(second - row.newestSecond, windowSeconds);
    for (let k = 1; k <= stale; k++) row.buckets[mod(row.newestSecond + k, windowSeconds)] = 0;
    row.newestSecond = second;
  }
  // A request from a second already outside the window counts in totals but not in RPS.
  if (row.newestSecond - second < windowSeconds) row.buckets[mod(second, windowSeconds)] += obs.count;
}

function toRow(state: RowState, rps: number): TopRow {
  return {
    source: state.source,
    destination: state.destination,
    method: state.method,
    path: state.path,
    route: state.route,
    count: state.count,
    successes: state.successes,
    rps,
    bestMs: state.bestMs,
    worstMs: state.worstMs,
    lastMs: state.lastMs,
    successRate: state.count > 0 ? state.successes / state.count : null,
    lastSeenMs: state.lastSeenMs,
  };
}

/** Merge path rows into (source, destination, route) rows; the route shows in `path`. */
function groupByRoute(rows: TopRow[]): TopRow[] {
  const groups = new Map<string, TopRow>();
  for (const row of rows) {
    const key = rowKey(row.source, row.destination, '', row.route);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {...row, method: '', path: row.route});
      continue;
    }
    group.count += row.count;
    group.successes += row.successes;
    group.successRate = group.count > 0 ? group.successes / group.count : null;
    group.rps += row.rps;
    group.bestMs = minOrNull(group.bestMs, row.bestMs);
    group.worstMs = maxOrNull(group.worstMs, row.worstMs);
    if (row.lastSeenMs >= group.lastSeenMs) {
      group.lastSeenMs = row.lastSeenMs;
      group.lastMs = row.lastMs ?? group.lastMs;
    }
  }
  return [...groups.values()];
}

function minOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
