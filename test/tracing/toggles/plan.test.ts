import {describe, expect, it} from 'vitest';
import {modifyQuery, planChanges, unmetChanges} from '../../../src/tracing/toggles/plan.js';
import {parseRuntimeDump, tracingState, type TracingState} from '../../../src/tracing/toggles/runtime.js';

/** The tracing state of a proxy whose static layer holds `base` and admin layer `admin`. */
function state(base: Record<string, string>, admin: Record<string, string>): TracingState {
  const keys = [...new Set([...Object.keys(base), ...Object.keys(admin)])];
  const entries = Object.fromEntries(keys.map((k) => [k, {layer_values: [base[k] ?? '', admin[k] ?? ''], final_value: admin[k] || base[k] || ''}]));
  const parsed = parseRuntimeDump({layers: ['static', 'admin'], entries});
  if (!parsed.ok) throw new Error(parsed.message);
  return tracingState(parsed.value);
}

const ENABLE_100 = {action: 'enable', sampling: 1_000_000} as const;

describe('planning enable', () => {
  it('writes all three keys on a proxy with no runtime values', () => {
    expect(planChanges(state({}, {}), ENABLE_100)).toEqual([
      {key: 'tracing.random_sampling', from: null, to: '100'},
      {key: 'tracing.global_enabled', from: null, to: '100'},
      {key: 'tracing.client_enabled', from: null, to: '100'},
    ]);
  });

  it('writes a sub-percent rate as a FractionalPercent', () => {
    const changes = planChanges(state({}, {'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}), {action: 'enable', sampling: 5_000});
    expect(changes).toEqual([{key: 'tracing.random_sampling', from: null, to: '{"numerator":50,"denominator":"TEN_THOUSAND"}'}]);
  });

  it('writes nothing when the proxy already applies the rate, however it is spelled', () => {
    const spelled = state({}, {
      'tracing.random_sampling': 'numerator: 5000\ndenominator: MILLION',
      'tracing.global_enabled': '{"numerator": 100}',
      // Above 100 means always, the same as 100.
      'tracing.client_enabled': '250',
    });
    expect(planChanges(spelled, {action: 'enable', sampling: 5_000})).toEqual([]);
  });

  it('counts values from lower layers too: a static 100 needs no override', () => {
    expect(planChanges(state({'tracing.random_sampling': '100', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}, {}), ENABLE_100)).toEqual([]);
  });

  it('rewrites a decimal Envoy floors: 0.5 is 0 %, not the 0.5 % asked for', () => {
    const changes = planChanges(state({}, {'tracing.random_sampling': '0.5', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}), {action: 'enable', sampling: 5_000});
    expect(changes).toEqual([{key: 'tracing.random_sampling', from: '0.5', to: '{"numerator":50,"denominator":"TEN_THOUSAND"}'}]);
  });

  it('turns a global switch at 0 back on', () => {
    const changes = planChanges(state({}, {'tracing.random_sampling': '100', 'tracing.global_enabled': '0', 'tracing.client_enabled': '100'}), ENABLE_100);
    expect(changes).toEqual([{key: 'tracing.global_enabled', from: '0', to: '100'}]);
  });

  it('writes a value Envoy would ignore (the configured default would apply)', () => {
    const changes = planChanges(state({}, {'tracing.random_sampling': 'true', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}), ENABLE_100);
    expect(changes).toEqual([{key: 'tracing.random_sampling', from: 'true', to: '100'}]);
  });

  it('stops new traces with --sampling 0, keeping the switches on', () => {
    expect(planChanges(state({}, {'tracing.random_sampling': '100', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'}), {action: 'enable', sampling: 0})).toEqual([
      {key: 'tracing.random_sampling', from: '100', to: '0'},
    ]);
  });
});

describe('planning disable', () => {
  it('deletes only the admin-layer overrides that exist', () => {
    const changes = planChanges(state({'tracing.global_enabled': '100'}, {'tracing.random_sampling': '100', 'tracing.client_enabled': '0'}), {action: 'disable'});
    expect(changes).toEqual([
      {key: 'tracing.random_sampling', from: '100', to: ''},
      {key: 'tracing.client_enabled', from: '0', to: ''},
    ]);
  });

  it('writes nothing without overrides, even when a static layer sets the keys', () => {
    expect(planChanges(state({'tracing.random_sampling': '100'}, {}), {action: 'disable'})).toEqual([]);
  });
});

describe('the /runtime_modify query', () => {
  it('percent-encodes values, FractionalPercent JSON included, and never uses + for anything', () => {
    const query = modifyQuery([
      {key: 'tracing.random_sampling', from: null, to: '{"numerator":50,"denominator":"TEN_THOUSAND"}'},
      {key: 'tracing.global_enabled', from: null, to: '100'},
    ]);
    expect(query).toBe('tracing.random_sampling=%7B%22numerator%22%3A50%2C%22denominator%22%3A%22TEN_THOUSAND%22%7D&tracing.global_enabled=100');
    expect(new URLSearchParams(query).get('tracing.random_sampling')).toBe('{"numerator":50,"denominator":"TEN_THOUSAND"}');
  });

  it('sends an empty value to delete', () => {
    expect(modifyQuery([{key: 'tracing.random_sampling', from: '1', to: ''}, {key: 'tracing.client_enabled', from: '1', to: ''}])).toBe('tracing.random_sampling=&tracing.client_enabled=');
  });
});

describe('checking the read-back', () => {
  it('is satisfied when the proxy now applies what was written', () => {
    const before = state({}, {});
    const changes = planChanges(before, {action: 'enable', sampling: 5_000});
    const after = state({}, {'tracing.random_sampling': '{"numerator":5000,"denominator":"MILLION"}', 'tracing.global_enabled': '100', 'tracing.client_enabled': '100'});
    expect(unmetChanges(after, changes, {action: 'enable', sampling: 5_000})).toEqual([]);
  });

  it('names the key a later layer still overrides', () => {
    const changes = [{key: 'tracing.random_sampling' as const, from: null, to: '100'}];
    const after = state({'tracing.random_sampling': '3'}, {});
    expect(unmetChanges(after, changes, ENABLE_100)).toEqual(['tracing.random_sampling reads 3 (layer "static") after the write, not 100%']);
  });

  it('names an override a disable left behind', () => {
    const changes = [{key: 'tracing.client_enabled' as const, from: '0', to: ''}];
    expect(unmetChanges(state({}, {'tracing.client_enabled': '0'}), changes, {action: 'disable'})).toEqual(['tracing.client_enabled still has the override 0']);
    expect(unmetChanges(state({}, {}), changes, {action: 'disable'})).toEqual([]);
  });
});
