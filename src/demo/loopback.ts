import {createServer, type Server} from 'node:net';

/** Listen on a loopback address (127.0.0.1 unless told) with an ephemeral port; resolves with the port. */
export async function listenOnLoopback(server: Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}

/**
 * The demo's pod IPs: every pod its own address in 127.0.0.0/8 (`127.0.1.1`, `127.0.1.2`, …),
 * which Linux routes to the loopback interface as a whole, so a callee sees which pod called.
 */
export function podAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 254)}.${1 + (index % 254)}`;
}

/**
 * Whether this machine accepts addresses in 127.0.0.0/8 other than 127.0.0.1 (Linux does; macOS
 * only after `ifconfig lo0 alias`). When it does not, every pod shares 127.0.0.1.
 */
export async function loopbackAliasesWork(): Promise<boolean> {
  const server = createServer();
  try {
    await listenOnLoopback(server, podAddress(0));
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
