import {UsageError} from '../errors.js';

export type SortValue = string | number | null;

export interface SortSpec {
  key: string;
  descending: boolean;
}

/**
 * Parse `--sort-by <column>[:asc|:desc]`. Numeric columns sort descending by default (the
 * busiest or slowest first), text columns ascending.
 */
export function parseSortBy(text: string, columns: Record<string, 'text' | 'number'>): SortSpec {
  const [rawKey, order] = text.toLowerCase().split(':');
  const key = rawKey.replace(/^latency_/, '');
  const type = columns[key];
  if (!type) throw new UsageError(`cannot sort by "${text}"`, `columns: ${Object.keys(columns).join(', ')} (append :asc or :desc)`);
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw new UsageError(`sort order must be asc or desc, got "${order}"`);
  return {key, descending: order ? order === 'desc' : type === 'number'};
}

/** Stable sort by one value; unknown (null) values always last; ties keep the input order. */
export function sortBy<T>(rows: readonly T[], value: (row: T) => SortValue, descending: boolean): T[] {
  return rows
    .map((row, index) => ({row, index, v: value(row)}))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.index - b.index : a.v === null ? 1 : -1;
      const cmp = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return (descending ? -cmp : cmp) || a.index - b.index;
    })
    .map((e) => e.row);
}
