import type {QuantileEstimate} from '../model/histogram.js';
import type {FlatRecord} from './records.js';

export const NONE = '-';

export function formatPercent(fraction: number | null): string {
  return fraction === null ? NONE : `${(fraction * 100).toFixed(2)}%`;
}

export function formatRps(rps: number | null): string {
  if (rps === null) return NONE;
  if (rps > 0 && rps < 0.05) return '<0.1rps';
  return `${rps.toFixed(1)}rps`;
}

/** Milliseconds: whole numbers from 10 ms up, one decimal below. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? '∞' : '-∞';
  return ms >= 10 ? `${Math.round(ms)}ms` : `${Number(ms.toFixed(1))}ms`;
}

/**
 * A latency percentile. When it fell into the open-ended last bucket the true value is only
 * known to be above the highest finite bound, so it reads `>50000ms`.
 */
export function formatQuantile(q: QuantileEstimate | null): string {
  if (q === null) return NONE;
  if (q.upper === Infinity && q.lower !== -Infinity) return `>${formatMs(q.lower)}`;
  return formatMs(q.value);
}

/** The bucket a percentile fell into, as `(5ms, 10ms]`. */
export function formatBucket(q: QuantileEstimate | null): string {
  if (q === null) return NONE;
  const lower = q.lower === -Infinity ? '-∞' : formatMs(q.lower);
  const upper = q.upper === Infinity ? '+Inf' : formatMs(q.upper);
  return `(${lower}, ${upper}]`;
}

export function formatBytesRate(bytesPerSec: number | null): string {
  if (bytesPerSec === null) return NONE;
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let value = bytesPerSec;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)}${units[unit]}`;
}

export function formatCount(n: number | null): string {
  return n === null ? NONE : String(Math.round(n));
}

/** JSON cannot hold ±Infinity or NaN: they become null. */
export function jsonNumber(n: number | null | undefined): number | null {
  return n === null || n === undefined || !Number.isFinite(n) ? null : n;
}

/** Round for machine output without inventing precision the measurement does not have. */
export function round(n: number | null, digits = 6): number | null {
  if (n === null || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `latency_ms_<name>` plus the bounds of the bucket it fell into (null when open-ended). */
export function quantileFields(name: string, e: QuantileEstimate | null): FlatRecord {
  return {
    [`latency_ms_${name}`]: round(jsonNumber(e?.value)),
    [`latency_ms_${name}_bucket_lower`]: e ? round(e.lower === -Infinity ? null : e.lower) : null,
    [`latency_ms_${name}_bucket_upper`]: e ? round(e.upper === Infinity ? null : e.upper) : null,
  };
}
