import type {Measurement} from '../dialects/measure.js';
import {UsageError} from '../errors.js';
import {renderStatTable, statRecord} from '../render/stat.js';
import {parseDuration} from '../util/duration.js';
import {parseResource, type ResourceKind, type ResourceSelector} from '../views/resources.js';
import {parseSortBy, sortBy, type SortSpec} from '../views/sort.js';
import {statRows, type StatQuery, type StatRow} from '../views/stat.js';
import {OUTPUT_FORMATS, parseOutputFormat, stdoutChalk, type CommandContext, type OutputFormat} from './context.js';
import {runMeasured} from './measured.js';
import {openSession} from './session.js';

interface StatOptions {
  namespace?: string;
  allNamespaces?: boolean;
  to?: string;
  from?: string;
  window: string;
  output: string;
  sortBy?: string;
  watch?: boolean;
}

const SORT_COLUMNS: Record<string, 'text' | 'number'> = {
  name: 'text',
  namespace: 'text',
  proxies: 'number',
  success: 'number',
  rps: 'number',
  p50: 'number',
  p95: 'number',
  p99: 'number',
  tcp: 'number',
};

function sortValue(row: StatRow, key: string): string | number | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'namespace':
      return row.namespace;
    case 'proxies':
      return row.proxiesAnswered;
    case 'success':
      return row.success;
    case 'rps':
      return row.rps;
    case 'p50':
    case 'p95':
    case 'p99':
      return row[key]?.value ?? null;
    default:
      return row.openConnections;
  }
}

/** Group the positional KIND[/NAME] arguments into one query per kind, in the order given. */
function queriesFor(args: string[], base: Omit<StatQuery, 'kind' | 'names'>): StatQuery[] {
  const selectors = args.length > 0 ? args.map((a) => parseResource(a)) : [{kind: 'workload', name: null} as ResourceSelector];
  const byKind = new Map<ResourceKind, string[]>();
  for (const s of selectors) {
    const names = byKind.get(s.kind) ?? [];
    if (s.name !== null) names.push(s.name);
    else if (!byKind.has(s.kind)) names.length = 0;
    byKind.set(s.kind, names);
  }
  return [...byKind].map(([kind, names]) => ({...base, kind, names}));
}

export async function run(ctx: CommandContext, args: string[], raw: Record<string, unknown>): Promise<number> {
  const options = raw as unknown as StatOptions;
  const format = parseOutputFormat<OutputFormat>(options.output, OUTPUT_FORMATS);
  const windowMs = parseDuration(options.window, '--window');
  if (options.watch && windowMs === 0) throw new UsageError('--watch needs a window greater than 0');
  if (options.to && options.from) throw new UsageError('use either --to or --from, not both');
  const to = options.to ? parseResource(options.to, '--to') : undefined;
  const from = options.from ? parseResource(options.from, '--from') : undefined;
  if (to?.kind === 'pod' || from?.kind === 'pod') throw new UsageError('--to/--from take a workload or namespace, not a pod');
  if (options.namespace && options.allNamespaces) throw new UsageError('use either -n or -A, not both');
  const sort: SortSpec | null = options.sortBy ? parseSortBy(options.sortBy, SORT_COLUMNS) : null;

  const session = openSession(ctx);
  const namespace = options.allNamespaces ? null : options.namespace ?? session.resolved.defaultNamespace ?? null;
  const queries = queriesFor(args, {namespace, to, from});
  if (from && queries.some((q) => q.kind === 'pod')) throw new UsageError('--from shows destinations: use workload or namespace rows');

  const rowsOf = (m: Measurement) =>
    queries.map((q) => {
      const rows = statRows(m.windows, m.failures, q);
      const byName = sortBy(sortBy(rows, (r) => r.name, false), (r) => r.namespace, false);
      return sort ? sortBy(byName, (r) => sortValue(r, sort.key), sort.descending) : byName;
    });
  return runMeasured(ctx, session, {windowMs, windowText: options.window, watch: Boolean(options.watch), format}, (m) => {
    const tables = rowsOf(m);
    return {
      text: () => renderTables(tables, format, ctx),
      records: () => tables.flat().map(statRecord),
      emptyNote: tables.every((t) => t.length === 0) ? `No resources found${namespace ? ` in namespace ${namespace}` : ''}.` : null,
    };
  });
}

function renderTables(tables: StatRow[][], format: OutputFormat, ctx: CommandContext): string {
  const nonEmpty = tables.filter((t) => t.length > 0);
  const chalk = stdoutChalk(ctx, false);
  const showNamespace = new Set(tables.flat().map((r) => r.namespace)).size > 1;
  return nonEmpty
    .map((rows) => `${renderStatTable(rows, {wide: format === 'wide', showNamespace, kindPrefix: nonEmpty.length > 1, chalk})}\n`)
    .join('\n');
}
