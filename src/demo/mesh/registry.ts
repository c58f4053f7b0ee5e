import {CLUSTER_DOMAIN, NAMESPACE, serviceAuthority, type ServiceSpec} from '../topology.js';
import type {PodInfo} from './pod.js';

/** Where one pod serves one service port: its sidecar's inbound listener for that port. */
export interface Endpoint {
  pod: PodInfo;
  service: ServiceSpec;
  host: string;
  port: number;
}

export interface ResolvedService {
  service: ServiceSpec;
  authority: string;
  endpoints: Endpoint[];
}

/**
 * Service discovery, the part of the control plane the demo needs: which pods back which
 * service port. Sidecars resolve the authority an app asked for through it.
 */
export class ServiceRegistry {
  private readonly byAuthority = new Map<string, ResolvedService>();

  add(endpoint: Endpoint): void {
    const authority = serviceAuthority(endpoint.service);
    let entry = this.byAuthority.get(authority);
    if (!entry) {
      entry = {service: endpoint.service, authority, endpoints: []};
      this.byAuthority.set(authority, entry);
    }
    entry.endpoints.push(endpoint);
  }

  /**
   * Resolve `books.booksapp.svc.cluster.local:7002` and the short forms Kubernetes DNS accepts
   * from inside the namespace (`books:7002`, `books.booksapp:7002`, `books.booksapp.svc:7002`).
   */
  resolve(authority: string): ResolvedService | null {
    const match = /^([^:]+):(\d+)$/.exec(authority.trim().toLowerCase());
    if (!match) return null;
    const [, host, port] = match;
    const labels = host.split('.');
    const suffixes = [[], [NAMESPACE], [NAMESPACE, 'svc'], [NAMESPACE, 'svc', ...CLUSTER_DOMAIN.split('.')]];
    for (const suffix of suffixes) {
      if (labels.length === suffix.length + 1 && suffix.every((s, i) => labels[i + 1] === s)) {
        return this.byAuthority.get(`${labels[0]}.${NAMESPACE}.svc.${CLUSTER_DOMAIN}:${port}`) ?? null;
      }
    }
    return null;
  }

  all(): ResolvedService[] {
    return [...this.byAuthority.values()];
  }
}
