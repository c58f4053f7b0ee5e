import type {Measurement} from '../dialects/measure.js';
import {UsageError} from '../errors.js';
import {EXIT} from '../exit-codes.js';
import {renderJson, renderYaml} from '../render/records.js';
import {renderRoutesTable, routeRecords, routeSectionTitle} from '../render/routes.js';
import {parseDuration} from '../util/duration.js';
import {parseResource} from '../views/resources.js';
import {filterRoutes, routeRows, type RouteRow} from '../views/routes.js';
import {selectProxies} from '../views/select.js';
import {parseSortBy, sortBy, type SortSpec} from '../views/sort.js';
import {OUTPUT_FORMATS, parseOutputFormat, stdoutChalk, type CommandContext, type OutputFormat} from './context.js';
import {runMeasured, type ViewOutput} from './measured.js';
import {routesFromTap} from './routes-from-tap.js';
import {openSession} from './session.js';

interface RoutesOptions {
  fromTap?: boolean;
  tapConfigId: string;
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

export const NO_TAPPED_NOTE = 'No requests were tapped in the window, so no routes could be derived.';

export const NO_ROUTES_NOTE =
  'No route metrics on these proxies. Linkerd reports routes for ServiceProfiles and Gateway API routes (HTTPRoute/GRPCRoute); ' +
  'Envoy for routes with a stat_prefix and for virtual clusters. On Envoy, --from-tap derives routes from live requests instead.';

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
  const query = {namespace, to: to?.name ?? null, direction: to ? ('outbound' as const) : null};
  const view = (rows: RouteRow[]): ViewOutput => {
    const sections = sectionsOf(rows, sort);
    return {
      text: () =>
        sections
          .map((section) => `${sections.length > 1 ? `${routeSectionTitle(section[0])}\n` : ''}${renderRoutesTable(section, format === 'wide', chalk)}\n`)
          .join('\n'),
      records: () => sections.flat().flatMap(routeRecords),
      emptyNote: sections.length === 0 ? (options.fromTap ? NO_TAPPED_NOTE : NO_ROUTES_NOTE) : null,
    };
  };

  if (options.fromTap) {
    if (options.watch) throw new UsageError('--from-tap derives routes over one window; it does not combine with --watch');
    if (windowMs === 0) throw new UsageError('--from-tap needs a window greater than 0: it watches live requests for that long');
    if (selectors.length > 1) throw new UsageError('--from-tap takes at most one target (deploy/NAME, po/NAME or ns/NAME)');
    const configId = options.tapConfigId.trim();
    if (configId === '') throw new UsageError('--tap-config-id needs a value');
    const tapped = await routesFromTap(ctx, session, selectors[0] ?? null, windowMs, configId);
    const output = view(filterRoutes(tapped.rows, query));
    if (format === 'json') ctx.io.stdout.write(renderJson(output.records()));
    else if (format === 'yaml') ctx.io.stdout.write(renderYaml(output.records()));
    else ctx.io.stdout.write(output.text());
    if (output.emptyNote && tapped.exitCode !== EXIT.UNSUPPORTED && tapped.exitCode !== EXIT.INTERRUPTED) ctx.io.stderr.write(`${output.emptyNote}\n`);
    return tapped.exitCode;
  }

  return runMeasured(ctx, session, {windowMs, windowText: options.window, watch: Boolean(options.watch), format}, (m: Measurement) =>
    view(routeRows(selectProxies(m.windows, selectors), query)),
  );
}

/** Sorted rows grouped into one section per measuring workload and side. */
function sectionsOf(rows: RouteRow[], sort: SortSpec | null): RouteRow[][] {
  const ordered = sortBy(sortBy(rows, (r) => r.route ?? '\uffff', false), (r) => r.service, false);
  const sorted = sort ? sortBy(ordered, (r) => sortValue(r, sort.key), sort.descending) : ordered;
  const sections = new Map<string, RouteRow[]>();
  for (const row of sorted) {
    const key = routeSectionTitle(row);
    sections.set(key, [...(sections.get(key) ?? []), row]);
  }
  return [...sections.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
}
