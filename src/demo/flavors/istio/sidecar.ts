import {randomUUID} from 'node:crypto';
import type {Socket} from 'node:net';
import {AdminServer} from '../../sidecar/admin-server.js';
import {deleteHeader, getHeader, setHeader} from '../../sidecar/headers.js';
import type {ConnectionInfo, LocalReply, ProxyError, RequestInfo, RequestObserver, SidecarPlugin} from '../../sidecar/plugin.js';
import type {SidecarProxy} from '../../sidecar/sidecar.js';
import {matchRoute, WORKLOADS, type ServiceSpec} from '../../topology.js';
import type {Flavor, FlavorDeps, FlavorSidecar, SidecarEndpoints} from '../flavor.js';
import {envoyAdmin, statsListener, type EnvoyAdminState} from './admin.js';
import {ClusterTable, inboundCluster, outboundCluster, type ClusterModel} from './clusters-model.js';
import {sidecarConfigDump} from './config-dump.js';
import {EnvoyStats} from './envoy-stats.js';
import {envoyLocalReply, hopOf, responseFlags, tappedExchange, wireSize} from './exchange.js';
import {IstioStats} from './istio-stats.js';
import {LoggerLevels} from './logging.js';
import {decodeMx, MX_HEADER, MX_ID_HEADER, mxHeaders, peerMetadataOf} from './metadata.js';
import {LayeredRuntime} from './runtime.js';
import {renderServerInfo} from './server-info.js';
import {StatsStore} from './stats-store.js';
import {TapAdmin} from './tap/session.js';
import {IstioTracing} from './tracing.js';

/** Every service port in the mesh: Istio gives each sidecar a cluster for all of them. */
const MESH_SERVICES: ServiceSpec[] = [...new Set(WORKLOADS.flatMap((w) => w.serves))];

/** A sidecar that looks, from its admin port and `/stats/prometheus`, like an Istio Envoy. */
class IstioSidecar implements FlavorSidecar, SidecarPlugin {
  readonly plugin: SidecarPlugin = this;
  private readonly store = new StatsStore();
  private readonly istio = new IstioStats(this.store);
  private readonly envoy = new EnvoyStats(this.store);
  private readonly clusters = new ClusterTable();
  private readonly runtime = new LayeredRuntime();
  private readonly tap = new TapAdmin();
  private readonly tracing: IstioTracing;
  private readonly admin: AdminServer;
  private readonly stats: AdminServer;
  private readonly downstream = new Set<Socket>();
  private readonly startedAt = performance.now();
  private readonly state: EnvoyAdminState;
  private proxy: SidecarProxy | null = null;

  constructor(private readonly deps: FlavorDeps) {
    this.tracing = new IstioTracing(deps.pod, deps.exporter, this.runtime);
    this.state = {
      store: this.store,
      runtime: this.runtime,
      loggers: new LoggerLevels(),
      tap: this.tap,
      clusters: () => this.clusterModels(),
      serverInfo: () => renderServerInfo(deps.pod, this.uptimeSec()),
      configDump: () =>
        this.proxy
          ? sidecarConfigDump({pod: deps.pod, proxy: this.proxy, stats: this.stats.addr, otlpEndpoint: deps.exporter && deps.otlp?.transport === 'http' ? deps.otlp.url : null})
          : {configs: []},
    };
    this.admin = new AdminServer((req, res, body) => envoyAdmin(this.state, req, res, body));
    this.stats = new AdminServer((req, res) => statsListener(this.state, req, res));
  }

  attach(proxy: SidecarProxy): void {
    this.proxy = proxy;
    for (const service of MESH_SERVICES) {
      const cluster = this.clusters.ensure(outboundCluster(service), null);
      const sum = (f: (h: ClusterModel['hosts'][number]) => number) => () => cluster.hosts.reduce((t, h) => t + f(h), 0);
      this.envoy.declareCluster(service, () => this.deps.registry.resolve(`${service.name}:${service.port}`)?.endpoints.length ?? 0, {
        connections: sum((h) => h.stats.cxActive),
        requests: sum((h) => h.stats.rqActive),
        rx: sum((h) => h.stats.rxBytes),
        tx: sum((h) => h.stats.txBytes),
      });
    }
    for (const {service, appPort} of proxy.config.serves) this.clusters.host(inboundCluster(service), '127.0.0.1', appPort);
    const listeners = () => proxy.inbound.length + 1 + proxy.outboundTcp.size + 1;
    this.envoy.serverGauges({
      uptimeSec: () => this.uptimeSec(),
      connections: () => this.downstream.size,
      certDays: this.deps.tls ? () => Math.floor((this.deps.tls!.notAfter.getTime() - Date.now()) / 86_400_000) : null,
      clusters: () => this.clusters.all().length,
      listeners,
    });
    this.envoy.countStartup(this.clusters.all().length, listeners());
  }

  async start(): Promise<void> {
    await Promise.all([this.admin.start(this.deps.pod.ip), this.stats.start(this.deps.pod.ip)]);
  }

  async close(): Promise<void> {
    this.tap.close();
    this.store.close();
    await Promise.all([this.admin.close(), this.stats.close()]);
  }

  endpoints(): SidecarEndpoints {
    return {dialect: 'envoy', url: this.stats.url, admin: this.admin.url};
  }

  request(info: RequestInfo): RequestObserver {
    const pod = this.deps.pod;
    const mtls = this.deps.tls !== null;
    const trace = this.tracing.begin(info);
    const capture = this.tap.capture;
    let peer = info.direction === 'inbound' ? decodeMx(getHeader(info.headers, MX_HEADER)) : null;
    let host: ReturnType<ClusterTable['host']> | null = null;
    return {
      captureBodies: capture ?? undefined,
      forward: (headers, forward) => {
        deleteHeader(headers, MX_HEADER);
        deleteHeader(headers, MX_ID_HEADER);
        if (!getHeader(headers, 'x-forwarded-proto')) setHeader(headers, 'x-forwarded-proto', 'http');
        if (!getHeader(headers, 'x-request-id')) setHeader(headers, 'x-request-id', randomUUID());
        if (info.direction === 'outbound') {
          for (const [name, value] of mxHeaders(pod)) headers.push([name, value]);
          setHeader(headers, 'x-envoy-attempt-count', '1');
        }
        trace?.forward(headers);
        host = forward.endpoint
          ? this.clusters.host(outboundCluster(forward.endpoint.service), forward.endpoint.host, forward.endpoint.port)
          : info.service
            ? this.clusters.host(inboundCluster(info.service), '127.0.0.1', this.appPort(info.service))
            : null;
        if (host) host.rqActive++;
      },
      respond: (_status, headers, upstreamMs) => {
        if (info.direction === 'outbound') peer = decodeMx(getHeader(headers, MX_HEADER));
        deleteHeader(headers, MX_HEADER);
        deleteHeader(headers, MX_ID_HEADER);
        if (info.direction === 'inbound') {
          headers.push(...mxHeaders(pod));
          if (!getHeader(headers, 'server')) headers.push(['server', 'istio-envoy']);
        }
        if (upstreamMs !== null) headers.push(['x-envoy-upstream-service-time', String(Math.floor(upstreamMs))]);
      },
      complete: (result) => {
        const flags = responseFlags(result.error);
        const sizes = {
          request: wireSize(`${info.method} ${info.path} HTTP/1.1`, info.headers, result.requestBytes),
          response: wireSize(`HTTP/1.1 ${result.status} X`, result.responseHeaders, result.responseBytes),
        };
        this.istio.recordHttp(hopOf(pod, info, result, peer, mtls), {
          responseCode: result.status,
          responseFlags: flags,
          durationMs: result.endMs - info.startMs,
          requestBytes: sizes.request,
          responseBytes: sizes.response,
        });
        if (host) {
          host.rqActive--;
          host.rqTotal++;
          if (result.error === 'timeout') host.rqTimeout++;
          if (result.status >= 500 || result.status === 0) host.rqError++;
          else host.rqSuccess++;
        }
        if (info.direction === 'outbound' && info.service) {
          this.envoy.upstreamRequest(info.service, matchRoute(info.service, info.method, info.path), {
            status: result.status,
            localReply: result.localReply,
            timeout: result.error === 'timeout',
            upstreamMs: result.upstreamStartMs === null ? null : result.endMs - result.upstreamStartMs,
          });
        }
        if (capture) this.tap.observe(tappedExchange(info, result));
        const cluster = result.forward?.endpoint ? outboundCluster(result.forward.endpoint.service) : info.service ? inboundCluster(info.service) : 'BlackHoleCluster';
        trace?.complete(result, cluster, flags, sizes);
      },
    };
  }

  connection(info: ConnectionInfo): void {
    if (info.peer === 'src') {
      this.downstream.add(info.socket);
      info.socket.once('close', () => this.downstream.delete(info.socket));
    }
    if (info.peer === 'dst' && info.endpoint) {
      this.clusters.host(outboundCluster(info.endpoint.service), info.endpoint.host, info.endpoint.port).connection(info.socket);
      this.envoy.upstreamConnection(info.endpoint, info.socket);
    } else if (info.peer === 'dst' && info.direction === 'inbound' && info.service) {
      this.clusters.host(inboundCluster(info.service), '127.0.0.1', this.appPort(info.service)).connection(info.socket);
    }
    if (info.protocol !== 'opaque') return;
    const mtls = this.deps.tls !== null;
    const pod = this.deps.pod;
    if (info.direction === 'outbound' && info.peer === 'dst' && info.endpoint && info.downstream) {
      this.istio.trackTcp(
        {reporter: 'source', local: pod, peer: peerMetadataOf(info.endpoint.pod), peerPrincipal: info.remote.spiffeId, localPrincipal: mtls ? pod.spiffeId : null, serviceHost: info.service ? `${info.service.name}.${pod.namespace}.svc.cluster.local` : null, serviceName: info.service?.name ?? null},
        info.downstream,
      );
    } else if (info.direction === 'inbound' && info.peer === 'src') {
      this.istio.trackTcp(
        {reporter: 'destination', local: pod, peer: decodeMx(info.hello?.toString()), peerPrincipal: info.remote.spiffeId, localPrincipal: mtls ? pod.spiffeId : null, serviceHost: info.service ? `${info.service.name}.${pod.namespace}.svc.cluster.local` : null, serviceName: info.service?.name ?? null},
        info.socket,
      );
    }
  }

  localReply(error: ProxyError): LocalReply {
    return envoyLocalReply(error);
  }

  /** TCP metadata exchange: the same workload metadata the HTTP exchange carries in headers. */
  opaqueHello(): Buffer {
    return Buffer.from(mxHeaders(this.deps.pod)[0][1]);
  }

  private appPort(service: ServiceSpec): number {
    return this.proxy?.config.serves.find((s) => s.service === service)?.appPort ?? 0;
  }

  private uptimeSec(): number {
    return Math.floor((performance.now() - this.startedAt) / 1000);
  }

  private clusterModels(): ClusterModel[] {
    for (const resolved of this.deps.registry.all()) {
      for (const e of resolved.endpoints) this.clusters.host(outboundCluster(e.service), e.host, e.port);
    }
    return this.clusters.all();
  }
}

export const istioFlavor: Flavor = {
  name: 'istio',
  identity: 'spiffe',
  create: (deps) => new IstioSidecar(deps),
};
