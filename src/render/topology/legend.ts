import type {ChalkInstance} from 'chalk';
import type {TopologyNodeKind} from '../../model/topology.js';
import {lineStyleFor, type GlyphSet} from './glyphs.js';
import type {HealthThresholds} from './health.js';
import type {LabelMode} from './labels.js';
import type {PreparedGraph} from './prepare.js';
import {textWidth, truncateToWidth} from './text-width.js';

/**
 * The key under a drawing: what the labels hold, which line styles and box shapes appear,
 * and, when colouring, the success rates behind each colour on a line of its own. Only what
 * the drawing uses is listed.
 */
export function legendLines(graph: PreparedGraph, mode: LabelMode, glyphs: GlyphSet, chalk: ChalkInstance, thresholds: HealthThresholds, width: number): string[] {
  const entries: string[] = [mode === 'stacked' ? 'edge label: rps, success, p99' : 'edge label: success rate'];
  const styles = new Set(graph.edges.map((e) => lineStyleFor(e.secured)));
  const names = {solid: 'mTLS', dashed: 'not mTLS', dotted: 'mTLS unknown'} as const;
  for (const style of ['solid', 'dashed', 'dotted'] as const) {
    if (styles.has(style)) entries.push(`${glyphs.horizontal[style].repeat(3)} ${names[style]}`);
  }
  const kinds = new Set(graph.nodes.map((n) => n.kind));
  for (const kind of ['ingress', 'external', 'unknown'] as const satisfies readonly TopologyNodeKind[]) {
    if (kinds.has(kind)) {
      const box = glyphs.boxes[kind];
      entries.push(`${box.topLeft}${box.horizontal}${box.topRight} ${kind}`);
    }
  }
  const lines = pack(entries.map((entry) => truncateToWidth(entry, width, '')), width);
  if (chalk.level > 0) {
    const pct = (v: number) => `${+(v * 100).toFixed(2)}%`;
    const key = [`green ${glyphs.atLeast}${pct(thresholds.good)}`, `yellow ${glyphs.atLeast}${pct(thresholds.warn)}`, 'red below'];
    const title = 'success rate (boxes: traffic served):';
    // Coloured text cannot be cut safely, so a key too wide for the screen is left out.
    if (textWidth(`${title} ${key.join('   ')}`) <= width) {
      const paints = [chalk.green, chalk.yellow, chalk.red];
      lines.push(`${title} ${key.map((entry, i) => entry.replace(/^\w+/, (word) => paints[i](word))).join('   ')}`);
    }
  }
  return lines;
}

/** Join entries with three spaces, starting a new line rather than passing `width`. */
function pack(entries: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const entry of entries) {
    const candidate = line === '' ? entry : `${line}   ${entry}`;
    if (line !== '' && textWidth(candidate) > width) {
      lines.push(line);
      line = entry;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
