import {createHash} from 'node:crypto';
import type {RequestInfo} from '../../sidecar/plugin.js';
import {AdminServer} from '../../sidecar/admin-server.js';
import {remoteOf} from '../../sidecar/listen.js';
import {deleteHeader, setHeader} from '../../sidecar/headers.js';
import type {ConnectionInfo, LocalReply, ProxyError, RequestObserver, SidecarPlugin} from '../../sidecar/plugin.js';
import type {SidecarProxy} from '../../sidecar/sidecar.js';
import type {Flavor, FlavorDeps, FlavorSidecar, SidecarEndpoints} from '../flavor.js';
import {linkerdAdmin, PROBE_PATHS, type LinkerdAdminState} from './admin.js';
import {DEFAULT_LOG_LEVEL, PROXY_VERSION, proxyEnvironment} from './env.js';
import {HttpMetrics} from './http.js';
import {renderMetrics} from './render.js';
import {RouteMetrics} from './routes.js';
import {LinkerdTracing} from './tracing.js';
import {TransportMetrics} from './transport.js';

/** A sidecar that looks, from its admin port and its metrics, like linkerd2-proxy. */
class LinkerdSidecar implements FlavorSidecar, SidecarPlugin {
  readonly plugin: SidecarPlugin = this;
  private readonly http: HttpMetrics;
  private readonly transport: TransportMetrics;
  private readonly routes: RouteMetrics;
  private readonly tracing: LinkerdTracing;
  private readonly admin: AdminServer;
  private readonly adminState: LinkerdAdminState;
  private proxy: SidecarProxy | null = null;

  constructor(private readonly deps: FlavorDeps) {
    const meshTls = deps.tls !== null;
    this.http = new HttpMetrics(meshTls, PROBE_PATHS);
    this.transport = new TransportMetrics(meshTls);
    this.routes = new RouteMetrics((service) => deps.registry.resolve(`${service.name}:${service.port}`)?.endpoints.length ?? 0);
    this.tracing = new LinkerdTracing(deps.pod, deps.exporter, Math.floor(deps.processStartEpochMs / 1000));
    this.adminState = {
      metrics: () => this.render(),
      env: () => this.environment(),
      logLevel: DEFAULT_LOG_LEVEL,
    };
    this.admin = new AdminServer((req, res, body) => this.serveAdmin(req, res, body), (socket) => this.adminConnection(socket));
  }

  attach(proxy: SidecarProxy): void {
    this.proxy = proxy;
  }

  async start(): Promise<void> {
    await this.admin.start(this.deps.pod.ip);
  }

  async close(): Promise<void> {
    await this.admin.close();
  }

  endpoints(): SidecarEndpoints {
    return {dialect: 'linkerd', url: this.admin.url};
  }

  request(info: RequestInfo): RequestObserver {
    const trace = this.tracing.begin(info);
    const meshTls = this.deps.tls !== null;
    return {
      forward: (headers) => {
        trace?.forward(headers);
        if (info.direction === 'inbound') {
          // Only the proxy may tell the application who called; never pass a client's claim on.
          deleteHeader(headers, 'l5d-client-id');
          if (meshTls && info.downstream.linkerdId) setHeader(headers, 'l5d-client-id', info.downstream.linkerdId);
        }
      },
      complete: (result) => {
        this.http.record(info, result.status, result.endMs - info.startMs, result.forward);
        this.routes.record(info, result);
        trace?.complete(result);
      },
    };
  }

  connection(info: ConnectionInfo): void {
    this.transport.track(info);
  }

  localReply(error: ProxyError): LocalReply {
    const [status, message] = LOCAL_REPLIES[error];
    return {status, body: '', headers: [['l5d-proxy-error', message]]};
  }

  private serveAdmin(...[req, res, body]: Parameters<ConstructorParameters<typeof AdminServer>[0]>): void {
    const startMs = performance.now();
    const info: RequestInfo = {
      direction: 'inbound',
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authority: String(req.headers.host ?? ''),
      headers: [],
      local: this.deps.pod,
      downstream: {tls: false, linkerdId: null, spiffeId: null, pod: null, local: false},
      target: this.admin.addr,
      client: remoteOf(req.socket),
      service: null,
      startMs,
      startEpochMs: performance.timeOrigin + startMs,
    };
    res.on('finish', () => this.http.record(info, res.statusCode, performance.now() - startMs, null));
    linkerdAdmin(this.adminState, req, res, body);
  }

  private adminConnection(socket: import('node:net').Socket): void {
    this.transport.track({
      direction: 'inbound',
      peer: 'src',
      protocol: 'http',
      target: this.admin.addr,
      remote: {tls: false, linkerdId: null, spiffeId: null, pod: null, local: false},
      endpoint: null,
      service: null,
      socket,
    });
  }

  private environment(): Record<string, string> {
    const proxy = this.proxy;
    const {otlp} = this.deps;
    return proxyEnvironment({
      pod: this.deps.pod,
      podUid: podUid(this.deps.pod.name),
      admin: this.admin.addr,
      inbound: proxy ? proxy.inbound.map((l) => l.addr) : [],
      outbound: proxy ? proxy.outboundHttp.addr : this.admin.addr,
      identity: this.deps.tls !== null,
      // linkerd2-proxy exports OTLP/gRPC to LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR (host:port).
      traceCollector: otlp?.transport === 'grpc' ? otlp.address : null,
    });
  }

  private render(): string {
    return renderMetrics({
      http: this.http,
      transport: this.transport,
      routes: this.routes,
      certExpiry: this.deps.tls?.notAfter ?? null,
      processStartEpochSec: Math.floor(this.deps.processStartEpochMs / 1000),
      version: PROXY_VERSION,
    });
  }
}

const LOCAL_REPLIES: Record<ProxyError, [number, string]> = {
  'no-route': [502, 'no route to the requested authority'],
  'no-endpoints': [503, 'service has no endpoints'],
  connect: [502, 'connect error'],
  reset: [502, 'connection closed before message completed'],
  timeout: [504, 'response timed out'],
  'downstream-reset': [499, 'client closed the connection'],
};

/** A stable, UUID-shaped pod uid derived from the pod name. */
function podUid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const linkerdFlavor: Flavor = {
  name: 'linkerd',
  identity: 'linkerd',
  create: (deps) => new LinkerdSidecar(deps),
};
