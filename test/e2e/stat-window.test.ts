import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {istioInbound, linkerdInbound} from '../helpers/exposition.js';
import {fakeEnvoy, fakeLinkerd, istioServerInfo, linkerdEnv} from '../helpers/fake-proxies.js';
import type {TestServer} from '../helpers/servers.js';

/**
 * Servers whose counters advance by a known amount between meshctl's two scrapes. Every
 * expected figure below is worked out by hand from the increments, not by meshctl's code.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Serve scrape n (0-based) as base + n increments. */
function advancing(render: (n: number) => string): () => string {
  let n = 0;
  return () => render(1000 + n++);
}

const START = Math.floor(Date.now() / 1000) - 3600;

describe('stat over a window', () => {
  it('Linkerd: success, RPS and percentiles from the increase between two scrapes across two pods', async () => {
    // pod a: +90 × 200 in (10,20] and +10 × 500 in (100,200] per scrape; pod b: +50 × 200 in (5,10]
    const a = await fakeLinkerd({
      env: linkerdEnv('webapp-7d9f8c6b5-x2kqp', 'shop'),
      metrics: advancing((n) => linkerdInbound([{status: '200', byBucket: {20: 90}}, {status: '500', byBucket: {200: 10}}], n, START)),
    });
    const b = await fakeLinkerd({
      env: linkerdEnv('webapp-7d9f8c6b5-q8wzt', 'shop'),
      metrics: advancing((n) => linkerdInbound([{status: '200', byBucket: {10: 50}}], n, START)),
    });
    servers.push(a, b);
    const result = await runCli(['stat', '-t', '1s', '-o', 'json', '-p', `${a.url},${b.url}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({name: 'webapp', namespace: 'shop', proxies: 2, proxies_targeted: 2, requests: 150});
    expect(row.success).toBeCloseTo(140 / 150, 6);
    expect(row.window_seconds).toBeGreaterThanOrEqual(1);
    expect(row.window_seconds).toBeLessThan(2);
    expect(row.rps).toBeGreaterThan(150 / 2);
    expect(row.rps).toBeLessThanOrEqual(150 / 1);
    // cumulative deltas: ≤10: 50, ≤20: 140, ≤200: 150
    expect(row.latency_ms_p50).toBeCloseTo(10 + 10 * (25 / 90), 6);
    expect(row.latency_ms_p95).toBeCloseTo(100 + 100 * (2.5 / 10), 6);
    expect(row.latency_ms_p99).toBeCloseTo(100 + 100 * (8.5 / 10), 6);
    expect([row.latency_ms_p99_bucket_lower, row.latency_ms_p99_bucket_upper]).toEqual([100, 200]);
  });

  it('Istio: reporter="destination" series; 5xx are failures', async () => {
    const reviews = await fakeEnvoy({
      serverInfo: istioServerInfo('reviews-v1-545db77b95-xz7kq', 'shop', 'reviews-v1'),
      stats: advancing((n) => istioInbound('reviews-v1', 'shop', [{status: '200', byBucket: {25: 40}}, {status: '503', byBucket: {1000: 10}}], n, 5000)),
    });
    servers.push(reviews);
    const result = await runCli(['stat', '-t', '1s', '-o', 'json', '-p', reviews.url, '--dialect', 'envoy']);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({name: 'reviews-v1', requests: 50, success: 0.8});
    // ≤25: 40 of 50 → p50 = 10 + 15·(25/40); p99 rank 49.5 in (500,1000]: 500 + 500·(9.5/10)
    expect(row.latency_ms_p50).toBeCloseTo(10 + 15 * (25 / 40), 6);
    expect(row.latency_ms_p99).toBeCloseTo(500 + 500 * (9.5 / 10), 6);
  });

  it('a proxy that restarts mid-window counts only what it served since the restart', async () => {
    let scrape = 0;
    const books = await fakeLinkerd({
      env: linkerdEnv('books-5d9f8c6b57-x2kqp', 'shop'),
      // first scrape: 1000 requests; then the proxy restarts and has served 7 by the second
      metrics: () => (scrape++ === 0 ? linkerdInbound([{status: '200', byBucket: {5: 1000}}], 1, START) : linkerdInbound([{status: '200', byBucket: {5: 7}}], 1, Math.floor(Date.now() / 1000))),
    });
    servers.push(books);
    const result = await runCli(['stat', '-t', '1s', '-o', 'json', '-p', books.url]);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({name: 'books', requests: 7, counters_reset: true});
  });

  it('traffic to the admin port (probes, scrapes) is not counted as application traffic', async () => {
    const web = await fakeLinkerd({
      env: linkerdEnv('web-5d9f8c6b57-x2kqp', 'shop'),
      metrics: advancing((n) => linkerdInbound([{status: '200', byBucket: {1: 3}}], n, START, '4191')),
    });
    servers.push(web);
    const result = await runCli(['stat', '-t', '1s', '-o', 'json', '-p', web.url]);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({name: 'web', requests: 0, rps: 0, success: null});
  });
});
