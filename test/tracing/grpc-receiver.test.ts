import type {ClientHttp2Session} from 'node:http2';
import {gzipSync} from 'node:zlib';
import {ProtobufTraceSerializer} from '@opentelemetry/otlp-transformer';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startGrpcReceiver, type GrpcReceiver} from '../../src/tracing/grpc/server.js';
import {ListenError} from '../../src/tracing/listen-socket.js';
import {EXPORT, grpcCall, lengthPrefixed, openSession} from './helpers/grpc-call.js';
import {RecordingHandlers} from './helpers/recording-handlers.js';
import {bytesField, hexBytes, requestWithSpans, spanBody} from './helpers/proto-bytes.js';
import {CHILD, RESOURCE, ROOT, SCOPE} from './helpers/rich-span.js';
import {protobufRequest} from './helpers/sdk-spans.js';

const MAX_BODY = 64 * 1024;
const T = '0102030405060708090a0b0c0d0e0f10';
const S = 'a1a2a3a4a5a6a7a8';

let receiver: GrpcReceiver;
let session: ClientHttp2Session;
const seen = new RecordingHandlers();

beforeAll(async () => {
  receiver = await startGrpcReceiver({
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_BODY,
    onBatch: seen.onBatch,
    onProblem: seen.onProblem,
  });
  session = openSession(receiver.address);
});

afterAll(async () => {
  session.close();
  await receiver.close();
});

afterEach(() => seen.reset());

describe('OTLP/gRPC receiver: accepted calls', () => {
  it('answers Export with grpc-status 0 and an empty ExportTraceServiceResponse message', async () => {
    const body = protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]);
    const reply = await grpcCall(session, lengthPrefixed(body));
    expect(reply.httpStatus).toBe(200);
    expect(reply.headers['content-type']).toBe('application/grpc');
    expect(reply.trailers['grpc-status']).toBe('0');
    expect(reply.messages).toHaveLength(1);
    expect(ProtobufTraceSerializer.deserializeResponse(reply.messages[0])).toEqual({});
    expect(seen.batches).toHaveLength(1);
    expect(seen.batches[0].encoding).toBe('protobuf');
    expect(Buffer.from(seen.batches[0].body).equals(Buffer.from(body))).toBe(true);
    expect(seen.batches[0].result.spans.map((span) => span.name)).toEqual(['GET /books', 'SELECT books']);
    expect(seen.batches[0].client).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('decompresses a gzip message (grpc-encoding: gzip, compressed flag 1)', async () => {
    const body = protobufRequest(RESOURCE, SCOPE, [ROOT]);
    const reply = await grpcCall(session, lengthPrefixed(gzipSync(body), 1), {'grpc-encoding': 'gzip'});
    expect(reply.status).toBe(0);
    expect(Buffer.from(seen.batches[0].body).equals(Buffer.from(body))).toBe(true);
  });

  it('takes an uncompressed message on a call that names gzip (the flag decides per message)', async () => {
    const reply = await grpcCall(session, lengthPrefixed(requestWithSpans(spanBody(T, S))), {'grpc-encoding': 'gzip'});
    expect(reply.status).toBe(0);
    expect(seen.batches).toHaveLength(1);
  });

  it('accepts a message split across many DATA frames', async () => {
    const framed = lengthPrefixed(protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]));
    const reply = await new Promise<number>((resolve) => {
      const req = session.request({':method': 'POST', ':path': EXPORT, 'content-type': 'application/grpc+proto', te: 'trailers'});
      req.on('trailers', (t) => resolve(Number(t['grpc-status'])));
      req.resume();
      for (let at = 0; at < framed.length; at += 3) req.write(framed.subarray(at, at + 3));
      req.end();
    });
    expect(reply).toBe(0);
    expect(seen.batches[0].result.spans).toHaveLength(2);
  });

  it('reports rejected spans as partial_success with status OK, and keeps the good ones', async () => {
    const bad = [...bytesField(1, [1, 2]), ...bytesField(2, hexBytes(S))];
    const reply = await grpcCall(session, lengthPrefixed(requestWithSpans(spanBody(T, S), bad, spanBody(T, 'b1b2b3b4b5b6b7b8'))));
    expect(reply.status).toBe(0);
    const response = ProtobufTraceSerializer.deserializeResponse(reply.messages[0]);
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(1);
    expect(response.partialSuccess?.errorMessage).toMatch(/^rejected 1 of 3 spans: .*spans\[1\]/);
    expect(seen.batches[0].result.spans).toHaveLength(2);
    expect(seen.problems).toEqual([{client: expect.stringMatching(/^127\.0\.0\.1:/), status: 'OK', refused: false, message: `gRPC Export: ${response.partialSuccess?.errorMessage}`}]);
  });
});

describe('OTLP/gRPC receiver: refused calls', () => {
  it('answers an undecodable message with INVALID_ARGUMENT and the decoder\'s reason', async () => {
    const reply = await grpcCall(session, lengthPrefixed(Buffer.from([0x0a, 0x04, 0x12, 0x02, 0x12, 0x80])));
    expect(reply.httpStatus).toBe(200);
    expect(reply.status).toBe(3);
    expect(reply.message).toBe('bad OTLP protobuf: resource_spans[0].scope_spans[0]: truncated varint at byte 5');
    expect(seen.problems).toEqual([{client: expect.stringMatching(/^127\.0\.0\.1:\d+$/), status: 'INVALID_ARGUMENT', refused: true, message: `gRPC Export: ${reply.message}`}]);
    expect(seen.batches).toEqual([]);
  });

  it('percent-encodes grpc-message (non-ASCII and % in the reason)', async () => {
    seen.failNextBatch = true;
    const reply = await grpcCall(session, lengthPrefixed(requestWithSpans(spanBody(T, S))));
    expect(reply.status).toBe(14);
    expect(reply.message).toBe('could not store the batch: disk full');

    const unknown = await grpcCall(session, lengthPrefixed(new Uint8Array(0)), {}, {path: '/svc.Ünï/100%'});
    expect(unknown.headers['grpc-message']).toBe('unknown method /svc.%C3%9Cn%C3%AF/100%25; OTLP traces go to ' + EXPORT);
  });

  it('answers unknown methods with UNIMPLEMENTED, naming where traces go', async () => {
    const reply = await grpcCall(session, lengthPrefixed(new Uint8Array(0)), {}, {path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'});
    expect(reply.status).toBe(12);
    expect(reply.message).toBe(`unknown method /opentelemetry.proto.collector.metrics.v1.MetricsService/Export; OTLP traces go to ${EXPORT}`);
    expect(seen.problems[0].message).toMatch(/^gRPC \/opentelemetry\.proto\.collector\.metrics\.v1\.MetricsService\/Export: /);
  });

  it('refuses other encodings with UNIMPLEMENTED and says which it accepts', async () => {
    const reply = await grpcCall(session, lengthPrefixed(Buffer.from('x'), 1), {'grpc-encoding': 'snappy'});
    expect(reply.status).toBe(12);
    expect(reply.message).toBe('unsupported grpc-encoding "snappy"; send gzip or identity');
    expect(reply.headers['grpc-accept-encoding']).toBe('identity,gzip');
  });

  it('refuses a compressed flag without an encoding, a flag other than 0 or 1, and broken gzip (INTERNAL)', async () => {
    const flagged = await grpcCall(session, lengthPrefixed(gzipSync(requestWithSpans(spanBody(T, S))), 1));
    const two = await grpcCall(session, lengthPrefixed(requestWithSpans(spanBody(T, S)), 2));
    const broken = await grpcCall(session, lengthPrefixed(Buffer.from('not gzip at all'), 1), {'grpc-encoding': 'gzip'});
    expect([flagged.status, two.status, broken.status]).toEqual([13, 13, 13]);
    expect(flagged.message).toBe('the message is flagged compressed but the call has no grpc-encoding (or identity)');
    expect(two.message).toBe('invalid compressed flag 2 in the message prefix (must be 0 or 1)');
    expect(broken.message).toMatch(/^the message is not valid gzip: /);
    expect(seen.batches).toEqual([]);
  });

  it('refuses calls with no message, a cut-off message, or two messages', async () => {
    const framed = lengthPrefixed(requestWithSpans(spanBody(T, S)));
    const none = await grpcCall(session, new Uint8Array(0));
    const cut = await grpcCall(session, framed.subarray(0, framed.length - 1));
    const two = await grpcCall(session, Buffer.concat([framed, framed]));
    expect([none.status, cut.status, two.status]).toEqual([13, 13, 13]);
    expect(none.message).toBe('the request stream ended without a message');
    expect(cut.message).toBe(`the request stream ended inside a message: ${framed.length - 6} bytes of ${framed.length - 5} bytes`);
    expect(two.message).toBe('more than one request message in a unary call');
    expect(seen.batches).toEqual([]);
  });

  it('refuses a message over the cap from its prefix alone, and a gzip bomb after inflating to the cap', async () => {
    // Only the prefix and a little data are sent: the answer must come without the rest.
    const prefix = Buffer.from([0, 0, 0, 0, 0]);
    prefix.writeUInt32BE(MAX_BODY + 1, 1);
    const early = await grpcCall(session, Buffer.concat([prefix, Buffer.alloc(100)]), {}, {keepOpen: true});
    expect(early.status).toBe(8);
    expect(early.message).toBe(`message of ${MAX_BODY + 1} bytes is larger than the 64 KiB limit`);

    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 16));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const inflated = await grpcCall(session, lengthPrefixed(bomb, 1), {'grpc-encoding': 'gzip'});
    expect(inflated.status).toBe(8);
    expect(inflated.message).toBe('message larger than 64 KiB after gzip decompression');
    expect(seen.batches).toEqual([]);
  });

  it('honours grpc-timeout: a request still incomplete at the deadline gets DEADLINE_EXCEEDED', async () => {
    const started = performance.now();
    const reply = await grpcCall(session, Buffer.from([0, 0, 0, 0, 10]), {'grpc-timeout': '150m'}, {keepOpen: true});
    expect(reply.status).toBe(4);
    expect(reply.message).toBe('the request was not complete within 150ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const malformed = await grpcCall(session, lengthPrefixed(new Uint8Array(0)), {'grpc-timeout': '1.5S'});
    expect(malformed.status).toBe(3);
    expect(malformed.message).toBe('malformed grpc-timeout "1.5S"');
  });

  it('answers a non-gRPC content-type with HTTP 415', async () => {
    const reply = await grpcCall(session, requestWithSpans(spanBody(T, S)), {'content-type': 'application/x-protobuf'});
    expect(reply.httpStatus).toBe(415);
    expect(reply.message).toBe('content-type "application/x-protobuf" is not gRPC; send application/grpc');
  });

  it('keeps serving well-formed calls on the same connection after refused ones', async () => {
    const prefix = Buffer.from([0, 0, 1, 0, 1]);
    expect((await grpcCall(session, prefix, {}, {keepOpen: true})).status).toBe(8);
    expect((await grpcCall(session, lengthPrefixed(Buffer.from([0xff])))).status).toBe(3);
    expect((await grpcCall(session, lengthPrefixed(requestWithSpans(spanBody(T, S))))).status).toBe(0);
    expect(seen.batches).toHaveLength(1);
  });
});

describe('OTLP/gRPC receiver: clients that reset their calls', () => {
  it('survives a reset while the batch is being handled or the message is half sent, and keeps serving', async () => {
    // onBatch waits, as it does while stdout is not being read: the reset lands in that wait.
    const slow = new RecordingHandlers();
    const waiting = await startGrpcReceiver({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: MAX_BODY,
      onBatch: async (batch) => {
        slow.onBatch(batch);
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
      onProblem: slow.onProblem,
    });
    const client = openSession(waiting.address);
    try {
      const reset = (body: Buffer, afterMs: number) =>
        new Promise<void>((resolve) => {
          const req = client.request({':method': 'POST', ':path': EXPORT, 'content-type': 'application/grpc'});
          req.on('error', () => {});
          req.on('close', () => resolve());
          req.end(body);
          setTimeout(() => req.close(2), afterMs); // RST_STREAM INTERNAL_ERROR
        });
      const whole = lengthPrefixed(requestWithSpans(spanBody(T, S)));
      await reset(whole, 100);
      await reset(whole.subarray(0, 8), 100);
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The receiver is still up and answers the next call on the same connection.
      expect((await grpcCall(client, whole)).status).toBe(0);
      expect(slow.batches.length).toBeGreaterThanOrEqual(2);
    } finally {
      client.close();
      await waiting.close();
    }
  });
});

describe('startGrpcReceiver', () => {
  it('refuses a port that is already in use with a ListenError naming --grpc-listen', async () => {
    const attempt = startGrpcReceiver({host: '127.0.0.1', port: receiver.port, maxBodyBytes: 1024, onBatch: () => {}, onProblem: () => {}});
    await expect(attempt).rejects.toBeInstanceOf(ListenError);
    await expect(attempt).rejects.toMatchObject({inUse: true, message: `cannot listen on 127.0.0.1:${receiver.port}: the port is already in use`, hint: expect.stringContaining('--grpc-listen')});
  });
});
