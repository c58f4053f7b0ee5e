import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import type {HopTruth} from '../../src/demo/truth.js';
import {getText, podsOf, sleep, startTestMesh} from './helpers/mesh.js';
import {label, parseExposition, type Exposition} from './helpers/prom.js';

/** Calls from `source` to `destination` the applications counted, by status. */
function truthByStatus(hops: HopTruth[], source: string, destination: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of hops.filter((x) => x.source === source && x.destination === destination)) {
    out.set(String(h.status), (out.get(String(h.status)) ?? 0) + h.count);
  }
  return out;
}

function byStatus(e: Exposition[], name: string, where: Record<string, string>, statusLabel: string, skip: (s: Exposition['samples'][number]) => boolean = () => false): Map<string, number> {
  const out = new Map<string, number>();
  for (const exposition of e) {
    for (const s of exposition.samples) {
      if (s.name !== name || skip(s) || !Object.entries(where).every(([k, v]) => label(s, k) === v)) continue;
      const status = label(s, statusLabel)!;
      out.set(status, (out.get(status) ?? 0) + Number(s.value));
    }
  }
  return out;
}

/**
 * Every number the sidecars report is what they proxied: once the load generator is stopped
 * and the last answer is in, each sidecar's counts equal what the applications counted.
 */
describe.each(['linkerd', 'istio'] as const)('%s flavour counts what actually happened', (flavor) => {
  let mesh: RunningMesh;
  let hops: HopTruth[];
  let scrape: (workload: string) => Promise<Exposition[]>;

  beforeAll(async () => {
    mesh = await startTestMesh({flavor, rps: 50, errorRate: 0.3});
    await sleep(2500);
    await mesh.quiesce();
    await sleep(100);
    hops = mesh.truth.snapshot().hops;
    scrape = (workload) =>
      Promise.all(
        podsOf(mesh, workload).map(async (p) => {
          const url = p.sidecar.endpoints().url;
          return parseExposition((await getText(`${url}${flavor === 'linkerd' ? '/metrics' : '/stats/prometheus'}`)).text);
        }),
      );
  }, 20_000);
  afterAll(() => mesh?.stop());

  it('server side: requests webapp received, by status', async () => {
    const expected = truthByStatus(hops, 'traffic', 'webapp');
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    const webapp = await scrape('webapp');
    const adminPorts = podsOf(mesh, 'webapp').map((p) => new URL(p.sidecar.endpoints().url).port);
    const measured = flavor === 'linkerd'
      ? byStatus(webapp, 'response_total', {direction: 'inbound'}, 'status_code', (s) => adminPorts.includes(label(s, 'target_port')!))
      : byStatus(webapp, 'istio_requests_total', {reporter: 'destination', source_workload: 'traffic'}, 'response_code');
    expect(measured).toEqual(expected);
  });

  it('client side: calls webapp made to books and authors, by status', async () => {
    const webapp = await scrape('webapp');
    for (const destination of ['books', 'authors']) {
      const measured = flavor === 'linkerd'
        ? byStatus(webapp, 'response_total', {direction: 'outbound', authority: `${destination}.booksapp.svc.cluster.local:${destination === 'books' ? 7002 : 7001}`}, 'status_code')
        : byStatus(webapp, 'istio_requests_total', {reporter: 'source', destination_workload: destination}, 'response_code');
      expect(measured, destination).toEqual(truthByStatus(hops, 'webapp', destination));
    }
  });

  it.skipIf(flavor !== 'linkerd')('classifies 5xx as failures and nothing else', async () => {
    const webapp = await scrape('webapp');
    const failures = byStatus(webapp, 'response_total', {direction: 'outbound', classification: 'failure'}, 'status_code');
    const expected = [...truthByStatus(hops, 'webapp', 'books'), ...truthByStatus(hops, 'webapp', 'authors')].filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
    expect([...failures.values()].reduce((a, b) => a + b, 0)).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('holds the books change feed open: one opaque connection per webapp pod', async () => {
    const stream = mesh.truth.snapshot().tcp.find((t) => t.source === 'webapp' && t.destination === 'books')!;
    expect(stream.open).toBe(2);
    const books = await scrape('books');
    if (flavor === 'linkerd') {
      const open = books[0].samples.filter((s) => s.name === 'tcp_open_connections' && label(s, 'direction') === 'inbound' && label(s, 'peer') === 'src' && label(s, 'client_id') === 'webapp.booksapp.serviceaccount.identity.linkerd.cluster.local');
      // HTTP connections from webapp are there too; the feed adds exactly one per pod on its own port.
      const ports = new Set(open.map((s) => label(s, 'target_port')));
      expect(ports.size).toBe(2);
    } else {
      const opened = books[0].samples.filter((s) => s.name === 'istio_tcp_connections_opened_total' && label(s, 'source_workload') === 'webapp');
      expect(opened.reduce((n, s) => n + Number(s.value), 0)).toBe(stream.opened);
    }
  });
});
