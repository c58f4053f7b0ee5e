import type {AnyValue, InstrumentationScope, KeyValue, Resource} from '../model.js';
import {OtlpDecodeError, within} from './errors.js';
import {ProtoReader, WIRE} from './proto-reader.js';

/** Arrays and kvlists inside attribute values may nest at most this deep. */
export const MAX_VALUE_DEPTH = 32;

const EMPTY: AnyValue = {type: 'empty'};

/** common.v1.KeyValue: key = 1, value = 2. */
export function readKeyValue(r: ProtoReader, depth: number): KeyValue {
  let key = '';
  let value: AnyValue = EMPTY;
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'key');
      key = r.string();
    } else if (field === 2) {
      r.expect(WIRE.LEN, field, 'value');
      const outer = r.enter();
      try {
        value = readAnyValue(r, depth);
      } catch (error) {
        within(error, key ? `value of "${key}"` : 'value');
      }
      r.leave(outer);
    } else r.skip(field);
  }
  return {key, value};
}

/** A repeated KeyValue field: call once per occurrence, appending to `into`. */
export function readAttribute(r: ProtoReader, into: KeyValue[], field: number, depth = 0): void {
  r.expect(WIRE.LEN, field, 'attributes');
  const outer = r.enter();
  try {
    into.push(readKeyValue(r, depth));
  } catch (error) {
    within(error, `attributes[${into.length}]`);
  }
  r.leave(outer);
}

/**
 * common.v1.AnyValue, a oneof: string 1, bool 2, int64 3, double 4, ArrayValue 5,
 * KeyValueList 6, bytes 7. As in protobuf, the last variant on the wire wins.
 */
export function readAnyValue(r: ProtoReader, depth: number): AnyValue {
  if (depth >= MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let value: AnyValue = EMPTY;
  while (!r.atEnd()) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE.LEN, field, 'string_value');
        value = {type: 'string', value: r.string()};
        break;
      case 2:
        r.expect(WIRE.VARINT, field, 'bool_value');
        value = {type: 'bool', value: r.bool()};
        break;
      case 3:
        r.expect(WIRE.VARINT, field, 'int_value');
        value = {type: 'int', value: r.int64()};
        break;
      case 4:
        r.expect(WIRE.I64, field, 'double_value');
        value = {type: 'double', value: r.double()};
        break;
      case 5: {
        r.expect(WIRE.LEN, field, 'array_value');
        const outer = r.enter();
        value = {type: 'array', values: readValues(r, (item) => readAnyValue(item, depth + 1))};
        r.leave(outer);
        break;
      }
      case 6: {
        r.expect(WIRE.LEN, field, 'kvlist_value');
        const outer = r.enter();
        value = {type: 'kvlist', values: readValues(r, (item) => readKeyValue(item, depth + 1))};
        r.leave(outer);
        break;
      }
      case 7:
        r.expect(WIRE.LEN, field, 'bytes_value');
        value = {type: 'bytes', value: new Uint8Array(r.bytes())};
        break;
      default:
        r.skip(field);
    }
  }
  return value;
}

/** common.v1.ArrayValue and KeyValueList: `repeated <item> values = 1`. */
function readValues<T>(r: ProtoReader, read: (item: ProtoReader) => T): T[] {
  const values: T[] = [];
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'values');
      const outer = r.enter();
      try {
        values.push(read(r));
      } catch (error) {
        within(error, `[${values.length}]`);
      }
      r.leave(outer);
    } else r.skip(field);
  }
  return values;
}

/** resource.v1.Resource: attributes = 1, dropped_attributes_count = 2 (entity_refs = 3 skipped). */
export function readResource(r: ProtoReader, schemaUrl: string): Resource {
  const resource: Resource = {attributes: [], droppedAttributesCount: 0, schemaUrl};
  while (!r.atEnd()) {
    const field = r.tag();
    if (field === 1) readAttribute(r, resource.attributes, field);
    else if (field === 2) {
      r.expect(WIRE.VARINT, field, 'dropped_attributes_count');
      resource.droppedAttributesCount = r.uint32();
    } else r.skip(field);
  }
  return resource;
}

/**
 * common.v1.InstrumentationScope: name = 1, version = 2, attributes = 3,
 * dropped_attributes_count = 4. The retired InstrumentationLibrary has the same first two.
 */
export function readScope(r: ProtoReader | undefined, schemaUrl: string): InstrumentationScope {
  const scope: InstrumentationScope = {name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl};
  while (r && !r.atEnd()) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE.LEN, field, 'name');
      scope.name = r.string();
    } else if (field === 2) {
      r.expect(WIRE.LEN, field, 'version');
      scope.version = r.string();
    } else if (field === 3) readAttribute(r, scope.attributes, field);
    else if (field === 4) {
      r.expect(WIRE.VARINT, field, 'dropped_attributes_count');
      scope.droppedAttributesCount = r.uint32();
    } else r.skip(field);
  }
  return scope;
}
