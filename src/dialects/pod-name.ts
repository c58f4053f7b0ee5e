/**
 * Kubernetes names pods after their owner plus generated suffixes drawn from a fixed alphabet
 * (consonants and digits without vowels or look-alikes, so suffixes never spell words):
 *   deployment  <name>-<pod-template-hash>-<5 chars>   webapp-7d9f8c6b5-x2kqp
 *   daemonset / job / bare replicaset  <name>-<5 chars> node-exporter-5xk2q
 *   statefulset <name>-<ordinal>                        web-0
 */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const GENERATED = new RegExp(`^(.+)-${SAFE}{5}$`);
const STATEFUL = /^(.+)-\d+$/;

export interface WorkloadGuess {
  name: string;
  kind: 'deployment' | 'statefulset' | 'daemonset-or-job' | null;
}

/** Guess the owning workload from a pod name; falls back to the pod name itself. */
export function workloadFromPodName(pod: string): WorkloadGuess {
  let match = DEPLOYMENT.exec(pod);
  if (match) return {name: match[1], kind: 'deployment'};
  match = GENERATED.exec(pod);
  if (match) return {name: match[1], kind: 'daemonset-or-job'};
  match = STATEFUL.exec(pod);
  if (match) return {name: match[1], kind: 'statefulset'};
  return {name: pod, kind: null};
}
