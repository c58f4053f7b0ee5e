import {JsonTraceSerializer, ProtobufTraceSerializer} from '@opentelemetry/otlp-transformer';

/**
 * ReadableSpan-shaped objects for @opentelemetry/otlp-transformer's serializers — the
 * official, independent OTLP encoders — so decoder tests check against bytes meshctl did not
 * write. Unlike spans made through the SDK API, these may carry any attribute value the
 * serializer understands (Uint8Array → bytes, plain objects → kvlist).
 */

type SerializerInput = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0];
type AttributeValue = unknown;
export type Attributes = Record<string, AttributeValue>;

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  parentIsRemote?: boolean;
  name: string;
  /** API SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer (OTLP adds 1). */
  kind?: number;
  /** [seconds, nanoseconds] */
  start: [number, number];
  end: [number, number];
  attributes?: Attributes;
  droppedAttributesCount?: number;
  events?: {name: string; time: [number, number]; attributes?: Attributes; droppedAttributesCount?: number}[];
  droppedEventsCount?: number;
  links?: {traceId: string; spanId: string; traceFlags?: number; traceState?: string; isRemote?: boolean; attributes?: Attributes; droppedAttributesCount?: number}[];
  droppedLinksCount?: number;
  status?: {code: number; message?: string};
  traceFlags?: number;
  traceState?: string;
}

export interface ResourceSpec {
  attributes: Attributes;
  schemaUrl?: string;
}

export interface ScopeSpec {
  name: string;
  version?: string;
  schemaUrl?: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

function traceState(value: string | undefined) {
  return value === undefined ? undefined : {serialize: () => value};
}

/** Build ReadableSpan-like objects; spans sharing a resource/scope object are grouped by the serializer. */
export function readableSpans(resource: ResourceSpec, scope: ScopeSpec, specs: SpanSpec[]): SerializerInput {
  return specs.map((spec) => ({
    name: spec.name,
    kind: spec.kind ?? 0,
    spanContext: () => ({traceId: spec.traceId, spanId: spec.spanId, traceFlags: spec.traceFlags ?? 1, traceState: traceState(spec.traceState)}),
    parentSpanContext: spec.parentSpanId ? {traceId: spec.traceId, spanId: spec.parentSpanId, traceFlags: 1, isRemote: spec.parentIsRemote ?? false} : undefined,
    startTime: spec.start,
    endTime: spec.end,
    status: {code: spec.status?.code ?? 0, message: spec.status?.message},
    attributes: spec.attributes ?? {},
    links: (spec.links ?? []).map((link) => ({
      context: {traceId: link.traceId, spanId: link.spanId, traceFlags: link.traceFlags ?? 0, traceState: traceState(link.traceState), isRemote: link.isRemote},
      attributes: link.attributes,
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
    })),
    events: (spec.events ?? []).map((event) => ({...event, droppedAttributesCount: event.droppedAttributesCount ?? 0})),
    duration: [0, 0],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: spec.droppedAttributesCount ?? 0,
    droppedEventsCount: spec.droppedEventsCount ?? 0,
    droppedLinksCount: spec.droppedLinksCount ?? 0,
  })) as unknown as SerializerInput;
}

export function protobufRequest(resource: ResourceSpec, scope: ScopeSpec, specs: SpanSpec[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(readableSpans(resource, scope, specs)) as Uint8Array;
}

export function jsonRequest(resource: ResourceSpec, scope: ScopeSpec, specs: SpanSpec[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(readableSpans(resource, scope, specs)) as Uint8Array;
}

/** Nanoseconds of an HrTime, computed independently of any decoder. */
export function nanos([seconds, ns]: [number, number]): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt(ns);
}
