import {randomBytes} from 'node:crypto';
import {deleteHeader, getHeader, setHeader, type HeaderList} from '../sidecar/headers.js';

/** A propagated trace context, remembering the format it arrived in so it is forwarded the same way. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
  format: 'w3c' | 'b3' | 'b3-single';
  tracestate?: string;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/** W3C `traceparent` first, then B3 multi-header, then single-header `b3` (the order linkerd2-proxy tries). */
export function extractContext(headers: HeaderList): TraceContext | null {
  const traceparent = getHeader(headers, 'traceparent');
  if (traceparent !== undefined) {
    const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent.trim());
    if (m && m[1] !== 'ff' && !/^0+$/.test(m[2]) && !/^0+$/.test(m[3])) {
      return {traceId: m[2], spanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1, format: 'w3c', tracestate: getHeader(headers, 'tracestate')};
    }
  }
  const b3TraceId = getHeader(headers, 'x-b3-traceid');
  const b3SpanId = getHeader(headers, 'x-b3-spanid');
  if (b3TraceId !== undefined && b3SpanId !== undefined) {
    const traceId = b3TraceId.length === 16 ? `0000000000000000${b3TraceId}` : b3TraceId;
    if (HEX32.test(traceId) && HEX16.test(b3SpanId)) {
      const flag = getHeader(headers, 'x-b3-sampled');
      return {traceId, spanId: b3SpanId, sampled: flag === '1' || getHeader(headers, 'x-b3-flags') === '1', format: 'b3'};
    }
  }
  const single = getHeader(headers, 'b3');
  if (single !== undefined) {
    const [traceId, spanId, flag] = single.split('-');
    const fullTraceId = traceId?.length === 16 ? `0000000000000000${traceId}` : traceId;
    if (fullTraceId && HEX32.test(fullTraceId) && spanId && HEX16.test(spanId)) {
      return {traceId: fullTraceId, spanId, sampled: flag === '1' || flag === 'd', format: 'b3-single'};
    }
  }
  return null;
}

/** Write `context` into the headers in its own format, replacing what was there. */
export function injectContext(headers: HeaderList, context: TraceContext): void {
  const flag = context.sampled ? '1' : '0';
  if (context.format === 'w3c') {
    setHeader(headers, 'traceparent', `00-${context.traceId}-${context.spanId}-0${flag}`);
  } else if (context.format === 'b3') {
    const parent = getHeader(headers, 'x-b3-spanid');
    setHeader(headers, 'x-b3-traceid', context.traceId);
    setHeader(headers, 'x-b3-spanid', context.spanId);
    if (parent) setHeader(headers, 'x-b3-parentspanid', parent);
    setHeader(headers, 'x-b3-sampled', flag);
    deleteHeader(headers, 'x-b3-flags');
  } else {
    setHeader(headers, 'b3', `${context.traceId}-${context.spanId}-${flag}`);
  }
}
