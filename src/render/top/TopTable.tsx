import {Box, Text} from 'ink';
import type {TopRow} from '../../views/top.js';
import type {TopColumn} from '../../views/top-sort.js';
import {fitCell, formatLatency, formatRps, formatSuccess} from './format.js';
import {columnTitle, GAP, type PlacedColumn} from './layout.js';

export interface TopTableProps {
  columns: PlacedColumn[];
  rows: TopRow[];
  sortBy: TopColumn;
  descending: boolean;
  emptyText: string;
}

/** The header line (sort column marked with ↓/↑ and shown inverse) and one line per row. */
export function TopTable({columns, rows, sortBy, descending, emptyText}: TopTableProps) {
  const gap = ' '.repeat(GAP);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold>
        {columns.map((column, i) => (
          <Text key={column.id} inverse={column.id === sortBy}>
            {i > 0 ? gap : ''}
            {fitCell(headerTitle(column, sortBy, descending), column.width, column.align)}
          </Text>
        ))}
      </Text>
      {rows.length === 0 ? <Text dimColor>{emptyText}</Text> : null}
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate">
          {rowLine(row, columns)}
        </Text>
      ))}
    </Box>
  );
}

function headerTitle(column: PlacedColumn, sortBy: TopColumn, descending: boolean): string {
  return columnTitle(column, column.id === sortBy ? (descending ? '↓' : '↑') : '');
}

export function rowLine(row: TopRow, columns: readonly PlacedColumn[]): string {
  return columns.map((column) => fitCell(cellText(row, column.id), column.width, column.align)).join(' '.repeat(GAP));
}

function cellText(row: TopRow, column: TopColumn): string {
  switch (column) {
    case 'source':
      return row.source || '-';
    case 'destination':
      return row.destination || '-';
    case 'method':
      return row.method || '-';
    case 'path':
      return row.path || '-';
    case 'count':
      return String(row.count);
    case 'rps':
      return formatRps(row.rps);
    case 'best':
      return formatLatency(row.bestMs);
    case 'worst':
      return formatLatency(row.worstMs);
    case 'last':
      return formatLatency(row.lastMs);
    case 'success':
      return formatSuccess(row.successRate);
  }
}
