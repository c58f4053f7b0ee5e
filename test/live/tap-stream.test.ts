import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {JsonObjectSplitter, type SplitItem} from '../../src/dialects/envoy/tap-stream.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';

const encoder = new TextEncoder();

function feed(splitter: JsonObjectSplitter, bytes: Uint8Array, cuts: number[]): SplitItem[] {
  const out: SplitItem[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(start, cut)));
    start = cut;
  }
  out.push(...splitter.end());
  return out;
}

function texts(items: SplitItem[]): string[] {
  return items.map((item) => {
    if (!item.ok) throw new Error(`unexpected error item ${JSON.stringify(item.error)}`);
    return item.text;
  });
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('splitter over the real admin /tap capture', () => {
  const trace = HAVE_SHARED_FIXTURES ? readSharedFixture('envoy/envoy-admin-tap-stream.buffered-trace.json') : '';
  const expected = HAVE_SHARED_FIXTURES ? JSON.parse(trace) : null;
  // The capture is exactly one object; the splitter must hand back its text unchanged.
  const objectText = trace.trim();

  for (const [label, separator] of [
    ['back to back', ''],
    ['newline between', '\n'],
    ['mixed whitespace between', ' \r\n\t '],
  ] as const) {
    it(`finds 3 traces ${label}, split at every byte boundary`, () => {
      const bytes = encoder.encode([trace, trace, trace].join(separator));
      const wrongCuts: number[] = [];
      for (let cut = 0; cut <= bytes.length; cut++) {
        const objects = texts(feed(new JsonObjectSplitter(), bytes, [cut]));
        if (objects.length !== 3 || objects.some((text) => text !== objectText)) wrongCuts.push(cut);
      }
      expect(wrongCuts).toEqual([]);
      expect(JSON.parse(objectText)).toEqual(expected);
    });
  }

  it('finds 50 traces fed one byte at a time', () => {
    const bytes = encoder.encode(trace.repeat(50));
    const cuts = Array.from({length: bytes.length - 1}, (_, i) => i + 1);
    const objects = texts(feed(new JsonObjectSplitter(), bytes, cuts));
    expect(objects).toHaveLength(50);
    expect(JSON.parse(objects[49])).toEqual(expected);
  });
});

describe('splitter on hostile input', () => {
  it('keeps a UTF-8 character split across chunks intact, at every boundary', () => {
    const value = {path: '/caf\u00e9/\u{1F600}/\u4e2d\u6587', note: 'ß'};
    const bytes = encoder.encode(JSON.stringify(value) + JSON.stringify(value));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const objects = texts(feed(new JsonObjectSplitter(), bytes, [cut]));
      expect(objects.map((t) => JSON.parse(t))).toEqual([value, value]);
    }
  });

  it('ignores braces and quotes inside strings, escaped quotes and backslashes', () => {
    const tricky = [
      '{"a":"}{"}',
      '{"a":"\\"}"}',
      '{"a":"\\\\"}',
      '{"a":"\\\\\\"{"}',
      '{"a":"\\u007b\\u007d"}',
      '{"a":{"b":["}",{"c":"{"}]}}',
    ];
    const bytes = encoder.encode(tricky.join(''));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(texts(feed(new JsonObjectSplitter(), bytes, [cut]))).toEqual(tricky);
    }
  });

  it('handles nesting 10,000 levels deep without recursion', () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const objects = texts(feed(new JsonObjectSplitter(), encoder.encode(deep + deep), [12_345]));
    expect(objects).toEqual([deep, deep]);
  });

  it('skips garbage between objects, reporting it once per run, and keeps the objects', () => {
    const bytes = encoder.encode('{"n":1}garbage!!{"n":2}\n\n]]{"n":3}tail');
    const items = feed(new JsonObjectSplitter(), bytes, [9, 20]);
    expect(items).toEqual([
      {ok: true, text: '{"n":1}'},
      {ok: false, error: {kind: 'garbage', bytes: 9, preview: 'garbage!!'}},
      {ok: true, text: '{"n":2}'},
      {ok: false, error: {kind: 'garbage', bytes: 2, preview: ']]'}},
      {ok: true, text: '{"n":3}'},
      {ok: false, error: {kind: 'garbage', bytes: 4, preview: 'tail'}},
    ]);
  });

  it('reports an object over the size limit once and resyncs on the next one', () => {
    const big = `{"pad":"${'x'.repeat(300)}","inner":{"s":"}"}}`;
    const bytes = encoder.encode(`{"n":1}${big}{"n":2}`);
    const items = feed(new JsonObjectSplitter({maxObjectBytes: 100}), bytes, [20, 150, 250]);
    expect(items).toEqual([
      {ok: true, text: '{"n":1}'},
      {ok: false, error: {kind: 'too-large', bytes: encoder.encode(big).length, limit: 100}},
      {ok: true, text: '{"n":2}'},
    ]);
  });

  it('reports a stream that ends inside an object', () => {
    const items = feed(new JsonObjectSplitter(), encoder.encode('{"n":1}{"n":"unfinished'), [3]);
    expect(items).toEqual([{ok: true, text: '{"n":1}'}, {ok: false, error: {kind: 'truncated', bytes: 16}}]);
  });

  it('does not depend on the caller keeping its chunk buffers intact', () => {
    const splitter = new JsonObjectSplitter();
    const chunk = new Uint8Array(8);
    const write = (text: string) => {
      chunk.fill(0x20);
      chunk.set(encoder.encode(text));
      return splitter.push(chunk.subarray(0, text.length));
    };
    expect(write('{"ab":')).toEqual([]);
    expect(write('"cd"}')).toEqual([{ok: true, text: '{"ab":"cd"}'}]);
  });

  it('property: any JSON objects, whitespace between, any chunking, come back equal', () => {
    const object = fc.dictionary(fc.string(), fc.jsonValue({maxDepth: 3}));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(object, fc.stringMatching(/^[ \n\r\t]{0,3}$/)), {minLength: 1, maxLength: 5}),
        fc.array(fc.nat(), {maxLength: 8}),
        (objects, rawCuts) => {
          const bytes = encoder.encode(objects.map(([value, ws]) => JSON.stringify(value, null, 1) + ws).join(''));
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const parsed = texts(feed(new JsonObjectSplitter(), bytes, cuts)).map((t) => JSON.parse(t));
          expect(parsed).toEqual(objects.map(([value]) => JSON.parse(JSON.stringify(value))));
        },
      ),
      {numRuns: 300},
    );
  });
});
