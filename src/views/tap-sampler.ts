/**
 * `--max-rps N`: keep at most N items per second, chosen uniformly at random among all the
 * items of that second (reservoir sampling, Algorithm R). Every item of a second has the
 * same chance N/total of being kept, wherever it falls, so a burst at the start of a second
 * cannot crowd out the rest of it (the bias linkerd/linkerd2#1531 describes for "first N").
 *
 * The price is delay: a second's sample is released when the next second begins (on
 * `offer` or `tick`), in arrival order. Randomness comes from a seeded generator, so a run
 * can be repeated exactly. Memory: at most N items held.
 */
export class EvenSampler<T> {
  private readonly random: () => number;
  private second = Number.NaN;
  private seen = 0;
  private reservoir: {item: T; order: number}[] = [];
  /** Items offered and not kept, over the whole run. */
  skipped = 0;

  constructor(
    readonly maxPerSecond: number,
    seed = 0x5eed,
  ) {
    if (!Number.isInteger(maxPerSecond) || maxPerSecond < 1) throw new RangeError('maxPerSecond must be a positive integer');
    this.random = mulberry32(seed);
  }

  /** Offer one item observed at `nowMs`; returns the previous second's sample if it just closed. */
  offer(item: T, nowMs: number): T[] {
    const released = this.tick(nowMs);
    const order = this.seen++;
    if (this.reservoir.length < this.maxPerSecond) {
      this.reservoir.push({item, order});
    } else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.maxPerSecond) this.reservoir[slot] = {item, order};
      this.skipped++;
    }
    return released;
  }

  /** Release the held sample once `nowMs` is in a later second; call on a timer too. */
  tick(nowMs: number): T[] {
    const second = Math.floor(nowMs / 1000);
    if (second === this.second) return [];
    this.second = second;
    return this.drain();
  }

  /** Release whatever is held (end of the run). */
  drain(): T[] {
    const out = this.reservoir.sort((a, b) => a.order - b.order).map((entry) => entry.item);
    this.reservoir = [];
    this.seen = 0;
    return out;
  }
}

/** A small, fast, seedable PRNG (mulberry32); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
