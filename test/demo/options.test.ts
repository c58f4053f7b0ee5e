import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/errors.js';
import {parseDemoOptions} from '../../src/demo/options.js';
import {DEFAULT_GRPC_LISTEN, DEFAULT_LISTEN} from '../../src/tracing/listen-address.js';

describe('demo options', () => {
  it('fills in the defaults, with a random seed', () => {
    expect(parseDemoOptions({}, () => 1234)).toEqual({
      flavor: 'linkerd',
      rps: 10,
      errorRate: 0.1,
      seed: 1234,
      otlp: {transport: 'grpc', address: '127.0.0.1:4317'},
      traceShare: 0.1,
    });
  });

  it('exports OTLP/gRPC in the linkerd flavour and OTLP/HTTP in the istio one, to where a bare `trace collect` listens', () => {
    const linkerd = parseDemoOptions({flavor: 'linkerd'}, () => 1).otlp;
    const istio = parseDemoOptions({flavor: 'istio'}, () => 1).otlp;
    expect(linkerd).toEqual({transport: 'grpc', address: DEFAULT_GRPC_LISTEN});
    expect(istio).toEqual({transport: 'http', url: `http://${DEFAULT_LISTEN}/v1/traces`});
  });

  it('takes --otlp-grpc for linkerd and --otlp-http for istio, on loopback', () => {
    expect(parseDemoOptions({otlpGrpc: 'localhost:14317'}, () => 1).otlp).toEqual({transport: 'grpc', address: '127.0.0.1:14317'});
    expect(parseDemoOptions({otlpGrpc: '4000'}, () => 1).otlp).toEqual({transport: 'grpc', address: '127.0.0.1:4000'});
    expect(parseDemoOptions({flavor: 'istio', otlpHttp: 'http://127.0.0.2:9/x'}, () => 1).otlp).toEqual({transport: 'http', url: 'http://127.0.0.2:9/x'});
  });

  it('refuses the other transport\'s flag, saying which transport the flavour speaks', () => {
    expect(() => parseDemoOptions({otlpHttp: 'http://127.0.0.1:4318/v1/traces'})).toThrow(
      expect.objectContaining({message: expect.stringContaining('its sidecars export OTLP/gRPC, as linkerd2-proxy does'), hint: expect.stringContaining('--otlp-grpc')}),
    );
    expect(() => parseDemoOptions({flavor: 'istio', otlpGrpc: '127.0.0.1:4317'})).toThrow(/--otlp-grpc does not apply to the istio flavour/);
  });

  it('leaves trace starts to the sidecars in the istio flavour', () => {
    expect(parseDemoOptions({flavor: 'istio'}, () => 1).traceShare).toBe(0);
    expect(parseDemoOptions({flavor: 'istio', traceShare: '0.5'}, () => 1).traceShare).toBe(0.5);
  });

  it('takes the flags as commander hands them over (strings)', () => {
    const o = parseDemoOptions({flavor: 'istio', rps: '2.5', errorRate: '0', seed: '42', traceShare: '1', otlpHttp: 'http://localhost:4318/v1/traces'});
    expect(o).toMatchObject({flavor: 'istio', rps: 2.5, errorRate: 0, seed: 42, traceShare: 1, otlp: {transport: 'http', url: 'http://127.0.0.1:4318/v1/traces'}});
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
      expect(() => parseDemoOptions({flavor: 'istio', otlpHttp: endpoint})).toThrow(UsageError);
    },
  );

  it.each(['10.0.0.1:4317', 'collector.example:4317', '[::1]:4317', 'http://127.0.0.1:4317', 'nonsense'])('never exports spans off 127.0.0.0/8 over gRPC: refuses %s', (address) => {
    expect(() => parseDemoOptions({otlpGrpc: address})).toThrow(UsageError);
  });
});
