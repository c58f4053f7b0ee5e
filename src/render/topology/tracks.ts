/**
 * Channel routing inside one gap between two columns. A net enters the gap on one row at the
 * left and leaves on one or more rows at the right (a fan-out shares its trunk). When those
 * rows differ it needs a vertical run, and each run gets its own track (column), so no two
 * nets ever share a line.
 *
 * A net runs along its left row up to its track, and along its right rows from its track on.
 * So when net A's left row is one of net B's right rows, A's track must come before B's, or
 * the two would overlap on that row. Such constraints can form a cycle (nets swapping rows);
 * one net of the cycle then detours through a free row with a second track (a dog-leg).
 * Within the constraints, tracks are ordered to keep crossings few.
 */

export interface GapNet {
  id: number;
  leftRow: number;
  rightRows: number[];
}

/** One vertical run: from `fromRow` (reached from the left) to `toRows` (left to the right). */
export interface Wire {
  id: number;
  fromRow: number;
  toRows: number[];
  track: number;
}

export interface TrackPlan {
  /** Per net id, its runs left to right (none for a straight net, two for a dog-leg). */
  wires: Map<number, Wire[]>;
  trackCount: number;
}

interface Run {
  id: number;
  fromRow: number;
  toRows: number[];
  /** The rows its vertical run spans. */
  top: number;
  bottom: number;
  /** A run that must stay to the right of this one (the second half of a dog-leg). */
  after?: Run;
  key: number;
}

export function assignTracks(nets: readonly GapNet[]): TrackPlan {
  const usedRows = new Set(nets.flatMap((n) => [n.leftRow, ...n.rightRows]));
  let runs: Run[] = nets
    .filter((n) => n.rightRows.some((row) => row !== n.leftRow))
    .map((n, key) => run(n.id, n.leftRow, n.rightRows, key));
  runs = breakCycles(runs, usedRows);

  const order = orderRuns(runs);
  const wires = new Map<number, Wire[]>(nets.map((n) => [n.id, []]));
  order.forEach((run, track) => wires.get(run.id)!.push({id: run.id, fromRow: run.fromRow, toRows: run.toRows, track}));
  for (const list of wires.values()) list.sort((a, b) => a.track - b.track);
  return {wires, trackCount: order.length};
}

function run(id: number, fromRow: number, toRows: number[], key: number): Run {
  const rows = [fromRow, ...toRows];
  return {id, fromRow, toRows: [...toRows], top: Math.min(...rows), bottom: Math.max(...rows), key};
}

type RowIndex = Map<number, Run>;

const indexByRightRow = (runs: Run[]): RowIndex => new Map(runs.flatMap((r) => r.toRows.map((row) => [row, r] as [number, Run])));

/** Runs that must be to the right of `run`: the one leaving on the row `run` arrives from. */
function successors(run: Run, byRightRow: RowIndex): Run[] {
  const result: Run[] = [];
  const blocker = byRightRow.get(run.fromRow);
  // The two halves of a dog-leg share their middle row by design.
  if (blocker && blocker !== run && blocker.after !== run) result.push(blocker);
  if (run.after) result.push(run.after);
  return result;
}

function breakCycles(runs: Run[], usedRows: Set<number>): Run[] {
  for (;;) {
    const cycle = findCycle(runs, indexByRightRow(runs));
    if (!cycle) return runs;
    const victim = cycle.reduce((a, b) => (b.key < a.key ? b : a));
    const detour = freeRow(victim.fromRow, victim.toRows, usedRows);
    usedRows.add(detour);
    const second = run(victim.id, detour, victim.toRows, victim.key + 0.5);
    const first = {...run(victim.id, victim.fromRow, [detour], victim.key), after: second};
    runs = runs.flatMap((r) => (r === victim ? [first, second] : [r]));
  }
}

function findCycle(runs: Run[], byRightRow: RowIndex): Run[] | null {
  const state = new Map<Run, 'active' | 'done'>();
  const stack: Run[] = [];
  const visit = (run: Run): Run[] | null => {
    state.set(run, 'active');
    stack.push(run);
    for (const next of successors(run, byRightRow)) {
      if (state.get(next) === 'active') return stack.slice(stack.indexOf(next));
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(run, 'done');
    return null;
  };
  for (const start of runs) {
    if (state.has(start)) continue;
    const found = visit(start);
    if (found) return found;
  }
  return null;
}

/** The unused row nearest the middle of a run, preferring rows between its ends. */
function freeRow(fromRow: number, toRows: number[], usedRows: Set<number>): number {
  const middle = Math.floor((fromRow + toRows[0]) / 2);
  for (let distance = 0; ; distance++) {
    for (const row of [middle - distance, middle + distance]) {
      if (row >= 0 && !usedRows.has(row)) return row;
    }
  }
}

const strictlyInside = (row: number, run: Run) => row > run.top && row < run.bottom;

/** Crossings caused by putting `a`'s track left of `b`'s. */
function crossings(a: Run, b: Run): number {
  let count = strictlyInside(b.fromRow, a) ? 1 : 0;
  for (const row of a.toRows) if (strictlyInside(row, b)) count++;
  return count;
}

/**
 * Take runs in an order that respects the constraints (each run after everything that must
 * be left of it) and insert each where it adds the fewest crossings, never left of a run it
 * must follow.
 */
function orderRuns(runs: Run[]): Run[] {
  const byRightRow = indexByRightRow(runs);
  const mustPrecede = new Map<Run, Run[]>(runs.map((r) => [r, []]));
  for (const run of runs) for (const next of successors(run, byRightRow)) mustPrecede.get(next)!.push(run);

  const order: Run[] = [];
  const position = new Map<Run, number>();
  const placed = new Set<Run>();
  const waiting = new Set(runs);
  while (waiting.size > 0) {
    let run: Run | null = null;
    for (const r of waiting) {
      if (mustPrecede.get(r)!.every((p) => placed.has(p)) && (run === null || r.key < run.key)) run = r;
    }
    if (run === null) throw new Error('track constraints still cyclic');
    order.forEach((r, i) => position.set(r, i));
    const earliest = Math.max(0, ...mustPrecede.get(run)!.map((p) => (position.get(p) as number) + 1));
    // cost(at) = crossings with runs left of `at` + crossings with runs from `at` on.
    let cost = order.reduce((sum, r) => sum + crossings(run as Run, r), 0);
    let best = 0;
    let bestCost = Infinity;
    for (let at = 0; at <= order.length; at++) {
      if (at >= earliest && cost <= bestCost) {
        bestCost = cost;
        best = at;
      }
      if (at < order.length) cost += crossings(order[at], run) - crossings(run, order[at]);
    }
    order.splice(best, 0, run);
    placed.add(run);
    waiting.delete(run);
  }
  return order;
}
