import {STATUS_CODE, serviceName, type Span} from './model.js';

export interface TraceSummary {
  traceId: string;
  /** Name and service of the root span; of the earliest span when the root was not received. */
  rootName: string;
  rootService: string;
  rootReceived: boolean;
  /** Distinct service names, in order of first appearance by start time. */
  services: string[];
  spanCount: number;
  errorCount: number;
  startUnixNano: bigint;
  endUnixNano: bigint;
}

interface SpanHead {
  name: string;
  service: string;
  start: bigint;
}

/**
 * Builds a trace summary one span at a time, keeping only what the summary needs (and the
 * span ids, to ignore repeats), so a long capture can be listed without holding its spans.
 */
export class TraceSummaryBuilder {
  private root: SpanHead | undefined;
  private earliest: SpanHead | undefined;
  private readonly firstSeen = new Map<string, bigint>();
  private readonly spanIds = new Set<string>();
  private count = 0;
  private errors = 0;
  private start = 0n;
  private end = 0n;

  constructor(readonly traceId: string) {}

  /** Add a span; a repeat of a span id already added (a client's retry) is ignored. */
  add(span: Span): void {
    if (this.spanIds.has(span.spanId)) return;
    this.spanIds.add(span.spanId);
    const head: SpanHead = {name: span.name, service: serviceName(span), start: span.startTimeUnixNano};
    if (this.count === 0 || head.start < this.start) this.start = head.start;
    if (this.count === 0 || span.endTimeUnixNano > this.end) this.end = span.endTimeUnixNano;
    if (span.parentSpanId === '' && (!this.root || head.start < this.root.start)) this.root = head;
    if (!this.earliest || head.start < this.earliest.start) this.earliest = head;
    const seen = this.firstSeen.get(head.service);
    if (seen === undefined || head.start < seen) this.firstSeen.set(head.service, head.start);
    if (span.status.code === STATUS_CODE.ERROR) this.errors++;
    this.count++;
  }

  /** Call after at least one add(). */
  result(): TraceSummary {
    const root = (this.root ?? this.earliest) as SpanHead;
    const services = [...this.firstSeen.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([name]) => name);
    return {
      traceId: this.traceId,
      rootName: root.name,
      rootService: root.service,
      rootReceived: this.root !== undefined,
      services,
      spanCount: this.count,
      errorCount: this.errors,
      startUnixNano: this.start,
      endUnixNano: this.end,
    };
  }
}

/** Summarize a non-empty set of spans of one trace. */
export function summarizeTrace(traceId: string, spans: readonly Span[]): TraceSummary {
  const builder = new TraceSummaryBuilder(traceId);
  for (const span of spans) builder.add(span);
  return builder.result();
}

export function summaryDurationMs(summary: TraceSummary): number {
  return Math.max(0, Number(summary.endUnixNano - summary.startUnixNano) / 1e6);
}
