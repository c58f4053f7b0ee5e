import {describe, expect, it} from 'vitest';
import {TimeOrderedMerge} from '../../src/views/tap-merge.js';
import {makeEvent} from './events.js';

const at = (id: string, requestStartMs: number) => makeEvent({id, requestStartMs});

describe('merging several proxies in time order', () => {
  it('holds events for the delay and releases them sorted by request start', () => {
    const merge = new TimeOrderedMerge(500);
    expect(merge.add([at('a1', 1000), at('a2', 1300)], 1400)).toEqual([]);
    expect(merge.add([at('b1', 1100), at('b2', 1200)], 1450)).toEqual([]);
    expect(merge.release(1700).map((e) => e.id)).toEqual(['a1', 'b1', 'b2']);
    expect(merge.release(1800).map((e) => e.id)).toEqual(['a2']);
  });

  it('estimates the start from arrival minus latency when the proxy did not record it', () => {
    const merge = new TimeOrderedMerge(0);
    const slow = makeEvent({id: 'slow', observedAtMs: 2000, latencyMs: 900});
    const fast = makeEvent({id: 'fast', observedAtMs: 1900, latencyMs: 1});
    expect(merge.add([fast, slow], 1000).map((e) => e.id)).toEqual([]);
    expect(merge.release(5000).map((e) => e.id)).toEqual(['slow', 'fast']);
  });

  it('lets a late event through at once and counts it', () => {
    const merge = new TimeOrderedMerge(100);
    merge.add([at('x', 1000)], 1200);
    expect(merge.add([at('late', 900)], 1201).map((e) => e.id)).toEqual(['late']);
    expect(merge.late).toBe(1);
  });

  it('never holds more than maxHeld events', () => {
    const merge = new TimeOrderedMerge(10_000, 3);
    const released = merge.add([at('1', 5), at('2', 4), at('3', 3), at('4', 2), at('5', 1)], 0);
    expect(released.map((e) => e.id)).toEqual(['5', '4']);
    expect(merge.drain().map((e) => e.id)).toEqual(['3', '2', '1']);
  });
});
