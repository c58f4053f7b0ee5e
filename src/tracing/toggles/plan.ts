import {TRACING_KEYS, type TracingKey, type TracingState} from './runtime.js';
import {ALL, formatShare, runtimeValueFor, type Share} from './sampling.js';

/** What the user asked for: tracing on at a sampling rate, or meshctl's overrides removed. */
export type Intent = {action: 'enable'; sampling: Share} | {action: 'disable'};

/** One runtime key to write; `to` is `''` to delete the admin-layer override. */
export interface Change {
  key: TracingKey;
  from: string | null;
  to: string;
}

/**
 * The writes that bring a proxy to the intent, compared by meaning, not text: a proxy already
 * at `{"numerator":50,"denominator":"TEN_THOUSAND"}` needs nothing for `--sampling 0.5`.
 * - enable: `tracing.random_sampling` at the rate, `tracing.global_enabled` and
 *   `tracing.client_enabled` at 100, each only when the proxy does not already apply it.
 * - disable: delete whatever admin-layer override of the three keys exists.
 */
export function planChanges(state: TracingState, intent: Intent): Change[] {
  const changes: Change[] = [];
  for (const key of TRACING_KEYS) {
    const current = state[key];
    if (intent.action === 'disable') {
      if (current.override !== null) changes.push({key, from: current.override, to: ''});
      continue;
    }
    const wanted = key === 'tracing.random_sampling' ? intent.sampling : ALL;
    if (current.share !== wanted) changes.push({key, from: current.raw, to: runtimeValueFor(wanted)});
  }
  return changes;
}

/**
 * `/runtime_modify`'s query: every value percent-encoded (a FractionalPercent's JSON included),
 * never `+` for a space, which Envoy's query decoding would keep as a plus sign.
 */
export function modifyQuery(changes: readonly Change[]): string {
  return changes.map((c) => `${encodeURIComponent(c.key)}=${encodeURIComponent(c.to)}`).join('&');
}

/** Why the proxy, read back after the write, does not show what was written; empty when it does. */
export function unmetChanges(after: TracingState, changes: readonly Change[], intent: Intent): string[] {
  const problems: string[] = [];
  for (const change of changes) {
    const now = after[change.key];
    if (intent.action === 'disable') {
      if (now.override !== null) problems.push(`${change.key} still has the override ${now.override}`);
      continue;
    }
    const wanted = change.key === 'tracing.random_sampling' ? intent.sampling : ALL;
    if (now.share !== wanted) {
      const shown = now.raw === null ? 'unset' : `${now.raw} (layer "${now.layer}")`;
      problems.push(`${change.key} reads ${shown} after the write, not ${formatShare(wanted)}`);
    }
  }
  return problems;
}
