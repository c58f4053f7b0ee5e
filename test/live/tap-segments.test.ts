import {describe, expect, it} from 'vitest';
import {TapDecoder} from '../../src/dialects/envoy/tap-decoder.js';
import {SegmentAssembler} from '../../src/dialects/envoy/tap-segments.js';
import type {EnvoyStreamedSegment} from '../../src/dialects/envoy/tap-json.js';
import {readOwnFixture} from '../helpers/fixtures.js';

const segmentsText = readOwnFixture('live/streamed-segments.json');

function decoderAt(clock: {now: number}) {
  return new TapDecoder({proxy: 'books', proxyIndex: 0, direction: 'outbound', now: () => clock.now});
}

describe('streamed trace segments', () => {
  it('assembles interleaved traces by trace id and completes them on trailers or full body', () => {
    const clock = {now: 1000};
    const decoder = decoderAt(clock);
    const result = decoder.push(new TextEncoder().encode(segmentsText));
    expect(result.warnings).toEqual([]);
    // Trace 7 completes when its body reaches content-length 12 ('{"id":"17"}' + '\n');
    // trace 8 when its trailers arrive.
    expect(result.events.map((e) => [e.path, e.status, e.grpcStatus, e.responseBytes])).toEqual([
      ['/books/17.json', 200, null, 12],
      ['/emojivoto.v1.EmojiService/ListAll', 200, 0, 10],
    ]);
    expect(result.events[0]).toMatchObject({latencyMs: 4, latencySource: 'upstream-service-time', authority: 'books:7002'});
    // The request body chunk was 5 bytes; no content-length was sent.
    expect(result.events[1].requestBytes).toBe(5);
  });

  it('at the end of the stream counts traces that never got a response', () => {
    const decoder = decoderAt({now: 1000});
    decoder.push(new TextEncoder().encode(segmentsText));
    const end = decoder.end();
    expect(end.events).toEqual([]);
    // Trace 9 (seen only from a body chunk) and trace 10 (request only).
    expect(end.warnings).toEqual(['2 streamed request(s) had no response when the stream ended']);
  });

  it('reports silent traces as no-response after noResponseMs, with unknown fields left null', () => {
    const clock = {now: 1000};
    const decoder = decoderAt(clock);
    decoder.push(new TextEncoder().encode(segmentsText));
    clock.now += 59_999;
    expect(decoder.sweep().events).toEqual([]);
    clock.now += 1;
    const swept = decoder.sweep().events;
    expect(swept.map((e) => [e.method, e.path, e.outcome])).toEqual([
      [null, null, 'no-response'],
      ['GET', '/slow', 'no-response'],
    ]);
  });

  it('completes a response without trailers or length after idleMs of silence', () => {
    const assembler = new SegmentAssembler({idleMs: 2000});
    const seg = (piece: EnvoyStreamedSegment) => ({trace_id: '42', ...piece});
    expect(assembler.push(seg({request_headers: {headers: [{key: ':method', value: 'GET'}]}}), 0)).toEqual([]);
    expect(assembler.push(seg({response_headers: {headers: [{key: ':status', value: '200'}]}}), 10)).toEqual([]);
    expect(assembler.push(seg({response_body_chunk: {as_string: 'chunk', truncated: false}}), 500)).toEqual([]);
    expect(assembler.sweep(2499)).toEqual([]);
    const [done] = assembler.sweep(2500);
    expect(done.responseBody).toEqual({bytes: 5, truncated: false});
    expect(assembler.openCount).toBe(0);
  });

  it('completes at once when no body can follow (HEAD, 204, content-length 0)', () => {
    const assembler = new SegmentAssembler();
    const headers = (id: string, method: string, status: string, extra: {key: string; value: string}[] = []) => {
      assembler.push({trace_id: id, request_headers: {headers: [{key: ':method', value: method}]}}, 0);
      return assembler.push({trace_id: id, response_headers: {headers: [{key: ':status', value: status}, ...extra]}}, 1);
    };
    expect(headers('1', 'HEAD', '200')).toHaveLength(1);
    expect(headers('2', 'GET', '204')).toHaveLength(1);
    expect(headers('3', 'GET', '200', [{key: 'content-length', value: '0'}])).toHaveLength(1);
    expect(headers('4', 'GET', '200')).toHaveLength(0);
  });

  it('stays within maxOpen: evicts the least recently active trace, counting drops', () => {
    const assembler = new SegmentAssembler({maxOpen: 3});
    const request = (id: number) => ({trace_id: id, request_headers: {headers: [{key: ':path', value: `/${id}`}]}});
    assembler.push(request(1), 0);
    assembler.push(request(2), 1);
    assembler.push({trace_id: 1, response_headers: {headers: [{key: ':status', value: '200'}]}}, 2);
    assembler.push(request(3), 3);
    // Full: trace 2 is the least recently active and has no response → dropped.
    expect(assembler.push(request(4), 4)).toEqual([]);
    expect(assembler.dropped).toBe(1);
    // Next is trace 1, which has a response → completed rather than dropped.
    const [completed] = assembler.push(request(5), 5);
    expect(completed.requestHeaders).toEqual([[':path', '/1']]);
    expect(assembler.dropped).toBe(1);
    expect(assembler.openCount).toBe(3);
  });
});
