import {describe, expect, it} from 'vitest';
import {sinceStart, windowBetween} from '../../src/metrics/window.js';
import {counter, hist, latency, snapshot, tcp} from '../helpers/snapshots.js';

const B = [10, 100, Infinity];

describe('windowBetween', () => {
  it('subtracts counters, histograms and bytes series by series over the scrape interval', () => {
    const before = snapshot('p', 10_000, {
      http: [counter('a', 100), counter('b', 7, {success: false})],
      latency: [latency('a', hist(B, [50, 90, 100]))],
      tcp: [tcp('t', 3, 1000, 2000)],
    });
    const after = snapshot('p', 15_000, {
      http: [counter('a', 160), counter('b', 9, {success: false})],
      latency: [latency('a', hist(B, [80, 140, 160]))],
      tcp: [tcp('t', 5, 1500, 2600)],
    });
    const w = windowBetween(before, after);
    expect(w.seconds).toBe(5);
    expect(w.reset).toBe(false);
    expect(w.http.map((c) => c.value)).toEqual([60, 2]);
    expect(w.latency[0].histogram.cumulative).toEqual([30, 50, 60]);
    expect(w.latency[0].histogram.count).toBe(60);
    expect(w.tcp[0]).toMatchObject({openConnections: 5, readBytes: 500, writeBytes: 600});
  });

  it('counts a series that went backwards (reset or idle eviction) from zero', () => {
    const before = snapshot('p', 0, {http: [counter('a', 500)], latency: [latency('a', hist(B, [1, 2, 500]))]});
    const after = snapshot('p', 5000, {http: [counter('a', 12)], latency: [latency('a', hist(B, [3, 9, 12]))]});
    const w = windowBetween(before, after);
    expect(w.http[0].value).toBe(12);
    expect(w.latency[0].histogram.cumulative).toEqual([3, 9, 12]);
    expect(w.reset).toBe(true);
  });

  it('counts a series that appeared during the window from zero and drops one that vanished', () => {
    const before = snapshot('p', 0, {http: [counter('gone', 40)]});
    const after = snapshot('p', 2000, {http: [counter('new', 4)]});
    const w = windowBetween(before, after);
    expect(w.http).toHaveLength(1);
    expect(w.http[0]).toMatchObject({id: 'new', value: 4});
  });

  it('treats a changed start time as a restart: everything from zero, window shortened to the uptime', () => {
    const before = snapshot('p', 100_000, {startTimeSec: 10, http: [counter('a', 1000)]});
    // restarted 3 s before the second scrape; its counter is at 30 (would look like growth)
    const after = snapshot('p', 105_000, {startTimeSec: 102, http: [counter('a', 1030)]});
    const w = windowBetween(before, after);
    expect(w.reset).toBe(true);
    expect(w.http[0].value).toBe(1030);
    expect(w.seconds).toBe(3);
  });

  it('tolerates the start-time jitter of an uptime gauge that moves only at stats flush', () => {
    const before = snapshot('p', 100_000, {startTimeSec: 50, http: [counter('a', 10)]});
    const after = snapshot('p', 105_000, {startTimeSec: 54.9, http: [counter('a', 15)]});
    expect(windowBetween(before, after)).toMatchObject({reset: false, seconds: 5});
  });
});

describe('sinceStart (window 0)', () => {
  it('keeps cumulative values and uses the uptime as the window', () => {
    const s = snapshot('p', 1_000_000, {startTimeSec: 400, http: [counter('a', 1200)]});
    const w = sinceStart(s);
    expect(w.sinceStart).toBe(true);
    expect(w.seconds).toBe(600);
    expect(w.http[0].value).toBe(1200);
  });

  it('has an unknown window when the proxy does not say when it started', () => {
    expect(sinceStart(snapshot('p', 1000, {startTimeSec: null})).seconds).toBeNull();
  });
});
