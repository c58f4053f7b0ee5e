import {otherEnds, portRow, type Item, type Scene} from './scene.js';

/**
 * Vertical placement: give every item its top row so that as many edges as possible run
 * straight across a gap. The top-to-bottom order within a column is fixed (it came from the
 * layering); each sweep moves the items of one column as close as it can to where their
 * neighbours in the next column want them, keeping the order and one blank row between boxes.
 */

const SWEEPS = 4;
/** Edges passing through a column weigh more, so long edges stay straight. */
const PASS_WEIGHT = 4;

export function placeRows(scene: Scene): void {
  const {columns} = scene;
  for (const column of columns) pack(column);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let c = 1; c < columns.length; c++) align(columns[c], 'left');
    for (let c = columns.length - 2; c >= 0; c--) align(columns[c], 'right');
  }
  for (let c = 0; c < columns.length; c++) align(columns[c], 'both');
  const items = columns.flat();
  const highest = Math.min(...items.map((item) => item.top));
  for (const item of items) item.top -= highest;
}

/** Rows an item needs before the next one in its column starts. */
function footprint(item: Item, next: Item): number {
  const blank = item.kind === 'pass' && next.kind === 'pass' ? 0 : 1;
  return item.height + blank;
}

function pack(column: Item[]): void {
  let row = 0;
  column.forEach((item, i) => {
    item.top = row;
    if (i + 1 < column.length) row += footprint(item, column[i + 1]);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function wantedTop(item: Item, sides: 'left' | 'right' | 'both'): {top: number; weight: number} | null {
  const ports = sides === 'both' ? [...item.left, ...item.right] : item[sides];
  const wishes = ports.flatMap((port) => otherEnds(port).map((other) => portRow(other) - port.offset));
  if (wishes.length === 0) return null;
  return {top: median(wishes), weight: item.kind === 'pass' ? PASS_WEIGHT : wishes.length};
}

/**
 * Move a column's items toward their wanted rows: a weighted least-squares fit that keeps
 * the order and spacing (pool-adjacent-violators on tops shifted by the minimum spacing).
 * Items with no wish keep their row, with a small weight, so they still hold their place.
 */
function align(column: Item[], sides: 'left' | 'right' | 'both'): void {
  if (column.length === 0) return;
  const shift: number[] = [];
  let offset = 0;
  column.forEach((item, i) => {
    shift.push(offset);
    if (i + 1 < column.length) offset += footprint(item, column[i + 1]);
  });
  const targets = column.map((item, i) => {
    const wish = wantedTop(item, sides);
    return wish ? {value: wish.top - shift[i], weight: wish.weight} : {value: item.top - shift[i], weight: 0.25};
  });
  const fitted = nonDecreasingFit(targets);
  column.forEach((item, i) => (item.top = Math.round(fitted[i]) + shift[i]));
}

/** Weighted isotonic regression: the non-decreasing sequence closest to the targets. */
export function nonDecreasingFit(targets: ReadonlyArray<{value: number; weight: number}>): number[] {
  const blocks: Array<{value: number; weight: number; count: number}> = [];
  for (const t of targets) {
    blocks.push({value: t.value, weight: t.weight, count: 1});
    while (blocks.length > 1 && blocks[blocks.length - 2].value > blocks[blocks.length - 1].value) {
      const b = blocks.pop()!;
      const a = blocks.pop()!;
      const weight = a.weight + b.weight;
      blocks.push({value: (a.value * a.weight + b.value * b.weight) / weight, weight, count: a.count + b.count});
    }
  }
  return blocks.flatMap((b) => Array<number>(b.count).fill(b.value));
}
