import type {Histogram, QuantileEstimate} from '../model/histogram.js';

/**
 * φ-quantile of a cumulative histogram, exactly as Prometheus's `histogram_quantile` does for
 * classic buckets (promql/quantile.go `bucketQuantile`): buckets sorted and coalesced by
 * bound, made monotonic, linear interpolation inside the bucket holding rank φ·count, a lower
 * bound of 0 for the first bucket when its bound is positive, and the second-highest bound
 * when the rank falls into +Inf. Returns null where Prometheus returns NaN (no observations,
 * fewer than two buckets, no +Inf bucket, φ NaN).
 *
 * The estimate carries the bounds it was interpolated between, so a reader can see the
 * resolution (a p99 of 9750ms between 5000 and 10000 means "somewhere in that bucket").
 */
export function histogramQuantile(q: number, histogram: Histogram): QuantileEstimate | null {
  if (Number.isNaN(q)) return null;
  if (q < 0) return {value: -Infinity, lower: -Infinity, upper: -Infinity};
  if (q > 1) return {value: Infinity, lower: Infinity, upper: Infinity};
  const buckets = prepareBuckets(histogram);
  if (buckets === null || buckets.length < 2) return null;
  const observations = buckets[buckets.length - 1].count;
  if (!(observations > 0)) return null;

  let rank = q * observations;
  // First bucket (excluding +Inf) whose cumulative count reaches the rank.
  let b = 0;
  while (b < buckets.length - 1 && buckets[b].count < rank) b++;

  if (b === buckets.length - 1) {
    const bound = buckets[buckets.length - 2].bound;
    return {value: bound, lower: bound, upper: Infinity};
  }
  if (b === 0 && buckets[0].bound <= 0) {
    return {value: buckets[0].bound, lower: -Infinity, upper: buckets[0].bound};
  }
  let start = 0;
  const end = buckets[b].bound;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  const value = start + (end - start) * (rank / count);
  // φ=0 with an empty first bucket divides 0 by 0; Prometheus answers NaN there too.
  return Number.isNaN(value) ? null : {value, lower: start, upper: end};
}

interface Bucket {
  bound: number;
  count: number;
}

function prepareBuckets(histogram: Histogram): Bucket[] | null {
  const {bounds, cumulative} = histogram;
  if (bounds.length === 0 || bounds.length !== cumulative.length) return null;
  const sorted = bounds
    .map((bound, i) => ({bound, count: cumulative[i]}))
    .filter((b) => !Number.isNaN(b.bound))
    .sort((a, b) => a.bound - b.bound);
  if (sorted.length === 0 || sorted[sorted.length - 1].bound !== Infinity) return null;
  const merged: Bucket[] = [];
  for (const bucket of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.bound === bucket.bound) last.count += bucket.count;
    else merged.push({...bucket});
  }
  let max = merged[0].count;
  for (let i = 1; i < merged.length; i++) {
    if (merged[i].count > max) max = merged[i].count;
    else if (merged[i].count < max) merged[i].count = max;
  }
  return merged;
}

/**
 * Sum histograms. With identical bounds this is exactly Prometheus's `sum by (le)`. When the
 * bounds differ (a workload whose proxies disagree), each histogram contributes, at every
 * bound of the union, the count of its largest bound not above it — a lower estimate that
 * stays monotonic, instead of the non-monotonic mix `sum by (le)` would produce.
 */
export function sumHistograms(histograms: readonly Histogram[]): Histogram | null {
  if (histograms.length === 0) return null;
  if (histograms.length === 1) return histograms[0];
  const first = histograms[0];
  if (histograms.every((h) => sameBounds(h.bounds, first.bounds))) {
    const cumulative = first.cumulative.slice();
    let sum = first.sum;
    let count = first.count;
    for (let i = 1; i < histograms.length; i++) {
      const h = histograms[i];
      for (let j = 0; j < cumulative.length; j++) cumulative[j] += h.cumulative[j];
      sum += h.sum;
      count += h.count;
    }
    return {bounds: first.bounds.slice(), cumulative, sum, count};
  }
  const bounds = [...new Set(histograms.flatMap((h) => h.bounds))].sort((a, b) => a - b);
  const cumulative = bounds.map((bound) => histograms.reduce((acc, h) => acc + countAtOrBelow(h, bound), 0));
  return {
    bounds,
    cumulative,
    sum: histograms.reduce((acc, h) => acc + h.sum, 0),
    count: histograms.reduce((acc, h) => acc + h.count, 0),
  };
}

function countAtOrBelow(h: Histogram, bound: number): number {
  let count = 0;
  for (let i = 0; i < h.bounds.length && h.bounds[i] <= bound; i++) count = h.cumulative[i];
  return count;
}

export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `after − before` bucket by bucket, or null when the histogram went backwards (the proxy
 * restarted or the series was dropped and recreated) or changed its bounds; the caller then
 * treats `after` as the whole increase, like Prometheus's counter-reset handling.
 */
export function subtractHistogram(after: Histogram, before: Histogram): Histogram | null {
  if (!sameBounds(after.bounds, before.bounds)) return null;
  if (after.count < before.count) return null;
  const cumulative = new Array<number>(after.cumulative.length);
  for (let i = 0; i < cumulative.length; i++) {
    const delta = after.cumulative[i] - before.cumulative[i];
    if (delta < 0) return null;
    cumulative[i] = delta;
  }
  return {bounds: after.bounds, cumulative, sum: after.sum - before.sum, count: after.count - before.count};
}

export function emptyHistogram(bounds: readonly number[]): Histogram {
  return {bounds: bounds.slice(), cumulative: bounds.map(() => 0), sum: 0, count: 0};
}
