/**
 * Compact figures for edge labels. Each carries its unit, so a missing figure can simply be
 * left out without the others changing meaning.
 */

export function formatRps(rps: number | null): string | null {
  if (rps === null || !Number.isFinite(rps) || rps < 0) return null;
  if (rps === 0) return '0rps';
  if (rps < 0.01) return '<0.01rps';
  if (rps < 1) return `${rps.toFixed(2)}rps`;
  if (rps < 100) return `${rps.toFixed(1)}rps`;
  if (rps < 10_000) return `${Math.round(rps)}rps`;
  return `${(rps / 1000).toFixed(rps < 100_000 ? 1 : 0)}krps`;
}

/**
 * Success rate in percent, rounded down so that anything short of perfect never reads as
 * 100%: 0.99996 is `99.9%`, not `100.0%`.
 */
export function formatSuccess(success: number | null): string | null {
  if (success === null || !Number.isFinite(success)) return null;
  const clamped = Math.min(1, Math.max(0, success));
  if (clamped === 1) return '100%';
  // The epsilon keeps binary fractions such as 0.29 * 1000 = 289.99999999999997 from losing a tenth.
  return `${(Math.floor(clamped * 1000 + 1e-9) / 10).toFixed(1)}%`;
}

export function formatLatency(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return null;
  if (ms > 0 && ms < 0.1) return '<0.1ms';
  if (ms < 10) return `${+ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${+(ms / 1000).toFixed(2)}s`;
  return `${+(ms / 1000).toFixed(1)}s`;
}

export function formatSecured(secured: boolean | null): string {
  if (secured === true) return 'mTLS';
  if (secured === false) return 'plaintext';
  return 'tls unknown';
}

/** The three figures of a hop, for a label stacked rps / success / p99. */
export interface EdgeFigures {
  rps: string | null;
  success: string | null;
  p99: string | null;
}

export function edgeFigures(edge: {rps: number | null; success: number | null; latencyMsP99: number | null}): EdgeFigures {
  return {rps: formatRps(edge.rps), success: formatSuccess(edge.success), p99: formatLatency(edge.latencyMsP99)};
}

/** The figures on one line, unknown ones left out: `12.3rps 99.1% 45ms`, or `no data`. */
export function figuresInline(figures: EdgeFigures): string {
  const parts = [figures.rps, figures.success, figures.p99].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' ') : 'no data';
}
