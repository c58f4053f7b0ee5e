import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Socket} from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  /** Number of requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 with an ephemeral port. close() destroys open sockets so a
 * test can never hang on a server that is still streaming or deliberately never answers.
 */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    server,
    requests: () => count,
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
