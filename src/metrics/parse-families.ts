import type {MetricFamily, MetricType, Sample} from './types.js';

/** Sample-name suffixes each family type owns besides the bare family name. */
const SUFFIXES_BY_TYPE: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  info: ['_info'],
  gauge: [],
  stateset: [],
  untyped: [],
  unknown: [],
};
const ALL_SUFFIXES = [...new Set(Object.values(SUFFIXES_BY_TYPE).flat())];

const KNOWN_TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram']);

/** The `# TYPE` value as a MetricType; anything unrecognised (e.g. `counter5`) is 'unknown'. */
export function metricTypeOf(declared: string): MetricType {
  const lower = declared.toLowerCase();
  return KNOWN_TYPES.has(lower) ? (lower as MetricType) : 'unknown';
}

function owns(family: MetricFamily, sampleName: string): boolean {
  const base = family.name;
  if (sampleName === base) return true;
  if (sampleName.length <= base.length || !sampleName.startsWith(base)) return false;
  for (const suffix of SUFFIXES_BY_TYPE[family.type]) {
    if (sampleName.length === base.length + suffix.length && sampleName.endsWith(suffix)) return true;
  }
  return false;
}

/**
 * Groups samples into families. A sample joins the family of the latest `# TYPE`/`# HELP`/
 * `# UNIT` line when its name is that family's name plus a suffix the family's type owns
 * (histogram `_bucket`, counter `_total`, …); otherwise an earlier family it fits, which covers
 * exporters that repeat a family further down; otherwise a new 'untyped' family named after
 * the sample. Declaring a name again reuses its family (the later TYPE, HELP or UNIT wins).
 */
export class FamilyIndex {
  families: MetricFamily[] = [];
  private readonly byName = new Map<string, MetricFamily>();
  private current: MetricFamily | null = null;
  private lastSampleName = '';
  private lastSampleFamily: MetricFamily | null = null;

  /** Starts a new input: a fresh `families` list, nothing remembered from the last one. */
  start(): void {
    this.families = [];
    this.byName.clear();
    this.current = null;
    this.lastSampleName = '';
    this.lastSampleFamily = null;
  }

  /** The family a `# TYPE`/`# HELP`/`# UNIT` line names; it becomes the current one. */
  declare(name: string): MetricFamily {
    const family = this.byName.get(name) ?? this.create(name);
    this.current = family;
    this.lastSampleFamily = null;
    return family;
  }

  /** A comment line was skipped: the samples after it belong to no declared family. */
  forgetCurrent(): void {
    this.current = null;
    this.lastSampleFamily = null;
  }

  add(sample: Sample): void {
    this.familyOf(sample.name).samples.push(sample);
  }

  private familyOf(sampleName: string): MetricFamily {
    // Consecutive samples usually share a name (a histogram's buckets); resolve once per run.
    if (this.lastSampleFamily !== null && sampleName === this.lastSampleName) return this.lastSampleFamily;
    const family = this.resolve(sampleName);
    this.lastSampleName = sampleName;
    this.lastSampleFamily = family;
    return family;
  }

  private resolve(sampleName: string): MetricFamily {
    if (this.current !== null && owns(this.current, sampleName)) return this.current;
    const exact = this.byName.get(sampleName);
    if (exact !== undefined) return exact;
    for (const suffix of ALL_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const family = this.byName.get(sampleName.slice(0, -suffix.length));
      if (family !== undefined && owns(family, sampleName)) return family;
    }
    return this.create(sampleName);
  }

  private create(name: string): MetricFamily {
    const family: MetricFamily = {name, type: 'untyped', help: null, unit: null, samples: []};
    this.byName.set(name, family);
    this.families.push(family);
    return family;
  }
}
