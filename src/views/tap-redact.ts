import type {Header, TrafficEvent} from '../model/traffic.js';

export const REDACTED = '[redacted]';

/** Headers that carry credentials by definition (compared lower-case). */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'apikey',
]);

/**
 * Name fragments that mark a header or query parameter as secret wherever they appear:
 * `x-auth-token`, `x-amz-security-token`, `x-client-secret`, `x-session-id`,
 * `x-goog-iap-jwt-assertion`, `access_token`, ... (`:authority` matches none of them).
 */
const SECRET_FRAGMENT = /token|secret|passw(or)?d|credential|session|api[-_]?key|jwt|signature|authorization/;

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_FRAGMENT.test(lower);
}

/** Secret headers get `[redacted]`; the `:path` pseudo-header gets its secret query values redacted. */
export function redactHeaders(headers: readonly Header[]): Header[] {
  return headers.map(([name, value]) => {
    if (isSecretName(name)) return [name, REDACTED];
    return name === ':path' ? [name, redactPath(value)] : [name, value];
  });
}

/** Replace the values of secret-looking query parameters: `?access_token=abc` → `?access_token=[redacted]`. */
export function redactPath(path: string): string {
  const query = path.indexOf('?');
  if (query < 0) return path;
  const params = path
    .slice(query + 1)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq < 0) return param;
      return isSecretName(decodeName(param.slice(0, eq))) ? `${param.slice(0, eq + 1)}${REDACTED}` : param;
    });
  return `${path.slice(0, query + 1)}${params.join('&')}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The event as it may be shown: secret headers, trailers and query values replaced by
 * `[redacted]`, unless the user asked for `--show-secrets`. The input is not modified.
 */
export function redactEvent(event: TrafficEvent, showSecrets: boolean): TrafficEvent {
  if (showSecrets) return event;
  return {
    ...event,
    path: event.path === null ? null : redactPath(event.path),
    requestHeaders: redactHeaders(event.requestHeaders),
    responseHeaders: redactHeaders(event.responseHeaders),
    responseTrailers: redactHeaders(event.responseTrailers),
  };
}
