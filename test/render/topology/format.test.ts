import {describe, expect, it} from 'vitest';
import {figuresInline, formatLatency, formatRps, formatSecured, formatSuccess} from '../../../src/render/topology/format.js';

describe('edge figures', () => {
  it('never rounds a success rate up to 100%', () => {
    expect(formatSuccess(0.99996)).toBe('99.9%');
    expect(formatSuccess(0.999)).toBe('99.9%');
    expect(formatSuccess(1)).toBe('100%');
  });

  it('keeps a tenth that binary fractions would lose', () => {
    expect(formatSuccess(0.29)).toBe('29.0%');
    expect(formatSuccess(0.683)).toBe('68.3%');
  });

  it('clamps impossible success rates and drops unknown ones', () => {
    expect(formatSuccess(1.2)).toBe('100%');
    expect(formatSuccess(-0.1)).toBe('0.0%');
    expect(formatSuccess(null)).toBeNull();
    expect(formatSuccess(Number.NaN)).toBeNull();
  });

  it('writes request rates with about three significant digits', () => {
    expect(formatRps(0)).toBe('0rps');
    expect(formatRps(0.004)).toBe('<0.01rps');
    expect(formatRps(0.5)).toBe('0.50rps');
    expect(formatRps(12.34)).toBe('12.3rps');
    expect(formatRps(150.4)).toBe('150rps');
    expect(formatRps(12_345)).toBe('12.3krps');
    expect(formatRps(123_456)).toBe('123krps');
    expect(formatRps(-1)).toBeNull();
    expect(formatRps(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('writes latencies in ms, and in seconds from one second on', () => {
    expect(formatLatency(0.05)).toBe('<0.1ms');
    expect(formatLatency(2.5)).toBe('2.5ms');
    expect(formatLatency(3)).toBe('3ms');
    expect(formatLatency(45.4)).toBe('45ms');
    expect(formatLatency(1500)).toBe('1.5s');
    expect(formatLatency(12_345)).toBe('12.3s');
    expect(formatLatency(null)).toBeNull();
  });

  it('leaves unknown figures out of an inline label', () => {
    expect(figuresInline({rps: '1.0rps', success: null, p99: '3ms'})).toBe('1.0rps 3ms');
    expect(figuresInline({rps: null, success: null, p99: null})).toBe('no data');
  });

  it('names the three security states', () => {
    expect([true, false, null].map(formatSecured)).toEqual(['mTLS', 'plaintext', 'tls unknown']);
  });
});
