import {createServer, type Server, type Socket} from 'node:net';
import type {SocketAddress} from './plugin.js';
import {listenOnLoopback} from '../loopback.js';

/**
 * A TCP listener on a loopback address with an ephemeral port that remembers its open sockets, so the
 * demo can stop at once instead of waiting for keep-alive connections to drain.
 */
export class Listener {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private address: SocketAddress | null = null;

  constructor(onConnection: (socket: Socket) => void) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      onConnection(socket);
    });
  }

  async start(host: string): Promise<SocketAddress> {
    this.address = {host, port: await listenOnLoopback(this.server, host)};
    return this.address;
  }

  get addr(): SocketAddress {
    if (!this.address) throw new Error('listener not started');
    return this.address;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Base of every part of a sidecar that owns one listener (inbound, outbound, admin). */
export abstract class ListeningSide {
  protected readonly listener = new Listener((socket) => this.onConnection(socket));

  protected abstract onConnection(socket: Socket): void;

  /** Listen on `host` (the pod's address) with an ephemeral port. */
  start(host: string): Promise<SocketAddress> {
    return this.listener.start(host);
  }

  get addr(): SocketAddress {
    return this.listener.addr;
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}

/** Where a connection comes from, as the accepting side sees it; null once the socket is gone. */
export function remoteOf(socket: Socket): SocketAddress | null {
  return socket.remoteAddress && socket.remotePort !== undefined ? {host: socket.remoteAddress, port: socket.remotePort} : null;
}

/** Join two streams both ways; when either side ends or fails, the other is torn down. */
export function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const teardown = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', teardown);
  b.on('error', teardown);
  a.on('close', teardown);
  b.on('close', teardown);
}
