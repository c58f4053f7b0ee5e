import {describe, expect, it} from 'vitest';
import {NO_FILTER, parseTapFilter} from '../../../src/views/tap-filter.js';
import {TapPipeline} from '../../../src/views/tap-pipeline.js';
import {makeEvent} from '../events.js';

const at = (path: string, startMs: number, extra = {}) => makeEvent({id: path, path, requestStartMs: startMs, ...extra});
const paths = (events: {path: string | null}[]) => events.map((e) => e.path);

describe('the tap pipeline', () => {
  it('keeps only what passes the filters and counts it', () => {
    const pipeline = new TapPipeline({filter: parseTapFilter({status: '5xx'}), maxRps: null, limit: null, mergeDelayMs: 0});
    const out = pipeline.add([at('/ok', 1000), at('/bad', 1001, {status: 503}), at('/worse', 1002, {status: 500})], 5000);
    expect(paths(out)).toEqual(['/bad', '/worse']);
    expect(pipeline.matched).toBe(2);
    expect(pipeline.shown).toBe(2);
  });

  it('holds events for the merge delay and releases them in request-start order', () => {
    const pipeline = new TapPipeline({filter: NO_FILTER, maxRps: null, limit: null, mergeDelayMs: 500});
    expect(pipeline.add([at('/late', 1200)], 1300)).toEqual([]);
    expect(pipeline.add([at('/early', 1000)], 1350)).toEqual([]);
    // At 1550 only /early (1000 ≤ 1550 − 500) is due; /late follows at 1700.
    expect(paths(pipeline.tick(1550))).toEqual(['/early']);
    expect(paths(pipeline.tick(1700))).toEqual(['/late']);
  });

  it('--count: releases exactly the limit, then nothing', () => {
    const pipeline = new TapPipeline({filter: NO_FILTER, maxRps: null, limit: 3, mergeDelayMs: 0});
    expect(paths(pipeline.add([at('/1', 1), at('/2', 2)], 10))).toEqual(['/1', '/2']);
    expect(pipeline.done).toBe(false);
    expect(paths(pipeline.add([at('/3', 3), at('/4', 4)], 11))).toEqual(['/3']);
    expect(pipeline.done).toBe(true);
    expect(pipeline.add([at('/5', 5)], 12)).toEqual([]);
    expect(pipeline.drain()).toEqual([]);
    expect(pipeline.matched).toBe(5);
  });

  it('--max-rps: a second yields at most N, released when the next second starts; drain samples the last one', () => {
    const pipeline = new TapPipeline({filter: NO_FILTER, maxRps: 2, limit: null, mergeDelayMs: 0, seed: 7});
    const second = Array.from({length: 10}, (_, i) => at(`/s1/${i}`, 10_000 + i));
    expect(pipeline.add(second, 10_500)).toEqual([]);
    const released = pipeline.tick(11_000);
    expect(released).toHaveLength(2);
    expect(released.every((e) => e.path!.startsWith('/s1/'))).toBe(true);
    pipeline.add(Array.from({length: 5}, (_, i) => at(`/s2/${i}`, 11_000 + i)), 11_200);
    const last = pipeline.drain();
    expect(last).toHaveLength(2);
    expect(last.every((e) => e.path!.startsWith('/s2/'))).toBe(true);
    expect(pipeline.sampledOut).toBe(8 + 3);
  });
});
