import {ownWorkload} from '../dialects/own-workload.js';
import type {Direction} from '../model/snapshot.js';
import type {WindowedSnapshot} from '../model/window.js';
import type {WorkloadRef} from '../model/workload.js';
import {SignalAccumulator} from './signals.js';

/** One hop between two workloads (or an unknown/external peer), with its figures. */
export interface EdgeRow {
  src: EdgeEnd;
  dst: EdgeEnd;
  rps: number | null;
  success: number | null;
  requests: number;
  latencyMsP99: number | null;
  openConnections: number | null;
  secured: boolean | null;
  measuredBy: 'client' | 'server' | 'both';
}

export interface EdgeEnd {
  id: string;
  name: string;
  namespace: string | null;
  kind: 'workload' | 'external' | 'unknown';
}

const UNKNOWN: EdgeEnd = {id: 'unknown', name: 'unknown', namespace: null, kind: 'unknown'};

interface Side {
  acc: SignalAccumulator;
  tls: boolean | null;
  seen: boolean;
}

interface Hop {
  src: EdgeEnd;
  dst: EdgeEnd;
  client: Side;
  server: Side;
}

const newSide = (): Side => ({acc: new SignalAccumulator(), tls: null, seen: false});

/**
 * Who talks to whom. Every hop can be seen by the caller's proxy (outbound series) and by the
 * callee's (inbound series). A hop seen by both is one edge whose figures come from the
 * client side — what the caller experienced — and whose mTLS status comes from whichever side
 * knows it; nothing is summed across the two sides. Hops seen by one side only (unmeshed or
 * unscraped peers) come from that side. Linkerd names inbound clients by service account;
 * those are resolved to workloads when exactly one scraped workload runs as that account.
 */
export function edgeRows(windows: readonly WindowedSnapshot[]): EdgeRow[] {
  const accounts = serviceAccountIndex(windows);
  const hops = new Map<string, Hop>();
  const hopFor = (src: EdgeEnd, dst: EdgeEnd): Hop => {
    const key = `${src.id}\u0000${dst.id}`;
    let hop = hops.get(key);
    if (!hop) hops.set(key, (hop = {src, dst, client: newSide(), server: newSide()}));
    return hop;
  };
  const sideOf = (hop: Hop, direction: Direction) => (direction === 'outbound' ? hop.client : hop.server);
  const endsOf = (direction: Direction, self: WorkloadRef, src: WorkloadRef | null, dst: WorkloadRef | null, authority: string | null) =>
    direction === 'outbound'
      ? {src: workloadEnd(self), dst: dst ? peerEnd(dst, accounts) : externalEnd(authority)}
      : {src: src ? peerEnd(src, accounts) : UNKNOWN, dst: workloadEnd(self)};

  for (const w of windows) {
    const self = ownWorkload(w.snapshot.identity, w.snapshot.target);
    for (const c of w.http) {
      const {src, dst} = endsOf(c.direction, self, c.src, c.dst, c.authority);
      const side = sideOf(hopFor(src, dst), c.direction);
      side.acc.addCounter(c, w.seconds);
      side.seen ||= c.value > 0;
      if (c.tls !== null && c.value > 0) side.tls = (side.tls ?? true) && c.tls;
    }
    for (const l of w.latency) {
      const {src, dst} = endsOf(l.direction, self, l.src, l.dst, l.authority);
      sideOf(hopFor(src, dst), l.direction).acc.addLatency(l);
    }
    for (const t of w.tcp) {
      const {src, dst} = endsOf(t.direction, self, t.src, t.dst, null);
      const side = sideOf(hopFor(src, dst), t.direction);
      side.acc.addTcp(t, w.seconds);
      side.seen ||= t.openConnections > 0;
      if (t.tls !== null && t.openConnections > 0) side.tls = (side.tls ?? true) && t.tls;
    }
  }

  const rows: EdgeRow[] = [];
  for (const hop of hops.values()) {
    if (!hop.client.seen && !hop.server.seen) continue;
    const measuredBy = hop.client.seen && hop.server.seen ? 'both' : hop.client.seen ? 'client' : 'server';
    const side = hop.client.seen ? hop.client : hop.server;
    const signals = side.acc.signals();
    const tcp = side.acc.tcp();
    rows.push({
      src: hop.src,
      dst: hop.dst,
      rps: signals.rps,
      success: signals.success,
      requests: signals.requests,
      latencyMsP99: signals.p99 && Number.isFinite(signals.p99.value) ? signals.p99.value : null,
      openConnections: tcp.openConnections,
      // The server side is where a mesh records whether the connection it accepted was mTLS.
      secured: hop.server.tls ?? hop.client.tls,
      measuredBy,
    });
  }
  return rows.sort((a, b) => a.src.id.localeCompare(b.src.id) || a.dst.id.localeCompare(b.dst.id));
}

function workloadEnd(ref: WorkloadRef): EdgeEnd {
  return {id: `${ref.namespace ?? ''}/${ref.name}`, name: ref.name, namespace: ref.namespace, kind: 'workload'};
}

function externalEnd(authority: string | null): EdgeEnd {
  if (!authority) return UNKNOWN;
  return {id: `external:${authority}`, name: authority, namespace: null, kind: 'external'};
}

function peerEnd(ref: WorkloadRef, accounts: Map<string, WorkloadRef | null>): EdgeEnd {
  if (ref.kind === 'serviceaccount') {
    const workload = accounts.get(`${ref.namespace ?? ''}/${ref.name}`);
    if (workload) return workloadEnd(workload);
    return {id: `sa:${ref.namespace ?? ''}/${ref.name}`, name: `sa/${ref.name}`, namespace: ref.namespace, kind: 'external'};
  }
  if (ref.kind === 'cluster' || ref.kind === 'identity') return {id: `external:${ref.name}`, name: ref.name, namespace: ref.namespace, kind: 'external'};
  return workloadEnd({name: ref.name, namespace: ref.namespace});
}

/** service account → the single workload running as it (null when ambiguous). */
function serviceAccountIndex(windows: readonly WindowedSnapshot[]): Map<string, WorkloadRef | null> {
  const index = new Map<string, WorkloadRef | null>();
  for (const w of windows) {
    const sa = w.snapshot.identity.serviceAccount;
    if (!sa) continue;
    const self = ownWorkload(w.snapshot.identity, w.snapshot.target);
    const key = `${self.namespace ?? ''}/${sa}`;
    const existing = index.get(key);
    if (existing === undefined) index.set(key, {name: self.name, namespace: self.namespace});
    else if (existing !== null && existing.name !== self.name) index.set(key, null);
  }
  return index;
}
