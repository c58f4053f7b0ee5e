/**
 * A log-linear histogram in the spirit of Envoy's (circllhist): values are kept in buckets two
 * significant digits wide, and quantiles are interpolated within the bucket they fall in. It
 * backs `/stats?format=json`'s computed quantiles.
 */
export class LogLinearHistogram {
  private readonly buckets = new Map<number, number>();
  count = 0;

  record(value: number): void {
    const lower = bucketLower(value);
    this.buckets.set(lower, (this.buckets.get(lower) ?? 0) + 1);
    this.count++;
  }

  merge(other: LogLinearHistogram): void {
    for (const [lower, n] of other.buckets) this.buckets.set(lower, (this.buckets.get(lower) ?? 0) + n);
    this.count += other.count;
  }

  /** Quantile for q in [0, 1]; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const sorted = [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
    const target = q * this.count;
    let seen = 0;
    for (const [lower, n] of sorted) {
      if (seen + n >= target) {
        const fraction = n === 0 ? 0 : Math.max(0, Math.min(1, (target - seen) / n));
        return lower + fraction * bucketWidth(lower);
      }
      seen += n;
    }
    const [lastLower] = sorted[sorted.length - 1];
    return lastLower + bucketWidth(lastLower);
  }
}

function bucketWidth(lower: number): number {
  if (lower <= 0) return 0;
  return 10 ** (Math.floor(Math.log10(lower)) - 1);
}

/** Lower edge of the two-significant-digit bucket holding `value` (0 has its own bucket). */
function bucketLower(value: number): number {
  if (value <= 0) return 0;
  const width = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.floor(value / width) * width;
}
