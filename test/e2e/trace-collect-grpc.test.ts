import {createServer, type Server} from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {killLeftoverCollectors, records, startCollector} from '../tracing/helpers/collector-process.js';
import {grpcCall, lengthPrefixed, openSession} from '../tracing/helpers/grpc-call.js';
import {post} from '../tracing/helpers/post.js';
import {requestWithSpans, spanBody, stringField} from '../tracing/helpers/proto-bytes.js';

afterEach(() => killLeftoverCollectors());

const T = '5b8efff798038103d269b633813fc60c';
const named = (id: string, name: string) => lengthPrefixed(requestWithSpans(spanBody(T, id, stringField(5, name))));

describe('trace collect over OTLP/gRPC: refused calls', () => {
  it('answers each with the right grpc-status, says why on stderr, and still shows the good calls of the run', async () => {
    const collector = await startCollector(['-o', 'json', '--max-body', '64KiB']);
    const session = openSession(collector.grpcAddress!);
    const oversized = Buffer.from([0, 0, 1, 0, 1]);
    const replies = [
      await grpcCall(session, named('0000000000000001', 'before')),
      await grpcCall(session, lengthPrefixed(Buffer.from('this is not protobuf'))),
      await grpcCall(session, lengthPrefixed(gzipSync(requestWithSpans(spanBody(T, '0000000000000009'))), 1)),
      await grpcCall(session, lengthPrefixed(Buffer.from('x')), {'grpc-encoding': 'br'}),
      await grpcCall(session, oversized, {}, {keepOpen: true}),
      await grpcCall(session, lengthPrefixed(new Uint8Array(0)), {}, {path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export'}),
      await grpcCall(session, named('0000000000000002', 'after'), {'grpc-encoding': 'gzip'}),
    ];
    session.close();
    expect(replies.map((reply) => reply.status)).toEqual([0, 3, 13, 12, 8, 12, 0]);
    await collector.waitFor((out) => records(out, 'span').length === 2);
    const result = await collector.stop();

    expect(records(result.stdout, 'span').map((record) => record.name)).toEqual(['before', 'after']);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('meshctl: 127.0.0.1:'));
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^meshctl: 127\.0\.0\.1:\d+: INVALID_ARGUMENT gRPC Export: bad OTLP protobuf: .+/);
    expect(problems[1]).toMatch(/: INTERNAL gRPC Export: the message is flagged compressed but the call has no grpc-encoding \(or identity\)$/);
    expect(problems[2]).toMatch(/: UNIMPLEMENTED gRPC Export: unsupported grpc-encoding "br"; send gzip or identity$/);
    expect(problems[3]).toMatch(/: RESOURCE_EXHAUSTED gRPC Export: message of 65537 bytes is larger than the 64 KiB limit$/);
    expect(problems[4]).toMatch(/: UNIMPLEMENTED gRPC \/opentelemetry\.proto\.collector\.logs\.v1\.LogsService\/Export: unknown method /);
    expect(records(result.stdout, 'stats')).toEqual([expect.objectContaining({requests: 7, spans_received: 2})]);
    expect(result.code).toBe(130);
  });
});

/** Hold 127.0.0.1:PORT; if someone else already does, the port is just as busy. */
function holdPort(port: number): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(null) : reject(error)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('trace collect: the gRPC listener', () => {
  it('names both endpoints on startup', async () => {
    const collector = await startCollector();
    const result = await collector.stop();
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`listening on ${collector.url} (OTLP/HTTP, protobuf or JSON)`);
    expect(lines[1]).toBe(`listening on ${collector.grpcAddress} (OTLP/gRPC, TraceService/Export); Ctrl-C to stop`);
  });

  it('goes on with OTLP/HTTP only, after a one-line notice, when the default port 4317 is taken', async () => {
    const held = await holdPort(4317);
    try {
      const collector = await startCollector(['-o', 'json'], 25_000, {defaultGrpc: true});
      expect(collector.grpcAddress).toBeNull();
      const reply = await post(collector.url, requestWithSpans(spanBody(T, '0000000000000003', stringField(5, 'over http'))), {'content-type': 'application/x-protobuf'});
      expect(reply.status).toBe(200);
      await collector.waitFor((out) => records(out, 'span').length === 1);
      const result = await collector.stop();
      const notices = result.stderr.split('\n').filter((line) => line.includes('4317'));
      expect(notices).toEqual(['meshctl: 127.0.0.1:4317 is already in use, so no OTLP/gRPC (another collector?); receiving OTLP/HTTP only (--grpc-listen picks another port)']);
      expect(result.stderr).toMatch(/^.*\nlistening on http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP\/HTTP, protobuf or JSON\); Ctrl-C to stop\n/);
      expect(records(result.stdout, 'span').map((record) => record.name)).toEqual(['over http']);
    } finally {
      held?.close();
    }
  });

  it('fails with exit 1 when a port the user named is taken', async () => {
    const held = await holdPort(0);
    const port = (held!.address() as {port: number}).port;
    try {
      const result = await runCli(['trace', 'collect', '--listen', '127.0.0.1:0', '--grpc-listen', `127.0.0.1:${port}`], {timeoutMs: 10_000});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`meshctl: cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(result.stderr).toContain('--grpc-listen 127.0.0.1:PORT');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      held!.close();
    }
  });

  it('has no gRPC endpoint with --grpc-listen off', async () => {
    const collector = await startCollector(['--grpc-listen', 'off']);
    const result = await collector.stop();
    expect(collector.grpcAddress).toBeNull();
    expect(result.stderr.split('\n')[0]).toBe(`listening on ${collector.url} (OTLP/HTTP, protobuf or JSON); Ctrl-C to stop`);
  });

  it.each([
    ['nowhere', 'invalid --grpc-listen "nowhere"'],
    ['http://127.0.0.1:4317', 'invalid --grpc-listen "http://127.0.0.1:4317"'],
  ])('rejects --grpc-listen %j with exit 2', async (value, message) => {
    const result = await runCli(['trace', 'collect', '--grpc-listen', value], {timeoutMs: 10_000});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('127.0.0.1:4317');
  });
});
