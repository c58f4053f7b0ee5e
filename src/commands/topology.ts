import type {Measurement} from '../dialects/measure.js';
import {UsageError} from '../errors.js';
import {edgeRecord, renderEdgesTable, topologyGraph} from '../render/edges.js';
import {renderDot, renderMermaid, renderTopology} from '../render/topology/index.js';
import {parseDuration} from '../util/duration.js';
import {edgeRows, type EdgeRow} from '../views/edges.js';
import {parseResource, type ResourceSelector} from '../views/resources.js';
import {parseOutputFormat, stdoutChalk, type CommandContext} from './context.js';
import {runMeasured} from './measured.js';
import {openSession} from './session.js';

const FORMATS = ['graph', 'table', 'wide', 'json', 'yaml', 'dot', 'mermaid'] as const;

interface TopologyOptions {
  namespace?: string;
  allNamespaces?: boolean;
  window: string;
  output: string;
  ascii?: boolean;
  watch?: boolean;
}

/** Edges touching a selected workload/namespace (all edges when nothing is selected). */
function touches(row: EdgeRow, selectors: readonly ResourceSelector[], namespace: string | null): boolean {
  const ends = [row.src, row.dst];
  if (namespace !== null && !ends.some((e) => e.namespace === namespace)) return false;
  if (selectors.length === 0) return true;
  return selectors.some((s) =>
    ends.some((e) => (s.kind === 'namespace' ? s.name === null || e.namespace === s.name : s.name === null || e.name === s.name)),
  );
}

export async function run(ctx: CommandContext, args: string[], raw: Record<string, unknown>): Promise<number> {
  const options = raw as unknown as TopologyOptions;
  const format = parseOutputFormat(options.output, FORMATS);
  const windowMs = parseDuration(options.window, '--window');
  if (options.watch && windowMs === 0) throw new UsageError('--watch needs a window greater than 0');
  if (options.namespace && options.allNamespaces) throw new UsageError('use either -n or -A, not both');
  const selectors = args.map((a) => parseResource(a));
  if (selectors.some((s) => s.kind === 'pod')) throw new UsageError('topology nodes are workloads: select deploy/NAME or ns/NAME');

  const session = openSession(ctx);
  const namespace = options.allNamespaces ? null : options.namespace ?? session.resolved.defaultNamespace ?? null;
  const machine = format === 'json' || format === 'yaml' || format === 'dot' || format === 'mermaid';
  const chalk = stdoutChalk(ctx, machine);
  const width = ctx.io.stdout.columns ?? (Number(ctx.io.env.COLUMNS) || 80);

  return runMeasured(ctx, session, {windowMs, windowText: options.window, watch: Boolean(options.watch), format}, (m: Measurement) => {
    const rows = edgeRows(m.windows).filter((r) => touches(r, selectors, namespace));
    const graph = topologyGraph(rows);
    let notice: string | undefined;
    return {
      text: () => {
        if (rows.length === 0) return '';
        switch (format) {
          case 'dot':
            return renderDot(graph);
          case 'mermaid':
            return renderMermaid(graph);
          case 'table':
          case 'wide':
            return `${renderEdgesTable(rows, format === 'wide', chalk)}\n`;
          default: {
            const drawing = renderTopology(graph, {width, unicode: !options.ascii, color: chalk});
            notice = drawing.notice;
            return drawing.text;
          }
        }
      },
      records: () => rows.map(edgeRecord),
      notes: () => (notice ? [notice] : []),
      emptyNote: rows.length === 0 ? 'No edges found: no traffic between the proxies read in this window.' : null,
    };
  });
}
