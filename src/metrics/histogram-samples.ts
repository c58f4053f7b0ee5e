import type {Histogram} from '../model/histogram.js';
import type {Labels, ParsedMetrics, Sample} from './types.js';

/** A histogram series rebuilt from `_bucket`, `_sum` and `_count` samples, with its labels (minus `le`). */
export interface HistogramSeries {
  labels: Labels;
  histogram: Histogram;
}

/**
 * Key for a label set, optionally ignoring one label. Labels are taken in the order the proxy
 * wrote them: a proxy writes one series' labels in the same order every time (also across a
 * histogram's `_bucket`, `_sum` and `_count`), and skipping a sort keeps this cheap on the hot
 * path of every scrape.
 */
export function labelKey(labels: Labels, ignore?: string): string {
  let key = '';
  for (const name in labels) {
    if (name !== ignore) key += `${name}\u0000${labels[name]}\u0001`;
  }
  return key;
}

/** Parse an `le` value as Prometheus does (`+Inf`, `1`, `1.0`, `0.005`). NaN when unparsable. */
export function parseBound(le: string): number {
  if (le === '+Inf' || le === 'Inf' || le === '+inf' || le === 'inf') return Infinity;
  if (le.trim() === '') return Number.NaN;
  return Number(le);
}

/**
 * Group the `<base>_bucket` samples into histograms by their labels (minus `le`), attaching
 * `<base>_sum` and `<base>_count`. When `_count` is missing the +Inf bucket stands in for it.
 * Samples whose `le` does not parse are skipped.
 */
export function readHistograms(metrics: ParsedMetrics, base: string): HistogramSeries[] {
  const groups = new Map<string, {labels: Labels; points: {bound: number; count: number}[]}>();
  for (const sample of metrics.samples(`${base}_bucket`)) {
    const le = sample.labels.le;
    if (le === undefined) continue;
    const bound = parseBound(le);
    if (Number.isNaN(bound)) continue;
    const key = labelKey(sample.labels, 'le');
    let group = groups.get(key);
    if (!group) {
      const labels = {...sample.labels};
      delete labels.le;
      group = {labels, points: []};
      groups.set(key, group);
    }
    group.points.push({bound, count: sample.value});
  }
  if (groups.size === 0) return [];
  const sums = indexByLabels(metrics.samples(`${base}_sum`));
  const counts = indexByLabels(metrics.samples(`${base}_count`));
  const series: HistogramSeries[] = [];
  for (const [key, group] of groups) {
    group.points.sort((a, b) => a.bound - b.bound);
    const bounds = group.points.map((p) => p.bound);
    const cumulative = group.points.map((p) => p.count);
    const infCount = bounds[bounds.length - 1] === Infinity ? cumulative[cumulative.length - 1] : Number.NaN;
    series.push({
      labels: group.labels,
      histogram: {bounds, cumulative, sum: sums.get(key) ?? Number.NaN, count: counts.get(key) ?? infCount},
    });
  }
  return series;
}

function indexByLabels(samples: readonly Sample[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const sample of samples) index.set(labelKey(sample.labels), sample.value);
  return index;
}
