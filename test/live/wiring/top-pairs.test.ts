import {describe, expect, it} from 'vitest';
import type {TrafficEvent} from '../../../src/model/traffic.js';
import {HopPairs} from '../../../src/views/top-pairs.js';
import {makeEvent} from '../events.js';

const web = {name: 'web', namespace: 'shop'};
const books = {name: 'books', namespace: 'shop'};

function copy(direction: 'inbound' | 'outbound', requestId: string | null, overrides: Partial<TrafficEvent> = {}): TrafficEvent {
  return makeEvent({
    id: `${direction}-${requestId}`,
    direction,
    source: direction === 'outbound' ? web : null,
    destination: direction === 'inbound' ? books : null,
    requestHeaders: requestId === null ? [] : [['x-request-id', requestId]],
    ...overrides,
  });
}

describe('joining the two copies of a hop', () => {
  it('outbound and inbound copies with one request id become one event: the client view, the server as destination', () => {
    const pairs = new HopPairs(1000);
    expect(pairs.add(copy('inbound', 'r1', {latencyMs: 3}), 0)).toEqual([]);
    const [joined, ...rest] = pairs.add(copy('outbound', 'r1', {latencyMs: 5}), 10);
    expect(rest).toEqual([]);
    expect(joined).toMatchObject({id: 'outbound-r1', direction: 'outbound', source: web, destination: books, latencyMs: 5});
    expect(pairs.paired).toBe(1);
  });

  it('one id on different requests (an app passing its id on) does not join them', () => {
    const pairs = new HopPairs(1000);
    pairs.add(copy('outbound', 'r1', {path: '/a'}), 0);
    expect(pairs.add(copy('inbound', 'r1', {path: '/b'}), 1)).toEqual([]);
    expect(pairs.release(1001).map((e) => e.path)).toEqual(['/a', '/b']);
  });

  it('a copy whose partner never comes is released after the hold time, oldest first', () => {
    const pairs = new HopPairs(1000);
    pairs.add(copy('outbound', 'r1'), 0);
    pairs.add(copy('outbound', 'r2'), 500);
    expect(pairs.release(999)).toEqual([]);
    expect(pairs.release(1000).map((e) => e.id)).toEqual(['outbound-r1']);
    expect(pairs.release(1500).map((e) => e.id)).toEqual(['outbound-r2']);
  });

  it('a retry from the same side lets the earlier copy go alone', () => {
    const pairs = new HopPairs(1000);
    pairs.add(copy('outbound', 'r1', {latencyMs: 1}), 0);
    expect(pairs.add(copy('outbound', 'r1', {latencyMs: 2}), 5).map((e) => e.latencyMs)).toEqual([1]);
  });

  it('events without a request id or a side pass at once', () => {
    const pairs = new HopPairs(1000);
    expect(pairs.add(copy('outbound', null), 0)).toHaveLength(1);
    expect(pairs.add(copy('inbound', 'r1', {direction: null}), 0)).toHaveLength(1);
  });

  it('holds at most maxHeld; the oldest goes early', () => {
    const pairs = new HopPairs(1000, 2);
    pairs.add(copy('outbound', 'r1'), 0);
    pairs.add(copy('outbound', 'r2'), 0);
    expect(pairs.add(copy('outbound', 'r3'), 0).map((e) => e.id)).toEqual(['outbound-r1']);
  });
});
