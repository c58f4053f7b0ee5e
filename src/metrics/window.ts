import type {Histogram} from '../model/histogram.js';
import type {Snapshot, TcpSeries} from '../model/snapshot.js';
import type {WindowedSnapshot} from '../model/window.js';
import {subtractHistogram} from './histogram.js';

/** Start times further apart than this mean a restart. Envoy derives its start from an uptime
 * gauge that only moves at stats-flush time (every ~5 s), hence the slack. */
const RESTART_TOLERANCE_SEC = 10;

/**
 * Everything a proxy counted since it started ("window 0"): the cumulative values as they
 * are, over the proxy's uptime when it is known.
 */
export function sinceStart(snapshot: Snapshot): WindowedSnapshot {
  const uptime = snapshot.startTimeSec === null ? null : snapshot.scrapedAtMs / 1000 - snapshot.startTimeSec;
  return {
    snapshot,
    seconds: uptime !== null && uptime > 0 ? uptime : null,
    sinceStart: true,
    reset: false,
    http: snapshot.http,
    latency: snapshot.latency,
    tcp: snapshot.tcp,
    routes: snapshot.routes,
  };
}

/**
 * The increase between two scrapes of the same proxy. Each raw series is matched by id:
 * a series that is new or went backwards counts from zero (counters start at zero when a
 * series is created, and restart at zero after a reset or an idle eviction); a series that
 * disappeared contributes nothing. A changed process start time means the proxy restarted:
 * then every value counts from zero and the window shrinks to the time since the restart.
 */
export function windowBetween(before: Snapshot, after: Snapshot): WindowedSnapshot {
  const restarted =
    before.startTimeSec !== null &&
    after.startTimeSec !== null &&
    Math.abs(after.startTimeSec - before.startTimeSec) > RESTART_TOLERANCE_SEC;
  let seconds = (after.scrapedAtMs - before.scrapedAtMs) / 1000;
  if (restarted && after.startTimeSec !== null) {
    seconds = Math.min(seconds, Math.max(0, after.scrapedAtMs / 1000 - after.startTimeSec));
  }
  const delta = new Differ(restarted);
  const http = delta.counters(before.http, after.http);
  const latency = delta.histograms(before.latency, after.latency);
  const tcp = delta.tcp(before.tcp, after.tcp);
  const routes = {
    counters: delta.counters(before.routes.counters, after.routes.counters),
    latency: delta.histograms(before.routes.latency, after.routes.latency),
    retries: delta.counters(before.routes.retries, after.routes.retries),
  };
  return {snapshot: after, seconds: seconds > 0 ? seconds : null, sinceStart: false, reset: delta.reset, http, latency, tcp, routes};
}

/** Differences series matched by id, remembering whether any counter went backwards. */
class Differ {
  reset: boolean;

  constructor(private readonly restarted: boolean) {
    this.reset = restarted;
  }

  counters<T extends {id: string; value: number}>(before: readonly T[], after: readonly T[]): T[] {
    const previous = this.index(before);
    return after.map((series) => {
      const old = previous.get(series.id);
      if (!old) return series;
      if (series.value < old.value) {
        this.reset = true;
        return series;
      }
      return {...series, value: series.value - old.value};
    });
  }

  histograms<T extends {id: string; histogram: Histogram}>(before: readonly T[], after: readonly T[]): T[] {
    const previous = this.index(before);
    return after.map((series) => {
      const old = previous.get(series.id);
      if (!old) return series;
      const histogram = subtractHistogram(series.histogram, old.histogram);
      if (histogram === null) {
        this.reset = true;
        return series;
      }
      return {...series, histogram};
    });
  }

  /** Bytes are counters; open connections is a gauge and keeps its latest value. */
  tcp(before: readonly TcpSeries[], after: readonly TcpSeries[]): TcpSeries[] {
    const previous = this.index(before);
    return after.map((series) => {
      const old = previous.get(series.id);
      if (!old) return series;
      if (series.readBytes < old.readBytes || series.writeBytes < old.writeBytes) {
        this.reset = true;
        return series;
      }
      return {...series, readBytes: series.readBytes - old.readBytes, writeBytes: series.writeBytes - old.writeBytes};
    });
  }

  private index<T extends {id: string}>(series: readonly T[]): Map<string, T> {
    const map = new Map<string, T>();
    if (!this.restarted) for (const s of series) map.set(s.id, s);
    return map;
  }
}
