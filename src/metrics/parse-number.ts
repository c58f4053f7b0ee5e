/**
 * Numbers in exposition text, read the way Prometheus reads them: Go's strconv.ParseFloat
 * without hex floats and digit underscores (Prometheus rejects those), so `NaN`, `+Inf`,
 * `-inf`, `Infinity` (any case), `1e-3`, `.5`, `5.` are values; a finite literal too large for
 * float64 is an error, as in Go.
 */

const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** 10^0 … 10^22 are exact in float64, which makes the fast path below correctly rounded. */
const EXACT_POWERS_OF_TEN = Array.from({length: 23}, (_, i) => 10 ** i);
const MAX_FAST_DIGITS = 15;

/**
 * The float64 written in `text[start, end)`, or undefined when it is not a valid number.
 * Short decimals are computed exactly from their digits (Clinger's fast path); the rest go
 * through Number(), whose rounding is the same as Go's.
 */
export function parseFloatToken(text: string, start: number, end: number): number | undefined {
  let i = start;
  let code = text.charCodeAt(i);
  const negative = code === MINUS;
  const signed = negative || code === PLUS;
  if (signed) code = text.charCodeAt(++i);
  if (code > CHAR_9) return parseSpecial(text, i, end, negative, signed);

  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  for (; i < end && (code = text.charCodeAt(i)) >= CHAR_0 && code <= CHAR_9; i++) {
    mantissa = mantissa * 10 + (code - CHAR_0);
    digits++;
  }
  if (i < end && code === DOT) {
    for (i++; i < end && (code = text.charCodeAt(i)) >= CHAR_0 && code <= CHAR_9; i++) {
      mantissa = mantissa * 10 + (code - CHAR_0);
      digits++;
      fractionDigits++;
    }
  }
  if (digits === 0) return undefined;
  if (i === end) {
    if (digits <= MAX_FAST_DIGITS) {
      const magnitude = fractionDigits === 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[fractionDigits];
      return negative ? -magnitude : magnitude;
    }
    return Number(text.slice(start, end));
  }
  if (code !== LOWER_E && code !== UPPER_E) return undefined;
  i++;
  if (i < end && ((code = text.charCodeAt(i)) === PLUS || code === MINUS)) i++;
  const exponentStart = i;
  while (i < end && (code = text.charCodeAt(i)) >= CHAR_0 && code <= CHAR_9) i++;
  if (i === exponentStart || i !== end) return undefined;
  const value = Number(text.slice(start, end));
  return Number.isFinite(value) ? value : undefined;
}

/** `inf`, `infinity` (optionally signed) and unsigned `nan`, any case, as Go accepts them. */
function parseSpecial(text: string, i: number, end: number, negative: boolean, signed: boolean): number | undefined {
  const word = text.slice(i, end).toLowerCase();
  if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
  if (word === 'nan' && !signed) return NaN;
  return undefined;
}

/**
 * A sample timestamp: an integer is milliseconds (text format 0.0.4); a number with a fraction
 * or an exponent is OpenMetrics seconds and is converted to milliseconds.
 */
export function parseTimestampToken(text: string, start: number, end: number): number | undefined {
  const value = parseFloatToken(text, start, end);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === DOT || code === LOWER_E || code === UPPER_E) return value * 1000;
  }
  return value;
}

/** Why a token that parseFloatToken refused is not a value (only called to word an error). */
export function whyNotANumber(token: string): string {
  const value = Number(token);
  const overflows = value === Infinity || value === -Infinity;
  return overflows && !/[a-df-z]/i.test(token) ? 'out of float64 range' : 'not a number';
}
