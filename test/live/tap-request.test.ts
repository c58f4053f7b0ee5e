import {describe, expect, it} from 'vitest';
import {explainTapRefusal} from '../../src/dialects/envoy/tap-errors.js';
import {buildMatch, buildTapRequest} from '../../src/dialects/envoy/tap-request.js';
import {linkerdTapUnsupported} from '../../src/dialects/linkerd/tap-unsupported.js';
import {EXIT} from '../../src/exit-codes.js';
import {NO_FILTER, parseTapFilter} from '../../src/views/tap-filter.js';

describe('TapRequest body', () => {
  it('with no filters matches everything and streams buffered JSON traces to the admin sink', () => {
    expect(buildTapRequest(NO_FILTER)).toEqual({
      config_id: 'meshctl',
      tap_config: {
        match: {any_match: true},
        output_config: {
          sinks: [{format: 'JSON_BODY_AS_BYTES', streaming_admin: {}}],
          max_buffered_rx_bytes: 1024,
          max_buffered_tx_bytes: 1024,
          streaming: false,
        },
      },
    });
  });

  it('uses a single predicate without and_match (Envoy requires at least two rules in a set)', () => {
    expect(buildMatch(parseTapFilter({method: 'get'}), 'string-match')).toEqual({
      http_request_headers_match: {headers: [{name: ':method', string_match: {exact: 'GET'}}]},
    });
  });

  it('combines request and response header matches with and_match', () => {
    const filter = parseTapFilter({method: 'POST', path: '/api', authority: 'Books:7002', status: '5xx'});
    expect(buildMatch(filter, 'string-match')).toEqual({
      and_match: {
        rules: [
          {
            http_request_headers_match: {
              headers: [
                {name: ':method', string_match: {exact: 'POST'}},
                {name: ':authority', string_match: {exact: 'Books:7002', ignore_case: true}},
                {name: ':path', string_match: {prefix: '/api'}},
              ],
            },
          },
          {http_response_headers_match: {headers: [{name: ':status', string_match: {prefix: '5'}}]}},
        ],
      },
    });
  });

  it('writes the pre-1.20 header matcher fields in legacy style', () => {
    const filter = parseTapFilter({method: 'GET', path: '~^/books/[0-9]+$', status: '503'});
    expect(buildMatch(filter, 'legacy')).toEqual({
      and_match: {
        rules: [
          {
            http_request_headers_match: {
              headers: [
                {name: ':method', exact_match: 'GET'},
                {name: ':path', safe_regex_match: {google_re2: {}, regex: '.*(?:^/books/[0-9]+$).*'}},
              ],
            },
          },
          {http_response_headers_match: {headers: [{name: ':status', exact_match: '503'}]}},
        ],
      },
    });
  });

  it('wraps a path regex for Envoy’s whole-value matching, and leaves RE2-incompatible ones to the client', () => {
    expect(buildMatch(parseTapFilter({path: '~books'}), 'string-match')).toEqual({
      http_request_headers_match: {headers: [{name: ':path', string_match: {safe_regex: {regex: '.*(?:books).*'}}}]},
    });
    expect(buildMatch(parseTapFilter({path: '~^/(?!health)'}), 'string-match')).toEqual({any_match: true});
    expect(buildMatch(parseTapFilter({path: '~(a)\\1'}), 'string-match')).toEqual({any_match: true});
  });

  it('passes through the config id, buffer sizes and streaming choice', () => {
    const request = buildTapRequest(NO_FILTER, {configId: 'istio-tap', maxBufferedRxBytes: 0, maxBufferedTxBytes: 64, streaming: true});
    expect(request.config_id).toBe('istio-tap');
    expect(request.tap_config.output_config).toMatchObject({max_buffered_rx_bytes: 0, max_buffered_tx_bytes: 64, streaming: true});
  });

  it('leaves minimum latency to the client side', () => {
    expect(buildMatch(parseTapFilter({minLatency: '250ms'}), 'string-match')).toEqual({any_match: true});
  });
});

describe('Envoy /tap refusals', () => {
  // The texts are Envoy's own (source/extensions/common/tap/admin.cc).
  it('says when another client holds the one tap stream', () => {
    const {error, retryLegacy} = explainTapRefusal('envoy-a', 400, 'An attached /tap admin stream already exists. Detach it.', 'meshctl');
    expect(error.message).toBe('envoy-a: another client is already tapping this proxy (Envoy allows one /tap stream at a time)');
    expect(error.hint).toMatch(/stop the other tap/);
    expect(retryLegacy).toBe(false);
  });

  it('explains an unknown config id with the filter to add', () => {
    const {error} = explainTapRefusal('envoy-a', 400, "Unknown config id 'meshctl'. No extension has registered with this id.", 'meshctl');
    expect(error.message).toBe('envoy-a: no tap filter is registered with config id "meshctl"');
    expect(error.hint).toMatch(/envoy\.filters\.http\.tap/);
    expect(error.hint).toMatch(/--tap-config-id/);
  });

  it('explains a proxy without any /tap handler', () => {
    const {error} = explainTapRefusal('envoy-a', 404, 'invalid path. admin commands are:', 'meshctl');
    expect(error.message).toMatch(/no \/tap handler/);
  });

  it('asks for a legacy retry when string_match is unknown', () => {
    const body = 'INVALID_ARGUMENT:(tap_config.match.http_request_headers_match.headers[0]) string_match: Cannot find field.';
    expect(explainTapRefusal('envoy-a', 400, body, 'meshctl').retryLegacy).toBe(true);
  });

  it('quotes anything else, cut to one line', () => {
    const {error} = explainTapRefusal('envoy-a', 400, `/tap requires a JSON/YAML body\nmore`, 'meshctl');
    expect(error.message).toBe('envoy-a: Envoy refused the tap request (HTTP 400: /tap requires a JSON/YAML body)');
  });

  it('explains that Linkerd proxies cannot be tapped through the admin port', () => {
    const error = linkerdTapUnsupported('web-0');
    expect(error.exitCode).toBe(EXIT.UNSUPPORTED);
    expect(error.message).toMatch(/^web-0: Linkerd proxies cannot be tapped through their admin port/);
    expect(error.hint).toMatch(/meshctl top/);
  });
});
