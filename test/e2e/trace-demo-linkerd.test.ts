import {randomBytes} from 'node:crypto';
import {request} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sleep, startTracedDemo, type TracedDemo} from './trace-demo-helpers.js';

const SETTLE_MS = 2500;

/** One request into the mesh through a sidecar's outbound listener, as the application would send it. */
function callThrough(outbound: string, headers: Record<string, string>): Promise<number> {
  const [host, port] = [outbound.slice(0, outbound.lastIndexOf(':')), Number(outbound.slice(outbound.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const req = request({host, port, path: '/', headers: {host: 'webapp.booksapp.svc.cluster.local:7000', ...headers}, timeout: 5000}, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The Linkerd flavour end to end: its sidecars were started with a collector (the demo's
 * --otlp-grpc, pointed at `trace collect`'s OTLP/gRPC port) and, like linkerd2-proxy, export
 * spans over OTLP/gRPC only for requests that arrive with a sampled context. The load generator
 * sends none (--trace-share 0); this test sends its own.
 */
describe('trace status|enable and span emission against the Linkerd demo', () => {
  let demo: TracedDemo;
  const envOf = async (url: string) => (await (await fetch(`${url}/env.json`)).json()) as Record<string, string>;

  beforeAll(async () => {
    demo = await startTracedDemo('linkerd', ['--rps', '10', '--trace-share', '0', '--seed', '3'], 60_000);
  }, 60_000);
  afterAll(async () => {
    await demo?.stop();
  });

  it('status shows every proxy\'s collector as its /env.json says', async () => {
    const status = await demo.cli(['trace', 'status', '-o', 'json']);
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(demo.state.pods.length);
    const collector = demo.collector.grpcAddress!;
    for (const pod of demo.state.pods) {
      const env = await envOf(pod.url);
      expect(env.LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR).toBe(collector);
      expect(env.LINKERD2_PROXY_TRACE_PROTOCOL).toBe('opentelemetry');
      expect(rows.find((r) => r.proxy === pod.name)).toMatchObject({
        family: 'linkerd',
        tracing: 'on',
        collector_address: env.LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR,
        collector_protocol: env.LINKERD2_PROXY_TRACE_PROTOCOL,
        collector_service_name: env.LINKERD2_PROXY_TRACE_SERVICE_NAME,
        error: null,
      });
    }
  });

  it('enable and disable change nothing, say why and what to do instead, and exit 4', async () => {
    const collector = demo.collector.grpcAddress!;
    const enable = await demo.cli(['trace', 'enable', 'deploy/books']);
    expect(enable.code).toBe(4);
    const rows = enable.stdout.trim().split('\n').slice(1);
    expect(rows.length).toBe(demo.state.pods.filter((p) => p.workload === 'books').length);
    expect(rows.every((line) => line.includes(`collector ${collector}`) && / unsupported$/.test(line))).toBe(true);
    // They have a collector already: what is missing is a sampled context, not configuration.
    expect(enable.stderr).toMatch(new RegExp(`already exports? spans \\(to ${collector}\\)`));
    expect(enable.stderr).not.toContain('rollout restart');

    const disable = await demo.cli(['trace', 'disable', 'deploy/books']);
    expect(disable.code).toBe(4);
    expect(disable.stderr).toContain('send requests unsampled (traceparent ...-00');
    expect(disable.stderr).toContain('kubectl rollout restart deploy/books -n booksapp');
  });

  it('spans arrive only for the request that carried a sampled context', async () => {
    const traffic = demo.state.pods.find((p) => p.workload === 'traffic')!;
    const outbound = (await envOf(traffic.url)).LINKERD2_PROXY_OUTBOUND_LISTEN_ADDR;
    const [sampled, unsampled, b3Sampled, b3Unsampled] = [0, 1, 2, 3].map(() => randomBytes(16).toString('hex'));
    const span = () => randomBytes(8).toString('hex');
    const before = demo.spans().length;
    const statuses = await Promise.all([
      callThrough(outbound, {traceparent: `00-${sampled}-${span()}-01`}),
      callThrough(outbound, {traceparent: `00-${unsampled}-${span()}-00`}),
      callThrough(outbound, {'x-b3-traceid': b3Sampled, 'x-b3-spanid': span(), 'x-b3-sampled': '1'}),
      callThrough(outbound, {'x-b3-traceid': b3Unsampled, 'x-b3-spanid': span(), 'x-b3-sampled': '0'}),
      callThrough(outbound, {}),
    ]);
    expect(statuses.every((s) => s > 0)).toBe(true);
    await demo.collector.waitFor(() => {
      const ids = new Set(demo.spans().slice(before).map((s) => s.trace_id));
      return ids.has(sampled) && ids.has(b3Sampled);
    }, 10_000);
    await sleep(SETTLE_MS);
    const spans = demo.spans().slice(before);
    expect(new Set(spans.map((s) => s.trace_id))).toEqual(new Set([sampled, b3Sampled]));
    // The sampled request is seen by the traffic sidecar (outbound) and by webapp's (inbound).
    const first = spans.filter((s) => s.trace_id === sampled);
    expect([...new Set(first.map((s) => s.service))]).toEqual(expect.arrayContaining(['traffic', 'webapp']));
  }, 30_000);
});
