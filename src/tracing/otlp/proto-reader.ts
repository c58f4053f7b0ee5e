import {OtlpDecodeError} from './errors.js';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
export const WIRE = {VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5} as const;

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];
const MAX_GROUP_DEPTH = 32;
const SHORT_STRING = 64;
const utf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * A strict reader for the protobuf wire format over one message's bytes. Every read checks
 * bounds; malformed input raises OtlpDecodeError naming the byte offset (counted from the
 * start of the whole payload), never a RangeError or a silent wrong value.
 */
export class ProtoReader {
  pos: number;
  /** Wire type of the tag read last. */
  wireType = 0;
  readonly buf: Buffer;
  private readonly view: DataView;
  // The two halves of the varint read last, filled by readVarintParts().
  private lo = 0;
  private hi = 0;

  constructor(
    bytes: Uint8Array,
    start = 0,
    /** Where the message being read ends; enter() and leave() move it for embedded messages. */
    public end = bytes.length,
    view?: DataView,
  ) {
    // A Buffer view (no copy) for its native string decoding.
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Read a field tag; returns the field number and leaves the wire type in `wireType`. */
  tag(): number {
    const at = this.pos;
    this.readVarintParts();
    if (this.hi !== 0 || this.lo >>> 3 > 0x1fffffff) throw this.fail(`field number too large at byte ${at}`);
    const field = this.lo >>> 3;
    this.wireType = this.lo & 7;
    if (field === 0) throw this.fail(`field number 0 at byte ${at}`);
    if (this.wireType > 5) throw this.fail(`invalid wire type ${this.wireType} at byte ${at}`);
    return field;
  }

  /** Throw unless the tag just read has this wire type (a known field sent with the wrong type). */
  expect(wireType: number, field: number, name: string): void {
    if (this.wireType !== wireType) {
      throw this.fail(`${name} (field ${field}) has wire type ${WIRE_NAMES[this.wireType]}, expected ${WIRE_NAMES[wireType]}`);
    }
  }

  /** A varint truncated to its low 32 bits, unsigned (uint32 semantics). */
  uint32(): number {
    this.readVarintParts();
    return this.lo >>> 0;
  }

  /** A varint truncated to its low 32 bits, signed (int32 and enum semantics). */
  int32(): number {
    this.readVarintParts();
    return this.lo | 0;
  }

  /** A varint as a signed 64-bit integer (int64). */
  int64(): bigint {
    this.readVarintParts();
    return BigInt.asIntN(64, (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0));
  }

  bool(): boolean {
    this.readVarintParts();
    return this.lo !== 0 || this.hi !== 0;
  }

  fixed32(): number {
    this.need(4, 'fixed32');
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  fixed64(): bigint {
    this.need(8, 'fixed64');
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(): number {
    this.need(8, 'double');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The bytes of a length-delimited field: a view into the payload, not a copy. */
  bytes(): Uint8Array {
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    return this.buf.subarray(start, start + length);
  }

  string(): string {
    const at = this.pos;
    const length = this.length();
    const start = this.pos;
    this.pos += length;
    // Most keys and values are short ASCII, which needs no UTF-8 validation.
    if (length <= SHORT_STRING) {
      const buf = this.buf;
      let i = start;
      while (i < start + length && buf[i] < 0x80) i++;
      if (i === start + length) return buf.toString('latin1', start, i);
    }
    return this.decodeUtf8(start, length, at);
  }

  private decodeUtf8(start: number, length: number, at: number): string {
    try {
      return utf8.decode(this.buf.subarray(start, start + length));
    } catch {
      throw this.fail(`invalid UTF-8 in string at byte ${at}`);
    }
  }

  /**
   * Narrow this reader to the embedded message that follows (a length-delimited field) and
   * return the enclosing limit, to be given back to leave() once it is read. Cheaper than
   * message() on hot paths: no new reader.
   */
  enter(): number {
    const length = this.length();
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  leave(outer: number): void {
    this.end = outer;
  }

  /** A new reader over an embedded message (length-delimited field). */
  message(): ProtoReader {
    const length = this.length();
    const reader = new ProtoReader(this.buf, this.pos, this.pos + length, this.view);
    this.pos += length;
    return reader;
  }

  /** Skip the value of an unknown field of the given wire type (groups included). */
  skip(field: number, wireType = this.wireType, depth = 0): void {
    switch (wireType) {
      case WIRE.VARINT:
        this.readVarintParts();
        return;
      case WIRE.I64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WIRE.LEN: {
        const length = this.length();
        this.pos += length;
        return;
      }
      case WIRE.I32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      case WIRE.SGROUP:
        this.skipGroup(field, depth);
        return;
      default:
        throw this.fail(`unexpected end-group for field ${field} at byte ${this.pos}`);
    }
  }

  private skipGroup(field: number, depth: number): void {
    if (depth >= MAX_GROUP_DEPTH) throw this.fail(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
    const start = this.pos;
    while (!this.atEnd()) {
      const inner = this.tag();
      if (this.wireType === WIRE.EGROUP) {
        if (inner !== field) throw this.fail(`end-group for field ${inner} inside group ${field}`);
        return;
      }
      this.skip(inner, this.wireType, depth + 1);
    }
    throw this.fail(`group for field ${field} starting at byte ${start} is not closed`);
  }

  private length(): number {
    const at = this.pos;
    this.readVarintParts();
    const length = this.lo >>> 0;
    if (this.hi !== 0 || length > this.end - this.pos) {
      throw this.fail(`length ${this.hi !== 0 ? 'over 4 GiB' : length} at byte ${at} runs past the end of its message (${this.end - this.pos} bytes left)`);
    }
    return length;
  }

  private need(bytes: number, what: string): void {
    if (this.end - this.pos < bytes) throw this.fail(`truncated ${what} at byte ${this.pos}`);
  }

  /** Decode a varint of at most 10 bytes into this.lo / this.hi (low and high 32 bits). */
  private readVarintParts(): void {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.fail(`truncated varint at byte ${start}`);
      const b = buf[pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) {
        if (i === 9 && b > 1) throw this.fail(`varint at byte ${start} overflows 64 bits`);
        this.lo = lo;
        this.hi = hi;
        this.pos = pos;
        return;
      }
    }
    throw this.fail(`varint at byte ${start} is longer than 10 bytes`);
  }

  private fail(reason: string): OtlpDecodeError {
    return new OtlpDecodeError(reason);
  }
}
