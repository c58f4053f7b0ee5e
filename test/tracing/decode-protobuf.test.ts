import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {decodeProtobufTraceRequest} from '../../src/tracing/otlp/decode-protobuf.js';
import {OtlpDecodeError} from '../../src/tracing/otlp/errors.js';
import {MAX_VALUE_DEPTH} from '../../src/tracing/otlp/proto-values.js';
import {
  bytes,
  bytesField,
  fixed64Field,
  hexBytes,
  messageField,
  requestWithSpans,
  spanBody,
  stringField,
  tag,
  varintField,
} from './helpers/proto-bytes.js';
import {CHILD, CHILD_ID, LINKED_SPAN, LINKED_TRACE, RESOURCE, RICH_ATTRIBUTES_DECODED, ROOT, ROOT_ID, SCOPE, TRACE_ID} from './helpers/rich-span.js';
import {nanos, protobufRequest} from './helpers/sdk-spans.js';

const T = '0102030405060708090a0b0c0d0e0f10';
const S = 'a1a2a3a4a5a6a7a8';

describe('decodeProtobufTraceRequest on ProtobufTraceSerializer output', () => {
  const result = decodeProtobufTraceRequest(protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]));
  const [root, child] = result.spans;

  it('accepts every span and rejects none', () => {
    expect(result.rejectedSpans).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.spans).toHaveLength(2);
  });

  it('decodes ids, names, kinds, flags and trace state', () => {
    expect(root).toMatchObject({traceId: TRACE_ID, spanId: ROOT_ID, parentSpanId: '', name: 'GET /books', kind: 2, traceState: 'congo=t61rcWkgMzE'});
    expect(child).toMatchObject({traceId: TRACE_ID, spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'SELECT books', kind: 3});
    // Low 8 bits: W3C flags (sampled); 0x100: "is-remote known"; 0x200: parent is remote.
    expect(root.flags).toBe(0x101);
    expect(child.flags).toBe(0x301);
  });

  it('decodes nanosecond timestamps above 2^53 exactly', () => {
    expect(root.startTimeUnixNano).toBe(nanos(ROOT.start));
    expect(root.endTimeUnixNano).toBe(1700000000223456789n);
  });

  it('decodes every AnyValue variant, nested arrays and kvlists included', () => {
    expect(root.attributes).toEqual(RICH_ATTRIBUTES_DECODED);
    expect(root.droppedAttributesCount).toBe(3);
  });

  it('decodes events, links, dropped counts and status', () => {
    expect(root.events).toEqual([
      {timeUnixNano: 1700000000150000001n, name: 'cache miss', attributes: [{key: 'cache.key', value: {type: 'string', value: 'k1'}}], droppedAttributesCount: 1},
    ]);
    expect(root.droppedEventsCount).toBe(4);
    expect(root.links).toEqual([
      {
        traceId: LINKED_TRACE,
        spanId: LINKED_SPAN,
        traceState: 'vendor=a',
        attributes: [{key: 'why', value: {type: 'string', value: 'batch'}}],
        droppedAttributesCount: 6,
        flags: 0x301,
      },
    ]);
    expect(root.droppedLinksCount).toBe(5);
    expect(root.status).toEqual({code: 2, message: 'boom'});
    expect(child.status).toEqual({code: 1, message: ''});
  });

  it('decodes resource and scope with their schema URLs', () => {
    expect(root.resource).toEqual({
      attributes: [
        {key: 'service.name', value: {type: 'string', value: 'books'}},
        {key: 'service.version', value: {type: 'string', value: '1.2.3'}},
        {key: 'host.cpus', value: {type: 'int', value: 8n}},
      ],
      droppedAttributesCount: 0,
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    });
    expect(root.scope).toEqual({
      name: 'meshctl-test',
      version: '0.9.0',
      attributes: [{key: 'scope.flag', value: {type: 'bool', value: true}}],
      droppedAttributesCount: 2,
      schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
    });
    expect(child.resource).toBe(root.resource);
  });

  it('round-trips random spans from the official serializer', () => {
    const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`)).filter((id) => !/^0+$/.test(id));
    const spanArb = fc.record({
      traceId: hex(32),
      spanId: hex(16),
      name: fc.string(),
      kind: fc.integer({min: 0, max: 4}),
      startSeconds: fc.integer({min: 0, max: 4_000_000_000}),
      startNanos: fc.integer({min: 0, max: 999_999_999}),
      attr: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.double({noNaN: true, noInteger: true})),
    });
    fc.assert(
      fc.property(fc.array(spanArb, {minLength: 1, maxLength: 5}), (specs) => {
        const request = protobufRequest({attributes: {}}, {name: 'p'}, specs.map((spec) => ({
          traceId: spec.traceId,
          spanId: spec.spanId,
          name: spec.name,
          kind: spec.kind,
          start: [spec.startSeconds, spec.startNanos] as [number, number],
          end: [spec.startSeconds + 1, spec.startNanos] as [number, number],
          attributes: {a: spec.attr},
        })));
        const decoded = decodeProtobufTraceRequest(request);
        expect(decoded.rejectedSpans).toBe(0);
        decoded.spans.forEach((span, index) => {
          const spec = specs[index];
          expect(span.traceId).toBe(spec.traceId);
          expect(span.spanId).toBe(spec.spanId);
          expect(span.name).toBe(spec.name);
          expect(span.kind).toBe(spec.kind + 1);
          expect(span.startTimeUnixNano).toBe(nanos([spec.startSeconds, spec.startNanos]));
          const value = span.attributes[0].value;
          if (typeof spec.attr === 'number' && Number.isInteger(spec.attr)) expect(value).toEqual({type: 'int', value: BigInt(spec.attr)});
          else if (typeof spec.attr === 'number') expect(value).toEqual({type: 'double', value: spec.attr});
          else if (typeof spec.attr === 'boolean') expect(value).toEqual({type: 'bool', value: spec.attr});
          else expect(value).toEqual({type: 'string', value: spec.attr});
        });
      }),
      {numRuns: 200},
    );
  });
});

describe('decodeProtobufTraceRequest strictness', () => {
  it('skips unknown fields at every level, groups included', () => {
    const unknown = [...varintField(99, 7), ...stringField(98, 'x'), ...tag(97, 3), ...varintField(1, 1), ...tag(97, 4)];
    const span = spanBody(T, S, stringField(5, 'n'), unknown);
    const request = bytes(unknown, messageField(1, unknown, messageField(2, unknown, bytesField(2, span))));
    const result = decodeProtobufTraceRequest(request);
    expect(result.rejectedSpans).toBe(0);
    expect(result.spans.map((s) => s.name)).toEqual(['n']);
  });

  it('reads the retired instrumentation_library_spans (field 1000) as scope spans', () => {
    const request = bytes(messageField(1, messageField(1000, messageField(1, stringField(1, 'old-envoy')), bytesField(2, spanBody(T, S)))));
    const result = decodeProtobufTraceRequest(request);
    expect(result.spans).toHaveLength(1);
    expect(result.spans[0].scope.name).toBe('old-envoy');
  });

  it('rejects only the bad span and keeps the others (partial success)', () => {
    const good = spanBody(T, S, stringField(5, 'good'));
    const shortTrace = [...bytesField(1, [1, 2, 3]), ...bytesField(2, hexBytes(S))];
    const zeroSpan = spanBody(T, '0000000000000000');
    const truncatedInside = [...spanBody(T, S), ...tag(7, 1), 1, 2];
    const result = decodeProtobufTraceRequest(requestWithSpans(good, shortTrace, zeroSpan, truncatedInside, good));
    expect(result.spans.map((s) => s.name)).toEqual(['good', 'good']);
    expect(result.rejectedSpans).toBe(3);
    expect(result.errors).toEqual([
      'resource_spans[0].scope_spans[0].spans[1]: trace_id must be 16 bytes, got 3',
      'resource_spans[0].scope_spans[0].spans[2]: span_id is all zeros (invalid)',
      'resource_spans[0].scope_spans[0].spans[3]: truncated fixed64 at byte 120',
    ]);
  });

  it('names the attribute path of a bad value', () => {
    const badValue = messageField(9, stringField(1, 'k'), messageField(2, bytesField(1, [0xff])));
    const result = decodeProtobufTraceRequest(requestWithSpans(spanBody(T, S, badValue)));
    expect(result.errors[0]).toMatch(/^resource_spans\[0\]\.scope_spans\[0\]\.spans\[0\]: attributes\[0\]\.value of "k": invalid UTF-8/);
  });

  it('rejects all spans under a resource that does not decode, and only those', () => {
    const badResource = messageField(1, messageField(1, stringField(1, 'k'), [...tag(2, 2), 50]));
    const request = bytes(
      messageField(1, badResource, messageField(2, bytesField(2, spanBody(T, S)), bytesField(2, spanBody(T, S)))),
      messageField(1, messageField(2, bytesField(2, spanBody(T, S, stringField(5, 'kept'))))),
    );
    const result = decodeProtobufTraceRequest(request);
    expect(result.spans.map((s) => s.name)).toEqual(['kept']);
    expect(result.rejectedSpans).toBe(2);
    expect(result.errors[0]).toMatch(/^resource_spans\[0\]\.resource: .*\(2 spans rejected\)$/);
  });

  it('fails the whole request when its framing is broken', () => {
    const good = requestWithSpans(spanBody(T, S));
    expect(() => decodeProtobufTraceRequest(good.subarray(0, good.length - 3))).toThrow(OtlpDecodeError);
    expect(() => decodeProtobufTraceRequest(Uint8Array.from([0x0a, 0x96]))).toThrow('truncated varint at byte 1');
    expect(() => decodeProtobufTraceRequest(bytes(varintField(1, 5)))).toThrow(
      'resource_spans (field 1) has wire type varint, expected length-delimited',
    );
    expect(() => decodeProtobufTraceRequest(bytes(messageField(1, varintField(2, 1))))).toThrow(
      'resource_spans[0]: scope_spans (field 2) has wire type varint',
    );
  });

  it('bounds attribute nesting depth', () => {
    let value = stringField(1, 'leaf');
    for (let depth = 0; depth < MAX_VALUE_DEPTH + 1; depth++) value = messageField(5, messageField(1, value));
    const result = decodeProtobufTraceRequest(requestWithSpans(spanBody(T, S, messageField(9, stringField(1, 'deep'), messageField(2, value)))));
    expect(result.rejectedSpans).toBe(1);
    expect(result.errors[0]).toContain(`nested deeper than ${MAX_VALUE_DEPTH} levels`);
  });

  it('treats an all-zero parent as none and accepts an empty request', () => {
    const result = decodeProtobufTraceRequest(requestWithSpans(spanBody(T, S, bytesField(4, new Array(8).fill(0)), fixed64Field(7, 5n))));
    expect(result.spans[0].parentSpanId).toBe('');
    expect(result.spans[0].startTimeUnixNano).toBe(5n);
    expect(decodeProtobufTraceRequest(new Uint8Array(0))).toEqual({spans: [], rejectedSpans: 0, errors: []});
  });

  it('never throws anything but OtlpDecodeError, whatever the bytes', () => {
    const valid = protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]);
    fc.assert(
      fc.property(fc.integer({min: 0, max: valid.length - 1}), fc.integer({min: 0, max: 255}), (at, value) => {
        const mutated = valid.slice();
        mutated[at] = value;
        try {
          decodeProtobufTraceRequest(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      {numRuns: 500},
    );
  });
});
