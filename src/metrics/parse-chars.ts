/** Character codes and name classes of the exposition format, shared by the scanner parts. */

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const HASH = 0x23;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const BACKSLASH = 0x5c;
export const LOWER_N = 0x6e;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;

export const LABEL_START = 1;
export const LABEL_CHAR = 2;
export const METRIC_START = 4;
export const METRIC_CHAR = 8;

/** ASCII classes: label names are [a-zA-Z_][a-zA-Z0-9_]*, metric names also allow ':'. */
const CHAR_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code);
  const letter = /[a-zA-Z_]/.test(ch);
  const digit = /[0-9]/.test(ch);
  const colon = ch === ':';
  CHAR_CLASS[code] =
    (letter ? LABEL_START : 0) |
    (letter || digit ? LABEL_CHAR : 0) |
    (letter || colon ? METRIC_START : 0) |
    (letter || digit || colon ? METRIC_CHAR : 0);
}

export function hasClass(code: number, charClass: number): boolean {
  return code < 128 && (CHAR_CLASS[code] & charClass) !== 0;
}

/** True when `offset` is at LF, CR LF or the end of the input. */
export function isLineEndAt(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset);
  return code === LF || offset >= text.length || (code === CR && text.charCodeAt(offset + 1) === LF);
}

/**
 * True when `text` holds exactly `word` at `at`. A plain loop: String#startsWith with a
 * position is a builtin call the optimizer does not inline, and this runs for every name.
 */
export function occursAt(text: string, word: string, at: number): boolean {
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}
