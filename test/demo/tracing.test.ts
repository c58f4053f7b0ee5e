import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {startServer, type TestServer} from '../helpers/servers.js';
import {getText, podsOf, sleep, startTestMesh} from './helpers/mesh.js';
import {decodeTraceRequest, type DecodedSpan} from './helpers/otlp.js';
import {GrpcCollector} from './helpers/otlp-grpc.js';

const SERVER = 2;
const CLIENT = 3;

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** A real OTLP/HTTP receiver on loopback that keeps every span it is sent. */
async function receiver(): Promise<{server: TestServer; spans: DecodedSpan[]; contentTypes: string[]}> {
  const spans: DecodedSpan[] = [];
  const contentTypes: string[] = [];
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      spans.push(...decodeTraceRequest(Buffer.concat(chunks)));
      res.writeHead(200, {'content-type': 'application/x-protobuf'}).end();
    });
  });
  return {server, spans, contentTypes};
}

describe('linkerd flavour tracing (OTLP/gRPC, as linkerd2-proxy exports)', () => {
  let collector: GrpcCollector;
  let mesh: RunningMesh | undefined;
  beforeAll(async () => {
    collector = new GrpcCollector();
    await collector.start();
  });
  afterAll(() => collector.close());
  afterEach(async () => {
    await mesh?.stop();
    mesh = undefined;
    collector.spans.length = 0;
    collector.calls.length = 0;
  });

  it('emits nothing for requests without a sampled context', async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 30, traceShare: 0, otlp: {transport: 'grpc', address: collector.address}});
    await sleep(2200);
    expect(collector.spans).toHaveLength(0);
  });

  it('emits a SERVER and a CLIENT span per proxy and direction, chained into one trace', async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 20, traceShare: 1, otlp: {transport: 'grpc', address: collector.address}});
    await sleep(2500);
    const spans = collector.spans;
    expect(collector.calls.length).toBeGreaterThan(0);
    expect(collector.calls.every((call) => call.path === EXPORT && call.contentType === 'application/grpc')).toBe(true);
    expect(spans.length).toBeGreaterThan(0);
    expect(new Set(spans.map((s) => s.kind))).toEqual(new Set([SERVER, CLIENT]));
    for (const s of spans) {
      expect(['inbound', 'outbound']).toContain(s.attributes.direction);
      expect(s.name).toBe(String(s.attributes['url.path']));
      expect(s.attributes['http.request.method']).toMatch(/^(GET|POST|PUT|DELETE|HEAD)$/);
    }
    // Follow one request from the load generator's proxy into webapp's.
    const trafficClient = spans.find((s) => s.resource['service.name'] === 'traffic' && s.kind === CLIENT && s.attributes.direction === 'outbound')!;
    const trafficServer = spans.find((s) => s.spanId === trafficClient.parentSpanId)!;
    expect(trafficServer.kind).toBe(SERVER);
    const webappServer = spans.find((s) => s.parentSpanId === trafficClient.spanId)!;
    expect(webappServer.resource['service.name']).toBe('webapp');
    expect(webappServer.attributes.direction).toBe('inbound');
    expect(webappServer.traceId).toBe(trafficClient.traceId);
    // The proxy's own time is inside the span: the server span encloses its client span.
    expect(trafficServer.startNanos <= trafficClient.startNanos && trafficClient.endNanos <= trafficServer.endNanos).toBe(true);
    // Calls webapp makes carry the same trace onward.
    const downstream = spans.filter((s) => s.traceId === trafficClient.traceId && s.resource['service.name'] !== 'traffic');
    expect(new Set(downstream.map((s) => s.resource['service.name']))).toContain('webapp');
  });
});

describe('istio flavour tracing', () => {
  let collector: Awaited<ReturnType<typeof receiver>>;
  let mesh: RunningMesh;
  beforeAll(async () => {
    collector = await receiver();
    mesh = await startTestMesh({flavor: 'istio', rps: 30, traceShare: 0, otlp: {transport: 'http', url: `${collector.server.url}/v1/traces`}});
  });
  afterAll(async () => {
    await mesh?.stop();
    await collector.server.close();
  });

  it('samples at the first proxy from its runtime percentage, and every later proxy follows', async () => {
    const traffic = podsOf(mesh, 'traffic')[0].sidecar.endpoints().admin!;
    const set = (value: string) => getText(`${traffic}/runtime_modify?tracing.random_sampling=${value}`, {method: 'POST'});
    expect((await set('0')).status).toBe(200);
    await sleep(1500);
    collector.spans.length = 0;
    await sleep(1200);
    expect(collector.spans).toHaveLength(0);

    await set('100');
    await sleep(2500);
    const spans = [...collector.spans];
    expect(spans.length).toBeGreaterThan(10);
    const byTrace = new Map<string, DecodedSpan[]>();
    for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    const complete = [...byTrace.values()].find((t) => t.some((s) => s.resource['service.name'] === 'books.booksapp'));
    expect(complete, 'a trace reaching books').toBeDefined();
    const services = new Set(complete!.map((s) => s.resource['service.name']));
    expect([...services]).toEqual(expect.arrayContaining(['traffic.booksapp', 'webapp.booksapp', 'books.booksapp']));
    const client = complete!.find((s) => s.resource['service.name'] === 'traffic.booksapp')!;
    expect(client.kind).toBe(CLIENT);
    expect(client.parentSpanId).toBe('');
    expect(client.name).toBe('webapp.booksapp.svc.cluster.local:7000/*');
    expect(client.attributes).toMatchObject({component: 'proxy', upstream_cluster: 'outbound|7000||webapp.booksapp.svc.cluster.local', 'istio.canonical_service': 'traffic'});
    const server = complete!.find((s) => s.parentSpanId === client.spanId)!;
    expect(server.kind).toBe(SERVER);
    expect(server.resource['service.name']).toBe('webapp.booksapp');
    // Node ids carry each pod's own address; the server span's peer is the calling traffic pod.
    const webappIps = podsOf(mesh, 'webapp').map((p) => p.info.ip);
    const [, nodeIp, nodePod] = String(server.attributes.node_id).split('~');
    expect(webappIps).toContain(nodeIp);
    expect(nodePod).toMatch(/^webapp-/);
    expect(podsOf(mesh, 'traffic').map((p) => p.info.ip)).toContain(server.attributes['peer.address']);

    await set('');
    await set('0');
    await sleep(1500);
    collector.spans.length = 0;
    await sleep(1200);
    expect(collector.spans).toHaveLength(0);
  }, 20_000);
});

describe('span export to an endpoint nobody listens on', () => {
  it('drops spans silently and keeps the traffic flowing', async () => {
    // The test helper's default: OTLP/gRPC to 127.0.0.1:9, where nothing listens.
    const mesh = await startTestMesh({flavor: 'linkerd', rps: 20, traceShare: 1});
    try {
      await sleep(2500);
      expect(mesh.exporter.stats.exported).toBe(0);
      expect(mesh.exporter.stats.dropped).toBeGreaterThan(0);
      const hops = mesh.truth.snapshot().hops.filter((h) => h.source === 'traffic');
      expect(hops.reduce((n, h) => n + h.count, 0)).toBeGreaterThan(20);
    } finally {
      await mesh.stop();
    }
  });
});

describe('OTLP/gRPC export across a collector restart', () => {
  it('reuses one connection, drops while the collector is down, and reconnects when it is back', async () => {
    const collector = new GrpcCollector();
    await collector.start();
    const mesh = await startTestMesh({flavor: 'linkerd', rps: 20, traceShare: 1, otlp: {transport: 'grpc', address: collector.address}});
    try {
      await sleep(2300);
      expect(collector.calls.length).toBeGreaterThanOrEqual(2);
      expect(collector.connections).toBe(1);
      await collector.close();
      await sleep(1300);
      const droppedWhileDown = mesh.exporter.stats.dropped;
      expect(droppedWhileDown).toBeGreaterThan(0);
      await collector.start();
      const before = collector.spans.length;
      await sleep(2300);
      expect(collector.spans.length).toBeGreaterThan(before);
      expect(collector.connections).toBe(2);
    } finally {
      await mesh.stop();
      await collector.close();
    }
  }, 15_000);
});
