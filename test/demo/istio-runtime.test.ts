import {describe, expect, it} from 'vitest';
import {LayeredRuntime} from '../../src/demo/flavors/istio/runtime.js';

const ONE_PERCENT = {numerator: 100, denominator: 'TEN_THOUSAND'} as const;

/** Share of `random` values 0..9999 for which the key is enabled. */
function share(runtime: LayeredRuntime, key: string): number {
  let on = 0;
  for (let r = 0; r < 10_000; r++) if (runtime.featureEnabled(key, ONE_PERCENT, r)) on++;
  return on / 10_000;
}

/** Envoy's runtime semantics for `tracing.*` keys (runtime_impl.cc), as envoy-istio.md §3 sets them out. */
describe('istio flavour layered runtime', () => {
  it('falls back to the connection manager default when no layer sets the key', () => {
    expect(share(new LayeredRuntime(), 'tracing.random_sampling')).toBe(0.01);
  });

  it('reads a plain integer as a percentage out of 100, anything above 100 as always', () => {
    const rt = new LayeredRuntime();
    rt.merge([['tracing.random_sampling', '25']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.25);
    rt.merge([['tracing.random_sampling', '100']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(1);
    rt.merge([['tracing.random_sampling', '250']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(1);
    rt.merge([['tracing.random_sampling', '0']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0);
  });

  it('floors decimals: 0.5 means 0%', () => {
    const rt = new LayeredRuntime();
    rt.merge([['tracing.random_sampling', '0.5']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0);
    rt.merge([['tracing.random_sampling', '2.9']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.02);
  });

  it('takes a FractionalPercent in JSON or YAML', () => {
    const rt = new LayeredRuntime();
    rt.merge([['tracing.random_sampling', '{"numerator":50,"denominator":"TEN_THOUSAND"}']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.005);
    rt.merge([['tracing.random_sampling', 'numerator: 3\ndenominator: HUNDRED']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.03);
  });

  it('removes an override when given an empty value', () => {
    const rt = new LayeredRuntime();
    rt.merge([['tracing.random_sampling', '100']]);
    rt.merge([['tracing.random_sampling', '']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.01);
    expect(rt.adminOverrides).toBe(0);
  });

  it('ignores values that are neither numbers nor FractionalPercents', () => {
    const rt = new LayeredRuntime();
    rt.merge([['tracing.random_sampling', 'lots']]);
    expect(share(rt, 'tracing.random_sampling')).toBe(0.01);
    expect(JSON.parse(rt.toJson()).entries['tracing.random_sampling'].final_value).toBe('lots');
  });
});
