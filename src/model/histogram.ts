/**
 * A classic cumulative histogram: `cumulative[i]` observations were <= `bounds[i]`.
 * `bounds` ascend and the last one is `Infinity` (the `+Inf` bucket).
 */
export interface Histogram {
  bounds: number[];
  cumulative: number[];
  sum: number;
  count: number;
}

/** A quantile estimate plus the bucket bounds it was interpolated between. */
export interface QuantileEstimate {
  value: number;
  lower: number;
  upper: number;
}
