import type {TopRow} from './top.js';

/** Every column of the top table, in screen order; each one sorts. */
export const TOP_COLUMNS = ['source', 'destination', 'method', 'path', 'count', 'rps', 'best', 'worst', 'last', 'success'] as const;
export type TopColumn = (typeof TOP_COLUMNS)[number];

export interface TopView {
  sortBy: TopColumn;
  descending: boolean;
  /** Case-insensitive substring of source, destination, method or path/route; '' = all. */
  filter: string;
}

export const DEFAULT_TOP_VIEW: TopView = {sortBy: 'count', descending: true, filter: ''};

type Value = string | number | null;

const VALUE: Record<TopColumn, (row: TopRow) => Value> = {
  source: (r) => r.source,
  destination: (r) => r.destination,
  method: (r) => r.method,
  path: (r) => r.path,
  count: (r) => r.count,
  rps: (r) => r.rps,
  best: (r) => r.bestMs,
  worst: (r) => r.worstMs,
  last: (r) => r.lastMs,
  success: (r) => r.successRate,
};

/** Filter, then sort. Unknown (null) values sort last in both directions; ties keep a stable order. */
export function viewRows(rows: readonly TopRow[], view: TopView): TopRow[] {
  const needle = view.filter.trim().toLowerCase();
  const kept = needle === '' ? [...rows] : rows.filter((row) => rowMatches(row, needle));
  const value = VALUE[view.sortBy];
  const sign = view.descending ? -1 : 1;
  return kept.sort((a, b) => {
    const order = compareValues(value(a), value(b), sign);
    return order !== 0 ? order : tieBreak(a, b);
  });
}

function rowMatches(row: TopRow, needle: string): boolean {
  return (
    row.source.toLowerCase().includes(needle) ||
    row.destination.toLowerCase().includes(needle) ||
    row.method.toLowerCase().includes(needle) ||
    row.path.toLowerCase().includes(needle)
  );
}

function compareValues(a: Value, b: Value, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  return sign * String(a).localeCompare(String(b));
}

/** Busiest first, then by name, so equal rows do not jump around between refreshes. */
function tieBreak(a: TopRow, b: TopRow): number {
  return (
    b.count - a.count ||
    a.source.localeCompare(b.source) ||
    a.destination.localeCompare(b.destination) ||
    a.path.localeCompare(b.path) ||
    a.method.localeCompare(b.method)
  );
}

/** The next (or previous) sort column, wrapping around. */
export function cycleColumn(column: TopColumn, step: 1 | -1): TopColumn {
  const at = TOP_COLUMNS.indexOf(column);
  return TOP_COLUMNS[(at + step + TOP_COLUMNS.length) % TOP_COLUMNS.length];
}
