import {type Context, readContextsFile, removeContext, upsertContext} from '../targets/config.js';
import {NAMESPACE} from './topology.js';
import type {DemoState} from './state.js';

export const CONTEXT_NAME = 'demo';

/** The `demo` context: one proxy entry per sidecar, the traffic generator's included. */
export function demoContext(state: DemoState, previous: string | undefined): Context {
  return {
    namespace: NAMESPACE,
    proxies: state.pods.map((pod) => ({
      url: pod.url,
      ...(pod.admin ? {admin: pod.admin} : {}),
      name: pod.name,
      namespace: pod.namespace,
      workload: pod.workload,
      dialect: pod.dialect,
    })),
    ...(previous ? {'previous-context': previous} : {}),
  };
}

/**
 * Write the `demo` context and make it current, remembering what was current before (kept
 * from an earlier demo context when one is being replaced). Returns that previous context.
 */
export function installContext(path: string, state: DemoState): string | undefined {
  const file = readContextsFile(path);
  const current = file['current-context'];
  const previous = current === CONTEXT_NAME ? file.contexts[CONTEXT_NAME]?.['previous-context'] : current;
  upsertContext(path, CONTEXT_NAME, demoContext(state, previous), true);
  return previous;
}

/** Remove the `demo` context; when it was current, the remembered previous one (if it still exists) becomes current. */
export function uninstallContext(path: string): {removed: boolean; restored: string | undefined} {
  const file = readContextsFile(path);
  const demo = file.contexts[CONTEXT_NAME];
  if (!demo) return {removed: false, restored: undefined};
  const previous = demo['previous-context'];
  const restored = previous && file.contexts[previous] ? previous : undefined;
  removeContext(path, CONTEXT_NAME, restored);
  return {removed: true, restored: file['current-context'] === CONTEXT_NAME ? restored : undefined};
}
