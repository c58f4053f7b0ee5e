/** Small text helpers shared by the trace renderers. */

/** A duration for people: µs below 1 ms, two significant decimals under 10 ms, then fewer. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '?';
  const abs = Math.abs(ms);
  if (abs < 1) return `${Math.round(ms * 1000)}µs`;
  if (abs < 10) return `${ms.toFixed(2)}ms`;
  if (abs < 100) return `${ms.toFixed(1)}ms`;
  if (abs < 1000) return `${ms.toFixed(0)}ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.round((ms - minutes * 60_000) / 1000)).padStart(2, '0')}s`;
}

/** Local wall-clock time of a Unix-nanosecond timestamp, `HH:MM:SS.mmm`. */
export function clockTime(unixNano: bigint): string {
  const date = new Date(Number(unixNano / 1_000_000n));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Local date and time, `YYYY-MM-DD HH:MM:SS.mmm`. */
export function dateTime(unixNano: bigint): string {
  const date = new Date(Number(unixNano / 1_000_000n));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${clockTime(unixNano)}`;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Exactly `width` columns (one per code point): padded with spaces, or cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (!SURROGATE.test(text)) {
    if (text.length <= width) return text + ' '.repeat(width - text.length);
    return `${text.slice(0, width - 1)}…`;
  }
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** At most `width` columns, cut with an ellipsis; never padded. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Words joined by `separator` into lines of at most `width` columns, each starting with `indent`. */
export function wrapParts(parts: readonly string[], width: number, indent = '  ', separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const candidate = line === '' ? `${indent}${part}` : `${line}${separator}${part}`;
    if (line !== '' && [...candidate].length > width) {
      lines.push(line);
      line = truncate(`${indent}${part}`, width);
    } else line = truncate(candidate, width);
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Right-aligned in `width` columns (cut on the left if too long). */
export function fitRight(text: string, width: number): string {
  const chars = [...text];
  if (chars.length >= width) return chars.slice(chars.length - width).join('');
  return ' '.repeat(width - chars.length) + text;
}

/** Columns of the terminal, or of a sensible page when stdout is not one; never below 80. */
export function outputWidth(columns: number | undefined, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  const width = columns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 120);
  return Math.max(80, width);
}
