import type {Labels} from '../../metrics/types.js';
import type {WorkloadRef} from '../../model/workload.js';

/** Destination workload labels the destination controller attaches to outbound series. */
const DST_KINDS: readonly [string, string][] = [
  ['dst_deployment', 'deployment'],
  ['dst_statefulset', 'statefulset'],
  ['dst_daemonset', 'daemonset'],
  ['dst_replicaset', 'replicaset'],
  ['dst_k8s_job', 'job'],
  ['dst_replicationcontroller', 'replicationcontroller'],
  ['dst_external_workload', 'externalworkload'],
];

export function destinationWorkload(labels: Labels): WorkloadRef | null {
  const namespace = labels.dst_namespace || null;
  for (const [label, kind] of DST_KINDS) {
    if (labels[label]) return {name: labels[label], namespace, kind};
  }
  if (labels.dst_service) return {name: labels.dst_service, namespace, kind: 'service'};
  return null;
}

/**
 * The client of an inbound request, known only through its mTLS identity
 * `<serviceaccount>.<namespace>.serviceaccount.identity.<control-plane-ns>.<trust-domain>`.
 */
export function clientFromIdentity(labels: Labels): WorkloadRef | null {
  const id = labels.client_id;
  if (!id) return null;
  const [name, namespace, marker] = id.split('.');
  if (!name || marker !== 'serviceaccount') return {name: id, namespace: null, kind: 'identity'};
  return {name, namespace: namespace || null, kind: 'serviceaccount'};
}

/** `tls="true"` is mTLS; `no_identity`/`disabled` are plaintext; anything else is unknown. */
export function tlsFromLabels(labels: Labels): boolean | null {
  switch (labels.tls) {
    case 'true':
      return true;
    case 'no_identity':
    case 'disabled':
    case 'false':
      return false;
    default:
      return null;
  }
}
