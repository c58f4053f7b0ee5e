import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {UsageError} from '../../../src/errors.js';
import {formatShare, parseSamplingFlag, runtimeValueFor, shareOfRuntimeValue, sharePercent} from '../../../src/tracing/toggles/sampling.js';

describe('--sampling parsing', () => {
  it.each([
    ['100', 1_000_000],
    ['0', 0],
    ['1', 10_000],
    ['0.5', 5_000],
    ['.5', 5_000],
    ['12.5', 125_000],
    ['0.0125', 125],
    ['0.0001', 1],
    ['99.9999', 999_999],
    ['50%', 500_000],
    ['100.0000', 1_000_000],
    [' 7 ', 70_000],
  ])('%s → %i millionths', (text, share) => {
    expect(parseSamplingFlag(text)).toBe(share);
  });

  it.each(['-1', '100.01', '101', '1e2', 'abc', '', '.', '%', '0.00001', '5,5', '0x10'])('rejects %j as a usage error', (text) => {
    expect(() => parseSamplingFlag(text)).toThrow(UsageError);
  });

  it('says why a rate finer than one in a million is refused', () => {
    expect(() => parseSamplingFlag('0.00005')).toThrow(/finer than Envoy can sample/);
  });
});

describe('the runtime value sent for a rate', () => {
  it.each([
    [1_000_000, '100'],
    [0, '0'],
    [10_000, '1'],
    [5_000, '{"numerator":50,"denominator":"TEN_THOUSAND"}'],
    [125_000, '{"numerator":1250,"denominator":"TEN_THOUSAND"}'],
    [125, '{"numerator":125,"denominator":"MILLION"}'],
    [1, '{"numerator":1,"denominator":"MILLION"}'],
    [999_999, '{"numerator":999999,"denominator":"MILLION"}'],
  ])('%i millionths → %s', (share, value) => {
    expect(runtimeValueFor(share)).toBe(value);
  });

  it('is never a decimal, which Envoy would floor', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 1_000_000}), (share) => {
        expect(runtimeValueFor(share)).not.toMatch(/^\d+\.\d+$/);
      }),
    );
  });

  it('is read back by Envoy as exactly the rate asked for, with the smallest denominator that can say it', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 1_000_000}), (share) => {
        const value = runtimeValueFor(share);
        expect(shareOfRuntimeValue(value)).toBe(share);
        // Whole percentages go as plain integers; whole hundredths of a percent as TEN_THOUSAND.
        if (share % 10_000 === 0) expect(value).toBe(String(share / 10_000));
        else if (share % 100 === 0) expect(JSON.parse(value)).toEqual({numerator: share / 100, denominator: 'TEN_THOUSAND'});
        else expect(JSON.parse(value)).toEqual({numerator: share, denominator: 'MILLION'});
      }),
    );
  });
});

describe('runtime values as Envoy reads them', () => {
  it.each([
    ['100', 1_000_000],
    ['1', 10_000],
    ['0', 0],
    // A decimal is floored to a whole percentage.
    ['0.5', 0],
    ['12.9', 120_000],
    // Any integer above 100 means always.
    ['101', 1_000_000],
    ['10000', 1_000_000],
    [' 42 ', 420_000],
    ['1e1', 100_000],
    ['{"numerator":50,"denominator":"TEN_THOUSAND"}', 5_000],
    ['{numerator: 50, denominator: TEN_THOUSAND}', 5_000],
    ['numerator: 3\ndenominator: MILLION', 3],
    ['{"numerator": 7}', 70_000],
    ['{"numerator": 1, "denominator": 1}', 100],
    ['{"numerator": "20", "denominator": "HUNDRED"}', 200_000],
    // A numerator above its denominator samples everything.
    ['{"numerator": 20000, "denominator": "TEN_THOUSAND"}', 1_000_000],
  ])('%j applies %i millionths', (raw, share) => {
    expect(shareOfRuntimeValue(raw)).toBe(share);
  });

  it.each(['true', 'FALSE', '-1', 'abc', '', '{"numerator": -5}', '{"numerator": 5, "denominator": "THOUSAND"}', '{"numerator": 5, "extra": 1}', '[1, 2]', '{"numerator": 1.5}'])(
    '%j is ignored (the configured default applies)',
    (raw) => {
      expect(shareOfRuntimeValue(raw)).toBeNull();
    },
  );
});

describe('showing a rate', () => {
  it.each([
    [1_000_000, '100%', 100],
    [0, '0%', 0],
    [5_000, '0.5%', 0.5],
    [125, '0.0125%', 0.0125],
    [1, '0.0001%', 0.0001],
    [333_333, '33.3333%', 33.3333],
  ])('%i → %s and %d', (share, text, percent) => {
    expect(formatShare(share)).toBe(text);
    expect(sharePercent(share)).toBe(percent);
  });

  it('round-trips through the flag parser', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 1_000_000}), (share) => {
        expect(parseSamplingFlag(formatShare(share))).toBe(share);
      }),
    );
  });
});
