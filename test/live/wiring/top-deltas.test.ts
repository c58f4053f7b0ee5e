import {describe, expect, it} from 'vitest';
import {metricDeltas} from '../../../src/dialects/linkerd/top-deltas.js';
import type {Histogram} from '../../../src/model/histogram.js';
import {NO_ROUTES, type RouteCounter, type RouteData, type RouteLatency} from '../../../src/model/routes.js';
import type {HttpCounter, HttpLatency, HttpSeriesKey} from '../../../src/model/snapshot.js';
import type {WindowedSnapshot} from '../../../src/model/window.js';
import type {WorkloadRef} from '../../../src/model/workload.js';

const web: WorkloadRef = {name: 'web', namespace: 'shop'};
const books: WorkloadRef = {name: 'books', namespace: 'shop', kind: 'deployment'};
const webIdentity: WorkloadRef = {name: 'web', namespace: 'shop', kind: 'serviceaccount'};

function key(direction: 'inbound' | 'outbound', src: WorkloadRef | null, dst: WorkloadRef | null, authority: string | null = null): HttpSeriesKey {
  return {direction, src, dst, authority, route: null, port: null, status: null, tls: true};
}

function counter(k: HttpSeriesKey, value: number, success = true): HttpCounter {
  return {...k, id: `${k.direction}-${value}-${success}`, success, grpcStatus: null, error: null, value};
}

/** Bounds 10, 100, +Inf; `counts` observations per bucket. */
function histogram(counts: [number, number, number]): Histogram {
  const cumulative = [counts[0], counts[0] + counts[1], counts[0] + counts[1] + counts[2]];
  return {bounds: [10, 100, Infinity], cumulative, sum: 0, count: cumulative[2]};
}

function latency(k: HttpSeriesKey, counts: [number, number, number]): HttpLatency {
  return {...k, id: `${k.direction}-lat`, histogram: histogram(counts)};
}

function windowOf(pod: string, workload: string, serviceAccount: string, http: HttpCounter[], lat: HttpLatency[], routes: RouteData = NO_ROUTES): WindowedSnapshot {
  const atMs = 5000;
  return {
    snapshot: {
      target: {name: pod, url: 'http://127.0.0.1:4191'},
      dialect: 'linkerd',
      version: null,
      identity: {pod, workload, namespace: 'shop', serviceAccount, source: 'env.json'},
      scrapedAtMs: atMs,
      startTimeSec: null,
      http: [],
      latency: [],
      tcp: [],
      routes: NO_ROUTES,
    },
    seconds: 1,
    sinceStart: false,
    reset: false,
    http,
    latency: lat,
    tcp: [],
    routes,
  };
}

/** A Gateway API route series of web's outbound traffic to the `books:7002` parent. */
function routeKey(route: string | null, backend: string | null = null) {
  return {
    source: 'gateway-api' as const,
    direction: 'outbound' as const,
    proxy: web,
    service: 'books:7002',
    route,
    kind: route ? 'HTTPRoute' : null,
    backend,
    attempt: backend ? ('actual' as const) : ('effective' as const),
  };
}

function routeCounter(route: string | null, value: number, success: boolean, backend: string | null = null): RouteCounter {
  return {...routeKey(route, backend), id: `${route}-${value}-${success}-${backend}`, status: success ? '200' : '500', success, error: null, value};
}

function routeLatency(route: string | null, counts: [number, number, number]): RouteLatency {
  return {...routeKey(route), id: `${route}-lat`, histogram: histogram(counts)};
}

describe('per-second metric deltas for top', () => {
  it('one delta per (source, destination, authority, route) with success and p50/p99', () => {
    const out = key('outbound', web, books, 'books.shop.svc.cluster.local:7002');
    const deltas = metricDeltas([windowOf('web-1', 'web', 'web', [counter(out, 8), counter(out, 2, false)], [latency(out, [8, 2, 0])])]);
    expect(deltas).toHaveLength(1);
    const [delta] = deltas;
    expect(delta).toMatchObject({atMs: 5000, source: 'shop/web', destination: 'shop/books', authority: 'books.shop.svc.cluster.local:7002', route: null, count: 10, successCount: 8});
    // 8 in (0,10], 2 in (10,100]: p50 rank 5 → 10·5/8; p99 rank 9.9 → 10 + 90·1.9/2.
    expect(delta.latencyMs!.p50).toBeCloseTo(6.25, 9);
    expect(delta.latencyMs!.p99).toBeCloseTo(95.5, 9);
  });

  it('a hop between two measured proxies is counted on the client side only', () => {
    const out = key('outbound', web, books, 'books:7002');
    const inFromWeb = key('inbound', webIdentity, {name: 'books', namespace: 'shop'});
    const inFromElsewhere = key('inbound', {name: 'batch', namespace: 'shop', kind: 'serviceaccount'}, {name: 'books', namespace: 'shop'});
    const deltas = metricDeltas([
      windowOf('web-1', 'web', 'web', [counter(out, 10)], []),
      windowOf('books-1', 'books', 'books', [counter(inFromWeb, 10), counter(inFromElsewhere, 4)], [latency(inFromWeb, [10, 0, 0])]),
    ]);
    expect(deltas.map((d) => [d.source, d.destination, d.count])).toEqual([
      ['shop/web', 'shop/books', 10],
      ['shop/batch', 'shop/books', 4],
    ]);
  });

  it('without the client proxy measured, its requests are counted on the server side', () => {
    const inFromWeb = key('inbound', webIdentity, {name: 'books', namespace: 'shop'});
    const deltas = metricDeltas([windowOf('books-1', 'books', 'books', [counter(inFromWeb, 3)], [])]);
    expect(deltas).toEqual([{atMs: 5000, source: 'shop/web', destination: 'shop/books', authority: null, route: null, count: 3, successCount: 3}]);
  });

  it('traffic to a service with route series is shown per route, with the destination from the plain series', () => {
    const toBooks = key('outbound', web, books, 'books.shop.svc.cluster.local:7002');
    const toAuthors = key('outbound', web, {name: 'authors', namespace: 'shop'}, 'authors.shop.svc.cluster.local:7001');
    const routes: RouteData = {
      counters: [
        routeCounter('books-get', 6, true),
        routeCounter('books-get', 1, false),
        routeCounter(null, 3, true),
        // Per-backend series count attempts, not what callers saw: left out.
        routeCounter('books-get', 7, true, 'books:7002'),
      ],
      latency: [routeLatency('books-get', [7, 0, 0])],
      retries: [],
    };
    const deltas = metricDeltas([windowOf('web-1', 'web', 'web', [counter(toBooks, 10), counter(toAuthors, 2)], [latency(toBooks, [0, 10, 0])], routes)]);
    expect(deltas.map((d) => [d.source, d.destination, d.authority, d.route, d.count, d.successCount])).toEqual([
      ['shop/web', 'shop/authors', 'authors.shop.svc.cluster.local:7001', null, 2, 2],
      ['shop/web', 'shop/books', 'books:7002', 'books-get', 7, 6],
      ['shop/web', 'shop/books', 'books:7002', null, 3, 3],
    ]);
    // The route's own histogram (7 in (0,10]), not the plain series' one: p50 = 10·3.5/7.
    expect(deltas[1].latencyMs!.p50).toBeCloseTo(5, 9);
  });

  it('series that did not move this second give no delta', () => {
    const out = key('outbound', web, books, 'books:7002');
    expect(metricDeltas([windowOf('web-1', 'web', 'web', [counter(out, 0)], [latency(out, [0, 0, 0])])])).toEqual([]);
  });
});
