import {sanitize} from '../render/sanitize.js';

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
