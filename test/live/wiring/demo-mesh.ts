import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {RunningMesh} from '../../../src/demo/mesh/assemble.js';
import {ServiceClient} from '../../../src/demo/apps/client.js';
import {AUTHORS, BOOKS, WEBAPP, type ServiceSpec} from '../../../src/demo/topology.js';
import type {HopTruth, TruthSnapshot} from '../../../src/demo/truth.js';
import {tempDir} from '../../helpers/cli.js';

/**
 * The demo mesh (src/demo) started in the test process, as `meshctl demo up` starts it in
 * the background, so a test can stop its load generator (quiesce) and read the ground
 * truth at exact moments. meshctl runs as a separate process against its sidecars through
 * a contexts file shaped like the one `demo up` writes.
 */
export function demoContexts(mesh: RunningMesh): string {
  const lines = ['contexts:', '  demo:', '    namespace: booksapp', '    proxies:'];
  for (const pod of mesh.pods) {
    const endpoints = pod.sidecar.endpoints();
    lines.push(
      `      - url: ${endpoints.url}`,
      ...(endpoints.admin ? [`        admin: ${endpoints.admin}`] : []),
      `        name: ${pod.info.name}`,
      `        namespace: ${pod.info.namespace}`,
      `        workload: ${pod.info.workload}`,
      `        dialect: ${endpoints.dialect}`,
    );
  }
  lines.push('current-context: demo', '');
  const file = join(tempDir('meshctl-demo-ctx-'), 'config.yaml');
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** A client calling webapp as the load generator does: from the traffic pod, through its sidecar. */
export function trafficClient(mesh: RunningMesh): ServiceClient {
  const pod = mesh.pods.find((p) => p.info.workload === 'traffic')!;
  return new ServiceClient('traffic', pod.proxy.outboundHttp.addr, mesh.truth);
}

/** `source|destination|route|status` → calls the applications completed between two readings. */
export function truthDelta(before: TruthSnapshot, after: TruthSnapshot): Map<string, number> {
  const key = (h: HopTruth) => `${h.source}|${h.destination}|${h.route}|${h.status}`;
  const out = new Map<string, number>();
  for (const hop of after.hops) out.set(key(hop), hop.count);
  for (const hop of before.hops) out.set(key(hop), (out.get(key(hop)) ?? 0) - hop.count);
  for (const [k, n] of out) if (n === 0) out.delete(k);
  return out;
}

const SERVICES: readonly ServiceSpec[] = [WEBAPP, BOOKS, AUTHORS];

/**
 * The name a Linkerd proxy gives a route in its metrics: HTTPRoute services name routes
 * (`books-get`), ServiceProfiles by their template (`GET /books/{id}`).
 */
export function linkerdRouteName(destination: string, template: string): string {
  const service = SERVICES.find((s) => s.name === destination);
  const route = service?.routes.find((r) => r.template === template);
  if (!service || !route) return template;
  return service.routePolicy === 'httproute' ? route.name : route.template;
}

/** The load generator's mix of webapp calls, `total` of them, `concurrency` at a time. */
export async function runCalls(client: ServiceClient, total: number, concurrency: number): Promise<void> {
  const form = (i: number) => JSON.stringify({title: `Volume ${i}`, authorId: 1 + (i % 3)});
  const actions: ((i: number) => Promise<unknown>)[] = [
    () => client.call(WEBAPP, 'GET', '/'),
    (i) => client.call(WEBAPP, 'GET', `/books/${1 + (i % 12)}`),
    (i) => client.call(WEBAPP, 'GET', `/authors/${1 + (i % 6)}`),
    (i) => client.call(WEBAPP, 'POST', '/books', {body: form(i)}),
    (i) => client.call(WEBAPP, 'POST', `/books/${1 + (i % 12)}/edit`, {body: form(i)}),
    (i) => client.call(WEBAPP, 'POST', `/books/${20 + i}/delete`),
  ];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await actions[i % actions.length](i);
    }
  };
  await Promise.all(Array.from({length: concurrency}, worker));
}
