import {describe, expect, it} from 'vitest';
import {envoy} from '../../src/dialects/envoy/index.js';
import {identityFromSeries, identityFromServerInfo} from '../../src/dialects/envoy/identity.js';
import type {ProxyInfo} from '../../src/dialects/types.js';
import {parsePrometheusText} from '../../src/metrics/parse.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';

const noInfo: ProxyInfo = {identity: {pod: null, workload: null, namespace: null, serviceAccount: null, source: 'target'}, version: null, ready: null, notes: []};

function parsed(fixture: string) {
  const metrics = parsePrometheusText(readSharedFixture(fixture), {keep: envoy.keep});
  expect(envoy.recognizes(metrics)).toBe(true);
  return metrics;
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('Envoy mapping over real captures', () => {
  it('Istio 1.11: istio_requests_total with reporter="destination" is the inbound side', () => {
    const metrics = parsed('envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt');
    const s = envoy.toSnapshot(metrics, {name: 'p', url: 'http://127.0.0.1:15020'}, noInfo, 2_000_000);
    expect(s.http).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        src: {name: 'productpage-v1', namespace: 'default'},
        dst: {name: 'reviews-v1', namespace: 'default'},
        authority: 'reviews.default.svc.cluster.local',
        status: '200',
        tls: true,
        success: true,
        value: 1,
      }),
    ]);
    expect(s.latency).toHaveLength(1);
    expect(s.latency[0].histogram.bounds).toEqual([0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, Infinity]);
    expect(s.startTimeSec).toBe(2000 - 1056);
    expect(identityFromSeries(metrics)).toMatchObject({workload: 'reviews-v1', namespace: 'default', source: 'series'});
  });

  it('plain Envoy: downstream per connection manager (admin excluded), upstream per cluster', () => {
    const metrics = parsed('envoy/envoy-vanilla.stats-prometheus.txt');
    const s = envoy.toSnapshot(metrics, {name: 'front', url: 'http://127.0.0.1:9901'}, noInfo, 0);
    const inbound = s.http.filter((c) => c.direction === 'inbound');
    // ingress_http reports five classes (1xx–5xx), all zero in this capture; admin is excluded
    expect(inbound.map((c) => c.status).sort()).toEqual(['1xx', '2xx', '3xx', '4xx', '5xx']);
    expect(inbound.every((c) => c.value === 0 && c.dst?.name === 'front')).toBe(true);
    expect(inbound.find((c) => c.status === '5xx')?.success).toBe(false);
    expect(s.http.filter((c) => c.direction === 'outbound').every((c) => c.dst?.kind === 'cluster')).toBe(true);
    expect(s.startTimeSec).toBe(-6225);
  });

  it('Consul dataplane: the service from local_cluster, admin HCM excluded', () => {
    const metrics = parsed('envoy/consul-dataplane.metrics-merged.txt');
    expect(identityFromSeries(metrics)).toMatchObject({workload: 'mynginx', namespace: 'default'});
    const s = envoy.toSnapshot(metrics, {name: 'c', url: 'http://127.0.0.1:20200'}, noInfo, 0);
    expect(s.http.filter((c) => c.direction === 'inbound').length).toBeGreaterThan(0);
    expect(s.http.some((c) => c.direction === 'inbound' && c.dst?.name === 'c')).toBe(true);
  });
});

describe('/server_info identity', () => {
  it('reads Istio node metadata, else the node id', () => {
    expect(identityFromServerInfo({node: {id: 'sidecar~10.1.2.3~reviews-v1-545db77b95-xz7kq.bookinfo~bookinfo.svc.cluster.local', metadata: {WORKLOAD_NAME: 'reviews-v1'}}})).toEqual({
      pod: 'reviews-v1-545db77b95-xz7kq', namespace: 'bookinfo', workload: 'reviews-v1', serviceAccount: null, podIp: '10.1.2.3', source: 'server_info',
    });
    expect(identityFromServerInfo({node: {id: 'front-envoy-1', cluster: 'front-envoy'}})).toMatchObject({pod: 'front-envoy-1', workload: 'front-envoy'});
  });
});
