import type {Measurement} from '../dialects/measure.js';
import {UsageError} from '../errors.js';
import {renderRoutesTable, routeRecords, routeSectionTitle} from '../render/routes.js';
import {parseDuration} from '../util/duration.js';
import {parseResource} from '../views/resources.js';
import {routeRows, type RouteRow} from '../views/routes.js';
import {selectProxies} from '../views/select.js';
import {parseSortBy, sortBy, type SortSpec} from '../views/sort.js';
import {OUTPUT_FORMATS, parseOutputFormat, stdoutChalk, type CommandContext, type OutputFormat} from './context.js';
import {runMeasured} from './measured.js';
import {openSession} from './session.js';

interface RoutesOptions {
  namespace?: string;
  allNamespaces?: boolean;
  to?: string;
  window: string;
  output: string;
  sortBy?: string;
  watch?: boolean;
}

const SORT_COLUMNS: Record<string, 'text' | 'number'> = {route: 'text', service: 'text', success: 'number', rps: 'number', p50: 'number', p95: 'number', p99: 'number'};

function sortValue(row: RouteRow, key: string): string | number | null {
  switch (key) {
    case 'route':
      return row.route;
    case 'service':
      return row.service;
    case 'success':
      return row.effective.success;
    case 'rps':
      return row.effective.rps;
    default:
      return row.effective[key as 'p50' | 'p95' | 'p99']?.value ?? null;
  }
}

export const NO_ROUTES_NOTE =
  'No route metrics on these proxies. Linkerd reports routes for ServiceProfiles and Gateway API routes (HTTPRoute/GRPCRoute); ' +
  'Envoy for routes with a stat_prefix and for virtual clusters.';

export async function run(ctx: CommandContext, args: string[], raw: Record<string, unknown>): Promise<number> {
  const options = raw as unknown as RoutesOptions;
  const format = parseOutputFormat<OutputFormat>(options.output, OUTPUT_FORMATS);
  const windowMs = parseDuration(options.window, '--window');
  if (options.watch && windowMs === 0) throw new UsageError('--watch needs a window greater than 0');
  if (options.namespace && options.allNamespaces) throw new UsageError('use either -n or -A, not both');
  const selectors = args.map((a) => parseResource(a));
  const to = options.to ? parseResource(options.to, '--to') : null;
  if (to && to.name === null) throw new UsageError('--to needs a name, e.g. --to deploy/books');
  const sort: SortSpec | null = options.sortBy ? parseSortBy(options.sortBy, SORT_COLUMNS) : null;

  const session = openSession(ctx);
  const namespace = options.allNamespaces ? null : options.namespace ?? session.resolved.defaultNamespace ?? null;
  const chalk = stdoutChalk(ctx, false);

  const sectionsOf = (m: Measurement): RouteRow[][] => {
    const rows = routeRows(selectProxies(m.windows, selectors), {namespace, to: to?.name ?? null, direction: to ? 'outbound' : null});
    const ordered = sortBy(sortBy(rows, (r) => r.route ?? '\uffff', false), (r) => r.service, false);
    const sorted = sort ? sortBy(ordered, (r) => sortValue(r, sort.key), sort.descending) : ordered;
    const sections = new Map<string, RouteRow[]>();
    for (const row of sorted) {
      const key = routeSectionTitle(row);
      sections.set(key, [...(sections.get(key) ?? []), row]);
    }
    return [...sections.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
  };

  return runMeasured(ctx, session, {windowMs, windowText: options.window, watch: Boolean(options.watch), format}, (m) => {
    const sections = sectionsOf(m);
    return {
      text: () =>
        sections
          .map((rows) => `${sections.length > 1 ? `${routeSectionTitle(rows[0])}\n` : ''}${renderRoutesTable(rows, format === 'wide', chalk)}\n`)
          .join('\n'),
      records: () => sections.flat().flatMap(routeRecords),
      emptyNote: sections.length === 0 ? NO_ROUTES_NOTE : null,
    };
  });
}
