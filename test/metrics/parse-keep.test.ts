import {describe, expect, it} from 'vitest';
import {MetricsParseError, parsePrometheusText} from '../../src/metrics/parse.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';

const DIALECT_PREFIXES = ['response_', 'request_total', 'tcp_', 'istio_requests', 'istio_request_duration', 'process_start'];
const dialectKeep = (name: string) => DIALECT_PREFIXES.some((prefix) => name.startsWith(prefix));

/** Every metric name a line mentions: the name after HELP/TYPE/UNIT, or the sample name. */
function namesMentioned(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const words = line.split(' ');
    if (/^# (HELP|TYPE|UNIT) /.test(line)) names.add(words[2]);
    else if (line !== '' && !line.startsWith('#')) names.add(words[0].split('{')[0]);
  }
  return names;
}

describe('keep', () => {
  it('skips lines it refuses without reading them', () => {
    const parsed = parsePrometheusText('bad{a=unquoted} 1\n# HELP bad also \\q odd\nbad x y z\ngood 2\n', {keep: (name) => name !== 'bad'});
    expect(parsed.families.map((f) => f.name)).toEqual(['good']);
    expect(parsed.samples('bad')).toEqual([]);
  });

  it('drops a skipped family and its samples; a kept sample of a skipped family stands alone', () => {
    const text = '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n# TYPE g gauge\ng 2\n';
    expect(parsePrometheusText(text, {keep: (name) => name.startsWith('g')}).families.map((f) => [f.name, f.type])).toEqual([['g', 'gauge']]);
    const partial = parsePrometheusText(text, {keep: (name) => name === 'h_count'});
    expect(partial.families.map((f) => [f.name, f.type, f.samples.length])).toEqual([['h_count', 'untyped', 1]]);
  });

  it('a sample after a skipped declaration does not join the family declared before it', () => {
    const text = '# TYPE a counter\n# TYPE b counter\na_total 1\n';
    const parsed = parsePrometheusText(text, {keep: (name) => name !== 'b'});
    expect(parsed.families.map((f) => [f.name, f.samples.length])).toEqual([['a', 1]]);
  });
});

describe.skipIf(!HAVE_SHARED_FIXTURES)('keep on real captures', () => {
  it.each([
    'linkerd/metrics/linkerd2-testutil-sampleMetrics.txt',
    'linkerd/metrics/datadog-linkerd_v2.txt',
    'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt',
  ])('%s: kept families are identical to an unfiltered parse, skipped ones are absent', (path) => {
    const text = readSharedFixture(path);
    const full = parsePrometheusText(text);
    const filtered = parsePrometheusText(text, {keep: dialectKeep});
    const expectedNames = full.families.map((f) => f.name).filter(dialectKeep);
    expect(expectedNames.length).toBeGreaterThan(0);
    expect(expectedNames.length).toBeLessThan(full.families.length);
    expect(filtered.families.map((f) => f.name)).toEqual(expectedNames);
    for (const family of filtered.families) {
      expect(family).toEqual(full.families.find((f) => f.name === family.name));
    }
    for (const name of namesMentioned(text)) {
      expect(filtered.samples(name), name).toEqual(dialectKeep(name) ? full.samples(name) : []);
    }
  });

  it('asks once per distinct name', () => {
    const text = readSharedFixture('linkerd/metrics/datadog-linkerd_v2.txt');
    const asked: string[] = [];
    parsePrometheusText(text, {
      keep: (name) => {
        asked.push(name);
        return dialectKeep(name);
      },
    });
    expect(new Set(asked).size).toBe(asked.length);
    expect(new Set(asked)).toEqual(namesMentioned(text));
  });
});

describe('independent calls', () => {
  it('a result stays as it was after later parses', () => {
    const first = parsePrometheusText('# TYPE a counter\na_total{x="1"} 1\na_total{x="2"} 2\n');
    parsePrometheusText('# TYPE a gauge\na{x="9"} 9\nb 3\n');
    expect(() => parsePrometheusText('broken{')).toThrow(MetricsParseError);
    expect(first.families.map((f) => [f.name, f.type, f.samples.map((s) => [s.labels.x, s.value])])).toEqual([['a', 'counter', [['1', 1], ['2', 2]]]]);
    expect(first.samples('a_total')).toHaveLength(2);
    expect(first.samples('b')).toEqual([]);
  });

  it('a keep callback may itself parse', () => {
    const parsed = parsePrometheusText('a{x="1"} 1\nb{y="2"} 2\n', {
      keep: (name) => parsePrometheusText(`${name}{z="3"} 3\n`).samples(name)[0].labels.z === '3',
    });
    expect(parsed.families.flatMap((f) => f.samples).map((s) => [s.name, s.labels, s.value])).toEqual([
      ['a', {x: '1'}, 1],
      ['b', {y: '2'}, 2],
    ]);
  });
});
