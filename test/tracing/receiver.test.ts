import {Agent} from 'node:http';
import {gzipSync} from 'node:zlib';
import {ProtobufTraceSerializer} from '@opentelemetry/otlp-transformer';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {startReceiver, type Receiver} from '../../src/tracing/receiver.js';
import {RecordingHandlers} from './helpers/recording-handlers.js';
import {bytesField, hexBytes, requestWithSpans, spanBody} from './helpers/proto-bytes.js';
import {decodeRpcStatus, post} from './helpers/post.js';
import {CHILD, RESOURCE, ROOT, SCOPE} from './helpers/rich-span.js';
import {jsonRequest, protobufRequest} from './helpers/sdk-spans.js';

const PROTOBUF = {'content-type': 'application/x-protobuf'};
const JSON_TYPE = {'content-type': 'application/json'};
const MAX_BODY = 64 * 1024;

let receiver: Receiver;
const seen = new RecordingHandlers();

beforeAll(async () => {
  receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: MAX_BODY,
    onBatch: seen.onBatch,
    onProblem: seen.onProblem,
  });
});

afterAll(() => receiver.close());

afterEach(() => seen.reset());

const T = '0102030405060708090a0b0c0d0e0f10';
const S = 'a1a2a3a4a5a6a7a8';

describe('OTLP/HTTP receiver: accepted requests', () => {
  it('answers a protobuf export with 200 and an empty ExportTraceServiceResponse', async () => {
    const body = protobufRequest(RESOURCE, SCOPE, [ROOT, CHILD]);
    const reply = await post(receiver.url, body, PROTOBUF);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(reply.body)).toEqual({});
    expect(seen.batches).toHaveLength(1);
    expect(seen.batches[0].encoding).toBe('protobuf');
    expect(Buffer.from(seen.batches[0].body).equals(Buffer.from(body))).toBe(true);
    expect(seen.batches[0].result.spans.map((span) => span.name)).toEqual(['GET /books', 'SELECT books']);
    expect(seen.batches[0].client).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('answers OTLP/JSON in JSON', async () => {
    const reply = await post(receiver.url, jsonRequest(RESOURCE, SCOPE, [ROOT]), {'content-type': 'application/json; charset=utf-8'});
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body.toString())).toEqual({});
    expect(seen.batches[0].encoding).toBe('json');
  });

  it('gunzips Content-Encoding: gzip and keeps the decompressed payload', async () => {
    const body = protobufRequest(RESOURCE, SCOPE, [ROOT]);
    const reply = await post(receiver.url, gzipSync(body), {...PROTOBUF, 'content-encoding': 'gzip'});
    expect(reply.status).toBe(200);
    expect(Buffer.from(seen.batches[0].body).equals(Buffer.from(body))).toBe(true);
  });

  it('reports rejected spans as partial_success and keeps the good ones', async () => {
    const bad = [...bytesField(1, [1, 2]), ...bytesField(2, hexBytes(S))];
    const reply = await post(receiver.url, requestWithSpans(spanBody(T, S), bad, spanBody(T, 'b1b2b3b4b5b6b7b8')), PROTOBUF);
    expect(reply.status).toBe(200);
    const response = ProtobufTraceSerializer.deserializeResponse(reply.body);
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(1);
    expect(response.partialSuccess?.errorMessage).toBe(
      'rejected 1 of 3 spans: resource_spans[0].scope_spans[0].spans[1]: trace_id must be 16 bytes, got 2',
    );
    expect(seen.batches[0].result.spans).toHaveLength(2);
    expect(seen.problems).toEqual([{client: expect.stringMatching(/^127\.0\.0\.1:/), status: 200, refused: false, message: `POST /v1/traces: ${response.partialSuccess?.errorMessage}`}]);
  });

  it('answers partial success in JSON for JSON requests', async () => {
    const body = JSON.stringify({resourceSpans: [{scopeSpans: [{spans: [{traceId: T, spanId: S}, {traceId: 'zz', spanId: S}]}]}]});
    const reply = await post(receiver.url, body, JSON_TYPE);
    expect(JSON.parse(reply.body.toString())).toEqual({
      partialSuccess: {rejectedSpans: '1', errorMessage: 'rejected 1 of 2 spans: resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 32 hex digits, got \"zz\"'},
    });
  });
});

describe('OTLP/HTTP receiver: refused requests', () => {
  it('answers undecodable protobuf with 400 and a google.rpc.Status, naming the client', async () => {
    const reply = await post(receiver.url, Buffer.from([0x0a, 0x96]), PROTOBUF);
    expect(reply.status).toBe(400);
    expect(decodeRpcStatus(reply.body)).toEqual({code: 3, message: 'bad OTLP protobuf: resource_spans[0]: truncated varint at byte 1'});
    expect(seen.problems[0].status).toBe(400);
    expect(seen.problems[0].client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(seen.batches).toEqual([]);
  });

  it('answers bad JSON with a JSON Status', async () => {
    const reply = await post(receiver.url, '{"resourceSpans": [', JSON_TYPE);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body.toString())).toEqual({code: 3, message: 'bad OTLP/JSON: invalid JSON at character 19: unexpected end of JSON'});
  });

  it('answers 400 when every span is rejected', async () => {
    const reply = await post(receiver.url, requestWithSpans(spanBody(T, '0000000000000000')), PROTOBUF);
    expect(reply.status).toBe(400);
    expect(decodeRpcStatus(reply.body).message).toBe('all 1 spans rejected: resource_spans[0].scope_spans[0].spans[0]: span_id is all zeros (invalid)');
  });

  it('answers 404 for other paths, 405 for other methods, 415 for other media types and encodings', async () => {
    const notFound = await post(receiver.url.replace('/v1/traces', '/v1/metrics'), 'x', PROTOBUF);
    expect(notFound.status).toBe(404);
    expect(decodeRpcStatus(notFound.body).message).toBe('not found; OTLP traces go to POST /v1/traces');
    const get = await post(receiver.url, '', {}, {method: 'GET'});
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const text = await post(receiver.url, 'x', {'content-type': 'text/plain'});
    expect(text.status).toBe(415);
    expect(decodeRpcStatus(text.body).message).toBe('unsupported Content-Type "text/plain"; send application/x-protobuf or application/json');
    const brotli = await post(receiver.url, 'x', {...PROTOBUF, 'content-encoding': 'br'});
    expect(brotli.status).toBe(415);
    expect(seen.problems.map((problem) => problem.status)).toEqual([404, 405, 415, 415]);
  });

  it('answers 400 for a body that is not gzip although it says so', async () => {
    const reply = await post(receiver.url, 'plain text', {...PROTOBUF, 'content-encoding': 'gzip'});
    expect(reply.status).toBe(400);
    expect(decodeRpcStatus(reply.body).message).toMatch(/^invalid gzip body: /);
  });

  it('answers 413 for a body over the cap, before or after gzip decoding', async () => {
    const big = Buffer.alloc(MAX_BODY + 1);
    const plain = await post(receiver.url, big, PROTOBUF);
    expect(plain.status).toBe(413);
    expect(decodeRpcStatus(plain.body)).toEqual({code: 8, message: 'body larger than 64 KiB (after decompression)'});
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 16));
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const inflated = await post(receiver.url, bomb, {...PROTOBUF, 'content-encoding': 'gzip'});
    expect(inflated.status).toBe(413);
    expect(seen.batches).toEqual([]);
  });

  it('answers 503 (retryable) when the batch cannot be stored', async () => {
    seen.failNextBatch = true;
    const reply = await post(receiver.url, requestWithSpans(spanBody(T, S)), PROTOBUF);
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(decodeRpcStatus(reply.body)).toEqual({code: 14, message: 'could not store the batch: disk full'});
  });

  it('keeps serving well-formed requests on the same connection after a refused one', async () => {
    const agent = new Agent({keepAlive: true, maxSockets: 1});
    try {
      expect((await post(receiver.url, Buffer.from([0xff]), PROTOBUF, {agent})).status).toBe(400);
      expect((await post(receiver.url, requestWithSpans(spanBody(T, S)), PROTOBUF, {agent})).status).toBe(200);
      expect(seen.batches).toHaveLength(1);
    } finally {
      agent.destroy();
    }
  });
});

describe('startReceiver', () => {
  it('refuses a port that is already in use with a UserError', async () => {
    const attempt = startReceiver({host: '127.0.0.1', port: receiver.port, maxBodyBytes: 1024, onBatch: () => {}, onProblem: () => {}});
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(`cannot listen on 127.0.0.1:${receiver.port}: the port is already in use`);
  });
});
