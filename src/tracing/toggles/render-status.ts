import type {ChalkInstance} from 'chalk';
import {NONE} from '../../render/format.js';
import {sanitize} from '../../render/sanitize.js';
import type {FlatRecord} from '../../render/records.js';
import {renderTable, type Column} from '../../render/table.js';
import {configuredFields, describeManagers, describeSampling, describeSource, describeTracers, envoyCollectorFields, formatShares} from './render-configured.js';
import {collectorFields, describeCollector, proxyFields, stateFields} from './render-state.js';
import {formatShare} from './sampling.js';
import {tracingMode, type StatusRow} from './status.js';

function sampling(row: StatusRow): string {
  if (row.linkerd) return row.linkerd.collector ? 'caller decides' : NONE;
  return describeSampling(row.envoy, row.configured);
}

/** Where the sampling rate comes from: a runtime layer, the listeners' configuration, or env.json. */
function source(row: StatusRow): string {
  if (row.linkerd) return 'env.json';
  return row.envoy ? describeSource(row.envoy, row.configured) : NONE;
}

function collector(row: StatusRow): string {
  if (row.linkerd) return describeCollector(row.linkerd);
  return row.envoy ? describeTracers(row.configured) : NONE;
}

/** The random rate the listeners configure, and the runtime's own value, for `-o wide`. */
function configuredRate(row: StatusRow): string {
  return row.configured ? formatShares(row.configured.random) : NONE;
}

function runtimeRate(row: StatusRow): string {
  const share = row.envoy?.['tracing.random_sampling'].share;
  return share == null ? NONE : formatShare(share);
}

/**
 * PROXY, FAMILY, TRACING, SAMPLING, SOURCE, COLLECTOR; with `wide` also CONFIGURED, RUNTIME
 * and LISTENERS; ERROR when some proxy could not be read.
 */
export function renderStatusTable(rows: readonly StatusRow[], chalk: ChalkInstance, wide = false): string {
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
  ];
  if (wide) {
    columns.push(
      {header: 'CONFIGURED', value: configuredRate},
      {header: 'RUNTIME', value: runtimeRate},
      {header: 'LISTENERS', value: (r) => describeManagers(r.configured)},
    );
  }
  columns.push({header: 'COLLECTOR', value: collector});
  if (rows.some((r) => r.error !== null)) columns.push({header: 'ERROR', value: (r) => r.error ?? '', style: (text) => chalk.red(text)});
  return renderTable(columns, rows);
}

export function statusRecord(row: StatusRow): FlatRecord {
  return {
    ...proxyFields(row.proxy),
    version: row.proxy.version,
    tracing: tracingMode(row),
    ...stateFields(row.envoy),
    ...configuredFields(row.envoy, row.configured, row.configError),
    ...(row.linkerd ? collectorFields(row.linkerd) : envoyCollectorFields(row.configured)),
    error: row.error,
  };
}

/** One stderr line per Envoy whose listener configuration could not be read. */
export function renderConfigNotes(rows: readonly StatusRow[], chalk: ChalkInstance): string {
  return rows
    .filter((r) => r.envoy && r.configError)
    .map((r) => `${chalk.yellow('note')}: proxy ${sanitize(r.proxy.target.name)}: listener tracing configuration unknown, runtime values only: ${sanitize(r.configError!)}\n`)
    .join('');
}
