import type {TopologyGraph, TopologyNodeKind} from '../../model/topology.js';
import {figuresInline, edgeFigures, formatSecured} from './format.js';
import {DEFAULT_HEALTH_THRESHOLDS, type Health, type HealthThresholds} from './health.js';
import {prepareGraph} from './prepare.js';

/**
 * A Mermaid flowchart. Node ids are generated (`n0`, `n1`, ...), never taken from names, and
 * every name appears only in a double-quoted label. Inside one, the characters Mermaid would
 * read as syntax or markup (`"`, `#`, `<`, `>`, `&`, `|`, backquote) are written as its
 * numeric entity codes (`#34;`), after sanitizing, so no name can end a label or add markup.
 */

const STROKES: Record<Health, string> = {good: '#2e7d32', warn: '#b8860b', bad: '#c62828', unknown: '#9e9e9e'};

const SHAPES: Record<TopologyNodeKind, [string, string]> = {
  workload: ['[', ']'],
  ingress: ['[[', ']]'],
  external: ['([', '])'],
  unknown: ['([', '])'],
};

export function mermaidText(text: string): string {
  return text.replace(/["#<>&|`]/g, (c) => `#${c.charCodeAt(0)};`);
}

const quoted = (lines: string[]) => `"${lines.map(mermaidText).join('<br/>')}"`;

export function renderMermaid(graph: TopologyGraph, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): string {
  const prepared = prepareGraph(graph, thresholds);
  const ids = new Map(prepared.nodes.map((node, i) => [node.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const node of prepared.nodes) {
    const [open, close] = SHAPES[node.kind];
    const text = node.namespace !== null && prepared.showNamespaces ? [node.name, node.namespace] : [node.name];
    lines.push(`  ${ids.get(node.id)}${open}${quoted(text)}${close}`);
  }
  for (const edge of prepared.edges) {
    const arrow = edge.secured === true ? '-->' : '-.->';
    const label = quoted([figuresInline(edgeFigures(edge)), formatSecured(edge.secured)]);
    lines.push(`  ${ids.get(edge.from)} ${arrow}|${label}| ${ids.get(edge.to)}`);
  }
  for (const health of ['good', 'warn', 'bad'] as const) {
    const members = prepared.nodes.filter((n) => n.health === health).map((n) => ids.get(n.id));
    if (members.length === 0) continue;
    lines.push(`  classDef ${health} stroke:${STROKES[health]},stroke-width:2px`);
    lines.push(`  class ${members.join(',')} ${health}`);
  }
  prepared.edges.forEach((edge, i) => lines.push(`  linkStyle ${i} stroke:${STROKES[edge.health]},color:${STROKES[edge.health]}`));
  return `${lines.join('\n')}\n`;
}
