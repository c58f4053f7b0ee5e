import type {AnyValue, KeyValue} from '../../../src/tracing/model.js';
import type {ResourceSpec, ScopeSpec, SpanSpec} from './sdk-spans.js';

/**
 * One request exercising every field and every AnyValue variant, with the values a correct
 * decoder must produce written out by hand (not computed by meshctl).
 */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const ROOT_ID = '00f067aa0ba902b7';
export const CHILD_ID = '53995c3f42cd8ad8';
export const LINKED_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const LINKED_SPAN = 'b7ad6b7169203331';

export const RESOURCE: ResourceSpec = {
  attributes: {'service.name': 'books', 'service.version': '1.2.3', 'host.cpus': 8},
  schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
};

export const SCOPE: ScopeSpec = {
  name: 'meshctl-test',
  version: '0.9.0',
  schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
  attributes: {'scope.flag': true},
  droppedAttributesCount: 2,
};

export const RICH_ATTRIBUTES = {
  str: 'hello',
  bool: true,
  int: 42,
  negative: -7,
  big: 2 ** 60,
  double: 3.25,
  bytes: Uint8Array.from([0, 255, 16]),
  array: ['a', 1, true, 2.5],
  kvlist: {inner: 'x', n: 5, nested: {deep: [1, 2]}},
  empty_array: [],
  unicode: 'ünï ✓ 🚀',
};

const s = (value: string): AnyValue => ({type: 'string', value});
const i = (value: bigint): AnyValue => ({type: 'int', value});
const kv = (key: string, value: AnyValue): KeyValue => ({key, value});

export const RICH_ATTRIBUTES_DECODED: KeyValue[] = [
  kv('str', s('hello')),
  kv('bool', {type: 'bool', value: true}),
  kv('int', i(42n)),
  kv('negative', i(-7n)),
  kv('big', i(1152921504606846976n)),
  kv('double', {type: 'double', value: 3.25}),
  kv('bytes', {type: 'bytes', value: Uint8Array.from([0, 255, 16])}),
  kv('array', {type: 'array', values: [s('a'), i(1n), {type: 'bool', value: true}, {type: 'double', value: 2.5}]}),
  kv('kvlist', {
    type: 'kvlist',
    values: [kv('inner', s('x')), kv('n', i(5n)), kv('nested', {type: 'kvlist', values: [kv('deep', {type: 'array', values: [i(1n), i(2n)]})]})],
  }),
  kv('empty_array', {type: 'array', values: []}),
  kv('unicode', s('ünï ✓ 🚀')),
];

export const ROOT: SpanSpec = {
  traceId: TRACE_ID,
  spanId: ROOT_ID,
  name: 'GET /books',
  kind: 1,
  start: [1700000000, 123456789],
  end: [1700000000, 223456789],
  attributes: RICH_ATTRIBUTES,
  droppedAttributesCount: 3,
  events: [{name: 'cache miss', time: [1700000000, 150000001], attributes: {'cache.key': 'k1'}, droppedAttributesCount: 1}],
  droppedEventsCount: 4,
  links: [{traceId: LINKED_TRACE, spanId: LINKED_SPAN, traceFlags: 1, traceState: 'vendor=a', isRemote: true, attributes: {why: 'batch'}, droppedAttributesCount: 6}],
  droppedLinksCount: 5,
  status: {code: 2, message: 'boom'},
  traceState: 'congo=t61rcWkgMzE',
};

export const CHILD: SpanSpec = {
  traceId: TRACE_ID,
  spanId: CHILD_ID,
  parentSpanId: ROOT_ID,
  parentIsRemote: true,
  name: 'SELECT books',
  kind: 2,
  start: [1700000000, 130000000],
  end: [1700000000, 190000000],
  status: {code: 1},
};
