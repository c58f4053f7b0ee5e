import {BucketHistogram} from './metrics/histogram.js';

/**
 * Ground truth: what the applications themselves sent and got back, counted by the caller,
 * independent of any sidecar. Tests hold meshctl's figures against these numbers.
 */

/** Latency bounds (ms) of the truth histograms. */
export const TRUTH_LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export interface HopKey {
  source: string;
  destination: string;
  method: string;
  /** Route template (`GET /books/{id}`), or `[unknown]` when the path matches none. */
  route: string;
  /** HTTP status, or 0 when no response arrived (connection error). */
  status: number;
}

export interface HopTruth extends HopKey {
  count: number;
  latency_ms_sum: number;
  /** Cumulative counts per upper bound; the last bound is the string `+Inf`. */
  latency_ms_buckets: {le: Array<number | '+Inf'>; cumulative: number[]};
}

export interface TcpTruth {
  source: string;
  destination: string;
  port: number;
  opened: number;
  open: number;
  /** Bytes the client application wrote into / read from the stream. */
  bytes_sent: number;
  bytes_received: number;
}

export interface TruthSnapshot {
  /** Wall-clock time of the reading: ISO text and epoch milliseconds (fractional). */
  read_at: string;
  read_at_ms: number;
  started_at_ms: number;
  hops: HopTruth[];
  tcp: TcpTruth[];
}

interface TcpCounters {
  opened: number;
  open: number;
  sent: number;
  received: number;
}

export class TruthRecorder {
  private readonly hops = new Map<string, {key: HopKey; histogram: BucketHistogram}>();
  private readonly tcp = new Map<string, {source: string; destination: string; port: number; c: TcpCounters}>();
  readonly startedAtMs = Date.now();

  recordCall(key: HopKey, latencyMs: number): void {
    const id = `${key.source}\0${key.destination}\0${key.method}\0${key.route}\0${key.status}`;
    let entry = this.hops.get(id);
    if (!entry) {
      entry = {key: {...key}, histogram: new BucketHistogram(TRUTH_LATENCY_BOUNDS_MS)};
      this.hops.set(id, entry);
    }
    entry.histogram.observe(latencyMs);
  }

  /** A TCP stream the source application opened; returns counters it updates as bytes move. */
  openStream(source: string, destination: string, port: number): TcpCounters {
    const id = `${source}\0${destination}\0${port}`;
    let entry = this.tcp.get(id);
    if (!entry) {
      entry = {source, destination, port, c: {opened: 0, open: 0, sent: 0, received: 0}};
      this.tcp.set(id, entry);
    }
    entry.c.opened++;
    entry.c.open++;
    return entry.c;
  }

  snapshot(): TruthSnapshot {
    const nowMs = performance.timeOrigin + performance.now();
    return {
      read_at: new Date(nowMs).toISOString(),
      read_at_ms: nowMs,
      started_at_ms: this.startedAtMs,
      hops: [...this.hops.values()].map(({key, histogram}) => ({
        ...key,
        count: histogram.count,
        latency_ms_sum: histogram.sum,
        latency_ms_buckets: {le: [...TRUTH_LATENCY_BOUNDS_MS, '+Inf'], cumulative: histogram.cumulative()},
      })),
      tcp: [...this.tcp.values()].map(({source, destination, port, c}) => ({
        source,
        destination,
        port,
        opened: c.opened,
        open: c.open,
        bytes_sent: c.sent,
        bytes_received: c.received,
      })),
    };
  }
}
