import {UserError} from '../../errors.js';

/**
 * Envoy's admin `/tap` answers a refused request with HTTP 400 and one line of text
 * (source/extensions/common/tap/admin.cc). Each is turned into a message that says what
 * happened and what to do about it. `retryLegacy` marks the one case worth retrying with
 * legacy header matchers: an older Envoy that does not know `string_match`.
 */
export interface TapRefusal {
  error: UserError;
  retryLegacy: boolean;
}

const ISTIO_HINT =
  'add the tap filter with config_id "<id>" to the proxy (Istio: an EnvoyFilter inserting ' +
  'envoy.filters.http.tap with common_config.admin_config.config_id), then retry';

export function explainTapRefusal(proxy: string, status: number, body: string, configId: string): TapRefusal {
  const text = body.trim();
  const hint = ISTIO_HINT.replace('<id>', configId);
  if (/already exists/i.test(text)) {
    return refusal(
      `${proxy}: another client is already tapping this proxy (Envoy allows one /tap stream at a time)`,
      'stop the other tap (another meshctl, or a curl on /tap) or wait for it to end, then retry',
    );
  }
  if (/unknown config id/i.test(text)) {
    return refusal(`${proxy}: no tap filter is registered with config id "${configId}"`, `${hint}; or pass --tap-config-id`);
  }
  if (status === 404) {
    return refusal(`${proxy}: the admin endpoint has no /tap handler (no tap filter is configured on this proxy)`, hint);
  }
  if (/string_match/.test(text)) {
    return {error: new UserError(`${proxy}: this Envoy does not understand string_match header matchers`), retryLegacy: true};
  }
  const detail = text === '' ? `HTTP ${status}` : `HTTP ${status}: ${firstLine(text)}`;
  return refusal(`${proxy}: Envoy refused the tap request (${detail})`);
}

function refusal(message: string, hint?: string): TapRefusal {
  return {error: new UserError(message, {hint}), retryLegacy: false};
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
