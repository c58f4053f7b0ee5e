import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {createClient} from '../../src/transport/index.js';
import {startRawServer, startServer} from '../helpers/servers.js';
import {trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess} from './expect-result.js';

const track = trackServers();

const client = createClient({timeoutMs: 3000});

/** A raw server that writes `head` + `body` on every connection, then closes it. */
function answersThenCloses(bytes: string | Buffer) {
  return track(
    startRawServer((socket) => {
      socket.once('data', () => socket.end(bytes));
    }),
  );
}

describe('status answers', () => {
  it('turns a 500 into a status error carrying the start of the body on one line', async () => {
    const body = `upstream connect error\n  or disconnect/reset before headers.\t${'z'.repeat(400)}`;
    const server = await track(
      startServer((_req, res) => {
        res.statusCode = 500;
        res.end(body);
      }),
    );
    const error = expectFailure(await client.getText(`${server.url}/stats`), 'status');
    expect(error.status).toBe(500);
    const expectedStart = 'HTTP 500: upstream connect error or disconnect/reset before headers. zzz';
    expect(error.message.startsWith(expectedStart)).toBe(true);
    // About 200 characters of body, not all 450.
    expect(error.message.length).toBeGreaterThan(180);
    expect(error.message.length).toBeLessThan(230);
    expect(error.message.endsWith('…')).toBe(true);
  });

  it('turns an empty 404 into a status error naming the reason phrase', async () => {
    const server = await track(startServer((_req, res) => res.writeHead(404).end()));
    const error = expectFailure(await client.getText(`${server.url}/nope`), 'status');
    expect(error.message).toBe('HTTP 404 Not Found');
    expect(error.status).toBe(404);
  });

  it('lets request() return any status as a success', async () => {
    const server = await track(startServer((_req, res) => res.writeHead(503).end('no admin layer')));
    const response = expectSuccess(await client.request(server.url));
    expect(response.status).toBe(503);
    expect(response.body).toBe('no admin layer');
  });

  it('escapes terminal control sequences from a hostile error body', async () => {
    const server = await track(
      startServer((_req, res) => {
        res.statusCode = 500;
        res.end('\u001b[2J\u001b]0;pwned\u0007bad\u202egnirts');
      }),
    );
    const error = expectFailure(await client.getText(server.url), 'status');
    expect(error.message).toBe('HTTP 500: \\x1b[2J\\x1b]0;pwned\\x07bad\\u202egnirts');
  });

  it('escapes control sequences in a hostile reason phrase', async () => {
    const server = await answersThenCloses('HTTP/1.1 404 \u001b[2JGone\r\ncontent-length: 0\r\n\r\n');
    expect(expectFailure(await client.getText(server.url), 'status').message).toBe('HTTP 404 \\x1b[2JGone');
  });

  it('escapes control sequences in an invalid-JSON message too', async () => {
    const server = await track(startServer((_req, res) => res.end('\u001b[31m{not json')));
    const error = expectFailure(await client.getJson(server.url), 'decode');
    expect(error.message).toMatch(/^invalid JSON \(/);
    expect(error.message).toContain('\\x1b[31m');
  });

  it('parses JSON bodies and reports an empty one as a decode error', async () => {
    const server = await track(
      startServer((req, res) => res.end(req.url === '/empty' ? '' : '{"version":"1.33.0","state":"LIVE"}')),
    );
    expect(expectSuccess(await client.getJson(`${server.url}/server_info`))).toEqual({version: '1.33.0', state: 'LIVE'});
    expect(expectFailure(await client.getJson(`${server.url}/empty`), 'decode').message).toBe(
      'empty body where JSON was expected',
    );
  });
});

describe('truncated bodies', () => {
  it('reports a body cut short of its Content-Length as a reset with the byte counts', async () => {
    const server = await answersThenCloses(`HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n${'m'.repeat(300)}`);
    const error = expectFailure(await client.getText(server.url), 'reset');
    expect(error.message).toBe('connection closed after 300 of 1,000 bytes');
  });

  it('reports a chunked body cut before its last chunk as a reset', async () => {
    const chunk = 'a'.repeat(0x40);
    const server = await answersThenCloses(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n40\r\n${chunk}\r\n40\r\n${chunk}`);
    const error = expectFailure(await client.getText(server.url), 'reset');
    expect(error.message).toBe('connection closed mid-body after 128 bytes');
  });

  it('accepts a body delimited by the server closing the connection (no length, not chunked)', async () => {
    const server = await answersThenCloses('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nwhole body');
    expect(expectSuccess(await client.getText(server.url)).body).toBe('whole body');
  });

  it('reports a server that closes before any response', async () => {
    const server = await answersThenCloses('');
    expect(expectFailure(await client.getText(server.url), 'reset').message).toBe('connection closed before a response');
  });

  it('reports a malformed status line as a decode error', async () => {
    const server = await answersThenCloses('SMTP ready\r\n\r\n');
    expect(expectFailure(await client.getText(server.url), 'decode').message).toMatch(/^malformed HTTP response/);
  });
});

describe('gzip', () => {
  const metrics = '# TYPE request_total counter\nrequest_total{direction="inbound"} 42\n'.repeat(200);

  it('asks for gzip and decodes a gzipped body transparently', async () => {
    let acceptEncoding: string | undefined;
    const server = await track(
      startServer((req, res) => {
        acceptEncoding = req.headers['accept-encoding'];
        res.writeHead(200, {'content-encoding': 'gzip'}).end(gzipSync(metrics));
      }),
    );
    const response = expectSuccess(await client.getText(`${server.url}/metrics`));
    expect(acceptEncoding).toBe('gzip');
    expect(response.body).toBe(metrics);
  });

  it('reports a body that claims gzip but is not as a decode error', async () => {
    const server = await track(
      startServer((_req, res) => res.writeHead(200, {'content-encoding': 'gzip'}).end('plain text, not gzip')),
    );
    expect(expectFailure(await client.getText(server.url), 'decode').message).toMatch(/^invalid compressed body/);
  });

  it('reports gzip cut off mid-stream as a decode error', async () => {
    const whole = gzipSync(metrics);
    const server = await track(
      startServer((_req, res) => res.writeHead(200, {'content-encoding': 'gzip'}).end(whole.subarray(0, whole.length - 20))),
    );
    expectFailure(await client.getText(server.url), 'decode');
  });

  it('refuses an encoding it did not ask for', async () => {
    const server = await track(startServer((_req, res) => res.writeHead(200, {'content-encoding': 'zstd'}).end('x')));
    expect(expectFailure(await client.getText(server.url), 'decode').message).toBe('unsupported content-encoding "zstd"');
  });
});
