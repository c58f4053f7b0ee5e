import type {PodInfo} from '../mesh/pod.js';
import type {SidecarTls} from '../mesh/tls.js';
import type {ServiceRegistry} from '../mesh/registry.js';
import {serviceAuthority, type ServiceSpec} from '../topology.js';
import {InboundListener} from './inbound.js';
import {OutboundHttpListener, OutboundTcpListener} from './outbound.js';
import type {SidecarPlugin, SocketAddress} from './plugin.js';
import type {DialContext} from './upstream.js';

export interface SidecarConfig {
  pod: PodInfo;
  /** Ports the application serves, each with the loopback port the application listens on. */
  serves: Array<{service: ServiceSpec; appPort: number}>;
  /** Services the application calls; opaque ones get a dedicated outbound TCP listener. */
  calls: readonly ServiceSpec[];
  registry: ServiceRegistry;
  tls: SidecarTls | null;
  identity: DialContext['identity'];
  plugin: SidecarPlugin;
}

/** The proxying half of a sidecar: its inbound listeners and its outbound listeners. */
export class SidecarProxy {
  readonly inbound: InboundListener[];
  readonly outboundHttp: OutboundHttpListener;
  readonly outboundTcp: Map<string, OutboundTcpListener>;

  constructor(readonly config: SidecarConfig) {
    const dial: DialContext = {
      tls: config.tls?.context ?? null,
      identity: config.identity,
      localAddress: config.pod.ip,
      onConnection: (info) => config.plugin.connection(info),
    };
    this.inbound = config.serves.map(({service, appPort}) => new InboundListener(config.pod, service, appPort, config.tls, config.plugin));
    this.outboundHttp = new OutboundHttpListener(config.pod, config.registry, dial, config.plugin);
    this.outboundTcp = new Map(
      config.calls
        .filter((s) => s.protocol === 'opaque')
        .map((s) => [serviceAuthority(s), new OutboundTcpListener(s, config.registry, dial, config.plugin)]),
    );
  }

  /** Start every listener; inbound addresses are what service discovery hands to callers. */
  async start(): Promise<void> {
    const host = this.config.pod.ip;
    await Promise.all([
      ...this.inbound.map((l) => l.start(host)),
      this.outboundHttp.start(host),
      ...[...this.outboundTcp.values()].map((l) => l.start(host)),
    ]);
  }

  /** Where the application should send a call to `service`. */
  outboundFor(service: ServiceSpec): SocketAddress {
    if (service.protocol === 'opaque') {
      const listener = this.outboundTcp.get(serviceAuthority(service));
      if (!listener) throw new Error(`no outbound listener for ${serviceAuthority(service)}`);
      return listener.addr;
    }
    return this.outboundHttp.addr;
  }

  async close(): Promise<void> {
    await Promise.all([
      ...this.inbound.map((l) => l.close()),
      this.outboundHttp.close(),
      ...[...this.outboundTcp.values()].map((l) => l.close()),
    ]);
  }
}
