import type {AnyValue, InstrumentationScope, KeyValue, Resource, Span, SpanEvent, SpanLink} from '../model.js';
import {OtlpDecodeError, within, type DecodeResult} from './errors.js';
import {optionalId, requiredId} from './ids.js';
import {
  asArray,
  asBase64Bytes,
  asBool,
  asDouble,
  asEnum,
  asIdBytes,
  asInt64,
  asObject,
  asString,
  asUint32,
  asUint64,
  get,
  isObject,
} from './json-fields.js';
import {parseJson, type JsonObject, type JsonValue} from './json-parse.js';
import {MAX_VALUE_DEPTH} from './proto-values.js';
import {decodeGroups, type ScopeGroup} from './span-groups.js';

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = {STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2};
const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * Decode an OTLP/JSON ExportTraceServiceRequest. Rejection rules match the protobuf decoder:
 * invalid JSON or a malformed envelope (resourceSpans / scopeSpans / spans not arrays of
 * objects) fails the whole request; a bad resource or scope rejects the spans under it; a bad
 * span rejects that span. Unknown keys are ignored.
 */
export function decodeJsonTraceRequest(body: Uint8Array): DecodeResult<Span> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new OtlpDecodeError('body is not valid UTF-8');
  }
  const root = parseJson(text);
  if (!isObject(root)) throw new OtlpDecodeError('the JSON body must be an object (ExportTraceServiceRequest)');
  const result: DecodeResult<Span> = {spans: [], rejectedSpans: 0, errors: []};
  const resourceSpans = asArray(get(root, 'resourceSpans', 'resource_spans'), 'resourceSpans');
  resourceSpans.forEach((item, index) => {
    try {
      decodeResourceSpans(item, `resourceSpans[${index}]`, result);
    } catch (error) {
      within(error, `resourceSpans[${index}]`);
    }
  });
  return result;
}

function decodeResourceSpans(value: JsonValue, path: string, out: DecodeResult<Span>): void {
  const item = asObject(value, 'ResourceSpans') ?? ({} as JsonObject);
  const groups = [
    ...asArray(get(item, 'scopeSpans', 'scope_spans'), 'scopeSpans'),
    // The retired instrumentation_library_spans has the same shape.
    ...asArray(get(item, 'instrumentationLibrarySpans', 'instrumentation_library_spans'), 'instrumentationLibrarySpans'),
  ].map((group, g): ScopeGroup<JsonValue> => {
    try {
      const object = asObject(group, 'ScopeSpans') ?? ({} as JsonObject);
      return {decodeScope: () => decodeScope(object), spans: asArray(get(object, 'spans'), 'spans')};
    } catch (error) {
      return within(error, `scopeSpans[${g}]`);
    }
  });
  decodeGroups(
    out,
    {resource: `${path}.resource`, group: (g) => `${path}.scopeSpans[${g}]`},
    () => decodeResource(get(item, 'resource'), asString(get(item, 'schemaUrl', 'schema_url'), 'schemaUrl')),
    groups,
    decodeSpan,
  );
}

function decodeResource(value: JsonValue | undefined, schemaUrl: string): Resource {
  const object = asObject(value, 'resource') ?? ({} as JsonObject);
  return {
    attributes: decodeAttributes(get(object, 'attributes'), 0),
    droppedAttributesCount: asUint32(get(object, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    schemaUrl,
  };
}

function decodeScope(group: JsonObject): InstrumentationScope {
  const object =
    asObject(get(group, 'scope') ?? get(group, 'instrumentationLibrary', 'instrumentation_library'), 'scope') ??
    ({} as JsonObject);
  return {
    name: asString(get(object, 'name'), 'name'),
    version: asString(get(object, 'version'), 'version'),
    attributes: decodeAttributes(get(object, 'attributes'), 0),
    droppedAttributesCount: asUint32(get(object, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    schemaUrl: asString(get(group, 'schemaUrl', 'schema_url'), 'schemaUrl'),
  };
}

function decodeSpan(value: JsonValue, resource: Resource, scope: InstrumentationScope): Span {
  const o = asObject(value, 'Span') ?? ({} as JsonObject);
  const status = asObject(get(o, 'status'), 'status') ?? ({} as JsonObject);
  return {
    traceId: requiredId(asIdBytes(get(o, 'traceId', 'trace_id'), 'traceId', 16), 16, 'traceId'),
    spanId: requiredId(asIdBytes(get(o, 'spanId', 'span_id'), 'spanId', 8), 8, 'spanId'),
    parentSpanId: optionalId(asIdBytes(get(o, 'parentSpanId', 'parent_span_id'), 'parentSpanId', 8), 8, 'parentSpanId'),
    traceState: asString(get(o, 'traceState', 'trace_state'), 'traceState'),
    flags: asUint32(get(o, 'flags'), 'flags'),
    name: asString(get(o, 'name'), 'name'),
    kind: asEnum(get(o, 'kind'), 'kind', SPAN_KINDS),
    startTimeUnixNano: asUint64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTimeUnixNano: asUint64(get(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: decodeAttributes(get(o, 'attributes'), 0),
    droppedAttributesCount: asUint32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    events: asArray(get(o, 'events'), 'events').map((event, i) => inside(`events[${i}]`, () => decodeEvent(event))),
    droppedEventsCount: asUint32(get(o, 'droppedEventsCount', 'dropped_events_count'), 'droppedEventsCount'),
    links: asArray(get(o, 'links'), 'links').map((link, i) => inside(`links[${i}]`, () => decodeLink(link))),
    droppedLinksCount: asUint32(get(o, 'droppedLinksCount', 'dropped_links_count'), 'droppedLinksCount'),
    status: {
      code: asEnum(get(status, 'code'), 'status.code', STATUS_CODES),
      message: asString(get(status, 'message'), 'status.message'),
    },
    resource,
    scope,
  };
}

function inside<T>(step: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    return within(error, step);
  }
}

function decodeEvent(value: JsonValue): SpanEvent {
  const o = asObject(value, 'Event') ?? ({} as JsonObject);
  return {
    timeUnixNano: asUint64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    name: asString(get(o, 'name'), 'name'),
    attributes: decodeAttributes(get(o, 'attributes'), 0),
    droppedAttributesCount: asUint32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
  };
}

function decodeLink(value: JsonValue): SpanLink {
  const o = asObject(value, 'Link') ?? ({} as JsonObject);
  return {
    traceId: optionalId(asIdBytes(get(o, 'traceId', 'trace_id'), 'traceId', 16), 16, 'traceId'),
    spanId: optionalId(asIdBytes(get(o, 'spanId', 'span_id'), 'spanId', 8), 8, 'spanId'),
    traceState: asString(get(o, 'traceState', 'trace_state'), 'traceState'),
    attributes: decodeAttributes(get(o, 'attributes'), 0),
    droppedAttributesCount: asUint32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    flags: asUint32(get(o, 'flags'), 'flags'),
  };
}

function decodeAttributes(value: JsonValue | undefined, depth: number): KeyValue[] {
  return asArray(value, 'attributes').map((item, i) => inside(`attributes[${i}]`, () => decodeKeyValue(item, depth)));
}

function decodeKeyValue(value: JsonValue, depth: number): KeyValue {
  const o = asObject(value, 'KeyValue') ?? ({} as JsonObject);
  const key = asString(get(o, 'key'), 'key');
  return {key, value: inside(key ? `value of "${key}"` : 'value', () => decodeAnyValue(get(o, 'value'), depth))};
}

function decodeAnyValue(value: JsonValue | undefined, depth: number): AnyValue {
  if (depth >= MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const o = asObject(value, 'AnyValue');
  if (o === undefined) return {type: 'empty'};
  let v: JsonValue | undefined;
  if ((v = get(o, 'stringValue', 'string_value')) !== undefined) return {type: 'string', value: asString(v, 'stringValue')};
  if ((v = get(o, 'boolValue', 'bool_value')) !== undefined) return {type: 'bool', value: asBool(v, 'boolValue')};
  if ((v = get(o, 'intValue', 'int_value')) !== undefined) return {type: 'int', value: asInt64(v, 'intValue')};
  if ((v = get(o, 'doubleValue', 'double_value')) !== undefined) return {type: 'double', value: asDouble(v, 'doubleValue')};
  if ((v = get(o, 'bytesValue', 'bytes_value')) !== undefined) return {type: 'bytes', value: asBase64Bytes(v, 'bytesValue')};
  if ((v = get(o, 'arrayValue', 'array_value')) !== undefined) {
    const array = asObject(v, 'arrayValue') ?? ({} as JsonObject);
    const values = asArray(get(array, 'values'), 'arrayValue.values');
    return {type: 'array', values: values.map((item, i) => inside(`[${i}]`, () => decodeAnyValue(item, depth + 1)))};
  }
  if ((v = get(o, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const list = asObject(v, 'kvlistValue') ?? ({} as JsonObject);
    const values = asArray(get(list, 'values'), 'kvlistValue.values');
    return {type: 'kvlist', values: values.map((item, i) => inside(`[${i}]`, () => decodeKeyValue(item, depth + 1)))};
  }
  return {type: 'empty'};
}
