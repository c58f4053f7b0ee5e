/** Metric types as declared by `# TYPE` (0.0.4 and OpenMetrics); anything else is `unknown`. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'summary'
  | 'untyped'
  | 'unknown'
  | 'info'
  | 'stateset'
  | 'gaugehistogram';

export type Labels = Record<string, string>;

export interface Sample {
  /** Full sample name as written, e.g. `response_latency_ms_bucket`. */
  name: string;
  labels: Labels;
  /** float64, like Prometheus itself: NaN and ±Inf allowed, values above 2^53 lose precision. */
  value: number;
  timestampMs: number | null;
}

export interface MetricFamily {
  /** Family name: from `# TYPE`/`# HELP`, else the sample name. */
  name: string;
  type: MetricType;
  help: string | null;
  unit: string | null;
  samples: Sample[];
}

export interface ParseOptions {
  /**
   * Called with metric names (family names from comment lines and sample names); returning
   * false skips the line cheaply. Use prefix tests so both kinds of name match.
   */
  keep?: (name: string) => boolean;
}

export interface ParsedMetrics {
  /** Families in order of first appearance. */
  families: MetricFamily[];
  /** All kept samples with exactly this sample name (empty array when none). */
  samples(name: string): Sample[];
}
