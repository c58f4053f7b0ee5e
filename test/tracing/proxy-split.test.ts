import {describe, expect, it} from 'vitest';
import {proxySpanInfo, splitHop, unionMs} from '../../src/tracing/proxy-split.js';
import {buildTree, flattenTree} from '../../src/tracing/tree.js';
import {envoyTrace, linkerdTrace, modelSpan, spanId} from './helpers/model-spans.js';
import type {Span} from '../../src/tracing/model.js';

/** The split of every row, keyed by short span id (the id without its zero padding). */
function splits(spans: Span[]) {
  const out: Record<string, ReturnType<typeof splitHop>> = {};
  for (const row of flattenTree(buildTree(spans))) out[row.node.span.spanId.replace(/^0+/, '')] = splitHop(row.node, row.parent);
  return out;
}

describe('proxySpanInfo', () => {
  it('recognizes Linkerd spans by their direction attribute and Envoy spans by component/cluster', () => {
    const [app, outServer, , inServer] = linkerdTrace();
    expect(proxySpanInfo(app)).toBeUndefined();
    expect(proxySpanInfo(outServer)).toEqual({family: 'linkerd', direction: 'outbound'});
    expect(proxySpanInfo(inServer)).toEqual({family: 'linkerd', direction: 'inbound'});
    const [outbound, inbound] = envoyTrace();
    expect(proxySpanInfo(outbound)).toMatchObject({family: 'envoy', direction: 'outbound'});
    expect(proxySpanInfo(inbound)).toMatchObject({family: 'envoy', direction: 'inbound'});
  });

  it('takes an Envoy direction from the kind when cluster names do not say', () => {
    const server = modelSpan({id: '1', kind: 2, start: 0, end: 1, attributes: {component: 'proxy', upstream_cluster: 'books'}});
    const client = modelSpan({id: '2', kind: 3, start: 0, end: 1, attributes: {upstream_cluster: 'books', node_id: 'n'}});
    expect(proxySpanInfo(server)?.direction).toBe('inbound');
    expect(proxySpanInfo(client)?.direction).toBe('outbound');
  });
});

describe('splitHop on Linkerd-shaped spans', () => {
  const result = splits(linkerdTrace());

  it('outbound proxy: server span minus its client child; no service time (the request leaves)', () => {
    // 80 ms server span (10–90) minus 76 ms client span (12–88).
    expect(result['2']).toEqual({proxyMs: 4, proxyIncludesNetwork: false, serviceMs: undefined, serviceIsUpperBound: false});
  });

  it('inbound proxy: server minus client is the proxy, the client span is the service', () => {
    // 60 ms (20–80) minus 50 ms (25–75); the service took the 50 ms.
    expect(result['4']).toEqual({proxyMs: 10, proxyIncludesNetwork: false, serviceMs: 50, serviceIsUpperBound: false});
  });

  it('puts nothing on the client rows or application rows', () => {
    expect(result['3']).toBeUndefined();
    expect(result['5']).toBeUndefined();
    expect(result['1']).toBeUndefined();
    expect(result['6']).toBeUndefined();
  });

  it('says "?" when the client span never arrived', () => {
    const partial = splits(linkerdTrace().filter((span) => span.spanId !== spanId('5')));
    expect(partial['4']).toEqual({proxyMs: null, proxyIncludesNetwork: false, serviceMs: null, serviceIsUpperBound: false});
  });

  it('subtracts overlapping retries only once', () => {
    const out = {direction: 'outbound'};
    const spans = [
      modelSpan({id: '1', kind: 2, start: 0, end: 100, attributes: out}),
      modelSpan({id: '2', parent: '1', kind: 3, start: 10, end: 50, attributes: out}),
      modelSpan({id: '3', parent: '1', kind: 3, start: 40, end: 90, attributes: out}),
    ];
    // Union of 10–50 and 40–90 is 80 ms.
    expect(splits(spans)['1']?.proxyMs).toBe(20);
  });
});

describe('splitHop on Envoy-shaped spans', () => {
  const result = splits(envoyTrace());

  it('outbound sidecar: minus the callee sidecar span, flagged as including the network', () => {
    expect(result.a).toEqual({proxyMs: 20, proxyIncludesNetwork: true, serviceMs: undefined, serviceIsUpperBound: false});
    expect(result.c).toEqual({proxyMs: 10, proxyIncludesNetwork: true, serviceMs: undefined, serviceIsUpperBound: false});
  });

  it('inbound sidecar of an uninstrumented service: proxy "?", service at most the whole span', () => {
    // books' own outbound call (same node_id) is not mistaken for a forward of the request.
    expect(result.b).toEqual({proxyMs: null, proxyIncludesNetwork: false, serviceMs: 80, serviceIsUpperBound: true});
  });

  it('inbound sidecar with an application span below: exact service and sidecar times', () => {
    expect(result.d).toEqual({proxyMs: 10, proxyIncludesNetwork: false, serviceMs: 20, serviceIsUpperBound: false});
    expect(result.e).toBeUndefined();
  });

  it('outbound sidecar whose callee span is missing: "?"', () => {
    const partial = splits(envoyTrace().filter((span) => span.spanId !== spanId('b')));
    expect(partial.a).toEqual({proxyMs: null, proxyIncludesNetwork: true, serviceMs: undefined, serviceIsUpperBound: false});
  });

  it('upstream spans of the same sidecar (spawn_upstream_span) act like Linkerd client spans', () => {
    const sidecar = {component: 'proxy', node_id: 'n1', upstream_cluster: 'inbound|80||'};
    const spans = [
      modelSpan({id: '1', kind: 2, start: 0, end: 40, attributes: sidecar}),
      modelSpan({id: '2', parent: '1', kind: 3, start: 5, end: 35, attributes: sidecar}),
    ];
    expect(splits(spans)['1']).toEqual({proxyMs: 10, proxyIncludesNetwork: false, serviceMs: 30, serviceIsUpperBound: false});
    expect(splits(spans)['2']).toBeUndefined();
  });
});

describe('unionMs', () => {
  it('clips children to the parent interval', () => {
    const parent = modelSpan({id: '1', start: 10, end: 20});
    const child = {span: modelSpan({id: '2', start: 0, end: 15}), children: [], orphan: false};
    const late = {span: modelSpan({id: '3', start: 18, end: 30}), children: [], orphan: false};
    expect(unionMs(parent, [child, late])).toBe(7);
    expect(unionMs(parent, [])).toBe(0);
  });
});
