import {describe, expect, it} from 'vitest';
import {linkerd} from '../../src/dialects/linkerd/index.js';
import type {ProxyInfo} from '../../src/dialects/types.js';
import {parsePrometheusText} from '../../src/metrics/parse.js';
import {HAVE_SHARED_FIXTURES, readSharedFixture} from '../helpers/fixtures.js';

const info = (pod: string | null, namespace: string | null): ProxyInfo => ({
  identity: {pod, workload: null, namespace, serviceAccount: null, source: 'env.json'},
  version: null,
  ready: null,
  notes: [],
});

function snapshotOf(fixture: string, pod: string | null = 'web-5d9f8c6b57-x2kqp', url = 'http://127.0.0.1:4191') {
  const text = readSharedFixture(fixture);
  const metrics = parsePrometheusText(text, {keep: linkerd.keep});
  expect(linkerd.recognizes(metrics)).toBe(true);
  return {text, snapshot: linkerd.toSnapshot(metrics, {name: 'p', url}, info(pod, 'emojivoto'), 0)};
}

/** Independent of the parser: sum the values of matching sample lines. */
function sumLines(text: string, prefix: string, ...needles: string[]): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix) && needles.every((n) => l.includes(n)))
    .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe.skipIf(!HAVE_SHARED_FIXTURES)('linkerd2-proxy mapping over real captures', () => {
  it('stable-2.3 era dump: inbound and outbound responses, by the proxy\'s classification', () => {
    const {text, snapshot} = snapshotOf('linkerd/metrics/datadog-linkerd_v2.txt');
    const inbound = snapshot.http.filter((c) => c.direction === 'inbound');
    expect(inbound.reduce((a, c) => a + c.value, 0)).toBe(sumLines(text, 'response_total{', 'direction="inbound"'));
    expect(inbound.every((c) => c.dst?.name === 'web' && c.dst.namespace === 'emojivoto')).toBe(true);
    const toPrometheus = snapshot.http.find((c) => c.dst?.name === 'linkerd-prometheus');
    expect(toPrometheus).toMatchObject({direction: 'outbound', dst: {name: 'linkerd-prometheus', namespace: 'linkerd', kind: 'deployment'}, tls: true, value: 16275, success: true, status: '200'});
    // An outbound request with no authority has no destination workload.
    expect(snapshot.http.find((c) => c.direction === 'outbound' && c.dst === null)?.value).toBe(6);
    // Inbound clients with an mTLS identity are known by service account.
    expect(inbound.some((c) => c.src?.name === 'linkerd-web' && c.src.namespace === 'linkerd' && c.src.kind === 'serviceaccount')).toBe(true);
    expect(snapshot.latency.filter((l) => l.direction === 'inbound')).toHaveLength(10);
    expect(snapshot.startTimeSec).toBe(1560322933);
  });

  it('2022 dump: admin-port traffic is left out; outbound TCP to the destination kept', () => {
    const {snapshot} = snapshotOf('linkerd/metrics/linkerd2-testutil-sampleMetrics.txt');
    // all inbound HTTP in this capture went to the admin port 4191 (probes and scrapes)
    expect(snapshot.http.filter((c) => c.direction === 'inbound')).toEqual([]);
    expect(snapshot.tcp).toHaveLength(1);
    expect(snapshot.tcp[0]).toMatchObject({
      direction: 'outbound',
      dst: {name: 'opaque-pod', namespace: 'linkerd-opaque-ports-test', kind: 'deployment'},
      tls: true,
      openConnections: 1,
      readBytes: 8323,
      writeBytes: 3763,
    });
  });

  it('2026 labels: target_addr/zone labels, always-present grpc_status and error', () => {
    const {snapshot} = snapshotOf('linkerd/metrics/playground-bel-2026-proxy-metrics-grep-excerpt.txt');
    expect(snapshot.http.map((c) => [c.direction, c.dst?.name, c.status, c.success, c.value])).toEqual([
      ['outbound', 'playground-server-http-primary', '503', false, 65],
      ['outbound', 'playground-server-http-canary', '503', false, 7],
    ]);
    expect(snapshot.http[0].authority).toBe('playground-server-http.playground.svc.cluster.local:8080');
    expect(snapshot.http[0].port).toBe('8080');
  });

  it('without identity the workload comes from the pod-like target name', () => {
    const text = readSharedFixture('linkerd/metrics/datadog-linkerd_v2.txt');
    const metrics = parsePrometheusText(text, {keep: linkerd.keep});
    const s = linkerd.toSnapshot(metrics, {name: 'books-64c68d6d46-7p9kq', url: 'http://127.0.0.1:4191'}, info(null, null), 0);
    expect(s.http.find((c) => c.direction === 'inbound')?.dst).toEqual({name: 'books', namespace: null, kind: 'deployment'});
  });
});
