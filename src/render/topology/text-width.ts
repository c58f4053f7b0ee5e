import stringWidth from 'string-width';

/**
 * Terminal column arithmetic for text that is already sanitized and not yet coloured (no
 * control characters, no escape codes).
 * Wide characters take two columns and combining marks none, so widths are measured per
 * grapheme cluster rather than per UTF-16 unit.
 */

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

export interface Grapheme {
  text: string;
  width: number;
}

// Most text is printable ASCII, one column per character; only the rest needs measuring.
const ASCII = /^[\x20-\x7e]*$/;
const widthCache = new Map<string, number>();

function graphemeWidth(grapheme: string): number {
  let width = widthCache.get(grapheme);
  if (width === undefined) {
    width = stringWidth(grapheme);
    if (widthCache.size < 10_000) widthCache.set(grapheme, width);
  }
  return width;
}

export function graphemes(text: string): Grapheme[] {
  if (ASCII.test(text)) return Array.from(text, (ch) => ({text: ch, width: 1}));
  return Array.from(segmenter.segment(text), ({segment}) => ({text: segment, width: graphemeWidth(segment)}));
}

export function textWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const {segment} of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
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
