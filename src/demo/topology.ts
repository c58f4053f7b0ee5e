import {Random} from './random.js';

/**
 * The sample application: a small bookstore in the spirit of Linkerd's booksapp.
 * `traffic` → `webapp`; `webapp` → `books`, `authors`; `books` → `authors`; each webapp pod
 * also holds a long-lived opaque TCP subscription to the books change feed.
 */
export const NAMESPACE = 'booksapp';
export const CLUSTER_DOMAIN = 'cluster.local';

export interface RouteSpec {
  method: string;
  /** Route template as users and the ground truth name it, e.g. `GET /books/{id}`. */
  template: string;
  /** HTTPRoute or virtual-service route stat name, when the service uses those. */
  name: string;
  pattern: RegExp;
}

/**
 * How the mesh knows a service's routes. Linkerd: a ServiceProfile (`route_*` with `rt_route`)
 * or HTTPRoutes (`outbound_http_route_*`); Istio: a VirtualService with per-route stat prefixes
 * for `httproute`. `none`: no route knowledge.
 */
export type RoutePolicy = 'serviceprofile' | 'httproute' | 'none';

export interface ServiceSpec {
  name: string;
  port: number;
  protocol: 'http' | 'opaque';
  routePolicy: RoutePolicy;
  routes: RouteSpec[];
}

export interface WorkloadSpec {
  name: string;
  replicas: number;
  serviceAccount: string;
  /** The `version` label (Istio reads it into source/destination_version). */
  version: string;
  /** Ports this workload serves. */
  serves: ServiceSpec[];
  /** Services this workload calls. */
  calls: ServiceSpec[];
}

function route(method: string, path: string, name: string): RouteSpec {
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[a-z]+\\?\}/g, '[^/]+');
  return {method, template: `${method} ${path}`, name, pattern: new RegExp(`^${source}$`)};
}

export const WEBAPP: ServiceSpec = {
  name: 'webapp',
  port: 7000,
  protocol: 'http',
  routePolicy: 'serviceprofile',
  routes: [
    route('GET', '/', 'webapp-index'),
    route('GET', '/books/{id}', 'webapp-book'),
    route('GET', '/authors/{id}', 'webapp-author'),
    route('POST', '/books', 'webapp-create-book'),
    route('POST', '/books/{id}/edit', 'webapp-edit-book'),
    route('POST', '/books/{id}/delete', 'webapp-delete-book'),
  ],
};

export const AUTHORS: ServiceSpec = {
  name: 'authors',
  port: 7001,
  protocol: 'http',
  routePolicy: 'serviceprofile',
  routes: [
    route('GET', '/authors', 'authors-list'),
    route('GET', '/authors/{id}', 'authors-get'),
    route('HEAD', '/authors/{id}', 'authors-exists'),
  ],
};

export const BOOKS: ServiceSpec = {
  name: 'books',
  port: 7002,
  protocol: 'http',
  routePolicy: 'httproute',
  routes: [
    route('GET', '/books', 'books-list'),
    route('GET', '/books/{id}', 'books-get'),
    route('POST', '/books', 'books-create'),
    route('PUT', '/books/{id}', 'books-update'),
    route('DELETE', '/books/{id}', 'books-delete'),
  ],
};

/** The books change feed: newline-delimited JSON over a plain TCP stream (an opaque port). */
export const BOOKS_FEED: ServiceSpec = {
  name: 'books',
  port: 7003,
  protocol: 'opaque',
  routePolicy: 'none',
  routes: [],
};

export const WORKLOADS: readonly WorkloadSpec[] = [
  {name: 'traffic', replicas: 1, serviceAccount: 'traffic', version: 'v1', serves: [], calls: [WEBAPP]},
  {name: 'webapp', replicas: 2, serviceAccount: 'webapp', version: 'v1', serves: [WEBAPP], calls: [BOOKS, AUTHORS, BOOKS_FEED]},
  {name: 'books', replicas: 1, serviceAccount: 'books', version: 'v1', serves: [BOOKS, BOOKS_FEED], calls: [AUTHORS]},
  {name: 'authors', replicas: 1, serviceAccount: 'authors', version: 'v1', serves: [AUTHORS], calls: []},
];

export function serviceHost(service: ServiceSpec): string {
  return `${service.name}.${NAMESPACE}.svc.${CLUSTER_DOMAIN}`;
}

/** `books.booksapp.svc.cluster.local:7002` */
export function serviceAuthority(service: ServiceSpec): string {
  return `${serviceHost(service)}:${service.port}`;
}

export function matchRoute(service: ServiceSpec, method: string, path: string): RouteSpec | null {
  const bare = path.split('?')[0];
  return service.routes.find((r) => r.method === method && r.pattern.test(bare)) ?? null;
}

export interface PodSpec {
  name: string;
  workload: WorkloadSpec;
  /** The ReplicaSet's pod-template-hash, as Kubernetes puts it into the pod name. */
  templateHash: string;
}

/** Kubernetes' alphabet for generated name suffixes (no vowels, no confusable characters). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Pods named like a Deployment's: `webapp-7d9f8c6b5-x2kqp`, stable for a given seed. */
export function podsFor(seed: number): PodSpec[] {
  const rng = new Random(seed ^ 0x5eed);
  const pods: PodSpec[] = [];
  for (const workload of WORKLOADS) {
    const templateHash = rng.string(NAME_ALPHABET, 9 + rng.int(0, 1));
    for (let i = 0; i < workload.replicas; i++) {
      pods.push({name: `${workload.name}-${templateHash}-${rng.string(NAME_ALPHABET, 5)}`, workload, templateHash});
    }
  }
  return pods;
}

/** Identities the sidecars present in their mTLS certificates. */
export function linkerdIdentity(serviceAccount: string): string {
  return `${serviceAccount}.${NAMESPACE}.serviceaccount.identity.linkerd.${CLUSTER_DOMAIN}`;
}

export function spiffeIdentity(serviceAccount: string): string {
  return `spiffe://${CLUSTER_DOMAIN}/ns/${NAMESPACE}/sa/${serviceAccount}`;
}
