import type {Span} from './model.js';

export interface AssemblerLimits {
  /** Traces held at once, open and already shown together. */
  maxTraces: number;
  /** Spans kept per trace; later ones are dropped and counted. */
  maxSpansPerTrace: number;
  /** Spans held at once over all traces. */
  maxSpans: number;
  /** A trace is complete once this long passes without a new span for it. */
  idleMs: number;
}

export const DEFAULT_LIMITS: AssemblerLimits = {maxTraces: 1000, maxSpansPerTrace: 1000, maxSpans: 100_000, idleMs: 2000};

/**
 * Why a trace is being shown: it went quiet (`idle`), room was needed for newer traces
 * (`evicted`, shown before it went quiet), or the collector is stopping (`flushed`).
 */
export type CompletionReason = 'idle' | 'evicted' | 'flushed';

export interface AssembledTrace {
  traceId: string;
  /** In arrival order; a re-sent span (same span id) replaces the earlier copy. */
  spans: readonly Span[];
  /** Spans of this trace dropped because it reached maxSpansPerTrace. */
  droppedSpans: number;
  reason: CompletionReason;
  /** 0 the first time; 1, 2, … when late spans reopened a trace that was already shown. */
  revision: number;
}

export interface AssemblerStats {
  /** Spans held for assembly (a re-sent copy replaces, and is not counted again). */
  spansKept: number;
  /** Dropped for a trace's span cap, or because the total span cap left no room. */
  spansDropped: number;
  /** Re-sent spans (same trace and span id) that replaced an earlier copy. */
  spansReplaced: number;
  tracesCompleted: number;
  /** Open traces shown early to make room (nothing lost, but they may continue later). */
  tracesEvictedOpen: number;
  /** Shown traces forgotten to make room; a late span for one starts it afresh. */
  tracesForgotten: number;
}

interface Entry {
  traceId: string;
  spans: Span[];
  indexBySpanId: Map<string, number>;
  lastSpanAt: number;
  droppedSpans: number;
  revision: number;
}

/**
 * Groups spans into traces with bounded memory. Open traces wait for `idleMs` of quiet, then
 * go to `onComplete`; shown traces are kept (oldest forgotten first) so that a late span —
 * Envoy flushes its span buffer only every few seconds — re-shows the whole trace.
 */
export class TraceAssembler {
  readonly stats: AssemblerStats = {
    spansKept: 0,
    spansDropped: 0,
    spansReplaced: 0,
    tracesCompleted: 0,
    tracesEvictedOpen: 0,
    tracesForgotten: 0,
  };
  private readonly open = new Map<string, Entry>();
  private readonly shown = new Map<string, Entry>();
  private totalSpans = 0;

  constructor(
    private readonly limits: AssemblerLimits,
    private readonly onComplete: (trace: AssembledTrace) => void,
    private readonly onFirstDrop: (traceId: string, reason: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  get openTraces(): number {
    return this.open.size;
  }

  get heldSpans(): number {
    return this.totalSpans;
  }

  add(spans: readonly Span[]): void {
    const now = this.now();
    for (const span of spans) this.addOne(span, now);
  }

  /** Complete every open trace that has been quiet for `idleMs`. */
  tick(): void {
    const now = this.now();
    for (const entry of this.open.values()) {
      if (now - entry.lastSpanAt >= this.limits.idleMs) this.complete(entry, 'idle');
    }
  }

  /** Complete every open trace now (on exit). */
  flush(): void {
    for (const entry of this.open.values()) this.complete(entry, 'flushed');
  }

  private addOne(span: Span, now: number): void {
    const entry = this.entryFor(span.traceId);
    entry.lastSpanAt = now;
    const existing = entry.indexBySpanId.get(span.spanId);
    if (existing !== undefined) {
      entry.spans[existing] = span;
      this.stats.spansReplaced++;
      return;
    }
    if (entry.spans.length >= this.limits.maxSpansPerTrace) {
      this.drop(entry, `more than ${this.limits.maxSpansPerTrace} spans; later spans of this trace are dropped`);
      return;
    }
    if (this.totalSpans >= this.limits.maxSpans && !this.makeRoomForSpan(entry)) {
      this.drop(entry, `${this.limits.maxSpans} spans are held already; spans are dropped until traces complete`);
      return;
    }
    entry.indexBySpanId.set(span.spanId, entry.spans.length);
    entry.spans.push(span);
    this.totalSpans++;
    this.stats.spansKept++;
  }

  private drop(entry: Entry, reason: string): void {
    if (entry.droppedSpans === 0) this.onFirstDrop(entry.traceId, reason);
    entry.droppedSpans++;
    this.stats.spansDropped++;
  }

  private entryFor(traceId: string): Entry {
    const open = this.open.get(traceId);
    if (open) return open;
    const shown = this.shown.get(traceId);
    if (shown) {
      this.shown.delete(traceId);
      shown.revision++;
      this.open.set(traceId, shown);
      return shown;
    }
    while (this.open.size + this.shown.size >= this.limits.maxTraces) this.evictOldest();
    const entry: Entry = {traceId, spans: [], indexBySpanId: new Map(), lastSpanAt: 0, droppedSpans: 0, revision: 0};
    this.open.set(traceId, entry);
    return entry;
  }

  /** Free one span's worth of room, never by evicting `keep`; false when impossible. */
  private makeRoomForSpan(keep: Entry): boolean {
    while (this.totalSpans >= this.limits.maxSpans) {
      if (this.shown.size > 0) this.forgetOldestShown();
      else {
        const oldestOpen = this.open.values().next().value;
        if (oldestOpen === undefined || oldestOpen === keep) return false;
        this.evictOpen(oldestOpen);
      }
    }
    return true;
  }

  private evictOldest(): void {
    if (this.shown.size > 0) this.forgetOldestShown();
    else {
      const oldestOpen = this.open.values().next().value;
      if (oldestOpen) this.evictOpen(oldestOpen);
    }
  }

  private forgetOldestShown(): void {
    const oldest = this.shown.values().next().value as Entry;
    this.shown.delete(oldest.traceId);
    this.totalSpans -= oldest.spans.length;
    this.stats.tracesForgotten++;
  }

  private evictOpen(entry: Entry): void {
    this.stats.tracesEvictedOpen++;
    this.complete(entry, 'evicted');
    this.shown.delete(entry.traceId);
    this.totalSpans -= entry.spans.length;
  }

  private complete(entry: Entry, reason: CompletionReason): void {
    this.open.delete(entry.traceId);
    this.shown.set(entry.traceId, entry);
    this.stats.tracesCompleted++;
    this.onComplete({
      traceId: entry.traceId,
      spans: entry.spans,
      droppedSpans: entry.droppedSpans,
      reason,
      revision: entry.revision,
    });
  }
}
