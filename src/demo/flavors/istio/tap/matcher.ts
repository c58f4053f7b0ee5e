import type {HeaderList} from '../../../sidecar/headers.js';

/** envoy.config.route.v3.HeaderMatcher, the forms the demo understands, compiled. */
export interface HeaderMatch {
  name: string;
  test: (value: string | undefined) => boolean;
}

/** envoy.config.common.matcher.v3.MatchPredicate, compiled. */
export type Predicate =
  | {kind: 'any'}
  | {kind: 'and'; rules: Predicate[]}
  | {kind: 'or'; rules: Predicate[]}
  | {kind: 'not'; rule: Predicate}
  | {kind: 'request_headers'; headers: HeaderMatch[]}
  | {kind: 'response_headers'; headers: HeaderMatch[]};

function headerValue(headers: HeaderList, name: string): string | undefined {
  const values = headers.filter(([n]) => n === name).map(([, v]) => v);
  return values.length === 0 ? undefined : values.join(',');
}

/**
 * Whether one finished exchange matches. Request headers include the pseudo-headers
 * `:authority`, `:path`, `:method`, `:scheme`; response headers `:status`.
 */
export function matches(predicate: Predicate, request: HeaderList, response: HeaderList): boolean {
  switch (predicate.kind) {
    case 'any':
      return true;
    case 'and':
      return predicate.rules.every((r) => matches(r, request, response));
    case 'or':
      return predicate.rules.some((r) => matches(r, request, response));
    case 'not':
      return !matches(predicate.rule, request, response);
    case 'request_headers':
      return predicate.headers.every((h) => h.test(headerValue(request, h.name)));
    case 'response_headers':
      return predicate.headers.every((h) => h.test(headerValue(response, h.name)));
  }
}
