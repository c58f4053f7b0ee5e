import {describe, expect, it} from 'vitest';
import {TopAggregator, TOP_MODE_LABELS, type TopRow} from '../../src/views/top.js';
import {addMetricDeltas} from '../../src/views/top-metrics.js';
import {cycleColumn, TOP_COLUMNS, viewRows, type TopColumn} from '../../src/views/top-sort.js';
import {makeEvent} from './events.js';

const row = (snapshotRows: TopRow[], path: string) => snapshotRows.find((r) => r.path === path)!;

describe('top aggregation from tap events', () => {
  it('counts requests and success the way linkerd viz top does', () => {
    const top = new TopAggregator({startMs: 0});
    const outcomes = [
      {status: 200}, // ok
      {status: 404}, // ok: client errors are not failures
      {status: 503}, // fail
      {status: 200, grpcStatus: 14}, // fail: Unavailable
      {status: 200, grpcStatus: 5}, // ok: NotFound
      {status: 200, grpcStatus: 4}, // fail: DeadlineExceeded
      {status: null, outcome: 'no-response' as const}, // fail: reset, no response
      {status: 200, grpcStatus: 0}, // ok
    ];
    for (const o of outcomes) top.addEvent(makeEvent({path: '/x', observedAtMs: 500, ...o}));
    const [x] = top.snapshot(900, false).rows;
    expect(x.count).toBe(8);
    expect(x.successes).toBe(4);
    expect(x.successRate).toBe(0.5);
  });

  it('keeps best, worst and last latency, ignoring unknown latencies', () => {
    const top = new TopAggregator({startMs: 0});
    for (const [latencyMs, t] of [[12, 1], [3, 2], [null, 3], [40, 4], [7, 5]] as const) {
      top.addEvent(makeEvent({latencyMs, observedAtMs: t}));
    }
    expect(top.snapshot(10, false).rows[0]).toMatchObject({bestMs: 3, worstMs: 40, lastMs: 7});
  });

  it('keys rows by source, destination, method and path', () => {
    const top = new TopAggregator({startMs: 0});
    top.addEvent(makeEvent({path: '/a'}));
    top.addEvent(makeEvent({path: '/a', method: 'POST'}));
    top.addEvent(makeEvent({path: '/a', source: '10.9.9.9:1'}));
    top.addEvent(makeEvent({path: '/a', destination: {name: 'books', namespace: 'shop'}}));
    top.addEvent(makeEvent({path: '/a'}));
    const rows = top.snapshot(2_000_000, false).rows;
    expect(rows.map((r) => [r.source, r.destination, r.method, r.count])).toEqual([
      ['10.0.0.1:40000', '10.0.0.2:8080', 'POST', 1],
      ['10.9.9.9:1', '10.0.0.2:8080', 'GET', 1],
      ['10.0.0.1:40000', 'shop/books', 'GET', 1],
      ['10.0.0.1:40000', '10.0.0.2:8080', 'GET', 2],
    ]);
  });

  describe('RPS over the sliding window', () => {
    it('divides the requests of the last 10 s by the time the window spans', () => {
      const top = new TopAggregator({startMs: 0, windowSeconds: 10});
      for (let s = 0; s < 30; s++) top.addEvent(makeEvent({observedAtMs: s * 1000 + 100}));
      // Seconds 20..29 hold 10 requests; the window runs from 20.000 s to 29.500 s.
      expect(top.snapshot(29_500, false).rows[0].rps).toBeCloseTo(10 / 9.5, 10);
      expect(top.snapshot(29_500, false).rows[0].count).toBe(30);
    });

    it('averages over the time since start while that is shorter than the window', () => {
      const top = new TopAggregator({startMs: 0, windowSeconds: 10});
      for (const t of [0, 1000, 2000]) top.addEvent(makeEvent({observedAtMs: t}));
      expect(top.snapshot(2500, false).rows[0].rps).toBeCloseTo(3 / 2.5, 10);
      // Never over less than one second, so a first request does not read as a spike.
      const fresh = new TopAggregator({startMs: 0});
      fresh.addEvent(makeEvent({observedAtMs: 10}));
      expect(fresh.snapshot(20, false).rows[0].rps).toBe(1);
    });

    it('falls to zero when the row goes quiet, and ignores requests older than the window', () => {
      const top = new TopAggregator({startMs: 0, windowSeconds: 5});
      top.addEvent(makeEvent({observedAtMs: 20_000}));
      top.addEvent(makeEvent({observedAtMs: 10_000})); // out of order, outside the window
      expect(top.snapshot(20_500, false).rows[0]).toMatchObject({count: 2, rps: 1 / 4.5});
      expect(top.snapshot(26_000, false).rows[0].rps).toBe(0);
    });
  });

  it('stays within maxRows by evicting the least recently seen row, and counts evictions', () => {
    const top = new TopAggregator({startMs: 0, maxRows: 3});
    top.addEvent(makeEvent({path: '/1'}));
    top.addEvent(makeEvent({path: '/2'}));
    top.addEvent(makeEvent({path: '/3'}));
    top.addEvent(makeEvent({path: '/1'})); // /2 is now the least recently seen
    top.addEvent(makeEvent({path: '/4'}));
    const snapshot = top.snapshot(2_000_000, false);
    expect(snapshot.rows.map((r) => r.path).sort()).toEqual(['/1', '/3', '/4']);
    expect(snapshot.evictions).toBe(1);
    expect(row(snapshot.rows, '/1').count).toBe(2);
    for (let i = 0; i < 100_000; i++) top.addEvent(makeEvent({path: `/p/${i}`}));
    expect(top.rowCount).toBe(3);
    expect(top.evictions).toBe(100_001);
  });

  it('groups rows by route at snapshot time, merging their numbers', () => {
    const top = new TopAggregator({startMs: 0});
    top.addEvent(makeEvent({path: '/books/1', latencyMs: 10, observedAtMs: 1000}));
    top.addEvent(makeEvent({path: '/books/2', latencyMs: 2, status: 500, observedAtMs: 1100}));
    top.addEvent(makeEvent({path: '/books/1', latencyMs: 30, observedAtMs: 1200}));
    top.addEvent(makeEvent({path: '/books/3', latencyMs: 8, observedAtMs: 1300}));
    top.addEvent(makeEvent({path: '/authors', observedAtMs: 1400}));
    top.addEvent(makeEvent({path: '/x/1', route: 'named-route', observedAtMs: 1500}));
    const byPath = top.snapshot(2000, false);
    expect(byPath.rows).toHaveLength(5);
    const byRoute = top.snapshot(2000, true);
    expect(byRoute.byRoute).toBe(true);
    const books = row(byRoute.rows, 'GET /books/{id}');
    expect(books).toMatchObject({method: '', count: 4, successes: 3, successRate: 0.75, bestMs: 2, worstMs: 30, lastMs: 8});
    expect(books.rps).toBeCloseTo(4 / 2, 10);
    expect(row(byRoute.rows, 'GET /authors').count).toBe(1);
    expect(row(byRoute.rows, 'named-route').count).toBe(1);
  });
});

describe('sorting and filtering rows', () => {
  const base = {source: '', destination: '', method: '', path: '', route: '', successes: 0, lastSeenMs: 0};
  const rows: TopRow[] = [
    {...base, source: 'b', destination: 'y', method: 'GET', path: '/2', count: 5, rps: 0.5, bestMs: 2, worstMs: 9, lastMs: 3, successRate: 1},
    {...base, source: 'a', destination: 'z', method: 'POST', path: '/3', count: 9, rps: 0.1, bestMs: null, worstMs: null, lastMs: null, successRate: null},
    {...base, source: 'c', destination: 'x', method: 'DELETE', path: '/1', count: 1, rps: 2, bestMs: 1, worstMs: 20, lastMs: 1, successRate: 0.5},
  ];
  // Ascending order of rows (by path label) for each column; null values always go last.
  const ascending: Record<TopColumn, string[]> = {
    source: ['/3', '/2', '/1'],
    destination: ['/1', '/2', '/3'],
    method: ['/1', '/2', '/3'],
    path: ['/1', '/2', '/3'],
    count: ['/1', '/2', '/3'],
    rps: ['/3', '/2', '/1'],
    best: ['/1', '/2', '/3'],
    worst: ['/2', '/1', '/3'],
    last: ['/1', '/2', '/3'],
    success: ['/1', '/2', '/3'],
  };

  const descending: Record<TopColumn, string[]> = {
    source: ['/1', '/2', '/3'],
    destination: ['/3', '/2', '/1'],
    method: ['/3', '/2', '/1'],
    path: ['/3', '/2', '/1'],
    count: ['/3', '/2', '/1'],
    rps: ['/1', '/2', '/3'],
    best: ['/2', '/1', '/3'],
    worst: ['/1', '/2', '/3'],
    last: ['/2', '/1', '/3'],
    success: ['/2', '/1', '/3'],
  };

  it.each(TOP_COLUMNS)('sorts by %s in both directions', (column) => {
    const order = (desc: boolean) => viewRows(rows, {sortBy: column, descending: desc, filter: ''}).map((r) => r.path);
    expect(order(false)).toEqual(ascending[column]);
    expect(order(true)).toEqual(descending[column]);
  });

  it('filters by a case-insensitive substring of source, destination, method or path', () => {
    const paths = (filter: string) => viewRows(rows, {sortBy: 'path', descending: false, filter}).map((r) => r.path);
    expect(paths('post')).toEqual(['/3']);
    expect(paths('Z')).toEqual(['/3']);
    expect(paths('/')).toEqual(['/1', '/2', '/3']);
    expect(paths('nothing')).toEqual([]);
  });

  it('cycles through every column both ways', () => {
    expect(cycleColumn('count', 1)).toBe('rps');
    expect(cycleColumn('source', -1)).toBe('success');
    expect(cycleColumn('success', 1)).toBe('source');
  });
});

describe('top from Linkerd metric deltas', () => {
  it('builds the same rows from per-second deltas, labelled as such', () => {
    const top = new TopAggregator({mode: 'metrics', startMs: 0});
    addMetricDeltas(top, [
      {atMs: 1000, source: 'web', destination: 'books', authority: 'books:7002', route: 'GET /books/{id}', count: 10, successCount: 9, latencyMs: {p50: 4, p99: 40}},
      {atMs: 1000, source: 'web', destination: null, authority: 'authors:7001', route: null, count: 2, successCount: 2},
      {atMs: 1000, source: 'web', destination: 'books', authority: 'books:7002', route: 'POST /books', count: 0, successCount: 0},
    ]);
    addMetricDeltas(top, [
      {atMs: 2000, source: 'web', destination: 'books', authority: 'books:7002', route: 'GET /books/{id}', count: 6, successCount: 6, latencyMs: {p50: 2, p99: 90, best: 1}},
    ]);
    const snapshot = top.snapshot(2000, false);
    expect(TOP_MODE_LABELS[snapshot.mode]).toBe('from metrics, per-second deltas');
    expect(snapshot.rows).toHaveLength(2);
    const books = snapshot.rows.find((r) => r.destination === 'books')!;
    expect(books).toMatchObject({count: 16, successes: 15, bestMs: 1, worstMs: 90, lastMs: 2, route: 'GET /books/{id}'});
    expect(books.rps).toBeCloseTo(16 / 2, 10);
    const authors = snapshot.rows.find((r) => r.destination === 'authors:7001')!;
    expect(authors).toMatchObject({path: '[DEFAULT]', count: 2, successRate: 1, bestMs: null});
  });

  it('names rows by route (with its method), else by authority, else [DEFAULT]', () => {
    const top = new TopAggregator({mode: 'metrics', startMs: 0});
    const delta = {atMs: 1000, source: 'web', destination: 'books', count: 1, successCount: 1};
    addMetricDeltas(top, [
      {...delta, authority: 'books:7002', route: 'books-get', method: 'GET'},
      {...delta, authority: 'books:7002', route: null},
      {...delta, authority: 'books-v2:7002', route: null},
      {...delta, destination: null, authority: null, route: null},
    ]);
    const rows = top.snapshot(1000, false).rows;
    expect(rows.map((r) => [r.destination, r.method, r.path, r.route])).toEqual([
      ['books', '', 'GET books-get', 'books-get'],
      ['books', '', 'books:7002', '[DEFAULT]'],
      ['books', '', 'books-v2:7002', '[DEFAULT]'],
      ['', '', '[DEFAULT]', '[DEFAULT]'],
    ]);
  });
});
