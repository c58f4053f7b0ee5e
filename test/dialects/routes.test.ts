import {describe, expect, it} from 'vitest';
import {envoyRoutes} from '../../src/dialects/envoy/routes.js';
import {linkerdRoutes} from '../../src/dialects/linkerd/routes.js';
import {parsePrometheusText} from '../../src/metrics/parse.js';
import {sinceStart} from '../../src/metrics/window.js';
import {routeRows} from '../../src/views/routes.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {snapshot} from '../helpers/snapshots.js';

const self = {name: 'webapp', namespace: 'shop'};
const all = {namespace: null, to: null, direction: null} as const;

function rowsOf(routes: ReturnType<typeof linkerdRoutes>) {
  return routeRows([sinceStart(snapshot('p', 10_000, {startTimeSec: 0, routes}))], all);
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('route series from real captures', () => {
  it('Gateway API gRPC route (schlep excerpt): route-level after retries, per-backend attempts, timeouts, retries', () => {
    const routes = linkerdRoutes(parsePrometheusText(readSharedFixture('linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt')), self);
    const [row] = rowsOf(routes);
    expect(row).toMatchObject({source: 'gateway-api', direction: 'outbound', service: 'api:8080', route: 'api-get', kind: 'GRPCRoute'});
    // statuses: OK 7839, INTERNAL 9, UNKNOWN+REQUEST_TIMEOUT 75, UNKNOWN+RESPONSE_HEADERS_TIMEOUT 2
    expect(row.effective.requests).toBe(7925);
    expect(row.effective.success).toBeCloseTo(7839 / 7925, 12);
    expect(row.timeouts).toBeCloseTo(77 / 7925, 12);
    expect(row.retries).toBeCloseTo(1162 / (7925 + 1162), 12);
    // backend: OK 7839, INTERNAL 610, UNKNOWN+REQUEST_TIMEOUT 75, UNKNOWN+RESPONSE_HEADERS_TIMEOUT 563
    expect(row.backends).toHaveLength(1);
    expect(row.backends[0].backend).toBe('api:8080');
    expect(row.backends[0].signals.requests).toBe(9087);
    expect(row.backends[0].signals.success).toBeCloseTo(7839 / 9087, 12);
    expect(row.actual?.success).toBeCloseTo(7839 / 9087, 12);
    // route latency buckets (seconds → ms): 0.05: 6083, 0.5: 7925 → p50 = 50·(3962.5/6083)
    expect(row.effective.p50!.value).toBeCloseTo(50 * (3962.5 / 6083), 9);
    expect(row.effective.p50!.upper).toBe(50);
  });

  it('stable-2.3 ServiceProfile series without rt_route are [DEFAULT] routes per destination', () => {
    const text = readSharedFixture('linkerd/metrics/datadog-linkerd_v2.txt');
    const routes = linkerdRoutes(parsePrometheusText(text), self);
    const rows = rowsOf(routes);
    expect(rows.every((r) => r.route === null && r.source === 'serviceprofile')).toBe(true);
    const prom = rows.find((r) => r.service === 'linkerd-prometheus.linkerd.svc.cluster.local:9090')!;
    const expected = text
      .split('\n')
      .filter((l) => l.startsWith('route_response_total{') && l.includes('dst="linkerd-prometheus.linkerd.svc.cluster.local:9090"'))
      .reduce((a, l) => a + Number(l.split(' ').pop()), 0);
    expect(prom.effective.requests).toBe(expected);
    expect(prom.direction).toBe('outbound');
  });

  it('Consul virtual clusters with only upstream_rq_total: counted, outcome unknown', () => {
    const routes = envoyRoutes(parsePrometheusText(readSharedFixture('envoy/consul-dataplane.metrics-merged.txt')), self);
    expect(routes.counters.map((c) => [c.source, c.service, c.route, c.success])).toEqual([['envoy-vcluster', 'self_admin', 'other', null]]);
  });
});

describe('route series from hand-written exposition', () => {
  it('ServiceProfile routes with retries: effective vs actual', () => {
    const text = [
      'route_response_total{direction="outbound",dst="books.shop.svc.cluster.local:7002",rt_route="GET /books/{id}",status_code="200",classification="success"} 90',
      'route_response_total{direction="outbound",dst="books.shop.svc.cluster.local:7002",rt_route="GET /books/{id}",status_code="500",classification="failure"} 10',
      'route_actual_response_total{direction="outbound",dst="books.shop.svc.cluster.local:7002",rt_route="GET /books/{id}",status_code="200",classification="success"} 90',
      'route_actual_response_total{direction="outbound",dst="books.shop.svc.cluster.local:7002",rt_route="GET /books/{id}",status_code="500",classification="failure"} 30',
      'route_response_total{direction="outbound",dst="books.shop.svc.cluster.local:7002",status_code="200",classification="success"} 5',
    ].join('\n');
    const rows = rowsOf(linkerdRoutes(parsePrometheusText(text), self));
    const route = rows.find((r) => r.route === 'GET /books/{id}')!;
    expect(route.effective.success).toBe(0.9);
    expect(route.actual?.success).toBe(0.75);
    expect(route.effective.rps).toBe(10);
    expect(route.actual?.rps).toBe(12);
    expect(rows.find((r) => r.route === null)?.effective.requests).toBe(5);
  });

  it('inbound policy routes (Linkerd 2.20): status label, seconds histograms', () => {
    const labels = 'parent_group="policy.linkerd.io",parent_kind="Server",parent_name="books-http",parent_port="7002",route_group="gateway.networking.k8s.io",route_kind="HTTPRoute",route_name="books-get"';
    const text = [
      `inbound_http_statuses_total{${labels},status="200"} 40`,
      `inbound_http_statuses_total{${labels},status="503"} 10`,
      `inbound_http_request_duration_seconds_bucket{le="0.025",${labels}} 20`,
      `inbound_http_request_duration_seconds_bucket{le="+Inf",${labels}} 50`,
    ].join('\n');
    const [row] = rowsOf(linkerdRoutes(parsePrometheusText(text), self));
    expect(row).toMatchObject({source: 'inbound-policy', direction: 'inbound', service: 'books-http:7002', route: 'books-get', kind: 'HTTPRoute'});
    expect(row.effective.success).toBe(0.8);
    expect(row.effective.p50).toEqual({value: 25, lower: 25, upper: Infinity});
  });

  it('Envoy route stats with default tags, and Istio-style flattened names', () => {
    const text = [
      'envoy_vhost_route_upstream_rq{envoy_response_code="200",envoy_virtual_host="books",envoy_route="get_book"} 30',
      'envoy_vhost_route_upstream_rq{envoy_response_code="503",envoy_virtual_host="books",envoy_route="get_book"} 10',
      'envoy_vhost_route_upstream_rq_total{envoy_virtual_host="books",envoy_route="get_book"} 40',
      'envoy_vhost_route_upstream_rq_retry{envoy_virtual_host="books",envoy_route="get_book"} 4',
      'envoy_vhost_books_booksapp_svc_cluster_local_7002_route_list_books_upstream_rq{response_code="200"} 8',
      'envoy_vhost_inbound_http_7002_route_default_upstream_rq{response_code="200"} 3',
    ].join('\n');
    const rows = rowsOf(envoyRoutes(parsePrometheusText(text), self));
    const tagged = rows.find((r) => r.route === 'get_book')!;
    expect(tagged.effective.requests).toBe(40); // per-code series only; the _total is not added again
    expect(tagged.effective.success).toBe(0.75);
    expect(tagged.retries).toBeCloseTo(4 / 44, 12);
    expect(rows.find((r) => r.route === 'list_books')).toMatchObject({service: 'books_booksapp_svc_cluster_local_7002', direction: 'outbound'});
    expect(rows.find((r) => r.route === 'default')).toMatchObject({service: 'inbound_http_7002', direction: 'inbound'});
  });
});
