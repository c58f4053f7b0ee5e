import type {ChalkInstance} from 'chalk';

/**
 * Health by success rate. A success rate at or above `good` is healthy (green), at or above
 * `warn` degraded (yellow), below it failing (red); unknown is dim. The defaults match common
 * service-level objectives: 99% and 95%.
 */
export interface HealthThresholds {
  good: number;
  warn: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {good: 0.99, warn: 0.95};

export type Health = 'good' | 'warn' | 'bad' | 'unknown';

export function classifyHealth(success: number | null, thresholds: HealthThresholds): Health {
  if (success === null || !Number.isFinite(success)) return 'unknown';
  if (success >= thresholds.good) return 'good';
  if (success >= thresholds.warn) return 'warn';
  return 'bad';
}

/**
 * The success rate a node serves: its incoming hops' rates weighted by their request rates.
 * Hops without a request rate count once each when no hop has one; null when nothing is known.
 */
export function servedSuccess(incoming: ReadonlyArray<{success: number | null; rps: number | null}>): number | null {
  const known = incoming.filter((e) => e.success !== null && Number.isFinite(e.success));
  if (known.length === 0) return null;
  const weighted = known.filter((e) => e.rps !== null && Number.isFinite(e.rps) && e.rps > 0);
  if (weighted.length > 0) {
    const total = weighted.reduce((sum, e) => sum + (e.rps as number), 0);
    return weighted.reduce((sum, e) => sum + (e.success as number) * (e.rps as number), 0) / total;
  }
  return known.reduce((sum, e) => sum + (e.success as number), 0) / known.length;
}

/** What a piece of the drawing is, for colouring. `plain` is never coloured. */
export type Tone = Health | 'plain' | 'muted';

/** Colour text by tone through the caller's chalk instance, so colour settings stay theirs. */
export function paint(chalk: ChalkInstance, tone: Tone, text: string): string {
  switch (tone) {
    case 'good':
      return chalk.green(text);
    case 'warn':
      return chalk.yellow(text);
    case 'bad':
      return chalk.red(text);
    case 'unknown':
    case 'muted':
      return chalk.dim(text);
    case 'plain':
      return text;
  }
}
