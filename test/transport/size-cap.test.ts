import type {ServerResponse} from 'node:http';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {createClient} from '../../src/transport/index.js';
import {startServer} from '../helpers/servers.js';
import {trackServers} from './tracked-servers.js';
import {expectFailure, expectSuccess, timed} from './expect-result.js';

const MiB = 1024 * 1024;

const track = trackServers();

/**
 * 1 GiB of zeros as about 1 MiB of gzip: concatenated gzip members decode as one stream,
 * so one compressed MiB of zeros repeated 1024 times is a bomb that costs nothing to build.
 */
function gzipBomb(decodedMiB: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), {level: 9});
  return Buffer.concat(Array.from({length: decodedMiB}, () => member));
}

/** Highest Buffer/ArrayBuffer memory seen while `work` runs, above where it started. */
async function peakBufferGrowth<T>(work: () => Promise<T>): Promise<{value: T; growth: number}> {
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    return {value, growth: peak - base};
  } finally {
    clearInterval(sampler);
  }
}

/** Write `total` bytes in 64 KiB chunks, honouring backpressure; resolves with bytes handed over. */
function writeSlab(res: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  return new Promise((resolve) => {
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
      resolve(written);
    };
    res.on('close', () => resolve(written));
    pump();
  });
}

describe('size cap', () => {
  it('stops a gzip bomb (1 GiB of zeros) at a 10 MiB cap quickly, without inflating it all', async () => {
    const bomb = gzipBomb(1024);
    const server = await track(
      startServer((_req, res) => res.writeHead(200, {'content-encoding': 'gzip', 'content-length': bomb.length}).end(bomb)),
    );
    const client = createClient({timeoutMs: 10_000, maxBytes: 10 * MiB});
    const {value, growth} = await peakBufferGrowth(() => timed(() => client.getText(`${server.url}/metrics`)));
    const error = expectFailure(value.value, 'too-large');
    expect(error.message).toBe('decompressed body exceeds the 10 MiB cap');
    expect(value.ms).toBeLessThan(3000);
    // The server's own copy of the bomb (~1 MiB) is already counted in the base.
    expect(growth).toBeLessThan(64 * MiB);
  });

  it('stops reading a 50 MB chunked body at a 10 MiB cap and closes the connection', async () => {
    let handedOver: Promise<number> = Promise.resolve(0);
    const server = await track(startServer((_req, res) => void (handedOver = writeSlab(res, 50_000_000))));
    const client = createClient({timeoutMs: 10_000, maxBytes: 10 * MiB});
    const {value, growth} = await peakBufferGrowth(() => timed(() => client.getText(`${server.url}/metrics`)));
    expect(expectFailure(value.value, 'too-large').message).toBe('body exceeds the 10 MiB cap');
    expect(value.ms).toBeLessThan(3000);
    expect(growth).toBeLessThan(40 * MiB);
    // The server saw the connection go away before it could hand over all 50 MB.
    expect(await handedOver).toBeLessThan(50_000_000);
  });

  it('refuses a declared 50 MB body at a 10 MiB cap before reading it', async () => {
    let handedOver: Promise<number> = Promise.resolve(0);
    const server = await track(
      startServer((_req, res) => {
        res.setHeader('content-length', 50_000_000);
        handedOver = writeSlab(res, 50_000_000);
      }),
    );
    const client = createClient({timeoutMs: 10_000, maxBytes: 10 * MiB});
    const {value, ms} = await timed(() => client.getText(server.url));
    expect(expectFailure(value, 'too-large').message).toBe('body of 48 MiB exceeds the 10 MiB cap');
    expect(ms).toBeLessThan(3000);
    expect(await handedOver).toBeLessThan(50_000_000);
  });

  it('accepts a body of exactly the cap, and a per-request cap overrides the client one', async () => {
    const server = await track(startServer((_req, res) => res.end(Buffer.alloc(1000, 'y'))));
    const client = createClient({timeoutMs: 2000, maxBytes: 1000});
    expect(expectSuccess(await client.getText(server.url)).body).toHaveLength(1000);
    expect(expectFailure(await client.getText(server.url, {maxBytes: 999}), 'too-large').message).toBe(
      'body of 1000 bytes exceeds the 999 bytes cap',
    );
  });
});
