import dagre from '@dagrejs/dagre';
import type {PreparedEdge, PreparedGraph} from './prepare.js';

/**
 * The combinatorial half of a layered (Sugiyama) drawing, done by dagre: which column each
 * node goes in (cycles broken, ranks assigned left to right) and the top-to-bottom order of
 * everything in a column, including the points where longer edges pass through. Positions on
 * the character grid are worked out afterwards, by us.
 */

export type ColumnEntry = {kind: 'node'; id: string} | {kind: 'pass'; edge: PreparedEdge};

/** An edge between two different nodes and the columns it spans. */
export interface EdgeSpan {
  edge: PreparedEdge;
  fromColumn: number;
  toColumn: number;
}

export interface Layering {
  /** Per column, top to bottom. A `pass` entry is where an edge crosses a column. */
  columns: ColumnEntry[][];
  nodeColumn: Map<string, number>;
  spans: EdgeSpan[];
  selfLoops: PreparedEdge[];
}

export interface LayeringInput {
  graph: PreparedGraph;
  /** Approximate box sizes in cells, so dagre's ordering accounts for tall and wide boxes. */
  boxSize: (id: string) => {width: number; height: number};
}

export function layer({graph, boxSize}: LayeringInput): Layering {
  const g = new dagre.graphlib.Graph({multigraph: true});
  g.setGraph({rankdir: 'LR', nodesep: 1, edgesep: 1, ranksep: 4, marginx: 0, marginy: 0, acyclicer: 'greedy'});
  g.setDefaultEdgeLabel(() => ({}));
  // dagre keeps nodes in plain objects, so ids such as `__proto__` must never reach it.
  const keys = new Map(graph.nodes.map((node, i) => [node.id, `n${i}`]));
  const key = (id: string) => keys.get(id) as string;
  for (const node of graph.nodes) g.setNode(key(node.id), {...boxSize(node.id)});
  const selfLoops: PreparedEdge[] = [];
  const linked: PreparedEdge[] = [];
  for (const edge of graph.edges) {
    if (edge.from === edge.to) {
      selfLoops.push(edge);
      continue;
    }
    linked.push(edge);
    g.setEdge(key(edge.from), key(edge.to), {minlen: 1, weight: 1}, String(edge.index));
  }
  dagre.layout(g);

  const rankOf = (id: string): number => {
    const rank = g.node(key(id)).rank;
    if (typeof rank !== 'number') throw new Error(`dagre gave node ${id} no rank`);
    return rank;
  };
  const columnRanks = [...new Set(graph.nodes.map((n) => rankOf(n.id)))].sort((a, b) => a - b);
  const columnOfRank = new Map(columnRanks.map((rank, column) => [rank, column]));
  const nodeColumn = new Map(graph.nodes.map((n) => [n.id, columnOfRank.get(rankOf(n.id)) as number]));

  const placed: Array<Array<{entry: ColumnEntry; y: number; tie: string}>> = columnRanks.map(() => []);
  for (const node of graph.nodes) {
    placed[nodeColumn.get(node.id) as number].push({entry: {kind: 'node', id: node.id}, y: g.node(key(node.id)).y ?? 0, tie: `n:${node.id}`});
  }

  const spans: EdgeSpan[] = [];
  for (const edge of linked) {
    const fromRank = rankOf(edge.from);
    const toRank = rankOf(edge.to);
    const points = g.edge({v: key(edge.from), w: key(edge.to), name: String(edge.index)}).points ?? [];
    // dagre leaves one point per rank between the ends (ranks include its label ranks).
    if (points.length !== Math.abs(toRank - fromRank) + 1) {
      throw new Error(`dagre route for edge ${edge.index} has ${points.length} points across ranks ${fromRank}..${toRank}`);
    }
    const step = Math.sign(toRank - fromRank);
    for (let j = 1; j < points.length - 1; j++) {
      const column = columnOfRank.get(fromRank + j * step);
      if (column === undefined) continue;
      placed[column].push({entry: {kind: 'pass', edge}, y: points[j].y, tie: `p:${String(edge.index).padStart(8, '0')}`});
    }
    spans.push({edge, fromColumn: nodeColumn.get(edge.from) as number, toColumn: nodeColumn.get(edge.to) as number});
  }

  const columns = placed.map((entries) =>
    entries.sort((a, b) => a.y - b.y || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0)).map((p) => p.entry),
  );
  return {columns, nodeColumn, spans, selfLoops};
}
