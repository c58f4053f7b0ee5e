import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {OtlpDecodeError} from '../../src/tracing/otlp/errors.js';
import {ProtoReader, WIRE} from '../../src/tracing/otlp/proto-reader.js';
import {bytes, bytesField, doubleField, fixed32Field, fixed64Field, stringField, tag, varint, varintField} from './helpers/proto-bytes.js';

function reader(...parts: number[][]): ProtoReader {
  return new ProtoReader(bytes(...parts));
}

describe('ProtoReader varints', () => {
  it('reads the spec example 150 (0x96 0x01) and single bytes', () => {
    expect(new ProtoReader(Uint8Array.from([0x96, 0x01])).uint32()).toBe(150);
    expect(new ProtoReader(Uint8Array.from([0x00])).uint32()).toBe(0);
    expect(new ProtoReader(Uint8Array.from([0x7f])).uint32()).toBe(127);
  });

  it('reads int64 two’s complement: -1 is ten bytes', () => {
    const minusOne = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(new ProtoReader(Uint8Array.from(minusOne)).int64()).toBe(-1n);
    expect(new ProtoReader(Uint8Array.from(minusOne)).int32()).toBe(-1);
    expect(new ProtoReader(Uint8Array.from(minusOne)).uint32()).toBe(0xffffffff);
  });

  it('round-trips every int64 through an independent encoder', () => {
    fc.assert(
      fc.property(fc.bigInt({min: -(2n ** 63n), max: 2n ** 63n - 1n}), (value) => {
        expect(new ProtoReader(Uint8Array.from(varint(value))).int64()).toBe(value);
      }),
    );
  });

  it('keeps uint32 semantics (low 32 bits) for values above 2^32', () => {
    expect(new ProtoReader(Uint8Array.from(varint(2n ** 32n + 5n))).uint32()).toBe(5);
  });

  it('rejects a truncated varint with its offset', () => {
    expect(() => new ProtoReader(Uint8Array.from([0x96])).uint32()).toThrow(OtlpDecodeError);
    const r = new ProtoReader(Uint8Array.from([0x08, 0x96]));
    r.tag();
    expect(() => r.uint32()).toThrow('truncated varint at byte 1');
  });

  it('rejects varints longer than 10 bytes and 10-byte varints overflowing 64 bits', () => {
    expect(() => new ProtoReader(Uint8Array.from(Array(11).fill(0x80))).uint32()).toThrow('longer than 10 bytes');
    const overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
    expect(() => new ProtoReader(Uint8Array.from(overflow)).int64()).toThrow('overflows 64 bits');
  });
});

describe('ProtoReader fields', () => {
  it('reads fixed32, fixed64 above 2^53, doubles, strings and bytes', () => {
    const r = reader(
      fixed32Field(1, 0xdeadbeef),
      fixed64Field(2, 1700000000123456789n),
      doubleField(3, -2.5),
      stringField(4, 'héllo ✓'),
      bytesField(5, [1, 2, 3]),
    );
    expect(r.tag()).toBe(1);
    expect(r.wireType).toBe(WIRE.I32);
    expect(r.fixed32()).toBe(0xdeadbeef);
    expect(r.tag()).toBe(2);
    expect(r.fixed64()).toBe(1700000000123456789n);
    expect(r.tag()).toBe(3);
    expect(r.double()).toBe(-2.5);
    expect(r.tag()).toBe(4);
    expect(r.string()).toBe('héllo ✓');
    expect(r.tag()).toBe(5);
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.atEnd()).toBe(true);
  });

  it('rejects invalid UTF-8 in strings', () => {
    const r = reader(bytesField(1, [0xc3, 0x28]));
    r.tag();
    expect(() => r.string()).toThrow('invalid UTF-8 in string at byte 1');
  });

  it('rejects a length running past the end of the message', () => {
    const r = reader([...tag(1, 2), 10, 1, 2]);
    r.tag();
    expect(() => r.bytes()).toThrow('length 10 at byte 1 runs past the end of its message (2 bytes left)');
  });

  it('keeps a sub-message reader inside its own bounds', () => {
    const r = reader(bytesField(1, varintField(1, 7)), varintField(2, 9));
    r.tag();
    const inner = r.message();
    expect(inner.tag()).toBe(1);
    expect(inner.uint32()).toBe(7);
    expect(inner.atEnd()).toBe(true);
    expect(r.tag()).toBe(2);
  });

  it('rejects truncated fixed-width values, field number 0 and wire types 6 and 7', () => {
    const short = reader([...tag(1, 1), 1, 2, 3]);
    short.tag();
    expect(() => short.fixed64()).toThrow('truncated fixed64 at byte 1');
    expect(() => reader([0x00]).tag()).toThrow('field number 0');
    expect(() => reader([0x0e]).tag()).toThrow('invalid wire type 6');
    expect(() => reader([0x0f]).tag()).toThrow('invalid wire type 7');
  });

  it('names the field when a known field arrives with the wrong wire type', () => {
    const r = reader(varintField(5, 1));
    const field = r.tag();
    expect(() => r.expect(WIRE.LEN, field, 'name')).toThrow('name (field 5) has wire type varint, expected length-delimited');
  });
});

describe('ProtoReader.skip', () => {
  it('skips unknown fields of every wire type, groups (nested) included', () => {
    const group = [...tag(9, WIRE.SGROUP), ...varintField(1, 5), ...tag(2, WIRE.SGROUP), ...tag(2, WIRE.EGROUP), ...tag(9, WIRE.EGROUP)];
    const r = reader(varintField(20, 300), fixed64Field(21, 1n), bytesField(22, [1, 2, 3]), fixed32Field(23, 4), group, varintField(1, 42));
    for (;;) {
      const field = r.tag();
      if (field === 1) break;
      r.skip(field);
    }
    expect(r.uint32()).toBe(42);
  });

  it('rejects an unclosed group, a mismatched end-group and a stray end-group', () => {
    const unclosed = reader([...tag(9, WIRE.SGROUP), ...varintField(1, 5)]);
    expect(() => unclosed.skip(unclosed.tag())).toThrow('is not closed');
    const mismatched = reader([...tag(9, WIRE.SGROUP), ...tag(8, WIRE.EGROUP)]);
    expect(() => mismatched.skip(mismatched.tag())).toThrow('end-group for field 8 inside group 9');
    const stray = reader(tag(9, WIRE.EGROUP));
    expect(() => stray.skip(stray.tag())).toThrow('unexpected end-group');
  });

  it('never throws anything but OtlpDecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 64}), (data) => {
        const r = new ProtoReader(data);
        try {
          while (!r.atEnd()) r.skip(r.tag());
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
        }
      }),
    );
  });
});
