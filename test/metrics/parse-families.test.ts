import {describe, expect, it} from 'vitest';
import {parsePrometheusText} from '../../src/metrics/parse.js';

function shape(text: string): Array<[string, string, string[]]> {
  return parsePrometheusText(text).families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)]);
}

describe('family resolution', () => {
  it('histogram: _bucket, _sum, _count and _created, in either order', () => {
    expect(shape('# TYPE h histogram\nh_sum 1\nh_count 2\nh_created 3\nh_bucket{le="+Inf"} 2\n')).toEqual([
      ['h', 'histogram', ['h_sum', 'h_count', 'h_created', 'h_bucket']],
    ]);
  });

  it('summary: the bare name with quantiles, _sum, _count, _created', () => {
    expect(shape('# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 2\ns_count 3\ns_created 4\n')).toEqual([
      ['s', 'summary', ['s', 's_sum', 's_count', 's_created']],
    ]);
  });

  it('counter: legacy names that end in _total, and OpenMetrics _total/_created', () => {
    expect(shape('# TYPE request_total counter\nrequest_total 1\n# TYPE x counter\nx_total 2\nx_created 3\n')).toEqual([
      ['request_total', 'counter', ['request_total']],
      ['x', 'counter', ['x_total', 'x_created']],
    ]);
  });

  it('a HELP line alone declares a family too', () => {
    const [family] = parsePrometheusText('# HELP g Some gauge.\ng 1\n').families;
    expect([family.name, family.type, family.help, family.samples.length]).toEqual(['g', 'untyped', 'Some gauge.', 1]);
  });

  it('a suffix the type does not own makes a family of its own', () => {
    expect(shape('# TYPE g gauge\ng 1\ng_total 2\ng_bucket 3\n')).toEqual([
      ['g', 'gauge', ['g']],
      ['g_total', 'untyped', ['g_total']],
      ['g_bucket', 'untyped', ['g_bucket']],
    ]);
  });

  it('samples without any TYPE/HELP form untyped families named after the sample', () => {
    expect(shape('a_total 1\na_total{x="y"} 2\nb_bucket{le="1"} 3\n')).toEqual([
      ['a_total', 'untyped', ['a_total', 'a_total']],
      ['b_bucket', 'untyped', ['b_bucket']],
    ]);
  });

  it('a family repeated further down (very old Envoy) collects all its samples in one place', () => {
    const text = '# TYPE a counter\na{i="1"} 1\n# TYPE b gauge\nb 2\n# TYPE a counter\na{i="2"} 3\n';
    const parsed = parsePrometheusText(text);
    expect(shape(text)).toEqual([
      ['a', 'counter', ['a', 'a']],
      ['b', 'gauge', ['b']],
    ]);
    expect(parsed.families[0].samples.map((s) => s.labels.i)).toEqual(['1', '2']);
  });

  it('a sample after another family finds the earlier family it belongs to', () => {
    expect(shape('# TYPE h histogram\nh_bucket{le="1"} 1\n# TYPE g gauge\ng 1\nh_count 1\n')).toEqual([
      ['h', 'histogram', ['h_bucket', 'h_count']],
      ['g', 'gauge', ['g']],
    ]);
  });

  it('the nearest declaration wins when two families could own a sample name', () => {
    const text = '# TYPE x_count counter\n# TYPE x histogram\nx_count 1\n# TYPE x_count counter\nx_count 2\n';
    expect(shape(text)).toEqual([
      ['x_count', 'counter', ['x_count']],
      ['x', 'histogram', ['x_count']],
    ]);
    const parsed = parsePrometheusText(text);
    expect(parsed.families.map((f) => f.samples.map((s) => s.value))).toEqual([[2], [1]]);
  });

  it('a later TYPE, HELP or UNIT for the same name updates the family', () => {
    const [family] = parsePrometheusText('# TYPE a gauge\n# HELP a old\na 1\n# TYPE a counter\n# HELP a new\n# UNIT a bytes\n').families;
    expect([family.type, family.help, family.unit, family.samples.length]).toEqual(['counter', 'new', 'bytes', 1]);
  });

  it('samples(name) finds samples by exact sample name across families', () => {
    const parsed = parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\nother 5\n');
    expect(parsed.samples('h_bucket').map((s) => s.value)).toEqual([1, 2]);
    expect(parsed.samples('h_count').map((s) => s.value)).toEqual([2]);
    expect(parsed.samples('h')).toEqual([]);
    expect(parsed.samples('other')[0].value).toBe(5);
  });

  it('lists families in order of first appearance', () => {
    expect(shape('c 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\na 1\nc 2\n').map(([name]) => name)).toEqual(['c', 'b', 'a']);
  });
});
