import {describe, expect, it} from 'vitest';
import {adminLayerIndex, parseRuntimeDump, tracingState, withOverrides, type RuntimeDump} from '../../../src/tracing/toggles/runtime.js';

/** `/runtime` as Envoy prints it (runtime_handler.cc): layer names, then per key a value per layer. */
const ISTIO_LIKE = {
  layers: ['deprecation', 'global config', 'admin'],
  entries: {
    'tracing.random_sampling': {layer_values: ['', '', '{"numerator":50,"denominator":"TEN_THOUSAND"}'], final_value: '{"numerator":50,"denominator":"TEN_THOUSAND"}'},
    'tracing.global_enabled': {layer_values: ['', '80', ''], final_value: '80'},
    're2.max_program_size.error_level': {layer_values: ['1024', '', ''], final_value: '1024'},
  },
};

function dump(json: unknown): RuntimeDump {
  const parsed = parseRuntimeDump(json);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('reading /runtime', () => {
  it('finds each tracing key with its winning value, the layer it comes from and the admin override', () => {
    const state = tracingState(dump(ISTIO_LIKE));
    expect(state['tracing.random_sampling']).toEqual({raw: '{"numerator":50,"denominator":"TEN_THOUSAND"}', share: 5_000, layer: 'admin', override: '{"numerator":50,"denominator":"TEN_THOUSAND"}'});
    expect(state['tracing.global_enabled']).toEqual({raw: '80', share: 800_000, layer: 'global config', override: null});
    expect(state['tracing.client_enabled']).toEqual({raw: null, share: null, layer: null, override: null});
  });

  it('lets a later layer win over an earlier one', () => {
    const state = tracingState(dump({layers: ['base', 'admin'], entries: {'tracing.random_sampling': {layer_values: ['10', '20'], final_value: '20'}}}));
    expect(state['tracing.random_sampling']).toMatchObject({raw: '20', layer: 'admin', override: '20'});
  });

  it('takes the layer named admin as the one /runtime_modify writes, else the last', () => {
    expect(adminLayerIndex(dump({layers: ['static', 'admin', 'rtds'], entries: {}}))).toBe(1);
    expect(adminLayerIndex(dump({layers: ['static', 'Admin'], entries: {}}))).toBe(1);
    expect(adminLayerIndex(dump({layers: ['static', 'overrides'], entries: {}}))).toBe(1);
  });

  it('shows an override in a non-final admin layer, and the later layer still winning', () => {
    const state = tracingState(dump({layers: ['admin', 'rtds'], entries: {'tracing.random_sampling': {layer_values: ['100', '3'], final_value: '3'}}}));
    expect(state['tracing.random_sampling']).toEqual({raw: '3', share: 30_000, layer: 'rtds', override: '100'});
  });

  it.each([
    ['not an object', 'nope', /not a JSON object/],
    ['no layers', {entries: {}}, /no "layers" list/],
    ['no entries', {layers: ['admin']}, /no "entries" object/],
    ['short layer_values', {layers: ['a', 'admin'], entries: {k: {layer_values: ['1'], final_value: '1'}}}, /entry "k" has no layer_values for each of the 2 layers/],
    ['non-string values', {layers: ['admin'], entries: {k: {layer_values: [1], final_value: '1'}}}, /entry "k"/],
  ])('refuses an answer with %s', (_name, json, message) => {
    const parsed = parseRuntimeDump(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('simulating /runtime_modify on a dump', () => {
  it('sets admin-layer values, recomputes the winner, and deletes with an empty value', () => {
    const before = dump(ISTIO_LIKE);
    const after = withOverrides(before, new Map([['tracing.global_enabled', '100'], ['tracing.random_sampling', ''], ['tracing.client_enabled', '0']]));
    expect(after.entries.get('tracing.global_enabled')).toEqual({layerValues: ['', '80', '100'], finalValue: '100'});
    expect(after.entries.get('tracing.random_sampling')).toEqual({layerValues: ['', '', ''], finalValue: ''});
    expect(after.entries.get('tracing.client_enabled')).toEqual({layerValues: ['', '', '0'], finalValue: '0'});
    // The dump it started from is left as it was.
    expect(before.entries.get('tracing.global_enabled')).toEqual({layerValues: ['', '80', ''], finalValue: '80'});
  });

  it('falls back to the lower layer once the override is deleted', () => {
    const after = withOverrides(dump({layers: ['static', 'admin'], entries: {'tracing.random_sampling': {layer_values: ['5', '100'], final_value: '100'}}}), new Map([['tracing.random_sampling', '']]));
    expect(tracingState(after)['tracing.random_sampling']).toEqual({raw: '5', share: 50_000, layer: 'static', override: null});
  });

  it('changes nothing when there are no layers at all', () => {
    const empty = dump({layers: [], entries: {}});
    expect(withOverrides(empty, new Map([['tracing.random_sampling', '1']]))).toBe(empty);
  });
});
