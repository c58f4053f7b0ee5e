import type {ChalkInstance} from 'chalk';
import {KIND_SHORT} from '../views/resources.js';
import {shortService, type BackendRow, type RouteRow} from '../views/routes.js';
import type {GoldenSignals} from '../views/signals.js';
import {NONE, formatBucket, formatPercent, formatQuantile, formatRps, quantileFields, round} from './format.js';
import type {FlatRecord} from './records.js';
import {healthColor} from './stat.js';
import {renderTable, type Column} from './table.js';

export const DEFAULT_ROUTE = '[DEFAULT]';

/** A table line: a route, or one of its backends drawn as a branch under it. */
interface Line {
  route: RouteRow;
  backend: BackendRow | null;
  last: boolean;
}

function signalsOf(line: Line): GoldenSignals {
  return line.backend ? line.backend.signals : line.route.effective;
}

export function renderRoutesTable(rows: readonly RouteRow[], wide: boolean, chalk: ChalkInstance): string {
  const lines: Line[] = rows.flatMap((route) => [
    {route, backend: null, last: false},
    ...route.backends.map((backend, i) => ({route, backend, last: i === route.backends.length - 1})),
  ]);
  const sig = (l: Line) => signalsOf(l);
  const columns: Column<Line>[] = [
    {
      header: 'ROUTE',
      value: (l) => (l.backend ? `${l.last ? '└' : '├'}──► ${l.backend.backend}` : l.route.route ?? DEFAULT_ROUTE),
      style: (t, l) => (l.backend ? chalk.dim(t) : t),
    },
    {header: 'SERVICE', value: (l) => (l.backend ? '' : shortService(l.route.service) ?? NONE)},
  ];
  const successColumn = (header: string): Column<Line> => ({
    header, align: 'right', value: (l) => formatPercent(sig(l).success), style: (t, l) => healthColor(chalk, sig(l).success)(t),
  });
  const rpsColumn = (header: string): Column<Line> => ({header, align: 'right', value: (l) => formatRps(sig(l).rps)});
  if (wide) {
    columns.push(
      successColumn('EFFECTIVE_SUCCESS'),
      rpsColumn('EFFECTIVE_RPS'),
      {header: 'ACTUAL_SUCCESS', align: 'right', value: (l) => (l.backend ? '' : formatPercent(l.route.actual?.success ?? null))},
      {header: 'ACTUAL_RPS', align: 'right', value: (l) => (l.backend ? '' : formatRps(l.route.actual?.rps ?? null))},
    );
  } else {
    columns.push(successColumn('SUCCESS'), rpsColumn('RPS'));
  }
  columns.push(
    {header: 'LATENCY_P50', align: 'right', value: (l) => formatQuantile(sig(l).p50)},
    {header: 'LATENCY_P95', align: 'right', value: (l) => formatQuantile(sig(l).p95)},
    {header: 'LATENCY_P99', align: 'right', value: (l) => formatQuantile(sig(l).p99)},
  );
  if (wide) {
    columns.push(
      {header: 'TIMEOUTS', align: 'right', value: (l) => formatPercent(l.backend ? l.backend.timeouts : l.route.timeouts)},
      {header: 'RETRIES', align: 'right', value: (l) => (l.backend ? '' : formatPercent(l.route.retries))},
      {header: 'P99_BUCKET', align: 'right', value: (l) => formatBucket(sig(l).p99)},
    );
  }
  columns.push({header: 'SOURCE', value: (l) => (l.backend ? '' : l.route.source), style: (t) => chalk.dim(t)});
  return renderTable(columns, lines);
}

/** `==> deploy/webapp · outbound <==`, printed above each group when there are several. */
export function routeSectionTitle(row: RouteRow): string {
  const ns = row.workload.namespace ? `${row.workload.namespace}/` : '';
  return `==> ${KIND_SHORT.workload}/${ns}${row.workload.name} · ${row.direction === 'inbound' ? 'inbound (served)' : 'outbound (called)'} <==`;
}

function signalFields(s: GoldenSignals): FlatRecord {
  return {
    requests: round(s.requests),
    success: round(s.success),
    rps: round(s.rps),
    ...quantileFields('p50', s.p50),
    ...quantileFields('p95', s.p95),
    ...quantileFields('p99', s.p99),
  };
}

/** Flat records: one per route, then one per backend of that route (`backend` set). */
export function routeRecords(row: RouteRow): FlatRecord[] {
  const base: FlatRecord = {
    workload: row.workload.name,
    namespace: row.workload.namespace,
    direction: row.direction,
    source: row.source,
    service: row.service,
    route: row.route,
    kind: row.kind,
  };
  const route: FlatRecord = {
    ...base,
    backend: null,
    ...signalFields(row.effective),
    actual_success: round(row.actual?.success ?? null),
    actual_rps: round(row.actual?.rps ?? null),
    timeouts: round(row.timeouts),
    retries: round(row.retries),
    window_seconds: round(row.windowSeconds, 3),
  };
  const backends = row.backends.map((b) => ({
    ...base,
    backend: b.backend,
    ...signalFields(b.signals),
    actual_success: null,
    actual_rps: null,
    timeouts: round(b.timeouts),
    retries: null,
    window_seconds: round(row.windowSeconds, 3),
  }));
  return [route, ...backends];
}
