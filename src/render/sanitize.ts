/**
 * Proxy label values and headers are untrusted. Before any of them reaches a terminal, every
 * C0/C1 control character (ESC included, so no escape sequence survives) and every Unicode
 * bidi override is replaced by a visible escape such as `\x1b`, so a hostile value can neither
 * repaint the screen nor hide what it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x09) return ' ';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when the text carries nothing `sanitize` would change. */
export function isSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !UNSAFE.test(text);
}
