import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {histogramQuantile} from '../../src/metrics/histogram.js';
import type {Histogram} from '../../src/model/histogram.js';
import {HAVE_PROMETHEUS, startPrometheus, type PrometheusServer} from '../helpers/prometheus.js';
import {startServer, type TestServer} from '../helpers/servers.js';

/**
 * Cross-check of our histogram_quantile against a real Prometheus: serve a set of histograms
 * as exposition text, let Prometheus scrape them, ask it for histogram_quantile(φ, h_bucket)
 * and compare with our computation on the same buckets. Prometheus is the reference; nothing
 * here is derived from meshctl's own output.
 */

const LINKERD_MS = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000, Infinity];
const ENVOY_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000, Infinity];
const ROUTE_S = [0.05, 0.5, 1, 10, Infinity];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomHistogram(bounds: number[], random: () => number, shape: 'normal' | 'sparse' | 'tail' | 'empty' | 'inf' | 'nonmonotonic'): Histogram {
  let running = 0;
  const cumulative = bounds.map((_, i) => {
    if (shape === 'empty') return 0;
    if (shape === 'inf') return i === bounds.length - 1 ? 7 : 0;
    if (shape === 'sparse') running += random() < 0.2 ? Math.floor(random() * 5) : 0;
    else if (shape === 'tail') running += i > bounds.length - 4 ? Math.floor(random() * 50) : Math.floor(random() * 3);
    else running += Math.floor(random() * 20);
    return running;
  });
  if (shape === 'nonmonotonic' && cumulative.length > 3) cumulative[2] = cumulative[3] + 5;
  const count = cumulative[cumulative.length - 1];
  return {bounds, cumulative, sum: 0, count};
}

const CASES: {name: string; histogram: Histogram}[] = [];
{
  const random = rng(42);
  const shapes = ['normal', 'sparse', 'tail', 'empty', 'inf', 'nonmonotonic'] as const;
  let i = 0;
  for (const bounds of [LINKERD_MS, ENVOY_MS, ROUTE_S, [-5, 0, 5, Infinity]]) {
    for (const shape of shapes) {
      for (let rep = 0; rep < 3; rep++) CASES.push({name: `c${i++}`, histogram: randomHistogram(bounds, random, shape)});
    }
  }
}

function exposition(): string {
  const lines = ['# TYPE h histogram'];
  for (const c of CASES) {
    c.histogram.bounds.forEach((bound, j) => {
      const le = bound === Infinity ? '+Inf' : String(bound);
      lines.push(`h_bucket{case="${c.name}",le="${le}"} ${c.histogram.cumulative[j]}`);
    });
    lines.push(`h_sum{case="${c.name}"} 0`, `h_count{case="${c.name}"} ${c.histogram.count}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!HAVE_PROMETHEUS)('histogramQuantile matches a real Prometheus histogram_quantile', () => {
  let target: TestServer;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    const body = exposition();
    target = await startServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(body);
    });
    prometheus = await startPrometheus([`127.0.0.1:${target.port}`]);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const result = await prometheus.query('count(h_count)');
      if (result.length > 0 && Number(result[0].value[1]) === CASES.length) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('prometheus never scraped the histograms');
  }, 40_000);

  afterAll(async () => {
    await prometheus?.stop();
    await target?.close();
  });

  for (const q of [0, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
    it(`φ=${q} for ${CASES.length} histograms (linkerd, envoy, route and negative bounds; sparse, tail, empty, +Inf-only, non-monotonic)`, async () => {
      const result = await prometheus.query(`histogram_quantile(${q}, h_bucket)`);
      const theirs = new Map(result.map((r) => [r.metric.case, Number(r.value[1])]));
      expect(theirs.size).toBe(CASES.length);
      for (const c of CASES) {
        const expected = theirs.get(c.name) as number;
        const ours = histogramQuantile(q, c.histogram);
        if (Number.isNaN(expected)) {
          expect(ours, c.name).toBeNull();
        } else {
          expect(ours, c.name).not.toBeNull();
          expect(ours!.value, `${c.name} ${JSON.stringify(c.histogram.cumulative)}`).toBeCloseTo(expected, 9);
        }
      }
    });
  }
});
