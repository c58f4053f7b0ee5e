import type {ProtobufTraceSerializer} from '@opentelemetry/otlp-transformer';

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** One resource per sidecar; spans are grouped by resource identity when serialized. */
export interface SpanResource {
  attributes: Attributes;
}

export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: 'server' | 'client';
  startEpochMs: number;
  endEpochMs: number;
  attributes: Attributes;
  resource: SpanResource;
  scope: {name: string; version?: string};
}

/** What ProtobufTraceSerializer reads from a span (the ReadableSpan interface of the OTel SDK). */
type ReadableSpanLike = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];

/** OTel API SpanKind values (the serializer adds one for the OTLP enum). */
const KIND = {server: 1, client: 2} as const;

function hrTime(epochMs: number): [number, number] {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

/** Adapt a finished span to the shape the OTLP serializer expects. */
export function toReadableSpan(span: SpanData): ReadableSpanLike {
  const context = {traceId: span.traceId, spanId: span.spanId, traceFlags: 1, isRemote: false};
  const start = hrTime(span.startEpochMs);
  const duration = hrTime(Math.max(0, span.endEpochMs - span.startEpochMs));
  const readable = {
    name: span.name,
    kind: KIND[span.kind],
    spanContext: () => context,
    parentSpanContext: span.parentSpanId ? {traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: true} : undefined,
    startTime: start,
    endTime: hrTime(span.endEpochMs),
    duration,
    status: {code: 0},
    attributes: span.attributes,
    links: [],
    events: [],
    ended: true,
    resource: span.resource,
    instrumentationScope: span.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  return readable as unknown as ReadableSpanLike;
}

let serializer: Promise<typeof ProtobufTraceSerializer> | null = null;

/**
 * OTLP protobuf bytes for a batch of spans. The serializer is loaded on first use: importing
 * it costs more than a second on a busy machine, which `demo up` should not wait for.
 */
export async function serializeSpans(spans: readonly SpanData[]): Promise<Uint8Array | undefined> {
  serializer ??= import('@opentelemetry/otlp-transformer').then((m) => m.ProtobufTraceSerializer);
  return (await serializer).serializeRequest(spans.map(toReadableSpan));
}
