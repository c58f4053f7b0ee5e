import type {PodInfo} from '../../mesh/pod.js';
import {getHeader, setHeader, type HeaderList} from '../../sidecar/headers.js';
import type {ExchangeResult, RequestInfo} from '../../sidecar/plugin.js';
import {serviceAuthority} from '../../topology.js';
import {extractContext, newSpanId, newTraceId} from '../../tracing/context.js';
import type {SpanExporter} from '../../tracing/exporter.js';
import type {SpanResource} from '../../tracing/span.js';
import {CLUSTER_ID, MESH_ID, nodeId} from './metadata.js';
import type {FractionalPercent, LayeredRuntime} from './runtime.js';

/**
 * What the connection managers are configured with. Istio's configureSampling sets client and
 * overall sampling to 100 % and random sampling to the mesh's tracing percentage; the demo
 * mesh is configured with 0 % (as `meshConfig.defaultConfig.tracing.sampling: 0` would), so
 * sidecars start no trace until `meshctl trace enable` raises `tracing.random_sampling`.
 */
export const HCM_SAMPLING = {
  client: {numerator: 100, denominator: 'HUNDRED'} as FractionalPercent,
  random: {numerator: 0, denominator: 'TEN_THOUSAND'} as FractionalPercent,
  overall: {numerator: 100, denominator: 'HUNDRED'} as FractionalPercent,
};

/**
 * Tracing as an Istio sidecar's connection managers do it: a request that arrives with a trace
 * context keeps its sampling decision; one without gets a decision here, from the runtime
 * (`tracing.random_sampling` etc., so `/runtime_modify` changes it live). One span per sidecar
 * per request: SERVER on inbound, CLIENT on outbound, with Envoy's and Istio's tags.
 */
export class IstioTracing {
  private readonly resource: SpanResource;

  constructor(
    private readonly pod: PodInfo,
    private readonly exporter: SpanExporter | null,
    private readonly runtime: LayeredRuntime,
    private readonly random: () => number = () => Math.floor(Math.random() * 10_000),
  ) {
    this.resource = {attributes: {'service.name': `${pod.workload}.${pod.namespace}`}};
  }

  begin(info: RequestInfo): IstioRequestTrace | null {
    if (!this.exporter) return null;
    const parent = extractContext(info.headers);
    const rt = this.runtime;
    const roll = this.random();
    let sampled: boolean;
    if (parent) sampled = parent.sampled;
    else if (getHeader(info.headers, 'x-client-trace-id') !== undefined && rt.featureEnabled('tracing.client_enabled', HCM_SAMPLING.client, roll)) sampled = true;
    else if (getHeader(info.headers, 'x-envoy-force-trace') !== undefined) sampled = true;
    else sampled = rt.featureEnabled('tracing.random_sampling', HCM_SAMPLING.random, roll);
    if (!rt.featureEnabled('tracing.global_enabled', HCM_SAMPLING.overall, roll)) sampled = false;
    return new IstioRequestTrace(this.pod, info, this.exporter, this.resource, {
      traceId: parent?.traceId ?? newTraceId(),
      parentSpanId: parent?.spanId ?? null,
      spanId: newSpanId(),
      sampled,
    });
  }
}

export class IstioRequestTrace {
  constructor(
    private readonly pod: PodInfo,
    private readonly info: RequestInfo,
    private readonly exporter: SpanExporter,
    private readonly resource: SpanResource,
    private readonly span: {traceId: string; parentSpanId: string | null; spanId: string; sampled: boolean},
  ) {}

  get sampled(): boolean {
    return this.span.sampled;
  }

  /** The OpenTelemetry tracer propagates W3C trace context, sampled or not. */
  forward(headers: HeaderList): void {
    setHeader(headers, 'traceparent', `00-${this.span.traceId}-${this.span.spanId}-0${this.span.sampled ? 1 : 0}`);
  }

  complete(result: ExchangeResult, upstreamCluster: string, responseFlags: string, sizes: {request: number; response: number}): void {
    if (!this.span.sampled) return;
    const {info, pod} = this;
    const operation = info.service ? `${serviceAuthority(info.service)}/*` : `${info.authority}/*`;
    const attributes: Record<string, string> = {
      node_id: nodeId(pod),
      zone: '',
      'guid:x-request-id': getHeader(info.headers, 'x-request-id') ?? '',
      'http.url': `http://${info.authority}${info.path}`,
      'http.method': info.method,
      downstream_cluster: '-',
      user_agent: getHeader(info.headers, 'user-agent') ?? '-',
      'http.protocol': 'HTTP/1.1',
      'peer.address': info.client?.host ?? '',
      request_size: String(sizes.request),
      response_size: String(sizes.response),
      component: 'proxy',
      upstream_cluster: upstreamCluster,
      'upstream_cluster.name': upstreamCluster,
      'http.status_code': String(result.status),
      response_flags: responseFlags,
      'istio.canonical_revision': pod.version,
      'istio.canonical_service': pod.workload,
      'istio.mesh_id': MESH_ID,
      'istio.namespace': pod.namespace,
      'istio.cluster_id': CLUSTER_ID,
    };
    if (result.status === 0 || result.status >= 500) attributes.error = 'true';
    this.exporter.export({
      traceId: this.span.traceId,
      spanId: this.span.spanId,
      parentSpanId: this.span.parentSpanId,
      name: operation,
      kind: info.direction === 'inbound' ? 'server' : 'client',
      startEpochMs: info.startEpochMs,
      endEpochMs: performance.timeOrigin + result.endMs,
      attributes,
      resource: this.resource,
      scope: {name: 'envoy'},
    });
  }
}
