import {describe, expect, it} from 'vitest';
import {summarizeTracing} from '../../../src/tracing/toggles/configured-tracing.js';
import {parseBootstrapTracer, parseListenerTracing, type ManagerTracing} from '../../../src/tracing/toggles/envoy-config.js';
import {tracerOf} from '../../../src/tracing/toggles/envoy-tracer.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../../helpers/fixtures.js';

const dump = (name: string) => JSON.parse(readSharedFixture(`envoy/${name}`)) as {configs: Array<Record<string, unknown>>};

function managers(json: unknown): ManagerTracing[] {
  const parsed = parseListenerTracing(json);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value.managers;
}

const brief = (m: ManagerTracing) => [m.listener, m.statPrefix, m.traced, m.client, m.random, m.overall];

describe.skipIf(!HAVE_SHARED_FIXTURES)('connection manager tracing in real /config_dump captures', () => {
  it('Istio sidecar: the inbound manager samples 1 % at random, 100 % client and overall, with no provider', () => {
    const found = managers(dump('istio-sidecar.config_dump.json'));
    // connect_terminate has a manager without a tracing block; connect_originate is tcp_proxy only.
    expect(found.map(brief)).toEqual([
      ['connect_terminate', 'connect_terminate', false, 0, 0, 0],
      ['main_internal', 'inbound_0.0.0.0_9080', true, 1_000_000, 10_000, 1_000_000],
    ]);
    expect(found.every((m) => m.tracer === null)).toBe(true);
  });

  it('Istio waypoint: the static agent listener untraced, three inbound managers at 100 %', () => {
    const found = managers(dump('istio-waypoint.config_dump.include_eds.json'));
    expect(found.map(brief)).toEqual([
      ['', 'agent', false, 0, 0, 0],
      ['main_internal', 'inbound_0.0.0.0_8000', true, 1_000_000, 1_000_000, 1_000_000],
      ['main_internal', 'inbound_0.0.0.0_8100', true, 1_000_000, 1_000_000, 1_000_000],
      ['main_internal', 'inbound_0.0.0.0_0', true, 1_000_000, 1_000_000, 1_000_000],
    ]);
  });

  it('Consul: `random_sampling: {}` is 0 % (protobuf JSON leaves a zero value out); absent fields are 100 %', () => {
    const found = managers(dump('consul.config_dump.include_eds.json'));
    expect(found.map(brief)).toEqual([['public_listener:192.168.69.179:20000', 'public_listener', true, 1_000_000, 0, 1_000_000]]);
  });

  it('reads the bootstrap dumps: neither the Consul nor the waypoint bootstrap configures a tracer', () => {
    for (const name of ['consul.config_dump.include_eds.json', 'istio-waypoint.config_dump.include_eds.json']) {
      expect(parseBootstrapTracer(dump(name))).toEqual({ok: true, value: null});
    }
    expect(parseBootstrapTracer(dump('istio-sidecar.config_dump.json'))).toMatchObject({ok: false, message: /no BootstrapConfigDump/});
  });

  it('reads `?resource=dynamic_listeners` answers, one DynamicListener per config, like the whole dump', () => {
    const whole = dump('istio-sidecar.config_dump.json');
    const listeners = whole.configs.find((c) => String(c['@type']).endsWith('ListenersConfigDump'))!;
    const perResource = {
      configs: (listeners.dynamic_listeners as object[]).map((l) => ({'@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump.DynamicListener', ...l})),
    };
    const parsed = parseListenerTracing(perResource);
    expect(parsed.ok && parsed.value.whole).toBe(false);
    expect(managers(perResource)).toEqual(managers(whole));
  });

  it('sums a proxy up: rates over the traced managers only, tracer unknown without the bootstrap', () => {
    const summary = summarizeTracing(managers(dump('istio-sidecar.config_dump.json')), undefined);
    expect(summary).toEqual({managers: 2, traced: 1, tracers: [], withoutTracer: 0, tracerUnknown: 1, random: [10_000], client: [1_000_000], overall: [1_000_000]});
    expect(summarizeTracing(managers(dump('consul.config_dump.include_eds.json')), null)).toMatchObject({withoutTracer: 1, tracerUnknown: 0, random: [0]});
  });
});

describe('malformed /config_dump answers', () => {
  it.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    [{}, /no "configs" list/],
    [{configs: 'x'}, /no "configs" list/],
    [{configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump'}]}, /no ListenersConfigDump/],
  ])('%j is refused with a reason', (json, reason) => {
    expect(parseListenerTracing(json)).toMatchObject({ok: false, message: expect.stringMatching(reason)});
  });

  it('an empty `?resource=` answer means no listeners of that kind', () => {
    expect(parseListenerTracing({configs: []})).toEqual({ok: true, value: {managers: [], whole: false}});
  });

  it('skips listener parts of the wrong shape instead of failing', () => {
    const json = {
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
          static_listeners: [{listener: {name: 'a', filter_chains: 'nope'}}, 7],
          dynamic_listeners: [{name: 'b', warming_state: {listener: {}}}],
        },
      ],
    };
    expect(parseListenerTracing(json)).toEqual({ok: true, value: {managers: [], whole: true}});
  });
});

describe('tracer providers, in the shapes of envoy.config.trace.v3', () => {
  it('OpenTelemetry over gRPC names the Envoy cluster', () => {
    const tracer = tracerOf({
      name: 'envoy.tracers.opentelemetry',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig',
        grpc_service: {envoy_grpc: {cluster_name: 'outbound|4317||otel-collector.observability.svc.cluster.local'}, timeout: '0.250s'},
        service_name: 'productpage.default',
      },
    });
    expect(tracer).toEqual({
      name: 'envoy.tracers.opentelemetry',
      collector: 'outbound|4317||otel-collector.observability.svc.cluster.local',
      cluster: 'outbound|4317||otel-collector.observability.svc.cluster.local',
      protocol: 'otlp/grpc',
      serviceName: 'productpage.default',
      sampler: null,
    });
  });

  it('OpenTelemetry over HTTP gives the URI, or the cluster plus the path', () => {
    const otlpHttp = (uri: string) => tracerOf({name: 'envoy.tracers.opentelemetry', typed_config: {http_service: {http_uri: {uri, cluster: 'otel', timeout: '2s'}}}});
    expect(otlpHttp('http://127.0.0.1:4318/v1/traces')).toMatchObject({collector: 'http://127.0.0.1:4318/v1/traces', cluster: 'otel', protocol: 'otlp/http'});
    expect(otlpHttp('/v1/traces')).toMatchObject({collector: 'otel/v1/traces', cluster: 'otel'});
  });

  it('an OpenTelemetry sampler extension is reported, since it overrides the rates', () => {
    const tracer = tracerOf({name: 'envoy.tracers.opentelemetry', typed_config: {grpc_service: {google_grpc: {target_uri: 'collector:4317'}}, sampler: {name: 'envoy.tracers.opentelemetry.samplers.always_on'}}});
    expect(tracer).toMatchObject({collector: 'collector:4317', cluster: null, sampler: 'envoy.tracers.opentelemetry.samplers.always_on'});
  });

  it('Zipkin: collector_cluster plus collector_endpoint, and the endpoint version', () => {
    const tracer = tracerOf({
      name: 'envoy.tracers.zipkin',
      typed_config: {'@type': 'type.googleapis.com/envoy.config.trace.v3.ZipkinConfig', collector_cluster: 'zipkin', collector_endpoint: '/api/v2/spans', collector_endpoint_version: 'HTTP_JSON'},
    });
    expect(tracer).toMatchObject({collector: 'zipkin/api/v2/spans', cluster: 'zipkin', protocol: 'zipkin/http_json'});
  });

  it('Datadog: collector_cluster and service_name', () => {
    const tracer = tracerOf({name: 'envoy.tracers.datadog', typed_config: {'@type': 'type.googleapis.com/envoy.config.trace.v3.DatadogConfig', collector_cluster: 'datadog_agent', service_name: 'front'}});
    expect(tracer).toMatchObject({name: 'envoy.tracers.datadog', collector: 'datadog_agent', cluster: 'datadog_agent', serviceName: 'front', protocol: null});
  });

  it('a provider without a name is named after its type; no provider is null', () => {
    expect(tracerOf({typed_config: {'@type': 'type.googleapis.com/envoy.config.trace.v3.DatadogConfig', collector_cluster: 'dd'}})?.name).toBe('envoy.config.trace.v3.DatadogConfig');
    expect(tracerOf(undefined)).toBeNull();
  });

  it('a connection manager with a provider and fractional rates', () => {
    const json = {
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump.StaticListener',
          listener: {
            name: 'ingress',
            default_filter_chain: {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'ingress_http',
                    tracing: {random_sampling: {value: 0.25}, client_sampling: {value: 50.7}, provider: {name: 'envoy.tracers.zipkin', typed_config: {collector_cluster: 'z', collector_endpoint: '/s'}}},
                  },
                },
              ],
            },
          },
        },
      ],
    };
    const [manager] = managers(json);
    // client: int(50.7) = 50 of HUNDRED; random: round(0.25 * 100) = 25 of TEN_THOUSAND.
    expect([manager.listener, manager.client, manager.random, manager.overall, manager.tracer?.collector]).toEqual(['ingress', 500_000, 2_500, 1_000_000, 'z/s']);
  });
});
