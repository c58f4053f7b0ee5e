import type {Resource, Span} from '../../../src/tracing/model.js';

/** Spans in meshctl's model, built directly, for assembly, tree, split and rendering tests. */

const BASE_NANOS = 1_700_000_000_000_000_000n;
const resources = new Map<string, Resource>();

function resourceFor(service: string): Resource {
  let resource = resources.get(service);
  if (!resource) {
    resource = {attributes: [{key: 'service.name', value: {type: 'string', value: service}}], droppedAttributesCount: 0, schemaUrl: ''};
    resources.set(service, resource);
  }
  return resource;
}

export interface ModelSpanSpec {
  trace?: string;
  id: string;
  parent?: string;
  name?: string;
  /** OTLP kind: 1 internal, 2 server, 3 client. */
  kind?: number;
  /** Milliseconds after a fixed base time. */
  start: number;
  end: number;
  service?: string;
  attributes?: Record<string, string>;
  error?: boolean;
}

export const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** Span ids are padded to 16 hex digits: `id: '1'` becomes `0000000000000001`. */
export function spanId(short: string): string {
  return short.padStart(16, '0');
}

export function modelSpan(spec: ModelSpanSpec): Span {
  return {
    traceId: spec.trace ?? TRACE_A,
    spanId: spanId(spec.id),
    parentSpanId: spec.parent ? spanId(spec.parent) : '',
    traceState: '',
    flags: 1,
    name: spec.name ?? `span ${spec.id}`,
    kind: spec.kind ?? 1,
    startTimeUnixNano: BASE_NANOS + BigInt(Math.round(spec.start * 1e6)),
    endTimeUnixNano: BASE_NANOS + BigInt(Math.round(spec.end * 1e6)),
    attributes: Object.entries(spec.attributes ?? {}).map(([key, value]) => ({key, value: {type: 'string', value}})),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: {code: spec.error ? 2 : 0, message: spec.error ? 'failed' : ''},
    resource: resourceFor(spec.service ?? 'app'),
    scope: {name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: ''},
  };
}

/**
 * One request webapp → books through Linkerd proxies, shaped like linkerd2-proxy's spans:
 * SERVER and CLIENT span per proxy and direction, name = path, `direction` attribute.
 * Times (ms): webapp app 0–100; its outbound proxy server 10–90, client 12–88;
 * books' inbound proxy server 20–80, client 25–75; books app 26–74.
 */
export function linkerdTrace(): Span[] {
  const out = {direction: 'outbound'};
  const inb = {direction: 'inbound'};
  return [
    modelSpan({id: '1', name: 'GET /books', kind: 2, start: 0, end: 100, service: 'webapp'}),
    modelSpan({id: '2', parent: '1', name: '/books', kind: 2, start: 10, end: 90, service: 'linkerd-proxy', attributes: out}),
    modelSpan({id: '3', parent: '2', name: '/books', kind: 3, start: 12, end: 88, service: 'linkerd-proxy', attributes: out}),
    modelSpan({id: '4', parent: '3', name: '/books', kind: 2, start: 20, end: 80, service: 'linkerd-proxy', attributes: inb}),
    modelSpan({id: '5', parent: '4', name: '/books', kind: 3, start: 25, end: 75, service: 'linkerd-proxy', attributes: inb}),
    modelSpan({id: '6', parent: '5', name: 'list books', kind: 2, start: 26, end: 74, service: 'books'}),
  ];
}

/**
 * The same request through Istio sidecars, shaped like Envoy's HCM spans: one span per
 * sidecar (CLIENT outbound, SERVER inbound), `component: proxy`, `upstream_cluster`,
 * `node_id`; books calls authors through its own sidecar without instrumenting itself.
 * Times (ms): webapp outbound 0–100; books inbound 10–90; books → authors outbound 30–70;
 * authors inbound 35–65 with an app span 40–60.
 */
export function envoyTrace(): Span[] {
  const sidecar = (node: string, cluster: string) => ({component: 'proxy', node_id: node, upstream_cluster: cluster});
  const webapp = 'sidecar~10.0.0.1~webapp-1.default~default.svc.cluster.local';
  const books = 'sidecar~10.0.0.2~books-1.default~default.svc.cluster.local';
  const authors = 'sidecar~10.0.0.3~authors-1.default~default.svc.cluster.local';
  return [
    modelSpan({id: 'a', name: 'books.default.svc.cluster.local:7002/*', kind: 3, start: 0, end: 100, service: 'webapp.default', attributes: sidecar(webapp, 'outbound|7002||books.default.svc.cluster.local')}),
    modelSpan({id: 'b', parent: 'a', name: 'books.default.svc.cluster.local:7002/*', kind: 2, start: 10, end: 90, service: 'books.default', attributes: sidecar(books, 'inbound|7002||')}),
    modelSpan({id: 'c', parent: 'b', name: 'authors.default.svc.cluster.local:7001/*', kind: 3, start: 30, end: 70, service: 'books.default', attributes: sidecar(books, 'outbound|7001||authors.default.svc.cluster.local')}),
    modelSpan({id: 'd', parent: 'c', name: 'authors.default.svc.cluster.local:7001/*', kind: 2, start: 35, end: 65, service: 'authors.default', attributes: sidecar(authors, 'inbound|7001||')}),
    modelSpan({id: 'e', parent: 'd', name: 'GET /authors', kind: 2, start: 40, end: 60, service: 'authors'}),
  ];
}
