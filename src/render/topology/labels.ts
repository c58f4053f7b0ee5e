import {edgeFigures} from './format.js';
import {textWidth} from './text-width.js';

/**
 * Edge labels in the drawing. `stacked` puts requests per second above the line, the success
 * rate on it and the p99 latency below; `success` keeps only the success rate, on the line.
 * A figure the proxies did not report is left out.
 */
export type LabelMode = 'stacked' | 'success';

export interface EdgeLabel {
  above: string | null;
  on: string | null;
  below: string | null;
}

export function edgeLabel(edge: {rps: number | null; success: number | null; latencyMsP99: number | null}, mode: LabelMode): EdgeLabel {
  const figures = edgeFigures(edge);
  if (mode === 'success') return {above: null, on: figures.success, below: null};
  return {above: figures.rps, on: figures.success, below: figures.p99};
}

export function labelWidth(label: EdgeLabel): number {
  return Math.max(0, ...[label.above, label.on, label.below].map((t) => (t === null ? 0 : textWidth(t))));
}
