import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  /** Number of requests received so far. */
  requests(): number;
  /** Number of TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Loopback address to bind; default 127.0.0.1 (`::1` and other 127.x work too). */
  host?: string;
  /** A fixed port, for tests about well-known ports; default an ephemeral one. */
  port?: number;
}

/**
 * A real HTTP server on 127.0.0.1 with an ephemeral port. close() destroys open sockets so a
 * test can never hang on a server that is still streaming or deliberately never answers.
 */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ListenOptions = {},
): Promise<TestServer> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler(req, res);
  });
  const listening = await listenTracked(server, options.host ?? '127.0.0.1', options.port);
  return {...listening, server, requests: () => count};
}

export interface TlsServerOptions extends ListenOptions {
  key: string;
  cert: string;
  /** Ask every client for a certificate signed by this CA, and refuse those without one. */
  clientCa?: string;
}

/** startServer over TLS: an https:// URL with the given server certificate. */
export async function startHttpsServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: TlsServerOptions,
): Promise<TestServer> {
  let count = 0;
  const mutual = options.clientCa !== undefined ? {ca: options.clientCa, requestCert: true, rejectUnauthorized: true} : {};
  const server = createHttpsServer({key: options.key, cert: options.cert, ...mutual}, (req, res) => {
    count++;
    handler(req, res);
  });
  const listening = await listenTracked(server, options.host ?? '127.0.0.1', options.port);
  return {...listening, url: listening.url.replace(/^http:/, 'https:'), server, requests: () => count};
}

export interface RawServer {
  url: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}

/**
 * A plain TCP server for answers no well-behaved HTTP server gives: partial responses,
 * cut bodies, broken framing. `onConnection` writes whatever bytes the test needs.
 */
export async function startRawServer(onConnection: (socket: Socket) => void, options: ListenOptions = {}): Promise<RawServer> {
  const server = createNetServer(onConnection);
  return listenTracked(server, options.host ?? '127.0.0.1', options.port);
}

async function listenTracked(server: Server | NetServer, host: string, port = 0) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Route table for a fake admin port: path → handler; anything else is a 404. */
export function routes(
  table: Record<string, (req: IncomingMessage, res: ServerResponse) => void>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handler = table[path];
    if (handler) handler(req, res);
    else {
      res.statusCode = 404;
      res.end();
    }
  };
}

export function sendText(body: string, contentType = 'text/plain; version=0.0.4'): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    res.setHeader('content-type', contentType);
    res.end(body);
  };
}

export function sendJson(value: unknown): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(value));
  };
}
