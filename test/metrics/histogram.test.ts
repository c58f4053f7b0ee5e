import {describe, expect, it} from 'vitest';
import {histogramQuantile, subtractHistogram, sumHistograms} from '../../src/metrics/histogram.js';
import {hist} from '../helpers/snapshots.js';

describe('histogramQuantile bounds', () => {
  it('reports the bucket the estimate fell into', () => {
    // 10 observations ≤5, 10 more in (5,10]: the median is the top of the first bucket.
    const h = hist([5, 10, Infinity], [10, 20, 20]);
    expect(histogramQuantile(0.5, h)).toEqual({value: 5, lower: 0, upper: 5});
    expect(histogramQuantile(0.75, h)).toEqual({value: 7.5, lower: 5, upper: 10});
  });

  it('answers the highest finite bound, open above, when the rank falls into +Inf', () => {
    expect(histogramQuantile(0.99, hist([5, 10, Infinity], [1, 2, 100]))).toEqual({value: 10, lower: 10, upper: Infinity});
  });
});

describe('sumHistograms', () => {
  it('adds bucket by bucket when bounds agree', () => {
    const s = sumHistograms([hist([1, 2, Infinity], [1, 2, 3]), hist([1, 2, Infinity], [10, 20, 30])]);
    expect(s).toMatchObject({bounds: [1, 2, Infinity], cumulative: [11, 22, 33], count: 33});
  });

  it('stays monotonic when bounds differ (each contributes its count at or below every bound)', () => {
    const s = sumHistograms([hist([1, 5, Infinity], [2, 4, 6]), hist([2, 5, Infinity], [1, 1, 3])])!;
    expect(s.bounds).toEqual([1, 2, 5, Infinity]);
    // at 1: 2+0; at 2: 2+1; at 5: 4+1; at +Inf: 6+3
    expect(s.cumulative).toEqual([2, 3, 5, 9]);
  });
});

describe('subtractHistogram', () => {
  it('returns null when any bucket decreased or the bounds changed', () => {
    expect(subtractHistogram(hist([1, Infinity], [1, 5]), hist([1, Infinity], [2, 4]))).toBeNull();
    expect(subtractHistogram(hist([1, Infinity], [3, 5]), hist([2, Infinity], [1, 2]))).toBeNull();
  });
});
