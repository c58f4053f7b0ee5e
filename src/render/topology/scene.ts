import type {PreparedEdge, PreparedNode} from './prepare.js';

/**
 * The drawing before it becomes characters: columns of items (boxes and the points where an
 * edge passes through a column), the ports on their sides, and the pieces of every edge in
 * the gaps between columns. Rows are relative to the drawing's top; columns come later.
 */

export type Side = 'left' | 'right';

export interface Port {
  item: Item;
  side: Side;
  /** Row within the item. */
  offset: number;
  /**
   * The edge pieces attached here: one, except where a box's edges leave to the right, which
   * share one port and fan out from it; none for the two ends of a self-loop.
   */
  segments: Segment[];
  /** True when an edge label stacks around this port (one clear row above and below). */
  labeled: boolean;
  /** Which end of a self-loop this port is, if it is one. */
  loop: 'out' | 'in' | null;
}

export interface Item {
  column: number;
  kind: 'box' | 'pass';
  /** The node a box stands for; for a pass, the edge passing through. */
  node: PreparedNode | null;
  edge: PreparedEdge | null;
  /** Box text lines, already fitted to the column. */
  lines: string[];
  height: number;
  top: number;
  left: Port[];
  right: Port[];
}

/** The part of an edge inside one gap: from a port on the left column to one on the right. */
export interface Segment {
  edge: PreparedEdge;
  /** The gap between column `gap` and column `gap + 1`. */
  gap: number;
  left: Port;
  right: Port;
  /** Where the arrowhead (and the label next to it) goes, if in this gap. */
  head: Side | null;
}

/** A node calling itself: drawn as a loop out of and back into the box's right side. */
export interface Loop {
  edge: PreparedEdge;
  item: Item;
  out: Port;
  in: Port;
}

export interface Scene {
  columns: Item[][];
  columnWidths: number[];
  segments: Segment[];
  loops: Loop[];
}

export function portRow(port: Port): number {
  return port.item.top + port.offset;
}

/** The ports at the far ends of a port's edge pieces. */
export function otherEnds(port: Port): Port[] {
  return port.segments.map((segment) => (segment.left === port ? segment.right : segment.left));
}

/** Whether an arrowhead arrives at this port (it then gets no port mark on the border). */
export function arrivesAt(port: Port): boolean {
  return port.segments.some((s) => (s.head === 'right' && s.right === port) || (s.head === 'left' && s.left === port));
}
