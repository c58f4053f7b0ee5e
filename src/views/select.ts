import {ownWorkload} from '../dialects/own-workload.js';
import type {Snapshot} from '../model/snapshot.js';
import type {Target} from '../model/target.js';
import type {ProxyIdentity} from '../model/workload.js';
import type {ResourceSelector} from './resources.js';

/** Whether a proxy belongs to the selected workload, pod or namespace. */
export function proxyMatches(selector: ResourceSelector, snapshot: Snapshot): boolean {
  return identityMatches(selector, snapshot.identity, snapshot.target);
}

/** The same test from what is known of a proxy: its identity (all null when it could not be read) and target. */
export function identityMatches(selector: ResourceSelector, identity: ProxyIdentity, target: Target): boolean {
  if (selector.name === null) return true;
  const self = ownWorkload(identity, target);
  switch (selector.kind) {
    case 'workload':
      return self.name === selector.name;
    case 'pod':
      return (identity.pod ?? target.name) === selector.name;
    case 'namespace':
      return self.namespace === selector.name;
  }
}

/** Keep the items whose proxy matches any selector (all of them when there are none). */
export function selectProxies<T extends {snapshot: Snapshot}>(items: readonly T[], selectors: readonly ResourceSelector[]): T[] {
  if (selectors.length === 0) return [...items];
  return items.filter((item) => selectors.some((s) => proxyMatches(s, item.snapshot)));
}
