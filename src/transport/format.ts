import {sanitize} from '../render/sanitize.js';

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** `512 bytes`, `1.2 MiB`, `64 MiB`: sizes as they appear in error messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 10 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

/** Exact byte counts with thousands separators, for truncation messages. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Any text bound for a message: one line, whitespace collapsed, control sequences escaped. */
export function oneLine(text: string): string {
  return sanitize(text.replace(/\s+/g, ' ').trim());
}

const EXCERPT_CHARS = 200;

/** The start of a response body, fit for a one-line message. */
export function bodyExcerpt(body: string): string {
  const collapsed = body.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= EXCERPT_CHARS) return sanitize(collapsed);
  return `${sanitize(collapsed.slice(0, EXCERPT_CHARS))}…`;
}
