import {describe, expect, it} from 'vitest';
import {decodeJsonTraceRequest} from '../../src/tracing/otlp/decode-json.js';
import {decodeProtobufTraceRequest} from '../../src/tracing/otlp/decode-protobuf.js';
import {OtlpDecodeError} from '../../src/tracing/otlp/errors.js';
import {CHILD, RESOURCE, RICH_ATTRIBUTES_DECODED, ROOT, SCOPE} from './helpers/rich-span.js';
import {jsonRequest, protobufRequest} from './helpers/sdk-spans.js';

const utf8 = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function request(spans: unknown[], rawNumbers: Record<string, string> = {}) {
  let text = JSON.stringify({resourceSpans: [{resource: {attributes: []}, scopeSpans: [{scope: {name: 's'}, spans}]}]});
  // Numbers JavaScript cannot hold go in as placeholders and are swapped for their digits.
  for (const [placeholder, digits] of Object.entries(rawNumbers)) text = text.replace(`"${placeholder}"`, digits);
  return utf8(text);
}

const T = '5b8efff798038103d269b633813fc60c';
const S = 'eee19b7ec3c1b174';

describe('decodeJsonTraceRequest on JsonTraceSerializer output', () => {
  it('decodes to exactly what the protobuf of the same spans decodes to', () => {
    const fromJson = decodeJsonTraceRequest(jsonRequest(RESOURCE, SCOPE, [ROOT, CHILD]));
    const fromProtobuf = decodeProtobufTraceRequest(protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]));
    expect(fromJson.rejectedSpans).toBe(0);
    // The JS serializer writes int64 as a JSON number: 2^60 goes out as the digits of its
    // shortest double form, 1152921504606847000, and that exact value is what was sent.
    const sent = RICH_ATTRIBUTES_DECODED.map((kv) => (kv.key === 'big' ? {key: 'big', value: {type: 'int', value: 1152921504606847000n}} : kv));
    expect(fromJson.spans[0].attributes).toEqual(sent);
    fromJson.spans[0].attributes = fromProtobuf.spans[0].attributes;
    expect(fromJson.spans).toEqual(fromProtobuf.spans);
  });
});

describe('decodeJsonTraceRequest tolerance', () => {
  it('takes hex ids in any case, base64 ids, int64 as strings or numbers, and enum names', () => {
    const result = decodeJsonTraceRequest(
      request([
        {
          traceId: T.toUpperCase(),
          spanId: Buffer.from(S, 'hex').toString('base64'),
          parentSpanId: Buffer.from('0102030405060708', 'hex').toString('base64').replace(/=+$/, ''),
          name: 'n',
          kind: 'SPAN_KIND_CLIENT',
          startTimeUnixNano: 'START',
          endTimeUnixNano: '1700000000999999999',
          status: {code: 'STATUS_CODE_ERROR', message: 'bad'},
          attributes: [
            {key: 'n', value: {intValue: 'BIG'}},
            {key: 's', value: {intValue: '-9223372036854775808'}},
            {key: 'd', value: {doubleValue: 'NaN'}},
            {key: 'e', value: {}},
          ],
        },
      ], {START: '1700000000123456789', BIG: '9007199254740993'}),
    );
    expect(result.errors).toEqual([]);
    const [span] = result.spans;
    expect(span.traceId).toBe(T);
    expect(span.spanId).toBe(S);
    expect(span.parentSpanId).toBe('0102030405060708');
    expect(span.kind).toBe(3);
    // Given as a bare JSON number: must not be rounded to a double on the way.
    expect(span.startTimeUnixNano).toBe(1700000000123456789n);
    expect(span.endTimeUnixNano).toBe(1700000000999999999n);
    expect(span.status).toEqual({code: 2, message: 'bad'});
    expect(span.attributes).toEqual([
      {key: 'n', value: {type: 'int', value: 9007199254740993n}},
      {key: 's', value: {type: 'int', value: -9223372036854775808n}},
      {key: 'd', value: {type: 'double', value: NaN}},
      {key: 'e', value: {type: 'empty'}},
    ]);
  });

  it('takes snake_case field names, ignores unknown keys and nulls', () => {
    const body = utf8({
      resource_spans: [
        {
          resource: {attributes: [{key: 'service.name', value: {string_value: 'x'}}], dropped_attributes_count: 2},
          scope_spans: [{scope: {name: 's', future: 1}, spans: [{trace_id: T, span_id: S, name: 'snake', start_time_unix_nano: '5', unknown: {a: 1}, links: null}]}],
          schema_url: 'u',
        },
      ],
      something_new: true,
    });
    const [span] = decodeJsonTraceRequest(body).spans;
    expect(span.name).toBe('snake');
    expect(span.startTimeUnixNano).toBe(5n);
    expect(span.links).toEqual([]);
    expect(span.resource).toEqual({attributes: [{key: 'service.name', value: {type: 'string', value: 'x'}}], droppedAttributesCount: 2, schemaUrl: 'u'});
  });
});

describe('decodeJsonTraceRequest errors', () => {
  it('rejects bad spans one by one and says why', () => {
    const result = decodeJsonTraceRequest(
      request([
        {traceId: T, spanId: S, name: 'ok'},
        {traceId: 'abcd', spanId: S},
        {traceId: T, spanId: S, kind: 'server'},
        {traceId: T, spanId: S, startTimeUnixNano: '-1'},
        {traceId: T, spanId: S, attributes: [{key: 'k', value: {intValue: '1.5'}}]},
        {spanId: S},
      ]),
    );
    expect(result.spans.map((s) => s.name)).toEqual(['ok']);
    expect(result.errors).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 32 hex digits, got "abcd"',
      'resourceSpans[0].scopeSpans[0].spans[2]: kind: expected an integer, got "server"',
      'resourceSpans[0].scopeSpans[0].spans[3]: startTimeUnixNano: -1 is out of range',
      'resourceSpans[0].scopeSpans[0].spans[4]: attributes[0].value of "k": intValue: expected an integer, got "1.5"',
      'resourceSpans[0].scopeSpans[0].spans[5]: traceId is missing',
    ]);
    expect(result.rejectedSpans).toBe(5);
  });

  it('rejects the spans under a bad resource only', () => {
    const body = utf8({
      resourceSpans: [
        {resource: {attributes: 'nope'}, scopeSpans: [{spans: [{traceId: T, spanId: S}, {traceId: T, spanId: S}]}]},
        {scopeSpans: [{spans: [{traceId: T, spanId: S, name: 'kept'}]}]},
      ],
    });
    const result = decodeJsonTraceRequest(body);
    expect(result.spans.map((s) => s.name)).toEqual(['kept']);
    expect(result.rejectedSpans).toBe(2);
    expect(result.errors).toEqual(['resourceSpans[0].resource: attributes: expected an array, got "nope" (2 spans rejected)']);
  });

  it('fails the whole request on invalid JSON, invalid UTF-8 or a malformed envelope', () => {
    expect(() => decodeJsonTraceRequest(utf8('{"resourceSpans": ['))).toThrow(OtlpDecodeError);
    expect(() => decodeJsonTraceRequest(Uint8Array.from([0x7b, 0xff, 0x7d]))).toThrow('not valid UTF-8');
    expect(() => decodeJsonTraceRequest(utf8('[]'))).toThrow('must be an object');
    expect(() => decodeJsonTraceRequest(utf8({resourceSpans: {}}))).toThrow('resourceSpans: expected an array, got an object');
    expect(() => decodeJsonTraceRequest(utf8({resourceSpans: [{scopeSpans: [{spans: 5}]}]}))).toThrow(
      'resourceSpans[0].scopeSpans[0]: spans: expected an array, got 5',
    );
  });

  it('accepts an empty request', () => {
    expect(decodeJsonTraceRequest(utf8({}))).toEqual({spans: [], rejectedSpans: 0, errors: []});
  });
});
