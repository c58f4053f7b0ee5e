import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {LruMap} from '../../src/util/lru.js';

describe('LruMap', () => {
  it('keeps entries in recency order: touch moves to newest, shift removes oldest', () => {
    const lru = new LruMap<string, number>();
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.touch('a')).toBe(1);
    expect([...lru.entries()]).toEqual([
      ['b', 2],
      ['c', 3],
      ['a', 1],
    ]);
    expect(lru.shift()).toEqual(['b', 2]);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.touch('missing')).toBeUndefined();
    lru.set('c', 30);
    expect([...lru.values()]).toEqual([1, 30]);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    expect(lru.size).toBe(1);
    lru.clear();
    expect(lru.shift()).toBeUndefined();
  });

  it('property: behaves like an array kept in recency order', () => {
    const op = fc.oneof(
      fc.record({kind: fc.constant('set' as const), key: fc.integer({min: 0, max: 5}), value: fc.integer()}),
      fc.record({kind: fc.constant('touch' as const), key: fc.integer({min: 0, max: 5})}),
      fc.record({kind: fc.constant('delete' as const), key: fc.integer({min: 0, max: 5})}),
      fc.record({kind: fc.constant('shift' as const)}),
    );
    fc.assert(
      fc.property(fc.array(op, {maxLength: 60}), (ops) => {
        const lru = new LruMap<number, number>();
        let model: [number, number][] = [];
        for (const o of ops) {
          if (o.kind === 'set') {
            model = [...model.filter(([k]) => k !== o.key), [o.key, o.value]];
            lru.set(o.key, o.value);
          } else if (o.kind === 'touch') {
            const found = model.find(([k]) => k === o.key);
            if (found) model = [...model.filter(([k]) => k !== o.key), found];
            expect(lru.touch(o.key)).toBe(found?.[1]);
          } else if (o.kind === 'delete') {
            expect(lru.delete(o.key)).toBe(model.some(([k]) => k === o.key));
            model = model.filter(([k]) => k !== o.key);
          } else {
            expect(lru.shift()).toEqual(model.shift());
          }
          expect([...lru.entries()]).toEqual(model);
          expect(lru.size).toBe(model.length);
        }
      }),
    );
  });
});
