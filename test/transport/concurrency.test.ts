import {describe, expect, it} from 'vitest';
import {nowMs} from '../../src/model/snapshot.js';
import {createClient} from '../../src/transport/index.js';
import {startServer} from '../helpers/servers.js';
import {trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess} from './expect-result.js';

const track = trackServers();

/** Counts requests held at once by one or more servers, and the most ever held. */
function inFlightCounter() {
  let now = 0;
  let most = 0;
  return {
    enter: () => (most = Math.max(most, ++now)),
    leave: () => now--,
    most: () => most,
  };
}

/** A server that answers each request after `delayMs`, counting in-flight requests. */
async function slowServer(delayMs: number, counter = inFlightCounter()) {
  const server = await track(
    startServer((_req, res) => {
      counter.enter();
      setTimeout(() => {
        counter.leave();
        res.end('ok');
      }, delayMs);
    }),
  );
  return {server, most: counter.most};
}

describe('concurrency', () => {
  it('never has more requests in flight than the limit, counted across hosts', async () => {
    const shared = inFlightCounter();
    const a = await slowServer(40, shared);
    const b = await slowServer(40, shared);
    const client = createClient({timeoutMs: 5000, concurrency: 3});
    const urls = Array.from({length: 12}, (_, i) => (i % 2 === 0 ? a : b).server.url);
    const results = await Promise.all(urls.map((url) => client.getText(url)));
    results.forEach(expectSuccess);
    expect(shared.most()).toBe(3);
  });

  it('runs requests in parallel up to the limit on one host', async () => {
    const one = await slowServer(40);
    const client = createClient({timeoutMs: 5000, concurrency: 3});
    await Promise.all(Array.from({length: 9}, () => client.getText(one.server.url)));
    expect(one.most()).toBe(3);
  });

  it('lets a queued request time out on its deadline and leave the queue', async () => {
    const one = await slowServer(400);
    const client = createClient({timeoutMs: 5000, concurrency: 1});
    const first = client.getText(one.server.url);
    const queued = await client.getText(one.server.url, {deadlineMs: nowMs() + 100});
    expect(expectFailure(queued, 'deadline').message).toBe('deadline reached before the request was sent');
    expectSuccess(await first);
    expect(one.server.requests()).toBe(1);
  });
});

describe('headers', () => {
  it('sends the client headers and the per-request ones on every request', async () => {
    const received: Array<Record<string, string | string[] | undefined>> = [];
    const server = await track(
      startServer((req, res) => {
        received.push(req.headers);
        res.end('ok');
      }),
    );
    const client = createClient({timeoutMs: 2000, headers: {Authorization: 'Bearer abc', 'X-Mesh': 'one'}});
    expectSuccess(await client.getText(server.url));
    expectSuccess(await client.getText(server.url, {headers: {'x-mesh': 'two', 'x-request': 'yes'}}));
    expect(received[0]).toMatchObject({authorization: 'Bearer abc', 'x-mesh': 'one', 'accept-encoding': 'gzip'});
    expect(received[1]).toMatchObject({authorization: 'Bearer abc', 'x-mesh': 'two', 'x-request': 'yes'});
    expect(received[0]['user-agent']).toBe('meshctl');
  });

  it('reports a header value that cannot be sent as an error value, not a throw', async () => {
    const server = await track(startServer((_req, res) => res.end('ok')));
    const client = createClient({timeoutMs: 2000, headers: {'x-bad': 'line\nbreak'}});
    expect(expectFailure(await client.getText(server.url), 'other').message).toMatch(/^invalid request header/);
    expect(server.requests()).toBe(0);
  });

  it('sends a POST body with its length', async () => {
    let seen = '';
    let length: string | undefined;
    const server = await track(
      startServer((req, res) => {
        length = req.headers['content-length'];
        req.on('data', (chunk: Buffer) => (seen += chunk.toString()));
        req.on('end', () => res.end('OK\n'));
      }),
    );
    const client = createClient({timeoutMs: 2000});
    const body = 'tracing.random_sampling=100';
    expectSuccess(await client.request(`${server.url}/runtime_modify`, {method: 'POST', body}));
    expect(seen).toBe(body);
    expect(length).toBe(String(body.length));
  });
});
