import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {killLeftoverCollectors, records, startCollector} from '../tracing/helpers/collector-process.js';
import {decodeRpcStatus, post} from '../tracing/helpers/post.js';
import {requestWithSpans, spanBody} from '../tracing/helpers/proto-bytes.js';
import {protobufRequest, type SpanSpec} from '../tracing/helpers/sdk-spans.js';

afterEach(() => killLeftoverCollectors());

const PROTOBUF = {'content-type': 'application/x-protobuf'};
const T = '5b8efff798038103d269b633813fc60c';

/** A hand-built OTLP/JSON request with what the SDK cannot send: kvlists, bytes, empty values, base64 ids. */
const JSON_PAYLOAD = `{
  "resourceSpans": [{
    "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "json-client"}}], "droppedAttributesCount": 1},
    "schemaUrl": "https://example.com/r",
    "scopeSpans": [{
      "scope": {"name": "hand", "version": "0", "attributes": [{"key": "s", "value": {"boolValue": false}}], "droppedAttributesCount": 2},
      "schemaUrl": "https://example.com/s",
      "spans": [{
        "traceId": "${T}",
        "spanId": "7uGbfsPBsXQ=",
        "name": "json span",
        "kind": 2,
        "startTimeUnixNano": 1700000000123456789,
        "endTimeUnixNano": "1700000000133456789",
        "traceState": "k=v",
        "flags": 257,
        "attributes": [
          {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "inner", "value": {"intValue": "9007199254740993"}}]}}},
          {"key": "raw", "value": {"bytesValue": "AP8Q"}},
          {"key": "none", "value": {}},
          {"key": "arr", "value": {"arrayValue": {"values": [{"doubleValue": 1.5}, {"stringValue": "x"}]}}}
        ],
        "events": [{"timeUnixNano": "1700000000125000000", "name": "ev", "attributes": [], "droppedAttributesCount": 3}],
        "droppedEventsCount": 4,
        "droppedLinksCount": 5,
        "status": {"code": 2, "message": "json failure"}
      }]
    }]
  }]
}`;

describe('trace collect: OTLP/JSON', () => {
  it('decodes a hand-built JSON request, every field as sent', async () => {
    const collector = await startCollector(['-o', 'json', '--idle', '5s']);
    const reply = await post(collector.url, JSON_PAYLOAD, {'content-type': 'application/json'});
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('{}');
    await collector.waitFor((out) => records(out, 'span').length === 1);
    const result = await collector.stop();
    expect(records(result.stdout, 'span')[0]).toEqual({
      type: 'span',
      trace_id: T,
      span_id: 'eee19b7ec3c1b174',
      parent_span_id: null,
      name: 'json span',
      kind: 'SERVER',
      service: 'json-client',
      start_time: '2023-11-14T22:13:20.123Z',
      start_time_unix_nano: '1700000000123456789',
      end_time_unix_nano: '1700000000133456789',
      duration_ms: 10,
      status_code: 'ERROR',
      status_message: 'json failure',
      trace_state: 'k=v',
      flags: 257,
      proxy: null,
      proxy_direction: null,
      attributes: {kv: {inner: '9007199254740993'}, raw: 'AP8Q', none: null, arr: [1.5, 'x']},
      dropped_attributes_count: 0,
      events: [{name: 'ev', time_unix_nano: '1700000000125000000', attributes: {}, dropped_attributes_count: 3}],
      dropped_events_count: 4,
      links: [],
      dropped_links_count: 5,
      resource: {'service.name': 'json-client'},
      resource_dropped_attributes_count: 1,
      resource_schema_url: 'https://example.com/r',
      scope_name: 'hand',
      scope_version: '0',
      scope_attributes: {s: false},
      scope_dropped_attributes_count: 2,
      scope_schema_url: 'https://example.com/s',
    });
    // Still open when stopped: shown on the way out.
    expect(records(result.stdout, 'trace')).toEqual([expect.objectContaining({trace_id: T, complete_reason: 'flushed'})]);
  });
});

describe('trace collect: malformed payloads', () => {
  it('answers each with the right status and a one-line stderr message, and keeps serving', async () => {
    const collector = await startCollector(['-o', 'json', '--max-body', '64KiB']);
    const garbage = await post(collector.url, Buffer.from('this is not protobuf'), PROTOBUF);
    // resource_spans → scope_spans → a spans field whose length varint stops half-way.
    const truncated = await post(collector.url, Buffer.from([0x0a, 0x04, 0x12, 0x02, 0x12, 0x80]), PROTOBUF);
    const wrongType = await post(collector.url, 'x', {'content-type': 'text/plain'});
    const huge = await post(collector.url, Buffer.alloc(100 * 1024), PROTOBUF);
    const good = await post(collector.url, requestWithSpans(spanBody(T, '0102030405060708', [0x2a, 4, ...Buffer.from('good')])), PROTOBUF);
    expect([garbage.status, truncated.status, wrongType.status, huge.status, good.status]).toEqual([400, 400, 415, 413, 200]);
    expect(decodeRpcStatus(huge.body).message).toBe('body larger than 64 KiB (after decompression)');
    await collector.waitFor((out) => records(out, 'span').length === 1);
    const result = await collector.stop();

    expect(records(result.stdout, 'span').map((record) => record.name)).toEqual(['good']);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('meshctl: 127.0.0.1:'));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^meshctl: 127\.0\.0\.1:\d+: 400 POST \/v1\/traces: bad OTLP protobuf: .+/);
    expect(problems[1]).toMatch(/: 400 POST \/v1\/traces: bad OTLP protobuf: resource_spans\[0\]\.scope_spans\[0\]: truncated varint at byte 5$/);
    expect(problems[2]).toMatch(/: 415 POST \/v1\/traces: unsupported Content-Type "text\/plain"/);
    expect(problems[3]).toMatch(/: 413 POST \/v1\/traces: body larger than 64 KiB/);
    expect(result.code).toBe(130);
  });
});

describe('trace collect: bounded memory', () => {
  it('drops spans over --max-spans-per-trace, warns once, and counts them', async () => {
    const collector = await startCollector(['-o', 'json', '--max-spans-per-trace', '3', '--idle', '200ms']);
    const spans = ['1', '2', '3', '4', '5'].map((id) => spanBody(T, id.padStart(16, '0')));
    expect((await post(collector.url, requestWithSpans(...spans), PROTOBUF)).status).toBe(200);
    await collector.waitFor((out) => records(out, 'trace').length === 1);
    const result = await collector.stop();
    expect(records(result.stdout, 'span')).toHaveLength(5);
    expect(records(result.stdout, 'trace')[0]).toMatchObject({trace_id: T, span_count: 3, dropped_spans: 2});
    expect(records(result.stdout, 'stats')[0]).toMatchObject({spans_received: 5, spans_kept: 3, spans_dropped: 2});
    expect(result.stderr).toContain(`meshctl: trace ${T}: more than 3 spans; later spans of this trace are dropped`);
    expect(result.stderr).toContain('received 5 spans in 1 request, 1 trace shown; 2 spans left out of waterfalls (over the limits)');
  });
});

describe('trace collect: terminal output', () => {
  const out = {direction: 'outbound'};
  const inb = {direction: 'inbound'};
  const linkerd: SpanSpec[] = [
    {traceId: T, spanId: '0000000000000002', name: '/books', kind: 1, start: [1700000000, 10_000_000], end: [1700000000, 90_000_000], attributes: out},
    {traceId: T, spanId: '0000000000000003', parentSpanId: '0000000000000002', name: '/books', kind: 2, start: [1700000000, 12_000_000], end: [1700000000, 88_000_000], attributes: out},
    {traceId: T, spanId: '0000000000000004', parentSpanId: '0000000000000003', name: '/books', kind: 1, start: [1700000000, 20_000_000], end: [1700000000, 80_000_000], attributes: inb},
    {traceId: T, spanId: '0000000000000005', parentSpanId: '0000000000000004', name: '/books\u001b[2J', kind: 2, start: [1700000000, 25_000_000], end: [1700000000, 75_000_000], attributes: inb},
  ];

  it('prints a line per span, and on Ctrl-C the open trace as a waterfall with the proxy split', async () => {
    const collector = await startCollector(['--idle', '30s', '--no-color']);
    const reply = await post(collector.url, protobufRequest({attributes: {'service.name': 'linkerd-proxy'}}, {name: ''}, linkerd), PROTOBUF);
    expect(reply.status).toBe(200);
    await collector.waitFor((stdout) => stdout.split('\n').length >= 6);
    const result = await collector.stop();
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^TIME +TRACE +SERVICE +KIND +NAME +DURATION STATUS$/);
    expect(lines[1]).toMatch(/^22:13:20\.010 5b8efff7 linkerd-proxy +srv out \/books +80\.0ms -$/);
    expect(lines[4]).toMatch(/^22:13:20\.025 5b8efff7 linkerd-proxy +cli in +\/books\\x1b\[2J +50\.0ms -$/);
    expect(result.stdout).not.toContain('\u001b');
    const waterfall = result.stdout.slice(result.stdout.indexOf(`trace ${T}`));
    expect(waterfall.split('\n').slice(0, 2)).toEqual([`trace ${T}  /books  4 spans  1 service  80.0ms`, '  (still open at exit: may be incomplete)']);
    // Outbound: 80 − 76 ms in the proxy; inbound: 60 − 50 ms in the proxy, 50 ms in the service.
    expect(waterfall).toMatch(/\n\/books +linkerd-p… srv out +80\.0ms +4\.00ms +█/);
    expect(waterfall).toMatch(/\n  └ \/books +linkerd-p… srv in +60\.0ms +10\.0ms +50\.0ms +█/);
    expect(waterfall).toContain("    └ /books\\x1b[2J linkerd-p… cli in ");
    expect(result.code).toBe(130);
  });
});

describe('trace collect: usage and startup errors', () => {
  it('refuses a port in use with a clear message and exit 1', async () => {
    const collector = await startCollector();
    const port = new URL(collector.url).port;
    const second = await runCli(['trace', 'collect', '--listen', `127.0.0.1:${port}`], {timeoutMs: 10_000});
    await collector.stop();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`meshctl: cannot listen on 127.0.0.1:${port}: the port is already in use`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--listen', 'nowhere'], 'invalid --listen "nowhere"'],
    [['-o', 'yaml'], 'unknown output format "yaml"'],
    [['--idle', 'soon'], 'invalid duration "soon" for --idle'],
    [['--max-body', 'big'], 'invalid size "big" for --max-body'],
  ])('rejects %j with exit 2', async (args, message) => {
    const result = await runCli(['trace', 'collect', ...args], {timeoutMs: 10_000});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
