import {edgeLabel, labelWidth, type LabelMode} from './labels.js';
import {portRow, type Loop, type Port, type Scene, type Segment} from './scene.js';
import {assignTracks, type TrackPlan} from './tracks.js';

/**
 * The columns of each gap between two columns of boxes, left to right:
 *
 *   lead    arrowheads of edges pointing back left, their labels, self-loops and theirs
 *   tracks  one column per vertical run
 *   labels  labels of the edges arriving at the right column
 *   arrow   one column for their arrowheads
 *
 * A gap after the last column exists only when a box there has a self-loop.
 */
/** The edge pieces leaving one port into a gap; more than one where a box fans out. */
export interface Net {
  id: number;
  port: Port;
  segments: Segment[];
}

export interface Gap {
  index: number;
  segments: Segment[];
  nets: Net[];
  loops: Loop[];
  plan: TrackPlan;
  /** Widest label next to an arrowhead on the left / right (0 when none). */
  leftLabelWidth: number;
  rightLabelWidth: number;
  loopLabelWidth: number;
  leadWidth: number;
  trackAreaWidth: number;
  rightZoneWidth: number;
  width: number;
}

/** A self-loop needs `─┐` / `◀┘` and a blank column before its label. */
export const LOOP_WIDTH = 3;

export function planGaps(scene: Scene, mode: LabelMode): Gap[] {
  const count = scene.columns.length - 1 + (scene.loops.some((l) => l.item.column === scene.columns.length - 1) ? 1 : 0);
  const gaps: Gap[] = [];
  for (let index = 0; index < count; index++) {
    const segments = scene.segments
      .filter((s) => s.gap === index)
      .sort((a, b) => portRow(a.left) - portRow(b.left) || portRow(a.right) - portRow(b.right));
    const loops = scene.loops.filter((l) => l.item.column === index);
    const widest = (list: Array<{edge: Segment['edge']}>) => Math.max(0, ...list.map((s) => labelWidth(edgeLabel(s.edge, mode))));
    const leftLabelWidth = widest(segments.filter((s) => s.head === 'left'));
    const rightLabelWidth = widest(segments.filter((s) => s.head === 'right'));
    const loopLabelWidth = widest(loops);
    const nets = groupNets(segments);
    const plan = assignTracks(nets.map((net) => ({id: net.id, leftRow: portRow(net.port), rightRows: net.segments.map((s) => portRow(s.right))})));
    const leadWidth = Math.max(1 + (leftLabelWidth > 0 ? leftLabelWidth + 2 : 0), loops.length > 0 ? LOOP_WIDTH + loopLabelWidth + 1 : 0, 1);
    const trackAreaWidth = plan.trackCount;
    const rightZoneWidth = rightLabelWidth > 0 ? rightLabelWidth + 2 : 1;
    gaps.push({
      index,
      segments,
      nets,
      loops,
      plan,
      leftLabelWidth,
      rightLabelWidth,
      loopLabelWidth,
      leadWidth,
      trackAreaWidth,
      rightZoneWidth,
      width: leadWidth + trackAreaWidth + rightZoneWidth + 1,
    });
  }
  return gaps;
}

function groupNets(segments: Segment[]): Net[] {
  const byPort = new Map<Port, Net>();
  for (const segment of segments) {
    const net = byPort.get(segment.left) ?? {id: byPort.size, port: segment.left, segments: []};
    net.segments.push(segment);
    byPort.set(segment.left, net);
  }
  return [...byPort.values()];
}

/** Where each column of boxes starts, and the drawing's total width. */
export function columnPositions(scene: Scene, gaps: Gap[]): {x: number[]; width: number} {
  const x: number[] = [];
  let next = 0;
  scene.columnWidths.forEach((width, column) => {
    x.push(next);
    next += width + (gaps[column]?.width ?? 0);
  });
  return {x, width: next};
}
