import type {Histogram} from '../../src/model/histogram.js';
import {NO_ROUTES} from '../../src/model/routes.js';
import type {HttpCounter, HttpLatency, Snapshot, TcpSeries} from '../../src/model/snapshot.js';
import type {WorkloadRef} from '../../src/model/workload.js';

/** Small builders for hand-written snapshots in view and window tests. */
export function wl(name: string, namespace: string | null = 'ns'): WorkloadRef {
  return {name, namespace};
}

export function counter(id: string, value: number, over: Partial<HttpCounter> = {}): HttpCounter {
  return {
    id,
    direction: 'inbound',
    src: null,
    dst: null,
    authority: null,
    route: null,
    port: null,
    status: '200',
    tls: null,
    success: true,
    grpcStatus: null,
    error: null,
    value,
    ...over,
  };
}

export function hist(bounds: number[], cumulative: number[]): Histogram {
  return {bounds, cumulative, sum: 0, count: cumulative[cumulative.length - 1]};
}

export function latency(id: string, histogram: Histogram, over: Partial<HttpLatency> = {}): HttpLatency {
  return {id, direction: 'inbound', src: null, dst: null, authority: null, route: null, port: null, status: '200', tls: null, histogram, ...over};
}

export function tcp(id: string, open: number, read: number, write: number, over: Partial<TcpSeries> = {}): TcpSeries {
  return {id, direction: 'inbound', src: null, dst: null, tls: null, openConnections: open, readBytes: read, writeBytes: write, ...over};
}

export function snapshot(name: string, scrapedAtMs: number, over: Partial<Snapshot> = {}): Snapshot {
  return {
    target: {name, url: `http://127.0.0.1:1/${name}`},
    dialect: 'linkerd',
    version: null,
    identity: {pod: name, workload: null, namespace: 'ns', serviceAccount: null, source: 'target'},
    scrapedAtMs,
    startTimeSec: 1000,
    http: [],
    latency: [],
    tcp: [],
    routes: NO_ROUTES,
    ...over,
  };
}
