import {histogramQuantile, sumHistograms} from '../metrics/histogram.js';
import type {Histogram, QuantileEstimate} from '../model/histogram.js';
import type {HttpCounter, HttpLatency, TcpSeries} from '../model/snapshot.js';

/** The golden signals of a set of series over a window. null = unknown or no traffic. */
export interface GoldenSignals {
  requests: number;
  successes: number;
  /** 0–1, null when there were no requests. */
  success: number | null;
  rps: number | null;
  p50: QuantileEstimate | null;
  p95: QuantileEstimate | null;
  p99: QuantileEstimate | null;
}

export interface TcpSignals {
  /** null when no proxy reported TCP series for this row. */
  openConnections: number | null;
  readBytesPerSec: number | null;
  writeBytesPerSec: number | null;
}

/**
 * Accumulates windowed series from any number of proxies. Rates are summed per proxy
 * (each proxy's increase over its own window), so proxies scraped a few milliseconds apart
 * are each measured exactly.
 */
export class SignalAccumulator {
  private requests = 0;
  private classified = 0;
  private successes = 0;
  private rps = 0;
  private rpsUnknown = false;
  private histograms: Histogram[] = [];
  private tcpSeen = false;
  private open = 0;
  private read = 0;
  private write = 0;
  private bytesUnknown = false;

  /** A counter increase; `success: null` counts towards rates but not the success rate. */
  addCounter(counter: Pick<HttpCounter, 'value'> & {success: boolean | null}, seconds: number | null): void {
    if (counter.value <= 0) return;
    this.requests += counter.value;
    if (counter.success !== null) this.classified += counter.value;
    if (counter.success) this.successes += counter.value;
    if (seconds === null || seconds <= 0) this.rpsUnknown = true;
    else this.rps += counter.value / seconds;
  }

  addLatency(latency: Pick<HttpLatency, 'histogram'>): void {
    if (latency.histogram.count > 0 || latency.histogram.cumulative.some((c) => c > 0)) this.histograms.push(latency.histogram);
  }

  addTcp(series: TcpSeries, seconds: number | null): void {
    this.tcpSeen = true;
    this.open += series.openConnections;
    if (series.readBytes === 0 && series.writeBytes === 0) return;
    if (seconds === null || seconds <= 0) this.bytesUnknown = true;
    else {
      this.read += series.readBytes / seconds;
      this.write += series.writeBytes / seconds;
    }
  }

  signals(): GoldenSignals {
    const histogram = sumHistograms(this.histograms);
    const quantile = (q: number) => (histogram ? histogramQuantile(q, histogram) : null);
    return {
      requests: this.requests,
      successes: this.successes,
      success: this.classified > 0 ? this.successes / this.classified : null,
      rps: this.rpsUnknown ? null : this.rps,
      p50: quantile(0.5),
      p95: quantile(0.95),
      p99: quantile(0.99),
    };
  }

  tcp(): TcpSignals {
    if (!this.tcpSeen) return {openConnections: null, readBytesPerSec: null, writeBytesPerSec: null};
    return {
      openConnections: this.open,
      readBytesPerSec: this.bytesUnknown ? null : this.read,
      writeBytesPerSec: this.bytesUnknown ? null : this.write,
    };
  }
}
