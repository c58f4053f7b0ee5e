import {describe, expect, it} from 'vitest';
import {extractContext, injectContext} from '../../src/demo/tracing/context.js';
import type {HeaderList} from '../../src/demo/sidecar/headers.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('trace context propagation', () => {
  it('reads W3C traceparent first, with its sampled flag', () => {
    const headers: HeaderList = [['traceparent', `00-${T}-${S}-01`], ['x-b3-traceid', 'a'.repeat(32)], ['x-b3-spanid', 'b'.repeat(16)]];
    expect(extractContext(headers)).toMatchObject({traceId: T, spanId: S, sampled: true, format: 'w3c'});
    expect(extractContext([['traceparent', `00-${T}-${S}-00`]])?.sampled).toBe(false);
  });

  it('falls back to B3 multi-header, then single-header b3 (64-bit ids widened)', () => {
    expect(extractContext([['x-b3-traceid', T], ['x-b3-spanid', S], ['x-b3-sampled', '1']])).toMatchObject({traceId: T, sampled: true, format: 'b3'});
    expect(extractContext([['b3', `a3ce929d0e0e4736-${S}-1`]])).toMatchObject({traceId: `0000000000000000a3ce929d0e0e4736`, spanId: S, sampled: true, format: 'b3-single'});
  });

  it('ignores malformed contexts', () => {
    for (const value of ['00-xyz', `00-${'0'.repeat(32)}-${S}-01`, `ff-${T}-${S}-01`, `00-${T}-${'0'.repeat(16)}-01`]) {
      expect(extractContext([['traceparent', value]]), value).toBeNull();
    }
  });

  it('rewrites the span id in the format the context came in', () => {
    const w3c: HeaderList = [['traceparent', `00-${T}-${S}-01`]];
    injectContext(w3c, {traceId: T, spanId: '1111111111111111', sampled: true, format: 'w3c'});
    expect(w3c).toEqual([['traceparent', `00-${T}-1111111111111111-01`]]);
    const b3: HeaderList = [['x-b3-traceid', T], ['x-b3-spanid', S], ['x-b3-sampled', '1']];
    injectContext(b3, {traceId: T, spanId: '2222222222222222', sampled: true, format: 'b3'});
    expect(Object.fromEntries(b3)).toEqual({'x-b3-traceid': T, 'x-b3-spanid': '2222222222222222', 'x-b3-parentspanid': S, 'x-b3-sampled': '1'});
  });
});
