import type {ChalkInstance} from 'chalk';
import {NONE} from '../../render/format.js';
import type {FlatRecord} from '../../render/records.js';
import {renderTable, type Column} from '../../render/table.js';
import {collectorFields, describeCollector, describeState, proxyFields, stateFields} from './render-state.js';
import {tracingMode, type StatusRow} from './status.js';

function sampling(row: StatusRow): string {
  if (row.linkerd) return row.linkerd.collector ? 'caller decides' : NONE;
  return describeState(row.envoy);
}

/** Where the sampling rate comes from: a runtime layer, the bootstrap's own config, or env.json. */
function source(row: StatusRow): string {
  if (row.linkerd) return 'env.json';
  if (!row.envoy) return NONE;
  const layer = row.envoy['tracing.random_sampling'].layer;
  return layer === null ? 'bootstrap' : `runtime layer "${layer}"`;
}

function collector(row: StatusRow): string {
  return row.linkerd ? describeCollector(row.linkerd) : NONE;
}

/** PROXY, FAMILY, TRACING, SAMPLING, SOURCE, COLLECTOR; ERROR when some proxy could not be read. */
export function renderStatusTable(rows: readonly StatusRow[], chalk: ChalkInstance): string {
  const columns: Column<StatusRow>[] = [
    {header: 'PROXY', value: (r) => r.proxy.target.name},
    {header: 'FAMILY', value: (r) => r.proxy.family ?? NONE},
    {
      header: 'TRACING',
      value: tracingMode,
      style: (text) => (text === 'on' ? chalk.green(text) : text === 'off' ? chalk.yellow(text) : chalk.dim(text)),
    },
    {header: 'SAMPLING', value: sampling},
    {header: 'SOURCE', value: source},
    {header: 'COLLECTOR', value: collector},
  ];
  if (rows.some((r) => r.error !== null)) columns.push({header: 'ERROR', value: (r) => r.error ?? '', style: (text) => chalk.red(text)});
  return renderTable(columns, rows);
}

export function statusRecord(row: StatusRow): FlatRecord {
  return {
    ...proxyFields(row.proxy),
    version: row.proxy.version,
    tracing: tracingMode(row),
    ...stateFields(row.envoy),
    ...collectorFields(row.linkerd),
    error: row.error,
  };
}
