import {parse as parseYaml} from 'yaml';
import {UsageError} from '../../errors.js';

/**
 * A share of requests, exactly, as an integer number of millionths: 1_000_000 is 100 %,
 * 5_000 is 0.5 %. Envoy's finest FractionalPercent denominator is MILLION, so every rate it
 * can apply is a whole number of millionths, and comparing two of them is exact.
 */
export type Share = number;

export const ALL: Share = 1_000_000;

const PER_DENOMINATOR: Record<string, number> = {HUNDRED: 10_000, TEN_THOUSAND: 100, MILLION: 1};
// Protobuf JSON/YAML also accepts the enum's numbers.
const DENOMINATOR_NUMBERS = ['HUNDRED', 'TEN_THOUSAND', 'MILLION'];

/** `--sampling 0.5` → 5_000. A percentage 0–100 with at most four decimals (one in a million). */
export function parseSamplingFlag(text: string): Share {
  const match = /^(\d*)(?:\.(\d*))?%?$/.exec(text.trim());
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new UsageError(`invalid --sampling "${text}"`, 'give a percentage from 0 to 100, e.g. --sampling 100 or --sampling 0.5');
  }
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 4) {
    throw new UsageError(`--sampling ${text} is finer than Envoy can sample`, 'the finest rate is 0.0001 (one request in a million)');
  }
  const share = Number(match[1] || '0') * 10_000 + Number(fraction.padEnd(4, '0'));
  if (share > ALL) throw new UsageError(`--sampling ${text} is above 100`, 'give a percentage from 0 to 100');
  return share;
}

/**
 * The runtime value that makes Envoy apply `share`: a plain integer when it is a whole
 * percentage (Envoy reads integers as percent), else a FractionalPercent, because Envoy floors
 * a decimal such as `0.5` to 0. TEN_THOUSAND when it expresses the rate exactly, else MILLION.
 */
export function runtimeValueFor(share: Share): string {
  if (share % 10_000 === 0) return String(share / 10_000);
  if (share % 100 === 0) return JSON.stringify({numerator: share / 100, denominator: 'TEN_THOUSAND'});
  return JSON.stringify({numerator: share, denominator: 'MILLION'});
}

/**
 * The rate Envoy applies for a runtime value, following its parsing (runtime_impl.cc:
 * boolean first, then a number floored to an integer percentage, anything above 100 meaning
 * always, then a FractionalPercent in YAML/JSON). null when Envoy would ignore the value and
 * use the connection manager's configured default instead.
 */
export function shareOfRuntimeValue(raw: string): Share | null {
  const text = raw.trim();
  if (/^(true|false)$/i.test(text)) return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) return null;
    const percent = Math.floor(value);
    return percent > 100 ? ALL : percent * 10_000;
  }
  return fractionalPercentShare(text);
}

function fractionalPercentShare(text: string): Share | null {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields = parsed as Record<string, unknown>;
  // Envoy's strict proto loading rejects unknown fields.
  if (Object.keys(fields).some((key) => key !== 'numerator' && key !== 'denominator')) return null;
  const numerator = wholeNumber(fields.numerator ?? 0);
  const denominator = fields.denominator === undefined ? 'HUNDRED' : denominatorName(fields.denominator);
  if (numerator === null || denominator === null || numerator > 0xffff_ffff) return null;
  return Math.min(ALL, numerator * PER_DENOMINATOR[denominator]);
}

function wholeNumber(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : null;
}

function denominatorName(value: unknown): string | null {
  if (typeof value === 'number') return DENOMINATOR_NUMBERS[value] ?? null;
  return typeof value === 'string' && Object.hasOwn(PER_DENOMINATOR, value) ? value : null;
}

/** 5_000 → `0.5%`, exactly (no float noise). */
export function formatShare(share: Share): string {
  const whole = Math.floor(share / 10_000);
  const fraction = String(share % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}

/** The share as a percentage number for JSON (`0.5`). */
export function sharePercent(share: Share): number {
  return Number(formatShare(share).slice(0, -1));
}
