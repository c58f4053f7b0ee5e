import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {fakeEnvoy, fakeLinkerd, istioServerInfo, linkerdEnv} from '../helpers/fake-proxies.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {HAVE_PROMETHEUS, startPrometheus, type PrometheusServer} from '../helpers/prometheus.js';
import type {TestServer} from '../helpers/servers.js';

/**
 * `meshctl stat -t 0` over real captures, checked against a real Prometheus scraping the very
 * same bytes and answering the queries `linkerd viz stat` and Istio's dashboards use.
 */
const LINKERD = 'linkerd/metrics/datadog-linkerd_v2.txt';
const ISTIO = 'envoy/istio-1.11-sidecar.merged-15020.stats-prometheus.txt';

describe.skipIf(!HAVE_SHARED_FIXTURES || !HAVE_PROMETHEUS)('stat over real captures agrees with Prometheus', () => {
  let linkerd: TestServer;
  let istio: TestServer;
  let prometheus: PrometheusServer;

  const scalar = async (expr: string) => {
    const result = await prometheus.query(expr);
    expect(result, expr).toHaveLength(1);
    return Number(result[0].value[1]);
  };

  beforeAll(async () => {
    const linkerdText = readSharedFixture(LINKERD);
    const istioText = readSharedFixture(ISTIO);
    linkerd = await fakeLinkerd({metrics: () => linkerdText, env: linkerdEnv('linkerd-controller-5d9f8c6b57-x2kqp', 'linkerd')});
    istio = await fakeEnvoy({stats: () => istioText, serverInfo: istioServerInfo('reviews-v1-545db77b95-xz7kq', 'default', 'reviews-v1')});
    prometheus = await startPrometheus([`127.0.0.1:${linkerd.port}`, {address: `127.0.0.1:${istio.port}`, path: '/stats/prometheus'}]);
    await untilScraped(prometheus);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await linkerd?.close();
    await istio?.close();
  });

  it('Linkerd capture: success, requests and percentiles of inbound traffic since start', async () => {
    const result = await runCli(['stat', '-t', '0', '-o', 'json', '-p', `ctl=${linkerd.url}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({kind: 'workload', name: 'linkerd-controller', namespace: 'linkerd', proxies: 1});
    const requests = await scalar('sum(response_total{direction="inbound"})');
    expect(row.requests).toBe(requests);
    expect(row.success).toBeCloseTo(
      await scalar('sum(response_total{direction="inbound",classification="success"}) / sum(response_total{direction="inbound"})'),
      6,
    );
    for (const q of ['50', '95', '99']) {
      const expected = await scalar(`histogram_quantile(0.${q}, sum by (le) (response_latency_ms_bucket{direction="inbound"}))`);
      expect(row[`latency_ms_p${q}`], `p${q}`).toBeCloseTo(expected, 6);
    }
    // Since-start rate: the requests over the proxy's uptime (process_start_time_seconds).
    const start = await scalar('process_start_time_seconds');
    expect(row.rps).toBeCloseTo(requests / (Date.now() / 1000 - start), 6);
  });

  it('Istio capture: the server-side (reporter="destination") view, no double counting', async () => {
    const result = await runCli(['stat', '-t', '0', '-o', 'json', '-p', `reviews=${istio.url}`]);
    expect(result.code).toBe(0);
    const [row] = JSON.parse(result.stdout);
    expect(row).toMatchObject({name: 'reviews-v1', namespace: 'default'});
    expect(row.requests).toBe(await scalar('sum(istio_requests_total{reporter="destination"})'));
    expect(row.success).toBe(
      await scalar('sum(istio_requests_total{reporter="destination",response_code!~"5..|0"}) / sum(istio_requests_total{reporter="destination"})'),
    );
    for (const q of ['50', '95', '99']) {
      const expected = await scalar(`histogram_quantile(0.${q}, sum by (le) (istio_request_duration_milliseconds_bucket{reporter="destination"}))`);
      expect(row[`latency_ms_p${q}`], `p${q}`).toBeCloseTo(expected, 6);
    }
    // Envoy's uptime gauge gives the window: requests / 1056 s.
    expect(row.rps).toBeCloseTo(row.requests / (await scalar('envoy_server_uptime')), 3);
  });

  it('table output names the workload and shows percentiles with units', async () => {
    const result = await runCli(['stat', '-t', '0', '-p', `ctl=${linkerd.url}`]);
    expect(result.code).toBe(0);
    const [header, line] = result.stdout.trimEnd().split('\n');
    expect(header.split(/\s+/)).toEqual(['NAME', 'PROXIES', 'SUCCESS', 'RPS', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'TCP_CONN']);
    expect(line).toMatch(/^linkerd-controller\s+1\/1\s+\d+\.\d\d%\s+\S+rps\s+\S+ms\s+\S+ms\s+\S+ms\s+\d+$/);
  });
});

async function untilScraped(prometheus: PrometheusServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const up = await prometheus.query('sum(up)');
    const istio = await prometheus.query('count(istio_requests_total)');
    const linkerd = await prometheus.query('count(response_total)');
    if (up.length > 0 && Number(up[0].value[1]) === 2 && istio.length > 0 && linkerd.length > 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('prometheus did not scrape both captures');
}
