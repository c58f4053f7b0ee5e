import {createServer as createNetServer} from 'node:net';
import {describe, expect, it} from 'vitest';
import {nowMs} from '../../src/model/snapshot.js';
import {createClient} from '../../src/transport/index.js';
import {startRawServer, startServer} from '../helpers/servers.js';
import {canListenOn, trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess, timed} from './expect-result.js';

const track = trackServers();
const HAVE_IPV6 = await canListenOn('::1');
if (!HAVE_IPV6) console.warn('[transport tests] NOTICE: ::1 cannot be bound here; the IPv6 test is SKIPPED');

/** A port that was just free: bind it, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** Accepts connections and never writes a byte. */
const silent = () => track(startRawServer(() => {}));

describe('connecting', () => {
  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    const client = createClient({timeoutMs: 2000});
    const error = expectFailure(await client.getText(`http://127.0.0.1:${port}/metrics`), 'refused');
    expect(error.message).toBe('connection refused');
    expect(error.url).toBe(`http://127.0.0.1:${port}/metrics`);
  });

  it('times out a server that accepts and never answers, within the timeout plus a margin', async () => {
    const server = await silent();
    const client = createClient({timeoutMs: 300});
    const {value, ms} = await timed(() => client.getText(`${server.url}/metrics`));
    const error = expectFailure(value, 'timeout');
    expect(error.message).toBe('no response within 300ms');
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(2000);
  });

  it('times out a body that stalls after the headers and says how much arrived', async () => {
    const server = await track(
      startServer((_req, res) => {
        res.writeHead(200, {'content-length': '5000'});
        res.write('x'.repeat(2048));
      }),
    );
    const client = createClient({timeoutMs: 300});
    const {value, ms} = await timed(() => client.getText(`${server.url}/metrics`));
    const error = expectFailure(value, 'timeout');
    expect(error.message).toBe('body stalled after 2 KiB within 300ms');
    expect(ms).toBeLessThan(2000);
  });

  it('stops at a deadline that comes before the timeout', async () => {
    const server = await silent();
    const client = createClient({timeoutMs: 5000});
    const {value, ms} = await timed(() => client.getText(server.url, {deadlineMs: nowMs() + 200}));
    const error = expectFailure(value, 'deadline');
    expect(error.message).toBe('deadline reached before a response');
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(1500);
  });

  it('does not even connect when the deadline has already passed', async () => {
    const server = await track(startServer((_req, res) => res.end('ok')));
    const client = createClient({timeoutMs: 5000});
    expectFailure(await client.getText(server.url, {deadlineMs: nowMs() - 1}), 'deadline');
    expect(server.connections()).toBe(0);
  });

  it('ends a request promptly when the caller aborts', async () => {
    const server = await silent();
    const client = createClient({timeoutMs: 5000});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const {value, ms} = await timed(() => client.getText(server.url, {signal: controller.signal}));
    expect(expectFailure(value, 'aborted').message).toBe('request cancelled before a response');
    expect(ms).toBeLessThan(1500);
  });

  it('sends nothing for an already aborted signal', async () => {
    const server = await track(startServer((_req, res) => res.end('ok')));
    const client = createClient({timeoutMs: 5000});
    expectFailure(await client.getText(server.url, {signal: AbortSignal.abort()}), 'aborted');
    expect(server.connections()).toBe(0);
  });

  it('reports a TLS handshake against a plain-HTTP port as a tls error', async () => {
    const server = await track(startServer((_req, res) => res.end('ok')));
    const client = createClient({timeoutMs: 2000});
    const error = expectFailure(await client.getText(server.url.replace('http:', 'https:')), 'tls');
    expect(error.message).toMatch(/wrong version number|packet length too long/);
  });

  it.skipIf(!HAVE_IPV6)('reaches IPv6 literal hosts', async () => {
    const server = await track(startServer((req, res) => res.end(`host=${req.headers.host}`), {host: '::1'}));
    const client = createClient({timeoutMs: 2000});
    const response = expectSuccess(await client.getText(`http://[::1]:${server.port}/ready`));
    expect(response.body).toBe(`host=[::1]:${server.port}`);
  });

  it('rejects a URL it cannot parse or a scheme it does not speak', async () => {
    const client = createClient({timeoutMs: 1000});
    expect(expectFailure(await client.getText('not a url'), 'other').message).toBe('invalid URL "not a url"');
    expectFailure(await client.getText('ftp://127.0.0.1:1/x'), 'other');
  });
});

describe('connection reuse', () => {
  it('keeps one connection alive across repeated scrapes of the same proxy', async () => {
    const server = await track(startServer((_req, res) => res.end('metric 1\n')));
    const client = createClient({timeoutMs: 2000});
    for (let i = 0; i < 5; i++) expectSuccess(await client.getText(`${server.url}/metrics`));
    expect(server.requests()).toBe(5);
    expect(server.connections()).toBe(1);
  });

  it('retries once on a fresh connection when the proxy drops a kept-alive one', async () => {
    // Each connection answers its first request with keep-alive, then closes without an
    // answer when the next request arrives on it, as a proxy whose idle timeout just fired.
    const server = await track(
      startRawServer((socket) => {
        let answered = false;
        socket.on('data', () => {
          if (answered) return void socket.destroy();
          answered = true;
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
        });
      }),
    );
    const client = createClient({timeoutMs: 2000});
    expectSuccess(await client.getText(server.url));
    expect(expectSuccess(await client.getText(server.url)).body).toBe('ok');
    expect(server.connections()).toBe(2);
  });

  it('does not let a hung proxy hold up requests to another one', async () => {
    const hung = await silent();
    const healthy = await track(startServer((_req, res) => res.end('ok')));
    const client = createClient({timeoutMs: 1500, concurrency: 4});
    const stuck = client.getText(hung.url);
    const {value, ms} = await timed(() => client.getText(healthy.url));
    expectSuccess(value);
    expect(ms).toBeLessThan(1000);
    expectFailure(await stuck, 'timeout');
  });
});
