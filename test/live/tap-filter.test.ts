import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/errors.js';
import {matchesTapFilter, NO_FILTER, parseTapFilter} from '../../src/views/tap-filter.js';
import {makeEvent} from './events.js';

describe('tap filter flags', () => {
  it('parses each flag', () => {
    expect(parseTapFilter({method: ' post ', path: '/api', authority: 'web:80', status: '5XX', minLatency: '1.5s'})).toEqual({
      method: 'POST',
      path: {kind: 'prefix', value: '/api'},
      authority: 'web:80',
      status: {kind: 'class', digit: 5},
      minLatencyMs: 1500,
    });
    expect(parseTapFilter({status: '404'}).status).toEqual({kind: 'code', code: 404});
    expect(parseTapFilter({path: '~^/v[12]/'}).path).toMatchObject({kind: 'regex', source: '^/v[12]/'});
  });

  it.each([
    [{method: 'GE T'}, /--method/],
    [{path: 'api'}, /--path needs a prefix starting with "\/"/],
    [{path: '~'}, /--path ~ needs a regular expression/],
    [{path: '~(unclosed'}, /--path: invalid regular expression/],
    [{status: '600'}, /--status/],
    [{status: 'ok'}, /--status/],
    [{authority: ' '}, /--authority needs a value/],
    [{minLatency: 'fast'}, /--min-latency/],
  ])('rejects %j with a usage error', (flags, message) => {
    expect(() => parseTapFilter(flags)).toThrow(UsageError);
    expect(() => parseTapFilter(flags)).toThrow(message);
  });
});

describe('client-side tap filtering', () => {
  const event = makeEvent({method: 'POST', path: '/api/v2/books?x=1', authority: 'Books:7002', status: 503, latencyMs: 120});

  it('passes everything with no filter', () => {
    expect(matchesTapFilter(event, NO_FILTER)).toBe(true);
  });

  it.each([
    [{method: 'POST'}, true],
    [{method: 'GET'}, false],
    [{path: '/api/v2'}, true],
    [{path: '/v2'}, false],
    [{path: '~/v[0-9]/books'}, true],
    [{path: '~^/books'}, false],
    [{authority: 'books:7002'}, true],
    [{authority: 'books:7003'}, false],
    [{status: '5xx'}, true],
    [{status: '503'}, true],
    [{status: '500'}, false],
    [{status: '2xx'}, false],
    [{minLatency: '120ms'}, true],
    [{minLatency: '121ms'}, false],
    [{method: 'POST', status: '5xx', minLatency: '100ms'}, true],
    [{method: 'POST', status: '4xx'}, false],
  ])('%j → %s', (flags, expected) => {
    expect(matchesTapFilter(event, parseTapFilter(flags))).toBe(expected);
  });

  it('excludes requests of unknown latency or status from filters on them', () => {
    const unknown = makeEvent({latencyMs: null, status: null, outcome: 'no-response'});
    expect(matchesTapFilter(unknown, parseTapFilter({minLatency: '0ms'}))).toBe(false);
    expect(matchesTapFilter(unknown, parseTapFilter({status: '5xx'}))).toBe(false);
  });
});
