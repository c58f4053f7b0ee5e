import {describe, expect, it} from 'vitest';
import {MetricsParseError, parsePrometheusText} from '../../src/metrics/parse.js';
import type {MetricFamily, ParsedMetrics, Sample} from '../../src/metrics/types.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';

// Expected numbers below were read from the capture files by hand (grep), or are counted here
// by splitting the text into lines, never taken from the parser.

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, ''));
}

function countLinesStartingWith(text: string, prefix: string): number {
  return lines(text).filter((line) => line.startsWith(prefix)).length;
}

function sampleLineCount(text: string): number {
  return lines(text).filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
}

function family(parsed: ParsedMetrics, name: string): MetricFamily {
  const found = parsed.families.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no family ${name}`);
  return found;
}

function only(samples: Sample[]): Sample {
  expect(samples).toHaveLength(1);
  return samples[0];
}

function totalSamples(parsed: ParsedMetrics): number {
  return parsed.families.reduce((sum, f) => sum + f.samples.length, 0);
}

/** Checks a series' buckets ascend, counts never drop, and +Inf equals `_count`. */
function expectConsistentHistogram(parsed: ParsedMetrics, base: string, series: (labels: Record<string, string>) => boolean): number[] {
  const buckets = parsed.samples(`${base}_bucket`).filter((s) => series(s.labels));
  const bounds = buckets.map((s) => (s.labels.le === '+Inf' ? Infinity : Number(s.labels.le)));
  expect(bounds.at(-1)).toBe(Infinity);
  for (let i = 1; i < buckets.length; i++) {
    expect(bounds[i]).toBeGreaterThan(bounds[i - 1]);
    expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
  }
  const count = only(parsed.samples(`${base}_count`).filter((s) => series(s.labels)));
  expect(buckets.at(-1)?.value).toBe(count.value);
  return buckets.map((s) => s.value);
}

const EXPOSITION_CAPTURES = [
  'linkerd/metrics/linkerd2-testutil-sampleMetrics.txt',
  'linkerd/metrics/datadog-linkerd_v2.txt',
  'linkerd/metrics/linkerd2-obfuscate-diagnostics-proxy-metrics.input.txt',
  'linkerd/metrics/playground-bel-2026-proxy-metrics-grep-excerpt.txt',
  'linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt',
  'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt',
  'envoy/envoy-vanilla.stats-prometheus.txt',
  'envoy/consul-dataplane.metrics-merged.txt',
];

describe.skipIf(!HAVE_SHARED_FIXTURES)('real captures', () => {
  it.each(EXPOSITION_CAPTURES)('%s: one sample per sample line, one family per # TYPE name', (path) => {
    const text = readSharedFixture(path);
    const parsed = parsePrometheusText(text);
    expect(totalSamples(parsed)).toBe(sampleLineCount(text));
    const declared = new Set(lines(text).filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const name of declared) expect(family(parsed, name).name).toBe(name);
  });

  describe('linkerd2 testutil sampleMetrics (proxy 279b301)', () => {
    const text = HAVE_SHARED_FIXTURES ? readSharedFixture('linkerd/metrics/linkerd2-testutil-sampleMetrics.txt') : '';

    it('finds samples by sample name, as counted in the file', () => {
      const parsed = parsePrometheusText(text);
      expect(parsed.samples('response_latency_ms_bucket')).toHaveLength(26);
      expect(countLinesStartingWith(text, 'response_latency_ms_bucket{')).toBe(26);
      expect(parsed.samples('response_total')).toHaveLength(1);
      expect(parsed.samples('tcp_open_total')).toHaveLength(3);
      expect(parsed.samples('no_such_metric')).toEqual([]);
    });

    it('reads labels and values of specific series', () => {
      const parsed = parsePrometheusText(text);
      const response = only(parsed.samples('response_total'));
      expect(response.value).toBe(29);
      expect(response.labels).toMatchObject({direction: 'inbound', classification: 'success', status_code: '200', target_addr: '0.0.0.0:4191'});
      const readBytes = parsed.samples('tcp_read_bytes_total').map((s) => [s.labels.peer, s.labels.direction, s.value]);
      expect(readBytes).toContainEqual(['src', 'outbound', 3763]);
      expect(readBytes).toContainEqual(['src', 'inbound', 3073]);
      expect(only(parsed.samples('tcp_close_total')).labels.errno).toBe('');
      expect(only(parsed.samples('proxy_build_info')).labels.rust_version).toBe('rustc 1.59.0 (9d1b2106e 2022-02-23)');
      expect(only(parsed.samples('process_start_time_seconds')).value).toBe(1650967123);
      expect(only(parsed.samples('process_cpu_seconds_total')).value).toBe(0.07);
    });

    it('resolves family types and ignores the `# POD` comment header', () => {
      const parsed = parsePrometheusText(text);
      const byType = (type: string) => parsed.families.filter((f) => f.type === type).length;
      expect([byType('counter'), byType('gauge'), byType('histogram')]).toEqual([18, 8, 2]);
      expect(parsed.families).toHaveLength(28);
      const latency = family(parsed, 'response_latency_ms');
      expect(latency.type).toBe('histogram');
      expect(latency.samples).toHaveLength(28);
      expect(latency.help).toBe("Elapsed times between a request's headers being received and its response stream completing");
      expect(family(parsed, 'request_total').type).toBe('counter');
    });

    it('keeps the 26 buckets in order, with +Inf equal to _count', () => {
      const parsed = parsePrometheusText(text);
      expect(parsed.samples('response_latency_ms_bucket').map((s) => s.labels.le)).toEqual(
        ['1', '2', '3', '4', '5', '10', '20', '30', '40', '50', '100', '200', '300', '400', '500', '1000', '2000', '3000', '4000', '5000', '10000', '20000', '30000', '40000', '50000', '+Inf'],
      );
      expectConsistentHistogram(parsed, 'response_latency_ms', () => true);
    });
  });

  describe('DataDog linkerd_v2 (stable-2.3 era, complete scrape)', () => {
    const text = HAVE_SHARED_FIXTURES ? readSharedFixture('linkerd/metrics/datadog-linkerd_v2.txt') : '';

    it('counts samples by name as grep does', () => {
      const parsed = parsePrometheusText(text);
      for (const [name, count] of [
        ['response_latency_ms_bucket', 312],
        ['response_latency_ms_count', 12],
        ['response_total', 4],
        ['request_total', 12],
        ['route_response_latency_ms_bucket', 416],
        ['tcp_connection_duration_ms_bucket', 104],
      ] as const) {
        expect(parsed.samples(name), name).toHaveLength(count);
      }
    });

    it('reads the first inbound histogram series exactly', () => {
      const parsed = parsePrometheusText(text);
      const inbound = (labels: Record<string, string>) => labels.no_tls_reason === 'not_provided_by_remote' && labels.direction === 'inbound';
      expect(expectConsistentHistogram(parsed, 'response_latency_ms', inbound)).toEqual(
        [705, 814, 830, 833, 838, 842, 847, 848, 849, 849, 849, 850, 850, 850, 850, 852, 852, 852, 852, 852, 852, 852, 852, 852, 852, 852],
      );
      expect(only(parsed.samples('response_latency_ms_sum').filter((s) => inbound(s.labels))).value).toBe(2314);
    });

    it('has +Inf == _count in every one of its 44 histogram series', () => {
      const parsed = parsePrometheusText(text);
      let series = 0;
      for (const f of parsed.families.filter((fam) => fam.type === 'histogram')) {
        for (const count of parsed.samples(`${f.name}_count`)) {
          const others = Object.entries(count.labels);
          const same = (labels: Record<string, string>) => others.every(([k, v]) => labels[k] === v);
          expectConsistentHistogram(parsed, f.name, same);
          series++;
        }
      }
      expect(series).toBe(44);
    });

    it('keeps families that have HELP and TYPE but no samples', () => {
      const parsed = parsePrometheusText(text);
      const retry = family(parsed, 'retry_skipped_total');
      expect(retry.type).toBe('counter');
      expect(retry.samples).toEqual([]);
    });

    it('reads the outbound response_total with its dst_* labels', () => {
      const parsed = parsePrometheusText(text);
      const outbound = parsed.samples('response_total').find((s) => s.labels.authority === 'linkerd-prometheus.linkerd.svc.cluster.local:9090');
      expect(outbound?.value).toBe(16275);
      expect(outbound?.labels.dst_pod).toBe('linkerd-prometheus-84df7f64c-bb6l4');
    });
  });

  describe('schlep excerpt (OpenMetrics-style tail of an edge proxy)', () => {
    const text = HAVE_SHARED_FIXTURES ? readSharedFixture('linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt') : '';

    it('puts `_total` samples into the counter family declared without `_total`', () => {
      const parsed = parsePrometheusText(text);
      const requests = family(parsed, 'outbound_grpc_route_backend_requests');
      expect(requests.type).toBe('counter');
      expect(requests.help).toBe('The total number of requests dispatched.');
      expect(requests.samples.map((s) => [s.name, s.value])).toEqual([['outbound_grpc_route_backend_requests_total', 9088]]);
      const statuses = family(parsed, 'outbound_grpc_route_request_statuses');
      expect(statuses.samples.map((s) => `${s.labels.grpc_status}/${s.labels.error}=${s.value}`)).toEqual(
        ['UNKNOWN/RESPONSE_HEADERS_TIMEOUT=2', 'UNKNOWN/REQUEST_TIMEOUT=75', 'OK/=7839', 'INTERNAL/=9'],
      );
    });

    it('reads histograms with # UNIT, _sum/_count first and `le` as the first label', () => {
      const parsed = parsePrometheusText(text);
      const duration = family(parsed, 'outbound_grpc_route_request_duration_seconds');
      expect(duration.type).toBe('histogram');
      expect(duration.unit).toBe('seconds');
      expect(duration.samples.map((s) => s.name.slice(duration.name.length))).toEqual(['_sum', '_count', '_bucket', '_bucket', '_bucket', '_bucket', '_bucket']);
      const buckets = parsed.samples('outbound_grpc_route_request_duration_seconds_bucket');
      expect(buckets.map((s) => Object.keys(s.labels)[0])).toEqual(['le', 'le', 'le', 'le', 'le']);
      expect(buckets.map((s) => [s.labels.le, s.value])).toEqual([['0.05', 6083], ['0.5', 7925], ['1.0', 7925], ['10.0', 7925], ['+Inf', 7925]]);
      expect(only(parsed.samples('outbound_grpc_route_request_duration_seconds_sum')).value).toBe(280.96408839699998);
      expect(only(parsed.samples('outbound_grpc_route_request_duration_seconds_count')).value).toBe(7925);
      expect(family(parsed, 'outbound_grpc_route_backend_response_duration_seconds').unit).toBe('seconds');
    });

    it('turns the `counter5` artefact into type unknown; its `_total` sample stands alone', () => {
      const parsed = parsePrometheusText(text);
      const artefact = family(parsed, 'outbound_grpc_route_retry_requests');
      expect(artefact.type).toBe('unknown');
      expect(artefact.help).toBe('Retry requests emitted.');
      expect(artefact.samples).toEqual([]);
      const orphan = family(parsed, 'outbound_grpc_route_retry_requests_total');
      expect(orphan.type).toBe('untyped');
      expect(orphan.samples).toHaveLength(1);
      expect(parsed.samples('outbound_grpc_route_retry_requests_total')).toHaveLength(1);
      expect(family(parsed, 'outbound_grpc_route_retry_successes').type).toBe('counter');
    });
  });

  it('playground excerpt: grep output without HELP/TYPE forms untyped families', () => {
    const parsed = parsePrometheusText(readSharedFixture('linkerd/metrics/playground-bel-2026-proxy-metrics-grep-excerpt.txt'));
    expect(parsed.families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['outbound_http_balancer_endpoints', 'untyped', 2],
      ['outbound_http_errors_total', 'untyped', 1],
      ['response_total', 'untyped', 3],
    ]);
    expect(only(parsed.samples('outbound_http_errors_total'))).toEqual({name: 'outbound_http_errors_total', labels: {error: 'failfast'}, value: 7, timestampMs: null});
    const outbound = parsed.samples('response_total').filter((s) => s.labels.direction === 'outbound');
    expect(outbound.map((s) => [s.labels.dst_zone, s.labels.dst_zone_locality, s.labels.grpc_status, s.labels.error])).toContainEqual(['', 'unknown', '', '']);
  });

  it('obfuscate input: the 2.11-edge `srv_name="default:all-unauthenticated"` format', () => {
    const parsed = parsePrometheusText(readSharedFixture('linkerd/metrics/linkerd2-obfuscate-diagnostics-proxy-metrics.input.txt'));
    const allowed = parsed.samples('inbound_http_authz_allow_total');
    expect(allowed.map((s) => s.value)).toEqual([1319, 7, 1, 3147]);
    expect(allowed[0].labels.srv_name).toBe('default:all-unauthenticated');
    expect(allowed[3].labels.client_id).toBe('default.default.serviceaccount.identity.linkerd.cluster.local');
  });

  it('stable-2.3 partial: parses once the shell prompt and the `...` the author added are removed', () => {
    const text = readSharedFixture('linkerd/metrics/stable-2.3-proxy-metrics-partial.txt');
    const all = lines(text);
    expect(all[0]).toMatch(/^\[root@osc01 ~\]# curl/);
    expect(all.at(-2)).toBe('...');
    expect(() => parsePrometheusText(text)).toThrow(expect.objectContaining({name: 'MetricsParseError', line: 1, column: 1}));
    const body = all.slice(1, -2).join('\n');
    const parsed = parsePrometheusText(body);
    expect(parsed.samples('request_total')).toHaveLength(countLinesStartingWith(body, 'request_total{'));
    expect(parsed.samples('request_total')[0]).toMatchObject({labels: {direction: 'inbound', no_tls_reason: 'not_provided_by_remote'}, value: 9723});
    expect(parsed.samples('response_latency_ms_bucket').map((s) => s.value).slice(0, 3)).toEqual([7202, 8251, 8639]);
  });

  it.each([
    'linkerd/metrics/2.16-docs-outbound_http_route_backend_response_statuses_total.pretty.txt',
    'linkerd/metrics/edge-docs-egress-outbound_http_route_request_statuses_total.pretty.txt',
    'envoy/consul.logging.txt',
  ])('%s is not exposition format and is refused with a MetricsParseError', (path) => {
    expect(() => parsePrometheusText(readSharedFixture(path))).toThrow(MetricsParseError);
  });

  describe('Istio 1.11 sidecar, merged :15020 endpoint (no trailing newline)', () => {
    const text = HAVE_SHARED_FIXTURES ? readSharedFixture('envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt') : '';

    it('reads the uint64 cds_version as the nearest float64, as Prometheus does', () => {
      expect(text.endsWith('\n')).toBe(false);
      const parsed = parsePrometheusText(text);
      const version = only(parsed.samples('envoy_cluster_manager_cds_version'));
      // 16440392441958861461 rounded to float64 (python: int(float(16440392441958861461))).
      expect(BigInt(version.value)).toBe(16440392441958860800n);
      expect(version.labels).toEqual({});
      expect(family(parsed, 'envoy_cluster_manager_cds_version').type).toBe('gauge');
    });

    it('reads istio_requests_total and the request duration histogram', () => {
      const parsed = parsePrometheusText(text);
      const requests = only(parsed.samples('istio_requests_total'));
      expect(requests.value).toBe(1);
      expect(requests.labels).toMatchObject({response_code: '200', reporter: 'destination', source_workload: 'productpage-v1'});
      expect(expectConsistentHistogram(parsed, 'istio_request_duration_milliseconds', () => true)).toEqual(
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      );
      expect(only(parsed.samples('istio_request_duration_milliseconds_sum')).value).toBe(1050);
      expect(family(parsed, 'istio_request_duration_milliseconds').samples).toHaveLength(22);
    });

    it('keeps HELP only where the file has it (pilot-agent yes, Envoy no)', () => {
      const parsed = parsePrometheusText(text);
      expect(parsed.families.filter((f) => f.help !== null)).toHaveLength(countLinesStartingWith(text, '# HELP '));
      expect(family(parsed, 'istio_agent_go_goroutines').help).toBe('Number of goroutines that currently exist.');
      expect(family(parsed, 'istio_requests_total').help).toBeNull();
      expect(parsed.families.filter((f) => f.samples.some((s) => Object.keys(s.labels).length === 0 && s.name.startsWith('envoy_')))).not.toHaveLength(0);
    });
  });

  it('plain Envoy: `name{} 5` samples and a long float sum', () => {
    const text = readSharedFixture('envoy/envoy-vanilla.stats-prometheus.txt');
    const parsed = parsePrometheusText(text);
    const empty = parsed.families.flatMap((f) => f.samples).filter((s) => Object.keys(s.labels).length === 0);
    const emptyLabelLines = lines(text).filter((line) => !line.startsWith('#') && (line.includes('{} ') || (line !== '' && !line.includes('{'))));
    expect(emptyLabelLines).toHaveLength(92);
    expect(empty).toHaveLength(92);
    const admin = (labels: Record<string, string>) => labels.envoy_http_conn_manager_prefix === 'admin';
    expect(expectConsistentHistogram(parsed, 'envoy_http_downstream_rq_time', admin)).toEqual([2, 2, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(only(parsed.samples('envoy_http_downstream_rq_time_sum').filter((s) => admin(s.labels))).value).toBe(3.1500000000000004);
    expect(parsed.families.every((f) => f.help === null)).toBe(true);
  });

  it('Consul dataplane: NaN quantiles in summaries', () => {
    const text = readSharedFixture('envoy/consul-dataplane.metrics-merged.txt');
    const parsed = parsePrometheusText(text);
    const nan = parsed.families.flatMap((f) => f.samples).filter((s) => Number.isNaN(s.value));
    expect(nan).toHaveLength(9);
    expect(new Set(nan.map((s) => s.name))).toEqual(new Set(['consul_dataplane_connect_duration', 'consul_dataplane_discover_servers_duration', 'consul_dataplane_login_duration']));
    const connect = family(parsed, 'consul_dataplane_connect_duration');
    expect(connect.type).toBe('summary');
    expect(connect.samples.map((s) => [s.name, s.labels.quantile ?? null])).toEqual([
      ['consul_dataplane_connect_duration', '0.5'],
      ['consul_dataplane_connect_duration', '0.9'],
      ['consul_dataplane_connect_duration', '0.99'],
      ['consul_dataplane_connect_duration_sum', null],
      ['consul_dataplane_connect_duration_count', null],
    ]);
    expect(connect.samples[3].value).toBe(321.85443115234375);
    expect(only(parsed.samples('consul_dataplane_go_gc_duration_seconds').filter((s) => s.labels.quantile === '0')).value).toBe(2.194e-5);
  });
});
