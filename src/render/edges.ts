import type {ChalkInstance} from 'chalk';
import type {TopologyGraph, TopologyNode} from '../model/topology.js';
import type {EdgeEnd, EdgeRow} from '../views/edges.js';
import {NONE, formatCount, formatMs, formatPercent, formatRps, round} from './format.js';
import type {FlatRecord} from './records.js';
import {healthColor} from './stat.js';
import {renderTable, type Column} from './table.js';

/** Workloads named like an ingress or gateway are drawn as entry points. */
function nodeKind(end: EdgeEnd): TopologyNode['kind'] {
  if (end.kind === 'workload' && /(^|-)(ingress|gateway)(-|$)/.test(end.name)) return 'ingress';
  return end.kind;
}

export function topologyGraph(rows: readonly EdgeRow[]): TopologyGraph {
  const nodes = new Map<string, TopologyNode>();
  for (const row of rows) {
    for (const end of [row.src, row.dst]) nodes.set(end.id, {id: end.id, name: end.name, namespace: end.namespace, kind: nodeKind(end)});
  }
  return {
    nodes: [...nodes.values()],
    edges: rows.map((r) => ({from: r.src.id, to: r.dst.id, rps: r.rps, success: r.success, latencyMsP99: r.latencyMsP99, secured: r.secured, measuredBy: r.measuredBy})),
  };
}

const securedText = (s: boolean | null) => (s === null ? NONE : s ? '√' : 'no');

export function renderEdgesTable(rows: readonly EdgeRow[], wide: boolean, chalk: ChalkInstance): string {
  const columns: Column<EdgeRow>[] = [
    {header: 'SRC', value: (r) => r.src.name},
    {header: 'DST', value: (r) => r.dst.name},
    {header: 'SRC_NS', value: (r) => r.src.namespace ?? NONE},
    {header: 'DST_NS', value: (r) => r.dst.namespace ?? NONE},
    {header: 'RPS', align: 'right', value: (r) => formatRps(r.rps)},
    {header: 'SUCCESS', align: 'right', value: (r) => formatPercent(r.success), style: (t, r) => healthColor(chalk, r.success)(t)},
    {header: 'P99', align: 'right', value: (r) => (r.latencyMsP99 === null ? NONE : formatMs(r.latencyMsP99))},
    {header: 'SECURED', value: (r) => securedText(r.secured), style: (t, r) => (r.secured ? chalk.green(t) : r.secured === false ? chalk.yellow(t) : t)},
  ];
  if (wide) {
    columns.push(
      {header: 'REQUESTS', align: 'right', value: (r) => formatCount(r.requests)},
      {header: 'TCP_CONN', align: 'right', value: (r) => formatCount(r.openConnections)},
      {header: 'MEASURED_BY', value: (r) => r.measuredBy},
    );
  }
  return renderTable(columns, rows);
}

export function edgeRecord(row: EdgeRow): FlatRecord {
  return {
    src: row.src.name,
    src_namespace: row.src.namespace,
    src_kind: row.src.kind,
    dst: row.dst.name,
    dst_namespace: row.dst.namespace,
    dst_kind: row.dst.kind,
    requests: round(row.requests),
    rps: round(row.rps),
    success: round(row.success),
    latency_ms_p99: round(row.latencyMsP99),
    tcp_open_connections: row.openConnections,
    secured: row.secured,
    measured_by: row.measuredBy,
  };
}
