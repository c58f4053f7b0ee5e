import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {getText, podsOf, sleep, startTestMesh} from './helpers/mesh.js';
import {bucketBounds, label, labelNames, parseExposition, type Exposition} from './helpers/prom.js';

/** istio_stats.cc's tag order for HTTP metrics (the native filter; older Wasm builds differ). */
const NATIVE_HTTP_ORDER = [
  'reporter', 'source_workload', 'source_canonical_service', 'source_canonical_revision', 'source_workload_namespace',
  'source_principal', 'source_app', 'source_version', 'source_cluster', 'destination_workload',
  'destination_workload_namespace', 'destination_principal', 'destination_app', 'destination_version',
  'destination_service', 'destination_canonical_service', 'destination_canonical_revision', 'destination_service_name',
  'destination_service_namespace', 'destination_cluster', 'request_protocol', 'response_code', 'grpc_response_status',
  'response_flags', 'connection_security_policy',
];

/** Holds the istio flavour's `/stats/prometheus` against a real Istio sidecar and a plain Envoy. */
describe.skipIf(!HAVE_SHARED_FIXTURES)('istio flavour /stats/prometheus against real captures', () => {
  let mesh: RunningMesh;
  let text: string;
  let ours: Exposition;
  const istio = () => parseExposition(`${readSharedFixture('envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt')}\n`);

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'istio', rps: 30});
    // Histograms only reach the output at Envoy's 5 s stats flush.
    await sleep(5600);
    text = (await getText(`${podsOf(mesh, 'webapp')[0].sidecar.endpoints().url}/stats/prometheus`)).text;
    ours = parseExposition(text);
  }, 20_000);
  afterAll(() => mesh?.stop());

  it('uses the label names of a real sidecar, in the native filter order', () => {
    const real = istio().samples.find((s) => s.name === 'istio_requests_total')!;
    for (const reporter of ['source', 'destination']) {
      const sample = ours.samples.find((s) => s.name === 'istio_requests_total' && label(s, 'reporter') === reporter)!;
      expect([...labelNames(sample)].sort()).toEqual([...labelNames(real)].sort());
      expect(labelNames(sample)).toEqual(NATIVE_HTTP_ORDER);
    }
  });

  it('reports both sides of a mutual-TLS hop as a real mesh does', () => {
    const server = ours.samples.find((s) => s.name === 'istio_requests_total' && label(s, 'reporter') === 'destination')!;
    expect(label(server, 'source_workload')).toBe('traffic');
    expect(label(server, 'source_principal')).toBe('spiffe://cluster.local/ns/booksapp/sa/traffic');
    expect(label(server, 'destination_principal')).toBe('spiffe://cluster.local/ns/booksapp/sa/webapp');
    expect(label(server, 'connection_security_policy')).toBe('mutual_tls');
    expect(label(server, 'destination_service')).toBe('webapp.booksapp.svc.cluster.local');
    const client = ours.samples.find((s) => s.name === 'istio_requests_total' && label(s, 'reporter') === 'source' && label(s, 'destination_service_name') === 'books')!;
    expect(label(client, 'destination_workload')).toBe('books');
    expect(label(client, 'connection_security_policy')).toBe('unknown');
    const tcp = ours.samples.find((s) => s.name === 'istio_tcp_connections_opened_total')!;
    expect(label(tcp, 'request_protocol')).toBe('tcp');
    expect(labelNames(tcp)).toEqual(NATIVE_HTTP_ORDER.filter((n) => n !== 'response_code' && n !== 'grpc_response_status'));
  });

  it('uses Envoy\'s default histogram buckets and sample order', () => {
    const real = istio();
    expect(bucketBounds(ours, 'istio_request_duration_milliseconds_bucket')).toEqual(bucketBounds(real, 'istio_request_duration_milliseconds_bucket'));
    expect(bucketBounds(ours, 'istio_request_bytes_bucket')).toEqual(bucketBounds(real, 'istio_request_bytes_bucket'));
    const order = (e: Exposition, family: string) => {
      const first = e.samples.filter((s) => s.name.startsWith(family)).slice(0, 22).map((s) => s.name.slice(family.length));
      return first;
    };
    expect(order(ours, 'istio_request_duration_milliseconds')).toEqual(order(real, 'istio_request_duration_milliseconds'));
    const bucket = ours.samples.find((s) => s.name === 'istio_request_duration_milliseconds_bucket')!;
    expect(labelNames(bucket).at(-1)).toBe('le');
  });

  it('writes Envoy\'s layout: TYPE lines only, counters then gauges then histograms, `name{}` when unlabelled', () => {
    const vanilla = parseExposition(readSharedFixture('envoy/envoy-vanilla.stats-prometheus.txt'));
    for (const e of [ours, vanilla]) {
      expect(e.lines.some((l) => l.kind === 'help')).toBe(false);
      expect(e.lines.some((l) => l.kind === 'blank' && l.line < e.lines.length)).toBe(false);
      const types = e.lines.filter((l) => l.kind === 'type').map((l) => e.families.get(l.name)!.type!);
      const rank = {counter: 0, gauge: 1, histogram: 2} as Record<string, number>;
      expect(types.map((t) => rank[t])).toEqual([...types.map((t) => rank[t])].sort((a, b) => a - b));
    }
    expect(text).toMatch(/^envoy_server_live\{\} 1$/m);
    expect(text).toMatch(/^istio_build\{component="proxy",tag="[0-9.]+"\} 1$/m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('names Envoy stats with Istio\'s tag names, as the real sidecar does', () => {
    const real = istio();
    const rq = (e: Exposition) => e.samples.find((s) => s.name === 'envoy_cluster_upstream_rq' && label(s, 'response_code_class') === '2xx')!;
    expect(labelNames(rq(ours))).toEqual(labelNames(rq(real)));
    expect(label(rq(ours), 'cluster_name')).toMatch(/^outbound\|700[12]\|\|(books|authors)\.booksapp\.svc\.cluster\.local$/);
    for (const name of ['envoy_cluster_upstream_rq_200', 'envoy_cluster_upstream_rq_completed', 'envoy_cluster_upstream_cx_active', 'envoy_cluster_manager_active_clusters', 'envoy_listener_manager_total_listeners_active', 'envoy_server_uptime', 'envoy_server_live', 'envoy_server_total_connections']) {
      expect(ours.families.get(name)?.type, name).toBe(real.families.get(name)?.type);
    }
    // Route stats from a VirtualService statPrefix keep the vhost in the name (no vhost tag in Istio).
    expect(text).toMatch(/^envoy_vhost_books_booksapp_svc_cluster_local_7002_route_books_[a-z]+_upstream_rq\{response_code_class="[2-5]xx"\} \d+$/m);
  });

  it('serves only /stats/prometheus on the metrics listener', async () => {
    const url = podsOf(mesh, 'webapp')[0].sidecar.endpoints().url;
    expect((await getText(`${url}/server_info`)).status).toBe(404);
    expect((await getText(`${url}/stats/prometheus?filter=server`)).text).toMatch(/^envoy_server_live/m);
  });
});
