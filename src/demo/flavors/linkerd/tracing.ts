import type {PodInfo} from '../../mesh/pod.js';
import type {HeaderList} from '../../sidecar/headers.js';
import {getHeader} from '../../sidecar/headers.js';
import type {ExchangeResult, RequestInfo} from '../../sidecar/plugin.js';
import {extractContext, injectContext, newSpanId, type TraceContext} from '../../tracing/context.js';
import type {SpanExporter} from '../../tracing/exporter.js';
import type {Attributes, SpanResource} from '../../tracing/span.js';

/**
 * Spans as linkerd2-proxy emits them (linkerd/trace-context): only when the request carries a
 * sampled context and a collector is configured; a SERVER and a CLIENT span per proxy and
 * direction, named after the path, with OTel semantic-convention HTTP attributes.
 */
export class LinkerdTracing {
  private readonly resource: SpanResource;

  constructor(
    pod: PodInfo,
    private readonly exporter: SpanExporter | null,
    processStartEpochSec: number,
  ) {
    this.resource = {
      attributes: {
        'service.name': pod.workload,
        'process.pid': process.pid,
        'process.start_timestamp': processStartEpochSec,
        'host.name': pod.name,
      },
    };
  }

  /** Begin tracing one request if its context asks for it; null when the proxy would not. */
  begin(info: RequestInfo): LinkerdRequestTrace | null {
    if (!this.exporter) return null;
    const context = extractContext(info.headers);
    if (!context || !context.sampled) return null;
    return new LinkerdRequestTrace(info, context, this.exporter, this.resource);
  }
}

export class LinkerdRequestTrace {
  private readonly serverSpanId = newSpanId();
  private readonly clientSpanId = newSpanId();

  constructor(
    private readonly info: RequestInfo,
    private readonly context: TraceContext,
    private readonly exporter: SpanExporter,
    private readonly resource: SpanResource,
  ) {}

  /** The next hop's parent is this proxy's client span. */
  forward(headers: HeaderList): void {
    injectContext(headers, {...this.context, spanId: this.clientSpanId});
  }

  complete(result: ExchangeResult): void {
    const {info} = this;
    const epoch = (ms: number) => performance.timeOrigin + ms;
    const attributes = this.attributes(result);
    const scope = {name: 'linkerd-proxy'};
    const name = info.path.split('?')[0];
    this.exporter.export({
      traceId: this.context.traceId,
      spanId: this.serverSpanId,
      parentSpanId: this.context.spanId,
      name,
      kind: 'server',
      startEpochMs: info.startEpochMs,
      endEpochMs: epoch(result.endMs),
      attributes,
      resource: this.resource,
      scope,
    });
    if (result.upstreamStartMs !== null) {
      this.exporter.export({
        traceId: this.context.traceId,
        spanId: this.clientSpanId,
        parentSpanId: this.serverSpanId,
        name,
        kind: 'client',
        startEpochMs: epoch(result.upstreamStartMs),
        endEpochMs: epoch(result.endMs),
        attributes,
        resource: this.resource,
        scope,
      });
    }
  }

  private attributes(result: ExchangeResult): Attributes {
    const {info} = this;
    const [path, query] = splitQuery(info.path);
    const [host, port] = splitAuthority(info.authority);
    const attributes: Attributes = {
      direction: info.direction,
      'http.request.method': info.method,
      'url.scheme': 'http',
      'url.path': path,
      'url.full': `http://${info.authority}${info.path}`,
      'network.transport': 'tcp',
      'server.address': host,
    };
    if (query !== null) attributes['url.query'] = query;
    if (port !== null) attributes['server.port'] = port;
    const agent = getHeader(info.headers, 'user-agent');
    if (agent !== undefined) attributes['user_agent.original'] = agent;
    for (const name of ['content-length', 'content-type', 'l5d-orig-proto']) {
      const value = getHeader(info.headers, name);
      if (value !== undefined) attributes[`http.request.header.${name}`] = value;
    }
    if (result.status > 0) attributes['http.response.status_code'] = result.status;
    return attributes;
  }
}

function splitQuery(target: string): [string, string | null] {
  const q = target.indexOf('?');
  return q === -1 ? [target, null] : [target.slice(0, q), target.slice(q + 1)];
}

function splitAuthority(authority: string): [string, number | null] {
  const m = /^(.*):(\d+)$/.exec(authority);
  return m ? [m[1], Number(m[2])] : [authority, null];
}
