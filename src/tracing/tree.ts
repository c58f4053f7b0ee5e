import type {Span} from './model.js';

export interface SpanNode {
  span: Span;
  children: SpanNode[];
  /** Top-level, but it names a parent that is not among the spans (not received, or dropped). */
  orphan: boolean;
}

/** One row of a trace drawn as a tree: the node and how deep it sits. */
export interface TreeRow {
  node: SpanNode;
  parent: SpanNode | undefined;
  depth: number;
  /** For each ancestor level, whether that ancestor was the last of its siblings (for drawing). */
  lastAtLevel: boolean[];
}

function byStart(a: SpanNode, b: SpanNode): number {
  const d = a.span.startTimeUnixNano - b.span.startTimeUnixNano;
  if (d !== 0n) return d < 0n ? -1 : 1;
  return a.span.spanId < b.span.spanId ? -1 : a.span.spanId > b.span.spanId ? 1 : 0;
}

/**
 * Nest spans by parent span id. Roots (no parent) and orphans (parent missing) form the top
 * level; everything is ordered by start time. A parent cycle — only possible in corrupt
 * data — is broken by treating its earliest span as an orphan, so every span appears once.
 */
export function buildTree(spans: readonly Span[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.spanId, {span, children: [], orphan: false});
  const top: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else {
      node.orphan = parentId !== '';
      top.push(node);
    }
  }
  for (const node of nodes.values()) node.children.sort(byStart);
  top.sort(byStart);

  const reached = new Set<SpanNode>();
  for (const node of top) markReachable(node, reached);
  if (reached.size < nodes.size) {
    const stranded = [...nodes.values()].filter((node) => !reached.has(node)).sort(byStart);
    for (const node of stranded) {
      if (reached.has(node)) continue;
      detachFromParent(node, nodes);
      node.orphan = true;
      top.push(node);
      markReachable(node, reached);
    }
    top.sort(byStart);
  }
  return top;
}

function markReachable(root: SpanNode, reached: Set<SpanNode>): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as SpanNode;
    if (reached.has(node)) continue;
    reached.add(node);
    stack.push(...node.children);
  }
}

function detachFromParent(node: SpanNode, nodes: Map<string, SpanNode>): void {
  const parent = nodes.get(node.span.parentSpanId);
  if (parent) parent.children = parent.children.filter((child) => child !== node);
}

/** Depth-first rows in display order. */
export function flattenTree(top: readonly SpanNode[]): TreeRow[] {
  const rows: TreeRow[] = [];
  const stack: TreeRow[] = [];
  for (let i = top.length - 1; i >= 0; i--) stack.push({node: top[i], parent: undefined, depth: 0, lastAtLevel: [i === top.length - 1]});
  while (stack.length > 0) {
    const row = stack.pop() as TreeRow;
    rows.push(row);
    const children = row.node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const lastAtLevel = [...row.lastAtLevel, i === children.length - 1];
      stack.push({node: children[i], parent: row.node, depth: row.depth + 1, lastAtLevel});
    }
  }
  return rows;
}
