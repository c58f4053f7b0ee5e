import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/errors.js';
import {parseDemoOptions} from '../../src/demo/options.js';

describe('demo options', () => {
  it('fills in the defaults, with a random seed', () => {
    expect(parseDemoOptions({}, () => 1234)).toEqual({
      flavor: 'linkerd',
      rps: 10,
      errorRate: 0.1,
      seed: 1234,
      otlpEndpoint: 'http://127.0.0.1:4318/v1/traces',
      traceShare: 0.1,
    });
  });

  it('leaves trace starts to the sidecars in the istio flavour', () => {
    expect(parseDemoOptions({flavor: 'istio'}, () => 1).traceShare).toBe(0);
    expect(parseDemoOptions({flavor: 'istio', traceShare: '0.5'}, () => 1).traceShare).toBe(0.5);
  });

  it('takes the flags as commander hands them over (strings)', () => {
    const o = parseDemoOptions({flavor: 'istio', rps: '2.5', errorRate: '0', seed: '42', traceShare: '1', otlpEndpoint: 'http://localhost:4318/v1/traces'});
    expect(o).toMatchObject({flavor: 'istio', rps: 2.5, errorRate: 0, seed: 42, traceShare: 1, otlpEndpoint: 'http://127.0.0.1:4318/v1/traces'});
  });

  it.each([
    [{flavor: 'consul'}, /unknown flavor "consul"/],
    [{rps: '0'}, /--rps must be a number from 0.1 to 200/],
    [{rps: '1000'}, /--rps/],
    [{rps: 'fast'}, /--rps/],
    [{errorRate: '1.5'}, /--error-rate/],
    [{traceShare: '-0.1'}, /--trace-share/],
    [{seed: '-3'}, /--seed/],
    [{seed: '99999999999'}, /--seed/],
  ])('refuses %j as a usage error', (raw, message) => {
    expect(() => parseDemoOptions(raw)).toThrow(UsageError);
    expect(() => parseDemoOptions(raw)).toThrow(message);
  });

  it.each(['http://10.0.0.1:4318/v1/traces', 'http://collector.example:4318/', 'http://[::1]:4318/', 'https://127.0.0.1:4318/', 'nonsense'])(
    'never exports spans off loopback: refuses %s',
    (endpoint) => {
      expect(() => parseDemoOptions({otlpEndpoint: endpoint})).toThrow(UsageError);
    },
  );
});
