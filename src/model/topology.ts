/**
 * The mesh topology: who talks to whom, with the golden signals of each hop. Computed by the
 * edges view from proxy metrics; drawn by src/render/topology.
 */

/**
 * What a node stands for. `workload` is a meshed deployment (or statefulset, ...); `ingress`
 * an entry point such as an ingress or gateway; `external` a known out-of-mesh peer; `unknown`
 * a client the proxies could not identify (unmeshed callers, probes).
 */
export type TopologyNodeKind = 'workload' | 'ingress' | 'external' | 'unknown';

export interface TopologyNode {
  /** Unique within the graph and stable across runs, e.g. `booksapp/webapp`. */
  id: string;
  /** Display name as the proxies report it (untrusted: renderers sanitize it). */
  name: string;
  namespace: string | null;
  kind: TopologyNodeKind;
}

/** Which proxy of the hop measured it: the caller's (outbound), the callee's (inbound), or both. */
export type MeasuredBy = 'client' | 'server' | 'both';

/**
 * One directed hop `from` → `to` (node ids). A hop seen by both of its proxies appears once,
 * with `measuredBy: 'both'`; its figures come from one side and are never summed across sides.
 * Every figure may be unknown (`null`).
 */
export interface TopologyEdge {
  from: string;
  to: string;
  /** Requests per second over the window. */
  rps: number | null;
  /** Share of successful responses, 0–1. */
  success: number | null;
  /** 99th percentile latency in milliseconds. */
  latencyMsP99: number | null;
  /** Whether the hop is mTLS-secured. */
  secured: boolean | null;
  measuredBy: MeasuredBy;
}

/**
 * Nodes and the hops between them. An edge may name a node id that is missing from `nodes`;
 * renderers then show it as an `unknown` node with that id as its name.
 */
export interface TopologyGraph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}
