import {workloadKey, type WorkloadRef} from '../model/workload.js';
import {canonicalIp, ipOfAddress} from '../util/ip.js';

/** `books-v2` → `books`: the Kubernetes service a versioned workload usually sits behind. */
const VERSION_SUFFIX = /-v\d+$/;

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
  /**
   * `namespace/service` → the distinct workloads that answer to that service name: its own
   * name, and without a version suffix (`books-v2` answers to `books`). Workloads without a
   * namespace are left out.
   */
  private readonly byService = new Map<string, Map<string, WorkloadRef>>();

  constructor(proxies: readonly KnownProxy[]) {
    for (const {workload, podIp} of proxies) {
      if (workload.namespace !== null) {
        for (const service of new Set([workload.name, workload.name.replace(VERSION_SUFFIX, '')])) {
          const key = `${workload.namespace}/${service}`;
          const answering = this.byService.get(key) ?? new Map<string, WorkloadRef>();
          answering.set(workload.name, workload);
          this.byService.set(key, answering);
        }
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

  /** The distinct known workloads in `namespace` that answer to `service` (`books` or `books-v2`). */
  workloadsAnswering(namespace: string, service: string): WorkloadRef[] {
    return [...(this.byService.get(`${namespace}/${service}`)?.values() ?? [])];
  }
}

/** A book that knows nobody: naming then changes nothing. */
export const EMPTY_ADDRESS_BOOK = new AddressBook([]);
