import {describe, expect, it} from 'vitest';
import {EvenSampler} from '../../src/views/tap-sampler.js';

/** Offer items at the given times and collect everything released, draining at the end. */
function run(sampler: EvenSampler<number>, times: number[]): number[] {
  const kept: number[] = [];
  times.forEach((t, i) => kept.push(...sampler.offer(i, t)));
  kept.push(...sampler.tick(Math.max(...times) + 1000));
  return kept;
}

describe('--max-rps sampling', () => {
  it('keeps everything when under the limit, released when the second is over', () => {
    const sampler = new EvenSampler<number>(10);
    expect(sampler.offer(0, 100)).toEqual([]);
    expect(sampler.offer(1, 900)).toEqual([]);
    expect(sampler.tick(999)).toEqual([]);
    expect(sampler.tick(1000)).toEqual([0, 1]);
    expect(sampler.skipped).toBe(0);
  });

  it('keeps at most N per second, in arrival order', () => {
    const times = Array.from({length: 3000}, (_, i) => i); // 1000 per second for 3 s
    const kept = run(new EvenSampler<number>(50), times);
    for (const second of [0, 1, 2]) {
      const inSecond = kept.filter((i) => Math.floor(times[i] / 1000) === second);
      expect(inSecond).toHaveLength(50);
    }
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it('is not biased towards a burst at the start of the second', () => {
    // 1000 requests in the first 10 ms, then 1000 spread over the rest of the second.
    const times = [
      ...Array.from({length: 1000}, (_, i) => i / 100),
      ...Array.from({length: 1000}, (_, i) => 10 + (i * 989) / 1000),
    ];
    let fromBurst = 0;
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const kept = run(new EvenSampler<number>(100, seed), times);
      fromBurst += kept.filter((i) => i < 1000).length;
      total += kept.length;
    }
    expect(total).toBe(2000);
    // Half the requests are in the burst, so about half the sample should be: a "first N"
    // sampler would take all 2000 from the burst.
    expect(fromBurst / total).toBeGreaterThan(0.45);
    expect(fromBurst / total).toBeLessThan(0.55);
  });

  it('gives every position in a second about the same chance', () => {
    const positions = 200;
    const hits = new Array<number>(positions).fill(0);
    const runs = 2000;
    for (let seed = 1; seed <= runs; seed++) {
      const sampler = new EvenSampler<number>(20, seed);
      for (let i = 0; i < positions; i++) sampler.offer(i, 5_000 + i);
      for (const i of sampler.drain()) hits[i]++;
    }
    // Expected 2000 × 20/200 = 200 per position; binomial sd ≈ 13.4, so ±60 is > 4 sd.
    for (const count of hits) {
      expect(count).toBeGreaterThan(140);
      expect(count).toBeLessThan(260);
    }
    // Thirds of the second get equal shares (no drift towards the start or the end).
    const thirds = [0, 1, 2].map((k) => hits.slice(k * 66, k * 66 + 66).reduce((a, b) => a + b, 0));
    for (const share of thirds) expect(share / (66 * 200)).toBeCloseTo(1, 1);
  });

  it('is repeatable with the same seed and differs with another', () => {
    const times = Array.from({length: 500}, (_, i) => i);
    expect(run(new EvenSampler<number>(10, 7), times)).toEqual(run(new EvenSampler<number>(10, 7), times));
    expect(run(new EvenSampler<number>(10, 7), times)).not.toEqual(run(new EvenSampler<number>(10, 8), times));
  });

  it('rejects a limit that is not a positive whole number', () => {
    expect(() => new EvenSampler(0)).toThrow(RangeError);
    expect(() => new EvenSampler(1.5)).toThrow(RangeError);
  });
});
