import {ownWorkload} from '../dialects/own-workload.js';
import {workloadFromPodName} from '../dialects/pod-name.js';
import type {ProxyFailure} from '../model/failure.js';
import type {Target} from '../model/target.js';
import type {WindowedSnapshot} from '../model/window.js';
import type {WorkloadRef} from '../model/workload.js';
import type {ResourceKind, ResourceSelector} from './resources.js';
import {SignalAccumulator, type GoldenSignals, type TcpSignals} from './signals.js';

export interface StatQuery {
  kind: ResourceKind;
  /** Names to show; empty = every resource of the kind. */
  names: string[];
  /** Only this namespace; null = all. */
  namespace: string | null;
  /** Outbound traffic of the selected resources to this one. */
  to?: ResourceSelector;
  /** Rows are destinations, measured on the outbound side of this resource's proxies. */
  from?: ResourceSelector;
}

export interface StatRow extends GoldenSignals, TcpSignals {
  kind: ResourceKind;
  name: string;
  namespace: string | null;
  /** Proxies that answered, and proxies targeted, for this row. */
  proxiesAnswered: number;
  proxiesTargeted: number;
  /** Longest window among the contributing proxies (seconds); null when unknown. */
  windowSeconds: number | null;
  /** True when a contributing proxy restarted or reset counters during the window. */
  reset: boolean;
}

interface Bucket {
  kind: ResourceKind;
  name: string;
  namespace: string | null;
  answered: Set<string>;
  targeted: Set<string>;
  acc: SignalAccumulator;
  windowSeconds: number | null;
  reset: boolean;
}

/**
 * Golden signals per workload, pod or namespace. By default each row is the server side of
 * its own proxies (inbound traffic). `--to` switches to the outbound side of the selected
 * rows towards one destination; `--from` makes the rows destinations, measured on the
 * outbound side of the `from` resource's proxies. Each hop is thus counted once, on one side.
 */
export function statRows(windows: readonly WindowedSnapshot[], failures: readonly ProxyFailure[], query: StatQuery): StatRow[] {
  const buckets = new Map<string, Bucket>();
  const bucketFor = (name: string, namespace: string | null): Bucket => {
    const key = query.kind === 'namespace' ? `${name}` : `${namespace ?? ''}/${name}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {kind: query.kind, name, namespace: query.kind === 'namespace' ? name : namespace, answered: new Set(), targeted: new Set(), acc: new SignalAccumulator(), windowSeconds: null, reset: false};
      buckets.set(key, bucket);
    }
    return bucket;
  };

  for (const w of windows) {
    const target = w.snapshot.target;
    const self = ownWorkload(w.snapshot.identity, target);
    const pod = w.snapshot.identity.pod ?? target.name;
    if (query.from) {
      if (!matches(query.from, self, pod)) continue;
      for (const counter of w.http) {
        if (counter.direction !== 'outbound' || !counter.dst) continue;
        const row = rowOf(query.kind, counter.dst, null);
        if (!row || !selected(query, row.name, row.namespace)) continue;
        const bucket = noteProxy(bucketFor(row.name, row.namespace), w, target);
        bucket.acc.addCounter(counter, w.seconds);
      }
      for (const latency of w.latency) {
        if (latency.direction !== 'outbound' || !latency.dst) continue;
        const row = rowOf(query.kind, latency.dst, null);
        if (row && selected(query, row.name, row.namespace)) bucketFor(row.name, row.namespace).acc.addLatency(latency);
      }
      for (const tcp of w.tcp) {
        if (tcp.direction !== 'outbound' || !tcp.dst) continue;
        const row = rowOf(query.kind, tcp.dst, null);
        if (row && selected(query, row.name, row.namespace)) bucketFor(row.name, row.namespace).acc.addTcp(tcp, w.seconds);
      }
      continue;
    }

    const row = rowOf(query.kind, self, pod);
    if (!row || !selected(query, row.name, row.namespace)) continue;
    const bucket = noteProxy(bucketFor(row.name, row.namespace), w, target);
    const direction = query.to ? 'outbound' : 'inbound';
    const wanted = (dst: WorkloadRef | null) => !query.to || (dst !== null && matches(query.to, dst, null));
    for (const counter of w.http) if (counter.direction === direction && wanted(counter.dst)) bucket.acc.addCounter(counter, w.seconds);
    for (const latency of w.latency) if (latency.direction === direction && wanted(latency.dst)) bucket.acc.addLatency(latency);
    for (const tcp of w.tcp) if (tcp.direction === direction && wanted(tcp.dst)) bucket.acc.addTcp(tcp, w.seconds);
  }

  // Failed proxies still count as targeted for the row they would have belonged to.
  if (!query.from) {
    for (const failure of failures) {
      const hint = hintedWorkload(failure.target);
      const row = rowOf(query.kind, hint, failure.target.name);
      if (row && selected(query, row.name, row.namespace)) bucketFor(row.name, row.namespace).targeted.add(failure.target.name);
    }
  }

  return [...buckets.values()].map((b) => ({
    kind: b.kind,
    name: b.name,
    namespace: b.namespace,
    proxiesAnswered: b.answered.size,
    proxiesTargeted: b.targeted.size,
    windowSeconds: b.windowSeconds,
    reset: b.reset,
    ...b.acc.signals(),
    ...b.acc.tcp(),
  }));

  function noteProxy(bucket: Bucket, w: WindowedSnapshot, target: Target): Bucket {
    bucket.answered.add(target.name);
    bucket.targeted.add(target.name);
    if (w.seconds !== null) bucket.windowSeconds = Math.max(bucket.windowSeconds ?? 0, w.seconds);
    bucket.reset ||= w.reset;
    return bucket;
  }
}

function rowOf(kind: ResourceKind, workload: WorkloadRef, pod: string | null): {name: string; namespace: string | null} | null {
  switch (kind) {
    case 'workload':
      return {name: workload.name, namespace: workload.namespace};
    case 'pod':
      return pod === null ? null : {name: pod, namespace: workload.namespace};
    case 'namespace':
      return workload.namespace === null ? {name: '(unknown)', namespace: null} : {name: workload.namespace, namespace: workload.namespace};
  }
}

function selected(query: StatQuery, name: string, namespace: string | null): boolean {
  if (query.namespace !== null && query.kind !== 'namespace' && namespace !== query.namespace) return false;
  if (query.namespace !== null && query.kind === 'namespace' && name !== query.namespace) return false;
  return query.names.length === 0 || query.names.includes(name);
}

function matches(selector: ResourceSelector, workload: WorkloadRef, pod: string | null): boolean {
  switch (selector.kind) {
    case 'workload':
      return selector.name === null || workload.name === selector.name;
    case 'pod':
      return pod !== null && (selector.name === null || pod === selector.name);
    case 'namespace':
      return selector.name === null || workload.namespace === selector.name;
  }
}

/** Where a proxy we could not read would have belonged, from the contexts file or its name. */
function hintedWorkload(target: Target): WorkloadRef {
  if (target.workload) return {name: target.workload, namespace: target.namespace ?? null};
  return {name: workloadFromPodName(target.name).name, namespace: target.namespace ?? null};
}
