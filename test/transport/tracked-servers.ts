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
