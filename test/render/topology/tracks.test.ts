import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {assignTracks, type GapNet, type TrackPlan} from '../../../src/render/topology/tracks.js';

/**
 * Lay a plan out on a small grid (track i at column i + 1, the gap from column 0 to
 * trackCount + 1) and list, per cell, which nets run through it horizontally or vertically.
 * Two nets may cross (one horizontal, one vertical) but never run along the same cell.
 */
function overlaps(nets: GapNet[], plan: TrackPlan): string[] {
  const end = plan.trackCount + 1;
  const cells = new Map<string, Set<number>>();
  const claim = (x: number, y: number, dir: 'h' | 'v', net: number) => {
    const key = `${x},${y},${dir}`;
    const owners = cells.get(key) ?? new Set<number>();
    owners.add(net);
    cells.set(key, owners);
  };
  const horizontal = (from: number, to: number, y: number, net: number) => {
    for (let x = Math.min(from, to); x <= Math.max(from, to); x++) claim(x, y, 'h', net);
  };
  for (const net of nets) {
    const wires = plan.wires.get(net.id) ?? [];
    if (wires.length === 0) {
      expect(net.rightRows.every((row) => row === net.leftRow)).toBe(true);
      horizontal(0, end, net.leftRow, net.id);
      continue;
    }
    horizontal(0, wires[0].track + 1, net.leftRow, net.id);
    wires.forEach((wire, i) => {
      const x = wire.track + 1;
      const rows = [wire.fromRow, ...wire.toRows];
      for (let y = Math.min(...rows); y <= Math.max(...rows); y++) claim(x, y, 'v', net.id);
      const next = wires[i + 1];
      if (next) horizontal(x, next.track + 1, wire.toRows[0], net.id);
      else for (const row of net.rightRows) horizontal(x, end, row, net.id);
    });
  }
  return [...cells].filter(([, owners]) => owners.size > 1).map(([key, owners]) => `${key}: ${[...owners].join('+')}`);
}

/** Nets as a gap sees them: distinct left rows, distinct right rows, some shared across sides. */
const arbitraryNets = fc
  .uniqueArray(fc.integer({min: 0, max: 30}), {minLength: 1, maxLength: 12})
  .chain((leftRows) =>
    fc
      .uniqueArray(fc.integer({min: 0, max: 30}), {minLength: leftRows.length, maxLength: leftRows.length + 8})
      .chain((rightRows) =>
        fc.array(fc.integer({min: 0, max: leftRows.length - 1}), {minLength: rightRows.length, maxLength: rightRows.length}).map((owner) =>
          leftRows
            .map((leftRow, id): GapNet => ({id, leftRow, rightRows: rightRows.filter((_, i) => owner[i] === id)}))
            .filter((net) => net.rightRows.length > 0),
        ),
      ),
  );

describe('assignTracks', () => {
  it('gives a straight net no track', () => {
    const plan = assignTracks([{id: 0, leftRow: 3, rightRows: [3]}]);
    expect(plan.trackCount).toBe(0);
    expect(plan.wires.get(0)).toEqual([]);
  });

  it('routes a fan-out on one trunk', () => {
    const nets = [{id: 0, leftRow: 4, rightRows: [1, 4, 8]}];
    const plan = assignTracks(nets);
    expect(plan.trackCount).toBe(1);
    expect(plan.wires.get(0)).toEqual([{id: 0, fromRow: 4, toRows: [1, 4, 8], track: 0}]);
  });

  it('puts a net leaving from a row left of the net arriving on that row', () => {
    // Net 1 arrives on row 5, where net 0 leaves: net 0 must turn before net 1 begins its last run.
    const nets = [
      {id: 1, leftRow: 9, rightRows: [5]},
      {id: 0, leftRow: 5, rightRows: [0]},
    ];
    const plan = assignTracks(nets);
    expect(plan.wires.get(0)![0].track).toBeLessThan(plan.wires.get(1)![0].track);
    expect(overlaps(nets, plan)).toEqual([]);
  });

  it('sends one of two nets that swap rows through a free row', () => {
    const nets = [
      {id: 0, leftRow: 2, rightRows: [6]},
      {id: 1, leftRow: 6, rightRows: [2]},
    ];
    const plan = assignTracks(nets);
    expect(plan.trackCount).toBe(3);
    const detoured = [...plan.wires.values()].find((w) => w.length === 2)!;
    expect([2, 6]).not.toContain(detoured[0].toRows[0]);
    expect(overlaps(nets, plan)).toEqual([]);
  });

  it('orders tracks so parallel nets do not cross', () => {
    // Both go down; the one starting lower must turn first, or each crosses the other.
    const nets = [
      {id: 0, leftRow: 0, rightRows: [3]},
      {id: 1, leftRow: 1, rightRows: [4]},
    ];
    const plan = assignTracks(nets);
    expect(plan.wires.get(1)![0].track).toBeLessThan(plan.wires.get(0)![0].track);
  });

  it('never lets two nets run along the same cell', () => {
    fc.assert(
      fc.property(arbitraryNets, (nets) => {
        expect(overlaps(nets, assignTracks(nets))).toEqual([]);
      }),
      {numRuns: 400},
    );
  });
});
