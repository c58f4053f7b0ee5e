import {afterEach, describe, expect, it} from 'vitest';
import {startCli, waitFor, type RunningCli} from '../helpers/cli.js';
import {fakeLinkerd, linkerdEnv} from '../helpers/fake-proxies.js';
import {startServer, type TestServer} from '../helpers/servers.js';
import {fakeTapEnvoy, type FakeTapEnvoy} from '../live/wiring/fake-tap-envoy.js';
import {advancing, linkerdTraffic, type HopSeries} from '../live/wiring/linkerd-traffic.js';
import {bufferedTrace, peerId} from '../live/wiring/traces.js';

/**
 * `meshctl top` without a terminal: NDJSON snapshots of the whole table every --interval.
 * Expected rows are worked out by hand from what the fake proxies send.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function envoy(pod: string, workload: string): Promise<FakeTapEnvoy> {
  const server = await fakeTapEnvoy({pod, workload, namespace: 'shop'});
  servers.push(server);
  return server;
}

interface Snapshot {
  mode: string;
  mode_label: string;
  by_route: boolean;
  evictions: number;
  rows: Record<string, unknown>[];
}

function snapshots(cli: RunningCli): Snapshot[] {
  return cli
    .stdout()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Snapshot);
}

const byPath = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.path ?? a.route).localeCompare(String(b.path ?? b.route)));

describe('top on Envoy (tap events)', () => {
  it('rows per source, destination, method and path; the two copies of a hop are joined into one', async () => {
    const web = await envoy('web-7d9f8c6b5-x2kqp', 'web');
    const books = await envoy('books-5d9f8c6b57-q8wzt', 'books');
    const cli = startCli(['top', '--interval', '200ms', '-p', `${web.url},${books.url}`]);
    await Promise.all([web.whenAttached(), books.whenAttached()]);
    const t0 = Date.now();
    const calls = [
      {path: '/books/1', status: 200, latencyMs: 2},
      {path: '/books/1', status: 200, latencyMs: 4},
      {path: '/books/1', status: 200, latencyMs: 6},
      {path: '/books/2', status: 503, latencyMs: 10},
    ];
    calls.forEach((c, i) => {
      // As Istio's tap filter sees them: web's outbound copy carries web's own id on the
      // request; books' inbound copy carries books' own id on the response. Neither names the
      // other side; the shared x-request-id ties them together.
      const requestId = `req-${i}`;
      web.emit(bufferedTrace({...c, requestId, startMs: t0 + i, requestHeaders: [peerId(web.nodeId)]}));
      books.emit(bufferedTrace({...c, requestId, startMs: t0 + i, latencyMs: c.latencyMs - 1, responseHeaders: [peerId(books.nodeId)]}));
    });
    // Two requests from a client outside the mesh: only books sees them.
    books.emit(bufferedTrace({path: '/books/3', startMs: t0 + 10, latencyMs: 1, responseHeaders: [peerId(books.nodeId)]}));
    books.emit(bufferedTrace({path: '/books/3', startMs: t0 + 11, latencyMs: 3, responseHeaders: [peerId(books.nodeId)]}));
    await waitFor(() => snapshots(cli).some((s) => s.rows.reduce((n, r) => n + Number(r.count), 0) === 6), 8000, 'all six requests');
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(130);

    const last = snapshots(cli).at(-1)!;
    expect(last).toMatchObject({mode: 'tap', mode_label: 'live requests (tap)', by_route: false, evictions: 0});
    const rows = byPath(last.rows);
    expect(rows).toHaveLength(3);
    // Latencies are the client's view (the outbound copy).
    expect(rows[0]).toMatchObject({source: 'shop/web', destination: 'shop/books', method: 'GET', path: '/books/1', route: 'GET /books/{id}', count: 3, success_count: 3, success: 1, latency_ms_best: 2, latency_ms_worst: 6});
    expect(rows[1]).toMatchObject({source: 'shop/web', destination: 'shop/books', path: '/books/2', count: 1, success_count: 0, success: 0, latency_ms_best: 10});
    expect(rows[2]).toMatchObject({source: null, destination: 'shop/books', path: '/books/3', count: 2, success: 1, latency_ms_best: 1, latency_ms_worst: 3});
    expect(Number(rows[0].rps)).toBeGreaterThan(0);
  });

  it('an inbound copy from a tapped client is dropped even without a request id to join it by', async () => {
    const web = await envoy('web-7d9f8c6b5-ccccc', 'web');
    const books = await envoy('books-5d9f8c6b57-ddddd', 'books');
    const cli = startCli(['top', '--interval', '200ms', '-p', `${web.url},${books.url}`]);
    await Promise.all([web.whenAttached(), books.whenAttached()]);
    const noId: [string, string] = ['x-request-id', ''];
    // The outbound copy learns the destination from the answer; the inbound one the source.
    web.emit(bufferedTrace({path: '/books/9', startMs: Date.now(), latencyMs: 2, requestHeaders: [peerId(web.nodeId), noId], responseHeaders: [peerId(books.nodeId)]}));
    books.emit(bufferedTrace({path: '/books/9', startMs: Date.now(), latencyMs: 1, requestHeaders: [peerId(web.nodeId), noId]}));
    await waitFor(() => snapshots(cli).filter((s) => s.rows.length > 0).length >= 3, 8000, 'three snapshots with rows');
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(snapshots(cli).at(-1)!.rows).toMatchObject([{source: 'shop/web', destination: 'shop/books', path: '/books/9', count: 1}]);
  });

  it('--routes groups paths into routes; --count stops after that many snapshots', async () => {
    const web = await envoy('web-7d9f8c6b5-aaaaa', 'web');
    const cli = startCli(['top', '--routes', '--interval', '300ms', '--count', '4', '-p', web.url]);
    await web.whenAttached();
    const t0 = Date.now();
    for (const [i, path] of ['/books/1', '/books/22', '/books/333?x=1', '/authors/7'].entries()) {
      web.emit(bufferedTrace({path, startMs: t0 + i, latencyMs: i + 1, requestHeaders: [peerId(web.nodeId)]}));
    }
    const {code} = await cli.exited;
    expect(code).toBe(0);
    const all = snapshots(cli);
    expect(all).toHaveLength(4);
    const rows = byPath(all.at(-1)!.rows);
    expect(all.at(-1)!.by_route).toBe(true);
    expect(rows.map((r) => [r.route, r.path, r.method, r.count])).toEqual([
      ['GET /authors/{id}', null, null, 1],
      ['GET /books/{id}', null, null, 3],
    ]);
    expect(rows[1]).toMatchObject({latency_ms_best: 1, latency_ms_worst: 3});
  });

  it('memory stays bounded: --max-rows keeps the most recently seen rows and counts evictions', async () => {
    const web = await envoy('web-7d9f8c6b5-bbbbb', 'web');
    const cli = startCli(['top', '--max-rows', '3', '--interval', '200ms', '-p', web.url]);
    await web.whenAttached();
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) web.emit(bufferedTrace({path: `/p/${i}`, startMs: t0 + i, latencyMs: 1}));
    await waitFor(() => snapshots(cli).some((s) => s.evictions === 7), 8000, 'seven evictions');
    cli.child.kill('SIGINT');
    await cli.exited;
    const last = snapshots(cli).at(-1)!;
    expect(last.rows.map((r) => r.path).sort()).toEqual(['/p/7', '/p/8', '/p/9']);
  });
});

describe('top on Linkerd (per-second metric deltas)', () => {
  const START = Math.floor(Date.now() / 1000) - 3600;

  it('rows per source, destination and authority from one-second deltas; each request counted once', async () => {
    // Per scrape round: web → books 8 × 200 in (5,10] ms and 2 × 500 in (50,100] ms, seen by
    // web (outbound) and by books (inbound, client web); plus 3 × 200 in (4,5] ms to books
    // from a client without identity.
    const toBooks: HopSeries[] = [
      {status: '200', byBucket: {10: 8}},
      {status: '500', byBucket: {100: 2}},
    ];
    const web = await fakeLinkerd({
      env: linkerdEnv('web-7d9f8c6b5-x2kqp', 'shop', 'web'),
      metrics: advancing((n) => linkerdTraffic({outbound: [{authority: 'books.shop.svc.cluster.local:7002', dstDeployment: 'books', dstNamespace: 'shop', series: toBooks}]}, n, START)),
    });
    const books = await fakeLinkerd({
      env: linkerdEnv('books-5d9f8c6b57-q8wzt', 'shop', 'books'),
      metrics: advancing((n) =>
        linkerdTraffic({inbound: [{client: {serviceAccount: 'web', namespace: 'shop'}, series: toBooks}, {client: null, series: [{status: '200', byBucket: {5: 3}}]}]}, n, START),
      ),
    });
    servers.push(web, books);
    const cli = startCli(['top', '--interval', '500ms', '-p', `${web.url},${books.url}`]);
    await waitFor(() => snapshots(cli).some((s) => s.rows.length >= 2 && Number(s.rows[0].count) >= 20), 10_000, 'two seconds of deltas');
    cli.child.kill('SIGINT');
    expect((await cli.exited).code).toBe(130);

    const last = snapshots(cli).at(-1)!;
    expect(last).toMatchObject({mode: 'metrics', mode_label: 'from metrics, per-second deltas'});
    const rows = byPath(last.rows);
    expect(rows).toHaveLength(2);
    const [defaultRoute, books7002] = rows;
    expect(books7002).toMatchObject({source: 'shop/web', destination: 'shop/books', method: null, path: 'books.shop.svc.cluster.local:7002', success: 0.8});
    const windows = Number(books7002.count) / 10;
    expect(Number.isInteger(windows)).toBe(true);
    expect(books7002.success_count).toBe(8 * windows);
    // Per window: 8 in (5,10], 2 in (50,100]. p50: rank 5 → 5 + 5·5/8; p99: rank 9.9 → 50 + 50·1.9/2.
    expect(books7002.latency_ms_best).toBeCloseTo(8.125, 9);
    expect(books7002.latency_ms_worst).toBeCloseTo(97.5, 9);
    expect(books7002.latency_ms_last).toBeCloseTo(8.125, 9);
    // No identity, no authority: linkerd's [DEFAULT]. p50: rank 1.5 of 3 in (4,5] → 4.5.
    expect(defaultRoute).toMatchObject({source: null, destination: 'shop/books', path: '[DEFAULT]', count: 3 * windows, success: 1});
    expect(defaultRoute.latency_ms_best).toBeCloseTo(4.5, 9);
    expect(defaultRoute.latency_ms_worst).toBeCloseTo(4.99, 9);
  });

  it('Envoy and Linkerd targets feed one table, labelled as mixed', async () => {
    const l5d = await fakeLinkerd({
      env: linkerdEnv('web-7d9f8c6b5-x2kqp', 'shop', 'web'),
      metrics: advancing((n) => linkerdTraffic({outbound: [{authority: 'books.shop.svc.cluster.local:7002', dstDeployment: 'books', dstNamespace: 'shop', series: [{status: '200', byBucket: {10: 4}}]}]}, n, START)),
    });
    servers.push(l5d);
    const reviews = await envoy('reviews-v1-545db77b95-xz7kq', 'reviews-v1');
    const cli = startCli(['top', '--interval', '300ms', '-p', `${l5d.url},${reviews.url}`]);
    await reviews.whenAttached();
    reviews.emit(bufferedTrace({path: '/reviews/1', startMs: Date.now(), latencyMs: 2, requestHeaders: [peerId(reviews.nodeId)]}));
    await waitFor(() => snapshots(cli).some((s) => s.rows.length === 2), 10_000, 'rows from both');
    cli.child.kill('SIGINT');
    await cli.exited;
    const last = snapshots(cli).at(-1)!;
    expect(last.mode).toBe('mixed');
    const rows = byPath(last.rows);
    expect(rows[0]).toMatchObject({source: 'shop/reviews-v1', method: 'GET', path: '/reviews/1', count: 1});
    expect(rows[1]).toMatchObject({source: 'shop/web', destination: 'shop/books', method: null, path: 'books.shop.svc.cluster.local:7002'});
  });
});

describe('top failures', () => {
  it('exits promptly with the reasons when no proxy can be read or tapped', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const cli = startCli(['top', '--timeout', '1s', '-p', gone.url]);
    const {code} = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/error: proxy 127\.0\.0\.1:\d+: unreachable/);
    expect(cli.stdout()).toBe('');
  });
});
