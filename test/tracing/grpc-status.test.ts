import {describe, expect, it} from 'vitest';
import {parseGrpcTimeout, percentEncode} from '../../src/tracing/grpc/status.js';

describe('percentEncode (grpc-message)', () => {
  it('keeps printable ASCII except %, and encodes every other UTF-8 byte as %XX', () => {
    expect(percentEncode('plain text: ok ~!')).toBe('plain text: ok ~!');
    expect(percentEncode('100%')).toBe('100%25');
    expect(percentEncode('a\nb\tc')).toBe('a%0Ab%09c');
    expect(percentEncode('Ü€')).toBe('%C3%9C%E2%82%AC');
  });

  it('round-trips through a standard percent-decoder', () => {
    const text = 'spans[3]: bad "value" 50% — ✓\r\n';
    expect(decodeURIComponent(percentEncode(text))).toBe(text);
  });
});

describe('parseGrpcTimeout', () => {
  it.each([
    ['1H', 3_600_000],
    ['2M', 120_000],
    ['3S', 3000],
    ['250m', 250],
    ['1500u', 1.5],
    ['99999999n', 99.999999],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseGrpcTimeout(text)).toBeCloseTo(ms, 9);
  });

  it('is undefined when absent and NaN when malformed (no unit, 9 digits, fractions, unknown unit)', () => {
    expect(parseGrpcTimeout(undefined)).toBeUndefined();
    for (const bad of ['10', '123456789S', '1.5S', '10s', '', 'S']) expect(parseGrpcTimeout(bad)).toBeNaN();
  });
});
