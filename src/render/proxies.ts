import type {ChalkInstance} from 'chalk';
import {formatDuration} from '../util/duration.js';
import type {ProxyRow} from '../views/proxies.js';
import {NONE, round} from './format.js';
import type {FlatRecord} from './records.js';
import {renderTable, type Column} from './table.js';

export function renderProxiesTable(rows: readonly ProxyRow[], wide: boolean, chalk: ChalkInstance): string {
  const columns: Column<ProxyRow>[] = [
    {header: 'NAME', value: (r) => r.target.name},
    {header: 'DIALECT', value: (r) => r.dialect ?? NONE},
    {header: 'VERSION', value: (r) => r.version ?? NONE},
    {
      header: 'READY',
      value: (r) => (r.ready === null ? NONE : r.ready ? 'yes' : 'no'),
      style: (t, r) => (r.ready === false ? chalk.red(t) : r.ready ? chalk.green(t) : t),
    },
    {header: 'WORKLOAD', value: (r) => r.workload ?? NONE},
    {header: 'NAMESPACE', value: (r) => r.namespace ?? NONE},
    {header: 'UPTIME', align: 'right', value: (r) => (r.uptimeSeconds === null ? NONE : formatDuration(r.uptimeSeconds * 1000))},
  ];
  if (wide) {
    columns.push(
      {header: 'POD', value: (r) => r.pod ?? NONE},
      {header: 'POD_IP', value: (r) => r.podIp ?? NONE},
      {header: 'IDENTITY_FROM', value: (r) => r.identitySource ?? NONE},
      {header: 'URL', value: (r) => r.target.url},
      {header: 'ADMIN', value: (r) => r.target.adminUrl ?? NONE},
    );
  }
  columns.push({
    header: 'ERROR',
    value: (r) => r.error ?? (wide && r.notes.length > 0 ? `(${r.notes.join('; ')})` : ''),
    style: (t, r) => (r.error ? chalk.red(t) : chalk.dim(t)),
  });
  return renderTable(columns, rows);
}

export function proxyRecord(row: ProxyRow): FlatRecord {
  return {
    name: row.target.name,
    url: row.target.url,
    admin_url: row.target.adminUrl ?? null,
    dialect: row.dialect,
    version: row.version,
    ready: row.ready,
    workload: row.workload,
    namespace: row.namespace,
    pod: row.pod,
    pod_ip: row.podIp,
    service_account: row.serviceAccount,
    identity_source: row.identitySource,
    uptime_seconds: round(row.uptimeSeconds, 3),
    error: row.error,
    notes: row.notes.length > 0 ? row.notes.join('; ') : null,
  };
}
