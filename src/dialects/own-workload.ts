import type {Target} from '../model/target.js';
import type {ProxyIdentity, WorkloadRef} from '../model/workload.js';
import {workloadFromPodName} from './pod-name.js';

/**
 * The scraped proxy's own workload: what the proxy said about itself, else the contexts-file
 * hints, else a guess from the pod (or target) name.
 */
export function ownWorkload(identity: ProxyIdentity, target: Target): WorkloadRef {
  const namespace = identity.namespace ?? target.namespace ?? null;
  if (identity.workload) return {name: identity.workload, namespace};
  if (target.workload) return {name: target.workload, namespace};
  const guess = workloadFromPodName(identity.pod ?? target.name);
  return {name: guess.name, namespace, kind: guess.kind === 'daemonset-or-job' ? null : guess.kind};
}

/** Port of a target URL (explicit or the scheme default). */
export function urlPort(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
}
