import {serializeSpans, type SpanData} from './span.js';
import type {SpanTransport} from './transports.js';

export interface ExporterStats {
  exported: number;
  dropped: number;
  failedRequests: number;
}

/**
 * Batches finished spans and sends them as OTLP protobuf over `transport` (gRPC or HTTP). Like
 * a proxy's span exporter it never blocks traffic: when the collector is absent, slow or
 * failing, spans are dropped and counted, nothing is retried and nothing is logged.
 */
export class SpanExporter {
  private queue: SpanData[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private closed = false;
  readonly stats: ExporterStats = {exported: 0, dropped: 0, failedRequests: 0};

  constructor(
    private readonly transport: SpanTransport,
    private readonly options: {flushMs: number; maxBatch: number; maxQueue: number; timeoutMs: number} = {
      flushMs: 1000,
      maxBatch: 512,
      maxQueue: 2048,
      timeoutMs: 2000,
    },
  ) {}

  export(span: SpanData): void {
    if (this.queue.length >= this.options.maxQueue) {
      this.stats.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.options.maxBatch) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  /** Send what is queued now (one request at a time). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.sending = true;
    serializeSpans(batch).then(
      (body) => this.post(batch, body),
      () => this.post(batch, undefined),
    );
  }

  private post(batch: SpanData[], body: Uint8Array | undefined): void {
    if (!body || this.closed) {
      this.sending = false;
      this.stats.dropped += batch.length;
      return;
    }
    void this.transport.send(body, this.options.timeoutMs).then((ok) => {
      this.sending = false;
      if (ok) this.stats.exported += batch.length;
      else {
        this.stats.dropped += batch.length;
        this.stats.failedRequests++;
      }
      if (this.queue.length > 0 && !this.timer && !this.closed) {
        this.timer = setTimeout(() => this.flush(), this.options.flushMs);
        this.timer.unref();
      }
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.transport.close();
  }
}
