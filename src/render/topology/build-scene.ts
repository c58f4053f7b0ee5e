import type {Layering} from './layering.js';
import type {PreparedGraph, PreparedNode} from './prepare.js';
import {otherEnds, type Item, type Loop, type Port, type Scene, type Segment, type Side} from './scene.js';
import {textWidth, truncateToWidth} from './text-width.js';

export interface SceneOptions {
  /** Longest name (in columns) a box shows before it is cut with an ellipsis. */
  maxNameWidth: number;
  ellipsis: string;
  /** Labels stacked over three rows (rps / success / p99) rather than one. */
  stackedLabels: boolean;
}

/** The text lines of a box: its name, and its namespace when the graph spans several. */
export function boxLines(node: PreparedNode, showNamespaces: boolean, options: SceneOptions): string[] {
  const lines = [truncateToWidth(node.name, options.maxNameWidth, options.ellipsis)];
  if (showNamespaces && node.namespace !== null) lines.push(truncateToWidth(node.namespace, options.maxNameWidth, options.ellipsis));
  return lines;
}

/** Box border and one space of padding on each side. */
export const BOX_PADDING = 4;

export function buildScene(graph: PreparedGraph, layering: Layering, options: SceneOptions): Scene {
  const boxes = new Map<string, Item>();
  const passes = new Map<string, Item>();
  const passKey = (edgeIndex: number, column: number) => `${edgeIndex}@${column}`;
  const columns: Item[][] = layering.columns.map((entries, column) =>
    entries.map((entry) => {
      const base = {column, top: 0, left: [], right: [], height: 1};
      if (entry.kind === 'node') {
        const node = graph.byId.get(entry.id) as PreparedNode;
        const item: Item = {...base, kind: 'box', node, edge: null, lines: boxLines(node, graph.showNamespaces, options)};
        boxes.set(node.id, item);
        return item;
      }
      const item: Item = {...base, kind: 'pass', node: null, edge: entry.edge, lines: []};
      passes.set(passKey(entry.edge.index, column), item);
      return item;
    }),
  );

  const segments: Segment[] = [];
  const attach = (item: Item, side: Side, loop: Port['loop'] = null): Port => {
    const port: Port = {item, side, offset: 0, segments: [], labeled: false, loop};
    item[side].push(port);
    return port;
  };
  // Edges leaving a box to the right share one port and fan out from it.
  const fanOut = new Map<Item, Port>();
  const leftEnd = (item: Item, head: Side | null): Port => {
    if (item.kind !== 'box' || head === 'left') return attach(item, 'right');
    const shared = fanOut.get(item) ?? attach(item, 'right');
    fanOut.set(item, shared);
    return shared;
  };
  for (const span of layering.spans) {
    const forward = span.fromColumn < span.toColumn;
    const [first, last] = forward ? [span.fromColumn, span.toColumn] : [span.toColumn, span.fromColumn];
    const chain: Item[] = [];
    for (let column = first; column <= last; column++) {
      if (column === first) chain.push(boxes.get(forward ? span.edge.from : span.edge.to) as Item);
      else if (column === last) chain.push(boxes.get(forward ? span.edge.to : span.edge.from) as Item);
      else chain.push(passes.get(passKey(span.edge.index, column)) as Item);
    }
    for (let gap = first; gap < last; gap++) {
      const head: Side | null = forward ? (gap === last - 1 ? 'right' : null) : gap === first ? 'left' : null;
      const left = leftEnd(chain[gap - first], head);
      const right = attach(chain[gap - first + 1], 'left');
      const segment: Segment = {edge: span.edge, gap, left, right, head};
      left.segments.push(segment);
      right.segments.push(segment);
      left.labeled ||= options.stackedLabels && head === 'left';
      right.labeled = options.stackedLabels && head === 'right';
      segments.push(segment);
    }
  }

  const orderInColumn = new Map<Item, number>();
  for (const column of columns) column.forEach((item, order) => orderInColumn.set(item, order));
  for (const item of boxes.values()) sortPorts(item, orderInColumn);

  const loops: Loop[] = layering.selfLoops.map((edge) => {
    const item = boxes.get(edge.from) as Item;
    return {edge, item, out: attach(item, 'right', 'out'), in: attach(item, 'right', 'in')};
  });

  for (const column of columns) for (const item of column) sizeItem(item);
  const columnWidths = columns.map((items) => Math.max(1, ...items.filter((i) => i.kind === 'box').map(boxWidth)));
  return {columns, columnWidths, segments, loops};
}

function boxWidth(item: Item): number {
  return Math.max(...item.lines.map(textWidth)) + BOX_PADDING;
}

/** Ports follow the top-to-bottom order of what they lead to, so edges leave a box uncrossed. */
function sortPorts(item: Item, orderInColumn: Map<Item, number>): void {
  const key = (port: Port) => {
    const others = otherEnds(port).map((p) => orderInColumn.get(p.item) as number);
    return others.length === 0 ? 0 : others.reduce((a, b) => a + b, 0) / others.length;
  };
  const firstEdge = (port: Port) => Math.min(...port.segments.map((s) => s.edge.index));
  for (const side of ['left', 'right'] as const) item[side].sort((a, b) => key(a) - key(b) || firstEdge(a) - firstEdge(b));
}

/**
 * Give each port its row and the item its height. Ports are stacked one row apart, with an
 * extra clear row on each side of a stacked label; a self-loop's two ends are two rows apart
 * so its label fits between them. A box is tall enough for its text and both port stacks,
 * which are centred in it.
 */
function sizeItem(item: Item): void {
  if (item.kind === 'pass') {
    item.height = 1;
    return;
  }
  const stacks = (['left', 'right'] as const).map((side) => {
    const offsets: number[] = [];
    let row = 0;
    item[side].forEach((port, i) => {
      if (i > 0) {
        const previous = item[side][i - 1];
        const loopGap = port.loop === 'in' ? 1 : 0;
        row += 1 + (previous.labeled ? 1 : 0) + (port.labeled ? 1 : 0) + loopGap;
      }
      offsets.push(row);
    });
    return {side, offsets, span: offsets.length > 0 ? row + 1 : 0};
  });
  item.height = Math.max(item.lines.length + 2, ...stacks.map((s) => s.span + 2));
  for (const {side, offsets, span} of stacks) {
    const start = 1 + Math.floor((item.height - 2 - span) / 2);
    item[side].forEach((port, i) => (port.offset = start + offsets[i]));
  }
}
