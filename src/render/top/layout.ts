import type {TopColumn} from '../../views/top-sort.js';

/**
 * Which columns of the top table are shown, and how wide, for a terminal of `width`
 * cells. Each column has a comfortable width (its values are readable), an ideal width
 * (full title and typical values fit) and a minimum. For a given width:
 * 1. while the comfortable widths do not fit, columns are dropped in `DROP_ORDER`
 *    (Method, Best, Worst, Source, Last, RPS, Destination, Count, Success); Path, and the
 *    leftmost column after scrolling right, are never dropped;
 * 2. if what remains still does not fit, text columns shrink towards their minimum (cut
 *    with `…`), and the last column is cut;
 * 3. spare width widens Source, Destination and Path in proportion to their ideal widths,
 *    then gives numbers their full titles; the rest widens Path.
 * Horizontal scrolling (`offset`) hides the first `offset` columns, which brings dropped
 * ones on the right into view.
 */
export interface ColumnSpec {
  id: TopColumn;
  title: string;
  /** Used when the full title does not fit. */
  shortTitle?: string;
  min: number;
  comfort: number;
  ideal: number;
  align: 'left' | 'right';
}

export interface PlacedColumn extends ColumnSpec {
  width: number;
}

export interface TableLayout {
  columns: PlacedColumn[];
  /** Columns dropped for lack of room (not counting those scrolled off to the left). */
  dropped: TopColumn[];
  /** Columns scrolled off to the left. */
  scrolledOff: TopColumn[];
}

export const GAP = 1;

function column(
  id: TopColumn,
  title: string,
  align: 'left' | 'right',
  [min, comfort, ideal]: [number, number, number],
  shortTitle?: string,
): ColumnSpec {
  return {id, title, shortTitle, min, comfort, ideal, align};
}

/** Method is left out when grouping by route (a route names its method) and in metrics mode. */
export function columnSpecs(byRoute: boolean, showMethod = true): ColumnSpec[] {
  const specs: ColumnSpec[] = [
    column('source', 'Source', 'left', [6, 12, 24], 'Src'),
    column('destination', 'Destination', 'left', [6, 12, 24], 'Dest'),
    column('method', 'Method', 'left', [4, 6, 6]),
    column('path', byRoute ? 'Route' : 'Path', 'left', [8, 16, 40]),
    column('count', 'Count', 'right', [5, 6, 7]),
    column('rps', 'RPS', 'right', [4, 5, 6]),
    column('best', 'Best', 'right', [5, 6, 7]),
    column('worst', 'Worst', 'right', [5, 6, 7]),
    column('last', 'Last', 'right', [5, 6, 7]),
    column('success', 'Success Rate', 'right', [7, 7, 13], 'Success'),
  ];
  return byRoute || !showMethod ? specs.filter((s) => s.id !== 'method') : specs;
}

export const DROP_ORDER: readonly TopColumn[] = ['method', 'best', 'worst', 'source', 'last', 'rps', 'destination', 'count', 'success'];
const TEXT_COLUMNS: readonly TopColumn[] = ['source', 'destination', 'path'];

export function layoutTable(specs: readonly ColumnSpec[], width: number, offset: number): TableLayout {
  const start = Math.max(0, Math.min(offset, specs.length - 1));
  const scrolledOff = specs.slice(0, start).map((s) => s.id);
  let shown = specs.slice(start);
  const dropped: TopColumn[] = [];
  const needed = (cols: readonly ColumnSpec[]) => cols.reduce((sum, c) => sum + c.comfort, 0) + GAP * (cols.length - 1);
  for (const id of DROP_ORDER) {
    if (needed(shown) <= width || shown.length === 1) break;
    if ((start > 0 && id === shown[0].id) || !shown.some((c) => c.id === id)) continue;
    shown = shown.filter((c) => c.id !== id);
    dropped.push(id);
  }
  const placed: PlacedColumn[] = shown.map((c) => ({...c, width: c.comfort}));
  let spare = width - needed(shown);
  if (spare < 0) spare = shrink(placed, spare);
  const text = placed.filter((c) => TEXT_COLUMNS.includes(c.id));
  spare = growTogether(text, spare);
  for (const column of placed) {
    const grow = Math.max(0, Math.min(spare, column.ideal - column.width));
    column.width += grow;
    spare -= grow;
  }
  const path = placed.find((c) => c.id === 'path');
  if (path && spare > 0) path.width += spare;
  return {columns: placed, dropped, scrolledOff};
}

/** Take `-deficit` cells back: text columns down to their minimum, then cut the last column. */
function shrink(columns: PlacedColumn[], deficit: number): number {
  for (const column of columns.filter((c) => TEXT_COLUMNS.includes(c.id))) {
    const take = Math.min(-deficit, column.width - column.min);
    column.width -= take;
    deficit += take;
  }
  if (deficit < 0) {
    const last = columns[columns.length - 1];
    last.width = Math.max(1, last.width + deficit);
  }
  return 0;
}

/** Widen columns towards their ideal widths in proportion to those widths. */
function growTogether(columns: PlacedColumn[], spare: number): number {
  let open = columns.filter((c) => c.width < c.ideal);
  while (spare > 0 && open.length > 0) {
    const total = open.reduce((sum, c) => sum + c.ideal, 0);
    const round = spare;
    for (const column of open) {
      const share = Math.max(1, Math.floor((round * column.ideal) / total));
      const grow = Math.min(share, spare, column.ideal - column.width);
      column.width += grow;
      spare -= grow;
    }
    open = open.filter((c) => c.width < c.ideal);
  }
  return spare;
}

/** The header text for a column: full title if it fits, else the short one, plus the sort arrow. */
export function columnTitle(column: PlacedColumn, arrow: string): string {
  const full = `${column.title}${arrow}`;
  if (full.length <= column.width || !column.shortTitle) return full;
  return `${column.shortTitle}${arrow}`;
}
