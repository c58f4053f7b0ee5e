import {describe, expect, it} from 'vitest';
import type {TrafficEvent} from '../../src/model/traffic.js';
import {nearestRank, TapRoutes} from '../../src/views/tap-routes.js';

function event(path: string, status: number | null, latencyMs: number | null, over: Partial<TrafficEvent> = {}): TrafficEvent {
  return {
    id: '0:0', proxy: 'books-1', direction: 'inbound', source: null, destination: null, sourceAddress: null, destinationAddress: null,
    method: 'GET', scheme: 'http', authority: 'books:7002', path, status, grpcStatus: null, latencyMs, latencySource: null,
    requestBytes: null, responseBytes: null, requestBodyTruncated: false, responseBodyTruncated: false,
    requestHeaders: [], responseHeaders: [], responseTrailers: [], route: null, outcome: status === null ? 'no-response' : 'response',
    requestStartMs: null, responseHeadersMs: null, endMs: null, observedAtMs: 0, ...over,
  };
}

describe('routes derived from tapped requests', () => {
  it('groups by templated path, counts failures and no-responses, rates over the window', () => {
    const routes = new TapRoutes(() => ({name: 'books', namespace: 'shop'}));
    routes.add([
      event('/books/1', 200, 10),
      event('/books/22?x=1', 200, 30),
      event('/books/333', 500, 20),
      event('/books/4444', null, null),
      event('/books', 200, 5),
      event('/books/9', 200, 7, {route: 'books-get'}),
    ]);
    const rows = routes.rows(2);
    const byId = rows.find((r) => r.route === 'GET /books/{id}')!;
    expect(byId).toMatchObject({source: 'tap', service: 'books:7002', direction: 'inbound', kind: 'template', windowSeconds: 2});
    expect(byId.effective).toMatchObject({requests: 4, successes: 2, success: 0.5, rps: 2});
    // latencies 10, 20, 30 (the no-response has none): nearest rank
    expect(byId.effective.p50).toEqual({value: 20, lower: 20, upper: 20});
    expect(byId.effective.p99!.value).toBe(30);
    expect(rows.find((r) => r.route === 'GET /books')!.effective.requests).toBe(1);
    // A route name the proxy reports wins over the template.
    expect(rows.find((r) => r.route === 'books-get')).toMatchObject({kind: 'route'});
  });

  it('nearest rank takes the smallest observation covering φ', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)?.value).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 0.51)?.value).toBe(3);
    expect(nearestRank([5], 0.99)?.value).toBe(5);
    expect(nearestRank([], 0.5)).toBeNull();
  });
});
