import {describe, expect, it} from 'vitest';
import {linkerdAdvice, tracingConfigFor, type LinkerdProxy} from '../../../src/tracing/toggles/linkerd-advice.js';

const proxy = (name: string, version: string | null, collector?: string | null, kind?: string): LinkerdProxy => ({
  workload: {name, namespace: 'shop', kind},
  version,
  collector,
});

describe('which Linkerd tracing configuration a proxy version calls for', () => {
  it.each([
    ['v2.326.0', 'helm-values'],
    ['v2.359.0', 'helm-values'],
    ['v2.294.0', 'jaeger-annotations'],
    ['v2.207.0', 'jaeger-annotations'],
    ['2.294.0', 'jaeger-annotations'],
    // Edge releases between 2.18 and 2.19: either may apply.
    ['v2.310.0', 'unknown'],
    ['stable-2.14.0', 'unknown'],
    [null, 'unknown'],
  ])('%s → %s', (version, config) => {
    expect(tracingConfigFor(version)).toBe(config);
  });
});

describe('the Linkerd explanation for trace enable', () => {
  it('gives 2.19+ proxies the control-plane values and a restart per workload', () => {
    const text = linkerdAdvice([proxy('books', 'v2.326.0', null), proxy('webapp', 'v2.326.0', null, 'statefulset')], 'enable');
    expect(text).toContain('cannot switch span emission at runtime, so 2 Linkerd proxies were left unchanged');
    expect(text).toContain('(traceparent ...-01, or x-b3-sampled: 1)');
    expect(text).toContain('Linkerd 2.19 and later (here: proxy v2.326.0)');
    for (const key of ['proxy.tracing.enabled=true', 'proxy.tracing.collector.endpoint=', 'proxy.tracing.collector.meshIdentity.serviceAccountName=', 'proxy.tracing.collector.meshIdentity.namespace=']) {
      expect(text).toContain(`--set ${key}`);
    }
    expect(text).not.toContain('config.linkerd.io/trace-collector');
    expect(text).toContain('kubectl rollout restart deploy/books -n shop\n');
    expect(text).toContain('kubectl rollout restart sts/webapp -n shop\n');
  });

  it('gives 2.18 and earlier the linkerd-jaeger annotations', () => {
    const text = linkerdAdvice([proxy('books', 'v2.294.0', null)], 'enable');
    expect(text).toContain('1 Linkerd proxy was left unchanged');
    expect(text).toContain('Linkerd 2.18 and earlier (here: proxy v2.294.0)');
    expect(text).toContain('config.linkerd.io/trace-collector: COLLECTOR_HOST:PORT');
    expect(text).toContain('config.alpha.linkerd.io/trace-collector-service-account: COLLECTOR_SERVICE_ACCOUNT');
    expect(text).not.toContain('proxy.tracing.enabled');
  });

  it('prints both ways when the version cannot tell', () => {
    const text = linkerdAdvice([proxy('books', null, null)], 'enable');
    expect(text).toContain('proxy.tracing.enabled=true');
    expect(text).toContain('config.linkerd.io/trace-collector:');
    expect(text).toContain('The proxy version was not readable, so both ways are shown.');
  });

  it('tells proxies that already have a collector how to get spans instead of how to configure one', () => {
    const text = linkerdAdvice([proxy('books', 'v2.294.0', 'collector.tracing:4317'), proxy('webapp', 'v2.294.0', 'collector.tracing:4317')], 'enable');
    expect(text).toContain('2 proxies already export spans (to collector.tracing:4317)');
    expect(text).toContain('traceparent: 00-$(openssl rand -hex 16)-$(openssl rand -hex 8)-01');
    expect(text).not.toContain('rollout restart');
  });

  it('lists one restart per workload, sorted, and caps a long list', () => {
    const many = Array.from({length: 25}, (_, i) => proxy(`w${String(i).padStart(2, '0')}`, 'v2.326.0', null));
    const lines = linkerdAdvice([...many, many[0]], 'enable').split('\n').filter((l) => l.includes('rollout restart'));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('  kubectl rollout restart deploy/w00 -n shop');
    expect(linkerdAdvice(many, 'enable')).toContain('  ... and 5 more\n');
  });

  it('keeps terminal control sequences from proxy-supplied names out', () => {
    const text = linkerdAdvice([proxy('evil\u001b[31mred', 'v2.326.0\u001b]0;x\u0007', null)], 'enable');
    expect(text).not.toMatch(/\u001b/);
  });
});

describe('the Linkerd explanation for trace disable', () => {
  it('says how to stop the spans of proxies with a collector', () => {
    const text = linkerdAdvice([proxy('books', 'v2.294.0', 'collector:4317'), proxy('webapp', 'v2.294.0', null)], 'disable');
    expect(text).toContain('To stop the spans of 1 proxy with a collector: send requests unsampled (traceparent ...-00');
    expect(text).toContain('kubectl rollout restart deploy/books -n shop');
    expect(text).not.toContain('deploy/webapp');
  });

  it('says nothing needs stopping when no proxy has a collector', () => {
    expect(linkerdAdvice([proxy('books', 'v2.294.0', null)], 'disable')).toContain('None of them has a collector');
  });
});
