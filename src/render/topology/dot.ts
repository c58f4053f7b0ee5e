import type {TopologyGraph, TopologyNodeKind} from '../../model/topology.js';
import {figuresInline, edgeFigures, formatSecured} from './format.js';
import {DEFAULT_HEALTH_THRESHOLDS, type Health, type HealthThresholds} from './health.js';
import {prepareGraph} from './prepare.js';

/**
 * Graphviz DOT. Nodes get generated ids (`n0`, `n1`, ...) and every name appears only inside
 * a quoted label, where quotes, backslashes and ampersands are escaped; names are sanitized first, so a
 * newline or escape sequence shows as `\x0a` text instead of breaking a line. Colour follows
 * health, a dashed line means not mTLS and a dotted one unknown.
 */

const COLORS: Record<Health, string | null> = {good: 'forestgreen', warn: 'goldenrod', bad: 'firebrick', unknown: 'gray50'};

const SHAPES: Record<TopologyNodeKind, string> = {
  workload: 'shape=box',
  ingress: 'shape=box, peripheries=2',
  external: 'shape=box, style=rounded',
  unknown: 'shape=box, style="rounded,dashed"',
};

/**
 * A DOT quoted string from already sanitized lines, joined by DOT's centred line break.
 * Graphviz reads `&name;` entities even in plain labels, so `&` is escaped as one too.
 */
export function dotLabel(lines: string[]): string {
  const escape = (line: string) => line.replace(/&/g, '&amp;').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `"${lines.map(escape).join('\\n')}"`;
}

const edgeStyle = (secured: boolean | null) => (secured === true ? 'solid' : secured === false ? 'dashed' : 'dotted');

export function renderDot(graph: TopologyGraph, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): string {
  const prepared = prepareGraph(graph, thresholds);
  const ids = new Map(prepared.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = ['digraph topology {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const node of prepared.nodes) {
    const label = dotLabel(node.namespace !== null && prepared.showNamespaces ? [node.name, node.namespace] : [node.name]);
    const color = node.health === 'unknown' ? '' : `, color=${COLORS[node.health]}`;
    lines.push(`  ${ids.get(node.id)} [label=${label}, ${SHAPES[node.kind]}${color}];`);
  }
  for (const edge of prepared.edges) {
    const label = dotLabel([figuresInline(edgeFigures(edge)), formatSecured(edge.secured)]);
    const tooltip = dotLabel([`measured by ${edge.measuredBy}`]);
    lines.push(`  ${ids.get(edge.from)} -> ${ids.get(edge.to)} [label=${label}, color=${COLORS[edge.health]}, fontcolor=${COLORS[edge.health]}, style=${edgeStyle(edge.secured)}, tooltip=${tooltip}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
