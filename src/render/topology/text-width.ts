import stringWidth from 'string-width';

/**
 * Terminal column arithmetic for text that is already sanitized (no control characters).
 * Wide characters take two columns and combining marks none, so widths are measured per
 * grapheme cluster rather than per UTF-16 unit.
 */

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

export interface Grapheme {
  text: string;
  width: number;
}

export function graphemes(text: string): Grapheme[] {
  return Array.from(segmenter.segment(text), ({segment}) => ({text: segment, width: stringWidth(segment)}));
}

export function textWidth(text: string): number {
  return stringWidth(text);
}

/**
 * Cut `text` to at most `maxWidth` columns, ending in `ellipsis` when anything was cut.
 * A wide character that would straddle the limit is dropped whole.
 */
export function truncateToWidth(text: string, maxWidth: number, ellipsis: string): string {
  if (textWidth(text) <= maxWidth) return text;
  const room = maxWidth - textWidth(ellipsis);
  if (room < 0) return ellipsis.slice(0, Math.max(0, maxWidth));
  let used = 0;
  let kept = '';
  for (const g of graphemes(text)) {
    if (used + g.width > room) break;
    kept += g.text;
    used += g.width;
  }
  return kept + ellipsis;
}

/** Pad on the right with spaces to exactly `width` columns (text must already fit). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}
