import type {IncomingMessage, ServerResponse} from 'node:http';
import {describe, expect, it} from 'vitest';
import {createClient} from '../../src/transport/index.js';
import {startServer} from '../helpers/servers.js';
import {canListenOn, trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess} from './expect-result.js';

const track = trackServers();
const HAVE_SECOND_LOOPBACK = await canListenOn('127.0.0.2');
if (!HAVE_SECOND_LOOPBACK) console.warn('[transport tests] NOTICE: 127.0.0.2 cannot be bound here; one redirect test is SKIPPED');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const redirectTo =
  (location: string, status = 302): Handler =>
  (_req, res) =>
    res.writeHead(status, {location}).end(`moved to ${location}`);

/** A server whose paths map to handlers (built once its port is known); `seen` records every path. */
async function serverWith(table: (port: number) => Record<string, Handler>) {
  const seen: string[] = [];
  let handlers: Record<string, Handler> = {};
  const server = await track(
    startServer((req, res) => {
      seen.push(req.url ?? '');
      const handler = handlers[req.url ?? ''];
      if (handler) handler(req, res);
      else res.writeHead(404).end();
    }),
  );
  handlers = table(server.port);
  return {server, seen};
}

const client = createClient({timeoutMs: 2000, headers: {authorization: 'Bearer s3cret'}});

describe('redirects', () => {
  it('follows a same-host redirect and reports the final URL', async () => {
    const {server, seen} = await serverWith(() => ({
      '/stats': redirectTo('/stats/prometheus', 301),
      '/stats/prometheus': (_req, res) => res.end('envoy_cluster_upstream_rq 3\n'),
    }));
    const response = expectSuccess(await client.getText(`${server.url}/stats`));
    expect(response.body).toBe('envoy_cluster_upstream_rq 3\n');
    expect(response.url).toBe(`${server.url}/stats/prometheus`);
    expect(seen).toEqual(['/stats', '/stats/prometheus']);
  });

  it('follows exactly three hops, and refuses a fourth', async () => {
    const {server} = await serverWith(() => ({
      '/1': redirectTo('/2'),
      '/2': redirectTo('/3'),
      '/3': redirectTo('/4'),
      '/4': (_req, res) => res.end('landed'),
      '/0': redirectTo('/1'),
    }));
    expect(expectSuccess(await client.getText(`${server.url}/1`)).body).toBe('landed');
    const error = expectFailure(await client.getText(`${server.url}/0`), 'redirect');
    expect(error.message).toBe('more than 3 redirects');
  });

  it('detects a redirect loop and names it', async () => {
    const {server, seen} = await serverWith(() => ({'/a': redirectTo('/b'), '/b': redirectTo('/a')}));
    const error = expectFailure(await client.getText(`${server.url}/a`), 'redirect');
    expect(error.message).toBe('redirect loop: /a → /b → /a');
    expect(seen).toEqual(['/a', '/b']);
  });

  it.skipIf(!HAVE_SECOND_LOOPBACK)('refuses a redirect to another loopback address and never contacts it', async () => {
    const other = await track(startServer((_req, res) => res.end('elsewhere'), {host: '127.0.0.2'}));
    const {server} = await serverWith(() => ({'/metrics': redirectTo(`http://127.0.0.2:${other.port}/metrics`)}));
    const error = expectFailure(await client.getText(`${server.url}/metrics`), 'redirect');
    expect(error.message).toBe(`redirect to another host not followed: http://127.0.0.2:${other.port}`);
    expect(error.status).toBe(302);
    expect(other.requests()).toBe(0);
  });

  it('treats localhost and 127.0.0.1 as different hosts, and so another port or scheme', async () => {
    const {server} = await serverWith((port) => ({
      '/by-name': redirectTo(`http://localhost:${port}/x`),
      '/other-port': redirectTo(`http://127.0.0.1:${port + 1}/x`),
      '/https': redirectTo(`https://127.0.0.1:${port}/x`),
    }));
    for (const [path, shown] of [
      ['/by-name', `http://localhost:${server.port}`],
      ['/other-port', `http://127.0.0.1:${server.port + 1}`],
      ['/https', `https://127.0.0.1:${server.port}`],
    ]) {
      const error = expectFailure(await client.getText(`${server.url}${path}`), 'redirect');
      expect(error.message).toBe(`redirect to another host not followed: ${shown}`);
    }
  });

  it('keeps sending the configured headers on every hop', async () => {
    const auth: Array<string | undefined> = [];
    const {server} = await serverWith(() => ({
      '/a': (req, res) => {
        auth.push(req.headers.authorization);
        redirectTo('/b')(req, res);
      },
      '/b': (req, res) => {
        auth.push(req.headers.authorization);
        res.end('ok');
      },
    }));
    expectSuccess(await client.getText(`${server.url}/a`));
    expect(auth).toEqual(['Bearer s3cret', 'Bearer s3cret']);
  });

  it('returns a redirect without a Location as the answer it is', async () => {
    const {server} = await serverWith(() => ({'/x': (_req, res) => res.writeHead(302).end()}));
    expect(expectSuccess(await client.request(`${server.url}/x`)).status).toBe(302);
  });

  it('repeats a POST on 307 but turns it into a GET on 303', async () => {
    const methods: string[] = [];
    const bodies: string[] = [];
    const record: Handler = (req, res) => {
      methods.push(req.method ?? '');
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.end('done');
      });
    };
    const {server} = await serverWith(() => ({
      '/keep': redirectTo('/target', 307),
      '/see-other': redirectTo('/target', 303),
      '/target': record,
    }));
    expectSuccess(await client.request(`${server.url}/keep`, {method: 'POST', body: 'a=1'}));
    expectSuccess(await client.request(`${server.url}/see-other`, {method: 'POST', body: 'a=1'}));
    expect(methods).toEqual(['POST', 'GET']);
    expect(bodies).toEqual(['a=1', '']);
  });
});
