import type {ChalkInstance} from 'chalk';
import type {StatRow} from '../views/stat.js';
import {KIND_SHORT} from '../views/resources.js';
import {
  formatBucket,
  formatBytesRate,
  formatCount,
  formatPercent,
  formatQuantile,
  formatRps,
  jsonNumber,
  quantileFields,
  round,
} from './format.js';
import type {FlatRecord} from './records.js';
import {renderTable, type Column} from './table.js';

export interface StatTableOptions {
  wide: boolean;
  showNamespace: boolean;
  /** Prefix names with their kind (`deploy/webapp`) when several kinds are shown. */
  kindPrefix: boolean;
  chalk: ChalkInstance;
}

/** Success-rate colour thresholds: green from 99 %, yellow from 95 %, red below. */
export function healthColor(chalk: ChalkInstance, success: number | null): (text: string) => string {
  if (success === null) return chalk.dim;
  if (success >= 0.99) return chalk.green;
  if (success >= 0.95) return chalk.yellow;
  return chalk.red;
}

export function renderStatTable(rows: readonly StatRow[], options: StatTableOptions): string {
  const {chalk} = options;
  const columns: Column<StatRow>[] = [];
  if (options.showNamespace) columns.push({header: 'NAMESPACE', value: (r) => r.namespace ?? '-'});
  columns.push(
    {header: 'NAME', value: (r) => (options.kindPrefix ? `${KIND_SHORT[r.kind]}/${r.name}` : r.name)},
    {
      header: 'PROXIES',
      align: 'right',
      value: (r) => `${r.proxiesAnswered}/${r.proxiesTargeted}`,
      style: (t, r) => (r.proxiesAnswered < r.proxiesTargeted ? chalk.yellow(t) : t),
    },
    {header: 'SUCCESS', align: 'right', value: (r) => formatPercent(r.success), style: (t, r) => healthColor(chalk, r.success)(t)},
    {header: 'RPS', align: 'right', value: (r) => formatRps(r.rps)},
    {header: 'LATENCY_P50', align: 'right', value: (r) => formatQuantile(r.p50)},
    {header: 'LATENCY_P95', align: 'right', value: (r) => formatQuantile(r.p95)},
    {header: 'LATENCY_P99', align: 'right', value: (r) => formatQuantile(r.p99)},
    {header: 'TCP_CONN', align: 'right', value: (r) => formatCount(r.openConnections)},
  );
  if (options.wide) {
    columns.push(
      {header: 'READ_BYTES/SEC', align: 'right', value: (r) => formatBytesRate(r.readBytesPerSec)},
      {header: 'WRITE_BYTES/SEC', align: 'right', value: (r) => formatBytesRate(r.writeBytesPerSec)},
      {header: 'P50_BUCKET', align: 'right', value: (r) => formatBucket(r.p50)},
      {header: 'P95_BUCKET', align: 'right', value: (r) => formatBucket(r.p95)},
      {header: 'P99_BUCKET', align: 'right', value: (r) => formatBucket(r.p99)},
    );
  }
  return renderTable(columns, rows);
}

/** The flat JSON/YAML/NDJSON record of a stat row (units in field names, null = unknown). */
export function statRecord(row: StatRow): FlatRecord {
  return {
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    proxies: row.proxiesAnswered,
    proxies_targeted: row.proxiesTargeted,
    requests: round(row.requests),
    success: round(row.success),
    rps: round(row.rps),
    ...quantileFields('p50', row.p50),
    ...quantileFields('p95', row.p95),
    ...quantileFields('p99', row.p99),
    tcp_open_connections: jsonNumber(row.openConnections),
    tcp_read_bytes_rate: round(row.readBytesPerSec),
    tcp_write_bytes_rate: round(row.writeBytesPerSec),
    window_seconds: round(row.windowSeconds, 3),
    counters_reset: row.reset,
  };
}
