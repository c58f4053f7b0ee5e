import {sanitize} from '../render/sanitize.js';

/**
 * The metrics text is not valid exposition format. `line` and `column` are 1-based; the column
 * counts Unicode code points from the start of the line. The message starts with the position
 * and never names the proxy (the caller prefixes that).
 */
export class MetricsParseError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(line: number, column: number, reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'MetricsParseError';
    this.line = line;
    this.column = column;
  }
}

/** Builds the error for a problem at character offset `offset` of `text`. Only runs on failure. */
export function parseErrorAt(text: string, offset: number, reason: string): MetricsParseError {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    const code = text.charCodeAt(i);
    // The second half of a surrogate pair is not a column of its own.
    if (code < 0xdc00 || code > 0xdfff || i === lineStart) column++;
  }
  return new MetricsParseError(line, column, reason);
}

const MAX_QUOTED = 40;

/**
 * Quotes untrusted text for an error message: `\\` and `"` escaped, control characters made
 * visible (`\x1b`), long text cut.
 */
export function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return `"${sanitize(cut.replace(/[\\"]/g, '\\$&'))}"`;
}

/** Describes the character at `offset` for an error message; the end of a line reads as such. */
export function describeCharAt(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const code = text.charCodeAt(offset);
  if (code === 0x0a || (code === 0x0d && text.charCodeAt(offset + 1) === 0x0a)) return 'end of line';
  return quote(String.fromCodePoint(text.codePointAt(offset) ?? code));
}
