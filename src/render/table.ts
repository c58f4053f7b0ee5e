import Table from 'cli-table3';
import {sanitize} from './sanitize.js';

export interface Column<Row> {
  header: string;
  align?: 'left' | 'right';
  /** Plain text of the cell; sanitized before display. */
  value(row: Row): string;
  /** Optional colouring of the already-sanitized text. */
  style?(text: string, row: Row): string;
}

/**
 * A borderless, kubectl-style table: a header row, columns separated by three spaces, text
 * left-aligned and numbers right-aligned. Every cell is sanitized, so proxy-supplied names
 * cannot carry terminal control sequences.
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: {head: [], border: [], 'padding-left': 0, 'padding-right': 3, compact: true},
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '',
    },
  });
  for (const row of rows) {
    table.push(
      columns.map((c) => {
        const text = sanitize(c.value(row));
        return c.style ? c.style(text, row) : text;
      }),
    );
  }
  return table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n');
}
