import type {ServerResponse} from 'node:http';
import {createGzip, constants as zlib} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import {createClient} from '../../src/transport/index.js';
import type {HttpStream} from '../../src/transport/types.js';
import {startRawServer, startServer} from '../helpers/servers.js';
import {trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess, timed} from './expect-result.js';

const track = trackServers();
const streams: HttpStream[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});
async function open(client: ReturnType<typeof createClient>, url: string, signal?: AbortSignal) {
  const stream = expectSuccess(await client.stream(url, {signal}));
  streams.push(stream);
  return {stream, chunks: stream.body[Symbol.asyncIterator]()};
}

/** The next chunk as text, or a failure if none comes within `ms`. */
async function nextText(chunks: AsyncIterator<Uint8Array>, ms = 2000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no chunk within ${ms}ms`)), ms);
  });
  try {
    const step = await Promise.race([chunks.next(), timeout]);
    return step.done ? null : Buffer.from(step.value).toString();
  } finally {
    clearTimeout(timer);
  }
}

/** A streaming server: the test holds `res` and writes when it wants. */
async function manualServer(headers: Record<string, string> = {}) {
  let current: ServerResponse | undefined;
  let closed = false;
  const server = await track(
    startServer((_req, res) => {
      current = res;
      res.writeHead(200, {'content-type': 'application/json', ...headers});
      res.flushHeaders();
      res.on('close', () => (closed = true));
    }),
  );
  return {server, res: () => current!, closed: () => closed};
}

const client = createClient({timeoutMs: 300});

describe('stream()', () => {
  it('returns at the headers and hands out each chunk as it arrives, with no body timeout', async () => {
    const tap = await manualServer();
    const {value, ms} = await timed(() => open(client, `${tap.server.url}/tap`));
    expect(ms).toBeLessThan(300);
    const {chunks} = value;
    tap.res().write('{"http_buffered_trace":1}');
    expect(await nextText(chunks)).toBe('{"http_buffered_trace":1}');
    // Longer than the client's 300ms timeout: a stream body has no time limit.
    await new Promise((resolve) => setTimeout(resolve, 450));
    tap.res().write('{"http_buffered_trace":2}');
    expect(await nextText(chunks)).toBe('{"http_buffered_trace":2}');
  });

  it('close() ends the iteration promptly and the server sees the connection go', async () => {
    const tap = await manualServer();
    const {stream, chunks} = await open(client, tap.server.url);
    tap.res().write('one');
    expect(await nextText(chunks)).toBe('one');
    const pending = chunks.next();
    const {value, ms} = await timed(async () => {
      stream.close();
      return pending;
    });
    expect(value.done).toBe(true);
    expect(ms).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tap.closed()).toBe(true);
    expect(stream.endError?.()).toBeNull();
  });

  it('decodes a gzip stream chunk by chunk', async () => {
    const tap = await manualServer({'content-encoding': 'gzip'});
    const {chunks} = await open(client, tap.server.url);
    const gzip = createGzip();
    gzip.pipe(tap.res());
    gzip.write('{"trace":"a"}');
    gzip.flush(zlib.Z_SYNC_FLUSH);
    expect(await nextText(chunks)).toBe('{"trace":"a"}');
    gzip.write('{"trace":"b"}');
    gzip.flush(zlib.Z_SYNC_FLUSH);
    expect(await nextText(chunks)).toBe('{"trace":"b"}');
    gzip.end();
    expect(await nextText(chunks)).toBeNull();
  });

  it('still bounds the wait for headers by the timeout', async () => {
    const silent = await track(startRawServer(() => {}));
    const {value, ms} = await timed(() => client.stream(silent.url));
    expect(expectFailure(value, 'timeout').message).toBe('no response within 300ms');
    expect(ms).toBeLessThan(2000);
  });

  it("turns a refusal into a status error carrying the proxy's explanation", async () => {
    const server = await track(
      startServer((_req, res) => res.writeHead(400).end('An attached /tap admin stream already exists. Detach it.')),
    );
    const error = expectFailure(await client.stream(`${server.url}/tap`), 'status');
    expect(error.message).toBe('HTTP 400: An attached /tap admin stream already exists. Detach it.');
  });

  it("ends on the caller's abort and says so", async () => {
    const tap = await manualServer();
    const controller = new AbortController();
    const {stream, chunks} = await open(client, tap.server.url, controller.signal);
    const pending = chunks.next();
    controller.abort();
    expect((await pending).done).toBe(true);
    expect(stream.endError?.()?.kind).toBe('aborted');
  });

  it('ends when the server cuts the stream, with a reset as the reason', async () => {
    const tap = await manualServer();
    const {stream, chunks} = await open(client, tap.server.url);
    tap.res().write('partial');
    expect(await nextText(chunks)).toBe('partial');
    tap.res().socket?.destroy();
    expect(await nextText(chunks)).toBeNull();
    expect(stream.endError?.()).toMatchObject({kind: 'reset', message: 'connection closed mid-body after 7 bytes'});
  });

  it('does not hold a concurrency permit while the body streams', async () => {
    const tap = await manualServer();
    const single = createClient({timeoutMs: 1000, concurrency: 1});
    await open(single, tap.server.url);
    const other = await track(startServer((_req, res) => res.end('ok')));
    expect(expectSuccess(await single.getText(other.url)).body).toBe('ok');
  });
});
