import {workloadKey, type WorkloadRef} from '../model/workload.js';
import {canonicalIp, ipOfAddress} from '../util/ip.js';

/** A proxy meshctl has identified: its own workload and, when it said so, its pod IP. */
export interface KnownProxy {
  workload: WorkloadRef;
  podIp: string | null;
}

/**
 * Which workload owns which pod IP, from the proxies meshctl has identified. An IP claimed by
 * proxies of more than one workload (host networking, or every pod on one address) names
 * nobody: a guess there would put traffic on the wrong workload.
 */
export class AddressBook {
  private readonly byIp = new Map<string, WorkloadRef | 'ambiguous'>();
  /** Namespace → distinct workloads in it (workloads without a namespace are left out). */
  private readonly byNamespace = new Map<string, Map<string, WorkloadRef>>();

  constructor(proxies: readonly KnownProxy[]) {
    for (const {workload, podIp} of proxies) {
      if (workload.namespace !== null) {
        const inNamespace = this.byNamespace.get(workload.namespace) ?? new Map<string, WorkloadRef>();
        inNamespace.set(workload.name, workload);
        this.byNamespace.set(workload.namespace, inNamespace);
      }
      const ip = podIp === null ? null : canonicalIp(podIp);
      if (ip === null) continue;
      const held = this.byIp.get(ip);
      if (held === undefined) this.byIp.set(ip, workload);
      else if (held !== 'ambiguous' && workloadKey(held) !== workloadKey(workload)) this.byIp.set(ip, 'ambiguous');
    }
  }

  /** The workload whose pod has the IP of `address`; null when unknown, shared, or not an IP. */
  workloadAt(address: string | null): WorkloadRef | null {
    const ip = address === null ? null : ipOfAddress(address);
    const held = ip === null ? undefined : this.byIp.get(ip);
    return held === undefined || held === 'ambiguous' ? null : held;
  }

  /** The distinct workloads known in a namespace, with or without an IP. */
  workloadsIn(namespace: string): WorkloadRef[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }
}

/** A book that knows nobody: naming then changes nothing. */
export const EMPTY_ADDRESS_BOOK = new AddressBook([]);
