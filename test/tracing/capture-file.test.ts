import {appendFileSync, readFileSync, statSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {CaptureWriter, readCapture, type CaptureProblem, type CaptureRecord} from '../../src/tracing/capture-file.js';
import {tempDir} from '../helpers/cli.js';

const MAGIC = 'meshctl-otlp-v1\n';

/** A record as the documented format describes it, built by hand. */
function handRecord(kind: 'P' | 'J', receivedAtMs: bigint, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.write(kind, 0, 'ascii');
  header.writeBigUInt64BE(receivedAtMs, 1);
  header.writeUInt32BE(payload.length, 9);
  return Buffer.concat([header, payload]);
}

function readAll(path: string): (CaptureRecord | CaptureProblem)[] {
  return [...readCapture(path)];
}

describe('capture file', () => {
  it('writes exactly the documented layout', () => {
    const path = join(tempDir(), 'c.otlp');
    const {writer} = CaptureWriter.open(path);
    writer.append('protobuf', Uint8Array.from([1, 2, 3]), 1700000000123);
    writer.append('json', new TextEncoder().encode('{}'), 5);
    writer.close();
    const expected = Buffer.concat([
      Buffer.from(MAGIC),
      handRecord('P', 1700000000123n, Uint8Array.from([1, 2, 3])),
      handRecord('J', 5n, new TextEncoder().encode('{}')),
    ]);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it('reads hand-built files back byte for byte, appending across opens', () => {
    const path = join(tempDir(), 'c.otlp');
    writeFileSync(path, Buffer.concat([Buffer.from(MAGIC), handRecord('J', 7n, new TextEncoder().encode('{"a":1}'))]));
    const {writer, warning} = CaptureWriter.open(path);
    expect(warning).toBeUndefined();
    writer.append('protobuf', Uint8Array.from([9, 8]), 8);
    writer.close();
    expect(readAll(path)).toEqual([
      {encoding: 'json', receivedAtMs: 7, payload: new TextEncoder().encode('{"a":1}'), offset: 16},
      {encoding: 'protobuf', receivedAtMs: 8, payload: Uint8Array.from([9, 8]), offset: 36},
    ]);
  });

  it('reports an incomplete last record after the complete ones', () => {
    const path = join(tempDir(), 'c.otlp');
    writeFileSync(path, Buffer.concat([Buffer.from(MAGIC), handRecord('P', 1n, Uint8Array.from([1])), handRecord('P', 2n, Uint8Array.from([1, 2, 3, 4]))]));
    truncateSync(path, statSync(path).size - 2);
    const items = readAll(path);
    expect(items).toHaveLength(2);
    expect(items[1]).toEqual({offset: 30, message: 'incomplete last record at byte 30 (4 bytes announced, 2 present)', truncated: true});
  });

  it('cuts off an incomplete last record before appending, and says so', () => {
    const path = join(tempDir(), 'c.otlp');
    writeFileSync(path, Buffer.concat([Buffer.from(MAGIC), handRecord('P', 1n, Uint8Array.from([1]))]));
    appendFileSync(path, Buffer.from([0x50, 0, 0]));
    const {writer, warning} = CaptureWriter.open(path);
    writer.append('protobuf', Uint8Array.from([2]), 2);
    writer.close();
    expect(warning).toContain('cut off an incomplete last record (3 bytes)');
    expect(readAll(path).map((item) => ('payload' in item ? [...item.payload] : item))).toEqual([[1], [2]]);
  });

  it('refuses files that are not captures, and damaged ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'other.txt'), 'hello world, not a capture');
    expect(() => readAll(join(dir, 'other.txt'))).toThrow(UserError);
    expect(() => CaptureWriter.open(join(dir, 'other.txt'))).toThrow('is not a meshctl trace capture');
    writeFileSync(join(dir, 'bad.otlp'), Buffer.concat([Buffer.from(MAGIC), Buffer.from([0x58, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7])]));
    expect(readAll(join(dir, 'bad.otlp'))).toEqual([{offset: 16, message: 'corrupt record at byte 16', truncated: false}]);
    expect(() => CaptureWriter.open(join(dir, 'bad.otlp'))).toThrow('is damaged');
    expect(() => readAll(join(dir, 'missing.otlp'))).toThrow('no such file');
  });
});
