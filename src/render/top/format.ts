import {sanitize} from '../sanitize.js';

/**
 * Latency the way `linkerd viz top` prints it (Go duration rounding): µs below 1 ms, ms
 * below 1 s, seconds above; `-` when unknown.
 */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${trimZeros(ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0))}ms`;
  return `${trimZeros((ms / 1000).toFixed(2))}s`;
}

export function formatRps(rps: number): string {
  if (rps === 0) return '0';
  if (rps < 10) return rps.toFixed(2);
  if (rps < 1000) return rps.toFixed(1);
  return String(Math.round(rps));
}

export function formatSuccess(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(2)}%`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Fit untrusted text into exactly `width` cells: sanitized, cut with `…` when too long,
 * padded on the right (or left for numbers). Characters count as one cell each.
 */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const safe = [...sanitize(text)];
  const cut = safe.length > width ? [...safe.slice(0, width - 1), '…'].join('') : safe.join('');
  const pad = ' '.repeat(width - Math.min(safe.length, width));
  return align === 'right' ? pad + cut : cut + pad;
}
