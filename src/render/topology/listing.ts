import type {ChalkInstance} from 'chalk';
import {formatSecured, edgeFigures} from './format.js';
import {paint} from './health.js';
import type {GlyphSet} from './glyphs.js';
import type {PreparedEdge, PreparedGraph, PreparedNode} from './prepare.js';
import {padToWidth, textWidth, truncateToWidth} from './text-width.js';

/**
 * The fallback when a graph cannot be drawn in the width: each calling node, then one line
 * per hop it makes, figures in aligned columns. Nodes come in drawing order (entry points
 * first) and a node that neither calls nor is called still gets its line.
 */
export function renderListing(graph: PreparedGraph, nodeOrder: readonly string[], glyphs: GlyphSet, chalk: ChalkInstance, width: number): string[] {
  const rank = new Map(nodeOrder.map((id, i) => [id, i]));
  const display = (node: PreparedNode) => (graph.showNamespaces && node.namespace !== null ? `${node.name} (${node.namespace})` : node.name);
  const outgoing = new Map<string, PreparedEdge[]>();
  for (const edge of graph.edges) {
    const list = outgoing.get(edge.from) ?? [];
    list.push(edge);
    outgoing.set(edge.from, list);
  }
  const called = new Set(graph.edges.map((e) => e.to));

  const rows = graph.edges.map((edge) => {
    const figures = edgeFigures(edge);
    return {edge, rps: figures.rps ?? '-', success: figures.success ?? '-', p99: figures.p99 ?? '-', secured: formatSecured(edge.secured)};
  });
  const widest = (pick: (r: (typeof rows)[number]) => string) => Math.max(0, ...rows.map((r) => textWidth(pick(r))));
  const columns = {rps: widest((r) => r.rps), success: widest((r) => r.success), p99: widest((r) => r.p99)};
  const arrow = `${glyphs.horizontal.solid}${glyphs.arrowRight} `;
  const indent = '  ';
  // Names come first: when a line is too long, its figures are cut, never the callee's name.
  const targetWidth = Math.max(
    1,
    Math.min(Math.max(0, ...graph.edges.map((e) => textWidth(display(graph.byId.get(e.to)!)))), width - indent.length - textWidth(arrow)),
  );

  const lines: string[] = [];
  const byOrder = (a: string, b: string) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  for (const id of graph.nodes.map((n) => n.id).sort(byOrder)) {
    const edges = outgoing.get(id) ?? [];
    if (edges.length === 0 && called.has(id)) continue;
    lines.push(truncateToWidth(display(graph.byId.get(id)!), width, glyphs.ellipsis));
    if (edges.length === 0) lines.push(truncateToWidth(`${indent}(no traffic seen)`, width, glyphs.ellipsis));
    for (const edge of [...edges].sort((a, b) => byOrder(a.to, b.to) || a.index - b.index)) {
      const row = rows[edge.index];
      const target = padToWidth(truncateToWidth(display(graph.byId.get(edge.to)!), targetWidth, glyphs.ellipsis), targetWidth);
      const parts = [row.rps.padStart(columns.rps), row.success.padStart(columns.success), row.p99.padStart(columns.p99), row.secured];
      const plain = `${indent}${arrow}${target}  ${parts.join('  ')}`;
      if (textWidth(plain) > width) {
        lines.push(truncateToWidth(plain, width, glyphs.ellipsis));
        continue;
      }
      parts[1] = paint(chalk, edge.health, parts[1]);
      lines.push(`${indent}${arrow}${target}  ${parts.join('  ')}`);
    }
  }
  return lines;
}
