import {parse as parseYaml} from 'yaml';
import type {HeaderMatch, Predicate} from './matcher.js';

export type TapFormat = 'JSON_BODY_AS_BYTES' | 'JSON_BODY_AS_STRING';

/** One accepted `/tap` request. */
export interface TapSession {
  configId: string;
  match: Predicate;
  format: TapFormat;
  maxRxBytes: number;
  maxTxBytes: number;
  /** `streaming_admin`: until the client detaches; `buffered_admin`: up to `maxTraces`, or until `timeoutMs`. */
  sink: {kind: 'streaming_admin'} | {kind: 'buffered_admin'; maxTraces: number; timeoutMs: number | null};
}

/** A rejection, worded as Envoy words it (all are HTTP 400). */
export class TapConfigError extends Error {}

/** Envoy's default for max_buffered_rx_bytes / max_buffered_tx_bytes. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function constraint(path: string, problem: string): TapConfigError {
  return new TapConfigError(`Proto constraint validation failed (${path}: ${problem})`);
}

function checkFields(value: Json, type: string, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TapConfigError(`Protobuf message (type ${type} reason INVALID_ARGUMENT:${key}: Cannot find field.) has unknown fields`);
    }
  }
}

function notSupported(what: string): TapConfigError {
  return new TapConfigError(`meshctl demo: ${what} is not supported by the demo sidecar's tap`);
}

/** Parse and validate a `/tap` body (JSON or YAML `envoy.admin.v3.TapRequest`). */
export function parseTapRequest(body: string): TapSession {
  let raw: unknown;
  try {
    raw = parseYaml(body);
  } catch (error) {
    throw new TapConfigError(`Unable to convert YAML as JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isObject(raw)) throw new TapConfigError(`Unable to parse JSON as proto (INVALID_ARGUMENT:expected an object): ${body.trim()}`);
  checkFields(raw, 'envoy.admin.v3.TapRequest', ['config_id', 'tap_config']);
  const configId = typeof raw.config_id === 'string' ? raw.config_id : '';
  if (configId === '') throw constraint('TapRequestValidationError.ConfigId', 'value length must be at least 1 characters');
  if (!isObject(raw.tap_config)) throw constraint('TapRequestValidationError.TapConfig', 'value is required');
  const tap = raw.tap_config;
  checkFields(tap, 'envoy.config.tap.v3.TapConfig', ['match', 'match_config', 'output_config', 'tap_enabled']);
  if (tap.tap_enabled !== undefined) throw notSupported('tap_enabled');
  const outputPath = 'TapRequestValidationError.TapConfig: embedded message failed validation | caused by TapConfigValidationError.OutputConfig';
  if (!isObject(tap.output_config)) throw constraint(outputPath, 'value is required');
  const output = tap.output_config;
  checkFields(output, 'envoy.config.tap.v3.OutputConfig', ['sinks', 'max_buffered_rx_bytes', 'max_buffered_tx_bytes', 'streaming']);
  const sinks = Array.isArray(output.sinks) ? output.sinks : [];
  if (sinks.length !== 1) throw constraint(`${outputPath}: embedded message failed validation | caused by OutputConfigValidationError.Sinks`, 'value must contain exactly 1 item(s)');
  if (output.streaming === true) throw notSupported('streaming: true (http_streamed_trace_segment)');
  const matchSource = tap.match ?? tap.match_config;
  if (!isObject(matchSource)) throw new TapConfigError(`Neither match nor match_config is set in TapConfig: ${JSON.stringify(tap)}`);
  return {
    configId,
    match: predicate(matchSource, 'match'),
    ...sink(sinks[0]),
    maxRxBytes: bytesLimit(output.max_buffered_rx_bytes),
    maxTxBytes: bytesLimit(output.max_buffered_tx_bytes),
  };
}

function bytesLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_BUFFERED_BYTES;
  const n = Number(isObject(value) ? value.value : value);
  if (!Number.isInteger(n) || n < 0) throw new TapConfigError(`Unable to parse JSON as proto (INVALID_ARGUMENT:invalid value ${JSON.stringify(value)} for type UInt32Value)`);
  return n;
}

function sink(raw: unknown): Pick<TapSession, 'format' | 'sink'> {
  if (!isObject(raw)) throw new TapConfigError('Unable to parse JSON as proto (INVALID_ARGUMENT:sinks[0]: expected an object)');
  checkFields(raw, 'envoy.config.tap.v3.OutputSink', ['format', 'streaming_admin', 'buffered_admin', 'file_per_tap', 'streaming_grpc']);
  const format = raw.format === undefined ? 'JSON_BODY_AS_BYTES' : String(raw.format);
  if (!['JSON_BODY_AS_BYTES', 'JSON_BODY_AS_STRING', 'PROTO_BINARY', 'PROTO_BINARY_LENGTH_DELIMITED', 'PROTO_TEXT'].includes(format)) {
    throw new TapConfigError(`Unable to parse JSON as proto (INVALID_ARGUMENT:sinks[0].format: invalid value "${format}" for type envoy.config.tap.v3.OutputSink.Format)`);
  }
  if (raw.file_per_tap !== undefined) throw notSupported('the file_per_tap sink');
  if (raw.streaming_grpc !== undefined) throw notSupported('the streaming_grpc sink');
  if (format !== 'JSON_BODY_AS_BYTES' && format !== 'JSON_BODY_AS_STRING') throw new TapConfigError('admin output only supports JSON formats');
  if (isObject(raw.buffered_admin)) {
    const b = raw.buffered_admin;
    const maxTraces = Number(b.max_traces);
    if (!Number.isInteger(maxTraces) || maxTraces < 1) throw constraint('BufferedAdminSinkValidationError.MaxTraces', 'value must be greater than 0');
    return {format, sink: {kind: 'buffered_admin', maxTraces, timeoutMs: b.timeout === undefined ? null : protoDuration(b.timeout)}};
  }
  if (raw.streaming_admin === undefined) throw constraint('OutputSinkValidationError.OutputSinkType', 'value is required');
  return {format, sink: {kind: 'streaming_admin'}};
}

function protoDuration(value: unknown): number {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(String(value));
  if (!m) throw new TapConfigError(`Unable to parse JSON as proto (INVALID_ARGUMENT:invalid duration ${JSON.stringify(value)})`);
  return Number(m[1]) * 1000;
}

const PREDICATES = ['any_match', 'and_match', 'or_match', 'not_match', 'http_request_headers_match', 'http_response_headers_match', 'http_request_trailers_match', 'http_response_trailers_match', 'http_request_generic_body_match', 'http_response_generic_body_match'];

function predicate(raw: Json, path: string): Predicate {
  checkFields(raw, 'envoy.config.common.matcher.v3.MatchPredicate', PREDICATES);
  const keys = Object.keys(raw);
  if (keys.length !== 1) throw constraint(`MatchPredicateValidationError.Rule`, keys.length === 0 ? 'value is required' : 'only one of the rule fields may be set');
  const [key] = keys;
  const value = raw[key];
  switch (key) {
    case 'any_match':
      if (value !== true) throw constraint('MatchPredicateValidationError.AnyMatch', 'value must equal true');
      return {kind: 'any'};
    case 'and_match':
    case 'or_match': {
      const rules = isObject(value) && Array.isArray(value.rules) ? value.rules : [];
      if (rules.length < 2) throw constraint('MatchPredicate_MatchSetValidationError.Rules', 'value must contain at least 2 item(s)');
      return {kind: key === 'and_match' ? 'and' : 'or', rules: rules.map((r, i) => predicate(asObject(r), `${path}.${key}.rules[${i}]`))};
    }
    case 'not_match':
      return {kind: 'not', rule: predicate(asObject(value), `${path}.not_match`)};
    case 'http_request_headers_match':
    case 'http_response_headers_match': {
      const headers = isObject(value) && Array.isArray(value.headers) ? value.headers : [];
      return {kind: key === 'http_request_headers_match' ? 'request_headers' : 'response_headers', headers: headers.map((h) => headerMatch(asObject(h)))};
    }
    default:
      throw notSupported(key);
  }
}

function asObject(value: unknown): Json {
  if (!isObject(value)) throw new TapConfigError(`Unable to parse JSON as proto (INVALID_ARGUMENT:expected an object, got ${JSON.stringify(value)})`);
  return value;
}

function regex(pattern: unknown, ignoreCase = false): RegExp {
  try {
    // RE2 semantics for safe_regex: the whole value must match.
    return new RegExp(`^(?:${String(pattern)})$`, ignoreCase ? 'i' : '');
  } catch (error) {
    throw new TapConfigError(`Invalid regex '${String(pattern)}': ${(error as Error).message}`);
  }
}

function stringTest(raw: Json): (v: string) => boolean {
  checkFields(raw, 'envoy.type.matcher.v3.StringMatcher', ['exact', 'prefix', 'suffix', 'contains', 'safe_regex', 'ignore_case']);
  const ci = raw.ignore_case === true;
  const norm = (s: string) => (ci ? s.toLowerCase() : s);
  if (typeof raw.exact === 'string') return (v) => norm(v) === norm(raw.exact as string);
  if (typeof raw.prefix === 'string') return (v) => norm(v).startsWith(norm(raw.prefix as string));
  if (typeof raw.suffix === 'string') return (v) => norm(v).endsWith(norm(raw.suffix as string));
  if (typeof raw.contains === 'string') return (v) => norm(v).includes(norm(raw.contains as string));
  if (isObject(raw.safe_regex)) {
    const re = regex(raw.safe_regex.regex, ci);
    return (v) => re.test(v);
  }
  throw constraint('StringMatcherValidationError.MatchPattern', 'value is required');
}

function headerMatch(raw: Json): HeaderMatch {
  checkFields(raw, 'envoy.config.route.v3.HeaderMatcher', ['name', 'exact_match', 'prefix_match', 'suffix_match', 'contains_match', 'safe_regex_match', 'present_match', 'string_match', 'invert_match']);
  const name = String(raw.name ?? '').toLowerCase();
  if (name === '') throw constraint('HeaderMatcherValidationError.Name', 'value length must be at least 1 characters');
  let test: (v: string | undefined) => boolean;
  if (typeof raw.exact_match === 'string') test = (v) => v === raw.exact_match;
  else if (typeof raw.prefix_match === 'string') test = (v) => v !== undefined && v.startsWith(raw.prefix_match as string);
  else if (typeof raw.suffix_match === 'string') test = (v) => v !== undefined && v.endsWith(raw.suffix_match as string);
  else if (typeof raw.contains_match === 'string') test = (v) => v !== undefined && v.includes(raw.contains_match as string);
  else if (isObject(raw.safe_regex_match)) {
    const re = regex(raw.safe_regex_match.regex);
    test = (v) => v !== undefined && re.test(v);
  } else if (raw.present_match !== undefined) test = (v) => (v !== undefined) === Boolean(raw.present_match);
  else if (isObject(raw.string_match)) {
    const t = stringTest(raw.string_match);
    test = (v) => v !== undefined && t(v);
  } else test = (v) => v !== undefined;
  const invert = raw.invert_match === true;
  return {name, test: invert ? (v) => !test(v) : test};
}
