import type {TopologyEdge, TopologyGraph, TopologyNode, TopologyNodeKind} from '../../model/topology.js';
import {sanitize} from '../sanitize.js';
import {classifyHealth, servedSuccess, type Health, type HealthThresholds} from './health.js';

/**
 * The graph every topology renderer works from: names sanitized, nodes and edges in one
 * canonical order (so output never depends on input order), missing endpoints added as
 * `unknown` nodes, and health worked out once.
 */

export interface PreparedNode {
  id: string;
  /** Sanitized display name. */
  name: string;
  /** Sanitized namespace, or null. */
  namespace: string | null;
  kind: TopologyNodeKind;
  /** Success rate of the traffic this node serves (see `servedSuccess`). */
  served: number | null;
  health: Health;
}

/** An edge with its place in the canonical order (unique) and its health. */
export interface PreparedEdge extends TopologyEdge {
  index: number;
  health: Health;
}

export interface PreparedGraph {
  nodes: PreparedNode[];
  edges: PreparedEdge[];
  byId: Map<string, PreparedNode>;
  /** True when the nodes span more than one namespace, so boxes should name theirs. */
  showNamespaces: boolean;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const nullLast = (v: number | boolean | null) => (v === null ? '~' : String(v));

function compareNodes(a: TopologyNode, b: TopologyNode): number {
  return compareText(a.id, b.id) || compareText(a.name, b.name) || compareText(a.namespace ?? '', b.namespace ?? '') || compareText(a.kind, b.kind);
}

/** Every field of an edge in one string, so sorting by it orders edges totally. */
function edgeSortKey(e: TopologyEdge): string {
  return JSON.stringify([e.from, e.to, nullLast(e.rps), nullLast(e.success), nullLast(e.latencyMsP99), nullLast(e.secured), e.measuredBy]);
}

export function prepareGraph(graph: TopologyGraph, thresholds: HealthThresholds): PreparedGraph {
  const sourceNodes = new Map<string, TopologyNode>();
  for (const node of [...graph.nodes].sort(compareNodes)) {
    if (!sourceNodes.has(node.id)) sourceNodes.set(node.id, node);
  }
  const edges = graph.edges
    .map((edge) => ({edge, key: edgeSortKey(edge)}))
    .sort((a, b) => compareText(a.key, b.key))
    .map(({edge}) => edge);
  for (const edge of edges) {
    for (const id of [edge.from, edge.to]) {
      if (!sourceNodes.has(id)) sourceNodes.set(id, {id, name: id, namespace: null, kind: 'unknown'});
    }
  }

  const preparedEdges: PreparedEdge[] = edges.map((e, index) => ({...e, index, health: classifyHealth(e.success, thresholds)}));

  const incoming = new Map<string, PreparedEdge[]>();
  for (const edge of preparedEdges) {
    const list = incoming.get(edge.to) ?? [];
    list.push(edge);
    incoming.set(edge.to, list);
  }
  const ids = [...sourceNodes.keys()].sort(compareText);
  const nodes: PreparedNode[] = ids.map((id) => {
    const node = sourceNodes.get(id) as TopologyNode;
    const served = servedSuccess(incoming.get(id) ?? []);
    return {
      id,
      name: sanitize(node.name),
      namespace: node.namespace === null ? null : sanitize(node.namespace),
      kind: node.kind,
      served,
      health: classifyHealth(served, thresholds),
    };
  });
  const namespaces = new Set(nodes.map((n) => n.namespace).filter((ns) => ns !== null));
  return {nodes, edges: preparedEdges, byId: new Map(nodes.map((n) => [n.id, n])), showNamespaces: namespaces.size > 1};
}
