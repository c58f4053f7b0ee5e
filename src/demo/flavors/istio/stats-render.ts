import {escapeLabelValue} from '../../metrics/series.js';
import {ENVOY_DEFAULT_BUCKETS, type Counter, type Gauge, type Histogram, type StatName, type StatsStore} from './stats-store.js';

/** Which stats a request asked for (`/stats` query parameters). */
export interface StatsQuery {
  usedOnly: boolean;
  filter: RegExp | null;
  type: 'All' | 'Counters' | 'Gauges' | 'Histograms' | 'TextReadouts';
}

export const ALL_STATS: StatsQuery = {usedOnly: false, filter: null, type: 'All'};

/** Envoy orders stat names token by token (its symbol table), not character by character. */
export function compareStatNames(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Prometheus family name: custom-namespace stats bare, everything else prefixed `envoy_` (prometheus_stats.cc). */
export function prometheusName(extracted: string): string {
  return extracted.startsWith('istiocustom.') ? sanitize(extracted.slice('istiocustom.'.length)) : `envoy_${sanitize(extracted)}`;
}

function tagsText(id: StatName, extra = ''): string {
  const tags = id.tags.map(([k, v]) => `${sanitize(k)}="${escapeLabelValue(v)}"`).join(',');
  return [tags, extra].filter((p) => p !== '').join(',');
}

function shown(stat: {id: StatName; used?: boolean}, query: StatsQuery): boolean {
  return (!query.usedOnly || stat.used !== false) && (!query.filter || query.filter.test(stat.id.name));
}

function groups<T extends {id: StatName}>(stats: Iterable<T>, query: StatsQuery): Array<[string, T[]]> {
  const byFamily = new Map<string, T[]>();
  for (const stat of stats) {
    if (!shown(stat, query)) continue;
    const list = byFamily.get(stat.id.extracted) ?? [];
    list.push(stat);
    byFamily.set(stat.id.extracted, list);
  }
  return [...byFamily.entries()]
    .sort(([a], [b]) => compareStatNames(a, b))
    .map(([family, list]) => [family, list.sort((a, b) => compareStatNames(a.id.name, b.id.name))]);
}

/**
 * `/stats/prometheus` as Envoy writes it: counters, then gauges, then histograms; families
 * sorted by tag-extracted name, each under a `# TYPE` line and no `# HELP`; unlabelled stats as
 * `name{}`; cumulative histogram buckets with Envoy's default bounds.
 */
export function renderPrometheus(store: StatsStore, query: StatsQuery = ALL_STATS): string {
  let out = '';
  for (const [family, stats] of groups<Counter | Gauge>(store.counters.values(), query)) {
    out += `# TYPE ${prometheusName(family)} counter\n`;
    for (const stat of stats) out += `${prometheusName(family)}{${tagsText(stat.id)}} ${stat.value}\n`;
  }
  for (const [family, stats] of groups<Counter | Gauge>(store.gauges.values(), query)) {
    out += `# TYPE ${prometheusName(family)} gauge\n`;
    for (const stat of stats) out += `${prometheusName(family)}{${tagsText(stat.id)}} ${stat.value}\n`;
  }
  for (const [family, stats] of groups(store.histograms.values(), query)) {
    const name = prometheusName(family);
    out += `# TYPE ${name} histogram\n`;
    for (const stat of stats) out += histogramLines(name, stat);
  }
  return out;
}

function histogramLines(name: string, h: Histogram): string {
  let out = '';
  ENVOY_DEFAULT_BUCKETS.forEach((bound, i) => (out += `${name}_bucket{${tagsText(h.id, `le="${bound}"`)}} ${h.cumulativeCounts[i]}\n`));
  out += `${name}_bucket{${tagsText(h.id, 'le="+Inf"')}} ${h.count}\n`;
  out += `${name}_sum{${tagsText(h.id)}} ${h.sum}\n${name}_count{${tagsText(h.id)}} ${h.count}\n`;
  return out;
}

/** Envoy's supported quantiles, ×100 as `/stats` reports them. */
export const SUPPORTED_QUANTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

function sortedStats(store: StatsStore, query: StatsQuery): {numbers: Array<Counter | Gauge>; histograms: Histogram[]} {
  const numbers: Array<Counter | Gauge> = [];
  if (query.type === 'All' || query.type === 'Counters') numbers.push(...store.counters.values());
  if (query.type === 'All' || query.type === 'Gauges') numbers.push(...store.gauges.values());
  const histograms = query.type === 'All' || query.type === 'Histograms' ? [...store.histograms.values()] : [];
  return {
    numbers: numbers.filter((s) => shown(s, query)).sort((a, b) => compareStatNames(a.id.name, b.id.name)),
    histograms: histograms.filter((s) => shown(s, query)).sort((a, b) => compareStatNames(a.id.name, b.id.name)),
  };
}

/** `/stats?format=json`: numbers, then one element holding every histogram's computed quantiles. */
export function renderStatsJson(store: StatsStore, query: StatsQuery = ALL_STATS, pretty = false): string {
  const {numbers, histograms} = sortedStats(store, query);
  const stats: unknown[] = numbers.map((s) => ({name: s.id.name, value: s.value}));
  if (histograms.length > 0) {
    stats.push({
      histograms: {
        supported_quantiles: SUPPORTED_QUANTILES,
        computed_quantiles: histograms.map((h) => ({
          name: h.id.name,
          values: SUPPORTED_QUANTILES.map((q) => ({cumulative: h.cumulative.quantile(q / 100), interval: h.interval.quantile(q / 100)})),
        })),
      },
    });
  }
  return pretty ? JSON.stringify({stats}, null, 1) : JSON.stringify({stats});
}

/** `/stats` text: `name: value` lines, then histograms as `P0(interval,cumulative) …`. */
export function renderStatsText(store: StatsStore, query: StatsQuery = ALL_STATS): string {
  const {numbers, histograms} = sortedStats(store, query);
  let out = numbers.map((s) => `${s.id.name}: ${s.value}\n`).join('');
  for (const h of histograms) {
    if (h.count === 0) {
      out += `${h.id.name}: No recorded values\n`;
      continue;
    }
    const fmt = (v: number | null) => (v === null ? 'nan' : String(Math.round(v * 1000) / 1000));
    out += `${h.id.name}: ${SUPPORTED_QUANTILES.map((q) => `P${q}(${fmt(h.interval.quantile(q / 100))},${fmt(h.cumulative.quantile(q / 100))})`).join(' ')}\n`;
  }
  return out;
}
