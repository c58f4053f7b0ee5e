import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {TruthSnapshot} from '../../src/demo/truth.js';
import {demoHome, processesMentioning, readDemoState} from './demo-helpers.js';

/**
 * `meshctl routes` and `meshctl topology` against the demo mesh, held against the bookstore's
 * call graph as the issue states it and against the demo's ground truth (/truth).
 *
 * Tolerance for per-route figures: routes measures over its own 5 s window between two
 * scrapes, inside the truth window (read just before the CLI starts and just after it exits).
 * With the load generator's steady schedule the counts differ only by the requests falling in
 * the extra ~0.5–1 s, so |Δrps| ≤ max(20 %, 1 rps). Success rates are compared only for routes
 * with at least 20 requests in the window, within 0.1 (a handful of failures at the edges).
 */
const CALL_GRAPH = ['books→authors', 'traffic→webapp', 'webapp→authors', 'webapp→books'];

interface RouteRecord {
  window_seconds?: number | null;
  workload: string;
  direction: string;
  source: string;
  service: string;
  route: string | null;
  backend: string | null;
  requests: number;
  rps: number;
  success: number | null;
}

interface EdgeRecord {
  src: string;
  dst: string;
  src_kind: string;
  dst_kind: string;
  secured: boolean | null;
  measured_by: string;
  requests: number;
}

// The bookstore's routes to books, as each flavour names them (HTTPRoute names; Envoy's stat
// prefixes with `-` sanitized to `_`), and as the ground truth names them.
const BOOKS_ROUTES: Record<string, string> = {
  'books-list': 'GET /books',
  'books-get': 'GET /books/{id}',
  'books-create': 'POST /books',
  'books-update': 'PUT /books/{id}',
  'books-delete': 'DELETE /books/{id}',
};

function truthRoutes(before: TruthSnapshot, after: TruthSnapshot, source: string, destination: string) {
  const seconds = (after.read_at_ms - before.read_at_ms) / 1000;
  const sum = (t: TruthSnapshot, route: string, ok?: boolean) =>
    t.hops
      .filter((h) => h.source === source && h.destination === destination && h.route === route && (ok === undefined || (h.status > 0 && h.status < 500) === ok))
      .reduce((n, h) => n + h.count, 0);
  return (route: string) => {
    const total = sum(after, route) - sum(before, route);
    const ok = sum(after, route, true) - sum(before, route, true);
    return {requests: total, rps: total / seconds, success: total > 0 ? ok / total : null};
  };
}

describe.each(['linkerd', 'istio'] as const)('routes and topology against the %s demo', (flavor) => {
  const h = demoHome();
  let routes: RouteRecord[] = [];
  let edges: EdgeRecord[] = [];
  let truth: (source: string, destination: string) => ReturnType<typeof truthRoutes>;
  let output = '';

  beforeAll(async () => {
    const up = await h.cli(['demo', 'up', '--flavor', flavor, '--rps', '20', '--error-rate', '0.2', '--seed', '11']);
    if (up.code !== 0) throw new Error(`demo up failed: ${up.stderr}`);
    const control = readDemoState(h.dir)!.controlUrl;
    const read = async () => (await (await fetch(`${control}/truth`)).json()) as TruthSnapshot;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await read();
    const result = await h.cli(['routes', '-t', '5s', '-o', 'json'], 30_000);
    const after = await read();
    output = `${result.stdout}\n${result.stderr}`;
    routes = result.code === 0 ? JSON.parse(result.stdout) : [];
    truth = (source, destination) => truthRoutes(before, after, source, destination);
    const topology = await h.cli(['topology', '-t', '2s', '-o', 'json'], 30_000);
    output += `\n${topology.stdout}\n${topology.stderr}`;
    edges = topology.code === 0 ? JSON.parse(topology.stdout) : [];
  }, 90_000);

  afterAll(async () => {
    await h.cli(['demo', 'down']);
    for (const pid of processesMentioning(h.dir)) process.kill(pid, 'SIGKILL');
  });

  it('the topology edge set is the bookstore call graph, every hop mTLS and seen from both sides', () => {
    const workloadEdges = edges.filter((e) => e.src_kind === 'workload' && e.dst_kind === 'workload');
    expect(workloadEdges.map((e) => `${e.src}→${e.dst}`).sort(), output).toEqual(CALL_GRAPH);
    expect(workloadEdges.every((e) => e.secured === true && e.measured_by === 'both'), output).toBe(true);
  });

  it("webapp's routes to books match what webapp sent", () => {
    const toBooks = routes.filter((r) => r.workload === 'webapp' && r.direction === 'outbound' && r.backend === null && r.service.startsWith('books'));
    expect(toBooks.length, output).toBe(Object.keys(BOOKS_ROUTES).length);
    const expected = truth('webapp', 'books');
    for (const row of toBooks) {
      const template = BOOKS_ROUTES[(row.route ?? '').replaceAll('_', '-')];
      expect(template, `unexpected route ${row.route}`).toBeDefined();
      const t = expected(template);
      expect(Math.abs(row.rps - t.rps), `${row.route}: rps ${row.rps} vs ${t.rps}`).toBeLessThanOrEqual(Math.max(0.2 * t.rps, 1));
      if (t.requests >= 20) expect(Math.abs((row.success ?? 0) - (t.success ?? 0)), `${row.route}: success ${row.success} vs ${t.success}`).toBeLessThanOrEqual(0.1);
    }
    expect(toBooks.every((r) => r.source === (flavor === 'linkerd' ? 'gateway-api' : 'envoy-route'))).toBe(true);
  });

  it.skipIf(flavor !== 'istio')('--from-tap finds the routes the load generator exercises, with their counts', async () => {
    const control = readDemoState(h.dir)!.controlUrl;
    const read = async () => (await (await fetch(`${control}/truth`)).json()) as TruthSnapshot;
    const before = await read();
    const result = await h.cli(['routes', 'deploy/webapp', '--from-tap', '-t', '5s', '-o', 'json'], 30_000);
    const after = await read();
    expect(result.code, result.stderr).toBe(0);
    const served = (JSON.parse(result.stdout) as RouteRecord[]).filter((r) => r.direction === 'inbound');
    expect(served.every((r) => r.source === 'tap')).toBe(true);
    // Routes the load generator used in the window (with a margin of a request or two at the edges).
    const sent = (t: TruthSnapshot, route: string) => t.hops.filter((x) => x.source === 'traffic' && x.destination === 'webapp' && x.route === route).reduce((n, x) => n + x.count, 0);
    const exercised = [...new Set(after.hops.filter((x) => x.source === 'traffic').map((x) => x.route))].filter((route) => sent(after, route) - sent(before, route) >= 3);
    expect(exercised.length).toBeGreaterThan(2);
    // The tap window lies inside the truth window (which also spans reading the proxies and
    // opening the streams), so a route's tapped count is at most what was sent, and about the
    // share of it that falls into the tap window (with a request or two of slack at each edge).
    const truthSeconds = (after.read_at_ms - before.read_at_ms) / 1000;
    for (const route of exercised) {
      const row = served.find((r) => r.route === route);
      expect(row, `${route} not derived: ${served.map((r) => r.route).join(', ')}`).toBeDefined();
      const truthCount = sent(after, route) - sent(before, route);
      const expected = (truthCount * (row!.window_seconds ?? 5)) / truthSeconds;
      const why = `${route}: ${row!.requests} tapped in ${row!.window_seconds}s vs ${truthCount} sent in ${truthSeconds}s`;
      expect(row!.requests, why).toBeLessThanOrEqual(truthCount + 1);
      expect(row!.requests, why).toBeGreaterThanOrEqual(Math.floor(0.7 * expected) - 2);
    }
  }, 40_000);

  it.skipIf(flavor !== 'linkerd')("webapp's ServiceProfile routes match what the load generator sent", () => {
    const served = routes.filter((r) => r.workload === 'webapp' && r.direction === 'inbound' && r.route !== null);
    expect(served.length, output).toBeGreaterThan(0);
    const expected = truth('traffic', 'webapp');
    for (const row of served) {
      const t = expected(row.route!);
      expect(Math.abs(row.rps - t.rps), `${row.route}: rps ${row.rps} vs ${t.rps}`).toBeLessThanOrEqual(Math.max(0.2 * t.rps, 1));
      if (t.requests >= 20) expect(Math.abs((row.success ?? 0) - (t.success ?? 0)), `${row.route}`).toBeLessThanOrEqual(0.1);
    }
    expect(served.every((r) => r.source === 'serviceprofile')).toBe(true);
  });
});
