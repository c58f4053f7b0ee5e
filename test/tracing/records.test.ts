import {describe, expect, it} from 'vitest';
import {decodeProtobufTraceRequest} from '../../src/tracing/otlp/decode-protobuf.js';
import {anyValueToJson, ndjsonLine, spanRecord, traceRecord} from '../../src/tracing/render/records.js';
import {summarizeTrace} from '../../src/tracing/summary.js';
import {envoyTrace, linkerdTrace, modelSpan, TRACE_A} from './helpers/model-spans.js';
import {CHILD, RESOURCE, ROOT, SCOPE} from './helpers/rich-span.js';
import {protobufRequest} from './helpers/sdk-spans.js';

describe('NDJSON span records', () => {
  const [root] = decodeProtobufTraceRequest(protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD])).spans;
  const record = JSON.parse(ndjsonLine(spanRecord(root)));

  it('is flat, with hex ids, exact nanosecond strings and duration_ms', () => {
    expect(record).toMatchObject({
      type: 'span',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      parent_span_id: null,
      name: 'GET /books',
      kind: 'SERVER',
      service: 'books',
      start_time: '2023-11-14T22:13:20.123Z',
      start_time_unix_nano: '1700000000123456789',
      end_time_unix_nano: '1700000000223456789',
      duration_ms: 100,
      status_code: 'ERROR',
      status_message: 'boom',
      trace_state: 'congo=t61rcWkgMzE',
      flags: 0x101,
      dropped_attributes_count: 3,
      dropped_events_count: 4,
      dropped_links_count: 5,
      resource_schema_url: 'https://opentelemetry.io/schemas/1.24.0',
      scope_name: 'meshctl-test',
      scope_version: '0.9.0',
      scope_attributes: {'scope.flag': true},
      scope_dropped_attributes_count: 2,
    });
  });

  it('maps attribute values to natural JSON', () => {
    expect(record.attributes).toEqual({
      str: 'hello',
      bool: true,
      int: 42,
      negative: -7,
      big: '1152921504606846976',
      double: 3.25,
      bytes: 'AP8Q',
      array: ['a', 1, true, 2.5],
      kvlist: {inner: 'x', n: 5, nested: {deep: [1, 2]}},
      empty_array: [],
      unicode: 'ünï ✓ 🚀',
    });
    expect(anyValueToJson({type: 'empty'})).toBeNull();
    expect(anyValueToJson({type: 'double', value: Infinity})).toBe('Infinity');
  });

  it('writes events and links with their own attributes', () => {
    expect(record.events).toEqual([{name: 'cache miss', time_unix_nano: '1700000000150000001', attributes: {'cache.key': 'k1'}, dropped_attributes_count: 1}]);
    expect(record.links).toEqual([
      {trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_state: 'vendor=a', flags: 0x301, attributes: {why: 'batch'}, dropped_attributes_count: 6},
    ]);
  });

  it('escapes characters that could steer a terminal, and the JSON still decodes to the original', () => {
    const hostile = modelSpan({id: '1', name: 'a\u001b[31m\u009b\u202eb', start: 0, end: 1});
    const line = ndjsonLine(spanRecord(hostile));
    expect(line).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(line).name).toBe('a\u001b[31m\u009b\u202eb');
  });

  it('keeps a key named __proto__ as data', () => {
    const span = modelSpan({id: '1', start: 0, end: 1, attributes: JSON.parse('{"__proto__":"x"}')});
    const line = ndjsonLine(spanRecord(span));
    expect(line).toContain('"attributes":{"__proto__":"x"}');
  });
});

describe('NDJSON trace records', () => {
  it('carry the summary and the proxy split of each proxy hop', () => {
    const spans = linkerdTrace();
    const record = JSON.parse(ndjsonLine(traceRecord({spans, droppedSpans: 0, revision: 0, reason: 'idle'}, summarizeTrace(TRACE_A, spans))));
    expect(record).toMatchObject({type: 'trace', trace_id: TRACE_A, root_name: 'GET /books', root_service: 'webapp', span_count: 6, duration_ms: 100, complete_reason: 'idle'});
    expect(record.services).toEqual(['webapp', 'linkerd-proxy', 'books']);
    expect(record.hops).toEqual([
      expect.objectContaining({span_id: '0000000000000002', direction: 'outbound', duration_ms: 80, proxy_ms: 4, service_ms: null, service_ms_applies: false}),
      expect.objectContaining({span_id: '0000000000000004', direction: 'inbound', duration_ms: 60, proxy_ms: 10, service_ms: 50, service_ms_applies: true}),
    ]);
  });

  it('mark what cannot be told as null and upper bounds as such', () => {
    const spans = envoyTrace();
    const record = JSON.parse(ndjsonLine(traceRecord({spans, droppedSpans: 0, revision: 0, reason: 'idle'}, summarizeTrace(TRACE_A, spans))));
    expect(record.hops.find((hop: {span_id: string}) => hop.span_id.endsWith('b'))).toMatchObject({
      proxy: 'envoy',
      proxy_ms: null,
      service_ms: 80,
      service_ms_is_upper_bound: true,
    });
  });
});
