import {Agent} from 'node:http';
import {connect as netConnect, type Socket} from 'node:net';
import type {SecureContext} from 'node:tls';
import type {Endpoint, ResolvedService} from '../mesh/registry.js';
import {dialTls} from '../mesh/tls.js';
import type {ForwardTarget} from './forward.js';
import type {ConnectionInfo, Direction, PeerInfo} from './plugin.js';

/** Idle pooled connections are closed after this long (the listeners keep theirs open longer). */
const IDLE_MS = 30_000;

/** Everything a sidecar needs to open connections: its TLS context (null = plaintext mesh). */
export interface DialContext {
  tls: SecureContext | null;
  identity: 'linkerd' | 'spiffe';
  /** The pod's address: connections leave from it, so the callee sees who called. */
  localAddress: string;
  onConnection: (info: ConnectionInfo) => void;
}

/**
 * Connections to one service's endpoints, one keep-alive pool per endpoint, chosen by
 * power-of-two-choices over requests in flight (what linkerd2-proxy and Envoy's least-request
 * balancer both approximate).
 */
export class ServiceBalancer {
  private readonly pools: Array<{endpoint: Endpoint; agent: Agent; peer: PeerInfo; inFlight: number}>;

  constructor(private readonly resolved: ResolvedService, dial: DialContext, private readonly random: () => number = Math.random) {
    this.pools = resolved.endpoints.map((endpoint) => ({
      endpoint,
      agent: endpointAgent(endpoint, dial),
      peer: endpointPeer(endpoint, dial.tls !== null),
      inFlight: 0,
    }));
  }

  get service(): ResolvedService {
    return this.resolved;
  }

  pick(): ForwardTarget | null {
    if (this.pools.length === 0) return null;
    const a = this.pools[Math.floor(this.random() * this.pools.length)];
    const b = this.pools[Math.floor(this.random() * this.pools.length)];
    const pool = b.inFlight < a.inFlight ? b : a;
    pool.inFlight++;
    return {
      agent: pool.agent,
      host: pool.endpoint.host,
      port: pool.endpoint.port,
      info: {endpoint: pool.endpoint, upstream: pool.peer},
      release: () => pool.inFlight--,
    };
  }

  endpoints(): Endpoint[] {
    return this.pools.map((p) => p.endpoint);
  }

  destroy(): void {
    for (const pool of this.pools) pool.agent.destroy();
  }
}

function endpointPeer(endpoint: Endpoint, tls: boolean): PeerInfo {
  return {
    tls,
    linkerdId: tls ? endpoint.pod.linkerdId : null,
    spiffeId: tls ? endpoint.pod.spiffeId : null,
    pod: endpoint.pod,
    local: false,
  };
}

function endpointAgent(endpoint: Endpoint, dial: DialContext): Agent {
  const agent = new Agent({keepAlive: true, timeout: IDLE_MS, maxSockets: 32});
  agent.createConnection = () => openToEndpoint(endpoint, dial, 'http');
  return agent;
}

/** Dial one endpoint's inbound listener (mTLS when the mesh has certificates) and report it. */
export function openToEndpoint(endpoint: Endpoint, dial: DialContext, protocol: 'http' | 'opaque', downstream?: Socket): Socket {
  const expected = dial.identity === 'linkerd' ? endpoint.pod.linkerdId : endpoint.pod.spiffeId;
  let raw: Socket;
  let socket: Socket;
  if (dial.tls) {
    ({raw, tls: socket} = dialTls(endpoint.host, endpoint.port, dial.tls, expected, dial.localAddress));
  } else {
    raw = socket = netConnect({host: endpoint.host, port: endpoint.port, localAddress: dial.localAddress});
  }
  dial.onConnection({
    direction: 'outbound',
    peer: 'dst',
    protocol,
    target: {host: endpoint.host, port: endpoint.port},
    remote: endpointPeer(endpoint, dial.tls !== null),
    endpoint,
    service: endpoint.service,
    socket: raw,
    downstream,
  });
  return socket;
}

/** A keep-alive pool to the sidecar's own application on loopback (the inbound leg). */
export function applicationAgent(port: number, direction: Direction, onConnection: (info: ConnectionInfo) => void): Agent {
  const agent = new Agent({keepAlive: true, timeout: IDLE_MS, maxSockets: 64});
  agent.createConnection = () => {
    const socket = netConnect({host: '127.0.0.1', port});
    onConnection({
      direction,
      peer: 'dst',
      protocol: 'http',
      target: {host: '127.0.0.1', port},
      remote: LOCAL_APP,
      endpoint: null,
      service: null,
      socket,
    });
    return socket;
  };
  return agent;
}

export const LOCAL_APP: PeerInfo = {tls: false, linkerdId: null, spiffeId: null, pod: null, local: true};
