/** A workload (deployment, statefulset, ...) as seen in proxy labels or identity. */
export interface WorkloadRef {
  name: string;
  namespace: string | null;
  /** Kubernetes kind when known: `deployment`, `statefulset`, `daemonset`, ... */
  kind?: string | null;
}

/** Who a proxy says it is. Every field may be unknown. */
export interface ProxyIdentity {
  pod: string | null;
  workload: string | null;
  namespace: string | null;
  serviceAccount: string | null;
  /**
   * The pod's IP when the proxy says it (Envoy under Istio: the second field of the node id),
   * canonical form (`10.1.2.3`, `fd00::1`). Absent or null when unknown.
   */
  podIp?: string | null;
  /** Where the identity came from, so users can tell a guess from a fact. */
  source: 'env.json' | 'server_info' | 'series' | 'target' | 'unknown';
}

export function workloadKey(ref: WorkloadRef | null): string {
  return ref ? `${ref.namespace ?? ''}/${ref.name}` : '';
}

export function sameWorkload(a: WorkloadRef | null, b: WorkloadRef | null): boolean {
  return workloadKey(a) === workloadKey(b);
}
