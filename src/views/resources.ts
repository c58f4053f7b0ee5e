import {UsageError} from '../errors.js';

export type ResourceKind = 'workload' | 'pod' | 'namespace';

export interface ResourceSelector {
  kind: ResourceKind;
  /** null selects every resource of the kind. */
  name: string | null;
}

const KIND_ALIASES: Record<string, ResourceKind> = {
  workload: 'workload',
  workloads: 'workload',
  deploy: 'workload',
  deployment: 'workload',
  deployments: 'workload',
  sts: 'workload',
  statefulset: 'workload',
  statefulsets: 'workload',
  ds: 'workload',
  daemonset: 'workload',
  daemonsets: 'workload',
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  namespace: 'namespace',
  namespaces: 'namespace',
  ns: 'namespace',
};

export const KIND_HELP = 'workload (deploy, deployment, sts, ds), pod (po), namespace (ns)';

/** `deploy/webapp` → {workload, webapp}; `po` → {pod, all}. */
export function parseResource(text: string, flag = 'resource'): ResourceSelector {
  const slash = text.indexOf('/');
  const kindText = (slash >= 0 ? text.slice(0, slash) : text).toLowerCase();
  const name = slash >= 0 ? text.slice(slash + 1) : null;
  const kind = KIND_ALIASES[kindText];
  if (!kind) throw new UsageError(`unknown resource kind "${kindText}" in ${flag} "${text}"`, `kinds: ${KIND_HELP}`);
  if (name !== null && name.trim() === '') throw new UsageError(`missing name after "${kindText}/" in ${flag}`);
  return {kind, name};
}

export const KIND_SHORT: Record<ResourceKind, string> = {workload: 'deploy', pod: 'po', namespace: 'ns'};
