import {describe, expect, it} from 'vitest';
import {windowBetween} from '../../src/metrics/window.js';
import type {Snapshot} from '../../src/model/snapshot.js';
import {edgeRows} from '../../src/views/edges.js';
import {counter, hist, latency, snapshot, tcp, wl} from '../helpers/snapshots.js';

const B = [10, 100, Infinity];

function proxy(workload: string, sa: string, t: number, over: Partial<Snapshot>): Snapshot {
  return snapshot(`${workload}-5d9f8c6b57-x2kqp`, t, {identity: {pod: `${workload}-5d9f8c6b57-x2kqp`, workload, namespace: 'shop', serviceAccount: sa, source: 'env.json'}, ...over});
}

describe('edgeRows', () => {
  // webapp → books seen by both proxies (client: 40 ok + 10 failed; server: 50 from sa "webapp");
  // an unmeshed client → webapp seen by webapp only; books → an external authority seen by books only.
  const before = [
    proxy('webapp', 'webapp', 0, {
      http: [counter('out-ok', 0, {direction: 'outbound', dst: wl('books', 'shop'), tls: true}), counter('out-bad', 0, {direction: 'outbound', dst: wl('books', 'shop'), success: false, tls: true}), counter('in', 0)],
      latency: [latency('out-l', hist(B, [0, 0, 0]), {direction: 'outbound', dst: wl('books', 'shop')})],
    }),
    proxy('books', 'books', 0, {
      http: [counter('in', 0, {src: {name: 'webapp', namespace: 'shop', kind: 'serviceaccount'}, tls: true}), counter('ext', 0, {direction: 'outbound', dst: null, authority: 'api.example.com:443'})],
      tcp: [tcp('t', 0, 0, 0, {direction: 'outbound', dst: wl('db', 'data'), tls: false})],
    }),
  ];
  const after = [
    proxy('webapp', 'webapp', 5000, {
      http: [counter('out-ok', 40, {direction: 'outbound', dst: wl('books', 'shop'), tls: true}), counter('out-bad', 10, {direction: 'outbound', dst: wl('books', 'shop'), success: false, tls: true}), counter('in', 25)],
      latency: [latency('out-l', hist(B, [0, 50, 50]), {direction: 'outbound', dst: wl('books', 'shop')})],
    }),
    proxy('books', 'books', 5000, {
      http: [counter('in', 50, {src: {name: 'webapp', namespace: 'shop', kind: 'serviceaccount'}, tls: true}), counter('ext', 5, {direction: 'outbound', dst: null, authority: 'api.example.com:443'})],
      tcp: [tcp('t', 2, 10, 20, {direction: 'outbound', dst: wl('db', 'data'), tls: false})],
    }),
  ];
  const rows = edgeRows(before.map((b, i) => windowBetween(b, after[i])));
  const edge = (src: string, dst: string) => rows.find((r) => r.src.id === src && r.dst.id === dst);

  it('a hop seen by both sides is one edge with the client-side figures', () => {
    expect(rows.filter((r) => r.dst.id === 'shop/books')).toHaveLength(1);
    expect(edge('shop/webapp', 'shop/books')).toMatchObject({measuredBy: 'both', requests: 50, success: 0.8, rps: 10, secured: true});
    expect(edge('shop/webapp', 'shop/books')!.latencyMsP99).toBeCloseTo(10 + 90 * (49.5 / 50), 9);
  });

  it('unmeshed callers appear as the unknown node, seen by the server only', () => {
    expect(edge('unknown', 'shop/webapp')).toMatchObject({measuredBy: 'server', requests: 25, rps: 5, success: 1});
  });

  it('destinations outside the mesh appear by authority; TCP-only hops count by open connections', () => {
    expect(edge('shop/books', 'external:api.example.com:443')).toMatchObject({measuredBy: 'client', requests: 5, src: {kind: 'workload'}, dst: {kind: 'external', name: 'api.example.com:443'}});
    expect(edge('shop/books', 'data/db')).toMatchObject({measuredBy: 'client', requests: 0, openConnections: 2, secured: false});
  });
});
