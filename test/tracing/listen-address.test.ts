import {describe, expect, it} from 'vitest';
import {UsageError} from '../../src/errors.js';
import {parseGrpcListen, parseListen} from '../../src/tracing/listen-address.js';
import {parseSize} from '../../src/commands/trace.js';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:4318', {host: '127.0.0.1', port: 4318, loopback: true}],
    ['localhost:0', {host: 'localhost', port: 0, loopback: true}],
    ['[::1]:4318', {host: '::1', port: 4318, loopback: true}],
    ['4318', {host: '127.0.0.1', port: 4318, loopback: true}],
    [':4318', {host: '127.0.0.1', port: 4318, loopback: true}],
    ['0.0.0.0:4318', {host: '0.0.0.0', port: 4318, loopback: false}],
    ['[::]:4318', {host: '::', port: 4318, loopback: false}],
    ['collector.local:4318', {host: 'collector.local', port: 4318, loopback: false}],
  ])('parses %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['', 'host', 'host:', 'host:99999', '::1:4318', 'a b:1', 'http://127.0.0.1:4318'])('rejects %j as a usage error', (text) => {
    expect(() => parseListen(text)).toThrow(UsageError);
  });
});

describe('parseGrpcListen', () => {
  it('parses an address as --listen does, and "off" as none', () => {
    expect(parseGrpcListen('127.0.0.1:4317')).toEqual({host: '127.0.0.1', port: 4317, loopback: true});
    expect(parseGrpcListen('4317')).toEqual({host: '127.0.0.1', port: 4317, loopback: true});
    expect(parseGrpcListen(' OFF ')).toBeNull();
  });

  it('names --grpc-listen and the gRPC port in its usage error', () => {
    expect(() => parseGrpcListen('nowhere')).toThrow(expect.objectContaining({message: 'invalid --grpc-listen "nowhere"', hint: expect.stringContaining('127.0.0.1:4317')}));
  });
});

describe('parseSize', () => {
  it.each([
    ['20MiB', 20 * 1024 * 1024],
    ['64KiB', 65536],
    ['1MB', 1_000_000],
    ['1000', 1000],
    ['1.5KiB', 1536],
  ])('parses %s', (text, bytes) => {
    expect(parseSize(text, '--max-body')).toBe(bytes);
  });

  it.each(['', '0', 'lots', '5 parsecs', '-1'])('rejects %j', (text) => {
    expect(() => parseSize(text, '--max-body')).toThrow(UsageError);
  });
});
