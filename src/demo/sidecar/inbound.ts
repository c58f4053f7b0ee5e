import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {connect as netConnect, type Socket} from 'node:net';
import type {TLSSocket} from 'node:tls';
import type {PodInfo} from '../mesh/pod.js';
import {acceptTls, peerIdentity, type SidecarTls} from '../mesh/tls.js';
import type {ServiceSpec} from '../topology.js';
import {forwardExchange} from './forward.js';
import {fromRaw, getHeader, withoutHopByHop} from './headers.js';
import {ListeningSide, remoteOf, splice} from './listen.js';
import {readFrame} from './preamble.js';
import type {PeerInfo, SidecarPlugin, SocketAddress} from './plugin.js';
import {LOCAL_APP, applicationAgent} from './upstream.js';

/**
 * The inbound side of a sidecar for one service port: accepts connections from other sidecars
 * (mutual TLS when the mesh has certificates; strict, no plaintext fallback), and hands the
 * traffic to the application on loopback.
 */
export class InboundListener extends ListeningSide {
  private readonly peers = new WeakMap<Socket, PeerInfo>();
  /** The TCP peer of each accepted connection, read from the raw socket (TLS wraps it). */
  private readonly clients = new WeakMap<Socket, SocketAddress | null>();
  private readonly http = createHttpServer({keepAliveTimeout: 65_000}, (req, res) => this.onRequest(req, res));
  private readonly appAgent;

  constructor(
    private readonly pod: PodInfo,
    private readonly service: ServiceSpec,
    private readonly appPort: number,
    private readonly tls: SidecarTls | null,
    private readonly plugin: SidecarPlugin,
  ) {
    super();
    this.appAgent = applicationAgent(appPort, 'inbound', (info) => plugin.connection({...info, service}));
  }

  override async close(): Promise<void> {
    this.appAgent.destroy();
    this.http.close();
    await super.close();
  }

  protected onConnection(raw: Socket): void {
    if (!this.tls) {
      this.accepted(raw, raw, {tls: false, linkerdId: null, spiffeId: null, pod: null, local: false});
      return;
    }
    const tls = this.tls;
    const secure: TLSSocket = acceptTls(raw, tls.context);
    secure.on('error', () => raw.destroy());
    secure.once('secure', () => {
      const id = peerIdentity(secure, tls.anchor);
      this.accepted(raw, secure, {tls: id.dns !== null || id.uri !== null, linkerdId: id.dns, spiffeId: id.uri, pod: null, local: false});
    });
  }

  private accepted(raw: Socket, socket: Socket, remote: PeerInfo): void {
    if (this.service.protocol === 'opaque' && this.plugin.opaqueHello) {
      void readFrame(socket).then((hello) => this.acceptedWith(raw, socket, remote, hello));
      return;
    }
    this.acceptedWith(raw, socket, remote, null);
  }

  private acceptedWith(raw: Socket, socket: Socket, remote: PeerInfo, hello: Buffer | null): void {
    this.plugin.connection({
      direction: 'inbound',
      peer: 'src',
      protocol: this.service.protocol,
      target: this.addr,
      remote,
      endpoint: null,
      service: this.service,
      socket: raw,
      hello,
    });
    if (this.service.protocol === 'opaque') {
      const app = netConnect({host: '127.0.0.1', port: this.appPort});
      this.plugin.connection({
        direction: 'inbound',
        peer: 'dst',
        protocol: 'opaque',
        target: {host: '127.0.0.1', port: this.appPort},
        remote: LOCAL_APP,
        endpoint: null,
        service: this.service,
        socket: app,
      });
      splice(socket, app);
      return;
    }
    this.peers.set(socket, remote);
    this.clients.set(socket, remoteOf(raw));
    this.http.emit('connection', socket);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const startMs = performance.now();
    const headers = withoutHopByHop(fromRaw(req.rawHeaders));
    const downstream = this.peers.get(req.socket) ?? {tls: false, linkerdId: null, spiffeId: null, pod: null, local: false};
    const info = {
      direction: 'inbound' as const,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authority: getHeader(headers, 'host') ?? '',
      headers,
      local: this.pod,
      downstream,
      target: this.addr,
      client: this.clients.get(req.socket) ?? null,
      service: this.service,
      startMs,
      startEpochMs: performance.timeOrigin + startMs,
    };
    const observer = this.plugin.request(info);
    forwardExchange(req, res, info, observer, this.plugin, () => ({
      agent: this.appAgent,
      host: '127.0.0.1',
      port: this.appPort,
      info: {endpoint: null, upstream: LOCAL_APP},
    }));
  }
}
