import {describe, expect, it} from 'vitest';
import {parsePrometheusText} from '../../src/metrics/parse.js';
import type {Sample} from '../../src/metrics/types.js';
import {readOwnFixture} from '../helpers/fixtures.js';

function allSamples(text: string): Sample[] {
  return parsePrometheusText(text).families.flatMap((f) => f.samples);
}

function valueOf(line: string): number {
  const samples = allSamples(line);
  expect(samples).toHaveLength(1);
  return samples[0].value;
}

describe('line structure', () => {
  it('accepts empty input, blank lines, blank-only lines and comments only', () => {
    expect(parsePrometheusText('').families).toEqual([]);
    expect(parsePrometheusText('\n\n  \t\n\r\n').families).toEqual([]);
    expect(parsePrometheusText('#\n# just a comment\n#\t\n').families).toEqual([]);
  });

  it('accepts a last line without a newline', () => {
    expect(allSamples('a 1\nb 2')).toMatchObject([{name: 'a', value: 1}, {name: 'b', value: 2}]);
    expect(allSamples('b{x="y"} 2')).toMatchObject([{labels: {x: 'y'}, value: 2}]);
  });

  it('reads CRLF text exactly like LF text', () => {
    const lf = readOwnFixture('metrics/linkerd-mixed.txt');
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(crlf).not.toBe(lf);
    expect(parsePrometheusText(crlf).families).toEqual(parsePrometheusText(lf).families);
    const help = parsePrometheusText('# HELP a Some help.\r\n# UNIT a seconds\r\na 1\r\n').families[0];
    expect([help.help, help.unit]).toEqual(['Some help.', 'seconds']);
  });

  it('accepts blanks and tabs before a line, around `=`, `,` and braces, and between tokens', () => {
    const [sample] = allSamples('  \tfoo \t{ a = "1" ,\tb="2", } \t 3 \t 4 \t\n');
    expect(sample).toEqual({name: 'foo', labels: {a: '1', b: '2'}, value: 3, timestampMs: 4});
  });

  it('accepts `name{} 5`, no blank after `}`, a trailing comma and colons in names', () => {
    expect(allSamples('envoy_x{} 5\nb{}6\nc{a="1",} 7\nrule:ratio:rate5m 8\n')).toEqual([
      {name: 'envoy_x', labels: {}, value: 5, timestampMs: null},
      {name: 'b', labels: {}, value: 6, timestampMs: null},
      {name: 'c', labels: {a: '1'}, value: 7, timestampMs: null},
      {name: 'rule:ratio:rate5m', labels: {}, value: 8, timestampMs: null},
    ]);
  });

  it('ignores comments that are not HELP, TYPE, UNIT or EOF', () => {
    const parsed = parsePrometheusText('#\n# POD slow-cooker-opaque-pod-mjqsw (1 of 1)\n#\n# HELPER x y\n# EOFX\na 1\n');
    expect(parsed.families.map((f) => [f.name, f.type, f.help])).toEqual([['a', 'untyped', null]]);
  });

  it('reads `#HELP` without a blank like `# HELP`, as Prometheus does', () => {
    expect(parsePrometheusText('#HELP a text\n#\tTYPE a gauge\na 1\n').families[0]).toMatchObject({help: 'text', type: 'gauge'});
  });

  it('stops at `# EOF`: nothing after it is read, not even invalid text', () => {
    const parsed = parsePrometheusText('a 1\n# EOF\nb 2\nnot exposition at all {{{\n');
    expect(parsed.families.map((f) => f.name)).toEqual(['a']);
    expect(parsePrometheusText('a 1\n# EOF').families).toHaveLength(1);
    expect(parsePrometheusText('a 1\n# EOF  \r\nb 2').families).toHaveLength(1);
  });
});

describe('numbers', () => {
  it.each([
    ['NaN', NaN],
    ['nan', NaN],
    ['nAn', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['inf', Infinity],
    ['-INF', -Infinity],
    ['Infinity', Infinity],
    ['+infinity', Infinity],
    ['-Infinity', -Infinity],
    ['0', 0],
    ['-0', -0],
    ['+5', 5],
    ['007', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-2.5e+2', -250],
    ['2.194e-05', 0.00002194],
    ['3.1500000000000003552713678800501', 3.1500000000000004],
    ['0.1', 0.1],
    ['123456789012345', 123456789012345],
    ['1234567890123456789', 1234567890123456800],
    ['1e-400', 0],
  ])('value %s', (token, expected) => {
    expect(Object.is(valueOf(`m ${token}\n`), expected)).toBe(true);
  });

  it('reads integers above 2^53 as the nearest float64, as Prometheus does', () => {
    // 2^53 + 1 is halfway between two floats and rounds to even: 2^53.
    expect(BigInt(valueOf('m 9007199254740993\n'))).toBe(9007199254740992n);
    expect(BigInt(valueOf('m 18446744073709551615\n'))).toBe(18446744073709551616n);
    expect(BigInt(valueOf('m{} 16440392441958861461\n'))).toBe(16440392441958860800n);
  });

  it('reads integer timestamps as milliseconds and fractional ones as OpenMetrics seconds', () => {
    expect(allSamples('a 1 1395066363000\nb 2 -3982045\nc 3 1520879607.789\nd 4 1.5e3\n').map((s) => s.timestampMs)).toEqual([
      1395066363000, -3982045, 1520879607789, 1500000,
    ]);
    expect(allSamples('a 1\n')[0].timestampMs).toBeNull();
  });
});

describe('escapes and raw text', () => {
  it('decodes \\\\, \\" and \\n in label values', () => {
    const [sample] = allSamples('msdos{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1\n');
    expect(sample.labels).toEqual({path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"'});
  });

  it('decodes \\\\ and \\n in HELP and keeps any other backslash as written', () => {
    const [family] = parsePrometheusText('# HELP a Line one\\nline two, C:\\\\dir, tab\\t, trailing\\\n').families;
    expect(family.help).toBe('Line one\nline two, C:\\dir, tab\\t, trailing\\');
  });

  it('keeps raw UTF-8 and raw control characters inside quoted values verbatim', () => {
    const value = 'héllo 😀 \u001b[31mred\u0007 tab\there cr\rthere \u202e';
    const [sample] = allSamples(`m{v="${value}"} 1\n`);
    expect(sample.labels.v).toBe(value);
  });

  it('takes a label named __proto__ as a label, not as a prototype', () => {
    const [sample] = allSamples('m{__proto__="x",constructor="y",toString="z"} 1\nm{__proto__="q",constructor="r",toString="s"} 2\n');
    expect(Object.getPrototypeOf(sample.labels)).toBe(Object.prototype);
    expect(Object.keys(sample.labels)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(sample.labels, '__proto__')?.value).toBe('x');
    const second = allSamples('m{__proto__="x"} 1\nm{__proto__="q"} 2\n')[1];
    expect(Object.getOwnPropertyDescriptor(second.labels, '__proto__')?.value).toBe('q');
    expect(Object.getPrototypeOf(second.labels)).toBe(Object.prototype);
  });
});

describe('OpenMetrics pieces', () => {
  it('accepts and drops exemplars after the value or the timestamp', () => {
    const samples = allSamples('a_bucket{le="1"} 5 # {trace_id="abc"} 1.0 1234\nb_total 6 1700000000000 # {span_id="x",trace_id="y"} 0.5\nc 7 #   {}   2\n');
    expect(samples.map((s) => [s.name, s.labels, s.value, s.timestampMs])).toEqual([
      ['a_bucket', {le: '1'}, 5, null],
      ['b_total', {}, 6, 1700000000000],
      ['c', {}, 7, null],
    ]);
  });

  it('reads the Linkerd-style mixed document (legacy head, OpenMetrics tail, # EOF)', () => {
    const parsed = parsePrometheusText(readOwnFixture('metrics/linkerd-mixed.txt'));
    expect(parsed.families.map((f) => [f.name, f.type, f.unit, f.samples.length])).toEqual([
      ['request_total', 'counter', null, 2],
      ['response_latency_ms', 'histogram', null, 6],
      ['outbound_http_route_request_duration_seconds', 'histogram', 'seconds', 6],
      ['outbound_http_route_backend_requests', 'counter', null, 2],
    ]);
    const buckets = parsed.samples('outbound_http_route_request_duration_seconds_bucket');
    expect(buckets.map((s) => [s.labels.le, s.value])).toEqual([['0.05', 10], ['1.0', 39], ['+Inf', 40]]);
    expect(parsed.samples('outbound_http_route_request_duration_seconds_created')[0].value).toBe(1.7e9);
    expect(parsed.samples('outbound_http_route_backend_requests_total')[0].value).toBe(41);
  });

  it('takes # TYPE values in any case, and any unknown one as `unknown`', () => {
    const parsed = parsePrometheusText('# TYPE a COUNTER\n# TYPE b Gauge\n# TYPE c counter5\n# TYPE d\n# TYPE e gaugehistogram\n');
    expect(parsed.families.map((f) => f.type)).toEqual(['counter', 'gauge', 'unknown', 'unknown', 'gaugehistogram']);
  });
});
