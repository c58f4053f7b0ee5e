import type {HttpCounter, HttpLatency, Snapshot, TcpSeries} from '../model/snapshot.js';
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
  let reset = restarted;

  const counters = restarted ? new Map<string, HttpCounter>() : byId(before.http);
  const http = after.http.map((series) => {
    const previous = counters.get(series.id);
    if (!previous) return series;
    if (series.value < previous.value) {
      reset = true;
      return series;
    }
    return {...series, value: series.value - previous.value};
  });

  const histograms = restarted ? new Map<string, HttpLatency>() : byId(before.latency);
  const latency = after.latency.map((series) => {
    const previous = histograms.get(series.id);
    if (!previous) return series;
    const delta = subtractHistogram(series.histogram, previous.histogram);
    if (delta === null) {
      reset = true;
      return series;
    }
    return {...series, histogram: delta};
  });

  const connections = restarted ? new Map<string, TcpSeries>() : byId(before.tcp);
  const tcp = after.tcp.map((series) => {
    const previous = connections.get(series.id);
    if (!previous) return series;
    if (series.readBytes < previous.readBytes || series.writeBytes < previous.writeBytes) {
      reset = true;
      return series;
    }
    return {
      ...series,
      readBytes: series.readBytes - previous.readBytes,
      writeBytes: series.writeBytes - previous.writeBytes,
    };
  });

  return {snapshot: after, seconds: seconds > 0 ? seconds : null, sinceStart: false, reset, http, latency, tcp};
}

function byId<T extends {id: string}>(series: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const s of series) map.set(s.id, s);
  return map;
}
