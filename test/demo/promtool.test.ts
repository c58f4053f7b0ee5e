import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {getText, sleep, startTestMesh} from './helpers/mesh.js';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
if (!PROMTOOL) process.stderr.write('\n[meshctl tests] NOTICE: promtool not found (Debian package "prometheus"); promtool checks are SKIPPED\n\n');

interface Check {
  /** 0: clean; 3: lint problems only; 1: the text could not be parsed. */
  status: number | null;
  output: string;
  /** Lint problem kinds with the metric name stripped, e.g. `no help text`. */
  kinds: Set<string>;
}

function promtool(text: string): Check {
  const run = spawnSync(PROMTOOL!, ['check', 'metrics'], {input: text, encoding: 'utf8', timeout: 20_000});
  const output = `${run.stdout}${run.stderr}`;
  const kinds = new Set(output.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/^\S+ /, '')));
  return {status: run.status, output, kinds};
}

/**
 * CI runs `promtool check metrics` on every sidecar's metrics output. "Zero errors" means:
 * promtool parses it (exit status is not 1 and no "error while linting" line). Lint findings
 * (exit status 3) are allowed only of the kinds promtool also reports for the real proxy
 * captures: real proxies do not follow every Prometheus naming rule.
 */
describe.skipIf(!PROMTOOL)('promtool check metrics on every sidecar', () => {
  describe.each([
    {flavor: 'linkerd' as const, path: '/metrics', fixtures: ['linkerd/metrics/linkerd2-testutil-sampleMetrics.txt', 'linkerd/metrics/datadog-linkerd_v2.txt']},
    {flavor: 'istio' as const, path: '/stats/prometheus', fixtures: ['envoy/envoy-vanilla.stats-prometheus.txt', 'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt']},
  ])('$flavor flavour', ({flavor, path, fixtures}) => {
    let mesh: RunningMesh;
    let outputs: Array<{pod: string; text: string}>;

    beforeAll(async () => {
      mesh = await startTestMesh({flavor, rps: 30});
      await sleep(flavor === 'istio' ? 5600 : 1500);
      outputs = await Promise.all(mesh.pods.map(async (p) => ({pod: p.info.name, text: (await getText(`${p.sidecar.endpoints().url}${path}`)).text})));
    }, 20_000);
    afterAll(() => mesh?.stop());

    it('parses every sidecar\'s output without errors', () => {
      for (const {pod, text} of outputs) {
        const check = promtool(text);
        expect(check.output, pod).not.toMatch(/error while linting|parsing error/);
        expect([0, 3], `${pod}: ${check.output}`).toContain(check.status);
      }
    });

    it.skipIf(!HAVE_SHARED_FIXTURES)('reports only lint findings of the kinds real captures also get', () => {
      const real = new Set<string>();
      // The Istio capture was stored without its final newline, which promtool would reject.
      const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
      for (const fixture of fixtures) for (const kind of promtool(withNewline(readSharedFixture(fixture))).kinds) real.add(kind);
      // The OpenMetrics tail of a current linkerd2-proxy (`name_total` samples under a TYPE
      // without `_total`) reads as HELP-less families to a 0.0.4 parser, as the real excerpt shows.
      if (flavor === 'linkerd') for (const kind of promtool(readSharedFixture('linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt').replace('counter5', 'counter')).kinds) real.add(kind);
      for (const {pod, text} of outputs) {
        const extra = [...promtool(text).kinds].filter((k) => !real.has(k));
        expect(extra, pod).toEqual([]);
      }
    });
  });
});
