import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {createClient} from '../../src/transport/index.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {startServer} from '../helpers/servers.js';
import {expectSuccess} from './expect-result.js';
import {trackServers} from './tracked-servers.js';

const track = trackServers();
const client = createClient({timeoutMs: 3000});

describe.skipIf(!HAVE_SHARED_FIXTURES)('real captures over the wire', () => {
  it('reads a linkerd2-proxy /metrics capture served gzipped, as the proxy does, byte for byte', async () => {
    const capture = readSharedFixture('linkerd/metrics/datadog-linkerd_v2.txt');
    const server = await track(
      startServer((req, res) => {
        // linkerd2-proxy gzips /metrics whenever Accept-Encoding mentions gzip.
        const gzip = String(req.headers['accept-encoding'] ?? '').includes('gzip');
        res.writeHead(200, {'content-type': 'text/plain', ...(gzip ? {'content-encoding': 'gzip'} : {})});
        res.end(gzip ? gzipSync(capture) : capture);
      }),
    );
    const response = expectSuccess(await client.getText(`${server.url}/metrics`));
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.body).toBe(capture);
  });

  it('reads an Envoy /stats/prometheus capture served plain', async () => {
    const capture = readSharedFixture('envoy/envoy-vanilla.stats-prometheus.txt');
    const server = await track(startServer((_req, res) => res.end(capture)));
    expect(expectSuccess(await client.getText(`${server.url}/stats/prometheus`)).body).toBe(capture);
  });

  it('streams a captured Envoy /tap trace written in pieces, losing nothing', async () => {
    const trace = readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json');
    const server = await track(
      startServer((_req, res) => {
        res.writeHead(200, {'content-type': 'application/json'});
        const cuts = [0, 700, 1500, trace.length];
        cuts.slice(1).forEach((end, i) => setTimeout(() => res.write(trace.slice(cuts[i], end)), i * 20));
      }),
    );
    const stream = expectSuccess(await client.stream(`${server.url}/tap`, {method: 'POST', body: '{}'}));
    const received: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream.body) {
      received.push(Buffer.from(chunk));
      size += chunk.byteLength;
      if (size >= Buffer.byteLength(trace)) break;
    }
    expect(Buffer.concat(received).toString()).toBe(trace);
  });
});
