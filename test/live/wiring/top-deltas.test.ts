import {describe, expect, it} from 'vitest';
import {metricDeltas} from '../../../src/dialects/linkerd/top-deltas.js';
import type {Histogram} from '../../../src/model/histogram.js';
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

function windowOf(pod: string, workload: string, serviceAccount: string, http: HttpCounter[], lat: HttpLatency[], atMs = 5000): WindowedSnapshot {
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
    },
    seconds: 1,
    sinceStart: false,
    reset: false,
    http,
    latency: lat,
    tcp: [],
  };
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

  it('series that did not move this second give no delta', () => {
    const out = key('outbound', web, books, 'books:7002');
    expect(metricDeltas([windowOf('web-1', 'web', 'web', [counter(out, 0)], [latency(out, [0, 0, 0])])])).toEqual([]);
  });
});
