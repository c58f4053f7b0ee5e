import type {PathMatch, StatusMatch, TapFilter} from '../../views/tap-filter.js';

/**
 * Builds the body of Envoy's admin `POST /tap` (`envoy.admin.v3.TapRequest`) from the tap
 * filters. Field names follow envoy/config/common/matcher/v3/matcher.proto (MatchPredicate:
 * `any_match`, `and_match.rules` — at least two — and `http_request_headers_match` /
 * `http_response_headers_match` with `headers: [HeaderMatcher]`) and
 * envoy/config/route/v3/route_components.proto (HeaderMatcher).
 *
 * Header matchers come in two dialects:
 * - `string-match` (default): `string_match: {exact|prefix|safe_regex, ignore_case}`, which
 *   Envoy 1.20 added (envoyproxy/envoy#17119) and prefers;
 * - `legacy`: the older `exact_match` / `prefix_match` / `safe_regex_match` fields, for
 *   proxies older than 1.20 that reject `string_match` as an unknown field.
 *
 * What Envoy cannot express is left to the client side (tap-filter.ts): minimum latency,
 * and regexes that RE2 does not accept (lookaround, backreferences).
 */
export type HeaderMatcherStyle = 'string-match' | 'legacy';

export interface TapRequestOptions {
  /** The `admin_config.config_id` the tap filter registered; meshctl's default is `meshctl`. */
  configId?: string;
  style?: HeaderMatcherStyle;
  /** Body bytes buffered per request/response (Envoy's default is 1024 each). */
  maxBufferedRxBytes?: number;
  maxBufferedTxBytes?: number;
  /** Ask for `http_streamed_trace_segment`s instead of one buffered trace per request. */
  streaming?: boolean;
}

export const DEFAULT_TAP_CONFIG_ID = 'meshctl';

type Json = Record<string, unknown>;

export interface TapRequest {
  config_id: string;
  tap_config: {
    match: Json;
    output_config: {
      sinks: [{format: 'JSON_BODY_AS_BYTES'; streaming_admin: Record<string, never>}];
      max_buffered_rx_bytes: number;
      max_buffered_tx_bytes: number;
      streaming: boolean;
    };
  };
}

export function buildTapRequest(filter: TapFilter, options: TapRequestOptions = {}): TapRequest {
  return {
    config_id: options.configId ?? DEFAULT_TAP_CONFIG_ID,
    tap_config: {
      match: buildMatch(filter, options.style ?? 'string-match'),
      output_config: {
        sinks: [{format: 'JSON_BODY_AS_BYTES', streaming_admin: {}}],
        max_buffered_rx_bytes: options.maxBufferedRxBytes ?? 1024,
        max_buffered_tx_bytes: options.maxBufferedTxBytes ?? 1024,
        streaming: options.streaming ?? false,
      },
    },
  };
}

/** The MatchPredicate for the filters Envoy can evaluate itself. */
export function buildMatch(filter: TapFilter, style: HeaderMatcherStyle): Json {
  const requestHeaders: Json[] = [];
  if (filter.method !== null) requestHeaders.push(headerMatcher(':method', {exact: filter.method}, style));
  if (filter.authority !== null) {
    requestHeaders.push(headerMatcher(':authority', {exact: filter.authority, ignoreCase: true}, style));
  }
  const path = filter.path && pathCondition(filter.path);
  if (path) requestHeaders.push(headerMatcher(':path', path, style));
  const responseHeaders = filter.status ? [headerMatcher(':status', statusCondition(filter.status), style)] : [];

  const rules: Json[] = [];
  if (requestHeaders.length > 0) rules.push({http_request_headers_match: {headers: requestHeaders}});
  if (responseHeaders.length > 0) rules.push({http_response_headers_match: {headers: responseHeaders}});
  if (rules.length === 0) return {any_match: true};
  return rules.length === 1 ? rules[0] : {and_match: {rules}};
}

type Condition = {exact: string; ignoreCase?: boolean} | {prefix: string} | {regex: string};

function headerMatcher(name: string, condition: Condition, style: HeaderMatcherStyle): Json {
  if (style === 'legacy') {
    if ('exact' in condition) return {name, exact_match: condition.exact};
    if ('prefix' in condition) return {name, prefix_match: condition.prefix};
    return {name, safe_regex_match: {google_re2: {}, regex: condition.regex}};
  }
  if ('exact' in condition) {
    return {name, string_match: condition.ignoreCase ? {exact: condition.exact, ignore_case: true} : {exact: condition.exact}};
  }
  if ('prefix' in condition) return {name, string_match: {prefix: condition.prefix}};
  return {name, string_match: {safe_regex: {regex: condition.regex}}};
}

function statusCondition(status: StatusMatch): Condition {
  // `:status` is always three digits, so a class is a one-digit prefix.
  return status.kind === 'code' ? {exact: String(status.code)} : {prefix: String(status.digit)};
}

/** Null when only the client side can apply the path filter. */
function pathCondition(path: PathMatch): Condition | null {
  if (path.kind === 'prefix') return {prefix: path.value};
  if (!re2Compatible(path.source)) return null;
  // Envoy matches a regex against the whole value; meshctl's regexes search anywhere in
  // the path, so wrap them. In RE2 `^`/`$` still anchor at the ends of the value.
  return {regex: `.*(?:${path.source}).*`};
}

/** JavaScript regex syntax RE2 rejects: lookahead/lookbehind, backreferences, named refs. */
export function re2Compatible(source: string): boolean {
  return !/\(\?<?[=!]|\\[1-9]|\\k</.test(source);
}
