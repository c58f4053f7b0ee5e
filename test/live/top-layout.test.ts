import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatLatency, formatRps, formatSuccess, fitCell} from '../../src/render/top/format.js';
import {columnSpecs, DROP_ORDER, GAP, layoutTable} from '../../src/render/top/layout.js';

const used = (layout: ReturnType<typeof layoutTable>) =>
  layout.columns.reduce((sum, c) => sum + c.width, 0) + GAP * (layout.columns.length - 1);

describe('table layout', () => {
  it('shows every column at ideal width on a wide terminal and gives the rest to Path', () => {
    const layout = layoutTable(columnSpecs(false), 200, 0);
    expect(layout.dropped).toEqual([]);
    expect(layout.columns.map((c) => [c.id, c.width])).toEqual([
      ['source', 24],
      ['destination', 24],
      ['method', 6],
      // Ideal widths and gaps take 150 of 200 cells.
      ['path', 40 + 50],
      ['count', 7],
      ['rps', 6],
      ['best', 7],
      ['worst', 7],
      ['last', 7],
      ['success', 13],
    ]);
    expect(used(layout)).toBe(200);
  });

  it('drops columns in the documented order as the terminal narrows', () => {
    const droppedAt = (width: number) => layoutTable(columnSpecs(false), width, 0).dropped;
    expect(droppedAt(100)).toEqual([]);
    expect(droppedAt(80)).toEqual(['method', 'best']);
    expect(droppedAt(60)).toEqual(['method', 'best', 'worst', 'source']);
    expect(droppedAt(40)).toEqual(['method', 'best', 'worst', 'source', 'last', 'rps', 'destination']);
    for (const width of [100, 80, 60, 40, 20]) {
      const dropped = droppedAt(width);
      expect(dropped).toEqual(DROP_ORDER.slice(0, dropped.length));
    }
  });

  it('property: never wider than the terminal (down to 20 columns), Path always shown at offset 0', () => {
    fc.assert(
      fc.property(fc.integer({min: 20, max: 400}), fc.boolean(), (width, byRoute) => {
        const layout = layoutTable(columnSpecs(byRoute), width, 0);
        expect(used(layout)).toBeLessThanOrEqual(width);
        expect(layout.columns.some((c) => c.id === 'path')).toBe(true);
        for (const column of layout.columns) expect(column.width).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('keeps the leftmost column when scrolled right, even if it is next in the drop order', () => {
    const layout = layoutTable(columnSpecs(false), 40, 2);
    expect(layout.scrolledOff).toEqual(['source', 'destination']);
    expect(layout.columns[0].id).toBe('method');
    expect(used(layout)).toBeLessThanOrEqual(40);
  });

  it('has no Method column when grouping by route (the route names the method)', () => {
    const ids = columnSpecs(true).map((c) => c.id);
    expect(ids).not.toContain('method');
    expect(columnSpecs(true).find((c) => c.id === 'path')!.title).toBe('Route');
  });
});

describe('cell formatting', () => {
  it.each([
    [null, '-'],
    [0.0425, '43µs'],
    [0.9994, '999µs'],
    [1, '1ms'],
    [2.5, '2.5ms'],
    [12.34, '12.3ms'],
    [250, '250ms'],
    [1500, '1.5s'],
    [61_000, '61s'],
  ])('latency %s → %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });

  it('formats RPS and success rate', () => {
    expect([0, 0.1234, 12.345, 1234.5].map(formatRps)).toEqual(['0', '0.12', '12.3', '1235']);
    expect([null, 1, 0.88888, 0].map(formatSuccess)).toEqual(['-', '100.00%', '88.89%', '0.00%']);
  });

  it('fits untrusted text into a cell, sanitized, cut and padded', () => {
    expect(fitCell('abc', 5)).toBe('abc  ');
    expect(fitCell('abc', 5, 'right')).toBe('  abc');
    expect(fitCell('abcdef', 4)).toBe('abc…');
    expect(fitCell('\u001b[31m', 6)).toBe('\\x1b[…');
    expect(fitCell('😀😀😀', 2)).toBe('😀…');
  });
});
