import {NAMESPACE, linkerdIdentity, spiffeIdentity, type PodSpec} from '../topology.js';

/** One application instance and its sidecar, as the mesh (and the metrics) know it. */
export interface PodInfo {
  name: string;
  workload: string;
  namespace: string;
  serviceAccount: string;
  /** The ReplicaSet's pod-template-hash label. */
  templateHash: string;
  version: string;
  /** Linkerd identity (DNS SAN of its certificate). */
  linkerdId: string;
  /** Istio identity (URI SAN of its certificate). */
  spiffeId: string;
  /** The pod's own loopback address (demo/loopback.ts), which its sidecar listens on and dials from. */
  ip: string;
}

export function podInfo(spec: PodSpec, ip: string): PodInfo {
  return {
    name: spec.name,
    workload: spec.workload.name,
    namespace: NAMESPACE,
    serviceAccount: spec.workload.serviceAccount,
    templateHash: spec.templateHash,
    version: spec.workload.version,
    linkerdId: linkerdIdentity(spec.workload.serviceAccount),
    spiffeId: spiffeIdentity(spec.workload.serviceAccount),
    ip,
  };
}
