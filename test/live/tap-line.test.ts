import {describe, expect, it} from 'vitest';
import {grpcStatusName, ndjsonLine, tapLines, tapRecord} from '../../src/render/tap-line.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {makeEvent} from './events.js';

/** linkerd prints `tls=…` from its own metadata; Envoy's tap has no such field. */
const withoutTls = (line: string) => line.replace(/ tls=\S*/, '');

describe.skipIf(!HAVE_SHARED_FIXTURES)('text lines in the layout of linkerd viz tap', () => {
  it('matches viz tap_busy_output.golden for the same request', () => {
    const golden = readSharedFixture('linkerd/viz-golden/tap_busy_output.golden').trim().split('\n');
    const event = makeEvent({
      id: '1:0',
      direction: 'outbound',
      source: '0.0.0.1:0',
      destination: '[ff01::1]:0',
      method: 'GET',
      authority: 'localhost',
      path: '/some/path',
      grpcStatus: 666,
      responseHeadersMs: 0,
      endMs: 100_000,
      responseBytes: 1337,
    });
    const [req, , end] = tapLines(event);
    expect(req).toBe(withoutTls(golden[0]));
    expect(end).toBe(withoutTls(golden[1]));
  });

  it('matches the real stable-2.3 capture for an outbound gRPC call and an inbound request', () => {
    const capture = readSharedFixture('linkerd/cli-output/stable-2.3-tap.txt').split('\n');
    const outbound = makeEvent({
      id: '15:24',
      direction: 'outbound',
      source: '10.1.230.237:38136',
      destination: '10.1.230.252:8080',
      method: 'POST',
      authority: 'emoji-svc.emojivoto:8080',
      path: '/emojivoto.v1.EmojiService/FindByShortcode',
      status: 200,
      latencyMs: 2.807,
      grpcStatus: 0,
      responseHeadersMs: 1000,
      endMs: 1000.077,
      responseBytes: 30,
    });
    const lines = tapLines(outbound);
    expect(lines).toEqual([withoutTls(capture[2]), withoutTls(capture[3]), withoutTls(capture[4])]);

    const inbound = makeEvent({
      id: '15:23',
      direction: 'inbound',
      source: '10.1.230.250:58966',
      destination: '10.1.230.237:80',
      authority: 'web-svc.emojivoto:80',
      path: '/api/vote',
    });
    expect(tapLines(inbound)[0]).toBe(withoutTls(capture[1]));
  });
});

describe('tap line content', () => {
  it('prints no rsp line and error=no-response when there was no response; leaves unknowns out', () => {
    const lines = tapLines(makeEvent({id: '0:1', outcome: 'no-response', status: null, latencyMs: null, responseBytes: null, direction: null, source: null}));
    expect(lines).toEqual([
      'req id=0:1 proxy=?   dst=10.0.0.2:8080 :method=GET :authority=books:8080 :path=/books/1',
      'end id=0:1 proxy=?   dst=10.0.0.2:8080 error=no-response',
    ]);
  });

  it('shows workloads as namespace/name and latency in µs', () => {
    const [, rsp] = tapLines(makeEvent({destination: {name: 'books', namespace: 'shop'}, latencyMs: 19}));
    expect(rsp).toBe('rsp id=0:0 proxy=in  src=10.0.0.1:40000 dst=shop/books :status=200 latency=19000µs');
  });

  it('neutralises terminal escapes and bidi controls in every value', () => {
    const hostile = makeEvent({
      path: '/\u001b[2J\u001b]0;owned\u0007',
      authority: 'evil\u202e.com',
      source: 'x\r\ny',
    });
    const text = tapLines(hostile).join('\n');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain(':path=/\\x1b[2J\\x1b]0;owned\\x07');
    expect(text).toContain(':authority=evil\\u202e.com');
    expect(text).toContain('src=x\\x0d\\x0ay');
  });

  it('names gRPC codes as Go does and unknown ones as Code(n)', () => {
    expect([0, 1, 4, 14, 16, 17].map(grpcStatusName)).toEqual(['OK', 'Canceled', 'DeadlineExceeded', 'Unavailable', 'Unauthenticated', 'Code(17)']);
  });
});

describe('NDJSON records', () => {
  it('is flat, snake_case, with units in names and null for unknown', () => {
    const record = tapRecord(
      makeEvent({source: {name: 'web', namespace: 'shop'}, latencyMs: null, latencySource: null, requestHeaders: [['accept', '*/*']]}),
    );
    expect(record).toMatchObject({
      id: '0:0',
      proxy: 'proxy-a',
      direction: 'inbound',
      source: 'shop/web',
      source_address: '10.0.0.1:40000',
      status: 200,
      latency_ms: null,
      latency_source: null,
      response_bytes: 100,
      end_ms: null,
      request_headers: [['accept', '*/*']],
    });
    for (const value of Object.values(record)) {
      const flat = value === null || ['string', 'number', 'boolean'].includes(typeof value) || Array.isArray(value);
      expect(flat).toBe(true);
    }
  });

  it('writes one line that is safe on a terminal and decodes to the same value', () => {
    const value = {path: '/a\u009b31m\u202e\u2028b', esc: '\u001b[0m', text: 'café'};
    const line = ndjsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});
