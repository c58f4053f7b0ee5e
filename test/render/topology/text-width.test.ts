import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {padToWidth, textWidth, truncateToWidth} from '../../../src/render/topology/text-width.js';

describe('text width', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(textWidth('books')).toBe(5);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('cafe\u0301')).toBe(4);
    expect(textWidth('👍🏽')).toBe(2);
  });

  it('cuts text to a width with an ellipsis, never splitting a wide character', () => {
    expect(truncateToWidth('recommendations', 8, '…')).toBe('recomme…');
    expect(truncateToWidth('recommendations', 8, '...')).toBe('recom...');
    expect(truncateToWidth('日本語サービス', 6, '…')).toBe('日本…');
    expect(truncateToWidth('short', 8, '…')).toBe('short');
  });

  it('keeps a combining mark with its letter', () => {
    expect(truncateToWidth('cafe\u0301teria', 5, '…')).toBe('cafe\u0301…');
  });

  it('never returns more columns than asked for', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme'}), fc.integer({min: 0, max: 20}), fc.constantFrom('…', '...'), (text, width, ellipsis) => {
        expect(textWidth(truncateToWidth(text, width, ellipsis))).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('pads to an exact width', () => {
    expect(padToWidth('日本', 6)).toBe('日本  ');
  });
});
