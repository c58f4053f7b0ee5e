/**
 * A fixed-bounds histogram as Prometheus-style exporters keep it: per-bucket counts, a sum and
 * a count. `bounds` ascend and exclude +Inf, which is implicit.
 */
export class BucketHistogram {
  readonly bounds: readonly number[];
  private readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Cumulative counts, one per bound plus the final +Inf bucket (which equals `count`). */
  cumulative(): number[] {
    const out: number[] = [];
    let running = 0;
    for (const c of this.counts) {
      running += c;
      out.push(running);
    }
    return out;
  }
}
