import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {PodInfo} from '../mesh/pod.js';
import type {ServiceRegistry} from '../mesh/registry.js';
import {serviceAuthority, type ServiceSpec} from '../topology.js';
import {forwardExchange} from './forward.js';
import {fromRaw, getHeader, withoutHopByHop} from './headers.js';
import {ListeningSide, remoteOf, splice} from './listen.js';
import {frame} from './preamble.js';
import type {SidecarPlugin} from './plugin.js';
import {LOCAL_APP, ServiceBalancer, openToEndpoint, type DialContext} from './upstream.js';

/**
 * The outbound side of a sidecar for HTTP: the application sends its calls here (as iptables
 * would redirect them), naming the service in the Host header; the sidecar resolves it,
 * balances over the endpoints and proxies over mutual TLS.
 */
export class OutboundHttpListener extends ListeningSide {
  private readonly http = createHttpServer({keepAliveTimeout: 65_000}, (req, res) => this.onRequest(req, res));
  private readonly balancers = new Map<string, ServiceBalancer>();

  constructor(
    private readonly pod: PodInfo,
    private readonly registry: ServiceRegistry,
    private readonly dial: DialContext,
    private readonly plugin: SidecarPlugin,
  ) {
    super();
  }

  /** Balancers created so far (one per service the application called). */
  services(): ServiceBalancer[] {
    return [...this.balancers.values()];
  }

  override async close(): Promise<void> {
    for (const balancer of this.balancers.values()) balancer.destroy();
    this.http.close();
    await super.close();
  }

  protected onConnection(socket: Socket): void {
    this.plugin.connection({
      direction: 'outbound',
      peer: 'src',
      protocol: 'http',
      target: this.addr,
      remote: LOCAL_APP,
      endpoint: null,
      service: null,
      socket,
    });
    this.http.emit('connection', socket);
  }

  private balancerFor(authority: string): ServiceBalancer | null {
    const resolved = this.registry.resolve(authority);
    if (!resolved) return null;
    let balancer = this.balancers.get(resolved.authority);
    if (!balancer) {
      balancer = new ServiceBalancer(resolved, this.dial);
      this.balancers.set(resolved.authority, balancer);
    }
    return balancer;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const startMs = performance.now();
    const headers = withoutHopByHop(fromRaw(req.rawHeaders));
    const authority = getHeader(headers, 'host') ?? '';
    const balancer = this.balancerFor(authority);
    const info = {
      direction: 'outbound' as const,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authority,
      headers,
      local: this.pod,
      downstream: LOCAL_APP,
      target: this.addr,
      client: remoteOf(req.socket),
      service: balancer?.service.service ?? null,
      startMs,
      startEpochMs: performance.timeOrigin + startMs,
    };
    const observer = this.plugin.request(info);
    forwardExchange(req, res, info, observer, this.plugin, () => {
      if (!balancer) return 'no-route';
      return balancer.pick() ?? 'no-endpoints';
    });
  }
}

/**
 * The outbound side for one opaque TCP service: every connection the application opens here
 * goes, byte for byte, to one endpoint of that service over mutual TLS.
 */
export class OutboundTcpListener extends ListeningSide {
  private next = 0;

  constructor(
    private readonly service: ServiceSpec,
    private readonly registry: ServiceRegistry,
    private readonly dial: DialContext,
    private readonly plugin: SidecarPlugin,
  ) {
    super();
  }

  protected onConnection(socket: Socket): void {
    this.plugin.connection({
      direction: 'outbound',
      peer: 'src',
      protocol: 'opaque',
      target: this.addr,
      remote: LOCAL_APP,
      endpoint: null,
      service: this.service,
      socket,
    });
    const endpoints = this.registry.resolve(serviceAuthority(this.service))?.endpoints ?? [];
    if (endpoints.length === 0) {
      socket.destroy();
      return;
    }
    const endpoint = endpoints[this.next++ % endpoints.length];
    const upstream = openToEndpoint(endpoint, this.dial, 'opaque', socket);
    const hello = this.plugin.opaqueHello?.();
    if (hello) upstream.write(frame(hello));
    splice(socket, upstream);
  }
}
