import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {Socket} from 'node:net';
import {readBody} from '../http-body.js';
import {listenOnLoopback} from '../loopback.js';

export interface AppRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path segments, e.g. `/books/12/edit` → `['books', '12', 'edit']`. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface AppResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export type AppHandler = (req: AppRequest) => Promise<AppResponse>;

/** Request headers an application copies from the request it serves onto the calls it makes. */
export const PROPAGATED_HEADERS = [
  'traceparent',
  'tracestate',
  'x-request-id',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'b3',
];

export function propagated(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** Request bodies the demo apps accept are small; anything larger is refused. */
const MAX_BODY = 64 * 1024;

/** A minimal HTTP application server on 127.0.0.1 with an ephemeral port. */
export class AppServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: AppHandler) {
    this.server = createServer({keepAliveTimeout: 65_000}, (req, res) => {
      readBody(req, MAX_BODY, (body, tooLarge) => {
        const url = new URL(req.url ?? '/', 'http://app');
        const request: AppRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          segments: url.pathname.split('/').filter((s) => s !== ''),
          query: url.searchParams,
          headers: req.headers,
          body: body.toString('utf8'),
        };
        const respond = (response: AppResponse) => {
          const body = req.method === 'HEAD' ? '' : (response.body ?? '');
          res.writeHead(response.status, {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(response.body ?? '')),
            ...response.headers,
          });
          res.end(body);
        };
        if (tooLarge) {
          respond({status: 413, body: '{"error":"request body too large"}'});
          return;
        }
        handler(request).then(respond, () => respond({status: 500, body: '{"error":"internal error"}'}));
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  start(): Promise<number> {
    return listenOnLoopback(this.server);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function json(status: number, value: unknown, headers?: Record<string, string>): AppResponse {
  return {status, body: JSON.stringify(value), headers};
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
