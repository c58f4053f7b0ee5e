import {describe, expect, it} from 'vitest';
import {topSnapshotLine} from '../../src/render/top/ndjson.js';
import {TopAggregator} from '../../src/views/top.js';
import {makeEvent} from './events.js';

describe('top NDJSON snapshots (stdout not a terminal)', () => {
  it('prints one line per snapshot with flat rows in the screen’s order', () => {
    const top = new TopAggregator({startMs: 0, windowSeconds: 10});
    top.addEvent(makeEvent({path: '/a', latencyMs: 4, observedAtMs: 1500}));
    top.addEvent(makeEvent({path: '/b', latencyMs: null, status: 503, observedAtMs: 1600}));
    top.addEvent(makeEvent({path: '/b', latencyMs: 9, observedAtMs: 1700}));
    const line = topSnapshotLine(top.snapshot(3000, false), {sortBy: 'count', descending: true, filter: ''});
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      at_ms: 3000,
      mode: 'tap',
      mode_label: 'live requests (tap)',
      by_route: false,
      window_seconds: 10,
      evictions: 0,
      max_rows: 5000,
      rows: [
        {
          source: '10.0.0.1:40000',
          destination: '10.0.0.2:8080',
          method: 'GET',
          path: '/b',
          route: 'GET /b',
          count: 2,
          success_count: 1,
          rps: 0.667,
          latency_ms_best: 9,
          latency_ms_worst: 9,
          latency_ms_last: 9,
          success: 0.5,
          last_seen_ms: 1700,
        },
        {
          source: '10.0.0.1:40000',
          destination: '10.0.0.2:8080',
          method: 'GET',
          path: '/a',
          route: 'GET /a',
          count: 1,
          success_count: 1,
          rps: 0.333,
          latency_ms_best: 4,
          latency_ms_worst: 4,
          latency_ms_last: 4,
          success: 1,
          last_seen_ms: 1500,
        },
      ],
    });
  });

  it('applies the filter and names routes when grouping by route', () => {
    const top = new TopAggregator({startMs: 0});
    top.addEvent(makeEvent({path: '/books/1', observedAtMs: 100}));
    top.addEvent(makeEvent({path: '/books/2', observedAtMs: 100}));
    top.addEvent(makeEvent({path: '/authors/1', observedAtMs: 100}));
    const record = JSON.parse(topSnapshotLine(top.snapshot(1000, true), {sortBy: 'count', descending: true, filter: 'book'}));
    expect(record.by_route).toBe(true);
    expect(record.rows.map((r: {route: string; path: null; count: number}) => [r.route, r.path, r.count])).toEqual([['GET /books/{id}', null, 2]]);
  });
});
