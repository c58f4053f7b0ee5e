import type {ChalkInstance} from 'chalk';
import {NONE} from '../../render/format.js';
import type {FlatRecord} from '../../render/records.js';
import {renderTable, type Column} from '../../render/table.js';
import {sanitize} from '../../render/sanitize.js';
import {describeSampling, envoyCollectorFields} from './render-configured.js';
import {collectorFields, describeCollector, proxyFields, stateFields} from './render-state.js';
import {sharePercent} from './sampling.js';
import type {ToggleRow} from './toggle.js';

function before(row: ToggleRow): string {
  if (row.proxy.family === 'linkerd') return row.linkerd ? `collector ${describeCollector(row.linkerd)}` : NONE;
  return describeSampling(row.before, row.configured);
}

function resultText(row: ToggleRow): string {
  if (row.result === 'failed') return `failed: ${row.reason ?? 'unknown'}`;
  return row.result === 'would-change' ? 'would change' : row.result;
}

/** PROXY, FAMILY, BEFORE, AFTER (WOULD BE with --dry-run), RESULT. */
export function renderToggleTable(rows: readonly ToggleRow[], options: {dryRun: boolean; chalk: ChalkInstance}): string {
  const {chalk} = options;
  const columns: Column<ToggleRow>[] = [
    {header: 'PROXY', value: (r) => r.proxy.target.name},
    {header: 'FAMILY', value: (r) => r.proxy.family ?? NONE},
    {header: 'BEFORE', value: before},
    {header: options.dryRun ? 'WOULD BE' : 'AFTER', value: (r) => (r.proxy.family === 'linkerd' ? NONE : describeSampling(r.after, r.configured))},
    {
      header: 'RESULT',
      value: resultText,
      style: (text, r) =>
        r.result === 'failed' ? chalk.red(text) : r.result === 'unsupported' ? chalk.yellow(text) : r.result === 'unchanged' ? chalk.dim(text) : chalk.green(text),
    },
  ];
  return renderTable(columns, rows);
}

/**
 * One flat record per proxy for `-o json|yaml`. With --dry-run the `_after` fields hold the
 * values the proxy would have; `writes` lists the runtime values sent (or that would be), an
 * empty value deleting an override.
 */
export function toggleRecord(row: ToggleRow, dryRun: boolean): FlatRecord {
  return {
    ...proxyFields(row.proxy),
    result: row.result,
    reason: row.reason,
    dry_run: dryRun,
    ...stateFields(row.before, '_before'),
    ...stateFields(row.after, '_after'),
    writes: row.changes.length > 0 ? row.changes.map((c) => `${c.key}=${c.to}`).join('; ') : null,
    configured_random_sampling_percent: row.configured?.random.length === 1 ? sharePercent(row.configured.random[0]) : null,
    ...(row.linkerd ? collectorFields(row.linkerd) : envoyCollectorFields(row.configured)),
  };
}

/**
 * Envoy proxies whose listeners send spans nowhere, whatever the rate: no connection manager
 * traces, or none has a tracer. Said after `trace enable`, which cannot change that.
 */
export function renderNoTracerNotes(rows: readonly ToggleRow[], chalk: ChalkInstance): string {
  return rows
    .filter((r) => r.result !== 'failed' && r.configured && (r.configured.traced === 0 || (r.configured.tracers.length === 0 && r.configured.tracerUnknown === 0)))
    .map((r) => {
      const why = r.configured!.traced === 0 ? 'none of its HTTP listeners has tracing configured' : 'its listeners configure no tracer';
      return `${chalk.yellow('note')}: proxy ${sanitize(r.proxy.target.name)}: ${why}, so it sends no span at any sampling rate (configure a tracing provider in the mesh)\n`;
    })
    .join('');
}
