import {createServer as createNetServer} from 'node:net';
import {afterEach} from 'vitest';

interface Closable {
  close(): Promise<void>;
}

/**
 * Register an afterEach that closes every server the test started, and return `track`,
 * which starts one and remembers it. Servers' close() destroys their sockets, so nothing
 * stays open between tests.
 */
export function trackServers(): <T extends Closable>(starting: Promise<T>) => Promise<T> {
  const open: Closable[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (starting) => {
    const server = await starting;
    open.push(server);
    return server;
  };
}

/** Whether this machine lets a test bind `host` (::1 and 127.0.0.2 are not everywhere). */
export async function canListenOn(host: string): Promise<boolean> {
  const server = createNetServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound;
}
