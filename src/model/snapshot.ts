import type {Histogram} from './histogram.js';
import type {RouteData} from './routes.js';
import type {DialectName, Target} from './target.js';
import type {ProxyIdentity, WorkloadRef} from './workload.js';

/** Which side of the proxy the traffic passed: inbound = server side, outbound = client side. */
export type Direction = 'inbound' | 'outbound';

/**
 * The labels every HTTP series is normalized to. `src` and `dst` name the two workloads of
 * the hop; the dialect fills in the scraped proxy's own identity on its side when known.
 */
export interface HttpSeriesKey {
  direction: Direction;
  src: WorkloadRef | null;
  dst: WorkloadRef | null;
  /** HTTP authority or destination service (`books.default.svc.cluster.local:7002`). */
  authority: string | null;
  /** Route name when the proxy knows one (ServiceProfile, HTTPRoute, Envoy route stat prefix). */
  route: string | null;
  /** Server port the request arrived on (separates probe/admin traffic from app traffic). */
  port: string | null;
  /** HTTP status code (`"200"`), or a class (`"5xx"`) when the proxy only counts classes. */
  status: string | null;
  /** Whether the hop was mTLS-secured; null when unknown. */
  tls: boolean | null;
}

/**
 * Identity of the raw series a normalized value came from (its full label set). Windowing
 * matches series by it, so a reset or eviction of one raw series never looks like a drop in
 * a sum of several.
 */
export interface SeriesId {
  id: string;
}

/** A cumulative response counter, split by the proxy's own success classification. */
export interface HttpCounter extends HttpSeriesKey, SeriesId {
  success: boolean;
  grpcStatus: string | null;
  error: string | null;
  value: number;
}

/** A cumulative latency histogram in milliseconds. */
export interface HttpLatency extends HttpSeriesKey, SeriesId {
  histogram: Histogram;
}

/** TCP connection stats for one hop. Bytes are cumulative counters; open is a gauge. */
export interface TcpSeries extends SeriesId {
  direction: Direction;
  src: WorkloadRef | null;
  dst: WorkloadRef | null;
  tls: boolean | null;
  openConnections: number;
  readBytes: number;
  writeBytes: number;
}

/** Everything meshctl read from one proxy at one instant, in family-neutral form. */
export interface Snapshot {
  target: Target;
  dialect: DialectName;
  /** Proxy version string when known (`v2.294.0`, `1.11.4`). */
  version: string | null;
  identity: ProxyIdentity;
  /** Monotonic milliseconds when the scrape completed (see `nowMs`). */
  scrapedAtMs: number;
  /** Wall-clock epoch seconds when the proxy process started, when known. */
  startTimeSec: number | null;
  http: HttpCounter[];
  latency: HttpLatency[];
  tcp: TcpSeries[];
  /** Per-route series, when the proxy has route configuration. */
  routes: RouteData;
}

/** Monotonic milliseconds on the wall-clock scale (safe to subtract, comparable to Date.now()). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
