import {SPAN_KIND, stringAttribute, type Span} from './model.js';
import type {SpanNode} from './tree.js';

export type ProxyFamily = 'linkerd' | 'envoy';
export type ProxyDirection = 'inbound' | 'outbound';

export interface ProxySpanInfo {
  family: ProxyFamily;
  direction: ProxyDirection;
  /** Which proxy emitted it, when the span says (Envoy `node_id`). */
  instance?: string;
}

/**
 * Recognize spans emitted by mesh proxies, by the attributes the real proxies set:
 * - linkerd2-proxy (linkerd/trace-context, app/{inbound,outbound}): SERVER and CLIENT spans
 *   with attribute `direction` = `inbound` | `outbound`.
 * - Envoy's HTTP connection manager (Istio, Consul, Kuma): attribute `component` = `proxy`
 *   plus `upstream_cluster` / `node_id`. Direction from Istio's cluster names
 *   (`inbound|…`, `outbound|…`), else from the kind: SERVER = inbound, CLIENT = outbound.
 */
export function proxySpanInfo(span: Span): ProxySpanInfo | undefined {
  let info = known.get(span);
  if (info === undefined) known.set(span, (info = recognize(span) ?? null));
  return info ?? undefined;
}

// Spans never change once decoded, and every renderer asks about each span several times.
const known = new WeakMap<Span, ProxySpanInfo | null>();

function recognize(span: Span): ProxySpanInfo | undefined {
  const direction = stringAttribute(span.attributes, 'direction');
  if ((direction === 'inbound' || direction === 'outbound') && (span.kind === SPAN_KIND.SERVER || span.kind === SPAN_KIND.CLIENT)) {
    return {family: 'linkerd', direction};
  }
  const cluster = stringAttribute(span.attributes, 'upstream_cluster');
  const nodeId = stringAttribute(span.attributes, 'node_id');
  if (stringAttribute(span.attributes, 'component') === 'proxy' || (cluster !== undefined && nodeId !== undefined)) {
    let envoyDirection: ProxyDirection = span.kind === SPAN_KIND.CLIENT ? 'outbound' : 'inbound';
    if (cluster?.startsWith('inbound|')) envoyDirection = 'inbound';
    else if (cluster?.startsWith('outbound|')) envoyDirection = 'outbound';
    return {family: 'envoy', direction: envoyDirection, instance: nodeId};
  }
  return undefined;
}

/**
 * Where the time of one proxy hop went. `proxyMs` null = cannot be told ("?"); `serviceMs`
 * undefined = not applicable on this row, null = cannot be told.
 */
export interface HopSplit {
  proxyMs: number | null;
  /** Envoy outbound: one span per sidecar cannot separate the caller's sidecar from the network. */
  proxyIncludesNetwork: boolean;
  serviceMs: number | null | undefined;
  /** The service time is an upper bound (it includes the callee sidecar's own time). */
  serviceIsUpperBound: boolean;
}

/**
 * The rules (each follows from what the proxy's spans cover):
 * 1. A proxy span whose children include CLIENT spans of the same proxy in the same direction
 *    (Linkerd: the CLIENT span under each SERVER span; Envoy: upstream spans, same `node_id`
 *    and direction) — the proxy was busy itself for
 *    the span minus the union of those children. Inbound, those children cover the trip to the
 *    local service and back: that is the service time.
 * 2. Envoy inbound span without such children: with child spans from the application, the
 *    service time is their union and the sidecar's is the rest; with none, only an upper bound
 *    on the service time (the whole span) is known, and the sidecar time is "?".
 * 3. Envoy outbound span without such children: minus the callee sidecar's inbound span it
 *    leaves the caller sidecar's time plus the network both ways; with no callee span, "?".
 * 4. Linkerd SERVER span without its CLIENT child: "?" (the forward failed or was not exported).
 * Rows for the forwarding CLIENT spans themselves carry no split: their time is accounted for
 * on the parent's row. Spans from applications carry none either.
 */
export function splitHop(node: SpanNode, parent: SpanNode | undefined): HopSplit | undefined {
  const info = proxySpanInfo(node.span);
  if (!info) return undefined;
  if (parent && isForwardOf(node, parent)) return undefined;
  if (info.family === 'linkerd' && node.span.kind === SPAN_KIND.CLIENT) return undefined;

  const forwards = node.children.filter((child) => isForwardOf(child, node));
  if (forwards.length > 0) {
    const forwardMs = unionMs(node.span, forwards);
    return {
      proxyMs: durationOf(node.span) - forwardMs,
      proxyIncludesNetwork: false,
      serviceMs: info.direction === 'inbound' ? forwardMs : undefined,
      serviceIsUpperBound: false,
    };
  }
  if (info.family === 'envoy' && info.direction === 'inbound') {
    const app = node.children.filter((child) => proxySpanInfo(child.span) === undefined);
    if (app.length > 0) {
      const serviceMs = unionMs(node.span, app);
      return {proxyMs: durationOf(node.span) - serviceMs, proxyIncludesNetwork: false, serviceMs, serviceIsUpperBound: false};
    }
    return {proxyMs: null, proxyIncludesNetwork: false, serviceMs: durationOf(node.span), serviceIsUpperBound: true};
  }
  if (info.family === 'envoy') {
    const callee = node.children.filter((child) => proxySpanInfo(child.span)?.direction === 'inbound');
    if (callee.length === 0) return {proxyMs: null, proxyIncludesNetwork: true, serviceMs: undefined, serviceIsUpperBound: false};
    return {
      proxyMs: durationOf(node.span) - unionMs(node.span, callee),
      proxyIncludesNetwork: true,
      serviceMs: undefined,
      serviceIsUpperBound: false,
    };
  }
  return {proxyMs: null, proxyIncludesNetwork: false, serviceMs: info.direction === 'inbound' ? null : undefined, serviceIsUpperBound: false};
}

/** Is `child` the same proxy forwarding the request of `parent` (a CLIENT span of the same proxy)? */
function isForwardOf(child: SpanNode, parent: SpanNode): boolean {
  if (child.span.kind !== SPAN_KIND.CLIENT) return false;
  const a = proxySpanInfo(parent.span);
  const b = proxySpanInfo(child.span);
  if (!a || !b || a.family !== b.family) return false;
  if (a.family === 'linkerd') return parent.span.kind === SPAN_KIND.SERVER && a.direction === b.direction;
  // Same Envoy and same direction: an upstream span. (The same Envoy's outbound span under its
  // inbound span is the service calling onwards, not a forward.)
  return a.instance !== undefined && a.instance === b.instance && a.direction === b.direction;
}

function durationOf(span: Span): number {
  return Math.max(0, Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6);
}

/** Length of the union of the children's intervals, clipped to the parent's interval, in ms. */
export function unionMs(parent: Span, children: readonly SpanNode[]): number {
  const intervals = children
    .map((c) => [maxBig(c.span.startTimeUnixNano, parent.startTimeUnixNano), minBig(c.span.endTimeUnixNano, parent.endTimeUnixNano)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let currentStart = -1n;
  let currentEnd = -1n;
  for (const [start, end] of intervals) {
    if (start > currentEnd) {
      total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else if (end > currentEnd) currentEnd = end;
  }
  total += currentEnd - currentStart;
  return Number(total) / 1e6;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
