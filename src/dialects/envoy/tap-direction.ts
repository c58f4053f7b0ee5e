import type {Direction} from '../../model/snapshot.js';
import type {Peer, TrafficEvent} from '../../model/traffic.js';
import type {WorkloadRef} from '../../model/workload.js';
import {workloadFromPodName} from '../pod-name.js';
import {headerOf} from './tap-json.js';

/**
 * A tap trace does not say which listener it came from, and Istio arms the same tap filter
 * on inbound and outbound listeners. The side is derived from Istio's HTTP metadata
 * exchange, whose `x-envoy-peer-metadata-id` header carries the sending proxy's node id
 * (`sidecar~10.1.2.3~reviews-v1-545db77b95-xz7kq.default~default.svc.cluster.local`):
 * - on the request, our own id means we added it on the way out (outbound); another
 *   proxy's id means it arrived from that peer (inbound);
 * - on the response, our own id means we answered (inbound); another proxy's id means the
 *   peer answered us (outbound).
 * Which of these a trace shows depends on where the tap filter sits relative to the
 * exchange filter, so all four are read. Without exchange headers, a request whose
 * authority names our own workload (`reviews-v1:9080`, `reviews-v1.default.svc…`) is
 * taken as inbound; otherwise the side stays unknown.
 */
export interface OwnProxy {
  workload: WorkloadRef;
  /** Pod name and namespace when the proxy told us (server_info). */
  pod: string | null;
  namespace: string | null;
}

const PEER_ID_HEADER = 'x-envoy-peer-metadata-id';

interface NodeId {
  pod: string;
  namespace: string | null;
}

/** `<type>~<ip>~<pod>.<namespace>~<domain>` → pod and namespace; null when not that shape. */
export function parseNodeId(value: string): NodeId | null {
  const parts = value.split('~');
  if (parts.length !== 4 || parts[2] === '') return null;
  const dot = parts[2].indexOf('.');
  if (dot < 0) return {pod: parts[2], namespace: null};
  return {pod: parts[2].slice(0, dot), namespace: parts[2].slice(dot + 1) || null};
}

function isOwn(node: NodeId, self: OwnProxy): boolean {
  const namespace = self.namespace ?? self.workload.namespace;
  if (namespace !== null && node.namespace !== null && namespace !== node.namespace) return false;
  if (self.pod !== null) return node.pod === self.pod;
  return workloadFromPodName(node.pod).name === self.workload.name;
}

function peerWorkload(node: NodeId): WorkloadRef {
  const guess = workloadFromPodName(node.pod);
  return {name: guess.name, namespace: node.namespace, kind: guess.kind === 'daemonset-or-job' ? null : guess.kind};
}

interface Orientation {
  direction: Direction | null;
  peer: WorkloadRef | null;
}

export function orientation(event: TrafficEvent, self: OwnProxy): Orientation {
  const fromRequest = nodeOf(headerOf(event.requestHeaders, PEER_ID_HEADER));
  const fromResponse = nodeOf(headerOf(event.responseHeaders, PEER_ID_HEADER));
  const requestIsOwn = fromRequest !== null && isOwn(fromRequest, self);
  const responseIsOwn = fromResponse !== null && isOwn(fromResponse, self);
  const peerOf = (node: NodeId | null, own: boolean) => (node !== null && !own ? peerWorkload(node) : null);
  if (requestIsOwn || (fromResponse !== null && !responseIsOwn && !fromRequest)) {
    return {direction: 'outbound', peer: peerOf(fromResponse, responseIsOwn)};
  }
  if (responseIsOwn || fromRequest !== null) {
    return {direction: 'inbound', peer: peerOf(fromRequest, requestIsOwn)};
  }
  if (authorityNames(event.authority, self.workload)) return {direction: 'inbound', peer: null};
  return {direction: null, peer: null};
}

function nodeOf(value: string | null): NodeId | null {
  return value === null ? null : parseNodeId(value);
}

/** `reviews-v1`, `reviews-v1:9080`, `reviews-v1.default.svc.cluster.local:9080` name workload reviews-v1. */
function authorityNames(authority: string | null, workload: WorkloadRef): boolean {
  if (authority === null) return false;
  const host = authority.replace(/:\d+$/, '').toLowerCase();
  const [name, namespace] = host.split('.');
  if (name !== workload.name.toLowerCase()) return false;
  return namespace === undefined || workload.namespace === null || namespace === workload.namespace;
}

/**
 * The event with its side filled in: the proxy's own workload on its side of the hop, the
 * peer (from exchange metadata) on the other, else the socket address the trace recorded.
 */
export function orientEvent(event: TrafficEvent, self: OwnProxy): TrafficEvent {
  const {direction, peer} = orientation(event, self);
  if (direction === null) return event;
  const other = (address: string | null): Peer => peer ?? address;
  return direction === 'outbound'
    ? {...event, direction, source: self.workload, destination: other(event.destinationAddress)}
    : {...event, direction, source: other(event.sourceAddress), destination: self.workload};
}
