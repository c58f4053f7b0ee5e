import type {AssembledTrace, AssemblerStats} from '../assembler.js';
import {durationMs, kindName, serviceName, statusName, type AnyValue, type KeyValue, type Span} from '../model.js';
import {proxySpanInfo, splitHop} from '../proxy-split.js';
import {summaryDurationMs, type TraceSummary} from '../summary.js';
import {buildTree, flattenTree} from '../tree.js';

/**
 * NDJSON records of `trace collect -o json` and `trace show -o json`, one object per line,
 * told apart by `type`:
 * - `span`: one received span, flat, ids in hex, times as decimal strings of Unix nanoseconds
 *   (exact) plus `start_time` (ISO) and `duration_ms`.
 * - `trace`: a completed trace: summary plus `hops`, the proxy/service split of proxy spans
 *   (`proxy_ms` / `service_ms` null: cannot be told; `service_ms_applies` false: outbound hop).
 * - `trace_summary`: one line of `trace show FILE` without a trace id.
 * - `stats`: counters, last line of `trace collect -o json`.
 * Attribute values map to JSON naturally: int64 as a number when exact (else a decimal
 * string), bytes as base64, arrays as arrays, kvlists as objects, an empty value as null.
 */

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

// Characters JSON.stringify leaves raw that could still steer a terminal (C1 controls, bidi).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One NDJSON line. Strings stay exact; characters that could steer a terminal are \u-escaped. */
export function ndjsonLine(record: Json): string {
  return `${JSON.stringify(record).replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function anyValueToJson(value: AnyValue): Json {
  switch (value.type) {
    case 'string':
    case 'bool':
      return value.value;
    case 'int':
      return value.value >= BigInt(Number.MIN_SAFE_INTEGER) && value.value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value.value)
        : value.value.toString();
    case 'double':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.values.map(anyValueToJson);
    case 'kvlist':
      return attributesToJson(value.values);
    case 'empty':
      return null;
  }
}

/** Attributes as one object; with a repeated key, the last value wins. */
export function attributesToJson(list: readonly KeyValue[]): {[key: string]: Json} {
  const out: {[key: string]: Json} = {};
  for (const kv of list) {
    const value = anyValueToJson(kv.value);
    // Plain assignment would set the prototype instead of storing a key named `__proto__`.
    if (kv.key === '__proto__') Object.defineProperty(out, kv.key, {value, enumerable: true, writable: true, configurable: true});
    else out[kv.key] = value;
  }
  return out;
}

function isoTime(unixNano: bigint): string | null {
  const ms = Number(unixNano / 1_000_000n);
  return Number.isFinite(ms) && ms >= 0 && ms < 8.64e15 ? new Date(ms).toISOString() : null;
}

export function spanRecord(span: Span): Json {
  const proxy = proxySpanInfo(span);
  return {
    type: 'span',
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId || null,
    name: span.name,
    kind: kindName(span.kind),
    service: serviceName(span),
    start_time: isoTime(span.startTimeUnixNano),
    start_time_unix_nano: span.startTimeUnixNano.toString(),
    end_time_unix_nano: span.endTimeUnixNano.toString(),
    duration_ms: durationMs(span),
    status_code: statusName(span.status.code),
    status_message: span.status.message,
    trace_state: span.traceState,
    flags: span.flags,
    proxy: proxy?.family ?? null,
    proxy_direction: proxy?.direction ?? null,
    attributes: attributesToJson(span.attributes),
    dropped_attributes_count: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      name: event.name,
      time_unix_nano: event.timeUnixNano.toString(),
      attributes: attributesToJson(event.attributes),
      dropped_attributes_count: event.droppedAttributesCount,
    })),
    dropped_events_count: span.droppedEventsCount,
    links: span.links.map((link) => ({
      trace_id: link.traceId,
      span_id: link.spanId,
      trace_state: link.traceState,
      flags: link.flags,
      attributes: attributesToJson(link.attributes),
      dropped_attributes_count: link.droppedAttributesCount,
    })),
    dropped_links_count: span.droppedLinksCount,
    resource: attributesToJson(span.resource.attributes),
    resource_dropped_attributes_count: span.resource.droppedAttributesCount,
    resource_schema_url: span.resource.schemaUrl,
    scope_name: span.scope.name,
    scope_version: span.scope.version,
    scope_attributes: attributesToJson(span.scope.attributes),
    scope_dropped_attributes_count: span.scope.droppedAttributesCount,
    scope_schema_url: span.scope.schemaUrl,
  };
}

function summaryFields(summary: TraceSummary): {[key: string]: Json} {
  return {
    trace_id: summary.traceId,
    root_name: summary.rootName,
    root_service: summary.rootService,
    root_received: summary.rootReceived,
    services: summary.services,
    span_count: summary.spanCount,
    error_count: summary.errorCount,
    start_time: isoTime(summary.startUnixNano),
    duration_ms: summaryDurationMs(summary),
  };
}

export function traceSummaryRecord(summary: TraceSummary): Json {
  return {type: 'trace_summary', ...summaryFields(summary)};
}

/** A completed trace with the proxy/service split of every proxy hop that has one. */
export function traceRecord(trace: Pick<AssembledTrace, 'spans' | 'droppedSpans' | 'revision'> & {reason: string | null}, summary: TraceSummary): Json {
  const hops: Json[] = [];
  for (const row of flattenTree(buildTree(trace.spans))) {
    const split = splitHop(row.node, row.parent);
    const info = proxySpanInfo(row.node.span);
    if (!split || !info) continue;
    hops.push({
      span_id: row.node.span.spanId,
      name: row.node.span.name,
      service: serviceName(row.node.span),
      proxy: info.family,
      direction: info.direction,
      duration_ms: durationMs(row.node.span),
      proxy_ms: split.proxyMs,
      proxy_ms_includes_network: split.proxyIncludesNetwork,
      service_ms: split.serviceMs ?? null,
      service_ms_applies: split.serviceMs !== undefined,
      service_ms_is_upper_bound: split.serviceIsUpperBound,
    });
  }
  return {
    type: 'trace',
    ...summaryFields(summary),
    complete_reason: trace.reason,
    revision: trace.revision,
    dropped_spans: trace.droppedSpans,
    hops,
  };
}

export interface CollectCounts {
  requests: number;
  spansReceived: number;
  spansRejected: number;
}

export function statsRecord(stats: AssemblerStats & CollectCounts): Json {
  return {
    type: 'stats',
    requests: stats.requests,
    spans_received: stats.spansReceived,
    spans_rejected: stats.spansRejected,
    spans_kept: stats.spansKept,
    spans_dropped: stats.spansDropped,
    spans_replaced: stats.spansReplaced,
    traces_completed: stats.tracesCompleted,
    traces_evicted_open: stats.tracesEvictedOpen,
    traces_forgotten: stats.tracesForgotten,
  };
}
