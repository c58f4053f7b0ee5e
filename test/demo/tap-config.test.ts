import {describe, expect, it} from 'vitest';
import {parseTapRequest, TapConfigError} from '../../src/demo/flavors/istio/tap/config.js';
import {matches} from '../../src/demo/flavors/istio/tap/matcher.js';
import type {HeaderList} from '../../src/demo/sidecar/headers.js';

const request = (path: string, method = 'GET'): HeaderList => [[':authority', 'books:7002'], [':path', path], [':method', method], [':scheme', 'http'], ['user-agent', 'x']];
const response = (status: number): HeaderList => [[':status', String(status)], ['content-type', 'application/json']];
const session = (match: unknown, output: Record<string, unknown> = {sinks: [{streaming_admin: {}}]}) =>
  parseTapRequest(JSON.stringify({config_id: 'meshctl', tap_config: {match, output_config: output}}));

describe('tap request parsing', () => {
  it('defaults to JSON_BODY_AS_BYTES and 1 KiB body buffers', () => {
    const s = session({any_match: true});
    expect(s).toMatchObject({configId: 'meshctl', format: 'JSON_BODY_AS_BYTES', maxRxBytes: 1024, maxTxBytes: 1024, sink: {kind: 'streaming_admin'}});
  });

  it('reads the deprecated match_config when match is absent', () => {
    const s = parseTapRequest(JSON.stringify({config_id: 'meshctl', tap_config: {match_config: {any_match: true}, output_config: {sinks: [{streaming_admin: {}}]}}}));
    expect(matches(s.match, request('/'), response(200))).toBe(true);
  });

  it.each([
    [{config_id: '', tap_config: {}}, /ConfigId: value length must be at least 1/],
    [{config_id: 'meshctl'}, /TapConfig: value is required/],
    [{config_id: 'meshctl', tap_config: {output_config: {sinks: [{streaming_admin: {}}]}}}, /Neither match nor match_config is set/],
    [{config_id: 'meshctl', tap_config: {match: {any_match: true}, output_config: {sinks: []}}}, /exactly 1 item/],
    [{config_id: 'meshctl', tap_config: {match: {and_match: {rules: [{any_match: true}]}}, output_config: {sinks: [{streaming_admin: {}}]}}}, /at least 2 item/],
    [{config_id: 'meshctl', tap_config: {match: {any_match: true}, output_config: {sinks: [{file_per_tap: {path_prefix: '/tmp/x'}}]}}}, /file_per_tap sink is not supported/],
    [{config_id: 'meshctl', tap_config: {match: {http_request_generic_body_match: {}}, output_config: {sinks: [{streaming_admin: {}}]}}}, /not supported/],
    [{config_id: 'meshctl', bogus: true}, /unknown fields/],
  ])('rejects %j', (body, message) => {
    expect(() => parseTapRequest(JSON.stringify(body))).toThrow(TapConfigError);
    expect(() => parseTapRequest(JSON.stringify(body))).toThrow(message);
  });
});

describe('tap match predicates', () => {
  const header = (name: string, m: Record<string, unknown>) => ({http_request_headers_match: {headers: [{name, ...m}]}});

  it('matches request pseudo-headers by exact, prefix and safe_regex', () => {
    expect(matches(session(header(':path', {string_match: {exact: '/books/1'}})).match, request('/books/1'), response(200))).toBe(true);
    expect(matches(session(header(':path', {string_match: {exact: '/books/1'}})).match, request('/books/12'), response(200))).toBe(false);
    expect(matches(session(header(':path', {string_match: {prefix: '/books'}})).match, request('/books/12'), response(200))).toBe(true);
    // safe_regex must match the whole value, as RE2 full match does.
    expect(matches(session(header(':path', {safe_regex_match: {regex: '/books/[0-9]+'}})).match, request('/books/12'), response(200))).toBe(true);
    expect(matches(session(header(':path', {safe_regex_match: {regex: '/books'}})).match, request('/books/12'), response(200))).toBe(false);
    expect(matches(session(header(':method', {exact_match: 'POST'})).match, request('/books', 'POST'), response(201))).toBe(true);
  });

  it('combines with and / or / not, and matches response :status', () => {
    const failedWrites = {
      and_match: {
        rules: [{http_response_headers_match: {headers: [{name: ':status', string_match: {prefix: '5'}}]}}, {not_match: header(':method', {exact_match: 'GET'})}],
      },
    };
    const m = session(failedWrites).match;
    expect(matches(m, request('/books', 'POST'), response(500))).toBe(true);
    expect(matches(m, request('/books', 'GET'), response(500))).toBe(false);
    expect(matches(m, request('/books', 'POST'), response(201))).toBe(false);
    const either = session({or_match: {rules: [header(':path', {string_match: {exact: '/'}}), header(':path', {string_match: {exact: '/x'}})]}}).match;
    expect(matches(either, request('/x'), response(200))).toBe(true);
    expect(matches(either, request('/y'), response(200))).toBe(false);
  });

  it('inverts a header match and tests presence', () => {
    expect(matches(session(header('x-missing', {present_match: true})).match, request('/'), response(200))).toBe(false);
    expect(matches(session(header('user-agent', {present_match: true})).match, request('/'), response(200))).toBe(true);
    expect(matches(session(header(':path', {string_match: {exact: '/'}, invert_match: true})).match, request('/a'), response(200))).toBe(true);
  });
});

describe('tap trace output', () => {
  const exchange = {
    request: request('/books/1'),
    response: response(200),
    requestBody: null,
    requestTruncated: false,
    responseBody: Buffer.from('{"id":1}'),
    responseTruncated: false,
    requestHeadersAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    responseHeadersAt: Date.UTC(2026, 0, 2, 3, 4, 5, 690),
    downstream: {local: {host: '127.0.1.2', port: 41000}, remote: {host: '127.0.1.3', port: 52000}},
  };
  const timeOnly = {headersReceivedTime: true, downstreamConnection: false};
  const nothing = {headersReceivedTime: false, downstreamConnection: false};

  it('records headers_received_time only when the filter is configured to', async () => {
    const {formatTrace} = await import('../../src/demo/flavors/istio/tap/trace.js');
    const withTime = JSON.parse(formatTrace(exchange, 'JSON_BODY_AS_BYTES', timeOnly));
    expect(withTime.http_buffered_trace.request.headers_received_time).toBe('2026-01-02T03:04:05.678Z');
    const without = JSON.parse(formatTrace(exchange, 'JSON_BODY_AS_BYTES', nothing));
    expect(Object.keys(without.http_buffered_trace.request)).toEqual(['headers', 'trailers']);
    expect(without.http_buffered_trace.response.body).toEqual({truncated: false, as_bytes: Buffer.from('{"id":1}').toString('base64')});
    expect(JSON.parse(formatTrace(exchange, 'JSON_BODY_AS_STRING', nothing)).http_buffered_trace.response.body).toEqual({truncated: false, as_string: '{"id":1}'});
    expect(withTime.http_buffered_trace.downstream_connection).toBeUndefined();
  });

  it('records downstream_connection in Envoy\'s Address shape when the filter is configured to', async () => {
    const {formatTrace} = await import('../../src/demo/flavors/istio/tap/trace.js');
    const trace = JSON.parse(formatTrace(exchange, 'JSON_BODY_AS_BYTES', {headersReceivedTime: true, downstreamConnection: true}));
    expect(trace.http_buffered_trace.downstream_connection).toEqual({
      local_address: {socket_address: {address: '127.0.1.2', port_value: 41000}},
      remote_address: {socket_address: {address: '127.0.1.3', port_value: 52000}},
    });
  });
});
