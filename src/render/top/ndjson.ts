import {TOP_MODE_LABELS, type TopSnapshot} from '../../views/top.js';
import {viewRows, type TopView} from '../../views/top-sort.js';
import {ndjsonLine} from '../tap-line.js';

/**
 * `meshctl top` when stdout is not a terminal: one NDJSON line per refresh, holding the
 * whole table in the screen's order. Rows are flat records (ms in names, success 0–1,
 * null for unknown).
 */
export function topSnapshotLine(snapshot: TopSnapshot, view: TopView): string {
  const rows = viewRows(snapshot.rows, view).map((row) => ({
    source: row.source || null,
    destination: row.destination || null,
    method: snapshot.byRoute ? null : row.method || null,
    path: snapshot.byRoute ? null : row.path || null,
    route: row.route || null,
    count: row.count,
    success_count: row.successes,
    rps: round(row.rps, 3),
    latency_ms_best: row.bestMs,
    latency_ms_worst: row.worstMs,
    latency_ms_last: row.lastMs,
    success: row.successRate,
    last_seen_ms: row.lastSeenMs,
  }));
  return ndjsonLine({
    at_ms: snapshot.atMs,
    mode: snapshot.mode,
    mode_label: TOP_MODE_LABELS[snapshot.mode],
    by_route: snapshot.byRoute,
    window_seconds: snapshot.windowSeconds,
    evictions: snapshot.evictions,
    max_rows: snapshot.maxRows,
    rows,
  });
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
