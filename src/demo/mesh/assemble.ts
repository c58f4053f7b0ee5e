import {authorsApp} from '../apps/authors.js';
import {booksApp} from '../apps/books.js';
import {ServiceClient} from '../apps/client.js';
import {BookFeed, FeedSubscriber} from '../apps/feed.js';
import {AppServer, type AppHandler} from '../apps/server.js';
import {LoadGenerator} from '../apps/traffic.js';
import {webappApp} from '../apps/webapp.js';
import type {Flavor, FlavorSidecar} from '../flavors/flavor.js';
import type {DemoOptions} from '../options.js';
import {Random} from '../random.js';
import {SidecarProxy} from '../sidecar/sidecar.js';
import {BOOKS_FEED, podsFor, WORKLOADS, type PodSpec} from '../topology.js';
import {SpanExporter} from '../tracing/exporter.js';
import {spanTransport} from '../tracing/transports.js';
import {TruthRecorder} from '../truth.js';
import {ensureCertificates, type MeshCerts} from './certs.js';
import {loopbackAliasesWork, podAddress} from '../loopback.js';
import {podInfo, type PodInfo} from './pod.js';
import {ServiceRegistry} from './registry.js';
import {sidecarTls, type TlsMaterial} from './tls.js';

export interface MeshPod {
  info: PodInfo;
  sidecar: FlavorSidecar;
  proxy: SidecarProxy;
}

export interface RunningMesh {
  options: DemoOptions;
  pods: MeshPod[];
  truth: TruthRecorder;
  exporter: SpanExporter;
  /** True when sidecars talk mutual TLS (certificates could be minted). */
  mtls: boolean;
  /** Stop the load generator and wait until every request it started has been answered. */
  quiesce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start the bookstore: every application instance behind its own sidecar, all on loopback
 * sockets in this process, then the change-feed subscriptions and the load generator.
 * `certDir` caches the mesh's certificates; null runs the mesh in plaintext.
 */
export async function startMesh(options: DemoOptions, flavor: Flavor, certDir: string | null): Promise<RunningMesh> {
  const certs = certDir ? await ensureCertificates(certDir, WORKLOADS.map((w) => w.serviceAccount)) : null;
  const registry = new ServiceRegistry();
  const truth = new TruthRecorder();
  const exporter = new SpanExporter(spanTransport(options.otlp));
  const processStartEpochMs = performance.timeOrigin;
  const closers: Array<() => Promise<void> | void> = [];
  const pods: MeshPod[] = [];
  const starters: Array<() => void> = [];
  const generators: LoadGenerator[] = [];

  const ownAddresses = await loopbackAliasesWork();
  try {
    const specs = podsFor(options.seed);
    for (const [index, spec] of specs.entries()) {
      const pod = await startPod(spec, index);
      pods.push(pod);
    }
    for (const start of starters) start();
  } catch (error) {
    await stopAll();
    throw error;
  }

  async function startPod(spec: PodSpec, index: number): Promise<MeshPod> {
    const info = podInfo(spec, ownAddresses ? podAddress(index) : '127.0.0.1');
    const rng = new Random(options.seed + 7919 * (index + 1));
    const material = tlsFor(certs, info.serviceAccount);
    let handler: AppHandler = async () => ({status: 503, body: '{"error":"starting"}'});
    const serves: Array<{service: (typeof spec.workload.serves)[number]; appPort: number}> = [];
    const feed = spec.workload.serves.includes(BOOKS_FEED) ? new BookFeed() : null;
    for (const service of spec.workload.serves) {
      if (service.protocol === 'opaque' && feed) {
        serves.push({service, appPort: await feed.start()});
        closers.push(() => feed.close());
      } else {
        const server = new AppServer((req) => handler(req));
        serves.push({service, appPort: await server.start()});
        closers.push(() => server.close());
      }
    }
    const sidecar = flavor.create({pod: info, tls: material, registry, exporter, otlp: options.otlp, processStartEpochMs});
    const proxy = new SidecarProxy({
      pod: info,
      serves,
      calls: spec.workload.calls,
      registry,
      tls: material ? sidecarTls(material) : null,
      identity: flavor.identity,
      plugin: sidecar.plugin,
    });
    await proxy.start();
    closers.push(() => proxy.close());
    sidecar.attach(proxy);
    await sidecar.start();
    closers.push(() => sidecar.close());
    // The proxy made one inbound listener per served port, in the same order.
    proxy.inbound.forEach((listener, i) => registry.add({pod: info, service: serves[i].service, host: listener.addr.host, port: listener.addr.port}));

    const client = new ServiceClient(info.workload, proxy.outboundHttp.addr, truth);
    closers.push(() => client.close());
    switch (info.workload) {
      case 'authors':
        handler = authorsApp(options.seed, rng);
        break;
      case 'books':
        handler = booksApp(options.seed, rng, options.errorRate, client, feed ?? new BookFeed());
        break;
      case 'webapp': {
        handler = webappApp(rng, client);
        const subscriber = new FeedSubscriber(info.workload, proxy.outboundFor(BOOKS_FEED), BOOKS_FEED.port, truth);
        starters.push(() => subscriber.start());
        closers.push(() => subscriber.stop());
        break;
      }
      case 'traffic': {
        const generator = new LoadGenerator(client, rng, options.rps, options.traceShare);
        generators.push(generator);
        starters.push(() => generator.start());
        closers.push(() => generator.stop());
        break;
      }
    }
    return {info, sidecar, proxy};
  }

  async function stopAll(): Promise<void> {
    exporter.close();
    // Stop traffic first (registered last), then servers.
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // Keep stopping the rest.
      }
    }
  }

  async function quiesce(): Promise<void> {
    for (const generator of generators) generator.stop();
    await Promise.all(generators.map((g) => g.idle()));
  }

  return {options, pods, truth, exporter, mtls: certs !== null, quiesce, stop: stopAll};
}

function tlsFor(certs: MeshCerts | null, serviceAccount: string): TlsMaterial | null {
  const identity = certs?.identities.get(serviceAccount);
  if (!certs || !identity) return null;
  return {ca: certs.ca, key: identity.key, cert: identity.cert, notAfter: identity.notAfter};
}
