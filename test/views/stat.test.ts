import {describe, expect, it} from 'vitest';
import {windowBetween} from '../../src/metrics/window.js';
import type {Snapshot} from '../../src/model/snapshot.js';
import {statRows, type StatQuery} from '../../src/views/stat.js';
import {counter, hist, latency, snapshot, tcp, wl} from '../helpers/snapshots.js';

const B = [10, 100, Infinity];
const all: StatQuery = {kind: 'workload', names: [], namespace: null};

function pod(name: string, workload: string, t: number, over: Partial<Snapshot>): Snapshot {
  return snapshot(name, t, {identity: {pod: name, workload, namespace: 'shop', serviceAccount: null, source: 'env.json'}, ...over});
}

// Two webapp pods measured over slightly different windows, one books pod, one traffic pod.
const before = [
  pod('webapp-a', 'webapp', 0, {http: [counter('ok', 100), counter('bad', 10, {success: false, status: '500'})], latency: [latency('l', hist(B, [0, 0, 0]))], tcp: [tcp('t', 2, 0, 0)]}),
  pod('webapp-b', 'webapp', 0, {http: [counter('ok', 50)], latency: [latency('l', hist(B, [0, 0, 0]))]}),
  pod('books-a', 'books', 0, {http: []}),
  pod('traffic-a', 'traffic', 0, {http: [counter('out', 0, {direction: 'outbound', dst: wl('webapp', 'shop')})]}),
];
const after = [
  // +40 ok, +10 failed over 5 s; latency: 30 ≤10ms, 20 in (10,100]
  pod('webapp-a', 'webapp', 5000, {http: [counter('ok', 140), counter('bad', 20, {success: false, status: '500'})], latency: [latency('l', hist(B, [30, 50, 50]))], tcp: [tcp('t', 3, 5000, 10000)]}),
  // +20 ok over 4 s; latency all ≤10ms
  pod('webapp-b', 'webapp', 4000, {http: [counter('ok', 70)], latency: [latency('l', hist(B, [20, 20, 20]))]}),
  pod('books-a', 'books', 5000, {http: []}),
  pod('traffic-a', 'traffic', 5000, {http: [counter('out', 25, {direction: 'outbound', dst: wl('webapp', 'shop')})]}),
];
const windows = before.map((b, i) => windowBetween(b, after[i]));

describe('statRows', () => {
  it('sums the server side of every pod of a workload, rates per pod window', () => {
    const webapp = statRows(windows, [], all).find((r) => r.name === 'webapp')!;
    expect(webapp.proxiesAnswered).toBe(2);
    expect(webapp.requests).toBe(70);
    expect(webapp.success).toBeCloseTo(60 / 70, 12);
    // 50 over 5 s + 20 over 4 s
    expect(webapp.rps).toBeCloseTo(10 + 5, 12);
    // merged latency: 50 ≤10ms of 70 → p50 rank 35 falls into (0,10]: 10·35/50;
    // p95 rank 66.5 falls into (10,100]: 10 + 90·(16.5/20)
    expect(webapp.p50).toEqual({value: 7, lower: 0, upper: 10});
    expect(webapp.p95!.value).toBeCloseTo(84.25, 12);
    expect(webapp.openConnections).toBe(3);
    expect(webapp.readBytesPerSec).toBe(1000);
    expect(webapp.writeBytesPerSec).toBe(2000);
  });

  it('shows workloads without traffic with zero rps and unknown success and latency', () => {
    const books = statRows(windows, [], all).find((r) => r.name === 'books')!;
    expect(books).toMatchObject({requests: 0, rps: 0, success: null, p50: null, p99: null, openConnections: null});
  });

  it('--to measures the outbound side of the selected workloads towards one destination', () => {
    const rows = statRows(windows, [], {...all, to: {kind: 'workload', name: 'webapp'}});
    const traffic = rows.find((r) => r.name === 'traffic')!;
    expect(traffic.requests).toBe(25);
    expect(traffic.rps).toBe(5);
    expect(rows.find((r) => r.name === 'webapp')!.requests).toBe(0);
  });

  it('--from makes destinations the rows, measured on the source proxies', () => {
    const rows = statRows(windows, [], {...all, from: {kind: 'workload', name: 'traffic'}});
    expect(rows.map((r) => r.name)).toEqual(['webapp']);
    expect(rows[0]).toMatchObject({requests: 25, rps: 5, proxiesAnswered: 1});
  });

  it('one row per proxy for pods, one per namespace for namespaces', () => {
    expect(statRows(windows, [], {...all, kind: 'pod'}).map((r) => r.name).sort()).toEqual(['books-a', 'traffic-a', 'webapp-a', 'webapp-b']);
    const ns = statRows(windows, [], {...all, kind: 'namespace'});
    expect(ns).toHaveLength(1);
    expect(ns[0]).toMatchObject({name: 'shop', requests: 70, proxiesAnswered: 4});
  });

  it('filters by name and namespace', () => {
    expect(statRows(windows, [], {...all, names: ['books']}).map((r) => r.name)).toEqual(['books']);
    expect(statRows(windows, [], {...all, namespace: 'other'})).toEqual([]);
  });

  it('counts a failed proxy as targeted for the workload its name points to', () => {
    const failure = {target: {name: 'webapp-7d9f8c6b5-x2kqp', url: 'http://127.0.0.1:9', namespace: 'shop'}, reason: 'refused', message: 'connection refused'};
    const webapp = statRows(windows, [failure], all).find((r) => r.name === 'webapp')!;
    expect(webapp.proxiesAnswered).toBe(2);
    expect(webapp.proxiesTargeted).toBe(3);
  });
});
