import {closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeSync} from 'node:fs';
import {UserError, errorMessage} from '../errors.js';
import type {OtlpEncoding} from './otlp/responses.js';

/**
 * The file `trace collect --save FILE` writes and `trace show FILE` reads: every accepted
 * export request's raw OTLP payload (after gzip decoding), byte for byte, so it re-decodes
 * exactly.
 *
 *   file   = magic record*
 *   magic  = the 16 ASCII bytes "meshctl-otlp-v1\n"
 *   record = encoding (1 byte: 'P' protobuf, 'J' JSON)
 *            received_at (8 bytes, big-endian uint64, Unix milliseconds)
 *            length (4 bytes, big-endian uint32)
 *            payload (`length` bytes: an ExportTraceServiceRequest)
 *
 * Records are appended with one write each. A collector killed mid-write leaves an
 * incomplete last record; `show` reports and skips it, and the next `--save` to the same
 * file cuts it off before appending.
 */

const MAGIC = Buffer.from('meshctl-otlp-v1\n', 'ascii');
const HEADER = 13;
/** Larger than any body the receiver accepts; a bigger length means a corrupt file. */
const MAX_PAYLOAD = 256 * 1024 * 1024;
const ENCODING_BYTE: Record<OtlpEncoding, number> = {protobuf: 0x50, json: 0x4a};

export interface CaptureRecord {
  encoding: OtlpEncoding;
  receivedAtMs: number;
  payload: Uint8Array;
  /** Byte offset of the record in the file. */
  offset: number;
}

/** What went wrong reading a capture, if anything; records before it were all read. */
export interface CaptureProblem {
  offset: number;
  message: string;
  /** The file simply ends inside the last record (the writer was stopped mid-write). */
  truncated: boolean;
}

export class CaptureWriter {
  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {}

  /**
   * Open for appending, creating the file (with its magic) if needed. Returns a warning when
   * an incomplete last record from an interrupted run was cut off.
   */
  static open(path: string): {writer: CaptureWriter; warning?: string} {
    let warning: string | undefined;
    try {
      if (existsSync(path)) warning = repairExisting(path);
      const fd = openSync(path, 'a');
      if (fstatSync(fd).size === 0) writeSync(fd, MAGIC);
      return {writer: new CaptureWriter(fd, path), warning};
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot write ${path}: ${errorMessage(error)}`);
    }
  }

  append(encoding: OtlpEncoding, payload: Uint8Array, receivedAtMs: number): void {
    const record = Buffer.allocUnsafe(HEADER + payload.length);
    record[0] = ENCODING_BYTE[encoding];
    record.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(receivedAtMs))), 1);
    record.writeUInt32BE(payload.length, 9);
    record.set(payload, HEADER);
    let written = 0;
    while (written < record.length) written += writeSync(this.fd, record, written);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function repairExisting(path: string): string | undefined {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    let goodEnd = 0;
    let problem: CaptureProblem | undefined;
    for (const item of scan(fd, path)) {
      if ('message' in item) problem = item;
      else goodEnd = item.offset + HEADER + item.payload.length;
    }
    if (!problem) return undefined;
    if (!problem.truncated) {
      throw new UserError(`${path} is damaged (${problem.message}); refusing to append to it`, {hint: 'save to a new file'});
    }
    ftruncateSync(fd, Math.max(goodEnd, MAGIC.length));
    return `${path}: cut off an incomplete last record (${size - Math.max(goodEnd, MAGIC.length)} bytes) left by an interrupted run`;
  } finally {
    closeSync(fd);
  }
}

/** Read every record of a capture file, in order; a problem, if any, comes last. */
export function* readCapture(path: string): Generator<CaptureRecord | CaptureProblem> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${errorMessage(error)}`);
  }
  try {
    yield* scan(fd, path);
  } finally {
    closeSync(fd);
  }
}

function* scan(fd: number, path: string): Generator<CaptureRecord | CaptureProblem> {
  const size = fstatSync(fd).size;
  const magic = Buffer.alloc(MAGIC.length);
  if (readSync(fd, magic, 0, MAGIC.length, 0) !== MAGIC.length || !magic.equals(MAGIC)) {
    throw new UserError(`${path} is not a meshctl trace capture (written by trace collect --save)`);
  }
  const header = Buffer.alloc(HEADER);
  let offset = MAGIC.length;
  while (offset < size) {
    if (size - offset < HEADER) {
      yield {offset, message: `incomplete record header at byte ${offset}`, truncated: true};
      return;
    }
    readSync(fd, header, 0, HEADER, offset);
    const encoding = header[0] === ENCODING_BYTE.protobuf ? 'protobuf' : header[0] === ENCODING_BYTE.json ? 'json' : undefined;
    const length = header.readUInt32BE(9);
    if (encoding === undefined || length > MAX_PAYLOAD) {
      yield {offset, message: `corrupt record at byte ${offset}`, truncated: false};
      return;
    }
    if (size - offset - HEADER < length) {
      yield {offset, message: `incomplete last record at byte ${offset} (${length} bytes announced, ${size - offset - HEADER} present)`, truncated: true};
      return;
    }
    const payload = new Uint8Array(length);
    readSync(fd, payload, 0, length, offset + HEADER);
    yield {encoding, receivedAtMs: Number(header.readBigUInt64BE(1)), payload, offset};
    offset += HEADER + length;
  }
}
