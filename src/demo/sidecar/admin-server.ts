import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import {gzipSync} from 'node:zlib';
import {readBody} from '../http-body.js';
import {ListeningSide} from './listen.js';

export type AdminHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** Admin request bodies (tap configs, log filters) are small; larger ones are refused. */
const MAX_ADMIN_BODY = 1024 * 1024;

/** A sidecar's admin HTTP listener on its pod's loopback address; hands complete requests (with body) to the handler. */
export class AdminServer extends ListeningSide {
  private readonly http = createServer({keepAliveTimeout: 65_000}, (req, res) => this.onRequest(req, res));

  constructor(
    private readonly handler: AdminHandler,
    private readonly connected: (socket: Socket) => void = () => {},
  ) {
    super();
  }

  get url(): string {
    return `http://${this.addr.host}:${this.addr.port}`;
  }

  override async close(): Promise<void> {
    this.http.close();
    await super.close();
  }

  protected onConnection(socket: Socket): void {
    this.connected(socket);
    this.http.emit('connection', socket);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    readBody(req, MAX_ADMIN_BODY, (body, tooLarge) => {
      if (tooLarge) send(res, 413, 'request body too large\n');
      else this.handler(req, res, body);
    });
  }
}

export function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain', extra: Record<string, string> = {}): void {
  res.writeHead(status, {'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...extra});
  res.end(body);
}

/** Send a text body, gzipped when the client accepts it (both proxies do this for metrics). */
export function sendMaybeGzip(req: IncomingMessage, res: ServerResponse, body: string, contentType: string): void {
  const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
  if (!accepts) {
    send(res, 200, body, contentType);
    return;
  }
  const zipped = gzipSync(body);
  res.writeHead(200, {'content-type': contentType, 'content-encoding': 'gzip', 'content-length': String(zipped.length)});
  res.end(zipped);
}

/** True when the TCP peer is loopback (what linkerd2-proxy and Envoy mean by "localhost"). */
export function fromLocalhost(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
