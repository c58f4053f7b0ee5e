import type {InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanLink} from '../model.js';
import {within, type DecodeResult} from './errors.js';
import {optionalId, requiredId} from './ids.js';
import {ProtoReader, WIRE} from './proto-reader.js';
import {readAttribute, readResource, readScope} from './proto-values.js';
import {decodeGroups, type ScopeGroup} from './span-groups.js';

/**
 * Decode a binary ExportTraceServiceRequest (opentelemetry-proto collector/trace/v1).
 *
 * What is rejected, and how much:
 * - The request's own framing, or a ResourceSpans / ScopeSpans whose framing is broken
 *   (truncated, a length past the end, a known field with the wrong wire type): the whole
 *   request is undecodable and OtlpDecodeError is thrown.
 * - A Resource or InstrumentationScope that does not decode: the spans under it are rejected
 *   (counted), the rest of the request is kept.
 * - A Span that does not decode or is invalid (trace_id not 16 bytes, span_id not 8 bytes,
 *   ids all zero): that span is rejected (counted), the others are kept.
 * Unknown fields are skipped at every level.
 */
export function decodeProtobufTraceRequest(body: Uint8Array): DecodeResult<Span> {
  const result: DecodeResult<Span> = {spans: [], rejectedSpans: 0, errors: []};
  const r = new ProtoReader(body);
  let index = 0;
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'resource_spans');
      try {
        decodeResourceSpans(r.message(), `resource_spans[${index}]`, result);
      } catch (error) {
        within(error, `resource_spans[${index}]`);
      }
      index++;
    } else r.skip(field);
  }
  return result;
}

/**
 * trace.v1.ResourceSpans: resource = 1, scope_spans = 2, schema_url = 3. Field 1000 is the
 * retired instrumentation_library_spans (same layout as ScopeSpans), still sent by old Envoy.
 */
function decodeResourceSpans(r: ProtoReader, path: string, out: DecodeResult<Span>): void {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl = '';
  const groups: ScopeGroup<ProtoReader>[] = [];
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'resource');
      resourceReader = r.message();
    } else if (field === 2 || field === 1000) {
      r.expect(WIRE.LEN, field, 'scope_spans');
      try {
        groups.push(splitScopeSpans(r.message()));
      } catch (error) {
        within(error, `scope_spans[${groups.length}]`);
      }
    } else if (field === 3) {
      r.expect(WIRE.LEN, field, 'schema_url');
      schemaUrl = r.string();
    } else r.skip(field);
  }
  decodeGroups(
    out,
    {resource: `${path}.resource`, group: (g) => `${path}.scope_spans[${g}]`},
    () => readResource(resourceReader ?? new ProtoReader(new Uint8Array(0)), schemaUrl),
    groups,
    decodeSpan,
  );
}

/** trace.v1.ScopeSpans: scope = 1, spans = 2, schema_url = 3; only the framing is read here. */
function splitScopeSpans(r: ProtoReader): ScopeGroup<ProtoReader> {
  let scope: ProtoReader | undefined;
  let schemaUrl = '';
  const spans: ProtoReader[] = [];
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'scope');
      scope = r.message();
    } else if (field === 2) {
      r.expect(WIRE.LEN, field, 'spans');
      spans.push(r.message());
    } else if (field === 3) {
      r.expect(WIRE.LEN, field, 'schema_url');
      schemaUrl = r.string();
    } else r.skip(field);
  }
  return {decodeScope: () => readScope(scope, schemaUrl), spans};
}

/** trace.v1.Span, field numbers as in trace.proto. */
function decodeSpan(r: ProtoReader, resource: Resource, scope: InstrumentationScope): Span {
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let parentSpanId: Uint8Array | undefined;
  const span: Span = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: {code: 0, message: ''},
    resource,
    scope,
  };
  while (!r.atEnd()) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE.LEN, field, 'trace_id');
        traceId = r.bytes();
        break;
      case 2:
        r.expect(WIRE.LEN, field, 'span_id');
        spanId = r.bytes();
        break;
      case 3:
        r.expect(WIRE.LEN, field, 'trace_state');
        span.traceState = r.string();
        break;
      case 4:
        r.expect(WIRE.LEN, field, 'parent_span_id');
        parentSpanId = r.bytes();
        break;
      case 5:
        r.expect(WIRE.LEN, field, 'name');
        span.name = r.string();
        break;
      case 6:
        r.expect(WIRE.VARINT, field, 'kind');
        span.kind = r.int32();
        break;
      case 7:
        r.expect(WIRE.I64, field, 'start_time_unix_nano');
        span.startTimeUnixNano = r.fixed64();
        break;
      case 8:
        r.expect(WIRE.I64, field, 'end_time_unix_nano');
        span.endTimeUnixNano = r.fixed64();
        break;
      case 9:
        readAttribute(r, span.attributes, field);
        break;
      case 10:
        r.expect(WIRE.VARINT, field, 'dropped_attributes_count');
        span.droppedAttributesCount = r.uint32();
        break;
      case 11:
        r.expect(WIRE.LEN, field, 'events');
        try {
          span.events.push(decodeEvent(r.message()));
        } catch (error) {
          within(error, `events[${span.events.length}]`);
        }
        break;
      case 12:
        r.expect(WIRE.VARINT, field, 'dropped_events_count');
        span.droppedEventsCount = r.uint32();
        break;
      case 13:
        r.expect(WIRE.LEN, field, 'links');
        try {
          span.links.push(decodeLink(r.message()));
        } catch (error) {
          within(error, `links[${span.links.length}]`);
        }
        break;
      case 14:
        r.expect(WIRE.VARINT, field, 'dropped_links_count');
        span.droppedLinksCount = r.uint32();
        break;
      case 15:
        r.expect(WIRE.LEN, field, 'status');
        span.status = decodeStatus(r.message());
        break;
      case 16:
        r.expect(WIRE.I32, field, 'flags');
        span.flags = r.fixed32();
        break;
      default:
        r.skip(field);
    }
  }
  span.traceId = requiredId(traceId, 16, 'trace_id');
  span.spanId = requiredId(spanId, 8, 'span_id');
  span.parentSpanId = optionalId(parentSpanId, 8, 'parent_span_id');
  return span;
}

/** Span.Event: time_unix_nano = 1, name = 2, attributes = 3, dropped_attributes_count = 4. */
function decodeEvent(r: ProtoReader): SpanEvent {
  const event: SpanEvent = {timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0};
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.I64, field, 'time_unix_nano');
      event.timeUnixNano = r.fixed64();
    } else if (field === 2) {
      r.expect(WIRE.LEN, field, 'name');
      event.name = r.string();
    } else if (field === 3) readAttribute(r, event.attributes, field);
    else if (field === 4) {
      r.expect(WIRE.VARINT, field, 'dropped_attributes_count');
      event.droppedAttributesCount = r.uint32();
    } else r.skip(field);
  }
  return event;
}

/**
 * Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4,
 * dropped_attributes_count = 5, flags = 6 (fixed32).
 */
function decodeLink(r: ProtoReader): SpanLink {
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  const attributes: KeyValue[] = [];
  const link: SpanLink = {traceId: '', spanId: '', traceState: '', attributes, droppedAttributesCount: 0, flags: 0};
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'trace_id');
      traceId = r.bytes();
    } else if (field === 2) {
      r.expect(WIRE.LEN, field, 'span_id');
      spanId = r.bytes();
    } else if (field === 3) {
      r.expect(WIRE.LEN, field, 'trace_state');
      link.traceState = r.string();
    } else if (field === 4) readAttribute(r, attributes, field);
    else if (field === 5) {
      r.expect(WIRE.VARINT, field, 'dropped_attributes_count');
      link.droppedAttributesCount = r.uint32();
    } else if (field === 6) {
      r.expect(WIRE.I32, field, 'flags');
      link.flags = r.fixed32();
    } else r.skip(field);
  }
  link.traceId = optionalId(traceId, 16, 'trace_id');
  link.spanId = optionalId(spanId, 8, 'span_id');
  return link;
}

/** trace.v1.Status: message = 2, code = 3 (field 1 is reserved). */
function decodeStatus(r: ProtoReader): {code: number; message: string} {
  const status = {code: 0, message: ''};
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 2) {
      r.expect(WIRE.LEN, field, 'message');
      status.message = r.string();
    } else if (field === 3) {
      r.expect(WIRE.VARINT, field, 'code');
      status.code = r.int32();
    } else r.skip(field);
  }
  return status;
}
