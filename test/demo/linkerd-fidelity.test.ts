import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningMesh} from '../../src/demo/mesh/assemble.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';
import {getText, podsOf, sleep, startTestMesh} from './helpers/mesh.js';
import {bucketBounds, label, labelNames, parseExposition, type Exposition} from './helpers/prom.js';

/** Holds the linkerd flavour's `/metrics` against real linkerd2-proxy captures. */
describe.skipIf(!HAVE_SHARED_FIXTURES)('linkerd flavour /metrics against real captures', () => {
  let mesh: RunningMesh;
  let webapp: Exposition;
  let webappText: string;
  let traffic: Exposition;
  const fixture = (name: string) => parseExposition(readSharedFixture(`linkerd/metrics/${name}`));

  beforeAll(async () => {
    mesh = await startTestMesh({flavor: 'linkerd', rps: 40});
    await sleep(1500);
    webappText = (await getText(`${podsOf(mesh, 'webapp')[0].sidecar.endpoints().url}/metrics`)).text;
    webapp = parseExposition(webappText);
    traffic = parseExposition((await getText(`${podsOf(mesh, 'traffic')[0].sidecar.endpoints().url}/metrics`)).text);
  });
  afterAll(() => mesh?.stop());

  it('uses the HELP and TYPE lines of the real legacy families', () => {
    const real = fixture('linkerd2-testutil-sampleMetrics.txt');
    for (const name of ['request_total', 'response_latency_ms', 'response_total', 'tcp_open_total', 'tcp_open_connections', 'tcp_read_bytes_total', 'tcp_write_bytes_total', 'tcp_close_total', 'inbound_http_authz_allow_total', 'identity_cert_expiration_timestamp_seconds', 'identity_cert_refresh_count', 'process_start_time_seconds']) {
      const ours = webapp.families.get(name);
      const theirs = real.families.get(name);
      expect(theirs, `fixture has ${name}`).toBeDefined();
      expect(ours?.type, `${name} TYPE`).toBe(theirs?.type);
      expect(ours?.help, `${name} HELP`).toBe(theirs?.help);
    }
  });

  it('writes ServiceProfile route families as the proxy does', () => {
    const real = fixture('datadog-linkerd_v2.txt');
    for (const name of ['route_request_total', 'route_response_latency_ms', 'route_response_total', 'route_actual_request_total', 'route_actual_response_total']) {
      expect(traffic.families.get(name)?.type, name).toBe(real.families.get(name)?.type);
      expect(traffic.families.get(name)?.help, name).toBe(real.families.get(name)?.help);
    }
    const route = traffic.samples.find((s) => s.name === 'route_request_total' && label(s, 'direction') === 'outbound');
    expect(labelNames(route!)).toEqual(['direction', 'dst', 'rt_route']);
    expect(label(route!, 'dst')).toBe('webapp.booksapp.svc.cluster.local:7000');
  });

  it('uses the proxy latency bucket bounds, buckets then _count then _sum', () => {
    const real = fixture('linkerd2-testutil-sampleMetrics.txt');
    expect(bucketBounds(webapp, 'response_latency_ms_bucket')).toEqual(bucketBounds(real, 'response_latency_ms_bucket'));
    expect(bucketBounds(webapp, 'response_latency_ms_bucket')).toHaveLength(26);
    const lines = webapp.lines.filter((l) => l.name.startsWith('response_latency_ms_'));
    const firstCount = lines.findIndex((l) => l.name === 'response_latency_ms_count');
    expect(lines.slice(0, firstCount).every((l) => l.name === 'response_latency_ms_bucket')).toBe(true);
    expect(lines[firstCount + 1].name).toBe('response_latency_ms_sum');
    // Bucket label `le` comes last in the legacy encoder.
    const bucket = webapp.samples.find((s) => s.name === 'response_latency_ms_bucket')!;
    expect(labelNames(bucket).at(-1)).toBe('le');
  });

  it('orders inbound and outbound endpoint labels exactly as a 2026 proxy does', () => {
    const real = parseExposition(readSharedFixture('linkerd/metrics/playground-bel-2026-proxy-metrics-grep-excerpt.txt'));
    const realInbound = real.samples.find((s) => s.name === 'response_total' && label(s, 'direction') === 'inbound')!;
    const realOutbound = real.samples.find((s) => s.name === 'response_total' && label(s, 'direction') === 'outbound')!;
    const ourInbound = webapp.samples.find((s) => s.name === 'response_total' && label(s, 'direction') === 'inbound' && label(s, 'tls') === 'true')!;
    const ourOutbound = webapp.samples.find((s) => s.name === 'response_total' && label(s, 'direction') === 'outbound')!;
    // The real inbound sample is from a plaintext client: client_id takes no_tls_reason's place.
    expect(labelNames(ourInbound)).toEqual(labelNames(realInbound).map((n) => (n === 'no_tls_reason' ? 'client_id' : n)));
    expect(labelNames(ourOutbound)).toEqual(labelNames(realOutbound));
    expect(label(ourOutbound, 'server_id')).toMatch(/^[a-z]+\.booksapp\.serviceaccount\.identity\.linkerd\.cluster\.local$/);
    expect(label(ourInbound, 'client_id')).toBe('traffic.booksapp.serviceaccount.identity.linkerd.cluster.local');
  });

  it('keeps the transport label layout of the real proxy (newer labels added in place)', () => {
    const real = fixture('linkerd2-testutil-sampleMetrics.txt');
    const pick = (e: Exposition, direction: string, peer: string, tls: (v: string | undefined) => boolean) =>
      e.samples.find((s) => s.name === 'tcp_open_total' && label(s, 'direction') === direction && label(s, 'peer') === peer && tls(label(s, 'tls')));
    const cases: Array<[string, string, (v: string | undefined) => boolean]> = [
      ['outbound', 'src', (v) => v === 'no_identity'],
      ['outbound', 'dst', (v) => v === 'true'],
      ['inbound', 'src', (v) => v === 'no_identity'],
    ];
    for (const [direction, peer, tls] of cases) {
      const theirs = labelNames(pick(real, direction, peer, tls)!);
      const ours = labelNames(pick(webapp, direction, peer, tls)!);
      const positions = theirs.map((n) => ours.indexOf(n));
      expect(positions.every((p) => p >= 0), `${direction}/${peer}: ${theirs.join(',')} within ${ours.join(',')}`).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('writes the policy-router families in the OpenMetrics style of a real scrape', () => {
    const pretty = (name: string) =>
      readSharedFixture(`linkerd/metrics/${name}`)
        .split('\n')
        .map((l) => /^\s+([a-z_]+)="/.exec(l)?.[1])
        .filter((n): n is string => Boolean(n));
    const backendStatus = webapp.samples.find((s) => s.name === 'outbound_http_route_backend_response_statuses_total')!;
    expect(labelNames(backendStatus)).toEqual(pretty('2.16-docs-outbound_http_route_backend_response_statuses_total.pretty.txt'));
    const requestStatus = webapp.samples.find((s) => s.name === 'outbound_http_route_request_statuses_total')!;
    expect(labelNames(requestStatus)).toEqual(pretty('edge-docs-egress-outbound_http_route_request_statuses_total.pretty.txt'));

    const real = parseExposition(readSharedFixture('linkerd/metrics/schlep-outbound_grpc_route-excerpt.txt').replace('counter5', 'counter'));
    for (const [ours, theirs] of [
      ['outbound_http_route_request_duration_seconds', 'outbound_grpc_route_request_duration_seconds'],
      ['outbound_http_route_backend_response_duration_seconds', 'outbound_grpc_route_backend_response_duration_seconds'],
    ]) {
      expect(bucketBounds(webapp, `${ours}_bucket`)).toEqual(bucketBounds(real, `${theirs}_bucket`));
      expect(webapp.families.get(ours)?.unit).toBe('seconds');
      const order = webapp.lines.filter((l) => l.name.startsWith(ours)).map((l) => l.kind === 'sample' ? l.name.slice(ours.length) : l.kind);
      const realOrder = real.lines.filter((l) => l.name.startsWith(theirs)).map((l) => l.kind === 'sample' ? l.name.slice(theirs.length) : l.kind);
      expect(order.slice(0, 6)).toEqual(realOrder.slice(0, 6));
      const bucket = webapp.samples.find((s) => s.name === `${ours}_bucket`)!;
      expect(labelNames(bucket)[0]).toBe('le');
    }
    for (const [ours, theirs] of [
      ['outbound_http_route_request_statuses', 'outbound_grpc_route_request_statuses'],
      ['outbound_http_route_backend_requests', 'outbound_grpc_route_backend_requests'],
    ]) {
      expect(webapp.families.get(ours)?.type).toBe(real.families.get(theirs)?.type);
      expect(webapp.families.get(ours)?.help).toMatch(/\.$/);
    }
  });

  it('ends the body with # EOF and a newline', () => {
    expect(webappText.endsWith('# EOF\n')).toBe(true);
    expect(webapp.lines.filter((l) => l.kind === 'eof')).toHaveLength(1);
  });
});
