/**
 * Spans as meshctl holds them, independent of the wire format they arrived in (OTLP protobuf
 * or OTLP/JSON). Ids are lowercase hex; times are Unix nanoseconds as bigint, because they
 * exceed 2^53. Field names follow opentelemetry-proto's trace.proto.
 */

/** An attribute value: every AnyValue variant of opentelemetry-proto's common.proto. */
export type AnyValue =
  | {type: 'string'; value: string}
  | {type: 'bool'; value: boolean}
  | {type: 'int'; value: bigint}
  | {type: 'double'; value: number}
  | {type: 'bytes'; value: Uint8Array}
  | {type: 'array'; values: AnyValue[]}
  | {type: 'kvlist'; values: KeyValue[]}
  /** An AnyValue with no variant set (valid in OTLP, means "no value"). */
  | {type: 'empty'};

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** ResourceSpans.schema_url (it describes the resource). */
  schemaUrl: string;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** ScopeSpans.schema_url (it describes the scope's spans). */
  schemaUrl: string;
}

/** SpanKind values; other numbers may arrive (proto3 enums are open) and are kept as is. */
export const SPAN_KIND = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

export const STATUS_CODE = {UNSET: 0, OK: 1, ERROR: 2} as const;

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface SpanStatus {
  code: number;
  message: string;
}

export interface Span {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
  /** Shared by every span of the same ResourceSpans / ScopeSpans. */
  resource: Resource;
  scope: InstrumentationScope;
}

const KIND_NAMES: Record<number, string> = {
  0: 'UNSPECIFIED',
  1: 'INTERNAL',
  2: 'SERVER',
  3: 'CLIENT',
  4: 'PRODUCER',
  5: 'CONSUMER',
};

export function kindName(kind: number): string {
  return KIND_NAMES[kind] ?? `KIND_${kind}`;
}

const STATUS_NAMES: Record<number, string> = {0: 'UNSET', 1: 'OK', 2: 'ERROR'};

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? `CODE_${code}`;
}

export function durationMs(span: Pick<Span, 'startTimeUnixNano' | 'endTimeUnixNano'>): number {
  return nanosToMs(span.endTimeUnixNano - span.startTimeUnixNano);
}

export function nanosToMs(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

/** The first attribute with this key, or undefined. */
export function attribute(list: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const kv of list) if (kv.key === key) return kv.value;
  return undefined;
}

export function stringAttribute(list: readonly KeyValue[], key: string): string | undefined {
  const value = attribute(list, key);
  return value?.type === 'string' ? value.value : undefined;
}

/** The name shown for the span's service: resource `service.name`, else Istio's canonical service. */
export function serviceName(span: Span): string {
  return (
    stringAttribute(span.resource.attributes, 'service.name') ??
    stringAttribute(span.attributes, 'istio.canonical_service') ??
    '?'
  );
}
