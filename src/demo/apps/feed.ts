import {connect, createServer, type Server, type Socket} from 'node:net';
import type {SocketAddress} from '../sidecar/plugin.js';
import type {TruthRecorder} from '../truth.js';
import {listenOnLoopback} from '../loopback.js';

/**
 * The books change feed: a plain TCP protocol (not HTTP), so the mesh can only treat it as an
 * opaque byte stream. A client sends `SUBSCRIBE books\n`; the server then writes one JSON line
 * per change until the connection closes.
 */
export class BookFeed {
  private readonly server: Server;
  private readonly subscribers = new Set<Socket>();
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.subscribers.delete(socket);
      });
      socket.on('error', () => socket.destroy());
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        if (pending.length > 1024) socket.destroy();
        if (pending.includes('\n')) {
          if (pending.startsWith('SUBSCRIBE books')) {
            this.subscribers.add(socket);
            socket.write(`${JSON.stringify({event: 'subscribed'})}\n`);
          } else {
            socket.end('ERR unknown command\n');
          }
          pending = '';
        }
      });
    });
  }

  start(): Promise<number> {
    return listenOnLoopback(this.server);
  }

  publish(change: {event: string; id: number}): void {
    const line = `${JSON.stringify({...change, at: new Date().toISOString()})}\n`;
    for (const socket of this.subscribers) socket.write(line);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Keeps one subscription to the feed open through the sidecar, reconnecting after a second. */
export class FeedSubscriber {
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  changes = 0;

  constructor(
    private readonly source: string,
    private readonly outbound: SocketAddress,
    private readonly port: number,
    private readonly truth: TruthRecorder,
  ) {}

  start(): void {
    if (this.stopped) return;
    const counters = this.truth.openStream(this.source, 'books', this.port);
    const socket = connect(this.outbound);
    this.socket = socket;
    const request = 'SUBSCRIBE books\n';
    socket.write(request, () => (counters.sent += Buffer.byteLength(request)));
    socket.on('data', (chunk: Buffer) => {
      counters.received += chunk.length;
      this.changes += chunk.toString('utf8').split('\n').length - 1;
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      counters.open--;
      if (!this.stopped) this.timer = setTimeout(() => this.start(), 1000);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.destroy();
  }
}
