import {describe, expect, it} from 'vitest';
import {TapDecoder} from '../../src/dialects/envoy/tap-decoder.js';
import {TraceMapper, partsFromBuffered} from '../../src/dialects/envoy/tap-trace.js';
import {isSuccess, type TrafficEvent} from '../../src/model/traffic.js';
import {HAVE_SHARED_FIXTURES, readOwnFixture, readSharedFixture} from '../helpers/fixtures.js';

const NOW = 1_700_000_000_000;
const context = {proxy: 'web-envoy', proxyIndex: 2, direction: 'inbound' as const, now: () => NOW};

function decodeAll(text: string, chunkSize = 13): {events: TrafficEvent[]; warnings: string[]} {
  const decoder = new TapDecoder(context);
  const bytes = new TextEncoder().encode(text);
  const events: TrafficEvent[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    const result = decoder.push(bytes.subarray(i, i + chunkSize));
    events.push(...result.events);
    warnings.push(...result.warnings);
  }
  const last = decoder.end();
  return {events: [...events, ...last.events], warnings: [...warnings, ...last.warnings]};
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('buffered traces from the real captures', () => {
  it('maps the admin /tap stream capture (values read from the file by hand)', () => {
    const text = readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json');
    const {events, warnings} = decodeAll(text);
    expect(warnings).toEqual([]);
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event).toMatchObject({
      id: '2:0',
      proxy: 'web-envoy',
      direction: 'inbound',
      method: 'POST',
      scheme: 'https',
      authority: 'localhost:8080',
      path: '/post',
      status: 200,
      grpcStatus: null,
      // x-envoy-upstream-service-time: 19; no headers_received_time in this capture.
      latencyMs: 19,
      latencySource: 'upstream-service-time',
      // content-length 13 and 506.
      requestBytes: 13,
      responseBytes: 506,
      requestBodyTruncated: false,
      responseBodyTruncated: false,
      outcome: 'response',
      route: null,
      source: null,
      destination: null,
      requestStartMs: null,
      responseHeadersMs: null,
      endMs: null,
      observedAtMs: NOW,
    });
    expect(event.requestHeaders).toHaveLength(13);
    expect(event.requestHeaders[11]).toEqual(['x-request-id', '71292137-0566-4962-ace1-eb2d4ad9120b']);
    expect(event.responseHeaders).toHaveLength(8);
    expect(event.responseHeaders[1]).toEqual(['date', 'Fri, 04 Jun 2021 19:51:22 GMT']);
    expect(event.responseTrailers).toEqual([]);
    expect(isSuccess(event)).toBe(true);
  });

  it('maps the file_per_tap capture (values read from the file by hand)', () => {
    const text = readSharedFixture('envoy/envoy-tap-file_per_tap.json_body_as_bytes.json');
    const [event] = decodeAll(text, 4096).events;
    expect(event).toMatchObject({
      method: 'POST',
      scheme: 'http',
      authority: 'localhost:8080',
      path: '/post',
      status: 200,
      latencyMs: 26,
      latencySource: 'upstream-service-time',
      requestBytes: 13,
      responseBytes: 506,
    });
    expect(event.requestHeaders.find(([name]) => name === 'x-request-id')?.[1]).toBe('230534ca-ebec-402e-83a8-a9702bf8fd78');
  });

  it('counts captured body bytes when content-length is absent', () => {
    const trace = JSON.parse(readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json'));
    const response = trace.http_buffered_trace.response;
    response.headers = response.headers.filter((h: {key: string}) => h.key !== 'content-length');
    const event = new TraceMapper(context).toEvent(partsFromBuffered(trace.http_buffered_trace));
    expect(event.responseBytes).toBe(Buffer.from(response.body.as_bytes, 'base64').length);
    expect(event.responseBytes).toBe(506);
  });

  it('numbers events of one proxy in order', () => {
    const text = readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json');
    expect(decodeAll(text.repeat(3)).events.map((e) => e.id)).toEqual(['2:0', '2:1', '2:2']);
  });
});

describe('buffered trace with timestamps, connections and gRPC trailers', () => {
  const [event] = decodeAll(readOwnFixture('live/buffered-grpc-with-timestamps.json')).events;

  it('takes latency from headers_received_time, to the microsecond', () => {
    // 10:00:00.135000 − 10:00:00.123456789 = 11.543211 ms (not the header's 12).
    expect(event.latencySource).toBe('headers-received-time');
    // Kept to the microsecond.
    expect(event.latencyMs).toBe(11.543);
    expect(event.requestStartMs).toBeCloseTo(Date.UTC(2024, 4, 1, 10, 0, 0) + 123.456789, 3);
    expect(event.responseHeadersMs).toBe(Date.UTC(2024, 4, 1, 10, 0, 0) + 135);
  });

  it('reads source and destination from the connections (IPv6 bracketed)', () => {
    expect(event.sourceAddress).toBe('10.1.230.237:48742');
    expect(event.destinationAddress).toBe('[fd00::17]:8080');
    expect(event.source).toBe('10.1.230.237:48742');
  });

  it('puts the proxy’s own workload on its side when direction is known', () => {
    const self = {name: 'voting', namespace: 'emojivoto'};
    const parts = partsFromBuffered(JSON.parse(readOwnFixture('live/buffered-grpc-with-timestamps.json')).http_buffered_trace);
    const inbound = new TraceMapper({...context, self}).toEvent(parts);
    expect(inbound.destination).toEqual(self);
    expect(inbound.source).toBe('10.1.230.237:48742');
    const outbound = new TraceMapper({...context, direction: 'outbound', self}).toEvent(parts);
    expect(outbound.source).toEqual(self);
    expect(outbound.destination).toBe('[fd00::17]:8080');
  });

  it('reads grpc-status from trailers, the route, raw_value headers and body sizes', () => {
    expect(event.grpcStatus).toBe(14);
    expect(isSuccess(event)).toBe(false);
    expect(event.route).toBe('voting-svc.emojivoto.svc.cluster.local:8080/*');
    expect(event.requestHeaders).toContainEqual(['x-raw-only', 'raw value']);
    // No content-length: the request body was truncated (size unknown), the response was not (5 bytes).
    expect(event.requestBytes).toBeNull();
    expect(event.requestBodyTruncated).toBe(true);
    expect(event.responseBytes).toBe(5);
  });

  it('reports a trace without response as no-response', () => {
    const trace = JSON.parse(readOwnFixture('live/buffered-grpc-with-timestamps.json')).http_buffered_trace;
    delete trace.response;
    const noResponse = new TraceMapper(context).toEvent(partsFromBuffered(trace));
    expect(noResponse).toMatchObject({outcome: 'no-response', status: null, responseBytes: null, latencyMs: null});
    expect(isSuccess(noResponse)).toBe(false);
  });
});

describe('decoder warnings', () => {
  it('skips socket traces, invalid JSON and unknown kinds but keeps going', () => {
    const ok = '{"http_buffered_trace":{"request":{"headers":[{"key":":path","value":"/a"}]},"response":{"headers":[{"key":":status","value":"204"}]}}}';
    const text = `${ok}{"socket_buffered_trace":{}}{"x": tru}{"other":1}[1]${ok}`;
    const {events, warnings} = decodeAll(text, 5);
    expect(events.map((e) => [e.path, e.status])).toEqual([
      ['/a', 204],
      ['/a', 204],
    ]);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/TCP \(socket\) trace/);
    expect(warnings[1]).toMatch(/not valid JSON/);
    expect(warnings[2]).toMatch(/unknown kind/);
    expect(warnings[3]).toMatch(/not JSON between traces/);
  });
});
