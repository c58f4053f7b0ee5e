import {LogLinearHistogram} from './quantiles.js';

/** Envoy's default histogram bucket bounds (source/common/stats/histogram_impl.cc). */
export const ENVOY_DEFAULT_BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** How often Envoy (and Istio by default) merges histograms: the stats flush interval. */
export const FLUSH_INTERVAL_MS = 5000;

export type Tags = ReadonlyArray<readonly [string, string]>;

/**
 * One stat's names: `name` as `/stats` prints it, `extracted` after tag extraction (the family
 * in Prometheus output), and the tags extracted from it, in extraction order.
 */
export interface StatName {
  name: string;
  extracted: string;
  tags: Tags;
}

export class Counter {
  private count = 0;
  used = false;

  /** `read`, when given, supplies a live total (bytes moving on open connections). */
  constructor(
    readonly id: StatName,
    private readonly read?: () => number,
  ) {}

  add(n = 1): void {
    this.count += n;
    this.used = true;
  }

  get value(): number {
    return this.read ? this.read() : this.count;
  }
}

export class Gauge {
  constructor(
    readonly id: StatName,
    private readonly read: () => number,
  ) {}

  get value(): number {
    return this.read();
  }
}

/**
 * A histogram as Envoy keeps it: values recorded now only show in the cumulative statistics
 * (Prometheus buckets, quantiles) after the next flush, and the previous flush interval's values
 * are the `interval` quantiles.
 */
export class Histogram {
  private pending: number[] = [];
  readonly cumulativeCounts: number[] = new Array<number>(ENVOY_DEFAULT_BUCKETS.length).fill(0);
  sum = 0;
  count = 0;
  readonly cumulative = new LogLinearHistogram();
  interval = new LogLinearHistogram();
  used = false;

  constructor(readonly id: StatName) {}

  record(value: number): void {
    this.pending.push(value);
    this.used = true;
  }

  flush(): void {
    const interval = new LogLinearHistogram();
    for (const value of this.pending) {
      interval.record(value);
      this.sum += value;
      this.count++;
      ENVOY_DEFAULT_BUCKETS.forEach((bound, i) => {
        if (value <= bound) this.cumulativeCounts[i]++;
      });
    }
    this.cumulative.merge(interval);
    this.interval = interval;
    this.pending = [];
  }
}

/** The stats of one Envoy, created on first use and kept in creation order. */
export class StatsStore {
  readonly counters = new Map<string, Counter>();
  readonly gauges = new Map<string, Gauge>();
  readonly histograms = new Map<string, Histogram>();
  private readonly timer: NodeJS.Timeout;

  constructor(flushMs = FLUSH_INTERVAL_MS) {
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  counter(id: StatName, read?: () => number): Counter {
    let stat = this.counters.get(id.name);
    if (!stat) this.counters.set(id.name, (stat = new Counter(id, read)));
    return stat;
  }

  gauge(id: StatName, read: () => number): Gauge {
    let stat = this.gauges.get(id.name);
    if (!stat) this.gauges.set(id.name, (stat = new Gauge(id, read)));
    return stat;
  }

  histogram(id: StatName): Histogram {
    let stat = this.histograms.get(id.name);
    if (!stat) this.histograms.set(id.name, (stat = new Histogram(id)));
    return stat;
  }

  flush(): void {
    for (const histogram of this.histograms.values()) histogram.flush();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** A stat with no tags: its extracted name is its name. */
export function plain(name: string): StatName {
  return {name, extracted: name, tags: []};
}

/**
 * Istio's custom stats: `/stats` shows the tags joined into the name (Envoy's
 * joinNameAndTags); the Prometheus family is the metric name in the `istiocustom` namespace.
 */
export function istioStat(metric: string, tags: Tags): StatName {
  return {
    name: ['istiocustom', metric, ...tags.flatMap(([k, v]) => [k, v])].join('.'),
    extracted: `istiocustom.${metric}`,
    tags,
  };
}
