import type {RouteData} from './routes.js';
import type {HttpCounter, HttpLatency, Snapshot, TcpSeries} from './snapshot.js';

/**
 * The difference between two snapshots of one proxy: counters and histograms hold the
 * increase over the window (counter resets handled), `openConnections` the latest gauge.
 */
export interface WindowedSnapshot {
  /** The later of the two snapshots (identity, target, dialect come from here). */
  snapshot: Snapshot;
  /** Length of the window; for window 0 the proxy's uptime, or null when unknown. */
  seconds: number | null;
  /** True when the window is "since the proxy started" (window 0). */
  sinceStart: boolean;
  /** True when the proxy restarted (or counters reset) within the window. */
  reset: boolean;
  http: HttpCounter[];
  latency: HttpLatency[];
  tcp: TcpSeries[];
  routes: RouteData;
}
