import {request} from 'node:http';
import {serializeSpans, type SpanData} from './span.js';

export interface ExporterStats {
  exported: number;
  dropped: number;
  failedRequests: number;
}

/**
 * Batches finished spans and POSTs them as OTLP/HTTP protobuf. Like a proxy's span exporter it
 * never blocks traffic: when the collector is absent, slow or failing, spans are dropped and
 * counted, nothing is retried and nothing is logged.
 */
export class SpanExporter {
  private queue: SpanData[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private closed = false;
  readonly stats: ExporterStats = {exported: 0, dropped: 0, failedRequests: 0};

  constructor(
    private readonly endpoint: string,
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
    const url = new URL(this.endpoint);
    const done = (ok: boolean) => {
      if (!this.sending) return;
      this.sending = false;
      if (ok) this.stats.exported += batch.length;
      else {
        this.stats.dropped += batch.length;
        this.stats.failedRequests++;
      }
      if (this.queue.length > 0 && !this.timer) {
        this.timer = setTimeout(() => this.flush(), this.options.flushMs);
        this.timer.unref();
      }
    };
    const req = request(
      {
        host: url.hostname,
        port: url.port || 80,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {'content-type': 'application/x-protobuf', 'content-length': String(body.byteLength)},
        timeout: this.options.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => done((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.on('error', () => done(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
  }
}
